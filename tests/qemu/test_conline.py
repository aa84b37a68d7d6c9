# tests/qemu/test_conline.py: kernel log lines never land inside a
# program's line on the serial console (drivers/pl011d/kmsg.c).
# tests/user/t_conline writes lines to serial:0 in two pieces with a line
# put into the kernel log between them, then leaves a prompt open with a
# kernel line behind it: every program line must arrive whole, every
# kernel line whole and at the start of a line (after the prompt's hold
# runs out pl011d ends the prompt's line first). A line written to the log
# (debug:) in two pieces around a printk: the printk starts a fresh line.
# A kernel line logged just before a program's line comes out before it.
import re

from test_user import PROGRAM_TIMEOUT, run_init

NAME = "t_conline"
ROUNDS = 10  # as in t_conline.c


def lines(out):
    """The transcript's lines without their line endings (\r\n on a tty)."""
    return [l.rstrip("\r") for l in out.split("\n")]


def test_conline(qemu):
    run = run_init(qemu, f"/tests/{NAME}")
    run.expect(r"^init: exited with status \d+\n", PROGRAM_TIMEOUT)
    run.wait_exit()
    got = lines(run.transcript())
    verdict = [l for l in got if l.startswith((f"PASS: {NAME}", f"FAIL: {NAME}"))]
    assert verdict == [f"PASS: {NAME}"], verdict
    for r in range(ROUNDS):
        assert f"conline {r}: left right" in got, f"round {r}: the program's line was cut"
        assert f"conline-kernel {r}" in got, f"round {r}: the kernel line was not whole"
    assert "conline-kernel prompt" in got, "the kernel line behind the prompt was not whole"
    assert any(re.fullmatch(r"conline-prompt> (typed)?", l) for l in got), \
        "the prompt's line was cut"
    assert "conline-debug left " in got, "the printk did not start on a fresh line"
    assert any(re.fullmatch(r"syscall: unknown number 244 from pid \d+ \(t_conline\): -ENOSYS", l)
               for l in got), "the printk's line was not whole"
    for r in range(ROUNDS):
        before, after = f"conline-before {r}", f"conline-after {r}"
        assert before in got and after in got, f"round {r}: a line of the order check is missing"
        assert got.index(before) < got.index(after), \
            f"round {r}: the program's line overtook the kernel line logged before it"
