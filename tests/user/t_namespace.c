/*
 * t_namespace: namespaces and identity (Anode only; kernel/scheme/namespace.h).
 * A child narrowed to {file, null} opens only those (other names ENOENT,
 * /scheme lists only what it can open), cannot widen its namespace again,
 * and passes it on through fork and exec; a child in the null namespace
 * opens nothing (openat below a held directory included) but keeps using
 * the descriptors it holds; malformed anode_setns calls (EFAULT, EINVAL)
 * change nothing; sys:schemes lists the kernel's schemes with pid 0;
 * getuid and friends answer root; a thread's narrowing holds for the
 * whole process.
 * Run with the argument "exec-check" it is the exec'd program: it checks
 * that it still has {file, null} and exits 0 or 1.
 * Prints "PASS: t_namespace" or "FAIL: t_namespace: <reason>".
 */
#include <dirent.h>
#include <pthread.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "anode.h"

#define BUF 4096
#define SELF_NAME "t_namespace"
#define SELF "/tests/" SELF_NAME
#define EXEC_CHECK "exec-check"
#define ELF_MAGIC "\x7f" "ELF"
#define ELF_MAGIC_LEN 4
#define NAME_MAX_LEN 31   /* a scheme name's longest (NAMESET_NAME_MAX - 1) */
#define NAMES_MAX 32      /* names in a namespace (NAMESET_MAX) */
#define LIST_BUF_MAX 1024 /* anode_setns's longest list (NAMESET_BUF_MAX) */
#define PIPE_MSG "through the pipe"

/* Only the first process prints the one FAIL line; a child says why it
 * failed and exits 1, and its parent then fails. */
static const char *fail_prefix = "FAIL: t_namespace: ";

#define FAIL(...) do { \
	printf("%s", fail_prefix); \
	printf(__VA_ARGS__); \
	printf("\n"); \
	exit(1); \
} while (0)
#define CHECK(cond, ...) do { if (!(cond)) FAIL(__VA_ARGS__); } while (0)

/* A list literal with its NULs: pointer and length for anode_setns. */
#define LIST(lit) (lit), (sizeof(lit) - 1)

/* The text of path (NUL-terminated), or NULL and errno. */
static char *slurp(const char *path)
{
	static char buf[BUF];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return NULL;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return NULL;
	buf[n] = '\0';
	return buf;
}

static void expect_open(const char *path)
{
	int fd = open(path, O_RDONLY);

	CHECK(fd >= 0, "open %s: %s", path, strerror(errno));
	close(fd);
}

static void expect_enoent(const char *path)
{
	errno = 0;
	CHECK(open(path, O_RDONLY) == -1 && errno == ENOENT, "open %s: errno %d, want ENOENT",
	      path, errno);
}

/* The namespace as the sys: scheme shows it (only while sys is in it). */
static void expect_namespace(const char *want)
{
	char *ns = slurp("sys:namespace");

	CHECK(ns, "sys:namespace: %s", strerror(errno));
	CHECK(strcmp(ns, want) == 0, "sys:namespace is \"%s\", want \"%s\"", ns, want);
}

/* Whether directory d lists exactly want[0..n), each once, in any order. */
static void expect_listing(DIR *d, const char *what, const char *const *want, size_t n)
{
	unsigned seen = 0; /* bit i: want[i] listed */
	struct dirent *e;

	CHECK(d, "opendir %s: %s", what, strerror(errno));
	while ((e = readdir(d))) {
		size_t i = 0;

		while (i < n && strcmp(e->d_name, want[i]) != 0)
			i++;
		CHECK(i < n && !(seen & 1u << i), "%s lists %s", what, e->d_name);
		seen |= 1u << i;
	}
	CHECK(seen == (1u << n) - 1, "%s lacks some of its %zu names", what, n);
	closedir(d);
}

/* Runs fn in a child and checks it exits 0 (it prints its own reason). */
static void in_child(const char *name, void (*fn)(void))
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		fail_prefix = name;
		fn();
		fflush(stdout);
		_exit(0);
	}
	CHECK(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "%sfailed (status %#x)", name, status);
}

/* What a process in {file, null} can and cannot open. */
static void check_file_null(void)
{
	expect_open("null:");
	expect_open("/scheme/null");
	expect_open(SELF);            /* a plain path: the file scheme */
	expect_open("file:" SELF);
	expect_enoent("zero:");
	expect_enoent("/scheme/zero");
	expect_enoent("scheme:zero");
	expect_enoent("sys:uname");
	expect_enoent("/scheme/sys/uname");
	expect_enoent("initfs:" SELF);
	expect_enoent("time:monotonic");
}

