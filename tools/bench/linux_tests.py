#!/usr/bin/env python3
"""tools/bench/linux_tests.py: runs Anode's user-space tests (tests/user,
the same static musl binaries) on Debian's Linux 6.1 on the same emulated
machine, the reference for every system call. The initramfs holds busybox
(the init script), Anode's /bin programs (the tests exec /bin/true and
friends), /etc/motd and /tests with its fixtures, as Anode's initfs; init mounts /proc and a /tmp, runs
each test and powers off. Prints each test's result line and exits 1 if any
did not pass. Every run is bounded."""
import os
import re
import subprocess
import sys
import tempfile

import initramfs

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LINUX = os.environ.get("LINUX_DIR", os.path.join(TOP, ".deps", "linux"))
USER = os.path.join(TOP, "build", "user")
FIXTURES = os.path.join(TOP, "tests", "user", "fixtures")
MOTD = os.path.join(TOP, "user", "motd")  # /etc/motd, as in Anode's initfs
TIMEOUT_S = 900
QEMU = ["qemu-system-aarch64", "-M", "virt", "-cpu", "cortex-a57", "-m", "1G",
        "-nographic", "-nic", "none", "-no-reboot"]
# Not run on Linux, and why: they test Anode itself (its schemes, its frame
# accounting), or end the machine (reboot).
ANODE_ONLY = {"t_leak": "frame accounting in sys:meminfo", "t_schemes": "Anode's schemes",
              "t_reboot": "powers the machine off",
              "t_devrights": "Anode's device rights (grant:, memory:, irq:)",
              "t_namespace": "Anode's namespaces",
              "t_event": "the event: scheme",
              "t_uscheme": "user-space schemes", "t_uscheme_fail": "user-space schemes",
              "t_uscheme_mt": "user-space schemes",
              "t_drvmgr": "the driver manager (grant:, drvmgr:, sys:fdt)",
              "t_rtc": "Anode's clock right and the pl031d daemon (rtc:)",
              "t_bootchain": "Anode's boot chain (initfsd, boot:)",
              "t_fsredir": "the scheme protocol's path operations and redirects",
              "t_mqleak": "frame and heap accounting in sys:meminfo",
              "t_usready": "user-space schemes (readiness reports, the caller)",
              "t_smpfork": "frame accounting in sys:meminfo",
              "t_smpspread": "per-CPU tick counts in sys:cpus",
              "t_usreply": "user-space schemes (malformed daemon replies)",
              "t_enosyslog": "the kernel log's lines for unknown calls (sys:log)",
              "t_usstat": "user-space schemes (the status with OPEN)",
              "t_usdata": "user-space schemes (data with the packets)",
              "t_conline": "pl011d's console: kernel log lines among a program's lines (debug:)",
              "t_usstatcache": "user-space schemes (the kernel's stat cache, SCHEME_AUX_CACHE)",
              "t_usrrfault": "user-space schemes (REPLYRECV's bad pointers)",
              "t_usra": "user-space schemes (a daemon's read-ahead, SCHEME_REQ_READAHEAD)"}
RESULT = re.compile(r"^(PASS|FAIL): (t_\w+).*$", re.M)


def tests():
    """Every test that is not Anode-only, or those LINUX_TESTS names
    (comma-separated: LINUX_TESTS=t_files,t_pipe make test-linux)."""
    names = sorted(n for n in os.listdir(os.path.join(USER, "tests")) if n.startswith("t_"))
    only = [n for n in os.environ.get("LINUX_TESTS", "").split(",") if n]
    return [n for n in names if n not in ANODE_ONLY and (not only or n in only)]


def build_initramfs(path, names):
    d, x, f = initramfs.DIR_MODE, initramfs.EXE_MODE, initramfs.FILE_MODE
    files = [("bin", d, b""), ("proc", d, b""), ("tmp", d, b""), ("tests", d, b""),
             ("etc", d, b""), ("etc/motd", f, open(MOTD, "rb").read()),
             ("bin/busybox", x, open(os.path.join(LINUX, "busybox"), "rb").read())]
    for prog in sorted(os.listdir(os.path.join(USER, "bin"))):
        files.append((f"bin/{prog}", x, open(os.path.join(USER, "bin", prog), "rb").read()))
    for name in names:
        files.append((f"tests/{name}", x, open(os.path.join(USER, "tests", name), "rb").read()))
    for fix in sorted(os.listdir(FIXTURES)):
        src = os.path.join(FIXTURES, fix)
        files.append((f"tests/{fix}", x if os.access(src, os.X_OK) else f, open(src, "rb").read()))
    init = "\n".join(["#!/bin/busybox sh",
                      "/bin/busybox mount -t proc proc /proc",
                      "/bin/busybox mount -t tmpfs tmpfs /tmp",
                      "/bin/busybox mkdir -p /dev/shm",  # shm_open, sem_open (as Anode's)
                      "/bin/busybox mount -t tmpfs tmpfs /dev/shm",
                      # busybox's applets (true, false, sh...) as links, as
                      # in Anode's initfs (user/busybox.links); Anode's own
                      # programs keep their names.
                      "/bin/busybox --install -s /bin",
                      "export PATH=/bin",
                      *[f"/tests/{n} || echo 'FAIL: {n}: exit status '$?" for n in names],
                      "echo linux-tests: done",
                      "/bin/busybox poweroff -f", ""])
    files.append(("init", x, init.encode()))
    initramfs.write(path, files)


def main():
    names = tests()
    with tempfile.TemporaryDirectory() as tmp:
        initrd = os.path.join(tmp, "initrd.gz")
        build_initramfs(initrd, names)
        out = subprocess.run(QEMU + ["-kernel", os.path.join(LINUX, "vmlinuz"), "-initrd", initrd,
                                     "-append", "console=ttyAMA0 quiet panic=-1"],
                             stdin=subprocess.DEVNULL, capture_output=True, text=True,
                             errors="replace", timeout=TIMEOUT_S).stdout.replace("\r", "")
    results = {}
    for verdict, name in RESULT.findall(out):
        results[name] = "PASS" if verdict == "PASS" and results.get(name) != "FAIL" else "FAIL"
    for line in RESULT.finditer(out):
        print(line[0])
    for name, why in ANODE_ONLY.items():
        print(f"SKIP: {name}: Anode only ({why})")
    missing = [n for n in names if n not in results]
    failed = [n for n, v in results.items() if v != "PASS"]
    if "linux-tests: done" not in out or missing or failed:
        print(out[-3000:] if missing else "", file=sys.stderr)
        sys.exit(f"linux-tests: failed {failed}, no result from {missing}")
    print(f"linux-tests: {len(names)} tests pass on Linux")


if __name__ == "__main__":
    main()
