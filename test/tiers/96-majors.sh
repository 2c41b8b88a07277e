#!/usr/bin/env bash
# Tier "majors": shc on PostgreSQL 17, 18 and 19 (the rest of the suite
# runs on this machine's PostgreSQL 15).
#
# Debian 12 packages only PostgreSQL 15; Debian's newer suites package the
# other majors (trixie 17, sid 18, experimental 19), whose binaries need a
# newer C library than Debian 12's.  So each runs in a chroot made once per
# machine with mmdebstrap (test/scripts/build-chroot.sh, cached as
# /var/cache/shc/chroot-trixie and /var/cache/shc/chroot-sid).  For each
# major, this tier:
#   1. copies the checkout (its tracked and untracked files, not its build
#      output, and its git history for the upgrade tier) into the chroot,
#      one copy per major, under /tmp/shc-majors-<port>/<major>
#   2. runs test/run-tests.sh there (test/scripts/chroot-run.sh: /proc and
#      /dev mounted for the time of the run only, in a private mount
#      namespace), with PG_CONFIG naming that major: it builds shc against
#      that major's server headers, installs it into a private copy of the
#      chroot's PostgreSQL (SHC_PG_TREE), starts a scratch server of that
#      major (own port and socket, root key file as common.sh configures)
#      and runs the unit, regress, pgtap, docs and upgrade tiers.  Without
#      LLVM bitcode (with_llvm=no: it is for JIT inlining only, and would
#      double every build there)
#   3. counts one result per tier and major, with the tier's result line,
#      and one for a build without compiler warnings
# The upgrade tier there starts from every release that builds on that
# major (test/upgrade/releases lists them) and skips the others.
#
# When a chroot cannot be made here (no mmdebstrap, no package registry, not
# root), its majors are counted as skipped with the reason.
#   SHC_MAJORS="17 19"        only these majors
#   SHC_MAJORS_PORT=<port>    first server port in the chroots (default
#                             PGPORT + 10; each major adds 10)
set -uo pipefail
source "$SHC_ROOT/test/scripts/common.sh"
source "$SHC_ROOT/test/scripts/tier.sh"
set +e

MAJORS=${SHC_MAJORS:-17 18 19}
TIERS="unit regress pgtap docs upgrade"
suite_of() { case "$1" in 17) echo trixie ;; 18 | 19) echo sid ;; esac; }
base_port=${SHC_MAJORS_PORT:-$((PGPORT + 10))}
out_dir=$SCRATCH/majors
rm -rf "$out_dir"
mkdir -p "$out_dir"
inner_base=/tmp/shc-majors-$PGPORT

# copy_checkout DST: the checkout as a fresh clone would have it, plus
# uncommitted changes; never its build output
copy_checkout() {
	local dst=$1
	mkdir -p "$dst"
	if git -C "$SHC_ROOT" rev-parse --git-dir >/dev/null 2>&1; then
		(cd "$SHC_ROOT" && git ls-files -z -co --exclude-standard |
			tar --null -T - --ignore-failed-read -cf - 2>/dev/null) | tar -xf - -C "$dst" &&
			git clone -q --no-checkout "$SHC_ROOT" "$dst/.git-clone" &&
			mv "$dst/.git-clone/.git" "$dst/.git" && rm -rf "$dst/.git-clone"
	else
		tar -C "$SHC_ROOT" --exclude=./build --exclude=./.scratch --exclude='*.o' \
			--exclude='*.so' --exclude='*.bc' --exclude='*.a' -cf - . | tar -xf - -C "$dst"
	fi
}

