/*
 * t_mqueue: POSIX message queues as Linux has them (mq_open, mq_unlink,
 * mq_timedsend, mq_timedreceive, mq_notify, mq_getsetattr).
 *
 * Names (ENOENT for "/", EACCES for "/a/b" and "/..", ENAMETOOLONG past
 * NAME_MAX, EEXIST, ENOENT); attributes (the 10/8192 defaults, EINVAL for
 * bad ones and EFAULT for a bad pointer, each creating nothing; EMFILE once
 * the user's queues would pin more than RLIMIT_MSGQUEUE's 819200 bytes,
 * and room again after unlink and close); priorities (highest first, FIFO
 * within one); EMSGSIZE both ways; EINVAL for MQ_PRIO_MAX; EAGAIN with
 * O_NONBLOCK (set by mq_setattr, whose bad flags change nothing); an
 * absolute timeout (ETIMEDOUT after it, at once when past, EINVAL for a
 * bad timespec, EFAULT for a bad pointer); the umask on the mode; EINTR
 * from a signal; EBADF for the wrong access mode or a non-queue; EFAULT for bad buffers; the
 * descriptor as a file (close-on-exec, fstat, the status line by read,
 * poll readiness, write EINVAL); mq_notify (SIGEV_SIGNAL with SI_MESGQ,
 * the value and the sender's pid, only on empty to non-empty, once;
 * EBUSY for another process; SIGEV_NONE; unregistering; bad sigevents;
 * SIGEV_THREAD's socket descriptor EBADF/ENOTSOCK); blocking send and
 * receive between two processes (ping-pong on two one-slot queues);
 * unlink while open.
 * Prints "PASS: t_mqueue" or "FAIL: t_mqueue: <reason>".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <mqueue.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "timeutil.h"

#define TEST_NAME "t_mqueue"
#include "check.h"

#define Q "/t_mqueue_q"
#define BAD_PTR ((void *)8)         /* never mapped (below USER_BASE) */
#define TIMEOUT_MS 50
#define SLACK_MS 2000               /* an upper bound for a 50 ms wait under TCG */
#define LONG_WAIT_MS 20000          /* "for ever" that still ends if broken */
#define DEFAULT_MAXMSG 10
#define DEFAULT_MSGSIZE 8192
#define QUEUES_FITTING 9            /* default queues under 819200 bytes */
#define PINGS 200
#define MSG_SMALL 16
#define FILENT_SIZE 80
#define NOTIFY_VALUE 42
#define SI_MESGQ_CODE (-3)
#define SIGNO_TOO_BIG 65
#define SIGEV_BAD 99
#define UMASK_TEST 022
#define MODE_ASKED 0666

static mqd_t open_attr(const char *name, int flags, long maxmsg, long msgsize)
{
	struct mq_attr a = { .mq_maxmsg = maxmsg, .mq_msgsize = msgsize };

	return mq_open(name, flags | O_CREAT, 0600, &a);
}

static struct timespec abs_after_ms(long ms)
{
	return ns_ts(now_ns(CLOCK_REALTIME) + ms * NSEC_PER_MSEC);
}

static void check_absent(const char *name, const char *what)
{
	CHECK_ERR(mq_open(name, O_RDWR), ENOENT, what);
}

static void test_names(void)
{
	char longname[300];

	CHECK_ERR(mq_open("/", O_RDWR | O_CREAT, 0600, NULL), ENOENT, "empty name");
	CHECK_ERR(mq_open("/a/b", O_RDWR | O_CREAT, 0600, NULL), EACCES, "name with '/'");
	CHECK_ERR(mq_open("/..", O_RDWR | O_CREAT, 0600, NULL), EACCES, "name ..");
	longname[0] = '/';
	memset(longname + 1, 'x', 256);
	longname[257] = 0;
	CHECK_ERR(mq_open(longname, O_RDWR | O_CREAT, 0600, NULL), ENAMETOOLONG, "256-byte name");
	longname[256] = 0; /* 255 bytes: NAME_MAX */
	mqd_t q = mq_open(longname, O_RDWR | O_CREAT | O_EXCL, 0600, NULL);
	CHECK(q != -1, "255-byte name: %s", strerror(errno));
	mq_close(q);
	CHECK(mq_unlink(longname) == 0, "unlink 255-byte name: %s", strerror(errno));
	CHECK_ERR((int)syscall(SYS_mq_open, BAD_PTR, O_RDWR | O_CREAT, 0600, NULL), EFAULT,
		  "bad name pointer");
	CHECK_ERR((int)syscall(SYS_mq_unlink, BAD_PTR), EFAULT, "unlink bad name pointer");
	check_absent(Q, "no queue yet");
	CHECK_ERR(mq_unlink(Q), ENOENT, "unlink of none");
	printf("t_mqueue: names ok\n");
}

