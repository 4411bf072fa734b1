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
export const JsonObject = z.record(z.string().max(200), z.json());
export type JsonObject = z.infer<typeof JsonObject>;

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
