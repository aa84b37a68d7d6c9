/*
 * kernel/scheme/initfs_blob.S: the initfs archive (build/initfs.img, made by
 * tools/mkinitfs from user programs, tests and EXTRA_DIR) carried in the
 * kernel image's read-only data, page aligned so that its file data (page
 * aligned within the archive) can be mapped into user space directly.
 */
	.section .rodata.initfs, "a"
	.balign 4096
	.global initfs_archive_start
initfs_archive_start:
	.incbin INITFS_IMAGE
	.global initfs_archive_end
initfs_archive_end:
