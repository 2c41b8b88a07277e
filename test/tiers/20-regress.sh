#!/usr/bin/env bash
# Tier "regress": pg_regress (make installcheck) against the scratch
# server; one result per test file in REGRESS.
set -uo pipefail
cd "$SHC_ROOT"
out=$(mktemp)
make -s installcheck PG_CONFIG="$PG_CONFIG" 2>&1 | tee "$out"
rc=${PIPESTATUS[0]}
# PostgreSQL 15 prints "test name ... ok", 16 and later TAP lines "ok 1 - name"
pass=$(grep -cE '\.\.\. ok |^ok [0-9]+ ' "$out")
fail=$(grep -cE '\.\.\. FAILED|\.\.\. failed|^not ok [0-9]+ ' "$out")
if [ "$rc" -ne 0 ] && [ -f regression.diffs ]; then
	head -n 200 regression.diffs
fi
rm -f "$out"
if [ "$rc" -ne 0 ] && [ "$fail" -eq 0 ]; then fail=1; fi
echo "tier regress: $pass passed, $fail failed, 0 skipped"
exit "$rc"
