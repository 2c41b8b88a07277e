// revocation.mjs: what a verifier that shares no code with shc decides
// about one card, from what it fetches over HTTP, for the "web" tier.
// Node's crypto and zlib only: fetch <issuer>/.well-known/jwks.json, verify
// the ES256 signature with the key named by kid, and when that key has a
// crlVersion fetch <issuer>/.well-known/crl/<kid>.json and look the card's
// rid up (SHC-NOTES 10: "rid" revokes every card, "rid.<t>" the cards with
// nbf before t).  Prints one JSON line:
//   {"status": "valid"|"revoked"|"bad signature"|"unknown key", "crlVersion", "ctr"}
//
//   node revocation.mjs CARD ISSUER_BASE_URL
import { createPublicKey, verify } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';

const [card, base] = process.argv.slice(2, 4);
const b64u = (s) => Buffer.from(s, 'base64url');
const [h, p, s] = card.split('.');
const header = JSON.parse(b64u(h).toString('utf8'));
const out = (o) => { console.log(JSON.stringify(o)); process.exit(0); };

const jr = await fetch(`${base}/.well-known/jwks.json`);
const jwks = await jr.json();
const jwk = jwks.keys.find((k) => k.kid === header.kid);
if (!jwk) out({ status: 'unknown key' });
const key = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y }, format: 'jwk' });
if (!verify('sha256', Buffer.from(`${h}.${p}`, 'ascii'), { key, dsaEncoding: 'ieee-p1363' }, b64u(s)))
  out({ status: 'bad signature' });
const payload = JSON.parse(inflateRawSync(b64u(p)).toString('utf8'));
const rid = payload.vc.rid;
if (jwk.crlVersion === undefined) out({ status: 'valid', crlVersion: null });
const cr = await fetch(`${base}/.well-known/crl/${header.kid}.json`);
if (cr.status !== 200) out({ status: `CRL fetch answered ${cr.status}`, crlVersion: jwk.crlVersion });
const crl = await cr.json();
const revoked = rid !== undefined && crl.kid === header.kid && crl.method === 'rid' && crl.rids.some((e) => {
  const [r, t] = e.split('.');
  return r === rid && (t === undefined || payload.nbf < Number(t));
});
out({ status: revoked ? 'revoked' : 'valid', crlVersion: jwk.crlVersion, ctr: crl.ctr,
      type: cr.headers.get('content-type'), cors: cr.headers.get('access-control-allow-origin') });
