# tests/qemu/test_fuzz.py: the system-call fuzzer (/bin/fuzz, user/fuzz.c)
# as the main program, with the usual daemons beside it (init.rc's), at
# -smp 2: a bounded run from a fixed seed. Fails on a kernel panic or a
# refused kfree, on any daemon's death (init and drvmgr log each restart),
# on a machine that stops making progress (a watchdog: each progress line
# must come within WATCHDOG_S), on the fuzzer's own FAIL (a worker SIGKILL
# could not end, memory the kernel kept) and on a machine that does not
# power off afterwards. `make fuzz SEED=... CALLS=...` runs it for longer.
import os
import re

from anode import PANIC

SEED = int(os.environ.get("FUZZ_SEED", "20260"))  # another seed: FUZZ_SEED=N
# 300 to 900 calls/s at -smp 2 on a loaded 2-core host under TCG, seed by
# seed (the fuzzer prints the figure): with its 2,000-call warm-up, about a
# minute of guest run, two where the host is busier.
CALLS = 30000
WORKERS = 4
SMP = 2
WATCHDOG_S = 60  # s between progress lines (5,000 calls each); 5 to 25 s seen
RUN_TIMEOUT = 280  # s for the whole run, within conftest's TEST_TIMEOUT
BAD_FREE = r"kfree\(.*\): .*\n"  # mm/kheap.c: a refused kfree
DAEMON_DIED = (r"init: .* exited with status .*\n",  # user/init/supervise.c
               r"drvmgr: .* exited with status .*\n")  # drivers/drvmgr/drvmgr_run.c
# Kernel lines may land inside a fuzzer line on the console (both go out
# through pl011d), so a progress line ("fuzz: N calls") is matched by its
# start.
PROGRESS = r"fuzz: (\d+) calls"  # the whole number: pexpect matches as soon as it can
DONE = r"fuzz: done (\d+) calls in ([\d.]+) s \((\d+) calls/s\)"


def test_fuzz(qemu):
    run = qemu(append=f"init=/bin/fuzz -- {SEED} {CALLS} {WORKERS}", smp=SMP,
               fail_on=(PANIC, BAD_FREE, *DAEMON_DIED), run_timeout=RUN_TIMEOUT)
    run.expect_boot()
    run.expect(rf"fuzz: seed {SEED}, {CALLS} calls, {WORKERS} workers")
    run.expect(r"fuzz: running as uid 1000 gid 1000")
    run.expect(r"fuzz: warm-up\n", WATCHDOG_S)
    run.expect(DONE, WATCHDOG_S)  # the warm-up's
    run.expect(r"fuzz: memory before: ", WATCHDOG_S)
    seen = 0
    while True:
        m = run.expect(rf"{DONE}|{PROGRESS}|FAIL: fuzz.*\n", WATCHDOG_S)
        assert not m[0].startswith("FAIL"), m[0]
        if m[1]:
            break
        seen = int(m[4])
    assert seen >= CALLS - 5000, f"last progress line at {seen} calls"
    calls, secs, rate = int(m[1]), float(m[2]), int(m[3])
    assert calls >= CALLS, m[0]
    print(f"fuzz: {calls} calls in {secs} s, {rate} calls/s")
    mem = run.expect(r"fuzz: memory after: ", WATCHDOG_S)
    result = run.expect(r"(PASS|FAIL): fuzz.*\n", WATCHDOG_S)
    assert result[1] == "PASS", result[0]
    run.expect(r"init: exited with status 0\n")
    run.expect(r"power: off through PSCI\n")
    run.wait_exit()
    assert mem and not re.search(r"FAIL", result[0])
