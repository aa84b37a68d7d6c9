/*
 * kernel/scheme/initfs.c: the initfs archive reader (see kernel/scheme/initfs.h and the
 * format in kernel/scheme/initfs_format.h). Shared by the freestanding kernel,
 * tools/mkinitfs and the host tests, so it uses only <string.h> functions
 * and never allocates. Fields are read with memcpy, so the archive needs
 * no alignment, and converted from little-endian.
 */
#include <string.h>

#include "kernel/lib/errno.h"
#include "kernel/scheme/initfs.h"
#include "kernel/scheme/initfs_crc_hw.h"

#define HDR_SIZE sizeof(struct initfs_header)
#define ENT_SIZE sizeof(struct initfs_entry)

/* CRC-32, reflected polynomial 0xEDB88320, one byte per step. */
static const uint32_t crc_table[256] = {
	0x00000000, 0x77073096, 0xee0e612c, 0x990951ba, 0x076dc419, 0x706af48f,
	0xe963a535, 0x9e6495a3, 0x0edb8832, 0x79dcb8a4, 0xe0d5e91e, 0x97d2d988,
	0x09b64c2b, 0x7eb17cbd, 0xe7b82d07, 0x90bf1d91, 0x1db71064, 0x6ab020f2,
	0xf3b97148, 0x84be41de, 0x1adad47d, 0x6ddde4eb, 0xf4d4b551, 0x83d385c7,
	0x136c9856, 0x646ba8c0, 0xfd62f97a, 0x8a65c9ec, 0x14015c4f, 0x63066cd9,
	0xfa0f3d63, 0x8d080df5, 0x3b6e20c8, 0x4c69105e, 0xd56041e4, 0xa2677172,
	0x3c03e4d1, 0x4b04d447, 0xd20d85fd, 0xa50ab56b, 0x35b5a8fa, 0x42b2986c,
	0xdbbbc9d6, 0xacbcf940, 0x32d86ce3, 0x45df5c75, 0xdcd60dcf, 0xabd13d59,
	0x26d930ac, 0x51de003a, 0xc8d75180, 0xbfd06116, 0x21b4f4b5, 0x56b3c423,
	0xcfba9599, 0xb8bda50f, 0x2802b89e, 0x5f058808, 0xc60cd9b2, 0xb10be924,
	0x2f6f7c87, 0x58684c11, 0xc1611dab, 0xb6662d3d, 0x76dc4190, 0x01db7106,
	0x98d220bc, 0xefd5102a, 0x71b18589, 0x06b6b51f, 0x9fbfe4a5, 0xe8b8d433,
	0x7807c9a2, 0x0f00f934, 0x9609a88e, 0xe10e9818, 0x7f6a0dbb, 0x086d3d2d,
	0x91646c97, 0xe6635c01, 0x6b6b51f4, 0x1c6c6162, 0x856530d8, 0xf262004e,
	0x6c0695ed, 0x1b01a57b, 0x8208f4c1, 0xf50fc457, 0x65b0d9c6, 0x12b7e950,
	0x8bbeb8ea, 0xfcb9887c, 0x62dd1ddf, 0x15da2d49, 0x8cd37cf3, 0xfbd44c65,
	0x4db26158, 0x3ab551ce, 0xa3bc0074, 0xd4bb30e2, 0x4adfa541, 0x3dd895d7,
	0xa4d1c46d, 0xd3d6f4fb, 0x4369e96a, 0x346ed9fc, 0xad678846, 0xda60b8d0,
	0x44042d73, 0x33031de5, 0xaa0a4c5f, 0xdd0d7cc9, 0x5005713c, 0x270241aa,
	0xbe0b1010, 0xc90c2086, 0x5768b525, 0x206f85b3, 0xb966d409, 0xce61e49f,
	0x5edef90e, 0x29d9c998, 0xb0d09822, 0xc7d7a8b4, 0x59b33d17, 0x2eb40d81,
	0xb7bd5c3b, 0xc0ba6cad, 0xedb88320, 0x9abfb3b6, 0x03b6e20c, 0x74b1d29a,
	0xead54739, 0x9dd277af, 0x04db2615, 0x73dc1683, 0xe3630b12, 0x94643b84,
	0x0d6d6a3e, 0x7a6a5aa8, 0xe40ecf0b, 0x9309ff9d, 0x0a00ae27, 0x7d079eb1,
	0xf00f9344, 0x8708a3d2, 0x1e01f268, 0x6906c2fe, 0xf762575d, 0x806567cb,
	0x196c3671, 0x6e6b06e7, 0xfed41b76, 0x89d32be0, 0x10da7a5a, 0x67dd4acc,
	0xf9b9df6f, 0x8ebeeff9, 0x17b7be43, 0x60b08ed5, 0xd6d6a3e8, 0xa1d1937e,
	0x38d8c2c4, 0x4fdff252, 0xd1bb67f1, 0xa6bc5767, 0x3fb506dd, 0x48b2364b,
	0xd80d2bda, 0xaf0a1b4c, 0x36034af6, 0x41047a60, 0xdf60efc3, 0xa867df55,
	0x316e8eef, 0x4669be79, 0xcb61b38c, 0xbc66831a, 0x256fd2a0, 0x5268e236,
	0xcc0c7795, 0xbb0b4703, 0x220216b9, 0x5505262f, 0xc5ba3bbe, 0xb2bd0b28,
	0x2bb45a92, 0x5cb36a04, 0xc2d7ffa7, 0xb5d0cf31, 0x2cd99e8b, 0x5bdeae1d,
	0x9b64c2b0, 0xec63f226, 0x756aa39c, 0x026d930a, 0x9c0906a9, 0xeb0e363f,
	0x72076785, 0x05005713, 0x95bf4a82, 0xe2b87a14, 0x7bb12bae, 0x0cb61b38,
	0x92d28e9b, 0xe5d5be0d, 0x7cdcefb7, 0x0bdbdf21, 0x86d3d2d4, 0xf1d4e242,
	0x68ddb3f8, 0x1fda836e, 0x81be16cd, 0xf6b9265b, 0x6fb077e1, 0x18b74777,
	0x88085ae6, 0xff0f6a70, 0x66063bca, 0x11010b5c, 0x8f659eff, 0xf862ae69,
	0x616bffd3, 0x166ccf45, 0xa00ae278, 0xd70dd2ee, 0x4e048354, 0x3903b3c2,
	0xa7672661, 0xd06016f7, 0x4969474d, 0x3e6e77db, 0xaed16a4a, 0xd9d65adc,
	0x40df0b66, 0x37d83bf0, 0xa9bcae53, 0xdebb9ec5, 0x47b2cf7f, 0x30b5ffe9,
	0xbdbdf21c, 0xcabac28a, 0x53b39330, 0x24b4a3a6, 0xbad03605, 0xcdd70693,
	0x54de5729, 0x23d967bf, 0xb3667a2e, 0xc4614ab8, 0x5d681b02, 0x2a6f2b94,
	0xb40bbe37, 0xc30c8ea1, 0x5a05df1b, 0x2d02ef8d,
};

