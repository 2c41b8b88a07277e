-- The extension lives in schema shc, which no other role may own or create
-- objects in: a schema shc made beforehand by another role, or one others
-- may create in, makes CREATE EXTENSION fail with a clear error (issue 10,
-- section 1 of the upgrade script).  (0.1.0 installed into public, which
-- the database owner, and here everyone, may create objects in.)
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only true
SELECT plan(5);
DROP EXTENSION shc CASCADE;
DROP SCHEMA IF EXISTS shc CASCADE;

-- a hostile role pre-creates schema shc with its own objects
CREATE SCHEMA shc AUTHORIZATION shc_pv_hostile;
SET ROLE shc_pv_hostile;
CREATE FUNCTION shc.shc_trusted(x text) RETURNS boolean LANGUAGE sql AS 'SELECT true';
RESET ROLE;
SELECT throws_ok('CREATE EXTENSION shc', '42501', 'schema "shc" must be owned by a superuser',
                 'a schema shc owned by another role makes CREATE EXTENSION fail');
DROP SCHEMA shc CASCADE;

-- a superuser's schema shc that everyone may create in
CREATE SCHEMA shc;
GRANT CREATE ON SCHEMA shc TO PUBLIC;
SELECT throws_ok('CREATE EXTENSION shc', '42501', 'schema "shc" must not let other roles create objects',
                 'a schema shc others may create in makes CREATE EXTENSION fail');
DROP SCHEMA shc;

-- a superuser's schema shc holding an object planted before the install
CREATE SCHEMA shc;
CREATE FUNCTION shc.shc_planted() RETURNS int LANGUAGE sql AS 'SELECT 1';
SELECT throws_ok('CREATE EXTENSION shc', '42501', 'schema "shc" holds objects that do not belong to the extension',
                 'a schema shc holding foreign objects makes CREATE EXTENSION fail');
DROP SCHEMA shc CASCADE;

SELECT lives_ok('CREATE EXTENSION shc', 'without such a schema the extension installs');
SELECT ok(NOT has_schema_privilege('shc_pv_owner', 'shc', 'CREATE') AND NOT has_schema_privilege('public', 'shc', 'CREATE'),
          'and nobody but its owner may create in schema shc');

SELECT * FROM finish();
