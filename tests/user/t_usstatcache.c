/*
 * t_usstatcache.c: the kernel's stat cache against a daemon that allows
 * it (Anode only: scheme_proto.h's SCHEME_AUX_CACHE, the change stamp of
 * kernel/scheme/usgen.h). A forked daemon serves "usc:"; its answer to a
 * stat of "f" has st_ino = the OPEN requests it answered so far and
 * st_size = the changes (UNLINK) it applied, so an answer from the cache
 * shows as an st_ino that did not move:
 *   - a second stat of "f" is the cache's (same st_ino), and so is a
 *     second ENOENT of "none" (the daemon's count of OPENs, "count", did
 *     not move);
 *   - a process killed while the daemon holds its UNLINK (applied, the
 *     answer held back) leaves a change the kernel cannot see end: stats
 *     of "f" go to the daemon (new st_ino each time) and show the change;
 *   - once the daemon answers that UNLINK late (asked by stat of
 *     "release", which it answers EXDEV after the late answer), the cache
 *     answers again (same st_ino).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "libscheme.h"
#include "usfork.h"

#define TEST_NAME "t_usstatcache"
#include "check.h"

#define NAME "usc"
#define FILE_MODE (S_IFREG | 0644)
#define SAW_UNLINK 'U'          /* the daemon holds an UNLINK's answer */

static int notify = -1;         /* the daemon's end of the report pipe */
static uint64_t opens, changes; /* the daemon's counts */
static uint64_t held;           /* the UNLINK it holds the answer of (0: none) */

/* The status of a file whose ino and size carry the daemon's counts. */
static int put_stat(struct scheme_server *srv, const struct scheme_request *q, uint64_t ino,
		    uint64_t size)
{
	struct stat st;

	memset(&st, 0, sizeof(st));
	st.st_mode = FILE_MODE;
	st.st_nlink = 1;
	st.st_ino = ino;
	st.st_size = (off_t)size;
	return scheme_msg_write(srv, q->tag, 0, &st, sizeof(st)) == sizeof(st) ? 0 : -EFAULT;
}

static int op_open(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *r)
{
	char path[SCHEME_PATH_BUF];
	int err = scheme_req_path(srv, q, path, sizeof(path));

	opens++;
	r->result = err ? err : -ENOENT;
	if (err || !(q->flags & SCHEME_REQ_STAT))
		return SCHEME_REPLY_NOW;
	if (strcmp(path, "f") == 0 && put_stat(srv, q, opens, changes) == 0) {
		r->aux = SCHEME_AUX_STAT | SCHEME_AUX_NO_HANDLE | SCHEME_AUX_CACHE;
		r->result = 0;
	} else if (strcmp(path, "count") == 0 && put_stat(srv, q, opens, changes) == 0) {
		r->aux = SCHEME_AUX_STAT | SCHEME_AUX_NO_HANDLE; /* never kept */
		r->result = 0;
	} else if (strcmp(path, "none") == 0) {
		r->aux = SCHEME_AUX_CACHE; /* names nothing, for everyone */
	} else if (strcmp(path, "release") == 0) {
		/* The held answer first: nobody waits for it any more. */
		if (held)
			scheme_reply(srv, held, 0, 0);
		held = 0;
		r->result = -EXDEV;
	}
	return SCHEME_REPLY_NOW;
}

/* Applied at once; the first one's answer held back until "release". */
static int op_unlink(struct scheme_server *srv, const struct scheme_request *q,
		     struct scheme_reply *r)
{
	char c = SAW_UNLINK;

	(void)srv;
	changes++;
	r->result = 0;
	if (held || changes > 1)
		return SCHEME_REPLY_NOW;
	held = q->tag;
	if (write(notify, &c, 1) != 1)
		_exit(1);
	return SCHEME_REPLY_LATER;
}

static void run_daemon(int notify_fd)
{
	static struct scheme_server srv = { .ops = {
		[SCHEME_OP_OPEN] = op_open, [SCHEME_OP_UNLINK] = op_unlink,
	} };

	notify = notify_fd;
	usfork_serve(&srv, NAME, notify_fd);
}

static struct stat stat_of(const char *path)
{
	struct stat st;

	CHECK(stat(path, &st) == 0, "stat %s: %s", path, strerror(errno));
	return st;
}

static void checks(int rd)
{
	struct stat a, b;
	ino_t count;
	pid_t child;
	int status;

	a = stat_of(NAME ":f");
	b = stat_of(NAME ":f");
	CHECK(a.st_size == 0 && b.st_ino == a.st_ino, "a second stat asked the daemon (ino %llu, %llu)",
	      (unsigned long long)a.st_ino, (unsigned long long)b.st_ino);
	count = stat_of(NAME ":count").st_ino;
	CHECK_ERR(stat(NAME ":none", &a), ENOENT, "stat of nothing");
	CHECK_ERR(stat(NAME ":none", &a), ENOENT, "stat of nothing again");
	CHECK(stat_of(NAME ":count").st_ino == count + 2, "the second ENOENT asked the daemon");
	printf(TEST_NAME ": answers and ENOENT from the cache\n");

	child = fork();
	CHECK(child >= 0, "fork: %s", strerror(errno));
	if (child == 0) {
		unlink(NAME ":f");
		_exit(0);
	}
	CHECK(usfork_next(rd) == SAW_UNLINK, "the daemon did not get the unlink");
	CHECK(kill(child, SIGKILL) == 0 && waitpid(child, &status, 0) == child, "kill: %s",
	      strerror(errno));
	a = stat_of(NAME ":f");
	b = stat_of(NAME ":f");
	CHECK(a.st_size == 1 && b.st_size == 1, "the abandoned unlink's change not seen (size %lld)",
	      (long long)a.st_size);
	CHECK(b.st_ino != a.st_ino, "the cache answered while an abandoned change was pending");
	printf(TEST_NAME ": no answer kept while an abandoned change is pending\n");

	CHECK_ERR(stat(NAME ":release", &a), EXDEV, "release");
	a = stat_of(NAME ":f");
	b = stat_of(NAME ":f");
	CHECK(a.st_size == 1 && b.st_ino == a.st_ino, "no answer kept after the late answer");
	printf(TEST_NAME ": answers kept again after the daemon's late answer\n");
}

int main(void)
{
	int rd = 0, status;
	pid_t d = usfork_daemon(run_daemon, &rd);

	setvbuf(stdout, NULL, _IONBF, 0);
	CHECK(d >= 0, "fork: %s", strerror(errno));
	if (usfork_next(rd) != USFORK_READY) {
		kill(d, SIGKILL);
		FAIL("the daemon did not register");
	}
	checks(rd);
	kill(d, SIGKILL);
	waitpid(d, &status, 0);
	printf("PASS: " TEST_NAME "\n");
	return 0;
}