static void test_attrs(void)
{
	struct mq_attr a;
	mqd_t q;

	CHECK_ERR(open_attr(Q, O_RDWR, 0, MSG_SMALL), EINVAL, "maxmsg 0");
	CHECK_ERR(open_attr(Q, O_RDWR, 1, -1), EINVAL, "msgsize -1");
	CHECK_ERR(open_attr(Q, O_RDWR, 100000, MSG_SMALL), EINVAL, "maxmsg past the hard limit");
	CHECK_ERR(open_attr(Q, O_RDWR, 1, 32 << 20), EINVAL, "msgsize past the hard limit");
	CHECK_ERR(mq_open(Q, O_RDWR | O_CREAT, 0600, BAD_PTR), EFAULT, "bad attr pointer");
	check_absent(Q, "bad attrs created nothing");

	q = mq_open(Q, O_RDWR | O_CREAT | O_EXCL, 0600, NULL);
	CHECK(q != -1, "create: %s", strerror(errno));
	CHECK_ERR(mq_open(Q, O_RDWR | O_CREAT | O_EXCL, 0600, NULL), EEXIST, "O_EXCL");
	CHECK_ERR(mq_open(Q, O_ACCMODE), EINVAL, "O_ACCMODE");
	CHECK(mq_getattr(q, &a) == 0, "getattr: %s", strerror(errno));
	CHECK(a.mq_maxmsg == DEFAULT_MAXMSG && a.mq_msgsize == DEFAULT_MSGSIZE &&
	      a.mq_curmsgs == 0 && a.mq_flags == 0, "defaults %ld/%ld/%ld/%ld", a.mq_maxmsg,
	      a.mq_msgsize, a.mq_curmsgs, a.mq_flags);
	CHECK(fcntl(q, F_GETFD) & FD_CLOEXEC, "mq_open's descriptor is close-on-exec");
	CHECK_ERR(mq_getattr(q, BAD_PTR), EFAULT, "getattr bad pointer");
	CHECK_ERR((int)syscall(SYS_mq_getsetattr, q, BAD_PTR, NULL), EFAULT, "setattr bad pointer");
	a.mq_flags = O_NONBLOCK | O_APPEND;
	CHECK_ERR(mq_setattr(q, &a, NULL), EINVAL, "bad mq_flags");
	CHECK(mq_getattr(q, &a) == 0 && a.mq_flags == 0, "bad mq_flags changed nothing");
	mq_close(q);
	CHECK(mq_unlink(Q) == 0, "unlink: %s", strerror(errno));

	/* The mode: the umask's bits go, the descriptor's fstat says it. */
	struct stat st;
	mode_t old = umask(UMASK_TEST);
	q = mq_open(Q, O_RDWR | O_CREAT | O_EXCL, MODE_ASKED, NULL);
	umask(old);
	CHECK(q != -1 && fstat(q, &st) == 0, "create with a umask: %s", strerror(errno));
	CHECK(S_ISREG(st.st_mode) && (st.st_mode & 07777) == (MODE_ASKED & ~UMASK_TEST) &&
	      st.st_uid == getuid(), "fstat mode %o uid %u", st.st_mode, st.st_uid);
	mq_close(q);
	CHECK(mq_unlink(Q) == 0, "unlink: %s", strerror(errno));
	printf("t_mqueue: attributes ok\n");
}