# run_major MAJOR CHROOT INDEX
run_major() {
	local m=$1 chroot=$2 i=$3 inner host log port started secs t line f binds=() envs=()
	port=$((base_port + 10 * (i - 1)))
	inner=$inner_base/$m
	host=$chroot$inner
	log=$out_dir/pg$m.log
	echo "# --- PostgreSQL $m in $chroot (port $port, log $log)"
	rm -rf "$host"
	if ! copy_checkout "$host/shc"; then
		notok "the checkout is copied into the chroot for PostgreSQL $m"
		return
	fi
	envs=(--env "PATH=/usr/lib/postgresql/$m/bin:/usr/sbin:/usr/bin:/sbin:/bin"
		--env PG_MAJOR="$m" --env PG_CONFIG="/usr/lib/postgresql/$m/bin/pg_config"
		--env SHC_PG_TREE="$inner/pgtree" --env SHC_PGPORT="$port" --env SHC_LOG_AUDIT=0
		--env SHC_NO_APT=1 --env SHC_TIERS="$TIERS" --env MAKEFLAGS=with_llvm=no)
	if [ -n "$SHC_VECTORS" ]; then
		binds=(--ro-bind "$SHC_VECTORS" "$inner/vectors")
		envs+=(--env SHC_VECTORS="$inner/vectors")
	else
		envs+=(--env SHC_VECTORS="$inner/no-vectors")
	fi
	started=$(date +%s)
	bash "$SHC_ROOT/test/scripts/chroot-run.sh" "$chroot" "${binds[@]}" "${envs[@]}" -- \
		bash -c 'pg_config --version; exec bash "$0"/test/run-tests.sh' "$inner/shc" >"$log" 2>&1
	secs=$(($(date +%s) - started))
	echo "# PostgreSQL $m: $secs s"
	line=$(head -n 1 "$log")
	case "$line" in
	"PostgreSQL $m"*) ok "the chroot's pg_config reports $line" ;;
	*) notok "the chroot's pg_config reports PostgreSQL $m (got '$line')" ;;
	esac
	# the build of shc (common.sh's build_install) comes before the server;
	# the unit tier's build (-Wextra) prints its warnings too
	if ! grep -q '== starting a scratch' "$log"; then
		tail -n 40 "$log"
		notok "shc builds and installs against PostgreSQL $m"
		return
	fi
	if grep -E ': warning:' "$log"; then
		notok "shc and its unit tests build against PostgreSQL $m without compiler warnings"
	else
		ok "shc and its unit tests build against PostgreSQL $m without compiler warnings"
	fi
	for t in $TIERS; do
		line=$(sed -n '/^== summary/,$p' "$log" | grep -E "^tier $t: " | tail -n 1)
		if [ -z "$line" ]; then
			notok "on PostgreSQL $m: tier $t has no result line (log $log)"
			continue
		fi
		f=$(sed -nE 's/.* ([0-9]+) failed.*/\1/p' <<<"$line")
		if [ "${f:-1}" = 0 ]; then
			ok "on PostgreSQL $m: $line"
		else
			# the failures, from that tier's section of the log
			sed -n "/^== tier $t\$/,/^# tier $t: /p" "$log" |
				grep -E '^not ok|FAILED|failed|ERROR|^[-+][^-+]' | head -n 40
			notok "on PostgreSQL $m: $line (log $log)"
		fi
	done
	if [ "$fail" -eq 0 ]; then rm -rf "$host"; fi
}

# both chroots are made at once (on a fresh machine, most of it is waiting
# for downloads and dpkg), and PostgreSQL 17 is tested while the sid one is
# still being made
declare -A maker
started=$(date +%s)
for suite in trixie sid; do
	for m in $MAJORS; do
		if [ "$(suite_of "$m")" = "$suite" ]; then
			bash "$SHC_ROOT/test/scripts/build-chroot.sh" "$suite" >"$out_dir/chroot-$suite.dir" \
				2>"$out_dir/chroot-$suite.err" &
			maker[$suite]=$!
			break
		fi
	done
done
i=0
for suite in trixie sid; do
	ms=""
	for m in $MAJORS; do [ "$(suite_of "$m")" = "$suite" ] && ms="$ms $m"; done
	[ -n "$ms" ] || continue
	wait "${maker[$suite]}"
	rc=$?
	chroot=$(cat "$out_dir/chroot-$suite.dir")
	cat "$out_dir/chroot-$suite.err"
	if [ "$rc" -eq 2 ]; then
		reason=$(tail -n 1 "$out_dir/chroot-$suite.err")
		for m in $ms; do
			skip=$((skip + 1))
			echo "ok - PostgreSQL $m # SKIP no $suite chroot: ${reason#build-chroot: }"
		done
		continue
	fi
	if [ "$rc" -ne 0 ] || [ -z "$chroot" ]; then
		notok "the $suite chroot for PostgreSQL$ms is made"
		continue
	fi
	ok "the $suite chroot holds PostgreSQL$ms ($chroot, ready $(($(date +%s) - started)) s after the tier started)"
	for m in $ms; do
		i=$((i + 1))
		run_major "$m" "$chroot" "$i"
	done
done
echo "tier majors: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