static void grandchild(void)
{
	check_file_null();
}

static void narrowed(void)
{
	static const char *const visible[] = { "null", "file", "scheme" };
	pid_t pid;
	int status;

	/* From every name: exactly the four asked for. */
	CHECK(anode_setns(LIST("file\0null\0zero\0sys\0")) == 4, "setns 4: %s", strerror(errno));
	expect_namespace("file\nnull\nzero\nsys\n");
	/* initfs is not in the set: asking for it does not add it. */
	CHECK(anode_setns(LIST("null\0initfs\0file\0")) == 2, "narrowing to 2: %s",
	      strerror(errno));
	check_file_null();
	/* The listing shows what can be opened: itself, null and file. */
	expect_listing(opendir("/scheme"), "/scheme", visible, 3);
	/* Still no way back to what was dropped. */
	CHECK(anode_setns(LIST("file\0null\0zero\0sys\0initfs\0")) == 2, "widening");
	check_file_null();
	printf("t_namespace: {file, null} ok\n");
	/* Fork shares the namespace, exec keeps it. */
	in_child("t_namespace: grandchild: ", grandchild);
	fflush(stdout);
	pid = fork();
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		execl(SELF, SELF, EXEC_CHECK, (char *)NULL);
		printf("t_namespace: exec: execl: %s\n", strerror(errno));
		_exit(1);
	}
	CHECK(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "exec'd check failed (status %#x)",
	      status);
	printf("t_namespace: fork and exec keep it\n");
}

/*
 * Capability mode: nothing opens, not even below a directory it holds
 * (openat joins the directory's path and opens by name, so it is refused
 * like any name: Anode has no descriptor-relative lookup that could keep
 * such an open beneath the directory, as Capsicum's does). What it holds
 * still works.
 */
static void null_namespace(void)
{
	char buf[sizeof(PIPE_MSG)], magic[ELF_MAGIC_LEN];
	int p[2], file, dir;
	struct dirent *e;
	pid_t pid;
	DIR *d;

	CHECK(pipe(p) == 0, "pipe: %s", strerror(errno));
	file = open(SELF, O_RDONLY);
	dir = open("/tests", O_RDONLY | O_DIRECTORY);
	CHECK(file >= 0 && dir >= 0, "open before: %s", strerror(errno));
	CHECK(anode_setns(NULL, 0) == 0, "setns to null: %s", strerror(errno));
	expect_enoent("initfs:" SELF);
	expect_enoent(SELF);
	expect_enoent("file:" SELF);
	expect_enoent("null:");
	expect_enoent("sys:namespace");
	expect_enoent("/scheme");
	expect_enoent("/scheme/null");
	/* memory: (device memory) is refused too; ENOENT whether it exists
	 * yet or not, so this line holds either way. */
	expect_enoent("memory:");
	errno = 0;
	CHECK(openat(dir, SELF_NAME, O_RDONLY) == -1 && errno == ENOENT,
	      "openat below a held directory: errno %d", errno);
	/* Nothing widens it. */
	CHECK(anode_setns(LIST("file\0null\0")) == 0, "setns from null");
	expect_enoent("null:");
	/* The descriptors it held keep working. */
	CHECK(write(p[1], PIPE_MSG, sizeof(PIPE_MSG)) == (ssize_t)sizeof(PIPE_MSG), "pipe write: %s",
	      strerror(errno));
	CHECK(read(p[0], buf, sizeof(buf)) == (ssize_t)sizeof(buf) && strcmp(buf, PIPE_MSG) == 0,
	      "pipe read: %s", strerror(errno));
	CHECK(read(file, magic, sizeof(magic)) == (ssize_t)sizeof(magic) &&
	      memcmp(magic, ELF_MAGIC, ELF_MAGIC_LEN) == 0, "read of the held file: %s",
	      strerror(errno));
	/* A held directory still lists (here, one name of it). */
	d = fdopendir(dir);
	CHECK(d, "fdopendir: %s", strerror(errno));
	while ((e = readdir(d)) && strcmp(e->d_name, SELF_NAME) != 0)
		;
	CHECK(e, "the held directory does not list %s", SELF_NAME);
	closedir(d);
	/* exec opens its program by name: refused. */
	fflush(stdout);
	pid = fork();
	CHECK(pid >= 0, "fork in the null namespace: %s", strerror(errno));
	if (pid == 0) {
		execl(SELF, SELF, EXEC_CHECK, (char *)NULL);
		_exit(errno == ENOENT ? 0 : 1);
	}
	CHECK(waitpid(pid, NULL, 0) == pid, "waitpid");
	printf("t_namespace: null namespace ok\n");
}

