#!/usr/bin/env python3
"""tools/bench/bench.py: `make bench`, Anode against Debian's Linux 6.1 on
the same emulated machine. Both boot QEMU virt (cortex-a57, 1 GiB) under
`-icount shift=0,sleep=off`, so one guest nanosecond is one instruction
(sleep=off: an idle guest's clock jumps to its next timer instead of
following the host's, so the host's load cannot leak into a figure) and the
figures repeat within a few percent; both run the same static musl
binaries: tests/user/bench.c (`bench: NAME N ns/op` lines) and, for the
boot rows, tests/user/bench_boot.c (its start time, then getty: the run
ends at the login prompt). Linux gets a busybox initramfs whose init runs
them. Each system is measured BENCH_RUNS times (default 3), the median
taken; the table (rows.py: both figures, Linux/Anode, the target) is
printed and written to build/bench.json, and the ratios are drawn into
build/bench.svg (chart.py). Every QEMU run is bounded."""
import datetime
import json
import os
import re
import select
import statistics
import subprocess
import sys
import tempfile

import initramfs
from rows import ROWS, target_of

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.path.join(TOP, "build")
LINUX = os.environ.get("LINUX_DIR", os.path.join(TOP, ".deps", "linux"))
TESTS = os.path.join(BUILD, "user", "tests")
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
# BENCH_ANODE_ONLY=1: Anode's side alone (Linux's figures left out, the
# table to build/bench_anode.json, no chart), for quick measurements.
ANODE_ONLY = os.environ.get("BENCH_ANODE_ONLY") == "1"
TIMEOUT_S = 600
BOOT_TIMEOUT_S = 120
QEMU = ["qemu-system-aarch64", "-M", "virt", "-cpu", "cortex-a57", "-m", "1G",
        "-nographic", "-nic", "none", "-no-reboot", "-icount", "shift=0,sleep=off"]
LINUX_APPEND = "console=ttyAMA0 quiet panic=-1"
LINE = re.compile(r"^bench: (\S+) (\d+) ns/op", re.M)
STUCK = re.compile(r"^bench: (\S+) stuck", re.M)
STAMP = re.compile(r"^bench: boot_stamp (\d+) ns", re.M)
FIRST = re.compile(r"boot: first process ready (\d+) us after reset")  # kernel/main.c
PROMPT = re.compile(rb"login: ")
NS_PER_US = 1000


def init_running(prog):
    """The Linux initramfs's /init: mounts /proc and /dev, runs prog, powers off."""
    return f"""#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t devtmpfs dev /dev
/{prog}
/bin/busybox poweroff -f
"""


def run_bench(args, qemu=QEMU):
    """One run of the bench program (qemu + args): {row: ns}; a stuck row is None."""
    # stdin: never the terminal (QEMU -nographic would put it in raw mode).
    out = subprocess.run(qemu + args, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                         errors="replace", timeout=TIMEOUT_S).stdout.replace("\r", "")
    figures = {name: int(ns) for name, ns in LINE.findall(out)}
    if not figures:
        sys.exit("bench: no figures in the output:\n" + out[-3000:])
    figures.update({name: None for name in STUCK.findall(out)})
    return figures


