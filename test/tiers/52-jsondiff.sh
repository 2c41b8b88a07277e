#!/usr/bin/env bash
# Tier "jsondiff": the core JSON reader (src/core/shc_jsonr.c, through
# shc_json_parse) against PostgreSQL's own jsonb input on generated
# documents, valid and invalid (test/scripts/gen-json.mjs; SHC_JSONDIFF_DOCS,
# default 100,000, and a fixed seed).  For every document both must accept
# it with the same jsonb, or both refuse it; the only difference allowed is
# the reader's own limits (depth 256, numbers of 100 characters, exponent
# 1000), which it reports as program_limit_exceeded.  "The same jsonb" is
# equal as values, as text and in stored size (the layout of the binary
# format, which src/shc_jsonb.c writes itself).  Beside the generated
# documents, every seed of the json_members fuzz corpus (JOSE headers, SMART
# Health Link payloads, JWK files and near misses of each: the other uses
# of the same reader) is compared the same way.
set -uo pipefail
cd "$SHC_ROOT"
source test/scripts/tier.sh
db=shc_jsondiff
N=${SHC_JSONDIFF_DOCS:-100000}
docs=$(mktemp)
trap 'rm -f "$docs"' EXIT

node test/scripts/gen-json.mjs "$N" "${SHC_JSONDIFF_SEED:-20261129}" >"$docs" ||
	{ echo "tier jsondiff: 0 passed, 1 failed, 0 skipped"; exit 1; }
objects=(test/fuzz/corpus/json_members/*)
node -e 'for (const f of process.argv.slice(1))
	console.log(JSON.stringify(require("fs").readFileSync(f, "utf8")))' "${objects[@]}" >>"$docs" ||
	{ echo "tier jsondiff: 0 passed, 1 failed, 0 skipped"; exit 1; }
total_docs=$((N + ${#objects[@]}))
dropdb --if-exists "$db" >/dev/null 2>&1
createdb "$db"
res=$(psql -X -q -At -F ' ' -v ON_ERROR_STOP=1 -d "$db" <<SQL
CREATE EXTENSION shc;
CREATE TABLE docs (id serial, line text);
-- one JSON string per line; no control character appears raw in a line
\copy docs (line) FROM '$docs' WITH (FORMAT csv, QUOTE E'\x01', DELIMITER E'\x02')
CREATE FUNCTION pg_temp.cmp(t text, OUT ours text, OUT theirs text, OUT same boolean)
LANGUAGE plpgsql AS \$\$
DECLARE a jsonb; b jsonb;
BEGIN
  BEGIN a := shc.shc_json_parse(t); ours := 'ok';
  EXCEPTION WHEN OTHERS THEN ours := SQLSTATE; END;
  BEGIN b := t::jsonb; theirs := 'ok';
  EXCEPTION WHEN OTHERS THEN theirs := SQLSTATE; END;
  -- equal as values, as text, and in stored size: the reader writes jsonb's
  -- binary format itself (src/shc_jsonb.c), so its layout must be jsonb_in's
  same := a IS NOT DISTINCT FROM b AND a::text IS NOT DISTINCT FROM b::text
          AND pg_column_size(a) IS NOT DISTINCT FROM pg_column_size(b);
END \$\$;
CREATE TABLE r AS SELECT id, (pg_temp.cmp(line::jsonb->>0)).* FROM docs;
SELECT count(*),
       count(*) FILTER (WHERE ours = 'ok' AND theirs = 'ok' AND same),
       count(*) FILTER (WHERE ours <> 'ok' AND theirs <> 'ok'),
       count(*) FILTER (WHERE ours = '54000' AND theirs = 'ok'),
       count(*) FILTER (WHERE NOT ((ours = 'ok' AND theirs = 'ok' AND same) OR (ours <> 'ok' AND theirs <> 'ok')
                                   OR (ours = '54000' AND theirs = 'ok')))
  FROM r;
SELECT 'mismatch ' || id || ': ours ' || ours || ', jsonb ' || theirs || ', same ' || same || ': ' || left(d.line, 300)
  FROM r JOIN docs d USING (id)
 WHERE NOT ((ours = 'ok' AND theirs = 'ok' AND same) OR (ours <> 'ok' AND theirs <> 'ok') OR (ours = '54000' AND theirs = 'ok'))
 ORDER BY id LIMIT 5;
SQL
)
rc=$?
read -r total valid invalid limited mismatched rest <<<"$(head -n 1 <<<"$res")"
tail -n +2 <<<"$res" | sed 's/^/# /'
if [ "$rc" -ne 0 ] || [ -z "${mismatched:-}" ]; then
	notok "the differential run finished ($res)"
else
	is "$total" "$total_docs" "$N generated documents and ${#objects[@]} headers, link payloads and JWKs compared"
	# the real objects (not the near misses) must be read; ids follow the file
	ids=0
	for i in "${!objects[@]}"; do
		case "${objects[$i]}" in */near-*) ;; *) ids="$ids,$((N + i + 1))" ;; esac
	done
	is "$(psql -X -At -d "$db" -c "SELECT count(*) FROM r WHERE id IN ($ids) AND ours = 'ok'")" \
		"$(($(tr -cd , <<<"$ids" | wc -c)))" "every header, link payload and JWK of the seeds is read"
	check "both sides accept $valid documents with the same jsonb, both refuse $invalid" \
		test "$valid" -gt $((N / 5)) -a "$invalid" -gt $((N / 5))
	echo "# $limited documents refused by the reader's limits only"
	is "$mismatched" 0 "no document on which the reader and jsonb input disagree"
fi
dropdb "$db"
echo "tier jsondiff: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
