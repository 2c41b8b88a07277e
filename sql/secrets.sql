-- Keys at rest (docs/security.md): private keys and rid secrets sealed
-- under the root key, importing from server files, signing with an
-- issuer's newest key, per-issuer signing grants.  The scratch server has
-- a root key (test/scripts/common.sh); the test keys are test/data's.
SELECT shc_root_key_id() ~ '^[0-9a-f]{16}$' AS root_key_configured;
SELECT shc_root_key_id() AS root_key_id \gset

-- importing from a server-side file: the key is never in a statement
SELECT '/tmp/shc-regress-' || pg_backend_pid() AS base \gset
SELECT :'base' || '-c.jwk' AS keyfile, :'base' || '-bad.jwk' AS badfile,
       :'base' || '-rid.txt' AS ridfile \gset
-- test key "c" of test/data/test-keys.json (test-only, public)
\set jwk_c '{"kty":"EC","x":"UWOtgMXvdl6iPio-lbFoxoz9UHnkuZbLEEnVUYrkHAk","y":"_0py6KwCLSxVMS9eyhfvxo2h_nC14Fgfc7Ac3DiV08A","crv":"P-256","d":"Q_wGtludRMDFyn8X7ZSWHLYC4hg-9uNHzGMftLAQbEI"}'
COPY (SELECT :'jwk_c') TO :'keyfile';
COPY (SELECT 'not json {"d":"the-file-contents"}') TO :'badfile';
COPY (SELECT 'shc-regress-file-secret-not-random-0123456789') TO :'ridfile';
SELECT shc_key_import_file('https://file.example', :'keyfile') AS kid \gset
SELECT :'kid' = shc_kid(:'jwk_c'::jsonb) AS kid_is_thumbprint,
       (SELECT iss FROM shc_keys WHERE kid = :'kid') AS iss;
SELECT shc_rid_secret_import_file('https://file.example', :'ridfile') AS rid_version;
SELECT shc_rid(:'kid', 'alice') ~ '^[A-Za-z0-9_-]{11}$' AS rid_computed;

-- stored sealed: the scalar is not in the row, in any encoding
SELECT length(sealed_d) AS sealed_length,
       position(convert_to(:'jwk_c'::jsonb->>'d', 'UTF8') IN sealed_d) = 0 AS no_d_in_clear,
       substr(sealed_d, 1, 1) = '\x01'::bytea AS format_1,
       encode(substr(sealed_d, 2, 8), 'hex') = :'root_key_id' AS names_root_key
  FROM shc_private_keys WHERE kid = :'kid';

-- errors of the file imports
SELECT * FROM regress_error($$SELECT shc_key_import_file('https://file.example', 'relative/key.jwk')$$);
SELECT * FROM regress_error($$SELECT shc_key_import_file('https://file.example', '/nonexistent/shc.jwk')$$);
SELECT * FROM regress_error($$SELECT shc_key_import_file('https://file.example', '/')$$);
SELECT * FROM regress_error($$SELECT shc_key_import_file('http://file.example', '/')$$);
SELECT code, replace(message, :'badfile', '<file>') AS message, detail, hint
  FROM regress_error(format('SELECT shc_key_import_file(%L, %L)', 'https://file.example', :'badfile'));
SELECT code, replace(message, :'kid', '<kid>') AS message, detail, hint
  FROM regress_error(format('SELECT shc_key_import_file(%L, %L)', 'https://file.example', :'keyfile'));
SELECT code, message, detail, hint
  FROM regress_error(format('SELECT shc_rid_secret_import_file(%L, %L)', 'https://file.example', :'badfile'));
SELECT code, message, detail, hint
  FROM regress_error(format('SELECT shc_rid_secret_import_file(%L, %L)', 'https://file.example', :'ridfile'));
CREATE ROLE regress_shc_keyadmin IN ROLE shc_key_admin;
SET ROLE regress_shc_keyadmin;
SELECT * FROM regress_error(format('SELECT shc_key_import_file(%L, %L)', 'https://file.example', :'keyfile'));
SELECT * FROM regress_error(format('SELECT shc_rid_secret_import_file(%L, %L)', 'https://file.example', :'ridfile'));
RESET ROLE;

