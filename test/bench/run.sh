#!/usr/bin/env bash
# run.sh: the benchmark of shc (not part of the pass/fail tests).
#
#   bash test/bench/run.sh [seconds-per-measurement]      (default 1.0)
#
# Builds test/bench/bench.c against src/core (-O2, libcrypto and zlib only,
# no PostgreSQL) into build/bench/ and runs it pinned to one core: the raw
# OpenSSL P-256 sign/verify and zlib DEFLATE/inflate rates on a realistic
# 3-dose card, the same work through src/core, and their ratios.
#
# Profile the core pipelines with
#   valgrind --tool=callgrind build/bench/bench profile-verify 2000
#   valgrind --tool=callgrind build/bench/bench profile-issue 2000
# (perf cannot count instructions in this machine's VM).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
SECS=${1:-1.0}
B=build/bench
mkdir -p "$B/core"

# the core as a static library, so only the objects the bench uses are
# linked (and with them only libcrypto and zlib)
objs=()
for c in src/core/*.c; do
	o=$B/core/$(basename "${c%.c}").o
	cc -std=c99 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Wno-unused-parameter \
		-Isrc/core -c -o "$o" "$c"
	objs+=("$o")
done
rm -f "$B/libshccore.a"
ar rcs "$B/libshccore.a" "${objs[@]}"
cc -std=c99 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Wno-unused-parameter \
	-Isrc/core -Itest/bench -o "$B/bench" test/bench/bench.c "$B/libshccore.a" \
	-lcrypto -lz

echo "== core and raw primitives, one core ($(nproc) online)"
pin=()
command -v taskset >/dev/null && pin=(taskset -c 0)
"${pin[@]}" "$B/bench" "$SECS" | tee "$B/core.txt"

# The raw rates are in the last line of core.txt, as
#   RAW_SIGN=... RAW_VERIFY=... RAW_DEFLATE=... RAW_INFLATE=... CORE_ISSUE=... CORE_VERIFY=...
# so later sections can divide by them.
eval "$(tail -n 1 "$B/core.txt")"
export RAW_SIGN RAW_VERIFY RAW_DEFLATE RAW_INFLATE CORE_ISSUE CORE_VERIFY

# --- SQL measurements go here -------------------------------------------
# To be appended: start the scratch server (source test/scripts/common.sh;
# build_install; server_start), issue N cards (default >= 20,000) through
# shc_issue in one statement and verify them through shc_verify in one
# statement, serially and with parallel workers, and print cards/second and
# SQL verify / $RAW_VERIFY, SQL issue / (raw sign + deflate, combined from
# $RAW_SIGN and $RAW_DEFLATE), parallel / serial.
