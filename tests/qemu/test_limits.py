# tests/qemu/test_limits.py: running out, and the limits that keep one
# user from taking everything: a fork bomb started by `user` (uid 1000)
# stops at RLIMIT_NPROC (half the pid table) and root still logs in on the
# console and kills it; a memory hog on a small machine is killed by the
# out-of-memory killer, which names it, and the machine and another
# process go on. Every wait is bounded (anode.py); none sleeps a fixed time.

from test_login import (LOGIN, ROOT_PROMPT, STEP_WAIT, USER_PROMPT, boot_to_login, command,
                        log_in)
from test_user import run_init

BOMB_WAIT = 240  # s for the bomb to fill its share of the pid table (TCG, loaded)
KILL_WAIT = 240  # s for root's kill loop to end every bomb process
OOM_WAIT = 240   # s for the hog to fill the small machine's memory
OOM_RAM = "128M"


def test_fork_bomb_user_root_logs_in_and_kills_it(qemu):
    """user's fork bomb fills its NPROC share and keeps trying; root logs
    in beside it, kills its process group, and user can log in again."""
    run = boot_to_login(qemu)
    log_in(run, "user", "user", USER_PROMPT)
    run.child.send("/tests/forkbomb\n")
    group = run.expect(r"forkbomb: group (\d+)\n", STEP_WAIT)[1]
    run.expect(r"forkbomb: full after \d+ \(Resource temporarily unavailable\)\n", BOMB_WAIT)
    run.child.send("exit\n")
    run.expect(LOGIN, BOMB_WAIT)
    log_in(run, "root", None, ROOT_PROMPT)
    command(run, "id", r"uid=0\(root\)", ROOT_PROMPT)
    # A kill may race a fork in flight: again until no process is left.
    run.child.send(f"while kill -9 -{group} 2>/dev/null; do :; done; echo bomb gone\n")
    run.expect(r"bomb gone\n", KILL_WAIT)
    run.expect(ROOT_PROMPT, STEP_WAIT)
    run.child.send("exit\n")
    run.expect(LOGIN, STEP_WAIT)
    log_in(run, "user", "user", USER_PROMPT)
    command(run, "id", r"uid=1000\(user\)", USER_PROMPT)


def test_oom_kills_the_hog_and_the_machine_goes_on(qemu):
    """On a 128 MiB machine /tests/oomhog's hog child touches memory until
    none is left: the kernel logs `oom: killed pid N (oomhog) rss K KiB`
    for it, and its parent (a second process) then maps and touches memory
    again and reports."""
    run = run_init(qemu, "/tests/oomhog", memory=OOM_RAM)
    hog = run.expect(r"oomhog: hog (\d+)\n", STEP_WAIT)[1]
    killed = run.expect(r"oom: killed pid (\d+) \((\w+)\) rss (\d+) KiB\n", OOM_WAIT)
    assert killed[1] == hog and killed[2] == "oomhog", killed[0]
    assert int(killed[3]) > 32 * 1024, killed[0]  # most of the machine
    result = run.expect(r"^(PASS|FAIL): oomhog.*\n", OOM_WAIT)
    assert result[1] == "PASS", result[0]
    run.expect(r"^init: exited with status 0\n")
    run.wait_exit()