def boot_to_prompt(args):
    """Boots until the login prompt; the console output up to it."""
    qemu = subprocess.Popen(QEMU + args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    out = b""
    try:
        while not PROMPT.search(out):
            ready, _, _ = select.select([qemu.stdout], [], [], BOOT_TIMEOUT_S)
            chunk = os.read(qemu.stdout.fileno(), 65536) if ready else b""
            if not chunk:
                sys.exit("bench: no login prompt:\n" + out.decode(errors="replace")[-3000:])
            out += chunk
    finally:
        qemu.kill()
        qemu.wait()
    return out.decode(errors="replace").replace("\r", "")


def boot_figures(args, anode):
    out = boot_to_prompt(args)
    stamp = STAMP.search(out)
    first = FIRST.search(out) if anode else stamp
    if not stamp or not first:
        sys.exit("bench: no boot figures in the output:\n" + out[-3000:])
    return {"boot_first_user": int(first.group(1)) * (NS_PER_US if anode else 1),
            "boot_login": int(stamp.group(1))}


def linux_initramfs(path, init, prog, name):
    busybox = open(os.path.join(LINUX, "busybox"), "rb").read()
    initramfs.write(path, [
        ("bin", initramfs.DIR_MODE, b""), ("proc", initramfs.DIR_MODE, b""),
        ("dev", initramfs.DIR_MODE, b""), ("tmp", initramfs.DIR_MODE, b""),
        ("bin/busybox", initramfs.EXE_MODE, busybox),
        (name, initramfs.EXE_MODE, open(prog, "rb").read())]
        + ([("init", initramfs.EXE_MODE, init.encode())] if init else []))


def one_round(tmp):
    """Both systems once: ({row: ns} for Anode, the same for Linux)."""
    kernel = ["-kernel", os.path.join(BUILD, "kernel.img"), "-append"]
    anode = run_bench(kernel + ["init=/tests/bench"])
    anode.update(boot_figures(kernel + ["init=/tests/bench_boot"], True))
    if ANODE_ONLY:
        return anode, {}
    bench_rd, boot_rd = os.path.join(tmp, "bench.gz"), os.path.join(tmp, "boot.gz")
    linux_kernel = ["-kernel", os.path.join(LINUX, "vmlinuz"), "-append", LINUX_APPEND, "-initrd"]
    linux = run_bench(linux_kernel + [bench_rd])
    linux.update(boot_figures(linux_kernel + [boot_rd], False))
    return anode, linux


def median(runs, name):
    values = [r.get(name) for r in runs]
    if any(v is None for v in values):
        return None  # missing or stuck in some run
    return int(statistics.median(values))


def versions():
    git = ["git", "-C", TOP]
    commit = subprocess.run(git + ["describe", "--always", "--dirty"], capture_output=True,
                            text=True).stdout.strip()
    qemu = subprocess.run(["qemu-system-aarch64", "--version"], capture_output=True,
                          text=True).stdout.splitlines()[0]
    linux = "Linux not run" if ANODE_ONLY else open(os.path.join(LINUX, "done")).read().strip()
    return {"anode": commit, "linux": linux, "qemu": qemu}


def fmt(v):
    return f"{v:,}" if isinstance(v, int) else ("-" if v is None else str(v))


def main():
    with tempfile.TemporaryDirectory() as tmp:
        if not ANODE_ONLY:
            linux_initramfs(os.path.join(tmp, "bench.gz"), init_running("bench"), os.path.join(TESTS, "bench"),
                            "bench")
            linux_initramfs(os.path.join(tmp, "boot.gz"), None, os.path.join(TESTS, "bench_boot"),
                            "init")
        rounds = []
        for i in range(RUNS):
            print(f"bench: round {i + 1} of {RUNS}", flush=True)
            rounds.append(one_round(tmp))
    anode_runs, linux_runs = [a for a, _ in rounds], [b for _, b in rounds]
    anode = {name: median(anode_runs, name) for name, _, _ in ROWS}
    rows = []
    for name, what, target in ROWS:
        a, lx = anode[name], median(linux_runs, name)
        t = target_of(target, anode)
        rows.append({"row": name, "what": what, "anode": a, "linux": lx,
                     "linux_over_anode": round(lx / a, 2) if a and lx else None,
                     "target": t, "target_met": (a <= t) if a is not None and t else None})
    print(f"\n{'row':<19}{'Anode':>14}{'Linux':>14}{'Linux/Anode':>13}{'target':>16}  met")
    for r in rows:
        ratio = f"{r['linux_over_anode']:.2f}x" if r["linux_over_anode"] else "-"
        met = {True: "yes", False: "no", None: ""}[r["target_met"]]
        target = "<= " + fmt(r["target"]) if r["target"] else "-"
        print(f"{r['row']:<19}{fmt(r['anode']):>14}{fmt(r['linux']):>14}{ratio:>13}{target:>16}  {met}")
    info = versions()
    print(f"(guest instructions, -icount shift=0; median of {RUNS} runs; "
          f"Anode {info['anode']}, {info['linux']}, {info['qemu']}; '-': not measured or stuck)")
    result = {"date": datetime.date.today().isoformat(), "runs": RUNS, "versions": info,
              "unit": "guest instructions (ns under -icount shift=0)", "rows": rows,
              "anode_runs": anode_runs, "linux_runs": linux_runs}
    # Anode alone makes no comparison: its own file, no chart.
    with open(os.path.join(BUILD, "bench_anode.json" if ANODE_ONLY else "bench.json"), "w") as f:
        json.dump(result, f, indent=1)
    if ANODE_ONLY:
        print("bench: wrote build/bench_anode.json")
        return
    import chart  # matplotlib: only once there is something to draw
    chart.draw([(r["row"], r["linux_over_anode"]) for r in rows if r["linux_over_anode"]],
               os.path.join(BUILD, "bench.svg"), f"Anode vs Linux 6.1, {result['date']}")
    print("bench: wrote build/bench.json and build/bench.svg")


if __name__ == "__main__":
    main()
