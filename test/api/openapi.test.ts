import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FIELD_CATALOG, isRuleField, RuleOp } from '@hourglass/journey';
import { builtinNodes } from '@hourglass/nodes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, harness } from './harness';

// The OpenAPI document is the integrator's contract: every node kind's config with its fields,
// descriptions and defaults, the rule language and its field catalog, and words for every route.

type Schema = {
  $ref?: string;
  type?: string | string[];
  description?: string;
  default?: unknown;
  const?: unknown;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  items?: Schema;
  discriminator?: { propertyName: string; mapping: Record<string, string> };
  'x-field-catalog'?: Array<{ path: string; kind: string; ops: string[]; label: string }>;
};
type Operation = {
  summary?: string;
  description?: string;
  requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
};
type Document = {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
};

// A config field as the node registry defines it (zod): its description and how it parses.
type ZodField = {
  description?: string;
  safeParse(value: unknown): { success: boolean; data?: unknown };
};

let h: Harness;
let doc: Document;
let webDist: string;
beforeAll(async () => {
  // With a web build, as in production: its routes are served but are not part of the API.
  webDist = fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-web-'));
  fs.writeFileSync(path.join(webDist, 'index.html'), '<!doctype html><title>Hourglass</title>');
  h = await harness('api_openapi', { webDist });
  const res = await h.app.inject({ method: 'GET', url: '/docs/json' });
  expect(res.statusCode).toBe(200);
  doc = res.json();
});
afterAll(async () => {
  await h?.close();
  fs.rmSync(webDist, { recursive: true, force: true });
});

const schemas = () => doc.components.schemas;
const component = (name: string) => {
  const s = schemas()[name];
  if (!s) throw new Error(`no component ${name}`);
  return s;
};
const pascal = (kind: string) =>
  kind
    .split('_')
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
const operations = () =>
  Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, op })),
  );
const bodyOf = (path: string, method: string) =>
  doc.paths[path]?.[method]?.requestBody?.content['application/json']?.schema;

