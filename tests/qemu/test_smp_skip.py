# tests/qemu/test_smp_skip.py: a CPU the device tree names but that never
# runs is reported and skipped, never waited on for good, and the CPUs
# that did come up run user space. QEMU virt -smp 2's own tree, dumped and
# given more CPU nodes with fdtput (test_dtb_bad's helpers):
# - cpu@2 with enable-method psci: QEMU has no CPU 2, so PSCI CPU_ON
#   answers INVALID_PARAMETERS and the kernel skips it at once;
# - cpu@3 with a spin table whose release address is reserved RAM no core
#   watches: the kernel writes its entry there and gives up after 2 s;
# - cpu@3 with a release address outside RAM, or unaligned: refused before
#   anything is written (it was a kernel data abort).
# /proc/cpuinfo and /proc/stat then list the two CPUs that run, sys:cpus
# the skipped ones as failed.
import re

import pytest

from test_dtb_bad import dump_virt, edited
from test_smp import COUNT_CPUS

PROGRAM_TIMEOUT = 120  # s from boot to the program's PASS, 2 CPUs on a loaded host
SMP_UP_TIMEOUT = 60    # s to "smp: N CPUs online" (a spin-table CPU costs 2 s)
SPIN_PAGE = 0x7FF00000  # a page of virt's RAM [0x40000000, 0x80000000), reserved below
PAGE = 0x1000
OUTSIDE_RAM = 0x1000  # virt's flash: no RAM there


@pytest.fixture(scope="module")
def virt2_dtb(tmp_path_factory):
    """QEMU virt's own tree with 2 CPUs, dumped once."""
    return dump_virt(tmp_path_factory.mktemp("dtb") / "virt2.dtb", "-smp", "2")


def cpu_node(n, method, *props):
    """fdtput edits adding /cpus/cpu@n with enable-method method."""
    node = f"/cpus/cpu@{n}"
    return [["-c", node], ["-t", "s", node, "device_type", "cpu"],
            ["-t", "s", node, "compatible", "arm,cortex-a57"],
            ["-t", "x", node, "reg", f"{n:#x}"],
            ["-t", "s", node, "enable-method", method], *props]


def spin_cpu(n, release):
    return cpu_node(n, "spin-table", ["-t", "x", f"/cpus/cpu@{n}", "cpu-release-addr",
                                      f"{release >> 32:#x}", f"{release & 0xFFFFFFFF:#x}"])


# The release page reserved, as firmware reserves its spin table.
RESERVED = [["-c", "/reserved-memory"], ["-t", "u", "/reserved-memory", "#address-cells", "2"],
            ["-t", "u", "/reserved-memory", "#size-cells", "2"],
            ["-t", "x", "/reserved-memory", "ranges"],  # empty: one address space
            ["-c", f"/reserved-memory/spin@{SPIN_PAGE:x}"],
            ["-t", "x", f"/reserved-memory/spin@{SPIN_PAGE:x}", "reg",
             "0", f"{SPIN_PAGE:#x}", "0", f"{PAGE:#x}"]]


def boot_two_of(qemu, dtb, skipped):
    """Boots with dtb, expects 2 CPUs online after each line of skipped
    (in the tree's order, which fdtput's new nodes head), then a threaded
    test passing on them."""
    run = qemu(append=f'init=/bin/sh -- -c "/tests/t_thread; {COUNT_CPUS}; '
               f'echo failed $(grep -c failed sys:cpus)"', smp=2,
               extra=["-dtb", str(dtb)])
    run.expect_boot()
    run.expect(r"^smp: 2 CPUs online\n", SMP_UP_TIMEOUT)
    for line in skipped:
        assert re.search(line, run.transcript(), re.M), f"no line like {line!r}"
    result = run.expect(r"^(PASS|FAIL): t_thread.*\n", PROGRAM_TIMEOUT)
    assert result[1] == "PASS", result[0]
    run.expect(r"^cpus 2 2\n")  # /proc lists the CPUs that run, not the tree's
    run.expect(rf"^failed {len(skipped)}\n")  # sys:cpus lists each one tried
    run.expect(r"^init: exited with status 0\n")
    return run


def test_cpus_that_never_run_are_skipped(qemu, virt2_dtb, tmp_path):
    dtb = edited(tmp_path, virt2_dtb, "absent", *RESERVED, *cpu_node(2, "psci"),
                 *spin_cpu(3, SPIN_PAGE))
    run = boot_two_of(qemu, dtb, [
        r"^smp: CPU \d \(mpidr 0x2\) not started \(-\d+\), skipped\n",
        r"^smp: CPU \d \(mpidr 0x3\) did not come up in 2000 ms, skipped\n"])
    assert "up (mpidr 0x2)" not in run.transcript()
    assert "up (mpidr 0x3)" not in run.transcript()


@pytest.mark.parametrize("release", [OUTSIDE_RAM, SPIN_PAGE + 4], ids=["outside-ram", "unaligned"])
def test_bad_release_address_is_refused(qemu, virt2_dtb, tmp_path, release):
    dtb = edited(tmp_path, virt2_dtb, "badrel", *RESERVED, *spin_cpu(2, release))
    boot_two_of(qemu, dtb, [r"^smp: CPU \d \(mpidr 0x2\) not started \(-22\), skipped\n"])
