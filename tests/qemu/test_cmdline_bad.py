# tests/qemu/test_cmdline_bad.py: a kernel command line with unknown,
# overlong and too many words (kernel/cmdline.c, kmain): an unknown word is
# named in the log and ignored, a word as long as a line is taken whole,
# and a line over CMDLINE_MAX bytes or CMDLINE_MAX_WORDS words is ignored
# as a whole with a line saying so; the boot goes on each time.
import pytest

PROGRAM_TIMEOUT = 60  # s from boot to init's exit under TCG
CMDLINE_MAX = 1024  # kernel/cmdline.h: bytes, NUL included
CMDLINE_MAX_WORDS = 64
LONG_VALUE = "v" * (CMDLINE_MAX - 64)  # one word near the line's limit


def test_unknown_and_overlong_words(qemu):
    run = qemu(append=f"bogus init=/bin/true long={LONG_VALUE} quiet")
    run.expect(r'^cmdline: unknown word "bogus", ignored\n')
    # printk's line limit cuts the long word's report short; it says so.
    run.expect(r'^cmdline: unknown word "long=v+(\.\.\.|", ignored)\n')
    run.expect(r'^cmdline: unknown word "quiet", ignored\n')
    run.expect(r"^init: exited with status 0\n", PROGRAM_TIMEOUT)
    run.wait_exit()
    assert "unknown word \"init" not in run.transcript()


BAD_LINES = {
    "too-long": "x" * CMDLINE_MAX,
    "too-many-words": " ".join(["w"] * (CMDLINE_MAX_WORDS + 1)),
}


@pytest.mark.parametrize("case", BAD_LINES)
def test_bad_line_is_ignored_whole(qemu, case):
    """The whole line is dropped, so init= in it is not taken either:
    init runs its own main program (the boot gets to the first process)."""
    run = qemu(append=f"{BAD_LINES[case]} init=/bin/false")
    run.expect(r"^cmdline: too long or too many words, ignored\n")
    run.expect(r"^boot: first process ready \d+ us after reset\n", PROGRAM_TIMEOUT)
    assert "unknown word" not in run.transcript()
