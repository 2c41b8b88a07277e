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

------------------------------------------------------------------------------
-- QR images and the printable card (SHC-NOTES section 8; src/shc_qrimg_sql.c,
-- src/shc_card_sql.c)
------------------------------------------------------------------------------

CREATE FUNCTION shc_qr_png(card text, module_px integer DEFAULT 8,
                           quiet_zone integer DEFAULT 4)
RETURNS bytea
AS 'MODULE_PATHNAME', 'shc_qr_png_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100;

COMMENT ON FUNCTION shc_qr_png(text, integer, integer) IS
'PNG (1-bit grey) of the QR code of a compact JWS or shc:/ text: byte segment shc:/ + numeric segment, EC level L, smallest version, at most 22';

CREATE FUNCTION shc_qr_svg(card text, module_px integer DEFAULT 8,
                           quiet_zone integer DEFAULT 4)
RETURNS text
AS 'MODULE_PATHNAME', 'shc_qr_svg_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100;

COMMENT ON FUNCTION shc_qr_svg(text, integer, integer) IS
'SVG (one path, scalable viewBox) of the QR code of a compact JWS or shc:/ text';

CREATE FUNCTION shc_qr_info(card text,
                            OUT jws_length integer, OUT numeric_length integer,
                            OUT version integer, OUT modules integer,
                            OUT fits_single_qr boolean, OUT qr_codes integer)
RETURNS record
AS 'MODULE_PATHNAME', 'shc_qr_info_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100;

COMMENT ON FUNCTION shc_qr_info(text) IS
'size of the QR code of a compact JWS or shc:/ text: lengths, version and modules per side (NULL when it does not fit version 22), and the number of QR codes needed';

CREATE FUNCTION shc_card_svg(card text, title text DEFAULT 'SMART Health Card')
RETURNS text
AS 'MODULE_PATHNAME', 'shc_card_svg_sql'
LANGUAGE C STABLE STRICT PARALLEL SAFE COST 200;

COMMENT ON FUNCTION shc_card_svg(text, text) IS
'printable one-page SVG (fits A4 and Letter) of what a card contains: holder, immunizations or results, issuer, issue date, QR code; not a verification';
