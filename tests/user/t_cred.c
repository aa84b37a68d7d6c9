/*
 * t_cred: credentials (Linux's rules; runs as root, each case in a child so
 * the next starts as root again). The get calls; setgroups/getgroups (sorted,
 * sizes, EINVAL, EFAULT, EPERM once unprivileged); setuid, setreuid,
 * setresuid and their gid twins through every transition Linux allows and
 * the EPERM cases; setfsuid's old-id answer; getresuid's EFAULT; threads
 * sharing the ids after libc's setuid; kill across users (a child that
 * dropped to uid 1000 gets EPERM for kill, tgkill and rt_sigqueueinfo to a
 * root process, which survives, may signal its own uid's processes, and may
 * send SIGCONT within its session); a program (0755) still runs after the
 * drop, a copy of this one with mode 0700 runs for root and is EACCES for
 * uid 1000. Prints "PASS: t_cred" or "FAIL: t_cred: <reason>".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define TEST_NAME "t_cred"
#include "check.h"

#define USER_ID 1000
#define OTHER_ID 1001
#define THIRD_ID 1002
#define STRANGER_ID 4242
#define LINUX_NGROUPS_MAX 65536
#define BAD_PTR ((void *)8) /* unmapped */
#define KEEP ((uid_t)-1)
#define OWNER_ONLY_EXE "/tmp/t_cred.exe" /* a copy of this program, mode 0700 */
#define OWNER_ONLY_MODE 0700
#define EXIT_ARG "exit0"                  /* run as that copy: exit 0 at once */

/* Runs fn in a child and checks it exited 0 (its FAIL line says why not). */
static void in_child(void (*fn)(void), const char *what)
{
	int status;
	pid_t pid = fork();

	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		fn();
		exit(0);
	}
	CHECK(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s: child status %#x", what, status);
	printf("t_cred: %s ok\n", what);
}

static void expect_resuid(uid_t r, uid_t e, uid_t s)
{
	uid_t gr, ge, gs;

	CHECK(getresuid(&gr, &ge, &gs) == 0, "getresuid: %s", strerror(errno));
	CHECK(gr == r && ge == e && gs == s, "uids %u/%u/%u, want %u/%u/%u", gr, ge, gs, r, e, s);
	CHECK(getuid() == r && geteuid() == e, "getuid/geteuid %u/%u", getuid(), geteuid());
	/* The file-system uid follows the effective one. */
	CHECK((uid_t)setfsuid(KEEP) == e, "fsuid %d, want %u", setfsuid(KEEP), e);
}

static void expect_resgid(gid_t r, gid_t e, gid_t s)
{
	gid_t gr, ge, gs;

	CHECK(getresgid(&gr, &ge, &gs) == 0, "getresgid: %s", strerror(errno));
	CHECK(gr == r && ge == e && gs == s, "gids %u/%u/%u, want %u/%u/%u", gr, ge, gs, r, e, s);
	CHECK(getgid() == r && getegid() == e, "getgid/getegid %u/%u", getgid(), getegid());
	CHECK((gid_t)setfsgid(KEEP) == e, "fsgid %d, want %u", setfsgid(KEEP), e);
}

static void start_as_root(void)
{
	expect_resuid(0, 0, 0);
	expect_resgid(0, 0, 0);
}

static void groups(void)
{
	gid_t set[] = { 30, 10, 20 }, got[4];

	CHECK(setgroups(3, set) == 0, "setgroups: %s", strerror(errno));
	CHECK(getgroups(0, NULL) == 3, "getgroups(0) %d", getgroups(0, NULL));
	CHECK(getgroups(4, got) == 3, "getgroups(4)");
	CHECK(got[0] == 10 && got[1] == 20 && got[2] == 30, "groups not sorted: %u %u %u",
	      got[0], got[1], got[2]);
	CHECK_ERR(getgroups(2, got), EINVAL, "getgroups smaller than the set");
	CHECK_ERR(syscall(SYS_getgroups, -1, got), EINVAL, "getgroups(-1)");
	CHECK_ERR(syscall(SYS_getgroups, 3, BAD_PTR), EFAULT, "getgroups to a bad pointer");
	CHECK_ERR(syscall(SYS_setgroups, 1, BAD_PTR), EFAULT, "setgroups from a bad pointer");
	CHECK_ERR(syscall(SYS_setgroups, LINUX_NGROUPS_MAX + 1, got), EINVAL, "setgroups too many");
	CHECK_ERR(syscall(SYS_setgroups, -1, got), EINVAL, "setgroups(-1)");
	CHECK(getgroups(0, NULL) == 3, "a refused setgroups changed the set");
	CHECK(setgroups(0, NULL) == 0 && getgroups(0, NULL) == 0, "emptying the groups");
	CHECK(setgroups(1, set) == 0 && setuid(USER_ID) == 0, "drop to uid %d", USER_ID);
	CHECK_ERR(setgroups(1, set), EPERM, "setgroups unprivileged");
	CHECK(getgroups(1, got) == 1 && got[0] == 30, "the groups survive setuid");
}

