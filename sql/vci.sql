-- VCI directory import: shc_signature_verify, shc_x509_info,
-- shc_trust_vci_snapshot and shc_trust_vci_directory on a small signed
-- snapshot made for this test (openssl: a P-256 CA certificate valid
-- 2020-2099, ecdsa-with-SHA256 over the exact bytes below), every bad entry
-- skipped with its reason, and every error a caller can cause.  The real
-- directory (651 issuers) is loaded by test/tiers/62-vci.sh.
CREATE TEMP TABLE vci (snap bytea, sig bytea, crt text, leaf text, empty_sig bytea, nj_sig bytea);
INSERT INTO vci VALUES (convert_to($snap${"directory":"https://regress.example.org/vci-issuers.json","time":"2026-01-01T00:00:00Z","issuerInfo":[{"issuer":{"iss":"https://a.example.org","name":"A"},"keys":[{"kty":"EC","kid":"X72f7PhDlwXULdV2-iBrWOAzAIOzygE75cAE64q3OD4","use":"sig","alg":"ES256","crv":"P-256","x":"-xq1xnN5J7W3xlW3gJZM7870tldpthfXYJ4frq_El9o","y":"bmZMTZKtZd0zO60Jt8_mYTC1eoK9H_pv1F3CRFJcrqc","crlVersion":"1"}],"crls":[{"kid":"X72f7PhDlwXULdV2-iBrWOAzAIOzygE75cAE64q3OD4","method":"rid","ctr":1,"rids":["AAAAAAAAAAA"]},{"kid":"ZwQB_CCDRmPajiZKUSIG_j8qy4PQohZlFdxPJfswXkw","method":"rid","ctr":1,"rids":[]},{"kid":"X72f7PhDlwXULdV2-iBrWOAzAIOzygE75cAE64q3OD4","method":"rid","ctr":"x","rids":[]}]},{"issuer":{"iss":"https://b.example.org","name":"B"},"keys":[{"kty":"EC","kid":"not-the-thumbprint-of-this-key-aaaaaaaaaaa","use":"sig","alg":"ES256","crv":"P-256","x":"7UZJoRmph7-i-H9tWuWncUZ_DLa1HTwGB7lvZ_nFa8E","y":"X-2hF4llsWxLfiu7X_ArM-F6wpZoNBsJFipeciO3jIk"},{"kty":"EC","kid":"ZwQB_CCDRmPajiZKUSIG_j8qy4PQohZlFdxPJfswXkw","use":"sig","alg":"ES256","crv":"P-256","x":"UWOtgMXvdl6iPio-lbFoxoz9UHnkuZbLEEnVUYrkHAk","y":"_0py6KwCLSxVMS9eyhfvxo2h_nC14Fgfc7Ac3DiV08A"}]},{"issuer":{"iss":"https://alias.example.org","name":"B alias","canonical_iss":"https://b.example.org"},"keys":[]},{"issuer":{"iss":"https://d.example.org","name":"D"},"keys":[{"kty":"EC","kid":"short","use":"sig","alg":"ES256","crv":"P-256","x":"WOtgMXvdl6iPio-lbFoxoz9UHnkuZbLEEnVUYrkHAk","y":"_0py6KwCLSxVMS9eyhfvxo2h_nC14Fgfc7Ac3DiV08A"}]},{"issuer":{"iss":"https://e.example.org","name":"E"},"keys":[{"kty":"EC","kid":"off","use":"sig","alg":"ES256","crv":"P-256","x":"UWOtgMXvdl6iPio-lbFoxoz9UHnkuZbLEEnVUYrkHAk","y":"bmZMTZKtZd0zO60Jt8_mYTC1eoK9H_pv1F3CRFJcrqc"},{"kty":"EC","kid":"DDnPou2sWEyXLNe4AmNm87vgsTpABpNoJRoIy43zigc","use":"sig","alg":"ES256","crv":"P-256","x":"7UZJoRmph7-i-H9tWuWncUZ_DLa1HTwGB7lvZ_nFa8E","y":"X-2hF4llsWxLfiu7X_ArM-F6wpZoNBsJFipeciO3jIk"}]},{"issuer":{"iss":"http://insecure.example.org","name":"F"},"keys":[{"kty":"EC","kid":"X72f7PhDlwXULdV2-iBrWOAzAIOzygE75cAE64q3OD4","use":"sig","alg":"ES256","crv":"P-256","x":"-xq1xnN5J7W3xlW3gJZM7870tldpthfXYJ4frq_El9o","y":"bmZMTZKtZd0zO60Jt8_mYTC1eoK9H_pv1F3CRFJcrqc"}]},{"issuer":{"iss":"https://a.example.org","name":"A again"},"keys":[{"kty":"EC","kid":"DDnPou2sWEyXLNe4AmNm87vgsTpABpNoJRoIy43zigc","use":"sig","alg":"ES256","crv":"P-256","x":"7UZJoRmph7-i-H9tWuWncUZ_DLa1HTwGB7lvZ_nFa8E","y":"X-2hF4llsWxLfiu7X_ArM-F6wpZoNBsJFipeciO3jIk"}]},{"issuer":{"iss":"https://regress-hand.example.org","name":"by hand"},"keys":[{"kty":"EC","kid":"DDnPou2sWEyXLNe4AmNm87vgsTpABpNoJRoIy43zigc","use":"sig","alg":"ES256","crv":"P-256","x":"7UZJoRmph7-i-H9tWuWncUZ_DLa1HTwGB7lvZ_nFa8E","y":"X-2hF4llsWxLfiu7X_ArM-F6wpZoNBsJFipeciO3jIk"}]},{"issuer":{"iss":"https://i.example.org","name":"I"},"keys":[{"kty":"RSA","kid":"rsa","use":"sig","alg":"RS256","n":"AQAB","e":"AQAB"}]},{"issuer":{"name":"no iss"},"keys":[{"kty":"EC","kid":"X72f7PhDlwXULdV2-iBrWOAzAIOzygE75cAE64q3OD4","use":"sig","alg":"ES256","crv":"P-256","x":"-xq1xnN5J7W3xlW3gJZM7870tldpthfXYJ4frq_El9o","y":"bmZMTZKtZd0zO60Jt8_mYTC1eoK9H_pv1F3CRFJcrqc"}]},{"issuer":{"iss":"https://nokeys.example.org","name":"no keys"}}]}$snap$, 'UTF8'),
  '\x30440220787ef27bdd18be455efe8724eb23dfd72ae5821b65bc2c1d7b6e22aadc3d326c02201373216ec7be01e63d0728f734119a050692ff32b44fd9673906ab1e86a7f031',
  $crt$-----BEGIN CERTIFICATE-----
MIIBczCCARmgAwIBAgIBATAKBggqhkjOPQQDAjAgMR4wHAYDVQQDDBVzaGMtcmVn
cmVzcy1kaXJlY3RvcnkwIBcNMjAwMTAxMDAwMDAwWhgPMjA5OTEyMzEwMDAwMDBa
MCAxHjAcBgNVBAMMFXNoYy1yZWdyZXNzLWRpcmVjdG9yeTBZMBMGByqGSM49AgEG
CCqGSM49AwEHA0IABJUpgmsz1xOfVZqnRRA4/P58yG6YglPIkE/H8ChXOiAzi6Or
NPPCAZm7otKXaJPjZVG7sCNVrgsQ3+/9Pw+LqOSjQjBAMA8GA1UdEwEB/wQFMAMB
Af8wDgYDVR0PAQH/BAQDAgGGMB0GA1UdDgQWBBSx+WkjbxtAuSOS8Clukesbe6sc
hTAKBggqhkjOPQQDAgNIADBFAiEAxkwYgV/5GhM6kor8ewMuKBIxhsUmNPODpx56
t9BVM9UCIFjBDE+J3+q9Fcq05LZ0z5q/G6g/1cGtpTuxtDnu2XU4
-----END CERTIFICATE-----
$crt$,
  $leaf$-----BEGIN CERTIFICATE-----
MIIBkjCCATigAwIBAgIBBzAKBggqhkjOPQQDAjAgMR4wHAYDVQQDDBVzaGMtcmVn
cmVzcy1kaXJlY3RvcnkwIBcNMjYxMTI5MDAzNjM4WhgPMjEyNjExMDUwMDM2Mzha
MA8xDTALBgNVBAMMBGxlYWYwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAASSfnmW
axwJQytzNYy0cFj8X0MnJ5o1CaFjus5ckb3335S88Lx9IkLu7anThYtm2OmGkU49
EnZjHuIcEgvT180Co3IwcDAMBgNVHRMBAf8EAjAAMCAGA1UdEQQZMBeGFWh0dHBz
Oi8vYS5leGFtcGxlLm9yZzAdBgNVHQ4EFgQUVbYrLiHDk8Zwm219aQGwKvjZ19sw
HwYDVR0jBBgwFoAUsflpI28bQLkjkvApbpHrG3urHIUwCgYIKoZIzj0EAwIDSAAw
RQIhAPZi8c87E16f11xeu/rVzpVtoL5UqiQ0UaC1/98IF3jVAiBpK9vihJh4gK7i
cdX3gwFwZKdeaPr8OVkg88AbjJTHFw==
-----END CERTIFICATE-----
$leaf$,
  '\x3045022100ecb39f5e43322e41028b2413b548b05b2b499207ab6d998219f1173722c5039d0220114a140040c3f0361a087cda241881913d32ec3ea5a50502ed7e6cc655003d26',
  '\x30440220013aa62fb72a868e8653d1797aaebb995758a1da8d125bba1611273f153c20b20220241a36804b1b09446d5492f3447e32c79ecff204444619c93b96933eecd747e6');

