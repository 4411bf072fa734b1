// @hourglass/contract: zod schemas of the HTTP API, shared by the server (validation, OpenAPI) and the web app.
export * from './access';
export * from './account';
export * from './analytics';
export * from './audience';
export * from './channels';
export * from './common';
export * from './customers';
export * from './events';
export * from './journeys';
export * from './nodes';
export * from './openapi';
export * from './secrets';
export * from './segments';
export * from './shopify';
export * from './support';
export * from './team';
export * from './webhooks';