/* Default queues pin 82880 bytes each on Linux: the tenth passes 819200. */
static void test_accounting(void)
{
	mqd_t qs[QUEUES_FITTING];
	char name[32];

	for (int i = 0; i < QUEUES_FITTING; i++) {
		snprintf(name, sizeof(name), "/t_mqueue_acct%d", i);
		qs[i] = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, NULL);
		CHECK(qs[i] != -1, "queue %d: %s", i, strerror(errno));
	}
	CHECK_ERR(mq_open("/t_mqueue_acct_more", O_RDWR | O_CREAT, 0600, NULL), EMFILE,
		  "past RLIMIT_MSGQUEUE");
	check_absent("/t_mqueue_acct_more", "EMFILE created nothing");
	/* Unlinked but open: still charged; closed too: the bytes come back. */
	CHECK(mq_unlink("/t_mqueue_acct0") == 0, "unlink acct0");
	CHECK_ERR(mq_open("/t_mqueue_acct_more", O_RDWR | O_CREAT, 0600, NULL), EMFILE,
		  "an open unlinked queue is still charged");
	mq_close(qs[0]);
	mqd_t more = mq_open("/t_mqueue_acct_more", O_RDWR | O_CREAT, 0600, NULL);
	CHECK(more != -1, "after unlink and close: %s", strerror(errno));
	mq_close(more);
	mq_unlink("/t_mqueue_acct_more");
	for (int i = 1; i < QUEUES_FITTING; i++) {
		snprintf(name, sizeof(name), "/t_mqueue_acct%d", i);
		mq_close(qs[i]);
		CHECK(mq_unlink(name) == 0, "unlink %s", name);
	}
	printf("t_mqueue: accounting ok\n");
}

static void test_messages(void)
{
	static const struct { const char *text; unsigned prio; } in[] = {
		{ "a", 1 }, { "b", 5 }, { "c", 1 }, { "d", 5 }, { "e", 0 },
	};
	static const char order[] = "bdace";
	char buf[MSG_SMALL + 1], big[MSG_SMALL + 1] = { 0 }, line[FILENT_SIZE + 1];
	struct mq_attr a;
	unsigned prio;
	ssize_t n;
	mqd_t q = open_attr(Q, O_RDWR | O_EXCL, 8, MSG_SMALL);

	CHECK(q != -1, "create 8x16: %s", strerror(errno));
	CHECK_ERR(mq_send(q, big, MSG_SMALL + 1, 0), EMSGSIZE, "send too long");
	CHECK_ERR(mq_send(q, "x", 1, MQ_PRIO_MAX), EINVAL, "priority MQ_PRIO_MAX");
	CHECK_ERR(mq_send(q, BAD_PTR, 1, 0), EFAULT, "send bad buffer");
	CHECK(mq_getattr(q, &a) == 0 && a.mq_curmsgs == 0, "failed sends queued nothing");
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		CHECK(mq_send(q, in[i].text, 1, in[i].prio) == 0, "send %s: %s", in[i].text,
		      strerror(errno));
	CHECK(mq_send(q, "", 0, MQ_PRIO_MAX - 1) == 0, "empty message, top priority");

	/* The status line: QSIZE counts the text bytes. */
	n = read(q, line, sizeof(line) - 1);
	CHECK(n > 0, "read status: %s", strerror(errno));
	line[n] = 0;
	CHECK(!strcmp(line, "QSIZE:5          NOTIFY:0     SIGNO:0     NOTIFY_PID:0     \n"),
	      "status line '%s'", line);
	CHECK(read(q, line, sizeof(line)) == 0, "status read at its end");
	CHECK_ERR(write(q, "x", 1), EINVAL, "write to a queue");

	CHECK_ERR(mq_receive(q, buf, MSG_SMALL - 1, &prio), EMSGSIZE, "receive buffer too small");
	CHECK(mq_receive(q, buf, MSG_SMALL, &prio) == 0 && prio == MQ_PRIO_MAX - 1,
	      "empty message first");
	for (int i = 0; order[i]; i++) {
		n = mq_receive(q, buf, MSG_SMALL, &prio);
		CHECK(n == 1 && buf[0] == order[i], "message %d: got %zd '%c', want '%c'", i, n,
		      n > 0 ? buf[0] : '?', order[i]);
		CHECK(prio == (order[i] == 'b' || order[i] == 'd' ? 5u : order[i] == 'e' ? 0u : 1u),
		      "priority of '%c': %u", order[i], prio);
	}
	/* A bad priority pointer: EFAULT (the message is consumed, as Linux). */
	CHECK(mq_send(q, "z", 1, 0) == 0, "send z");
	CHECK_ERR(mq_receive(q, buf, MSG_SMALL, BAD_PTR), EFAULT, "receive bad prio pointer");
	CHECK(mq_send(q, "z", 1, 0) == 0, "send z again");
	CHECK_ERR(mq_receive(q, BAD_PTR, MSG_SMALL, NULL), EFAULT, "receive bad buffer");
	mq_close(q);
	mq_unlink(Q);
	printf("t_mqueue: priorities and sizes ok\n");
}