-- the certificate
SELECT sha256 ~ '^[0-9a-f]{64}$' AS fingerprint, subject, issuer, not_before, not_after, is_ca,
       length(der) > 300 AS der
  FROM vci, shc_x509_info(crt);
SELECT * FROM regress_error($$SELECT shc_x509_info('not a certificate')$$);

-- detached signatures
SELECT shc_signature_verify(snap, sig, crt) AS good,
       shc_signature_verify(snap || '\x20'::bytea, sig, crt) AS appended_byte,
       shc_signature_verify(overlay(snap PLACING '\x41'::bytea FROM 100), sig, crt) AS changed_byte,
       shc_signature_verify(snap, empty_sig, crt) AS other_signature,
       shc_signature_verify(snap, '\x3000'::bytea, crt) AS garbage_signature,
       shc_signature_verify(snap, sig, leaf) AS other_certificate
  FROM vci;
SELECT * FROM regress_error($$SELECT shc_signature_verify(snap, sig, 'PEM?') FROM vci$$);
SELECT * FROM regress_error($$SELECT shc_signature_verify(snap, sig, crt, '2019-12-31') FROM vci$$);
SELECT * FROM regress_error($$SELECT shc_signature_verify(snap, sig, crt, '2100-01-01') FROM vci$$);
SELECT * FROM regress_error($$SELECT shc_signature_verify(snap, sig, crt, 'infinity') FROM vci$$);

