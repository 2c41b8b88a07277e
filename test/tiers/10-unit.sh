#!/usr/bin/env bash
# Tier "unit": C unit tests of src/core, built without any PostgreSQL
# include path, under AddressSanitizer and UBSan.  Known-answer and
# rejection tests, plus the spec's and Wycheproof's vectors when
# ../shared/vectors is present (skipped otherwise).  Then the structural
# rules of src/ (test/meta/check-code.py: one header per module, no cycle in
# the include graph, no function over 150 lines).
set -uo pipefail
cd "$SHC_ROOT"
out=$(mktemp)
make -s unit 2>&1 | tee "$out"
rc=${PIPESTATUS[0]}
line=$(grep -E '^# [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$out" | tail -n 1)
rm -f "$out"
if [ -z "$line" ]; then
	echo "tier unit: 0 passed, 1 failed, 0 skipped"
	exit 1
fi
read -r p f s <<<"$(sed -E 's/^# ([0-9]+) passed, ([0-9]+) failed, ([0-9]+) skipped$/\1 \2 \3/' <<<"$line")"
meta=$(python3 test/meta/check-code.py)
mrc=$?
grep -v '^ok' <<<"$meta"
read -r mp mf <<<"$(sed -nE 's/^# ([0-9]+) passed, ([0-9]+) failed$/\1 \2/p' <<<"$meta")"
[ -n "${mp:-}" ] || { mp=0; mf=1; }
echo "tier unit: $((p + mp)) passed, $((f + mf)) failed, $s skipped"
[ "$rc" -eq 0 ] && [ "$mrc" -eq 0 ]
