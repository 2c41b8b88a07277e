#!/usr/bin/env bash
# Tier "issue": cards issued by shc_issue checked by an independent
# verifier (test/scripts/verify-card.mjs: Node's crypto and zlib, none of
# our code; the payload's bundle must be byte for byte
# shc_json_compact(shc_minimize(bundle))), the one-pass minimize-and-write
# of shc_issue against shc_json_compact(shc_minimize(b)) over every bundle
# literal of the regression tests and the spec vectors, the spec-vector
# comparisons of shc_minimize, keys surviving
# pg_dump / pg_restore into a new database, and no private key in the
# server log with log_statement = 'all'.  The spec-vector parts are skipped
# (and counted) when $SHC_VECTORS is empty.
set -uo pipefail
cd "$SHC_ROOT"

source test/scripts/tier.sh

db=shc_issue_tier
work=$(mktemp -d)
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -d "$db")

dropdb --if-exists "$db" >/dev/null 2>&1
dropdb --if-exists "${db}_restored" >/dev/null 2>&1
createdb "$db"
"${PSQL[@]}" <<'SQL'
CREATE EXTENSION shc;
SELECT shc_key_create('https://tier.example/issuer') \gset
-- the cards of one bundle: with the spec key (when imported), with a key
-- created in the server (with exp), and with a private JWK (nbf now())
CREATE FUNCTION tier_cards(name text, b jsonb, jwk jsonb) RETURNS SETOF json
LANGUAGE plpgsql AS $$
DECLARE
  m boolean := true;
  mb jsonb;
  spec_kid text := '3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s';
  spec_iss text := 'https://spec.smarthealth.cards/examples/issuer';
  k text := (SELECT kid FROM shc_keys WHERE iss = 'https://tier.example/issuer');
  pub jsonb := (jwk - 'd') || jsonb_build_object('kid', shc_kid(jwk), 'use', 'sig', 'alg', 'ES256');
  msg text;
  det text;
BEGIN
  BEGIN
    mb := shc_minimize(b);
  EXCEPTION WHEN invalid_parameter_value THEN
    m := false;
    mb := b;
  END;
  -- what the issuing rulebook refuses is reported, not issued
  BEGIN
    PERFORM shc_issue(b, private_jwk => jwk, iss => 'https://jwk.example', minimize => m);
  EXCEPTION WHEN invalid_parameter_value THEN
    GET STACKED DIAGNOSTICS msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL;
    RETURN NEXT json_build_object('name', name, 'refused', msg || ': ' || det);
    RETURN;
  END;
  IF EXISTS (SELECT 1 FROM shc_keys WHERE kid = spec_kid) THEN
    RETURN NEXT json_build_object('name', name || ' (spec key)',
      'card', shc_issue(b, spec_kid, nbf => '2023-06-22 16:19:24.656+00', rid => 'MKyCxh7p6uQ', minimize => m),
      'jwks', shc_jwks(spec_iss), 'kid', spec_kid, 'iss', spec_iss, 'nbf', 1687450764,
      'exp', NULL, 'rid', 'MKyCxh7p6uQ', 'bundle', mb, 'bundle_text', shc_json_compact(mb), 'minimized', m);
  END IF;
  RETURN NEXT json_build_object('name', name || ' (created key)',
    'card', shc_issue(b, k, nbf => '2024-01-01 00:00:00+00', exp => '2025-01-01 00:00:00+00', minimize => m),
    'jwks', shc_jwks('https://tier.example/issuer'), 'kid', k, 'iss', 'https://tier.example/issuer',
    'nbf', 1704067200, 'exp', 1735689600, 'rid', NULL, 'bundle', mb, 'bundle_text', shc_json_compact(mb), 'minimized', m);
  RETURN NEXT json_build_object('name', name || ' (private JWK)',
    'card', shc_issue(b, private_jwk => jwk, iss => 'https://jwk.example', minimize => m, rid => 'x'),
    'jwks', jsonb_build_object('keys', jsonb_build_array(pub)), 'kid', shc_kid(jwk),
    'iss', 'https://jwk.example', 'nbf', floor(extract(epoch FROM now()))::bigint,
    'exp', NULL, 'rid', 'x', 'bundle', mb, 'bundle_text', shc_json_compact(mb), 'minimized', m);
