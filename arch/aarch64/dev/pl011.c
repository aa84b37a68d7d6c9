/*
 * arch/aarch64/dev/pl011.c: the early kernel console on an Arm PrimeCell
 * PL011 UART (DDI 0183G, 3.3 "Register descriptions"), polled. Bound only to
 * the node /chosen/stdout-path names. This is all the PL011 code the kernel
 * has: its early and panic console (polled output, and input for debug:
 * until the hand-over). The interrupt-driven serial driver is the
 * user-space daemon drivers/pl011d, which takes the port over when it maps
 * the registers (kernel/console.h's hand-over: stop_input below).
 */
#include "kernel/console.h"
#include "kernel/driver.h"
#include "kernel/fdt.h"
#include "kernel/lib/errno.h"
#include "kernel/irq.h"
#include "mm/kmap.h"

#define UARTDR 0x000
#define UARTFR 0x018
#define UARTFR_BUSY (1u << 3)
#define UARTFR_TXFF (1u << 5)
#define UARTFR_RXFE (1u << 4)
#define UARTCR 0x030
#define UARTCR_UARTEN (1u << 0)
#define UARTCR_TXE (1u << 8)
#define UARTCR_RXE (1u << 9)
#define UARTIMSC 0x038
#define UARTICR 0x044
#define UART_INT_RX (1u << 4)   /* RXIM: receive */
#define UART_INT_RT (1u << 6)   /* RTIM: receive timeout */
#define UART_DR_DATA_MASK 0xffu
#define UART_MMIO_SIZE 0x1000
#define UART_RX_BATCH 32

struct pl011 {
	volatile uint8_t *base;
	int node; /* device-tree node, for the interrupt */
};

static struct pl011 early_uart;

static inline uint32_t pl011_read(struct pl011 *u, unsigned off)
{
	return *(volatile uint32_t *)(u->base + off);
}

static inline void pl011_writereg(struct pl011 *u, unsigned off, uint32_t v)
{
	*(volatile uint32_t *)(u->base + off) = v;
}

static void pl011_putc(struct pl011 *u, char c)
{
	while (pl011_read(u, UARTFR) & UARTFR_TXFF)
		;
	pl011_writereg(u, UARTDR, (uint8_t)c);
}

static void pl011_console_write(const struct console *c, const char *s, size_t n)
{
	struct pl011 *u = c->priv;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			pl011_putc(u, '\r');
		pl011_putc(u, s[i]);
	}
}

/* Received bytes go to the console input buffer (debug: reads them). */
static void pl011_irq(unsigned irq, void *arg)
{
	struct pl011 *u = arg;
	char buf[UART_RX_BATCH];
	size_t n = 0;

	(void)irq;
	while (!(pl011_read(u, UARTFR) & UARTFR_RXFE) && n < sizeof(buf))
		buf[n++] = (char)(pl011_read(u, UARTDR) & UART_DR_DATA_MASK);
	pl011_writereg(u, UARTICR, UART_INT_RX | UART_INT_RT);
	if (n)
		console_input(buf, n);
}

static int pl011_start_input(const struct console *c)
{
	struct pl011 *u = c->priv;
	unsigned irq;
	bool edge;
	int err = irq_from_dt(u->node, 0, &irq, &edge);

	if (err)
		return err;
	err = irq_request(irq, edge, pl011_irq, u);
	if (err)
		return err;
	((struct console *)c)->irq = irq; /* boot, before any process: no reader yet */
	pl011_writereg(u, UARTIMSC, UART_INT_RX | UART_INT_RT);
	return 0;
}

/* Hand-over: the device's interrupts off, the line free for irq: claims. */
static void pl011_stop_input(const struct console *c)
{
	struct pl011 *u = c->priv;

	pl011_writereg(u, UARTIMSC, 0);
	pl011_writereg(u, UARTICR, UART_INT_RX | UART_INT_RT);
	if (c->irq != IRQ_NONE)
		irq_free(c->irq);
}

static struct console pl011_console = {
	.name = "pl011",
	.write = pl011_console_write,
	.start_input = pl011_start_input,
	.stop_input = pl011_stop_input,
	.priv = &early_uart,
	.irq = IRQ_NONE,
};

static int pl011_probe(int node)
{
	paddr_t pa;
	uint64_t size;
	uint32_t cr;
	int err = dt_reg(node, 0, &pa, &size);

	if (err)
		return err;
	early_uart.node = node;
	early_uart.base = ioremap(pa, MAX(size, (uint64_t)UART_MMIO_SIZE));
	if (!early_uart.base)
		return -ENOMEM;
	pl011_console.base = pa;
	pl011_console.size = size;
	/* Firmware normally leaves it enabled and its baud rate set; make sure. */
	cr = pl011_read(&early_uart, UARTCR);
	if ((cr & (UARTCR_UARTEN | UARTCR_TXE)) != (UARTCR_UARTEN | UARTCR_TXE))
		pl011_writereg(&early_uart, UARTCR, cr | UARTCR_UARTEN | UARTCR_TXE | UARTCR_RXE);
	console_register(&pl011_console);
	return 0;
}

static const char *const pl011_compat[] = { "arm,pl011", NULL };
KDRIVER(pl011_driver) = {
	.name = "pl011",
	.class = DRIVER_CONSOLE,
	.compatible = pl011_compat,
	.probe = pl011_probe,
};
