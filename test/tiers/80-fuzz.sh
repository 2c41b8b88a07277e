#!/usr/bin/env bash
# Tier "fuzz": builds the libFuzzer harnesses of src/core (clang,
# -fsanitize=fuzzer,address,undefined; no PostgreSQL) and runs each for a
# short fixed number of executions over its committed seed corpus and every
# regression case.  One pass per harness.  The long run is
# `make fuzz-long FUZZ_RUNS=1000000` (see README, Fuzzing).
set -uo pipefail
cd "$SHC_ROOT"
n=$(ls test/fuzz/fuzz_*.c | wc -l)
if ! make -s fuzz >/dev/null; then
	make fuzz 2>&1 | tail -n 20
	echo "tier fuzz: 0 passed, $n failed, 0 skipped"
	exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=$(FUZZ_RUNS=${SHC_FUZZ_RUNS:-20000} FUZZ_WORK="$work" bash test/fuzz/run.sh)
rc=$?
echo "$out"
line=$(grep -E '^fuzz: [0-9]+ passed, [0-9]+ failed$' <<<"$out" | tail -n 1)
if [ -z "$line" ]; then
	echo "tier fuzz: 0 passed, $n failed, 0 skipped"
	exit 1
fi
if [ "$rc" -ne 0 ]; then
	# keep the failing inputs where a developer can find them
	mkdir -p test/fuzz/corpus-run
	cp -r "$work"/. test/fuzz/corpus-run/ 2>/dev/null
	echo "failing inputs and logs copied to test/fuzz/corpus-run/"
fi
p=$(sed -E 's/^fuzz: ([0-9]+) passed.*/\1/' <<<"$line")
f=$(sed -E 's/.* ([0-9]+) failed$/\1/' <<<"$line")
echo "tier fuzz: $p passed, $f failed, 0 skipped"
exit "$rc"
