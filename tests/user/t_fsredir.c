/*
 * t_fsredir: Anode only: the kernel side of symbolic links and path
 * operations against a test daemon ("rtest:", forked, user/libscheme.h)
 * that answers as scheme_proto.h allows: redirects to another scheme
 * ("/scheme/null", "zero:") and to itself, a redirect loop (-ELOOP after
 * SCHEME_SYMLINK_MAX), malformed redirects (a length past the string or
 * the buffer, no NUL, empty: each -EIO, nothing crashes), O_CREAT's mode
 * with the umask applied (args[2]), O_PATH keeping only its flags, O_APPEND
 * writes (SCHEME_WRITE_APPEND; the offset becomes the daemon's end), the
 * path operations' buffers ("old\0new\0", flags in args[1]) and their
 * redirects, -EROFS from kernel schemes, -EXDEV across schemes, READLINK on
 * an O_PATH|O_NOFOLLOW handle, and the attribute requests (FTRUNCATE,
 * FCHMOD, FCHOWN, UTIMENS, FSYNC, FSTATVFS) with their arguments.
 * Prints "PASS: t_fsredir" or "FAIL: t_fsredir: <reason>".
 */
#define _GNU_SOURCE
#define TEST_NAME "t_fsredir"
#include "check.h"
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "libscheme.h"

#define NAME "rtest"
#define FILE_START 100          /* bytes the daemon's file holds at first */
#define FILE_MAX 4096
#define TRUNC_LEN 12345
#define CHMOD_MODE 0604
#define OWN_UID 7
#define OWN_GID 9
#define TIME_SEC 4242
#define STATFS_MAGIC 0x52414d46 /* what the daemon's statfs says */
#define LINK_TARGET "somewhere/else"
#define MAX_HANDLES 64
#define RENAME_NOREPLACE_ 1   /* linux/fs.h, which musl does not give */

/* What a handle was opened as (the daemon's side). */
enum kind { H_FILE = 1, H_FLAGS, H_LINK };
static enum kind handles[MAX_HANDLES];
static uint64_t handle_flags[MAX_HANDLES], handle_mode[MAX_HANDLES];
static int next_handle = 1;
static uint64_t file_end = FILE_START;

/* A redirect: the whole path at offset 0 (NUL included), its length. */
static void redirect(struct scheme_server *srv, const struct scheme_request *q,
		     struct scheme_reply *r, const char *to)
{
	scheme_msg_write(srv, q->tag, 0, to, strlen(to) + 1);
	r->result = (int64_t)strlen(to);
	r->aux = SCHEME_AUX_REDIRECT;
}

/* The malformed redirects; 0 if path is none of them. */
static int bad_redirect(struct scheme_server *srv, const struct scheme_request *q,
			struct scheme_reply *r, const char *path)
{
	r->aux = SCHEME_AUX_REDIRECT;
	if (!strcmp(path, "badlen")) {          /* longer than the string */
		scheme_msg_write(srv, q->tag, 0, "x", 2);
		r->result = 100;
	} else if (!strcmp(path, "nonul")) {    /* no NUL at the length */
		scheme_msg_write(srv, q->tag, 0, "abcdefghX", 9);
		r->result = 8;
	} else if (!strcmp(path, "huge")) {     /* the whole buffer */
		r->result = SCHEME_PATH_BUF;
	} else if (!strcmp(path, "empty")) {
		scheme_msg_write(srv, q->tag, 0, "", 1);
		r->result = 0;
	} else {
		r->aux = 0;
		return 0;
	}
	return 1;
}

/* Paths that redirect, for open and the path operations alike. */
static int redirects(struct scheme_server *srv, const struct scheme_request *q,
		     struct scheme_reply *r, const char *path)
{
	if (!strcmp(path, "loop"))
		redirect(srv, q, r, NAME ":loop");
	else if (!strcmp(path, "tonull"))
		redirect(srv, q, r, "/scheme/null");
	else if (!strcmp(path, "tozero"))
		redirect(srv, q, r, "zero:");
	else if (!strcmp(path, "toself"))
		redirect(srv, q, r, "/scheme/" NAME "/file");
	else if (!strcmp(path, "toneat"))
		redirect(srv, q, r, NAME ":neat");
	else
		return bad_redirect(srv, q, r, path);
	return 1;
}

