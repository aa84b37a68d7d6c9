# tests/qemu/test_profile.py: the profiler. `make profile PROG=/tests/bench`
# (tools/profile.py, kernel/profile.c) boots with profile=HZ, runs the
# benchmark and prints a flat profile: its kernel table must name the
# system-call path (bench makes 100,000 getppid calls), its user table
# bench's own functions (musl's syscall wrapper, linked into bench), and its
# call counts at least bench's getppid calls. A malformed profile= value is
# reported and leaves the profiler off.
import os
import re
import subprocess

from anode import PANIC

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# make + one bench run with sampling (~30 s on an idle host) + symbolizing.
PROFILE_TIMEOUT_S = 600
GETPPID_CALLS = 100000  # tests/user/bench.c's GETPPID_ITERS
KERNEL_SYSCALL_PATH = {"exception_dispatch", "syscall_dispatch", "proc_getppid", "return_to_user",
                       "el0_sync_fast", "syscall_dispatch_slow"}
USER_SYSCALL_WRAPPER = "syscall"  # musl's syscall(), bench's getppid loop
TABLE_ROW = re.compile(r"^\s*(\d+)\s+[\d.]+\s+(\S+)$")


def section(out, title):
    """The rows (name -> samples) of the table whose title starts so."""
    rows, inside = {}, False
    for line in out.splitlines():
        if line.startswith(title):
            inside = True
        elif inside and not line.strip():
            break
        elif inside and (m := TABLE_ROW.match(line)):
            rows[m[2]] = int(m[1])
    return rows


def test_make_profile_bench():
    r = subprocess.run(["make", "--no-print-directory", "profile", "PROG=/tests/bench"], cwd=TOP,
                       stdin=subprocess.DEVNULL, capture_output=True, text=True,
                       timeout=PROFILE_TIMEOUT_S)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    out = r.stdout
    kernel = section(out, "kernel functions while bench ran")
    user = section(out, "user functions of bench")
    assert KERNEL_SYSCALL_PATH & set(kernel), f"no system-call path in the kernel table: {kernel}"
    assert USER_SYSCALL_WRAPPER in user, f"no {USER_SYSCALL_WRAPPER} in the user table: {user}"
    assert not any(name.startswith("0x") for name in user), f"unsymbolized user pcs: {user}"
    m = re.search(r"^\s*(\d+)\s+173 getppid$", out, re.M)
    assert m and int(m[1]) >= GETPPID_CALLS, "getppid's call count is missing or short"


def test_bad_profile_value_is_ignored(qemu):
    """profile=0 is reported and nothing is sampled or dumped."""
    run = qemu(append="profile=0 init=/bin/true", fail_on=(PANIC, r"^profile: begin"))
    run.expect_boot()
    run.expect(r'^profile: bad value "0" \(want HZ, 1\.\.100000\): ignored\n')
    run.expect(r"^init: exited with status 0\n")
    run.wait_exit()
