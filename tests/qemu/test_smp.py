# tests/qemu/test_smp.py: every CPU runs. With -smp 4 (QEMU's MTTCG: the
# four CPUs really run in parallel) on virt at EL1, EL2 and EL3 with GICv2
# and GICv3, and on the Raspberry Pi 3 (4 cores, spin table): all CPUs come
# up and every self-test passes; every user test passes (on virt, each on
# one of EL1/EL2 with GICv2/GICv3 in turn, and on the Pi but the two that
# need virt's devices), and the SMP stress test passes; 10,000 fork/exit
# rounds across CPUs leak nothing; CPU-bound processes keep every CPU busy
# (sys:cpus); a panic on one CPU stops the others, each reporting its
# registers; maxcpus= limits the CPUs (and /proc lists only those) and
# maxcpus=1 boots to user space. The kernel built with
# DEBUG_LOCKS=1 (lock order and hold time checked, kernel/lockdep.c) runs
# the self-tests and the stress test on 4 CPUs without a complaint, and
# does complain about a deliberate violation. Every run is bounded: on a
# 2-core host four emulated CPUs share two.
import shutil
import subprocess

import pytest

from anode import LOG_DIR, ROOT, SELFTEST_TIMEOUT

from test_rpi3 import DTB as RPI3_DTB, make
from test_user import TESTS as USER_PROGRAMS

CPUS = 4
DEBUG_BUILD_TIMEOUT = 900  # s for `make DEBUG_LOCKS=1 all` from clean (a second build tree)
SMP_UP_TIMEOUT = 60  # s from kmain to "smp: N CPUs online" (each CPU waits <= 2 s)
PROGRAM_TIMEOUT = 240  # s for one test program with 4 CPUs on a loaded host
EL3 = "virt,secure=on,virtualization=on"
CONFIGS = {  # test id: Qemu options
    "el1": dict(machine="virt"),
    "el2": dict(machine="virt,virtualization=on"),
    "el3": dict(machine=EL3),
    "gicv3": dict(machine="virt,gic-version=3"),
    "el2-gicv3": dict(machine="virt,virtualization=on,gic-version=3"),
    "el3-gicv3": dict(machine=EL3 + ",gic-version=3"),
}
# Every user test (test_user.py's list) runs with 4 CPUs, each on one of
# virt's four entries in turn (EL1 or EL2, GICv2 or GICv3): every test on
# SMP and every configuration under a quarter of them, in one boot each.
VIRT_CONFIGS = ["el1", "el2-gicv3", "el2", "gicv3"]
# Every user test also runs on raspi3b's four cores (spin table, BCM2836
# mailboxes), but the two that need virt's devices: t_devrights maps the
# PL031 RTC from its grant, t_drvmgr matches virt's device list.
VIRT_ONLY = {"t_devrights", "t_drvmgr"}
RPI3_USER_TESTS = [name for name in USER_PROGRAMS if name not in VIRT_ONLY]
# -icount (what make bench uses, here with 2 CPUs): QEMU runs the CPUs in
# turn on one host thread, and a turn ends only at a YIELD/WFE/WFI, a
# comparator write that moves the next deadline, or that deadline. The
# boot to user space, and lock contention across CPUs.
ICOUNT = ["-icount", "shift=0,sleep=off"]
ICOUNT_CPUS = 2
ICOUNT_TESTS = ["t_pathcache", "t_smpstress", "t_preempt"]


def expect_cpus_up(run, n=CPUS):
    """Every secondary CPU says it is up and the boot CPU gives the count,
    in whatever order the lines come (each CPU prints its own, at once)."""
    up, online = set(), False
    while len(up) < n - 1 or not online:
        m = run.expect(rf"^smp: (?:CPU (\d+) up \(mpidr 0x[0-9a-f]+\)|({n}) CPUs? online)",
                       SMP_UP_TIMEOUT)
        if m[2]:
            online = True
            continue
        assert int(m[1]) not in up, f"CPU {m[1]} came up twice"
        up.add(int(m[1]))
    assert up == set(range(1, n)), up


