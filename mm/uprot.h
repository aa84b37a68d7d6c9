/*
 * mm/uprot.h: the protection policy of user memory, in one place: which
 * protections a region may have, which accesses it allows, which page-entry
 * protection its pages get, and whether a present entry lets EL0 make an
 * access. Pure functions (the host unit tests run them).
 *
 * Write implies read, as on Linux/arm64: the MMU has no write-only pages
 * for EL0 (AP[1] gives EL0 read whenever it gives anything), so a PROT_WRITE
 * region reads too, and its copy-on-write entries must stay readable.
 * Likewise execute implies read (Linux/arm64 since 5.10).
 */
#ifndef MM_UPROT_H
#define MM_UPROT_H

#include "kernel/lib/types.h"

/* Whether a region may have protection prot: never writable and executable
 * (W^X), and a file view (VMA_FILE) never writable. */
bool uprot_valid(unsigned prot, bool file_view);

/* Whether a region of protection prot allows a user access (a read when
 * neither write nor exec). */
bool uprot_allows(unsigned prot, bool write, bool exec);

/* The VM_* protection for a page entry of a region of protection prot;
 * cow: the page is shared copy-on-write, so the entry must not be writable. */
unsigned uprot_page(unsigned prot, bool cow);

/* Whether the present user page entry pte lets EL0 make the access. */
bool uprot_pte_allows(uint64_t pte, bool write, bool exec);

#endif
