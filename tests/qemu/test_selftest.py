# tests/qemu/test_selftest.py: `-append selftest` across entry ELs, CPUs,
# RAM sizes, GIC versions and SMP: the 10 ms tick measured over five windows of 20 ticks,
# every in-kernel self-test passes (the expected ones skipped), then the
# kernel powers off through PSCI (or, at EL3 with no firmware, halts).
import pytest

from anode import SELFTEST_TIMEOUT

TICK_MS = (190, 220)  # 20 ticks of 10 ms, the median window: the kernel's own bounds (95%-110%)

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


@pytest.mark.parametrize("opts", CONFIGS.values(), ids=CONFIGS.keys())
def test_selftests_pass(qemu, opts):
    run = qemu(append="selftest", **opts)
    run.expect_boot()
    m = run.expect(r"^timer: tick running: 20 ticks in (\d+) ms \(median of 5 windows\)\n",
                   SELFTEST_TIMEOUT)
    assert TICK_MS[0] <= int(m[1]) <= TICK_MS[1], f"20 ticks took {m[1]} ms"
    run.expect_selftest_result(SELFTEST_TIMEOUT)
    run.expect(r"^boot: self-tests ended \d+ us after reset\n")
    if run.entry_el == 3:  # no firmware, so no PSCI: the kernel halts
        run.expect(r"^power: no way to power off \(no PSCI: entered at EL3 without firmware\); halting\n")
    else:
        run.expect(r"^power: off through PSCI\n")
        run.wait_exit()