def run_program(qemu, name, cpus=CPUS, **opts):
    run = qemu(append=f"init=/tests/{name}", smp=cpus, **opts)
    run.expect_boot()
    expect_cpus_up(run, cpus)
    result = run.expect(rf"^(PASS|FAIL): {name}.*\n", PROGRAM_TIMEOUT)
    assert result[1] == "PASS", result[0]
    run.expect(r"^init: exited with status 0\n")
    return run


@pytest.mark.parametrize("opts", CONFIGS.values(), ids=CONFIGS.keys())
def test_smp_selftests(qemu, opts):
    run = qemu(append="selftest", smp=CPUS, **opts)
    run.expect_boot()
    expect_cpus_up(run)
    run.expect_selftest_result(SELFTEST_TIMEOUT)
    if run.entry_el == 3:  # no firmware, so no PSCI: the kernel halts
        run.expect(r"^power: no way to power off ")
    else:
        run.expect(r"^power: off through PSCI\n")
        run.wait_exit()


def test_smp_rpi3_spin_table(qemu):
    """The Pi's secondaries wait in QEMU's spin-table stub until the kernel
    writes cpu-release-addr; the BCM2836 mailboxes carry the IPIs."""
    make("rpi3-dtb", timeout=600)
    run = qemu(machine="raspi3b", cpu="cortex-a53", memory="1G", append="selftest",
               extra=["-dtb", str(RPI3_DTB)])
    expect_cpus_up(run)
    run.expect_selftest_result(SELFTEST_TIMEOUT)
    run.expect(r"^power: no way to power off ")


@pytest.mark.parametrize("name,config", [(name, VIRT_CONFIGS[i % len(VIRT_CONFIGS)])
                                         for i, name in enumerate(USER_PROGRAMS)])
def test_smp_user(qemu, name, config):
    run = run_program(qemu, name, **CONFIGS[config])
    run.expect(r"^power: off through PSCI\n")
    run.wait_exit()


@pytest.mark.parametrize("name", RPI3_USER_TESTS)
def test_smp_user_rpi3(qemu, name):
    """The Pi's firmware stub enters at EL2 (anode.py's entry check is virt's)."""
    make("rpi3-dtb", timeout=600)
    run = qemu(machine="raspi3b", cpu="cortex-a53", memory="1G", append=f"init=/tests/{name}",
               extra=["-dtb", str(RPI3_DTB)])
    expect_cpus_up(run)
    result = run.expect(rf"^(PASS|FAIL): {name}.*\n", PROGRAM_TIMEOUT)
    assert result[1] == "PASS", result[0]
    run.expect(r"^init: exited with status 0\n")
    run.expect(r"^power: no way to power off ")


@pytest.mark.parametrize("machine", ["virt", "virt,virtualization=on,gic-version=3"],
                         ids=["el1-gicv2", "el2-gicv3"])
def test_smp_stress(qemu, machine):
    run_program(qemu, "t_smpstress", machine=machine)


@pytest.mark.parametrize("name", ICOUNT_TESTS)
def test_smp_icount(qemu, name):
    """A CPU spinning on a lock yields its turn (cpu_relax) and the timer
    writes the comparator after dropping timer_lock: before, the boot
    stopped after drvmgr with every CPU in timer_interrupt waiting for
    timer_lock, whose holder only ever ran up to its comparator write."""
    run = run_program(qemu, name, cpus=ICOUNT_CPUS, extra=ICOUNT)
    run.expect(r"^power: off through PSCI\n")
    run.wait_exit()


def test_smp_fork_exit_leaks_nothing(qemu):
    run = run_program(qemu, "t_smpfork")
    run.wait_exit()


def test_smp_cpu_bound_spread(qemu):
    run_program(qemu, "t_smpspread")


def test_smp_panic_stops_every_cpu(qemu):
    """selftest=smppanic panics on the last CPU; the others stop, each
    printing its registers and backtrace, before "System halted."."""
    run = qemu(append="selftest=smppanic", smp=CPUS, fail_on=())
    run.expect_boot()
    expect_cpus_up(run)
    run.expect(r"^PANIC: selftest: deliberate panic on CPU 3 \(selftest=smppanic\)\n")
    run.expect(r"^on CPU 3\n")
    for cpu in range(CPUS - 1):
        run.expect(rf"^CPU {cpu} stopped:\n")
        run.expect(r"^  ELR 0x[0-9a-f]+  SPSR ")
        run.expect(r"^Backtrace:\n  #0  0x[0-9a-f]+ \w+")
    run.expect(r"^System halted\.\n")
    assert "did not stop" not in run.transcript()


