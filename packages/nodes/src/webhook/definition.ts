import type { NodeDiagnostic } from '@hourglass/journey';
import { defineNode } from '@hourglass/journey';
import { z } from 'zod';
import { DEFAULT_RETRY, FailurePolicy } from '../common';

/** What the `webhook.post` action receives. */
export const WebhookActionInput = z.object({
  url: z.string(),
  secretName: z.string(),
  eventName: z.string(),
  timeoutMs: z.number().int(),
  responseMapping: z.array(z.object({ name: z.string(), path: z.string() })).default([]),
});
export type WebhookActionInput = z.infer<typeof WebhookActionInput>;

/** Webhook config: where to POST, and which workspace secret signs the body. */
export const WebhookConfig = z.object({
  url: z.string().max(2000).default('').describe('URL'),
  secretName: z.string().max(100).default('').describe('Signing secret (workspace secret name)'),
  eventName: z.string().max(100).default('journey.webhook').describe('Event name sent as `type` in the body'),
  timeoutMs: z.number().int().min(1000).max(30_000).default(10_000).describe('Timeout (ms)'),
  responseMapping: z
    .array(
      z.object({
        name: z
          .string()
          .regex(/^[a-z][a-zA-Z0-9_]{0,39}$/, 'Start with a letter; letters, digits and _ only')
          .refine((n) => n !== 'httpStatus', 'httpStatus is always in the output')
          .describe('Output field'),
        path: z.string().min(1).max(200).describe('Path in the JSON response, e.g. data.tier or items[0].id'),
      }),
    )
    .max(20)
    .default([])
    .describe('Fields to keep from the JSON response (steps.<name>.<field>)'),
  onFailure: FailurePolicy,
});
export type WebhookConfig = z.infer<typeof WebhookConfig>;

function urlProblem(url: string): string | null {
  if (!url) return 'URL is required';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'Not a valid URL';
  }
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname);
  if (parsed.protocol === 'https:' || (parsed.protocol === 'http:' && local)) return null;
  return 'Use https:// (plain http only for localhost)';
}

/** What a webhook step keeps: the status, and each field mapped from the JSON response. */
export function webhookOutput(c: Pick<WebhookConfig, 'responseMapping'>) {
  return z.object({
    httpStatus: z.number().int().describe('HTTP status of the response'),
    ...Object.fromEntries(c.responseMapping.map((m) => [m.name, z.json().describe(`Response ${m.path}`)])),
  });
}

/** POSTs a signed JSON body (Standard Webhooks / Svix format) to a URL; keeps fields of its JSON answer. */
export const webhook = defineNode({
  kind: 'webhook',
  version: 1,
  label: 'Webhook',
  description: 'POST the customer, order and trigger to your endpoint, signed with HMAC-SHA256.',
  category: 'action',
  config: WebhookConfig,
  actions: ['webhook.post'],
  ports: [{ id: 'out', label: 'Next' }],
  output: { schemaFor: webhookOutput, name: 'webhook', guaranteed: (c) => c.onFailure === 'exit' },
  compile(c, ctx) {
    const d: NodeDiagnostic[] = [];
    const names = new Set<string>();
    c.responseMapping.forEach((m, i) => {
      if (names.has(m.name))
        d.push({
          field: `responseMapping.${i}.name`,
          code: 'config.invalid',
          message: `"${m.name}" is mapped twice`,
        });
      names.add(m.name);
    });
    const problem = urlProblem(c.url);
    if (problem) d.push({ field: 'url', code: 'config.invalid', message: problem });
    if (!c.secretName)
      d.push({ field: 'secretName', code: 'config.invalid', message: 'Choose a signing secret' });
    const input: WebhookActionInput = {
      url: c.url,
      secretName: c.secretName,
      eventName: c.eventName,
      timeoutMs: c.timeoutMs,
      responseMapping: c.responseMapping,
    };
    return {
      diagnostics: d,
      steps: [
        {
          type: 'act',
          action: 'webhook.post',
          input,
          retry: DEFAULT_RETRY,
          onFailure: c.onFailure,
          next: ctx.port('out'),
        },
      ],
    };
  },
});
