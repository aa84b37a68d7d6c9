/*
 * kernel/scheme/schemes_init.c: the kernel's own schemes, registered in the root
 * namespace at boot (schemes_init, scheme.h). Kept apart from the registry
 * (scheme.c) so that the registry builds without every scheme, as in the
 * host unit tests. The archive's files (initfs:, file:) are initfsd's, a
 * daemon (drivers/initfsd/); the kernel only hands it the archive (boot:).
 */
#include "kernel/scheme/scheme.h"
#include "kernel/scheme/boot.h"

extern const struct scheme debug_scheme, null_scheme, zero_scheme, pipe_scheme, sys_scheme,
	time_scheme, boot_scheme, list_scheme;
/* Device rights (kernel/scheme/grant.h). */
extern const struct scheme grant_scheme, memory_scheme, irq_scheme;
extern const struct scheme event_scheme;
extern const struct scheme kmsg_scheme; /* the kernel log to follow (the serial daemon) */
/* /proc, and the devices /dev links to that are the kernel's. */
extern const struct scheme proc_scheme, random_scheme, urandom_scheme, full_scheme, tty_scheme;
extern const struct scheme mqueue_scheme; /* POSIX message queues */

void schemes_init(void)
{
	static const struct scheme *const kernel_schemes[] = {
		&debug_scheme, &null_scheme, &zero_scheme, &pipe_scheme, &sys_scheme,
		&time_scheme, &boot_scheme, &list_scheme,
		&grant_scheme, &memory_scheme, &irq_scheme,
		&event_scheme,
		&kmsg_scheme,
		&proc_scheme, &random_scheme, &urandom_scheme, &full_scheme, &tty_scheme,
		&mqueue_scheme,
	};

	boot_archive_init();
	for (size_t i = 0; i < ARRAY_SIZE(kernel_schemes); i++)
		scheme_register(&root_namespace, kernel_schemes[i]);
}
