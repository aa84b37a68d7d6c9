# tests/qemu/anode.py: runs one Anode boot under QEMU for the QEMU tests.
# Owns the QEMU command line, the per-run log (build/qemu-logs/<name>.log),
# the time limits (every wait has a step timeout, capped by a hard limit for
# the whole run), the facts a configuration implies (entry EL, GIC version,
# RAM size, which self-tests run and which are skipped) and the boot-log
# checks every test shares (Qemu.expect_boot, Qemu.expect_selftest_result).
import re
import shlex
import time
from pathlib import Path

import pexpect

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "build"
LOG_DIR = BUILD / "qemu-logs"
QEMU = "qemu-system-aarch64"

BOOT_TIMEOUT = 30  # s from spawn to each boot-log line (TCG, loaded 2-core CI)
RUN_TIMEOUT = 180  # s hard limit for one whole run
SELFTEST_TIMEOUT = 60  # s from kmain to the self-test summary line
PANIC = r"PANIC: .*\n"  # fails any wait unless the run asks for a panic

# Every in-kernel self-test (SELFTEST(...) names); a new one is added here.
SELFTESTS = frozenset({
    "frame allocator stress", "kernel heap", "page tables (recursive window)",
    "kernel stack guard pages", "bcm2835 irq (cascade)", "kernel section permissions",
    "timer tick rate", "one-shot timer deadline", "device-tree contents",
    "corrupt device tree refused", "embedded symbol table", "kernel log",
    "console output unmasked", "ipi and tick on every cpu",
    "ASID generations", "icache sync walks every line", "icache sync on every exec path",
    "PAN where the CPU has it", "PXN on user, UXN on kernel pages",
    "kernel jump to user page faults", "stack canary set per boot",
})
SELFTESTS |= {"user copies at page edges, every length and alignment"}
SELFTESTS |= {"single-word user accesses at page edges"}
SELFTESTS |= {"FP/SIMD signal records at page edges"}
SELFTESTS |= {"signal frame registers at page edges"}
# Per board (-M value up to the first comma): the self-tests skipped there,
# with the reason the kernel gives. All the others must pass.
SELFTEST_SKIPS = {
    "virt": {"bcm2835 irq (cascade)": "no BCM2835 interrupt controller"},
    "raspi3b": {},
}
SELFTEST_SUMMARY = r"^(\d+) passed, (\d+) failed, (\d+) skipped\n"
# One self-test's outcome: "selftest: NAME<padding> ok|FAIL: why|skipped (why)".
SELFTEST_LINE = re.compile(r"^selftest: (.*?) +(ok|FAIL: .*|skipped \((.*)\))$")


class _Spawn(pexpect.spawn):
    """pexpect.spawn that drops carriage returns: QEMU's stdio keeps the
    pty's output processing on, so each kernel "\r\n" arrives as "\r\r\n".
    Patterns, transcript and log all see plain "\n" lines."""

    transcript = ""
    log = None

    def read_nonblocking(self, size=1, timeout=-1):
        text = super().read_nonblocking(size, timeout).replace("\r", "")
        self.transcript += text
        self.log.write(text)
        self.log.flush()
        return text


def _mib(size):
    """QEMU -m size ("256M", "4G", plain number = MiB) in MiB."""
    m = re.fullmatch(r"(\d+)([MG]?)", size.upper())
    assert m, f"unsupported -m size {size!r}"
    return int(m[1]) * (1024 if m[2] == "G" else 1)


