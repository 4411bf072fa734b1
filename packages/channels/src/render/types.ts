import type { WorkspaceSettings } from '@hourglass/db';
import type { CustomerSnapshot, EmailBlocks } from '@hourglass/nodes';

type Json = unknown;

/** What templates can see, before it is shaped into the Liquid scope. */
export interface RenderInput {
  customer: CustomerSnapshot & { locale?: string | null };
  order: Record<string, Json> | null;
  trigger: Record<string, Json> | null;
  /** The event that ended the run's latest wait (Liquid `event`); the trigger when absent. */
  event?: Record<string, Json> | null;
  workspace: { id: string; name: string; settings: WorkspaceSettings };
  journeyId?: string | null;
  /** Outputs of the run's earlier steps by step name (Liquid `steps.<name>.<field>`). */
  steps?: Record<string, Json>;
  unsubscribeUrl?: string | null;
  now?: Date;
}

/** Email templates as stored on a send-email node. */
export interface EmailTemplate {
  subject: string;
  preheader: string;
  body: string;
  /** Blocks of an email built in the composer: compiled with MJML, then rendered (`body` is unused). */
  blocks?: EmailBlocks | undefined;
}

/** A rendered email: html is the full branded document, text the plain-text alternative. */
export interface RenderedEmail {
  subject: string;
  preheader: string;
  html: string;
  text: string;
}
