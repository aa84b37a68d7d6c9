#!/usr/bin/env python3
"""tools/bench/bench_smp.py: what SMP buys on Anode, `make bench-smp`. Boots
QEMU virt with -smp 4 running tests/user/bench_smp.c on Anode and, as the
reference, on Debian's Linux 6.1 (the same static program in a busybox
initramfs, as bench.py does), RUNS times in each of two modes, and prints
the median of each figure (RUNS of each):
- host wall clock (MTTCG: the four CPUs are host threads), which shows
  parallelism: the speed-up of 1, 2 and 4 CPU-bound processes and of a
  4-thread mutex workload on four CPUs against one. On a 2-core host four
  emulated CPUs share two cores, so 2x is the most the speed-up can show.
- guest time under -icount shift=0,sleep=off (bench.py's repeatable mode,
  one guest nanosecond per instruction): QEMU then runs the vCPUs in turn
  on one host thread and counts every CPU's instructions on one clock, so
  it cannot show parallelism (the CPU-bound rows come out flat), but it
  gives the pipe and scheme round trips across CPUs against within one
  as exact, repeatable costs.
BENCH_ANODE_ONLY=1 leaves Linux out, BENCH_RUNS=N sets the runs (9); the
medians also go to build/bench_smp.json. Every run is bounded."""
import json
import os
import tempfile

import bench

# Wall-clock figures on a 2-core host vary by 2x from run to run (the
# contended mutex most): more runs than bench.py's 3 for a steadier median.
RUNS = int(os.environ.get("BENCH_RUNS", "9"))
CPUS = 4
SMP = ["-smp", str(CPUS)]
WALL = [a for a in bench.QEMU if a not in ("-icount", "shift=0,sleep=off")] + SMP
GUEST = bench.QEMU + SMP
MODES = (("wall", WALL), ("guest", GUEST))


def medians(configs):
    """{name: (qemu, args)} -> {name: {figure: median of RUNS runs}}. The
    runs take turns (one of each, RUNS times): the host's load drifts, and
    each configuration then sees the same drift."""
    runs = {name: [] for name in configs}
    for _ in range(RUNS):
        for name, (qemu, args) in configs.items():
            runs[name].append(bench.run_bench(args, qemu))
    # bench.median: None for a figure missing or stuck in some run (left out)
    return {name: {fig: m for fig in rs[0] if (m := bench.median(rs, fig)) is not None}
            for name, rs in runs.items()}


def ratio(med, a, b):
    return f"{med[a] / med[b]:.2f}" if a in med and b in med else "-"


def main():
    systems = [("Anode", ["-kernel", os.path.join(bench.BUILD, "kernel.img"),
                          "-append", "init=/tests/bench_smp"])]
    with tempfile.TemporaryDirectory() as tmp:
        if not bench.ANODE_ONLY:
            rd = os.path.join(tmp, "bench_smp.gz")
            bench.linux_initramfs(rd, bench.init_running("bench_smp"),
                                  os.path.join(bench.TESTS, "bench_smp"), "bench_smp")
            systems.append(("Linux", ["-kernel", os.path.join(bench.LINUX, "vmlinuz"),
                                      "-append", bench.LINUX_APPEND, "-initrd", rd]))
        med = medians({(sys_name, mode): (qemu, args)
                       for sys_name, args in systems for mode, qemu in MODES})
    with open(os.path.join(bench.BUILD, "bench_smp.json"), "w") as f:
        json.dump({"info": bench.versions(), "runs": RUNS, "cpus": CPUS,
                   "medians": {f"{s} {m}": v for (s, m), v in med.items()}}, f, indent=1)
    cols = [(s, m) for s, _ in systems for m, _ in MODES]
    print(f"medians of {RUNS} runs, -smp {CPUS}, ns per op; wall: host wall clock, "
          f"guest: -icount shift=0 ('-': not run there)")
    print(f"{'benchmark':<18}" + "".join(f"{s + ' ' + m:>14}" for s, m in cols))
    for name in med[("Anode", "wall")]:
        print(f"{name:<18}" + "".join(f"{bench.fmt(med[c].get(name)):>14}"
                                      for c in cols))
    for s, _ in systems:
        wall = med[(s, "wall")]
        print(f"{s}: speed-up (wall, throughput against one process) of 1, 2, 4 CPU-bound "
              f"processes: " + ", ".join(ratio(wall, "cpu_procs_1", f"cpu_procs_{n}") + "x"
                                          for n in (1, 2, 4)))
        print(f"{s}: 4-thread mutex, 4 CPUs against 1 (wall): "
              f"{ratio(wall, 'mutex4_cpus1', 'mutex4_cpus4')}x")
        for what in ("pipe", "scheme"):
            if what + "_same_cpu" in wall:
                print(f"{s}: {what} round trip across CPUs / within one: wall "
                      f"{ratio(wall, what + '_cross_cpu', what + '_same_cpu')}, guest "
                      f"{ratio(med[(s, 'guest')], what + '_cross_cpu', what + '_same_cpu')}")


if __name__ == "__main__":
    main()
