# tools/gdb/anode.py: Anode's GDB helpers, sourced by tools/gdb/gdbinit.
# Owns the second, physical copy of the kernel's symbols (for the boot stub,
# which runs before the MMU is on) and the user commands:
#   anode-phys-base [ADDR|elf|off]  show or move the physical symbol copy
#   anode-thread                    the current CPU's per-CPU data and thread
#   anode-runqueue                  the current CPU's run queue
#   anode-dmesg                     the kernel log ring buffer (klog)
#   anode-walk [-p] ADDR            the page-table walk of a virtual address
# The layout and descriptor constants mirror mm/layout.h and
# arch/aarch64/include/asm/pte.h; keep them in step.

import struct

import gdb

MASK64 = (1 << 64) - 1

# mm/layout.h
PAGE_SHIFT = 12
PT_INDEX_BITS = 9
PT_ENTRIES = 1 << PT_INDEX_BITS
PT_LEVELS = 4
VA_BITS = 48
RECURSIVE_INDEX = PT_ENTRIES - 1


PAGE_SIZE = 1 << PAGE_SHIFT


def pt_level_shift(level):
    return PAGE_SHIFT + PT_INDEX_BITS * (PT_LEVELS - 1 - level)


def pt_index(va, level):
    return (va >> pt_level_shift(level)) & (PT_ENTRIES - 1)


def va_is_kernel(va):
    return (va >> VA_BITS) == (MASK64 >> VA_BITS)


def pt_table_va(va, level):
    """mm/layout.h's pt_table_va(): where, in the recursive window of va's
    half, the level-`level` table that translates va is mapped."""
    half = MASK64 & ~((1 << VA_BITS) - 1) if va_is_kernel(va) else 0
    repeats = PT_LEVELS - level
    addr = 0
    for k in range(repeats):
        addr |= RECURSIVE_INDEX << pt_level_shift(k)
    addr |= ((va & ((1 << VA_BITS) - 1)) >> (PT_INDEX_BITS * repeats)) & \
        (((1 << (PT_INDEX_BITS * level)) - 1) << PAGE_SHIFT)
    return addr | half


def pt_entry_ptr(va, level):
    return pt_table_va(va, level) + pt_index(va, level) * 8


# arch/aarch64/include/asm/pte.h (and the table-descriptor attributes of the
# Arm ARM, D8.3.1, which Anode does not set but a walk should still honour).
PTE_VALID = 1 << 0
PTE_TABLE = 1 << 1
PTE_ATTRINDX_SHIFT = 2
PTE_AP_EL0 = 1 << 6
PTE_AP_RO = 1 << 7
PTE_SH_SHIFT = 8
PTE_AF = 1 << 10
PTE_nG = 1 << 11
PTE_PXN = 1 << 53
PTE_UXN = 1 << 54
PTE_SW_COW = 1 << 55
PTE_ADDR_MASK = 0x0000fffffffff000
PXN_TABLE = 1 << 59
UXN_TABLE = 1 << 60
AP_TABLE_NO_EL0 = 1 << 61
AP_TABLE_RO = 1 << 62
SCTLR_M = 1 << 0
SCTLR_WXN = 1 << 19
TCR_EPD0 = 1 << 7
TCR_EPD1 = 1 << 23
SH_NAMES = {0: "non", 1: "reserved", 2: "outer", 3: "inner"}
# MAIR attribute bytes (asm/sysreg.h MAIR_ATTR_*).
MAIR_NAMES = {0x00: "Device-nGnRnE", 0x04: "Device-nGnRE", 0x08: "Device-nGRE",
              0x0c: "Device-GRE", 0x44: "Normal non-cacheable",
              0xff: "Normal write-back"}
# asm/sysreg.h's MAIR_EL1_KERNEL, for when MAIR_EL1 cannot be read.
KERNEL_MAIR = 0xff440400


def _u64(text):
    return int(gdb.parse_and_eval(text)) & MASK64


def sysreg(*names):
    """A system register of the selected vCPU as QEMU's stub names it, or
    None when the stub does not expose it (or nothing runs)."""
    try:
        frame = gdb.newest_frame()
    except gdb.error:
        return None
    for name in names:
        try:
            return int(frame.read_register(name)) & MASK64
        except (ValueError, gdb.error):
            continue
    return None


