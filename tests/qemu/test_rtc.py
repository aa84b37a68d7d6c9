# tests/qemu/test_rtc.py: the PL031 daemon on QEMU virt (tests/user/t_rtc.c):
# t_rtc starts /bin/pl031d itself and gets the host's time on its command
# line, so "date within a minute of the host" is checked on CLOCK_REALTIME,
# which date reads (QEMU's PL031 starts at the host's time, UTC).
import time

from test_user import PROGRAM_TIMEOUT, run_init


def test_rtc(qemu):
    run = run_init(qemu, "/tests/t_rtc", str(int(time.time())))
    result = run.expect(r"^(PASS|FAIL): t_rtc.*\n", PROGRAM_TIMEOUT)
    assert result[1] == "PASS", result[0]
    run.expect(r"^init: exited with status 0\n")
    run.expect(r"^power: off through PSCI\n")
    run.wait_exit()
