/*
 * t_cow: copy-on-write isolation after fork.
 *
 * Parent and child share, right after fork, the same data in a large global
 * array (many pages of .bss), in .data, on the heap and on the stack. Then
 * the child overwrites all of it while the parent waits, the parent checks
 * that it still sees its own values, overwrites them itself, and the child
 * checks that it still sees its own. Pipes order the two sides.
 * Prints "PASS: t_cow" or "FAIL: t_cow: <reason>".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define BIG_BYTES (1024 * 1024)		/* 256 pages of .bss */
#define HEAP_BYTES (64 * 1024)
#define STACK_BYTES (16 * 1024)

static unsigned char big[BIG_BYTES];
static int data_word = 12345;

#define FAIL(...) do { \
	printf("FAIL: t_cow: " __VA_ARGS__); \
	printf("\n"); \
	exit(1); \
} while (0)

struct area {
	const char *name;
	unsigned char *p;
	size_t n;
};

/* Fill every byte (so every page is written) with a tag-dependent pattern. */
static void fill(const struct area *a, int count, unsigned tag)
{
	for (int i = 0; i < count; i++)
		for (size_t j = 0; j < a[i].n; j++)
			a[i].p[j] = (unsigned char)(j * 13 + tag);
}

/* The first mismatch's description in why, or 0 if all hold tag's pattern. */
static int check(const struct area *a, int count, unsigned tag, char *why,
		 size_t len)
{
	for (int i = 0; i < count; i++)
		for (size_t j = 0; j < a[i].n; j++)
			if (a[i].p[j] != (unsigned char)(j * 13 + tag)) {
				snprintf(why, len, "%s byte %zu (page %zu) is %#x, want %#x",
					 a[i].name, j, j / 4096, a[i].p[j],
					 (unsigned char)(j * 13 + tag));
				return -1;
			}
	return 0;
}

static void sync_write(int fd)
{
	if (write(fd, "k", 1) != 1)
		FAIL("pipe write: %s", strerror(errno));
}

static void sync_read(int fd)
{
	char c;
	if (read(fd, &c, 1) != 1)
		FAIL("pipe read: %s", strerror(errno));
}

int main(void)
{
	enum { PARENT = 1, CHILD = 2, BEFORE = 3 };
	unsigned char stack_buf[STACK_BYTES];
	unsigned char *heap = malloc(HEAP_BYTES);
	char why[160];
	int to_child[2], to_parent[2];

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("t_cow: start\n");
	if (!heap)
		FAIL("malloc(%d) failed", HEAP_BYTES);
	struct area a[] = {
		{ "global", big, sizeof(big) },
		{ "data", (unsigned char *)&data_word, sizeof(data_word) },
		{ "heap", heap, HEAP_BYTES },
		{ "stack", stack_buf, sizeof(stack_buf) },
	};
	const int n = sizeof(a) / sizeof(a[0]);

	fill(a, n, BEFORE);
	if (pipe(to_child) < 0 || pipe(to_parent) < 0)
		FAIL("pipe: %s", strerror(errno));
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0)
		FAIL("fork: %s", strerror(errno));

	if (pid == 0) {
		/* Child: sees the parent's data, overwrites it, then checks that
		 * the parent's later writes did not reach it. */
		if (check(a, n, BEFORE, why, sizeof(why)) < 0) {
			printf("t_cow: child after fork: %s\n", why);
			_exit(1);
		}
		fill(a, n, CHILD);
		sync_write(to_parent[1]);
		sync_read(to_child[0]);
		if (check(a, n, CHILD, why, sizeof(why)) < 0) {
			printf("t_cow: child after the parent's writes: %s\n", why);
			_exit(1);
		}
		_exit(0);
	}

	sync_read(to_parent[0]);
	if (check(a, n, BEFORE, why, sizeof(why)) < 0)
		FAIL("parent sees the child's writes: %s", why);
	printf("t_cow: parent does not see the child's writes ok\n");
	fill(a, n, PARENT);
	sync_write(to_child[1]);

	int status;
	if (waitpid(pid, &status, 0) != pid)
		FAIL("waitpid: %s", strerror(errno));
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		FAIL("child saw wrong data (status %#x)", status);
	printf("t_cow: child does not see the parent's writes ok\n");
	if (check(a, n, PARENT, why, sizeof(why)) < 0)
		FAIL("parent lost its own writes: %s", why);
	printf("t_cow: %d KiB global, data, %d KiB heap, %d KiB stack isolated ok\n",
	       BIG_BYTES / 1024, HEAP_BYTES / 1024, STACK_BYTES / 1024);
	free(heap);
	printf("PASS: t_cow\n");
	return 0;
}
