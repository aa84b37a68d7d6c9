/*
 * tests/host/test_drvmatch.c: host test of the driver manager's table
 * (drivers/drvmgr/drvconf.c) and node matching (drivers/drvmgr/match.c).
 * Arguments: QEMU virt's dtb, the sample drivers.conf, and optionally
 * Debian's Raspberry Pi 3 B dtb (skipped, and said so, when absent).
 * Checks the sample parses, every malformed line gives its line number,
 * virt's PL011 and PL031 are found with their INTIDs, disabled nodes are
 * skipped, the earliest compatible wins, node-level errors stay with the
 * node, and bad blobs are refused with a reason.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "drivers/drvmgr/drvconf.h"
#include "drivers/drvmgr/match.h"

#define VIRT_UART_BASE 0x09000000ull
#define VIRT_RTC_BASE 0x09010000ull
#define VIRT_DEV_SIZE 0x1000ull
#define VIRT_UART_INTID 33	/* SPI 1 */
#define VIRT_RTC_INTID 34	/* SPI 2 */
#define GIC_SPI 0
#define GIC_LEVEL_HIGH 4
#define RPI_UART0_BASE 0x3F201000ull
#define RPI_UART0_SIZE 0x200ull
#define RPI_AUX_BASE 0x3F215040ull
#define RPI_ARMCTRL_PHANDLE 1
#define RPI_UART0_BANK 2
#define RPI_UART0_IRQ 25
#define MAX_MATCHES 16
#define TREE_SPACE 65536
#define BLOB_MAX (4 << 20)
#define COPY_SPARE 65536	/* room to add properties to a copy of virt */

static char *virt, *rpi, *sample;
static size_t virt_size, rpi_size, sample_size;
static struct drvconf conf;
static struct drvmatch out[MAX_MATCHES];
static struct drvconf_error err;

static char *slurp(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	char *buf = malloc(BLOB_MAX);
	size_t n;

	if (f == NULL || buf == NULL) {
		fprintf(stderr, "cannot read %s\n", path);
		exit(1);
	}
	n = fread(buf, 1, BLOB_MAX, f);
	fclose(f);
	*size = n;
	return buf;
}

#define PARSE(text) drvconf_parse((text), strlen(text), &conf, &err)

static void use_conf(const char *text)
{
	if (PARSE(text) != 0)
		fail_msg("%s", err.msg);
}

static const struct drvmatch *find(int n, const char *path)
{
	for (int i = 0; i < n; i++)
		if (strcmp(out[i].path, path) == 0)
			return &out[i];
	return NULL;
}

/* ---- drivers.conf ---- */

static void test_sample_conf(void **state)
{
	const struct drvconf_entry *e;

	(void)state;
	assert_int_equal(drvconf_parse(sample, sample_size, &conf, &err), 0);
	assert_int_equal(conf.count, 3);
	e = drvconf_lookup(&conf, "arm,pl011");
	assert_non_null(e);
	assert_string_equal(e->program, "/bin/pl011d");
	assert_int_equal(e->nargs, 0);
	assert_non_null(drvconf_lookup(&conf, "arm,sp804"));
	assert_null(drvconf_lookup(&conf, "arm,primecell"));
}

static void test_conf_fields(void **state)
{
	static const char text[] =
		"# a comment\n"
		"\n"
		"   \t \r\n"
		"arm,pl011 arm,sbsa-uart\t| /bin/uartd -v --fifo=16 | memory irq # tail\r\n"
		"x,y|/bin/z|\n"
		"last,one | /sbin/last | time";	/* no final newline */
	const struct drvconf_entry *e;

	(void)state;
	assert_int_equal(drvconf_parse(text, sizeof(text) - 1, &conf, &err), 0);
	assert_int_equal(conf.count, 3);
	e = &conf.drivers[0];
	assert_int_equal(e->line, 4);
	assert_int_equal(e->ncompat, 2);
	assert_string_equal(e->compat[1], "arm,sbsa-uart");
	assert_string_equal(e->program, "/bin/uartd");
	assert_int_equal(e->nargs, 2);
	assert_string_equal(e->args[1], "--fifo=16");
	/* NUL-separated, as anode_setns takes it. */
	assert_int_equal(e->schemes_len, sizeof("memory\0irq"));
	assert_memory_equal(e->schemes, "memory\0irq", sizeof("memory\0irq"));
	assert_int_equal(conf.drivers[1].schemes_len, 0);
	assert_int_equal(conf.drivers[2].line, 6);
	assert_ptr_equal(drvconf_lookup(&conf, "arm,sbsa-uart"), e);
	/* The empty file is an empty table. */
	assert_int_equal(drvconf_parse("", 0, &conf, NULL), 0);
	assert_int_equal(conf.count, 0);
}

