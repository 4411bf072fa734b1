import swagger, { type SwaggerTransform, type SwaggerTransformObject } from '@fastify/swagger';
import { apiComponentSchemas, apiDocs } from '@hourglass/contract';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createJsonSchemaTransform } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ACCESS_EXTENSION } from '../access-table';
import { type Access, ROLE_SCOPES } from './auth';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const OPTIONAL_BODY = 'x-optional-body';
const routeSchemas = createJsonSchemaTransform({ schemaRegistry: apiDocs });

/**
 * Route schemas to OpenAPI, shared schemas as references to components (see the contract's `apiDocs`).
 * Fastify hands a missing body to the validator as null, so a body schema that takes null may be left
 * out: marked here, written as `requestBody.required: false` in `completeDocument`.
 */
const transform: SwaggerTransform = (input) => {
  const { schema = {}, url } = routeSchemas(input);
  const body: unknown = input.schema?.body;
  const optionalBody = body instanceof z.ZodType && body.safeParse(null).success;
  const access = input.route.config?.access ?? 'public';
  const description = [schema.description, accessNote(access)].filter(Boolean).join('\n\n');
  return {
    url,
    schema: {
      ...schema,
      description,
      [ACCESS_EXTENSION]: access,
      ...(optionalBody ? { [OPTIONAL_BODY]: true } : {}),
      ...(access === 'public' ? { security: [] } : {}),
    },
  };
};

/** Who may call a route, from its `config.access` (the auth plugin enforces the same). */
function accessNote(access: Access): string {
  if (access === 'public') return 'Access: public, no API key or session.';
  if (access === 'any') return 'Access: any API key or signed-in user.';
  if (access === 'owner') return 'Access: `owner`, a signed-in owner of the workspace (never an API key).';
  const roles = Object.entries(ROLE_SCOPES)
    .filter(([, scopes]) => scopes.includes(access))
    .map(([role]) => role);
  return `Access: the \`${access}\` permission, i.e. an API key with that scope or a session of ${roles.join(' / ')}.`;
}

type Operation = { [OPTIONAL_BODY]?: boolean; requestBody?: { required?: boolean } };

/** Adds the components and settles optional bodies. */
const completeDocument: SwaggerTransformObject = (input) => {
  if (!('openapiObject' in input)) throw new Error('The API is documented in OpenAPI 3');
  const { openapiObject } = input;
  const components = apiComponentSchemas();
  // Route schemas name the input side of a component `<name>Input`; components describe what the API
  // accepts, and responses carry the same shapes, so one name serves both.
  const text = JSON.stringify({
    ...openapiObject,
    components: {
      ...openapiObject.components,
      schemas: { ...openapiObject.components?.schemas, ...components },
    },
  }).replace(/"#\/components\/schemas\/(\w+)Input"/g, (ref, name: string) =>
    Object.hasOwn(components, name) ? `"#/components/schemas/${name}"` : ref,
  );
  const doc = JSON.parse(text) as { paths?: Record<string, Record<string, Operation>> };
  for (const operation of Object.values(doc.paths ?? {}).flatMap((ops) => Object.values(ops))) {
    if (!operation[OPTIONAL_BODY]) continue;
    delete operation[OPTIONAL_BODY];
    if (operation.requestBody) operation.requestBody.required = false;
  }
  return doc;
};

const API_DESCRIPTION = [
  'Post-purchase journey builder API.',
  "A journey is a graph of nodes (components JourneyNode and one schema per node kind, e.g. TriggerNode and TriggerConfig) joined by edges from a node's output port (`sourceHandle`) to another node.",
  'Create it with `POST /v1/journeys`, check it with `POST /v1/journeys/{id}/validate`, make it live with `POST /v1/journeys/{id}/publish`, then send events to `POST /v1/events`.',
  'Conditions (branches, filters, entry rules, segments) use the rule language: components Rule, RuleField (the field catalog) and RuleOperator.',
].join(' ');

/** OpenAPI document generated from the contract schemas: JSON at /docs/json, a route index at /docs. */
export const docsPlugin = fp(
  async (app: FastifyInstance) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: { title: 'Hourglass API', version: '1.0.0', description: API_DESCRIPTION },
        components: {
          securitySchemes: {
            apiKey: { type: 'http', scheme: 'bearer', description: 'API key: Authorization: Bearer hg_…' },
            session: { type: 'apiKey', in: 'cookie', name: 'hg_session' },
          },
        },
        security: [{ apiKey: [] }, { session: [] }],
      },
      transform,
      transformObject: completeDocument,
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
