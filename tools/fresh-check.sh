#!/bin/sh
# tools/fresh-check.sh CMD...: runs CMD, as root, in a clone of the current
# commit inside a fresh Debian 12 (bookworm) minbase root, the way a new user
# on a new machine would: nothing installed but what debootstrap's minbase
# variant, git, ca-certificates and make bring. It proves that the README's
# set-up (make run, make test, ...) installs everything it needs itself.
#
#   tools/fresh-check.sh make test
#   tools/fresh-check.sh sh -c 'make run APPEND=selftest'
#
# The pristine root is built once with debootstrap and cached under
# $FRESH_CACHE (default /var/cache/anode-fresh); each run copies it afresh
# into $FRESH_WORK (default /var/tmp), so no run sees another's leftovers.
# The mirror is the one this machine's apt already uses: the first `URIs:`
# line of /etc/apt/sources.list.d/*.sources (else the first `deb` line of
# /etc/apt/sources.list); the root then gets this machine's apt sources and
# its Acquire:: settings, as a new machine here would have them.
# Only committed work is checked: the clone is of HEAD, not the work tree.
# FRESH_KEEP=1 keeps the run's root (its path is printed) for a look after.
set -eu

SUITE=bookworm
# What a new user is assumed to have: the repository (git) and make.
INCLUDE=git,ca-certificates,make
TOP=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${FRESH_CACHE:-/var/cache/anode-fresh}
PRISTINE=$CACHE/$SUITE-minbase
WORK=${FRESH_WORK:-/var/tmp}

die() { echo "fresh-check: $*" >&2; exit 1; }

[ $# -ge 1 ] || die "usage: tools/fresh-check.sh CMD [ARGS...]"
[ "$(id -u)" = 0 ] || die "must run as root (debootstrap, chroot and bind mounts)"
commit=$(git -C "$TOP" rev-parse --verify HEAD) || die "$TOP is not a git checkout"
if [ -n "$(git -C "$TOP" status --porcelain --untracked-files=no)" ]; then
	echo "fresh-check: note: uncommitted changes are not part of the check (HEAD $commit)" >&2
fi

mirror() {
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		m=$(sed -n 's/^URIs:[[:space:]]*\([^[:space:]]*\).*/\1/p' "$f" | head -n 1)
		[ -n "$m" ] && { echo "$m"; return; }
	done
	[ -f /etc/apt/sources.list ] &&
		sed -n 's/^deb[[:space:]]\{1,\}\(\[[^]]*\][[:space:]]\{1,\}\)\{0,1\}\([^[:space:]]*\).*/\2/p' \
			/etc/apt/sources.list | head -n 1
}

# The pristine root: built into a temporary folder and renamed into place
# only when debootstrap succeeded, under a lock so that two runs do not
# build it at once.
build_pristine() {
	command -v debootstrap >/dev/null 2>&1 || {
		echo "fresh-check: installing debootstrap"
		apt-get update -q
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap
	}
	m=$(mirror)
	[ -n "$m" ] || die "no mirror found in /etc/apt/sources.list.d/*.sources or /etc/apt/sources.list"
	echo "fresh-check: building a $SUITE minbase root from $m (once; cached in $PRISTINE)"
	rm -rf "$PRISTINE.tmp"
	debootstrap --variant=minbase --include=$INCLUDE $SUITE "$PRISTINE.tmp" "$m" ||
		die "debootstrap failed (log: $PRISTINE.tmp/debootstrap/debootstrap.log)"
	mv "$PRISTINE.tmp" "$PRISTINE"
}

mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
flock 9
[ -d "$PRISTINE" ] || build_pristine
flock -u 9

root=$(mktemp -d "$WORK/anode-fresh.XXXXXX")
mounted=""
# The binds go first; the root is removed only if they all went, and even
# then rm stays on the root's own file system, so that /dev, /proc or /sys
# of this machine can never be reached through a bind that stayed.
cleanup() {
	unmounted=yes
	for m in $mounted; do umount -l "$m" 2>/dev/null || unmounted=no; done
	if [ "${FRESH_KEEP:-0}" = 1 ]; then
		echo "fresh-check: kept $root"
	elif [ "$unmounted" = yes ]; then
		rm -rf --one-file-system "$root"
	else
		echo "fresh-check: left $root: a bind mount inside would not unmount" >&2
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

cp -a "$PRISTINE/." "$root/"

# This machine's apt sources and fetch settings (a snapshot mirror needs
# Acquire::Check-Valid-Until "false", for instance), and its resolver.
cp /etc/resolv.conf "$root/etc/resolv.conf"
for f in /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list; do
	[ -f "$f" ] && cp "$f" "$root/etc/apt/sources.list.d/"
done
if ls "$root"/etc/apt/sources.list.d/* >/dev/null 2>&1; then
	rm -f "$root/etc/apt/sources.list"
fi
for f in /etc/apt/apt.conf.d/*; do
	[ -f "$f" ] && grep -q '^[[:space:]]*Acquire::' "$f" && cp "$f" "$root/etc/apt/apt.conf.d/"
done

for d in proc sys dev dev/pts; do
	mkdir -p "$root/$d"
	mount --bind "/$d" "$root/$d"
	mounted="$root/$d $mounted"
done

git clone -q --no-checkout "$TOP" "$root/root/anode"
git -C "$root/root/anode" checkout -q --detach "$commit"
echo "fresh-check: $commit in $root: $*"

start=$(date +%s)
status=0
chroot "$root" /usr/bin/env -i HOME=/root TERM="${TERM:-dumb}" LANG=C.UTF-8 \
	PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	sh -c 'cd /root/anode && exec "$@"' fresh-check "$@" || status=$?
echo "fresh-check: '$*' exited with status $status after $(($(date +%s) - start)) s"
exit $status
