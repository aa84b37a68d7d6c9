/*
 * mm/uprot.c: the protection policy of user memory (see uprot.h).
 */
#include "mm/uprot.h"
#include "mm/vm.h"
#include "asm/pte.h"

bool uprot_valid(unsigned prot, bool file_view)
{
	if (prot & VM_WRITE)
		return !(prot & VM_EXEC) && !file_view;
	return true;
}

bool uprot_allows(unsigned prot, bool write, bool exec)
{
	if (write)
		return prot & VM_WRITE;
	if (exec)
		return prot & VM_EXEC;
	return prot & (VM_READ | VM_WRITE | VM_EXEC);
}

unsigned uprot_page(unsigned prot, bool cow)
{
	if (prot & (VM_WRITE | VM_EXEC))
		prot |= VM_READ;
	if (cow)
		prot &= ~VM_WRITE;
	return prot;
}

bool uprot_pte_allows(uint64_t pte, bool write, bool exec)
{
	if (!(pte & PTE_VALID) || !(pte & PTE_AP_EL0))
		return false;
	if (write && (pte & PTE_AP_RO))
		return false;
	return !exec || !(pte & PTE_UXN);
}
