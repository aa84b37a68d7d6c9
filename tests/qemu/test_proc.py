# tests/qemu/test_proc.py: Debian's busybox (unmodified) reads Anode's
# /proc: ps, top -b -n 1, free, uptime, pidof and kill run as init's main
# program (tests/user/fixtures/proc_tools.sh) and show the daemons with
# sane numbers; tty: (/dev/tty) reaches the console, the controlling terminal;
# Anode's threads tool shows who serves which scheme; no
# system call of the session is unknown to the kernel (no ENOSYS line).
import re

from test_user import PROGRAM_TIMEOUT, run_init

DAEMONS = ("initfsd", "drvmgr", "pl011d")
QEMU_RAM_KIB = 1024 * 1024  # the 1 GiB every test machine has


def sections(text):
    """The output of each tool, by the "== NAME" lines framing it."""
    parts = re.split(r"^== (\w+)\n", text, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2]))


def ps_pids(ps_out):
    """PID of each command busybox ps lists."""
    pids = {}
    for line in ps_out.splitlines()[1:]:
        fields = line.split(None, 2)
        if len(fields) == 3:
            pids[fields[2]] = int(fields[0])
    return pids


def test_busybox_proc_tools(qemu):
    run = run_init(qemu, "/bin/busybox", "sh /tests/proc_tools.sh")
    run.expect(r"^== done\n", PROGRAM_TIMEOUT)
    run.expect(r"^init: exited with status 0\n")
    run.expect(r"^power: off through PSCI\n")
    run.wait_exit()
    log = run.transcript()
    out = sections(log)

    assert out["ps"].startswith("PID   USER     COMMAND\n"), out["ps"]
    pids = ps_pids(out["ps"])
    for daemon in DAEMONS:
        assert any(daemon in cmd for cmd in pids), (daemon, out["ps"])
    assert pids.get("/bin/drvmgr", 0) > 1, out["ps"]

    top = out["top"]
    mem = re.search(r"^Mem: (\d+)K used, (\d+)K free", top, re.M)
    assert mem and 0 < int(mem[1]) < QEMU_RAM_KIB and 0 < int(mem[2]) < QEMU_RAM_KIB, top
    assert re.search(r"^CPU: +\d+% usr +\d+% sys .* \d+% idle", top, re.M), top
    assert re.search(r"^Load average: \d+\.\d\d \d+\.\d\d \d+\.\d\d \d+/\d+ \d+$", top, re.M), top
    assert re.search(r"^ +\d+ +\d+ \S+ +S .*pl011d", top, re.M), top

    free = re.search(r"^Mem: +(\d+) +(\d+) +(\d+) ", out["free"], re.M)
    assert free, out["free"]
    total, used, free_kib = map(int, free.groups())
    assert total == QEMU_RAM_KIB and used > 0 and used + free_kib <= total, out["free"]

    assert re.search(r"up +\d+ min, .*load average: \d+\.\d\d, \d+\.\d\d, \d+\.\d\d",
                     out["uptime"]), out["uptime"]
    pl011d = [pid for cmd, pid in pids.items() if "pl011d" in cmd]
    assert out["pidof"].split() == [str(pl011d[0])], (out["pidof"], pl011d)
    assert "killed status 143" in out["kill"], out["kill"]  # 128 + SIGTERM

    assert out["tty"] == "through tty:\n", out["tty"]  # the controlling terminal

    served = out["threads"]
    assert re.search(r"/bin/pl011d .* serial:$", served, re.M), served
    assert re.search(r" initfs: file:$", served, re.M), served
    assert "unknown number" not in log, [l for l in log.splitlines() if "unknown" in l]
