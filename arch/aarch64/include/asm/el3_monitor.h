/*
 * arch/aarch64/include/asm/el3_monitor.h: the one service Anode's own EL3
 * monitor (boot/el3_monitor.S) offers when Anode was entered at EL3.
 * Function IDs follow the SMC Calling Convention (DEN0028): a fast SMC64
 * call in the SiP service range.
 */
#ifndef ASM_EL3_MONITOR_H
#define ASM_EL3_MONITOR_H

/* x0 = id, x1 = GIC version (2 or 3), x2 = distributor, x3 = GICC (v2) or
 * this CPU's redistributor (v3), physical addresses. Returns x0. */
#define ANODE_SMC_GIC_SETUP 0xc2000001
#define ANODE_GIC_V2 2
#define ANODE_GIC_V3 3
#define SMCCC_SUCCESS 0
#define SMCCC_NOT_SUPPORTED (-1)

#endif
