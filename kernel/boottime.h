/*
 * kernel/boottime.h: the boot's per-stage timing. kmain marks the end of
 * each stage with the generic timer's count; with "boottime" on the
 * command line the stages and their guest time are printed before the
 * first process runs, so a slow stage can be found without a profiler
 * (which only starts once the boot is over).
 */
#ifndef KERNEL_BOOTTIME_H
#define KERNEL_BOOTTIME_H

/* The command-line word that prints the breakdown. */
#define BOOTTIME_WORD "boottime"

/* The stage named stage (a string literal) ended now. Boot CPU only. */
void boottime_mark(const char *stage);

/* Prints each stage's time, from reset (counter 0) on. */
void boottime_print(void);

#endif
