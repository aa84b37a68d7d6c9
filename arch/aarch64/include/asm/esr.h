/*
 * arch/aarch64/include/asm/esr.h: exception classes of ESR_ELx.EC (Arm ARM
 * D19.2.37, table "ESR_ELx.EC encoding") that the kernel handles by name.
 */
#ifndef ASM_ESR_H
#define ASM_ESR_H

#include "asm/sysreg.h"

#define EC_UNKNOWN 0x00
#define EC_WFX 0x01
#define EC_FP_ASIMD 0x07
#define EC_ILLEGAL_STATE 0x0e
#define EC_SVC64 0x15
#define EC_HVC64 0x16
#define EC_SMC64 0x17
#define EC_SYSREG 0x18
#define EC_IABT_LOWER 0x20
#define EC_IABT_CUR 0x21
#define EC_PC_ALIGN 0x22
#define EC_DABT_LOWER 0x24
#define EC_DABT_CUR 0x25
#define EC_SP_ALIGN 0x26
#define EC_SERROR 0x2f
#define EC_BREAKPT_LOWER 0x30
#define EC_BREAKPT_CUR 0x31
#define EC_SOFTSTP_LOWER 0x32
#define EC_SOFTSTP_CUR 0x33
#define EC_WATCHPT_LOWER 0x34
#define EC_WATCHPT_CUR 0x35
#define EC_BRK64 0x3c

static inline unsigned esr_class(uint64_t esr)
{
	return (esr >> ESR_EC_SHIFT) & ESR_EC_MASK;
}

/* Fault status codes (DFSC/IFSC) group by kind in bits [5:2]. */
#define FSC_TYPE_MASK 0x3c
#define FSC_TRANSLATION 0x04
#define FSC_ACCESS_FLAG 0x08
#define FSC_PERMISSION 0x0c
#define FSC_LEVEL_MASK 0x03

#endif
