/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * The memory transaction descriptor codec (DEN0077A 1.0/1.1/1.2, tables
 * "memory transaction descriptor", "endpoint memory access descriptor",
 * "composite memory region descriptor"): untrusted bytes <-> one
 * normalised form, and back out in any version. Freestanding, stateless.
 *
 * Layouts (ffa-facts section 5):
 *   1.0   header 32 bytes, EMADs at 32, 16-byte EMADs
 *   1.1   header 48 bytes with EMAD size (16), count and offset fields
 *   1.2+  as 1.1, EMADs of 32 bytes (16-byte IMPDEF value at 8); a 1.2
 *         sender may still use 16-byte EMADs (Hafnium accepts any EMAD
 *         size of a compatible older version)
 * Composite header (16 bytes) and constituents (16 bytes each: u64 base,
 * u32 4 KiB page count, u32 reserved) are identical in every version, so a
 * translation re-emits header + EMADs + composite header and copies the
 * validated constituents verbatim. Later fragments hold whole constituents
 * only.
 *
 * Contract for every parser here: `buf` is a private copy (the proxy read
 * it from the caller or the SPMC exactly once); nothing outside
 * [buf, buf + frag_len) is read, and no count or offset found inside is
 * trusted before it has been checked. Each refusal fills `err` with the
 * FF-A status for the caller, a static reason and the offending value.
 */
#ifndef FFAPROXY_MEM_H
#define FFAPROXY_MEM_H

#include <ffaproxy/ffa.h>

/* Transaction types, as the retrieve flags bits[4:3] number them. */
#define FFA_MEM_TXN_SHARE 1u
#define FFA_MEM_TXN_LEND 2u
#define FFA_MEM_TXN_DONATE 3u

/* Endpoint access descriptors one transaction may carry (Hafnium's
 * MAX_MEM_SHARE_RECIPIENTS is a build option; 8 covers real use). */
#define FFA_MEM_MAX_RECEIVERS 8u

/* Sizes of the fixed parts. */
#define FFA_MEM_HEADER_SIZE_V1_0 32u
#define FFA_MEM_HEADER_SIZE_V1_1 48u
#define FFA_MEM_EMAD_SIZE_V1_0 16u /* also 1.1 */
#define FFA_MEM_EMAD_SIZE_V1_2 32u
#define FFA_MEM_COMPOSITE_SIZE 16u
#define FFA_MEM_CONSTITUENT_SIZE 16u
#define FFA_MEM_IMPDEF_SIZE 16u

/* Permissions byte of an EMAD: bits[1:0] data, bits[3:2] instruction. */
#define FFA_MEM_PERM_DATA_MASK 0x3u
#define FFA_MEM_PERM_DATA_UNSPEC 0x0u
#define FFA_MEM_PERM_RO 0x1u
#define FFA_MEM_PERM_RW 0x2u
#define FFA_MEM_PERM_INSTR_SHIFT 2
#define FFA_MEM_PERM_INSTR_MASK (0x3u << FFA_MEM_PERM_INSTR_SHIFT)
#define FFA_MEM_PERM_NX (0x1u << FFA_MEM_PERM_INSTR_SHIFT)
#define FFA_MEM_PERM_X (0x2u << FFA_MEM_PERM_INSTR_SHIFT)

/* Memory region attributes: bits[5:4] type, [3:2] cacheability or device
 * type, [1:0] shareability, bit 6 NS (1.1+, only in retrieve responses). */
#define FFA_MEM_ATTR_TYPE_SHIFT 4
#define FFA_MEM_ATTR_TYPE_MASK (0x3u << FFA_MEM_ATTR_TYPE_SHIFT)
#define FFA_MEM_ATTR_DEVICE (0x1u << FFA_MEM_ATTR_TYPE_SHIFT)
#define FFA_MEM_ATTR_NORMAL (0x2u << FFA_MEM_ATTR_TYPE_SHIFT)
#define FFA_MEM_ATTR_CACHE_SHIFT 2
#define FFA_MEM_ATTR_CACHE_MASK (0x3u << FFA_MEM_ATTR_CACHE_SHIFT)
#define FFA_MEM_ATTR_NON_CACHEABLE (0x1u << FFA_MEM_ATTR_CACHE_SHIFT)
#define FFA_MEM_ATTR_WRITE_BACK (0x3u << FFA_MEM_ATTR_CACHE_SHIFT)
#define FFA_MEM_ATTR_SHARE_MASK 0x3u
#define FFA_MEM_ATTR_OUTER_SHAREABLE 0x2u
#define FFA_MEM_ATTR_INNER_SHAREABLE 0x3u
#define FFA_MEM_ATTR_NS (1u << 6)

