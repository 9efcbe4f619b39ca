/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * The partition information descriptor codec (FFA_PARTITION_INFO_GET;
 * DEN0077A 1.0 and 1.1, ffa-facts section 7): untrusted bytes <-> one
 * normalised entry, and back out in any version. Freestanding, stateless.
 *
 * Layouts:
 *   1.0       8 bytes: u16 id, u16 execution context count, u32 properties
 *   1.1, 1.2  24 bytes: as 1.0, then the partition's 16-byte UUID
 * A 1.1+ producer reports its descriptor size in w3 and consumers stride
 * by it (so a later version's longer descriptor, e.g. 48 bytes in 1.3,
 * still parses: its first 24 bytes are the 1.1 layout); a 1.0 producer's
 * size is implied.
 *
 * Contract for the parsers: `buf` is a private copy (read from the SPMC
 * exactly once); nothing outside [buf, buf + len) is read, and neither
 * the count nor the size is trusted before it has been checked. Each
 * refusal fills `err` with the FF-A status for the caller, a static
 * reason and the offending value.
 */
#ifndef FFAPROXY_PARTINFO_H
#define FFAPROXY_PARTINFO_H

#include <ffaproxy/ffa.h>

#define FFA_PARTINFO_UUID_SIZE 16u

/* A refusal, as data (the shape of struct ffa_mem_error). */
struct ffa_partinfo_error {
	int32_t status;  /* FF-A status the caller gets (negative) */
	const char *why; /* static, precise reason */
	uint64_t value;  /* the offending value */
};

/* One descriptor, normalised. */
struct ffa_partinfo {
	uint16_t id;       /* a secure partition: bit 15 set */
	uint16_t exec_ctx; /* execution context count */
	uint32_t props;    /* only the bits the source version defines */
	bool has_uuid;     /* the source carried one (1.1+ layouts) */
	uint8_t uuid[FFA_PARTINFO_UUID_SIZE]; /* descriptor byte order;
					       * zero without one */
};

/* Descriptor size `version` uses (8 for 1.0, 24 for 1.1 and 1.2); 0 for
 * a version the codec does not know. */
uint32_t ffa_partinfo_size(uint32_t version);

/* Properties `version` defines: 1.0 bits 0-2 (direct request receive and
 * send, indirect messages); 1.1 adds 3 (notifications), 5:4 (id type), 8
 * (AArch64); 1.2 adds 9 and 10 (DIRECT_REQ2 receive and send). 0 for an
 * unknown version. */
uint32_t ffa_partinfo_props_mask(uint32_t version);

/* `props` with only the bits `version` defines for the id type props
 * gives (bits 5:4): bits 0-3, 6-7 and 9-10 are a PE endpoint's (0b00),
 * reserved for stream endpoints and auxiliary ids (DEN0077A 1.2 table
 * 6.2). What ffa_partinfo_parse keeps. */
uint32_t ffa_partinfo_props_valid(uint32_t version, uint32_t props);

/*
 * Check an array the SPMC produced at `version`: `count` descriptors of
 * `desc_size` bytes (w2 and w3 of its reply; pass
 * FFA_PARTITION_INFO_SIZE_V1_0 for a 1.0 producer, whose w3 means
 * nothing) inside `len` bytes. The size must be the version's (1.0:
 * exactly 8; 1.1+: a multiple of 8 of at least 24). Returns 0 or ABORTED
 * (the SPMC broke the protocol; the caller gets ABORTED).
 */
int ffa_partinfo_check(uint32_t version, uint32_t count, uint32_t desc_size,
		       uint32_t len, struct ffa_partinfo_error *err);

/*
 * Parse descriptor `index` of an array of `desc_size`-byte descriptors
 * produced at `version`, `len` bytes present at `buf`. Refuses (ABORTED)
 * a version the codec does not know, a size ffa_partinfo_check would
 * refuse, a descriptor not wholly inside `len`, and an id without bit 15
 * (an SPMC reports secure partitions only). On success `out` has the
 * properties masked to `version` and, for 1.1+, the UUID.
 */
int ffa_partinfo_parse(uint32_t version, const uint8_t *buf, uint32_t len,
		       uint32_t desc_size, uint32_t index,
		       struct ffa_partinfo *out, struct ffa_partinfo_error *err);

/*
 * Write `in` as one descriptor of `version` at `out` (`cap` bytes there):
 * ffa_partinfo_size(version) bytes, properties masked to the bits
 * `version` defines; for 1.1+ the UUID, nil when `in` has none (fill it
 * first when it can be known, see docs/discovery.md). Sets *len to the
 * bytes written. Returns 0, INVALID_PARAMETERS for an unknown version,
 * NO_MEMORY when `cap` is too small (nothing written).
 */
int ffa_partinfo_emit(uint32_t version, const struct ffa_partinfo *in,
		      uint8_t *out, uint32_t cap, uint32_t *len);

/*
 * True when a and b describe the same partition: id, execution contexts
 * and the properties both sources define (masks of `version_a` and
 * `version_b`); UUIDs only when both carry one. For round trips:
 * parse(v1) -> emit(v2) -> parse(v2) is the same as the first parse.
 */
bool ffa_partinfo_same(const struct ffa_partinfo *a, uint32_t version_a,
		       const struct ffa_partinfo *b, uint32_t version_b);

#endif /* FFAPROXY_PARTINFO_H */
