# tests/qemu/test_session.py: the session README.md opens with, as a user
# types it: `make run`'s boot to the login prompt, root's login, the
# daemons in ps, drvctl, a driver killed and back, files written in the RAM
# file system, vi, the shell's line editing (tab completion, history) and
# job control, busybox's tools over /proc, and poweroff. The kernel must
# not log an unknown system call (-ENOSYS) at any point of it.
# Every wait is bounded (anode.py); none sleeps a fixed time on the host.
import re

from anode import PANIC
from test_login import LOGIN, LOGIN_WAIT, ROOT_PROMPT, STEP_WAIT, command, log_in

ENOSYS = r"syscall: unknown number .*\n"
CTRL_C, CTRL_Z, ESC, TAB, UP = "\x03", "\x1a", "\x1b", "\t", "\x1b[A"
# A foreground job for ^C and ^Z that says when it runs and when it is
# continued (its shell runs the CONT trap once the current sleep ends).
JOB = "sh -c 'trap \"echo resumed\" CONT; echo running; while :; do sleep 1; done'"
DAEMONS = ("/bin/init", "initfsd", "/bin/drvmgr", "/bin/pl011d", "/bin/pl031d")


def session(qemu):
    run = qemu(fail_on=(PANIC, ENOSYS))
    run.expect_boot()
    run.expect(LOGIN, LOGIN_WAIT)
    log_in(run, "root", None, ROOT_PROMPT)
    return run


def output(run, line):
    """The lines line prints, between two markers."""
    run.child.send(f"echo @@; {line}; echo @@end\n")
    run.expect(r"^@@\n", STEP_WAIT)
    text = run.expect(r"^@@end\n", STEP_WAIT)
    run.expect(ROOT_PROMPT, STEP_WAIT)
    return run.child.before if text is None else text.string[:text.start()]


def test_readme_session(qemu):
    run = session(qemu)
    ps = output(run, "ps")
    for daemon in DAEMONS:
        assert daemon in ps, (daemon, ps)
    command(run, "drvctl list", r"pl031d", ROOT_PROMPT)
    # A driver killed comes back (drvmgr restarts it) with a new pid.
    command(run, "old=$(pidof pl031d); kill -9 $old; "
            "until new=$(pidof pl031d) && [ \"$new\" != \"$old\" ]; do usleep 10000; done; "
            "echo back: $old '->' $new", r"back: \d+ -> \d+\n", ROOT_PROMPT)
    command(run, "cat rtc:; echo", r"\d", ROOT_PROMPT)
    # The RAM file system: files, directories, links, rename, tar, gzip.
    command(run, "cd /tmp && echo hello > f && mkdir -p d/e && mv f d/e/g && ln -s d/e/g l && "
            "cat l", r"^hello\n", ROOT_PROMPT)
    command(run, "tar czf x.tgz d && rm -r d && tar xzf x.tgz && cat d/e/g && ls -l l",
            r"^hello\n.*l -> d/e/g\n", ROOT_PROMPT)
    command(run, "seq 1000 | sort -rn | head -1 | awk '{ print $1 * 2 }'", r"^2000\n", ROOT_PROMPT)
    command(run, "find /etc -name passwd | sed s/passwd/PW/", r"^/etc/PW\n", ROOT_PROMPT)
    command(run, "df / | tail -1", r"file:? .*/\n", ROOT_PROMPT)
    command(run, "free | head -2 | tail -1", r"^Mem: +\d+", ROOT_PROMPT)
    command(run, "uptime", r"load average: \d", ROOT_PROMPT)
    command(run, "top -b -n 1 | head -1", r"^Mem: ", ROOT_PROMPT)
    command(run, "dmesg | grep -m 1 booting", r"^Anode .*booting", ROOT_PROMPT)
    command(run, "date +%Y", r"^20\d\d\n", ROOT_PROMPT)
    # vi: insert a line, leave insert mode, write and quit.
    # Each key group waits for vi's answer, as a typist's pause would: an
    # ESC with more bytes right behind it reads as an escape sequence.
    run.child.send("vi /tmp/v.txt\n")
    run.expect(r"- /tmp/v\.txt", STEP_WAIT)
    run.child.send("ihello from vi")
    run.expect(r"hello from vi", STEP_WAIT)
    run.child.send(ESC)
    run.expect(r"- /tmp/v\.txt \[Modified\]", STEP_WAIT)
    run.child.send(":wq\n")
    run.expect(ROOT_PROMPT, STEP_WAIT)
    command(run, "cat /tmp/v.txt", r"^hello from vi\n", ROOT_PROMPT)
    # Line editing: tab completes a command, the up arrow recalls one.
    run.child.send("ech" + TAB)
    run.expect(r"echo ", STEP_WAIT)
    run.child.send("completed\n")
    run.expect(r"^completed\n", STEP_WAIT)
    run.expect(ROOT_PROMPT, STEP_WAIT)
    run.child.send(UP + "\n")
    run.expect(r"^completed\n", STEP_WAIT)
    run.expect(ROOT_PROMPT, STEP_WAIT)
    # Job control: ^C ends a foreground job, ^Z stops one, fg resumes it.
    # As a typist waits to see the job run before pressing a key, each key
    # waits for the job's own line: a ^C or ^Z typed before the shell has
    # made the job the terminal's foreground group goes to the shell, which
    # ignores it (so it would on Linux). The job says "running" once it
    # runs, and "resumed" once fg has handed it the terminal and continued
    # it (SIGCONT comes after tcsetpgrp).
    run.child.send(JOB + "\n")
    run.expect(r"^running\n", STEP_WAIT)
    run.child.send(CTRL_C)
    run.expect(ROOT_PROMPT, STEP_WAIT)
    run.child.send(JOB + "\n")
    run.expect(r"^running\n", STEP_WAIT)
    run.child.send(CTRL_Z)
    run.expect(r"Stopped", STEP_WAIT)
    run.expect(ROOT_PROMPT, STEP_WAIT)
    command(run, "jobs", r"\[1\]\+ +Stopped +sh -c ", ROOT_PROMPT)
    run.child.send("fg\n")
    run.expect(r"^resumed\n", STEP_WAIT)
    run.child.send(CTRL_C)
    run.expect(ROOT_PROMPT, STEP_WAIT)
    command(run, "jobs; echo jobs-done", r"^jobs-done\n", ROOT_PROMPT)
    run.child.send("exit\n")
    run.expect(LOGIN, STEP_WAIT)
    log_in(run, "root", None, ROOT_PROMPT)
    run.child.send("poweroff\n")
    run.expect(r"^power: off through PSCI\n", STEP_WAIT)
    run.wait_exit()
    assert not re.search(ENOSYS, run.transcript())
