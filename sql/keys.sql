-- Issuer keys: create, import, kid, JWKS, retire, and every error a user
-- can cause.  Keys made here are random, so only their shape is shown.
\pset format unaligned

-- the spec's example key pair (SHC-NOTES 5); kid = its RFC 7638 thumbprint
SELECT shc_kid('{"kty":"EC","crv":"P-256","x":"11XvRWy1I2S0EyJlyf_bWfw_TQ5CJJNLw78bHXNxcgw","y":"eZXwxvO1hvCY0KucrPfKo7yAyMT6Ajc3N7OkAB6VYy8"}');
-- kid, use, alg are not hashed; d is ignored by shc_kid
SELECT shc_kid('{"kty":"EC","crv":"P-256","kid":"3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s","use":"sig","alg":"ES256","x":"11XvRWy1I2S0EyJlyf_bWfw_TQ5CJJNLw78bHXNxcgw","y":"eZXwxvO1hvCY0KucrPfKo7yAyMT6Ajc3N7OkAB6VYy8","d":"ignored"}');
SELECT shc_key_import('https://spec.smarthealth.cards/examples/issuer',
  '{"kty":"EC","kid":"3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s","use":"sig","alg":"ES256","crv":"P-256","x":"11XvRWy1I2S0EyJlyf_bWfw_TQ5CJJNLw78bHXNxcgw","y":"eZXwxvO1hvCY0KucrPfKo7yAyMT6Ajc3N7OkAB6VYy8","d":"FvOOk6hMixJ2o9zt4PCfan_UW7i4aOEnzj76ZaCI9Og"}');
SELECT shc_jwks('https://spec.smarthealth.cards/examples/issuer');
SELECT shc_jwks('https://nobody.example');

-- a key generated inside the server
CREATE TEMP TABLE k AS SELECT shc_key_create('https://issuer.example/shc') AS kid;
SELECT kid ~ '^[A-Za-z0-9_-]{43}$' AS kid_shape FROM k;
SELECT jsonb_array_length(j->'keys') AS n, j->'keys'->0->>'kid' = (SELECT kid FROM k) AS same_kid,
       j->'keys'->0 ?& ARRAY['kty', 'kid', 'use', 'alg', 'crv', 'x', 'y'] AS members,
       j->'keys'->0 ? 'd' AS has_d, shc_kid(j->'keys'->0) = (SELECT kid FROM k) AS kid_is_thumbprint
  FROM shc_jwks('https://issuer.example/shc') AS j;
SELECT count(*) AS private_rows FROM shc_private_keys;

-- retiring: the private part is destroyed, the public key stays published
SELECT shc_key_retire(kid) FROM k;
SELECT shc_key_retire(kid) FROM k;  -- again: no change
SELECT retired_at IS NOT NULL AS retired FROM shc_keys WHERE kid = (SELECT kid FROM k);
SELECT count(*) AS private_rows FROM shc_private_keys;
SELECT jsonb_array_length(shc_jwks('https://issuer.example/shc')->'keys') AS still_published;

