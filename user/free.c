/*
 * free: show the amount of free and used memory, in KiB, from sys:meminfo.
 *
 * sys:meminfo has Linux-like lines "MemTotal: N kB", "MemFree: N kB" and
 * "KernelHeap: N kB". The output follows procps' free:
 *
 *                  total        used        free
 *   Mem:          1048576       20480     1028096
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MEMINFO "sys:meminfo"

static char text[8192];

/* Find "key: N kB" in the meminfo text; 0 and *kb, or -1 if absent. */
static int meminfo_get(const char *text, const char *key, unsigned long *kb)
{
	size_t len = strlen(key);

	for (const char *line = text; *line;) {
		if (strncmp(line, key, len) == 0 && line[len] == ':') {
			char *end;
			unsigned long v = strtoul(line + len + 1, &end, 10);
			if (end == line + len + 1)
				return -1;
			*kb = v;
			return 0;
		}
		const char *nl = strchr(line, '\n');
		if (!nl)
			break;
		line = nl + 1;
	}
	return -1;
}

int main(void)
{
	int fd = open(MEMINFO, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "free: %s: %s\n", MEMINFO, strerror(errno));
		return 1;
	}
	size_t len = 0;
	ssize_t n;
	while (len < sizeof(text) - 1 &&
	       (n = read(fd, text + len, sizeof(text) - 1 - len)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "free: %s: %s\n", MEMINFO, strerror(errno));
			return 1;
		}
		len += (size_t)n;
	}
	close(fd);
	text[len] = '\0';

	unsigned long total, avail;
	if (meminfo_get(text, "MemTotal", &total) < 0 ||
	    meminfo_get(text, "MemFree", &avail) < 0) {
		fprintf(stderr, "free: %s: no MemTotal or MemFree line\n", MEMINFO);
		return 1;
	}
	unsigned long used = total > avail ? total - avail : 0;
	printf("%-7s %12s %11s %11s\n", "", "total", "used", "free");
	printf("%-7s %12lu %11lu %11lu\n", "Mem:", total, used, avail);
	return fflush(stdout) == 0 ? 0 : 1;
}
