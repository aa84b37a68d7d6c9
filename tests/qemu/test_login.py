# tests/qemu/test_login.py: the console login. With no init= on the kernel
# command line, init.rc's `login` line runs busybox's getty on the serial
# console; busybox's login checks /etc/shadow's SHA-512 hashes, sets the
# credentials, the session and the controlling terminal, and starts the
# user's shell in their home directory; `exit` brings the prompt back.
# Every wait is bounded (anode.py); none sleeps a fixed time.

from test_terminal import serial_run

LOGIN_WAIT = 60  # s from power-on to the first login prompt (TCG, loaded machine)
STEP_WAIT = 30   # s for one command's answer
LOGIN = r"login: $"
PASSWORD = r"Password: $"
# ash's prompt, then its line editor's cursor-position query (ESC [ 6 n),
# which it does not wait for an answer to.
CPR = r"(?:\x1b\[6n)?"
ROOT_PROMPT = r"# " + CPR + "$"
USER_PROMPT = r"\$ " + CPR + "$"


def boot_to_login(qemu):
    run = qemu()
    run.expect_boot()
    run.expect(LOGIN, LOGIN_WAIT)
    return run


def log_in(run, name, password, prompt):
    """Types name (and password when asked) at the login prompt and waits
    for the shell's prompt."""
    run.child.send(name + "\n")
    if password is None:
        i = run.child.expect([PASSWORD, prompt], timeout=STEP_WAIT)
        if i == 0:
            run.child.send("\n")
            run.expect(prompt, STEP_WAIT)
        return
    run.expect(PASSWORD, STEP_WAIT)
    run.child.send(password + "\n")
    run.expect(prompt, STEP_WAIT)


def command(run, line, answer, prompt):
    """Runs line in the shell and waits for answer (a regex), then the prompt."""
    run.child.send(line + "\n")
    run.expect(answer, STEP_WAIT)
    run.expect(prompt, STEP_WAIT)


def test_root_login_commands_exit_poweroff(qemu):
    """root logs in without a password, works in the shell, `exit` brings
    the login prompt back, and `poweroff` ends QEMU."""
    run = boot_to_login(qemu)
    log_in(run, "root", None, ROOT_PROMPT)
    command(run, "id", r"uid=0\(root\) gid=0\(root\)", ROOT_PROMPT)
    command(run, "echo home=$HOME", r"home=/root\n", ROOT_PROMPT)
    command(run, "pwd", r"^/root\n", ROOT_PROMPT)
    command(run, "ls /", r"bin", ROOT_PROMPT)
    command(run, "cd /tmp; pwd", r"^/tmp\n", ROOT_PROMPT)
    run.child.send("exit\n")
    run.expect(LOGIN, STEP_WAIT)
    log_in(run, "root", None, ROOT_PROMPT)
    # -f: straight to reboot(2); plain poweroff signals init, after
    # looking for it in /proc.
    run.child.send("poweroff -f\n")
    run.expect(r"^power: off through PSCI\n", STEP_WAIT)
    run.wait_exit()


def test_user_login_wrong_password_refused(qemu):
    """A wrong password is refused and the login asked again; user/user
    logs in as uid 1000 in /home/user."""
    run = boot_to_login(qemu)
    run.child.send("user\n")
    run.expect(PASSWORD, STEP_WAIT)
    run.child.send("wrong\n")
    run.expect(r"Login incorrect", STEP_WAIT)
    run.expect(LOGIN, STEP_WAIT)
    log_in(run, "user", "user", USER_PROMPT)
    command(run, "id", r"uid=1000\(user\) gid=1000\(user\)", USER_PROMPT)
    command(run, "pwd", r"^/home/user\n", USER_PROMPT)
    run.child.send("exit\n")
    run.expect(LOGIN, STEP_WAIT)


def test_user_is_refused_what_root_may(qemu):
    """As `user`: root's processes cannot be killed, the login holds no
    device rights (memory: does not open, no interrupt can be claimed),
    poweroff is refused."""
    run = boot_to_login(qemu)
    log_in(run, "user", "user", USER_PROMPT)
    # drvmgr's pid from the schemes tool (pidof needs /proc).
    command(run, "kill -9 $(schemes | awk '$1 == \"drvmgr\" { print $2 }'); echo status=$?",
            r"Operation not permitted\n[\s\S]*status=1\n", USER_PROMPT)
    # Device rights are a grant's, not uid 0's, and the login holds none:
    # grant: reads empty, memory: does not open, the UART's interrupt
    # cannot be claimed.
    command(run, "cat grant:; echo end", r"^end\n", USER_PROMPT)
    command(run, "cat memory:; echo status=$?", r"Operation not permitted\n[\s\S]*status=1\n",
            USER_PROMPT)
    command(run, "cat irq:33; echo status=$?", r"Operation not permitted\n[\s\S]*status=1\n",
            USER_PROMPT)
    command(run, "poweroff -f; echo status=$?", r"status=1\n", USER_PROMPT)
    run.child.send("exit\n")
    run.expect(LOGIN, STEP_WAIT)


# The file system's side: the RAM file system (initfsd) checks modes
# against the caller's credentials the kernel stamps on each request.
def test_user_file_permissions(qemu):
    """As `user`: /etc/shadow (0600 root) cannot be read, /bin (0755 root)
    and root's home (0700) cannot be written, a taken scheme name cannot be
    registered; the user's own home and /tmp can be written."""
    run = boot_to_login(qemu)
    log_in(run, "user", "user", USER_PROMPT)
    command(run, "cat /etc/shadow", r"cat: can't open '/etc/shadow': Permission denied",
            USER_PROMPT)
    command(run, "touch /bin/x", r"touch: /bin/x: Permission denied", USER_PROMPT)
    command(run, "ls /root", r"Permission denied", USER_PROMPT)
    command(run, "echo x > /etc/motd; echo status=$?", r"Permission denied[\s\S]*status=[12]\n",
            USER_PROMPT)
    command(run, "exec 3<> scheme:drvmgr; echo status=$?", r"File exists", USER_PROMPT)
    command(run, "echo mine > ~/f && echo mine > /tmp/f && cat ~/f /tmp/f && ls -l ~/f",
            r"mine\nmine\n-rw-r--r-- +1 user +user ", USER_PROMPT)


def test_serial_poll_blocks_until_input(qemu):
    """poll, ppoll and epoll on serial:0 find it not readable with no input
    (nor with half a line in canonical mode), block until a line (or, raw,
    a byte) arrives and then say POLLIN: pl011d's readiness reports, which
    busybox's line editing relies on."""
    run = serial_run(qemu, "/tests/ttypoll")
    for mech in ("poll", "ppoll", "epoll"):
        run.expect(rf"^partial {mech}\n", STEP_WAIT)
        run.child.send("ab")
        run.expect(rf"waiting {mech} line\n", STEP_WAIT)
        run.child.send("\n")
        run.expect(rf"^got {mech} line \[ab\]\n", STEP_WAIT)
        run.expect(rf"^waiting {mech} raw\n", STEP_WAIT)
        run.child.send("x")
        run.expect(rf"^got {mech} raw \[x\]\n", STEP_WAIT)
    run.expect(r"^PASS: ttypoll\n", STEP_WAIT)
