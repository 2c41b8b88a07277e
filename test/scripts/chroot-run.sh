#!/usr/bin/env bash
# chroot-run.sh: run one command in a chroot made by build-chroot.sh.
#
#   bash test/scripts/chroot-run.sh CHROOT [--ro-bind SRC DST]... -- COMMAND...
#
# /proc, /dev and a fresh /dev/shm (PostgreSQL's dynamic shared memory) are
# mounted only for the time of the command, in a private mount namespace
# (unshare), so the host never sees them and they vanish with the command
# even if it is killed; the trap unmounts them anyway.  --ro-bind makes a
# host directory visible, read only, at DST (a path inside the chroot).
# The command runs with a clean environment: PATH, HOME, LANG and the
# NAME=VALUE words given before it with --env NAME=VALUE.  Root only.
set -euo pipefail

root=${1:?usage: chroot-run.sh CHROOT [--ro-bind SRC DST]... [--env N=V]... -- COMMAND...}
shift
binds=()
envs=()
while [ $# -gt 0 ]; do
	case "$1" in
	--ro-bind) binds+=("$2" "$3"); shift 3 ;;
	--env) envs+=("$2"); shift 2 ;;
	--) shift; break ;;
	*) echo "chroot-run: unknown option $1" >&2; exit 64 ;;
	esac
done
[ $# -gt 0 ] || { echo "chroot-run: no command" >&2; exit 64; }
[ -d "$root/usr" ] || { echo "chroot-run: $root is not a chroot" >&2; exit 64; }

if [ -z "${SHC_CHROOT_NS:-}" ]; then
	# re-run this script in a private mount namespace
	args=("$root")
	for ((i = 0; i < ${#binds[@]}; i += 2)); do args+=(--ro-bind "${binds[i]}" "${binds[i + 1]}"); done
	for e in "${envs[@]}"; do args+=(--env "$e"); done
	SHC_CHROOT_NS=1 exec unshare --mount --propagation private -- bash "$0" "${args[@]}" -- "$@"
fi

mounted=()
cleanup() {
	local i
	for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
		umount "${mounted[i]}" 2>/dev/null || umount -l "${mounted[i]}" 2>/dev/null || true
	done
}
trap cleanup EXIT
mnt() { # mnt <target> <mount args...>
	local target=$1
	shift
	mount "$@" "$target"
	mounted+=("$target")
}
mnt "$root/proc" -t proc proc
mnt "$root/dev" --bind /dev
mnt "$root/dev/shm" -t tmpfs -o mode=1777,nosuid,nodev shm
for ((i = 0; i < ${#binds[@]}; i += 2)); do
	mkdir -p "$root${binds[i + 1]}"
	mnt "$root${binds[i + 1]}" --bind "${binds[i]}"
	mount -o remount,bind,ro "$root${binds[i + 1]}"
done
# not exec: the trap must run after the command
rc=0
chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
	"${envs[@]}" "$@" || rc=$?
exit "$rc"
