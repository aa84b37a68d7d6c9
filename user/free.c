/*
 * free: show the amount of free and used memory, in KiB, from sys:meminfo.
 *
 * sys:meminfo has Linux-like lines "MemTotal: N kB", "MemFree: N kB" and
 * "KernelHeap: N kB". The output follows procps' free:
 *
 *                  total        used        free
 *   Mem:          1048576       20480     1028096
 */
#include <stdio.h>
#include <string.h>

#include "meminfo.h"

int main(void)
{
	int err = meminfo_load();
	if (err) {
		fprintf(stderr, "free: %s: %s\n", MEMINFO, strerror(err));
		return 1;
	}

	unsigned long total, avail;
	if (meminfo_get("MemTotal", &total) < 0 ||
	    meminfo_get("MemFree", &avail) < 0) {
		fprintf(stderr, "free: %s: no MemTotal or MemFree line\n", MEMINFO);
		return 1;
	}
	unsigned long used = total > avail ? total - avail : 0;
	printf("%-7s %12s %11s %11s\n", "", "total", "used", "free");
	printf("%-7s %12lu %11lu %11lu\n", "Mem:", total, used, avail);
	return fflush(stdout) == 0 ? 0 : 1;
}
