// client.mjs: a SMART Health Link receiver that shares no code with shc,
// for the "shl" test tier.  It decodes shlink:/ texts itself, talks HTTP to
// the server (server.mjs), decrypts files with the npm package jose, and
// verifies cards with jose (ES256 against the issuer's JWKS) and Node's
// zlib.  It also encrypts with jose and asks shc (through psql) to decrypt,
// and feeds shc the JWEs jose makes with the wrong alg or enc, altered or
// truncated.
//
//   node client.mjs config.json
//
// config.json: {"links": {"open", "main", "expired", "u", "viewer"},
//   "passcode": "...", "attempts": N, "iss": "...", "jwks": {...}}
// Prints TAP lines and "# P passed, F failed"; exits 1 on any failure.
import * as jose from 'jose';
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { spawnSync } from 'node:child_process';

const cfg = JSON.parse(readFileSync(process.argv[2], 'utf8'));
let n = 0, failed = 0;
function check(cond, what) {
  n++;
  if (!cond) failed++;
  console.log(`${cond ? 'ok' : 'not ok'} ${n} - ${what}`);
  return cond;
}

// shlink:/ decoding, independently of shc: optional viewer prefix up to '#'
function decodeLink(text) {
  const at = text.indexOf('shlink:/');
  const payload = JSON.parse(Buffer.from(text.slice(at + 8), 'base64url').toString('utf8'));
  return { ...payload, keyBytes: Buffer.from(payload.key, 'base64url'), viewer: text.slice(0, at) };
}

async function post(url, body) {
  const r = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await r.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: r.status, type: r.headers.get('content-type'), text, json };
}

async function get(url) {
  const r = await fetch(url);
  return { status: r.status, type: r.headers.get('content-type'), text: await r.text() };
}

async function decrypt(jwe, key) {
  const r = await jose.compactDecrypt(jwe, key);
  return { header: r.protectedHeader, text: new TextDecoder().decode(r.plaintext) };
}

// Verify a card: ES256 with the issuer's key named by kid, raw DEFLATE payload
async function verifyCard(jws) {
  const hdr = jose.decodeProtectedHeader(jws);
  const jwk = cfg.jwks.keys.find((k) => k.kid === hdr.kid);
  if (!jwk || hdr.alg !== 'ES256' || hdr.zip !== 'DEF') return null;
  const key = await jose.importJWK(jwk, 'ES256');
  const { payload } = await jose.compactVerify(jws, key);
  const claims = JSON.parse(inflateRawSync(Buffer.from(payload)).toString('utf8'));
  return claims.iss === cfg.iss && claims.vc?.credentialSubject?.fhirBundle?.resourceType === 'Bundle'
    ? claims : null;
}

async function checkFiles(files, key, what) {
  let cards = 0;
  for (const f of files) {
    let jwe = f.embedded;
    if (f.location) {
      const r = await get(f.location);
      check(r.status === 200 && r.type === 'application/jose', `${what}: GET location of ${f.contentType} answers 200 application/jose`);
      jwe = r.text;
    }
    const d = await decrypt(jwe, key);
    check(d.header.alg === 'dir' && d.header.enc === 'A256GCM' && d.header.cty === f.contentType,
      `${what}: jose decrypts ${f.contentType} (cty matches)`);
    const body = JSON.parse(d.text);
    if (f.contentType === 'application/smart-health-card') {
      for (const jws of body.verifiableCredential) {
        check(await verifyCard(jws) !== null, `${what}: the card verifies (jose ES256, issuer ${cfg.iss})`);
        cards++;
      }
    } else if (f.contentType === 'application/fhir+json') {
      check(body.resourceType === 'Patient', `${what}: the FHIR file is the Patient`);
    }
  }
  return cards;
}

function psql(query, vars = {}) {
  const args = ['-X', '-At', '-q', '-v', 'ON_ERROR_STOP=1'];
  for (const [k, v] of Object.entries(vars)) args.push('-v', `${k}=${v}`);
  const r = spawnSync('psql', args, { input: query, encoding: 'utf8' });
  return { ok: r.status === 0, out: (r.stdout || '').trim(), err: (r.stderr || '').trim() };
}

// --- a link without passcode: location URLs, then embedded files ----------
const open = decodeLink(cfg.links.open);
check(open.url.length <= 128 && open.keyBytes.length === 32 && open.v === 1, 'open link: url <= 128, 32-byte key, v 1');
let m = await post(open.url, { recipient: 'Dr. B' });
check(m.status === 200 && m.json?.files?.length === 2 && m.json.files.every((f) => f.location),
  'open link: the manifest lists 2 files by location (no embeddedLengthMax)');
