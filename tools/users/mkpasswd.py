#!/usr/bin/env python3
# tools/users/mkpasswd.py: the boot archive's user database, made at build
# time: OUTDIR/passwd, OUTDIR/group and OUTDIR/shadow (mode 0600) for the
# accounts in ACCOUNTS below. Passwords are hashed with glibc crypt's
# SHA-512 ("$6$", a random 16-character salt), which busybox's login checks:
# through python3's crypt module (Debian 12's python3 has it), else
# `openssl passwd -6`. The defaults (root without a password, user/user)
# are documented in README as ones to change.
#   usage: mkpasswd.py OUTDIR
import os
import subprocess
import sys
import warnings

# name, password ("" = none), uid, gid, comment, home, shell
ACCOUNTS = [
    ("root", "", 0, 0, "root", "/root", "/bin/sh"),
    ("user", "user", 1000, 1000, "user", "/home/user", "/bin/sh"),
]
GROUPS = [("root", 0, []), ("user", 1000, [])]
# shadow's aging fields: last change (days since 1970), min, max, warn.
LASTCHG, MINDAYS, MAXDAYS, WARNDAYS = 19000, 0, 99999, 7
SHADOW_MODE = 0o600
SALT_CHARS = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
SALT_LEN = 16


def sha512_crypt(password):
    """A "$6$salt$hash" string for password, or exit with why not."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            import crypt
        h = crypt.crypt(password, crypt.mksalt(crypt.METHOD_SHA512))
        if h and h.startswith("$6$"):
            return h
    except ImportError:
        pass
    salt = "".join(SALT_CHARS[b % len(SALT_CHARS)] for b in os.urandom(SALT_LEN))
    try:
        out = subprocess.run(["openssl", "passwd", "-6", "-salt", salt, "-stdin"],
                             input=password, capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError) as e:
        sys.exit(f"mkpasswd.py: no SHA-512 crypt (python3 crypt, openssl): {e}")
    return out.stdout.strip()


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: mkpasswd.py OUTDIR")
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "passwd"), "w") as f:
        for name, _, uid, gid, comment, home, shell in ACCOUNTS:
            f.write(f"{name}:x:{uid}:{gid}:{comment}:{home}:{shell}\n")
    with open(os.path.join(out, "group"), "w") as f:
        for name, gid, members in GROUPS:
            f.write(f"{name}:x:{gid}:{','.join(members)}\n")
    shadow = os.path.join(out, "shadow")
    fd = os.open(shadow, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, SHADOW_MODE)
    with os.fdopen(fd, "w") as f:
        for name, password, *_ in ACCOUNTS:
            h = sha512_crypt(password) if password else ""
            f.write(f"{name}:{h}:{LASTCHG}:{MINDAYS}:{MAXDAYS}:{WARNDAYS}:::\n")
    os.chmod(shadow, SHADOW_MODE)


if __name__ == "__main__":
    main()