@pytest.mark.parametrize("n", [1, 2])
def test_smp_maxcpus(qemu, n):
    run = qemu(append=f"maxcpus={n} init=/tests/t_printf", smp=CPUS)
    run.expect_boot()
    if n == 1:
        run.expect(r"^smp: 1 CPU online \(maxcpus=1\)\n")
    else:
        expect_cpus_up(run, n)
    run.expect(r"^PASS: t_printf\n", PROGRAM_TIMEOUT)
    run.expect(r"^power: off through PSCI\n")
    run.wait_exit()
    assert f"smp: CPU {n} up" not in run.transcript()


# What /proc shows of the CPUs: a shell counts the processors of cpuinfo
# and the per-CPU lines of stat (Linux lists the online CPUs in both).
COUNT_CPUS = ("echo cpus $(grep -c ^processor /proc/cpuinfo) "
              "$(grep -c ^cpu[0-9] /proc/stat)")


@pytest.mark.parametrize("maxcpus", [None, 2], ids=["all", "maxcpus2"])
def test_smp_proc_lists_running_cpus(qemu, maxcpus):
    n = maxcpus or CPUS
    limit = f"maxcpus={maxcpus} " if maxcpus else ""
    run = qemu(append=f'{limit}init=/bin/sh -- -c "{COUNT_CPUS}"', smp=CPUS)
    run.expect_boot()
    expect_cpus_up(run, n)
    run.expect(rf"^cpus {n} {n}\n", PROGRAM_TIMEOUT)
    run.expect(r"^power: off through PSCI\n")
    run.wait_exit()


def test_smp_bad_maxcpus_is_ignored(qemu):
    run = qemu(append="maxcpus=zero selftest", smp=2)
    run.expect_boot()
    run.expect(r"^cmdline: maxcpus=zero is not a positive number, ignored\n")
    expect_cpus_up(run, 2)
    run.expect_selftest_result(SELFTEST_TIMEOUT)


@pytest.fixture(scope="session")
def debuglocks_dir():
    """Builds the DEBUG_LOCKS kernel (build-debuglocks/) and snapshots it."""
    r = subprocess.run(["make", "-j2", "DEBUG_LOCKS=1", "all"], cwd=ROOT, capture_output=True,
                       text=True, timeout=DEBUG_BUILD_TIMEOUT)
    assert r.returncode == 0, f"make DEBUG_LOCKS=1 failed:\n{r.stdout[-3000:]}{r.stderr[-3000:]}"
    out = LOG_DIR / "debuglocks"
    out.mkdir(parents=True, exist_ok=True)
    for f in ("kernel.img", "kernel.elf"):
        shutil.copyfile(ROOT / "build-debuglocks" / f, out / f)
    return out


def test_debug_locks_selftests(qemu, debuglocks_dir):
    run = qemu(append="selftest", smp=CPUS, kernel_dir=debuglocks_dir)
    run.expect_boot()
    expect_cpus_up(run)
    run.expect_selftest_result(SELFTEST_TIMEOUT)
    run.expect(r"^power: off through PSCI\n")
    run.wait_exit()


def test_debug_locks_stress(qemu, debuglocks_dir):
    run_program(qemu, "t_smpstress", kernel_dir=debuglocks_dir)


@pytest.mark.parametrize("demo,report", [
    ("lockorder", r"lock order: CPU \d+ takes \"proc\" \(level 1\) holding \"sched\" \(level 8\)"),
    ("lockhold", r"spinlock \"sched\" held \d+ ms by CPU \d+ \(limit \d+ ticks\)"),
])
def test_debug_locks_catch(qemu, debuglocks_dir, demo, report):
    run = qemu(append=f"selftest={demo}", smp=2, kernel_dir=debuglocks_dir, fail_on=())
    run.expect_boot()
    run.expect(rf"^PANIC: {report}")
    run.expect(r"^System halted\.\n")
