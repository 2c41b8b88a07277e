-- pgbench script of the "load" tier: verify the 20 newest cards and a
-- random fixture card while the trust store changes under us, and record
-- the statuses seen (checked after the run: a clinic card is valid, or
-- unknown_issuer while the clinic is untrusted; a fixture card has its
-- expected status, or unknown_issuer while its issuer is untrusted)
\set f random(1, 56)
INSERT INTO seen
  SELECT 'clinic:' || (shc_verify(card)).status, 1
    FROM (SELECT card FROM cards ORDER BY id DESC LIMIT 20) c;
INSERT INTO seen
  SELECT 'fixture:' || name || ':' || v.status || ':' || coalesce(v.iss, ''), 1
    FROM (SELECT * FROM fixture_cards ORDER BY name OFFSET :f - 1 LIMIT 1) f,
         shc_verify(f.card, '2024-01-01') v;
