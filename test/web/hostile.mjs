// hostile.mjs: requests a browser would never send, for the "web" tier.
// Raw TCP, so that nothing between us and the service tidies them up:
// oversized and malformed bodies, path traversal in ids, tokens and kids,
// unknown methods, oversized headers, garbage, slow clients.  Each must get
// a clean 4xx (never a 5xx, never a hang), and the service must keep
// serving (a health check and a JWKS fetch after each group, and during the
// slow clients).
//
//   node hostile.mjs config.json
//
// config.json: {"port", "linkPath", "issPath", "id" (a real manifest id),
//   "kid" (a real kid), "headersTimeoutMs", "requestTimeoutMs", "maxBodyBytes"}
import net from 'node:net';
import { readFileSync } from 'node:fs';

const cfg = JSON.parse(readFileSync(process.argv[2], 'utf8'));
let n = 0, failed = 0;
function check(cond, what) {
  n++;
  if (!cond) failed++;
  console.log(`${cond ? 'ok' : 'not ok'} ${n} - ${what}`);
  return cond;
}

// Send the parts (strings or Buffers, with optional delays between them);
// resolve to {status, headers text, body, ms, closed} when the service
// closes the connection or after `wait` ms.
function raw(parts, { wait = 10000, gapMs = 0 } = {}) {
  return new Promise((resolve) => {
    const started = Date.now();
    const sock = net.connect(cfg.port, '127.0.0.1');
    let data = Buffer.alloc(0);
    let finished = false;
    const finish = (closed) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      sock.destroy();
      const text = data.toString('latin1');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(text);
      const split = text.indexOf('\r\n\r\n');
      resolve({ status: m ? Number(m[1]) : 0, head: split >= 0 ? text.slice(0, split) : text,
        body: split >= 0 ? text.slice(split + 4) : '', ms: Date.now() - started, closed });
    };
    const timer = setTimeout(() => finish(false), wait);
    sock.on('data', (d) => {
      data = Buffer.concat([data, d]);
      // a whole answer (by its Content-Length) is enough
      const t = data.toString('latin1');
      const split = t.indexOf('\r\n\r\n');
      const len = /\r\ncontent-length: *(\d+)/i.exec(t.slice(0, split));
      if (split >= 0 && len && data.length >= split + 4 + Number(len[1])) finish(false);
    });
    sock.on('end', () => finish(true));
    sock.on('close', () => finish(true));
    sock.on('error', () => finish(true));
    sock.on('connect', async () => {
      for (const p of parts) {
        if (sock.destroyed) return;
        sock.write(p);
        if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
      }
    });
  });
}

const host = `Host: 127.0.0.1:${cfg.port}\r\n`;
const get = (path, extra = '') => raw([`GET ${path} HTTP/1.1\r\n${host}${extra}Connection: close\r\n\r\n`]);
const post = (path, body, type = 'application/json', extra = '') =>
  raw([`POST ${path} HTTP/1.1\r\n${host}Content-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}Connection: close\r\n\r\n${body}`]);
const L = cfg.linkPath;
const W = `${cfg.issPath}/.well-known`;

async function stillServing(after) {
  const h = await get('/healthz');
  const j = await get(`${W}/jwks.json`);
  check(h.status === 200 && j.status === 200 && /"keys"/.test(j.body), `the service still serves after ${after} (healthz ${h.status}, jwks ${j.status})`);
}
const clean4xx = (r, want, what) =>
  check(r.status === want && r.status < 500, `${what}: ${want} (got ${r.status || 'no answer'})`);

// --- bodies ---------------------------------------------------------------------
const big = cfg.maxBodyBytes + 1;
let r = await raw([`POST ${L}/${cfg.id} HTTP/1.1\r\n${host}Content-Type: application/json\r\nContent-Length: ${10 * 1024 * 1024}\r\n\r\n{"recipient":"x",`]);
clean4xx(r, 413, 'a body announced as 10 MB is refused before it is read');
check(r.ms < 5000, `and answered at once (${r.ms} ms)`);
{
  const chunk = 'x'.repeat(4096);
  const parts = [`POST ${L}/${cfg.id} HTTP/1.1\r\n${host}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`];
  for (let i = 0; i * 4096 < big + 8192; i++) parts.push(`${(4096).toString(16)}\r\n${chunk}\r\n`);
  r = await raw(parts);
  clean4xx(r, 413, `a chunked body longer than ${cfg.maxBodyBytes} bytes (no Content-Length)`);
}
r = await post(`${L}/${cfg.id}`, '{"recipient": "x", "passcode": ');
clean4xx(r, 400, 'a body that is not JSON');
check(/application\/json/.test(r.head) && /Cache-Control: no-store/i.test(r.head) && /Access-Control-Allow-Origin: \*/i.test(r.head),
  'and its answer is JSON, no-store, with CORS');
r = await post(`${L}/${cfg.id}`, '[{"recipient": "x"}]');
clean4xx(r, 400, 'a JSON array instead of an object');
r = await post(`${L}/${cfg.id}`, '{"recipient": 42}');
clean4xx(r, 400, 'a recipient that is not a string');
r = await post(`${L}/${cfg.id}`, '{"recipient": "x", "embeddedLengthMax": -1}');
clean4xx(r, 400, 'a negative embeddedLengthMax');
r = await post(`${L}/${cfg.id}`, '{"recipient": "x"}', 'text/plain');
clean4xx(r, 415, 'a manifest request that is not application/json');
r = await post(`${L}/${cfg.id}`, '\u0000\u0001\u0002');
clean4xx(r, 400, 'binary garbage as a body');
await stillServing('the bodies');

