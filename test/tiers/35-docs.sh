#!/usr/bin/env bash
# Tier "docs": every SQL block of README.md and docs/*.md runs as written.
#
# For each file: its ```sql blocks, in order, as one psql session
# (test/scripts/doc-blocks.py) against a fresh database, in an empty
# working directory, stopping at the first error.  Each block is one
# result: passed when it ran without error, failed when it raised (or was
# not reached after an error).  A block marked ```sql norun is shown to the
# reader only; it is listed and counted as skipped.  psql variables and
# files a block needs must come from blocks before it: nothing is set up
# behind the reader's back except what every scratch server has (schema
# shc on the search path, as the README's installation section does).
# A page may also mark shell blocks: after its SQL session, its ```sh run
# blocks run in order as one bash script (set -euo pipefail) in the
# repository's root, with PGDATABASE set to the file's database and
# SHC_WEB_LISTEN to a loopback port of this run (PGPORT+60), for at most
# 300 s, in a process group of their own that is killed afterwards; each is
# a result like an SQL block.  A ```sh public-host block needs a host with a
# public name and is counted as skipped.
# Roles the blocks create are dropped after each file.  Also checks that
# README.md stays under 32 kB.
set -uo pipefail
source "$SHC_ROOT/test/scripts/tier.sh"
cd "$SHC_ROOT"
work=$(mktemp -d)
chmod 0777 "$work"
trap 'rm -rf "$work"' EXIT

size=$(wc -c <README.md)
if [ "$size" -lt 32768 ]; then ok "README.md is $size bytes (< 32 kB)"; else notok "README.md is $size bytes (limit 32 kB)"; fi

roles() { psql -X -At -d postgres -c "SELECT rolname FROM pg_roles ORDER BY 1"; }
fileno=0
for md in README.md docs/*.md; do
	[ -f "$md" ] || continue
	fileno=$((fileno + 1))
	name=$(basename "$md" .md)
	python3 test/scripts/doc-blocks.py "$md" "$work/$name.sql" "$work/$name.map" "$work/$name.sh"
	[ -s "$work/$name.map" ] || continue
	db=docs_$fileno
	dir=$work/$name.d
	mkdir -p "$dir"
	chmod 0777 "$dir"
	before=$(roles)
	dropdb --if-exists "$db" >/dev/null 2>&1
	createdb "$db"
	(cd "$dir" && psql -X -q -d "$db" -f "$work/$name.sql") >"$work/$name.out" 2>&1
	rc=$?
	# the script line of the first error, if any
	errline=$(grep -m1 -oE "^psql:$work/$name.sql:[0-9]+: (ERROR|FATAL|error)" "$work/$name.out" |
		sed -E 's/^psql:[^:]*:([0-9]+):.*/\1/')
	if [ "$rc" -ne 0 ] && [ -z "$errline" ]; then errline=0; fi
	# the page's shell blocks, after its SQL ran without error
	shrc=0
	shblock=0
	if [ -s "$work/$name.sh" ] && [ -z "$errline" ]; then
		(
			cd "$SHC_ROOT" || exit 1
			export PGDATABASE=$db SHC_WEB_LISTEN=127.0.0.1:${SHC_DOCS_WEB_PORT:-$((PGPORT + 60))}
			# a session of its own; its leader's pid (= its process group) to fd 8
			exec setsid -w bash -c 'echo $$ >&8; exec timeout 300 bash "$1"' _ "$work/$name.sh" \
				8>"$work/$name.pgid" 9>"$work/$name.progress"
		) >"$work/$name.shout" 2>&1 </dev/null
		shrc=$?
		# whatever the blocks left running (a service started in the background)
		kill -- -"$(cat "$work/$name.pgid")" 2>/dev/null
		shblock=$(sed -n 's/^@@block //p' "$work/$name.progress" | tail -n 1)
	fi
	failed_seen=0
	while IFS=$'\t' read -r n line first last mode; do
		what="$md block $n (line $line)"
		if [ "$mode" = public-host ]; then
			skip=$((skip + 1))
			echo "ok - $what # SKIP needs a public host"
		elif [ "$mode" = sh ]; then
			if [ -n "$errline" ]; then
				notok "$what (not reached: an earlier block failed)"
			elif [ "$shrc" -eq 0 ] || [ "$n" -lt "${shblock:-0}" ]; then
				ok "$what (sh)"
			elif [ "$n" -eq "${shblock:-0}" ]; then
				notok "$what (sh, exit status $shrc)"
				tail -n 15 "$work/$name.shout" | sed 's/^/#   /'
			else
				notok "$what (not reached: an earlier block failed)"
			fi
		elif [ "$mode" = norun ]; then
			skip=$((skip + 1))
			echo "ok - $what # SKIP marked norun"
		elif [ -z "$errline" ]; then
			ok "$what"
		elif [ "$failed_seen" -eq 1 ]; then
			notok "$what (not reached: an earlier block failed)"
		elif [ "$errline" -eq 0 ] || { [ "$errline" -ge "$first" ] && [ "$errline" -le "$last" ]; }; then
			failed_seen=1
			notok "$what"
			echo "#   at $md line $((line + errline - first + 1)):"
			grep -A4 -m1 -E "^psql:$work/$name.sql:[0-9]+: (ERROR|FATAL|error)" "$work/$name.out" |
				sed -E "s|^psql:$work/$name.sql:[0-9]+: ||; s/^/#   /"
		elif [ "$errline" -lt "$first" ]; then
			notok "$what (not reached: an earlier block failed)"
		else
			ok "$what"
		fi
	done <"$work/$name.map"
	dropdb --if-exists "$db" >/dev/null 2>&1
	for r in $(comm -13 <(echo "$before") <(roles)); do
		psql -X -q -d postgres -c "DROP ROLE \"$r\"" >/dev/null 2>&1 ||
			notok "role $r made by $md's blocks can be dropped after it"
	done
