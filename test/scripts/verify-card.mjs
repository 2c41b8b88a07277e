// verify-card.mjs: an independent verifier for cards issued by shc_issue.
// It shares no code with shc: Node's built-in crypto (ES256 with
// dsaEncoding 'ieee-p1363', JWK import) and zlib (inflateRawSync) only.
//
//   node verify-card.mjs cards.jsonl
//
// Each input line is a JSON object:
//   name       label for the TAP output
//   card       the compact JWS
//   jwks       the issuer's public {"keys":[...]} (shc_jwks or a JWK set)
//   kid        the kid the card must carry (optional)
//   iss, nbf, exp, rid   the expected claims (exp, rid: null when absent)
//   bundle     the expected fhirBundle (compared as JSON values)
//   bundle_text  optional: the expected fhirBundle's exact text (the bytes
//              shc_json_compact(shc_minimize(bundle)) gives)
//   minimized  true when the bundle must satisfy SHC-NOTES section 7
//
// Prints one TAP line per check and "# P passed, F failed"; exits 1 on any
// failure.
import { createHash, createPublicKey, verify } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';

let n = 0, failed = 0;
function check(cond, what) {
  n++;
  if (!cond) failed++;
  console.log(`${cond ? 'ok' : 'not ok'} ${n} - ${what}`);
  return cond;
}

const b64u = (s) => Buffer.from(s, 'base64url');
const B64U = /^[A-Za-z0-9_-]+$/;

function thumbprint(k) {
  // RFC 7638: required members in lexicographic order, no white space
  const json = `{"crv":"${k.crv}","kty":"${k.kty}","x":"${k.x}","y":"${k.y}"}`;
  return createHash('sha256').update(json, 'utf8').digest('base64url');
}

// SHC-NOTES section 7, checked on the issued bundle; returns a list of
// violations.
function minimizationViolations(bundle) {
  const v = [];
  const entries = bundle.entry ?? [];
  const urls = new Set(entries.map((e) => e.fullUrl));
  entries.forEach((e, i) => {
    if (e.fullUrl !== `resource:${i}`) v.push(`entry ${i} fullUrl ${e.fullUrl}`);
  });
  function walk(o, path, inCoding, inContained) {
    if (Array.isArray(o)) {
      o.forEach((x, i) => walk(x, `${path}[${i}]`, inCoding, inContained));
      return;
    }
    if (o === null || typeof o !== 'object') return;
    if (typeof o.resourceType === 'string') {
      if ('id' in o && !inContained) v.push(`${path}.id`);
      if ('text' in o) v.push(`${path}.text`);
      if ('meta' in o && !isDeepStrictEqual(Object.keys(o.meta), ['security'])) v.push(`${path}.meta`);
    }
    if (Array.isArray(o.coding) && 'text' in o) v.push(`${path}.text (CodeableConcept)`);
    if ((inCoding || ('system' in o && 'code' in o)) && 'display' in o) v.push(`${path}.display (Coding)`);
    if (typeof o.reference === 'string' && !o.reference.startsWith('#') &&
        !(/^resource:\d+$/.test(o.reference) && urls.has(o.reference)))
      v.push(`${path}.reference ${o.reference}`);
    for (const [k, x] of Object.entries(o))
      walk(x, `${path}.${k}`, k === 'coding', k === 'contained');
  }
  walk(bundle, 'Bundle', false, false);
  return v;
}

function whitespaceOutsideStrings(text) {
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (' \t\n\r'.includes(ch)) return true;
  }
  return false;
}

