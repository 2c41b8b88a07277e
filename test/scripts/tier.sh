# shellcheck shell=bash
# tier.sh: the TAP-style counters every tier script shares.
#
#   ok "<description>"                   a passed check
#   notok "<description>"                a failed check
#   check "<description>" <command...>   passes when the command succeeds
#   is "<got>" "<want>" "<description>"  passes when the two strings are equal
#
# The tier prints its closing line with
#   echo "tier NAME: $pass passed, $fail failed, $skip skipped"
pass=0
fail=0
skip=0
ok() { pass=$((pass + 1)); echo "ok - $*"; }
notok() { fail=$((fail + 1)); echo "not ok - $*"; }
check() {
	local what=$1
	shift
	if "$@"; then ok "$what"; else notok "$what"; fi
}
is() {
	if [ "$1" = "$2" ]; then
		ok "$3"
	else
		notok "$3 (got '$1', want '$2')"
	fi
}

# quiet_plans DB: the run logs every plan (tier log-audit); a tier that
# moves megabytes of cards, images or documents through its statements
# turns plan logging off for its database, so the log stays readable
# (statements are still logged).  Such a tier says why where it calls this.
quiet_plans() {
	psql -X -q -d postgres -c "ALTER DATABASE \"$1\" SET debug_print_plan = off" \
		-c "ALTER DATABASE \"$1\" SET auto_explain.log_min_duration = -1" >/dev/null 2>&1
}