done

# the API (docs/api.md): its table lists every function of the extension
# with its kind; the README's Reference names exactly the public ones; an
# internal function is executable by no one but the owner
dropdb --if-exists docs_reference >/dev/null 2>&1
createdb docs_reference
psql -X -q -d docs_reference -c "CREATE EXTENSION shc" >/dev/null
reference=$(sed -n '/^## Reference/,/^## /p' README.md)
api=$(sed -n '/^## Every function/,$p' docs/api.md)
missing=() unlisted=() leaked=() nfun=0 npublic=0
for f in $(psql -X -At -d docs_reference -c "SELECT DISTINCT p.proname FROM pg_proc p JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e' JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'shc' ORDER BY 1"); do
	nfun=$((nfun + 1))
	kind=$(grep -E "^\| \`$f\(" <<<"$api" | head -n 1 | awk -F'|' '{ gsub(/ /, "", $4); print $4 }')
	case "$kind" in
	public)
		npublic=$((npublic + 1))
		grep -qF "\`$f(" <<<"$reference" || missing+=("$f")
		;;
	internal | deprecated)
		grep -qF "\`$f(" <<<"$reference" && leaked+=("$f")
		;;
	*) unlisted+=("$f") ;;
	esac
done
if [ "$nfun" -gt 20 ] && [ ${#unlisted[@]} -eq 0 ]; then
	ok "docs/api.md lists all $nfun functions of the extension with their kind"
else
	notok "docs/api.md lists every function of the extension with its kind (missing: ${unlisted[*]})"
fi
if [ "$npublic" -gt 20 ] && [ ${#missing[@]} -eq 0 ]; then
	ok "the README's Reference names all $npublic public functions"
else
	notok "the README's Reference names every public function (missing: ${missing[*]})"
fi
if [ ${#leaked[@]} -eq 0 ]; then
	ok "the README's Reference names no internal or deprecated function"
else
	notok "the README's Reference names no internal or deprecated function (it names: ${leaked[*]})"
fi
internal=$(grep -E '^\| `shc_[a-z0-9_]+\(' <<<"$api" | awk -F'|' '{ k = $4; gsub(/ /, "", k); if (k == "internal") { n = $2; sub(/^ *`/, "", n); sub(/\(.*/, "", n); print n } }' | sort -u)
ninternal=$(grep -c . <<<"$internal")
callable=$(psql -X -At -d docs_reference -c "SELECT DISTINCT p.proname FROM pg_proc p, aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a WHERE p.pronamespace = 'shc'::regnamespace AND a.grantee <> p.proowner AND p.proname = ANY (string_to_array('$(echo $internal)', ' ')) ORDER BY 1")
if [ "$ninternal" -gt 5 ] && [ -z "$callable" ]; then
	ok "none of the $ninternal internal functions is executable by PUBLIC or a role"
else
	notok "no internal function is executable by PUBLIC or a role ($ninternal internal; executable: $(echo $callable))"
fi
dropdb --if-exists docs_reference >/dev/null 2>&1

echo "tier docs: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