/* Transaction descriptor flags. */
#define FFA_MEM_FLAG_ZERO (1u << 0)       /* LEND/DONATE: zero memory */
#define FFA_MEM_FLAG_TIME_SLICE (1u << 1) /* operation time slicing */
/* Retrieve (request and response) flags, bits[9:0]. */
#define FFA_MEM_RETRIEVE_FLAG_ZERO_AFTER (1u << 2)
#define FFA_MEM_RETRIEVE_FLAG_TYPE_SHIFT 3
#define FFA_MEM_RETRIEVE_FLAG_TYPE_MASK (0x3u << 3)
#define FFA_MEM_RETRIEVE_FLAGS_DEFINED 0x3ffu
/* Of those, what a response may carry (DEN0077A 1.0 Table 5.22): bit 0
 * (zeroed before retrieval) and the transaction type; bits[2:1] and
 * [31:5] MBZ. */
#define FFA_MEM_RETRIEVE_RESP_FLAGS_DEFINED                                  \
	(FFA_MEM_FLAG_ZERO | FFA_MEM_RETRIEVE_FLAG_TYPE_MASK)

/* Relinquish descriptor flags. */
#define FFA_MEM_RELINQUISH_FLAG_ZERO (1u << 0)
#define FFA_MEM_RELINQUISH_FLAG_TIME_SLICE (1u << 1)

/* A refusal, as data. */
struct ffa_mem_error {
	int32_t status;  /* FF-A status the caller gets (negative) */
	const char *why; /* static, precise reason */
	uint64_t value;  /* the offending value */
};

struct ffa_mem_receiver {
	uint16_t id;
	uint8_t perms;
	uint8_t flags;
	uint32_t composite_offset; /* as given in the source */
	uint8_t impdef[FFA_MEM_IMPDEF_SIZE]; /* 1.2 EMADs; zero otherwise */
};

/*
 * The normalised form. The first group is the transaction itself (what a
 * translation must preserve); the second says where things were in the
 * source bytes, so the caller can find the constituents there.
 */
struct ffa_mem_txn {
	uint16_t sender;
	uint16_t attributes;
	uint32_t flags;
	uint64_t handle;
	uint64_t tag;
	uint32_t receiver_count;
	struct ffa_mem_receiver receivers[FFA_MEM_MAX_RECEIVERS];
	uint32_t total_pages; /* composite: total page count (4 KiB pages) */
	uint32_t range_count; /* composite: address range count */

	/* Layout of the source. */
	uint32_t version;             /* layout parsed (1.0, 1.1 or 1.2) */
	uint32_t header_size;         /* 32 or 48 */
	uint32_t emad_size;           /* 16 or 32 */
	uint32_t emad_offset;         /* 32 for 1.0; as given for 1.1+ */
	uint32_t composite_offset;    /* offset of the composite header */
	uint32_t constituents_offset; /* composite_offset + 16 */
	uint32_t constituents_in_fragment; /* whole ones in [0, frag_len) */
	uint32_t total_len, frag_len;
};

/*
 * Parse the first fragment of a MEM_SHARE / LEND / DONATE descriptor
 * (txn_type FFA_MEM_TXN_*) laid out for `version`. `frag_len` bytes are
 * present at `buf`; `total_len` is the whole descriptor (w1). Returns 0 or
 * a negative FF-A status (with `err` filled). On success `out` holds the
 * transaction and the constituents present are at
 * buf + out->constituents_offset, out->constituents_in_fragment of them,
 * not yet checked (use ffa_mem_check_constituents).
 *
 * Enforced here (ffa-facts section 5, each with its source in the code):
 * lengths multiples of 16, frag <= total; header, EMAD array and
 * composite header inside the first fragment; EMAD size/offset of the
 * version; 1..FFA_MEM_MAX_RECEIVERS receivers, unique and != sender;
 * permissions per type; EMAD flags and every reserved field zero; equal,
 * 16-aligned composite offsets past the EMAD array; total_len ==
 * composite offset + 16 + 16 * range count and at least one range;
 * attributes and flags per type; handle zero.
 * Not here (needs context): sender == caller, sum of pages == total page
 * count (at the last fragment), overlaps, page ownership.
 * The sender is read before any rule past the lengths (multiples of 16,
 * frag <= total, a whole header of the version): a refusal by a later
 * rule leaves it in out->sender, so that a caller can answer a foreign
 * sender first (DENIED), as Hafnium does; a refusal before leaves
 * out->sender as it was.
 */
