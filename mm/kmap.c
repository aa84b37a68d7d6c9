/*
 * mm/kmap.c: the kernel half's fixed regions (see kmap.h).
 */
#include "mm/kmap.h"
#include "mm/vm.h"
#include "mm/frame.h"
#include "kernel/fdt.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/spinlock.h"
#include "kernel/panic.h"
#include "asm/cpu.h"
#include <string.h>

/* Written by the boot stub (head.S) before .bss is cleared, so in .data. */
paddr_t kernel_phys_base __attribute__((section(".data")));
uint64_t boot_el __attribute__((section(".data")));

/*
 * Page-table pages for the mappings made before the frame allocator exists:
 * the physmap (one L1, a few L2 for unaligned RAM edges), the device and
 * device-tree windows (L1, L2, L3 each).
 */
#define EARLY_TABLES 16
static uint8_t early_tables[EARLY_TABLES][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static unsigned early_tables_used; /* boot CPU only, before SMP */

/* Device window bump pointer; guarded by iomap_lock. */
static spinlock_t iomap_lock = SPINLOCK_INIT("iomap");
static vaddr_t iomap_next = IOMAP_BASE;

/* Kernel stack slots: guard + stack (mm/layout.h). */
#define KSTACK_SLOTS 4096
#define KSTACK_ORDER 2 /* KERNEL_STACK_SIZE = 2^2 pages */
_Static_assert(KERNEL_STACK_SIZE == (PAGE_SIZE << KSTACK_ORDER), "stack order");
_Static_assert(KSTACK_SLOTS * KSTACK_SLOT_SIZE <= KSTACK_AREA_SIZE, "stack area");
static spinlock_t kstack_lock = SPINLOCK_INIT("kstack");
static uint8_t kstack_used[KSTACK_SLOTS]; /* guarded by kstack_lock */

paddr_t virt_to_phys(const void *p)
{
	vaddr_t va = (vaddr_t)p;

	if (va >= KERNEL_VBASE && va < (vaddr_t)_end)
		return va - KERNEL_VBASE + kernel_phys_base;
	if (va >= PHYSMAP_BASE && va < PHYSMAP_BASE + PHYSMAP_SIZE)
		return va - PHYSMAP_BASE;
	return 0;
}

int kmap_early_table(paddr_t *pa)
{
	if (early_tables_used >= EARLY_TABLES)
		return -ENOMEM;
	*pa = virt_to_phys(early_tables[early_tables_used++]);
	return 0;
}

/* Big-endian 32-bit read: the device-tree header is big-endian. */
static uint32_t be32(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

#define FDT_TOTALSIZE_OFFSET 4

void *kmap_fdt(paddr_t pa, size_t *mapped)
{
	paddr_t page = ALIGN_DOWN(pa, PAGE_SIZE);
	size_t off = pa - page, want;
	uint8_t *base = (uint8_t *)FDT_WINDOW_BASE;

	/* First the page holding the header, to learn the size. */
	if (vm_map(FDT_WINDOW_BASE, page, VM_READ))
		return NULL;
	if (off + FDT_TOTALSIZE_OFFSET + sizeof(uint32_t) > PAGE_SIZE &&
	    vm_map(FDT_WINDOW_BASE + PAGE_SIZE, page + PAGE_SIZE, VM_READ))
		return NULL;
	want = MIN((size_t)be32(base + off + FDT_TOTALSIZE_OFFSET), FDT_WINDOW_SIZE - off);
	for (size_t done = PAGE_SIZE; done < off + want; done += PAGE_SIZE) {
		int err = vm_map(FDT_WINDOW_BASE + done, page + done, VM_READ);

		if (err && err != -EEXIST)
			return NULL;
	}
	*mapped = want;
	return base + off;
}

int kmap_physmap(const struct mem_range *ram, int n)
{
	for (int i = 0; i < n; i++) {
		paddr_t start = ALIGN_UP(ram[i].base, PAGE_SIZE);
		paddr_t end = ALIGN_DOWN(ram[i].base + ram[i].size, PAGE_SIZE);
		int err;

		if (end <= start)
			continue;
		if (end > PHYSMAP_SIZE)
			return -ERANGE;
		err = vm_map_range(PHYSMAP_BASE + start, start, end - start, VM_READ | VM_WRITE);
		if (err)
			return err;
	}
	return 0;
}

void *ioremap(paddr_t pa, size_t size)
{
	paddr_t page = ALIGN_DOWN(pa, PAGE_SIZE);
	size_t len = ALIGN_UP(pa + size, PAGE_SIZE) - page;
	uint64_t flags;
	vaddr_t va;

	if (size == 0 || pa + size < pa)
		return NULL;
	flags = spin_lock_irqsave(&iomap_lock);
	va = iomap_next;
	if (va + len > IOMAP_BASE + IOMAP_SIZE) {
		spin_unlock_irqrestore(&iomap_lock, flags);
		return NULL;
	}
	iomap_next += len;
	spin_unlock_irqrestore(&iomap_lock, flags);
	for (size_t done = 0; done < len; done += PAGE_SIZE)
		if (vm_map(va + done, page + done, VM_READ | VM_WRITE | VM_DEVICE))
			return NULL;
	return (void *)(va + (pa - page));
}

/* The boot mapped the image in 4 KiB pages (head.S): a section that is not
 * is a build fault, not something to boot on with the wrong rights. */
static void protect_range(const char *start, const char *end, unsigned prot)
{
	vaddr_t from = ALIGN_DOWN((vaddr_t)start, PAGE_SIZE);
	int err = vm_protect_range(from, ALIGN_UP((vaddr_t)end, PAGE_SIZE) - from, prot);

	if (err)
		panic("kernel: remapping [%p, %p) failed (%d)", start, end, err);
}

void kmap_remap_kernel(void)
{
	protect_range(__text_start, __text_end, VM_READ | VM_EXEC);
	protect_range(__rodata_start, __rodata_end, VM_READ);
	protect_range(__data_start, _end, VM_READ | VM_WRITE);
	for (vaddr_t g = (vaddr_t)__boot_stack_guard; g < (vaddr_t)__boot_stack_bottom; g += PAGE_SIZE)
		vm_unmap(g);
	/* From now on no mapping may be both writable and executable. */
	write_sysreg(sctlr_el1, read_sysreg(sctlr_el1) | SCTLR_EL1_WXN);
	isb();
	tlb_flush_all();
}

vaddr_t kstack_alloc(void)
{
	uint64_t flags = spin_lock_irqsave(&kstack_lock);
	int slot = -1;
	paddr_t pa;
	vaddr_t base;

	for (int i = 0; i < KSTACK_SLOTS; i++) {
		if (!kstack_used[i]) {
			kstack_used[i] = 1;
			slot = i;
			break;
		}
	}
	spin_unlock_irqrestore(&kstack_lock, flags);
	if (slot < 0)
		return 0;
	if (frame_alloc(KSTACK_ORDER, &pa))
		goto fail;
	/* The slot's first KERNEL_STACK_SIZE stays unmapped: the guard. */
	base = KSTACK_BASE + (vaddr_t)slot * KSTACK_SLOT_SIZE + KSTACK_SLOT_SIZE - KERNEL_STACK_SIZE;
	if (vm_map_range(base, pa, KERNEL_STACK_SIZE, VM_READ | VM_WRITE)) {
		frame_free(pa, KSTACK_ORDER);
		goto fail;
	}
	return base + KERNEL_STACK_SIZE;
fail:
	flags = spin_lock_irqsave(&kstack_lock);
	kstack_used[slot] = 0;
	spin_unlock_irqrestore(&kstack_lock, flags);
	return 0;
}

void kstack_free(vaddr_t top)
{
	vaddr_t base = top - KERNEL_STACK_SIZE;
	unsigned slot = (top - KSTACK_BASE - 1) / KSTACK_SLOT_SIZE;
	paddr_t pa;
	uint64_t flags;

	if (top <= KSTACK_BASE || slot >= KSTACK_SLOTS || vm_translate(base, &pa, NULL))
		return;
	vm_unmap_range(base, KERNEL_STACK_SIZE);
	frame_free(pa, KSTACK_ORDER);
	flags = spin_lock_irqsave(&kstack_lock);
	kstack_used[slot] = 0;
	spin_unlock_irqrestore(&kstack_lock, flags);
}
