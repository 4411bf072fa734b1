import { z } from 'zod';
import { Role } from './access';
import { Timestamp, Uuid } from './common';
import { TimeZone } from './events';

// Workspaces, their members and invitations by email.

const WorkspaceName = z.string().trim().min(1).max(100);
const EMAIL = /^[^@\s<>"]+@[^@\s<>"]+\.[^@\s<>"]+$/;

/** `POST /v1/workspaces`: a new workspace; the signed-in user who creates it becomes its owner. */
export const WorkspaceCreateBody = z.object({
  name: WorkspaceName,
  /** The brand's IANA time zone (default UTC). */
  timezone: TimeZone.optional(),
  /** The brand name templates show (`brand.name`); default: the workspace name. */
  brandName: z.string().trim().max(200).optional(),
});
export type WorkspaceCreateBody = z.infer<typeof WorkspaceCreateBody>;

/** `PATCH /v1/workspace` (owners). */
export const WorkspaceRenameBody = z.object({ name: WorkspaceName });
export type WorkspaceRenameBody = z.infer<typeof WorkspaceRenameBody>;

/** `DELETE /v1/workspace` (owners): `confirm` must be the workspace's exact name. */
export const WorkspaceDeleteBody = z.object({
  confirm: z.string().max(200).describe("The workspace's exact name, as confirmation"),
});
export type WorkspaceDeleteBody = z.infer<typeof WorkspaceDeleteBody>;

/** A workspace as created or renamed, with the caller's role in it. */
export const Workspace = z.object({
  id: Uuid,
  name: z.string(),
  slug: z.string(),
  role: Role.nullable(),
  timezone: z.string(),
  brandName: z.string(),
  createdAt: Timestamp,
});
export type Workspace = z.infer<typeof Workspace>;

/** `GET /v1/members` item. */
export const Member = z.object({
  userId: Uuid,
  email: z.string(),
  name: z.string(),
  role: Role,
  joinedAt: Timestamp,
});
export type Member = z.infer<typeof Member>;

/** `:userId` route parameter. */
export const MemberParams = z.object({ userId: Uuid });
export type MemberParams = z.infer<typeof MemberParams>;

/** `PATCH /v1/members/:userId`. */
export const MemberRoleBody = z.object({ role: Role });
export type MemberRoleBody = z.infer<typeof MemberRoleBody>;

/** Where an invitation stands. */
export const InvitationStatus = z.enum(['pending', 'accepted', 'revoked', 'expired']);
export type InvitationStatus = z.infer<typeof InvitationStatus>;

/** `POST /v1/invitations`. */
export const InvitationCreateBody = z.object({
  email: z.string().trim().toLowerCase().max(320).regex(EMAIL, 'an email address'),
  role: Role,
});
export type InvitationCreateBody = z.infer<typeof InvitationCreateBody>;

/** An invitation as listed (never its token). */
export const Invitation = z.object({
  id: Uuid,
  email: z.string(),
  role: Role,
  status: InvitationStatus,
  /** Email of who invited (null once that account is gone). */
  invitedBy: z.string().nullable(),
  createdAt: Timestamp,
  expiresAt: Timestamp,
  acceptedAt: Timestamp.nullable(),
  revokedAt: Timestamp.nullable(),
});
export type Invitation = z.infer<typeof Invitation>;

/** A new invitation: `link` is shown this once (it was also emailed); `delivery` says where the email went. */
export const InvitationCreated = Invitation.extend({
  link: z.string(),
  delivery: z.object({
    /** `outbox`: no email provider is configured, the link was only recorded; share it yourself. */
    provider: z.string(),
    status: z.enum(['sent', 'failed']),
  }),
});
export type InvitationCreated = z.infer<typeof InvitationCreated>;

const Token = z.string().max(200).describe('The token of the invitation link');

/** `GET /v1/invitations/lookup?token=`. */
export const InvitationLookupQuery = z.object({ token: Token });
export type InvitationLookupQuery = z.infer<typeof InvitationLookupQuery>;

/** What an invitation link is for, shown before accepting. */
export const InvitationLookup = z.object({
  workspaceName: z.string(),
  email: z.string(),
  role: Role,
  /** The invited email already has an account: accepting asks for its password. */
  accountExists: z.boolean(),
  expiresAt: Timestamp,
});
export type InvitationLookup = z.infer<typeof InvitationLookup>;

/**
 * `POST /v1/invitations/accept`: a new account needs `name` and `password`; an existing one its
 * `password` (or a session of that same user).
 */
export const InvitationAcceptBody = z.object({
  token: Token,
  name: z.string().trim().min(1).max(200).optional(),
  password: z.string().max(1000).optional(),
});
export type InvitationAcceptBody = z.infer<typeof InvitationAcceptBody>;

/** `DELETE /v1/workspace`: what was stopped before the data went. */
export const WorkspaceDeleted = z.object({
  ok: z.literal(true),
  journeys: z.number().int(),
  /** Runs in flight told to end (they record `cancelled`, reason `archived`). */
  signalled: z.number().int(),
  /** Runs that had not ended within the wait and were terminated. */
  terminated: z.number().int(),
});
export type WorkspaceDeleted = z.infer<typeof WorkspaceDeleted>;
