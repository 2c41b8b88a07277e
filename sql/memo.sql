-- memo: the signature memo of shc_verify (docs/performance.md).  A card
-- whose signature was verified once with a trusted key is verified again
-- without ECDSA; the memo never answers for another byte of the card,
-- another signature, another key with the same kid, or a key that is no
-- longer trusted.  Counters come from shc_stats(); each check compares them
-- before and after.
\pset format unaligned
CREATE FUNCTION public.memo_counts() RETURNS TABLE (hits bigint, misses bigint, inserts bigint)
LANGUAGE sql AS $$ SELECT hits, misses, inserts FROM shc_stats() WHERE memo = 'backend' $$;
CREATE TEMP TABLE memo_before AS SELECT * FROM memo_counts();
CREATE FUNCTION public.memo_delta() RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  b memo_before;
  n record;
BEGIN
  SELECT * INTO b FROM memo_before;
  SELECT * INTO n FROM memo_counts();
  DELETE FROM memo_before;
  INSERT INTO memo_before SELECT n.hits, n.misses, n.inserts;
  RETURN format('hits +%s, misses +%s, inserts +%s',
                n.hits - b.hits, n.misses - b.misses, n.inserts - b.inserts);
END $$;
-- flip one bit of the character at position pos (a letter: its case bit)
CREATE FUNCTION public.flip_bit(card text, pos int) RETURNS text LANGUAGE sql AS $$
  SELECT overlay(card PLACING chr(ascii(substr(card, pos, 1)) # 32) FROM pos FOR 1) $$;
-- the first letter at or after position pos
CREATE FUNCTION public.letter_at(card text, pos int) RETURNS int LANGUAGE sql AS $$
  SELECT pos - 1 + strpos(substr(card, pos), substring(substr(card, pos) FROM '[A-Za-z]')) $$;

SELECT memo, capacity > 0 AS bounded FROM shc_stats() WHERE memo = 'backend';
-- the memo shared by all sessions exists exactly when the library is
-- preloaded (shared_preload_libraries), and is bounded too
SELECT count(*) FILTER (WHERE memo = 'shared') =
       (current_setting('shared_preload_libraries') ~ '(^|[ ,])shc($|[ ,])')::int AS shared_iff_preloaded,
       bool_and(capacity > 0) AS all_bounded
  FROM shc_stats();

-- a key and a card of issuer A
SELECT shc_key_create('https://memo-a.example.org') AS kid \gset
SELECT shc_trust('https://memo-a.example.org', shc_jwks('https://memo-a.example.org'));
CREATE TEMP TABLE mc AS
SELECT shc_issue(shc_bundle(shc_fhir_patient('Anyperson', ARRAY['Memo'], '1960-01-20'),
                            ARRAY[shc_fhir_immunization('http://hl7.org/fhir/sid/cvx', '207', '2021-01-01')]),
                 key => :'kid') AS card;

-- first time: ECDSA, remembered; second time: from the memo, same result
SELECT (shc_verify(card)).status FROM mc;
SELECT memo_delta();
SELECT (shc_verify(card)).status, replace((shc_verify(card)).reason, :'kid', '<kid>') AS reason FROM mc;
SELECT memo_delta();
SELECT (a).status = (b).status AND (a).reason = (b).reason AND (a).bundle = (b).bundle AS identical
  FROM (SELECT shc_verify(card) AS a, shc_verify(card) AS b FROM mc) s;
SELECT memo_delta();

-- one bit of the signed bytes (a letter in the payload segment), or of the
-- signature, altered after the card was memoized: bad_signature
SELECT (shc_verify(flip_bit(card, letter_at(card, strpos(card, '.') + 20)))).status AS payload_bit,
       (shc_verify(flip_bit(card, letter_at(card, length(card) - 40)))).status AS signature_bit
  FROM mc;
SELECT memo_delta();
-- and the original still verifies from the memo
SELECT (shc_verify(card)).status FROM mc;
SELECT memo_delta();

-- the issuer untrusted: its cards are unknown, the memo is not consulted
SELECT shc_untrust('https://memo-a.example.org');
SELECT (shc_verify(card)).status FROM mc;
SELECT memo_delta();

-- the same key (same kid) trusted for another issuer only: its memo entry
-- is not reused (a miss and a fresh ECDSA check), and the card, which
-- names issuer A, is not valid
SELECT shc_trust('https://memo-b.example.org', shc_jwks('https://memo-a.example.org'));
SELECT (shc_verify(card)).status FROM mc;
SELECT memo_delta();
SELECT shc_untrust('https://memo-b.example.org');

-- trusted again: trust is decided on every call, the memo still holds the
-- signature check
SELECT shc_trust('https://memo-a.example.org', shc_jwks('https://memo-a.example.org'));
SELECT (shc_verify(card)).status FROM mc;
SELECT memo_delta();

-- expiry and revocation still apply to a memoized card
SELECT (shc_verify(card, now() - interval '1 year')).status AS before_nbf FROM mc;
SELECT memo_delta();

-- a memo of size 0 is off: no counter moves, the result is the same
SET shc.signature_memo_size = 0;
SELECT (shc_verify(card)).status FROM mc;
SELECT memo_delta();
SELECT capacity FROM shc_stats() WHERE memo = 'backend';
RESET shc.signature_memo_size;
-- turned on again it starts empty
SELECT (shc_verify(card)).status FROM mc;
SELECT memo_delta();

-- the setting's bounds
SELECT * FROM regress_error('SET shc.signature_memo_size = -1');
SELECT * FROM regress_error($$SET shc.signature_memo_size = '2GB'$$);

SELECT shc_untrust('https://memo-a.example.org');
