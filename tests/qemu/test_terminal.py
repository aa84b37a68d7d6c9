# tests/qemu/test_terminal.py: terminals. First, the QEMU runs inside the
# build work when make is started from an interactive terminal; then the
# serial terminal pl011d serves inside Anode (below).
#
# The build: the QEMU runs inside the build work when make
# is started from an interactive terminal. pexpect gives make a pseudo-
# terminal as its controlling terminal, with make in the foreground process
# group, as a shell does. A QEMU run that a rule moves into a background
# process group (plain `timeout` does) and that touches the terminal is
# stopped by SIGTTOU/SIGTTIN and hangs until its time-out.
import re
import subprocess

import pexpect

from anode import ROOT
from test_rpi3 import rpi3_dtb  # noqa: F401 (the fixture: Debian's Pi 3 tree)

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


# ---- The serial terminal served by pl011d (drivers/pl011d) ----
# The boot chain brings it up: init starts drvmgr, which starts pl011d for
# the UART's node with its grant narrowed to it; pl011d maps the UART (the
# kernel hands the console over), claims its interrupt and serves serial:0;
# init runs PROG (init=PROG -- ARGS) there in a session of its own, with
# serial:0 as its controlling terminal, and powers off with its status. Input typed here goes
# through the PL011's receive interrupt and the line discipline
# (drivers/tty/ldisc.h); output through its transmit interrupt.

VIRT_UART = "/pl011@9000000"
RPI3_UART = "/soc/serial@7e201000"  # UART0, 0x3F201000 after the soc's ranges
HANDED_OVER = r"^console: pl011 handed over to user space; kernel messages go to the log\n"
PROMPT = r"/ # (?:\x1b\[6n)?$"  # ash asks where the cursor is (ESC [ 6 n) when no input waits
SHELL_WAIT = 60  # s for busybox to start under a loaded 2-core TCG


def serial_run(qemu, prog, machine="virt", **opts):
    """Boots with init running prog on serial:0; returns the run once the
    kernel's hand-over line came through pl011d (kmsg: copied by it)."""
    path, _, args = prog.partition(" ")
    run = qemu(machine=machine, append=f"init={path}" + (f" -- {args}" if args else ""), **opts)
    run.expect(HANDED_OVER, SHELL_WAIT)
    return run


def shell(qemu, **opts):
    run = serial_run(qemu, "/bin/busybox sh -i", **opts)
    run.expect(PROMPT, SHELL_WAIT)
    return run


def test_serial_shell_echo_and_exit(qemu):
    """A shell on serial:0: typed characters echo, a command runs, the
    /dev nodes are the serial terminal, exit ends the system with its
    status (the kernel's last lines still show)."""
    run = shell(qemu)
    run.child.send("echo hel")
    run.expect(r"echo hel")  # echoed as typed
    run.child.send("lo there\n")
    run.expect(r"^hello there\n")
    run.expect(PROMPT)
    # /dev/ttyAMA0 and /dev/console name serial:0 now (debug: has no
    # window size: ENOTTY).
    run.child.send("stty -F /dev/ttyAMA0 rows 25 cols 90; stty -F /dev/console size\n")
    run.expect(r"^25 90\n")
    run.expect(PROMPT)
    run.child.send("exit 7\n")
    run.expect(r"^init: exited with status 7\n")
    run.wait_exit()


def test_serial_line_editing(qemu):
    """Canonical mode: erase (DEL), word erase (^W) and kill (^U) edit the
    line before the program reads it."""
    for typed, want in (("abx\x7fc\n", "abc"), ("foo bar\x17baz\n", "foo baz"),
                        ("junk\x15kept\n", "kept")):
        run = serial_run(qemu, "/tests/ttyprobe line")
        run.expect(r"^type a line\n")
        run.child.send(typed)
        run.expect(rf"^line: \[{re.escape(want)}\]\n")
        run.expect(r"^PASS: ttyprobe line\n")
        run.wait_exit()


def test_serial_ctrl_c_interrupts_foreground_only(qemu):
    """^C sends SIGINT to the foreground group (the sleep), not to the shell."""
    run = shell(qemu)
    run.child.send("sleep 100\n")
    run.expect(r"sleep 100\n")
    run.child.send("\x03")
    run.expect(PROMPT, 20)
    run.child.send("echo alive $?\n")
    run.expect(r"^alive 130\n")
    run.child.send("exit\n")
    run.expect(r"^init: exited with status 0\n")


def test_serial_raw_mode_single_bytes(qemu):
    """Raw mode (VMIN 1): each byte is a read of its own, without a newline."""
    run = serial_run(qemu, "/tests/ttyprobe raw 3")
    run.expect(r"raw ready\n")
    for c in "xyz":
        run.child.send(c)
    run.expect(r"^raw: 78 79 7a \(3 reads\)\n")
    run.expect(r"^PASS: ttyprobe raw\n")


