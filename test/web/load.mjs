// load.mjs: N concurrent receivers for a bounded time, for the "web" tier.
// Each receiver loops: POST the manifest of one link (files embedded),
// then GET the issuer's JWKS; every answer must be 200 with the expected
// body.  Prints the counts and a benchmark line with p50/p99 latencies
// (not asserted), and exits 1 on any error.
//
//   node load.mjs MANIFEST_URL JWKS_URL [receivers=200] [seconds=10]
import http from 'node:http';

const [manifestUrl, jwksUrl] = process.argv.slice(2, 4);
const receivers = Number(process.argv[4] || 200);
const seconds = Number(process.argv[5] || 10);
const agent = new http.Agent({ keepAlive: true, maxSockets: receivers });

function request(url, method, body) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = http.request(url, {
      method, agent,
      headers: body ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } : {},
      timeout: 30000,
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8'),
        ms: Number(process.hrtime.bigint() - started) / 1e6 }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

const lat = { manifest: [], jwks: [] };
const errors = [];
const until = Date.now() + seconds * 1000;
const body = JSON.stringify({ recipient: 'Load receiver', embeddedLengthMax: 1000000 });
async function receiver() {
  while (Date.now() < until) {
    try {
      const m = await request(manifestUrl, 'POST', body);
      if (m.status !== 200 || !JSON.parse(m.body).files?.[0]?.embedded) errors.push(`manifest ${m.status}`);
      else lat.manifest.push(m.ms);
      const j = await request(jwksUrl, 'GET');
      if (j.status !== 200 || !(JSON.parse(j.body).keys?.length >= 1)) errors.push(`jwks ${j.status}`);
      else lat.jwks.push(j.ms);
    } catch (e) {
      errors.push(e.message);
    }
  }
}
const t0 = Date.now();
await Promise.all(Array.from({ length: receivers }, receiver));
const elapsed = (Date.now() - t0) / 1000;
agent.destroy();

const pct = (a, p) => {
  if (a.length === 0) return NaN;
  const s = [...a].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const total = lat.manifest.length + lat.jwks.length;
console.log(`requests ${total + errors.length} errors ${errors.length} manifest ${lat.manifest.length} jwks ${lat.jwks.length}`);
if (errors.length) console.log(`# first errors: ${[...new Set(errors)].slice(0, 5).join('; ')}`);
console.log(`bench web: ${receivers} receivers, ${elapsed.toFixed(1)} s, ${(total / elapsed).toFixed(0)} req/s; ` +
  `manifest p50 ${pct(lat.manifest, 50).toFixed(1)} ms p99 ${pct(lat.manifest, 99).toFixed(1)} ms; ` +
  `jwks p50 ${pct(lat.jwks, 50).toFixed(1)} ms p99 ${pct(lat.jwks, 99).toFixed(1)} ms`);
process.exit(errors.length ? 1 : 0);