static int d_open(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *r)
{
	char path[64];
	int err = scheme_req_path(srv, q, path, sizeof(path));
	enum kind k = 0;

	if (err) {
		r->result = err;
		return SCHEME_REPLY_NOW;
	}
	if (redirects(srv, q, r, path))
		return SCHEME_REPLY_NOW;
	if (!strcmp(path, "file"))
		k = H_FILE;
	else if (!strcmp(path, "flags"))
		k = H_FLAGS;
	else if (!strcmp(path, "lnk"))
		k = (q->args[1] & O_NOFOLLOW) ? H_LINK : H_FILE;
	if (!k || next_handle == MAX_HANDLES) {
		r->result = -ENOENT;
		return SCHEME_REPLY_NOW;
	}
	handles[next_handle] = k;
	handle_flags[next_handle] = q->args[1];
	handle_mode[next_handle] = q->args[2];
	r->result = next_handle++;
	r->aux = k == H_LINK ? S_IFLNK : S_IFREG;
	return SCHEME_REPLY_NOW;
}

static enum kind kind_of(const struct scheme_request *q)
{
	return q->id < MAX_HANDLES ? handles[q->id] : 0;
}

/* FLAGS handles report what open got: st_size the flags, st_mode the mode. */
static int d_fstat(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *r)
{
	struct stat st = { .st_nlink = 1 };
	enum kind k = kind_of(q);

	if (!k) {
		r->result = -EBADF;
		return SCHEME_REPLY_NOW;
	}
	st.st_mode = (k == H_LINK ? S_IFLNK : S_IFREG) | (mode_t)handle_mode[q->id];
	st.st_size = k == H_FLAGS ? (off_t)handle_flags[q->id] : (off_t)file_end;
	r->result = scheme_msg_write(srv, q->tag, 0, &st, sizeof(st)) == sizeof(st) ? 0 : -EIO;
	return SCHEME_REPLY_NOW;
}

/* Appends go at the end whatever args[0] says; the end is the reply's aux. */
static int d_write(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *r)
{
	uint64_t len = q->args[SCHEME_ARG_LEN];

	(void)srv;
	if (q->args[1] != SCHEME_WRITE_APPEND) {
		r->result = (int64_t)len; /* plain writes: taken, not kept */
		return SCHEME_REPLY_NOW;
	}
	if (file_end + len > FILE_MAX) {
		r->result = -ENOSPC;
		return SCHEME_REPLY_NOW;
	}
	file_end += len;
	r->result = (int64_t)len;
	r->aux = file_end;
	return SCHEME_REPLY_NOW;
}

static int d_readlink(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *r)
{
	uint64_t n = strlen(LINK_TARGET);

	if (kind_of(q) != H_LINK) {
		r->result = -EINVAL;
		return SCHEME_REPLY_NOW;
	}
	if (n > q->args[SCHEME_ARG_LEN])
		n = q->args[SCHEME_ARG_LEN];
	r->result = scheme_msg_write(srv, q->tag, 0, LINK_TARGET, n);
	return SCHEME_REPLY_NOW;
}

/* The buffer of a path operation: one path, or two ("a\0b\0"). */
static int op_paths(struct scheme_server *srv, const struct scheme_request *q, char *a, char *b)
{
	char buf[128];
	uint64_t len = q->args[SCHEME_ARG_LEN];
	size_t la;

	if (len == 0 || len > sizeof(buf) || scheme_msg_read(srv, q->tag, 0, buf, len) != (long)len ||
	    buf[len - 1] != '\0')
		return -EINVAL;
	la = strlen(buf) + 1;
	strcpy(a, buf);
	if (b) {
		if (la >= len)
			return -EINVAL;
		strcpy(b, buf + la);
		if (la + strlen(b) + 1 != len)
			return -EINVAL;
	} else if (la != len) {
		return -EINVAL;
	}
	return 0;
}

/* UNLINK, RMDIR, MKDIR: "neat" succeeds (with MKDIR's mode 0700 only),
 * redirecting paths redirect, anything else is -ENOENT. */
static int d_onepath(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *r)
{
	char a[128];
	int err = op_paths(srv, q, a, NULL);

	if (err)
		r->result = err;
	else if (redirects(srv, q, r, a))
		;
	else if (!strcmp(a, "neat"))
		r->result = (q->op != SCHEME_OP_MKDIR || q->args[1] == 0700) ? 0 : -EINVAL;
	else
		r->result = -ENOENT;
	return SCHEME_REPLY_NOW;
}

