#!/usr/bin/env node
// forge-cards.mjs: SMART Health Cards signed with the suite's own fixed test
// keys (test/data/test-keys.json), valid ones and every mutation the
// verifier must classify.  Independent of shc: Node's built-in crypto
// (ES256 with dsaEncoding 'ieee-p1363', i.e. raw r||s) and zlib.
//
//   node test/scripts/forge-cards.mjs > test/data/forged-cards.json
//       the fixture set used by sql/verify.sql (committed: ECDSA signatures
//       are random, so regenerating changes the file but not the results)
//   node test/scripts/forge-cards.mjs --bulk N
//       N cards, one per line "expected_status<TAB>card", for the parallel
//       test: mostly valid (distinct rids), with a fixed share of mutations
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const keys = JSON.parse(fs.readFileSync(path.join(here, '../data/test-keys.json'), 'utf8')).keys;

const ISS = {
  a: 'https://issuer-a.example.org',
  b: 'https://issuer-b.example.org',
  c: 'https://untrusted.example.org',
};

const b64u = (buf) => Buffer.from(buf).toString('base64url');
const thumbprint = (k) =>
  b64u(crypto.createHash('sha256').update(`{"crv":"P-256","kty":"EC","x":"${k.x}","y":"${k.y}"}`).digest());
const KID = Object.fromEntries(Object.entries(keys).map(([n, k]) => [n, thumbprint(k)]));
const priv = Object.fromEntries(Object.entries(keys).map(([n, k]) => [n, crypto.createPrivateKey({ key: k, format: 'jwk' })]));
const pubJwk = (n, extra = {}) => ({ kty: 'EC', kid: KID[n], use: 'sig', alg: 'ES256', crv: 'P-256', x: keys[n].x, y: keys[n].y, ...extra });

const bundle = (name) => ({
  resourceType: 'Bundle',
  type: 'collection',
  entry: [
    { fullUrl: 'resource:0', resource: { resourceType: 'Patient', name: [{ family: name, given: ['Test'] }], birthDate: '1970-01-01' } },
    { fullUrl: 'resource:1', resource: { resourceType: 'Immunization', status: 'completed', vaccineCode: { coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code: '207' }] }, patient: { reference: 'resource:0' }, occurrenceDateTime: '2021-01-01' } },
  ],
});

// payload claims in the spec's key order
const claims = ({ iss = ISS.a, nbf = 1700000000, exp, rid, types = ['https://smarthealth.cards#health-card'], fhirVersion = '4.0.1', fhirBundle = bundle('Anyperson') } = {}) => {
  const vc = { type: types, credentialSubject: { fhirVersion, fhirBundle } };
  if (fhirVersion === undefined || fhirVersion === null) delete vc.credentialSubject.fhirVersion;
  if (rid !== undefined) vc.rid = rid;
  const p = { iss, nbf, vc };
  if (exp !== undefined) p.exp = exp;
  return p;
};

const sign = (signingInput, key) =>
  crypto.sign('sha256', Buffer.from(signingInput, 'ascii'), { key: priv[key], dsaEncoding: 'ieee-p1363' });

// assemble: header object or raw string, payload bytes (already compressed or not)
function jws({ header, payloadBytes, key = 'a', sigEncoding = 'ieee-p1363' }) {
  const h = typeof header === 'string' ? header : JSON.stringify(header);
  const input = b64u(Buffer.from(h, 'utf8')) + '.' + b64u(payloadBytes);
  const sig = crypto.sign('sha256', Buffer.from(input, 'ascii'), { key: priv[key], dsaEncoding: sigEncoding });
  return input + '.' + b64u(sig);
}
const hdr = (key = 'a', extra = {}) => ({ zip: 'DEF', alg: 'ES256', kid: KID[key], ...extra });
const deflate = (text) => zlib.deflateRawSync(Buffer.from(text, 'utf8'), { level: 9 });
const card = (c = {}, key = 'a') => jws({ header: hdr(key), payloadBytes: deflate(JSON.stringify(claims(c))), key });

// flip one bit of a segment's decoded bytes, at byte offset off
function flipSegment(j, seg, off, bit = 0) {
  const parts = j.split('.');
  const b = Buffer.from(parts[seg], 'base64url');
  b[off] ^= 1 << bit;
  parts[seg] = b64u(b);
  return parts.join('.');
}

if (process.argv[2] === '--bulk') {
  const n = parseInt(process.argv[3] || '10000', 10);
  const lines = [];
  for (let i = 0; i < n; i++) {
    const rid = 'bulk' + i.toString(36);
    let status = 'valid', c;
    switch (i % 20) {
      case 7: status = 'bad_signature'; c = flipSegment(card({ rid }), 2, i % 64); break;
      case 11: status = 'expired'; c = card({ rid, exp: 1700003600 }); break;
      case 13: status = 'unknown_key'; c = card({ rid }, 'b'); break;          // iss a, key b
      case 17: status = 'unknown_issuer'; c = card({ rid, iss: ISS.c }, 'c'); break;
      case 19: status = 'revoked'; c = card({ rid: 'revokedAll1' }); break;
      default: c = card({ rid, fhirBundle: bundle('Person' + i) });
    }
    lines.push(status + '\t' + c);
  }
  fs.writeSync(1, lines.join('\n') + '\n');
  process.exit(0);
}

