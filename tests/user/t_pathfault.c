/*
 * t_pathfault: a path that ends at the edge of an unreadable page, at every
 * alignment (the kernel copies user strings a word at a time once
 * aligned, arch/aarch64/uaccess_copy.S). A path whose NUL is the last byte
 * before a PROT_NONE page works (stat "/tmp" written as slashes then
 * "tmp"), for every start from 1 to STARTS bytes before the edge; one with
 * no NUL before the edge is EFAULT, from every start too. Also a path
 * whose NUL falls at each byte of a word (lengths 1..STARTS) in the middle
 * of a page. Prints "PASS: t_pathfault" or "FAIL: t_pathfault: <reason>".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define STARTS 40 /* bytes before the edge tried: five words and more */
#define NAME "tmp"

#define FAIL(...) do { \
	printf("FAIL: t_pathfault: " __VA_ARGS__); \
	printf("\n"); \
	exit(1); \
} while (0)

/* "////tmp" of len bytes (len > strlen(NAME)) at p, its NUL after. */
static void slashes_then_name(char *p, size_t len)
{
	memset(p, '/', len - strlen(NAME));
	memcpy(p + len - strlen(NAME), NAME, strlen(NAME));
	p[len] = '\0';
}

int main(void)
{
	long page = sysconf(_SC_PAGESIZE);
	char *area = mmap(NULL, 2 * (size_t)page, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *edge = area + page;
	struct stat st;

	if (area == MAP_FAILED)
		FAIL("mmap: %s", strerror(errno));
	if (mprotect(edge, (size_t)page, PROT_NONE) != 0)
		FAIL("mprotect: %s", strerror(errno));
	for (size_t len = strlen(NAME) + 1; len < STARTS; len++) {
		char *p = edge - len - 1;

		slashes_then_name(p, len);
		if (stat(p, &st) != 0 || !S_ISDIR(st.st_mode))
			FAIL("stat of %zu bytes ending at the edge: %s", len, strerror(errno));
	}
	printf("t_pathfault: paths ending at the edge work\n");
	for (size_t start = 1; start <= STARTS; start++) {
		memset(edge - STARTS - 1, '/', STARTS + 1);
		errno = 0;
		if (stat(edge - start, &st) != -1 || errno != EFAULT)
			FAIL("no NUL from %zu bytes before the edge: %s, not EFAULT", start,
			     strerror(errno));
	}
	printf("t_pathfault: paths running into the edge are EFAULT\n");
	for (size_t off = 0; off < 8; off++) {
		for (size_t len = strlen(NAME) + 1; len < STARTS; len++) {
			char *p = area + page / 2 + off;

			slashes_then_name(p, len);
			if (stat(p, &st) != 0 || !S_ISDIR(st.st_mode))
				FAIL("stat of %zu bytes at offset %zu: %s", len, off, strerror(errno));
		}
	}
	printf("PASS: t_pathfault\n");
	return 0;
}
