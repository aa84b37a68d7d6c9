"""tests/qemu/test_gdb.py: the GDB support (tools/gdb/). Two scripted
gdb-multiarch -batch sessions with tools/gdb/gdbinit, each attached to its
own QEMU started halted with its GDB stub. The first breaks in the boot stub
at its physical address (MMU off), then in C at virtual addresses (kmain,
driver_probe_all, after sched_init) and runs the anode-* commands at each
stop; the second goes straight to the system-call path, stopping when the
first user program (init) makes a system call. Every wait is bounded; QEMU
is killed at the end of each. Also `make gdb` itself: with no stub
listening it fails at once saying to run `make debug`, and with one it
attaches."""
import os
import re
import socket
import subprocess
import tempfile
import time

import pytest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KERNEL_IMG = os.path.join(TOP, "build", "kernel.img")
KERNEL_ELF = os.path.join(TOP, "build", "kernel.elf")
GDBINIT = os.path.join("tools", "gdb", "gdbinit")
QEMU = ["qemu-system-aarch64", "-M", "virt", "-cpu", "cortex-a57", "-m", "1G",
        "-nographic", "-serial", "null", "-monitor", "none", "-nic", "none",
        "-no-reboot"]
LOAD_PA = 0x40200000  # where QEMU virt's -kernel puts the Image
KERNEL_VBASE = 0xffffff0000000000  # mm/layout.h: the link address
STUB_WAIT_S = 30      # QEMU start-up until its GDB stub accepts connections
GDB_TIMEOUT_S = 60    # the whole scripted session (well under 1 s normally)
PORT_ATTEMPTS = 3     # another process may take the free port first
MAKE_GDB_FAIL_S = 5   # make gdb with no stub: fails at once (gdb alone waits 15 s)

# The sessions: "echo @@name" starts the output section `name`.
BOOT_SCRIPT = """
echo @@stub\\n
break _start
continue
print/x $pc
echo @@kmain\\n
break kmain
continue
print/x $pc
bt
print boot_el
print/x kernel_phys_base
echo @@probe\\n
break driver_probe_all
continue
echo @@walk-text\\n
anode-walk kmain
echo @@walk-text-phys\\n
anode-walk -p kmain
echo @@walk-data\\n
anode-walk &boot_el
echo @@walk-unmapped\\n
anode-walk 0xffff800000000000
echo @@dmesg\\n
anode-dmesg
echo @@thread\\n
anode-thread
echo @@runqueue\\n
anode-runqueue
echo @@sched\\n
break proc_init_first
continue
anode-thread
echo @@end\\n
kill
"""