function verifyCard(c) {
  const name = c.name;
  const parts = c.card.split('.');
  if (!check(parts.length === 3 && parts.every((p) => B64U.test(p)), `${name}: three base64url segments`))
    return;
  const [h, p, s] = parts;

  // header: exactly these bytes (SHC-NOTES 2)
  const headerText = b64u(h).toString('utf8');
  const header = JSON.parse(headerText);
  check(headerText === `{"zip":"DEF","alg":"ES256","kid":"${header.kid}"}`,
        `${name}: header is exactly {"zip":"DEF","alg":"ES256","kid":...}`);
  if (c.kid) check(header.kid === c.kid, `${name}: kid is ${c.kid}`);

  // key: from the JWKS by kid, kid = RFC 7638 thumbprint, no d published
  const jwk = (c.jwks.keys ?? []).find((k) => k.kid === header.kid);
  if (!check(jwk !== undefined, `${name}: the JWKS has the card's kid`)) return;
  check(!('d' in jwk), `${name}: the published JWK has no d`);
  check(thumbprint(jwk) === header.kid, `${name}: kid is the RFC 7638 thumbprint of the JWK`);
  check(jwk.kty === 'EC' && jwk.crv === 'P-256' && jwk.use === 'sig' && jwk.alg === 'ES256',
        `${name}: JWK is EC P-256 sig ES256`);

  // signature: raw r||s over the ASCII of header.payload
  const sig = b64u(s);
  const key = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y }, format: 'jwk' });
  const input = Buffer.from(`${h}.${p}`, 'ascii');
  check(sig.length === 64, `${name}: signature is 64 bytes`);
  check(verify('sha256', input, { key, dsaEncoding: 'ieee-p1363' }, sig), `${name}: ES256 signature verifies`);
  const bad = Buffer.from(sig);
  bad[10] ^= 1;
  check(!verify('sha256', input, { key, dsaEncoding: 'ieee-p1363' }, bad), `${name}: a flipped bit does not verify`);

  // payload: raw DEFLATE of minified JSON, keys in the spec's order
  let text;
  try {
    text = inflateRawSync(b64u(p)).toString('utf8');
  } catch (e) {
    check(false, `${name}: payload is raw DEFLATE (${e.message})`);
    return;
  }
  const payload = JSON.parse(text);
  // minified: no white space outside strings.  (Not JSON.stringify
  // equality: a FHIR decimal keeps its precision, "1.0" stays "1.0".)
  check(!whitespaceOutsideStrings(text), `${name}: payload is minified JSON`);
  check(text.charCodeAt(0) === 0x7b, `${name}: payload starts with "{" (no BOM)`);
  const topKeys = ['iss', 'nbf', 'vc'].concat(c.exp != null ? ['exp'] : []);
  check(isDeepStrictEqual(Object.keys(payload), topKeys), `${name}: payload keys ${topKeys.join(',')}`);
  const vcKeys = ['type', 'credentialSubject'].concat(c.rid != null ? ['rid'] : []);
  check(isDeepStrictEqual(Object.keys(payload.vc), vcKeys), `${name}: vc keys ${vcKeys.join(',')}`);
  check(isDeepStrictEqual(Object.keys(payload.vc.credentialSubject), ['fhirVersion', 'fhirBundle']),
        `${name}: credentialSubject keys fhirVersion,fhirBundle`);
  check(payload.iss === c.iss, `${name}: iss is ${c.iss}`);
  check(Number.isInteger(payload.nbf) && payload.nbf === c.nbf, `${name}: nbf is the integer ${c.nbf}`);
  if (c.exp != null) check(payload.exp === c.exp, `${name}: exp is ${c.exp}`);
  if (c.rid != null) check(payload.vc.rid === c.rid, `${name}: rid is ${c.rid}`);
  check(isDeepStrictEqual(payload.vc.type, ['https://smarthealth.cards#health-card']), `${name}: vc.type`);
  check(payload.vc.credentialSubject.fhirVersion === '4.0.1', `${name}: fhirVersion 4.0.1`);
  const bundle = payload.vc.credentialSubject.fhirBundle;
  check(isDeepStrictEqual(bundle, c.bundle), `${name}: fhirBundle is the expected bundle`);
  if (c.bundle_text != null) {
    const at = text.indexOf('"fhirBundle":') + 13;
    check(text.startsWith(c.bundle_text + '}', at), `${name}: fhirBundle is byte for byte the expected text`);
  }
  if (c.minimized) {
    const v = minimizationViolations(bundle);
    check(v.length === 0, `${name}: bundle satisfies SHC-NOTES 7${v.length ? ' (' + v.slice(0, 3).join('; ') + ')' : ''}`);
  }
}

const file = process.argv[2];
const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '');
for (const l of lines) {
  try {
    verifyCard(JSON.parse(l));
  } catch (e) {
    check(false, `exception: ${e.message}`);
  }
}
console.log(`# ${n - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