check((await checkFiles(m.json?.files || [], open.keyBytes, 'open link')) === 1, 'open link: one card found');
m = await post(open.url, { recipient: 'Dr. B', embeddedLengthMax: 1000000 });
check(m.status === 200 && m.json.files.every((f) => f.embedded), 'open link: files embedded under embeddedLengthMax');
await checkFiles(m.json.files, open.keyBytes, 'open link, embedded');
m = await post(open.url, { recipient: 'Dr. B', embeddedLengthMax: 10 });
check(m.status === 200 && m.json.files.every((f) => f.location), 'open link: files too long to embed come by location');
m = await post(open.url, 'not json');
check(m.status === 400, 'a body that is not JSON answers 400');
m = await post(open.url, { passcode: 'x' });
check(m.status === 400, 'a request without recipient answers 400');
m = await post(open.url.replace(/[^/]{43}$/, 'A'.repeat(43)), { recipient: 'Dr. B' });
check(m.status === 404, 'an unknown manifest answers 404');
let g = await get(open.url.replace(/\/[^/]{43}$/, '/file/' + 'A'.repeat(43)));
check(g.status === 404, 'an unknown location answers 404');

// --- a link with a passcode: attempts count down, the link locks at zero --
const main = decodeLink(cfg.links.main);
check(main.flag === 'P', 'passcode link: flag P');
m = await post(main.url, { recipient: 'Dr. B' });
check(m.status === 401 && m.json.remainingAttempts === cfg.attempts, `no passcode: 401, remainingAttempts ${cfg.attempts} (not counted)`);
m = await post(main.url, { recipient: 'Dr. B', passcode: cfg.passcode, embeddedLengthMax: 100000 });
check(m.status === 200 && m.json.files.length === 1, 'right passcode: 200 with the file');
check((await checkFiles(m.json.files, main.keyBytes, 'passcode link')) === 1, 'passcode link: the card verifies');
for (let left = cfg.attempts - 1; left >= 0; left--) {
  m = await post(main.url, { recipient: 'Mallory', passcode: `guess ${left}` });
  check(m.status === 401 && m.json.remainingAttempts === left, `wrong passcode: 401, remainingAttempts ${left}`);
}
m = await post(main.url, { recipient: 'Dr. B', passcode: cfg.passcode });
check(m.status === 404 && /locked/.test(m.json?.error), 'at zero attempts the link is locked, even for the right passcode');

// --- an expired link --------------------------------------------------------
const exp = decodeLink(cfg.links.expired);
m = await post(exp.url, { recipient: 'Dr. B' });
check(m.status === 404 && /expired/.test(m.json?.error), 'an expired link answers 404 "expired"');

// --- flag U: the single file by GET ---------------------------------------
const u = decodeLink(cfg.links.u);
check(u.flag === 'U', 'direct link: flag U');
g = await get(`${u.url}?recipient=${encodeURIComponent('Dr. B')}`);
check(g.status === 200 && g.type === 'application/jose', 'direct link: GET answers the JWE');
if (g.status === 200) {
  const d = await decrypt(g.text, u.keyBytes);
  check(await verifyCard(JSON.parse(d.text).verifiableCredential[0]) !== null, 'direct link: the card verifies');
}
g = await get(u.url);
check(g.status === 400, 'direct link without recipient answers 400');

// --- a viewer prefix ----------------------------------------------------------
const v = decodeLink(cfg.links.viewer);
check(v.viewer === 'https://viewer.example/#', 'viewer link: the prefix ends in #');
m = await post(v.url, { recipient: 'Dr. B' });
check(m.status === 200, 'viewer link: the manifest answers');

// --- jose encrypts, shc decrypts --------------------------------------------
const key = open.keyBytes;
const enc = (hdr, pt, k = key) => new jose.CompactEncrypt(new TextEncoder().encode(pt)).setProtectedHeader(hdr).encrypt(k);
for (const zip of [false, true]) {
  const hdr = { alg: 'dir', enc: 'A256GCM', cty: 'application/fhir+json', ...(zip ? { zip: 'DEF' } : {}) };
  const jwe = await enc(hdr, '{"resourceType":"Patient","id":"from-jose"}');
  const r = psql("SELECT content_type || ' ' || plaintext FROM shc_link_decrypt(:'jwe', :'key')", { jwe, key: open.key });
  check(r.ok && r.out === 'application/fhir+json {"resourceType":"Patient","id":"from-jose"}',
    `shc decrypts what jose encrypts${zip ? ' (zip DEF)' : ''}`);
}
{
  // a card file encrypted by jose, verified by shc in one call
  m = await post(open.url, { recipient: 'Dr. B', embeddedLengthMax: 1000000 });
  const f = m.json.files.find((x) => x.contentType === 'application/smart-health-card');
  const plain = (await decrypt(f.embedded, key)).text;
  const jwe = await enc({ alg: 'dir', enc: 'A256GCM', cty: 'application/smart-health-card', zip: 'DEF' }, plain);
  const r = psql("SELECT status FROM shc_link_verify_file(:'jwe', :'key')", { jwe, key: open.key });
  check(r.ok && r.out === 'valid', 'shc_link_verify_file verifies a card file jose encrypted');
}

