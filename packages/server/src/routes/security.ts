import type { Context } from 'hono';
import type { RouteModule } from '../http/router.js';
import type { AppEnv } from '../http/types.js';
import { requireFeatures } from './audit.js';
import { buildSecurityPage, buildSecurityTxt } from './security-txt.js';

function origin(c: Context<AppEnv>): string {
  return new URL(c.req.url).origin;
}

/** `/.well-known/security.txt` (RFC 9116) and the `/security` disclosure policy page. */
export const securityRoutes: RouteModule = {
  name: 'security',
  register(router) {
    router.add(
      {
        method: 'get',
        path: '/.well-known/security.txt',
        summary: 'Security contacts per RFC 9116 (Expires is computed from now, never in the past)',
        tag: 'meta',
        auth: { kind: 'public' },
        contentType: 'text/plain',
        responses: { 200: { description: 'security.txt' } },
      },
      (c) => {
        c.header('Cache-Control', 'public, max-age=3600');
        c.header('Content-Type', 'text/plain; charset=utf-8');
        return c.body(
          buildSecurityTxt(requireFeatures(c).config.securityTxt, {
            now: new Date(),
            origin: origin(c),
          }),
        );
      },
    );
    router.add(
      {
        method: 'get',
        path: '/security',
        summary: 'The vulnerability disclosure policy (HTML)',
        tag: 'meta',
        auth: { kind: 'public' },
        contentType: 'text/html',
        responses: { 200: { description: 'The policy page' } },
      },
      (c) => {
        return c.html(
          buildSecurityPage(requireFeatures(c).config.securityTxt, { origin: origin(c) }),
        );
      },
    );
  },
};
