# tests/qemu/test_user.py: user space on Anode. Each test program in
# tests/user/ (installed in the initfs as /tests/NAME) runs as the first
# process through init=, prints exactly one PASS/FAIL line, and its exit
# status powers the machine off. Also: the default demonstration, arguments
# after " -- ", and a static musl program built outside the tree reaching
# the initfs through EXTRA_DIR.
import subprocess

import pytest

from anode import BUILD, PANIC, ROOT

PROGRAM_TIMEOUT = 120  # s for one test program (t_leak forks 200 times under TCG)
TESTS = ["t_printf", "t_forkexec", "t_pipe", "t_cow", "t_preempt", "t_nanosleep",
         "t_efault", "t_segv", "t_leak", "t_enosys", "t_mmap", "t_signal", "t_files",
         "t_schemes", "t_enomem"]
MUSL = ROOT / ".deps" / "root" / "usr"
CC = "aarch64-linux-gnu-gcc"
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
    """With no init=, /bin/init shows the programs working and exits 0."""
    run = qemu()
    run.expect_boot()
    run.expect(r"^\$ uname -a\nAnode anode \S+ .* aarch64\n", PROGRAM_TIMEOUT)
    run.expect(r"^\$ ls -l /bin\n")
    run.expect(r"^-rwxr-xr-x +\d+ cat\n")
    run.expect(r"^\$ ps\n")
    run.expect(r"^ +1 +0 init +S ")
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
    """A missing init program is reported and the machine powers off."""
    run = run_init(qemu, "/bin/nonexistent")
    run.expect(r"^init: cannot start /bin/nonexistent: error -2\n")
    run.expect(r"^power: off through PSCI\n")
    run.wait_exit()


def test_extra_dir(qemu, tmp_path):
    """A static musl program built outside the tree with the documented
    command runs from /extra (make EXTRA_DIR=...)."""
    src = tmp_path / "hello.c"
    src.write_text('#include <stdio.h>\nint main(int c, char **v)\n'
                   '{ printf("hello, %s, %d args\\n", v[1], c); return 7; }\n')
    extra = tmp_path / "extra"
    extra.mkdir()
    lib = MUSL / "lib" / "aarch64-linux-musl"
    gcc_include = subprocess.run([CC, "-print-file-name=include"], capture_output=True,
                                 text=True, check=True).stdout.strip()
    libgcc = subprocess.run([CC, "-print-libgcc-file-name"], capture_output=True,
                            text=True, check=True).stdout.strip()
    subprocess.run([CC, "-static", "-nostdinc", "-isystem", str(MUSL / "include" / "aarch64-linux-musl"),
                    "-isystem", gcc_include, "-nostdlib", str(lib / "crt1.o"), str(lib / "crti.o"),
                    str(src), str(lib / "libc.a"), libgcc, str(lib / "crtn.o"),
                    "-o", str(extra / "hello")], check=True, timeout=120)
    build = BUILD / "extra-test"
    r = subprocess.run(["make", "-j2", f"BUILD={build}", f"EXTRA_DIR={extra}", "all"],
                       cwd=ROOT, capture_output=True, text=True, timeout=MAKE_TIMEOUT)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    run = run_init(qemu, "/extra/hello", "world", kernel_dir=build)
    run.expect(r"^hello, world, 2 args\n", PROGRAM_TIMEOUT)
    run.expect(r"^init: exited with status 7\n")
    run.wait_exit()


def test_console_input(qemu):
    """debug: reads what arrives on the UART (interrupt-driven): cat as the
    first process copies typed text back."""
    run = run_init(qemu, "/bin/cat")
    run.expect(r"^timer: tick running: ")
    run.child.send("ping from the host\r")
    run.expect(r"ping from the host")


def test_reboot_powers_off(qemu):
    """reboot(RB_POWER_OFF) from a program powers off through PSCI at once:
    the first process never gets to exit."""
    run = run_init(qemu, "/tests/t_reboot", fail_on=(PANIC, r"^FAIL: .*\n", r"^init: exited"))
    run.expect(r"^t_reboot: powering off\n", PROGRAM_TIMEOUT)
    run.expect(r"^power: off through PSCI\n")
    run.wait_exit()
