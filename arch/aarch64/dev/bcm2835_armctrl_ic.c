/*
 * arch/aarch64/dev/bcm2835_armctrl_ic.c: the BCM2835 ARM interrupt
 * controller (Broadcom "BCM2835 ARM Peripherals", 2012, section 7
 * "Interrupts"; cited as BCM2835 below), which gathers the GPU
 * peripherals' 64 interrupts and the ARM's own eight. On the BCM2836/7
 * (Raspberry Pi 2, 3: "brcm,bcm2836-armctrl-ic") it is chained through the
 * per-core controller's GPU interrupt (arch/aarch64/dev/bcm2836_local_intc.c);
 * on the BCM2835 ("brcm,bcm2835-armctrl-ic") it is the root controller.
 *
 * Numbering (binding brcm,bcm2835-armctrl-ic, 2 cells: <bank number>):
 * bank 0 is the ARM interrupts of "IRQ basic pending" (bits 0-7), banks 1
 * and 2 the GPU interrupts 0-31 and 32-63 of "IRQ pending 1" and "IRQ
 * pending 2"; this chip's number is bank * 32 + number. All its sources
 * are levels that the device drops; there is no priority and no
 * acknowledgement (BCM2835 7.2, 7.4).
 */
#include "kernel/driver.h"
#include "kernel/irq.h"
#include "kernel/fdt.h"
#include "kernel/printk.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/spinlock.h"
#include "kernel/selftest.h"
#include "kernel/timer.h"
#include "mm/kmap.h"
#include "asm/cpu.h"

/*
 * Registers (BCM2835 7.5 "Registers"), as offsets from the node's reg,
 * which starts at the table's 0x200 (bus address 0x7E00B200).
 */
#define IRQ_BASIC_PENDING 0x00   /* table 0x200 */
#define IRQ_PENDING_1 0x04       /* 0x204: GPU interrupts 0-31 */
#define IRQ_PENDING_2 0x08       /* 0x208: GPU interrupts 32-63 */
#define FIQ_CONTROL 0x0c         /* 0x20C */
#define ENABLE_IRQS_1 0x10       /* 0x210: writing 1 enables, 0 leaves as is */
#define ENABLE_IRQS_2 0x14       /* 0x214 */
#define ENABLE_BASIC_IRQS 0x18   /* 0x218 */
#define DISABLE_IRQS_1 0x1c      /* 0x21C: writing 1 disables, 0 leaves as is */
#define DISABLE_IRQS_2 0x20      /* 0x220 */
#define DISABLE_BASIC_IRQS 0x24  /* 0x224 */
#define ARMCTRL_MMIO_SIZE 0x200

/* "IRQ basic pending" bits 7:0 are the ARM interrupts (timer, mailbox,
 * doorbells 0-1, GPU0/1 halted, illegal access types 1/0); bits 9:8 say
 * that pending 1/2 have bits of their own, bits 20:10 repeat some GPU
 * interrupts. Only bits 7:0 are bank 0. */
#define BASIC_PENDING_ARM_MASK 0xffu
/* "FIQ control": bit 7 enables the FIQ, bits 6:0 select its source. */
#define FIQ_CONTROL_DISABLED 0u

#define ARMCTRL_BANKS 3
#define ARMCTRL_PER_BANK 32
#define ARMCTRL_NIRQS (ARMCTRL_BANKS * ARMCTRL_PER_BANK)
#define ARMCTRL_BANK0_IRQS 8
#define ARMCTRL_DT_CELLS 2

static const unsigned pending_reg[ARMCTRL_BANKS] = { IRQ_BASIC_PENDING, IRQ_PENDING_1, IRQ_PENDING_2 };
static const unsigned enable_reg[ARMCTRL_BANKS] = { ENABLE_BASIC_IRQS, ENABLE_IRQS_1, ENABLE_IRQS_2 };
static const unsigned disable_reg[ARMCTRL_BANKS] = { DISABLE_BASIC_IRQS, DISABLE_IRQS_1, DISABLE_IRQS_2 };
static const uint32_t bank_mask[ARMCTRL_BANKS] = { BASIC_PENDING_ARM_MASK, UINT32_MAX, UINT32_MAX };

