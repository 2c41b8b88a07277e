// server.mjs: a small HTTP layer for SMART Health Links in front of shc,
// for the "shl" test tier (and as an example of what an HTTP layer does).
// It holds no state and no key: every request becomes one SQL call, run by
// psql as a role that is a member of shc_link_server:
//
//   POST /shl/<manifest id>          shc_link_manifest(id, body, now())
//   GET  /shl/<manifest id>?recipient=..   shc_link_direct (flag U)
//   GET  /shl/file/<token>           shc_link_file(token, now())
//
// and answers with the http_status, content_type and body the function
// returned.  Environment: SHL_HTTP_PORT (0 = any free port), SHL_DB_ROLE
// (the psql user), and the usual PGHOST/PGPORT/PGDATABASE.  Prints
// "listening <port>" once it accepts connections.
import http from 'node:http';
import { spawn } from 'node:child_process';

const port = Number(process.env.SHL_HTTP_PORT || 0);
const MAX_BODY = 64 * 1024;
const ID = /^[A-Za-z0-9_-]{43}$/;

// Run one query with psql variables (quoted by psql as :'name'); resolves
// to the single output line.
function sql(query, vars) {
  return new Promise((resolve, reject) => {
    const args = ['-X', '-At', '-q', '-v', 'ON_ERROR_STOP=1'];
    for (const [k, v] of Object.entries(vars)) args.push('-v', `${k}=${v}`);
    const env = { ...process.env };
    if (process.env.SHL_DB_ROLE) env.PGUSER = process.env.SHL_DB_ROLE;
    const p = spawn('psql', args, { env });
    let out = '', err = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { err += d; });
    p.on('close', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(err.trim()))));
    p.stdin.end(query);
  });
}

function send(res, status, type, body) {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
  res.end(body);
}

async function answer(res, query, vars) {
  const r = JSON.parse(await sql(`SELECT row_to_json(r) FROM ${query} r`, vars));
  send(res, r.http_status, r.content_type, r.body);
}

const server = http.createServer(async (req, res) => {
  try {
    const u = new URL(req.url, 'http://localhost');
    const parts = u.pathname.split('/');
    if (parts.length === 4 && parts[1] === 'shl' && parts[2] === 'file' && ID.test(parts[3]) && req.method === 'GET') {
      return await answer(res, "shc_link_file(:'tok')", { tok: parts[3] });
    }
    if (parts.length === 3 && parts[1] === 'shl' && ID.test(parts[2])) {
      if (req.method === 'GET') {
        return await answer(res, "shc_link_direct(:'mid', :'rcp')",
          { mid: parts[2], rcp: u.searchParams.get('recipient') || '' });
      }
      if (req.method === 'POST') {
        let body = '';
        for await (const chunk of req) {
          body += chunk;
          if (body.length > MAX_BODY) return send(res, 413, 'application/json', '{"error":"request too large"}');
        }
        let json = 'null';
        try { json = JSON.stringify(JSON.parse(body)); } catch { /* SQL answers bad_request */ }
        return await answer(res, "shc_link_manifest(:'mid', :'body'::jsonb)", { mid: parts[2], body: json });
      }
    }
    send(res, 404, 'application/json', '{"error":"not found"}');
  } catch (e) {
    console.error(`server error: ${e.message}`);
    send(res, 500, 'application/json', '{"error":"internal error"}');
  }
});

server.listen(port, '127.0.0.1', () => {
  console.log(`listening ${server.address().port}`);
});
for (const s of ['SIGTERM', 'SIGINT']) process.on(s, () => server.close(() => process.exit(0)));
