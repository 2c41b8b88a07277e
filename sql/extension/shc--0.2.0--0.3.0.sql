-- shc--0.2.0--0.3.0.sql: update a 0.2.0 database to 0.3.0.
--
-- Run by ALTER EXTENSION shc UPDATE.  Every change here is also made in the
-- one source of the current catalog, so that an updated database and a fresh
-- CREATE EXTENSION shc end with the same catalog (the upgrade tier compares
-- them).  A 0.1.0 database updates through 0.2.0.

\echo Use "ALTER EXTENSION shc UPDATE" to load this file. \quit


------------------------------------------------------------------------------
-- Root key rotation and sealing (issue 22, trustkeys)
------------------------------------------------------------------------------

-- The root keys shc_root_key_rotate() rotated away from (their ids, as
-- shc_root_key_id() prints them).  Sealing refuses a root key listed here
-- (a session that read its settings before the reload), and the table's
-- lock orders sealing and rotation: each transaction that seals holds
-- ROW SHARE on it until it ends, the rotation takes EXCLUSIVE first and so
-- waits for them (src/shc_secret.c).  Not dumped: it names keys of this
-- server's configuration.
CREATE TABLE shc.shc_root_key_retired (
  key_id     text PRIMARY KEY CHECK (key_id ~ '^[0-9a-f]{16}$'),
  retired_at timestamptz NOT NULL DEFAULT pg_catalog.now()
);
COMMENT ON TABLE shc.shc_root_key_retired IS
'root keys (ids) that shc_root_key_rotate() rotated away from: no secret is sealed under them any more; its lock makes the rotation wait for transactions that sealed secrets';
REVOKE ALL ON shc.shc_root_key_retired FROM PUBLIC;

COMMENT ON FUNCTION shc.shc_root_key_rotate() IS
'reseal every stored private key and secret under the current root key (opening those sealed under shc.root_key_previous_*), after waiting for every transaction that sealed one; records the previous root key as retired so that no session still holding it seals with it; returns how many were resealed';

-- Replacing every key and rid secret in one statement (issue 22): after an
-- update from 0.1.0 the cleartext private scalars and rid secrets stay in
-- old WAL and in every earlier backup (docs/security.md, README
-- "Upgrading").  Runs as its caller (shc_key_admin), with the functions it
-- composes.
CREATE FUNCTION shc.shc_rekey(iss text DEFAULT NULL,
                              OUT issuer text, OUT new_kid text, OUT retired_kids text[],
                              OUT rid_secret_version integer)
RETURNS SETOF record
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 1000 ROWS 10
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  i text;
  k text;
BEGIN
  IF shc_rekey.iss IS NOT NULL
     AND NOT EXISTS (SELECT FROM shc.shc_keys sk WHERE sk.iss = shc_rekey.iss AND sk.retired_at IS NULL)
     AND NOT EXISTS (SELECT FROM shc.shc_rid_secrets rs WHERE rs.iss = shc_rekey.iss) THEN
    RAISE EXCEPTION USING ERRCODE = 'undefined_object',
      MESSAGE = pg_catalog.format('issuer "%s" has no signing key and no rid secret', pg_catalog.left(shc_rekey.iss, 200)),
      HINT = 'Without an issuer, shc_rekey() replaces the keys and rid secrets of every issuer.';
  END IF;
  FOR i IN SELECT s.iss FROM shc.shc_keys s WHERE s.retired_at IS NULL
           UNION SELECT r.iss FROM shc.shc_rid_secrets r
           ORDER BY 1 LOOP
    CONTINUE WHEN shc_rekey.iss IS NOT NULL AND i IS DISTINCT FROM shc_rekey.iss;
    issuer := i;
    new_kid := NULL;
    retired_kids := '{}';
    rid_secret_version := NULL;
    -- a new key first, so the issuer always has one to sign with
    IF EXISTS (SELECT FROM shc.shc_keys s WHERE s.iss = i AND s.retired_at IS NULL) THEN
      SELECT pg_catalog.array_agg(s.kid ORDER BY s.created_at, s.kid) INTO retired_kids
        FROM shc.shc_keys s WHERE s.iss = i AND s.retired_at IS NULL;
      new_kid := shc.shc_key_create(i);
      FOREACH k IN ARRAY retired_kids LOOP
        PERFORM shc.shc_key_retire(k);
      END LOOP;
    END IF;
    IF EXISTS (SELECT FROM shc.shc_rid_secrets r WHERE r.iss = i) THEN
      rid_secret_version := shc.shc_rid_secret_create(i);
    END IF;
    RETURN NEXT;
  END LOOP;