const cards = [];
const add = (name, expect, c, note) => cards.push({ name, expect, note, card: c });

// valid ones
add('valid', 'valid', card({ rid: 'okRid-01' }), 'issuer a, key a, integer nbf, rid not revoked');
add('valid-fractional-nbf', 'valid', card({ nbf: 1700000000.656 }), 'fractional nbf, no rid');
add('valid-issuer-b', 'valid', card({ iss: ISS.b }, 'b'), 'issuer b with its own key');
add('valid-extra-types', 'valid', card({ types: ['https://smarthealth.cards#health-card', 'https://smarthealth.cards#immunization', 'https://example.org#unknown'] }), 'extra types are ignored');
add('valid-extra-header-member', 'valid', jws({ header: hdr('a', { typ: 'note' }), payloadBytes: deflate(JSON.stringify(claims())) }), 'unknown header members are tolerated');
add('valid-exp-later', 'valid', card({ exp: 1900000000 }), 'exp after the verification time');
add('valid-same-key-issuer-c', 'valid', card({ iss: 'https://issuer-a2.example.org' }), 'key a is also trusted for a second issuer');

// bit flips
add('flip-header-kid', 'unknown_key', flipSegment(card(), 0, 40), 'one bit of the kid in the header: no such key for issuer a');
const withNote = jws({ header: hdr('a', { note: 'abc' }), payloadBytes: deflate(JSON.stringify(claims())) });
{
  const h = Buffer.from(withNote.split('.')[0], 'base64url').toString();
  add('flip-header-member', 'bad_signature', flipSegment(withNote, 0, h.indexOf('abc') + 2), 'one bit of an extra header member: the signature no longer matches');
}
add('flip-payload', 'bad_signature', flipSegment(card(), 1, 10), 'one bit of the compressed payload');
add('flip-signature', 'bad_signature', flipSegment(card(), 2, 5), 'one bit of r');
add('flip-signature-s', 'bad_signature', flipSegment(card(), 2, 63, 7), 'one bit of s');

// header
const pl = deflate(JSON.stringify(claims()));
add('alg-none', 'malformed', jws({ header: { zip: 'DEF', alg: 'none', kid: KID.a }, payloadBytes: pl }), 'alg none with a real signature');
{
  const input = b64u(Buffer.from(JSON.stringify({ zip: 'DEF', alg: 'none', kid: KID.a }))) + '.' + b64u(pl);
  add('alg-none-unsigned', 'malformed', input + '.', 'alg none, empty signature segment');
}
{
  const input = b64u(Buffer.from(JSON.stringify({ zip: 'DEF', alg: 'HS256', kid: KID.a }))) + '.' + b64u(pl);
  const mac = crypto.createHmac('sha256', Buffer.from(keys.a.x, 'base64url')).update(input).digest();
  add('alg-hs256', 'malformed', input + '.' + b64u(mac), 'HS256 keyed with the public x coordinate');
}
add('alg-es384', 'malformed', jws({ header: { zip: 'DEF', alg: 'ES384', kid: KID.a }, payloadBytes: pl }), 'alg ES384');
add('alg-missing', 'malformed', jws({ header: { zip: 'DEF', kid: KID.a }, payloadBytes: pl }), 'no alg');
add('zip-missing', 'malformed', jws({ header: { alg: 'ES256', kid: KID.a }, payloadBytes: Buffer.from(JSON.stringify(claims())) }), 'no zip, payload not compressed');
add('zip-wrong', 'malformed', jws({ header: { zip: 'GZIP', alg: 'ES256', kid: KID.a }, payloadBytes: pl }), 'zip is not DEF');
add('kid-missing', 'malformed', jws({ header: { zip: 'DEF', alg: 'ES256' }, payloadBytes: pl }), 'no kid');
add('kid-number', 'malformed', jws({ header: { zip: 'DEF', alg: 'ES256', kid: 7 }, payloadBytes: pl }), 'kid is not a string');
add('crit', 'malformed', jws({ header: hdr('a', { crit: ['exp'] }), payloadBytes: pl }), 'a crit header member');
add('header-not-json', 'malformed', jws({ header: '{"zip":"DEF","alg":"ES256",', payloadBytes: pl }), 'header is not JSON');
add('header-array', 'malformed', jws({ header: '["ES256"]', payloadBytes: pl }), 'header is not an object');

// signature shape
add('der-signature', 'malformed', jws({ header: hdr(), payloadBytes: pl, sigEncoding: 'der' }), 'DER instead of r||s');
{
  const p = card().split('.');
  add('short-signature', 'malformed', p[0] + '.' + p[1] + '.' + p[2].slice(0, 84), 'a 63-byte signature');
}