# syscall_dispatch is inlined, its tf optimized out at some of its
# locations: the walk reads tf from its caller's frame (`up`).
SYSCALL_SCRIPT = """
echo @@syscall\\n
break syscall_dispatch
continue
bt
anode-thread
echo @@runqueue-user\\n
anode-runqueue
echo @@walk-user\\n
up
anode-walk tf->elr
echo @@end\\n
kill
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_qemu():
    """QEMU halted (-S) with its GDB stub on a free local port, once the stub
    accepts connections: (process, port)."""
    for _ in range(PORT_ATTEMPTS):
        port = free_port()
        err = tempfile.TemporaryFile()
        proc = subprocess.Popen(QEMU + ["-kernel", KERNEL_IMG, "-S", "-gdb", f"tcp:127.0.0.1:{port}"],
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=err, cwd=TOP)
        deadline = time.monotonic() + STUB_WAIT_S
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                err.close()  # QEMU keeps its own descriptor
                return proc, port
            except OSError:
                time.sleep(0.05)
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
            pytest.fail(f"QEMU's GDB stub did not accept connections within {STUB_WAIT_S} s")
        err.seek(0)
        message = err.read().decode(errors="replace")
        err.close()
        if "Address already in use" not in message:
            pytest.fail(f"QEMU exited: {message}")
    pytest.fail("no free port for QEMU's GDB stub")


def sections(output):
    """The session output split at the @@name markers."""
    parts, name = {}, None
    for line in output.splitlines():
        m = re.match(r"^@@([\w-]+)$", line)
        if m:
            name = m.group(1)
            parts[name] = ""
        elif name:
            parts[name] += line + "\n"
    return parts


def run_session(script):
    """Runs one scripted gdb session against a fresh halted QEMU; returns its
    output split into sections (plus "all")."""
    for path in (KERNEL_IMG, KERNEL_ELF):
        if not os.path.exists(path):
            pytest.fail(f"{path} missing: run make first")
    qemu, port = start_qemu()
    try:
        cmd = ["gdb-multiarch", "-nx", "-batch", "-x", GDBINIT,
               "-ex", f"target remote 127.0.0.1:{port}"]
        for line in script.strip().splitlines():
            cmd += ["-ex", line]
        try:
            output = subprocess.run(cmd, cwd=TOP, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT, timeout=GDB_TIMEOUT_S).stdout
        except subprocess.TimeoutExpired as e:  # gdb is killed; show how far it got
            output = (e.output or b"") + f"\n[gdb timed out after {GDB_TIMEOUT_S} s]\n".encode()
        output = output.decode(errors="replace")
    finally:
        qemu.kill()
        qemu.wait(timeout=10)
    parts = sections(output)
    assert "end" in parts, "the session did not run to its end:\n" + output
    parts["all"] = output
    return parts


@pytest.fixture(scope="module")
def session():
    """The boot session (stub, kmain, driver probing, the scheduler)."""
    return run_session(BOOT_SCRIPT)


@pytest.fixture(scope="module")
def syscall_session():
    """The second session: straight to the system-call path."""
    return run_session(SYSCALL_SCRIPT)


def make_gdb(port, *args):
    """`make gdb GDB_PORT=port ...`: (status, output, seconds taken)."""
    start = time.monotonic()
    r = subprocess.run(["make", "--no-print-directory", "gdb", f"GDB_PORT={port}", *args], cwd=TOP,
                       stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, timeout=GDB_TIMEOUT_S)
    return r.returncode, r.stdout, time.monotonic() - start


def test_make_gdb_without_stub_fails_fast(kernel_dir):
    """With no QEMU waiting, make gdb says to run make debug first, at once
    (gdb itself would retry for 15 s, then report a time-out)."""
    status, out, took = make_gdb(free_port())
    assert status != 0, out
    assert re.search(r"^gdb: nothing listens on port \d+: .*make debug GDB_PORT=\d+$", out, re.M), out
    assert took < MAKE_GDB_FAIL_S, f"make gdb took {took:.1f} s to fail"


def test_make_gdb_attaches_to_the_stub(kernel_dir):
    """The check lets make gdb through to a listening stub (gdb in batch
    mode: it attaches, runs gdbinit, detaches)."""
    qemu, port = start_qemu()
    try:
        status, out, _ = make_gdb(port, "GDB=gdb-multiarch -nx -batch")
    finally:
        qemu.kill()
        qemu.wait(timeout=10)
    assert status == 0 and "[Inferior 1 (process 1) detached]" in out, out


def test_gdbinit_loads_both_symbol_copies(session):
    head = session["all"].split("@@stub")[0]
    assert re.search(r"symbols at link address 0xffffff0000000000 .* and at physical "
                     rf"{LOAD_PA:#x}", head), head


def test_breaks_in_boot_stub_with_mmu_off(session):
    out = session["stub"]
    assert re.search(r"Breakpoint \d+(\.\d+)?, _start \(\) at arch/aarch64/boot/head.S", out), out
    assert f"= {LOAD_PA:#x}" in out, out


def test_breaks_in_kmain_with_backtrace(session):
    out = session["kmain"]
    assert re.search(r"Breakpoint \d+(\.\d+)?, kmain \(", out), out
    assert re.search(r"= 0xffffff00000[0-9a-f]{5}\n", out), out  # pc: virtual
    assert re.search(r"^#0\s+kmain \(", out, re.M), out
    assert re.search(r"^#1\s+.* in el1_boot \(", out, re.M), out
    # el1_boot's CFI marks it outermost: the backtrace ends there cleanly.
    assert "Backtrace stopped" not in out, out


def test_prints_kernel_variables(session):
    out = session["kmain"]
    assert re.search(r"^\$\d+ = 1$", out, re.M), out            # boot_el: EL1
    assert re.search(rf"^\$\d+ = {LOAD_PA:#x}$", out, re.M), out  # kernel_phys_base


def leaf_line(out):
    lines = [line for line in out.splitlines() if line.startswith("=>")]
    assert len(lines) == 1, out
    return lines[0]


def check_image_address(out, symbol):
    """The walk's summary maps the kernel-image address to LOAD_PA plus its
    offset in the image; returns the rest of the summary."""
    m = re.match(rf"=> (0x[0-9a-f]+) \({symbol}\) -> phys (0x[0-9a-f]+): (.*)$", leaf_line(out))
    assert m, out
    assert int(m.group(2), 16) == int(m.group(1), 16) - KERNEL_VBASE + LOAD_PA, out
    return m.group(3)


def test_walk_kernel_text_is_read_only_executable(session):
    out = session["walk-text"]
    assert "recursive window" in out, out
    for level in range(4):
        assert re.search(rf"^\s+L{level}\[", out, re.M), out
    assert re.search(r"L3\[.*page -> 0x[0-9a-f]+ .*AP\[2:1\]=10 PXN=0 UXN=1 AttrIndx=3", out), out
    assert check_image_address(out, "kmain").startswith("4 KiB page, EL1 r-x, EL0 ---"), out


def test_walk_physical_agrees_with_recursive_window(session):
    out = session["walk-text-phys"]
    assert "from TTBR1_EL1" in out and "pa 0x" in out, out
    assert leaf_line(out) == leaf_line(session["walk-text"])


def test_walk_kernel_data_is_read_write_never_executable(session):
    out = session["walk-data"]
    assert check_image_address(out, "boot_el").startswith("4 KiB page, EL1 rw-, EL0 ---"), out
    assert "PXN=1 UXN=1" in out, out


def test_walk_unmapped(session):
    out = session["walk-unmapped"]
    assert "invalid" in out and "not mapped (translation fault at level 0)" in out, out


def test_dmesg_prints_the_log(session):
    out = session["dmesg"]
    assert "Anode (AArch64) booting: entered at EL1" in out, out
    assert out.index("booting") < out.index("kernel: remapped"), out


def test_thread_before_the_scheduler(session):
    out = session["thread"]
    assert "&cpus[0]" in out and "id = 0" in out and "no threads yet" in out, out
    assert "running: no thread yet" in session["runqueue"], session["runqueue"]


def test_thread_after_sched_init_is_idle(session):
    out = session["sched"]
    assert re.search(r"Breakpoint \d+(\.\d+)?, proc_init_first \(", out), out
    assert re.search(r"current thread 0x[0-9a-f]+: tid 0, kernel thread, the idle thread", out), out


def test_stops_in_system_call_from_user_program(syscall_session):
    out = syscall_session["syscall"]
    assert re.search(r"Breakpoint \d+(\.\d+)?, syscall_dispatch \(tf=", out), out
    # The system-call fast path (inlined frames print without "in"), then
    # the vector code's entry it was called from.
    assert re.search(r"^#\d+ +(0x[0-9a-f]+ in )?el0_sync_fast \(", out, re.M), out
    assert re.search(r"^#\d+ +0x[0-9a-f]+ in el0_sync \(\) at arch/aarch64/vectors\.S:", out, re.M), out
    assert "Backtrace stopped" not in out, out
    assert re.search(r'current thread 0x[0-9a-f]+: tid 1, pid 1 "init", state THREAD_RUNNING.*user pc 0x',
                     out), out
    assert re.search(r'running: thread 0x[0-9a-f]+: tid 1, pid 1 "init"', syscall_session["runqueue-user"])


def test_walk_user_address(syscall_session):
    out = syscall_session["walk-user"]
    assert "from TTBR0_EL1" in out and "ASID" in out, out
    assert re.search(r"page -> 0x[0-9a-f]+ .*nG=1", out), out
    assert re.search(r"=> 0x[0-9a-f]+ -> phys 0x[0-9a-f]+: 4 KiB page, EL1 r--, EL0 r-x", out), out
