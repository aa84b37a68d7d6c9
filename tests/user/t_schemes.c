/*
 * t_schemes: Anode's schemes (Anode only): the two path forms name the same
 * resource, sys: files hold the kernel's information, null:/zero:/time:
 * behave, /scheme (and scheme:) list the schemes and reach them, the
 * initfs: scheme is the file scheme, an unknown scheme is ENOENT, and
 * read-only schemes refuse writes.
 * Prints "PASS: t_schemes" or "FAIL: t_schemes: <reason>".
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BUF 4096
#define FDT_MAGIC "\xd0\x0d\xfe\xed"

#define FAIL(...) do { \
	printf("FAIL: t_schemes: " __VA_ARGS__); \
	printf("\n"); \
	exit(1); \
} while (0)
#define CHECK(cond, ...) do { if (!(cond)) FAIL(__VA_ARGS__); } while (0)

static char *slurp(const char *path, ssize_t *len)
{
	static char buf[BUF];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	CHECK(fd >= 0, "open %s: %s", path, strerror(errno));
	n = read(fd, buf, sizeof(buf) - 1);
	CHECK(n >= 0, "read %s: %s", path, strerror(errno));
	buf[n] = '\0';
	close(fd);
	if (len)
		*len = n;
	return buf;
}

/* Names of a directory's entries, each followed by '\n', into out. */
static void list(const char *path, char *out, size_t size)
{
	DIR *d = opendir(path);
	struct dirent *e;
	size_t len = 0;

	CHECK(d, "opendir %s: %s", path, strerror(errno));
	out[0] = '\0';
	while ((e = readdir(d))) {
		int n = snprintf(out + len, size - len, "%s\n", e->d_name);

		CHECK(n > 0 && (size_t)n < size - len, "listing of %s too long", path);
		len += (size_t)n;
	}
	closedir(d);
}

/* How many lines of text (each ending in '\n') are exactly name. */
static int count_lines(const char *text, const char *name)
{
	size_t len = strlen(name);
	int n = 0;

	for (const char *l = text; *l; l = strchr(l, '\n') + 1)
		n += strncmp(l, name, len) == 0 && l[len] == '\n';
	return n;
}

/* /scheme is the directory of schemes: it lists every kernel scheme once,
 * the same as scheme:, and names relative to it reach those schemes. */
static void list_schemes(void)
{
	static const char *const kernel_schemes[] = {
		"debug", "null", "zero", "pipe", "sys", "time", "initfs", "file",
	};
	static char names[BUF], again[BUF];
	struct stat st;
	int dir, fd;

	CHECK(stat("/scheme", &st) == 0 && S_ISDIR(st.st_mode), "/scheme is not a directory: %s",
	      strerror(errno));
	list("/scheme", names, sizeof(names));
	for (size_t i = 0; i < sizeof(kernel_schemes) / sizeof(kernel_schemes[0]); i++)
		CHECK(count_lines(names, kernel_schemes[i]) == 1, "/scheme lists %s %d times:\n%s",
		      kernel_schemes[i], count_lines(names, kernel_schemes[i]), names);
	list("scheme:", again, sizeof(again));
	CHECK(strcmp(names, again) == 0, "/scheme and scheme: list differently:\n%s---\n%s", names, again);
	list("/scheme/", again, sizeof(again));
	CHECK(strcmp(names, again) == 0, "/scheme and /scheme/ list differently");

	dir = open("/scheme", O_RDONLY | O_DIRECTORY);
	CHECK(dir >= 0, "open /scheme: %s", strerror(errno));
	CHECK(fstatat(dir, "sys", &st, 0) == 0 && S_ISDIR(st.st_mode), "fstatat /scheme sys: %s",
	      strerror(errno));
	CHECK(fstatat(dir, "null", &st, 0) == 0 && S_ISCHR(st.st_mode), "fstatat /scheme null: %s",
	      strerror(errno));
	fd = openat(dir, "sys/uname", O_RDONLY);
	CHECK(fd >= 0, "openat /scheme sys/uname: %s", strerror(errno));
	close(fd);
	errno = 0;
	CHECK(fstatat(dir, "nosuchscheme", &st, 0) == -1 && errno == ENOENT,
	      "fstatat /scheme nosuchscheme: errno %d", errno);
	close(dir);
	errno = 0;
	CHECK(open("/scheme", O_WRONLY) == -1 && errno == EISDIR, "writing /scheme: errno %d", errno);
}