END
$$;
COMMENT ON FUNCTION shc.shc_rekey(text) IS
'replace every signing key (a new key per issuer, the old ones retired: their public keys stay in shc_jwks) and add a new current rid secret version, for one issuer or all; after an update from 0.1.0, whose cleartext keys and secrets stay in old WAL and backups';
REVOKE EXECUTE ON FUNCTION shc.shc_rekey(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION shc.shc_rekey(text) TO shc_key_admin;

------------------------------------------------------------------------------
-- Anchored trust inputs (issue 22, trustkeys)
------------------------------------------------------------------------------

-- The VCI directory's signing certificate, pinned by its SHA-256
-- fingerprint (of the DER bytes, as shc_x509_info() prints it): a snapshot
-- loads only when the certificate passed with it is a pinned one, so a
-- self-signed certificate of the caller's own no longer authenticates a
-- snapshot.  shc ships the fingerprint of the certificate the directory
-- publishes (vci_snapshot.crt, CN=vci.org, valid 2022-03-17 to
-- 2032-03-14); a trust administrator replaces it with shc_vci_anchor_set().
-- The pins in force: the rows set by shc_vci_anchor_set() when there are
-- any, else the shipped row.  Only those are dumped (the shipped row comes
-- with CREATE EXTENSION).
CREATE TABLE shc.shc_vci_anchor (
  sha256    text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  shipped   boolean NOT NULL DEFAULT false,
  pinned_at timestamptz NOT NULL DEFAULT pg_catalog.now()
);
COMMENT ON TABLE shc.shc_vci_anchor IS
'SHA-256 fingerprints of the certificates allowed to sign a VCI snapshot: the rows pinned with shc_vci_anchor_set(), or else the shipped one (the directory''s published vci_snapshot.crt)';
INSERT INTO shc.shc_vci_anchor (sha256, shipped)
VALUES ('c3e44e40a20e6d54a5ad247e9ddd07763708cec1aa9acd47a408a3cc28f320fb', true);
REVOKE ALL ON shc.shc_vci_anchor FROM PUBLIC;
GRANT SELECT ON shc.shc_vci_anchor TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('shc.shc_vci_anchor', 'WHERE NOT shipped');

CREATE FUNCTION shc.shc_vci_anchor_set(sha256 text)
RETURNS text
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  fp text := pg_catalog.lower(pg_catalog.replace(shc_vci_anchor_set.sha256, ':', ''));
BEGIN
  IF fp IS NOT NULL AND fp !~ '^[0-9a-f]{64}$' THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = pg_catalog.format('invalid certificate fingerprint "%s"', pg_catalog.left(shc_vci_anchor_set.sha256, 100)),
      DETAIL = 'A fingerprint is the SHA-256 of the certificate''s DER bytes: 64 hexadecimal digits, colons allowed.',
      HINT = 'openssl x509 -in vci_snapshot.crt -outform DER | sha256sum';
  END IF;
  DELETE FROM shc.shc_vci_anchor a WHERE NOT a.shipped;
  -- the shipped fingerprint itself is no row of the administrator's (a
  -- restore would insert it twice): pinning it returns to the shipped pin
  IF fp IS NOT NULL AND NOT EXISTS (SELECT FROM shc.shc_vci_anchor a WHERE a.sha256 = fp) THEN
    INSERT INTO shc.shc_vci_anchor (sha256, shipped) VALUES (fp, false);
  END IF;
  RETURN (SELECT pg_catalog.string_agg(a.sha256, ',' ORDER BY a.sha256) FROM shc.shc_vci_anchor a
           WHERE NOT a.shipped OR NOT EXISTS (SELECT FROM shc.shc_vci_anchor b WHERE NOT b.shipped));
END
$$;
COMMENT ON FUNCTION shc.shc_vci_anchor_set(text) IS
'pin the certificate allowed to sign VCI snapshots by its SHA-256 fingerprint (64 hex digits); NULL returns to the shipped fingerprint of the directory''s published certificate; returns the fingerprint in force';

CREATE OR REPLACE FUNCTION shc.shc_trust_vci_snapshot(snapshot bytea, signature bytea, certificate text,
                                                      OUT iss text, OUT kid text, OUT status text, OUT reason text)
RETURNS SETOF record
LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  doc jsonb;
  msg text;
  fp text;
  pinned text;