static volatile uint8_t *armctrl_base; /* set once at probe */
static unsigned armctrl_irq_base;      /* kernel number of this chip's 0 */
static bool armctrl_present;
/* What we enabled, per bank: a pending bit outside it is not ours to take. */
static uint32_t armctrl_enabled[ARMCTRL_BANKS];
static spinlock_t armctrl_lock = SPINLOCK_INIT("bcm2835-armctrl");

static inline uint32_t armctrl_read(unsigned off)
{
	return *(volatile uint32_t *)(armctrl_base + off);
}

static inline void armctrl_write(unsigned off, uint32_t v)
{
	*(volatile uint32_t *)(armctrl_base + off) = v;
}

static unsigned armctrl_ack(void)
{
	for (unsigned bank = 0; bank < ARMCTRL_BANKS; bank++) {
		uint32_t p = armctrl_read(pending_reg[bank]) & bank_mask[bank] &
			     __atomic_load_n(&armctrl_enabled[bank], __ATOMIC_RELAXED);

		if (p)
			return bank * ARMCTRL_PER_BANK + (unsigned)__builtin_ctz(p);
	}
	return IRQ_NONE;
}

static void armctrl_set(unsigned irq, bool on)
{
	unsigned bank = irq / ARMCTRL_PER_BANK;
	uint32_t bit = 1u << (irq % ARMCTRL_PER_BANK);
	uint64_t flags;

	if (bank >= ARMCTRL_BANKS || !(bit & bank_mask[bank]))
		return;
	flags = spin_lock_irqsave(&armctrl_lock);
	if (on)
		armctrl_enabled[bank] |= bit;
	else
		armctrl_enabled[bank] &= ~bit;
	/* Set/clear registers: no read-modify-write of the hardware. */
	armctrl_write(on ? enable_reg[bank] : disable_reg[bank], bit);
	spin_unlock_irqrestore(&armctrl_lock, flags);
}

static void armctrl_enable(unsigned irq)
{
	armctrl_set(irq, true);
}

static void armctrl_disable(unsigned irq)
{
	armctrl_set(irq, false);
}

static int armctrl_xlate(const uint32_t *cells, int ncells, unsigned *irq, bool *edge)
{
	if (ncells != ARMCTRL_DT_CELLS || cells[0] >= ARMCTRL_BANKS || cells[1] >= ARMCTRL_PER_BANK ||
	    (cells[0] == 0 && cells[1] >= ARMCTRL_BANK0_IRQS))
		return -EINVAL;
	*irq = cells[0] * ARMCTRL_PER_BANK + cells[1];
	*edge = false;
	return 0;
}

static const struct irq_chip armctrl_chip = {
	.name = "bcm2835-armctrl-ic",
	.ack = armctrl_ack,
	.enable = armctrl_enable,
	.disable = armctrl_disable,
	.xlate = armctrl_xlate,
	.nirqs = ARMCTRL_NIRQS,
};

static int armctrl_probe(int node)
{
	uint32_t spec[ARMCTRL_DT_CELLS];
	paddr_t pa;
	uint64_t size;
	bool chained;
	int err;

	if (armctrl_present)
		return -EBUSY;
	if (dt_reg(node, 0, &pa, &size))
		return -EINVAL;
	/* With "interrupts" it signals through a parent (BCM2836/7). */
	err = dt_irq(node, 0, spec, ARMCTRL_DT_CELLS);
	if (err < 0 && err != -ENOENT)
		return err;
	chained = err >= 0;
	armctrl_base = ioremap(pa, MAX(size, (uint64_t)ARMCTRL_MMIO_SIZE));
	if (!armctrl_base)
		return -ENOMEM;
	/* Everything masked, no FIQ, before anything can reach the CPU. */
	armctrl_write(FIQ_CONTROL, FIQ_CONTROL_DISABLED);
	for (unsigned bank = 0; bank < ARMCTRL_BANKS; bank++) {
		armctrl_write(disable_reg[bank], bank_mask[bank]);
		armctrl_enabled[bank] = 0;
	}
	if (chained) {
		err = irq_add_chained(&armctrl_chip, node, &armctrl_irq_base);
		if (err)
			return err;
	} else {
		if (irq_chip())
			return -EBUSY;
		irq_set_root(&armctrl_chip, node);
		armctrl_irq_base = 0;
	}
	armctrl_present = true;
	printk("irq: BCM2835 controller at %#lx, %s, irqs %u-%u\n", pa,
	       chained ? "chained" : "root", armctrl_irq_base, armctrl_irq_base + ARMCTRL_NIRQS - 1);
	return 0;
}

