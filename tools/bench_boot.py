#!/usr/bin/env python3
"""tools/bench_boot.py: boot-time benchmark. Boots build/kernel.img under
`-icount shift=0,sleep=off` (one guest nanosecond per instruction, and
idle time jumps to the next timer rather than following the host's clock,
so figures are repeatable) twice per round: with the self-tests, for the guest time from
reset to kmain and to the end of the self-tests, and plainly with
init=/bin/true, for the guest time from reset to the first process (ready
to run its first user instruction), as the kernel prints them from
CNTVCT_EL0; plus the image size. Each run is bounded by a timeout."""
import os
import re
import statistics
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUNS = 3
TIMEOUT_S = 120
QEMU = ["qemu-system-aarch64", "-M", "virt", "-cpu", "cortex-a57", "-m", "1G",
        "-nographic", "-nic", "none", "-no-reboot", "-icount", "shift=0,sleep=off",
        "-kernel", os.path.join(TOP, "build", "kernel.img"), "-append"]
SELFTEST_APPEND = "selftest"
PLAIN_APPEND = "init=/bin/true"  # exits at once: its exit powers off
KMAIN = re.compile(r"boot: kmain reached (\d+) us after reset")
DONE = re.compile(r"boot: self-tests ended (\d+) us after reset")
FIRST = re.compile(r"boot: first process ready (\d+) us after reset")
CLEAN_SELFTEST = re.compile(r"^\d+ passed, 0 failed, \d+ skipped$", re.M)
CLEAN_EXIT = re.compile(r"^init: exited with status 0$", re.M)


def boot(append, clean, *figures):
    """One boot with this command line; the figures' values in us."""
    out = subprocess.run(QEMU + [append], stdin=subprocess.DEVNULL, capture_output=True, text=True, errors="replace",
                         timeout=TIMEOUT_S).stdout.replace("\r", "")
    found = [f.search(out) for f in figures]
    if not all(found) or not clean.search(out):
        sys.exit(f"bench_boot: the run with `{append}` did not complete cleanly:\n" + out)
    return [int(m.group(1)) for m in found]


def one_run():
    """(reset -> kmain, reset -> self-tests done, reset -> first process)."""
    return (*boot(SELFTEST_APPEND, CLEAN_SELFTEST, KMAIN, DONE),
            *boot(PLAIN_APPEND, CLEAN_EXIT, FIRST))


def main():
    runs = [one_run() for _ in range(RUNS)]
    size = os.path.getsize(os.path.join(TOP, "build", "kernel.img"))
    print(f"image size:             {size} bytes ({size / 1024:.1f} KiB)")
    print(f"reset -> kmain:         {statistics.median(r[0] for r in runs)} us guest time")
    print(f"reset -> tests done:    {statistics.median(r[1] for r in runs)} us guest time")
    print(f"reset -> first process: {statistics.median(r[2] for r in runs)} us guest time")
    print(f"({RUNS} runs, median; -icount shift=0)")


if __name__ == "__main__":
    main()
