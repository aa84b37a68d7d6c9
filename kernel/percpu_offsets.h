/*
 * kernel/percpu_offsets.h: offsets into struct cpu (kernel/percpu.h) that
 * assembly uses; kernel/percpu.c checks each with _Static_assert.
 */
#ifndef KERNEL_PERCPU_OFFSETS_H
#define KERNEL_PERCPU_OFFSETS_H

#define CPU_OVERFLOW_STACK_TOP 0

#endif
