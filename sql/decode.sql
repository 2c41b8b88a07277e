-- decode: shc_decode shows the header and the decompressed payload of a
-- JWS or shc:/ text with no trust decision, and raises on malformed input.
\set fx `cat test/data/forged-cards.json`
CREATE TEMP TABLE fx AS SELECT :'fx'::jsonb AS j;
CREATE TEMP TABLE cards AS
  SELECT e->>'name' AS name, e->>'card' AS card FROM fx, jsonb_array_elements(j->'cards') e;

SELECT jsonb_pretty(shc_decode(card) #- '{header,kid}' #- '{payload,vc,credentialSubject,fhirBundle}')
  FROM cards WHERE name = 'valid';
SELECT shc_decode(card)->'header'->>'kid' = (SELECT j->'kids'->>'a' FROM fx) AS kid_a
  FROM cards WHERE name = 'valid';
-- no trust decision: a bad signature or an unknown issuer still decodes
SELECT name, shc_decode(card)->'payload'->>'iss' AS iss
  FROM cards WHERE name IN ('flip-signature', 'unknown-issuer', 'alg-none') ORDER BY name;
-- the same card as shc:/ text
SELECT shc_decode(shc_qr_numeric(card)) = shc_decode(card) FROM cards WHERE name = 'valid';
-- a payload that is JSON but not an object is shown as it is
SELECT shc_decode(card)->'payload' ? 'iss' AS has_iss, jsonb_typeof(shc_decode(card)->'payload')
  FROM cards WHERE name = 'json-string';

-- errors
SELECT name, r.* FROM cards, regress_error(format('SELECT shc_decode(%L)', card)) r
 WHERE name IN ('zip-missing', 'zlib-wrapped', 'inflate-bomb', 'not-json', 'bom', 'deep-nesting',
                'header-not-json', 'header-array', 'invalid-utf8', 'huge-exponent')
 ORDER BY name;
SELECT * FROM regress_error($$SELECT shc_decode('')$$);
SELECT * FROM regress_error($$SELECT shc_decode('a.b')$$);
SELECT * FROM regress_error($$SELECT shc_decode('a=.b.c')$$);
SELECT * FROM regress_error($$SELECT shc_decode('YQ.b.c')$$);
SELECT * FROM regress_error($$SELECT shc_decode('shc:/1/2/5676')$$);
SELECT * FROM regress_error($$SELECT shc_decode('shc:/567')$$);