int ffa_mem_parse(uint32_t version, uint32_t txn_type, const uint8_t *buf,
		  uint32_t frag_len, uint32_t total_len, struct ffa_mem_txn *out,
		  struct ffa_mem_error *err);

/* Every receiver of a parsed transaction (one at least) is a secure
 * partition: the proxy's callers share with the secure world only. */
static inline int ffa_mem_receivers_secure(const struct ffa_mem_txn *t,
					   struct ffa_mem_error *err)
{
	uint32_t i;

	for (i = 0; i == 0 || i < t->receiver_count; i++)
		if (!ffa_id_is_secure(t->receivers[i].id)) {
			*err = (struct ffa_mem_error){
				FFA_INVALID_PARAMETERS,
				"receiver is not a secure partition",
				t->receivers[i].id
			};
			return err->status;
		}
	return 0;
}

/*
 * How much of a first fragment of `frag_len` bytes ffa_mem_parse reads,
 * as far as its first `have` bytes at `buf` tell: a length from `have`
 * to `frag_len`. Start with have = 0; fetch up to the length returned
 * and call again while *more (three rounds at most, one or two for the
 * usual header): ffa_mem_parse then reads nothing past `have`, whatever
 * the bytes, and when it succeeds `have` is constituents_offset. So a
 * caller's header can be copied in without its constituents, and no
 * byte is fetched twice.
 */
uint32_t ffa_mem_parse_extent(uint32_t version, const uint8_t *buf,
			      uint32_t have, uint32_t frag_len, bool *more);

/*
 * Parse the first fragment of an FFA_MEM_RETRIEVE_RESP from the SPMC
 * (`len` bytes present, `total_len` in all). Same layout and structural
 * rules as ffa_mem_parse; the policy differs: NS attribute bit allowed
 * (1.1+), the response's flags (bit 0, never on a share, and a
 * transaction type, which must be there), EMAD flags bit 0 carried as
 * given (bits[7:1] MBZ), permissions may be unspecified, handle must
 * not be all-ones.
 */
int ffa_mem_parse_retrieve_resp(uint32_t version, const uint8_t *buf,
				uint32_t len, uint32_t total_len,
				struct ffa_mem_txn *out,
				struct ffa_mem_error *err);

/*
 * Check `count` constituents at `p` (16 bytes each, inside the caller's
 * copy): base aligned to `granule` (4096, 16384 or 65536 bytes), page
 * count nonzero and page count * 4 KiB a multiple of the granule (pKVM
 * 6a7a181f), reserved word zero, base + size not wrapping. Adds their
 * pages to *pages (so one sum can run across fragments). Returns 0 or a
 * negative FF-A status; on failure err->value is the offending base
 * address (or page count) and *pages is unchanged.
 */
int ffa_mem_check_constituents(const uint8_t *p, uint32_t count,
			       uint32_t granule, uint64_t *pages,
			       struct ffa_mem_error *err);

/* Running totals of a constituent check that continues over several
 * calls. Start with { pages so far, 0, true }. */
struct ffa_mem_cons_sum {
	uint64_t pages;  /* page counts added up */
	uint64_t end;    /* end (bytes) of the last constituent checked */
	bool ascending;  /* each range began at or after the previous end */
};

/*
 * ffa_mem_check_constituents' checks, copying each constituent to `dst`
 * (may equal `src`) and, unless NULL, to `dst2`, in one pass. Adds to
 * sum->pages and clears sum->ascending unless every range begins at or
 * after the end of the one before (which proves that none overlap;
 * otherwise see ffa_mem_ranges_overlap). On failure *sum is unchanged
 * and the destinations hold some of the constituents, unchecked: use
 * them only on success (on failure `src` is read again to name the first
 * bad constituent). `src` and the destinations are 8-byte aligned
 * (descriptors in page-aligned buffers are): constituents move as whole
 * doublewords.
 */
