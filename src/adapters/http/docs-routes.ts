// API documentation: the OpenAPI document, a Redoc page rendering it (Redoc's bundle served from the
// installed package, no CDN), and the JSON Schema of the channel configuration.
import { readFile } from 'node:fs/promises';
import Router from '@koa/router';
import { qliroChannelConfigurationJsonSchema } from '../norce/channel-configuration-codec';
import { openApiDocument } from './openapi-document';

/** The page loads nothing from elsewhere: Redoc's footer logo from its CDN is blocked and hidden. */
const REDOC_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "frame-ancestors 'none'",
].join('; ');

// Relative URLs, so the page also works behind a proxy that mounts the adapter under a path prefix.
const REDOC_PAGE = `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${openApiDocument.info.title}</title>
    <link rel="icon" href="data:,">
    <style>
      body { margin: 0; padding: 0; }
      img[src^="https://"] { display: none; }
    </style>
  </head>
  <body>
    <redoc spec-url="openapi.json"></redoc>
    <script src="redoc.standalone.js"></script>
  </body>
</html>
`;

let redocBundle: Promise<Buffer> | undefined;
const loadRedocBundle = (): Promise<Buffer> => {
  redocBundle ??= readFile(require.resolve('redoc/bundles/redoc.standalone.js')).catch((e: unknown) => {
    redocBundle = undefined;
    throw e;
  });
  return redocBundle;
};

export function docsRoutes(): Router {
  const router = new Router();
  const documentJson = JSON.stringify(openApiDocument);
  const schemaJson = JSON.stringify(qliroChannelConfigurationJsonSchema);

  router.get('/docs/v1/openapi.json', (ctx) => {
    ctx.type = 'application/json; charset=utf-8';
    ctx.body = documentJson;
  });
  router.get('/docs/v1/index.html', (ctx) => {
    ctx.type = 'text/html; charset=utf-8';
    ctx.set('Content-Security-Policy', REDOC_CSP);
    ctx.body = REDOC_PAGE;
  });
  router.get('/docs/v1/redoc.standalone.js', async (ctx) => {
    ctx.type = 'application/javascript; charset=utf-8';
    ctx.set('Cache-Control', 'public, max-age=86400');
    ctx.body = await loadRedocBundle();
  });
  router.get(['/docs', '/docs/', '/docs/v1', '/docs/v1/'], (ctx) => {
    ctx.redirect('/docs/v1/index.html');
  });
  router.get('/openapi/v1/schemas/qliro_checkout_adapter.json', (ctx) => {
    ctx.type = 'application/schema+json; charset=utf-8';
    ctx.body = schemaJson;
  });
  return router;
}