/* RENAME, LINK, SYMLINK: "neat\0new\0" with the flags the test passes. */
static int d_twopaths(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *r)
{
	char a[128], b[128];
	int err = op_paths(srv, q, a, b);

	if (err)
		r->result = err;
	else if (q->op != SCHEME_OP_SYMLINK && redirects(srv, q, r, a))
		; /* the kernel makes it -EXDEV */
	else if (q->op == SCHEME_OP_SYMLINK)
		r->result = !strcmp(a, LINK_TARGET) && !strcmp(b, "neat") ? 0 : -EINVAL;
	else if (q->op == SCHEME_OP_RENAME)
		r->result = !strcmp(a, "neat") && !strcmp(b, "new") && q->args[1] == RENAME_NOREPLACE_
			    ? 0 : -EINVAL;
	else
		r->result = !strcmp(a, "neat") && !strcmp(b, "new") && q->args[1] == AT_SYMLINK_FOLLOW
			    ? 0 : -EINVAL;
	return SCHEME_REPLY_NOW;
}

/* The attribute requests: 0 if their arguments are what the test sent. */
static int d_attr(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *r)
{
	struct timespec ts[2];
	struct statfs sf = { .f_type = STATFS_MAGIC, .f_bsize = 4096, .f_namelen = 255 };
	bool ok = false;

	switch (q->op) {
	case SCHEME_OP_FTRUNCATE:
		ok = q->args[0] == TRUNC_LEN;
		break;
	case SCHEME_OP_FCHMOD:
		ok = q->args[0] == CHMOD_MODE;
		break;
	case SCHEME_OP_FCHOWN:
		ok = q->args[0] == OWN_UID && q->args[1] == (uint32_t)-1;
		break;
	case SCHEME_OP_UTIMENS:
		ok = q->args[SCHEME_ARG_LEN] == sizeof(ts) &&
		     scheme_msg_read(srv, q->tag, 0, ts, sizeof(ts)) == sizeof(ts) &&
		     ts[0].tv_sec == TIME_SEC && ts[0].tv_nsec == 0 && ts[1].tv_nsec == UTIME_OMIT;
		break;
	case SCHEME_OP_FSYNC:
		ok = true;
		break;
	case SCHEME_OP_FSTATVFS:
		ok = scheme_msg_write(srv, q->tag, 0, &sf, sizeof(sf)) == sizeof(sf);
		break;
	}
	r->result = ok ? 0 : -EINVAL;
	return SCHEME_REPLY_NOW;
}

static int d_close(struct scheme_server *srv, const struct scheme_request *q, struct scheme_reply *r)
{
	(void)srv;
	(void)r;
	if (q->id < MAX_HANDLES)
		handles[q->id] = 0;
	return SCHEME_REPLY_NOW;
}

static __attribute__((noreturn)) void daemon_main(int notify_fd)
{
	struct scheme_server srv = { .ops = {
		[SCHEME_OP_OPEN] = d_open, [SCHEME_OP_FSTAT] = d_fstat, [SCHEME_OP_WRITE] = d_write,
		[SCHEME_OP_READLINK] = d_readlink, [SCHEME_OP_UNLINK] = d_onepath,
		[SCHEME_OP_RMDIR] = d_onepath, [SCHEME_OP_MKDIR] = d_onepath,
		[SCHEME_OP_RENAME] = d_twopaths, [SCHEME_OP_LINK] = d_twopaths,
		[SCHEME_OP_SYMLINK] = d_twopaths, [SCHEME_OP_FTRUNCATE] = d_attr,
		[SCHEME_OP_FCHMOD] = d_attr, [SCHEME_OP_FCHOWN] = d_attr, [SCHEME_OP_UTIMENS] = d_attr,
		[SCHEME_OP_FSYNC] = d_attr, [SCHEME_OP_FSTATVFS] = d_attr, [SCHEME_OP_CLOSE] = d_close,
	} };

	srv.fd = scheme_register_name(NAME, O_CLOEXEC);
	if (srv.fd < 0 || write(notify_fd, "R", 1) != 1)
		_exit(1);
	scheme_serve(&srv);
	_exit(0);
}

