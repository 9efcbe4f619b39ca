/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * A memory transaction descriptor builder for the endpoints of the QEMU
 * target (the EL1 client and the host the EL2 stub plays), written from
 * the spec rather than with the proxy's codec, so that a codec bug cannot
 * cancel itself out.
 *
 * Layouts (DEN0077A 1.0/1.1/1.2; ffa-facts section 5):
 *   header   1.0: 32 bytes, EMADs at 32; 1.1+: 48 bytes, EMAD size at 24,
 *            count at 28, EMAD offset at 32
 *   EMAD     16 bytes (1.0, 1.1) or 32 (1.2): u16 id, u8 perms, u8 flags,
 *            u32 composite offset, reserved / IMPDEF
 *   composite 16 bytes: u32 total pages, u32 range count, u64 reserved;
 *            then 16-byte constituents: u64 base, u32 pages, u32 reserved
 */
#ifndef EL2_MEMDESC_H
#define EL2_MEMDESC_H

#include <stdint.h>

struct md_range {
	uint64_t base;
	uint32_t pages;
};

struct mdesc {
	uint32_t type; /* FFA_MEM_TXN_SHARE/LEND/DONATE */
	uint16_t sender;
	uint32_t nrecv; /* 1 or 2 */
	uint16_t recv[2];
	uint8_t perms[2];
	const struct md_range *ranges;
	uint32_t nranges;
	uint32_t bad_offset; /* nonzero: every EMAD's composite offset */
};

/* Write `d` in the layout of FF-A `version` (1.0, 1.1 or 1.2) to `out`;
 * the length in bytes, or 0 if it does not fit in `cap`. Share: normal
 * write-back inner-shareable memory; lend and donate leave the attributes
 * unspecified (to the borrower). */
uint32_t memdesc_build(uint8_t *out, uint32_t cap, uint32_t version,
		       const struct mdesc *d);

#endif /* EL2_MEMDESC_H */
