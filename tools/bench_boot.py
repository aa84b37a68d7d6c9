#!/usr/bin/env python3
"""tools/bench_boot.py: boot-time benchmark. Boots build/kernel.img with the
self-tests under `-icount shift=0` (one guest nanosecond per instruction, so
figures are repeatable) and reports the guest time from reset to kmain and to
the end of the self-tests, as the kernel prints them from CNTVCT_EL0, plus
the image size. Each run is bounded by a timeout."""
import os
import re
import statistics
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUNS = 3
TIMEOUT_S = 120
QEMU = ["qemu-system-aarch64", "-M", "virt", "-cpu", "cortex-a57", "-m", "1G",
        "-nographic", "-nic", "none", "-no-reboot", "-icount", "shift=0",
        "-kernel", os.path.join(TOP, "build", "kernel.img"), "-append", "selftest"]
KMAIN = re.compile(r"boot: kmain reached (\d+) us after reset")
DONE = re.compile(r"boot: self-tests ended (\d+) us after reset")


def one_run():
    out = subprocess.run(QEMU, capture_output=True, text=True, errors="replace",
                         timeout=TIMEOUT_S).stdout
    k, d = KMAIN.search(out), DONE.search(out)
    if not k or not d or not re.search(r"^\d+ passed, 0 failed", out, re.M):
        sys.exit("bench_boot: the self-test run did not complete cleanly:\n" + out)
    return int(k.group(1)), int(d.group(1))


def main():
    runs = [one_run() for _ in range(RUNS)]
    size = os.path.getsize(os.path.join(TOP, "build", "kernel.img"))
    print(f"image size:           {size} bytes ({size / 1024:.1f} KiB)")
    print(f"reset -> kmain:       {statistics.median(r[0] for r in runs)} us guest time")
    print(f"reset -> tests done:  {statistics.median(r[1] for r in runs)} us guest time")
    print(f"({RUNS} runs, median; -icount shift=0)")


if __name__ == "__main__":
    main()
