/*
 * arch/aarch64/include/asm/extable.h: the assembler macro that lists an
 * instruction allowed to fault in __ex_table with the address to resume at
 * (x0 = -EFAULT). The C side is arch/aarch64/extable.h.
 */
#ifndef ASM_EXTABLE_H
#define ASM_EXTABLE_H

#ifdef __ASSEMBLER__
.macro extable insn, fixup
	.pushsection __ex_table, "a"
	.balign 8
	.quad	\insn, \fixup
	.popsection
.endm
#endif

#endif