/* text must fail at line with a message containing what. */
static void bad(const char *text, size_t len, int line, const char *what)
{
	assert_int_equal(drvconf_parse(text, len, &conf, &err), -EINVAL);
	assert_int_equal(conf.count, 0);
	assert_int_equal(err.line, line);
	if (strstr(err.msg, what) == NULL)
		fail_msg("\"%s\" lacks \"%s\"", err.msg, what);
	assert_int_equal(drvconf_parse(text, len, &conf, NULL), -EINVAL);
}

#define BAD(text, line, what) bad((text), strlen(text), (line), (what))

/* A malformed table, the line it fails at, and part of the message. */
static const struct {
	const char *text;
	int line;
	const char *what;
} bad_lines[] = {
	{ "a | /b | c\narm,pl011 /bin/x\n", 2, "line 2: expected" },
	{ "a | /b\n", 1, "expected" },
	{ "a | /b | c | d | e\n", 1, "more than three '|'" },
	{ "a | /b | c | clock root\n", 1, "unknown right \"root\"" },
	{ "  | /bin/x | \n", 1, "no compatible" },
	{ "a |   | \n", 1, "no program" },
	{ "a | bin/x | \n", 1, "not an absolute path" },
	{ "a | /x | Serial\n", 1, "bad scheme name \"Serial\"" },
	{ "a | /x | se:rial\n", 1, "bad scheme name" },
	{ "a | /x | abcdefghijabcdefghijabcdefghij123\n", 1, "too long" },
	{ "# c\na b | /x |\nc b | /y |\n", 3, "\"b\" is already driven by line 2" },
	{ "a a | /x |\n", 1, "\"a\" twice" },
	{ "1 2 3 4 5 6 7 8 9 | /x |\n", 1, "more than 8 compatible" },
	{ "a | /x 1 2 3 4 5 6 7 8 9 |\n", 1, "more than 8 arguments" },
};

static void test_conf_malformed(void **state)
{
	char big[DRVCONF_LINE_MAX + 64];
	char many[DRVCONF_MAX_DRIVERS * 32 + 64];
	size_t n = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(bad_lines) / sizeof(bad_lines[0]); i++)
		BAD(bad_lines[i].text, bad_lines[i].line, bad_lines[i].what);
	/* A word past DRVCONF_WORD_MAX. */
	snprintf(big, sizeof(big), "%0*d | /x |\n", DRVCONF_WORD_MAX, 7);
	BAD(big, 1, "longer than 63 bytes");
	/* A line past DRVCONF_LINE_MAX. */
	memset(big, 'a', sizeof(big));
	big[sizeof(big) - 1] = '\0';
	BAD(big, 1, "longer than 512 bytes");
	bad("a | /x |\nb\0 | /y |\n", sizeof("a | /x |\nb\0 | /y |\n") - 1, 2, "NUL");
	for (int i = 0; i <= DRVCONF_MAX_DRIVERS; i++)
		n += (size_t)snprintf(many + n, sizeof(many) - n, "c%d | /d |\n", i);
	BAD(many, DRVCONF_MAX_DRIVERS + 1, "more than 32 drivers");
}

/* ---- matching on QEMU virt ---- */

static void check_virt_dev(const struct drvmatch *m, uint64_t base, int intid,
			   const char *program)
{
	assert_non_null(m);
	assert_int_equal(m->error, 0);
	assert_string_equal(m->driver->program, program);
	assert_int_equal(m->nregs, 1);
	assert_int_equal(m->reg[0].base, base);
	assert_int_equal(m->reg[0].size, VIRT_DEV_SIZE);
	assert_int_equal(m->nirqs, 1);
	assert_int_equal(m->irq[0].ncells, 3);
	assert_int_equal(m->irq[0].cells[0], GIC_SPI);
	assert_int_equal(m->irq[0].cells[2], GIC_LEVEL_HIGH);
	assert_int_equal(m->irq[0].intid, intid);
	assert_string_equal(m->irq[0].ctrl_compat, "arm,cortex-a15-gic");
	assert_int_not_equal(m->irq[0].ctrl_phandle, 0);
}

