/*
 * t_wait: waitid and wait4's options.
 * waitid with P_PID, P_PGID and P_ALL fills siginfo (SIGCHLD, CLD_EXITED
 * with the exit code, CLD_KILLED with the signal, si_pid, si_uid); WNOWAIT
 * leaves the child reapable (a second waitid and then waitpid see it);
 * WNOHANG returns 0 (waitid: si_pid 0) while the child runs; WUNTRACED and
 * WCONTINUED are accepted and report nothing for a child that neither
 * stops nor continues; a wait for stops and continues only gives ECHILD for
 * an exited child and does not reap it; malformed calls give EINVAL (no event option, bad idtype,
 * P_PID 0, WNOWAIT to wait4) and change nothing; ECHILD without children.
 * Prints "PASS: t_wait" or "FAIL: t_wait: <reason>".
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define EXIT_CODE 7
#define BAD_IDTYPE 42

#define FAIL(...) do { \
	printf("FAIL: t_wait: " __VA_ARGS__); \
	printf("\n"); \
	exit(1); \
} while (0)

/* A child that exits with code (code >= 0) or pauses until killed. */
static pid_t child(int code)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		FAIL("fork: %s", strerror(errno));
	if (pid == 0) {
		if (code < 0)
			pause();
		_exit(code);
	}
	return pid;
}

static void check_info(const siginfo_t *si, pid_t pid, int code, int status, const char *what)
{
	if (si->si_signo != SIGCHLD || si->si_pid != pid || si->si_code != code ||
	    si->si_status != status || si->si_uid != getuid())
		FAIL("%s: signo %d pid %d (want %d) code %d (want %d) status %d (want %d) uid %d",
		     what, si->si_signo, si->si_pid, pid, si->si_code, code, si->si_status, status,
		     (int)si->si_uid);
}

static void waitid_ok(idtype_t type, id_t id, siginfo_t *si, int options, const char *what)
{
	memset(si, 0xff, sizeof(*si));
	if (waitid(type, id, si, options) != 0)
		FAIL("%s: waitid: %s", what, strerror(errno));
}

static void expect_einval(long ret, const char *what)
{
	if (ret != -1 || errno != EINVAL)
		FAIL("%s: returned %ld errno %d, want EINVAL", what, ret, errno);
}

static void idtype_test(void)
{
	siginfo_t si;
	pid_t pid;
	int status;

	/* P_PID with WNOWAIT twice, then reaped by waitpid. */
	pid = child(EXIT_CODE);
	waitid_ok(P_PID, pid, &si, WEXITED | WNOWAIT, "P_PID WNOWAIT");
	check_info(&si, pid, CLD_EXITED, EXIT_CODE, "P_PID WNOWAIT");
	waitid_ok(P_PID, pid, &si, WEXITED | WNOWAIT, "P_PID WNOWAIT again");
	check_info(&si, pid, CLD_EXITED, EXIT_CODE, "P_PID WNOWAIT again");
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != EXIT_CODE)
		FAIL("waitpid after WNOWAIT: %s, status %#x", strerror(errno), status);
	printf("t_wait: waitid P_PID, WNOWAIT leaves the child reapable ok\n");

	/* P_PGID: a child in a group of its own, killed. */
	pid = child(-1);
	if (setpgid(pid, pid) != 0)
		FAIL("setpgid: %s", strerror(errno));
	kill(pid, SIGKILL);
	waitid_ok(P_PGID, pid, &si, WEXITED, "P_PGID");
	check_info(&si, pid, CLD_KILLED, SIGKILL, "P_PGID");
	if (waitpid(pid, &status, WNOHANG) != -1 || errno != ECHILD)
		FAIL("P_PGID without WNOWAIT did not reap");
	printf("t_wait: waitid P_PGID, CLD_KILLED ok\n");

	/* P_ALL, with WNOHANG while it runs. */
	pid = child(-1);
	memset(&si, 0xff, sizeof(si));
	if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG) != 0 || si.si_pid != 0)
		FAIL("P_ALL WNOHANG with a running child: %s, si_pid %d code %d status %d",
		     strerror(errno), si.si_pid, si.si_code, si.si_status);
	if (waitpid(pid, &status, WNOHANG | WUNTRACED | WCONTINUED) != 0)
		FAIL("wait4 WNOHANG|WUNTRACED|WCONTINUED on a running child: %s",
		     strerror(errno));
	kill(pid, SIGTERM);
	/* A wait for stops and continues only does not reap an exit. */
	waitid_ok(P_PID, pid, &si, WEXITED | WNOWAIT, "waiting for the exit");
	/* Linux: an exited child is no candidate then (ECHILD, not a wait). */
	if (waitid(P_PID, pid, &si, WSTOPPED | WCONTINUED) != -1 || errno != ECHILD)
		FAIL("WSTOPPED|WCONTINUED on an exited child: errno %d, want ECHILD", errno);
	waitid_ok(P_ALL, 0, &si, WEXITED, "P_ALL");
	check_info(&si, pid, CLD_KILLED, SIGTERM, "P_ALL");
	printf("t_wait: waitid P_ALL, WNOHANG, WSTOPPED does not reap an exit ok\n");
}

static void error_test(void)
{
	siginfo_t si;
	pid_t pid = child(EXIT_CODE);
	int status;

	expect_einval(waitid(P_PID, pid, &si, 0), "waitid with no event option");
	expect_einval(waitid(P_PID, pid, &si, WNOHANG), "waitid WNOHANG alone");
	expect_einval(waitid((idtype_t)BAD_IDTYPE, pid, &si, WEXITED), "bad idtype");
	expect_einval(waitid(P_PID, 0, &si, WEXITED), "P_PID 0");
	expect_einval(waitid(P_PGID, (id_t)-1, &si, WEXITED), "P_PGID -1");
	expect_einval(waitid(P_PID, pid, &si, WEXITED | 0x100), "unknown option");
	/* raw: musl's waitpid passes options through unchanged, but be sure */
	expect_einval(syscall(SYS_wait4, pid, &status, WNOWAIT, NULL), "wait4 WNOWAIT");
	expect_einval(syscall(SYS_wait4, pid, &status, 0x100, NULL), "wait4 unknown option");
	/* Nothing happened to the child: still reapable. */
	if (waitpid(pid, &status, 0) != pid || WEXITSTATUS(status) != EXIT_CODE)
		FAIL("the child after the malformed calls: %s", strerror(errno));
	if (waitid(P_ALL, 0, &si, WEXITED) != -1 || errno != ECHILD)
		FAIL("waitid without children: want ECHILD");
	if (waitpid(-1, &status, WNOHANG) != -1 || errno != ECHILD)
		FAIL("waitpid without children: want ECHILD");
	printf("t_wait: EINVAL cases change nothing; ECHILD ok\n");
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	idtype_test();
	error_test();
	printf("PASS: t_wait\n");
	return 0;
}
