# tests/qemu/test_reapmem.py: t_reapmem (tests/user/t_reapmem.c) at -smp 2,
# where a reaped child's threads end on the other CPU: wait4 must return
# only once their kernel stacks are freed there (kernel/proc.c). The same
# program runs at -smp 1 in test_user.py.
PROGRAM_TIMEOUT = 240  # s: 310 forks of 3-thread children under TCG on a loaded host
SMP = 2


def test_reapmem_smp(qemu):
    run = qemu(append="init=/tests/t_reapmem", smp=SMP)
    run.expect_boot()
    result = run.expect(r"^(PASS|FAIL): t_reapmem.*\n", PROGRAM_TIMEOUT)
    assert result[1] == "PASS", result[0]
    run.expect(r"^init: exited with status 0\n")
    run.wait_exit()