static void uid_setuid(void)
{
	CHECK(setuid(USER_ID) == 0, "setuid as root: %s", strerror(errno));
	expect_resuid(USER_ID, USER_ID, USER_ID);
	CHECK_ERR(setuid(0), EPERM, "setuid(0) back");
	CHECK_ERR(syscall(SYS_setuid, KEEP), EINVAL, "setuid(-1)");
	CHECK(setuid(USER_ID) == 0, "setuid to one's own uid");
}

static void uid_setresuid(void)
{
	CHECK(setresuid(USER_ID, OTHER_ID, THIRD_ID) == 0, "setresuid as root: %s", strerror(errno));
	expect_resuid(USER_ID, OTHER_ID, THIRD_ID);
	/* Unprivileged now: any of the three, nothing else. */
	CHECK(setresuid(KEEP, THIRD_ID, KEEP) == 0, "euid := saved: %s", strerror(errno));
	expect_resuid(USER_ID, THIRD_ID, THIRD_ID);
	CHECK_ERR(setresuid(KEEP, 0, KEEP), EPERM, "euid := 0");
	CHECK_ERR(setresuid(STRANGER_ID, KEEP, KEEP), EPERM, "ruid := stranger");
	CHECK_ERR(setresuid(KEEP, KEEP, STRANGER_ID), EPERM, "suid := stranger");
	expect_resuid(USER_ID, THIRD_ID, THIRD_ID);
	CHECK(setresuid(THIRD_ID, USER_ID, USER_ID) == 0, "permuting the ids: %s", strerror(errno));
	expect_resuid(THIRD_ID, USER_ID, USER_ID);
	/* setuid unprivileged: only the effective id, to the real or saved. */
	CHECK(setuid(THIRD_ID) == 0, "setuid to the real uid: %s", strerror(errno));
	expect_resuid(THIRD_ID, THIRD_ID, USER_ID);
	CHECK(setuid(USER_ID) == 0, "setuid to the saved uid: %s", strerror(errno));
	expect_resuid(THIRD_ID, USER_ID, USER_ID);
	CHECK_ERR(setuid(STRANGER_ID), EPERM, "setuid to a stranger");
}

static void uid_setreuid(void)
{
	CHECK(setreuid(USER_ID, OTHER_ID) == 0, "setreuid as root: %s", strerror(errno));
	/* The real id was set: the saved one follows the new effective one. */
	expect_resuid(USER_ID, OTHER_ID, OTHER_ID);
	/* Effective back to the real id: the saved id stays. */
	CHECK(setreuid(KEEP, USER_ID) == 0, "euid := ruid: %s", strerror(errno));
	expect_resuid(USER_ID, USER_ID, OTHER_ID);
	CHECK_ERR(setreuid(OTHER_ID, KEEP), EPERM, "ruid := saved (only real or effective)");
	/* Effective to the saved id, away from the real: saved := effective. */
	CHECK(setreuid(KEEP, OTHER_ID) == 0, "euid := suid: %s", strerror(errno));
	expect_resuid(USER_ID, OTHER_ID, OTHER_ID);
	CHECK(setreuid(OTHER_ID, USER_ID) == 0, "swap real and effective: %s", strerror(errno));
	expect_resuid(OTHER_ID, USER_ID, USER_ID);
	CHECK_ERR(setreuid(KEEP, STRANGER_ID), EPERM, "euid := stranger");
	CHECK(setreuid(KEEP, KEEP) == 0, "setreuid(-1, -1)");
	expect_resuid(OTHER_ID, USER_ID, USER_ID);
}

static void uid_setfsuid(void)
{
	CHECK(setresuid(USER_ID, OTHER_ID, THIRD_ID) == 0, "setresuid: %s", strerror(errno));
	/* Always the old id; a refused one changes nothing. */
	CHECK(setfsuid(THIRD_ID) == OTHER_ID, "setfsuid to the saved uid");
	CHECK(setfsuid(STRANGER_ID) == THIRD_ID, "setfsuid to a stranger answers the old id");
	CHECK(setfsuid(KEEP) == THIRD_ID, "a refused setfsuid changed the id");
	/* The other ids stay; a change of the effective id resets it. */
	CHECK(geteuid() == OTHER_ID && getuid() == USER_ID, "setfsuid moved other ids");
	CHECK(setresuid(KEEP, USER_ID, KEEP) == 0, "euid := ruid: %s", strerror(errno));
	expect_resuid(USER_ID, USER_ID, THIRD_ID);
}

