#!/bin/sh
# tools/bench/bench-deps.sh: installs, idempotently, what only `make bench`
# needs on the host: Debian's python3-matplotlib, which draws the ratio
# chart (tools/bench/chart.py). Kept out of tools/install-deps.sh so that
# the build and the tests do not pull a plotting library.
set -eu
PKGS="python3-matplotlib"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "bench-deps: must run as root to install:$missing" >&2
	exit 1
fi
echo "bench-deps: installing$missing"
apt-get update -q >/dev/null
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >/dev/null
