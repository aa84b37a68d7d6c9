/*
 * kernel/scheme/file_spare.c: the static spares that keep the heap off the
 * hottest file paths (see file.h): path buffers for every open and path
 * operation, and a struct file for the opens a stat makes. The heap's lock
 * and bitmap cost more than the rest of a stat's kernel path work. Each
 * spare is claimed and given back atomically, with no lock: two CPUs at
 * once find one or not, and the loser uses the heap as before.
 */
#include "kernel/scheme/file.h"
#include "kernel/scheme/path.h"
#include "mm/heap.h"
#include "syscall/abi/scheme_proto.h"
#include <string.h>

/* Every open and path operation needs one buffer for the path and one for
 * the scheme's redirect (SCHEME_PATH_BUF: a whole page from the frame
 * allocator under the heap's lock, were it allocated). */
#define SPARE_PATH_BUFS 2
static char spare_path_buf[SPARE_PATH_BUFS][SCHEME_PATH_BUF];
static bool spare_path_busy[SPARE_PATH_BUFS];

_Static_assert(SCHEME_PATH_BUF >= PATH_MAX_LEN, "a path buffer holds a path");

char *file_path_buf_get(void)
{
	for (int i = 0; i < SPARE_PATH_BUFS; i++)
		if (!__atomic_exchange_n(&spare_path_busy[i], true, __ATOMIC_ACQUIRE))
			return spare_path_buf[i];
	return kmalloc(SCHEME_PATH_BUF);
}

void file_path_buf_put(char *b)
{
	for (int i = 0; i < SPARE_PATH_BUFS; i++) {
		if (b == spare_path_buf[i]) {
			__atomic_store_n(&spare_path_busy[i], false, __ATOMIC_RELEASE);
			return;
		}
	}
	kfree(b);
}

/* Only a stat's file takes it: that one is gone before its system call
 * returns (no descriptor holds it), so the spare is never kept for long. A
 * file a descriptor holds could keep it for the life of a process. */
static struct file spare_file;
static bool spare_file_busy;

struct file *file_spare_get(void)
{
	if (__atomic_exchange_n(&spare_file_busy, true, __ATOMIC_ACQUIRE))
		return kzalloc(sizeof(spare_file));
	memset(&spare_file, 0, sizeof(spare_file));
	return &spare_file;
}

void file_free(struct file *f)
{
	if (f == &spare_file)
		__atomic_store_n(&spare_file_busy, false, __ATOMIC_RELEASE);
	else
		kfree(f);
}
