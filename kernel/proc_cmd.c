/*
 * kernel/proc_cmd.c: the exec record of a process (see proc_cmd.h).
 */
#include "kernel/proc_cmd.h"
#include "mm/heap.h"
#include <string.h>

struct proc_cmd *proc_cmd_make(const char *path, const char *const *argv, int argc)
{
	size_t len = 0, pl = strlen(path);
	struct proc_cmd *c;

	for (int i = 0; i < argc && len < PROC_CMD_ARGS_MAX; i++)
		len += strlen(argv[i]) + 1;
	len = MIN(len, (size_t)PROC_CMD_ARGS_MAX);
	c = kmalloc(sizeof(*c) + len + pl + 1);
	if (!c)
		return NULL;
	c->refs = 1;
	c->args_len = len;
	for (size_t i = 0, pos = 0; pos < len; i++) {
		size_t n = MIN(strlen(argv[i]) + 1, len - pos);

		memcpy(c->args + pos, argv[i], n);
		pos += n;
	}
	c->exe = c->args + len;
	memcpy(c->exe, path, pl + 1);
	return c;
}

void proc_cmd_get(struct proc_cmd *c)
{
	__atomic_add_fetch(&c->refs, 1, __ATOMIC_RELAXED);
}

void proc_cmd_put(struct proc_cmd *c)
{
	if (c && !__atomic_sub_fetch(&c->refs, 1, __ATOMIC_ACQ_REL))
		kfree(c);
}
