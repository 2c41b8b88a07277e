-- preload: the shc.* settings exist in a session once the library is loaded
-- there; shc_setup_check() says what is missing, session_preload_libraries
-- (or shared_preload_libraries) makes SHOW shc.* work from the first
-- statement.
--
-- Two expected outputs: preload.out for a server that does not preload
-- shc (the default), preload_1.out for one with shared_preload_libraries =
-- 'shc' (the README's Configuration section; the deb tier runs the suite
-- so).  They differ only where preloading really changes the answer.
SELECT current_setting('shared_preload_libraries') ~ '(^|[ ,])shc($|[ ,])' AS preloaded;

-- a new session: nothing of shc has run yet
\c
SELECT count(*) AS shc_settings_before_any_call FROM pg_settings WHERE name LIKE 'shc.%';
SELECT * FROM regress_error('SHOW shc.max_payload_size');

-- the check loads the library, then reports (whether the server preloads it)
SELECT item, ok FROM shc_setup_check() WHERE item NOT LIKE 'shc.%';
SELECT detail FROM shc_setup_check() WHERE NOT ok;
SELECT shc_library_version() = extversion AS library_matches_extension
  FROM pg_extension WHERE extname = 'shc';
SHOW shc.max_payload_size;
SELECT item, detail FROM shc_setup_check() WHERE item = 'shc.max_payload_size';

-- preloaded for this database: SHOW works in a new session before any call
DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET session_preload_libraries = ''shc''', current_database()); END $$;
\c
SHOW shc.max_payload_size;
SHOW shc.clock_skew;
SELECT item, ok, detail FROM shc_setup_check() WHERE item = 'library preloaded';
DO $$ BEGIN EXECUTE format('ALTER DATABASE %I RESET session_preload_libraries', current_database()); END $$;
\c

