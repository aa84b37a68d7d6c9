# tests/host/pl011d_tx.mk: host unit test of pl011d's transmit side
# (drivers/pl011d/uart.c) over a fake register block: output is queued
# short only while TXIM is on, so a waiting write always has a TX interrupt
# to resume it.
HOST_TESTS += pl011d_tx
pl011d_tx_SRCS := drivers/pl011d/uart.c drivers/tty/ldisc.c drivers/tty/ldisc_out.c \
	drivers/tty/ldisc_ctl.c
$(HOST_BUILD)/test_pl011d_tx: drivers/pl011d/pl011d.h drivers/pl011d/pl011_regs.h \
	drivers/tty/ldisc.h drivers/tty/ldisc_priv.h