-- an issuer URL signs with the issuer's newest usable key
CREATE TEMP TABLE b AS SELECT '{"resourceType":"Bundle","type":"collection","entry":[{"fullUrl":"resource:0","resource":{"resourceType":"Patient","name":[{"family":"Anyone"}]}}]}'::jsonb AS v;
GRANT SELECT ON b TO PUBLIC;
SELECT shc_decode(shc_issue(v, 'https://file.example'))->'header'->>'kid' = :'kid' AS signs_with_imported FROM b;
SELECT shc_key_create('https://file.example') AS newkid \gset
SELECT shc_decode(shc_issue(v, 'https://file.example'))->'header'->>'kid' = :'newkid' AS signs_with_newest FROM b;
SELECT shc_key_retire(:'newkid');
SELECT shc_decode(shc_issue(v, 'https://file.example'))->'header'->>'kid' = :'kid' AS back_to_imported FROM b;
SELECT code, replace(message, :'newkid', '<kid>') AS message, detail, hint
  FROM b, regress_error(format('SELECT shc_issue(%L, %L)', v, :'newkid'));
SELECT e.* FROM b, regress_error(format('SELECT shc_issue(%L, %L)', v, 'https://nokeys.example')) e;

-- the issue trigger's call: card, kid and rid in one, agreeing
SELECT c.kid = :'kid' AS newest_kid, shc_decode(c.card)->'header'->>'kid' = c.kid AS card_kid,
       c.rid = shc_rid(c.kid, 'patient-7') AS rid_of_subject,
       shc_decode(c.card)->'payload'->'vc'->>'rid' = c.rid AS rid_in_card
  FROM b, shc_issue_card(v, 'https://file.example', subject => 'patient-7') c;
SELECT rid IS NULL AS no_subject_no_rid, kid = :'kid' AS by_kid
  FROM b, shc_issue_card(v, :'kid') c;
SELECT code, replace(message, :'newkid', '<kid>') AS message, detail, hint
  FROM b, regress_error(format('SELECT shc_issue_card(%L, %L)', v, :'newkid'));
SELECT * FROM regress_error($$SELECT shc_issue_card('{"resourceType":"Bundle"}', 'https://file.example', subject => '')$$);

-- per-issuer signing grants
CREATE ROLE regress_shc_signer IN ROLE shc_issuer;
CREATE ROLE regress_shc_other IN ROLE shc_issuer;
SET ROLE regress_shc_signer;
SELECT shc_issue(v, 'https://file.example') IS NOT NULL AS anyone_in_shc_issuer_signs FROM b;
RESET ROLE;
SELECT shc_issuer_grant('https://file.example', 'regress_shc_other') AS granted;
SELECT shc_issuer_grant('https://file.example', 'regress_shc_other') AS granted_again;
SET ROLE regress_shc_signer;
SELECT e.* FROM b, regress_error(format('SELECT shc_issue(%L, %L)', v, 'https://file.example')) e;
SELECT code, replace(message, :'kid', '<kid>') AS message, detail, hint
  FROM b, regress_error(format('SELECT shc_issue(%L, %L)', v, :'kid'));
RESET ROLE;
SET ROLE regress_shc_other;
SELECT shc_issue(v, 'https://file.example') IS NOT NULL AS grantee_signs FROM b;
RESET ROLE;
SELECT shc_issue(v, 'https://file.example') IS NOT NULL AS superuser_signs FROM b;
SELECT shc_issuer_revoke('https://file.example', 'regress_shc_other') AS revoked,
       shc_issuer_revoke('https://file.example', 'regress_shc_other') AS revoked_again;
SET ROLE regress_shc_signer;
SELECT shc_issue(v, 'https://file.example') IS NOT NULL AS open_again FROM b;
RESET ROLE;
SELECT * FROM regress_error($$SELECT shc_issuer_grant('https://file.example/', 'regress_shc_other')$$);
SELECT * FROM regress_error($$SELECT shc_issuer_grant('https://file.example', 'regress_no_such_role')$$);

