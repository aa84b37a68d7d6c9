/*
 * arch/aarch64/include/asm/sysreg.h: names for the system-register bits the
 * kernel sets, after the Arm Architecture Reference Manual for A-profile
 * (DDI 0487, chapter D19 "AArch64 System Register Descriptions").
 * Shared by the boot stub (assembly) and C, so only #defines live here.
 */
#ifndef ASM_SYSREG_H
#define ASM_SYSREG_H

#ifdef __ASSEMBLER__
#define UL(x) (x)
#else
#define UL(x) (x##UL)
#endif
#define BIT(n) (UL(1) << (n))

/* CurrentEL: the exception level is in bits [3:2]. */
#define CURRENTEL_EL_SHIFT 2
#define CURRENTEL_EL1 (1 << CURRENTEL_EL_SHIFT)
#define CURRENTEL_EL2 (2 << CURRENTEL_EL_SHIFT)
#define CURRENTEL_EL3 (3 << CURRENTEL_EL_SHIFT)

/* MPIDR_EL1: affinity fields identify a CPU; Aff0..Aff2 = bits [23:0]. */
#define MPIDR_AFF012_MASK UL(0xffffff)
#define MPIDR_AFF0_MASK UL(0xff)

/* SCR_EL3 (D19.2.120): how EL3 configures the lower, non-secure world. */
#define SCR_EL3_NS BIT(0)   /* EL0/EL1 are non-secure */
#define SCR_EL3_IRQ BIT(1)  /* 0: IRQs are not taken to EL3 */
#define SCR_EL3_FIQ BIT(2)  /* 0: FIQs are not taken to EL3 */
#define SCR_EL3_EA BIT(3)   /* 0: external aborts not taken to EL3 */
#define SCR_EL3_RES1 (BIT(4) | BIT(5))
#define SCR_EL3_SMD BIT(7)  /* 1 would make SMC undefined; we keep SMC for the monitor */
#define SCR_EL3_HCE BIT(8)  /* HVC enabled */
#define SCR_EL3_RW BIT(10)  /* next lower level is AArch64 */
#define SCR_EL3_ST BIT(11)  /* 1: secure EL1 may use CNTPS_*; unused */

/* HCR_EL2 (D19.2.46): with only RW set, EL2 stays out of EL1's way. */
#define HCR_EL2_RW BIT(31)  /* EL1 is AArch64 */

/* CPTR_EL2 (non-VHE): RES1 bits; TFP (bit 10) left 0 so FP/SIMD is not trapped. */
#define CPTR_EL2_RES1 (UL(0x33ff) | BIT(12) | BIT(13))
/* CPTR_EL3: 0 = nothing (FP/SIMD, SVE, trace) trapped to EL3. */
#define CPTR_EL3_NONE 0

/* CNTHCTL_EL2 (D19.12.3): EL1 access to the physical counter and timer. */
#define CNTHCTL_EL2_EL1PCTEN BIT(0)
#define CNTHCTL_EL2_EL1PCEN BIT(1)
/* CNTKCTL_EL1 (D19.12.6): EL0 may read the physical and virtual counters. */
#define CNTKCTL_EL1_EL0PCTEN BIT(0)
#define CNTKCTL_EL1_EL0VCTEN BIT(1)

/* CPACR_EL1 (D19.2.30): FPEN = 0b11, FP/SIMD not trapped at EL1 or EL0. */
#define CPACR_EL1_FPEN_SHIFT 20
#define CPACR_EL1_FPEN_NOTRAP (UL(3) << CPACR_EL1_FPEN_SHIFT)

/* SPSR_ELx (C5.2.18): the state an eret lands in. */
#define SPSR_MODE_EL0t 0x0
#define SPSR_MODE_EL1h 0x5
#define SPSR_MODE_EL2h 0x9
#define SPSR_F BIT(6)
#define SPSR_I BIT(7)
#define SPSR_A BIT(8)
#define SPSR_D BIT(9)
#define SPSR_DAIF (SPSR_D | SPSR_A | SPSR_I | SPSR_F)
/* Enter EL1h / EL2h with every exception masked. */
#define SPSR_EL1H_MASKED (SPSR_DAIF | SPSR_MODE_EL1h)
#define SPSR_EL2H_MASKED (SPSR_DAIF | SPSR_MODE_EL2h)

/* DAIF bits as the DAIFSet/DAIFClr immediates name them. */
#define DAIF_IRQ_IMM 2

/*
 * SCTLR_EL1 (D19.2.118). Bits RES1 in Armv8.0: 11 (EOS), 20 (TSCXT), 22 (EIS),
 * 23 (SPAN), 28 (nTLSMD), 29 (LSMAOE).
 */