static void test_virt(void **state)
{
	int n;

	(void)state;
	assert_int_equal(drvconf_parse(sample, sample_size, &conf, &err), 0);
	n = drvmatch_scan(virt, virt_size, &conf, out, MAX_MATCHES, &err);
	assert_int_equal(n, 2);	/* no SP804 on virt */
	check_virt_dev(find(n, "/pl011@9000000"), VIRT_UART_BASE, VIRT_UART_INTID, "/bin/pl011d");
	check_virt_dev(find(n, "/pl031@9010000"), VIRT_RTC_BASE, VIRT_RTC_INTID, "/bin/pl031d");
	assert_string_equal(find(n, "/pl011@9000000")->compatible, "arm,pl011");
	/* More matches than room. */
	assert_int_equal(drvmatch_scan(virt, virt_size, &conf, out, 1, &err), -ENOSPC);
	/* An empty table matches nothing. */
	use_conf("");
	assert_int_equal(drvmatch_scan(virt, virt_size, &conf, out, MAX_MATCHES, &err), 0);
}

static void test_earliest_compatible(void **state)
{
	int n;

	(void)state;
	/* The generic line comes first in the table; the node's order decides. */
	use_conf("arm,primecell | /bin/generic |\narm,pl011 | /bin/pl011d |\n");
	n = drvmatch_scan(virt, virt_size, &conf, out, MAX_MATCHES, &err);
	assert_string_equal(find(n, "/pl011@9000000")->driver->program, "/bin/pl011d");
	/* The PL031 says "arm,pl031", "arm,primecell": the second one matches. */
	assert_string_equal(find(n, "/pl031@9010000")->driver->program, "/bin/generic");
	assert_string_equal(find(n, "/pl031@9010000")->compatible, "arm,primecell");
}

/* A writable copy of virt with room to change it. */
static char *virt_copy(size_t *size)
{
	char *t;

	*size = virt_size + COPY_SPARE;
	t = malloc(*size);
	assert_non_null(t);
	assert_int_equal(fdt_open_into(virt, t, (int)*size), 0);
	return t;
}

static void test_disabled(void **state)
{
	static const char *const statuses[] = { "disabled", "fail", "okay", "ok" };
	static const int found[] = { 0, 0, 1, 1 };
	size_t size;
	char *t = virt_copy(&size);
	int rtc = fdt_path_offset(t, "/pl031@9010000");

	(void)state;
	assert_true(rtc >= 0);
	use_conf("arm,pl031 | /bin/pl031d |\n");
	for (unsigned i = 0; i < 4; i++) {
		assert_int_equal(fdt_setprop_string(t, rtc, "status", statuses[i]), 0);
		assert_int_equal(drvmatch_scan(t, size, &conf, out, MAX_MATCHES, &err), found[i]);
	}
	free(t);
}

static void bad_blob(const void *blob, size_t size, const char *what)
{
	use_conf("arm,pl011 | /bin/pl011d |\n");
	assert_int_equal(drvmatch_scan(blob, size, &conf, out, MAX_MATCHES, &err), -EINVAL);
	if (strstr(err.msg, what) == NULL)
		fail_msg("\"%s\" lacks \"%s\"", err.msg, what);
	assert_int_equal(drvmatch_scan(blob, size, &conf, out, MAX_MATCHES, NULL), -EINVAL);
}

