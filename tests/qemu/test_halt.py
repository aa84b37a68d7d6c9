# tests/qemu/test_halt.py: when the kernel stops for good (a panic, or a
# power-off with no way to power off) it says how to leave QEMU, whose
# -nographic terminal is otherwise stuck: the line after "System halted."
# or the power-off message is the hint.
HINT = r"To leave QEMU: press Ctrl-A, then X\.\n"


def test_panic_says_how_to_leave_qemu(qemu):
    """selftest=fault panics (test_fault.py checks the report itself)."""
    run = qemu(append="selftest=fault", fail_on=())
    run.expect_boot()
    run.expect(r"^System halted\.\n" + HINT)


def test_halt_without_power_off_says_how_to_leave_qemu(qemu):
    """Entered at EL3 with no firmware there is no PSCI: after the first
    process exits the kernel halts instead of powering off."""
    run = qemu(machine="virt,secure=on", append="init=/bin/true")
    run.expect_boot()
    run.expect(r"^init: exited with status 0\n")
    run.expect(r"^power: no way to power off \(no PSCI: entered at EL3 without firmware\); "
               r"halting\n" + HINT)