describe('OpenAPI document', () => {
  it('documents every node kind of the registry: config fields with their descriptions and defaults', () => {
    const union = component('JourneyNode');
    expect(union.discriminator?.propertyName).toBe('type');
    expect(Object.keys(union.discriminator?.mapping ?? {})).toEqual(builtinNodes.map((d) => d.kind));
    expect(union.oneOf?.map((s) => s.$ref)).toEqual(
      builtinNodes.map((d) => `#/components/schemas/${pascal(d.kind)}Node`),
    );
    for (const def of builtinNodes) {
      const node = component(`${pascal(def.kind)}Node`);
      expect(node.properties?.type?.const, def.kind).toBe(def.kind);
      expect(node.description, def.kind).toContain(def.description);
      expect(node.properties?.data?.properties?.config?.$ref).toBe(
        `#/components/schemas/${pascal(def.kind)}Config`,
      );

      const config = component(`${pascal(def.kind)}Config`);
      const shape = (def.config as unknown as { shape: Record<string, ZodField> }).shape;
      expect(Object.keys(config.properties ?? {}), def.kind).toEqual(Object.keys(shape));
      const required = Object.entries(shape).filter(([, f]) => !f.safeParse(undefined).success);
      expect(config.required ?? [], def.kind).toEqual(required.map(([key]) => key));
      for (const [key, field] of Object.entries(shape)) {
        const documented = config.properties![key]!;
        const where = `${def.kind}.${key}`;
        expect(field.description, `${where} has a description in its definition`).toBeTruthy();
        expect(documented.description, where).toBe(field.description);
        const byDefault = field.safeParse(undefined);
        if (!byDefault.success) continue;
        // The documented default is the default: parsing it gives what leaving the field out gives.
        expect('default' in documented, `${where} documents its default`).toBe(true);
        expect(field.safeParse(documented.default).data, where).toEqual(byDefault.data);
      }
    }
  });

  it('uses the node kinds for the graph of every journey body and response', () => {
    const nodesOf = (graph: Schema | undefined) => graph?.properties?.nodes?.items?.$ref;
    const graph = component('JourneyGraph');
    expect(nodesOf(graph)).toBe('#/components/schemas/JourneyNode');
    expect(graph.properties?.edges?.items?.$ref).toBe('#/components/schemas/JourneyEdge');
    const graphRef = '#/components/schemas/JourneyGraph';
    expect(bodyOf('/v1/journeys', 'post')?.properties?.graph?.$ref).toBe(graphRef);
    expect(bodyOf('/v1/journeys/{id}', 'patch')?.properties?.graph?.$ref).toBe(graphRef);
    expect(bodyOf('/v1/journeys/{id}/validate', 'post')?.properties?.graph?.$ref).toBe(graphRef);
    expect(bodyOf('/v1/journeys/import', 'post')?.$ref).toBe('#/components/schemas/JourneyFile');
    const ok = (path: string, method: string, status: string) =>
      doc.paths[path]?.[method]?.responses[status]?.content?.['application/json']?.schema;
    expect(ok('/v1/journeys/{id}', 'get', '200')?.properties?.draftGraph?.$ref).toBe(graphRef);
    expect(ok('/v1/journeys/{id}/versions/{version}', 'get', '200')?.properties?.graph?.$ref).toBe(graphRef);
    expect(ok('/v1/journeys/{id}/export', 'get', '200')?.$ref).toBe('#/components/schemas/JourneyFile');
    expect(component('JourneyFile').properties?.graph?.$ref).toBe(graphRef);
  });

  it('documents the rule syntax and the field catalog', () => {
    const rule = component('Rule');
    const required = (rule.anyOf ?? []).map((s) => s.required ?? []);
    for (const key of ['all', 'any', 'not', 'segment', 'performed']) {
      expect(required).toContainEqual([key]);
      expect(rule.description).toContain(`{"${key}"`);
    }
    const condition = rule.anyOf?.find((s) => s.properties?.field);
    expect(condition?.properties?.field?.$ref).toBe('#/components/schemas/RuleField');
    expect(condition?.properties?.op?.$ref).toBe('#/components/schemas/RuleOperator');
    expect(component('RuleOperator').enum).toEqual(RuleOp.options);
    for (const op of RuleOp.options) expect(component('RuleOperator').description).toContain(`\`${op}\``);

    const field = component('RuleField');
    expect(field['x-field-catalog']?.map((f) => [f.path, f.kind, f.ops])).toEqual(
      FIELD_CATALOG.map((f) => [f.path, f.kind, [...f.ops]]),
    );
    for (const f of FIELD_CATALOG) expect(field.description).toContain(`\`${f.path}`);
    expect(field.anyOf?.[0]?.enum).toEqual(
      FIELD_CATALOG.filter((f) => isRuleField(f.path)).map((f) => f.path),
    );
    // The rule language is referenced wherever rules are taken, e.g. segments and node configs.
    expect(bodyOf('/v1/segments', 'post')?.properties?.rule?.$ref).toBe('#/components/schemas/Rule');
  });

  it('gives every route a summary and a description of its own, plus who may call it', () => {
    const ops = operations();
    expect(ops.length).toBeGreaterThan(50);
    for (const { route, op } of ops) {
      expect(op.summary?.trim(), `${route} has a summary`).toBeTruthy();
      const [own, access] = (op.description ?? '').split('\n\nAccess: ');
      expect(own?.trim(), `${route} has a description`).toBeTruthy();
      expect(own, `${route}: the description says more than the summary`).not.toBe(op.summary);
      expect(access, `${route} says who may call it`).toBeTruthy();
    }
    expect(ops.map((o) => o.route)).toContain('GET /v1/customers/lookup');
    expect(ops.map((o) => o.route)).not.toContain('GET /*');
  });

  it('marks the bodies of validate and publish optional, and others required', () => {
    expect(doc.paths['/v1/journeys/{id}/validate']?.post?.requestBody?.required).toBe(false);
    expect(doc.paths['/v1/journeys/{id}/publish']?.post?.requestBody?.required).toBe(false);
    expect(doc.paths['/v1/journeys']?.post?.requestBody?.required).toBe(true);
  });

  it('has no reference to a schema it does not define', () => {
    const refs = new Set<string>();
    const walk = (v: unknown) => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) {
          if (k === '$ref' && typeof x === 'string') refs.add(x);
          else walk(x);
        }
      }
    };
    walk(doc);
    expect(refs.size).toBeGreaterThan(10);
    for (const ref of refs) {
      expect(ref).toMatch(/^#\/components\/schemas\/\w+$/);
      expect(schemas(), ref).toHaveProperty(ref.slice('#/components/schemas/'.length));
    }
  });
});
