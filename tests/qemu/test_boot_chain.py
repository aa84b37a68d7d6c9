# tests/qemu/test_boot_chain.py: the boot chain. The kernel starts only
# /bin/init; init forks initfsd (initfs: and file: from the archive, which
# only it can reach through boot:), restarts it when it dies, and runs
# /etc/init.rc, whose malformed lines are reported and skipped.
from test_user import PROGRAM_TIMEOUT, run_init


def test_initfsd_restart(qemu):
    """t_bootchain: initfs and file are initfsd's, boot: is hidden from
    init's other children; kill -9 of initfsd is logged by init, a new one
    serves within a second, a held descriptor gets EIO and later programs
    run."""
    run = run_init(qemu, "/tests/t_bootchain")
    m = run.expect(r"^t_bootchain: initfs and file served by pid (\d+), boot hidden\n",
                   PROGRAM_TIMEOUT)
    run.expect(rf"^init: initfsd \(pid {m[1]}\) exited with status 137; restarting\n")
    run.expect(rf"^t_bootchain: initfsd {m[1]} -> \d+ in \d+ us\n")
    result = run.expect(r"^(PASS|FAIL): t_bootchain.*\n")
    assert result[1] == "PASS", result[0]
    run.expect(r"^init: exited with status 0\n")
    run.expect(r"^power: off through PSCI\n")
    run.wait_exit()


def test_bad_init_rc(qemu):
    """Each malformed init.rc line gets a clear error naming the file and
    line; init goes on with the next, and the main line ends the system."""
    run = qemu(append="-- -f /tests/bad_init.rc")
    run.expect_boot()
    rc = r"init: /tests/bad_init\.rc"
    run.expect(rf"^{rc}:3: unknown command; skipped\n", PROGRAM_TIMEOUT)
    run.expect(rf"^{rc}:4: env: want NAME=VALUE; skipped\n")
    run.expect(rf"^{rc}:5: missing arguments; skipped\n")
    run.expect(rf"^{rc}:6: console: want SCHEME:PATH; skipped\n")
    run.expect(r"^after the bad lines\n")
    run.expect(r"^main runs\n")
    run.expect(r"^init: exited with status 0\n")
    run.expect(r"^power: off through PSCI\n")
    run.wait_exit()
