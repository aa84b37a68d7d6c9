# tests/qemu/test_cwdrace.py: t_cwdrace (tests/user/README.md) on two CPUs,
# where the chdir-ing thread and the path-resolving one really run at once
# (QEMU's MTTCG); test_user.py runs it on one.

CPUS = 2
PROGRAM_TIMEOUT = 240  # s: two emulated CPUs on a loaded 2-core host


def test_cwdrace_smp(qemu):
    run = qemu(append="init=/tests/t_cwdrace", smp=CPUS)
    run.expect_boot()
    result = run.expect(r"^(PASS|FAIL): t_cwdrace.*\n", PROGRAM_TIMEOUT)
    assert result[1] == "PASS", result[0]
    run.expect(r"^init: exited with status 0\n")
    run.wait_exit()