int main(void)
{
	char first[BUF], *s;
	ssize_t n;
	int fd, found = 0;
	DIR *d;
	struct dirent *e;

	setvbuf(stdout, NULL, _IOLBF, 0);
	strcpy(first, slurp("sys:uname", NULL));
	CHECK(strncmp(first, "Anode ", 6) == 0, "sys:uname says %s", first);
	CHECK(strcmp(first, slurp("/scheme/sys/uname", NULL)) == 0, "the two path forms differ");
	s = slurp("sys:context", NULL);
	CHECK(strstr(s, "PID PPID NAME STATE CPU_MS MEM_KB\n") && strstr(s, " t_schemes R "),
	      "sys:context lacks this process:\n%s", s);
	CHECK(strstr(slurp("sys:meminfo", NULL), "MemFree: "), "sys:meminfo");
	CHECK(strstr(slurp("sys:log", NULL), "Anode (AArch64) booting"), "sys:log lacks the banner");
	s = slurp("sys:fdt", &n);
	CHECK(n >= 4 && memcmp(s, FDT_MAGIC, 4) == 0, "sys:fdt is not a device tree");
	d = opendir("sys:");
	CHECK(d, "opendir sys:: %s", strerror(errno));
	while ((e = readdir(d)))
		found += strcmp(e->d_name, "context") == 0;
	closedir(d);
	CHECK(found == 1, "sys: listing lacks context");
	printf("t_schemes: sys: ok\n");

	list_schemes();
	printf("t_schemes: /scheme ok\n");

	CHECK(slurp("null:", &n) && n == 0, "null: read gave %zd bytes", n);
	s = slurp("zero:", &n);
	CHECK(n == BUF - 1 && s[0] == 0 && s[n - 1] == 0, "zero:");
	fd = open("null:", O_WRONLY);
	CHECK(fd >= 0 && write(fd, "x", 1) == 1, "null: write");
	close(fd);
	s = slurp("time:monotonic", NULL);
	CHECK(strchr(s, '.') && atof(s) > 0, "time:monotonic says %s", s);
	printf("t_schemes: null:, zero:, time: ok\n");

	strcpy(first, slurp("initfs:/etc/motd", NULL));
	CHECK(strcmp(first, slurp("/etc/motd", NULL)) == 0 &&
	      strcmp(first, slurp("file:/etc/motd", NULL)) == 0, "initfs:, file: and plain paths differ");
	errno = 0;
	CHECK(open("nosuchscheme:x", O_RDONLY) == -1 && errno == ENOENT, "unknown scheme: errno %d", errno);
	errno = 0;
	CHECK(open("sys:nosuchfile", O_RDONLY) == -1 && errno == ENOENT, "unknown sys file: errno %d", errno);
	errno = 0;
	CHECK(open("sys:uname", O_WRONLY) == -1 && errno == EACCES, "writable sys: errno %d", errno);
	errno = 0;
	CHECK(open("initfs:/etc/new", O_WRONLY | O_CREAT, 0644) == -1 && errno == EROFS, "create on initfs: errno %d", errno);
	errno = 0;
	CHECK(open("initfs:/bin/true", O_WRONLY) == -1 && errno == EROFS, "writing a program file: errno %d", errno);
	printf("t_schemes: initfs:, errors ok\n");
	printf("PASS: t_schemes\n");
	return 0;
}
