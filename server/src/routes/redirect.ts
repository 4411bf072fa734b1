import { type ChannelsConfig, recordTrackedClick, trackedLink, verifyLinkToken } from '@hourglass/channels';
import { type Db, getAttributedMessage } from '@hourglass/db';
import type { FastifyInstance } from 'fastify';

/** What the click redirect needs. */
export interface RedirectDeps {
  db: Db;
  channels: ChannelsConfig;
}

const notFound = { code: 'link_not_found', message: 'This link is not valid or has expired' };

/**
 * `GET /r/<token>`: the short redirect every tracked link of a message goes through. A valid token
 * records the click and answers 302 to the link the message contained, in one round trip; a forged,
 * expired or out-of-range token is a 404 and records nothing. Link previews, bots, HEAD requests and
 * requests within a second of delivery are recorded flagged and redirected, but are no human click.
 */
export async function redirectRoutes(app: FastifyInstance, deps: RedirectDeps) {
  const { db, channels } = deps;
  app.route<{ Params: { token: string } }>({
    method: ['GET', 'HEAD'],
    url: '/r/:token',
    exposeHeadRoute: false,
    // A link a customer follows, not an API operation (like the web app's pages): not in the API docs.
    schema: { hide: true },
    handler: async (request, reply) => {
      const claim = verifyLinkToken(channels.secretKey, request.params.token);
      const found = claim ? await getAttributedMessage(db, claim.messageId) : null;
      const now = new Date();
      const url = claim && trackedLink(found, claim.index, now, channels.linkTtlDays);
      if (!claim || !found || !url) return reply.status(404).send(notFound);
      await recordTrackedClick(db, found, claim.index, url, {
        method: request.method,
        userAgent: request.headers['user-agent'],
        now,
      });
      // A redirect answer must not be cached: every click has to reach us.
      return reply
        .header('cache-control', 'no-store')
        .header('referrer-policy', 'no-referrer')
        .redirect(url, 302);
    },
  });
}
