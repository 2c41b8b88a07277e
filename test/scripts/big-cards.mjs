// big-cards.mjs: the costly cards of issue 11, signed with a throwaway
// P-256 key made here (Node's crypto and zlib, none of shc's code).
//
//   node test/scripts/big-cards.mjs  -> JSON {jwk, iss, cards: {name: jws}}
//
//   worst972     972 characters, kid unknown to any trust store, a payload
//                of [{},{},...] (the most JSON per compressed byte) with
//                no iss: what a hostile QR code can carry
//   unknown4m    just under 4 MB of card text (shc.max_payload_size), kid
//                unknown, a payload inflating to about 4 MB
//   signed4m     the same payload shape signed by the key in "jwk", under a
//                claimed iss: trusted, it is read in full
import { generateKeyPairSync, sign, createHash } from "node:crypto";
import zlib from "node:zlib";
const b64 = (b) => Buffer.from(b).toString("base64url");
const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
const jwk = publicKey.export({ format: "jwk" });
const iss = "https://big.example";
// RFC 7638 thumbprint: the kid a trust store binds the key to
jwk.kid = b64(createHash("sha256").update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y })).digest());
jwk.alg = "ES256";
jwk.use = "sig";
function card(kid, payloadText) {
  const h = b64(JSON.stringify({ zip: "DEF", alg: "ES256", kid }));
  const p = b64(zlib.deflateRawSync(Buffer.from(payloadText), { level: 9 }));
  const sig = sign("sha256", Buffer.from(h + "." + p), { key: privateKey, dsaEncoding: "ieee-p1363" });
  return h + "." + p + "." + b64(sig);
}
const unknown = "unknown-" + "k".repeat(35);
// the longest [{},...] whose card stays within 972 characters (binary search)
const worstOf = (n) => card(unknown, '{"vc":[' + "{},".repeat(n) + "{}]}");
let lo = 1, hi = 1;
while (worstOf(hi).length <= 972) { lo = hi; hi *= 2; }
while (hi - lo > 1) { const mid = (lo + hi) >> 1; if (worstOf(mid).length <= 972) lo = mid; else hi = mid; }
const worst = worstOf(lo);
// a payload of [{},{},...] just under 4 MB (the default shc.max_payload_size)
const big = (prefix) => prefix + "[" + "{},".repeat(Math.floor((4 * 1024 * 1024 - 100 - prefix.length) / 3)) + "{}]}";
const signed4m = card(jwk.kid, big('{"iss":"' + iss + '","nbf":1700000000,"vc":{"type":["https://smarthealth.cards#health-card"],"credentialSubject":{"fhirVersion":"4.0.1","fhirBundle":{"resourceType":"Bundle"}}},"x":'));
// a 4 MB text: a payload segment of base64url noise, unknown kid
const h = b64(JSON.stringify({ zip: "DEF", alg: "ES256", kid: unknown }));
const pad = 4 * 1024 * 1024 - 200;
const noise = b64(zlib.deflateRawSync(Buffer.from(big('{"vc":'))));
const unknown4m = h + "." + (noise + "A".repeat(Math.max(0, pad - noise.length))).slice(0, pad - (pad % 4)) + "." + "A".repeat(86);
process.stdout.write(JSON.stringify({ jwk, iss, cards: { worst972: worst, unknown4m, signed4m } }));
