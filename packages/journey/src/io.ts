import { z } from 'zod';
import { Graph } from './graph';
import { jsonProblem } from './json';

/** Current version of the journey file format; bump with a migration in `importJourney`. */
export const JOURNEY_FORMAT_VERSION = 1;

/** A journey as a portable JSON file. */
export const JourneyFile = z.object({
  format: z.literal('hourglass.journey'),
  formatVersion: z.literal(JOURNEY_FORMAT_VERSION),
  name: z.string().min(1).max(200),
  description: z.string().max(2000).default(''),
  graph: Graph,
});
export type JourneyFile = z.infer<typeof JourneyFile>;

/** Result of `importJourney`: the journey, or human-readable errors with their JSON path. */
export type ImportResult =
  | { ok: true; journey: JourneyFile }
  | { ok: false; errors: Array<{ path: string; message: string }> };

/** Serialises a journey to the JSON file format (pretty-printed; positions kept for the canvas). */
export function exportJourney(journey: { name: string; description?: string; graph: Graph }): string {
  const file: JourneyFile = {
    format: 'hourglass.journey',
    formatVersion: JOURNEY_FORMAT_VERSION,
    name: journey.name,
    description: journey.description ?? '',
    graph: journey.graph,
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** Parses and validates a journey file (text or already-parsed JSON). Never throws. */
export function importJourney(input: string | unknown): ImportResult {
  let data: unknown = input;
  if (typeof input === 'string') {
    try {
      data = JSON.parse(input);
    } catch (e) {
      return {
        ok: false,
        errors: [{ path: '', message: `Not a JSON file: ${e instanceof Error ? e.message : e}` }],
      };
    }
  }
  const problem = jsonProblem(data, { maxDepth: 40, maxValues: 2_000_000 });
  if (problem) return { ok: false, errors: [{ path: problem.path, message: problem.message }] };
  const head = data as { format?: unknown; formatVersion?: unknown } | null;
  if (head === null || typeof head !== 'object' || head.format !== 'hourglass.journey') {
    return {
      ok: false,
      errors: [
        { path: 'format', message: 'Not an Hourglass journey file (format must be "hourglass.journey")' },
      ],
    };
  }
  if (typeof head.formatVersion === 'number' && head.formatVersion > JOURNEY_FORMAT_VERSION) {
    const message = `Exported by a newer Hourglass (format ${head.formatVersion}); this version reads format ${JOURNEY_FORMAT_VERSION}`;
    return { ok: false, errors: [{ path: 'formatVersion', message }] };
  }
  const parsed = JourneyFile.safeParse(data);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
    };
  }
  return { ok: true, journey: parsed.data };
}
