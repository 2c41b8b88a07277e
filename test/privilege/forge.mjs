#!/usr/bin/env node
// forge.mjs: what a hostile trust administrator or role brings to the
// privilege tier, as one JSON object on standard output (passed to every
// test/privilege/*.sql file as the psql variable "fx").  Independent of
// shc: Node's crypto and zlib, the suite's fixed test keys
// (test/data/test-keys.json).
//
//   victim_iss, victim_jwks     issuer a and its public key "a"
//   attacker_iss, attacker_jwks an issuer the attacker controls, key "c"
//   forged_jwk                  key c's coordinates under key a's kid
//   forged_card                 a card for victim_iss whose header names key
//                               a's kid, signed with key c
//   victim_card                 a genuine card of the victim (key a)
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const keys = JSON.parse(fs.readFileSync(path.join(here, '../data/test-keys.json'), 'utf8')).keys;
const b64u = (buf) => Buffer.from(buf).toString('base64url');
const kid = (k) =>
  b64u(crypto.createHash('sha256').update(`{"crv":"P-256","kty":"EC","x":"${k.x}","y":"${k.y}"}`).digest());
const pub = (k, id = kid(k)) => ({ kty: 'EC', kid: id, use: 'sig', alg: 'ES256', crv: 'P-256', x: k.x, y: k.y });

const victimIss = 'https://victim.example.org';
const attackerIss = 'https://attacker.example.org';

function card(iss, headerKid, signer) {
  const payload = {
    iss,
    nbf: 1700000000,
    vc: {
      type: ['https://smarthealth.cards#health-card'],
      credentialSubject: {
        fhirVersion: '4.0.1',
        fhirBundle: {
          resourceType: 'Bundle', type: 'collection',
          entry: [{ fullUrl: 'resource:0', resource: { resourceType: 'Patient', name: [{ family: 'Forged' }] } }],
        },
      },
    },
  };
  const input = b64u(JSON.stringify({ zip: 'DEF', alg: 'ES256', kid: headerKid })) + '.' +
    b64u(zlib.deflateRawSync(Buffer.from(JSON.stringify(payload))));
  const sig = crypto.sign('sha256', Buffer.from(input, 'ascii'),
    { key: crypto.createPrivateKey({ key: signer, format: 'jwk' }), dsaEncoding: 'ieee-p1363' });
  return input + '.' + b64u(sig);
}

process.stdout.write(JSON.stringify({
  victim_iss: victimIss,
  victim_jwks: { keys: [pub(keys.a)] },
  attacker_iss: attackerIss,
  attacker_jwks: { keys: [pub(keys.c)] },
  forged_jwk: pub(keys.c, kid(keys.a)),
  forged_card: card(victimIss, kid(keys.a), keys.c),
  victim_card: card(victimIss, kid(keys.a), keys.a),
}));
