-- SMART Health Links (SHC-NOTES 15): JWE, shlink:/ text, links stored in
-- the database, manifest / location / direct answers, the access log, QR
-- codes, and every error a user can cause.  Keys and ids are random, so
-- only their shape is shown where they appear.
\pset format unaligned

-- JWE: a known answer made with Node's crypto (key = bytes 0..31)
\set k0 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8'
\set jwe0 'eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIiwiY3R5IjoidGV4dC9wbGFpbiJ9..oKGio6Slpqeoqaqr.tVU9fxHrStoDCfO7JzapsBvf.f-FSi8dqXU8UiHwXRzaqRQ'
SELECT * FROM shc_link_decrypt(:'jwe0', :'k0');
-- round trips, with and without zip; two encryptions differ (fresh IV)
SELECT (shc_link_decrypt(shc_link_encrypt('{"resourceType":"Patient"}', :'k0', 'application/fhir+json', true), :'k0')).*;
SELECT (shc_link_decrypt(shc_link_encrypt('héllo', :'k0', 'text/plain'), :'k0')).plaintext;
SELECT shc_link_encrypt('x', :'k0', 'text/plain') <> shc_link_encrypt('x', :'k0', 'text/plain') AS fresh_iv;
SELECT split_part(shc_link_encrypt('x', :'k0', 'text/plain', true), '.', 1) AS zip_header;
-- JWE rejections: key length, alg, enc, tag, truncation
SELECT * FROM regress_error($$SELECT shc_link_decrypt('a.b.c.d.e', 'AAEC')$$);
SELECT * FROM regress_error($$SELECT shc_link_decrypt('eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIiwiY3R5IjoidGV4dC9wbGFpbiJ9..oKGio6Slpqeoqaqr.tVU9fxHrStoDCfO7JzapsBvf.f-FSi8dqXU8UiHwXRzaqRQ', 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8AAA')$$);
SELECT * FROM regress_error($$SELECT shc_link_decrypt('eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIiwiY3R5IjoidGV4dC9wbGFpbiJ9..oKGio6Slpqeoqaqr.tVU9fxHrStoDCfO7JzapsBvf.f-FSi8dqXU8UiHwXRzaqRQ', 'BAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8')$$);
SELECT * FROM regress_error($$SELECT shc_link_decrypt('eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIiwiY3R5IjoidGV4dC9wbGFpbiJ9..oKGio6Slpqeoqaqr.tVU9fxHrStoDCfO7JzapsBvf.e-FSi8dqXU8UiHwXRzaqRQ', 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8')$$);
SELECT * FROM regress_error($$SELECT shc_link_decrypt('eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIiwiY3R5IjoidGV4dC9wbGFpbiJ9..oKGio6Slpqeoqaqr.tVU9fxHrStoDCfO7JzapsBvf.f-FSi8dqXU8UiHwXRz', 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8')$$);
SELECT * FROM regress_error($$SELECT shc_link_decrypt('eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIiwiY3R5IjoidGV4dC9wbGFpbiJ9..oKGio6Slpqeoqaqr.tVU9fxHrStoDCfO7JzapsBvf', 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8')$$);
-- {"alg":"A256KW","enc":"A256GCM"} and {"alg":"dir","enc":"A128GCM"}
SELECT * FROM regress_error($$SELECT shc_link_decrypt('eyJhbGciOiJBMjU2S1ciLCJlbmMiOiJBMjU2R0NNIn0..oKGio6Slpqeoqaqr.tVU9fxHrStoDCfO7JzapsBvf.f-FSi8dqXU8UiHwXRzaqRQ', 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8')$$);
SELECT * FROM regress_error($$SELECT shc_link_decrypt('eyJhbGciOiJkaXIiLCJlbmMiOiJBMTI4R0NNIn0..oKGio6Slpqeoqaqr.tVU9fxHrStoDCfO7JzapsBvf.f-FSi8dqXU8UiHwXRzaqRQ', 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8')$$);
SELECT * FROM regress_error($$SELECT shc_link_encrypt('x', 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8', 'text/"plain"')$$);

-- shlink:/ decode: a payload encoded by Node (url, key, exp, flag, label, v)
SELECT * FROM shc_link_decode('shlink:/eyJ1cmwiOiJodHRwczovL2Voci5leGFtcGxlLm9yZy9xci9ZOXh3a1VkdG1OOXd3b0pvTjNmZkpJaFgyVUd2Q0wxSm5sUFZOTDNrRFdNL20iLCJrZXkiOiJyeFRnWWxPYUtKUEZ0Y0VkMHFjY2VOOHdFVTRwOTRTcUF3SVdRZTZ1WDdRIiwiZXhwIjoxNzAwMDAwMDAwLCJmbGFnIjoiTFAiLCJsYWJlbCI6IkJhY2sgdG8gc2Nob29sIGltbXVuaXphdGlvbnMiLCJ2IjoxfQ');
-- behind a viewer prefix
SELECT url, label, viewer FROM shc_link_decode('https://viewer.example/#shlink:/eyJ1cmwiOiJodHRwczovL3guZXhhbXBsZS9tIiwia2V5IjoicnhUZ1lsT2FLSlBGdGNFZDBxY2NlTjh3RVU0cDk0U3FBd0lXUWU2dVg3USIsImxhYmVsIjoiQ2Fmw6kg4pyTIn0');
-- encode and decode again
SELECT (shc_link_decode(shc_link_encode('https://x.example/m', :'k0', exp => '2030-01-01 00:00:00+00', flag => 'LP', label => 'a label', viewer => 'https://viewer.example/#'))).*;
SELECT shc_link_encode('https://x.example/m', :'k0');
-- every payload rule
SELECT * FROM regress_error($$SELECT shc_link_decode('shc:/56762909')$$);
SELECT * FROM regress_error($$SELECT shc_link_decode('shlink:/!!')$$);
SELECT * FROM regress_error($$SELECT shc_link_encode('https://x.example/m', 'AAEC')$$);
SELECT * FROM regress_error($$SELECT shc_link_encode(repeat('https://x.example/', 8), 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8')$$);
SELECT * FROM regress_error($$SELECT shc_link_encode('ftp://x.example/m', 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8')$$);
SELECT * FROM regress_error($$SELECT shc_link_encode('https://x.example/m', 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8', flag => 'PU')$$);
SELECT * FROM regress_error($$SELECT shc_link_encode('https://x.example/m', 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8', flag => 'PL')$$);
SELECT * FROM regress_error($$SELECT shc_link_encode('https://x.example/m', 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8', flag => 'X')$$);
SELECT * FROM regress_error($$SELECT shc_link_encode('https://x.example/m', 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8', label => repeat('é', 81))$$);
SELECT * FROM regress_error($$SELECT shc_link_encode('https://x.example/m', 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8', exp => '1960-01-01 00:00:00+00')$$);
SELECT * FROM regress_error($$SELECT shc_link_encode('https://x.example/m', 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8', exp => 'infinity')$$);
SELECT * FROM regress_error($$SELECT shc_link_encode('https://x.example/m', 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8', viewer => 'https://viewer.example/')$$);
SELECT * FROM regress_error($$SELECT shc_link_encode(NULL, 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8')$$);

-- a card to share
SELECT shc_key_create('https://shl-issuer.example') IS NOT NULL AS key_made;
SELECT shc_trust('https://shl-issuer.example', shc_jwks('https://shl-issuer.example'));
CREATE TEMP TABLE card AS SELECT shc_issue('{"resourceType":"Bundle","type":"collection","entry":[{"fullUrl":"resource:0","resource":{"resourceType":"Patient","name":[{"family":"Anyperson","given":["John"]}],"birthDate":"1951-01-20"}}]}'::jsonb,
  (SELECT kid FROM shc_keys WHERE iss = 'https://shl-issuer.example')) AS jws;

-- creating a link: a card and a FHIR resource, a passcode, two attempts
CREATE TEMP TABLE link AS
SELECT shc_link_create(jsonb_build_array(c.jws,
         '{"contentType":"application/fhir+json","content":{"resourceType":"Patient","id":"p1"}}'::jsonb),
       'https://shl.example.org/m', passcode => 'open sesame',
       exp => now() + interval '1 day', label => 'John''s cards', flag => 'L',
       max_attempts => 2) AS uri
  FROM card c;
SELECT d.url ~ '^https://shl\.example\.org/m/[A-Za-z0-9_-]{43}$' AS url_shape,
       length(d.key) AS key_len, d.flag, d.label, d.v, d.exp > now() AS exp_future
  FROM link, shc_link_decode(link.uri) d;
SELECT regexp_replace((shc_link_decode(uri)).url, '^.*/', '') AS mid FROM link \gset
-- nothing secret is stored in clear
SELECT l.flag, l.attempts_left, l.passcode_hash ~ '^scrypt\$14\$8\$1\$' AS scrypt,
       position('open sesame' in l.passcode_hash) = 0 AS no_clear_passcode,
       l.key_sealed IS NOT NULL AS sealed,
       position(convert_to((SELECT (shc_link_decode(uri)).key FROM link), 'UTF8') in l.key_sealed) = 0 AS no_clear_key
  FROM shc.shc_links l WHERE l.manifest_id = :'mid';
SELECT file_no, content_type, jwe ~ '^[A-Za-z0-9_-]+\.\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$' AS jwe_shape
  FROM shc.shc_link_files f JOIN shc.shc_links l USING (link_id) WHERE l.manifest_id = :'mid' ORDER BY 1;
-- printing it again gives the same text
SELECT shc_link_uri(:'mid') = uri AS same_uri FROM link;

-- manifest requests: missing passcode (no attempt used), bad requests
SELECT outcome, http_status, body FROM shc_link_manifest(:'mid', '{"recipient":"Dr. B"}');
SELECT outcome, http_status, body FROM shc_link_manifest(:'mid', '{}');
SELECT outcome, http_status FROM shc_link_manifest(:'mid', '{"recipient":"Dr. B","embeddedLengthMax":"x"}');
SELECT outcome, http_status FROM shc_link_manifest(:'mid', NULL);
SELECT outcome, http_status, body FROM shc_link_manifest('AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', '{"recipient":"Dr. B"}');
-- the right passcode: files embedded when they fit embeddedLengthMax
SELECT outcome, http_status, content_type,
       jsonb_path_query_array(body::jsonb, '$.files[*].contentType') AS types,
       jsonb_path_query_array(body::jsonb, '$.files[*].keyvalue().key') AS members
  FROM shc_link_manifest(:'mid', '{"recipient":"Dr. B","passcode":"open sesame","embeddedLengthMax":100000}');
-- ... otherwise location URLs, valid one hour
CREATE TEMP TABLE m AS SELECT body::jsonb AS b
  FROM shc_link_manifest(:'mid', '{"recipient":"Dr. B","passcode":"open sesame","embeddedLengthMax":10}');
SELECT f->>'contentType' AS type, f->>'location' ~ '^https://shl\.example\.org/m/file/[A-Za-z0-9_-]{43}$' AS location_shape
  FROM m, jsonb_array_elements(b->'files') f;
SELECT bool_and(expires_at > now() + interval '59 minutes' AND expires_at <= now() + interval '1 hour') AS valid_one_hour
  FROM shc.shc_link_locations;
-- the location endpoint: the file, then expired after an hour, unknown tokens
SELECT r.outcome, r.http_status, r.content_type, r.body ~ '^eyJ' AS jwe
  FROM m, jsonb_array_elements(b->'files') f,
       shc_link_file(regexp_replace(f->>'location', '^.*/', '')) r ORDER BY f->>'contentType';
SELECT r.outcome, r.http_status
  FROM m, jsonb_array_elements(b->'files') f,
       shc_link_file(regexp_replace(f->>'location', '^.*/', ''), now() + interval '61 minutes') r LIMIT 1;
SELECT outcome, http_status FROM shc_link_file('AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
-- the receiver's one call: decrypt the card file and verify it
SELECT v.status, v.valid, v.iss
  FROM link, m, jsonb_array_elements(b->'files') f,
       shc_link_file(regexp_replace(f->>'location', '^.*/', '')) r,
       shc_link_verify_file(r.body, (shc_link_decode(link.uri)).key) v
 WHERE f->>'contentType' = 'application/smart-health-card';
SELECT * FROM regress_error($$SELECT shc_link_verify_file(shc_link_encrypt('{}', 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8', 'application/fhir+json'), 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8')$$);
-- adding a file later (an update)
SELECT shc_link_add_file(:'mid', '{"contentType":"application/smart-api-access","content":{"aud":"https://ehr.example.org/fhir"}}');
SELECT jsonb_array_length(body::jsonb->'files') AS files
  FROM shc_link_manifest(:'mid', '{"recipient":"Dr. B","passcode":"open sesame"}');
-- wrong passcodes cost an attempt; at zero the link is locked, even for the right one
SELECT outcome, http_status, body FROM shc_link_manifest(:'mid', '{"recipient":"Mallory","passcode":"guess 1"}');
SELECT outcome, http_status, body FROM shc_link_manifest(:'mid', '{"recipient":"Mallory","passcode":"guess 2"}');
SELECT outcome, http_status, body FROM shc_link_manifest(:'mid', '{"recipient":"Dr. B","passcode":"open sesame"}');
SELECT attempts_left FROM shc.shc_links WHERE manifest_id = :'mid';
-- the access log: who, when, what, outcome
SELECT request, recipient, db_role = session_user AS by_me, outcome, count(*)
  FROM shc.shc_link_access a JOIN shc.shc_links l USING (link_id)
 WHERE l.manifest_id = :'mid' GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 4;
SELECT count(*) AS unknown_link_requests FROM shc.shc_link_access WHERE link_id IS NULL;

-- expiry: a link answers expired after exp
CREATE TEMP TABLE link2 AS SELECT shc_link_create(jsonb_build_array(jws), 'http://localhost:8080/shl',
  exp => now() + interval '1 hour') AS uri FROM card;
SELECT regexp_replace((shc_link_decode(uri)).url, '^.*/', '') AS mid2 FROM link2 \gset
SELECT outcome, http_status FROM shc_link_manifest(:'mid2', '{"recipient":"Dr. B"}');
SELECT outcome, http_status, body FROM shc_link_manifest(:'mid2', '{"recipient":"Dr. B"}', now() + interval '2 hours');

-- flag U: one file fetched directly (GET ?recipient=), never with a passcode
CREATE TEMP TABLE link3 AS SELECT shc_link_create(jsonb_build_array(jws), 'https://shl.example.org/m', flag => 'U') AS uri FROM card;
SELECT (shc_link_decode(uri)).flag, regexp_replace((shc_link_decode(uri)).url, '^.*/', '') AS mid3 FROM link3 \gset
SELECT outcome, http_status, content_type, body ~ '^eyJ' AS jwe FROM shc_link_direct(:'mid3', 'Dr. B');
SELECT outcome, http_status FROM shc_link_direct(:'mid3', '');
SELECT outcome, http_status FROM shc_link_direct(:'mid', 'Dr. B');
SELECT * FROM regress_error($$SELECT shc_link_add_file((SELECT regexp_replace((shc_link_decode(uri)).url, '^.*/', '') FROM link3), '{"contentType":"application/fhir+json","content":{"resourceType":"Patient"}}')$$);

-- deactivating: key and files are gone, requests answer not_found
SELECT shc_link_deactivate(:'mid3'), shc_link_deactivate('nope');
SELECT key_sealed IS NULL AS key_gone, active FROM shc.shc_links WHERE manifest_id = :'mid3';
SELECT outcome, http_status FROM shc_link_direct(:'mid3', 'Dr. B');
SELECT * FROM regress_error($$SELECT shc_link_uri((SELECT regexp_replace((shc_link_decode(uri)).url, '^.*/', '') FROM link3))$$);

-- creation errors
SELECT * FROM regress_error($$SELECT shc_link_create('[]', 'https://shl.example.org/m')$$);
SELECT * FROM regress_error($$SELECT shc_link_create('["a.b.c"]', 'https://shl.example.org/m/')$$);
SELECT * FROM regress_error($$SELECT shc_link_create('["a.b.c"]', 'ftp://shl.example.org/m')$$);
SELECT * FROM regress_error($$SELECT shc_link_create('["a.b.c"]', 'https://shl.example.org/' || repeat('m', 70))$$);
SELECT * FROM regress_error($$SELECT shc_link_create('["a.b.c"]', 'https://shl.example.org/m', passcode => 'x', flag => 'U')$$);
SELECT * FROM regress_error($$SELECT shc_link_create('["a.b.c", "d.e.f"]', 'https://shl.example.org/m', flag => 'U')$$);
SELECT * FROM regress_error($$SELECT shc_link_create('["a.b.c"]', 'https://shl.example.org/m', flag => 'P')$$);
SELECT * FROM regress_error($$SELECT shc_link_create('["a.b.c"]', 'https://shl.example.org/m', flag => 'UL')$$);
SELECT * FROM regress_error($$SELECT shc_link_create('["a.b.c"]', 'https://shl.example.org/m', passcode => 'x', max_attempts => 0)$$);
SELECT * FROM regress_error($$SELECT shc_link_create('["a.b.c"]', 'https://shl.example.org/m', passcode => '')$$);
SELECT * FROM regress_error($$SELECT shc_link_create('["a.b.c"]', 'https://shl.example.org/m', exp => now() - interval '1 second')$$);
SELECT * FROM regress_error($$SELECT shc_link_create('["a.b.c"]', 'https://shl.example.org/m', label => repeat('x', 81))$$);
SELECT * FROM regress_error($$SELECT shc_link_create('["not a card"]', 'https://shl.example.org/m')$$);
SELECT * FROM regress_error($$SELECT shc_link_create('[{"contentType":"text/plain","content":{}}]', 'https://shl.example.org/m')$$);
SELECT * FROM regress_error($$SELECT shc_link_create('[{"contentType":"application/fhir+json","content":{"id":1}}]', 'https://shl.example.org/m')$$);
SELECT * FROM regress_error($$SELECT shc_link_create('[{"contentType":"application/fhir+json","content":[1]}]', 'https://shl.example.org/m')$$);
SELECT * FROM regress_error($$SELECT shc_link_create('[42]', 'https://shl.example.org/m')$$);
SELECT * FROM regress_error($$SELECT shc_link_add_file('nope', '["a.b.c"]')$$);
SELECT * FROM regress_error($$SELECT shc_link_uri('nope')$$);

-- privileges: creating is for shc_issuer, answering for shc_link_server,
-- reading the links' secrets for nobody
GRANT SELECT ON card TO PUBLIC;
CREATE ROLE regress_shl_nobody;
CREATE ROLE regress_shl_holder IN ROLE shc_issuer;
CREATE ROLE regress_shl_server IN ROLE shc_link_server;
SET ROLE regress_shl_nobody;
SELECT * FROM regress_error($$SELECT shc_link_create('["a.b.c"]', 'https://shl.example.org/m')$$);
SELECT * FROM regress_error($$SELECT shc_link_manifest('x', '{"recipient":"r"}')$$);
SELECT * FROM regress_error($$SELECT count(*) FROM shc.shc_links$$);
SELECT * FROM regress_error($$SELECT shc.shc_link_random_id()$$);
SELECT (shc_link_decode(shc_link_encode('https://x.example/m', 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8'))).flag IS NULL AS codecs_open;
RESET ROLE;
SET ROLE regress_shl_server;
SELECT outcome FROM shc_link_manifest('x', '{"recipient":"r"}');
SELECT * FROM regress_error($$SELECT shc_link_create('["a.b.c"]', 'https://shl.example.org/m')$$);
SELECT * FROM regress_error($$SELECT jwe FROM shc.shc_link_files$$);
RESET ROLE;
SET ROLE regress_shl_holder;
SELECT shc_link_create(jsonb_build_array(jws), 'https://shl.example.org/m') ~ '^shlink:/' AS created FROM card;
-- a holder reads its own links and their log through shc_my_links and
-- shc_my_link_access, never the tables
SELECT count(*) AS my_links, bool_and(iss IS NULL AND created_by = 'regress_shl_holder') AS mine
  FROM shc.shc_my_links;
SELECT count(*) AS my_log_rows FROM shc.shc_my_link_access;
SELECT * FROM regress_error($$SELECT count(*) FROM shc.shc_link_access$$);
SELECT * FROM regress_error($$SELECT manifest_id FROM shc.shc_links$$);
SELECT * FROM regress_error($$SELECT key_sealed FROM shc.shc_links$$);
SELECT * FROM regress_error($$SELECT passcode_hash FROM shc.shc_links$$);
-- the superuser's links are not the holder's: not listed, not printed,
-- not extended, not ended
SELECT count(*) FILTER (WHERE manifest_id = :'mid') AS sees_other_link FROM shc.shc_my_links;
SELECT * FROM regress_error($$SELECT shc_link_uri('$$ || :'mid' || $$')$$);
SELECT * FROM regress_error($$SELECT shc_link_add_file('$$ || :'mid' || $$', '{"contentType":"application/fhir+json","content":{"resourceType":"Patient"}}')$$);
SELECT shc_link_deactivate(:'mid') AS ended_other_link;
-- a link for an issuer: the issuer URL is checked, and so is the grant
SELECT * FROM regress_error($$SELECT shc_link_create('["a.b.c"]', 'https://shl.example.org/m', iss => 'http://shl-issuer.example')$$);
RESET ROLE;
SELECT shc_issuer_grant('https://shl-issuer.example', 'regress_shl_server');
SET ROLE regress_shl_holder;
SELECT * FROM regress_error($$SELECT shc_link_create('["a.b.c"]', 'https://shl.example.org/m', iss => 'https://shl-issuer.example')$$);
RESET ROLE;
SELECT shc_issuer_grant('https://shl-issuer.example', 'regress_shl_holder');
SET ROLE regress_shl_holder;
SELECT shc_link_create(jsonb_build_array(jws), 'https://shl.example.org/m', iss => 'https://shl-issuer.example') ~ '^shlink:/' AS created_for_issuer
  FROM card;
SELECT count(*) FILTER (WHERE iss = 'https://shl-issuer.example') AS issuer_links FROM shc.shc_my_links;
RESET ROLE;
SELECT shc_issuer_revoke('https://shl-issuer.example', 'regress_shl_holder');
SET ROLE regress_shl_holder;
-- with its grant withdrawn the holder no longer sees the issuer's link
SELECT count(*) FILTER (WHERE iss = 'https://shl-issuer.example') AS issuer_links FROM shc.shc_my_links;
RESET ROLE;
SELECT shc_issuer_revoke('https://shl-issuer.example', 'regress_shl_server');
SELECT shc_link_uri(:'mid') = uri AS still_mine FROM link;
DELETE FROM shc.shc_links WHERE created_by = 'regress_shl_holder';
DROP ROLE regress_shl_nobody, regress_shl_holder, regress_shl_server;

-- passcode attempts that no rollback gives back (issue 22): in 0.2.0 the
-- counter was an UPDATE in the caller's transaction, so guesses wrapped in
-- BEGIN ... ROLLBACK, or in a statement that fails once it has seen the
-- answer, were free.  Now each is charged outside the transaction.
CREATE TEMP TABLE link4 AS SELECT shc_link_create(jsonb_build_array(jws), 'https://shl.example.org/m',
  passcode => 'right', max_attempts => 3) AS uri FROM card;
SELECT regexp_replace((shc_link_decode(uri)).url, '^.*/', '') AS mid4 FROM link4 \gset
BEGIN;
SELECT outcome, body FROM shc_link_manifest(:'mid4', '{"recipient":"Mallory","passcode":"guess 1"}');
ROLLBACK;
SELECT outcome, body FROM shc_link_manifest(:'mid4', '{"recipient":"Mallory"}');
SELECT * FROM regress_error($$SELECT 1 / CASE WHEN (shc_link_manifest('$$ || :'mid4' ||
  $$', '{"recipient":"Mallory","passcode":"guess 2"}')).outcome = 'unauthorized' THEN 0 ELSE 1 END$$);
-- the right passcode costs nothing
SELECT outcome FROM shc_link_manifest(:'mid4', '{"recipient":"Dr. B","passcode":"right"}');
SELECT outcome, body FROM shc_link_manifest(:'mid4', '{"recipient":"Mallory"}');
BEGIN;
SELECT outcome, body FROM shc_link_manifest(:'mid4', '{"recipient":"Mallory","passcode":"guess 3"}');
ROLLBACK;
-- locked, though every guess was rolled back (the table still says 3)
SELECT outcome, body FROM shc_link_manifest(:'mid4', '{"recipient":"Dr. B","passcode":"right"}');
SELECT attempts_left, max_attempts FROM shc.shc_links WHERE manifest_id = :'mid4';

-- expiry by the server's clock: a back-dated at serves nothing, and the
-- access log records the server's time, not at
CREATE TEMP TABLE link5 AS SELECT shc_link_create(jsonb_build_array(jws), 'https://shl.example.org/m',
  exp => clock_timestamp() + interval '1 second') AS uri FROM card;
SELECT regexp_replace((shc_link_decode(uri)).url, '^.*/', '') AS mid5 FROM link5 \gset
CREATE TEMP TABLE m5 AS SELECT body::jsonb AS b FROM shc_link_manifest(:'mid5', '{"recipient":"Dr. B"}');
SELECT pg_sleep(1.2);
SELECT outcome, http_status FROM shc_link_manifest(:'mid5', '{"recipient":"Dr. B"}', at => now() - interval '1 hour');
SELECT outcome, http_status FROM shc_link_direct(:'mid5', 'Dr. B', at => now() - interval '1 hour');
SELECT r.outcome, r.http_status FROM m5, jsonb_array_elements(b->'files') f,
       shc_link_file(regexp_replace(f->>'location', '^.*/', ''), at => now() - interval '1 hour') r;
SELECT bool_and(a.at > l.exp) AS logged_by_server_clock, count(*)
  FROM shc.shc_link_access a JOIN shc.shc_links l USING (link_id)
 WHERE l.manifest_id = :'mid5' AND a.outcome <> 'ok';

-- QR codes of links (byte mode, EC level M: the unit tests read the format bits)
SELECT substr(shc_qr_png(uri), 1, 8) = '\x89504e470d0a1a0a'::bytea AS png FROM link;
SELECT shc_qr_svg(uri) ~ '^<svg' AS svg FROM link;
SELECT * FROM regress_error($$SELECT shc_qr_png('shlink:/e30')$$);
SELECT * FROM regress_error($$SELECT shc_qr_svg('https://viewer.example/#shlink:/' || repeat('A', 10))$$);
