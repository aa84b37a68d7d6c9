/*
 * kernel/fdt_chosen.c: the facts of /chosen: bootargs, the initrd's
 * bounds and the console node stdout-path names.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <libfdt.h>

#include "kernel/lib/errno.h"
#include "kernel/fdt.h"
#include "kernel/fdt_internal.h"

#define PROP_BOOTARGS "bootargs"
#define PROP_INITRD_START "linux,initrd-start"
#define PROP_INITRD_END "linux,initrd-end"
#define PROP_STDOUT_PATH "stdout-path"
#define PROP_STDOUT_PATH_OLD "linux,stdout-path"
#define PATH_CHOSEN "/chosen"
/* stdout-path = "path:options"; the options are the UART's business. */
#define STDOUT_OPTIONS_SEP ':'

/* An address property of one or two cells (initrd bounds). */
static int prop_addr(int node, const char *name, paddr_t *out)
{
	struct dt_cells c;
	int err = dt_get_cells(node, name, &c);

	if (err)
		return err;
	if (c.n == 0 || c.n > DT_MAX_VALUE_CELLS)
		return -EINVAL;
	*out = dt_take_value(&c.cell, c.n);
	return 0;
}

static int chosen_initrd(int chosen, struct dt_chosen *out)
{
	paddr_t start = 0, end = 0;	/* set on success; 0 quiets gcc */
	int err_start = prop_addr(chosen, PROP_INITRD_START, &start);
	int err_end = prop_addr(chosen, PROP_INITRD_END, &end);

	if (err_start == -ENOENT && err_end == -ENOENT)
		return 0;
	/* Half a pair, a bad length or a reversed range: all malformed. */
	if (err_start || err_end || end < start)
		return -EINVAL;
	out->has_initrd = true;
	out->initrd_start = start;
	out->initrd_end = end;
	return 0;
}

/* stdout-path "serial0:115200n8" -> the node behind alias serial0. */
static int chosen_stdout(int chosen)
{
	const char *path = dt_prop_str(chosen, PROP_STDOUT_PATH);
	const char *sep;
	int node;

	if (path == NULL)
		path = dt_prop_str(chosen, PROP_STDOUT_PATH_OLD);
	if (path == NULL)
		return -1;
	sep = strchr(path, STDOUT_OPTIONS_SEP);
	node = dt_path_lookup(path, sep ? (int)(sep - path) : (int)strlen(path));
	return node >= 0 ? node : -1;
}

int dt_chosen(struct dt_chosen *out)
{
	int chosen;

	memset(out, 0, sizeof(*out));
	out->stdout_node = -1;
	if (dt_fdt == NULL)
		return -ENODEV;
	chosen = dt_path_lookup(PATH_CHOSEN, (int)strlen(PATH_CHOSEN));
	if (chosen < 0)
		return chosen == -FDT_ERR_NOTFOUND ? 0 : dt_errno(chosen);
	out->bootargs = dt_prop_str(chosen, PROP_BOOTARGS);
	out->stdout_node = chosen_stdout(chosen);
	return chosen_initrd(chosen, out);
}