static void test_open_redirects(void)
{
	char buf[8] = "xxxxxxx";
	int fd;

	CHECK_ERR(open(NAME ":loop", O_RDONLY), ELOOP, "a redirect loop");
	fd = open(NAME ":tonull", O_RDWR);
	CHECK(fd >= 0, "redirect to /scheme/null: %s", strerror(errno));
	CHECK(write(fd, "abc", 3) == 3 && read(fd, buf, sizeof(buf)) == 0, "null through a redirect");
	close(fd);
	fd = open("/scheme/" NAME "/tozero", O_RDONLY);
	CHECK(fd >= 0 && read(fd, buf, sizeof(buf)) == sizeof(buf) && buf[0] == 0 && buf[7] == 0,
	      "zero: through a redirect");
	close(fd);
	fd = open(NAME ":toself", O_RDONLY);
	CHECK(fd >= 0, "a redirect to its own scheme: %s", strerror(errno));
	close(fd);
	CHECK_ERR(open(NAME ":badlen", O_RDONLY), EIO, "a redirect longer than its string");
	CHECK_ERR(open(NAME ":nonul", O_RDONLY), EIO, "a redirect without its NUL");
	CHECK_ERR(open(NAME ":huge", O_RDONLY), EIO, "a redirect as long as the buffer");
	CHECK_ERR(open(NAME ":empty", O_RDONLY), EIO, "an empty redirect");
	CHECK_ERR(open(NAME ":none", O_RDONLY), ENOENT, "the daemon's own error");
}

static void test_open_flags(void)
{
	struct stat st;
	int fd;

	umask(022);
	fd = open(NAME ":flags", O_WRONLY | O_CREAT, 0666);
	CHECK(fd >= 0 && fstat(fd, &st) == 0, "open flags: %s", strerror(errno));
	CHECK((st.st_mode & 07777) == 0644, "O_CREAT mode %o, want 0644", st.st_mode & 07777);
	CHECK((st.st_size & O_ACCMODE) == O_WRONLY && (st.st_size & O_CREAT), "open flags %llx",
	      (unsigned long long)st.st_size);
	close(fd);
	fd = open(NAME ":flags", O_RDONLY, 0666);
	CHECK(fd >= 0 && fstat(fd, &st) == 0 && (st.st_mode & 07777) == 0, "no O_CREAT, no mode");
	close(fd);
	fd = open(NAME ":flags", O_PATH | O_CREAT | O_TRUNC | O_RDWR | O_NOFOLLOW);
	CHECK(fd >= 0 && fstat(fd, &st) == 0, "O_PATH open: %s", strerror(errno));
	CHECK(st.st_size == (O_PATH | O_NOFOLLOW), "O_PATH sent flags %llx",
	      (unsigned long long)st.st_size);
	CHECK_ERR(write(fd, "x", 1), EBADF, "write on O_PATH");
	CHECK_ERR(lseek(fd, 0, SEEK_SET), EBADF, "lseek on O_PATH");
	/* musl's fchmod retries an O_PATH descriptor through /proc: the call itself. */
	CHECK_ERR(syscall(SYS_fchmod, fd, 0600), EBADF, "fchmod on O_PATH");
	close(fd);
}

static void test_append(void)
{
	int fd = open(NAME ":file", O_WRONLY | O_APPEND), fd2;

	CHECK(fd >= 0, "open O_APPEND: %s", strerror(errno));
	CHECK(write(fd, "abc", 3) == 3, "append: %s", strerror(errno));
	CHECK(lseek(fd, 0, SEEK_CUR) == FILE_START + 3, "offset after an append: %lld",
	      (long long)lseek(fd, 0, SEEK_CUR));
	fd2 = open(NAME ":file", O_WRONLY | O_APPEND);
	CHECK(write(fd2, "de", 2) == 2, "second append");
	CHECK(write(fd, "f", 1) == 1 && lseek(fd, 0, SEEK_CUR) == FILE_START + 6,
	      "an append lands after the other descriptor's");
	CHECK(pwrite(fd, "g", 1, 0) == 1 && lseek(fd, 0, SEEK_CUR) == FILE_START + 6,
	      "pwrite on O_APPEND moved the offset");
	close(fd);
	close(fd2);
}

