/*
 * drivers/pl031d/pl031_regs.h: the register map of the Arm PrimeCell
 * Real Time Clock (PL031), named as its technical reference manual names
 * it (ARM DDI 0224B, "PrimeCell Real Time Clock (PL031) Technical
 * Reference Manual", chapter 3 "Programmer's Model", Table 3-1). Byte
 * offsets, 32-bit registers; only the bits named here exist.
 */
#ifndef DRIVERS_PL031_REGS_H
#define DRIVERS_PL031_REGS_H

#define PL031_RTCDR 0x000u	/* 3.3.1 data: the counter, seconds, RO */
#define PL031_RTCMR 0x004u	/* 3.3.2 match: RTCINTR when RTCDR reaches it, RW */
#define PL031_RTCLR 0x008u	/* 3.3.3 load: writing it sets the counter, RW */
#define PL031_RTCCR 0x00Cu	/* 3.3.4 control, RW */
#define PL031_RTCIMSC 0x010u	/* 3.3.5 interrupt mask set/clear, RW */
#define PL031_RTCRIS 0x014u	/* 3.3.6 raw interrupt status, RO */
#define PL031_RTCMIS 0x018u	/* 3.3.7 masked interrupt status, RO */
#define PL031_RTCICR 0x01Cu	/* 3.3.8 interrupt clear, WO */

/* RTCCR bit 0, RTCStart: 1 starts the counter; once set, writes of 0
 * are ignored (only a reset stops it). */
#define PL031_RTCCR_START 0x1u
/* Bit 0 of RTCIMSC, RTCRIS, RTCMIS and RTCICR: the one interrupt, RTCINTR. */
#define PL031_RTCINTR 0x1u

/* 3.3.9/3.3.10: RTCPeriphID0-3 and RTCPCellID0-3, 8 bits each, 4 apart. */
#define PL031_PERIPHID0 0xFE0u
#define PL031_PCELLID0 0xFF0u
#define PL031_ID_REGS 4
#define PL031_ID_STRIDE 4u
#define PL031_ID_MASK 0xFFu

/* What they read (3.3.9): part number 0x031 (PeriphID0[7:0],
 * PeriphID1[3:0]); designer 0x41, Arm (PeriphID1[7:4], PeriphID2[3:0]);
 * revision in PeriphID2[7:4], any; configuration 0 (PeriphID3). The
 * PCellIDs are the PrimeCell preamble (3.3.10). */
#define PL031_PERIPHID0_VAL 0x31u
#define PL031_PERIPHID1_VAL 0x10u
#define PL031_PERIPHID2_DESIGNER_MASK 0x0Fu
#define PL031_PERIPHID2_DESIGNER 0x04u
#define PL031_PERIPHID3_VAL 0x00u
#define PL031_PCELLID0_VAL 0x0Du
#define PL031_PCELLID1_VAL 0xF0u
#define PL031_PCELLID2_VAL 0x05u
#define PL031_PCELLID3_VAL 0xB1u

/* The register block (a 4 KiB page). */
#define PL031_SIZE 0x1000u

#endif
