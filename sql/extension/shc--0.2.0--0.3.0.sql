-- shc--0.2.0--0.3.0.sql: update a 0.2.0 database to 0.3.0.
--
-- Run by ALTER EXTENSION shc UPDATE.  Every change here is also made in the
-- one source of the current catalog, so that an updated database and a fresh
-- CREATE EXTENSION shc end with the same catalog (the upgrade tier compares
-- them).  A 0.1.0 database updates through 0.2.0.

\echo Use "ALTER EXTENSION shc UPDATE" to load this file. \quit


------------------------------------------------------------------------------
-- Trust boundaries: links owned by their issuer, link answers that cannot
-- be cheated, shc_stats() for monitoring roles, shc_check_setup() that
-- checks what matters (issue #22, and shc_check_setup from issue #23)
------------------------------------------------------------------------------

-- The role a call is judged as: the session's current role (SET ROLE
-- included), which the SECURITY DEFINER functions below do not change.
CREATE FUNCTION @extschema@.shc_link_caller()
RETURNS oid
AS 'MODULE_PATHNAME', 'shc_link_caller_sql'
LANGUAGE C STABLE PARALLEL RESTRICTED
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.shc_link_caller() IS
'internal: the role a SMART Health Link management call is judged as (the session''s current role, SET ROLE included)';

-- The passcode failure counter of a link, outside every transaction
-- (src/shc_link_guard.c): delta 1 charges an attempt, -1 gives it back, 0
-- reads; returns the count.
CREATE FUNCTION @extschema@.shc_link_attempt(manifest_id text, delta integer)
RETURNS integer
AS 'MODULE_PATHNAME', 'shc_link_attempt_sql'
LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.shc_link_attempt(text, integer) IS
'internal: add delta (1, -1 or 0) to a SMART Health Link''s count of wrong passcodes, kept in a file that no rollback restores; returns the count';

-- Who may manage a link: the roles that may sign for its issuer (the
-- grantees of shc_issuer_grant, or every shc_issuer member while the issuer
-- has none), superusers; a link without an issuer (every link made by
-- 0.2.0, and links made without iss) belongs to the role that created it
-- and that role's members.
CREATE FUNCTION @extschema@.shc_link_may_manage(caller oid, iss text, created_by name)
RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT CASE
    WHEN $1 IS NULL THEN false
    WHEN coalesce((SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.oid = $1), false) THEN true
    WHEN $2 IS NULL THEN
      EXISTS (SELECT FROM pg_catalog.pg_roles r
               WHERE r.rolname = $3 AND pg_catalog.pg_has_role($1, r.oid, 'USAGE'))
    WHEN NOT EXISTS (SELECT FROM @extschema@.shc_issuer_grants g WHERE g.iss = $2) THEN
      pg_catalog.pg_has_role($1, 'shc_issuer', 'USAGE')
    ELSE
      EXISTS (SELECT FROM @extschema@.shc_issuer_grants g
               WHERE g.iss = $2 AND pg_catalog.pg_has_role($1, g.grantee::pg_catalog.oid, 'USAGE'))
  END
$$;
COMMENT ON FUNCTION @extschema@.shc_link_may_manage(oid, text, name) IS
'internal: may this role manage a SMART Health Link of this issuer (NULL: the link belongs to created_by)?';

-- Each link names its issuer; max_attempts is the passcode budget the
-- failure counter is measured against (a 0.2.0 link: what it had left).
ALTER TABLE @extschema@.shc_links
  ADD COLUMN iss text CHECK (iss ~ '^https://[^/]' AND iss !~ '/$'),
  ADD COLUMN max_attempts integer CHECK (max_attempts BETWEEN 0 AND 1000);
UPDATE @extschema@.shc_links SET max_attempts = attempts_left WHERE passcode_hash IS NOT NULL;
ALTER TABLE @extschema@.shc_links
  ADD CONSTRAINT shc_links_max_attempts_passcode_check CHECK ((passcode_hash IS NULL) = (max_attempts IS NULL));
COMMENT ON COLUMN @extschema@.shc_links.iss IS
'the issuer the link belongs to: the roles that may sign for it manage the link; NULL: the role created_by does';

-- shc_issuer no longer reads the tables: it reads its own links.
REVOKE SELECT (link_id, manifest_id, url, flag, label, exp, attempts_left,
  active, created_at, created_by) ON @extschema@.shc_links FROM shc_issuer;
REVOKE SELECT ON @extschema@.shc_link_access FROM shc_issuer;

CREATE VIEW @extschema@.shc_my_links WITH (security_barrier) AS
  SELECT l.link_id, l.manifest_id, l.iss, l.url, l.flag, l.label, l.exp,
         l.attempts_left, l.active, l.created_at, l.created_by
    FROM @extschema@.shc_links l
   WHERE @extschema@.shc_link_may_manage(@extschema@.shc_link_caller(), l.iss, l.created_by);
