/*
 * drivers/pl011d/pl011_regs.h: the Arm PrimeCell UART (PL011) registers and
 * bits the daemon uses, named as in its Technical Reference Manual (ARM DDI
 * 0183G, 3.2 "Summary of registers" and 3.3 "Register descriptions").
 * Offsets are in bytes from the base; every register is 32 bits wide.
 */
#ifndef DRIVERS_PL011D_PL011_REGS_H
#define DRIVERS_PL011D_PL011_REGS_H

#define UARTDR 0x000    /* data: read a received byte, write one to send (3.3.1) */
#define UARTRSR 0x004   /* receive status / error clear (3.3.2) */
#define UARTFR 0x018    /* flags (3.3.3) */
#define UARTIBRD 0x024  /* integer baud rate divisor (3.3.6) */
#define UARTFBRD 0x028  /* fractional baud rate divisor (3.3.7) */
#define UARTLCR_H 0x02C /* line control (3.3.7) */
#define UARTCR 0x030    /* control (3.3.8) */
#define UARTIFLS 0x034  /* interrupt FIFO level select (3.3.9) */
#define UARTIMSC 0x038  /* interrupt mask set/clear: 1 enables (3.3.10) */
#define UARTRIS 0x03C   /* raw interrupt status (3.3.11) */
#define UARTMIS 0x040   /* masked interrupt status (3.3.12) */
#define UARTICR 0x044   /* interrupt clear: 1 clears (3.3.13) */
#define PL011_REGS_SIZE 0x1000 /* the 4 KiB register window */
/* Bytes the transmit FIFO holds: 16 before revision r1p5, 32 from it
 * (2.4.2); 16 is safe for both. */
#define PL011_FIFO_DEPTH 16

/* UARTDR: the byte, and its error bits above it. */
#define UARTDR_DATA 0xFFu
#define UARTDR_FE (1u << 8)  /* framing error */
#define UARTDR_PE (1u << 9)  /* parity error */
#define UARTDR_BE (1u << 10) /* break */
#define UARTDR_OE (1u << 11) /* overrun */

/* UARTFR. */
#define UARTFR_BUSY (1u << 3) /* transmitting (until the shift register is empty) */
#define UARTFR_RXFE (1u << 4) /* receive FIFO empty */
#define UARTFR_TXFF (1u << 5) /* transmit FIFO full */
#define UARTFR_TXFE (1u << 7) /* transmit FIFO empty */

/* UARTLCR_H. */
#define UARTLCR_H_FEN (1u << 4)      /* FIFOs enabled (16 deep on r1p5, 32 on later) */
#define UARTLCR_H_WLEN_8 (3u << 5)   /* 8 data bits */

/* UARTCR. */
#define UARTCR_UARTEN (1u << 0)
#define UARTCR_TXE (1u << 8)
#define UARTCR_RXE (1u << 9)

/* UARTIFLS: the FIFO levels that raise RXIM and TXIM. */
#define UARTIFLS_TXIFLSEL_1_8 (0u << 0) /* TX: FIFO at or below 1/8 full */
#define UARTIFLS_RXIFLSEL_1_2 (2u << 3) /* RX: FIFO at or above 1/2 full */

/* Interrupt bits, shared by UARTIMSC, UARTRIS, UARTMIS and UARTICR (3.3.10). */
#define UART_RXIM (1u << 4)  /* receive: the RX FIFO reached its level */
#define UART_TXIM (1u << 5)  /* transmit: the TX FIFO fell to its level */
#define UART_RTIM (1u << 6)  /* receive timeout: bytes wait, the line went quiet */
#define UART_FEIM (1u << 7)
#define UART_PEIM (1u << 8)
#define UART_BEIM (1u << 9)
#define UART_OEIM (1u << 10)
#define UART_ALL_INTS 0x7FFu /* every interrupt bit, for clearing */

#endif
