/*
 * arch/aarch64/include/asm/trap.h: the register frame every exception entry
 * saves (vectors.S) and the C side of exception handling (exception.c).
 * The TF_* offsets are what the assembly uses; trap.c checks each against
 * offsetof with _Static_assert.
 */
#ifndef ASM_TRAP_H
#define ASM_TRAP_H

#define TF_X0 0
#define TF_X29 (29 * 8)
#define TF_X30 (30 * 8)
#define TF_SP (31 * 8)
#define TF_ELR (32 * 8)
#define TF_SPSR (33 * 8)
#define TF_ESR (34 * 8)
#define TF_FAR (35 * 8)
#define TF_FRAME_RECORD (36 * 8) /* {x29, elr}: links backtraces across traps */
#define TF_SIZE (38 * 8)

/* Vector kinds: which of the 16 entries of VBAR_EL1 was taken. */
#define VEC_CUR_SP0_SYNC 0
#define VEC_CUR_SPX_SYNC 4
#define VEC_CUR_SPX_IRQ 5
#define VEC_CUR_SPX_FIQ 6
#define VEC_CUR_SPX_SERROR 7
#define VEC_LOW64_SYNC 8
#define VEC_LOW64_IRQ 9
#define VEC_LOW64_FIQ 10
#define VEC_LOW64_SERROR 11
#define VEC_LOW32_SYNC 12
#define VEC_LOW32_IRQ 13
#define VEC_LOW32_FIQ 14
#define VEC_LOW32_SERROR 15
#define VEC_COUNT 16

#ifndef __ASSEMBLER__
#include <stdint.h>

#define TF_GPRS 31 /* x0-x30 */

struct trap_frame {
	uint64_t x[TF_GPRS];
	uint64_t sp;   /* the interrupted context's stack pointer */
	uint64_t elr;
	uint64_t spsr;
	uint64_t esr;
	uint64_t far;
	uint64_t frame_record[2];
};

void exception_dispatch(struct trap_frame *tf, unsigned kind);
const char *esr_class_name(unsigned ec);
void trap_dump(const struct trap_frame *tf);
#endif

#endif
