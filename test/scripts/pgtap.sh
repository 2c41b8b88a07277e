# shellcheck shell=bash
# pgtap.sh: run pgTAP files with pg_prove in a fresh database and count
# their assertions.  Usage: run_pgtap <tier-name> <db> <file>...
# Prints "tier <name>: P passed, F failed, 0 skipped".
run_pgtap() {
	local name=$1 db=$2
	shift 2
	local out rc pass fail
	out=$(mktemp)
	dropdb --if-exists "$db" >/dev/null 2>&1
	createdb "$db"
	psql -X -q -d "$db" -c "CREATE EXTENSION pgtap" >/dev/null
	pg_prove --verbose --failures -d "$db" "$@" 2>&1 | tee "$out"
	rc=${PIPESTATUS[0]}
	pass=$(grep -cE '^ok [0-9]+' "$out")
	fail=$(grep -cE '^not ok [0-9]+' "$out")
	rm -f "$out"
	if [ "$rc" -ne 0 ] && [ "$fail" -eq 0 ]; then fail=1; fi
	echo "tier $name: $pass passed, $fail failed, 0 skipped"
	return "$rc"
}
