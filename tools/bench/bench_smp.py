#!/usr/bin/env python3
"""tools/bench/bench_smp.py: what SMP buys on Anode, `make bench-smp`. Boots
QEMU virt with -smp 4 (MTTCG: the four CPUs are host threads) RUNS times
running tests/user/bench_smp.c and prints the median of each figure, the
speed-up of 1, 2 and 4 CPU-bound processes, a 4-thread mutex workload on
one CPU against four, and a pipe round trip within a CPU against across
two. These are host wall-clock figures: -icount (bench.py's repeatable
guest time) runs the CPUs one at a time, so it cannot show parallelism,
and on a loaded 2-core host four emulated CPUs share two cores, so read
the speed-ups as lower bounds. Every run is bounded."""
import os
import re
import statistics
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RUNS = 3
CPUS = 4
TIMEOUT_S = 600
QEMU = ["qemu-system-aarch64", "-M", "virt", "-cpu", "cortex-a57", "-m", "1G", "-smp", str(CPUS),
        "-nographic", "-nic", "none", "-no-reboot",
        "-kernel", os.path.join(TOP, "build", "kernel.img"), "-append", "init=/tests/bench_smp"]
LINE = re.compile(r"^bench: (\S+) (\d+) ns/op", re.M)


def run():
    out = subprocess.run(QEMU, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                         errors="replace", timeout=TIMEOUT_S).stdout
    figures = {name: int(ns) for name, ns in LINE.findall(out)}
    for hung in re.findall(r"^bench_smp: .* did not finish.*$", out, re.M):
        print(hung)
    if not figures:
        sys.exit("bench_smp: no figures in the output:\n" + out[-3000:])
    return figures


def main():
    runs = [run() for _ in range(RUNS)]
    med = {name: statistics.median(r[name] for r in runs if name in r)
           for name in set().union(*runs)}
    print(f"{'benchmark':<18}{'median ns/op':>14}   (of {RUNS} runs, -smp {CPUS}, host wall clock)")
    for name, ns in med.items():
        print(f"{name:<18}{ns:>14.0f}")
    one = med["cpu_procs_1"]
    for n in (1, 2, 4):
        print(f"speed-up of {n} CPU-bound process{'es' if n > 1 else ''}: "
              f"{one / med['cpu_procs_' + str(n)]:.2f}x throughput of one")
    if "mutex4_cpus4" in med:
        print(f"4-thread mutex, 4 CPUs vs 1: {med['mutex4_cpus1'] / med['mutex4_cpus4']:.2f}x")
    if "pipe_cross_cpu" in med:
        print(f"pipe round trip across CPUs / within one: "
              f"{med['pipe_cross_cpu'] / med['pipe_same_cpu']:.2f}")


if __name__ == "__main__":
    main()