static void test_nonblock_timeouts(void)
{
	struct mq_attr a = { .mq_flags = O_NONBLOCK };
	struct timespec ts, bad = { .tv_sec = 0, .tv_nsec = -1 };
	struct pollfd pfd;
	char buf[MSG_SMALL];
	int64_t t0, el;
	mqd_t q = open_attr(Q, O_RDWR | O_EXCL, 1, MSG_SMALL);

	CHECK(q != -1, "create 1x16: %s", strerror(errno));
	pfd = (struct pollfd){ .fd = q, .events = POLLIN | POLLOUT };
	CHECK(poll(&pfd, 1, 0) == 1 && pfd.revents == POLLOUT, "empty: POLLOUT only (%x)",
	      pfd.revents);
	CHECK(mq_setattr(q, &a, NULL) == 0, "set O_NONBLOCK");
	CHECK(mq_getattr(q, &a) == 0 && a.mq_flags == O_NONBLOCK, "O_NONBLOCK read back");
	CHECK(fcntl(q, F_GETFL) & O_NONBLOCK, "the descriptor's O_NONBLOCK");
	CHECK_ERR(mq_receive(q, buf, MSG_SMALL, NULL), EAGAIN, "nonblocking receive, empty");
	CHECK(mq_send(q, "1", 1, 0) == 0, "send 1");
	CHECK(poll(&pfd, 1, 0) == 1 && pfd.revents == POLLIN, "full: POLLIN only (%x)",
	      pfd.revents);
	CHECK_ERR(mq_send(q, "2", 1, 0), EAGAIN, "nonblocking send, full");
	a.mq_flags = 0;
	CHECK(mq_setattr(q, &a, NULL) == 0, "clear O_NONBLOCK");

	/* Blocking, full: an absolute deadline. */
	CHECK_ERR(mq_timedsend(q, "2", 1, 0, &bad), EINVAL, "bad timespec");
	CHECK_ERR(mq_timedsend(q, "2", 1, 0, BAD_PTR), EFAULT, "bad timespec pointer");
	/* A second ago, but not before the epoch: without an RTC (the Pi)
	 * CLOCK_REALTIME starts there, and a negative time is EINVAL on
	 * Linux too. */
	ts = now_ns(CLOCK_REALTIME) > NSEC_PER_SEC ? abs_after_ms(-1000)
						   : (struct timespec){ .tv_nsec = 1 };
	CHECK_ERR(mq_timedsend(q, "2", 1, 0, &ts), ETIMEDOUT, "past deadline");
	t0 = now_ns(CLOCK_MONOTONIC);
	ts = abs_after_ms(TIMEOUT_MS);
	CHECK_ERR(mq_timedsend(q, "2", 1, 0, &ts), ETIMEDOUT, "send deadline");
	el = (now_ns(CLOCK_MONOTONIC) - t0) / NSEC_PER_MSEC;
	CHECK(el >= TIMEOUT_MS - 1 && el < SLACK_MS, "send waited %lld ms", (long long)el);
	CHECK(mq_receive(q, buf, MSG_SMALL, NULL) == 1, "receive 1");
	t0 = now_ns(CLOCK_MONOTONIC);
	ts = abs_after_ms(TIMEOUT_MS);
	CHECK_ERR(mq_timedreceive(q, buf, MSG_SMALL, NULL, &ts), ETIMEDOUT, "receive deadline");
	el = (now_ns(CLOCK_MONOTONIC) - t0) / NSEC_PER_MSEC;
	CHECK(el >= TIMEOUT_MS - 1 && el < SLACK_MS, "receive waited %lld ms", (long long)el);
	CHECK_ERR(mq_timedreceive(q, buf, MSG_SMALL, NULL, &bad), EINVAL, "receive bad timespec");
	mq_close(q);
	mq_unlink(Q);
	printf("t_mqueue: O_NONBLOCK and timeouts ok\n");
}

