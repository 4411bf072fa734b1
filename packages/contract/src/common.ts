import { Json } from '@hourglass/journey';
import { z } from 'zod';

/** Body of every 4xx/5xx answer: `code` is stable (clients switch on it), `field` names the input at fault. */
export const ApiErrorBody = z.object({
  code: z.string(),
  message: z.string(),
  field: z.string().optional(),
  diagnostics: z.array(z.unknown()).optional(),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;

/** A timestamp: a Date on the server, an ISO string on the wire, a Date again in the client. */
export const Timestamp = z.coerce.date();
export type Timestamp = z.infer<typeof Timestamp>;

/** Every date the API takes lies in this range, both ends included (UTC): PostgreSQL has no year 0, and far dates are typos. */
export const DATE_RANGE = { min: '1900-01-01', max: '2200-01-01' } as const;

const [MIN_MS, MAX_MS] = [DATE_RANGE.min, DATE_RANGE.max].map((d) => Date.parse(`${d}T00:00:00Z`)) as [
  number,
  number,
];
const inDateRange = (ms: number) => ms >= MIN_MS && ms <= MAX_MS;
const inRangeMessage = `between ${DATE_RANGE.min} and ${DATE_RANGE.max}`;

/** An ISO 8601 timestamp with an offset ("2025-06-10T16:00:00Z"): a real day, inside DATE_RANGE. Stays a string. */
export const Instant = z.iso
  .datetime({ offset: true })
  .refine((s) => inDateRange(Date.parse(s)), `a timestamp ${inRangeMessage}`);
export type Instant = z.infer<typeof Instant>;

/** An ISO calendar date ("1990-04-12", e.g. a birthday): a real day, inside DATE_RANGE. Stays a string. */
export const CalendarDate = z.iso
  .date()
  .refine((s) => inDateRange(Date.parse(`${s}T00:00:00Z`)), `a date ${inRangeMessage}`);
export type CalendarDate = z.infer<typeof CalendarDate>;

/** A database id. */
export const Uuid = z.uuid();

/** `:id` route parameter. */
export const IdParams = z.object({ id: Uuid });
export type IdParams = z.infer<typeof IdParams>;

/** Paging of list endpoints. */
export const Paging = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type Paging = z.infer<typeof Paging>;

/** Plain JSON object (attributes, properties). */
export const JsonObject = z.record(z.string().max(200), Json);
export type JsonObject = z.infer<typeof JsonObject>;

/**
 * A request body the caller may leave out (no body, no content type): Fastify hands a missing body to the
 * validator as null, which an `.optional()` schema refuses.
 */
export function optionalBody<T extends z.ZodType>(schema: T) {
  return z.preprocess((body) => body ?? undefined, schema.optional());
}

/** Response of operations with nothing else to say. */
export const Ok = z.object({ ok: z.literal(true) });
export type Ok = z.infer<typeof Ok>;

/** Error responses every authenticated route may give. */
export const errorResponses = {
  400: ApiErrorBody,
  401: ApiErrorBody,
  403: ApiErrorBody,
  404: ApiErrorBody,
  409: ApiErrorBody,
  413: ApiErrorBody,
  422: ApiErrorBody,
  429: ApiErrorBody,
} as const;
