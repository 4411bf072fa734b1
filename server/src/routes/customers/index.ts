import {
  Customer,
  CustomerProfile,
  CustomerRun,
  CustomerSearchQuery,
  errorResponses,
  IdParams,
  Paging,
} from '@hourglass/contract';
import {
  getCustomer,
  listCustomerEvents,
  listCustomerOrders,
  listCustomerRuns,
  searchCustomers,
} from '@hourglass/db';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiDeps } from '../../deps';
import { authOf } from '../../plugins/auth';
import { notFound } from '../../plugins/errors';
import { customerRunView, loadPlanIndex } from '../../services/timeline';

const tags = ['customers'];

/** Customer search, profile (orders, events) and the customer's runs. */
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
        querystring: CustomerSearchQuery,
        response: { 200: z.array(Customer), ...errorResponses },
      },
    },
    async (request) =>
      searchCustomers(db, authOf(request).workspaceId, { ...request.query, query: request.query.q }),
  );

  r.get(
    '/customers/:id',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'Profile with orders and recent events',
        params: IdParams,
        response: { 200: CustomerProfile, ...errorResponses },
      },
    },
    async (request) => {
      const { workspaceId } = authOf(request);
      const customer = await getCustomer(db, workspaceId, request.params.id);
      if (!customer) throw notFound('Customer');
      const [orders, events] = await Promise.all([
        listCustomerOrders(db, workspaceId, customer.id),
        listCustomerEvents(db, workspaceId, customer.id, { limit: 100 }),
      ]);
      return { customer, orders, events };
    },
  );

  r.get(
    '/customers/:id/runs',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: "The customer's journey runs: journey, version, status, current step or end reason",
        params: IdParams,
        querystring: Paging,
        response: { 200: z.array(CustomerRun), ...errorResponses },
      },
    },
    async (request) => {
      const { workspaceId } = authOf(request);
      const customer = await getCustomer(db, workspaceId, request.params.id);
      if (!customer) throw notFound('Customer');
      const runs = await listCustomerRuns(db, workspaceId, customer.id, request.query);
      // One plan lookup per pinned version, to name the step each run is on.
      const plans = new Map<string, Awaited<ReturnType<typeof loadPlanIndex>>>();
      for (const run of runs) {
        const key = `${run.journeyId}@${run.version}`;
        if (!plans.has(key)) plans.set(key, await loadPlanIndex(db, workspaceId, run));
      }
      return runs.map((run) =>
        customerRunView(
          run,
          customer.timezone || 'UTC',
          plans.get(`${run.journeyId}@${run.version}`)?.stepLabel(run.currentStep) ?? null,
        ),
      );
    },
  );
}