int ffa_mem_copy_constituents(const uint8_t *src, uint32_t count,
			      uint32_t granule, uint8_t *dst, uint8_t *dst2,
			      struct ffa_mem_cons_sum *sum,
			      struct ffa_mem_error *err);

/*
 * A later fragment (FFA_MEM_FRAG_TX or a retrieve response continued
 * with FRAG_RX): `frag_len` bytes where `remaining` are still expected.
 * It must be nonzero, a multiple of 16 and no more than `remaining`; sets
 * *count to the constituents it holds.
 */
int ffa_mem_check_fragment(uint32_t frag_len, uint32_t remaining,
			   uint32_t *count, struct ffa_mem_error *err);

/* Overlap detection. A range is [base, end) in bytes. */
struct ffa_mem_range {
	uint64_t base;
	uint64_t end;
};

/* Fill `out` from `count` constituents that passed
 * ffa_mem_check_constituents (so end never wraps). */
void ffa_mem_ranges_load(const uint8_t *p, uint32_t count,
			 struct ffa_mem_range *out);

/*
 * Sorts `r` in place by base (heap sort: O(n log n), no recursion, no
 * allocation) and refuses (INVALID_PARAMETERS, err->value = the base of
 * the later range) if any two overlap. Ranges that merely touch are fine.
 *
 * Across fragments: keep one scratch array per transaction, append each
 * fragment's ranges and call this over the union (sorting an array that
 * is already mostly sorted is still O(n log n)); or call it per fragment
 * and rely on page ownership: pages of earlier fragments are no longer
 * "owned" once transitioned, so an overlapping later range fails its
 * page transition. The second needs no per-transaction scratch beyond
 * one fragment, but reports the overlap as the platform's DENIED rather
 * than INVALID_PARAMETERS.
 */
int ffa_mem_ranges_overlap(struct ffa_mem_range *r, uint32_t count,
			   struct ffa_mem_error *err);

/* Bytes before the composite header when emitted in `version` for
 * `receiver_count` receivers (header + EMAD array); 0 if unsupported. */
uint32_t ffa_mem_header_size(uint32_t version, uint32_t receiver_count);

/* Bytes ffa_mem_emit writes: header + EMADs + composite header, i.e. the
 * offset of the first constituent; 0 if unsupported. */
uint32_t ffa_mem_emit_size(uint32_t version, uint32_t receiver_count);

/*
 * Write `t` in the layout of `version`: header, EMADs packed right after
 * it (1.1+: EMAD offset 48, EMAD size of the version), composite header
 * right after them; every reserved field zero and every EMAD's composite
 * offset pointing at the emitted composite. The caller appends the
 * t->range_count constituents (verbatim) at offset *len. Emitting 1.0 or
 * 1.1 drops the 1.2 IMPDEF values; emitting 1.0 drops the NS attribute
 * bit (1.0 has none). Returns 0, INVALID_PARAMETERS for a receiver count
 * outside 1..FFA_MEM_MAX_RECEIVERS or an unsupported version, NO_MEMORY
 * when `cap` is too small.
 */
int ffa_mem_emit(uint32_t version, const struct ffa_mem_txn *t, uint8_t *out,
		 uint32_t cap, uint32_t *len);

/* True when a and b describe the same transaction (the first group of
 * fields of struct ffa_mem_txn); IMPDEF values are compared only when
 * both sources carried them (32-byte EMADs). */
bool ffa_mem_txn_same(const struct ffa_mem_txn *a, const struct ffa_mem_txn *b);

/*
 * Relinquish descriptor (same in every version): u64 handle, u32 flags,
 * u32 endpoint count, u16 ids. Writes 16 + 2 * count bytes. Flags other
 * than FFA_MEM_RELINQUISH_FLAG_* or a count of 0 get INVALID_PARAMETERS,
 * a small `cap` NO_MEMORY.
 */
int ffa_mem_emit_relinquish(uint64_t handle, uint32_t flags,
			    const uint16_t *ids, uint32_t count, uint8_t *out,
			    uint32_t cap, uint32_t *len);

#endif /* FFAPROXY_MEM_H */
