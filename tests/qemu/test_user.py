# tests/qemu/test_user.py: user space on Anode. Each test program in
# tests/user/ (installed in the initfs as /tests/NAME) runs as the first
# process through init=, prints exactly one PASS/FAIL line, and its exit
# status powers the machine off. Also: the default demonstration, arguments
# after " -- ", a static musl program built outside the tree with
# tools/anode-cc reaching the initfs through EXTRA_DIR, and anode-cc's
# compile-only and link modes (on the host).
import os
import struct
import subprocess

import pytest

from anode import BUILD, PANIC, ROOT

PROGRAM_TIMEOUT = 120  # s for one test program (t_leak forks 200 times under TCG)
TESTS = ["t_mremap", "t_utilcalls", "t_printf", "t_forkexec", "t_pipe", "t_cow", "t_preempt", "t_nanosleep",
         "t_efault", "t_segv", "t_leak", "t_enosys", "t_mmap", "t_wonly", "t_signal",
         "t_files", "t_schemes", "t_enomem", "t_pgrp", "t_wait", "t_misc", "t_sigaction",
         "t_sigframe", "t_sigproc", "t_thread", "t_futex", "t_futex_pi", "t_timer",
         "t_devrights", "t_namespace", "t_poll", "t_event",
         "t_poll_timerfd", "t_uscheme", "t_uscheme_fail", "t_uscheme_mt",
         "t_drvmgr",
         "t_fsops", "t_fsredir",
         "t_ramfs", "t_proc", "t_mqueue", "t_shm", "t_semopen", "t_mqleak"]
TESTS += ["t_cred", "t_usready"]
TESTS += ["t_usreply", "t_badpath"]
TESTS += ["t_rlimit"]
TESTS += ["t_futex_atomic"]
TESTS += ["t_aslr", "t_aslr_pie"]
TESTS += ["t_usdata"]
TESTS += ["t_killnice"]
TESTS += ["t_enosyslog"]
TESTS += ["t_restartsys"]
TESTS += ["t_usstat"]
TESTS += ["t_fpswitch"]
TESTS += ["t_ptfree"]
TESTS += ["t_cwdrace"]
TESTS += ["t_sysregs"]
TESTS += ["t_pathfault"]
TESTS += ["t_reapmem"]
TESTS += ["t_pathcache"]
TESTS += ["t_siginfo_tail"]
TESTS += ["t_statcache"]
TESTS += ["t_usstatcache"]
TESTS += ["t_readahead"]
TESTS += ["t_usrrfault"]
TESTS += ["t_pipe_small"]
TESTS += ["t_usra"]
ANODE_CC = ROOT / "tools" / "anode-cc"
CC_TIMEOUT = 120  # s for one anode-cc run
# ELF (the System V ABI's gABI): header field offsets, types, AArch64.
ELF_TYPE_OFFSET, ELF_PHOFF_OFFSET, ELF_PHENTSIZE_OFFSET = 16, 32, 54
ET_REL, ET_EXEC, EM_AARCH64 = 1, 2, 183
PT_DYNAMIC, PT_INTERP = 2, 3
MAKE_TIMEOUT = 900  # s for a full kernel build in a separate build directory


def run_init(qemu, init, args="", **opts):
    append = f"init={init}" + (f" -- {args}" if args else "")
    run = qemu(append=append, **opts)
    run.expect_boot()
    return run


@pytest.mark.parametrize("name", TESTS)
def test_program(qemu, name):
    run = run_init(qemu, f"/tests/{name}")
    result = run.expect(rf"^(PASS|FAIL): {name}.*\n", PROGRAM_TIMEOUT)
    assert result[1] == "PASS", result[0]
    run.expect(r"^init: exited with status 0\n")
    run.expect(r"^power: off through PSCI\n")
    run.wait_exit()


def test_demo(qemu):
    """/bin/demo shows the programs working (busybox's applets among them:
    links to /bin/busybox) and exits 0."""
    run = run_init(qemu, "/bin/demo")
    run.expect(r"^\$ uname -a\nAnode anode \S+ .* aarch64.*\n", PROGRAM_TIMEOUT)
    run.expect(r"^\$ ls -l /bin\n")
    run.expect(r"^lrwxrwxrwx +\d+ +root +root .* cat -> busybox\n")
    run.expect(r"^\$ ps\n")
    run.expect(r"^ +1 root +/bin/init ")
    # Anode's threads: init is asleep in wait4, or was preempted just
    # before it (R): both are right while it runs.
    run.expect(r"^\$ threads\n")
    run.expect(r"^ +1 +1 +0 +0 [RS] ")
    run.expect(r"^\$ free\n")
    run.expect(r"^\$ false\nexit status 1\n")
    run.expect(r"^init: exited with status 0\n")
    run.wait_exit()


def test_init_args(qemu):
    """Words after " -- " reach the program named by init=."""
    run = run_init(qemu, "/bin/echo", "hello from the command line")
    run.expect(r"^hello from the command line\n")
    run.expect(r"^init: exited with status 0\n")
    run.wait_exit()


def test_unknown_init(qemu):
    """A missing init program is reported, the error by name, and the
    machine powers off."""
    run = run_init(qemu, "/bin/nonexistent")
    run.expect(r"^init: cannot start /bin/nonexistent: No such file or directory\n")
    run.expect(r"^power: off through PSCI\n")
    run.wait_exit()


