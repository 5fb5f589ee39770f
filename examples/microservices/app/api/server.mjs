// api: the JSON API the web frontend calls. Each /api/visit counts a visit in
// the store and answers with the greeting from its ConfigMap. v2 (image tag 2,
// APP_VERSION=2) also reports the visit count's parity — a visible change to
// watch during a rolling update.
import { call, bearer, env, log, secretFile, sendJson, serve, POD } from '../lib/service.mjs';

const port = Number(env('PORT', '8080'));
const version = env('APP_VERSION', '1');
const greeting = env('GREETING', 'Hello');
const storeUrl = env('STORE_URL', 'http://store');
const secrets = env('SECRETS_DIR', '/etc/shop/secrets');

let storeSeen = false;

serve({
  port,
  // Ready once the store has answered once: before that every request would fail.
  async ready() {
    if (storeSeen) return true;
    try {
      await call(`${storeUrl}/keys`, { token: secretFile(secrets, 'store-token'), timeoutMs: 1000 });
      storeSeen = true;
      log('store reachable', { storeUrl });
    } catch (err) {
      log('store not reachable yet', { storeUrl, error: String(err.message) });
    }
    return storeSeen;
  },
  async handler(req, res, path) {
    if (path === '/api/visit' && req.method === 'POST') {
      // Only the frontend may count visits; /api/work and /api/version are public.
      if (bearer(req) !== secretFile(secrets, 'api-token')) return sendJson(res, 401, { error: 'bad or missing api token' });
      const counted = await call(`${storeUrl}/incr/visits`, { method: 'POST', token: secretFile(secrets, 'store-token') });
      const body = { version, pod: POD, greeting, visits: counted.value, store: { name: counted.store, pod: counted.pod } };
      if (version !== '1') body.parity = counted.value % 2 === 0 ? 'even' : 'odd';
      return sendJson(res, 200, body);
    }
    if (path === '/api/work') {
      // Burns CPU for ?ms= milliseconds: load for the HorizontalPodAutoscaler.
      const ms = Math.min(Number(new URL(req.url, 'http://x').searchParams.get('ms') ?? '50'), 1000);
      const end = Date.now() + ms;
      let x = 0;
      while (Date.now() < end) x += Math.sqrt(x + 1);
      return sendJson(res, 200, { version, pod: POD, busyMs: ms });
    }
    if (path === '/api/version') return sendJson(res, 200, { version, pod: POD });
    return sendJson(res, 404, { error: `no route ${req.method} ${path}` });
  },
});
