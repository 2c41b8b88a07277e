// shc-web: the issuer's web face.  A small HTTP service in front of a
// database with the shc extension that publishes, for the issuers it is
// configured for,
//
//   GET  <iss path>/.well-known/jwks.json        shc_jwks(iss)
//   GET  <iss path>/.well-known/crl/<kid>.json   shc_crl(kid) (a key of iss)
//
// and answers the three SMART Health Link requests under the link path
// (docs/health-links.md):
//
//   POST <link path>/<manifest id>                 shc_link_manifest(id, body)
//   GET  <link path>/file/<token>                  shc_link_file(token)
//   GET  <link path>/<manifest id>?recipient=..    shc_link_direct(id, recipient)
//
// plus GET /healthz.  Every request is at most one SQL call over a bounded
// pg.Pool, with its values as bind parameters; the service holds no key and
// no state but a per-client count of passcode attempts.  Settings: the
// environment or one JSON file (web/README.md, docs/web.md).
import http from 'node:http';
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync, realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import pg from 'pg';

// --- settings ------------------------------------------------------------------
const DEFAULTS = {
  listen: '127.0.0.1:8080',   // host:port (the reverse proxy talks to it)
  issuers: [],                // iss URLs: https://host/path
  linkPath: '/shl',           // the path of the links' base_url
  poolSize: 10,               // database connections at most
  poolWaitMs: 5000,           // wait for a free connection, then 503
  maxQueue: 2000,             // requests waiting for a connection, then 503
  statementTimeoutMs: 10000,
  maxBodyBytes: 16384,        // a manifest request body
  headersTimeoutMs: 10000,    // a client must send its headers within this
  requestTimeoutMs: 20000,    // and its whole request within this
  keysMaxAge: 300,            // Cache-Control max-age of jwks.json (seconds)
  crlMaxAge: 60,              // and of crl/<kid>.json
  passcodeLimit: 10,          // passcode attempts per client ...
  passcodeWindowS: 900,       // ... per window (seconds); wrong ones and pending ones count
  trustProxy: false,          // the client is the last X-Forwarded-For entry
  shutdownTimeoutMs: 10000,
  schema: 'shc',
};
const ENV = {
  listen: 'SHC_WEB_LISTEN', issuers: 'SHC_WEB_ISSUERS', linkPath: 'SHC_WEB_LINK_PATH',
  poolSize: 'SHC_WEB_POOL_SIZE', poolWaitMs: 'SHC_WEB_POOL_WAIT_MS', maxQueue: 'SHC_WEB_MAX_QUEUE',
  statementTimeoutMs: 'SHC_WEB_STATEMENT_TIMEOUT_MS', maxBodyBytes: 'SHC_WEB_MAX_BODY_BYTES',
  headersTimeoutMs: 'SHC_WEB_HEADERS_TIMEOUT_MS', requestTimeoutMs: 'SHC_WEB_REQUEST_TIMEOUT_MS',
  keysMaxAge: 'SHC_WEB_KEYS_MAX_AGE', crlMaxAge: 'SHC_WEB_CRL_MAX_AGE',
  passcodeLimit: 'SHC_WEB_PASSCODE_LIMIT', passcodeWindowS: 'SHC_WEB_PASSCODE_WINDOW_S',
  trustProxy: 'SHC_WEB_TRUST_PROXY', shutdownTimeoutMs: 'SHC_WEB_SHUTDOWN_TIMEOUT_MS',
  schema: 'SHC_WEB_SCHEMA',
};

function fail(msg) {
  process.stderr.write(`shc-web: ${msg}\n`);
  process.exit(2);
}