#define SCTLR_EL1_M BIT(0)     /* MMU on */
#define SCTLR_EL1_A BIT(1)     /* alignment checks (kept off) */
#define SCTLR_EL1_C BIT(2)     /* data cache on */
#define SCTLR_EL1_SA BIT(3)    /* EL1 stack alignment check */
#define SCTLR_EL1_SA0 BIT(4)   /* EL0 stack alignment check */
#define SCTLR_EL1_I BIT(12)    /* instruction cache on */
#define SCTLR_EL1_DZE BIT(14)  /* EL0 may use DC ZVA (musl's memset does) */
#define SCTLR_EL1_UCT BIT(15)  /* EL0 may read CTR_EL0 */
#define SCTLR_EL1_nTWI BIT(16) /* EL0 WFI not trapped */
#define SCTLR_EL1_nTWE BIT(18) /* EL0 WFE not trapped */
#define SCTLR_EL1_WXN BIT(19)  /* writable implies execute-never */
#define SCTLR_EL1_UCI BIT(26)  /* EL0 cache maintenance by VA allowed */
#define SCTLR_EL1_SPAN BIT(23) /* 0 (FEAT_PAN): taking an exception to EL1 sets PSTATE.PAN */
#define SCTLR_EL1_RES1 (BIT(11) | BIT(20) | BIT(22) | BIT(23) | BIT(28) | BIT(29))
/* The state the MMU is enabled with; EE/E0E = 0 keep the kernel little-endian. */
#define SCTLR_EL1_KERNEL (SCTLR_EL1_RES1 | SCTLR_EL1_M | SCTLR_EL1_C | SCTLR_EL1_SA | \
	SCTLR_EL1_SA0 | SCTLR_EL1_I | SCTLR_EL1_DZE | SCTLR_EL1_UCT | SCTLR_EL1_nTWI | \
	SCTLR_EL1_nTWE | SCTLR_EL1_UCI)
/* Before the MMU is on: everything off, little-endian. */
#define SCTLR_EL1_MMU_OFF SCTLR_EL1_RES1
/* SCTLR_EL2 / SCTLR_EL3 RES1 bits (4, 5, 11, 16, 18, 22, 23, 28, 29): MMU and caches off. */
#define SCTLR_ELx_RES1_OFF (BIT(4) | BIT(5) | BIT(11) | BIT(16) | BIT(18) | BIT(22) | \
	BIT(23) | BIT(28) | BIT(29))

/*
 * MAIR_EL1 (D19.2.87): the memory types, indexed by a descriptor's AttrIndx.
 */
#define MAIR_ATTR_DEVICE_nGnRnE UL(0x00)
#define MAIR_ATTR_DEVICE_nGnRE UL(0x04)
#define MAIR_ATTR_NORMAL_NC UL(0x44)
#define MAIR_ATTR_NORMAL_WB UL(0xff) /* inner/outer write-back, read/write-allocate */
#define MT_DEVICE_nGnRnE 0
#define MT_DEVICE_nGnRE 1
#define MT_NORMAL_NC 2
#define MT_NORMAL 3
#define MAIR_EL1_KERNEL ((MAIR_ATTR_DEVICE_nGnRnE << (8 * MT_DEVICE_nGnRnE)) | \
	(MAIR_ATTR_DEVICE_nGnRE << (8 * MT_DEVICE_nGnRE)) | \
	(MAIR_ATTR_NORMAL_NC << (8 * MT_NORMAL_NC)) | \
	(MAIR_ATTR_NORMAL_WB << (8 * MT_NORMAL)))

/*
 * TCR_EL1 (D19.2.139): 48-bit VAs in both halves, 4 KiB granules, walks
 * cacheable and inner shareable, 16-bit ASIDs taken from TTBR0.
 */
#define TCR_T0SZ_SHIFT 0
#define TCR_EPD0 BIT(7)          /* no TTBR0 walks: set once the identity map is gone */
#define TCR_IRGN0_WBWA (UL(1) << 8)
#define TCR_ORGN0_WBWA (UL(1) << 10)
#define TCR_SH0_INNER (UL(3) << 12)
#define TCR_TG0_4K (UL(0) << 14)
#define TCR_T1SZ_SHIFT 16
#define TCR_A1 BIT(22)           /* 0: the ASID comes from TTBR0 */
#define TCR_EPD1 BIT(23)
#define TCR_IRGN1_WBWA (UL(1) << 24)
#define TCR_ORGN1_WBWA (UL(1) << 26)
#define TCR_SH1_INNER (UL(3) << 28)
#define TCR_TG1_4K (UL(2) << 30)
#define TCR_IPS_SHIFT 32         /* copied from ID_AA64MMFR0_EL1.PARange */
#define TCR_AS BIT(36)           /* 16-bit ASIDs */
#define TCR_TxSZ_48BIT 16        /* 64 - 48 */
#define TCR_EL1_KERNEL ((TCR_TxSZ_48BIT << TCR_T0SZ_SHIFT) | TCR_IRGN0_WBWA | \
	TCR_ORGN0_WBWA | TCR_SH0_INNER | TCR_TG0_4K | (TCR_TxSZ_48BIT << TCR_T1SZ_SHIFT) | \
	TCR_IRGN1_WBWA | TCR_ORGN1_WBWA | TCR_SH1_INNER | TCR_TG1_4K)

