-- shc--0.2.0--0.3.0.sql: update a 0.2.0 database to 0.3.0.
--
-- Run by ALTER EXTENSION shc UPDATE.  Every change here is also made in the
-- one source of the current catalog, so that an updated database and a fresh
-- CREATE EXTENSION shc end with the same catalog (the upgrade tier compares
-- them).  A 0.1.0 database updates through 0.2.0.

\echo Use "ALTER EXTENSION shc UPDATE" to load this file. \quit

