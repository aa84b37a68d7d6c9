#!/usr/bin/env python3
"""tools/bench/bench.py: system-call benchmarks, Anode against Debian's Linux
6.1 on the same emulated machine. Both boot QEMU virt (cortex-a57, 1 GiB)
under `-icount shift=0`, so one guest nanosecond is one instruction and the
figures are repeatable; both run the same static musl binary (tests/user/
bench.c), which prints `bench: NAME N ns/op` lines. Linux gets a busybox
initramfs whose init runs it and powers off. Every run is bounded."""
import gzip
import os
import re
import shutil
import subprocess
import sys
import tempfile

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LINUX = os.environ.get("LINUX_DIR", os.path.join(TOP, ".deps", "linux"))
BENCH = os.path.join(TOP, "build", "user", "tests", "bench")
TIMEOUT_S = 600
QEMU = ["qemu-system-aarch64", "-M", "virt", "-cpu", "cortex-a57", "-m", "1G",
        "-nographic", "-nic", "none", "-no-reboot", "-icount", "shift=0"]
LINE = re.compile(r"^bench: (\S+) (\d+) ns/op", re.M)
INIT = """#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
/bench
/bin/busybox poweroff -f
"""


def run(args):
    # stdin: never the terminal (QEMU -nographic would put it in raw mode).
    out = subprocess.run(QEMU + args, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                         errors="replace", timeout=TIMEOUT_S).stdout
    figures = {name: int(ns) for name, ns in LINE.findall(out)}
    if not figures:
        sys.exit("bench: no figures in the output:\n" + out[-3000:])
    return figures


def newc_entry(name, mode, data=b""):
    """One cpio 'newc' record (the initramfs format)."""
    name_b = name.encode() + b"\0"
    head = "070701" + "".join(f"{v:08x}" for v in (
        0, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(name_b), 0))
    rec = head.encode() + name_b
    rec += b"\0" * (-len(rec) % 4) + data
    return rec + b"\0" * (-len(rec) % 4)


def linux_initramfs(path):
    dirmode, exemode = 0o040755, 0o100755
    files = [("bin", dirmode, b""), ("proc", dirmode, b""),
             ("bin/busybox", exemode, open(os.path.join(LINUX, "busybox"), "rb").read()),
             ("bench", exemode, open(BENCH, "rb").read()),
             ("init", exemode, INIT.encode())]
    blob = b"".join(newc_entry(n, m, d) for n, m, d in files) + newc_entry("TRAILER!!!", 0)
    with gzip.open(path, "wb", compresslevel=1) as f:
        f.write(blob)


def main():
    anode = run(["-kernel", os.path.join(TOP, "build", "kernel.img"), "-append", "init=/tests/bench"])
    with tempfile.TemporaryDirectory() as tmp:
        initrd = os.path.join(tmp, "initrd.gz")
        linux_initramfs(initrd)
        linux = run(["-kernel", os.path.join(LINUX, "vmlinuz"), "-initrd", initrd,
                     "-append", "console=ttyAMA0 quiet panic=-1"])
    print(f"{'benchmark':<18}{'Anode ns/op':>12}{'Linux ns/op':>13}{'Linux/Anode':>13}")
    for name, ns in anode.items():
        peer = linux.get(name)
        ratio = f"{peer / ns:.2f}x" if peer else "-"
        print(f"{name:<18}{ns:>12}{peer if peer else '-':>13}{ratio:>13}")
    print("(guest time under -icount shift=0: one instruction per nanosecond)")


if __name__ == "__main__":
    main()