COMMENT ON VIEW @extschema@.shc_my_links IS
'the SMART Health Links the calling role may manage (its issuers'', or its own), without any secret';

CREATE VIEW @extschema@.shc_my_link_access WITH (security_barrier) AS
  SELECT a.access_id, a.link_id, l.manifest_id, a.request, a.at, a.recipient,
         a.db_role, a.outcome, a.logged_at
    FROM @extschema@.shc_link_access a
    JOIN @extschema@.shc_links l ON l.link_id = a.link_id
   WHERE @extschema@.shc_link_may_manage(@extschema@.shc_link_caller(), l.iss, l.created_by);
COMMENT ON VIEW @extschema@.shc_my_link_access IS
'the access log of the SMART Health Links the calling role may manage';

REVOKE ALL ON @extschema@.shc_my_links, @extschema@.shc_my_link_access FROM PUBLIC;
GRANT SELECT ON @extschema@.shc_my_links, @extschema@.shc_my_link_access TO shc_issuer;

DROP FUNCTION @extschema@.shc_link_create(jsonb, text, text, timestamptz, text, text, text, integer);
CREATE FUNCTION @extschema@.shc_link_create(files jsonb, base_url text,
  passcode text DEFAULT NULL, exp timestamptz DEFAULT NULL,
  label text DEFAULT NULL, flag text DEFAULT NULL, viewer text DEFAULT NULL,
  max_attempts integer DEFAULT 10, iss text DEFAULT NULL)
RETURNS text
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 10000
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  caller oid := @extschema@.shc_link_caller();
  cts text[];
  contents text[];
  f record;
  flags text := '';
  mid text;
  murl text;
  enc record;
  lid bigint;
BEGIN
  IF iss IS NOT NULL THEN
    IF iss !~ '^https://[^/]' OR iss ~ '/$' THEN
      RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
        MESSAGE = 'invalid issuer URL',
        DETAIL = 'An issuer URL starts with "https://" and does not end with "/".';
    END IF;
    IF NOT @extschema@.shc_link_may_manage(caller, iss, NULL) THEN
      RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
        MESSAGE = pg_catalog.format('permission denied to create SMART Health Links for issuer "%s"', iss),
        DETAIL = 'Links of an issuer are made and managed by the roles that may sign for it.',
        HINT = 'A key administrator grants it with shc_issuer_grant().';
    END IF;
  END IF;
  IF files IS NULL OR pg_catalog.jsonb_typeof(files) <> 'array'
     OR pg_catalog.jsonb_array_length(files) = 0 THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = 'a SMART Health Link needs at least one file',
      HINT = 'Pass a JSON array of compact JWS cards or {"contentType","content"} objects.';
  END IF;
  IF base_url IS NULL OR base_url !~ '^https?://[^/?#[:space:]]+(/[^?#[:space:]]*)?$'
     OR base_url ~ '/$' THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = 'invalid SMART Health Link base URL',
      DETAIL = 'It must be an http or https URL without a query, a fragment or a trailing "/".';
  END IF;
  -- the manifest URL is base_url/<43 characters> and at most 128 long
  IF pg_catalog.length(base_url) > 128 - 44 THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = 'invalid SMART Health Link base URL',
      DETAIL = pg_catalog.format('It has %s characters; the manifest URL it makes must fit in 128, so at most 84.',
                                 pg_catalog.length(base_url));
  END IF;
  IF flag IS NOT NULL AND flag !~ '^L?P?U?$' THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = 'invalid SMART Health Link flag',
      DETAIL = 'Flags are L, P and U, each at most once, in alphabetical order.';
  END IF;
  IF pg_catalog.strpos(coalesce(flag, ''), 'P') > 0 AND passcode IS NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = 'invalid SMART Health Link flag',
      DETAIL = 'Flag P needs a passcode.';
  END IF;
  IF pg_catalog.strpos(coalesce(flag, ''), 'U') > 0 THEN
    IF passcode IS NOT NULL THEN
      RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
        MESSAGE = 'invalid SMART Health Link flag',
        DETAIL = 'Flag U (direct file access) cannot be combined with a passcode (flag P).';
    END IF;
    IF pg_catalog.jsonb_array_length(files) <> 1 THEN
      RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
        MESSAGE = 'invalid SMART Health Link flag',
        DETAIL = pg_catalog.format('Flag U serves a single file; %s were given.',
                                   pg_catalog.jsonb_array_length(files));
    END IF;
  END IF;
  IF passcode IS NOT NULL AND (max_attempts IS NULL OR max_attempts < 1 OR max_attempts > 1000) THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = 'invalid number of passcode attempts',
      DETAIL = 'It must be between 1 and 1000.';
  END IF;
  IF exp IS NOT NULL AND exp <= pg_catalog.now() THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = 'SMART Health Link expiry is in the past';
  END IF;
  IF pg_catalog.strpos(coalesce(flag, ''), 'L') > 0 THEN flags := flags || 'L'; END IF;
  IF passcode IS NOT NULL THEN flags := flags || 'P'; END IF;
  IF pg_catalog.strpos(coalesce(flag, ''), 'U') > 0 THEN flags := flags || 'U'; END IF;

  FOR f IN SELECT (@extschema@.shc_link_file_content(e)).* FROM pg_catalog.jsonb_array_elements(files) e LOOP
    cts := cts || f.content_type;
    contents := contents || f.content;
  END LOOP;

  mid := @extschema@.shc_link_random_id();
  murl := base_url || '/' || mid;
  enc := @extschema@.shc_link_encrypt_files(mid, NULL, cts, contents);
  INSERT INTO @extschema@.shc_links (manifest_id, url, base_url, flag, label, exp, viewer,
                             passcode_hash, attempts_left, max_attempts, key_sealed,
                             iss, created_by)
  VALUES (mid, murl, base_url, flags, label, exp, viewer,
          CASE WHEN passcode IS NOT NULL THEN @extschema@.shc_link_passcode_hash(passcode) END,
          CASE WHEN passcode IS NOT NULL THEN max_attempts END,
          CASE WHEN passcode IS NOT NULL THEN max_attempts END, enc.key_sealed,
          iss, (SELECT r.rolname FROM pg_catalog.pg_roles r WHERE r.oid = caller))
  RETURNING link_id INTO lid;
  INSERT INTO @extschema@.shc_link_files (link_id, file_no, content_type, jwe)
  SELECT lid, x.n, x.ct, x.jwe
    FROM ROWS FROM (pg_catalog.unnest(cts), pg_catalog.unnest(enc.jwes)) WITH ORDINALITY AS x(ct, jwe, n);
  RETURN @extschema@.shc_link_encode_sealed(mid, enc.key_sealed, murl, exp,
                                    NULLIF(flags, ''), label, viewer);