END
$$;
SQL

# A private JWK made by Node, for the JWK overload
node -e '
const { generateKeyPairSync } = require("node:crypto");
const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
process.stdout.write(JSON.stringify(privateKey.export({ format: "jwk" })));' >"$work/node.jwk"

# --- 1. cards of a built-in bundle (no vectors needed) --------------------
cat >"$work/builtin.json" <<'JSON'
{"resourceType":"Bundle","id":"x","type":"collection","entry":[
 {"fullUrl":"urn:uuid:p","resource":{"resourceType":"Patient","id":"p","meta":{"versionId":"2"},
  "text":{"status":"generated","div":"<div>John</div>"},"name":[{"family":"Ånyperson","given":["John \"J\""]}],"birthDate":"1951-01-20"}},
 {"fullUrl":"urn:uuid:i","resource":{"resourceType":"Immunization","status":"completed",
  "meta":{"security":[{"system":"https://smarthealth.cards/ial","code":"IAL1.2"}]},
  "vaccineCode":{"coding":[{"system":"http://hl7.org/fhir/sid/cvx","code":"207","display":"Moderna"}],"text":"Moderna"},
  "patient":{"reference":"Patient/p"},"occurrenceDateTime":"2021-01-01","lotNumber":"0000001",
  "doseQuantity":{"value":0.5,"unit":"mL"}}}]}
JSON
cards="$work/cards.jsonl"
gen_cards() { # gen_cards <name> <file>
	"${PSQL[@]}" -At -v name="$1" -v file="$2" -v jwkfile="$work/node.jwk" <<'SQL'
\set b `cat :'file'`
\set jwk `cat :'jwkfile'`
SELECT tier_cards(:'name', :'b'::jsonb, :'jwk'::jsonb);
SQL
}
gen_cards builtin "$work/builtin.json" >>"$cards"

# --- 2. the spec vectors --------------------------------------------------
vector_files=()
if [ -n "$SHC_VECTORS" ]; then
	"${PSQL[@]}" -v keyfile="$SHC_VECTORS/keys/issuer.jwks.private.json" <<'SQL' >/dev/null
