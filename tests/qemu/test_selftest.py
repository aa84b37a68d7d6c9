# tests/qemu/test_selftest.py: `-append selftest` across entry ELs, CPUs,
# RAM sizes, GIC versions and SMP: every in-kernel self-test passes, then the
# kernel powers off through PSCI (or, at EL3 with no firmware, halts).
import re

import pytest

EL3 = "virt,secure=on,virtualization=on"
CONFIGS = {  # test id: Qemu options
    "el1": dict(machine="virt"),
    "el2": dict(machine="virt,virtualization=on"),
    "el3": dict(machine=EL3),
    "cpu-max": dict(cpu="max"),
    "mem-256M": dict(memory="256M"),
    "mem-4G": dict(memory="4G"),
    "gicv3": dict(machine="virt,gic-version=3"),
    "el2-gicv3": dict(machine="virt,virtualization=on,gic-version=3"),
    "el3-gicv3": dict(machine=EL3 + ",gic-version=3"),
    "el3-smp2": dict(machine=EL3, extra=["-smp", "2"]),
}
SELFTEST_TIMEOUT = 60  # s from kmain to the summary line
FAILURE = r"^selftest: (.*?) +(FAIL.*)$"  # the runner pads names, then "ok" or "FAIL: why"


@pytest.mark.parametrize("opts", CONFIGS.values(), ids=CONFIGS.keys())
def test_selftests_pass(qemu, opts):
    run = qemu(append="selftest", **opts)
    run.expect_boot()
    passed, failed = map(int, run.expect(r"^(\d+) passed, (\d+) failed\n", SELFTEST_TIMEOUT).groups())
    run.expect(r"^boot: self-tests ended \d+ us after reset\n")
    if run.entry_el == 3:  # no firmware, so no PSCI: the kernel halts
        run.expect(r"^power: no way to power off \(no PSCI: entered at EL3 without firmware\); halting\n")
    else:
        run.expect(r"^power: off through PSCI\n")
        run.wait_exit()
    failures = [f"{name}: {why}" for name, why in re.findall(FAILURE, run.transcript(), re.M)]
    assert not failures and failed == 0, f"{failed} kernel self-test(s) failed: {failures}"
    assert passed >= 1, "no self-tests ran"