static void on_alarm(int sig)
{
	(void)sig;
}

static void test_eintr_ebadf(void)
{
	struct sigaction sa = { .sa_handler = on_alarm }; /* no SA_RESTART */
	struct itimerval it = { .it_value = { .tv_usec = TIMEOUT_MS * 1000 } };
	struct timespec ts;
	char buf[MSG_SMALL];
	int p[2];
	mqd_t q = open_attr(Q, O_RDWR | O_EXCL, 1, MSG_SMALL), r, w;

	CHECK(q != -1, "create: %s", strerror(errno));
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	ts = abs_after_ms(LONG_WAIT_MS);
	CHECK_ERR(mq_timedreceive(q, buf, MSG_SMALL, NULL, &ts), EINTR, "signal in receive");
	/* With SA_RESTART the receive goes on after the handler (as Linux),
	 * until its deadline. */
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	ts = abs_after_ms(2 * TIMEOUT_MS + TIMEOUT_MS / 2);
	CHECK_ERR(mq_timedreceive(q, buf, MSG_SMALL, NULL, &ts), ETIMEDOUT, "SA_RESTART receive");

	r = mq_open(Q, O_RDONLY);
	w = mq_open(Q, O_WRONLY);
	CHECK(r != -1 && w != -1, "reopen: %s", strerror(errno));
	CHECK_ERR(mq_send(r, "x", 1, 0), EBADF, "send on O_RDONLY");
	CHECK_ERR(mq_receive(w, buf, MSG_SMALL, NULL), EBADF, "receive on O_WRONLY");
	CHECK(pipe(p) == 0, "pipe");
	CHECK_ERR(mq_send(p[1], "x", 1, 0), EBADF, "send on a pipe");
	CHECK_ERR(mq_notify(p[0], NULL), EBADF, "notify on a pipe");
	CHECK_ERR(mq_getattr(-1, &(struct mq_attr){ 0 }), EBADF, "getattr on -1");
	mq_close(r);
	mq_close(w);
	mq_close(q);
	CHECK(mq_unlink(Q) == 0, "unlink: %s", strerror(errno));

	/* Unlinked while open: the name goes, the queue works on. */
	q = open_attr(Q, O_RDWR | O_EXCL, 1, MSG_SMALL);
	CHECK(q != -1 && mq_unlink(Q) == 0, "unlink open queue: %s", strerror(errno));
	check_absent(Q, "unlinked name");
	CHECK_ERR(mq_unlink(Q), ENOENT, "second unlink");
	CHECK(mq_send(q, "k", 1, 0) == 0 && mq_receive(q, buf, MSG_SMALL, NULL) == 1 &&
	      buf[0] == 'k', "unlinked queue works");
	mq_close(q);
	close(p[0]);
	close(p[1]);
	printf("t_mqueue: EINTR, EBADF, unlink ok\n");
}

/* Sends one message from a child process, then waits for it. */
static void child_send(mqd_t q, const char *text)
{
	int st;
	pid_t pid = fork();

	if (pid == 0)
		_exit(mq_send(q, text, strlen(text), 0) == 0 ? 0 : 1);
	CHECK(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "child send");
}