BEGIN
  -- the certificate must be a pinned one (issue 22): a certificate the
  -- caller made would authenticate any snapshot
  fp := (SELECT i.sha256 FROM shc.shc_x509_info(certificate) i);
  SELECT pg_catalog.string_agg(a.sha256, ', ' ORDER BY a.sha256) INTO pinned FROM shc.shc_vci_anchor a
   WHERE NOT a.shipped OR NOT EXISTS (SELECT FROM shc.shc_vci_anchor b WHERE NOT b.shipped);
  IF NOT EXISTS (SELECT FROM shc.shc_vci_anchor a
                  WHERE a.sha256 = fp
                    AND (NOT a.shipped OR NOT EXISTS (SELECT FROM shc.shc_vci_anchor b WHERE NOT b.shipped))) THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = 'directory snapshot certificate is not the pinned VCI directory certificate',
      DETAIL = pg_catalog.format('Its SHA-256 fingerprint is %s; the pinned one is %s. Nothing was loaded.',
                                 fp, coalesce(pinned, 'none')),
      HINT = 'Pass the certificate the directory publishes (vci_snapshot.crt); a trust administrator pins another with shc_vci_anchor_set().';
  END IF;
  -- nothing is read from the snapshot before its signature is checked
  IF NOT shc.shc_signature_verify(snapshot, signature, certificate, pg_catalog.now()) THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = 'directory snapshot signature does not verify with the given certificate',
      DETAIL = 'Nothing was loaded.',
      HINT = 'Pass the exact bytes of vci_snapshot.json, its vci_snapshot.sig and the certificate that signed it.';
  END IF;
  BEGIN
    doc := pg_catalog.convert_from(snapshot, 'UTF8')::jsonb;
  EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS msg = MESSAGE_TEXT;
    RAISE EXCEPTION USING ERRCODE = 'invalid_text_representation',
      MESSAGE = 'directory snapshot is not JSON: ' || msg;
  END;
  IF jsonb_typeof(doc->'issuerInfo') IS DISTINCT FROM 'array' THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
      MESSAGE = 'directory snapshot has no "issuerInfo" array',
      DETAIL = 'A VCI snapshot is {"directory", "time", "issuerInfo": [{"issuer", "keys", "crls"}]}.';
  END IF;
  RETURN QUERY
    SELECT l.iss, l.kid, l.status, l.reason
      FROM shc.shc_vci_load(
             (SELECT coalesce(jsonb_agg(coalesce(i->'issuer', '{}') ||
                                        jsonb_build_object('keys', i->'keys', 'crls', coalesce(i->'crls', '[]'))
                                        ORDER BY o), '[]')
                FROM jsonb_array_elements(doc->'issuerInfo') WITH ORDINALITY AS t(i, o)),
             coalesce(doc->>'directory', ''), coalesce(doc->>'time', '')) l;
END
$$;
COMMENT ON FUNCTION shc.shc_trust_vci_snapshot(bytea, bytea, text) IS
'import the signed VCI snapshot as published (vci_snapshot.json bytes, its detached signature, the signing certificate): the certificate must be the pinned one (shc_vci_anchor) and the signature verify before anything is read; every good issuer, key and CRL is loaded, each bad one is a skipped row with its reason; replaces the previous directory import';

-- x5c leaves that contradict their key (issue 22): whatever the policy, a
-- directory import skips a key whose x5c leaf holds another public key or
-- names another issuer (shc_verify calls its cards bad_x5c, src/shc_verify.c);
-- the chain to an anchor and the certificates' times stay the policy's.
CREATE OR REPLACE FUNCTION shc.shc_vci_load(entries jsonb, directory text, directory_time text,
                                 OUT iss text, OUT kid text, OUT status text, OUT reason text)
RETURNS SETOF record
LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  e jsonb;
  k jsonb;
  c jsonb;
  n int := 0;
  e_iss text;
  e_name text;
  e_canon text;
  good jsonb;
  thumb text;
  why text;
  msg text;
  det text;
  seen text[] := '{}';
  loaded text[] := '{}';
  plan jsonb[] := '{}';
  groups jsonb;
  grp text;
  nk int;
  nc int;
  pol text;
  xs text;
  xr text;
