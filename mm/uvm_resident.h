/*
 * mm/uvm_resident.h: the frames of the allocator an address space holds:
 * the pages it maps that came from the frame allocator (not the initfs
 * pages of the kernel image, not device registers) and its page tables.
 * What sys:meminfo's UserFrames sums over the live processes, so that a
 * program comparing free memory before and after (the fuzzer, user/fuzz.c)
 * can count what processes hold as theirs, to the page: a frame no live
 * space maps is not counted, so a leaked page still shows.
 */
#ifndef MM_UVM_RESIDENT_H
#define MM_UVM_RESIDENT_H

#include "kernel/lib/types.h"

struct aspace;

/* Pages: allocator frames mapped (a frame mapped twice, in two spaces or
 * at two addresses, counts twice), plus the root and every table below
 * it. Takes as's lock. */
size_t uvm_resident_frames(struct aspace *as);

#endif
