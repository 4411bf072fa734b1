import type { Json } from '@hourglass/journey';
import type { z } from 'zod';
import { type ActionContext, ActionError, type ActionResult, type SendDeps } from './action-types';

// The action SDK: an action names the platform services it needs from ONE fixed set and gets exactly
// those, injected. The worker wires the real ones (workflows/src/activities/services.ts), tests pass
// fakes; an action never imports the database, the network or the clock itself, so adding one touches
// its own folder and the registry lines only.

/** The slice of `fetch` actions use: the product's one outbound client implements it. */
export type FetchLike = (
  url: string,
  init: { method: 'POST' | 'GET'; headers: Record<string, string>; body?: string; signal?: AbortSignal },
) => Promise<{ status: number; headers?: { get(name: string): string | null }; text(): Promise<string> }>;

/** A discount code as issued: the same code for the same idempotency key, however often asked. */
export interface IssuedDiscount {
  code: string;
  kind: 'percent' | 'amount';
  value: number;
  currency: string | null;
  expiresAt: string | null;
}

/** A product suggested from the workspace's order history. */
export interface RecommendedProduct {
  title: string;
  sku: string;
  url: string | null;
  imageUrl: string | null;
  price: number | null;
}

/** Every service an action may ask for. Scoped to the run's workspace (and run) before it is handed over. */
export interface ActionServices {
  /** The workspace's encrypted secrets by name, read at each call: a rotated secret counts at once, a deleted one is null. */
  secrets: { get(name: string): Promise<string | null> };
  /** The product's outbound HTTP client: public https destinations only, no redirects. */
  http: { fetch: FetchLike; hmacSha256(key: Uint8Array, data: Uint8Array): Promise<Uint8Array> };
  /** Workflow time of this attempt (consistent under time-skipping tests). */
  clock: { now(): Date };
  /** The worker's structured log, tagged with the run and step. */
  log: {
    info(message: string, meta?: Record<string, unknown>): void;
    warn(message: string, meta?: Record<string, unknown>): void;
  };
  /**
   * Memory of this run that survives retries and worker crashes: `once(key, make)` stores what `make`
   * returns the first time and returns that value ever after (first writer wins under races).
   */
  store: { once<T extends Json>(key: string, make: () => Promise<T>): Promise<T> };
  /** Messages through the workspace's channels: consent, quiet hours, suppression, exactly once. */
  messages: SendDeps;
  /** Changes to the run's customer. */
  customers: {
    update(request: {
      customerId: string;
      setAttributes: Array<{ key: string; value: Json }>;
      addTags: string[];
      removeTags: string[];
    }): Promise<{ changed: boolean }>;
    /**
     * Records an event on the customer (stored with its routing outbox row, like an ingested one); the
     * same `id` again records nothing. Absent where events cannot be recorded (some tests).
     */
    recordEvent?(request: {
      id: string;
      customerId: string;
      type: string;
      properties: Record<string, Json>;
    }): Promise<{ recorded: boolean }>;
  };
  /** Discount codes issued by the workspace (one per idempotency key). */
  discounts: {
    create(request: {
      idempotencyKey: string;
      customerId: string;
      runId: string;
      journeyId: string;
      stepId: string;
      kind: 'percent' | 'amount';
      value: number;
      currency: string | null;
      expiresAt: Date | null;
      prefix: string;
    }): Promise<IssuedDiscount>;
  };
  /** Products from the workspace's own order history. */
  catalog: {
    recommend(request: {
      customerId: string;
      orderId: string | null;
      skus: string[];
      limit: number;
    }): Promise<RecommendedProduct[]>;
  };
}

/** Name of one service. */
export type ServiceName = keyof ActionServices;

/** The fixed set, in documentation order. */
export const SERVICE_NAMES = [
  'secrets',
  'http',
  'clock',
  'log',
  'store',
  'messages',
  'customers',
  'discounts',
  'catalog',
] as const satisfies readonly ServiceName[];

/** An action implementation: what the registry holds and the worker runs. */
export interface ActionRuntime<S extends ServiceName = ServiceName> {
  readonly key: string;
  readonly services: readonly S[];
  run(input: unknown, ctx: ActionContext, services: Pick<ActionServices, S>): Promise<ActionResult>;
}

/**
 * Defines an action: its key, the schema of its step input (checked before `run`; a mismatch fails the
 * step for good with `input.invalid`) and the services it needs.
 */
export function defineAction<const K extends string, I extends z.ZodType, const S extends ServiceName>(def: {
  key: K;
  input: I;
  services: readonly S[];
  run(input: z.output<I>, ctx: ActionContext, services: Pick<ActionServices, S>): Promise<ActionResult>;
}): ActionRuntime<S> & { readonly key: K } {
  return Object.freeze({
    key: def.key,
    services: def.services,
    async run(input: unknown, ctx: ActionContext, services: Pick<ActionServices, S>) {
      const parsed = def.input.safeParse(input);
      if (!parsed.success) throw new ActionError('input.invalid', parsed.error.message, false);
      return def.run(parsed.data, ctx, services);
    },
  });
}

/** Only the services an action asked for (a missing one is a wiring bug, reported clearly). */
export function pickServices<S extends ServiceName>(
  all: Partial<ActionServices>,
  names: readonly S[],
): Pick<ActionServices, S> {
  const out = {} as Pick<ActionServices, S>;
  for (const name of names) {
    const service = all[name];
    if (!service)
      throw new ActionError('action.no_service', `Service "${name}" is not available here`, false);
    (out as Record<string, unknown>)[name] = service;
  }
  return out;
}
