-- Issue 22: Health Links belong to their issuer, and their answers cannot
-- be cheated.
--   1. In 0.2.0 every shc_issuer member read every link's manifest id and
--      could print, extend and end it: a second issuer's application,
--      confined by shc_issuer_grant to its own issuer, printed a clinic
--      patient's shlink:/ (URL and key), added a file and ended the link.
--   2. The link server wrapped passcode guesses in BEGIN ... ROLLBACK (or
--      in a statement that fails once it saw the answer): the attempt
--      counter was an UPDATE in its transaction, so guessing was free.
--   3. shc_link_manifest(..., at => now() - '1 hour') served an expired
--      link and back-dated the access log.
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only true
SELECT plan(22);

SET ROLE shc_pv_keyadmin;
SELECT shc.shc_key_create('https://clinic.example.org') AS kid \gset
SELECT shc.shc_issuer_grant('https://clinic.example.org', 'shc_pv_issuer');
SELECT shc.shc_issuer_grant('https://other.example.org', 'shc_pv_issuer2');
RESET ROLE;

SET ROLE shc_pv_issuer;
SELECT shc.shc_issue('{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Patient","name":[{"family":"Anyperson"}]}}]}', :'kid') AS card \gset
SELECT shc.shc_link_create(jsonb_build_array(:'card'::text), 'https://shl.clinic.example.org/m',
         passcode => '4711', max_attempts => 3, iss => 'https://clinic.example.org') AS uri \gset
SELECT shc.shc_link_create(jsonb_build_array(:'card'::text), 'https://shl.clinic.example.org/m') AS uri_own \gset
SELECT shc.shc_link_create(jsonb_build_array(:'card'::text), 'https://shl.clinic.example.org/m',
         exp => clock_timestamp() + interval '1 second', iss => 'https://clinic.example.org') AS uri_exp \gset
RESET ROLE;
SELECT regexp_replace((shc.shc_link_decode(:'uri')).url, '^.*/', '') AS mid,
       regexp_replace((shc.shc_link_decode(:'uri_own')).url, '^.*/', '') AS mid_own,
       regexp_replace((shc.shc_link_decode(:'uri_exp')).url, '^.*/', '') AS mid_exp \gset

-- 1. the second issuer's application
SET ROLE shc_pv_issuer2;
SELECT is((SELECT count(*)::int FROM shc.shc_my_links WHERE manifest_id IN (:'mid', :'mid_own')), 0,
          'another issuer does not see the clinic''s links');
SELECT throws_ok('SELECT manifest_id FROM shc.shc_links', '42501', NULL, 'nor read the links table');
SELECT throws_ok('SELECT * FROM shc.shc_link_access', '42501', NULL, 'nor the access log');
SELECT is((SELECT count(*)::int FROM shc.shc_my_link_access), 0, 'nor the clinic''s rows of the log');
SELECT throws_ok(format('SELECT shc.shc_link_uri(%L)', :'mid'), '42704', 'SMART Health Link does not exist',
                 'nor print the clinic''s shlink:/ (URL and key)');
SELECT throws_ok(format('SELECT shc.shc_link_uri(%L)', :'mid_own'), '42704', 'SMART Health Link does not exist',
                 'nor that of a link the clinic''s role made without an issuer');
SELECT throws_ok(format($$SELECT shc.shc_link_add_file(%L, '{"contentType":"application/fhir+json","content":{"resourceType":"Patient"}}')$$, :'mid'),
                 '42704', NULL, 'nor add a file to it');
SELECT is(shc.shc_link_deactivate(:'mid'), false, 'nor end it');
SELECT throws_ok(format($$SELECT shc.shc_link_create(%L, 'https://shl.example.org/m', iss => 'https://clinic.example.org')$$, jsonb_build_array(:'card'::text)),
                 '42501', 'permission denied to create SMART Health Links for issuer "https://clinic.example.org"',
                 'nor make links in the clinic''s name');
SELECT ok(shc.shc_link_create(jsonb_build_array(:'card'::text), 'https://shl.other.example.org/m', iss => 'https://other.example.org') ~ '^shlink:/',
          'it makes links for its own issuer');
RESET ROLE;

SET ROLE shc_pv_issuer;
SELECT is(shc.shc_link_uri(:'mid'), :'uri', 'the clinic''s application prints its link again');
SELECT is((SELECT count(*)::int FROM shc.shc_my_links WHERE manifest_id IN (:'mid', :'mid_own')), 2,
          'and lists its links');
RESET ROLE;

-- the link server answers through the three request functions only
SET ROLE shc_pv_linkserver;
SELECT throws_ok('SELECT * FROM shc.shc_links', '42501', NULL, 'link server: cannot read links');
SELECT throws_ok('SELECT * FROM shc.shc_link_files', '42501', NULL, 'link server: cannot read files');
SELECT throws_ok('SELECT * FROM shc.shc_my_links', '42501', NULL, 'link server: cannot list links');
SELECT throws_ok(format('SELECT shc.shc_link_uri(%L)', :'mid'), '42501', NULL, 'link server: cannot print a link');
RESET ROLE;

-- 2. guesses inside transactions that roll back (psql variables keep the
-- answers; pgTAP's own records are not inside them)
SET ROLE shc_pv_linkserver;
BEGIN;
SELECT outcome AS g1 FROM shc.shc_link_manifest(:'mid', '{"recipient":"M","passcode":"0000"}') \gset
ROLLBACK;
BEGIN;
SELECT outcome AS g2 FROM shc.shc_link_manifest(:'mid', '{"recipient":"M","passcode":"0001"}') \gset
ROLLBACK;
-- a statement that fails once it saw the answer (here caught, so that
-- the file runs on: the subtransaction rolls back all the same)
SELECT format($f$DO $d$ BEGIN
  PERFORM 1 / CASE WHEN (shc.shc_link_manifest(%L, '{"recipient":"M","passcode":"0002"}')).outcome = 'unauthorized' THEN 0 ELSE 1 END;
EXCEPTION WHEN division_by_zero THEN NULL;
END $d$$f$, :'mid') \gexec
BEGIN;
SELECT outcome AS g4 FROM shc.shc_link_manifest(:'mid', '{"recipient":"M","passcode":"4711"}') \gset
ROLLBACK;
RESET ROLE;
SELECT is(:'g1'::text || ' ' || :'g2'::text, 'unauthorized unauthorized', 'wrong guesses are answered unauthorized');
SELECT is(:'g4'::text, 'locked', 'after three wrong guesses, each rolled back, the link is locked: the right passcode is refused');
SELECT is((SELECT attempts_left FROM shc.shc_links WHERE manifest_id = :'mid'), 3,
          'though the table''s own counter was rolled back every time');
SET ROLE shc_pv_linkserver;
SELECT is((shc.shc_link_manifest(:'mid', '{"recipient":"Dr. B","passcode":"4711"}')).outcome, 'locked',
          'and it stays locked in a later transaction');
RESET ROLE;

-- 3. a back-dated at
SELECT pg_sleep(1.2);
SET ROLE shc_pv_linkserver;
SELECT is((shc.shc_link_manifest(:'mid_exp', '{"recipient":"Dr. B"}', at => now() - interval '1 hour')).outcome, 'expired',
          'a back-dated at does not serve an expired link');
RESET ROLE;
SELECT ok((SELECT bool_and(a.at > l.exp) FROM shc.shc_link_access a JOIN shc.shc_links l USING (link_id)
            WHERE l.manifest_id = :'mid_exp'),
          'and the access log holds the server''s time');

SELECT * FROM finish();
