# tests/qemu/test_cpuprot.py: the CPU's protections (issue 13). With
# `-cpu max` (FEAT_PAN; cortex-a57 has none) the self-tests show PAN
# refusing the kernel's own loads and stores to a user page, PXN stopping a
# jump to one, and user programs and a shell session run as before under
# PAN. `selftest=stack` smashes a stack canary: the stack protector panics
# naming the function. User-space ASLR: tests/user/t_aslr.c (test_user.py),
# and here with `norandmaps`, which turns it off.
import pytest

from anode import PANIC, SELFTEST_TIMEOUT
from test_login import LOGIN, LOGIN_WAIT, ROOT_PROMPT, command, log_in
from test_user import PROGRAM_TIMEOUT, run_init

FRAME = r"^  #\d+ +0x[0-9a-f]+ (\w+)\+0x[0-9a-f]+\n"
# User programs that reach user memory every way the kernel does: copies,
# futex compare-and-exchange (the one helper that clears PAN), signal frames,
# bad pointers, exec's stack, pipes between processes and threads.
PAN_PROGRAMS = ["t_futex", "t_futex_pi", "t_efault", "t_sigframe", "t_forkexec", "t_pipe",
                "t_thread", "t_mmap"]


def test_pan_and_pxn_selftests(qemu):
    run = qemu(append="selftest", cpu="max")
    run.expect_boot()
    run.expect(r"^PXN: kernel jump to user address 0x[0-9a-f]+: "
               r"instruction abort from the same EL, permission fault\n", SELFTEST_TIMEOUT)
    run.expect(r"^selftest: kernel jump to user page faults +ok\n")
    run.expect(r"^PAN: kernel read of user address 0x[0-9a-f]+ in probe_read_u64\+0x0 ")
    run.expect(r"^PAN: kernel write of user address 0x[0-9a-f]+ in probe_write_u64\+0x0 ")
    run.expect(r"^selftest: PAN where the CPU has it +ok\n")
    run.expect_selftest_result(SELFTEST_TIMEOUT)


def test_stack_protector_panics(qemu):
    run = qemu(append="selftest=stack", fail_on=())
    run.expect_boot()
    run.expect(r"^selftest: writing 32 bytes into a 16-byte array in selftest_stack_smash\n")
    run.expect(r"^PANIC: stack protector: stack smashed in selftest_stack_smash\+0x[0-9a-f]+\n")
    run.expect(r"^Backtrace:\n")
    assert run.expect(FRAME)[1] == "__stack_chk_fail"
    assert run.expect(FRAME)[1] == "selftest_stack_smash"
    run.expect(r"^System halted\.\n")


@pytest.mark.parametrize("name", PAN_PROGRAMS)
def test_programs_under_pan(qemu, name):
    run = run_init(qemu, f"/tests/{name}", cpu="max")
    result = run.expect(rf"^(PASS|FAIL): {name}.*\n", PROGRAM_TIMEOUT)
    assert result[1] == "PASS", result[0]
    run.expect(r"^init: exited with status 0\n")


def test_session_under_pan(qemu):
    run = qemu(cpu="max", fail_on=(PANIC, r"^PAN: "))
    run.expect_boot()
    run.expect(LOGIN, LOGIN_WAIT)
    log_in(run, "root", None, ROOT_PROMPT)
    command(run, "cd /tmp && echo hello > f && cat f | tr a-z A-Z", r"^HELLO\n", ROOT_PROMPT)
    command(run, "seq 500 | sort -rn | head -1", r"^500\n", ROOT_PROMPT)
    command(run, "ps | grep -c initfsd", r"^\d+\n", ROOT_PROMPT)
    command(run, "sh -c 'exit 3'; echo status $?", r"^status 3\n", ROOT_PROMPT)


def test_norandmaps_fixes_layout(qemu):
    """`norandmaps` (as Linux's): every exec gets the same layout."""
    run = qemu(append="norandmaps init=/tests/t_aslr -- fixed")
    run.expect_boot()
    result = run.expect(r"^(PASS|FAIL): t_aslr.*\n", PROGRAM_TIMEOUT)
    assert result[1] == "PASS", result[0]
    run.expect(r"^init: exited with status 0\n")