/* ID_AA64MMFR0_EL1 (D19.2.64). */
#define ID_AA64MMFR0_PARANGE_MASK UL(0x7)
#define ID_AA64MMFR0_ASIDBITS_SHIFT 4
#define ID_AA64MMFR0_ASIDBITS_MASK UL(0xf)
#define ID_AA64MMFR0_ASIDBITS_16 2

/* ID_AA64MMFR1_EL1 (D19.2.65): PAN [23:20], nonzero with FEAT_PAN. */
#define ID_AA64MMFR1_PAN_SHIFT 20
#define ID_AA64MMFR1_PAN_BITS 4
/* ID_AA64MMFR2_EL1 (D19.2.66, S3_0_C0_C7_2): UAO [7:4], nonzero with FEAT_UAO. */
#define ID_AA64MMFR2_EL1 S3_0_C0_C7_2
#define ID_AA64MMFR2_UAO_SHIFT 4
#define ID_AA64MMFR2_UAO_BITS 4
/* ID_AA64ISAR0_EL1 (D19.2.61): RNDR [63:60], nonzero with FEAT_RNG. */
#define ID_AA64ISAR0_RNDR_SHIFT 60
#define ID_AA64ISAR0_RNDR_BITS 4
/* RNDR (D19.2.112, S3_3_C2_C4_0): a random number; NZCV = 0b0100 when none came. */
#define SYSREG_RNDR S3_3_C2_C4_0

/*
 * MSR (immediate) to PSTATE.PAN / PSTATE.UAO (C6.2.229), as raw encodings so
 * an Armv8.0 assembler takes them: op1 = 0, CRn = 4, op2 = 4 (PAN) or 3
 * (UAO), CRm = the new value. Only executed where the feature exists.
 */
#define MSR_IMM_BASE 0xd500401f
#define MSR_IMM_OP2_SHIFT 5
#define MSR_IMM_CRM_SHIFT 8
#define MSR_PSTATE_PAN(v) (MSR_IMM_BASE | (4 << MSR_IMM_OP2_SHIFT) | ((v) << MSR_IMM_CRM_SHIFT))
#define MSR_PSTATE_UAO(v) (MSR_IMM_BASE | (3 << MSR_IMM_OP2_SHIFT) | ((v) << MSR_IMM_CRM_SHIFT))
/* SPSR_EL1.PAN (C5.2.18): PSTATE.PAN when the exception was taken; the PAN
 * register (C5.2.11, S3_0_C4_C2_3, FEAT_PAN only) reads it in the same bit. */
#define SPSR_PAN BIT(22)
#define SYSREG_PAN S3_0_C4_C2_3

/* ID_AA64PFR0_EL1 (D19.2.67): which ELs exist and whether GIC system registers do. */
#define ID_AA64PFR0_EL2_SHIFT 8
#define ID_AA64PFR0_EL3_SHIFT 12
#define ID_AA64PFR0_EL_MASK UL(0xf)
#define ID_AA64PFR0_GIC_SHIFT 24
#define ID_AA64PFR0_GIC_MASK UL(0xf)

/* ICC_SRE_ELx (GICv3 spec 12.2.14-16): system-register interface enables. */
#define ICC_SRE_SRE BIT(0)
#define ICC_SRE_DFB BIT(1)
#define ICC_SRE_DIB BIT(2)
#define ICC_SRE_ENABLE BIT(3) /* lower ELs may use ICC_SRE_ELx */
#define ICC_SRE_ALL (ICC_SRE_SRE | ICC_SRE_DFB | ICC_SRE_DIB | ICC_SRE_ENABLE)

/* ESR_ELx (D19.2.37): exception class in [31:26], IL in bit 25, ISS below. */
#define ESR_EC_SHIFT 26
#define ESR_EC_MASK UL(0x3f)
#define ESR_IL BIT(25)
#define ESR_ISS_MASK UL(0x1ffffff)
/* Data/instruction abort ISS: fault status code and write-not-read. */
#define ESR_ISS_DFSC_MASK UL(0x3f)
#define ESR_ISS_WNR BIT(6)

#endif
