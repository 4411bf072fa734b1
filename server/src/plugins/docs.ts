import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** OpenAPI document generated from the contract schemas: JSON at /docs/json, a route index at /docs. */
export const docsPlugin = fp(
  async (app: FastifyInstance) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: { title: 'Hourglass API', version: '1.0.0', description: 'Post-purchase journey builder API' },
        components: {
          securitySchemes: {
            apiKey: { type: 'http', scheme: 'bearer', description: 'API key: Authorization: Bearer hg_…' },
            session: { type: 'apiKey', in: 'cookie', name: 'hg_session' },
          },
        },
        security: [{ apiKey: [] }, { session: [] }],
      },
      transform: jsonSchemaTransform,
    });
    app.get('/docs/json', { schema: { hide: true } }, async () => app.swagger());
    // A dependency-free index; any OpenAPI viewer can load /docs/json for the full reference.
    app.get('/docs', { schema: { hide: true } }, async (_request, reply) => {
      const spec = app.swagger() as {
        paths?: Record<string, Record<string, { summary?: string; tags?: string[] }>>;
      };
      const rows = Object.entries(spec.paths ?? {}).flatMap(([path, ops]) =>
        Object.entries(ops).map(
          ([method, op]) =>
            `<tr><td><code>${method.toUpperCase()}</code></td><td><code>${escapeHtml(path)}</code></td><td>${escapeHtml(op.summary ?? '')}</td></tr>`,
        ),
      );
      return reply
        .type('text/html; charset=utf-8')
        .send(
          `<!doctype html><meta charset="utf-8"><title>Hourglass API</title><style>body{font:14px system-ui;margin:2rem}td{padding:.2rem .8rem;border-bottom:1px solid #eee}</style><h1>Hourglass API</h1><p>OpenAPI document: <a href="/docs/json">/docs/json</a></p><table>${rows.join('')}</table>`,
        );
    });
  },
  { name: 'docs' },
);
