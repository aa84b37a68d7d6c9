# tests/qemu/test_boot.py: a plain boot (no self-tests): the boot log up to
# the first process, with no wait on purpose on the way (the tick is
# measured by the self-tests, test_selftest.py), and the kernel command line
# echo. What the first process does is not checked here; QEMU is killed.
import re

import pytest

FIRST_PROCESS_MAX_MS = 500  # reset to first process; the tick report took 1 s
# Guest time under -icount shift=0 (a guest nanosecond per instruction): the
# figure no longer depends on the host's load, yet an idle wait still shows
# as time (icount's default sleep=on lets the clock run while the CPU waits).
ICOUNT = ("-icount", "shift=0")


def test_plain_boot_does_not_wait(qemu):
    run = qemu(extra=ICOUNT)
    run.expect_boot()
    us = int(run.expect(r"^boot: first process ready (\d+) us after reset\n")[1])
    assert "tick running" not in run.transcript(), "a plain boot measured the tick"
    assert us <= FIRST_PROCESS_MAX_MS * 1000, f"first process ready {us} us after reset"


@pytest.mark.parametrize("cmdline", ["quiet foo=bar"])
def test_cmdline_echo(qemu, cmdline):
    qemu(append=cmdline).expect(rf'^cmdline: "{re.escape(cmdline)}"\n')