static void test_path_ops(void)
{
	CHECK(unlink(NAME ":neat") == 0, "unlink: %s", strerror(errno));
	CHECK(rmdir(NAME ":neat") == 0, "rmdir: %s", strerror(errno));
	umask(077);
	CHECK(mkdir(NAME ":neat", 0755) == 0, "mkdir with the umask: %s", strerror(errno));
	umask(022);
	CHECK(unlink(NAME ":toneat") == 0, "unlink through a redirect: %s", strerror(errno));
	CHECK_ERR(unlink(NAME ":loop"), ELOOP, "unlink through a loop");
	CHECK_ERR(unlink(NAME ":nonul"), EIO, "unlink with a malformed redirect");
	CHECK_ERR(unlink(NAME ":tonull"), EROFS, "unlink redirected to a kernel scheme");
	CHECK_ERR(mkdir("null:x", 0755), EROFS, "mkdir on a kernel scheme");
	CHECK(symlink(LINK_TARGET, NAME ":neat") == 0, "symlink: %s", strerror(errno));
	CHECK(syscall(SYS_renameat2, AT_FDCWD, NAME ":neat", AT_FDCWD, NAME ":new",
		      RENAME_NOREPLACE_) == 0, "renameat2: %s", strerror(errno));
	CHECK(linkat(AT_FDCWD, NAME ":neat", AT_FDCWD, NAME ":new", AT_SYMLINK_FOLLOW) == 0,
	      "linkat: %s", strerror(errno));
	CHECK_ERR(rename(NAME ":neat", "null:"), EXDEV, "rename across schemes");
	CHECK_ERR(link(NAME ":neat", "/scheme/zero"), EXDEV, "link across schemes");
	CHECK_ERR(rename(NAME ":toneat", NAME ":new"), EXDEV, "rename through a redirect");
	CHECK_ERR(rename(NAME ":a", NAME ":a/b"), EINVAL, "rename into itself");
}

static void test_links_attrs(void)
{
	struct timespec ts[2] = { { TIME_SEC, 0 }, { 0, UTIME_OMIT } };
	char buf[64];
	struct statfs sf;
	int fd;

	CHECK(readlink(NAME ":lnk", buf, sizeof(buf)) == (ssize_t)strlen(LINK_TARGET) &&
	      !memcmp(buf, LINK_TARGET, strlen(LINK_TARGET)), "readlink");
	CHECK(readlink(NAME ":lnk", buf, 4) == 4 && !memcmp(buf, LINK_TARGET, 4), "a short readlink");
	CHECK_ERR(readlink(NAME ":file", buf, sizeof(buf)), EINVAL, "readlink of a file");
	fd = open(NAME ":lnk", O_PATH | O_NOFOLLOW);
	CHECK(fd >= 0 && readlinkat(fd, "", buf, sizeof(buf)) == (ssize_t)strlen(LINK_TARGET),
	      "readlinkat(fd, \"\")");
	close(fd);
	fd = open(NAME ":file", O_RDWR);
	CHECK(ftruncate(fd, TRUNC_LEN) == 0, "ftruncate: %s", strerror(errno));
	CHECK(fchmod(fd, CHMOD_MODE) == 0, "fchmod: %s", strerror(errno));
	CHECK(chmod(NAME ":file", CHMOD_MODE | S_IFREG) == 0, "chmod keeps only 07777");
	CHECK(fchown(fd, OWN_UID, (gid_t)-1) == 0, "fchown: %s", strerror(errno));
	CHECK(futimens(fd, ts) == 0, "futimens: %s", strerror(errno));
	CHECK(fsync(fd) == 0 && fdatasync(fd) == 0, "fsync: %s", strerror(errno));
	CHECK(fstatfs(fd, &sf) == 0 && sf.f_type == STATFS_MAGIC, "fstatfs");
	CHECK(statfs(NAME ":file", &sf) == 0 && sf.f_type == STATFS_MAGIC, "statfs");
	CHECK(truncate(NAME ":file", TRUNC_LEN) == 0, "truncate: %s", strerror(errno));
	close(fd);
	CHECK_ERR(chmod("null:", 0666), EPERM, "chmod of a kernel scheme's file");
	CHECK(statfs("null:", &sf) == 0 && sf.f_namelen > 0, "statfs of a kernel scheme's file");
}

int main(void)
{
	int p[2], status;
	pid_t pid;
	char c;

	CHECK(pipe(p) == 0, "pipe");
	pid = fork();
	CHECK(pid >= 0, "fork");
	if (pid == 0) {
		close(p[0]);
		daemon_main(p[1]);
	}
	close(p[1]);
	CHECK(read(p[0], &c, 1) == 1 && c == 'R', "the daemon did not register");
	test_open_redirects();
	printf("t_fsredir: redirects ok\n");
	test_open_flags();
	test_append();
	printf("t_fsredir: open flags, O_APPEND ok\n");
	test_path_ops();
	test_links_attrs();
	kill(pid, SIGKILL);
	CHECK(waitpid(pid, &status, 0) == pid, "reap the daemon");
	printf("PASS: t_fsredir\n");
	return 0;
}
