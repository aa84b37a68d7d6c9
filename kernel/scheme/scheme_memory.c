/*
 * kernel/scheme/scheme_memory.c: the memory: scheme, physical device memory for
 * user-space drivers. open("memory:") and then
 *     mmap(NULL, len, PROT_READ|PROT_WRITE, MAP_SHARED, fd, phys)
 * maps the device registers at [phys, phys + len) as Device-nGnRE memory
 * (Arm ARM D8.2, "Memory types and attributes": non-Gathering,
 * non-Reordering, Early write acknowledgement, the type for device
 * registers), never executable (UXN and PXN set), only if the range lies
 * inside one range of the caller's grant (kernel/scheme/grant.h) and touches no
 * RAM; a process whose grant holds no range cannot open it. Anything else
 * is -EPERM: what Linux's /dev/mem gives for a range
 * its policy refuses (CONFIG_STRICT_DEVMEM, range_is_allowed), the
 * "operation not permitted to this caller" error, as opposed to EACCES,
 * which Linux keeps for a descriptor opened without the access mode the
 * protection needs (as here: PROT_WRITE needs O_RDWR).
 *
 * The frames are not RAM: the mapping is a VMA_DEVICE region (mm/vma.h),
 * which munmap and exit unmap without handing anything to the page
 * allocator. A mapping is a right already used: it survives a later
 * narrowing and fork, like a descriptor, and goes at exec.
 */
#include "kernel/scheme/scheme.h"
#include "kernel/scheme/grant.h"
#include "kernel/proc.h"
#include "kernel/console.h"
#include "kernel/lib/errno.h"
#include "mm/vm.h"

static int memory_fmap(struct file *f, uint64_t off, uint64_t len, unsigned prot,
		       struct fmap_desc *out)
{
	struct grant *g;
	bool granted;

	if (prot & VM_EXEC)
		return -EPERM; /* device memory is never executable */
	if ((prot & VM_WRITE) && !file_writable(f))
		return -EACCES;
	if (grant_is_ram(off, len))
		return -EPERM; /* whatever a grant says */
	g = proc_grant(current_proc());
	granted = grant_covers(g, off, len);
	grant_put(g);
	if (!granted)
		return -EPERM;
	/* The console's registers: the kernel lets go of the device first. */
	console_handover(off, len);
	/* memory:'s offsets are physical addresses: its "file" starts at 0. */
	*out = (struct fmap_desc){ .kind = FMAP_PHYS, .pa = 0, .len = off + len,
				   .memtype = FMAP_MEM_DEVICE };
	return 0;
}

/* Only a process with some device memory in its grant may open memory:
 * at all (a login session, whose grant is empty, gets -EPERM, whatever its
 * uid); what it may map is checked at each mmap, above. */
static int memory_open(const struct scheme *s, const char *path, int flags, struct file *f,
		       const struct caller *c)
{
	struct grant *g = proc_grant(current_proc());
	bool any = g && g->nranges > 0;

	grant_put(g);
	if (!any)
		return -EPERM;
	return scheme_open_device(s, path, flags, f, c);
}

static const struct scheme_ops memory_ops = {
	.open = memory_open, .fmap = memory_fmap, .device_memory = true,
};
const struct scheme memory_scheme = { .name = "memory", .ops = &memory_ops };
