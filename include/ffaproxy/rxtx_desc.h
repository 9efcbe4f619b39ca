/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * The endpoint RX/TX descriptor codec (DEN0077A 1.1 table 13.27 "Endpoint
 * RX/TX descriptor"; Hafnium struct ffa_endpoint_rx_tx_descriptor and
 * ffa_endpoint_rx_tx_descriptor_init()). A hypervisor that maps a VM's
 * RX/TX pair at the SPMC calls FFA_RXTX_MAP with x1 = x2 = w3 = 0 and puts
 * this descriptor in its own TX buffer. Freestanding, stateless.
 *
 * Layout (the same in 1.1, 1.2 and 1.3; FF-A 1.0 has no such descriptor):
 *   0   u16 endpoint id
 *   2   u16 reserved, MBZ
 *   4   u32 offset of the RX buffer's composite memory region descriptor
 *   8   u32 offset of the TX buffer's composite memory region descriptor
 *   12  u32 reserved, MBZ (Hafnium: "pad" to 16 bytes)
 * Offsets count from the start of the descriptor and are 8-byte aligned
 * (DEN0077A 1.1 table 13.27). Each composite is the memory transaction
 * one (mem.h): u32 total pages, u32 range count, u64 reserved MBZ, then
 * 16-byte constituents (u64 base, u32 4 KiB pages, u32 reserved MBZ).
 *
 * Contract as in mem.h: `buf` is a private copy; nothing outside
 * [buf, buf + len) is read; no offset or count found inside is trusted
 * before it has been checked; refusals fill a struct ffa_mem_error.
 */
#ifndef FFAPROXY_RXTX_DESC_H
#define FFAPROXY_RXTX_DESC_H

#include <ffaproxy/mem.h>

#define FFA_RXTX_DESC_HEADER_SIZE 16u
/* Constituents one buffer may have. A buffer is at most 63 pages
 * (FFA_RXTX_MAP w3[5:0]); Hafnium reads only the first constituent. */
#define FFA_RXTX_DESC_MAX_RANGES 16u

struct ffa_rxtx_range {
	uint64_t base;  /* 4 KiB aligned */
	uint32_t pages; /* 4 KiB pages, >= 1 */
};

struct ffa_rxtx_buffer {
	uint32_t pages;       /* composite total page count */
	uint32_t range_count; /* 1..FFA_RXTX_DESC_MAX_RANGES */
	struct ffa_rxtx_range ranges[FFA_RXTX_DESC_MAX_RANGES];
	uint32_t offset;      /* composite offset as given in the source */
};

/* The normalised form: the endpoint and its two buffers. */
struct ffa_rxtx_desc {
	uint16_t endpoint;
	struct ffa_rxtx_buffer rx, tx;
};

/*
 * Parse `len` bytes at `buf` as an endpoint RX/TX descriptor of
 * `version`. Returns 0, or a negative FF-A status with `err` filled:
 * NOT_SUPPORTED for FF-A 1.0, INVALID_PARAMETERS for everything else.
 *
 * Enforced (each with its source in the code): header inside `len`,
 * reserved fields zero, endpoint id not secure; each composite offset
 * 8-aligned, past the header, its header and constituents inside `len`,
 * 1..FFA_RXTX_DESC_MAX_RANGES ranges; the two composites do not overlap;
 * constituents 4 KiB aligned, nonzero, reserved zero, not wrapping, no two
 * overlapping (in either buffer); page sum equal to the composite's total;
 * RX and TX of the same size (FFA_RXTX_MAP has one page count).
 * Not here (needs context): who owns the pages, the granule, the limit on
 * buffer size.
 */
int ffa_rxtx_desc_parse(uint32_t version, const uint8_t *buf, uint32_t len,
			struct ffa_rxtx_desc *out, struct ffa_mem_error *err);

/* Bytes ffa_rxtx_desc_emit writes for `d`; 0 if a range count is outside
 * 1..FFA_RXTX_DESC_MAX_RANGES. */
uint32_t ffa_rxtx_desc_emit_size(const struct ffa_rxtx_desc *d);

/*
 * Write `d` packed as Hafnium does: header, RX composite at 16, TX
 * composite right after it; reserved fields zero, the fields of `d`
 * written as they are (no rule is checked). Returns 0, NOT_SUPPORTED for 1.0,
 * INVALID_PARAMETERS for another unsupported version or a range count out
 * of bounds, NO_MEMORY when `cap` is too small (nothing written then).
 */
int ffa_rxtx_desc_emit(uint32_t version, const struct ffa_rxtx_desc *d,
		       uint8_t *out, uint32_t cap, uint32_t *len);

/* True when a and b name the same endpoint and the same ranges in the
 * same order (layout fields aside). */
bool ffa_rxtx_desc_same(const struct ffa_rxtx_desc *a,
			const struct ffa_rxtx_desc *b);

#endif /* FFAPROXY_RXTX_DESC_H */
