/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/* Helpers shared by the small buffer codecs (rxtx_desc.c, msg2.c), and
 * the memory codec's extent, inline for the share path (mem.c). */
#ifndef FFAPROXY_CODEC_H
#define FFAPROXY_CODEC_H

#include <ffaproxy/mem.h>

/* Fill `err` (may be NULL) and return `status`. */
static inline int ffa_codec_refuse(struct ffa_mem_error *err, int32_t status,
				   const char *why, uint64_t value)
{
	if (err) {
		err->status = status;
		err->why = why;
		err->value = value;
	}
	return status;
}

static inline bool ffa_codec_zero(const uint8_t *p, uint32_t n)
{
	uint8_t acc = 0;

	while (n--)
		acc |= *p++;
	return acc == 0;
}

static inline void ffa_codec_clear(void *p, uint32_t n)
{
	uint8_t *b = p;

	while (n--)
		*b++ = 0;
}

/* The FF-A minor version a buffer layout follows: 1..3 for 1.1..1.3,
 * 0 for 1.0, -1 for anything that is not a 1.x version. */
static inline int ffa_codec_minor(uint32_t version)
{
	if ((version & (1u << 31)) || ffa_version_major(version) != 1 ||
	    ffa_version_minor(version) > 3)
		return -1;
	return (int)ffa_version_minor(version);
}

/* A buffer format that FF-A 1.1 introduced: 0 for 1.1..1.3,
 * NOT_SUPPORTED for 1.0 (`why_1_0`), INVALID_PARAMETERS otherwise. */
static inline int ffa_codec_since_1_1(uint32_t version, const char *why_1_0,
				      struct ffa_mem_error *err)
{
	int minor = ffa_codec_minor(version);

	if (minor < 0)
		return ffa_codec_refuse(err, FFA_INVALID_PARAMETERS,
					"not an FF-A 1.x version", version);
	if (minor == 0)
		return ffa_codec_refuse(err, FFA_NOT_SUPPORTED, why_1_0,
					version);
	return 0;
}

/* The usual 1.2 header whole: one 32-byte EMAD at 48 and its composite
 * right after it, 96 bytes. A 1.2+ caller's first read takes these. */
#define FFA_MEM_USUAL_V1_2_SIZE                              \
	(FFA_MEM_HEADER_SIZE_V1_1 + FFA_MEM_EMAD_SIZE_V1_2 + \
	 FFA_MEM_COMPOSITE_SIZE)

/* A caller's first read: its version's usual header (one EMAD of the
 * layout's size right after the header, the composite right after it),
 * all that ffa_mem_parse_screen reads for that version: 64 bytes for
 * 1.0, 80 for 1.1 (for these two, the extent's first answer),
 * FFA_MEM_USUAL_V1_2_SIZE for 1.2+. */
static inline uint32_t ffa_mem_usual_size(uint32_t version)
{
	if (version >= FFA_VERSION_1_2)
		return FFA_MEM_USUAL_V1_2_SIZE;
	return version == FFA_VERSION_1_1
		       ? FFA_MEM_HEADER_SIZE_V1_1 + FFA_MEM_EMAD_SIZE_V1_0 +
				 FFA_MEM_COMPOSITE_SIZE
		       : FFA_MEM_HEADER_SIZE_V1_0 + FFA_MEM_EMAD_SIZE_V1_0 +
				 FFA_MEM_COMPOSITE_SIZE;
}

/* Whether `buf`'s first `have` bytes are exactly the usual 1.2 header:
 * EMAD size 32 and count 1 (at 24 and 28), EMAD offset 48 (at 32), and
 * EMAD 0's composite offset 80 (at 52). For every version but 1.0 (which
 * has no size or offset fields) the extent's arithmetic answers `have`,
 * nothing more to read, for such a header; the few tests say it sooner. */
static inline bool ffa_mem_usual_v1_2(const uint8_t *buf, uint32_t have)
{
	return have == FFA_MEM_USUAL_V1_2_SIZE &&
	       ffa_get64(buf + 24) ==
		       (FFA_MEM_EMAD_SIZE_V1_2 | (uint64_t)1 << 32) &&
	       ffa_get32(buf + 32) == FFA_MEM_HEADER_SIZE_V1_1 &&
	       ffa_get32(buf + FFA_MEM_HEADER_SIZE_V1_1 + 4) ==
		       FFA_MEM_HEADER_SIZE_V1_1 + FFA_MEM_EMAD_SIZE_V1_2;
}

/*
 * ffa_mem_parse_extent (include/ffaproxy/mem.h) without its fast case,
 * inline: the share path calls it with have = 0 first, which leaves a
 * comparison or two. It mirrors parse_layout's reads (src/mem_codec.c):
 * the header; the EMAD array, whose end a well-formed header gives, and the composite where
 * EMAD 0 puts it (if that is not read yet, the composite that usually
 * follows the EMADs). Each read of parse_layout comes after the bounds
 * check that makes it lie within these. A descriptor that parses has its
 * constituents at or after each length returned.
 */