def current_el():
    cpsr = sysreg("cpsr")
    return None if cpsr is None else (cpsr >> 2) & 3


def mmu_on():
    """Whether EL1's stage 1 translation is on. The kernel runs at its
    virtual addresses exactly when it is, so the pc decides when SCTLR_EL1
    is not readable (or the CPU is still above EL1 in the boot stub)."""
    sctlr = sysreg("SCTLR_EL1", "SCTLR")
    if sctlr is not None and current_el() == 1:
        return bool(sctlr & SCTLR_M)
    pc = sysreg("pc")
    return pc is not None and va_is_kernel(pc)


def read_u64(addr):
    data = gdb.selected_inferior().read_memory(addr, 8)
    return struct.unpack("<Q", bytes(data))[0]


def symbol_name(addr):
    out = gdb.execute(f"info symbol {addr:#x}", to_string=True).strip()
    return None if out.startswith("No symbol") else out.split(" in section")[0]


# ---------------------------------------------------------------------------
# The physical copy of the symbols.
#
# kernel.elf is linked at its virtual address (KERNEL_VBASE) with load
# addresses (LMAs) from KERNEL_LOAD_PA. gdbinit loads it with `file`, at the
# virtual addresses C runs at; the boot stub (head.S, el.S, mmu.S) runs
# before the MMU is on, at wherever the loader put the image. A second copy
# of the same symbols, offset by (physical base - link address) modulo 2^64,
# names those addresses. The default base is the ELF's own LMA, which is
# where QEMU virt's -kernel loads kernel.img (RAM base + 2 MiB, because the
# Image header's text_offset is 0) and kernel.elf; another board or loader:
# `anode-phys-base ADDR` (or, once kmain runs, `anode-phys-base
# kernel_phys_base`, the base the stub really ran at).
# ---------------------------------------------------------------------------

class _Symbols:
    elf = None        # path of the ELF gdb loaded with `file`
    link_base = None  # p_vaddr of its first PT_LOAD segment
    elf_phys = None   # p_paddr of it
    phys_base = None  # where the physical copy is loaded now (None: none)


def elf_load_addresses(path):
    """(p_vaddr, p_paddr) of the ELF's first PT_LOAD segment; checks every
    loaded segment has the same physical-minus-virtual distance."""
    with open(path, "rb") as f:
        ident = f.read(64)
        if ident[:4] != b"\x7fELF" or ident[4] != 2 or ident[5] != 1:
            raise gdb.GdbError(f"{path}: not a little-endian ELF64 file")
        phoff, = struct.unpack_from("<Q", ident, 0x20)
        phentsize, phnum = struct.unpack_from("<HH", ident, 0x36)
        loads = []
        for i in range(phnum):
            f.seek(phoff + i * phentsize)
            p_type, _flags, _off, vaddr, paddr = struct.unpack("<IIQQQ", f.read(32))
            if p_type == 1:  # PT_LOAD
                loads.append((vaddr, paddr))
    if not loads:
        raise gdb.GdbError(f"{path}: no loadable segment")
    delta = (loads[0][1] - loads[0][0]) & MASK64
    if any((p - v) & MASK64 != delta for v, p in loads):
        raise gdb.GdbError(f"{path}: segments are not loaded at one offset")
    return loads[0]


def _remove_phys_symbols():
    if _Symbols.phys_base is not None:
        gdb.execute(f"remove-symbol-file -a {_Symbols.phys_base:#x}", to_string=True)
        _Symbols.phys_base = None


def _kernel_elf():
    """The ELF gdb loaded with `file`, with its load addresses noted."""
    elf = gdb.current_progspace().filename
    if not elf:
        raise gdb.GdbError("no kernel ELF loaded: `file build/kernel.elf` first")
    if elf != _Symbols.elf:
        _Symbols.elf = elf
        _Symbols.link_base, _Symbols.elf_phys = elf_load_addresses(elf)
    return elf


def load_phys_symbols(base):
    elf = _kernel_elf()
    if base & (PAGE_SIZE - 1):
        raise gdb.GdbError(f"{base:#x} is not page aligned")
    _remove_phys_symbols()
    offset = (base - _Symbols.link_base) & MASK64
    gdb.execute(f"add-symbol-file {elf} -o {offset:#x}", to_string=True)
    _Symbols.phys_base = base