// --- every rejection, on JWEs jose made -------------------------------------
async function rejects(jwe, k, pattern, what) {
  const r = psql("SELECT plaintext FROM shc_link_decrypt(:'jwe', :'key')", { jwe, key: k });
  check(!r.ok && pattern.test(r.err), `shc rejects ${what}: ${r.err.split('\n').slice(0, 2).join(' / ')}`);
}
const good = await enc({ alg: 'dir', enc: 'A256GCM', cty: 'text/plain' }, 'hello');
await rejects(good, open.key.slice(0, 42), /invalid SMART Health Link key/, 'a 42-character key');
await rejects(good, Buffer.alloc(32, 7).toString('base64url'), /JWE decryption failed/, 'the wrong key (tag mismatch)');
await rejects(await enc({ alg: 'dir', enc: 'A128GCM' }, 'hello', key.subarray(0, 16)), open.key, /"enc" must be "A256GCM"/, 'enc A128GCM');
await rejects(await enc({ alg: 'A256KW', enc: 'A256GCM' }, 'hello'), open.key, /"alg" must be "dir"/, 'alg A256KW');
await rejects(await enc({ alg: 'dir', enc: 'A256CBC-HS512' }, 'hello', Buffer.concat([key, key])), open.key, /"enc" must be "A256GCM"/, 'enc A256CBC-HS512');
{
  const p = good.split('.');
  const t = Buffer.from(p[4], 'base64url');
  t[0] ^= 1;
  await rejects([...p.slice(0, 4), t.toString('base64url')].join('.'), open.key, /JWE decryption failed/, 'an altered tag');
  const c = Buffer.from(p[3], 'base64url');
  c[0] ^= 1;
  await rejects([p[0], p[1], p[2], c.toString('base64url'), p[4]].join('.'), open.key, /JWE decryption failed/, 'altered ciphertext');
  await rejects(p.slice(0, 4).join('.'), open.key, /five segments/, 'a JWE truncated before its tag');
  await rejects(good.slice(0, -5), open.key, /authentication tag must be 16 bytes/, 'a JWE with a truncated tag');
}
// shlink:/ texts made here that break a rule: shc's decoder refuses them
{
  const mk = (payload) => 'shlink:/' + Buffer.from(JSON.stringify(payload)).toString('base64url');
  const base = { url: open.url, key: open.key };
  const cases = [
    [{ ...base, flag: 'PU' }, /cannot be combined with flag P/, 'flag U with P'],
    [{ ...base, flag: 'PL' }, /alphabetical order/, 'flags out of order'],
    [{ ...base, key: open.key.slice(0, 42) }, /43 base64url characters/, 'a 42-character key'],
    [{ ...base, url: 'https://x.example/' + 'a'.repeat(111) }, /1 to 128 characters/, 'a 129-character url'],
    [{ ...base, label: 'x'.repeat(81) }, /81 characters/, 'an 81-character label'],
    [{ ...base, exp: -1 }, /non-negative integer/, 'a negative exp'],
  ];
  for (const [payload, pattern, what] of cases) {
    const r = psql("SELECT url FROM shc_link_decode(:'link')", { link: mk(payload) });
    check(!r.ok && pattern.test(r.err), `shc_link_decode rejects ${what}`);
  }
  const r = psql("SELECT url = :'url' FROM shc_link_decode(:'link')", { link: mk({ ...base, flag: 'LU', v: 1 }), url: open.url });
  check(r.ok && r.out === 't', 'shc_link_decode reads a link encoded here');
  const c = psql("SELECT shc_link_create('[\"a.b.c\"]', 'https://x.example/shl', passcode => 'x', flag => 'U')");
  check(!c.ok && /cannot be combined with a passcode/.test(c.err), 'shc_link_create refuses flag U with a passcode');
}
// and jose refuses what it should from shc: the wrong key
{
  const r = psql("SELECT shc_link_encrypt('x', :'key', 'text/plain')", { key: open.key });
  let threw = false;
  try { await decrypt(r.out, Buffer.alloc(32, 1)); } catch { threw = true; }
  check(r.ok && threw, 'jose refuses an shc JWE under the wrong key');
}

console.log(`# ${n - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