static inline uint32_t ffa_mem_extent_rules(uint32_t version,
					    const uint8_t *buf, uint32_t have,
					    uint32_t frag_len, bool *more)
{
	/* 1.0..1.3 are 0x10000..0x10003: one unsigned comparison. */
	uint32_t minor = version - FFA_VERSION_1_0;
	uint64_t need, emad_offset, emad_size, count, comp;
	bool final;

	if (minor > 3u) {
		*more = false;
		return have;
	}
	need = minor ? FFA_MEM_HEADER_SIZE_V1_1 : FFA_MEM_HEADER_SIZE_V1_0;
	if (have < need) {
		/* The smallest valid header (one 16-byte EMAD and the
		 * composite): one read for the common case, and never a
		 * constituent of a descriptor that parses. */
		need += FFA_MEM_EMAD_SIZE_V1_0 + FFA_MEM_COMPOSITE_SIZE;
		final = false;
	} else {
		/* EMAD count at 28; 1.1+: EMAD size at 24, offset at 32. */
		count = ffa_get32(buf + 28);
		emad_offset = minor ? ffa_get32(buf + 32)
				    : FFA_MEM_HEADER_SIZE_V1_0;
		emad_size = minor ? ffa_get32(buf + 24) : FFA_MEM_EMAD_SIZE_V1_0;
		/* Below 2^64: (2^32 - 1)^2 + 2^33. */
		need = emad_offset + count * emad_size;
		/* Once EMAD 0's composite offset (at 4 in it) is in,
		 * nothing read later changes the answer. */
		final = !count || have >= emad_offset + 8;
		if (count && final) {
			comp = ffa_get32(buf + emad_offset + 4);
			if (comp > need)
				need = comp;
		}
		need += FFA_MEM_COMPOSITE_SIZE;
	}
	if (need > frag_len)
		need = frag_len;
	if (need < have)
		need = have;
	*more = !final && need > have;
	return (uint32_t)need;
}

/* ffa_mem_parse_extent: the usual 1.2 header at once, else the
 * arithmetic (which answers the same for it: test_mem_codec and
 * fuzz_mem_codec compare the two). The share path asks the fast case
 * itself, first, to keep its answer a constant. */
static inline uint32_t ffa_mem_extent(uint32_t version, const uint8_t *buf,
				      uint32_t have, uint32_t frag_len,
				      bool *more)
{
	if (version != FFA_VERSION_1_0 && ffa_mem_usual_v1_2(buf, have)) {
		*more = false;
		return have;
	}
	return ffa_mem_extent_rules(version, buf, have, frag_len, more);
}

/* 16 bytes at any address, as one block: a 16-byte move where the
 * target has one. */
typedef struct {
	uint8_t b[16];
} __attribute__((packed, may_alias)) ffa_codec_block16;

/*
 * ffa_mem_emit into a 1.2 or 1.3 SPMC's buffer, as a copy: for a
 * descriptor whose first bytes are the usual 1.2 header
 * (ffa_mem_usual_v1_2) and that ffa_mem_parse accepted (as the screen
 * does one with 32-byte EMADs), the SPMC's layout is the caller's, and
 * ffa_mem_emit's bytes are exactly those 96:
 * every field as found, every reserved field, the handle included, zero
 * (which the parse checked). False, nothing written, for another SPMC
 * version or a buffer too small: ffa_mem_emit then. test_mem_codec and
 * fuzz_mem_codec compare the two.
 */
static inline bool ffa_mem_emit_usual(uint32_t version, const uint8_t *src,
				      uint8_t *out, uint32_t cap,
				      uint32_t *len)
{
	const ffa_codec_block16 *s = (const void *)src;
	ffa_codec_block16 *d = (void *)out;

	if (version - FFA_VERSION_1_2 > 1u || cap < FFA_MEM_USUAL_V1_2_SIZE)
		return false;
	d[0] = s[0];
	d[1] = s[1];
	d[2] = s[2];
	d[3] = s[3];
	d[4] = s[4];
	d[5] = s[5];
	*len = FFA_MEM_USUAL_V1_2_SIZE;
	return true;
}

/*
 * ffa_mem_emit_usual for a usual header of 16-byte EMADs (one EMAD
 * right after the header, the composite right after it), as
 * ffa_mem_parse_screen takes it: `size` (its constituents' offset) is 64
 * for the 32-byte 1.0 header, 80 for the 48-byte one of 1.1 and later.
 * Into a 1.0 SPMC's buffer the 64 bytes, into a 1.1 SPMC's the 80, are
 * ffa_mem_emit's bytes exactly (a 1.2+ caller's 16-byte EMAD header is
 * 1.1's layout); false, nothing written, otherwise. test_mem_codec and
 * fuzz_mem_codec compare the two.
 */
bool ffa_mem_emit_usual_16(uint32_t version, uint32_t size,
			   const uint8_t *src, uint8_t *out, uint32_t cap,
			   uint32_t *len);

/*
 * ffa_mem_parse without its screen: every rule checked in turn. What
 * ffa_mem_parse returns (status, reason, value, and the transaction on
 * success) must be exactly this; the unit test and fuzz_mem_codec
 * compare the two, since the screen restates the rules in whole words.
 */
int ffa_mem_parse_rules(uint32_t version, uint32_t txn_type,
			const uint8_t *buf, uint32_t frag_len,
			uint32_t total_len, struct ffa_mem_txn *out,
			struct ffa_mem_error *err);

/* Whether ffa_mem_parse's screen alone takes the descriptor, parsed
 * into `out` as ffa_mem_parse would (false on a big-endian build, which
 * has none). It reads no byte past the first
 * ffa_mem_usual_size(version), so the share path asks it first, on its
 * first read. Tests also check that it takes the standard layouts: a
 * screen declining everything, which the rules would hide, fails them. */
bool ffa_mem_parse_screen(uint32_t version, uint32_t txn_type,
			  const uint8_t *buf, uint32_t frag_len,
			  uint32_t total_len, struct ffa_mem_txn *out);

#endif /* FFAPROXY_CODEC_H */
