/*
 * t_usstat.c: stat through a user-space scheme in one round trip (Anode
 * only: scheme_proto.h's SCHEME_REQ_STAT / SCHEME_AUX_STAT). A forked
 * daemon serves "ustat:" and answers FSTAT with FSTAT_SIZE, so the size a
 * stat sees tells which way the status came:
 *   stat    answers the status with OPEN when asked: stat sees OPEN_SIZE,
 *           and makes no handle (SCHEME_AUX_NO_HANDLE): no CLOSE may come;
 *   plain   ignores the flag (an old daemon): stat falls back to FSTAT;
 *   liar    sets SCHEME_AUX_STAT and SCHEME_AUX_NO_HANDLE even unasked: a
 *           plain open's fstat still asks FSTAT and its close still comes
 *           (the kernel only takes what it asked for);
 *   window  reads one byte past the path: the kernel refuses (EINVAL), the
 *           daemon answers EXDEV if it was refused and EIO if not.
 * Also: access() takes the same way, a bad stat buffer is EFAULT.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "libscheme.h"
#include "usfork.h"

#define TEST_NAME "t_usstat"
#define NAME "ustat"
#define OPEN_SIZE 12345
#define FSTAT_SIZE 777
#define FILE_MODE (S_IFREG | 0640)
#define BAD_ADDR ((struct stat *)16) /* below any mapping */
#define PLAIN_ID 1
#define LIAR_ID 2
/* The daemon's reports of closes, by handle: none was made for id 0. */
#define SAW_CLOSE_NONE 'X'
#define SAW_CLOSE_PLAIN 'C'
#define SAW_CLOSE_LIAR 'L'

static int notify = -1; /* the daemon's end of the report pipe */

static int fail(const char *why)
{
	printf("FAIL: " TEST_NAME ": %s (errno %d)\n", why, errno);
	return 1;
}

static long put_stat(struct scheme_server *srv, const struct scheme_request *q, off_t size)
{
	struct stat st;

	memset(&st, 0, sizeof(st));
	st.st_mode = FILE_MODE;
	st.st_nlink = 1;
	st.st_size = size;
	return scheme_msg_write(srv, q->tag, 0, &st, sizeof(st));
}

static int op_open(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *r)
{
	char path[SCHEME_PATH_BUF], byte;
	int err = scheme_req_path(srv, q, path, sizeof(path));

	if (err) {
		r->result = err;
		return SCHEME_REPLY_NOW;
	}
	r->result = PLAIN_ID; /* one handle serves all but the liar's */
	if (strcmp(path, "window") == 0) {
		long n = scheme_msg_read(srv, q->tag, q->args[SCHEME_ARG_LEN], &byte, 1);

		r->result = n < 0 && errno == EINVAL ? -EXDEV : -EIO;
	} else if (strcmp(path, "stat") == 0 && (q->flags & SCHEME_REQ_STAT)) {
		if (put_stat(srv, q, OPEN_SIZE) == sizeof(struct stat)) {
			r->aux = SCHEME_AUX_STAT | SCHEME_AUX_NO_HANDLE;
			r->result = 0;
		}
	} else if (strcmp(path, "liar") == 0) {
		/* unasked: the buffer holds no status, and the handle is real */
		r->aux = SCHEME_AUX_STAT | SCHEME_AUX_NO_HANDLE;
		r->result = LIAR_ID;
	} else if (strcmp(path, "stat") != 0 && strcmp(path, "plain") != 0) {
		r->result = -ENOENT;
	}
	return SCHEME_REPLY_NOW;
}

static int op_fstat(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *r)
{
	r->result = put_stat(srv, q, FSTAT_SIZE) == sizeof(struct stat) ? 0 : -EFAULT;
	return SCHEME_REPLY_NOW;
}

static int op_close(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *r)
{
	char c = q->id == PLAIN_ID ? SAW_CLOSE_PLAIN : q->id == LIAR_ID ? SAW_CLOSE_LIAR
								: SAW_CLOSE_NONE;

	(void)srv;
	if (write(notify, &c, 1) != 1)
		_exit(1);
	r->result = 0;
	return SCHEME_REPLY_NOW;
}

static void run_daemon(int notify_fd)
{
	static struct scheme_server srv = { .ops = {
		[SCHEME_OP_OPEN] = op_open, [SCHEME_OP_FSTAT] = op_fstat, [SCHEME_OP_CLOSE] = op_close,
	} };

	notify = notify_fd;
	usfork_serve(&srv, NAME, notify_fd);
}

static int checks(int rd)
{
	struct stat st;
	int fd;

	if (stat(NAME ":stat", &st) != 0 || st.st_size != OPEN_SIZE || st.st_mode != FILE_MODE)
		return fail("stat of a daemon answering with OPEN");
	printf("stat with the open: size %lld\n", (long long)st.st_size);
	if (lstat(NAME ":stat", &st) != 0 || st.st_size != OPEN_SIZE)
		return fail("lstat of a daemon answering with OPEN");
	if (stat(NAME ":plain", &st) != 0 || st.st_size != FSTAT_SIZE)
		return fail("stat of a daemon ignoring the flag: not FSTAT's answer");
	printf("stat falling back to FSTAT: size %lld\n", (long long)st.st_size);
	fd = open(NAME ":liar", O_RDONLY);
	if (fd < 0 || fstat(fd, &st) != 0 || st.st_size != FSTAT_SIZE)
		return fail("fstat after an open whose reply said SCHEME_AUX_STAT unasked");
	close(fd);
	/* In order: the plain stat's close, then the liar's; the two stats
	 * answered without a handle sent none. */
	if (usfork_next(rd) != SAW_CLOSE_PLAIN || usfork_next(rd) != SAW_CLOSE_LIAR)
		return fail("the closes: one for a handle never made, or one missing");
	printf("no close without a handle, a close for each handle\n");
	/* The system call itself: musl's stat() copies through a buffer of its own. */
	if (syscall(SYS_newfstatat, AT_FDCWD, NAME ":stat", BAD_ADDR, 0) == 0 || errno != EFAULT)
		return fail("stat into a bad buffer: not EFAULT");
	if (stat(NAME ":missing", &st) == 0 || errno != ENOENT)
		return fail("stat of a missing name: not ENOENT");
	if (access(NAME ":stat", F_OK) != 0)
		return fail("access through the open's status");
	if (stat(NAME ":window", &st) == 0 || errno != EXDEV)
		return fail(errno == EIO ? "daemon read past the path" : "window probe");
	printf("a read past the path is refused\n");
	return 0;
}

int main(void)
{
	int rd = 0, status, bad;
	pid_t d = usfork_daemon(run_daemon, &rd);

	setvbuf(stdout, NULL, _IONBF, 0);
	if (d < 0)
		return fail("fork");
	if (usfork_next(rd) != USFORK_READY)
		return fail("the daemon did not register");
	bad = checks(rd);
	kill(d, SIGKILL);
	waitpid(d, &status, 0);
	if (bad)
		return 1;
	printf("PASS: " TEST_NAME "\n");
	return 0;
}