-- errors: issuer URL
SELECT * FROM regress_error($$SELECT shc_key_create('http://issuer.example')$$);
SELECT * FROM regress_error($$SELECT shc_key_create('https://issuer.example/')$$);
SELECT * FROM regress_error($$SELECT shc_key_create('https://')$$);
SELECT * FROM regress_error($$SELECT shc_key_create('https://issuer.example/a b')$$);
SELECT * FROM regress_error($$SELECT shc_key_create('https://issuer.example?x')$$);
-- errors: malformed JWKs (no message ever shows d)
SELECT * FROM regress_error($$SELECT shc_kid('[]')$$);
SELECT * FROM regress_error($$SELECT shc_kid('{"crv":"P-256"}')$$);
SELECT * FROM regress_error($$SELECT shc_kid('{"kty":"RSA","crv":"P-256"}')$$);
SELECT * FROM regress_error($$SELECT shc_kid('{"kty":"EC","crv":"P-384"}')$$);
SELECT * FROM regress_error($$SELECT shc_kid('{"kty":"EC","crv":"P-256","x":1}')$$);
SELECT * FROM regress_error($$SELECT shc_kid('{"kty":"EC","crv":"P-256","x":"11XvRWy1I2S0EyJlyf_bWfw_TQ5CJJNLw78bHXNxcgw"}')$$);
SELECT * FROM regress_error($$SELECT shc_kid('{"kty":"EC","crv":"P-256","x":"11XvRWy1I2S0EyJlyf_bWfw","y":"eZXwxvO1hvCY0KucrPfKo7yAyMT6Ajc3N7OkAB6VYy8"}')$$);
SELECT * FROM regress_error($$SELECT shc_kid('{"kty":"EC","crv":"P-256","x":"11XvRWy1I2S0EyJlyf_bWfw_TQ5CJJNLw78bHXNxcg+","y":"eZXwxvO1hvCY0KucrPfKo7yAyMT6Ajc3N7OkAB6VYy8"}')$$);
-- off the curve: y + 1
SELECT * FROM regress_error($$SELECT shc_kid('{"kty":"EC","crv":"P-256","x":"11XvRWy1I2S0EyJlyf_bWfw_TQ5CJJNLw78bHXNxcgw","y":"eZXwxvO1hvCY0KucrPfKo7yAyMT6Ajc3N7OkAB6VYy4"}')$$);
SELECT * FROM regress_error($$SELECT shc_kid('{"kty":"EC","crv":"P-256","use":"enc","x":"11XvRWy1I2S0EyJlyf_bWfw_TQ5CJJNLw78bHXNxcgw","y":"eZXwxvO1hvCY0KucrPfKo7yAyMT6Ajc3N7OkAB6VYy8"}')$$);
SELECT * FROM regress_error($$SELECT shc_kid('{"kty":"EC","crv":"P-256","alg":"ECDH-ES","x":"11XvRWy1I2S0EyJlyf_bWfw_TQ5CJJNLw78bHXNxcgw","y":"eZXwxvO1hvCY0KucrPfKo7yAyMT6Ajc3N7OkAB6VYy8"}')$$);
SELECT * FROM regress_error($$SELECT shc_kid('{"kty":"EC","crv":"P-256","kid":"wrong","x":"11XvRWy1I2S0EyJlyf_bWfw_TQ5CJJNLw78bHXNxcgw","y":"eZXwxvO1hvCY0KucrPfKo7yAyMT6Ajc3N7OkAB6VYy8"}')$$);
-- import: d missing, d of another key, d out of range, a key already stored
SELECT * FROM regress_error($$SELECT shc_key_import('https://a.example', '{"kty":"EC","crv":"P-256","x":"11XvRWy1I2S0EyJlyf_bWfw_TQ5CJJNLw78bHXNxcgw","y":"eZXwxvO1hvCY0KucrPfKo7yAyMT6Ajc3N7OkAB6VYy8"}')$$);
SELECT * FROM regress_error($$SELECT shc_key_import('https://a.example', '{"kty":"EC","crv":"P-256","x":"11XvRWy1I2S0EyJlyf_bWfw_TQ5CJJNLw78bHXNxcgw","y":"eZXwxvO1hvCY0KucrPfKo7yAyMT6Ajc3N7OkAB6VYy8","d":"vRyvhpwvbBuGVF3xmzpdvQjNH_IthPq3ehMWqPtlRXQ"}')$$);
SELECT * FROM regress_error($$SELECT shc_key_import('https://a.example', '{"kty":"EC","crv":"P-256","x":"11XvRWy1I2S0EyJlyf_bWfw_TQ5CJJNLw78bHXNxcgw","y":"eZXwxvO1hvCY0KucrPfKo7yAyMT6Ajc3N7OkAB6VYy8","d":"__________________________________________8"}')$$);
SELECT * FROM regress_error($$SELECT shc_key_import('https://a.example', '{"kty":"EC","crv":"P-256","x":"11XvRWy1I2S0EyJlyf_bWfw_TQ5CJJNLw78bHXNxcgw","y":"eZXwxvO1hvCY0KucrPfKo7yAyMT6Ajc3N7OkAB6VYy8","d":"FvOOk6hMixJ2o9zt4PCfan_UW7i4aOEnzj76ZaCI9Og"}')$$);
SELECT * FROM regress_error($$SELECT shc_key_import('http://a.example', '{}')$$);
-- retire: unknown key
SELECT * FROM regress_error($$SELECT shc_key_retire('nope')$$);

\pset format aligned
SELECT shc_kid(NULL) IS NULL AS n1, shc_jwks(NULL) IS NULL AS n2, shc_key_create(NULL) IS NULL AS n3;
DROP TABLE k;
