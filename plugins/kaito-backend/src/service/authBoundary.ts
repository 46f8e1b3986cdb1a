import {
  HttpAuthService,
  HttpRouterServiceAuthPolicy,
} from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';

/**
 * Backstage's credentials barrier runs before a plugin's router, so the 401s
 * it produces come out of Backstage's error handler in Backstage's shape
 * (with a stack trace in development), which this plugin cannot change. The
 * plugin's route prefixes are therefore let through the barrier, and
 * {@link requireCredentials} asks the same `httpAuth` service for the same
 * credentials as the first thing the kaito router does; its 401 goes through
 * the kaito error handler. Any other path under `/api/kaito` stays behind
 * Backstage's barrier (so routes another service may add to this plugin,
 * such as `/.backstage/...`, keep Backstage's default protection).
 */
export const KAITO_AUTH_POLICIES: HttpRouterServiceAuthPolicy[] = [
  { path: '/health', allow: 'unauthenticated' },
  { path: '/workspaces', allow: 'unauthenticated' },
  { path: '/entity', allow: 'unauthenticated' },
  { path: '/catalog', allow: 'unauthenticated' },
];

const PUBLIC_PATHS = new Set(['/health']);

/**
 * Requires user or service credentials on every request except
 * `/health`; `cookiePaths` (GET routes a browser EventSource opens) also
 * accept the Backstage user cookie.
 */
export function requireCredentials(
  httpAuth: HttpAuthService,
  cookiePaths: string[],
): express.Router {
  const router = Router();
  const authenticated = new WeakSet<express.Request>();
  for (const path of cookiePaths) {
    router.get(path, async req => {
      await httpAuth.credentials(req, {
        allow: ['user', 'service'],
        allowLimitedAccess: true,
      });
      authenticated.add(req);
      return 'next';
    });
  }
  router.use(async req => {
    if (!authenticated.has(req) && !PUBLIC_PATHS.has(req.path)) {
      await httpAuth.credentials(req, { allow: ['user', 'service'] });
    }
    return 'next';
  });
  return router;
}
