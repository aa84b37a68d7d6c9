#!/usr/bin/env python3
"""tools/bench/bench.py: system-call benchmarks, Anode against Debian's Linux
6.1 on the same emulated machine. Both boot QEMU virt (cortex-a57, 1 GiB)
under `-icount shift=0`, so one guest nanosecond is one instruction and the
figures are repeatable; both run the same static musl binary (tests/user/
bench.c), which prints `bench: NAME N ns/op` lines. Linux gets a busybox
initramfs whose init runs it and powers off. Every run is bounded."""
import os
import re
import shutil
import subprocess
import sys
import tempfile

import initramfs

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


def linux_initramfs(path):
    initramfs.write(path, [
        ("bin", initramfs.DIR_MODE, b""), ("proc", initramfs.DIR_MODE, b""),
        ("bin/busybox", initramfs.EXE_MODE, open(os.path.join(LINUX, "busybox"), "rb").read()),
        ("bench", initramfs.EXE_MODE, open(BENCH, "rb").read()),
        ("init", initramfs.EXE_MODE, INIT.encode())])


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
