// web: the frontend behind the NodePort. `/` renders a page and `/json` the
// same data as JSON; both come from the api, which counted the visit in the store.
import { call, env, sendJson, serve, POD } from '../lib/service.mjs';

const port = Number(env('PORT', '8080'));
const title = env('TITLE', 'Wharf shop');
const apiUrl = env('API_URL', 'http://api');
const apiToken = env('API_TOKEN');

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

serve({
  port,
  async handler(req, res, path) {
    if (path !== '/' && path !== '/json') return sendJson(res, 404, { error: `no route ${path}` });
    const api = await call(`${apiUrl}/api/visit`, { method: 'POST', token: apiToken });
    const data = { title, web: { pod: POD }, api };
    if (path === '/json') return sendJson(res, 200, data);
    const html = `<!doctype html><html><head><meta charset="utf-8"><title>${escape(title)}</title></head><body>
<h1>${escape(title)}</h1>
<p>${escape(api.greeting)} — visit number <b>${escape(api.visits)}</b>.</p>
<ul><li>web pod: ${escape(POD)}</li><li>api pod: ${escape(api.pod)} (version ${escape(api.version)})</li><li>store: ${escape(api.store.name)} on ${escape(api.store.pod)}</li></ul>
</body></html>
`;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html) });
    res.end(html);
  },
});