class PhysBase(gdb.Command):
    """Show or move the physical copy of the kernel's symbols.

anode-phys-base         show where the two copies are
anode-phys-base elf     the ELF's load address (QEMU virt: 0x40200000)
anode-phys-base ADDR    any expression, e.g. 0x80200000 or kernel_phys_base
anode-phys-base off     drop the physical copy

The boot stub runs at the physical address the loader put the image at
before the MMU is on; C runs at the link address (0xffffff0000000000)
after. gdbinit loads the symbols at both, assuming QEMU virt's -kernel
load address (the ELF's LMA). For another board or loader give the real
base here; once kmain runs, kernel_phys_base holds it.

Moving the copy while stopped at a breakpoint re-creates the breakpoint
locations; GDB 13 then warns "location number not found" after each
command until the next continue. The warning is harmless."""

    def __init__(self):
        super().__init__("anode-phys-base", gdb.COMMAND_FILES, gdb.COMPLETE_EXPRESSION)

    def invoke(self, arg, from_tty):
        arg = arg.strip()
        _kernel_elf()
        if arg == "off":
            _remove_phys_symbols()
        elif arg == "elf":
            load_phys_symbols(_Symbols.elf_phys)
        elif arg:
            base = _u64(arg)
            if base == 0:
                raise gdb.GdbError(f"{arg} is 0 (kernel_phys_base is set by "
                                   "head.S just before kmain)")
            load_phys_symbols(base)
        gdb.write(f"anode: symbols at link address {_Symbols.link_base:#x} (C, MMU on)")
        if _Symbols.phys_base is None:
            gdb.write("; no physical copy\n")
        else:
            offset = (_Symbols.phys_base - _Symbols.link_base) & MASK64
            gdb.write(f" and at physical {_Symbols.phys_base:#x} (boot stub, MMU off; "
                      f"offset {offset:#x})\n")


def kernel_symbol(name):
    """The kernel variable `name` (global or file-static) from the symbol copy
    the CPU can reach now: virtual with the MMU on, physical before."""
    want_virtual = mmu_on()
    found = []
    for objfile in gdb.objfiles():
        if objfile.filename != _Symbols.elf and _Symbols.elf is not None:
            continue
        sym = objfile.lookup_global_symbol(name) or objfile.lookup_static_symbol(name)
        if sym is None:
            continue
        value = sym.value()
        if value.address is not None and va_is_kernel(int(value.address) & MASK64) == want_virtual:
            return value
        found.append(value)
    if found:
        return found[0]
    raise gdb.GdbError(f"no kernel symbol {name}")


# ---------------------------------------------------------------------------
# anode-thread, anode-runqueue: the per-CPU data and the scheduler's view.
#
# struct cpu (kernel/percpu.h) is printed field by field, so new fields show
# up by themselves. Threads come from sched/: cpu->current and cpu->idle,
# struct thread (sched/thread.h) and the per-CPU `runqueues` (sched/sched.c:
# head[prio] lists linked through thread->next). thread_summary() is the one
# place that knows struct thread's fields; a kernel without them (before
# sched/ existed) gets "no threads yet" / "no scheduler yet".
# ---------------------------------------------------------------------------

def this_cpu():
    """`this_cpu()` of kernel/percpu.h for the selected vCPU: TPIDR_EL1 as a
    struct cpu *. None before percpu_init_boot() sets it."""
    cpu_ptr_type = gdb.lookup_type("struct cpu").pointer()
    tpidr = sysreg("TPIDR_EL1")
    if tpidr is None:
        raise gdb.GdbError("the GDB stub does not expose TPIDR_EL1")
    if tpidr == 0:
        return None
    return gdb.Value(tpidr).cast(cpu_ptr_type)


def cpu_index(cpu):
    cpus = kernel_symbol("cpus")
    first = int(cpus[0].address)
    size = cpus.type.target().sizeof
    count = cpus.type.sizeof // size
    offset = int(cpu) - first
    if 0 <= offset < count * size and offset % size == 0:
        return offset // size
    return None


def _fields(value):
    return [f.name for f in value.type.strip_typedefs().fields()]