static const char *const armctrl_compat[] = {
	"brcm,bcm2836-armctrl-ic", "brcm,bcm2835-armctrl-ic", NULL
};
KDRIVER(bcm2835_armctrl_driver) = {
	.name = "bcm2835-armctrl-ic",
	.class = DRIVER_IRQCHIP,
	.compatible = armctrl_compat,
	.probe = armctrl_probe,
};

/*
 * Self-test: an interrupt through this controller (and, on the BCM2836/7,
 * the cascade from the per-core controller) from the BCM2835 system timer
 * (BCM2835 12 "System Timer"), whose compare 3 the GPU leaves to the ARM.
 */
#define SYSTMR_CS 0x00          /* 12.1: bits 3:0 match 3-0, write 1 to clear */
#define SYSTMR_CS_M3 (1u << 3)
#define SYSTMR_CLO 0x04         /* counter, low 32 bits, 1 MHz */
#define SYSTMR_C3 0x18          /* compare 3 */
#define SYSTMR_MMIO_SIZE 0x1000
#define SYSTMR_IRQ_INDEX 3      /* "interrupts": compare 0-3 */
#define SYSTMR_DELAY_US 2000
#define SYSTMR_WAIT_NS (200 * NSEC_PER_MSEC)

struct systmr_test {
	volatile uint8_t *regs;
	volatile unsigned fired;
};

static void systmr_irq(unsigned irq, void *arg)
{
	struct systmr_test *t = arg;

	(void)irq;
	*(volatile uint32_t *)(t->regs + SYSTMR_CS) = SYSTMR_CS_M3;
	t->fired++;
}

static int test_armctrl_cascade(void)
{
	static struct systmr_test t; /* the handler may outlive a failed test */
	int node = dt_find_compatible(-1, "brcm,bcm2835-system-timer");
	unsigned irq;
	uint64_t count0, deadline;
	paddr_t pa;
	uint64_t size;
	bool edge;
	int err;

	if (!armctrl_present)
		return selftest_skip("no BCM2835 interrupt controller");
	if (node < 0 || !dt_node_enabled(node))
		return selftest_skip("no enabled BCM2835 system timer");
	err = irq_from_dt(node, SYSTMR_IRQ_INDEX, &irq, &edge);
	SELFTEST_CHECK(err == 0, "system timer irq: %d", err);
	SELFTEST_CHECK(irq == armctrl_irq_base + ARMCTRL_PER_BANK + SYSTMR_IRQ_INDEX,
		       "system timer compare 3 is irq %u, expected bank 1 bit 3", irq);
	SELFTEST_CHECK(dt_reg(node, 0, &pa, &size) == 0, "system timer reg");
	t.regs = ioremap(pa, MAX(size, (uint64_t)SYSTMR_MMIO_SIZE));
	SELFTEST_CHECK(t.regs, "cannot map the system timer");
	t.fired = 0;
	count0 = irq_count(irq);
	*(volatile uint32_t *)(t.regs + SYSTMR_CS) = SYSTMR_CS_M3;
	err = irq_request(irq, edge, systmr_irq, &t);
	SELFTEST_CHECK(err == 0, "irq_request(%u): %d", irq, err);
	*(volatile uint32_t *)(t.regs + SYSTMR_C3) =
		*(volatile uint32_t *)(t.regs + SYSTMR_CLO) + SYSTMR_DELAY_US;
	deadline = timer_now_ns() + SYSTMR_WAIT_NS;
	while (!t.fired && timer_now_ns() < deadline)
		wfi(); /* the tick wakes us at the latest */
	irq_free(irq);
	SELFTEST_CHECK(t.fired == 1, "compare 3 interrupt taken %u times in %lu ms", t.fired,
		       SYSTMR_WAIT_NS / NSEC_PER_MSEC);
	SELFTEST_CHECK(irq_count(irq) == count0 + 1, "irq_count did not count it");
	return 0;
}
SELFTEST(st_armctrl_cascade, "bcm2835 irq (cascade)", test_armctrl_cascade);
