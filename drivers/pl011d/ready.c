/*
 * drivers/pl011d/ready.c: the terminal's readiness as the kernel's poll
 * sees it (SCHEME_AUX_POLLED handles, SCHEME_IOC_READY): every open handle
 * shares one mask, POLLIN when a read would not wait (a line in canonical
 * mode, VMIN bytes otherwise: ldisc_readable) and POLLOUT when the output
 * queue has room (ldisc_writable). The mask is reported to each handle at
 * its open and to all of them whenever it changes. Lock held throughout.
 */
#include "pl011d.h"
#include <poll.h>

static unsigned mask_now(struct port *p)
{
	return (ldisc_readable(&p->ld) ? POLLIN : 0) | (ldisc_writable(&p->ld) ? POLLOUT : 0);
}

bool ready_add(struct port *p, uint64_t id)
{
	for (int i = 0; i < READY_HANDLES_MAX; i++) {
		if (!p->ready_ids[i]) {
			p->ready_ids[i] = id;
			return true;
		}
	}
	return false;
}

void ready_opened(struct port *p, uint64_t id)
{
	p->ready_mask = mask_now(p);
	scheme_ready(&p->srv, id, p->ready_mask);
	ready_update(p);
}

void ready_remove(struct port *p, uint64_t id)
{
	for (int i = 0; i < READY_HANDLES_MAX; i++)
		if (p->ready_ids[i] == id)
			p->ready_ids[i] = 0;
}

void ready_update(struct port *p)
{
	unsigned mask = mask_now(p);

	if (mask == p->ready_mask)
		return;
	p->ready_mask = mask;
	for (int i = 0; i < READY_HANDLES_MAX; i++)
		if (p->ready_ids[i])
			scheme_ready(&p->srv, p->ready_ids[i], mask);
}
