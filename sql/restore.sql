-- restore: shc's tables are written only by shc's functions (as the
-- extension owner) or by a superuser.  The database owner may read every
-- table pg_dump dumps, and may reach an INSERT or COPY into them (so that
-- a restore by the owner gets a clear error, docs/operations.md), where the
-- statement trigger shc_restore_guard stops it: the attack of an owner who
-- writes a trusted issuer or a signing grant around shc_trust() and the
-- grant functions fails the same way.  The restore itself: tier restore.
\pset format unaligned
-- every table shc dumps has the guard, always enabled (also in replica mode)
SELECT count(*) AS dumped_tables,
       count(*) FILTER (WHERE t.tgenabled = 'A' AND t.tgtype = 2 + 4) AS guarded
  FROM pg_extension e, unnest(e.extconfig) AS x(oid)
  JOIN pg_class c ON c.oid = x.oid AND c.relkind = 'r'
  LEFT JOIN pg_trigger t ON t.tgrelid = c.oid AND t.tgname = 'shc_restore_guard'
 WHERE e.extname = 'shc';
-- the database owner, not a superuser
CREATE ROLE regress_db_owner;
SELECT current_database() AS db, current_user AS me \gset
ALTER DATABASE :"db" OWNER TO regress_db_owner;
GRANT USAGE ON SCHEMA shc TO regress_db_owner;
SET ROLE regress_db_owner;
SELECT * FROM regress_error($$INSERT INTO shc.shc_trusted_issuer (iss) VALUES ('https://evil.example.org')$$);
SELECT * FROM regress_error($$INSERT INTO shc.shc_issuer_grants (iss, grantee) VALUES ('https://evil.example.org', 'regress_db_owner')$$);
CREATE TEMP TABLE restore_rows (iss text);
SELECT * FROM regress_error($$INSERT INTO shc.shc_trusted_issuer (iss) SELECT iss FROM restore_rows$$);
DROP TABLE restore_rows;
-- it still reads (pg_dump)
SELECT count(*) >= 0 AS reads FROM shc.shc_private_keys;
RESET ROLE;
-- nothing was written
SELECT count(*) AS evil FROM shc.shc_trusted_issuer WHERE iss = 'https://evil.example.org';
-- the extension's own functions and a superuser (a restore by one) write as before
SELECT shc_key_create('https://restore.example.org') IS NOT NULL AS key_created;
SELECT shc_trust('https://restore.example.org', shc_jwks('https://restore.example.org')) AS trusted_keys;
SELECT shc_untrust('https://restore.example.org');
INSERT INTO shc.shc_trusted_issuer (iss) VALUES ('https://superuser.example.org');
DELETE FROM shc.shc_trusted_issuer WHERE iss = 'https://superuser.example.org';
ALTER DATABASE :"db" OWNER TO :"me";
REVOKE USAGE ON SCHEMA shc FROM regress_db_owner;
DROP ROLE regress_db_owner;