static void check_status(mqd_t q, int notify, int signo, int pid)
{
	char line[FILENT_SIZE + 1], want[FILENT_SIZE + 1];
	ssize_t n = pread(q, line, FILENT_SIZE, 0);
	struct mq_attr a;
	long qsize = 0;

	CHECK(n > 0, "status: %s", strerror(errno));
	line[n] = 0;
	mq_getattr(q, &a);
	sscanf(line, "QSIZE:%ld", &qsize);
	snprintf(want, sizeof(want), "QSIZE:%-10ld NOTIFY:%-5d SIGNO:%-5d NOTIFY_PID:%-6d\n",
		 qsize, notify, signo, pid);
	CHECK(!strcmp(line, want), "status '%s', want '%s'", line, want);
}

static void drain(mqd_t q)
{
	struct mq_attr a;
	char buf[MSG_SMALL];

	CHECK(mq_getattr(q, &a) == 0, "getattr");
	for (long i = 0; i < a.mq_curmsgs; i++)
		CHECK(mq_receive(q, buf, MSG_SMALL, NULL) >= 0, "drain: %s", strerror(errno));
}

static void test_notify(void)
{
	struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1,
			       .sigev_value.sival_int = NOTIFY_VALUE };
	struct timespec zero = { 0 }, wait = { .tv_sec = LONG_WAIT_MS / 1000 };
	char buf[MSG_SMALL];
	siginfo_t si;
	sigset_t set;
	int st, p[2];
	pid_t pid;
	mqd_t q = open_attr(Q, O_RDWR | O_EXCL, 4, MSG_SMALL);

	CHECK(q != -1, "create: %s", strerror(errno));
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);

	CHECK_ERR((int)syscall(SYS_mq_notify, q, BAD_PTR), EFAULT, "bad sigevent pointer");
	CHECK_ERR(mq_notify(q, &(struct sigevent){ .sigev_notify = SIGEV_BAD }), EINVAL,
		  "bad sigev_notify");
	CHECK_ERR(mq_notify(q, &(struct sigevent){ .sigev_notify = SIGEV_SIGNAL,
						   .sigev_signo = SIGNO_TOO_BIG }), EINVAL,
		  "bad signal");
	/* SIGEV_THREAD at the system call names a netlink socket. */
	CHECK(pipe(p) == 0, "pipe");
	CHECK_ERR((int)syscall(SYS_mq_notify, q, &(struct sigevent){ .sigev_notify = SIGEV_THREAD,
		  .sigev_signo = -1, .sigev_value.sival_ptr = buf }), EBADF, "SIGEV_THREAD, no fd");
	CHECK_ERR((int)syscall(SYS_mq_notify, q, &(struct sigevent){ .sigev_notify = SIGEV_THREAD,
		  .sigev_signo = p[0], .sigev_value.sival_ptr = buf }), ENOTSOCK,
		  "SIGEV_THREAD, a pipe");
	close(p[0]);
	close(p[1]);
	check_status(q, 0, 0, 0);

	CHECK(mq_notify(q, &ev) == 0, "register: %s", strerror(errno));
	check_status(q, SIGEV_SIGNAL, SIGUSR1, getpid());
	CHECK_ERR(mq_notify(q, &ev), EBUSY, "second registration");
	pid = fork();
	if (pid == 0)
		_exit(mq_notify(q, &ev) == -1 && errno == EBUSY ? 0 : 1);
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && !WEXITSTATUS(st),
	      "another process gets EBUSY");
	/* The child's unregistering is not the owner's: nothing changes. */
	pid = fork();
	if (pid == 0)
		_exit(mq_notify(q, NULL));
	waitpid(pid, &st, 0);
	check_status(q, SIGEV_SIGNAL, SIGUSR1, getpid());

	pid = fork();
	if (pid == 0)
		_exit(mq_send(q, "n", 1, 0) == 0 ? 0 : 1);
	CHECK(sigtimedwait(&set, &si, &wait) == SIGUSR1, "notification: %s", strerror(errno));
	CHECK(si.si_code == SI_MESGQ_CODE && si.si_value.sival_int == NOTIFY_VALUE &&
	      si.si_pid == pid && si.si_uid == getuid(),
	      "siginfo code %d value %d pid %d (want %d)", si.si_code, si.si_value.sival_int,
	      si.si_pid, pid);
	waitpid(pid, &st, 0);
	check_status(q, 0, 0, 0); /* delivered, so unregistered */

	/* Only empty to non-empty notifies. */
	CHECK(mq_notify(q, &ev) == 0, "register again");
	child_send(q, "m");
	CHECK_ERR(sigtimedwait(&set, &si, &zero), EAGAIN, "no signal on a non-empty queue");
	check_status(q, SIGEV_SIGNAL, SIGUSR1, getpid());
	CHECK(mq_notify(q, NULL) == 0, "unregister");
	check_status(q, 0, 0, 0);
	drain(q);

	/* SIGEV_NONE registers, and goes on the first message. */
	CHECK(mq_notify(q, &(struct sigevent){ .sigev_notify = SIGEV_NONE }) == 0, "SIGEV_NONE");
	check_status(q, SIGEV_NONE, 0, getpid());
	child_send(q, "o");
	check_status(q, 0, 0, 0);
	CHECK_ERR(sigtimedwait(&set, &si, &zero), EAGAIN, "no signal for SIGEV_NONE");
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	mq_close(q);
	mq_unlink(Q);
	printf("t_mqueue: mq_notify ok\n");
}

