#!/bin/sh
# tools/initfs/layout.sh ROOT: the parts of the boot archive's tree that are
# not programs (COMMON11's contract): /dev as symbolic links to the schemes
# serving each device, /proc as a link to the proc: scheme, and the
# directories a Linux program expects to write in (/tmp and /dev/shm
# sticky and world-writable, /root and /home/user). Their owners are not
# set here (the build runs unprivileged): tools/initfs/owners gives them to
# mkinitfs -o.
set -eu
root=$1
mkdir -p "$root/dev" "$root/tmp" "$root/dev/shm" "$root/root" "$root/home/user"
chmod 1777 "$root/tmp" "$root/dev/shm"
chmod 0700 "$root/root"
chmod 0755 "$root/dev" "$root/home" "$root/home/user"
for dev in null zero random urandom full tty; do
	ln -sfn "/scheme/$dev" "$root/dev/$dev"
done
ln -sfn /scheme/serial/0 "$root/dev/console"
ln -sfn /scheme/serial/0 "$root/dev/ttyAMA0"
ln -sfn /proc/self/fd "$root/dev/fd"
ln -sfn /proc/self/fd/0 "$root/dev/stdin"
ln -sfn /proc/self/fd/1 "$root/dev/stdout"
ln -sfn /proc/self/fd/2 "$root/dev/stderr"
ln -sfn /scheme/proc "$root/proc"
