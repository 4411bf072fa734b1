import { ApiErrorBody } from '@hourglass/contract';
import type { z } from 'zod';

/** An API error with the stable `code` the server sent (see ApiErrorBody). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
  ) {
    super(body.message);
  }
}

// The CSRF token comes with /v1/auth/me and login; cookie-authenticated writes echo it back.
let csrfToken: string | null = null;

/** Remembers the CSRF token of the current session. */
export function setCsrfToken(token: string | null) {
  csrfToken = token;
}

// Sessions pick their workspace per request with x-workspace-id (the server defaults to the first one).
const WORKSPACE_KEY = 'hourglass.workspace';

/** Chooses the workspace sent with every request (null = the server's default). */
export function setWorkspaceId(id: string | null) {
  if (id) localStorage.setItem(WORKSPACE_KEY, id);
  else localStorage.removeItem(WORKSPACE_KEY);
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** Calls the API and parses the answer with a contract schema. */
export async function api<S extends z.ZodType>(
  method: Method,
  path: string,
  schema: S,
  body?: unknown,
): Promise<z.output<S>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const workspace = localStorage.getItem(WORKSPACE_KEY);
  if (workspace) headers['x-workspace-id'] = workspace;
  const res = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const json: unknown = text ? JSON.parse(text) : null;
  if (!res.ok) {
    const parsed = ApiErrorBody.safeParse(json);
    throw new ApiError(
      res.status,
      parsed.success
        ? parsed.data
        : { code: `http_${res.status}`, message: res.statusText || 'Request failed' },
    );
  }
  return schema.parse(json);
}

/** Accepts a list answer as a bare array or as `{ items: [...] }` (both shapes are in use). */
export function unwrapList(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (value && typeof value === 'object' && Array.isArray((value as { items?: unknown }).items)) {
    return (value as { items: unknown[] }).items;
  }
  return [];
}
