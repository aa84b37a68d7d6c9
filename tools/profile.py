#!/usr/bin/env python3
"""tools/profile.py: `make profile PROG=/tests/bench ARGS=...`, a flat
profile of one program run on Anode. Boots build/kernel.img under
`-icount shift=0` (the timer counts guest instructions, so the samples are
deterministic up to a few percent) with `profile=HZ init=PROG -- ARGS`: the
kernel (kernel/profile.c) samples the interrupted pc, exception level and
process at HZ, counts system calls per number, and prints both at power-off
(PROG's exit powers off). This script symbolizes the samples: kernel pcs
with build/kernel.elf's symbols, PROG's user pcs with its ELF from
build/initfs-root, through binutils' nm. It prints the samples per
process, the top kernel and user functions while PROG ran, and the system
calls of the whole run (every process) by number and name. The run is
bounded by PROFILE_TIMEOUT seconds."""
import argparse
import bisect
import collections
import os
import re
import subprocess
import sys
import tempfile

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(TOP, "build")
NM = os.environ.get("NM", "aarch64-linux-gnu-nm")
OBJCOPY = os.environ.get("OBJCOPY", "aarch64-linux-gnu-objcopy")
QEMU = ["qemu-system-aarch64", "-M", "virt", "-cpu", "cortex-a57", "-m", "1G",
        "-nographic", "-nic", "none", "-no-reboot", "-icount", "shift=0"]
PROC_NAME_MAX = 16  # kernel/proc.h: a process's name keeps 15 characters
EL_USER = 0
BEGIN = re.compile(r"^profile: begin hz=(\d+) samples=(\d+) dropped=(\d+)$", re.M)
END = "profile: end"
SAMPLE = re.compile(r"^S ([0-9a-f]+) (\d) (-?\d+) (\d+) (.*)$")
CALL = re.compile(r"^C (\d+) (\d+)$")
SYSNAME = re.compile(r"^#define SYS_(\w+) (\d+)\b", re.M)


class Symbols:
    """Text symbols of one ELF, for pc -> name lookups."""

    def __init__(self, elf):
        # A stripped ELF has no symbols: nm says so and exits 1.
        out = subprocess.run([NM, "-n", elf], capture_output=True, text=True).stdout
        syms = []
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[1] in "Tt" and not parts[2].startswith(("$", ".L")):
                syms.append((int(parts[0], 16), parts[2]))
        syms.sort()
        self.addrs = [a for a, _ in syms]
        self.names = [n for _, n in syms]

    def name(self, pc):
        i = bisect.bisect_right(self.addrs, pc) - 1
        return self.names[i] if i >= 0 else f"{pc:#x}"


def same_text(a, b):
    """Whether two ELFs carry the same .text (the symbols may differ)."""
    with tempfile.TemporaryDirectory() as tmp:
        texts = []
        for i, elf in enumerate((a, b)):
            out = os.path.join(tmp, str(i))
            subprocess.run([OBJCOPY, "-O", "binary", "-j", ".text", elf, out], check=True)
            texts.append(open(out, "rb").read())
    return texts[0] == texts[1]


def run(prog, args, hz, timeout):
    append = f"profile={hz} init={prog}" + (f" -- {args}" if args else "")
    cmd = QEMU + ["-kernel", os.path.join(BUILD, "kernel.img"), "-append", append]
    try:
        out = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                             errors="replace", timeout=timeout).stdout
    except subprocess.TimeoutExpired as e:
        sys.exit(f"profile: the run did not power off within {timeout} s\n"
                 + (e.stdout or b"").decode(errors="replace")[-2000:])
    out = out.replace("\r", "")
    m = BEGIN.search(out)
    if not m or END not in out[m.end():]:
        sys.exit("profile: no profile in the output (a kernel without profile=?):\n" + out[-3000:])
    body = out[m.end():out.index(END, m.end())]
    samples = [s.groups() for s in map(SAMPLE.match, body.splitlines()) if s]
    calls = {int(c.group(1)): int(c.group(2)) for c in map(CALL.match, body.splitlines()) if c}
    program_out = out[:m.start()]
    return int(m.group(1)), samples, calls, int(m.group(3)), program_out


def syscall_names():
    text = open(os.path.join(TOP, "syscall", "abi", "abi.h")).read()
    return {int(nr): name for name, nr in SYSNAME.findall(text) if not name.isupper()}


def table(title, counter, total, top, what="function"):
    print(f"\n{title} ({sum(counter.values())} samples)")
    print(f"{'samples':>8} {'%':>6}  {what}")
    for name, n in counter.most_common(top):
        print(f"{n:>8} {100.0 * n / total:>6.2f}  {name}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("prog", help="the program's path on Anode, e.g. /tests/bench")
    ap.add_argument("args", nargs="?", default="", help="its arguments, one string")
    ap.add_argument("--hz", type=int, default=10000, help="samples per second of guest time")
    ap.add_argument("--top", type=int, default=25, help="functions listed per table")
    ap.add_argument("--timeout", type=int, default=int(os.environ.get("PROFILE_TIMEOUT", "600")))
    opt = ap.parse_args()

    if not os.path.isfile(os.path.join(BUILD, "initfs-root", opt.prog.lstrip("/"))):
        sys.exit(f"profile: {opt.prog} is not in the boot archive (build/initfs-root)")
    # The unstripped link of the same source (tools/bench/bench.mk), else
    # the stripped one: user pcs are then shown as addresses.
    elf = os.path.join(BUILD, "profile", opt.prog.lstrip("/"))
    if not os.path.isfile(elf):
        elf = os.path.realpath(os.path.join(BUILD, "initfs-root", opt.prog.lstrip("/")))
    if not same_text(elf, os.path.join(BUILD, "initfs-root", opt.prog.lstrip("/"))):
        sys.exit(f"profile: {os.path.relpath(elf, TOP)} is not the code in the boot archive: rebuild")
    kernel, user = Symbols(os.path.join(BUILD, "kernel.elf")), Symbols(elf)
    hz, samples, calls, dropped, _ = run(opt.prog, opt.args, opt.hz, opt.timeout)
    me = os.path.basename(opt.prog)[:PROC_NAME_MAX - 1]

    per_proc = collections.Counter(f"{name} (pid {pid})" for _, _, pid, _, name in samples)
    ksyms, usyms = collections.Counter(), collections.Counter()
    for pc, el, _, _, name in samples:
        if name != me:
            continue
        if int(el) == EL_USER:
            usyms[user.name(int(pc, 16))] += 1
        else:
            ksyms[kernel.name(int(pc, 16))] += 1
    mine = sum(ksyms.values()) + sum(usyms.values())
    print(f"profile of {opt.prog} {opt.args}: {len(samples)} samples at {hz} Hz of guest time"
          f" ({dropped} dropped: ring full); {mine} while {me} ran")
    table("samples per process (the whole run, from boot)", per_proc, len(samples), opt.top, "process")
    if mine:
        table(f"kernel functions while {me} ran (build/kernel.elf)", ksyms, mine, opt.top)
        table(f"user functions of {me} ({os.path.relpath(elf, TOP)})", usyms, mine, opt.top)
    names = syscall_names()
    print(f"\nsystem calls of the whole run, every process ({sum(calls.values())} calls)")
    print(f"{'calls':>8}  number name")
    for nr, n in sorted(calls.items(), key=lambda kv: -kv[1]):
        print(f"{n:>8}  {nr:>6} {names.get(nr, 'anode' if nr >= 512 else '?')}")


if __name__ == "__main__":
    main()