static void test_bad_blobs(void **state)
{
	char *t = malloc(virt_size);
	struct fdt_header *h = (struct fdt_header *)t;

	(void)state;
	bad_blob(virt, 16, "shorter than its header");
	bad_blob(NULL, 0, "shorter than its header");
	bad_blob(virt, virt_size - 100, "truncated");
	memcpy(t, virt, virt_size);
	h->magic = cpu_to_fdt32(0x12345678);
	bad_blob(t, virt_size, "bad header: FDT_ERR_BADMAGIC");
	memcpy(t, virt, virt_size);
	h->version = cpu_to_fdt32(1);
	bad_blob(t, virt_size, "bad header");
	/* A bad tag in the middle of the structure block. */
	memcpy(t, virt, virt_size);
	memset(t + fdt_off_dt_struct(t) + fdt_size_dt_struct(t) / 2, 0x5A, 8);
	bad_blob(t, virt_size, "corrupt");
	/* The header's own checks come first, not a read past the end. */
	memcpy(t, virt, virt_size);
	h->off_dt_struct = cpu_to_fdt32(virt_size + 4096);
	bad_blob(t, virt_size, "bad header");
	free(t);
}

/* ---- a tree with a bus, GIC cells of every kind and broken nodes ---- */

#define BUS_CHILD 0x7e000000u
#define BUS_PARENT 0x3f000000u
#define BUS_SIZE 0x01000000u
#define GIC_PHANDLE 1

static int add_node(void *t, int parent, const char *name, const char *compat)
{
	int n = fdt_add_subnode(t, parent, name);

	assert_true(n >= 0);
	if (compat != NULL)
		assert_int_equal(fdt_setprop_string(t, n, "compatible", compat), 0);
	return n;
}

static void set_cells(void *t, int node, const char *prop, const uint32_t *v, int n)
{
	fdt32_t be[16];

	for (int i = 0; i < n; i++)
		be[i] = cpu_to_fdt32(v[i]);
	assert_int_equal(fdt_setprop(t, node, prop, be, n * (int)sizeof(be[0])), 0);
}

#define SET(t, node, prop, ...) do { \
	static const uint32_t v_[] = { __VA_ARGS__ }; \
	set_cells((t), (node), (prop), v_, (int)(sizeof(v_) / sizeof(v_[0]))); \
} while (0)

static char *build_tree(void)
{
	char *t = malloc(TREE_SPACE);
	int gic, bus, n;

	assert_int_equal(fdt_create_empty_tree(t, TREE_SPACE), 0);
	SET(t, 0, "#address-cells", 1);
	SET(t, 0, "#size-cells", 1);
	SET(t, 0, "interrupt-parent", GIC_PHANDLE);
	gic = add_node(t, 0, "intc@8000000", "arm,gic-v3");
	SET(t, gic, "#interrupt-cells", 3);
	SET(t, gic, "phandle", GIC_PHANDLE);
	assert_int_equal(fdt_setprop(t, gic, "interrupt-controller", NULL, 0), 0);
	bus = add_node(t, 0, "bus", "simple-bus");
	SET(t, bus, "#address-cells", 1);
	SET(t, bus, "#size-cells", 1);
	SET(t, bus, "ranges", BUS_CHILD, BUS_PARENT, BUS_SIZE);
	n = add_node(t, bus, "good@7e201000", "test,dev");
	SET(t, n, "reg", 0x7e201000, 0x200, 0x7e202000, 0x100);
	SET(t, n, "interrupts", 0, 5, 4, 1, 3, 4, 2, 7, 4, 3, 1, 4);
	n = add_node(t, bus, "outside@10", "test,dev");
	SET(t, n, "reg", 0x10, 0x10);
	n = add_node(t, bus, "ragged", "test,dev");
	SET(t, n, "interrupts", 0, 5);
	n = add_node(t, bus, "bigspi", "test,dev");
	SET(t, n, "interrupts", 0, 988, 4);
	n = add_node(t, bus, "badtype", "test,dev");
	SET(t, n, "interrupts", 9, 1, 4);
	n = add_node(t, bus, "manyregs", "test,dev");
	SET(t, n, "reg", 0x7e000000, 1, 0x7e000010, 1, 0x7e000020, 1, 0x7e000030, 1,
	    0x7e000040, 1);
	n = add_node(t, bus, "bare", "test,dev");	/* no reg, no interrupts: fine */
	(void)n;
	return t;
}

