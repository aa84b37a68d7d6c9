# tests/qemu/test_panic_locks.py: a panic still reports when a CPU holds
# the kernel log's lock for good (kernel/klog.c busts it after a bounded
# wait, kernel/panic.c stops the other CPUs first), and every stopped
# CPU's register report comes out whole, one CPU at a time. Each run is
# bounded: the kernel halts after "System halted.".
import re

from test_smp import CPUS, expect_cpus_up

REPORT_TIMEOUT = 60  # s from the panic line to "System halted." (one CPU may time out)
REG_PAIR = r"  x\d+ +0x[0-9a-f]{16}  x\d+ +0x[0-9a-f]{16}"
# A stopped CPU's report, line by line (panic.c, trap_dump).
REPORT = [r"CPU (\d+) stopped:", r"  ESR 0x[0-9a-f]+  class ", r"  ELR 0x[0-9a-f]+  SPSR ",
          *[REG_PAIR] * 15, r"  x30 0x[0-9a-f]{16}", r"Backtrace:", r"  #0  0x[0-9a-f]+ "]
FRAME = re.compile(r"  #\d+ +0x[0-9a-f]+ ")


def stop_reports(text):
    """The CPUs whose report came out whole (every line in place, nothing
    of another CPU between), and those that did not stop; asserts every
    line from the first report to "System halted." belongs to one."""
    start = text.index("\nCPU ")
    lines = text[start + 1:text.index("System halted.\n")].splitlines()
    whole, stuck, i = [], [], 0
    while i < len(lines):
        m = re.match(r"CPU (\d+): did not stop in \d+ ms", lines[i])
        if m:
            stuck.append(int(m[1]))
            i += 1
            continue
        for j, pat in enumerate(REPORT):
            assert i + j < len(lines) and re.match(pat, lines[i + j]), \
                f"report broken at {lines[i:i + j + 1]}"
        whole.append(int(re.match(REPORT[0], lines[i])[1]))
        i += len(REPORT)
        while i < len(lines) and FRAME.match(lines[i]):
            i += 1
    return whole, stuck


def panic_run(qemu, word):
    run = qemu(append=f"selftest={word}", smp=CPUS, fail_on=())
    run.expect_boot()
    expect_cpus_up(run)
    return run


def test_panic_with_klog_lock_held_elsewhere(qemu):
    """CPU 0 holds klog_lock with interrupts masked, for good; CPU 3 panics:
    its report still comes out, CPUs 1 and 2 report, CPU 0 is named."""
    run = panic_run(qemu, "klogpanic")
    run.expect(rf"^PANIC: selftest: deliberate panic on CPU {CPUS - 1} ", REPORT_TIMEOUT)
    run.expect(r"^System halted\.\n", REPORT_TIMEOUT)
    whole, stuck = stop_reports(run.transcript())
    assert sorted(whole) == list(range(1, CPUS - 1)) and stuck == [0], (whole, stuck)


def test_panic_holding_klog_lock_itself(qemu):
    """The panicking CPU holds klog_lock itself: it must not wait on it."""
    run = panic_run(qemu, "klogpanicself")
    run.expect(r"^PANIC: selftest: deliberate panic holding klog_lock \(selftest=klogpanicself\)\n",
               REPORT_TIMEOUT)
    run.expect(r"^on CPU 0\n")
    run.expect(r"^System halted\.\n", REPORT_TIMEOUT)
    whole, stuck = stop_reports(run.transcript())
    assert sorted(whole) == list(range(1, CPUS)) and not stuck, (whole, stuck)


def test_panic_reports_come_out_whole(qemu):
    """selftest=smppanic, checked line by line: each CPU's report whole."""
    run = panic_run(qemu, "smppanic")
    run.expect(r"^System halted\.\n", REPORT_TIMEOUT)
    whole, stuck = stop_reports(run.transcript())
    assert sorted(whole) == list(range(CPUS - 1)) and not stuck, (whole, stuck)