def test_serial_vtime_read_timer(qemu):
    """VMIN 0, VTIME 2: a read with no input ends with 0 after ~200 ms."""
    run = serial_run(qemu, "/tests/ttyprobe vtime")
    run.expect(r"^vtime: read 0 after \d+ ms\n")
    run.expect(r"^PASS: ttyprobe vtime\n")


def test_serial_background_jobs(qemu):
    """Job control: a background reader gets SIGTTIN, a background writer
    SIGTTOU under TOSTOP (unless it ignores SIGTTOU)."""
    run = serial_run(qemu, "/tests/ttyprobe bgjob")
    run.expect(r"^bgjob: background reader stopped by SIGTTIN\n")
    run.expect(r"^bgjob: background writer stopped by SIGTTOU\n")
    run.expect(r"^bgjob: background write\n")
    run.expect(r"^PASS: ttyprobe bgjob\n")


FLOOD = 6000  # bytes: more than the 4 KiB input buffer and the FIFO together


def test_serial_raw_flood_throttles(qemu):
    """Raw input beyond the 4 KiB buffer while nobody reads: pl011d stops
    receiving (QEMU then holds the rest) instead of dropping bytes."""
    run = serial_run(qemu, f"/tests/ttyprobe flood {FLOOD}")
    run.expect(r"flood ready\n")
    run.child.send("".join(chr(ord("a") + i % 26) for i in range(FLOOD)))
    run.expect(rf"^flood: {FLOOD} bytes in order")
    run.expect(r"^PASS: ttyprobe flood\n")


def test_serial_window_size(qemu):
    """TIOCGWINSZ: 0x0 at first (as a Linux serial port), then what TIOCSWINSZ set."""
    run = serial_run(qemu, "/tests/ttyprobe winsz")
    run.expect(r"^winsz 0 0\n")
    run.expect(r"^winsz 30 100\n")
    run.expect(r"^PASS: ttyprobe winsz\n")


def test_serial_bad_ioctls_keep_serving(qemu):
    """Unknown ioctl, bad pointer, bad values: errors, and pl011d serves on."""
    run = serial_run(qemu, "/tests/ttyprobe badioctl")
    run.expect(r"^PASS: ttyprobe badioctl\n")
    run.expect(r"^init: exited with status 0\n")


def test_serial_kill_daemon_gives_eio(qemu):
    """kill -9 of pl011d: a read waiting on its terminal and a later write
    fail with EIO instead of hanging; the kernel's lines still come out."""
    run = qemu(append="init=/tests/ttyprobe -- killd")
    run.expect(r"^killd: before\n")
    run.expect(r"^PASS: ttyprobe killd\n")
    run.expect(r"^init: exited with status 0\n")


def test_serial_onlcr(kernel_dir):
    """Output processing: ONLCR turns "\\n" into "\\r\\n"; without OPOST it
    does not. Read from a pipe, not a terminal, to see the bytes as sent."""
    r = subprocess.run(["qemu-system-aarch64", "-M", "virt", "-cpu", "cortex-a57", "-m", "1G",
                        "-nographic", "-no-reboot", "-nic", "none",
                        "-kernel", str(kernel_dir / "kernel.img"), "-append",
                        "init=/tests/ttyprobe -- onlcr"],
                       stdin=subprocess.DEVNULL, capture_output=True, timeout=120)
    out = r.stdout
    assert b"onlcr A\r\nonlcr B\r\n" in out, out[-2000:]
    assert b"plain C\nplain D\n" in out and b"\rplain D" not in out, out[-2000:]
    assert b"PASS: ttyprobe onlcr" in out, out[-2000:]


def test_rpi3_serial_shell(qemu, rpi3_dtb):
    """raspi3b: pl011d finds UART0 and its BCM2835 interrupt from the tree
    and serves a shell there too."""
    run = shell(qemu, machine="raspi3b", cpu="cortex-a53", memory="1G",
                extra=["-dtb", str(rpi3_dtb)])
    run.child.send("echo pi $((6*7))\n")
    run.expect(r"^pi 42\n")
    run.child.send("exit 0\n")
    run.expect(r"^init: exited with status 0\n", 60)


def test_serial_power_off_line_from_kernel(qemu):
    """reboot(2) while pl011d owns the UART: the program's last line came
    through pl011d, the kernel's power-off line is written by the kernel
    itself (it takes the console back)."""
    run = serial_run(qemu, "/tests/t_reboot")
    run.expect(r"^t_reboot: powering off\n")
    run.expect(r"^power: off through PSCI\n")
    run.wait_exit()