static void gids(void)
{
	CHECK(setresgid(USER_ID, OTHER_ID, THIRD_ID) == 0, "setresgid as root: %s", strerror(errno));
	expect_resgid(USER_ID, OTHER_ID, THIRD_ID);
	CHECK(setregid(OTHER_ID, THIRD_ID) == 0, "setregid as root: %s", strerror(errno));
	expect_resgid(OTHER_ID, THIRD_ID, THIRD_ID);
	CHECK(setgid(USER_ID) == 0, "setgid as root: %s", strerror(errno));
	expect_resgid(USER_ID, USER_ID, USER_ID);
	CHECK(setresgid(USER_ID, OTHER_ID, THIRD_ID) == 0, "setresgid: %s", strerror(errno));
	/* Privilege is the effective uid's: drop it, then the gid rules bite. */
	CHECK(setresuid(USER_ID, USER_ID, USER_ID) == 0, "drop the uids: %s", strerror(errno));
	CHECK(setresgid(KEEP, THIRD_ID, KEEP) == 0, "egid := saved: %s", strerror(errno));
	expect_resgid(USER_ID, THIRD_ID, THIRD_ID);
	CHECK_ERR(setresgid(KEEP, 0, KEEP), EPERM, "egid := 0");
	CHECK_ERR(setgid(STRANGER_ID), EPERM, "setgid to a stranger");
	CHECK_ERR(setregid(STRANGER_ID, KEEP), EPERM, "rgid := stranger");
	CHECK(setgid(USER_ID) == 0, "setgid to the real gid: %s", strerror(errno));
	expect_resgid(USER_ID, USER_ID, THIRD_ID);
	CHECK(setfsgid(STRANGER_ID) == USER_ID && setfsgid(KEEP) == USER_ID,
	      "a refused setfsgid changed the fsgid");
}

static void efault(void)
{
	uid_t a, b;

	CHECK_ERR(syscall(SYS_getresuid, BAD_PTR, &a, &b), EFAULT, "getresuid to a bad pointer");
	CHECK_ERR(syscall(SYS_getresgid, &a, &b, BAD_PTR), EFAULT, "getresgid to a bad pointer");
}

static int thread_pipe[2], answer_pipe[2];

static void *report_uid(void *arg)
{
	char c;
	uid_t ids[2];

	(void)arg;
	CHECK(read(thread_pipe[0], &c, 1) == 1, "thread: read");
	ids[0] = (uid_t)syscall(SYS_getuid);
	ids[1] = (uid_t)syscall(SYS_geteuid);
	CHECK(write(answer_pipe[1], ids, sizeof(ids)) == sizeof(ids), "thread: write");
	return NULL;
}

/* libc's setuid reaches every thread (Linux: a signal to each; Anode: the
 * credentials are the process's). */
static void threads_share(void)
{
	pthread_t t;
	uid_t ids[2];

	CHECK(pipe(thread_pipe) == 0 && pipe(answer_pipe) == 0, "pipe: %s", strerror(errno));
	CHECK(pthread_create(&t, NULL, report_uid, NULL) == 0, "pthread_create");
	CHECK(setuid(USER_ID) == 0, "setuid with a thread: %s", strerror(errno));
	CHECK(write(thread_pipe[1], "x", 1) == 1, "write");
	CHECK(read(answer_pipe[0], ids, sizeof(ids)) == sizeof(ids), "read");
	CHECK(ids[0] == USER_ID && ids[1] == USER_ID, "the other thread sees uid %u/%u", ids[0], ids[1]);
	pthread_join(t, NULL);
}

static pid_t root_target;