export function loadConfig(env = process.env) {
  const cfg = { ...DEFAULTS };
  if (env.SHC_WEB_CONFIG) {
    let file;
    try {
      file = JSON.parse(readFileSync(env.SHC_WEB_CONFIG, 'utf8'));
    } catch (e) {
      fail(`cannot read the config file ${env.SHC_WEB_CONFIG}: ${e.message}`);
    }
    for (const [k, v] of Object.entries(file)) {
      if (k === 'database') continue;
      if (!(k in DEFAULTS)) fail(`unknown setting "${k}" in ${env.SHC_WEB_CONFIG}`);
      cfg[k] = v;
    }
    cfg.database = file.database || {};
  }
  for (const [k, name] of Object.entries(ENV)) {
    if (env[name] === undefined || env[name] === '') continue;
    const v = env[name];
    if (k === 'issuers') cfg[k] = v.split(/[\s,]+/).filter(Boolean);
    else if (k === 'trustProxy') cfg[k] = /^(1|true|yes|on)$/i.test(v);
    else if (typeof DEFAULTS[k] === 'number') cfg[k] = Number(v);
    else cfg[k] = v;
  }
  for (const k of Object.keys(DEFAULTS)) {
    if (typeof DEFAULTS[k] === 'number' && !(Number.isInteger(cfg[k]) && cfg[k] >= 0))
      fail(`setting ${k} must be a non-negative integer`);
  }
  if (cfg.poolSize < 1) fail('setting poolSize must be at least 1');
  if (!Array.isArray(cfg.issuers)) fail('setting issuers must be a list of iss URLs');
  cfg.issuerPaths = new Map();
  for (const iss of cfg.issuers) {
    let u;
    try { u = new URL(iss); } catch { fail(`issuer "${iss}" is not a URL`); }
    if (u.protocol !== 'https:' || iss.endsWith('/') || u.search || u.hash)
      fail(`issuer "${iss}" must be an https URL without a trailing slash, query or fragment`);
    const path = u.pathname === '/' ? '' : u.pathname;
    if (!cfg.issuerPaths.has(path)) cfg.issuerPaths.set(path, []);
    cfg.issuerPaths.get(path).push({ iss, host: u.host.toLowerCase() });
  }
  if (!/^(\/[A-Za-z0-9._~-]+)+$/.test(cfg.linkPath)) fail('setting linkPath must be a path like /shl');
  if (!/^[a-z_][a-z0-9_]*$/.test(cfg.schema)) fail('setting schema must be a plain identifier');
  const m = /^(.*):(\d+)$/.exec(cfg.listen);
  if (!m) fail('setting listen must be host:port');
  cfg.host = m[1].replace(/^\[(.*)\]$/, '$1');
  cfg.port = Number(m[2]);
  return cfg;
}

// --- the per-client passcode limiter -------------------------------------------
// A client (address) may make passcodeLimit passcode attempts per window:
// each manifest request that carries a passcode takes a slot before the
// database sees it; an answer other than 401 (right passcode, or nothing
// to check) gives the slot back.  So wrong passcodes and ones still being
// checked count, and parallel guesses cannot overtake the count.  This is
// on top of the link's own counter (max_attempts), which no client can
// reset; this one stops one client from locking many links, or working
// through them.  Bounded memory: at most maxClients entries, expired ones
// swept.
class PasscodeLimiter {
  constructor(limit, windowS, maxClients = 100000) {
    this.limit = limit;
    this.windowMs = windowS * 1000;
    this.maxClients = maxClients;
    this.clients = new Map();
  }
  take(client, now = Date.now()) {
    if (this.limit === 0) return { ok: true, release() {} };
    let e = this.clients.get(client);
    if (e && e.reset <= now) {
      this.clients.delete(client);
      e = undefined;
    }
    if (!e) {
      if (this.clients.size >= this.maxClients) this.sweep(now);
      if (this.clients.size >= this.maxClients) return { ok: false, retryAfter: 60 };
      e = { used: 0, reset: now + this.windowMs };
      this.clients.set(client, e);
    }
    if (e.used >= this.limit) return { ok: false, retryAfter: Math.ceil((e.reset - now) / 1000) };
    e.used++;
    let released = false;
    return {
      ok: true,
      release: () => {
        if (!released && this.clients.get(client) === e && e.used > 0) e.used--;
        released = true;
      },
    };
  }
  sweep(now = Date.now()) {
    for (const [k, e] of this.clients) if (e.reset <= now) this.clients.delete(k);
  }
}

// --- HTTP helpers ----------------------------------------------------------------
const ID = /^[A-Za-z0-9_-]{43}$/;
const JSON_TYPE = 'application/json';
const LINK_CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type',
  'Access-Control-Max-Age': '600',
};
const KEYS_CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
  'Access-Control-Max-Age': '600',
};

class HttpError extends Error {
  constructor(status, message, headers = {}) {
    super(message);
    this.status = status;
    this.headers = headers;
  }
}

function send(res, status, type, body, headers = {}) {
  const buf = Buffer.isBuffer(body) ? body : Buffer.from(body ?? '', 'utf8');
  const h = { 'X-Content-Type-Options': 'nosniff', ...headers };
  if (type) h['Content-Type'] = type;
  h['Content-Length'] = buf.length;
  res.writeHead(status, h);
  res.end(res.req.method === 'HEAD' ? undefined : buf);
  res.sent = buf.length;
}

