/*
 * kernel/exec.c: program loading (see exec.h). The new image is built
 * completely in a fresh address space before anything of the process
 * changes, so a failing exec leaves the caller running its old program.
 */
#include "kernel/exec.h"
#include "kernel/aslr.h"
#include "arch/aarch64/sigpage.h"
#include "kernel/elf.h"
#include "kernel/proc.h"
#include "kernel/scheme/file.h"
#include "kernel/exec_image.h"
#include "kernel/scheme/namespace.h"
#include "kernel/proc_ns.h"
#include "kernel/scheme/fdtable.h"
#include "kernel/random.h"
#include "kernel/proc_cmd.h"
#include "kernel/cwd.h"
#include "kernel/scheme/scheme.h"
#include "syscall/abi/abi_fs.h"
#include "kernel/lib/format.h"
#include "kernel/lib/errno.h"
#include "sched/sched.h"
#include "mm/uvm.h"
#include "mm/vm.h"
#include "mm/heap.h"
#include "mm/kmap.h"
#include "asm/trap.h"
#include "asm/cpu.h"
#include "syscall/abi/abi.h"
#include <string.h>

#define AT_RANDOM_BYTES 16
#define AUXV_ENTRIES 18          /* pairs, including AT_NULL */
#define STACK_ALIGN 16
/* Linux HWCAP bits (arch/arm64/include/uapi/asm/hwcap.h). */
#define HWCAP_FP (1UL << 0)
#define HWCAP_ASIMD (1UL << 1)
#define HWCAP_CPUID (1UL << 11)
#define SPSR_EL0T_IRQS_ON 0      /* EL0t, nothing masked */

static unsigned elf_to_vm_prot(unsigned prot)
{
	return ((prot & ELF_PROT_READ) ? VM_READ : 0) | ((prot & ELF_PROT_WRITE) ? VM_WRITE : 0) |
		((prot & ELF_PROT_EXEC) ? VM_EXEC : 0);
}

static int load_segments(struct aspace *as, const struct elf_info *info, const struct exec_image *img)
{
	for (int i = 0; i < info->nseg; i++) {
		const struct elf_segment *s = &info->seg[i];
		int err = exec_image_load(as, img, s, elf_to_vm_prot(s->prot));

		if (err)
			return err;
	}
	return 0;
}

static uint64_t hwcaps(void)
{
	return HWCAP_FP | HWCAP_ASIMD;
}

/*
 * Builds the initial stack in a kernel buffer and copies it to the top of
 * the new stack: [argc][argv...][0][envp...][0][auxv pairs...][AT_NULL 0]
 * at sp (16-byte aligned), the strings and random bytes above.
 */
static int build_stack(struct aspace *as, const struct elf_info *info, const char *path,
		       const char *const *argv, int argc, const char *const *envp, int envc,
		       uint64_t top, uint64_t *sp_out)
{
	size_t strings = AT_RANDOM_BYTES + strlen(path) + 1, words, total;
	uint64_t str_base, sp, *w, ptr;
	uint8_t *buf;
	char *s;
	int err, k = 0;

	for (int i = 0; i < argc; i++)
		strings += strlen(argv[i]) + 1;
	for (int i = 0; i < envc; i++)
		strings += strlen(envp[i]) + 1;
	if (strings > EXEC_MAX_STRINGS)
		return -E2BIG;
	words = 1 + (size_t)argc + 1 + (size_t)envc + 1 + 2 * AUXV_ENTRIES;
	str_base = ALIGN_DOWN(top - strings, STACK_ALIGN);
	sp = ALIGN_DOWN(str_base - words * sizeof(uint64_t), STACK_ALIGN);
	total = top - sp;
	buf = kzalloc(total);
	if (!buf)
		return -ENOMEM;
	w = (uint64_t *)buf;
	s = (char *)buf + (str_base - sp);
	ptr = str_base;
#define PUT_STRING(str) ({ size_t l_ = strlen(str) + 1; memcpy(s, (str), l_); s += l_; ptr += l_; ptr - l_; })
	uint64_t random_at = ptr;

	random_bytes(s, AT_RANDOM_BYTES);
	s += AT_RANDOM_BYTES;
	ptr += AT_RANDOM_BYTES;
	uint64_t execfn = PUT_STRING(path);

	w[k++] = (uint64_t)argc;
	for (int i = 0; i < argc; i++)
		w[k++] = PUT_STRING(argv[i]);
	w[k++] = 0;
	for (int i = 0; i < envc; i++)
		w[k++] = PUT_STRING(envp[i]);
	w[k++] = 0;
#undef PUT_STRING
	const uint64_t auxv[][2] = {
		{ ABI_AT_PHDR, info->phdr_vaddr }, { ABI_AT_PHENT, info->phentsize },
		{ ABI_AT_PHNUM, info->phnum }, { ABI_AT_PAGESZ, PAGE_SIZE },
		{ ABI_AT_ENTRY, info->entry }, { ABI_AT_UID, 0 }, { ABI_AT_EUID, 0 },
		{ ABI_AT_GID, 0 }, { ABI_AT_EGID, 0 }, { ABI_AT_SECURE, 0 },
		{ ABI_AT_RANDOM, random_at }, { ABI_AT_HWCAP, hwcaps() },
		{ ABI_AT_CLKTCK, ABI_USER_HZ }, { ABI_AT_EXECFN, execfn }, { ABI_AT_NULL, 0 },
	};
	_Static_assert(ARRAY_SIZE(auxv) <= AUXV_ENTRIES, "auxv fits");
	for (size_t i = 0; i < ARRAY_SIZE(auxv); i++) {
		w[k++] = auxv[i][0];
		w[k++] = auxv[i][1];
	}
	err = uvm_write(as, sp, buf, total);
	kfree(buf);
	*sp_out = sp;
	return err;
}