def _format_field(value):
    code = value.type.strip_typedefs().code
    if code == gdb.TYPE_CODE_INT:
        n = int(value)
        return f"{n}" if -10 < n < 10 else f"{n} ({n & MASK64:#x})"
    if code == gdb.TYPE_CODE_PTR:
        return f"{int(value) & MASK64:#x}"
    return value.format_string()


def print_cpu(cpu):
    index = cpu_index(cpu)
    where = f"&cpus[{index}]" if index is not None else "not in cpus[]"
    thread = gdb.selected_thread()
    gdb.write(f"CPU (gdb thread {thread.num if thread else '?'}): this_cpu = "
              f"TPIDR_EL1 = {int(cpu):#x} ({where})\n")
    struct_cpu = cpu.dereference()
    for name in _fields(struct_cpu):
        gdb.write(f"  {name} = {_format_field(struct_cpu[name])}\n")


def thread_summary(t, cpu=None):
    """One line for a struct thread * (sched/thread.h)."""
    th = t.dereference()
    names = _fields(th)
    parts = []
    if "tid" in names:
        parts.append(f"tid {int(th['tid'])}")
    proc = th["proc"] if "proc" in names else None
    if proc is not None and int(proc):
        p = proc.dereference()
        try:
            parts.append(f"pid {int(p['pid'])} \"{p['name'].string(errors='replace')}\"")
        except gdb.error:
            parts.append(f"proc {int(proc):#x}")
    elif proc is not None:
        parts.append("kernel thread")
    if cpu is not None and "idle" in _fields(cpu.dereference()) and \
            int(cpu.dereference()["idle"]) == int(t):
        parts.append("the idle thread")
    for field in ("state", "prio", "slice"):
        if field in names:
            parts.append(f"{field} {th[field].format_string()}")
    if "cpu_ns" in names:
        parts.append(f"{int(th['cpu_ns']) / 1e6:.1f} ms CPU")
    line = f"thread {int(t):#x}: " + ", ".join(parts)
    tf = th["tf"] if "tf" in names else None
    if tf is not None and int(tf) and proc is not None and int(proc):
        try:
            frame = tf.dereference()
            line += f"; user pc {int(frame['elr']):#x}, sp {int(frame['sp']):#x}"
        except gdb.MemoryError:
            pass
    return line


def current_thread(cpu):
    """The thread running on cpu, or None (no scheduler, or before
    sched_init())."""
    if "current" in _fields(cpu.dereference()):
        thread = cpu.dereference()["current"]
        if int(thread) != 0:
            return thread
    return None


def _runqueues():
    try:
        return kernel_symbol("runqueues")
    except gdb.GdbError:
        return None