\set jwks `cat :'keyfile'`
SELECT shc_key_import('https://spec.smarthealth.cards/examples/issuer', (:'jwks'::jsonb)->'keys'->0);
SQL
	vector_files=("$SHC_VECTORS"/fixtures/*.json
		"$SHC_VECTORS"/examples/example-0?-a-fhirBundle.json
		"$SHC_VECTORS"/examples-hl7-stu1/example-0?-a-fhirBundle.json)
	for f in "${vector_files[@]}"; do
		name=$(basename "$(dirname "$f")")/$(basename "$f" .json)
		gen_cards "$name" "$f" >>"$cards" || notok "issue cards for $name"
	done

	# shc_minimize against the spec generator's output (SHC-NOTES 7).
	# The generator also drops meta.security, which section 7 keeps.
	v=$SHC_VECTORS
	res=$("${PSQL[@]}" -At -v v="$v" <<'SQL'
\set fc `cat :'v'/fixtures/covid-vaccines-bundle.json`
\set fr `cat :'v'/fixtures/revoked-bundle.json`
\set fd `cat :'v'/fixtures/dr-bundle.json`
\set e0 `cat :'v'/examples/example-00-a-fhirBundle.json`
\set e1 `cat :'v'/examples/example-01-a-fhirBundle.json`
\set e3 `cat :'v'/examples/example-03-a-fhirBundle.json`
\set h0 `cat :'v'/examples-hl7-stu1/example-00-a-fhirBundle.json`
\set h3 `cat :'v'/examples-hl7-stu1/example-03-a-fhirBundle.json`
CREATE FUNCTION pg_temp.no_meta(b jsonb) RETURNS jsonb LANGUAGE sql AS $$
  SELECT jsonb_set(b, '{entry}', (SELECT jsonb_agg(e #- '{resource,meta}' ORDER BY i)
                                    FROM jsonb_array_elements(b->'entry') WITH ORDINALITY AS t(e, i))) $$;
SELECT 'covid fixture = example-00 except meta.security: ' || (pg_temp.no_meta(shc_minimize(:'fc')) = :'e0'::jsonb);
SELECT 'covid fixture = example-01 except meta.security: ' || (pg_temp.no_meta(shc_minimize(:'fc')) = :'e1'::jsonb);
SELECT 'covid fixture keeps meta.security only: ' ||
  (SELECT bool_and(e->'resource'->'meta' = '{"security":[{"system":"https://smarthealth.cards/ial","code":"IAL1.2"}]}'::jsonb)
     FROM jsonb_array_elements(shc_minimize(:'fc')->'entry') e WHERE e->'resource'->>'resourceType' = 'Immunization');
SELECT 'revoked fixture = example-03: ' || (shc_minimize(:'fr') = :'e3'::jsonb);
SELECT 'example-00 is a fixed point: ' || (shc_minimize(:'e0') = :'e0'::jsonb);
SELECT 'example-03 is a fixed point: ' || (shc_minimize(:'e3') = :'e3'::jsonb);
SELECT 'hl7 example-00 is a fixed point: ' || (shc_minimize(:'h0') = :'h0'::jsonb);
SELECT 'hl7 example-03 is a fixed point: ' || (shc_minimize(:'h3') = :'h3'::jsonb);
SELECT 'dr fixture is idempotent without its dangling references: ' ||
  (SELECT shc_minimize(x) = shc_minimize(shc_minimize(x))
     FROM (SELECT regexp_replace(:'fd', '"reference": "(Patient/pat2|Practitioner/f202|Organization/1832473e-2fe0-452d-abe9-3cdb9879522f)"',
                                 '"reference": "#gone"', 'g')::jsonb AS x) s);
CREATE FUNCTION pg_temp.min_error(b jsonb) RETURNS text LANGUAGE plpgsql AS $$
DECLARE msg text;
BEGIN
  PERFORM shc_minimize(b);
  RETURN 'no error';
EXCEPTION WHEN invalid_parameter_value THEN
  GET STACKED DIAGNOSTICS msg = MESSAGE_TEXT;
  RETURN msg;
END $$;
SELECT 'dr fixture is refused for its reference to Patient/pat2: ' ||
  (pg_temp.min_error(:'fd') = 'reference "Patient/pat2" matches no bundle entry');
SQL
)
	while IFS= read -r line; do
		[ -z "$line" ] && continue
		case "$line" in
		*": true") ok "minimize: ${line%: true}" ;;
		*) notok "minimize: $line" ;;
		esac
	done <<<"$res"

	# the bundles with references to no entry are refused by the issuing
	# rulebook (every reference must resolve), minimized or not
	grep '"refused"' "$cards" | sed 's/^/# refused: /'
	unmin=$(node -e '
const lines = require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean);
const names = [...new Set(lines.map(JSON.parse).filter((c) => c.refused).map((c) => c.name))];
console.log(names.sort().join(" "));' "$cards")
	check "only dr-bundle and the example-02 bundles are refused, for references to no entry ($unmin)" \
		test "$unmin" = "examples-hl7-stu1/example-02-a-fhirBundle examples/example-02-a-fhirBundle fixtures/dr-bundle"
	check "their refusals are the FHIR rulebook's" test "$(grep -c '"refused" : "invalid FHIR bundle' "$cards")" = 3
	grep -v '"refused"' "$cards" >"$cards.issued" && mv "$cards.issued" "$cards"
else
	echo "# SHC_VECTORS is empty: skipping the spec-vector cards and minimization checks"
	skip=$((skip + 11))
fi

# --- 2b. one pass = shc_json_compact(shc_minimize(b)), bytes and errors ----
# Every bundle literal of the regression tests (sql/*.sql), the built-in
# bundle and the spec-vector bundles, through the test hook that returns
# what shc_issue writes (src/shc_minimize.c, shc_minimize_compact_sql).
node - "$work/bundles.json" "$work/builtin.json" "${vector_files[@]}" "$SHC_ROOT"/sql/*.sql <<'JS'
const fs = require("fs");
const [outFile, ...files] = process.argv.slice(2);
const out = [];
for (const f of files) {
  const src = fs.readFileSync(f, "utf8");
  if (!f.endsWith(".sql")) { out.push({ src: f, b: JSON.parse(src) }); continue; }
  // a literal starts at {"resourceType":"Bundle" right after a quote or a
  // dollar quote and ends at its balanced closing brace
  const re = /(?<=['$])\{\s*"resourceType"\s*:\s*"Bundle"/g;
  let m;
  while ((m = re.exec(src)) !== null) {
    let depth = 0, i = m.index, inStr = false;
    for (; i < src.length; i++) {
      const c = src[i];
      if (inStr) { if (c === "\\") i++; else if (c === '"') inStr = false; }
      else if (c === '"') inStr = true;
      else if (c === "{" || c === "[") depth++;
      else if ((c === "}" || c === "]") && --depth === 0) break;
    }
    try {
      const b = JSON.parse(src.slice(m.index, i + 1).replace(/''/g, "'"));
      // jsonb cannot hold U+0000 (the adversarial tests use it on purpose)
      if (!JSON.stringify(b).includes("\\u0000")) out.push({ src: f, b });
    } catch (e) { /* a format() template or a deliberately broken one */ }
  }
}
fs.writeFileSync(outFile, JSON.stringify(out));
JS
res=$("${PSQL[@]}" -At -v f="$work/bundles.json" <<'SQL'
\set all `cat :'f'`
CREATE FUNCTION pg_temp.min_compact(bundle jsonb) RETURNS text
LANGUAGE c STRICT AS '$libdir/shc', 'shc_minimize_compact_sql';
CREATE FUNCTION pg_temp.err(q text, b jsonb) RETURNS text LANGUAGE plpgsql AS $$
DECLARE c text; m text; d text; h text;
BEGIN
  EXECUTE q USING b;
  RETURN NULL;
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS c = RETURNED_SQLSTATE, m = MESSAGE_TEXT, d = PG_EXCEPTION_DETAIL, h = PG_EXCEPTION_HINT;
  RETURN concat_ws(' | ', c, m, d, h);
END $$;
SELECT regexp_replace(x->>'src', '.*/', '') AS src,
       count(*) AS n,
       count(*) FILTER (WHERE e1 IS NOT NULL) AS errors,
       count(*) FILTER (WHERE e1 IS DISTINCT FROM e2 OR
                        (e1 IS NULL AND pg_temp.min_compact(x->'b') <> shc_json_compact(shc_minimize(x->'b')))) AS differ
  FROM jsonb_array_elements(:'all'::jsonb) x,
       LATERAL pg_temp.err('SELECT shc_minimize($1)', x->'b') e1,
       LATERAL pg_temp.err('SELECT pg_temp.min_compact($1)', x->'b') e2
 GROUP BY 1 ORDER BY 1;
SQL
)
total=0
while IFS='|' read -r src n errs differ; do
	[ -z "$src" ] && continue
	total=$((total + n))
	check "one pass = shc_json_compact(shc_minimize(b)): $n bundles of $src ($errs raising the same error), $differ differ" test "$differ" = 0