static void test_built_tree(void **state)
{
	char *t = build_tree();
	const struct drvmatch *m;
	int n;

	(void)state;
	use_conf("test,dev | /bin/t |\n");
	n = drvmatch_scan(t, TREE_SPACE, &conf, out, MAX_MATCHES, &err);
	assert_int_equal(n, 7);
	m = find(n, "/bus/good@7e201000");
	assert_non_null(m);
	assert_int_equal(m->error, 0);
	assert_int_equal(m->nregs, 2);
	assert_int_equal(m->reg[0].base, 0x3f201000ull);
	assert_int_equal(m->reg[1].base, 0x3f202000ull);
	assert_int_equal(m->reg[1].size, 0x100);
	assert_int_equal(m->nirqs, 4);
	assert_int_equal(m->irq[0].intid, 32 + 5);	/* SPI */
	assert_int_equal(m->irq[1].intid, 16 + 3);	/* PPI */
	assert_int_equal(m->irq[2].intid, 4096 + 7);	/* extended SPI */
	assert_int_equal(m->irq[3].intid, 1056 + 1);	/* extended PPI */
	assert_int_equal(m->irq[0].ctrl_phandle, GIC_PHANDLE);
	assert_int_equal(find(n, "/bus/outside@10")->error, -ERANGE);
	assert_int_equal(find(n, "/bus/ragged")->error, -EINVAL);
	assert_int_equal(find(n, "/bus/bigspi")->error, -EINVAL);
	assert_int_equal(find(n, "/bus/badtype")->error, -EINVAL);
	assert_int_equal(find(n, "/bus/manyregs")->error, -ENOSPC);
	m = find(n, "/bus/bare");
	assert_int_equal(m->error, 0);
	assert_int_equal(m->nregs, 0);
	assert_int_equal(m->nirqs, 0);
	free(t);
}

/* ---- the Raspberry Pi 3 B tree, when present ---- */

static void test_rpi3(void **state)
{
	const struct drvmatch *m;
	int n;

	(void)state;
	if (rpi == NULL)
		skip();
	use_conf("arm,pl011 | /bin/pl011d |\n"
		 "brcm,bcm2835-aux-uart | /bin/auxd |\n"
		 "brcm,bcm2835-aux-spi | /bin/spid |\n");	/* both disabled */
	n = drvmatch_scan(rpi, rpi_size, &conf, out, MAX_MATCHES, &err);
	assert_int_equal(n, 2);
	m = find(n, "/soc/serial@7e201000");
	assert_non_null(m);
	assert_int_equal(m->error, 0);
	/* The soc bus's ranges map 0x7e201000 to 0x3f201000. */
	assert_int_equal(m->reg[0].base, RPI_UART0_BASE);
	assert_int_equal(m->reg[0].size, RPI_UART0_SIZE);
	assert_int_equal(m->nirqs, 1);
	assert_int_equal(m->irq[0].ncells, 2);
	assert_int_equal(m->irq[0].cells[0], RPI_UART0_BANK);
	assert_int_equal(m->irq[0].cells[1], RPI_UART0_IRQ);
	assert_int_equal(m->irq[0].intid, DRVMATCH_NO_INTID);	/* not a GIC */
	assert_string_equal(m->irq[0].ctrl_compat, "brcm,bcm2836-armctrl-ic");
	assert_int_equal(m->irq[0].ctrl_phandle, RPI_ARMCTRL_PHANDLE);
	assert_int_equal(find(n, "/soc/serial@7e215040")->reg[0].base, RPI_AUX_BASE);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sample_conf),
		cmocka_unit_test(test_conf_fields),
		cmocka_unit_test(test_conf_malformed),
		cmocka_unit_test(test_virt),
		cmocka_unit_test(test_earliest_compatible),
		cmocka_unit_test(test_disabled),
		cmocka_unit_test(test_bad_blobs),
		cmocka_unit_test(test_built_tree),
		cmocka_unit_test(test_rpi3),
	};
	int rc;

	if (argc < 3) {
		fprintf(stderr, "usage: %s virt.dtb drivers.conf [rpi3.dtb]\n", argv[0]);
		return 1;
	}
	virt = slurp(argv[1], &virt_size);
	sample = slurp(argv[2], &sample_size);
	if (argc > 3)
		rpi = slurp(argv[3], &rpi_size);
	else
		printf("no Raspberry Pi 3 dtb (make rpi3-dtb): test_rpi3 skipped\n");
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	free(virt);
	free(sample);
	free(rpi);
	return rc;
}
