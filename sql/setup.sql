-- setup: shc_setup_check() (issues 22 and 23), each row that can fail,
-- failing, with its remedy; the root key's setting never shown to a role
-- that may not read it.  Runs last: it reconfigures the root key (ALTER
-- SYSTEM, reload) and puts it back.
\pset format unaligned
CREATE FUNCTION public.regress_reload() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_reload_conf();
  PERFORM pg_sleep(0.3);   -- the reload reaches this backend at its next command
END $$;
CREATE ROLE regress_setup_plain;
-- at least one key and one rid secret, sealed under the server's root key
SELECT shc_key_create('https://setup.example') IS NOT NULL AS key_made;
SELECT shc_rid_secret_create('https://setup.example') AS rid_version;

-- as configured by the test server: every row holds (preloading, which
-- differs between servers, is test preload's)
SELECT item, ok FROM shc_setup_check()
 WHERE item NOT LIKE 'shc.%' AND item <> 'library preloaded' ORDER BY item;
SELECT item, ok FROM shc_setup_check() WHERE item IN ('shc.root_key_file', 'shc.root_key_command');

-- library and catalog versions that differ (a catalog left at 0.2.0)
BEGIN;
UPDATE pg_extension SET extversion = '0.2.0' WHERE extname = 'shc';
SELECT ok, regexp_replace(detail, 'version [0-9.]+,', 'version <v>,') AS detail
  FROM shc_setup_check() WHERE item = 'library version';
ROLLBACK;

-- a search path that puts a schema others may create in before shc, and
-- a public everyone may create in
CREATE SCHEMA regress_open;
GRANT USAGE, CREATE ON SCHEMA regress_open TO PUBLIC;
SELECT item, ok, detail FROM shc_setup_check(ARRAY['regress_open', 'shc', 'public']::name[])
 WHERE item = 'search_path order';
SELECT ok FROM shc_setup_check(ARRAY['shc', 'regress_open', 'public']::name[])
 WHERE item = 'search_path order';
-- a schema of a role the caller may act as is its own, not another's
CREATE SCHEMA regress_mine AUTHORIZATION regress_setup_plain;
SELECT ok FROM shc_setup_check(ARRAY['regress_mine', 'shc']::name[]) WHERE item = 'search_path order';
SET ROLE regress_setup_plain;
SELECT ok FROM shc_setup_check(ARRAY['regress_mine', 'shc']::name[]) WHERE item = 'search_path order';
SELECT ok FROM shc_setup_check(ARRAY['regress_open', 'shc']::name[]) WHERE item = 'search_path order';
RESET ROLE;
BEGIN;
GRANT CREATE ON SCHEMA public TO PUBLIC;
SELECT item, ok, detail FROM shc_setup_check() WHERE item = 'public schema';
ROLLBACK;
SELECT ok FROM shc_setup_check() WHERE item = 'public schema';
DROP SCHEMA regress_open, regress_mine;

-- what the calling role may do
SET ROLE regress_setup_plain;
SELECT item, ok, detail FROM shc_setup_check() WHERE item LIKE 'role may %' ORDER BY item;
RESET ROLE;
GRANT shc_issuer TO regress_setup_plain;
SET ROLE regress_setup_plain;
SELECT item, ok FROM shc_setup_check() WHERE item LIKE 'role may %' ORDER BY item;
-- a role that may not read the settings does not see whether shc is preloaded
SELECT item, ok, detail FROM shc_setup_check() WHERE item = 'library preloaded';
RESET ROLE;
REVOKE shc_issuer FROM regress_setup_plain;

-- shc_stats(): the memo's counters tell whether a card was verified
-- before, so only roles that may read statistics call it (issue 22)
SET ROLE regress_setup_plain;
SELECT * FROM regress_error('SELECT * FROM shc_stats()');
RESET ROLE;
GRANT pg_read_all_stats TO regress_setup_plain;
SET ROLE regress_setup_plain;
SELECT count(*) AS backend_rows FROM shc_stats() WHERE memo = 'backend';
RESET ROLE;
REVOKE pg_read_all_stats FROM regress_setup_plain;

-- no root key configured
SELECT setting AS root_key_file FROM pg_settings WHERE name = 'shc.root_key_file' \gset
ALTER SYSTEM SET shc.root_key_file = '';
SELECT regress_reload();
SELECT item, ok, regexp_replace(detail, '\d+ (private keys|rid secrets|link keys)', 'N \1', 'g') AS detail
  FROM shc_setup_check() WHERE item IN ('root key', 'stored secrets', 'shc.root_key_file') ORDER BY item;

-- a key file that cannot be read: the check says so without its path, to
-- the superuser and to a role that may not read the setting
ALTER SYSTEM SET shc.root_key_file = '/nonexistent/regress-shc-root.key';
SELECT regress_reload();
SELECT item, ok, regexp_replace(detail, '\d+ (private keys|rid secrets|link keys)', 'N \1', 'g') AS detail
  FROM shc_setup_check() WHERE item IN ('root key', 'stored secrets') ORDER BY item;
SET ROLE regress_setup_plain;
SELECT count(*) FILTER (WHERE detail LIKE '%regress-shc-root%') AS rows_naming_the_file,
       count(*) FILTER (WHERE item LIKE 'shc.root_key%') AS root_key_setting_rows,
       bool_and(ok) FILTER (WHERE item = 'root key') AS root_key_ok
  FROM shc_setup_check();
RESET ROLE;

-- another root key: the stored keys and secrets it does not open are counted
ALTER SYSTEM SET shc.root_key_file = '';
ALTER SYSTEM SET shc.root_key_command = 'echo 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
SELECT regress_reload();
SELECT ok, regexp_replace(detail, '[0-9]+', 'N', 'g') AS detail,
       m[1] = m[2] AND m[1]::int >= 1 AS every_key_counted,
       m[3] = m[4] AND m[3]::int >= 1 AS every_secret_counted
  FROM shc_setup_check(),
       regexp_match(detail, 'does not open (\d+) of (\d+) private keys, (\d+) of (\d+) rid secrets') m
 WHERE item = 'stored secrets';
SELECT ok FROM shc_setup_check() WHERE item = 'root key';

SET ROLE regress_setup_plain;
SELECT count(*) FILTER (WHERE detail LIKE '%echo%' OR detail LIKE '%0123456789abcdef%') AS rows_quoting_the_command
  FROM shc_setup_check();
RESET ROLE;

-- back to the server's own key
ALTER SYSTEM RESET shc.root_key_command;
ALTER SYSTEM RESET shc.root_key_file;
SELECT regress_reload();
SELECT setting = :'root_key_file' AS root_key_restored FROM pg_settings WHERE name = 'shc.root_key_file';
SELECT item, ok FROM shc_setup_check() WHERE item IN ('root key', 'stored secrets') ORDER BY item;

DROP ROLE regress_setup_plain;
DROP FUNCTION regress_reload();
SELECT shc_key_retire(kid) FROM shc_keys WHERE iss = 'https://setup.example';
