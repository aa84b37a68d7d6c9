/*
 * arch/aarch64/sigpage.c: the signal-return trampoline, one page of the
 * kernel image mapped read-only and executable into every user address
 * space at USER_SIGPAGE (exec). A handler installed without SA_RESTORER
 * (glibc on AArch64 never sets one: Linux returns through its vDSO's
 * sigtramp) returns here, and the two instructions call rt_sigreturn.
 * The page holds nothing else, since user space can read it.
 */
#include "arch/aarch64/sigpage.h"
#include "syscall/abi/abi_signal.h"

/* A64 encodings (Arm ARM C6.2): MOVZ Xd, #imm16 and SVC #0. */
#define A64_MOVZ_X(rd, imm16) (0xd2800000u | ((uint32_t)(imm16) << 5) | (rd))
#define A64_SVC_0 0xd4000001u
#define A64_SYSCALL_NR_REG 8 /* x8 holds the system-call number */

const uint32_t sigreturn_page[PAGE_SIZE / sizeof(uint32_t)] __attribute__((aligned(PAGE_SIZE))) = {
	A64_MOVZ_X(A64_SYSCALL_NR_REG, SYS_rt_sigreturn),
	A64_SVC_0,
};
