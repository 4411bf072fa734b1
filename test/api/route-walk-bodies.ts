import type { Kind, WorkspaceData } from './route-walk-fixtures';

// What the route walk puts in a request besides its path: a body sampled from the OpenAPI document
// has its fields filled by name, so that each route's handler is reached (not stopped at validation)
// and every id it is given is the target workspace's.

/** Body and query fields that name a resource by id (filled with the target workspace's). */
export const ID_FIELDS: Record<string, Kind> = {
  journeyId: 'journey',
  segmentId: 'segment',
  customerId: 'customer',
  runId: 'run',
  messageId: 'message',
  userId: 'member',
  invitationId: 'invitation',
};

/** What a field naming a resource gets: the target's. */
export const idValues = (target: WorkspaceData): Record<string, string> =>
  Object.fromEntries(Object.entries(ID_FIELDS).map(([field, kind]) => [field, target.ids[kind]]));

/** What a query parameter naming a resource gets (a customer also by its external id). */
export const queryValues = (target: WorkspaceData): Record<string, string> => ({
  ...idValues(target),
  externalId: target.customerExternalId,
});

/** What a field of a sampled body gets, by its name: the target's ids, and values a route accepts. */
export function fieldValues(target: WorkspaceData): Record<string, unknown> {
  return {
    ...idValues(target),
    password: 'correct horse',
    currentPassword: 'correct horse',
    newPassword: 'correct horse',
    // A role anyone who manages members may give (only owners grant `owner`, the sampler's first pick).
    role: 'viewer',
    // The sampler cannot write a rule (it would give `{ all: [null] }`); this one matches everyone.
    rule: { all: [] },
    reason: 'route walk',
    to: 'walk@example.com',
    // Never the workspace's name: deleting the workspace is walked, but never done.
    confirm: 'not the name of any workspace',
    // A store connection the walk can make (its API calls then fail, as no such shop answers).
    shopDomain: 'route-walk.myshopify.com',
    clientSecret: 'shpss_route_walk',
    accessToken: 'shpat_route_walk',
  };
}

/** The sampler's stand-in for any text. */
const SAMPLE_TEXT = 'string';

/** What a text field the sampler left as a stand-in gets, by its name (a consent's `email` is no address). */
export const texts = (email: string): Record<string, string> => ({
  email,
  phone: '+15550100000',
  timezone: 'Europe/Paris',
  locale: 'en-US',
  currency: 'USD',
});

/** A sampled body with its fields filled by name. */
export function fill(value: unknown, fields: Record<string, unknown>, text: Record<string, string>): unknown {
  if (Array.isArray(value)) return value.map((v) => fill(v, fields, text));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      k in fields ? fields[k] : v === SAMPLE_TEXT && k in text ? text[k] : fill(v, fields, text),
    ]),
  );
}