done <<<"$res"
check "the one-pass comparison saw the bundles of the regression tests ($total in all)" test "$total" -gt 40

# --- 2c. nothing issued that shc_verify rejects -------------------------------
# Every bundle literal above, and variants generated from them (each element
# in turn replaced by an empty string, object or array, a number a verifier
# would not read, a bad date, deep nesting, a dangling reference, ...):
# shc_issue either refuses it, or the card verifies as valid with the issuer
# trusted (the issuing rulebook, src/core/shc_rules.c).
res=$("${PSQL[@]}" -At -F ' ' -v f="$work/bundles.json" <<'SQL'
\set all `cat :'f'`
SELECT shc_trust('https://tier.example/issuer', shc_jwks('https://tier.example/issuer')) > 0 AS trusted \gset
CREATE FUNCTION pg_temp.paths(j jsonb, p text[] DEFAULT '{}') RETURNS SETOF text[]
LANGUAGE sql AS $$
  SELECT p WHERE cardinality(p) > 0
  UNION ALL
  SELECT q FROM (SELECT p || k AS np, v FROM jsonb_each(CASE jsonb_typeof(j) WHEN 'object' THEN j END) e(k, v)
                 UNION ALL
                 SELECT p || (i - 1)::text, v FROM jsonb_array_elements(CASE jsonb_typeof(j) WHEN 'array' THEN j END)
                        WITH ORDINALITY a(v, i)) c,
       LATERAL pg_temp.paths(c.v, c.np) q $$;
CREATE FUNCTION pg_temp.round_trip(b jsonb) RETURNS text LANGUAGE plpgsql AS $$
DECLARE card text; st text;
BEGIN
  BEGIN
    BEGIN
      card := shc_issue(b, (SELECT kid FROM shc_keys WHERE iss = 'https://tier.example/issuer'));
    EXCEPTION WHEN invalid_parameter_value THEN
      -- what the minimization refuses may still be issued as it is
      card := shc_issue(b, (SELECT kid FROM shc_keys WHERE iss = 'https://tier.example/issuer'), minimize => false);
    END;
  EXCEPTION WHEN OTHERS THEN
    RETURN 'refused';
  END;
  st := (shc_verify(card)).status;
  RETURN CASE WHEN st = 'valid' THEN 'valid' ELSE 'rejected ' || st || ': ' || (shc_verify(card)).reason END;
END $$;
CREATE TEMP TABLE base AS SELECT row_number() OVER () AS n, x->'b' AS b FROM jsonb_array_elements(:'all'::jsonb) x;
CREATE TEMP TABLE gen AS
SELECT jsonb_set(b, p, v) AS b FROM (
  SELECT base.n, base.b, p, row_number() OVER (PARTITION BY base.n ORDER BY md5(base.n || p::text)) AS k
    FROM base, LATERAL pg_temp.paths(base.b) p) x,
  (VALUES ('""'::jsonb), ('{}'), ('[]'), ('1e900'), ('0.1e-1'), ('null'), ('"20210-05-01"'), ('"2021-02-30"'),
          ('"0000-01-01"'), ('"not-done"'), ('{"reference":"resource:99"}'), ('{"security":[{"code":"x"}]}'),
          ('{"coding":[]}'), ('"x"'), ((repeat('[', 300) || '1' || repeat(']', 300))::jsonb)) vals(v)
 WHERE k <= 12;
SELECT 'literal', count(*), count(*) FILTER (WHERE r = 'valid'), count(*) FILTER (WHERE r = 'refused'),
       count(*) FILTER (WHERE r LIKE 'rejected%') FROM (SELECT pg_temp.round_trip(b) r FROM base) s
UNION ALL
SELECT 'generated', count(*), count(*) FILTER (WHERE r = 'valid'), count(*) FILTER (WHERE r = 'refused'),
       count(*) FILTER (WHERE r LIKE 'rejected%') FROM (SELECT pg_temp.round_trip(b) r FROM gen) s;
SELECT 'example', left(r, 300), left(b::text, 300) FROM (SELECT b, pg_temp.round_trip(b) r FROM gen) s
 WHERE r LIKE 'rejected%' LIMIT 3;
SQL
)
echo "$res" | grep '^example' | sed 's/^/# /'
while read -r what n valid refused rejected; do
	[ "$what" = literal ] || [ "$what" = generated ] || continue
	check "issue then verify, $n $what bundles: $valid valid, $refused refused at issue, $rejected issued and then rejected" \
		test "${rejected:-x}" = 0 -a "${valid:-0}" -gt 0
