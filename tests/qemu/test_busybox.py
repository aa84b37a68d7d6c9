# tests/qemu/test_busybox.py: Debian's busybox-static (glibc, unmodified,
# the initfs's /bin/busybox) runs a shell script as init: pipelines, command
# substitution, background jobs and wait (tests/user/fixtures/sh_script.sh).
from test_user import PROGRAM_TIMEOUT, run_init


def test_busybox_sh_script(qemu):
    run = run_init(qemu, "/bin/busybox", "sh /tests/sh_script.sh")
    result = run.expect(r"^(PASS|FAIL): sh_script.*\n", PROGRAM_TIMEOUT)
    assert result[1] == "PASS", result[0]
    run.expect(r"^init: exited with status 0\n")
    run.expect(r"^power: off through PSCI\n")
    run.wait_exit()
