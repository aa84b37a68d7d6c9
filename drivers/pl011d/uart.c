/*
 * drivers/pl011d/uart.c: the PL011 itself (ARM DDI 0183G), interrupt
 * driven: the receive and receive-timeout interrupts empty the RX FIFO into
 * the line discipline; the transmit interrupt, unmasked only while output
 * is queued, refills the TX FIFO. Nothing polls: a byte moves when an
 * interrupt or a program's write makes it move. Lock held (pl011d.h).
 */
#include "pl011d.h"
#include "pl011_regs.h"

static uint32_t rd(struct port *p, unsigned off)
{
	return p->regs[off / sizeof(uint32_t)];
}

static void wr(struct port *p, unsigned off, uint32_t v)
{
	p->regs[off / sizeof(uint32_t)] = v;
}

void uart_init(struct port *p)
{
	/* The baud rate stays what firmware (or QEMU) set: the early console
	 * used it, and the host's terminal expects it. 3.3.8: disable the
	 * UART before changing UARTLCR_H, then enable it again. */
	uint32_t cr = rd(p, UARTCR);

	wr(p, UARTIMSC, 0);
	wr(p, UARTCR, cr & ~UARTCR_UARTEN);
	while (rd(p, UARTFR) & UARTFR_BUSY)
		; /* 3.3.8: let the byte being sent finish (bounded: one character) */
	wr(p, UARTLCR_H, UARTLCR_H_FEN | UARTLCR_H_WLEN_8);
	wr(p, UARTIFLS, UARTIFLS_TXIFLSEL_1_8 | UARTIFLS_RXIFLSEL_1_2);
	wr(p, UARTICR, UART_ALL_INTS);
	wr(p, UARTCR, UARTCR_UARTEN | UARTCR_TXE | UARTCR_RXE);
	p->tx_on = false;
	p->rx_throttled = false;
	wr(p, UARTIMSC, UART_RXIM | UART_RTIM);
}

/* The interrupts wanted now: receive unless throttled, transmit while
 * output is queued. */
static void set_mask(struct port *p)
{
	wr(p, UARTIMSC, (p->rx_throttled ? 0 : UART_RXIM | UART_RTIM) | (p->tx_on ? UART_TXIM : 0));
}

void uart_kick_tx(struct port *p)
{
	char buf[PL011_FIFO_DEPTH];

	while (ldisc_output_pending(&p->ld)) {
		uint32_t fr = rd(p, UARTFR);
		/* An empty FIFO takes a burst without a look at each byte. */
		size_t n = fr & UARTFR_TXFE ? sizeof(buf) : fr & UARTFR_TXFF ? 0 : 1;

		if (n == 0)
			break;
		n = ldisc_drain(&p->ld, buf, n);
		for (size_t i = 0; i < n; i++)
			wr(p, UARTDR, (uint8_t)buf[i]);
	}
	if (ldisc_output_pending(&p->ld) != p->tx_on) {
		p->tx_on = !p->tx_on;
		set_mask(p);
	}
}

size_t uart_queue(struct port *p, const char *buf, size_t n)
{
	size_t done = 0;

	for (;;) {
		done += ldisc_write(&p->ld, buf + done, n - done);
		uart_kick_tx(p);
		/* Stop when all is queued, or when the queue is still full and
		 * TXIM is on: the TX interrupt frees room and resumes. If the
		 * kick emptied the queue into the FIFO, TXIM is off and no
		 * interrupt will come, so there is room now: go on (an empty
		 * queue takes at least one character, ONLCR's two bytes too). */
		if (done == n || p->tx_on)
			return done;
	}
}

/* Empties the RX FIFO into the line discipline, unless it is full. */
static void rx_drain(struct port *p)
{
	char buf[RX_BATCH];
	size_t n = 0;

	for (;;) {
		bool empty = rd(p, UARTFR) & UARTFR_RXFE;

		if (n == sizeof(buf) || (empty && n)) {
			size_t took = ldisc_input(&p->ld, buf, n);

			p->rx_bytes += took;
			if (took < n) {
				/* Full (non-canonical): hold the rest, leave what
				 * follows in the FIFO, stop receiving (ldisc.h). */
				memcpy(p->rx_stash, buf + took, n - took);
				p->rx_stashed = n - took;
				p->rx_throttled = true;
				set_mask(p);
			}
			n = 0;
		}
		if (empty || p->rx_throttled)
			break; /* throttled: what follows stays in the FIFO */
		buf[n++] = (char)(rd(p, UARTDR) & UARTDR_DATA);
	}
}

void uart_service(struct port *p)
{
	/* Clear first: a byte arriving while the FIFO is emptied raises it
	 * again, so none is left behind without an interrupt. */
	wr(p, UARTICR, rd(p, UARTMIS));
	rx_drain(p);
	uart_kick_tx(p);
}

void uart_unthrottle(struct port *p)
{
	size_t took;

	if (!p->rx_throttled)
		return;
	took = ldisc_input(&p->ld, p->rx_stash, p->rx_stashed);
	p->rx_bytes += took;
	memmove(p->rx_stash, p->rx_stash + took, p->rx_stashed - took);
	p->rx_stashed -= took;
	if (p->rx_stashed == 0) {
		/* What waits in the FIFO raised its interrupt already (and it
		 * was cleared): take it now; new bytes interrupt again. */
		p->rx_throttled = false;
		set_mask(p);
		rx_drain(p);
	}
	uart_kick_tx(p); /* the echoes of what came in (TXIM follows the queue) */
}