/* Two one-slot queues: each side blocks in receive (and in send when the
 * slot is still taken) until the other moves. */
static void test_pingpong(void)
{
	mqd_t ping = open_attr("/t_mqueue_ping", O_RDWR | O_EXCL, 1, MSG_SMALL);
	mqd_t pong = open_attr("/t_mqueue_pong", O_RDWR | O_EXCL, 1, MSG_SMALL);
	int st, v;
	pid_t pid;

	CHECK(ping != -1 && pong != -1, "create ping/pong: %s", strerror(errno));
	pid = fork();
	if (pid == 0) {
		for (int i = 0; i < PINGS; i++) {
			if (mq_receive(ping, (char *)&v, MSG_SMALL, NULL) != sizeof(v) || v != i)
				_exit(1);
			v = -i;
			if (mq_send(pong, (char *)&v, sizeof(v), 0))
				_exit(2);
		}
		_exit(0);
	}
	for (int i = 0; i < PINGS; i++) {
		CHECK(mq_send(ping, (char *)&i, sizeof(i), 0) == 0, "ping %d", i);
		CHECK(mq_receive(pong, (char *)&v, MSG_SMALL, NULL) == sizeof(v) && v == -i,
		      "pong %d", i);
	}
	/* A sender blocked on a full queue goes on once a receiver takes one. */
	CHECK(mq_send(ping, (char *)&v, sizeof(v), 0) == 0, "fill ping");
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && !WEXITSTATUS(st),
	      "ping-pong child: %d", WEXITSTATUS(st));
	pid = fork();
	if (pid == 0)
		_exit(mq_send(ping, "full", 4, 0) ? 1 : 0);
	CHECK(mq_receive(ping, (char *)&v, MSG_SMALL, NULL) == sizeof(v), "take the filler");
	char buf[MSG_SMALL];
	CHECK(mq_receive(ping, buf, MSG_SMALL, NULL) == 4 && !memcmp(buf, "full", 4),
	      "the blocked sender's message");
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && !WEXITSTATUS(st), "blocked sender");
	mq_close(ping);
	mq_close(pong);
	mq_unlink("/t_mqueue_ping");
	mq_unlink("/t_mqueue_pong");
	printf("t_mqueue: blocking between processes ok\n");
}

int main(void)
{
	mq_unlink(Q); /* a leftover of an earlier failed run */
	test_names();
	test_attrs();
	test_accounting();
	test_messages();
	test_nonblock_timeouts();
	test_eintr_ebadf();
	test_notify();
	test_pingpong();
	printf("PASS: t_mqueue\n");
	return 0;
}