// trust
add('unknown-issuer', 'unknown_issuer', card({ iss: ISS.c }, 'c'), 'untrusted issuer and key');
add('unknown-issuer-known-key', 'unknown_issuer', card({ iss: ISS.c }, 'a'), 'a trusted key, but the issuer is not trusted');
add('cross-issuer-key', 'unknown_key', card({ iss: ISS.a }, 'b'), 'issuer a, signed with issuer b\'s key');
add('unknown-key-known-issuer', 'unknown_key', card({ iss: ISS.a }, 'c'), 'issuer a, signed with a key nobody trusts');

// payload
add('zlib-wrapped', 'malformed', jws({ header: hdr(), payloadBytes: zlib.deflateSync(Buffer.from(JSON.stringify(claims()))) }), 'zlib header and Adler-32 trailer');
add('inflate-bomb', 'malformed', jws({ header: hdr(), payloadBytes: zlib.deflateRawSync(Buffer.alloc(5 * 1024 * 1024, 0x20), { level: 9 }) }), '5 MB of spaces, over the 4 MB default cap');
add('not-json', 'malformed', jws({ header: hdr(), payloadBytes: deflate('this is not JSON') }), 'payload is text');
add('json-string', 'malformed', jws({ header: hdr(), payloadBytes: deflate(JSON.stringify(JSON.stringify(claims()))) }), 'payload is a JSON string holding JSON');
add('bom', 'malformed', jws({ header: hdr(), payloadBytes: deflate('\ufeff' + JSON.stringify(claims())) }), 'a byte order mark before the JSON');
add('deep-nesting', 'malformed', jws({ header: hdr(), payloadBytes: deflate('['.repeat(100000) + ']'.repeat(100000)) }), '100000 nested arrays');
add('huge-exponent', 'malformed', jws({ header: hdr(), payloadBytes: deflate(JSON.stringify(claims()).replace('"nbf":1700000000', '"nbf":1e999999')) }), 'a number numeric cannot hold');
add('invalid-utf8', 'malformed', jws({ header: hdr(), payloadBytes: zlib.deflateRawSync(Buffer.concat([Buffer.from('{"iss":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')])) }), 'bytes that are not UTF-8');

// claims
add('iss-http', 'malformed', card({ iss: 'http://issuer-a.example.org' }), 'iss is not https');
add('iss-trailing-slash', 'malformed', card({ iss: ISS.a + '/' }), 'iss ends with /');
add('iss-missing', 'malformed', jws({ header: hdr(), payloadBytes: deflate(JSON.stringify({ nbf: 1700000000, vc: claims().vc })) }), 'no iss');
add('nbf-missing', 'malformed', jws({ header: hdr(), payloadBytes: deflate(JSON.stringify({ iss: ISS.a, vc: claims().vc })) }), 'no nbf');
add('nbf-string', 'malformed', card({ nbf: '1700000000' }), 'nbf is a string');
add('nbf-future', 'not_yet_valid', card({ nbf: 1800000000 }), 'nbf in 2027');
add('nbf-milliseconds', 'malformed', card({ nbf: 1700000000000 }), 'nbf in milliseconds');
add('no-health-card-type', 'malformed', card({ types: ['https://smarthealth.cards#immunization'] }), 'vc.type without #health-card');
add('fhirversion-missing', 'malformed', card({ fhirVersion: null }), 'no fhirVersion');
add('bundle-not-bundle', 'malformed', card({ fhirBundle: { resourceType: 'Patient' } }), 'fhirBundle is a Patient');
add('rid-too-long', 'malformed', card({ rid: 'x'.repeat(25) }), 'rid of 25 characters');
add('exp-past', 'expired', card({ exp: 1700003600 }), 'exp one hour after nbf, before the verification time');
add('exp-before-nbf', 'malformed', card({ exp: 1600000000 }), 'exp before nbf');

// revocation: the CRL of key a below
add('revoked-all', 'revoked', card({ rid: 'revokedAll1' }), 'rid listed without timestamp');
add('revoked-before-ts', 'revoked', card({ rid: 'revokedTs01', nbf: 1700000000 }), 'rid.1700000001, nbf one second before');
add('not-revoked-at-ts', 'valid', card({ rid: 'revokedTs01', nbf: 1700000001 }), 'nbf equal to the timestamp: not revoked');
add('not-revoked-after-ts', 'valid', card({ rid: 'revokedTs01', nbf: 1700000002 }), 'nbf after the timestamp: not revoked');
add('revoked-other-issuer', 'valid', card({ iss: ISS.b, rid: 'revokedAll1' }, 'b'), 'the rid is revoked under key a, not key b');

const out = {
  note: 'Generated by test/scripts/forge-cards.mjs with test/data/test-keys.json. Verify at 2024-01-01T00:00:00Z.',
  issuers: ISS,
  jwks: {
    a: { keys: [pubJwk('a', { crlVersion: 2 })] },
    b: { keys: [pubJwk('b')] },
    a2: { keys: [pubJwk('a')] },
  },
  crl: { kid: KID.a, method: 'rid', ctr: 2, rids: ['revokedAll1', 'revokedTs01.1700000001'] },
  kids: KID,
  cards,
};
fs.writeSync(1, JSON.stringify(out, null, 1) + '\n');