/* What /proc shows of the new image (kernel/proc_cmd.h): the program's
 * path as "scheme:rest" once its links are followed (as Linux's exe: a
 * program run as /proc/self/exe shows the file itself: the path of the
 * file exec opened, img's), and argv. The first program, found before any
 * scheme serves it, keeps its path as given, resolved from p's directory. */
static struct proc_cmd *exec_record(struct proc *p, const char *path, const char *const *argv,
				    int argc, const struct exec_image *img)
{
	char name[SCHEME_NAME_MAX], rest[PATH_MAX_LEN], *full;
	struct proc_cmd *cmd = NULL;
	struct cwd *cwd;

	if (img->file && img->file->path) {
		cmd = proc_cmd_make(img->file->path, argv, argc);
		if (cmd)
			return cmd;
	}
	full = kmalloc(sizeof(name) + 1 + sizeof(rest));
	if (!full)
		return NULL;
	cwd = cwd_get(p);
	if (path_resolve(path, cwd->path, name, sizeof(name), rest, sizeof(rest)) == 0) {
		ksnprintf(full, sizeof(name) + 1 + sizeof(rest), "%s:%s", name, rest);
		cmd = proc_cmd_make(full, argv, argc);
	}
	cwd_put(cwd);
	kfree(full);
	return cmd;
}

/* exec_image and exec_first once the bytes are found: img is released.
 * Any exec but the first drops the private scheme names (boot:, kernel/scheme/
 * namespace.h): only init and initfsd, which never exec, keep the archive.
 * It happens last, while p still holds them, so that failalloc= does not
 * count the exec of a program init starts, as it never counted the first. */
static int exec_loaded(struct proc *p, struct trap_frame *tf, const char *path,
		       struct exec_image *img_in, const char *const *argv, int argc,
		       const char *const *envp, int envc, bool first)
{
	struct exec_image img = *img_in;
	struct elf_info info;
	struct aspace *as, *old;
	struct proc_cmd *cmd = exec_record(p, path, argv, argc, &img);
	struct aslr_layout lay;
	uint64_t sp;
	int err;

	aslr_layout(__atomic_load_n(&p->personality, __ATOMIC_RELAXED), &lay);
	err = cmd ? elf_parse_at(img.data, img.size, USER_BASE, USER_MMAP_TOP, lay.dyn_base, &info) :
		-ENOMEM;
	as = err ? NULL : aspace_create();
	if (!err && !as)
		err = -ENOMEM;
	if (!err)
		err = load_segments(as, &info, &img);
	if (!err)
		err = uvm_add_region(as, lay.stack_top - rlimit_stack_size(p), lay.stack_top,
				     VM_READ | VM_WRITE, VMA_STACK, 0, 0);
	if (!err) /* handlers without SA_RESTORER return through it */
		err = uvm_add_region(as, USER_SIGPAGE, USER_SIGPAGE + PAGE_SIZE, VM_READ | VM_EXEC,
				     VMA_FILE, virt_to_phys(sigreturn_page), PAGE_SIZE);
	if (!err)
		err = build_stack(as, &info, path, argv, argc, envp, envc, lay.stack_top, &sp);
	if (!err && !first && proc_ns_holds_private(p)) /* never fails from ns_all */
		err = (int)MIN(proc_ns_drop_private(p), 0);
	exec_image_release(&img);
	if (err) {
		aspace_destroy(as);
		proc_cmd_put(cmd);
		return err;
	}

	/* The point of no return. */
	/* A random gap before the heap, unless it would leave none below its ceiling. */
	as->brk_start = as->brk = info.highest + (info.highest + lay.brk_gap < USER_BRK_MAX ? lay.brk_gap : 0);
	as->mmap_top = lay.mmap_top;
	old = proc_replace_image(p, as, path);
	proc_set_cmd(p, cmd);
	if (current_thread()->proc == p) {
		static const struct fpsimd_state clean_fp;

		aspace_activate(as);
		fpsimd_load(&clean_fp);
		write_sysreg(tpidr_el0, 0);
	} else {
		/* p has not run yet: its only thread is the first. */
		memset(&p->threads->fp, 0, sizeof(p->threads->fp));
		p->threads->tpidr_el0 = 0;
	}
	aspace_destroy(old);
	if (p->fds)
		fdtable_close_on_exec(p->fds);
	memset(tf, 0, sizeof(*tf));
	tf->elr = info.entry;
	tf->sp = sp;
	tf->spsr = SPSR_EL0T_IRQS_ON;
	return 0;
}

int exec_image(struct proc *p, struct trap_frame *tf, const char *path,
	       const char *const *argv, int argc, const char *const *envp, int envc)
{
	struct exec_image img;
	struct cwd *cwd = cwd_get(p);
	int err = exec_image_open(path, cwd->path, &img);

	cwd_put(cwd);
	return err ? err : exec_loaded(p, tf, path, &img, argv, argc, envp, envc, false);
}

int exec_first(struct proc *p, struct trap_frame *tf, const char *path,
	       const char *const *argv, int argc, const char *const *envp, int envc)
{
	struct exec_image img;
	int err = exec_image_open_boot(path, &img);

	return err ? err : exec_loaded(p, tf, path, &img, argv, argc, envp, envc, true);
}
