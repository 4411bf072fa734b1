import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** Serves the built web app, with index.html for client-side routes. */
export async function serveWeb(app: FastifyInstance, dist: string) {
  const index = path.join(dist, 'index.html');
  if (!fs.existsSync(index)) {
    app.log.warn(`web app not built (${index} missing): run the build, or npm start`);
    return;
  }
  await app.register(fastifyStatic, { root: dist, wildcard: false });
  // The web app's own routes, not part of the API document.
  app.get('/*', { schema: { hide: true } }, (request, reply) => {
    const url = request.url.split('?')[0] ?? '/';
    if (url.startsWith('/v1/') || url.startsWith('/api/')) {
      return reply.status(404).send({ code: 'not_found', message: `No route ${request.method} ${url}` });
    }
    return reply.sendFile('index.html');
  });
}
