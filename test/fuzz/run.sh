#!/usr/bin/env bash
# run.sh: run every libFuzzer harness in build/fuzz/ (build them first with
# `make fuzz`) for a fixed number of executions each, one after the other.
#
#   FUZZ_RUNS=1000000 bash test/fuzz/run.sh [harness ...]    (= make fuzz-long)
#
# Each harness starts from test/fuzz/corpus/<name>/ (the committed seeds)
# and test/fuzz/regressions/<name>/ (every input that ever failed, kept
# forever).  New interesting inputs go to FUZZ_WORK/<name>/ (default
# test/fuzz/corpus-run/, ignored by git), never into the committed seeds;
# a failing input is saved there as crash-*, leak-*, timeout-* or oom-*.
# To keep a finding: fix src/core, copy the input to
# test/fuzz/regressions/<name>/<what-it-was>, and add a unit test.
#
# Prints one line per harness, "ok <name>: <runs> runs in <s> s" or
# "FAIL <name>: ...", then "fuzz: P passed, F failed".  Exit 1 on failure.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
FUZZ_RUNS=${FUZZ_RUNS:-1000000}
FUZZ_WORK=${FUZZ_WORK:-$ROOT/test/fuzz/corpus-run}
# The longest seeds are chunk sets of a few kB; leave room to grow them.
FUZZ_MAX_LEN=${FUZZ_MAX_LEN:-8192}

if [ $# -gt 0 ]; then
	names=("$@")
else
	names=()
	for b in build/fuzz/fuzz_*; do
		[ -x "$b" ] && names+=("${b#build/fuzz/fuzz_}")
	done
fi
if [ ${#names[@]} -eq 0 ]; then
	echo "no harness in build/fuzz/ (run make fuzz)"
	echo "fuzz: 0 passed, 1 failed"
	exit 1
fi

pass=0
fail=0
for name in "${names[@]}"; do
	bin=build/fuzz/fuzz_$name
	work=$FUZZ_WORK/$name
	mkdir -p "$work"
	dirs=("$work")
	[ -d "test/fuzz/corpus/$name" ] && dirs+=("test/fuzz/corpus/$name")
	[ -d "test/fuzz/regressions/$name" ] && dirs+=("test/fuzz/regressions/$name")
	log=$FUZZ_WORK/$name.log
	start=$(date +%s.%N)
	ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		"$bin" -runs="$FUZZ_RUNS" -max_len="$FUZZ_MAX_LEN" -timeout=10 \
		-rss_limit_mb=1024 -print_final_stats=1 \
		-artifact_prefix="$work/" "${dirs[@]}" >"$log" 2>&1
	rc=$?
	secs=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
	done_line=$(grep -E '^Done [0-9]+ runs' "$log" | tail -n 1)
	if [ "$rc" -eq 0 ] && [ -n "$done_line" ]; then
		runs=$(awk '{print $2}' <<<"$done_line")
		cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -n 1)
		echo "ok $name: $runs runs in $secs s (${cov:-cov: ?}, corpus $(ls "$work" | wc -l) new)"
		pass=$((pass + 1))
	else
		echo "FAIL $name: exit $rc after $secs s; log $log"
		grep -E 'ERROR|property violated|SUMMARY|Test unit written' "$log" | head -n 8 | sed 's/^/    /'
		fail=$((fail + 1))
	fi
done
echo "fuzz: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
