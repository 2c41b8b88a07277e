/* shc--0.1.0.sql: install script of the shc extension, version 0.1.0 */

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION shc" to load this file. \quit

------------------------------------------------------------------------------
-- JSON
------------------------------------------------------------------------------

CREATE FUNCTION shc_json_compact(value jsonb)
RETURNS text
AS 'MODULE_PATHNAME', 'shc_json_compact_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION shc_json_compact(jsonb) IS
'compact JSON text of a jsonb value: no optional white space, "/" and non-ASCII unescaped';

------------------------------------------------------------------------------
-- QR numeric text (SHC-NOTES section 8)
------------------------------------------------------------------------------

CREATE FUNCTION shc_qr_numeric(jws text)
RETURNS text
AS 'MODULE_PATHNAME', 'shc_qr_numeric_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION shc_qr_numeric(text) IS
'shc:/ numeric QR text of a compact JWS that fits one QR code';

CREATE FUNCTION shc_qr_chunks(jws text)
RETURNS text[]
AS 'MODULE_PATHNAME', 'shc_qr_chunks_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION shc_qr_chunks(text) IS
'shc:/ QR texts of a compact JWS: one when it fits, else the deprecated balanced shc:/C/N/ chunks';

CREATE FUNCTION shc_qr_decode(qr text[])
RETURNS text
AS 'MODULE_PATHNAME', 'shc_qr_decode_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION shc_qr_decode(text[]) IS
'compact JWS held by one shc:/ QR text or by a complete set of shc:/C/N/ chunks in any order';

------------------------------------------------------------------------------
-- Cache invalidation (src/shc_cache.c)
------------------------------------------------------------------------------

CREATE FUNCTION shc_cache_invalidate_trigger()
RETURNS trigger
AS 'MODULE_PATHNAME', 'shc_cache_invalidate_trigger'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION shc_cache_invalidate_trigger() IS
'statement trigger on key and trust tables: makes every session drop its cached keys after the change commits';