done <<<"$res"

# --- 2b. code names (issue #25): every CVX code of the spec's examples and
# fixtures has its name in shc_code_name, and the rows show it
if [ -n "$SHC_VECTORS" ]; then
	missing=$(python3 -c 'import json, sys
for f in sys.argv[1:]: print(json.dumps(json.load(open(f))))' "$SHC_VECTORS"/fixtures/*.json \
		"$SHC_VECTORS"/examples*/example-0?-a-fhirBundle.json | "${PSQL[@]}" -At -c "CREATE TEMP TABLE tier_b (b jsonb)" \
		-c "COPY tier_b FROM STDIN WITH (FORMAT csv, QUOTE e'\\x01', DELIMITER e'\\x02')" \
		-c "SELECT count(DISTINCT i.vaccine_code) || ' ' || count(*) FILTER (WHERE i.vaccine_name IS NULL)
		      || ' ' || string_agg(DISTINCT i.vaccine_code, ',')
		      FROM tier_b, shc_immunizations(b) i WHERE i.vaccine_system = 'http://hl7.org/fhir/sid/cvx'")
	set -- $missing
	check "every CVX code of the spec's examples and fixtures has its name ($1 codes: ${3:-}; $2 rows without a name)" \
		test "${1:-0}" -gt 0 -a "${2:-1}" = 0
else
	echo "# SHC_VECTORS is empty: skipping the code names of the spec's examples"
	skip=$((skip + 1))
fi

# --- 3. the independent verifier over every card --------------------------
echo "# $(wc -l <"$cards") cards to verify"
vout="$work/verify.out"
node test/scripts/verify-card.mjs "$cards" >"$vout" 2>&1
vrc=$?
grep -E '^not ok|^# ' "$vout"
vp=$(grep -cE '^ok ' "$vout")
vf=$(grep -cE '^not ok ' "$vout")
pass=$((pass + vp))
fail=$((fail + vf))
if [ "$vrc" -ne 0 ] && [ "$vf" -eq 0 ]; then notok "verify-card.mjs exited $vrc"; fi
echo "# verify-card.mjs: $vp passed, $vf failed"

# --- 4. dump and restore into a new database ------------------------------
"${PSQL[@]}" -c "SELECT shc_key_create('https://dump.example') FROM generate_series(1, 2)" >/dev/null
"${PSQL[@]}" -c "SELECT shc_key_retire(kid) FROM shc_keys WHERE iss = 'https://dump.example' ORDER BY kid LIMIT 1" >/dev/null
keyq="SELECT kid, iss, x, y, created_at, retired_at FROM shc_keys ORDER BY kid"
privq="SELECT kid, md5(sealed_d) FROM shc_private_keys ORDER BY kid"
"${PSQL[@]}" -c "SELECT shc_code_names_load('207|Dump test name|x||Active|False|2026/12/01')" >/dev/null
"$BINDIR/pg_dump" -Fc -d "$db" -f "$work/dump" &&
	createdb "${db}_restored" &&
	"$BINDIR/pg_restore" --exit-on-error -d "${db}_restored" "$work/dump"
check "pg_dump and pg_restore into a new database" test $? -eq 0
before=$(psql -X -At -d "$db" -c "$keyq"; psql -X -At -d "$db" -c "$privq")
after=$(psql -X -At -d "${db}_restored" -c "$keyq"; psql -X -At -d "${db}_restored" -c "$privq")
check "the key tables survive dump and restore ($(wc -l <<<"$before") rows)" test "$before" = "$after"
check "a retired key is still retired after restore" test "$(psql -X -At -d "${db}_restored" -c \
	"SELECT count(*) FROM shc_keys WHERE retired_at IS NOT NULL AND kid NOT IN (SELECT kid FROM shc_private_keys)")" = 1
restored_card=$(psql -X -At -d "${db}_restored" -c \
	"SELECT shc_issue('{\"resourceType\":\"Bundle\"}', kid) FROM shc_keys WHERE iss = 'https://dump.example' AND retired_at IS NULL")
check "a restored key signs" test -n "$restored_card"
check "a loaded code list survives dump and restore, over the shipped one" test "$(psql -X -At -d "${db}_restored" -c \
	"SELECT shc_code_display('http://hl7.org/fhir/sid/cvx', '207') || '|' || count(*) FILTER (WHERE shipped) || '|' || count(*) FILTER (WHERE NOT shipped)
	   FROM shc_code_name")" = "Dump test name|483|1"
check "the restored extension still refuses EXECUTE on shc_issue to PUBLIC" test "$(psql -X -At -d "${db}_restored" -c \
	"SELECT has_function_privilege('public', 'shc_issue(jsonb, text, timestamptz, timestamptz, text, boolean)', 'EXECUTE')")" = f
dropdb "${db}_restored"

# --- 5. no private key in the server log ----------------------------------
log="$SCRATCH/server.log"
bogus_d=$(node -e 'process.stdout.write(require("node:crypto").randomBytes(32).toString("base64url"))')
# keys whose d this test knows: made by Node, imported from server files
for i in 1 2; do
	node -e '
const { generateKeyPairSync } = require("node:crypto");
const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
process.stdout.write(JSON.stringify(privateKey.export({ format: "jwk" })));' >"$work/log$i.jwk"
	chmod 644 "$work/log$i.jwk"
done
"${PSQL[@]}" -v bogus="$bogus_d" -v work="$work" <<'SQL' >/dev/null 2>&1
SET log_statement = 'all';
SET log_min_duration_statement = 0;
SET log_min_error_statement = 'debug5';
SET log_error_verbosity = 'verbose';
SELECT shc_key_create('https://log.example') FROM generate_series(1, 3);
SELECT shc_issue('{"resourceType":"Bundle"}', kid) FROM shc_keys WHERE iss = 'https://log.example';
DO $$ BEGIN PERFORM shc_key_create('https://log.example'); END $$;
SELECT shc_key_import_file('https://log.example', :'work' || '/log1.jwk');
SELECT shc_key_import_file('https://log.example', :'work' || '/log2.jwk');
SELECT shc_issue('{"resourceType":"Bundle"}', kid) FROM shc_keys WHERE iss = 'https://log.example';
-- a failing import: its statement holds d, so it must not be logged
-- (log_statement is 'none' here: a statement log records every argument)
SET log_statement = 'none';
-- nor the plans of the run's full logging (test/scripts/common.sh), which
-- print the statement's text and constants
SET debug_print_plan = off;
SET auto_explain.log_min_duration = -1;
SELECT shc_key_import('https://log.example', jsonb_build_object('kty', 'EC', 'crv', 'P-256',
  'x', '11XvRWy1I2S0EyJlyf_bWfw_TQ5CJJNLw78bHXNxcgw', 'y', 'eZXwxvO1hvCY0KucrPfKo7yAyMT6Ajc3N7OkAB6VYy8', 'd', :'bogus'));
SQL
"${PSQL[@]}" -At -c "SELECT pg_sleep(0.2)" >/dev/null
check "the server log recorded the key statements (log_statement = 'all' was on)" \
	grep -q "statement: SELECT shc_key_create('https://log.example')" "$log"
check "the failing import was logged as an error" grep -q "does not match the public point" "$log"
check "both file imports were stored" test "$(psql -X -At -d "$db" -c \
	"SELECT count(*) FROM shc_keys WHERE iss = 'https://log.example'")" -eq 6
# the scalars this test knows (created ones are never readable in clear)
ds=$(node -e 'for (const f of process.argv.slice(1)) console.log(JSON.parse(require("fs").readFileSync(f)).d)' \
	"$work/log1.jwk" "$work/log2.jwk")
nd=0
leaked=0
for d in $ds "$bogus_d"; do
	nd=$((nd + 1))
	if grep -qF -- "$d" "$log"; then leaked=$((leaked + 1)); fi
done
check "none of $nd private scalars d appears in the server log" test "$leaked" -eq 0 -a "$nd" -eq 3

dropdb "$db"
echo "tier issue: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
