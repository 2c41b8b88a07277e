#!/usr/bin/env bash
# run-tests.sh: the whole test suite of shc, from a fresh machine.
#
#   bash test/run-tests.sh
#
# Installs missing Debian packages, builds and installs the extension,
# starts a scratch PostgreSQL server, runs every tier in test/tiers/ in
# order, stops the server (also on failure) and ends with one line
# "N passed, N failed, N skipped".  Exit status 1 if anything failed.
#
# Each tier script prints its own output and a last line
# "tier <name>: P passed, F failed, S skipped"; a tier that exits non-zero
# without one counts as one failure.  Set SHC_TIERS="unit regress" to run
# only some tiers.

source "$(dirname "$0")/scripts/common.sh"

ensure_packages
pg_bindir >/dev/null
build_install
# log everything the server does; tier log-audit reads it (SHC_LOG_AUDIT=0:
# not, and that tier is skipped)
export SHC_LOG_AUDIT=${SHC_LOG_AUDIT:-1}
server_start

total_pass=0
total_fail=0
total_skip=0
summary=()

for t in "$SHC_ROOT"/test/tiers/*.sh; do
	name=$(basename "$t" .sh)
	name=${name#[0-9][0-9]-}
	if [ -n "${SHC_TIERS:-}" ] && [[ " $SHC_TIERS " != *" $name "* ]]; then
		continue
	fi
	log "tier $name"
	out="$SCRATCH/tier-$name.log"
	logsize=$(stat -c %s "$SCRATCH/server.log" 2>/dev/null || echo 0)
	started=$(date +%s)
	set +e
	bash "$t" 2>&1 | tee "$out"
	rc=${PIPESTATUS[0]}
	set -e
	echo "# tier $name: $(( $(date +%s) - started )) s, server log +$(( ($(stat -c %s "$SCRATCH/server.log" 2>/dev/null || echo 0) - logsize) / 1048576 )) MB"
	line=$(grep -E "^tier [A-Za-z0-9_-]+: [0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$" "$out" | tail -n 1 || true)
	if [ -z "$line" ]; then
		p=0 f=1 s=0
		line="tier $name: exited $rc without a result line"
	else
		p=$(sed -E 's/.*: ([0-9]+) passed.*/\1/' <<<"$line")
		f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
		s=$(sed -nE 's/.* ([0-9]+) skipped.*/\1/p' <<<"$line")
		s=${s:-0}
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
			f=1
			line="$line (but exited $rc)"
		fi
	fi
	summary+=("$line")
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
	total_skip=$((total_skip + s))
done

log "summary"
printf '%s\n' "${summary[@]}"
echo "$total_pass passed, $total_fail failed, $total_skip skipped"
[ "$total_fail" -eq 0 ]