-- an issuer trusted by hand, also listed in the directory
\set keys `cat test/data/test-keys.json`
SELECT shc_trust('https://regress-hand.example.org',
                 jsonb_build_object('keys', jsonb_build_array(k - 'd' || jsonb_build_object(
                   'use', 'sig', 'alg', 'ES256', 'kid', shc_kid(k - 'd')))), 'Hand') AS hand_keys
  FROM (SELECT (:'keys'::jsonb)->'keys'->'a' AS k) s;

-- issue 22: the signing certificate must be pinned.  Shipped: the
-- fingerprint of the directory's published certificate (vci_snapshot.crt)
SELECT sha256, shipped FROM shc_vci_anchor;
-- a certificate that is not pinned (this test's own) loads nothing
SELECT * FROM regress_error($$SELECT * FROM vci, shc_trust_vci_snapshot(snap, sig, crt)$$);
SELECT count(*) AS directory_issuers FROM shc_directory_issuer;
SELECT * FROM regress_error($$SELECT shc_trust_vci_anchor_set('c3e44e40')$$);
SELECT * FROM regress_error($$SELECT shc_trust_vci_anchor_set('not hex at all, not hex at all, not hex at all, not hex at all, !')$$);
-- the trust administrator pins this test's certificate (colons and upper case allowed)
SELECT shc_trust_vci_anchor_set(upper(regexp_replace(sha256, '(..)(?!$)', '\1:', 'g'))) = sha256 AS pinned
  FROM vci, shc_x509_info(crt);
SELECT count(*) FILTER (WHERE shipped) AS shipped_rows, count(*) FILTER (WHERE NOT shipped) AS pinned_rows
  FROM shc_vci_anchor;

-- nothing is read before the signature verifies
SELECT * FROM regress_error($$SELECT * FROM vci, shc_trust_vci_snapshot(overlay(snap PLACING '\x41'::bytea FROM 100), sig, crt)$$);
SELECT * FROM regress_error($$SELECT * FROM vci, shc_trust_vci_snapshot(snap, empty_sig, crt)$$);
SELECT * FROM regress_error($$SELECT * FROM vci, shc_trust_vci_snapshot(convert_to('{"directory":"x","time":"y"}', 'UTF8'), empty_sig, crt)$$);
SELECT * FROM regress_error($$SELECT * FROM vci, shc_trust_vci_snapshot(convert_to('not json', 'UTF8'), nj_sig, crt)$$);
SELECT count(*) AS nothing_loaded FROM shc_directory_issuer;

-- the load: every good issuer, key and CRL; each bad one with its reason
SELECT r.* FROM vci, shc_trust_vci_snapshot(snap, sig, crt) r;
SELECT d.iss, d.canonical_iss, d.directory, d.directory_time, k.kid, k.crl_version
  FROM shc_directory_issuer d JOIN shc_trusted_key k USING (iss) ORDER BY 1, 5;
SELECT iss, kid, ctr, rids FROM shc_trusted_crl WHERE iss LIKE 'https://%.example.org' AND iss IN (SELECT iss FROM shc_directory_issuer);
-- the hand-trusted issuer kept its own key and its name
SELECT i.name, k.kid FROM shc_trusted_issuer i JOIN shc_trusted_key k USING (iss)
 WHERE iss = 'https://regress-hand.example.org';

-- the plain directory replaces the import: keys supplied for one issuer
SELECT r.* FROM shc_trust_vci_directory(
  '{"participating_issuers": [{"iss": "https://b.example.org", "name": "B"},
                              {"iss": "https://z.example.org", "name": "Z"},
                              {"iss": "https://regress-hand.example.org", "name": "H"}]}',
  jsonb_build_object('https://b.example.org', jsonb_build_object('keys', jsonb_build_array(
    (((:'keys'::jsonb)->'keys'->'c') - 'd') || '{"use":"sig","alg":"ES256","kid":"ZwQB_CCDRmPajiZKUSIG_j8qy4PQohZlFdxPJfswXkw"}')))) r;
