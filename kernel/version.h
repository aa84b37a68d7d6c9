/*
 * kernel/version.h: what uname(2) and sys:uname report.
 */
#ifndef KERNEL_VERSION_H
#define KERNEL_VERSION_H

#define ANODE_SYSNAME "Anode"
#define ANODE_NODENAME "anode"
#define ANODE_RELEASE "0.1.0"
#define ANODE_VERSION "#1 SMP-ready microkernel"
#define ANODE_MACHINE "aarch64"

#endif