END
$$;
COMMENT ON FUNCTION @extschema@.shc_link_create(jsonb, text, text, timestamptz, text, text, text, integer, text) IS
'store a new SMART Health Link for files (compact JWS cards or {"contentType","content"}) served under base_url, belonging to issuer iss (or, without iss, to the calling role); returns its shlink:/ text';

CREATE OR REPLACE FUNCTION @extschema@.shc_link_uri(manifest_id text)
RETURNS text
LANGUAGE plpgsql STABLE STRICT PARALLEL UNSAFE COST 100
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  l @extschema@.shc_links;
BEGIN
  SELECT * INTO l FROM @extschema@.shc_links k WHERE k.manifest_id = shc_link_uri.manifest_id;
  -- another issuer's link is answered as no link at all
  IF NOT FOUND OR NOT @extschema@.shc_link_may_manage(@extschema@.shc_link_caller(), l.iss, l.created_by) THEN
    RAISE EXCEPTION USING ERRCODE = 'undefined_object',
      MESSAGE = 'SMART Health Link does not exist';
  END IF;
  RETURN @extschema@.shc_link_encode_sealed(l.manifest_id, l.key_sealed, l.url, l.exp,
                                    NULLIF(l.flag, ''), l.label, l.viewer);
END
$$;

CREATE OR REPLACE FUNCTION @extschema@.shc_link_add_file(manifest_id text, file jsonb)
RETURNS integer
LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE COST 1000
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  l @extschema@.shc_links;
  f record;
  enc record;
  n integer;
BEGIN
  SELECT * INTO l FROM @extschema@.shc_links k WHERE k.manifest_id = shc_link_add_file.manifest_id
     FOR UPDATE;
  IF NOT FOUND OR NOT l.active
     OR NOT @extschema@.shc_link_may_manage(@extschema@.shc_link_caller(), l.iss, l.created_by) THEN
    RAISE EXCEPTION USING ERRCODE = 'undefined_object',
      MESSAGE = 'SMART Health Link does not exist or is not active';
  END IF;
  IF pg_catalog.strpos(l.flag, 'U') > 0 THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = 'a SMART Health Link with flag U serves a single file';
  END IF;
  f := @extschema@.shc_link_file_content(file);
  enc := @extschema@.shc_link_encrypt_files(l.manifest_id, l.key_sealed,
                                    ARRAY[f.content_type], ARRAY[f.content]);
  SELECT coalesce(pg_catalog.max(x.file_no), 0) + 1 INTO n
    FROM @extschema@.shc_link_files x WHERE x.link_id = l.link_id;
  INSERT INTO @extschema@.shc_link_files (link_id, file_no, content_type, jwe)
  VALUES (l.link_id, n, f.content_type, enc.jwes[1]);
  RETURN n;
END
$$;