uint32_t initfs_crc32(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	crc = ~crc;
	if (initfs_crc_hw_ok())
		return ~initfs_crc_hw(crc, p, len);
	while (len--)
		crc = crc_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

static void read_entry(const uint8_t *base, uint32_t index, struct initfs_entry *e)
{
	memcpy(e, base + HDR_SIZE + (size_t)index * ENT_SIZE, ENT_SIZE);
	e->mode = initfs_le32(e->mode);
	e->parent = initfs_le32(e->parent);
	e->name_offset = initfs_le32(e->name_offset);
	e->name_len = initfs_le32(e->name_len);
	e->data_offset = initfs_le64(e->data_offset);
	e->size = initfs_le64(e->size);
	e->uid = initfs_le32(e->uid);
	e->gid = initfs_le32(e->gid);
}

static bool is_dir(const struct initfs_entry *e)
{
	return (e->mode & INITFS_S_IFMT) == INITFS_S_IFDIR;
}

/* strcmp order on (pointer, length) names, which need not end in NUL. */
static int name_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int c = memcmp(a, b, MIN(alen, blen));

	if (c != 0)
		return c;
	return alen < blen ? -1 : alen > blen;
}

/* The (parent, name) key order of the entry table. */
static int key_cmp(uint32_t pa, const char *a, size_t alen,
		   uint32_t pb, const char *b, size_t blen)
{
	if (pa != pb)
		return pa < pb ? -1 : 1;
	return name_cmp(a, alen, b, blen);
}