BEGIN
  -- 1. every entry and every key checked on its own
  FOR e IN SELECT x FROM jsonb_array_elements(entries) x LOOP
    n := n + 1;
    e_iss := e->>'iss';
    e_name := e->>'name';
    e_canon := nullif(e->>'canonical_iss', e->>'iss');
    IF e_iss IS NULL OR jsonb_typeof(e->'iss') <> 'string' THEN
      iss := format('(entry %s)', n); kid := NULL; status := 'skipped';
      reason := 'the entry has no "iss" string'; RETURN NEXT; CONTINUE;
    END IF;
    IF e_iss !~ '^https://[^/]' OR e_iss ~ '/$' OR length(e_iss) > 2048 THEN
      iss := left(e_iss, 200); kid := NULL; status := 'skipped';
      reason := 'invalid issuer URL: an issuer is an https:// URL without a trailing "/"'; RETURN NEXT; CONTINUE;
    END IF;
    IF e_iss = ANY (seen) THEN
      iss := e_iss; kid := NULL; status := 'skipped';
      reason := 'the issuer is listed twice; the first entry counts'; RETURN NEXT; CONTINUE;
    END IF;
    seen := seen || e_iss;
    IF EXISTS (SELECT FROM shc.shc_trusted_issuer t WHERE t.iss = e_iss)
       AND NOT EXISTS (SELECT FROM shc.shc_directory_issuer d WHERE d.iss = e_iss) THEN
      iss := e_iss; kid := NULL; status := 'skipped';
      reason := 'trusted by hand with shc_trust(); left alone'; RETURN NEXT; CONTINUE;
    END IF;
    good := '[]';
    IF jsonb_typeof(e->'keys') = 'array' THEN
      FOR k IN SELECT x FROM jsonb_array_elements(e->'keys') x LOOP
        why := NULL;
        thumb := NULL;
        IF jsonb_typeof(k) <> 'object' THEN
          why := 'bad key: not a JSON object';
        ELSIF k ? 'd' THEN
          why := 'bad key: a private key ("d") is published';
        ELSIF (k->>'kty', k->>'crv', k->>'use', k->>'alg') IS DISTINCT FROM ('EC', 'P-256', 'sig', 'ES256') THEN
          why := 'not an ES256 signing key: only "kty":"EC", "crv":"P-256", "use":"sig", "alg":"ES256" sign cards';
        ELSIF jsonb_typeof(k->'x') IS DISTINCT FROM 'string' OR jsonb_typeof(k->'y') IS DISTINCT FROM 'string' THEN
          why := 'bad key: no "x" and "y" strings';
        ELSIF length(k->>'x') <> 43 OR length(k->>'y') <> 43 THEN
          why := format('wrong coordinate length: "x" has %s characters and "y" %s; a P-256 coordinate has 43',
                        length(k->>'x'), length(k->>'y'));
        ELSE
          BEGIN
            thumb := shc.shc_kid(k - 'kid');
          EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL;
            why := 'bad key: ' || msg || coalesce(' (' || nullif(det, '') || ')', '');
          END;
          IF why IS NULL AND (k->>'kid') IS DISTINCT FROM thumb THEN
            why := format('kid does not match its RFC 7638 thumbprint %s', thumb);
          END IF;
          IF why IS NULL AND k ? 'crlVersion' THEN
            IF jsonb_typeof(k->'crlVersion') = 'string' AND (k->>'crlVersion') ~ '^[0-9]{1,9}$'
               AND (k->>'crlVersion')::int >= 1 THEN
              -- seen in the published directory: a numeric string
              k := jsonb_set(k, '{crlVersion}', to_jsonb((k->>'crlVersion')::int));
            ELSIF jsonb_typeof(k->'crlVersion') <> 'number' OR (k->>'crlVersion') !~ '^[0-9]{1,9}$'
               OR (k->>'crlVersion')::int < 1 THEN
              why := 'bad key: "crlVersion" is not an integer of at least 1';
            END IF;
          END IF;
        END IF;
        -- x5c policy: the chain is checked now, against the loaded anchors
        IF why IS NULL THEN
          pol := coalesce((SELECT p.policy FROM shc.shc_x5c_policy p WHERE p.iss = e_iss),
                          pg_catalog.current_setting('shc.x5c_policy'));
          IF k ? 'x5c' THEN
            SELECT c.status, c.reason INTO xs, xr FROM shc.shc_x5c_check(k, e_iss, pg_catalog.now()) c;
            -- issue 22: a leaf that holds another key or names another
            -- issuer is refused under every policy, ignore included
            IF xs IN ('key_mismatch', 'san_mismatch') OR (pol <> 'ignore' AND xs <> 'valid') THEN
              why := format('x5c %s (policy %s): %s', xs, pol, xr);
            END IF;
          ELSIF pol = 'required' AND NOT k ? 'x5c' THEN
            why := 'no x5c certificate chain (policy required)';
          END IF;
        END IF;
        IF why IS NOT NULL THEN
          iss := e_iss; kid := coalesce(left(k->>'kid', 100), thumb); status := 'skipped';
          reason := why; RETURN NEXT;
        ELSIF NOT EXISTS (SELECT FROM jsonb_array_elements(good) g WHERE g->>'kid' = thumb) THEN
          good := good || jsonb_build_array(k);
        END IF;
      END LOOP;
    END IF;
    plan := plan || jsonb_build_object(
      'iss', e_iss, 'name', e_name, 'canonical_iss', e_canon, 'keys', good,
      'listed', coalesce(jsonb_array_length(CASE WHEN jsonb_typeof(e->'keys') = 'array' THEN e->'keys' END), -1),
      'crls', coalesce(e->'crls', '[]'));
  END LOOP;
  -- canonical_iss aliases form one group whose members share their keys
  SELECT coalesce(jsonb_object_agg(s.g, s.keys), '{}') INTO groups
    FROM (SELECT coalesce(p->>'canonical_iss', p->>'iss') AS g, jsonb_agg(k) AS keys
            FROM unnest(plan) p, jsonb_array_elements(p->'keys') k
           GROUP BY 1) s;

  -- 2. load each entry with its own keys and those of its alias group
  FOREACH e IN ARRAY plan LOOP
    e_iss := e->>'iss';
    grp := coalesce(e->>'canonical_iss', e_iss);
    -- its own keys, then the group's, one per kid
    SELECT coalesce(jsonb_agg(s.g ORDER BY s.o), '[]') INTO good
      FROM (SELECT DISTINCT ON (g->>'kid') g, o
              FROM jsonb_array_elements(e->'keys' || coalesce(groups->grp, '[]')
                                        || coalesce(groups->e_iss, '[]')) WITH ORDINALITY AS t(g, o)
             ORDER BY g->>'kid', o) s;
    iss := e_iss; kid := NULL;
    IF jsonb_array_length(good) = 0 THEN
      status := 'skipped';
      reason := CASE (e->>'listed')::int
                  WHEN -1 THEN 'the directory carries no keys for it; load its JWKS separately'
                  WHEN 0 THEN 'its key list is empty'
                  ELSE 'none of its keys is usable (see the rows of its keys)' END;
      RETURN NEXT; CONTINUE;
    END IF;
    BEGIN
      PERFORM shc.shc_trust(e_iss, jsonb_build_object('keys', good), e->>'name');
      INSERT INTO shc.shc_directory_issuer AS d (iss, canonical_iss, directory, directory_time)
      VALUES (e_iss, e->>'canonical_iss', shc_vci_load.directory, shc_vci_load.directory_time)
      ON CONFLICT (iss) DO UPDATE SET canonical_iss = EXCLUDED.canonical_iss,
        directory = EXCLUDED.directory, directory_time = EXCLUDED.directory_time,
        imported_at = pg_catalog.now();
    EXCEPTION WHEN OTHERS THEN
      GET STACKED DIAGNOSTICS msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL;
      status := 'skipped';
      reason := msg || coalesce(': ' || nullif(det, ''), '');
      RETURN NEXT; CONTINUE;
    END;
    nk := jsonb_array_length(good);
    nc := 0;
    IF jsonb_typeof(e->'crls') = 'array' THEN
      FOR c IN SELECT x FROM jsonb_array_elements(e->'crls') x LOOP
        BEGIN
          PERFORM shc.shc_trust_crl(e_iss, c);
          nc := nc + 1;
        EXCEPTION WHEN OTHERS THEN
          GET STACKED DIAGNOSTICS msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL;
          kid := left(c->>'kid', 100); status := 'skipped';
          reason := 'CRL not loaded: ' || msg || coalesce(': ' || nullif(det, ''), '');
          RETURN NEXT;
          kid := NULL;
        END;
      END LOOP;
    END IF;
    loaded := loaded || e_iss;
    status := 'loaded';
    reason := format('%s key%s, %s CRL%s%s', nk, CASE nk WHEN 1 THEN '' ELSE 's' END,
                     nc, CASE nc WHEN 1 THEN '' ELSE 's' END,
                     CASE WHEN e->>'canonical_iss' IS NOT NULL
                          THEN ', alias of ' || (e->>'canonical_iss') ELSE '' END);
    RETURN NEXT;
  END LOOP;

  -- 3. the previous import is replaced: its issuers not loaded now go
  FOR e_iss IN SELECT d.iss FROM shc.shc_directory_issuer d
                WHERE d.iss <> ALL (loaded) ORDER BY d.iss LOOP
    PERFORM shc.shc_untrust(e_iss);
    iss := e_iss; kid := NULL; status := 'removed';
    reason := 'imported from a directory before, not loaded from this one';
    RETURN NEXT;
  END LOOP;
END
$$;

REVOKE EXECUTE ON FUNCTION shc.shc_vci_anchor_set(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION shc.shc_vci_anchor_set(text) TO shc_trust_admin;