CREATE OR REPLACE FUNCTION @extschema@.shc_link_deactivate(manifest_id text)
RETURNS boolean
LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  lid bigint;
BEGIN
  UPDATE @extschema@.shc_links k SET active = false, key_sealed = NULL
   WHERE k.manifest_id = shc_link_deactivate.manifest_id
     AND @extschema@.shc_link_may_manage(@extschema@.shc_link_caller(), k.iss, k.created_by)
  RETURNING k.link_id INTO lid;
  IF lid IS NULL THEN
    RETURN false;
  END IF;
  DELETE FROM @extschema@.shc_link_files x WHERE x.link_id = lid;
  RETURN true;
END
$$;

-- Answers judge time by the server's clock (clock_timestamp(), not the
-- transaction's start): at may only move it forward (to test expiry), and
-- the access log records the server's clock.  Passcode attempts: one is
-- charged in the failure counter (a file, src/shc_link_guard.c) before the
-- passcode is checked and given back only when it was right; the table's
-- attempts_left is decremented too, so a dump keeps what was spent.
CREATE OR REPLACE FUNCTION @extschema@.shc_link_manifest(manifest_id text, request jsonb,
  at timestamptz DEFAULT pg_catalog.now())
RETURNS @extschema@.shc_link_response
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 10000
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  l @extschema@.shc_links;
  clock timestamptz := pg_catalog.clock_timestamp();
  judged timestamptz;
  recipient text;
  pass text;
  elm numeric;
  files jsonb := '[]';
  fr record;
  tok text;
  failures integer;
  remaining integer;
BEGIN
  judged := GREATEST(clock, at);
  SELECT * INTO l FROM @extschema@.shc_links k WHERE k.manifest_id = shc_link_manifest.manifest_id
     FOR UPDATE;
  IF pg_catalog.jsonb_typeof(request) IS DISTINCT FROM 'object'
     OR pg_catalog.jsonb_typeof(request -> 'recipient') IS DISTINCT FROM 'string'
     OR request ->> 'recipient' = ''
     OR (request ? 'passcode' AND pg_catalog.jsonb_typeof(request -> 'passcode') <> 'string')
     OR (request ? 'embeddedLengthMax'
         AND (pg_catalog.jsonb_typeof(request -> 'embeddedLengthMax') <> 'number'
              OR (request ->> 'embeddedLengthMax')::numeric < 0)) THEN
    PERFORM @extschema@.shc_link_log(l.link_id, 'manifest', clock, request ->> 'recipient', 'bad_request');
    RETURN @extschema@.shc_link_answer('bad_request', 400, '{"error":"a manifest request is {\"recipient\": string, \"passcode\"?: string, \"embeddedLengthMax\"?: number}"}');
  END IF;
  recipient := request ->> 'recipient';
  IF l.link_id IS NULL OR NOT l.active THEN
    PERFORM @extschema@.shc_link_log(l.link_id, 'manifest', clock, recipient, 'not_found');
    RETURN @extschema@.shc_link_answer('not_found', 404, '{"error":"no such SMART Health Link"}');
  END IF;
  IF l.exp IS NOT NULL AND l.exp <= judged THEN
    PERFORM @extschema@.shc_link_log(l.link_id, 'manifest', clock, recipient, 'expired');
    RETURN @extschema@.shc_link_answer('expired', 404, '{"error":"this SMART Health Link has expired"}');
  END IF;
  IF l.passcode_hash IS NOT NULL THEN
    failures := @extschema@.shc_link_attempt(l.manifest_id, 0);
    remaining := LEAST(l.attempts_left, l.max_attempts - failures);
    IF remaining <= 0 THEN
      PERFORM @extschema@.shc_link_log(l.link_id, 'manifest', clock, recipient, 'locked');
      RETURN @extschema@.shc_link_answer('locked', 404, '{"error":"this SMART Health Link is locked after too many wrong passcodes","remainingAttempts":0}');
    END IF;
    pass := request ->> 'passcode';
    IF pass IS NULL THEN
      PERFORM @extschema@.shc_link_log(l.link_id, 'manifest', clock, recipient, 'unauthorized');
      RETURN @extschema@.shc_link_answer('unauthorized', 401,
        pg_catalog.jsonb_build_object('error', 'a passcode is required', 'remainingAttempts', remaining));
    END IF;
    -- charged before the check: no error, cancel or rollback after it gives it back
    failures := @extschema@.shc_link_attempt(l.manifest_id, 1);
    IF failures > l.max_attempts THEN
      PERFORM @extschema@.shc_link_log(l.link_id, 'manifest', clock, recipient, 'locked');
      RETURN @extschema@.shc_link_answer('locked', 404, '{"error":"this SMART Health Link is locked after too many wrong passcodes","remainingAttempts":0}');
    END IF;
    IF NOT @extschema@.shc_link_passcode_check(pass, l.passcode_hash) THEN
      UPDATE @extschema@.shc_links k SET attempts_left = GREATEST(k.attempts_left - 1, 0)
       WHERE k.link_id = l.link_id;
      PERFORM @extschema@.shc_link_log(l.link_id, 'manifest', clock, recipient, 'unauthorized');
      RETURN @extschema@.shc_link_answer('unauthorized', 401,
        pg_catalog.jsonb_build_object('error', 'wrong passcode', 'remainingAttempts',
          GREATEST(LEAST(l.attempts_left - 1, l.max_attempts - failures), 0)));
    END IF;
    PERFORM @extschema@.shc_link_attempt(l.manifest_id, -1);
  END IF;
  elm := (request ->> 'embeddedLengthMax')::numeric;
  DELETE FROM @extschema@.shc_link_locations x WHERE x.expires_at <= clock;
  FOR fr IN SELECT x.file_no, x.content_type, x.jwe FROM @extschema@.shc_link_files x
             WHERE x.link_id = l.link_id ORDER BY x.file_no LOOP
    IF elm IS NOT NULL AND pg_catalog.length(fr.jwe) <= elm THEN
      files := files || pg_catalog.jsonb_build_object('contentType', fr.content_type,
                                                      'embedded', fr.jwe);
    ELSE
      tok := @extschema@.shc_link_random_id();
      INSERT INTO @extschema@.shc_link_locations (token, link_id, file_no, recipient, expires_at)
      VALUES (tok, l.link_id, fr.file_no, recipient, clock + interval '1 hour');
      files := files || pg_catalog.jsonb_build_object('contentType', fr.content_type,
                                                      'location', l.base_url || '/file/' || tok);
    END IF;
  END LOOP;
  PERFORM @extschema@.shc_link_log(l.link_id, 'manifest', clock, recipient, 'ok');
  RETURN @extschema@.shc_link_answer('ok', 200, pg_catalog.jsonb_build_object('files', files));
