/*
 * arch/aarch64/perm_selftest.c: self-test that the remapped kernel image
 * enforces its per-section permissions (text r-x, rodata r--, data rw-),
 * by provoking and catching each permission fault.
 */
#include "kernel/selftest.h"
#include "kernel/lib/errno.h"
#include "arch/aarch64/extable.h"
#include "mm/kmap.h"

/* "ret": if a data page were executable, probe_exec would come straight
 * back with x0 still holding the address instead of -EFAULT. */
#define INSN_RET 0xd65f03c0u

static const uint32_t rodata_ret[2] __attribute__((aligned(8))) = { INSN_RET, INSN_RET };
static uint32_t data_ret[2] __attribute__((aligned(8))) = { INSN_RET, INSN_RET };

static int test_permissions(void)
{
	uint64_t value;

	SELFTEST_CHECK(probe_read_u64(__text_start, &value) == 0, "text not readable");
	SELFTEST_CHECK(probe_write_u64(__text_start, value) == -EFAULT, "text is writable");
	SELFTEST_CHECK(probe_read_u64(rodata_ret, &value) == 0, "rodata not readable");
	SELFTEST_CHECK(probe_write_u64((void *)rodata_ret, value) == -EFAULT, "rodata is writable");
	SELFTEST_CHECK(probe_exec(rodata_ret) == -EFAULT, "rodata is executable");
	SELFTEST_CHECK(probe_read_u64(data_ret, &value) == 0, "data not readable");
	SELFTEST_CHECK(probe_write_u64(data_ret, value) == 0, "data not writable");
	SELFTEST_CHECK(probe_exec(data_ret) == -EFAULT, "data is executable");
	return 0;
}
SELFTEST(st_perm, "kernel section permissions", test_permissions);
