# tests/qemu/test_conwrite.py: big console writes through pl011d reach the
# serial line whole. tests/user/t_conwrite writes a known pattern to its
# stdout (serial:0) in one write each: 4 KiB and 64 KiB blocking (the full
# count must come back) and 64 KiB with O_NONBLOCK (short writes, EAGAIN
# and poll(POLLOUT)); here every pattern line must arrive, in order, with
# nothing lost or doubled. A blocking write larger than the daemon's output
# queue used to wait for a TX interrupt that never came (the queue had
# drained into the FIFO, so TXIM stayed masked).
import re

from test_user import PROGRAM_TIMEOUT, run_init

NAME = "t_conwrite"
LINE_BYTES, LINE_HEAD, LETTERS, LETTER_STEP = 64, 11, 26, 7  # as in t_conwrite.c
STAGES = [("A", 4096), ("B", 65536), ("C", 65536)]


def pattern(tag, size):
    """The lines t_conwrite writes for a stage (its pattern())."""
    lines = []
    for line in range(size // LINE_BYTES):
        letters = "".join(chr(ord("a") + (line * LETTER_STEP + i) % LETTERS)
                          for i in range(LINE_HEAD, LINE_BYTES - 1))
        lines.append(f"cw{tag} {line:06d} {letters}\n")
    return "".join(lines)


def test_conwrite(qemu):
    run = run_init(qemu, f"/tests/{NAME}")
    result = run.expect(rf"^(PASS|FAIL): {NAME}.*\n", PROGRAM_TIMEOUT)
    assert result[1] == "PASS", result[0]
    run.expect(r"^init: exited with status 0\n")
    run.wait_exit()
    out = run.transcript()
    for tag, size in STAGES:
        start = re.search(rf"^{NAME}: stage {tag}: {size} bytes, .*\n", out, re.M)
        assert start, f"stage {tag} never started"
        # Only the pattern's lines, so other lines in between do not count.
        got = "".join(re.findall(rf"^cw{tag} .*\n", out[start.end():], re.M))
        want = pattern(tag, size)
        assert got == want, (f"stage {tag}: {len(got)} of {len(want)} pattern bytes arrived; "
                             f"first difference at byte "
                             f"{next((i for i, (a, b) in enumerate(zip(got, want)) if a != b), min(len(got), len(want)))}")
