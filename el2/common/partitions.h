/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * The secure partitions of the QEMU target, in one place: EL3 configures
 * its SPMC model with them, the EL2 stub takes their UUIDs as platform
 * configuration (what a 1.1+ caller gets when the SPMC speaks 1.0, whose
 * descriptors carry none), and the client checks what it is told.
 */
#ifndef EL2_PARTITIONS_H
#define EL2_PARTITIONS_H

#include <stdint.h>

struct board_partition {
	uint16_t id;
	uint16_t exec_ctx;
	uint32_t props; /* FFA_PART_PROP_* as FF-A 1.2 defines them */
	uint8_t uuid[16];
};

#define BOARD_PARTITION_COUNT 2
static const struct board_partition board_partitions[BOARD_PARTITION_COUNT] = {
	/* direct requests in and out (also REQ2), indirect messages,
	 * AArch64 */
	{ 0x8001, 2, 0x707,
	  { 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0x11, 0x22, 0x33,
	    0x44, 0x55, 0x66, 0x77, 0x88 } },
	/* receives direct requests, AArch64, subscribed to VM_CREATED and
	 * VM_DESTROYED (bits 6/7: the hypervisor's business, never shown to
	 * a VM) */
	{ 0x8002, 1, 0x1c1,
	  { 0xa0, 0xa1, 0xa2, 0xa3, 0xb0, 0xb1, 0xc0, 0xc1, 0xd0, 0xd1, 0xd2,
	    0xd3, 0xd4, 0xd5, 0xd6, 0xd7 } },
};

#endif /* EL2_PARTITIONS_H */