SELECT iss FROM shc_directory_issuer ORDER BY 1;
SELECT * FROM regress_error($$SELECT * FROM shc_trust_vci_directory('{"issuers": []}')$$);
SELECT * FROM regress_error($$SELECT * FROM shc_trust_vci_directory('{"participating_issuers": []}', '[]')$$);
-- an empty directory would remove the whole import: refused (issue #23),
-- nothing changes; said explicitly, it removes it, never the hand-trusted issuer
SELECT * FROM regress_error($$SELECT * FROM shc_trust_vci_directory('{"participating_issuers": []}')$$);
SELECT * FROM regress_error($$SELECT * FROM shc_trust_vci_directory('{"participating_issuers": [{"iss": "https://gone.example.org"}]}')$$);
SELECT iss FROM shc_directory_issuer ORDER BY 1;
SELECT r.* FROM shc_trust_vci_directory('{"participating_issuers": []}', allow_remove_all => true) r;
SELECT count(*) AS directory_issuers FROM shc_directory_issuer;
SELECT shc_untrust('https://regress-hand.example.org') AS hand_untrusted;

-- x5c trust anchors: CA certificates only; nothing loaded by default
SELECT count(*) AS anchors FROM shc_trust_anchor;
SELECT * FROM regress_error($$SELECT shc_trust_anchor_add(leaf) FROM vci$$);
SELECT shc_trust_anchor_add(crt) = (SELECT sha256 FROM shc_x509_info(crt)) AS added,
       shc_trust_anchor_add(crt) IS NOT NULL AS added_twice FROM vci;
SELECT count(*) AS anchors, min(subject) AS subject FROM shc_trust_anchor;
SELECT shc_trust_anchor_remove((SELECT sha256 FROM vci, shc_x509_info(crt))) AS removed,
       shc_trust_anchor_remove(repeat('0', 64)) AS removed_none;

-- the x5c policy per issuer
SHOW shc.x5c_policy;
SELECT shc_x5c_policy_set('https://a.example.org', 'required') AS set;
SELECT * FROM shc_x5c_policy;
SELECT * FROM regress_error($$SELECT shc_x5c_policy_set('https://a.example.org', 'strict')$$);
SELECT * FROM regress_error($$SELECT shc_x5c_policy_set(NULL, 'ignore')$$);
SELECT * FROM regress_error($$SELECT shc_x5c_policy_set('http://a.example.org', 'ignore')$$);
SELECT * FROM regress_error($$SET shc.x5c_policy = 'strict'$$);
-- under "required", a key without x5c is not loaded
SELECT r.* FROM vci, shc_trust_vci_directory(
  '{"participating_issuers": [{"iss": "https://a.example.org"}]}',
  jsonb_build_object('https://a.example.org', jsonb_build_object('keys', jsonb_build_array(
    (((:'keys'::jsonb)->'keys'->'a') - 'd') || '{"use":"sig","alg":"ES256","kid":"X72f7PhDlwXULdV2-iBrWOAzAIOzygE75cAE64q3OD4"}')))) r;
SELECT shc_x5c_policy_set('https://a.example.org', NULL) AS reset;
SELECT count(*) AS policies FROM shc_x5c_policy;

-- who may do it: the trust functions are not for PUBLIC
CREATE ROLE regress_vci_user;
GRANT SELECT ON vci TO regress_vci_user;
SET ROLE regress_vci_user;
SELECT * FROM regress_error($$SELECT * FROM vci, shc_trust_vci_snapshot(snap, sig, crt)$$);
SELECT * FROM regress_error($$SELECT * FROM shc_trust_vci_directory('{"participating_issuers": []}')$$);
SELECT * FROM regress_error($$SELECT shc_trust_anchor_add(crt) FROM vci$$);
SELECT * FROM regress_error($$SELECT shc_x5c_policy_set('https://a.example.org', 'ignore')$$);
SELECT * FROM regress_error($$SELECT shc_trust_vci_anchor_set(NULL)$$);
SELECT shc_signature_verify(snap, sig, crt) AS anyone_may_check FROM vci;
RESET ROLE;
-- back to the shipped pin
SELECT shc_trust_vci_anchor_set(NULL) AS in_force;
SELECT * FROM regress_error($$SELECT * FROM vci, shc_trust_vci_snapshot(snap, sig, crt)$$);
DROP TABLE vci;
DROP ROLE regress_vci_user;
