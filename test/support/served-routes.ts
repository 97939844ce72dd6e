// Every (method, path template) the app's routers serve, read from their stacks: routes added later are included.
import type Router from '@koa/router';

export function servedRoutes(app: { middleware: unknown[] }): { method: string; path: string }[] {
  const routers = app.middleware.flatMap((mw) => ((mw as { router?: Router }).router ? [(mw as { router: Router }).router] : []));
  const seen = new Set<string>();
  return routers.flatMap((router) =>
    router.stack.flatMap((layer) =>
      typeof layer.path !== 'string'
        ? []
        : layer.methods
            .filter((m) => m !== 'HEAD')
            .flatMap((method) => {
              const key = `${method} ${layer.path}`;
              if (seen.has(key)) return [];
              seen.add(key);
              return [{ method, path: layer.path as string }];
            }),
    ),
  );
}