def test_ls_scheme(qemu):
    """ls /scheme lists the registered schemes (sorted, one per line)."""
    run = run_init(qemu, "/bin/ls", "-1 /scheme")
    for name in ("debug", "file", "initfs", "null", "pipe", "scheme", "sys", "time", "zero"):
        run.expect(rf"^{name}\n")
    run.expect(r"^init: exited with status 0\n")
    run.wait_exit()


def test_extra_dir(qemu, tmp_path):
    """A static musl program built outside the tree with the documented
    command (tools/anode-cc hello.c -o hello) runs from /extra
    (make EXTRA_DIR=...)."""
    src = tmp_path / "hello.c"
    src.write_text('#include <stdio.h>\nint main(int c, char **v)\n'
                   '{ printf("hello, %s, %d args\\n", v[1], c); return 7; }\n')
    extra = tmp_path / "extra"
    extra.mkdir()
    subprocess.run([ANODE_CC, "hello.c", "-o", str(extra / "hello")], cwd=tmp_path,
                   check=True, timeout=CC_TIMEOUT)
    build = BUILD / "extra-test"
    r = subprocess.run(["make", "-j2", f"BUILD={build}", f"EXTRA_DIR={extra}", "all"],
                       cwd=ROOT, capture_output=True, text=True, timeout=MAKE_TIMEOUT)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    run = run_init(qemu, "/extra/hello", "world", kernel_dir=build)
    run.expect(r"^hello, world, 2 args\n", PROGRAM_TIMEOUT)
    run.expect(r"^init: exited with status 7\n")
    run.wait_exit()


def elf_facts(path):
    """(e_type, e_machine, program header types) of a 64-bit ELF file."""
    data = path.read_bytes()
    assert data[:4] == b"\x7fELF", f"{path} is not ELF"
    e_type, e_machine = struct.unpack_from("<HH", data, ELF_TYPE_OFFSET)
    phoff, = struct.unpack_from("<Q", data, ELF_PHOFF_OFFSET)
    phentsize, phnum = struct.unpack_from("<HH", data, ELF_PHENTSIZE_OFFSET)
    ptypes = {struct.unpack_from("<I", data, phoff + i * phentsize)[0] for i in range(phnum)}
    return e_type, e_machine, ptypes


def test_anode_cc_modes(tmp_path):
    """tools/anode-cc as a compiler driver: -E uses musl's headers, -c gives
    an object, objects and -lm link into a static AArch64 executable; with
    no musl it says how to get it."""
    (tmp_path / "main.c").write_text('#include <stdio.h>\ndouble root(double);\n'
                                     'int main(void) { printf("%g\\n", root(2)); return 0; }\n')
    (tmp_path / "root.c").write_text("#include <math.h>\ndouble root(double x) { return sqrt(x); }\n")

    def cc(*args, env=None):
        return subprocess.run([ANODE_CC, *args], cwd=tmp_path, capture_output=True, text=True,
                              timeout=CC_TIMEOUT, env=env)

    r = cc("-E", "main.c")
    assert r.returncode == 0 and "include/aarch64-linux-musl/stdio.h" in r.stdout, r.stderr
    for name in ("main", "root"):
        r = cc("-c", f"{name}.c", "-o", f"{name}.o")
        assert r.returncode == 0, r.stderr
        assert elf_facts(tmp_path / f"{name}.o")[:2] == (ET_REL, EM_AARCH64)
    r = cc("main.o", "root.o", "-o", "prog", "-lm")
    assert r.returncode == 0, r.stderr
    e_type, e_machine, ptypes = elf_facts(tmp_path / "prog")
    assert (e_type, e_machine) == (ET_EXEC, EM_AARCH64), "not a non-PIE AArch64 executable"
    assert PT_INTERP not in ptypes and PT_DYNAMIC not in ptypes, "not static"
    r = cc("main.c", env={**os.environ, "ANODE_DEPS_ROOT": str(tmp_path / "none")})
    assert r.returncode != 0 and "make deps" in r.stderr, r.stderr


def test_console_input(qemu):
    """The console reads what arrives on the UART: pl011d (interrupt
    driven, the line discipline) gives cat, init's main program, the line
    typed once the kernel has handed the UART over."""
    run = run_init(qemu, "/bin/cat")
    run.expect(r"^console: pl011 handed over to user space; kernel messages go to the log\n")
    run.child.send("ping from the host\r")
    run.expect(r"ping from the host")


def test_reboot_powers_off(qemu):
    """reboot(RB_POWER_OFF) from a program powers off through PSCI at once:
    the first process never gets to exit."""
    run = run_init(qemu, "/tests/t_reboot", fail_on=(PANIC, r"^FAIL: .*\n", r"^init: exited"))
    run.expect(r"^t_reboot: powering off\n", PROGRAM_TIMEOUT)
    run.expect(r"^power: off through PSCI\n")
    run.wait_exit()


def test_schemes_tool(qemu):
    """The schemes tool prints every scheme sys:schemes lists, in a table:
    the kernel's own with pid 0, served by "kernel"; initfs and file by
    initfsd, a daemon."""
    run = run_init(qemu, "/bin/schemes")
    run.expect(r"^SCHEME +PID +SERVER\n", PROGRAM_TIMEOUT)
    for name in ("debug", "null", "zero", "pipe", "sys", "time", "scheme"):
        run.expect(rf"^{name} +0 +kernel\n")
    m = run.expect(r"^initfs +(\d+) +initfsd\S*\n")  # its name, with a thread's /N
    run.expect(rf"^file +{m[1]} +initfsd\S*\n")
    run.expect(r"^init: exited with status 0\n")
    run.wait_exit()