static void *narrow_to_null_dev(void *arg)
{
	(void)arg;
	return (void *)anode_setns(LIST("null\0"));
}

/* The namespace is the process's: a thread narrowing it narrows it for
 * every thread. */
static void threads_share(void)
{
	pthread_t t;
	void *ret;

	CHECK(pthread_create(&t, NULL, narrow_to_null_dev, NULL) == 0, "pthread_create");
	CHECK(pthread_join(t, &ret) == 0 && (long)ret == 1, "setns in a thread: %ld", (long)ret);
	expect_open("null:");
	expect_enoent("zero:");
	expect_enoent(SELF);
	printf("t_namespace: threads share it\n");
}

/* Malformed calls: each fails and the namespace stays every name. */
static void bad_arguments(void)
{
	static char big[LIST_BUF_MAX + 1];
	char longname[NAME_MAX_LEN + 2];
	size_t len = 0;

	errno = 0;
	CHECK(anode_setns((const char *)1, 5) == -1 && errno == EFAULT, "bad pointer: errno %d",
	      errno);
	errno = 0;
	CHECK(anode_setns(big, sizeof(big)) == -1 && errno == EINVAL, "too long: errno %d", errno);
	errno = 0;
	CHECK(anode_setns(LIST("file")) == -1 && errno == EINVAL, "no NUL: errno %d", errno);
	errno = 0;
	CHECK(anode_setns(LIST("file\0\0")) == -1 && errno == EINVAL, "empty name: errno %d", errno);
	errno = 0;
	CHECK(anode_setns(LIST("File\0")) == -1 && errno == EINVAL, "upper case: errno %d", errno);
	errno = 0;
	CHECK(anode_setns(LIST("a:b\0")) == -1 && errno == EINVAL, "':': errno %d", errno);
	memset(longname, 'a', NAME_MAX_LEN + 1);
	longname[NAME_MAX_LEN + 1] = '\0';
	errno = 0;
	CHECK(anode_setns(longname, sizeof(longname)) == -1 && errno == EINVAL,
	      "name too long: errno %d", errno);
	for (int i = 0; i <= NAMES_MAX; i++)
		len += (size_t)snprintf(big + len, sizeof(big) - len, "n%d", i) + 1;
	errno = 0;
	CHECK(anode_setns(big, len) == -1 && errno == EINVAL, "too many names: errno %d", errno);
	expect_namespace("*\n");
	expect_open("zero:");
	printf("t_namespace: bad arguments change nothing\n");
}

/* sys:schemes: "NAME PID" lines, the kernel's schemes with pid 0. */
static void sys_schemes(void)
{
	static const char *const kernel_schemes[] = {
		"debug", "null", "zero", "pipe", "sys", "time", "scheme",
	}; /* initfs and file are initfsd's (t_bootchain checks them) */
	char *text = slurp("sys:schemes"), line[NAME_MAX_LEN + 5];

	CHECK(text, "sys:schemes: %s", strerror(errno));
	for (size_t i = 0; i < sizeof(kernel_schemes) / sizeof(kernel_schemes[0]); i++) {
		/* A whole line: after the start or a newline. */
		snprintf(line, sizeof(line), "\n%s 0\n", kernel_schemes[i]);
		CHECK(strncmp(text, line + 1, strlen(line + 1)) == 0 || strstr(text, line),
		      "sys:schemes lacks \"%s 0\":\n%s", kernel_schemes[i], text);
	}
	printf("t_namespace: sys:schemes ok\n");
}

int main(int argc, char *argv[])
{
	if (argc > 1 && strcmp(argv[1], EXEC_CHECK) == 0) {
		fail_prefix = "t_namespace: exec'd: ";
		check_file_null();
		return 0;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	CHECK(getuid() == 0 && geteuid() == 0 && getgid() == 0 && getegid() == 0,
	      "not root: uid %d euid %d gid %d egid %d", getuid(), geteuid(), getgid(), getegid());
	expect_namespace("*\n");
	sys_schemes();
	bad_arguments();
	in_child("t_namespace: narrowed child: ", narrowed);
	in_child("t_namespace: null-namespace child: ", null_namespace);
	in_child("t_namespace: threaded child: ", threads_share);
	/* The children's narrowing never touched this process. */
	expect_namespace("*\n");
	expect_open("zero:");
	printf("PASS: t_namespace\n");
	return 0;
}
