# tests/qemu/test_fault.py: the kernel's panic reports. `selftest=fault`
# writes to an unmapped address from selftest_fault_victim; the report must
# decode the fault and walk the stack back through kmain, then halt.
# `selftest=overflow` overflows the kernel stack into its guard.
import re

STACK_SHIFT = 14  # KERNEL_STACK_SHIFT (mm/layout.h): stacks are the upper half of a slot
FRAME = re.compile(r"^  #(\d+) +0x[0-9a-f]+ (\w+)\+0x[0-9a-f]+$", re.M)


def test_data_abort_report(qemu):
    run = qemu(append="selftest=fault", fail_on=())
    run.expect_boot()
    run.expect(r"^PANIC: unexpected exception: EL1h sync\n")
    run.expect(r"^ +ESR 0x[0-9a-f]+ +class 0x25: data abort from the same EL\n")
    run.expect(r"^ +FAR 0xfffffefffffff000 +translation fault at level 0, on a write\n")
    run.expect(r"^Backtrace:\n")
    frames = run.expect(r"((?:^  #.*\n)+)^System halted\.\n")[1]
    names = [name for _, name in FRAME.findall(frames)]
    assert names and names[0] == "selftest_fault_victim", f"frame #0 is not the victim: {frames}"
    assert "kmain" in names[1:], f"no kmain frame in the backtrace: {frames}"


def test_stack_overflow_report(qemu):
    """selftest=overflow recurses until the kernel stack reaches its guard:
    the vector notices before pushing into it, reports on the per-CPU
    overflow stack, and names the recursing function."""
    run = qemu(append="selftest=overflow", fail_on=())
    run.expect_boot()
    run.expect(r"^PANIC: unexpected exception: kernel stack overflow\n")
    far = int(run.expect(r"^ +FAR (0x[0-9a-f]+) +translation fault at level 3, on a write\n")[1], 16)
    sp = int(run.expect(r"^ +ELR 0x[0-9a-f]+ +SPSR 0x[0-9a-f]+ +SP (0x[0-9a-f]+)\n")[1], 16)
    assert far >> STACK_SHIFT == sp >> STACK_SHIFT and not (sp >> STACK_SHIFT) & 1, f"SP {sp:#x} is not in a guard"
    run.expect(r"^Backtrace:\n")
    frames = run.expect(r"((?:^  #.*\n)+)^System halted\.\n")[1]
    names = [name for _, name in FRAME.findall(frames)]
    assert names[:2] == ["selftest_overflow_recurse"] * 2, f"not the recursion: {frames}"