/* Words OR-ed together a step when the padding is word aligned (it is:
 * it ends at a page boundary): every file's padding is checked at boot,
 * some 1M instructions a byte at a time. */
#define ZERO_WORD sizeof(uint64_t)
#define ZERO_STEP_WORDS 4

static uint64_t load_word(const uint8_t *p)
{
	uint64_t w;

	__builtin_memcpy(&w, p, sizeof(w)); /* the builtin: see initfs_crc_load64 */
	return w;
}

static bool all_zero(const uint8_t *p, size_t n)
{
	uint64_t acc = 0;

	for (; n > 0 && ((uintptr_t)p & (ZERO_WORD - 1)) != 0; n--)
		acc |= *p++;
	for (; n >= ZERO_STEP_WORDS * ZERO_WORD; n -= ZERO_STEP_WORDS * ZERO_WORD, p += ZERO_STEP_WORDS * ZERO_WORD)
		acc |= load_word(p) | load_word(p + ZERO_WORD) | load_word(p + 2 * ZERO_WORD) |
		       load_word(p + 3 * ZERO_WORD);
	for (; n >= ZERO_WORD; n -= ZERO_WORD, p += ZERO_WORD)
		acc |= load_word(p);
	while (n--)
		acc |= *p++;
	return acc == 0;
}

/* A name as the format allows it: 1..NAME_MAX bytes, no '/' or NUL, not . or .. */
static bool valid_name(const char *s, uint32_t len)
{
	if (len == 0 || len > INITFS_NAME_MAX)
		return false;
	if (memchr(s, '\0', len) != NULL || memchr(s, '/', len) != NULL)
		return false;
	if (s[0] == '.' && (len == 1 || (len == 2 && s[1] == '.')))
		return false;
	return true;
}

/* A link's target: 1..PATH_MAX-1 bytes after the name table, no NUL. */
static bool valid_link(const struct initfs *fs, const struct initfs_header *h,
		       const struct initfs_entry *e)
{
	if (e->size == 0 || e->size >= INITFS_PATH_MAX ||
	    e->data_offset < h->names_offset + h->names_size ||
	    e->data_offset > h->total_size || e->size > h->total_size - e->data_offset)
		return false;
	return memchr(fs->base + e->data_offset, '\0', e->size) == NULL;
}

/* Checks entry i of the archive being opened (the root when i == 0). */
static bool valid_entry(const struct initfs *fs, const struct initfs_header *h,
			uint32_t i, const struct initfs_entry *e)
{
	uint32_t type = e->mode & INITFS_S_IFMT;
	const char *name;

	if ((type != INITFS_S_IFDIR && type != INITFS_S_IFREG && type != INITFS_S_IFLNK) ||
	    (e->mode & ~(uint32_t)(INITFS_S_IFMT | INITFS_S_IPERM)) != 0)
		return false;
	/* The name and its NUL inside the name table. */
	if (e->name_offset >= h->names_size || e->name_len > h->names_size - 1 - e->name_offset)
		return false;
	name = fs->names + e->name_offset;
	if (name[e->name_len] != '\0')
		return false;
	if (i == INITFS_ROOT) {
		if (type != INITFS_S_IFDIR || e->parent != INITFS_ROOT || e->name_len != 0)
			return false;
	} else {
		struct initfs_entry p;

		if (!valid_name(name, e->name_len) || e->parent >= i)
			return false;
		read_entry(fs->base, e->parent, &p);
		if (!is_dir(&p))
			return false;
	}
	if (type == INITFS_S_IFLNK)
		return valid_link(fs, h, e);
	if (type == INITFS_S_IFDIR || e->size == 0)
		return e->data_offset == 0 && e->size == 0;
	/* Non-empty file: aligned, in the data area, zero-padded to a page. */
	if (!IS_ALIGNED(e->data_offset, INITFS_DATA_ALIGN) || e->data_offset < h->data_offset ||
	    e->data_offset > h->total_size || e->size > h->total_size - e->data_offset)
		return false;
	uint64_t end = e->data_offset + e->size;
	/* total_size is aligned, so the padded end is inside the archive. */
	return all_zero(fs->base + end, ALIGN_UP(end, (uint64_t)INITFS_DATA_ALIGN) - end);
}