-- a sealed value opens only in its own row, under the root key named in it
BEGIN;
UPDATE shc_private_keys SET sealed_d = (SELECT sealed_d FROM shc_private_keys p
                                          JOIN shc_keys k USING (kid)
                                         WHERE k.iss = 'https://spec.smarthealth.cards/examples/issuer')
 WHERE kid = :'kid';
SELECT code, replace(message, :'kid', '<kid>') AS message, detail, hint
  FROM b, regress_error(format('SELECT shc_issue(%L, %L)', v, :'kid'));
ROLLBACK;
BEGIN;
UPDATE shc_private_keys SET sealed_d = overlay(sealed_d PLACING '\xffffffffffffffff'::bytea FROM 2)
 WHERE kid = :'kid';
SELECT code, replace(message, :'kid', '<kid>') AS message, replace(detail, :'root_key_id', '<id>') AS detail, hint
  FROM b, regress_error(format('SELECT shc_issue(%L, %L)', v, :'kid'));
ROLLBACK;
SELECT shc_decode(shc_issue(v, :'kid'))->'header'->>'kid' = :'kid' AS signs_again FROM b;

-- nothing to reseal while one root key is configured
SELECT shc_root_key_rotate() AS resealed;
-- issue 22: the rotation waits for the transactions that sealed secrets and
-- must then see what they stored, so not under a transaction snapshot
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT * FROM regress_error('SELECT shc_root_key_rotate()');
ROLLBACK;
-- the root keys rotated away from: none yet, and no role but the owner reads them
SELECT count(*) AS retired FROM shc.shc_root_key_retired;
SELECT has_table_privilege('regress_shc_keyadmin', 'shc.shc_root_key_retired', 'SELECT') AS keyadmin_reads_retired;

-- issue 22: shc_key_replace() replaces an issuer's keys and adds a rid secret
-- version in one statement (after an update from 0.1.0)
SELECT * FROM regress_error($$SELECT * FROM shc_key_replace('https://nobody.example')$$);
SELECT string_agg(kid, ',' ORDER BY kid) AS file_kids FROM shc_keys
 WHERE iss = 'https://file.example' AND retired_at IS NULL \gset
SELECT max(version) AS rid_before FROM shc_rid_secrets WHERE iss = 'https://file.example' \gset
SELECT issuer, new_kid ~ '^[A-Za-z0-9_-]{43}$' AND new_kid <> ALL (retired_kids) AS new_key,
       array_to_string(retired_kids, ',') = :'file_kids' AS old_keys_retired,
       rid_secret_version = :rid_before + 1 AS new_rid_version
  FROM shc_key_replace('https://file.example');
SELECT count(*) FILTER (WHERE retired_at IS NULL) AS active_keys,
       count(*) FILTER (WHERE retired_at IS NOT NULL AND kid = ANY (string_to_array(:'file_kids', ','))) AS retired_keys,
       (SELECT count(*) FROM shc_private_keys p WHERE p.kid = ANY (string_to_array(:'file_kids', ','))) AS old_private_keys_left
  FROM shc_keys WHERE iss = 'https://file.example';
SELECT version = :rid_before + 1 AS current_is_new FROM shc_rid_secrets
 WHERE iss = 'https://file.example' AND retired_at IS NULL;
SELECT has_function_privilege('regress_shc_keyadmin', 'shc_key_replace(text)', 'EXECUTE') AS keyadmin_may,
       has_function_privilege('regress_shc_other', 'shc_key_replace(text)', 'EXECUTE') AS others_may;

DELETE FROM shc_issuer_grants;
DROP ROLE regress_shc_keyadmin, regress_shc_signer, regress_shc_other;
SELECT format('COPY (SELECT 1) TO PROGRAM %L', format('rm -f %s %s %s', :'keyfile', :'badfile', :'ridfile')) AS rm \gset
:rm;
