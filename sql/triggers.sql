-- triggers: the issue trigger in a REPEATABLE READ transaction while the
-- issuer's keys and rid secrets are created or rotated by another session,
-- and on a partitioned table (issue #22).  Both failed on 0.2.0: "signing
-- key "<new kid>" does not exist" (the key was chosen with the latest
-- snapshot, its rid under the transaction's), and "trigger ... was not
-- checked when it was created" (a partition's cloned trigger).
CREATE TABLE trg_cards (id serial PRIMARY KEY, patient_id int, source text, card text, kid text,
                        rid text, issued_at timestamptz);
CREATE TABLE trg_doses (patient_id int, cvx text, given_on date);
CREATE FUNCTION trg_bundle(patient int) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT shc_bundle(shc_fhir_patient('Tester', '{Rita}', '1960-05-05'),
                    ARRAY(SELECT shc_fhir_immunization('http://hl7.org/fhir/sid/cvx', d.cvx, d.given_on)
                            FROM trg_doses d WHERE d.patient_id = patient ORDER BY d.given_on))
$$;
SELECT shc_key_create('https://rr.example.org') AS k1 \gset
SELECT shc_rid_secret_create('https://rr.example.org') AS v1 \gset
CREATE TRIGGER trg_issue AFTER INSERT ON trg_doses
  FOR EACH ROW EXECUTE FUNCTION shc_issue_trigger('https://rr.example.org', 'trg_bundle', 'trg_cards', 'rid');

CREATE EXTENSION dblink;
SELECT dblink_connect('other', format('host=%s port=%s dbname=%s user=%s',
         split_part(current_setting('unix_socket_directories'), ',', 1),
         current_setting('port'), current_database(), current_user)) AS connected;

-- 1. a new key, created and committed by another session after this
--    REPEATABLE READ transaction took its snapshot: the trigger signs with
--    it, and derives the rid under it
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT count(*) AS cards_before FROM trg_cards;
SELECT k2 FROM dblink('other', $$SELECT shc_key_create('https://rr.example.org')$$) AS t(k2 text) \gset
INSERT INTO trg_doses VALUES (1, '207', '2021-01-01');
SELECT count(*) AS cards, bool_and(kid = :'k2') AS signed_with_the_new_key FROM trg_cards;
COMMIT;
SELECT kid = :'k2' AS new_key, rid = shc_rid(:'k2', '1') AS rid_under_the_new_key,
       (shc_verify(card)).status IS NOT NULL AS reads
  FROM trg_cards ORDER BY id DESC LIMIT 1;

-- 2. the rid secret rotated by another session meanwhile: the rid is the
--    one of the current secret, as a verifier's CRL will list it
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT count(*) AS cards_before FROM trg_cards;
SELECT v2 FROM dblink('other', $$SELECT shc_rid_secret_create('https://rr.example.org')$$) AS t(v2 int);
INSERT INTO trg_doses VALUES (2, '208', '2021-02-01');
COMMIT;
SELECT kid = :'k2' AS same_key, rid = shc_rid(:'k2', '2') AS rid_under_the_current_secret,
       rid <> shc_rid(:'k2', '2', :v1) AS not_the_old_secret
  FROM trg_cards ORDER BY id DESC LIMIT 1;

-- 3. the key retired and a newer one created meanwhile: never the retired key
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT count(*) AS cards_before FROM trg_cards;
SELECT k3 FROM dblink('other', format($$SELECT shc_key_retire(%L); SELECT shc_key_create('https://rr.example.org')$$, :'k2'))
  AS t(k3 text) \gset
INSERT INTO trg_doses VALUES (3, '212', '2021-03-01');
COMMIT;
SELECT kid = :'k3' AS newest_key, rid = shc_rid(:'k3', '3') AS rid_under_it
  FROM trg_cards ORDER BY id DESC LIMIT 1;
SELECT dblink_disconnect('other');
DROP EXTENSION dblink;

-- 4. a partitioned table: the trigger made on it issues for every
--    partition, one attached later included
CREATE TABLE trg_part (patient_id int, cvx text, given_on date) PARTITION BY RANGE (patient_id);
CREATE TABLE trg_part_1 PARTITION OF trg_part FOR VALUES FROM (1) TO (100);
CREATE TRIGGER trg_part_issue AFTER INSERT ON trg_part
  FOR EACH ROW EXECUTE FUNCTION shc_issue_trigger('https://rr.example.org', 'trg_bundle', 'trg_cards');
CREATE TABLE trg_part_2 PARTITION OF trg_part FOR VALUES FROM (100) TO (200);
CREATE TABLE trg_part_3 (patient_id int, cvx text, given_on date);
ALTER TABLE trg_part ATTACH PARTITION trg_part_3 FOR VALUES FROM (200) TO (300);
SELECT count(*) AS recorded FROM shc_issue_triggers WHERE table_oid = 'trg_part'::regclass;
INSERT INTO trg_part VALUES (10, '207', '2021-01-01'), (150, '208', '2021-01-02'), (250, '229', '2022-01-01');
SELECT patient_id, source, kid = :'k3' AS newest_key, rid IS NULL AS no_rid
  FROM trg_cards WHERE patient_id IN (10, 150, 250) ORDER BY patient_id;
-- a partition's own trigger calling shc_issue_trigger is checked as any other
SELECT * FROM regress_error($$CREATE TRIGGER trg_part_own AFTER INSERT ON trg_part_1
  FOR EACH ROW EXECUTE FUNCTION shc_issue_trigger('https://rr.example.org', 'no_such_function', 'trg_cards')$$);
-- detached, a partition loses the cloned trigger: it issues no more
ALTER TABLE trg_part DETACH PARTITION trg_part_3;
INSERT INTO trg_part_3 VALUES (251, '207', '2021-01-01');
SELECT count(*) AS cards_of_251 FROM trg_cards WHERE patient_id = 251;
-- dropping the trigger forgets it
DROP TRIGGER trg_part_issue ON trg_part;
SELECT count(*) AS recorded FROM shc_issue_triggers WHERE table_oid = 'trg_part'::regclass;

DROP TABLE trg_part, trg_part_3, trg_doses, trg_cards;
DROP FUNCTION trg_bundle(int);
