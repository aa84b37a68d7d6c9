"""tools/bench/rows.py: the rows of `make bench`, in the order of issue 14's
table: each row's name (as tests/user/bench.c and bench_boot.c print it),
what it measures, and its target in guest instructions (ns under
`-icount shift=0`). A target is a number the Anode figure must not exceed,
ZERO_HALF (the daemon's 1 MiB reads must reach half of zero:'s
throughput, i.e. take at most twice as long), or None (reported only)."""

ZERO_HALF = "2 x zero_read_1m"

ROWS = [
    ("boot_first_user", "boot: reset to the first user instruction", 5_000_000),
    ("boot_login", "boot: reset to the login program (getty; the prompt follows)", 50_000_000),
    ("getppid", "null system call (getppid)", 150),
    ("yield_pingpong", "sched_yield between two processes, per yield", 300),
    ("pipe_roundtrip", "pipe round trip, 1 byte, two processes", 2_000),
    ("futex_wake_run", "futex hand-over between two threads (wake + run)", 1_500),
    ("signal_handler", "signal to self, handler, sigreturn", 1_500),
    ("thread_create_join", "pthread create + join", 15_000),
    ("fork_exit_wait", "fork + exit + wait", 40_000),
    ("fork_exec_wait", "fork + exec + wait, static binary from the file daemon", 100_000),
    ("open_read_close", "open + read 4 KiB + close, user-space file system", 6_000),
    ("stat_3deep", "stat of a path three directories deep", 3_000),
    ("mmap_touch", "mmap 64 KiB + touch 16 pages + munmap", 30_000),
    ("scheme_roundtrip", "empty scheme round trip, user -> daemon -> user", 1_500),
    ("scheme_read_1m", "1 MiB read from a daemon (64 MiB in all), per read", ZERO_HALF),
    ("zero_read_1m", "1 MiB read from zero: (Linux: /dev/zero)", None),
    ("console_write_4k", "console: write 4 KiB (Anode: serial daemon; Linux: ttyAMA0)", None),
    ("mutex_pingpong", "pthread mutex + condition variable turn, two threads", None),
]


def target_of(target, anode):
    """The target as a number for these Anode figures (None: none)."""
    if target == ZERO_HALF:
        zero = anode.get("zero_read_1m")
        return 2 * zero if zero else None
    return target
