/*
 * drivers/devgrant/devgrant.c: a driver's grant, read and mapped (see
 * devgrant.h). devgrant_parse is pure; the rest are thin system calls.
 */
#include "drivers/devgrant/devgrant.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define GRANT_PATH "grant:"
#define MEMORY_PATH "memory:"
#define GRANT_TEXT_MAX 8192
#define GRANT_WRITE_MAX 512
#define GRANT_KIND_MAX 16	/* "mem", "irq", "right" and a NUL */

static int parse_line(const char *line, struct devgrant *g)
{
	char kind[GRANT_KIND_MAX], word[GRANT_KIND_MAX];
	uint64_t base, size;
	uint32_t irq;

	if (sscanf(line, "%15s", kind) != 1)
		return 0; /* a blank line */
	if (strcmp(kind, "mem") == 0) {
		if (sscanf(line, "mem %" SCNx64 " %" SCNx64, &base, &size) != 2 || size == 0)
			return -EINVAL;
		if (g->nmem < DEVGRANT_MAX) {
			g->mem[g->nmem].base = base;
			g->mem[g->nmem++].size = size;
		}
	} else if (strcmp(kind, "irq") == 0) {
		if (sscanf(line, "irq %" SCNu32 " %15s", &irq, word) != 2 ||
		    (strcmp(word, "edge") && strcmp(word, "level")))
			return -EINVAL;
		if (g->nirq < DEVGRANT_MAX) {
			g->irq[g->nirq].irq = irq;
			g->irq[g->nirq++].edge = strcmp(word, "edge") == 0;
		}
	} else if (strcmp(kind, "right") == 0) {
		if (sscanf(line, "right %15s", word) != 1)
			return -EINVAL;
		if (strcmp(word, "clock") == 0)
			g->clock = true;
	}
	return 0;
}

int devgrant_parse(const char *text, struct devgrant *out)
{
	memset(out, 0, sizeof(*out));
	for (const char *line = text; line && *line;) {
		const char *end = strchr(line, '\n');
		char buf[128];
		size_t len = end ? (size_t)(end - line) : strlen(line);
		int err;

		if (len >= sizeof(buf))
			return -EINVAL;
		memcpy(buf, line, len);
		buf[len] = '\0';
		err = parse_line(buf, out);
		if (err)
			return err;
		line = end ? end + 1 : NULL;
	}
	return 0;
}

/* Writes node (and "right clock") to grant:, narrowing to exactly them. */
static int narrow(const char *node, bool want_clock)
{
	char text[GRANT_WRITE_MAX];
	int fd, n = snprintf(text, sizeof(text), "%s\n%s", node, want_clock ? "right clock\n" : "");
	ssize_t w;

	if (n < 0 || (size_t)n >= sizeof(text))
		return -ENAMETOOLONG;
	fd = open(GRANT_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	w = write(fd, text, (size_t)n);
	n = w == n ? 0 : w < 0 ? -errno : -EIO;
	close(fd);
	return n;
}

int devgrant_load(const char *node, bool want_clock, struct devgrant *out)
{
	static char text[GRANT_TEXT_MAX];
	ssize_t n;
	int fd, err = node ? narrow(node, want_clock) : 0;

	if (err)
		return err;
	fd = open(GRANT_PATH, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = pread(fd, text, sizeof(text) - 1, 0);
	err = n < 0 ? -errno : 0;
	close(fd);
	if (err)
		return err;
	text[n] = '\0';
	return devgrant_parse(text, out);
}

volatile uint32_t *devgrant_map(uint64_t base, uint64_t size)
{
	int fd = open(MEMORY_PATH, O_RDWR | O_CLOEXEC);
	void *p;

	if (fd < 0)
		return NULL;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)base);
	close(fd);
	return p == MAP_FAILED ? NULL : p;
}
