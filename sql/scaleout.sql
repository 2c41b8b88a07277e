-- Scale-out (docs/scaling-out.md): shc_trust_distribute() needs Citus and
-- a superuser; the trust tables' generation triggers fire for replicated
-- changes too (ALWAYS), their row twins in the apply worker only (REPLICA).
-- The Citus cluster, the hot standby and the subscriber themselves are
-- played by the citus and replica tiers.
\pset format unaligned
SELECT * FROM regress_error($$SELECT shc.shc_trust_distribute()$$);
SELECT c.relname, t.tgname, t.tgenabled, (t.tgtype & 1) = 1 AS per_row
  FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
 WHERE c.relnamespace = 'shc'::regnamespace AND t.tgname ~ '_generation'
 ORDER BY 1, 2;
-- not for PUBLIC
SELECT p.oid::regprocedure AS function, has_function_privilege('public', p.oid, 'EXECUTE') AS public_may_run
  FROM pg_proc p
 WHERE p.oid IN ('shc.shc_trust_distribute()'::regprocedure,
                 'shc.shc_trust_generation_bump_replica()'::regprocedure)
 ORDER BY p.proname;
-- under session_replication_role = replica, as in a subscriber's apply
-- worker, a trust change still raises the generation: the row twins once
-- per transaction, the ALWAYS statement triggers once per statement (the
-- apply worker fires no statement trigger but for TRUNCATE)
SELECT generation AS before FROM shc.shc_trust_generation \gset
BEGIN;
SET LOCAL session_replication_role = replica;
INSERT INTO shc.shc_trusted_issuer (iss) VALUES ('https://replicated.example.org'), ('https://replicated2.example.org');
DELETE FROM shc.shc_trusted_issuer WHERE iss = 'https://replicated2.example.org';
COMMIT;
SELECT generation - :before AS raised_by FROM shc.shc_trust_generation;
SELECT shc_untrust('https://replicated.example.org');
