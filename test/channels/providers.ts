import type { AddressInfo } from 'node:net';
import type { ChannelsConfig } from '@hourglass/channels';
import { freshDatabase, type TestDatabase } from '@hourglass/db/testing';
import { webhookRoutes } from '@hourglass/server';
import Fastify, { type FastifyInstance } from 'fastify';
import { type Emulator, startEmulator } from '../emulator/server';
import { testConfig } from './helpers';

// The provider side of a test in one place: the emulator that speaks Resend's and Twilio's HTTP APIs,
// a channels config that points the real SDKs at it, and our webhook routes on a real port for the
// emulator's signed callbacks (Twilio signs the public URL it calls, so that port becomes the
// config's public URL).

/** The emulator and a channels config whose Resend and Twilio SDKs talk to it. */
export interface Providers {
  emu: Emulator;
  config: ChannelsConfig;
  close(): Promise<void>;
}

/** Starts the emulator; `overrides` adjust the channels config pointed at it. */
export async function startProviders(overrides: Partial<ChannelsConfig> = {}): Promise<Providers> {
  const emu = await startEmulator();
  return { emu, config: testConfig(emu.url, overrides), close: () => emu.close() };
}

/** Serves `app` on a local port and makes that the config's public URL (links, callbacks, signatures). */
export async function listenAsPublicUrl(app: FastifyInstance, config: ChannelsConfig): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  config.publicUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return config.publicUrl;
}

/** A fresh database, the providers, and our provider webhook routes alone, listening at the public URL. */
export interface WebhookEnv extends Providers {
  t: TestDatabase;
  app: FastifyInstance;
  /** The public URL the webhook routes answer on. */
  base: string;
}

export async function webhookEnv(label: string): Promise<WebhookEnv> {
  const t = await freshDatabase(label);
  const providers = await startProviders();
  const app = Fastify();
  await app.register(async (scope) => webhookRoutes(scope, { db: t.db, channels: providers.config }));
  const base = await listenAsPublicUrl(app, providers.config);
  return {
    ...providers,
    t,
    app,
    base,
    async close() {
      await app.close();
      await providers.close();
      await t.drop();
    },
  };
}