def runqueue_of(cpu_id):
    """[(priority, [struct thread *, ...])] of CPU cpu_id's run queue, or
    None when the kernel has no scheduler."""
    queues = _runqueues()
    if queues is None:
        return None
    rq = queues[cpu_id]
    heads = rq["head"]
    result = []
    for prio in range(heads.type.sizeof // heads.type.target().sizeof):
        threads, t = [], heads[prio]
        while int(t) and len(threads) < 100000:  # a corrupt list must not hang gdb
            threads.append(t)
            t = t.dereference()["next"]
        result.append((prio, threads))
    return result


def _pc_line():
    pc = sysreg("pc")
    if pc is None:
        return ""
    name = symbol_name(pc) or "?"
    sp = sysreg("sp")
    return f"  running at {pc:#x} ({name}), EL{current_el()}, sp = {sp or 0:#x}\n"


class Thread(gdb.Command):
    """The current thread: the selected vCPU's per-CPU data (this_cpu, from
TPIDR_EL1 as kernel/percpu.h defines it) and the thread it runs
(this_cpu->current). Sets $anode_cpu and $anode_thread for further
looking, e.g. `p *$anode_thread`."""

    def __init__(self):
        super().__init__("anode-thread", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        if not mmu_on():
            gdb.write("anode-thread: the MMU is off (boot stub): no per-CPU data yet\n")
            gdb.write(_pc_line())
            return
        cpu = this_cpu()
        if cpu is None:
            gdb.write("anode-thread: TPIDR_EL1 = 0: percpu_init_boot() has not run yet\n")
            gdb.write(_pc_line())
            return
        gdb.set_convenience_variable("anode_cpu", cpu)
        print_cpu(cpu)
        gdb.write(_pc_line())
        if "current" not in _fields(cpu.dereference()):
            gdb.write("no threads yet: there is no scheduler (sched/)\n")
            return
        thread = current_thread(cpu)
        if thread is None:
            gdb.write("no threads yet: sched_init() has not run; kmain runs on the boot stack\n")
            return
        gdb.set_convenience_variable("anode_thread", thread)
        gdb.write("current " + thread_summary(thread, cpu) + "\n")


class RunQueue(gdb.Command):
    """The run queue of the selected vCPU (sched/sched.c's runqueues[id]):
the running thread, then the ready threads by priority (0 first)."""

    def __init__(self):
        super().__init__("anode-runqueue", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        if _runqueues() is None:
            gdb.write("anode-runqueue: no scheduler yet (sched/ is empty): no run queue\n")
            return
        if not mmu_on():
            gdb.write("anode-runqueue: the MMU is off (boot stub): no scheduler state yet\n")
            return
        cpu = this_cpu() if sysreg("TPIDR_EL1") else None
        cpu_id = int(cpu.dereference()["id"]) if cpu is not None else 0
        current = current_thread(cpu) if cpu is not None else None
        gdb.write(f"run queue of CPU {cpu_id}:\n")
        if current is None:
            gdb.write("  running: no thread yet (sched_init() has not run)\n")
        else:
            gdb.write("  running: " + thread_summary(current, cpu) + "\n")
        empty = True
        for prio, threads in runqueue_of(cpu_id):
            for t in threads:
                gdb.write(f"  ready, priority {prio}: " + thread_summary(t, cpu) + "\n")
                empty = False
        if empty:
            gdb.write("  nothing else is ready\n")


# ---------------------------------------------------------------------------
# anode-dmesg
# ---------------------------------------------------------------------------

class Dmesg(gdb.Command):
    """Print the kernel log: the last min(klog_total, KLOG_SIZE) bytes of the
ring buffer klog_buf (kernel/klog.c), oldest first."""

    def __init__(self):
        super().__init__("anode-dmesg", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        buf = kernel_symbol("klog_buf")
        total = int(kernel_symbol("klog_total")) & MASK64
        size = buf.type.sizeof  # KLOG_SIZE
        count = min(total, size)
        if count == 0:
            gdb.write("anode-dmesg: the log is empty\n")
            return
        data = bytes(gdb.selected_inferior().read_memory(int(buf.address), size))
        start = (total - count) % size
        text = data[start:start + count] + data[:max(0, start + count - size)]
        if total > size:
            gdb.write(f"[anode-dmesg: {total - size} older bytes were overwritten]\n")
        gdb.write(text.decode("utf-8", errors="replace"))
        if not text.endswith(b"\n"):
            gdb.write("\n")


# ---------------------------------------------------------------------------
# anode-walk
# ---------------------------------------------------------------------------

class _Perm:
    """Permissions accumulated down the walk (table attributes) and decoded
    at the leaf (Arm ARM D8.4, stage 1 of the EL1&0 regime)."""

    def __init__(self):
        self.pxn_table = self.uxn_table = False
        self.no_el0_table = self.ro_table = False

    def table(self, desc):
        self.pxn_table |= bool(desc & PXN_TABLE)
        self.uxn_table |= bool(desc & UXN_TABLE)
        self.no_el0_table |= bool(desc & AP_TABLE_NO_EL0)
        self.ro_table |= bool(desc & AP_TABLE_RO)

    def leaf(self, desc, wxn):
        ro = bool(desc & PTE_AP_RO) or self.ro_table
        el0 = bool(desc & PTE_AP_EL0) and not self.no_el0_table
        el1_w, el0_r, el0_w = not ro, el0, el0 and not ro
        # EL1 never executes what EL0 may write; WXN makes writable XN.
        el1_x = not (desc & PTE_PXN) and not self.pxn_table and not el0_w and not (wxn and el1_w)
        el0_x = el0_r and not (desc & PTE_UXN) and not self.uxn_table and not (wxn and el0_w)
        el1 = "r" + ("w" if el1_w else "-") + ("x" if el1_x else "-")
        el0s = ("r" if el0_r else "-") + ("w" if el0_w else "-") + ("x" if el0_x else "-")
        return el1, el0s


def _memory_type(attrindx):
    mair = sysreg("MAIR_EL1")
    if mair is None or mair == 0:
        mair = KERNEL_MAIR
    attr = (mair >> (8 * attrindx)) & 0xff
    return MAIR_NAMES.get(attr, f"MAIR attribute {attr:#04x}")


def _decode_leaf(desc):
    ap = (desc >> 6) & 3
    bits = [f"AP[2:1]={ap:02b}", f"PXN={int(bool(desc & PTE_PXN))}",
            f"UXN={int(bool(desc & PTE_UXN))}",
            f"AttrIndx={(desc >> PTE_ATTRINDX_SHIFT) & 7} ({_memory_type((desc >> PTE_ATTRINDX_SHIFT) & 7)})",
            f"SH={SH_NAMES[(desc >> PTE_SH_SHIFT) & 3]}", f"AF={int(bool(desc & PTE_AF))}",
            f"nG={int(bool(desc & PTE_nG))}"]
    if desc & PTE_SW_COW:
        bits.append("COW")
    return " ".join(bits)


def _table_attrs(desc):
    names = [(PXN_TABLE, "PXNTable"), (UXN_TABLE, "UXNTable"),
             (AP_TABLE_NO_EL0, "APTable[0]"), (AP_TABLE_RO, "APTable[1]"), (1 << 63, "NSTable")]
    return " ".join(n for bit, n in names if desc & bit)


LEVEL_SIZE_NAMES = {1: "1 GiB block", 2: "2 MiB block", 3: "4 KiB page"}


def walk(va, read_desc):
    """Walk va's translation: read_desc(level, table) returns (descriptor,
    where it was read from) for level `level`, whose table is at physical
    address `table` (None at level 0). Prints each level and a summary;
    returns the output address or None."""
    sctlr = sysreg("SCTLR_EL1", "SCTLR")
    wxn = sctlr is not None and bool(sctlr & SCTLR_WXN)
    perm = _Perm()
    table = None
    for level in range(PT_LEVELS):
        index = pt_index(va, level)
        try:
            desc, at = read_desc(level, table)
        except gdb.MemoryError as e:
            gdb.write(f"  L{level}[{index}]  cannot read the table: {e}\n")
            return None
        head = f"  L{level}[{index:3d}] @ {at} = {desc:#018x}  "
        if not desc & PTE_VALID:
            gdb.write(head + "invalid\n")
            gdb.write(f"=> {va:#x}: not mapped (translation fault at level {level})\n")
            return None
        if level < 3 and desc & PTE_TABLE:
            extra = _table_attrs(desc)
            gdb.write(head + f"table -> {desc & PTE_ADDR_MASK:#x}" + (f"  {extra}" if extra else "") + "\n")
            perm.table(desc)
            table = desc & PTE_ADDR_MASK
            continue
        if level == 0 or (level == 3 and not desc & PTE_TABLE):
            gdb.write(head + "reserved encoding\n")
            gdb.write(f"=> {va:#x}: not mapped (translation fault at level {level})\n")
            return None
        shift = pt_level_shift(level)
        out = desc & PTE_ADDR_MASK & ~((1 << shift) - 1)
        kind = "page" if level == 3 else "block"
        gdb.write(head + f"{kind} -> {out:#x}  {_decode_leaf(desc)}\n")
        pa = out | (va & ((1 << shift) - 1))
        el1, el0 = perm.leaf(desc, wxn)
        name = symbol_name(va)
        gdb.write(f"=> {va:#x}{f' ({name})' if name else ''} -> phys {pa:#x}: "
                  f"{LEVEL_SIZE_NAMES[level]}, EL1 {el1}, EL0 {el0}, "
                  f"{_memory_type((desc >> PTE_ATTRINDX_SHIFT) & 7)}"
                  f"{', WXN on' if wxn else ''}{'' if desc & PTE_AF else ', access flag clear'}\n")
        return pa
    return None


class _PhysMemMode:
    """QEMU's gdbstub extension: memory accesses use physical addresses."""

    def __enter__(self):
        out = gdb.execute("maint packet Qqemu.PhyMemMode:1", to_string=True)
        if '"OK"' not in out:
            raise gdb.GdbError("the GDB stub has no physical memory mode (QEMU's Qqemu.PhyMemMode)")
        return self

    def __exit__(self, *exc):
        gdb.execute("maint packet Qqemu.PhyMemMode:0", to_string=True)
        return False


def walk_recursive(va):
    gdb.write(f"anode-walk {va:#x}: through the recursive window (L0[{RECURSIVE_INDEX}] -> L0)\n")

    def read(level, _table):
        ptr = pt_entry_ptr(va, level)
        return read_u64(ptr), f"{ptr:#x}"
    return walk(va, read)


def walk_physical(va):
    kernel = va_is_kernel(va)
    ttbr_name = "TTBR1_EL1" if kernel else "TTBR0_EL1"
    ttbr = sysreg(ttbr_name)
    tcr = sysreg("TCR_EL1")
    if ttbr is None:
        raise gdb.GdbError(f"the GDB stub does not expose {ttbr_name}")
    if tcr is not None and tcr & (TCR_EPD1 if kernel else TCR_EPD0):
        gdb.write(f"anode-walk {va:#x}: {ttbr_name} walks are off "
                  f"(TCR_EL1.EPD{1 if kernel else 0} = 1): the address faults\n")
        return None
    l0 = ttbr & PTE_ADDR_MASK
    if l0 == 0:
        gdb.write(f"anode-walk {va:#x}: {ttbr_name} = 0: no tables yet\n")
        return None
    asid = "" if kernel else f" (ASID {ttbr >> 48})"
    gdb.write(f"anode-walk {va:#x}: from {ttbr_name} = {ttbr:#x}{asid}, in physical memory\n")
    physical_mode = mmu_on()  # with the MMU off, addresses are physical anyway

    def read(level, table):
        pa = (l0 if table is None else table) + pt_index(va, level) * 8
        if physical_mode:
            with _PhysMemMode():
                return read_u64(pa), f"pa {pa:#x}"
        return read_u64(pa), f"pa {pa:#x}"
    return walk(va, read)


class Walk(gdb.Command):
    """Walk the page tables for a virtual address.

anode-walk ADDR      through the recursive window (mm/layout.h: the level-l
                     descriptor of va is at pt_entry_ptr(va, l), under
                     0xffffff8000000000 for the kernel half)
anode-walk -p ADDR   from TTBR1_EL1/TTBR0_EL1 in physical memory (QEMU's
                     physical memory mode); also used when the window
                     cannot be read (MMU off, lower half)

ADDR is any expression: 0xffffff0000001000, &boot_el, kmain. Each level
prints its descriptor: table, block or page, the output address and, at
the leaf, AP, PXN, UXN, AttrIndx (with MAIR_EL1's memory type), SH, AF, nG;
then the physical address and the EL1/EL0 permissions they give."""

    def __init__(self):
        super().__init__("anode-walk", gdb.COMMAND_DATA, gdb.COMPLETE_EXPRESSION)

    def invoke(self, arg, from_tty):
        argv = arg.split(None, 1)
        physical = bool(argv) and argv[0] in ("-p", "--phys")
        expr = argv[1] if physical and len(argv) > 1 else ("" if physical else arg)
        if not expr.strip():
            raise gdb.GdbError("usage: anode-walk [-p] ADDR")
        value = gdb.parse_and_eval(expr)
        if value.type.strip_typedefs().code in (gdb.TYPE_CODE_FUNC, gdb.TYPE_CODE_ARRAY):
            value = value.address
        va = int(value) & MASK64
        if not (va >> VA_BITS) in (0, MASK64 >> VA_BITS):
            gdb.write(f"anode-walk {va:#x}: not a canonical 48-bit address (translation fault)\n")
            return
        if not physical and mmu_on() and va_is_kernel(va):
            try:
                read_u64(pt_entry_ptr(va, 0))
            except gdb.MemoryError:
                gdb.write("anode-walk: the recursive window is not mapped; walking physically\n")
            else:
                walk_recursive(va)
                return
        if not mmu_on():
            gdb.write("anode-walk: the MMU is off (SCTLR_EL1.M = 0): addresses are physical now; "
                      "these are the tables it will use\n")
        walk_physical(va)


PhysBase()
Thread()
RunQueue()
Dmesg()
Walk()