// --- paths ------------------------------------------------------------------------
const traversal = [
  `${L}/../../../../etc/passwd`,
  `${L}/file/../../../../etc/passwd`,
  `${L}/file/..%2F..%2F..%2Fetc%2Fpasswd`,
  `${L}/%2e%2e/%2e%2e/etc/passwd`,
  `${L}/${cfg.id}/../file/${cfg.id}`,
  `${L}/${cfg.id}/`,
  `${L}/${cfg.id}x`,
  `${L}/${cfg.id.slice(0, 42)}.`,
  `${L}/file/${cfg.id}/..`,
  `${L}/file/${'%41'.repeat(43)}`,
  `${W}/crl/../../../../etc/passwd.json`,
  `${W}/crl/${cfg.kid}.json/..`,
  `${W}/crl/..%2F${cfg.kid.slice(3)}.json`,
  `${W}/../.well-known/jwks.json`,
  `${cfg.issPath}/../${cfg.issPath}/.well-known/jwks.json`,
  `/..${W}/jwks.json`,
  `//etc/passwd`,
  `http://evil.example${W}/jwks.json/../../../etc/passwd`,
];
for (const p of traversal) {
  r = await get(p);
  clean4xx(r, 404, `GET ${p.length > 70 ? p.slice(0, 67) + '...' : p}`);
}
r = await post(`${L}/../${cfg.id}`, '{"recipient":"x"}');
clean4xx(r, 404, 'POST to a manifest path with ../');
r = await get(`${L}/${cfg.id}?recipient=${'x'.repeat(1200)}`);
clean4xx(r, 400, 'a direct request with a 1,200-character recipient');
await stillServing('the paths');

// --- methods -----------------------------------------------------------------------
for (const [m, p] of [['PUT', `${L}/${cfg.id}`], ['DELETE', `${L}/${cfg.id}`], ['PATCH', `${W}/jwks.json`],
  ['POST', `${W}/jwks.json`], ['DELETE', `${L}/file/${cfg.id}`], ['TRACE', `${L}/${cfg.id}`], ['POST', '/healthz']]) {
  r = await raw([`${m} ${p} HTTP/1.1\r\n${host}Content-Length: 0\r\nConnection: close\r\n\r\n`]);
  check(r.status === 405 && /\r\nAllow: /i.test(r.head), `${m} ${p.includes('well-known') ? 'jwks.json' : p.startsWith(L + '/file') ? 'a location' : p === '/healthz' ? '/healthz' : 'a manifest'}: 405 with Allow (got ${r.status})`);
}
r = await raw([`BREW ${L}/${cfg.id} HTTP/1.1\r\n${host}Connection: close\r\n\r\n`]);
clean4xx(r, 400, 'an unknown method (BREW) is refused by the HTTP parser');
r = await raw(['\u0000\u0001\u0002 garbage\r\n\r\n']);
clean4xx(r, 400, 'a garbage request line');
r = await raw([`GET ${W}/jwks.json HTTP/1.1\r\n${host}X-Big: ${'a'.repeat(20000)}\r\n\r\n`]);
clean4xx(r, 431, 'headers of 20 kB');
await stillServing('the methods');

// --- slow clients ----------------------------------------------------------------------
// headers trickled a byte at a time: closed after headersTimeout
const trickle = `GET ${W}/jwks.json HTTP/1.1\r\n${host}X-Slow: ${'a'.repeat(200)}`.split('');
const slowHeaders = raw(trickle, { gapMs: 100, wait: cfg.headersTimeoutMs + 20000 });
// a body announced and never sent in full: closed after requestTimeout
const slowBody = raw([`POST ${L}/${cfg.id} HTTP/1.1\r\n${host}Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"recipient"`],
  { wait: cfg.requestTimeoutMs + 20000 });
// meanwhile others are served
await new Promise((res) => setTimeout(res, 500));
const t0 = Date.now();
const during = await get(`${W}/jwks.json`);
check(during.status === 200 && Date.now() - t0 < 5000, `while two slow clients hang on, a JWKS fetch is served (${Date.now() - t0} ms)`);
r = await slowHeaders;
check((r.status === 408 || (r.closed && r.status === 0)) && r.ms < cfg.headersTimeoutMs + 10000,
  `headers sent a byte every 100 ms: the connection is closed after headersTimeout (${r.status || 'closed'}, ${r.ms} ms)`);
r = await slowBody;
check((r.status === 408 || (r.closed && r.status === 0)) && r.ms < cfg.requestTimeoutMs + 10000,
  `a body that never arrives: the connection is closed after requestTimeout (${r.status || 'closed'}, ${r.ms} ms)`);
// an idle connection that never sends anything
r = await raw([], { wait: cfg.headersTimeoutMs + 20000 });
check((r.status === 408 || (r.closed && r.status === 0)) && r.ms < cfg.headersTimeoutMs + 10000, `a connection that sends nothing is closed (${r.status || 'closed'}, ${r.ms} ms)`);
await stillServing('the slow clients');

console.log(`# ${n - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