static int open_checked(struct initfs *fs, const uint8_t *base, size_t size, bool check_crc)
{
	static const uint8_t zero_crc[4];
	struct initfs_header h;
	struct initfs_entry prev = { 0 }, e;
	uint32_t crc;

	if (base == NULL || size < HDR_SIZE)
		return -EINVAL;
	memcpy(&h, base, HDR_SIZE);
	if (memcmp(h.magic, INITFS_MAGIC, INITFS_MAGIC_LEN) != 0 ||
	    initfs_le32(h.version) != INITFS_VERSION ||
	    initfs_le32(h.header_size) != HDR_SIZE || initfs_le32(h.entry_size) != ENT_SIZE ||
	    initfs_le32(h.flags) != 0)
		return -EINVAL;
	h.total_size = initfs_le64(h.total_size);
	h.crc32 = initfs_le32(h.crc32);
	h.entry_count = initfs_le32(h.entry_count);
	h.names_offset = initfs_le64(h.names_offset);
	h.names_size = initfs_le64(h.names_size);
	h.data_offset = initfs_le64(h.data_offset);

	if (h.total_size > size || h.total_size < HDR_SIZE ||
	    !IS_ALIGNED(h.total_size, INITFS_DATA_ALIGN))
		return -EINVAL;
	if (check_crc) {
		crc = initfs_crc32(0, base, INITFS_CRC_OFFSET);
		crc = initfs_crc32(crc, zero_crc, sizeof(zero_crc));
		crc = initfs_crc32(crc, base + INITFS_CRC_OFFSET + 4,
				   h.total_size - INITFS_CRC_OFFSET - 4);
		if (crc != h.crc32)
			return -EINVAL;
	}

	/* The tables, in order, inside the archive (no sum can overflow:
	 * entry_count is bounded and every other term is checked first). */
	if (h.entry_count == 0 || h.entry_count > INITFS_MAX_ENTRIES ||
	    h.names_offset != HDR_SIZE + (uint64_t)h.entry_count * ENT_SIZE ||
	    h.names_offset > h.total_size || h.names_size == 0 ||
	    h.names_size > h.total_size - h.names_offset ||
	    !IS_ALIGNED(h.data_offset, INITFS_DATA_ALIGN) ||
	    h.data_offset < h.names_offset + h.names_size || h.data_offset > h.total_size)
		return -EINVAL;

	fs->base = base;
	fs->size = h.total_size;
	fs->count = h.entry_count;
	fs->names = (const char *)base + h.names_offset;
	for (uint32_t i = 0; i < h.entry_count; i++) {
		read_entry(base, i, &e);
		if (!valid_entry(fs, &h, i, &e))
			return -EINVAL;
		/* Strictly increasing (parent, name) after the root. */
		if (i >= 2 && key_cmp(prev.parent, fs->names + prev.name_offset, prev.name_len,
				      e.parent, fs->names + e.name_offset, e.name_len) >= 0)
			return -EINVAL;
		prev = e;
	}
	return 0;
}

int initfs_open(struct initfs *fs, const void *blob, size_t size)
{
	int err = open_checked(fs, blob, size, true);

	if (err != 0)
		memset(fs, 0, sizeof(*fs));
	return err;
}

int initfs_open_verified(struct initfs *fs, const void *blob, size_t size)
{
	int err = open_checked(fs, blob, size, false);

	if (err != 0)
		memset(fs, 0, sizeof(*fs));
	return err;
}

