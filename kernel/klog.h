/*
 * kernel/klog.h: the kernel log buffer. Every printk line lands here, so the
 * log can be read later (sys:log) and replayed to a console that starts late.
 */
#ifndef KERNEL_KLOG_H
#define KERNEL_KLOG_H

#include "kernel/lib/types.h"

#define KLOG_SIZE (64 * 1024) /* bytes kept; older text is overwritten */

/* Appends kernel text; if the log ends inside a program's line
 * (klog_write_user), a newline first, so that kernel lines start at the
 * left margin. */
void klog_write(const char *s, size_t n);
/* Appends a program's console output (debug: once the console is handed
 * over, kernel/console.c). */
void klog_write_user(const char *s, size_t n);
/* Copies up to n bytes starting at absolute position pos; returns the count.
 * Positions older than what the ring still holds are read from the oldest. */
size_t klog_read(uint64_t pos, char *buf, size_t n);
uint64_t klog_end(void);   /* absolute position after the newest byte */
uint64_t klog_start(void); /* absolute position of the oldest byte kept */
/*
 * A reader that follows the log (kmsg:): copies up to n bytes from *pos
 * (moved to the oldest kept byte if the ring overwrote it) and advances
 * *pos. With block, waits while there is nothing new: -EINTR on a signal.
 * -EAGAIN when nothing is new and !block. Thread context.
 */
long klog_follow(uint64_t *pos, char *buf, size_t n, bool block);
/* From now on writers wake no follower (a panic: the scheduler's state may
 * be what broke; the console shows the text itself). */
void klog_stop_waking(void);
/* A panic is being reported: wake nobody, and take the log's lock with a
 * bounded wait, then regardless (its holder may never let go). */
void klog_panic(void);

#endif
