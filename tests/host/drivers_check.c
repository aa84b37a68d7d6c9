/*
 * tests/host/drivers_check.c: not a test that runs. Linked as a static
 * musl program (tests/host/drivers_check.mk) so the build proves the
 * daemon cores in drivers/sp804 and drivers/drvmgr compile and link as
 * Anode user code with libfdt.a, until sp804d and drvmgr themselves exist.
 */
#include <stdio.h>

#include "drivers/drvmgr/match.h"
#include "drivers/sp804/timerset.h"

static struct drvconf conf;
static struct drvmatch out[DRVCONF_MAX_DRIVERS];
static struct timerset ts;
static struct sp804 dev;

int main(int argc, char **argv)
{
	struct drvconf_error err;
	int n = drvconf_parse(argv[0], (size_t)argc, &conf, &err);

	n += drvmatch_scan(argv[0], (size_t)argc, &conf, out, DRVCONF_MAX_DRIVERS, &err);
	timerset_init(&ts);
	n += timerset_program(&ts, &dev, SP804_TIMER1, 0);
	n += (int)sp804_handle_irq(&dev);
	printf("%d %s\n", n, err.msg);
	return 0;
}
