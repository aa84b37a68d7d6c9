# tests/qemu/test_boot.py: a plain boot (no self-tests): the boot log, the
# 10 ms tick measured over 100 ticks, and the kernel command line echo. What
# the kernel does after the tick report is not checked here; QEMU is killed.
import re

import pytest

TICK_MS = (900, 1300)  # 100 ticks of 10 ms; wide for TCG on a loaded machine


def test_plain_boot_ticks(qemu):
    run = qemu()
    run.expect_boot()
    m = run.expect(r"^timer: tick running: 100 ticks in (\d+) ms\n", timeout=60)
    assert TICK_MS[0] <= int(m[1]) <= TICK_MS[1], f"100 ticks took {m[1]} ms"


@pytest.mark.parametrize("cmdline", ["quiet foo=bar"])
def test_cmdline_echo(qemu, cmdline):
    qemu(append=cmdline).expect(rf'^cmdline: "{re.escape(cmdline)}"\n')
