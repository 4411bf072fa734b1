import {
  ConsentChangeBody,
  Customer,
  CustomerEventsPage,
  CustomerLookupQuery,
  CustomerOrdersPage,
  CustomerPageQuery,
  CustomerProfile,
  CustomerRunsPage,
  CustomerSearchQuery,
  errorResponses,
  IdParams,
} from '@hourglass/contract';
import {
  appendAudit,
  customerEventsPage,
  customerOrdersPage,
  customerRunsPage,
  getCustomer,
  getCustomerByExternalId,
  listCustomerDecisions,
  searchCustomers,
  setCustomerConsent,
} from '@hourglass/db';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiDeps } from '../../deps';
import { authOf } from '../../plugins/auth';
import { notFound } from '../../plugins/errors';
import { decodeCursor, encodeCursor } from '../../services/page-cursor';
import { customerRunView, loadPlanIndex } from '../../services/timeline';
import { decisionView } from '../../services/why-not';

const tags = ['customers'];

const PAGING =
  ' Newest first, `limit` (default 50, at most 200) at a time: `nextCursor` is null on the last page, else pass it as `before` for the next one (a cursor that was not received from this list is a 400 `invalid_cursor` naming `querystring.before`). Pages never repeat or skip a row, even while new ones arrive.';

/** Customer search, profile (orders, events), the customer's runs, and consent changes by support. */
export async function customerRoutes(app: FastifyInstance, deps: ApiDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;

  r.get(
    '/customers',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'Search by email, phone, name or external id',
        description:
          'Customers whose email, first or last name start with `q` (or full name), or whose phone or external id is exactly `q`, newest first; no `q` lists them all. For one customer by external id, `GET /v1/customers/lookup` answers exactly.',
        querystring: CustomerSearchQuery,
        response: { 200: z.array(Customer), ...errorResponses },
      },
    },
    async (request) =>
      searchCustomers(db, authOf(request).workspaceId, { ...request.query, query: request.query.q }),
  );

  r.get(
    '/customers/lookup',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'The customer with this external id',
        description:
          "Exact lookup by the shop's own customer id (the `customer.externalId` of events), in the caller's workspace: 200 with the customer, 404 `not_found` when no customer has it. The id goes in the query string, URL-encoded, so any id fits (slashes included, e.g. `gid://shopify/Customer/7391`); an empty id, one over 200 characters or with surrounding spaces is a 400 naming `querystring.externalId`.",
        querystring: CustomerLookupQuery,
        response: { 200: Customer, ...errorResponses },
      },
    },
    async (request) => {
      const customer = await getCustomerByExternalId(
        db,
        authOf(request).workspaceId,
        request.query.externalId,
      );
      if (!customer) throw notFound('Customer');
      return customer;
    },
  );

  r.get(
    '/customers/:id',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'Profile with orders, recent events and why they did (not) enter journeys',
        description:
          "The customer (consent, attributes, tags, stats), their latest 50 orders and latest 50 events (older ones: `ordersNextCursor` / `eventsNextCursor` with `GET /v1/customers/:id/orders` / `…/events`, null when there are none), and the newest 100 routing decisions: for each journey whose trigger event they had (live or not), whether they entered and why not (the journey was not live then, the trigger's filter with its compared values, the entry rule or segment), and events a waiting run ignored; each with a sentence in the customer's time zone.",
        params: IdParams,
        response: { 200: CustomerProfile, ...errorResponses },
      },
    },
    async (request) => {
      const { workspaceId } = authOf(request);
      const customer = await getCustomer(db, workspaceId, request.params.id);
      if (!customer) throw notFound('Customer');
      const [orders, events, decisions] = await Promise.all([
        customerOrdersPage(db, workspaceId, customer.id),
        customerEventsPage(db, workspaceId, customer.id),
        listCustomerDecisions(db, workspaceId, customer.id, { limit: 100 }),
      ]);
      const timeZone = customer.timezone || 'UTC';
      return {
        customer,
        orders: orders.items,
        ordersNextCursor: encodeCursor('orders', orders.next),
        events: events.items,
        eventsNextCursor: encodeCursor('events', events.next),
        decisions: decisions.map((d) => decisionView(d, timeZone)),
      };
    },
  );

  r.get(
    '/customers/:id/orders',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: "A page of the customer's orders",
        description: `The customer's orders by the time they were placed.${PAGING}`,
        params: IdParams,
        querystring: CustomerPageQuery,
        response: { 200: CustomerOrdersPage, ...errorResponses },
      },
    },
    async (request) => {
      const { workspaceId } = authOf(request);
      const before = decodeCursor('orders', request.query.before);
      const customer = await getCustomer(db, workspaceId, request.params.id);
      if (!customer) throw notFound('Customer');
      const page = await customerOrdersPage(db, workspaceId, customer.id, {
        limit: request.query.limit,
        before,
      });
      return { orders: page.items, nextCursor: encodeCursor('orders', page.next) };
    },
  );

  r.get(
    '/customers/:id/events',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: "A page of the customer's events",
        description: `The customer's events by the time they occurred.${PAGING}`,
        params: IdParams,
        querystring: CustomerPageQuery,
        response: { 200: CustomerEventsPage, ...errorResponses },
      },
    },
    async (request) => {
      const { workspaceId } = authOf(request);
      const before = decodeCursor('events', request.query.before);
      const customer = await getCustomer(db, workspaceId, request.params.id);
      if (!customer) throw notFound('Customer');
      const page = await customerEventsPage(db, workspaceId, customer.id, {
        limit: request.query.limit,
        before,
      });
      return { events: page.items, nextCursor: encodeCursor('events', page.next) };
    },
  );

  r.get(
    '/customers/:id/runs',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: "The customer's journey runs: journey, version, status, current step or end reason",
        description: `The customer's runs by the time they started, each with the journey, the version it pinned, its status and the step it is on (named as on the canvas) or why it ended.${PAGING}`,
        params: IdParams,
        querystring: CustomerPageQuery,
        response: { 200: CustomerRunsPage, ...errorResponses },
      },
    },
    async (request) => {
      const { workspaceId } = authOf(request);
      const before = decodeCursor('runs', request.query.before);
      const customer = await getCustomer(db, workspaceId, request.params.id);
      if (!customer) throw notFound('Customer');
      const page = await customerRunsPage(db, workspaceId, customer.id, {
        limit: request.query.limit,
        before,
      });
      const runs = page.items;
      // One plan lookup per pinned version, to name the step each run is on.
      const plans = new Map<string, Awaited<ReturnType<typeof loadPlanIndex>>>();
      for (const run of runs) {
        const key = `${run.journeyId}@${run.version}`;
        if (!plans.has(key)) plans.set(key, await loadPlanIndex(db, workspaceId, run));
      }
      return {
        runs: runs.map((run) =>
          customerRunView(run, customer.timezone || 'UTC', plans.get(`${run.journeyId}@${run.version}`)),
        ),
        nextCursor: encodeCursor('runs', page.next),
      };
    },
  );
  r.patch(
    '/customers/:id/consent',
    {
      config: { access: 'support' },
      schema: {
        tags,
        summary: "Change a customer's marketing consent (support; audited with the reason)",
        description:
          'Sets email and/or SMS marketing consent to `subscribed` or `unsubscribed`, as the customer asked support, with the `reason` kept in the audit log. Every later send honours it: unsubscribing also suppresses the address (as the unsubscribe link does), and subscribing lifts only that kind of suppression, never a bounce, complaint or STOP. Needs the `support` permission; 404 for a customer of another workspace. Answers the customer as it now is.',
        params: IdParams,
        body: ConsentChangeBody,
        response: { 200: Customer, ...errorResponses },
      },
    },
    async (request) => {
      const auth = authOf(request);
      const { email, sms, reason } = request.body;
      const change = { ...(email ? { email } : {}), ...(sms ? { sms } : {}) };
      return db.transaction(async (tx) => {
        const done = await setCustomerConsent(
          tx,
          auth.workspaceId,
          request.params.id,
          change,
          `support:${auth.actor}`,
        );
        if (!done) throw notFound('Customer');
        await appendAudit(tx, auth.workspaceId, {
          actor: auth.actor,
          action: 'customer.consent',
          target: done.after.id,
          reason,
          details: { before: done.before.consent, after: done.after.consent },
        });
        return done.after;
      });
    },
  );
}
