# tests/qemu/test_asid.py: ASID generations (mm/asid.c). asid_bits=4 leaves
# 16 ASIDs, so fork/exec-heavy programs on 4 CPUs at once roll the ASID
# space over many times; they must still run correctly (each child checks
# its own memory, and a stale TLB entry of another process would show as
# wrong data or a crash). A malformed or out-of-range asid_bits is
# reported and ignored.
import pytest

from anode import SELFTEST_TIMEOUT

from test_smp import CPUS, PROGRAM_TIMEOUT, expect_cpus_up

ROLLOVER_PROGRAMS = ["t_smpfork", "t_forkexec", "t_smpstress"]


@pytest.mark.parametrize("name", ROLLOVER_PROGRAMS)
def test_asid_rollover_smp(qemu, name):
    run = qemu(append=f"asid_bits=4 init=/tests/{name}", smp=CPUS)
    run.expect_boot()
    expect_cpus_up(run)
    result = run.expect(rf"^(PASS|FAIL): {name}.*\n", PROGRAM_TIMEOUT)
    assert result[1] == "PASS", result[0]
    run.expect(r"^init: exited with status 0\n")
    run.expect(r"^power: off through PSCI\n")
    run.wait_exit()
    # Each of these programs runs far more than 16 processes, so the space
    # rolled over (the self-test checks the count; the kernel's own lines no
    # longer reach the console once user space has it).
    assert "asid: asid_bits=4: 16 ASIDs" in run.transcript()


@pytest.mark.parametrize("value", ["3", "17", "x", ""])
def test_asid_bits_bad_value_is_ignored(qemu, value):
    run = qemu(append=f"asid_bits={value} init=/tests/t_printf", smp=CPUS)
    run.expect(r"^PASS: t_printf\n", PROGRAM_TIMEOUT)
    run.wait_exit()
    assert f"asid: asid_bits={value} is not in 4..16, ignored\n" in run.transcript()


@pytest.mark.parametrize("bits", [4, 8])
def test_asid_selftest_rolls_over(qemu, bits):
    """The ASID self-test switches through 300 spaces: with 16 or 256 ASIDs
    that takes rollovers, each keeping the running space's number."""
    run = qemu(append=f"asid_bits={bits} selftest", smp=CPUS)
    run.expect_boot()
    expect_cpus_up(run)
    run.expect_selftest_result(SELFTEST_TIMEOUT)
    run.expect(r"^power: off through PSCI\n")
    run.wait_exit()