END
$$;
COMMENT ON FUNCTION @extschema@.shc_link_manifest(text, jsonb, timestamptz) IS
'answer a SMART Health Link manifest request (POST body: recipient, passcode, embeddedLengthMax) by the server''s clock (at, for tests, may only move it forward); counts passcode attempts where no rollback returns them, and logs the access';

CREATE OR REPLACE FUNCTION @extschema@.shc_link_file(token text, at timestamptz DEFAULT pg_catalog.now())
RETURNS @extschema@.shc_link_response
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  r record;
  clock timestamptz := pg_catalog.clock_timestamp();
  judged timestamptz;
BEGIN
  judged := GREATEST(clock, at);
  SELECT x.link_id, x.expires_at, x.recipient, f.jwe, k.active, k.exp INTO r
    FROM @extschema@.shc_link_locations x
    JOIN @extschema@.shc_link_files f USING (link_id, file_no)
    JOIN @extschema@.shc_links k ON k.link_id = x.link_id
   WHERE x.token = shc_link_file.token;
  IF NOT FOUND OR NOT r.active THEN
    PERFORM @extschema@.shc_link_log(r.link_id, 'file', clock, r.recipient, 'not_found');
    RETURN @extschema@.shc_link_answer('not_found', 404, '{"error":"no such file"}');
  END IF;
  IF r.expires_at <= judged OR (r.exp IS NOT NULL AND r.exp <= judged) THEN
    PERFORM @extschema@.shc_link_log(r.link_id, 'file', clock, r.recipient, 'expired');
    RETURN @extschema@.shc_link_answer('expired', 404, '{"error":"this location has expired"}');
  END IF;
  PERFORM @extschema@.shc_link_log(r.link_id, 'file', clock, r.recipient, 'ok');
  RETURN ROW('ok', 200, 'application/jose', r.jwe)::@extschema@.shc_link_response;
END
$$;
COMMENT ON FUNCTION @extschema@.shc_link_file(text, timestamptz) IS
'answer a GET of a location URL handed out in a manifest (valid one hour), by the server''s clock (at, for tests, may only move it forward): the file''s JWE, or not_found / expired';

CREATE OR REPLACE FUNCTION @extschema@.shc_link_direct(manifest_id text, recipient text,
  at timestamptz DEFAULT pg_catalog.now())
RETURNS @extschema@.shc_link_response
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  l @extschema@.shc_links;
  j text;
  clock timestamptz := pg_catalog.clock_timestamp();
  judged timestamptz;
