/*
 * kernel/scheme/file_spare.c: the static spares that keep the heap off the
 * hottest file paths (see file.h): path buffers for every open and path
 * operation, and freed struct files for the next opens. The heap's lock
 * and bitmap cost more than the rest of an open's kernel path work. Each
 * is claimed and given back atomically, with no lock: two CPUs at once
 * find one or not, and the loser uses the heap as before.
 */
#include "kernel/scheme/file.h"
#include "kernel/scheme/path.h"
#include "mm/heap.h"
#include "kernel/printk.h"
#include "kernel/lib/spare.h"
#include "syscall/abi/scheme_proto.h"
#include <stddef.h>
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
	int i = spare_claim(spare_path_busy, SPARE_PATH_BUFS);

	return i >= 0 ? spare_path_buf[i] : kmalloc(SCHEME_PATH_BUF);
}

void file_path_buf_put(char *b)
{
	for (int i = 0; i < SPARE_PATH_BUFS; i++) {
		if (b == spare_path_buf[i]) {
			spare_release(spare_path_busy, i);
			return;
		}
	}
	kfree(b);
}

/* Freed files kept for the next open: the heap's lock and bitmap cost
 * more than the rest of an open's file work. Each slot holds one free
 * file or NULL; taking one is an atomic exchange with NULL and keeping
 * one a compare-and-swap into an empty slot, so a file is in one slot or
 * owned by one CPU, never both, with no lock. Only freed files are kept:
 * a file that stays open holds no slot. A few files' worth of memory
 * stays out of the heap, as its own empty slabs do. */
#if !defined(HOST_TEST) || defined(FILE_SPARE_TEST)
/* FILE_SPARE_TEST: tests/host/test_file_spare.c includes this file to test
 * the slots themselves. */
#define FILE_CACHE_SLOTS 4
#else
/* The host tests count the heap's objects and failed allocations exactly
 * (tests/host/kstubs.c): there every file comes from the heap. */
#define FILE_CACHE_SLOTS 0
#endif
static struct file *file_cache[FILE_CACHE_SLOTS];

struct file *file_new(void)
{
	for (int i = 0; i < FILE_CACHE_SLOTS; i++) {
		struct file *f = __atomic_exchange_n(&file_cache[i], NULL, __ATOMIC_ACQUIRE);

		if (f) {
			/* Not path_buf: only what path points at is read. */
			memset(f, 0, offsetof(struct file, path_buf));
			return f;
		}
	}
	return kzalloc(sizeof(struct file));
}

void file_free(struct file *f)
{
	/* A file freed twice would otherwise sit in a slot (or two) and be
	 * handed to two opens, past the heap's double-free check: refuse it
	 * and say so as kfree does (mm/kheap.c, in its words, which the QEMU
	 * tests watch for), leaving the slots unchanged. Its own flag, not a
	 * search of the slots: one load. Cheap, not a lock: two racing frees
	 * of one file may each miss the other's mark. */
	if (FILE_CACHE_SLOTS && f->spare_kept) {
		printk("kfree(%p): double free (file_free: already in a spare slot)\n", (void *)f);
		return;
	}
	/* Before a slot publishes it: once there, another CPU may take it. */
	f->spare_kept = true;
	for (int i = 0; i < FILE_CACHE_SLOTS; i++) {
		struct file *none = NULL;

		if (__atomic_compare_exchange_n(&file_cache[i], &none, f, false, __ATOMIC_RELEASE,
						__ATOMIC_RELAXED))
			return;
	}
	kfree(f);
}
