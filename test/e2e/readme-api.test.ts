import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { contract } from '@hourglass/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, type E2E, startE2E } from './harness';

// docs/api.md ("Build a journey through the API", linked from the README) runs here as written: its
// shell blocks are read from the page and each curl command is sent to a real API (with worker and
// dispatcher), so the example cannot drift from what the API accepts.

const page = fs.readFileSync(
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/api.md'),
  'utf8',
);

/** The shell code of the page, its blocks joined in order. */
function pageShell(title: string): string {
  if (!page.startsWith(`# ${title}\n`)) throw new Error(`docs/api.md is not "${title}"`);
  return [...page.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]).join('\n');
}

/** Shell words of one command line: quotes removed, `$NAME` expanded outside single quotes. */
function words(line: string, vars: Record<string, string>): string[] {
  const out: string[] = [];
  const expand = (s: string) =>
    s.replace(/\$([A-Z_]+)/g, (_, name: string) => {
      if (!(name in vars)) throw new Error(`README uses $${name} before setting it`);
      return vars[name]!;
    });
  for (const m of line.matchAll(/'([^']*)'|"((?:[^"\\]|\\.)*)"|(\S+)/g)) {
    out.push(m[1] ?? expand(m[2] ?? m[3] ?? ''));
  }
  return out;
}

type Call = { method: string; url: string; headers: Record<string, string>; body?: string; assign?: string };

/** The README's commands: `cat > file <<'JSON'` writes a file, `[VAR=$(]curl …[ | jq -r .id)]` a request. */
function* commands(shell: string, vars: Record<string, string>): Generator<Call> {
  const files: Record<string, string> = {};
  const lines = shell.replace(/\\\n\s*/g, ' ').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line || line.startsWith('export ')) continue;
    const heredoc = /^cat > (\S+) <<'JSON'$/.exec(line);
    if (heredoc) {
      const end = lines.indexOf('JSON', i);
      files[heredoc[1]!] = lines.slice(i + 1, end).join('\n');
      i = end;
      continue;
    }
    // A quoted body may span lines: join until the quotes balance.
    let command = line;
    while ((command.match(/'/g) ?? []).length % 2 === 1) command += `\n${lines[++i]}`;
    const assigned = /^([A-Z_]+)=\$\((.*) \| jq -r \.id\)$/s.exec(command);
    const argv = words(assigned ? assigned[2]! : command, vars);
    if (argv[0] !== 'curl') throw new Error(`README command not understood: ${line}`);
    const call: Call = { method: 'GET', url: '', headers: {}, assign: assigned?.[1] };
    const query: string[] = [];
    for (let a = 1; a < argv.length; a++) {
      const arg = argv[a]!;
      if (arg === '-s') continue;
      if (arg === '-G') call.method = 'GET';
      else if (arg === '-X') call.method = argv[++a]!;
      else if (arg === '-H') {
        const [name, ...value] = argv[++a]!.split(':');
        call.headers[name!.trim().toLowerCase()] = value.join(':').trim();
      } else if (arg === '-d') {
        const data = argv[++a]!;
        call.body = data.startsWith('@') ? files[data.slice(1)] : data;
        if (call.body === undefined) throw new Error(`README posts ${data} before writing it`);
        if (call.method === 'GET' && !argv.includes('-X')) call.method = 'POST';
      } else if (arg === '--data-urlencode') {
        const [name, ...value] = argv[++a]!.split('=');
        query.push(`${name}=${encodeURIComponent(value.join('='))}`);
      } else if (/^https?:\/\//.test(arg)) call.url = arg;
      else throw new Error(`README curl option not understood: ${arg}`);
    }
    if (query.length > 0) call.url += `${call.url.includes('?') ? '&' : '?'}${query.join('&')}`;
    yield call;
  }
}

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E('readme_api', { temporal: true });
});
afterAll(async () => {
  await e2e?.close();
});

describe('README: build a journey through the API', () => {
  it("runs the README's commands as written: the journey validates, publishes, and the event sends its email", async () => {
    const vars: Record<string, string> = { HOURGLASS_URL: e2e.baseUrl, HOURGLASS_API_KEY: DEMO.apiKey };
    const answers: Array<{ call: Call; status: number; json: unknown }> = [];
    for (const call of commands(pageShell('Build a journey through the API'), vars)) {
      const res = await fetch(call.url, { method: call.method, headers: call.headers, body: call.body });
      const json: unknown = await res.json();
      expect(res.status, `${call.method} ${call.url}: ${JSON.stringify(json)}`).toBeLessThan(300);
      if (call.assign) vars[call.assign] = String((json as { id: unknown }).id);
      answers.push({ call, status: res.status, json });
    }
    const paths = answers.map(({ call }) => `${call.method} ${new URL(call.url).pathname}`);
    expect(paths).toEqual([
      'POST /v1/journeys',
      `POST /v1/journeys/${vars.JOURNEY_ID}/validate`,
      `POST /v1/journeys/${vars.JOURNEY_ID}/publish`,
      'POST /v1/events',
      'GET /v1/customers/lookup',
      'GET /v1/runs',
      'GET /v1/messages',
    ]);
    // The README's graph is in the documented format: every node fits its kind's schema.
    const created = answers[0]!.json as { draftGraph: { nodes: unknown[] } };
    for (const node of created.draftGraph.nodes)
      expect(contract.JourneyNode.safeParse(node).success).toBe(true);
    expect(answers[1]!.json).toEqual({ ok: true, diagnostics: [] });
    expect(answers[2]!.json).toMatchObject({ version: { version: 1, note: 'First version' } });
    expect(answers[3]).toMatchObject({ status: 202, json: { status: 'accepted' } });
    expect(answers[4]!.json).toMatchObject({ externalId: 'cus-42', email: 'ada@example.com' });

    const get = async (url: string) =>
      (await fetch(`${e2e.baseUrl}${url}`, { headers: { authorization: `Bearer ${DEMO.apiKey}` } })).json();
    await expect
      .poll(() => get(`/v1/messages?journeyId=${vars.JOURNEY_ID}`), { timeout: 60_000, interval: 500 })
      .toEqual([
        expect.objectContaining({
          subject: 'Thanks for order 1001, Ada',
          toAddress: 'ada@example.com',
          provider: 'outbox',
          status: 'sent',
        }),
      ]);
    await expect
      .poll(() => get(`/v1/runs?journeyId=${vars.JOURNEY_ID}`), { timeout: 30_000, interval: 500 })
      .toEqual([expect.objectContaining({ status: 'completed' })]);
  });
});