BEGIN
  judged := GREATEST(clock, at);
  SELECT * INTO l FROM @extschema@.shc_links k WHERE k.manifest_id = shc_link_direct.manifest_id;
  IF recipient IS NULL OR recipient = '' THEN
    PERFORM @extschema@.shc_link_log(l.link_id, 'direct', clock, recipient, 'bad_request');
    RETURN @extschema@.shc_link_answer('bad_request', 400, '{"error":"a direct request names its recipient"}');
  END IF;
  IF l.link_id IS NULL OR NOT l.active OR pg_catalog.strpos(l.flag, 'U') = 0 THEN
    PERFORM @extschema@.shc_link_log(l.link_id, 'direct', clock, recipient, 'not_found');
    RETURN @extschema@.shc_link_answer('not_found', 404, '{"error":"no such SMART Health Link"}');
  END IF;
  IF l.exp IS NOT NULL AND l.exp <= judged THEN
    PERFORM @extschema@.shc_link_log(l.link_id, 'direct', clock, recipient, 'expired');
    RETURN @extschema@.shc_link_answer('expired', 404, '{"error":"this SMART Health Link has expired"}');
  END IF;
  SELECT f.jwe INTO j FROM @extschema@.shc_link_files f WHERE f.link_id = l.link_id AND f.file_no = 1;
  PERFORM @extschema@.shc_link_log(l.link_id, 'direct', clock, recipient, 'ok');
  RETURN ROW('ok', 200, 'application/jose', j)::@extschema@.shc_link_response;
END
$$;
COMMENT ON FUNCTION @extschema@.shc_link_direct(text, text, timestamptz) IS
'answer a GET of the manifest URL of a link with flag U (?recipient=...) by the server''s clock (at, for tests, may only move it forward): its single file''s JWE';

