import { randomBytes } from 'node:crypto';
import {
  countWorkspaces,
  createApiKey,
  createJourney,
  createUser,
  createWorkspace,
  type Db,
  ingestEvent,
  setMembership,
} from '@hourglass/db';
import { templates } from '@hourglass/nodes';
import { hash } from '@node-rs/argon2';
import { newApiKey, sha256 } from '../plugins/auth';
import { toIngestInput } from '../services/ingest';
import { sampleEvents } from './sample-data';

/** What a first start created; secrets are returned once so the caller can print them. */
export type BootstrapResult = { workspaceId: string; email: string; password: string; apiKey: string };

/**
 * On an empty database: a "Demo" workspace, its owner, an API key with every scope, sample customers and
 * orders, and the journey templates as drafts — all in one transaction. HOURGLASS_BOOTSTRAP_EMAIL /
 * _PASSWORD / _API_KEY make the credentials deterministic. Returns null when the database has data.
 */
export async function bootstrap(
  db: Db,
  env: NodeJS.ProcessEnv = process.env,
): Promise<BootstrapResult | null> {
  if ((await countWorkspaces(db)) > 0) return null;
  const email = (env.HOURGLASS_BOOTSTRAP_EMAIL ?? 'owner@demo.hourglass.local').trim().toLowerCase();
  const password = env.HOURGLASS_BOOTSTRAP_PASSWORD ?? randomBytes(12).toString('base64url');
  const generated = newApiKey();
  const apiKey = env.HOURGLASS_BOOTSTRAP_API_KEY ?? generated.key;
  const passwordHash = await hash(password);
  try {
    const workspaceId = await db.transaction(async (tx) => {
      const workspace = await createWorkspace(tx, {
        name: 'Demo',
        slug: 'demo',
        settings: {
          brand: {
            name: 'Demo Outfitters',
            color: '#111827',
            logoUrl: null,
            address: '1 Demo Street',
            supportEmail: 'support@demo.example',
          },
          // The seed templates' review and reorder links point somewhere from the first preview on.
          links: {
            reviewUrl: 'https://demo-outfitters.example/review/{order.number}',
            reorderUrl: 'https://demo-outfitters.example/reorder?sku={sku}',
            statusUrl: 'https://demo-outfitters.example/orders/{order.number}',
          },
        },
      });
      const user = await createUser(tx, { email, passwordHash, name: 'Demo owner' });
      await setMembership(tx, workspace.id, user.id, 'owner');
      await createApiKey(tx, workspace.id, {
        name: 'Bootstrap admin key',
        prefix: apiKey.slice(0, 10),
        keyHash: sha256(apiKey),
        scopes: ['ingest', 'read', 'write', 'support', 'admin'],
        createdBy: user.id,
      });
      for (const event of sampleEvents()) await ingestEvent(tx, workspace.id, toIngestInput(event));
      for (const t of templates) {
        await createJourney(tx, workspace.id, {
          name: t.name,
          description: t.description,
          draftGraph: t.graph,
          templateKey: t.id,
          createdBy: user.id,
        });
      }
      return workspace.id;
    });
    return { workspaceId, email, password, apiKey };
  } catch (err) {
    // Another process bootstrapped at the same moment (unique slug): its data stands.
    if ((await countWorkspaces(db)) > 0) return null;
    throw err;
  }
}
