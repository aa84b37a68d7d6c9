/*
 * drivers/sp804/sp804_regs.h: the register map of the Arm SP804 dual timer
 * module, named as its technical reference manual names it (ARM DDI 0271D,
 * "ARM Dual-Timer Module (SP804) Technical Reference Manual", chapter 3
 * "Programmers Model"). Offsets and bits only: the driver (sp804.c) and
 * the host test's register model (tests/host/sp804_model.c) both use it.
 */
#ifndef DRIVERS_SP804_REGS_H
#define DRIVERS_SP804_REGS_H

/* 3.2, Table 3-1: each timer's registers, timer 1 at 0x00, timer 2 at 0x20. */
#define SP804_TIMER_STRIDE 0x20u
#define SP804_TIMER_BASE(n) ((n) * SP804_TIMER_STRIDE)	/* n = 0 or 1 */
#define SP804_LOAD 0x00u	/* 3.3.1 TimerXLoad: reload value, RW */
#define SP804_VALUE 0x04u	/* 3.3.2 TimerXValue: current count, RO */
#define SP804_CONTROL 0x08u	/* 3.3.3 TimerXControl, RW */
#define SP804_INTCLR 0x0Cu	/* 3.3.4 TimerXIntClr: any write clears, WO */
#define SP804_RIS 0x10u		/* 3.3.5 TimerXRIS: raw interrupt, RO */
#define SP804_MIS 0x14u		/* 3.3.6 TimerXMIS: RIS & IntEnable, RO */
#define SP804_BGLOAD 0x18u	/* 3.3.7 TimerXBGLoad: reload only, RW */

/* 3.3.8/3.3.9: integration test registers (never used by the driver). */
#define SP804_ITCR 0xF00u
#define SP804_ITOP 0xF04u

/* 3.3.10/3.3.11: TimerPeriphID0-3 and TimerPCellID0-3, 8 bits each. */
#define SP804_PERIPHID0 0xFE0u
#define SP804_PCELLID0 0xFF0u
#define SP804_ID_REGS 4
#define SP804_ID_STRIDE 4u
#define SP804_ID_MASK 0xFFu

/*
 * The identification the IDs spell (3.3.10): part number 0x804 in
 * PeriphID0[7:0] and PeriphID1[3:0]; designer 0x41 (ARM) in
 * PeriphID1[7:4] and PeriphID2[3:0]; revision in PeriphID2[7:4];
 * configuration 0 in PeriphID3. PCellID0-3 are the PrimeCell
 * preamble 0x0D 0xF0 0x05 0xB1 (3.3.11).
 */
#define SP804_PART_NUMBER 0x804u
#define SP804_DESIGNER_ARM 0x41u
#define SP804_PERIPHID0_VAL 0x04u
#define SP804_PERIPHID1_VAL 0x18u
#define SP804_PERIPHID2_VAL 0x14u	/* revision 1 */
#define SP804_PERIPHID3_VAL 0x00u
#define SP804_PCELLID0_VAL 0x0Du
#define SP804_PCELLID1_VAL 0xF0u
#define SP804_PCELLID2_VAL 0x05u
#define SP804_PCELLID3_VAL 0xB1u
#define SP804_ID_NIBBLE_BITS 4
#define SP804_ID_BYTE_BITS 8
#define SP804_ID_NIBBLE_MASK 0xFu

/* 3.3.3, Table 3-2: TimerXControl bits. Reset value 0x20 (IntEnable). */
#define SP804_CTRL_ONESHOT (1u << 0)	/* 0 wrapping, 1 one-shot */
#define SP804_CTRL_TIMERSIZE (1u << 1)	/* 0 16-bit, 1 32-bit counter */
#define SP804_CTRL_TIMERPRE_SHIFT 2	/* [3:2] prescale */
#define SP804_CTRL_TIMERPRE_MASK (3u << SP804_CTRL_TIMERPRE_SHIFT)
#define SP804_CTRL_INTENABLE (1u << 5)
#define SP804_CTRL_TIMERMODE (1u << 6)	/* 0 free-running, 1 periodic */
#define SP804_CTRL_TIMEREN (1u << 7)
#define SP804_CTRL_RESET SP804_CTRL_INTENABLE
/* Bit 4 and [31:8] are reserved: these are the bits that exist. */
#define SP804_CTRL_DEFINED (SP804_CTRL_ONESHOT | SP804_CTRL_TIMERSIZE | \
	SP804_CTRL_TIMERPRE_MASK | SP804_CTRL_INTENABLE | \
	SP804_CTRL_TIMERMODE | SP804_CTRL_TIMEREN)

/* TimerPre encodings: stages of divide by 1, 16 and 256 ("11" undefined). */
#define SP804_PRE_1 0u
#define SP804_PRE_16 1u
#define SP804_PRE_256 2u
#define SP804_PRE_UNDEFINED 3u
#define SP804_PRE_STEP_SHIFT 4	/* each stage divides by 16 more */

/* 3.3.5/3.3.6: bit 0 of RIS and MIS is the timer's interrupt. */
#define SP804_INT_BIT 1u

#define SP804_MAX_COUNT_32 0xFFFFFFFFu
#define SP804_MAX_COUNT_16 0xFFFFu

/* The register window a device-tree reg gives it (4 KiB, 3.2). */
#define SP804_REG_SIZE 0x1000u

#endif
