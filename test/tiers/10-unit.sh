#!/usr/bin/env bash
# Tier "unit": C unit tests of src/core, built without any PostgreSQL
# include path, under AddressSanitizer and UBSan.  Known-answer and
# rejection tests, plus the spec's and Wycheproof's vectors when
# ../shared/vectors is present (skipped otherwise).
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
echo "tier unit: ${line#\# }"
exit "$rc"