function sendError(res, status, message, headers = {}) {
  send(res, status, JSON_TYPE, JSON.stringify({ error: message }), headers);
}

// The request body, at most max bytes: 413 when it is longer (announced or
// not), 408 when the client stops sending (the server's requestTimeout).
// The rest of a body that is too long is read and dropped, not left unread:
// closing a socket with unread data makes the kernel send a reset, which
// can destroy the 413 answer before the client reads it.  Reading it stays
// bounded by requestTimeout.
function readBody(req, max) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    let done = false;
    const tooLarge = () => {
      done = true;
      chunks.length = 0;
      reject(new HttpError(413, `request body larger than ${max} bytes`, { 'Cache-Control': 'no-store', ...LINK_CORS }));
    };
    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) > max) tooLarge();
    req.on('data', (c) => {
      if (done) return;
      size += c.length;
      if (size > max) tooLarge();
      else chunks.push(c);
    });
    req.on('end', () => { if (!done) { done = true; resolve(Buffer.concat(chunks)); } });
    req.on('error', (e) => { if (!done) { done = true; reject(e); } });
    req.on('aborted', () => { if (!done) { done = true; reject(new HttpError(400, 'request aborted')); } });
  });
}

function etagOf(text) {
  return '"' + createHash('sha256').update(text).digest('base64url').slice(0, 27) + '"';
}