REVOKE EXECUTE ON FUNCTION @extschema@.shc_link_attempt(text, integer),
  @extschema@.shc_link_create(jsonb, text, text, timestamptz, text, text, text, integer, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
  @extschema@.shc_link_create(jsonb, text, text, timestamptz, text, text, text, integer, text) TO shc_issuer;

-- shc_stats(): the memo's counters tell whether a card was verified
-- before; only roles that may read every session's statistics see them
-- (pg_read_all_stats, and pg_monitor, its member).  The shared memo's
-- entries are per database (src/shc_memo.c).
REVOKE EXECUTE ON FUNCTION @extschema@.shc_stats() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.shc_stats() TO pg_read_all_stats;
COMMENT ON FUNCTION @extschema@.shc_stats() IS
'counters of the signature memo: this session''s (memo = backend) and, when shc is preloaded, the shared one (memo = shared, whose entries are per database); for pg_read_all_stats (and pg_monitor) members';

-- What shc_check_setup() may know of the root key without showing its
-- setting: configured, readable, and how many stored secrets another root
-- key sealed.  No text of an error is kept (it may name the key's file).
CREATE FUNCTION @extschema@.shc_check_root_key(OUT configured boolean, OUT readable boolean,
  OUT keys bigint, OUT keys_other bigint, OUT secrets bigint, OUT secrets_other bigint,
  OUT links bigint, OUT links_other bigint)
RETURNS record
LANGUAGE plpgsql VOLATILE PARALLEL RESTRICTED
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  id text;
BEGIN
  PERFORM @extschema@.shc_library_version();
  configured := coalesce(pg_catalog.current_setting('shc.root_key_file', true), '') <> ''
                OR coalesce(pg_catalog.current_setting('shc.root_key_command', true), '') <> '';
  BEGIN
    id := @extschema@.shc_root_key_id();
    readable := id IS NOT NULL;
  EXCEPTION WHEN OTHERS THEN
    readable := false;
  END;
  SELECT pg_catalog.count(*), pg_catalog.count(*) FILTER (WHERE id IS NULL
           OR pg_catalog.encode(pg_catalog.substr(p.sealed_d, 2, 8), 'hex') <> id)
    INTO keys, keys_other FROM @extschema@.shc_private_keys p;
  SELECT pg_catalog.count(*), pg_catalog.count(*) FILTER (WHERE id IS NULL
           OR pg_catalog.encode(pg_catalog.substr(s.sealed_secret, 2, 8), 'hex') <> id)
    INTO secrets, secrets_other FROM @extschema@.shc_private_rid_secrets s;
  SELECT pg_catalog.count(*), pg_catalog.count(*) FILTER (WHERE id IS NULL
           OR pg_catalog.encode(pg_catalog.substr(l.key_sealed, 2, 8), 'hex') <> id)
    INTO links, links_other FROM @extschema@.shc_links l WHERE l.key_sealed IS NOT NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.shc_check_root_key() IS
'internal: whether a root key is configured and readable, and how many stored keys, rid secrets and link keys it does not open (never the setting''s text)';

-- A schema other roles may create in, as seen by the caller: its owner
-- or a role with CREATE on it is PUBLIC, or a role that is neither a
-- superuser nor one whose privileges the caller has.
CREATE FUNCTION @extschema@.shc_schema_writable_by_others(schema_name name)
RETURNS boolean
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT EXISTS (
    SELECT FROM pg_catalog.pg_namespace n,
           LATERAL (SELECT n.nspowner AS r
                    UNION ALL
                    SELECT a.grantee FROM pg_catalog.aclexplode(n.nspacl) a
                     WHERE a.privilege_type = 'CREATE') w
     WHERE n.nspname = $1
       AND (w.r = 0
            OR (NOT pg_catalog.pg_has_role(pg_catalog.current_user(), w.r, 'USAGE')
                AND NOT coalesce((SELECT r.rolsuper FROM pg_catalog.pg_roles r
                                   WHERE r.oid = CASE WHEN w.r = 'pg_database_owner'::pg_catalog.regrole
                                                      THEN (SELECT d.datdba FROM pg_catalog.pg_database d
                                                             WHERE d.datname = pg_catalog.current_database())
                                                      ELSE w.r END), false))))
$$;
COMMENT ON FUNCTION @extschema@.shc_schema_writable_by_others(name) IS
'internal: may a role other than the caller (and superusers) create objects in this schema?';

CREATE OR REPLACE FUNCTION @extschema@.shc_check_setup(search_path name[] DEFAULT pg_catalog.current_schemas(false),
                                    OUT item text, OUT ok boolean, OUT detail text)
RETURNS SETOF record
LANGUAGE plpgsql VOLATILE STRICT PARALLEL RESTRICTED ROWS 16
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  lib text := @extschema@.shc_library_version();   -- loads the library: shc.* exist from here on
  ext text := (SELECT e.extversion FROM pg_catalog.pg_extension e WHERE e.extname = 'shc');
  preload text;
  n bigint;
  rk record;
  root_ok boolean;
  before_shc text;
  s record;
  me text := pg_catalog.quote_ident(pg_catalog.current_user());
  path_fix text := pg_catalog.format('ALTER ROLE %s SET search_path = shc, "$user", public (as a superuser)',
                                     pg_catalog.quote_ident(pg_catalog.current_user()));
BEGIN
  item := 'library version';
  ok := lib = ext;
  detail := CASE WHEN ok THEN pg_catalog.format('The library and the extension are version %s.', ext)
                 ELSE pg_catalog.format('The library is version %s, the extension''s objects %s: run ALTER EXTENSION shc UPDATE in every database that has shc.', lib, ext) END;
  RETURN NEXT;

  -- pg_settings shows the preload settings only to roles that may read
  -- them (superusers, pg_read_all_settings); for others the row says so
  SELECT pg_catalog.string_agg(g.name, ', ') FILTER (WHERE EXISTS (
           SELECT FROM pg_catalog.regexp_split_to_table(g.setting, '\s*,\s*') l
            WHERE pg_catalog.btrim(l, ' "') IN ('shc', '$libdir/shc'))),
         pg_catalog.count(*)
    INTO preload, n
    FROM pg_catalog.pg_settings g
   WHERE g.name IN ('shared_preload_libraries', 'session_preload_libraries');
  item := 'library preloaded';
  ok := CASE WHEN preload IS NOT NULL THEN true WHEN n = 2 THEN false END;
  detail := CASE WHEN ok THEN pg_catalog.format('shc is in %s: SHOW shc.* works in every session.', preload)
                 WHEN NOT ok THEN 'SHOW shc.* works in a session only after an shc function ran there. Add shc to shared_preload_libraries (at the next restart) or session_preload_libraries (in new sessions).'
                 ELSE 'Unknown: only superusers and members of pg_read_all_settings may read shared_preload_libraries.' END;
  RETURN NEXT;

  rk := @extschema@.shc_check_root_key();
  root_ok := rk.configured AND rk.readable;
  item := 'root key';
  ok := root_ok;
  detail := CASE
    WHEN root_ok THEN 'A root key is configured and readable: stored keys and secrets can be sealed and opened.'
    WHEN NOT rk.configured THEN 'No root key is configured: no key or rid secret can be created or used. As a superuser, write 64 hexadecimal digits (openssl rand -hex 32) to a file only the server''s OS user can read, set shc.root_key_file to its path in postgresql.conf, and SELECT pg_reload_conf() (docs/security.md, "Keys at rest").'
    ELSE 'The configured root key cannot be read (a missing or unreadable file, a key that is not 64 hexadecimal digits, or a failing command): a superuser checks shc.root_key_file or shc.root_key_command and reloads (docs/security.md, "Keys at rest").' END;
  RETURN NEXT;

  item := 'stored secrets';
  ok := root_ok AND rk.keys_other + rk.secrets_other + rk.links_other = 0;
  detail := CASE
    WHEN ok THEN pg_catalog.format('The root key opens all %s private keys, %s rid secrets and %s link keys.', rk.keys, rk.secrets, rk.links)
    WHEN NOT root_ok THEN pg_catalog.format('Without a readable root key none of the %s private keys, %s rid secrets and %s link keys opens: fix the root key first.', rk.keys, rk.secrets, rk.links)
    ELSE pg_catalog.format('The root key does not open %s of %s private keys, %s of %s rid secrets and %s of %s link keys (sealed under another root key): a superuser names that key in shc.root_key_previous_file and reloads, then a key administrator runs SELECT shc_root_key_rotate().',
                           rk.keys_other, rk.keys, rk.secrets_other, rk.secrets, rk.links_other, rk.links) END;
  RETURN NEXT;

  item := 'schema on search_path';
  ok := 'shc' = ANY (search_path);
  detail := CASE WHEN ok THEN 'Schema shc is on the search path.'
                 ELSE pg_catalog.format('Schema shc is not on the search path: run %s, or write shc.<name>.', path_fix) END;
  RETURN NEXT;

  -- a schema before shc that another role may create in: its functions
  -- named like shc's would be called instead (docs/security.md)
  SELECT pg_catalog.string_agg(pg_catalog.quote_ident(p.name), ', ' ORDER BY p.pos) INTO before_shc
    FROM pg_catalog.unnest(search_path) WITH ORDINALITY AS p(name, pos)
   WHERE p.pos < coalesce(pg_catalog.array_position(search_path, 'shc'), 0)
     AND p.name NOT IN ('pg_catalog', 'shc')
     AND @extschema@.shc_schema_writable_by_others(p.name);
  item := 'search_path order';
  ok := before_shc IS NULL;
  detail := CASE WHEN ok THEN 'No schema that another role may create in comes before shc on the search path.'
                 ELSE pg_catalog.format('Other roles may create objects in %s, which the search path puts before shc: a function planted there under an shc name runs instead, with your privileges. Run %s.', before_shc, path_fix) END;
  RETURN NEXT;

  item := 'public schema';
  ok := NOT @extschema@.shc_schema_writable_by_others('public');
  detail := CASE WHEN ok THEN 'No role but you and superusers may create objects in schema public.'
                 ELSE 'Other roles (the database owner, or everyone) may create objects in schema public: a function there whose argument types fit a call better than shc''s is called instead, even after shc on the search path. Call shc functions with arguments of their exact types or as shc.<name>, or close public: REVOKE CREATE ON SCHEMA public FROM PUBLIC, and, against the database owner, ALTER SCHEMA public OWNER TO a superuser (docs/security.md, "The database owner").' END;
  RETURN NEXT;

  item := 'role may issue';
  ok := pg_catalog.pg_has_role(pg_catalog.current_user(), 'shc_issuer', 'USAGE');
  detail := CASE WHEN ok THEN pg_catalog.format('%s may sign cards and make SMART Health Links (shc_issuer), for the issuers shc_issuer_grant() allows it.', me)
                 ELSE pg_catalog.format('%s may not sign cards: GRANT shc_issuer TO %s, if it should.', me, me) END;
  RETURN NEXT;

  item := 'role may administer keys';
  ok := pg_catalog.pg_has_role(pg_catalog.current_user(), 'shc_key_admin', 'USAGE');
  detail := CASE WHEN ok THEN pg_catalog.format('%s may create, import and retire keys and rid secrets (shc_key_admin).', me)
                 ELSE pg_catalog.format('%s may not manage keys: GRANT shc_key_admin TO %s, if it should.', me, me) END;
  RETURN NEXT;

  item := 'role may change trust';
  ok := pg_catalog.pg_has_role(pg_catalog.current_user(), 'shc_trust_admin', 'USAGE');
  detail := CASE WHEN ok THEN pg_catalog.format('%s may decide which issuers the verifier trusts (shc_trust_admin).', me)
                 ELSE pg_catalog.format('%s may not change the trust store: GRANT shc_trust_admin TO %s, if it should.', me, me) END;
  RETURN NEXT;

  -- settings the caller may read (pg_settings shows the root key's only
  -- to superusers and pg_read_all_settings)
  FOR s IN SELECT g.name, g.setting, g.unit, g.source, g.context
             FROM pg_catalog.pg_settings g WHERE g.name LIKE 'shc.%' ORDER BY g.name
  LOOP
    item := s.name;
    ok := CASE WHEN s.name IN ('shc.root_key_file', 'shc.root_key_command') THEN root_ok ELSE true END;
    detail := pg_catalog.format('%s%s (%s; changed by %s)', s.setting, coalesce(' ' || s.unit, ''), s.source,
                                CASE s.context WHEN 'superuser' THEN 'superusers' WHEN 'user' THEN 'any user'
                                     WHEN 'sighup' THEN 'the configuration file' ELSE s.context END);
    RETURN NEXT;
  END LOOP;
END
$$;
COMMENT ON FUNCTION @extschema@.shc_check_setup(name[]) IS
'what a DBA checks after installing or upgrading: library and extension versions agree, preload, a readable root key that opens every stored secret, schema shc on the search path with no schema other roles may create in before it, public closed, what the calling role may do (issue, keys, trust), and each shc.* setting the caller may read';
-- shc_check_root_key() stays open to everyone (shc_check_setup() runs as
-- its caller): it shows no setting, only yes/no and counts.