static void fill_stat(const struct initfs *fs, uint32_t index, const struct initfs_entry *e,
		      struct initfs_stat *st)
{
	if (st == NULL)
		return;
	st->index = index;
	st->parent = e->parent;
	st->mode = e->mode;
	st->size = e->size;
	st->data = is_dir(e) ? NULL : fs->base + e->data_offset;
	st->ino = (uint64_t)index + 1;
	st->uid = e->uid;
	st->gid = e->gid;
}

int initfs_stat_index(const struct initfs *fs, uint32_t index, struct initfs_stat *st)
{
	struct initfs_entry e;

	if (fs == NULL || index >= fs->count)
		return -ENOENT;
	read_entry(fs->base, index, &e);
	fill_stat(fs, index, &e, st);
	return 0;
}

const char *initfs_name(const struct initfs *fs, uint32_t index)
{
	struct initfs_entry e;

	if (fs == NULL || index >= fs->count)
		return NULL;
	read_entry(fs->base, index, &e);
	return fs->names + e.name_offset;
}

/* The child of dir called name[0, len), or -ENOENT: a binary search. */
static int find_child(const struct initfs *fs, uint32_t dir, const char *name, size_t len)
{
	uint32_t lo = 1, hi = fs->count;
	struct initfs_entry e;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int c;

		read_entry(fs->base, mid, &e);
		c = key_cmp(e.parent, fs->names + e.name_offset, e.name_len, dir, name, len);
		if (c == 0)
			return (int)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -ENOENT;
}

int initfs_lookup_at(const struct initfs *fs, uint32_t dir, const char *path,
		     struct initfs_stat *st)
{
	struct initfs_entry e;
	uint32_t cur = dir;
	size_t len;
	const char *p;

	if (fs == NULL || fs->count == 0 || path == NULL)
		return -EINVAL;
	if (dir >= fs->count)
		return -ENOENT;
	len = strnlen(path, INITFS_PATH_MAX);
	if (len == INITFS_PATH_MAX)
		return -ENAMETOOLONG;
	if (path[0] == '/')
		cur = INITFS_ROOT;
	read_entry(fs->base, cur, &e);
	for (p = path;;) {
		const char *q;
		size_t n;

		while (*p == '/')
			p++;
		if (*p == '\0')
			break;
		for (q = p; *q != '\0' && *q != '/'; q++)
			;
		n = (size_t)(q - p);
		if (!is_dir(&e))
			return -ENOTDIR;
		if (n > INITFS_NAME_MAX)
			return -ENAMETOOLONG;
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			cur = e.parent;
		} else if (!(n == 1 && p[0] == '.')) {
			int child = find_child(fs, cur, p, n);

			if (child < 0)
				return child;
			cur = (uint32_t)child;
		}
		read_entry(fs->base, cur, &e);
		p = q;
	}
	if (len > 0 && path[len - 1] == '/' && !is_dir(&e))
		return -ENOTDIR;
	fill_stat(fs, cur, &e, st);
	return (int)cur;
}

int initfs_lookup(const struct initfs *fs, const char *path, struct initfs_stat *st)
{
	return initfs_lookup_at(fs, INITFS_ROOT, path, st);
}

int initfs_readdir(const struct initfs *fs, uint32_t dir_index, uint32_t *cursor,
		   const char **name, struct initfs_stat *st)
{
	struct initfs_entry e;
	uint32_t lo = 1, hi;

	if (fs == NULL || dir_index >= fs->count)
		return -ENOENT;
	read_entry(fs->base, dir_index, &e);
	if (!is_dir(&e))
		return -ENOTDIR;
	/* The first entry whose parent is >= dir_index: its first child, if any. */
	hi = fs->count;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		read_entry(fs->base, mid, &e);
		if (e.parent < dir_index)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (*cursor >= fs->count - lo)
		return 0;
	read_entry(fs->base, lo + *cursor, &e);
	if (e.parent != dir_index)
		return 0;
	fill_stat(fs, lo + *cursor, &e, st);
	if (name != NULL)
		*name = fs->names + e.name_offset;
	(*cursor)++;
	return 1;
}
