# tests/qemu/test_fault.py: `selftest=fault` writes to an unmapped address
# from selftest_fault_victim; the panic report must decode the fault and
# walk the stack back through kmain, then halt.
import re

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
