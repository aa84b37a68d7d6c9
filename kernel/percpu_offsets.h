/*
 * kernel/percpu_offsets.h: offsets into struct cpu (kernel/percpu.h) that
 * assembly uses; kernel/percpu.c checks each with _Static_assert.
 */
#ifndef KERNEL_PERCPU_OFFSETS_H
#define KERNEL_PERCPU_OFFSETS_H

#define CPU_OVERFLOW_STACK_TOP 0
/* head.S finds a starting secondary's slot by its affinity. */
#define CPU_MPIDR 48
#define CPU_BOOT_STACK 80
#define CPU_SIZE 256
#define CPU_MAX 8 /* MAX_CPUS */

#endif
