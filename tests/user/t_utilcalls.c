/*
 * t_utilcalls: the system calls busybox's utilities make beyond files and
 * processes: sendfile (cp, cat) copies a file to a pipe in full, from an
 * offset pointer (which advances while the file offset stays) and from the
 * file offset (which advances), 0 bytes at end of file, EBADF for a bad or
 * write-only input and a read-only output, EFAULT for a bad offset pointer
 * (nothing copied); syslog (dmesg) reports the buffer size, READ_ALL returns
 * the log's newest bytes (the boot's lines), EINVAL for a bad action or
 * length; sethostname/setdomainname (hostname) change what uname reports
 * (root), EINVAL for a name over 64 bytes, EFAULT for a bad pointer, each
 * changing nothing; personality answers PER_LINUX to a query; socket calls
 * on a pipe are ENOTSOCK, on -1 EBADF (socket itself: EAFNOSUPPORT on Anode,
 * which has no address family yet). Run as root.
 * Prints "PASS: t_utilcalls" or "FAIL: t_utilcalls: <reason>".
 */
#define _GNU_SOURCE
#define TEST_NAME "t_utilcalls"
#include "check.h"
#include <fcntl.h>
#include <stdint.h>
#include <sys/klog.h>
#include <sys/socket.h>
#include <sys/personality.h>
#include <sys/sendfile.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#define CHUNK 65536
#define SKIP 1000
#define COPY 12000 /* more than the kernel's 4 KiB chunk, less than any pipe holds */
#define SYSLOG_READ_ALL 3
#define SYSLOG_SIZE_BUFFER 10
#define BAD_ACTION 99
#define BAD_ADDR ((void *)8)
#define HOST_MAX 64
#define QUERY 0xffffffffUL

static char file[CHUNK], piped[CHUNK];

/* Reads what is in the pipe (at most n bytes, the writer done). */
static size_t drain(int fd, char *buf, size_t n)
{
	size_t got = 0;
	ssize_t r;

	while (got < n && (r = read(fd, buf + got, n - got)) > 0)
		got += (size_t)r;
	return got;
}

static void test_sendfile(const char *self)
{
	int fd = open(self, O_RDONLY), p[2];
	ssize_t len = read(fd, file, sizeof(file)), n;
	off_t off = SKIP;

	CHECK(fd >= 0 && len >= SKIP + COPY, "read %s", self);
	CHECK(pipe(p) == 0, "pipe");
	/* From an offset pointer: the file offset stays where read left it. */
	n = sendfile(p[1], fd, &off, COPY);
	CHECK(n == COPY && off == SKIP + COPY, "sendfile with offset: %zd, off %ld", n, (long)off);
	CHECK(lseek(fd, 0, SEEK_CUR) == len, "file offset moved");
	CHECK(drain(p[0], piped, (size_t)n) == (size_t)n && !memcmp(piped, file + SKIP, (size_t)n),
	      "bytes through the pipe");
	/* From the file offset. */
	CHECK(lseek(fd, SKIP, SEEK_SET) == SKIP, "lseek");
	n = sendfile(p[1], fd, NULL, SKIP);
	CHECK(n == SKIP && lseek(fd, 0, SEEK_CUR) == 2 * SKIP, "sendfile from the offset");
	CHECK(drain(p[0], piped, SKIP) == SKIP && !memcmp(piped, file + SKIP, SKIP), "bytes 2");
	off = lseek(fd, 0, SEEK_END);
	CHECK(sendfile(p[1], fd, &off, SKIP) == 0, "at end of file");
	CHECK_ERR(sendfile(p[1], -1, NULL, 1), EBADF, "bad input");
	CHECK_ERR(sendfile(p[1], p[1], NULL, 1), EBADF, "write-only input");
	CHECK_ERR(sendfile(fd, fd, NULL, 1), EBADF, "read-only output");
	CHECK_ERR(sendfile(p[1], fd, BAD_ADDR, 1), EFAULT, "bad offset pointer");
	close(p[1]);
	CHECK(read(p[0], piped, 1) == 0, "a failed sendfile wrote");
	close(p[0]);
	close(fd);
	printf("t_utilcalls: sendfile ok\n");
}

static void test_syslog(void)
{
	static char log[CHUNK];
	int size = klogctl(SYSLOG_SIZE_BUFFER, NULL, 0), n;

	CHECK(size > 0, "SIZE_BUFFER: %d", size);
	n = klogctl(SYSLOG_READ_ALL, log, sizeof(log) - 1);
	CHECK(n > 0 && n <= size, "READ_ALL: %d", n);
	log[n] = '\0';
	CHECK(strchr(log, '\n'), "log lines");
	CHECK_ERR(klogctl(BAD_ACTION, log, 1), EINVAL, "bad action");
	CHECK_ERR(klogctl(SYSLOG_READ_ALL, log, -1), EINVAL, "negative length");
	CHECK_ERR(klogctl(SYSLOG_READ_ALL, BAD_ADDR, CHUNK), EFAULT, "bad buffer");
	printf("t_utilcalls: syslog ok\n");
}

static void test_names(void)
{
	char long_name[HOST_MAX + 2];
	struct utsname u, before;

	CHECK(uname(&before) == 0, "uname");
	CHECK(sethostname("t-utilcalls", strlen("t-utilcalls")) == 0, "sethostname: %s", strerror(errno));
	CHECK(setdomainname("example", strlen("example")) == 0, "setdomainname");
	CHECK(uname(&u) == 0 && !strcmp(u.nodename, "t-utilcalls") && !strcmp(u.domainname, "example"),
	      "uname after: %s %s", u.nodename, u.domainname);
	memset(long_name, 'x', sizeof(long_name));
	CHECK_ERR(sethostname(long_name, HOST_MAX + 1), EINVAL, "long name");
	CHECK_ERR(sethostname(BAD_ADDR, 4), EFAULT, "bad name");
	CHECK(uname(&u) == 0 && !strcmp(u.nodename, "t-utilcalls"), "failed calls changed the name");
	CHECK(sethostname(before.nodename, strlen(before.nodename)) == 0 &&
	      setdomainname(before.domainname, strlen(before.domainname)) == 0, "restore");
	CHECK(personality(QUERY) == PER_LINUX, "personality query");
	printf("t_utilcalls: names, personality ok\n");
}

/* Anode has no address family yet (sockets would be schemes): socket is
 * EAFNOSUPPORT there where Linux makes one; on any other descriptor the
 * socket calls are ENOTSOCK, on a bad one EBADF, on both. */
static void test_sockets(void)
{
	struct sockaddr sa = { .sa_family = AF_UNIX };
	int s = socket(AF_UNIX, SOCK_STREAM, 0), p[2];

	CHECK(s >= 0 || errno == EAFNOSUPPORT, "socket: %s", strerror(errno));
	if (s >= 0)
		close(s);
	CHECK(pipe(p) == 0, "pipe");
	CHECK_ERR(connect(p[0], &sa, sizeof(sa)), ENOTSOCK, "connect on a pipe");
	CHECK_ERR(shutdown(p[0], SHUT_RDWR), ENOTSOCK, "shutdown on a pipe");
	CHECK_ERR(connect(-1, &sa, sizeof(sa)), EBADF, "connect on -1");
	close(p[0]);
	close(p[1]);
	printf("t_utilcalls: sockets ok\n");
}

int main(int argc, char **argv)
{
	(void)argc;
	test_sendfile(argv[0]);
	test_syslog();
	test_names();
	test_sockets();
	printf("PASS: t_utilcalls\n");
	return 0;
}
