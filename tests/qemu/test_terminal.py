# tests/qemu/test_terminal.py: the QEMU runs inside the build work when make
# is started from an interactive terminal. pexpect gives make a pseudo-
# terminal as its controlling terminal, with make in the foreground process
# group, as a shell does. A QEMU run that a rule moves into a background
# process group (plain `timeout` does) and that touches the terminal is
# stopped by SIGTTOU/SIGTTIN and hangs until its time-out.
import pexpect

from anode import ROOT

# The dtb dump takes well under a second; the old rule hung for its whole
# 60 s time-out. The bound leaves room for a loaded 2-core machine.
DTB_BOUND = 30  # s
FDT_MAGIC = bytes.fromhex("d00dfeed")  # a flattened device tree's first word


def test_dtb_dump_from_a_terminal(tmp_path):
    """`make build/host/virt.dtb` (a prerequisite of make test-host) under a
    terminal finishes at once and writes a device tree."""
    dtb = tmp_path / "virt.dtb"
    child = pexpect.spawn("make", ["--no-print-directory", f"HOST_BUILD={tmp_path}", str(dtb)],
                          cwd=str(ROOT), encoding="utf-8", codec_errors="replace")
    try:
        i = child.expect([pexpect.EOF, pexpect.TIMEOUT], timeout=DTB_BOUND)
        output = child.before
    finally:
        child.close(force=True)  # the hang-up also ends a stopped QEMU
    assert i == 0, f"make {dtb} hung for {DTB_BOUND} s under a terminal:\n{output}"
    assert child.exitstatus == 0, f"make {dtb} failed:\n{output}"
    assert dtb.read_bytes()[:4] == FDT_MAGIC, f"{dtb} is not a device tree"