static void unprivileged_kills(void)
{
	siginfo_t si;
	pid_t mate;
	int status;

	CHECK(setuid(USER_ID) == 0, "setuid: %s", strerror(errno));
	CHECK_ERR(kill(root_target, SIGKILL), EPERM, "kill of root's process");
	CHECK_ERR(kill(root_target, 0), EPERM, "kill 0 of root's process");
	CHECK_ERR(syscall(SYS_tgkill, root_target, root_target, SIGKILL), EPERM, "tgkill");
	memset(&si, 0, sizeof(si));
	si.si_signo = SIGKILL;
	si.si_code = SI_QUEUE;
	CHECK_ERR(syscall(SYS_rt_sigqueueinfo, root_target, SIGKILL, &si), EPERM, "sigqueue");
	/* kill(-1) skips what it may not signal: no EPERM (signal 0 only). */
	CHECK(kill(-1, 0) == 0, "kill(-1, 0): %s", strerror(errno));
	/* SIGCONT within one's session is allowed whoever the target is. */
	CHECK(kill(root_target, SIGCONT) == 0, "SIGCONT in the session: %s", strerror(errno));
	/* A process of one's own uid. */
	mate = fork();
	CHECK(mate >= 0, "fork");
	if (mate == 0) {
		pause();
		_exit(0);
	}
	CHECK(kill(mate, SIGKILL) == 0, "kill of one's own uid: %s", strerror(errno));
	CHECK(waitpid(mate, &status, 0) == mate && WIFSIGNALED(status), "mate not killed");
	/* A 0755 program still runs for uid 1000. */
	mate = fork();
	CHECK(mate >= 0, "fork");
	if (mate == 0) {
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	CHECK(waitpid(mate, &status, 0) == mate && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "/bin/true as uid %d: status %#x", USER_ID, status);
}

/* Copies the program at self to OWNER_ONLY_EXE, mode 0700, owned by root. */
static void copy_self(const char *self)
{
	char buf[4096];
	int in = open(self, O_RDONLY);
	int out = open(OWNER_ONLY_EXE, O_WRONLY | O_CREAT | O_TRUNC, OWNER_ONLY_MODE);
	ssize_t n;

	CHECK(in >= 0 && out >= 0, "copying %s: %s", self, strerror(errno));
	while ((n = read(in, buf, sizeof(buf))) > 0)
		CHECK(write(out, buf, (size_t)n) == n, "write: %s", strerror(errno));
	CHECK(n == 0 && fchmod(out, OWNER_ONLY_MODE) == 0, "copy: %s", strerror(errno));
	close(in);
	close(out);
}

static int run_copy(void)
{
	int status;
	pid_t kid = fork();

	CHECK(kid >= 0, "fork");
	if (kid == 0) {
		execl(OWNER_ONLY_EXE, OWNER_ONLY_EXE, EXIT_ARG, (char *)NULL);
		_exit(errno == EACCES ? 126 : 127);
	}
	CHECK(waitpid(kid, &status, 0) == kid && WIFEXITED(status), "wait");
	return WEXITSTATUS(status);
}

static void exec_as_user(void)
{
	CHECK(setuid(USER_ID) == 0, "setuid: %s", strerror(errno));
	CHECK(run_copy() == 126, "uid %d ran root's 0700 program (or not EACCES)", USER_ID);
}

/* execve checks the execute permission against the caller's ids: root's
 * 0700 program runs for root, and is EACCES for uid 1000. */
static void exec_permission(const char *self)
{
	copy_self(self);
	CHECK(run_copy() == 0, "root could not run its 0700 program");
	in_child(exec_as_user, "exec permission");
	CHECK(unlink(OWNER_ONLY_EXE) == 0, "unlink: %s", strerror(errno));
}

static void kills(void)
{
	int status;

	root_target = fork();
	CHECK(root_target >= 0, "fork");
	if (root_target == 0) {
		pause();
		_exit(0);
	}
	in_child(unprivileged_kills, "kill across users");
	/* Still alive after all that: only root can end it. */
	CHECK(waitpid(root_target, &status, WNOHANG) == 0, "root's process died");
	CHECK(kill(root_target, SIGKILL) == 0, "root's kill: %s", strerror(errno));
	CHECK(waitpid(root_target, &status, 0) == root_target && WIFSIGNALED(status) &&
	      WTERMSIG(status) == SIGKILL, "root's process status %#x", status);
}

int main(int argc, char *argv[])
{
	if (argc > 1 && strcmp(argv[1], EXIT_ARG) == 0)
		return 0;
	setvbuf(stdout, NULL, _IONBF, 0);
	start_as_root();
	in_child(groups, "setgroups/getgroups");
	in_child(uid_setuid, "setuid");
	in_child(uid_setresuid, "setresuid");
	in_child(uid_setreuid, "setreuid");
	in_child(uid_setfsuid, "setfsuid");
	in_child(gids, "gid calls");
	in_child(efault, "EFAULT");
	in_child(threads_share, "threads share the ids");
	kills();
	exec_permission(argv[0]);
	start_as_root();
	printf("PASS: t_cred\n");
	return 0;
}