// --- the service -------------------------------------------------------------------
export function createService(cfg, log = (o) => process.stdout.write(JSON.stringify(o) + '\n')) {
  const S = cfg.schema;
  const db = cfg.database || {};
  const pool = new pg.Pool({
    // PGHOST, PGPORT, PGUSER, PGDATABASE, PGPASSWORD (or ~/.pgpass) when not in the file
    ...db,
    max: cfg.poolSize,
    connectionTimeoutMillis: cfg.poolWaitMs,
    idleTimeoutMillis: 30000,
    statement_timeout: cfg.statementTimeoutMs,
    application_name: db.application_name || 'shc-web',
  });
  pool.on('error', (e) => log({ t: new Date().toISOString(), event: 'pool_error', error: e.message }));
  const limiter = new PasscodeLimiter(cfg.passcodeLimit, cfg.passcodeWindowS);
  const sweeper = setInterval(() => limiter.sweep(), 60000);
  sweeper.unref();
  let draining = false;

  // named statements: each connection parses and plans each of the few
  // statements once
  async function query(name, text, values) {
    if (pool.waitingCount >= cfg.maxQueue) throw new HttpError(503, 'busy', { 'Retry-After': '1' });
    let client;
    try {
      client = await pool.connect();
    } catch (e) {
      throw new HttpError(503, 'database unavailable', { 'Retry-After': '1' });
    }
    try {
      return await client.query({ name, text, values });
    } finally {
      client.release();
    }
  }

  function clientOf(req) {
    if (cfg.trustProxy) {
      const xff = req.headers['x-forwarded-for'];
      if (typeof xff === 'string' && xff.trim() !== '') {
        const last = xff.split(',').pop().trim();
        if (last) return last;
      }
    }
    return req.socket.remoteAddress || 'unknown';
  }

  // the issuer a well-known path belongs to: by path, and by host when
  // several configured issuers share a path
  function issuerFor(path, req) {
    const list = cfg.issuerPaths.get(path);
    if (!list) return null;
    if (list.length === 1) return list[0].iss;
    const host = String((cfg.trustProxy && req.headers['x-forwarded-host']) || req.headers.host || '').toLowerCase();
    return list.find((i) => i.host === host)?.iss ?? null;
  }

  async function linkAnswer(res, name, sql, values, extra = {}) {
    const r = await query(name,
      `SELECT r.outcome, r.http_status, r.content_type, r.body FROM ${sql} r`, values);
    const row = r.rows[0];
    res.outcome = row.outcome;
    send(res, row.http_status, row.content_type, row.body,
      { ...LINK_CORS, 'Cache-Control': 'no-store', ...extra });
    return row;
  }

  async function publicDoc(req, res, text, maxAge) {
    if (text === null) {
      sendError(res, 404, 'not found', { ...KEYS_CORS, 'Cache-Control': `public, max-age=${maxAge}` });
      return;
    }
    const etag = etagOf(text);
    const h = { ...KEYS_CORS, 'Cache-Control': `public, max-age=${maxAge}`, ETag: etag };
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, h);
      res.end();
      res.sent = 0;
      return;
    }
    send(res, 200, JSON_TYPE, text, h);
  }

  // route: returns the name logged for the request (never an id or token)
  async function route(req, res) {
    const raw = req.url;
    const q = raw.indexOf('?');
    const path = q < 0 ? raw : raw.slice(0, q);
    const search = q < 0 ? '' : raw.slice(q + 1);
    const method = req.method;

    if (path === '/healthz') {
      res.route = 'health';
      if (method !== 'GET' && method !== 'HEAD') throw new HttpError(405, 'method not allowed', { Allow: 'GET, HEAD' });
      if (draining) throw new HttpError(503, 'shutting down');
      await query('shc_web_health', 'SELECT 1', []);
      send(res, 200, JSON_TYPE, JSON.stringify({ status: 'ok', pool: { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount } }),
        { 'Cache-Control': 'no-store' });
      return;
    }

    // <iss path>/.well-known/jwks.json and <iss path>/.well-known/crl/<kid>.json
    const wk = path.indexOf('/.well-known/');
    if (wk >= 0) {
      const iss = issuerFor(path.slice(0, wk), req);
      const rest = path.slice(wk + '/.well-known/'.length);
      const crl = /^crl\/([A-Za-z0-9_-]{43})\.json$/.exec(rest);
      if (iss && (rest === 'jwks.json' || crl)) {
        res.route = rest === 'jwks.json' ? 'jwks' : 'crl';
        if (method === 'OPTIONS') {
          send(res, 204, null, '', KEYS_CORS);
          return;
        }
        if (method !== 'GET' && method !== 'HEAD') throw new HttpError(405, 'method not allowed', { Allow: 'GET, HEAD, OPTIONS', ...KEYS_CORS });
        if (!crl) {
          const r = await query('shc_web_jwks', `SELECT ${S}.shc_jwks($1)::text AS doc`, [iss]);
          await publicDoc(req, res, r.rows[0].doc, cfg.keysMaxAge);
        } else {
          // only a key of this issuer; NULL (no revocation yet) is 404
          const r = await query('shc_web_crl',
            `SELECT ${S}.shc_crl(k.kid)::text AS doc FROM ${S}.shc_keys k WHERE k.kid = $1 AND k.iss = $2`,
            [crl[1], iss]);
          await publicDoc(req, res, r.rows[0]?.doc ?? null, cfg.crlMaxAge);
        }
        return;
      }
      res.route = 'unknown';
      throw new HttpError(404, 'not found');
    }

    // the links
    const lp = cfg.linkPath;
    if (path.startsWith(lp + '/')) {
      const rest = path.slice(lp.length + 1);
      const file = rest.startsWith('file/') && ID.test(rest.slice(5)) ? rest.slice(5) : null;
      const id = ID.test(rest) ? rest : null;
      if (file || id) {
        res.route = file ? 'link_file' : 'link';
        if (method === 'OPTIONS') {
          send(res, 204, null, '', { ...LINK_CORS, 'Cache-Control': 'no-store' });
          return;
        }
        if (file) {
          if (method !== 'GET' && method !== 'HEAD') throw new HttpError(405, 'method not allowed', { Allow: 'GET, OPTIONS', ...LINK_CORS });
          await linkAnswer(res, 'shc_web_file', `${S}.shc_link_file($1)`, [file]);
          return;
        }
        if (method === 'GET' || method === 'HEAD') {
          res.route = 'link_direct';
          const recipient = new URLSearchParams(search).get('recipient') ?? '';
          if (recipient.length > 1000) throw new HttpError(400, 'recipient too long', LINK_CORS);
          await linkAnswer(res, 'shc_web_direct', `${S}.shc_link_direct($1, $2)`, [id, recipient]);
          return;
        }
        if (method !== 'POST') throw new HttpError(405, 'method not allowed', { Allow: 'GET, POST, OPTIONS', ...LINK_CORS });
        res.route = 'link_manifest';
        const type = String(req.headers['content-type'] || '').split(';')[0].trim().toLowerCase();
        if (type !== JSON_TYPE) {
          throw new HttpError(415, 'a manifest request is application/json', { ...LINK_CORS, 'Cache-Control': 'no-store' });
        }
        const body = await readBody(req, cfg.maxBodyBytes);
        // JSON that does not parse goes on as null: shc_link_manifest
        // answers bad_request and logs it
        let request = null;
        try { request = JSON.parse(body.toString('utf8')); } catch { /* null */ }
        let slot = null;
        if (request && typeof request === 'object' && 'passcode' in request) {
          slot = limiter.take(clientOf(req));
          if (!slot.ok) {
            res.outcome = 'client_limited';
            throw new HttpError(429, 'too many passcode attempts from this client; try again later',
              { ...LINK_CORS, 'Cache-Control': 'no-store', 'Retry-After': String(slot.retryAfter) });
          }
        }
        try {
          const row = await linkAnswer(res, 'shc_web_manifest', `${S}.shc_link_manifest($1, $2::jsonb)`, [id, JSON.stringify(request)]);
          if (slot && row.http_status !== 401) slot.release();
        } catch (e) {
          if (slot) slot.release();
          throw e;
        }
        return;
      }
    }
    res.route = 'unknown';
    throw new HttpError(404, 'not found');
  }

  const server = http.createServer({
    headersTimeout: cfg.headersTimeoutMs,
    requestTimeout: cfg.requestTimeoutMs,
    connectionsCheckingInterval: 1000,
    keepAliveTimeout: 5000,
    maxHeaderSize: 16384,
  }, async (req, res) => {
    const started = process.hrtime.bigint();
    const rid = randomUUID();
    res.route = 'unknown';
    res.on('finish', () => {
      // no path, query or body: ids, tokens, recipients and passcodes stay out
      const entry = {
        t: new Date().toISOString(), id: rid, client: clientOf(req), method: req.method,
        route: res.route, status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6,
        bytes: res.sent ?? 0,
      };
      if (res.outcome) entry.outcome = res.outcome;
      if (typeof req.headers.origin === 'string' && req.headers.origin.length <= 200) entry.origin = req.headers.origin;
      log(entry);
    });
    if (draining) res.setHeader('Connection', 'close');
    try {
      await route(req, res);
    } catch (e) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (e instanceof HttpError) {
        sendError(res, e.status, e.message, e.headers);
      } else if (/^(08|53|57)/.test(e.code || '')) {
        // the database is unreachable, out of resources, or cancelled the
        // statement (statement_timeout, shutdown): try again later
        log({ t: new Date().toISOString(), id: rid, event: 'db_unavailable', code: e.code });
        sendError(res, 503, 'service unavailable', { 'Cache-Control': 'no-store', 'Retry-After': '1' });
      } else {
        // the SQLSTATE and PostgreSQL's message, never a value of the request
        log({ t: new Date().toISOString(), id: rid, event: 'error', code: e.code, error: String(e.message).slice(0, 200) });
        sendError(res, 500, 'internal error', { 'Cache-Control': 'no-store' });
      }
    }
  });

  // requests the HTTP parser refuses (malformed, unknown method, headers
  // too large, too slow): a plain 4xx and the connection closed
  server.on('clientError', (err, socket) => {
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    log({ t: new Date().toISOString(), client: socket.remoteAddress, event: 'client_error', status, code: err.code });
    if (socket.writable && !socket.destroyed) {
      const text = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' }[status];
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    } else {
      socket.destroy();
    }
  });

  async function shutdown(signal) {
    if (draining) return;
    draining = true;
    log({ t: new Date().toISOString(), event: 'shutdown', signal });
    const closed = new Promise((resolve) => server.close(resolve));
    server.closeIdleConnections();
    const timer = setTimeout(() => server.closeAllConnections(), cfg.shutdownTimeoutMs);
    timer.unref();
    await closed;
    await pool.end();
    log({ t: new Date().toISOString(), event: 'stopped' });
  }

  return { server, pool, limiter, shutdown };
}

// --- main ------------------------------------------------------------------------------
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  const cfg = loadConfig();
  if (cfg.issuers.length === 0) process.stderr.write('shc-web: no issuers configured: only links are served\n');
  const svc = createService(cfg);
  svc.server.listen(cfg.port, cfg.host, () => {
    const a = svc.server.address();
    process.stdout.write(JSON.stringify({ t: new Date().toISOString(), event: 'listening', host: a.address, port: a.port, issuers: cfg.issuers, linkPath: cfg.linkPath, poolSize: cfg.poolSize }) + '\n');
  });
  svc.server.on('error', (e) => fail(`cannot listen on ${cfg.listen}: ${e.message}`));
  for (const s of ['SIGTERM', 'SIGINT']) {
    process.on(s, () => svc.shutdown(s).then(() => process.exit(0), () => process.exit(1)));
  }
}
