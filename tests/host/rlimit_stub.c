/*
 * tests/host/rlimit_stub.c: host stand-ins for the resource-limit checks
 * (kernel/rlimit.c; declared in kernel/scheme/file.h and fdtable.h) the file layer and descriptor table call: no limits.
 */
#include "kernel/scheme/fdtable.h"
#include "kernel/scheme/file.h"

int rlimit_fsize_check(uint64_t pos, size_t *len)
{
	(void)pos;
	(void)len;
	return 0;
}

bool rlimit_fsize_limited(void)
{
	return false;
}

int rlimit_fsize_truncate(uint64_t size)
{
	(void)size;
	return 0;
}

int rlimit_nofile(void)
{
	return FD_MAX;
}
