/*
 * tests/host/test_pl011d_tx.c: pl011d's transmit side (drivers/pl011d/
 * uart.c) on the host, the registers a plain array. The flag register is
 * set by hand: TXFE (an empty FIFO, as QEMU 7.2's PL011, which sends each
 * byte at once) or TXFF (a full one). The rule under test (pl011d.h,
 * tx_on): uart_queue takes less than asked only while TXIM is unmasked,
 * so the interrupt that resumes a waiting write is sure to come. A 4 KiB
 * write ending in '\n' (two bytes with ONLCR) once waited for good: the
 * kick had emptied the queue into the FIFO and left TXIM masked.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "drivers/pl011d/pl011d.h"
#include "drivers/pl011d/pl011_regs.h"

#define REG(off) (regs[(off) / sizeof(uint32_t)])
#define FIFO_EMPTY (UARTFR_TXFE | UARTFR_RXFE) /* nothing to send or receive */
#define FIFO_FULL (UARTFR_TXFF | UARTFR_RXFE)  /* no room to send, nothing received */

static uint32_t regs[PL011_REGS_SIZE / sizeof(uint32_t)];
static struct port P;
static char text[2 * LDISC_OUTBUF_SIZE];

static int setup(void **state)
{
	(void)state;
	memset(regs, 0, sizeof(regs));
	memset(&P, 0, sizeof(P));
	P.regs = regs;
	ldisc_init(&P.ld);
	REG(UARTFR) = FIFO_EMPTY;
	uart_init(&P);
	return 0;
}

static bool txim(void)
{
	return REG(UARTIMSC) & UART_TXIM;
}

/* The bench's console row: a queue's worth of dots and a '\n' in one go.
 * The FIFO always has room: all of it goes, no interrupt needed. */
static void test_fifo_empty_takes_all(void **state)
{
	(void)state;
	memset(text, '.', LDISC_OUTBUF_SIZE);
	text[LDISC_OUTBUF_SIZE - 1] = '\n';
	assert_int_equal(uart_queue(&P, text, LDISC_OUTBUF_SIZE), LDISC_OUTBUF_SIZE);
	assert_int_equal(ldisc_output_pending(&P.ld), 0);
	assert_false(P.tx_on);
	assert_false(txim());
	/* Bigger than the queue, too. */
	memset(text, 'x', sizeof(text));
	assert_int_equal(uart_queue(&P, text, sizeof(text)), sizeof(text));
	assert_false(txim());
}

/* A full FIFO: the queue fills, the rest waits with TXIM on; the
 * interrupt (uart_service, once the FIFO has room) drains the queue,
 * masks TXIM again, and the rest then fits. */
static void test_fifo_full_waits_with_txim(void **state)
{
	size_t took;

	(void)state;
	memset(text, 'y', sizeof(text));
	REG(UARTFR) = FIFO_FULL;
	took = uart_queue(&P, text, sizeof(text));
	assert_int_equal(took, LDISC_OUTBUF_SIZE);
	assert_true(P.tx_on);
	assert_true(txim());
	REG(UARTFR) = FIFO_EMPTY;
	uart_service(&P);
	assert_int_equal(ldisc_output_pending(&P.ld), 0);
	assert_false(P.tx_on);
	assert_false(txim());
	assert_int_equal(uart_queue(&P, text + took, sizeof(text) - took), sizeof(text) - took);
}

/* One byte of room and a '\n' that needs two: nothing taken, and TXIM
 * is on, so the wait ends. */
static void test_onlcr_at_the_edge(void **state)
{
	(void)state;
	memset(text, '.', LDISC_OUTBUF_SIZE - 1);
	REG(UARTFR) = FIFO_FULL;
	assert_int_equal(uart_queue(&P, text, LDISC_OUTBUF_SIZE - 1), LDISC_OUTBUF_SIZE - 1);
	assert_int_equal(uart_queue(&P, "\n", 1), 0);
	assert_true(txim());
	REG(UARTFR) = FIFO_EMPTY;
	uart_service(&P);
	assert_int_equal(uart_queue(&P, "\n", 1), 1);
	assert_false(txim());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_fifo_empty_takes_all, setup),
		cmocka_unit_test_setup(test_fifo_full_waits_with_txim, setup),
		cmocka_unit_test_setup(test_onlcr_at_the_edge, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
