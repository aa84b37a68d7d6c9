# tests/qemu/test_futex_smp.py: futex words changed by the kernel while user
# space changes them on other CPUs (kernel/futex.c's compare-and-swap
# updates): t_futex_atomic on -smp 4, where a non-atomic kernel update
# loses adds.
from test_smp import run_program


def test_smp_futex_wake_op_atomic(qemu):
    run = run_program(qemu, "t_futex_atomic")
    run.expect(r"^power: off through PSCI\n")
    run.wait_exit()