class Qemu:
    """One QEMU run of Anode; use as a context manager (close() kills QEMU).

    machine is the -M value; the entry EL follows from it (secure=on: EL3,
    booted from the ELF as there is no firmware; virtualization=on: EL2;
    otherwise EL1). kernel_dir holds kernel.img and kernel.elf; smp, if
    given, is QEMU's -smp (the number of CPUs)."""

    board = "virt"  # key of SELFTEST_SKIPS; subclasses for virt keep it

    def __init__(self, name, machine="virt", cpu="cortex-a57", memory="1G", append="",
                 extra=(), kernel=None, kernel_dir=BUILD, fail_on=(PANIC,),
                 run_timeout=RUN_TIMEOUT, smp=None):
        self.board, *opts = machine.split(",")
        self.entry_el = 3 if "secure=on" in opts else 2 if "virtualization=on" in opts else 1
        self.gic_version = 3 if "gic-version=3" in opts else 2
        self.ram_mib = _mib(memory)
        if kernel is None:
            kernel = Path(kernel_dir) / ("kernel.elf" if self.entry_el == 3 else "kernel.img")
        self.args = ["-M", machine, "-cpu", cpu, "-m", memory, "-nographic", "-no-reboot",
                     "-nic", "none", "-kernel", str(kernel), "-append", append, *extra]
        if smp:  # that many CPUs (QEMU's MTTCG runs them in parallel)
            self.args += ["-smp", str(smp)]
        self.fail_on = list(fail_on)
        self._start(name, run_timeout)

    def _start(self, name, run_timeout):
        """Opens the log and spawns QEMU with self.args. A subclass that needs
        another command line (say, firmware instead of -kernel) sets entry_el,
        gic_version, ram_mib, args and fail_on, then calls this."""
        self.log_path = LOG_DIR / f"{name}.log"
        self.deadline = time.monotonic() + run_timeout
        self.exitstatus = None
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        self.log = open(self.log_path, "w", encoding="utf-8")
        self.log.write(f"$ {shlex.join([QEMU, *self.args])}\n")
        self.log.flush()
        try:
            self.child = _Spawn(QEMU, self.args, cwd=str(ROOT), encoding="utf-8",
                                codec_errors="replace", echo=False)
        except Exception:
            self.log.close()
            raise
        self.child.log = self.log

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def transcript(self):
        """Everything QEMU printed so far, with "\n" line ends."""
        return self.child.transcript

    def _fail(self, what):
        tail = "\n".join(self.transcript().splitlines()[-25:])
        raise AssertionError(f"{what}\n(full log: {self.log_path})\n--- last output ---\n{tail}")

    def _wait(self, pattern, timeout):
        """Waits for pattern (a regex, or pexpect.EOF). Every other outcome
        (time-out, QEMU gone, a fail_on pattern) fails the test."""
        step = min(timeout, max(self.deadline - time.monotonic(), 0))
        others = [p for p in (pexpect.EOF, pexpect.TIMEOUT) if p is not pattern]
        choices = [pattern, *self.fail_on, *others]
        i = self.child.expect([re.compile(p, re.M) if isinstance(p, str) else p
                               for p in choices], timeout=step)
        what = "QEMU to exit" if pattern is pexpect.EOF else f"/{pattern}/"
        if choices[i] is pexpect.EOF and i:
            self._fail(f"QEMU exited while waiting for {what}")
        if choices[i] is pexpect.TIMEOUT:
            limit = "hard run limit" if step < timeout else f"{timeout} s"
            self._fail(f"timed out ({limit}) waiting for {what}")
        if i:
            seen = self.child.match.group(0).strip()
            # Let the rest of the report (registers, backtrace) reach the log.
            self.child.expect([r"System halted\.", pexpect.EOF, pexpect.TIMEOUT], timeout=10)
            self._fail(f"kernel printed {seen!r} while waiting for {what}")

    def expect(self, pattern, timeout=BOOT_TIMEOUT):
        """Waits for pattern (a regex, multi-line mode, lines end in "\n");
        returns the re.Match."""
        self._wait(pattern, timeout)
        return self.child.match

    def wait_exit(self, timeout=BOOT_TIMEOUT):
        """Asserts that QEMU exits by itself, with status 0, within timeout."""
        self._wait(pexpect.EOF, timeout)
        self.child.close()
        self.exitstatus = self.child.exitstatus
        if self.exitstatus != 0:
            self._fail(f"QEMU exited with status {self.exitstatus} "
                       f"(signal {self.child.signalstatus})")

    def expect_boot(self):
        """Checks the boot-log lines every boot prints, up to kmain: entry EL,
        RAM size, GIC version, timer. Values are matched loosely and compared
        after, so a wrong one fails at once rather than by time-out."""
        el = self.expect(r"Anode \(AArch64\) booting: entered at EL(\d), CPU MIDR 0x[0-9a-f]+\n")[1]
        assert int(el) == self.entry_el, f"entered at EL{el}, expected EL{self.entry_el}"
        mib = self.expect(r"^memory: RAM +\[0x[0-9a-f]+-0x[0-9a-f]+\) (\d+) MiB\n")[1]
        assert int(mib) == self.ram_mib, f"RAM is {mib} MiB, expected {self.ram_mib} MiB"
        gic = self.expect(r"^gic: GICv(\d) distributor ")[1]
        assert int(gic) == self.gic_version, f"GICv{gic}, expected GICv{self.gic_version}"
        self.expect(r"^timer: arm,armv8-timer \(\w+\) at \d+ Hz, irq \d+, tick \d+ ms\n")
        self.expect(r"^boot: kmain reached \d+ us after reset\n")

    def expect_selftest_result(self, timeout=SELFTEST_TIMEOUT):
        """Waits for the summary line `N passed, M failed, K skipped` and
        checks the run against this board's expectation: exactly the
        self-tests SELFTESTS minus SELFTEST_SKIPS[board] passed, exactly
        those were skipped, for the reasons given, none failed, and the
        summary counts agree with the lines. Returns (passed, skipped)."""
        counts = self.expect(SELFTEST_SUMMARY, timeout).groups()
        passed, failed, skipped = map(int, counts)
        ok, skips, bad = set(), {}, []
        for line in re.findall(r"^selftest: .*$", self.transcript(), re.M):
            m = SELFTEST_LINE.match(line)
            if m and m[2] == "ok":
                ok.add(m[1])
            elif m and m[3] is not None:
                skips[m[1]] = m[3]
            else:
                bad.append(line)
        assert failed == 0 and not bad, f"{failed} self-test(s) failed: {bad}"
        want_skips = SELFTEST_SKIPS[self.board]
        assert skips == want_skips, f"skipped {skips}, expected {want_skips} on {self.board}"
        want_ok = SELFTESTS - want_skips.keys()
        assert ok == want_ok, (f"on {self.board}, missing: {sorted(want_ok - ok)}, "
                               f"unexpected: {sorted(ok - want_ok)}")
        assert (passed, skipped) == (len(want_ok), len(want_skips)), \
            f"summary says {passed} passed, {skipped} skipped; lines say {len(ok)}, {len(skips)}"
        return passed, skipped

    def close(self):
        """Stops QEMU (if still running) and closes the log. Idempotent."""
        if not self.child.closed:
            self.child.terminate(force=True)
            self.child.close(force=True)
        self.log.close()
