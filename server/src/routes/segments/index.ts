import {
  errorResponses,
  IdParams,
  Ok,
  Segment,
  SegmentCreateBody,
  SegmentMembership,
  SegmentPreview,
  SegmentPreviewBody,
  SegmentUpdateBody,
  Uuid,
} from '@hourglass/contract';
import {
  appendAudit,
  createSegment,
  customerMatchesRule,
  deleteSegment,
  getCustomer,
  getSegment,
  listSegments,
  previewRule,
  ruleToSql,
  segmentResolver,
  updateSegment,
} from '@hourglass/db';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiDeps } from '../../deps';
import { authOf } from '../../plugins/auth';
import { notFound } from '../../plugins/errors';
import { assertRuleFields, assertSegmentBudget } from '../../services/segment-rules';

const tags = ['segments'];

/** Segments: CRUD, previews (count + sample) and one customer's membership. */
export async function segmentRoutes(app: FastifyInstance, deps: ApiDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const load = async (workspaceId: string, id: string) => {
    const row = await getSegment(db, workspaceId, id);
    if (!row) throw notFound('Segment');
    return row;
  };

  r.get(
    '/segments',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'List segments',
        description: "The workspace's segments with their rules.",
        response: { 200: z.array(Segment), ...errorResponses },
      },
    },
    async (request) => listSegments(db, authOf(request).workspaceId),
  );

  r.post(
    '/segments',
    {
      config: { access: 'write' },
      schema: {
        tags,
        summary: 'Create a segment',
        description:
          'A named rule over customers (see Rule), usable in branches and trigger entry rules. Unknown fields and wrong value types answer 400 naming the condition (`rule.unknown_field`, …), a rule over the complexity budget 400 `segment.too_complex`, a rule SQL cannot express 422; nothing is stored then. Audit-logged.',
        body: SegmentCreateBody,
        response: { 201: Segment, ...errorResponses },
      },
    },
    async (request, reply) => {
      const auth = authOf(request);
      // Bad fields and values (400), a rule over the complexity budget (400) and rules SQL cannot
      // express (422) are all refused before anything is stored.
      assertRuleFields(request.body.rule);
      await assertSegmentBudget(db, auth.workspaceId, request.body.rule);
      ruleToSql(request.body.rule, await segmentResolver(db, auth.workspaceId));
      const row = await createSegment(db, auth.workspaceId, request.body);
      await appendAudit(db, auth.workspaceId, {
        actor: auth.actor,
        action: 'segment.create',
        target: row.id,
      });
      return reply.status(201).send(row);
    },
  );

  r.post(
    '/segments/preview',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'Count and sample of customers matching a rule',
        description:
          "How many customers match a rule now, and a sample of them (`sample`, default 10), without saving anything: a segment's preview before it exists.",
        body: SegmentPreviewBody,
        response: { 200: SegmentPreview, ...errorResponses },
      },
    },
    async (request) => {
      const { workspaceId } = authOf(request);
      assertRuleFields(request.body.rule);
      await assertSegmentBudget(db, workspaceId, request.body.rule);
      return previewRule(db, workspaceId, request.body.rule, { sample: request.body.sample });
    },
  );

  r.get(
    '/segments/:id',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'A segment',
        description: 'One segment with its rule.',
        params: IdParams,
        response: { 200: Segment, ...errorResponses },
      },
    },
    async (request) => load(authOf(request).workspaceId, request.params.id),
  );

  r.patch(
    '/segments/:id',
    {
      config: { access: 'write' },
      schema: {
        tags,
        summary: 'Update a segment',
        description:
          'Changes the name, description or rule (checked as at creation); fields left out keep their values. Journeys that use the segment see the new rule from their next decision on. Audit-logged.',
        params: IdParams,
        body: SegmentUpdateBody,
        response: { 200: Segment, ...errorResponses },
      },
    },
    async (request) => {
      const auth = authOf(request);
      await load(auth.workspaceId, request.params.id);
      if (request.body.rule) {
        assertRuleFields(request.body.rule);
        await assertSegmentBudget(db, auth.workspaceId, request.body.rule, request.params.id);
        ruleToSql(request.body.rule, await segmentResolver(db, auth.workspaceId));
      }
      const row = await updateSegment(db, auth.workspaceId, request.params.id, request.body);
      if (!row) throw notFound('Segment');
      await appendAudit(db, auth.workspaceId, {
        actor: auth.actor,
        action: 'segment.update',
        target: row.id,
      });
      return row;
    },
  );

  r.delete(
    '/segments/:id',
    {
      config: { access: 'write' },
      schema: {
        tags,
        summary: 'Delete a segment',
        description:
          'Deletes the segment. Journeys that still name it report it at their next validate / publish (`segment.unknown`). Audit-logged.',
        params: IdParams,
        response: { 200: Ok, ...errorResponses },
      },
    },
    async (request) => {
      const auth = authOf(request);
      if (!(await deleteSegment(db, auth.workspaceId, request.params.id))) throw notFound('Segment');
      await appendAudit(db, auth.workspaceId, {
        actor: auth.actor,
        action: 'segment.delete',
        target: request.params.id,
      });
      return { ok: true as const };
    },
  );

  r.get(
    '/segments/:id/preview',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'Count and sample of a segment',
        description: 'How many customers are in the segment now, and a sample of them.',
        params: IdParams,
        response: { 200: SegmentPreview, ...errorResponses },
      },
    },
    async (request) => {
      const { workspaceId } = authOf(request);
      const row = await load(workspaceId, request.params.id);
      return previewRule(db, workspaceId, row.rule);
    },
  );

  r.get(
    '/segments/:id/members/:customerId',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'Is this customer in the segment',
        description:
          "Whether the customer matches the segment's rule now, evaluated like journeys' entry rules.",
        params: z.object({ id: Uuid, customerId: Uuid }),
        response: { 200: SegmentMembership, ...errorResponses },
      },
    },
    async (request) => {
      const { workspaceId } = authOf(request);
      const row = await load(workspaceId, request.params.id);
      if (!(await getCustomer(db, workspaceId, request.params.customerId))) throw notFound('Customer');
      return {
        member: await customerMatchesRule(db, workspaceId, request.params.customerId, row.rule),
      };
    },
  );
}
