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
-- Trust store and verification (SHC-NOTES sections 2-6, 10-12)
------------------------------------------------------------------------------

-- The verifier's offline trust store.  The database never fetches a URL:
-- an administrator loads each issuer's JWKS and CRLs with shc_trust() and
-- shc_trust_crl().  Public data only; readable by everyone, changed only
-- by the owner or roles granted INSERT/UPDATE/DELETE.
CREATE TABLE shc_trusted_issuer (
	iss text PRIMARY KEY
		CHECK (iss ~ '^https://[^/]' AND iss !~ '/$'),
	name text,
	added_at timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE shc_trusted_issuer IS
'issuers whose cards shc_verify() accepts (SHC-NOTES 12 step 7); fill with shc_trust()';

CREATE TABLE shc_trusted_key (
	iss text NOT NULL REFERENCES shc_trusted_issuer (iss) ON DELETE CASCADE,
	kid text NOT NULL CHECK (kid ~ '^[A-Za-z0-9_-]{43}$'),
	jwk jsonb NOT NULL CHECK (NOT jwk ? 'd'),
	crl_version integer CHECK (crl_version >= 1),
	added_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (iss, kid)
);

CREATE INDEX shc_trusted_key_kid ON shc_trusted_key (kid);

COMMENT ON TABLE shc_trusted_key IS
'public ES256 keys bound to (iss, kid); crl_version is the JWK''s crlVersion (SHC-NOTES 5, 10)';

CREATE TABLE shc_trusted_crl (
	iss text NOT NULL,
	kid text NOT NULL,
	method text NOT NULL CHECK (method = 'rid'),
	ctr integer NOT NULL CHECK (ctr >= 1),
	rids text[] NOT NULL,
	loaded_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (iss, kid),
	FOREIGN KEY (iss, kid) REFERENCES shc_trusted_key (iss, kid) ON DELETE CASCADE
);

COMMENT ON TABLE shc_trusted_crl IS
'revocation list of one trusted key: rids, each optionally "<rid>.<NumericDate>" (SHC-NOTES 10)';

SELECT pg_catalog.pg_extension_config_dump('shc_trusted_issuer', '');
SELECT pg_catalog.pg_extension_config_dump('shc_trusted_key', '');
SELECT pg_catalog.pg_extension_config_dump('shc_trusted_crl', '');

CREATE TRIGGER shc_trusted_issuer_cache
	AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON shc_trusted_issuer
	FOR EACH STATEMENT EXECUTE FUNCTION shc_cache_invalidate_trigger();
CREATE TRIGGER shc_trusted_key_cache
	AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON shc_trusted_key
	FOR EACH STATEMENT EXECUTE FUNCTION shc_cache_invalidate_trigger();
CREATE TRIGGER shc_trusted_crl_cache
	AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON shc_trusted_crl
	FOR EACH STATEMENT EXECUTE FUNCTION shc_cache_invalidate_trigger();

REVOKE ALL ON shc_trusted_issuer, shc_trusted_key, shc_trusted_crl FROM PUBLIC;
GRANT SELECT ON shc_trusted_issuer, shc_trusted_key, shc_trusted_crl TO PUBLIC;

CREATE FUNCTION shc_trust(iss text, jwks jsonb, name text DEFAULT NULL)
RETURNS integer
AS 'MODULE_PATHNAME', 'shc_trust_sql'
LANGUAGE C VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE COST 1000;

COMMENT ON FUNCTION shc_trust(text, jsonb, text) IS
'trust an issuer and exactly the usable ES256 keys of its JWKS (replacing its previous keys); returns the number of keys trusted';

CREATE FUNCTION shc_trust_crl(iss text, crl jsonb)
RETURNS integer
AS 'MODULE_PATHNAME', 'shc_trust_crl_sql'
LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE;

COMMENT ON FUNCTION shc_trust_crl(text, jsonb) IS
'load or replace the revocation list of one trusted key of an issuer; returns the number of revoked rids';

CREATE FUNCTION shc_untrust(iss text)
RETURNS boolean
AS 'MODULE_PATHNAME', 'shc_untrust_sql'
LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE;

COMMENT ON FUNCTION shc_untrust(text) IS
'remove an issuer with its keys and revocation lists from the trust store; false when it was not trusted';

CREATE TYPE shc_verification AS (
	status text,
	valid boolean,
	reason text,
	iss text,
	kid text,
	issued_at timestamptz,
	expires_at timestamptz,
	types text[],
	rid text,
	fhir_version text,
	bundle jsonb
);

COMMENT ON TYPE shc_verification IS
'result of shc_verify(): status is valid, malformed, bad_signature, unknown_issuer, unknown_key, expired, not_yet_valid or revoked';

CREATE FUNCTION shc_verify(card text, at timestamptz DEFAULT now())
RETURNS shc_verification
AS 'MODULE_PATHNAME', 'shc_verify_sql'
LANGUAGE C STABLE STRICT PARALLEL SAFE COST 2000;

COMMENT ON FUNCTION shc_verify(text, timestamptz) IS
'verify a compact JWS or shc:/ text against the trust store at a time; never raises for a bad card';

CREATE FUNCTION shc_verify_file(file jsonb, at timestamptz DEFAULT now())
RETURNS SETOF shc_verification
AS 'MODULE_PATHNAME', 'shc_verify_file_sql'
LANGUAGE C STABLE STRICT PARALLEL SAFE COST 2000 ROWS 1;

COMMENT ON FUNCTION shc_verify_file(jsonb, timestamptz) IS
'shc_verify() over each card of a .smart-health-card file, in order; a malformed file gives one malformed row';

CREATE FUNCTION shc_decode(card text)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'shc_decode_sql'
LANGUAGE C STABLE STRICT PARALLEL SAFE COST 100;

COMMENT ON FUNCTION shc_decode(text) IS
'header and decompressed payload of a compact JWS or shc:/ text, with no trust decision; raises on malformed input';

CREATE FUNCTION shc_file_cards(file jsonb)
RETURNS SETOF text
AS 'MODULE_PATHNAME', 'shc_file_cards_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 1;

COMMENT ON FUNCTION shc_file_cards(jsonb) IS
'the compact JWS strings of a .smart-health-card file, in order; raises when the file is malformed';
