# tests/qemu/test_failalloc.py: the kernel's fault-injection knob
# failalloc=N[,START] (kernel/failalloc.c), which makes about one counted kernel
# allocation in N fail after the first START. Under it, system calls fail
# with ENOMEM and nothing else goes wrong: no panic, no refused kfree, no
# leak, no hang; every program ends and the machine powers off. Each run
# with the knob on also checks that it really fired (a run without an
# injected failure proves nothing); a malformed value leaves it off.
import pytest

from anode import PANIC

PROGRAM_TIMEOUT = 60  # s for one program under the knob (t_enomem takes ~2 s)
# One in N: 2 fails nearly every call, 100 lets most succeed, so that the
# deep paths (children that run, exec that completes) fail too.
ENOMEM_RATES = [2, 5, 20, 100]
# Rates at which some fork succeeds on most rounds (t_enomem's fork needs
# about 25 allocations): children must then have run.
CHILDREN_RATE_MIN = 20
# Existing user tests, which stop at their first unexpected error: a PASS or
# a FAIL is fine, an unfinished program or a kernel complaint is not. The
# second spec lets the program get past its start before failures begin.
OTHER_TESTS = ["t_forkexec", "t_pipe", "t_files", "t_mmap", "t_signal", "t_segv"]
OTHER_SPECS = ["3", "2,40"]
BAD_FREE = r"kfree\(.*\): .*\n"  # mm/kheap.c: a refused kfree (double free, ...)
INJECTED = r"^failalloc: (\d+) allocations failed on purpose \(of (\d+) counted\)\n"


def boot(qemu, program, spec, rcfile=None):
    """Boots with init=/tests/PROGRAM failalloc=SPEC (or, with rcfile, init
    reading that init.rc) and checks the knob's announcement."""
    every, _, skip = spec.partition(",")
    start = f"-- -f {rcfile}" if rcfile else f"init=/tests/{program}"
    run = qemu(append=f"failalloc={spec} {start}", fail_on=(PANIC, BAD_FREE))
    run.expect_boot()
    run.expect(rf"^failalloc: one in {every} counted allocations fails, "
               rf"after the first {skip or 0}\n")
    return run


def expect_injected(run):
    """The kernel's count at init's exit: some allocations failed."""
    m = run.expect(INJECTED)
    assert int(m[1]) > 0, f"the knob never fired: {m[0]!r}"


@pytest.mark.parametrize("n", ENOMEM_RATES)
def test_enomem(qemu, n):
    """t_enomem passes: its calls succeed or fail with ENOMEM, and memory,
    descriptors and children come back to where they were. No daemon runs
    beside it (tests/user/fixtures/enomem.rc): its memory balance is exact."""
    run = boot(qemu, "t_enomem", str(n), rcfile="/tests/enomem.rc")
    m = run.expect(r"^t_enomem: (\d+) calls, (\d+) failed cleanly, (\d+) children ran\n",
                   PROGRAM_TIMEOUT)
    assert int(m[2]) > 0, f"no system call failed: {m[0]!r}"
    if n >= CHILDREN_RATE_MIN:
        assert int(m[3]) > 0, f"no fork succeeded: {m[0]!r}"
    result = run.expect(r"^(PASS|FAIL): t_enomem.*\n")
    assert result[1] == "PASS", result[0]
    run.expect(r"^init: exited with status 0\n")
    expect_injected(run)  # said at power-off, after init's line
    run.expect(r"^power: off through PSCI\n")
    run.wait_exit()


@pytest.mark.parametrize("spec", OTHER_SPECS)
@pytest.mark.parametrize("name", OTHER_TESTS)
def test_other_programs(qemu, name, spec):
    """Other test programs finish (PASS, or FAIL at an ENOMEM they do not
    expect) and the machine powers off."""
    run = boot(qemu, name, spec)
    run.expect(rf"^(PASS|FAIL): {name}.*\n", PROGRAM_TIMEOUT)
    run.expect(r"^init: exited with status [01]\n")
    expect_injected(run)  # said at power-off, after init's line
    run.expect(r"^power: off through PSCI\n")
    run.wait_exit()


def test_bad_value(qemu):
    """A malformed value is reported and ignored: nothing fails on purpose
    and no count is printed at init's exit."""
    run = qemu(append="init=/tests/t_enomem failalloc=0", fail_on=(PANIC, BAD_FREE, INJECTED))
    run.expect_boot()
    run.expect(r'^failalloc: bad value "0" \(want N or N,START, N >= 1\): ignored\n')
    m = run.expect(r"^t_enomem: (\d+) calls, (\d+) failed cleanly, (\d+) children ran\n",
                   PROGRAM_TIMEOUT)
    assert int(m[2]) == 0, f"calls failed with the knob off: {m[0]!r}"
    run.expect(r"^PASS: t_enomem\n")
    run.expect(r"^init: exited with status 0\n")
    run.wait_exit()
