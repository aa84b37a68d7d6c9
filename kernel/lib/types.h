/*
 * kernel/lib/types.h: the basic types and helpers every kernel module uses.
 * Shared with the host unit tests, so it depends only on the C standard
 * headers a freestanding compiler provides.
 */
#ifndef KERNEL_TYPES_H
#define KERNEL_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t paddr_t; /* physical address */
typedef uint64_t vaddr_t; /* virtual address */

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
/* x rounded up/down to a multiple of a; a must be a power of two. */
#define ALIGN_UP(x, a) (((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

#define KiB (1024UL)
#define MiB (1024UL * KiB)
#define GiB (1024UL * MiB)

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

#define __unused __attribute__((unused))
#define __noreturn __attribute__((noreturn))
#define __noinline __attribute__((noinline))
#define __printf(a, b) __attribute__((format(printf, a, b)))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

#endif
