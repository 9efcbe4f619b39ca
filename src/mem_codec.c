/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * Memory transaction descriptor codec (see include/ffaproxy/mem.h).
 * Every rule cites where it comes from: DEN0077A, Hafnium's
 * ffa_memory_send_validate() and ffa_memory_region_sanity_check()
 * (src/ffa_memory.c), TF-A's EL3 SPMC spmc_validate_mtd_start() and
 * spmc_shmem_check_obj() (services/std_svc/spm/el3_spmc/spmc_shared_mem.c),
 * the Linux arm_ffa driver and pKVM's FF-A proxy.
 */
#include <ffaproxy/mem.h>

#include "codec.h"
#include "internal.h"
#include "mem_cons.h"

/* Header fields. Offsets 0..23 are common to every version. */
#define HDR_SENDER 0
#define HDR_ATTR 2
#define HDR_V1_0_RESERVED_BYTE 3 /* 1.0: u8 attributes, then u8 MBZ */
#define HDR_FLAGS 4
#define HDR_HANDLE 8
#define HDR_TAG 16
#define HDR_V1_0_RESERVED 24 /* 1.0: u32 MBZ */
#define HDR_EMAD_SIZE 24     /* 1.1+ */
#define HDR_EMAD_COUNT 28
#define HDR_EMAD_OFFSET 32   /* 1.1+ */
#define HDR_V1_1_RESERVED 36 /* 1.1+: 12 bytes MBZ */

/* EMAD fields. */
#define EMAD_ID 0
#define EMAD_PERMS 2
#define EMAD_FLAGS 3
#define EMAD_COMPOSITE 4
#define EMAD_IMPDEF 8      /* 1.2 32-byte EMAD; 8..15 MBZ in 16-byte ones */
#define EMAD_V1_2_RESERVED 24

/* Composite header fields. */
#define COMP_TOTAL_PAGES 0
#define COMP_RANGE_COUNT 4
#define COMP_RESERVED 8

/* Constituent fields. */
#define CONS_BASE 0
#define CONS_PAGES 8
#define CONS_RESERVED 12

static int refuse(struct ffa_mem_error *err, int32_t status, const char *why,
		  uint64_t value)
{
	if (err) {
		err->status = status;
		err->why = why;
		err->value = value;
	}
	return status;
}

#define BAD(why, value) refuse(err, FFA_INVALID_PARAMETERS, (why), (value))

/* Reserved fields are 8 or 12 bytes: a doubleword and a word. */
static bool all_zero(const uint8_t *p, uint32_t n)
{
	return !(ffa_get64(p) | (n > 8 ? ffa_get32(p + 8) : 0));
}

/* A little-endian doubleword at any address, as one store: gcc does
 * not merge ffa_put64's byte stores of a value assembled from fields.
 * A macro, as FFA_MEM_CONS_PUT: no pointer parameter written only
 * through a cast. */
typedef struct {
	uint64_t v;
} __attribute__((packed, may_alias)) ffa_dword_unaligned;

typedef struct {
	uint32_t v;
} __attribute__((packed, may_alias)) ffa_word_unaligned;

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define FFA_MEM_LE 1
#define put64(p, val) (((ffa_dword_unaligned *)(void *)(p))->v = (val))
#define get64(p) (((const ffa_dword_unaligned *)(const void *)(p))->v)
#define get32(p) (((const ffa_word_unaligned *)(const void *)(p))->v)

/* Little-endian, the normalised form lays some fields out as the
 * descriptor does: the header's first doubleword is sender, attributes
 * and flags; an EMAD's first is id, permissions, flags and composite
 * offset (struct ffa_mem_receiver); the composite's first is total
 * pages and range count. */
#define same_at(a, b)                                                        \
	(__builtin_offsetof(struct ffa_mem_txn, a) +                         \
		 sizeof(((struct ffa_mem_txn *)0)->a) ==                     \
	 __builtin_offsetof(struct ffa_mem_txn, b))
_Static_assert(__builtin_offsetof(struct ffa_mem_txn, sender) == 0 &&
		       same_at(sender, attributes) &&
		       same_at(attributes, flags) &&
		       sizeof(((struct ffa_mem_txn *)0)->flags) == 4 &&
		       same_at(total_pages, range_count) &&
		       same_at(version, header_size) &&
		       same_at(emad_size, emad_offset),
	       "struct ffa_mem_txn: doubleword pairs");
_Static_assert(__builtin_offsetof(struct ffa_mem_receiver, id) == 0 &&
		       __builtin_offsetof(struct ffa_mem_receiver, perms) == 2 &&
		       __builtin_offsetof(struct ffa_mem_receiver, flags) == 3 &&
		       __builtin_offsetof(struct ffa_mem_receiver,
					  composite_offset) == 4,
	       "struct ffa_mem_receiver: an EMAD's first doubleword");
#undef same_at
/* Sender, attributes and flags; id, permissions and flags; total pages
 * and range count: as the descriptor holds them. */
#define txn_head(t) get64(&(t)->sender)
#define rcv_head(r) ((uint64_t)get32(r))
#define txn_composite(t) get64(&(t)->total_pages)
#else
#define FFA_MEM_LE 0
#define put64(p, val) ffa_put64((p), (val))
#define get64(p) ffa_get64(p)
#define txn_head(t)                                                          \
	((t)->sender | (uint64_t)(t)->attributes << 16 |                     \
	 (uint64_t)(t)->flags << 32)
#define rcv_head(r)                                                          \
	((r)->id | (uint64_t)(r)->perms << 16 | (uint64_t)(r)->flags << 24)
#define txn_composite(t)                                                     \
	((t)->total_pages | (uint64_t)(t)->range_count << 32)
#endif

/* The 16 implementation-defined bytes of a 1.2 EMAD, as one block: a
 * 16-byte move where the target has one. */
typedef struct {
	uint8_t b[FFA_MEM_IMPDEF_SIZE];
} __attribute__((packed, may_alias)) ffa_impdef_unaligned;

#define copy_impdef(dst, src)                                                \
	(*(ffa_impdef_unaligned *)(void *)(dst) =                            \
		 *(const ffa_impdef_unaligned *)(const void *)(src))

/* The descriptor layout a version uses: 1.0, 1.1, or 1.2 for 1.2 and 1.3
 * (ffa-facts section 5: the 48-byte header since 1.1, 32-byte EMADs since
 * 1.2); 0 when unsupported. */
static uint32_t layout_of(uint32_t version)
{
	/* 1.0..1.3 are 0x10000..0x10003 (bit 31 clear, major 1): one
	 * unsigned comparison. 1.0 and 1.1 are their own layouts. */
	if (version - FFA_VERSION_1_0 > 3u)
		return 0;
	return version >= FFA_VERSION_1_2 ? FFA_VERSION_1_2 : version;
}

/*
 * Header, EMADs and composite header: the rules shared by send and
 * retrieve response descriptors. Fills everything in `out` but leaves the
 * policy (flags, attributes, permissions per type) to the callers.
 */
static inline __attribute__((always_inline)) int
parse_layout(uint32_t version, const uint8_t *buf, uint32_t frag_len,
	     uint32_t total_len, struct ffa_mem_txn *out,
	     struct ffa_mem_error *err)
{
	uint32_t layout = layout_of(version);
	uint32_t count, emad_size, emad_offset, comp, i, j;
	uint64_t emad_end, expected_total;
	const uint8_t *c;

	if (!layout)
		return BAD("unsupported FF-A version for a memory descriptor",
			   version);
	/* Lengths are multiples of 16 (Hafnium ffa_memory_send_validate;
	 * ffa-facts section 6) and the fragment is part of the whole. */
	if (frag_len % 16)
		return BAD("fragment length not a multiple of 16", frag_len);
	if (total_len % 16)
		return BAD("total length not a multiple of 16", total_len);
	if (frag_len > total_len)
		return BAD("fragment longer than the total length", frag_len);

	/* Every field is set below on the way to success (receivers up to
	 * the count); no clearing of the whole (large) structure. */
	out->version = layout;
	out->header_size = layout == FFA_VERSION_1_0 ? FFA_MEM_HEADER_SIZE_V1_0
						     : FFA_MEM_HEADER_SIZE_V1_1;
	if (frag_len < out->header_size)
		return BAD("fragment shorter than the header", frag_len);

	out->sender = ffa_get16(buf + HDR_SENDER);
	out->flags = ffa_get32(buf + HDR_FLAGS);
	out->handle = ffa_get64(buf + HDR_HANDLE);
	out->tag = ffa_get64(buf + HDR_TAG);
	count = ffa_get32(buf + HDR_EMAD_COUNT);

	if (layout == FFA_VERSION_1_0) {
		/* 1.0: u8 attributes, u8 reserved, u32 reserved at 24, EMADs
		 * packed at 32 (Hafnium ffa_v1_0.h, reserved_0/reserved_1
		 * checked in ffa_memory_region_sanity_check). */
		out->attributes = buf[HDR_ATTR];
		if (buf[HDR_V1_0_RESERVED_BYTE])
			return BAD("reserved header field not zero",
				   buf[HDR_V1_0_RESERVED_BYTE]);
		if (ffa_get32(buf + HDR_V1_0_RESERVED))
			return BAD("reserved header field not zero",
				   ffa_get32(buf + HDR_V1_0_RESERVED));
		emad_size = FFA_MEM_EMAD_SIZE_V1_0;
		emad_offset = FFA_MEM_HEADER_SIZE_V1_0;
	} else {
		out->attributes = ffa_get16(buf + HDR_ATTR);
		emad_size = ffa_get32(buf + HDR_EMAD_SIZE);
		emad_offset = ffa_get32(buf + HDR_EMAD_OFFSET);
		if (!all_zero(buf + HDR_V1_1_RESERVED, 12))
			return BAD("reserved header field not zero",
				   HDR_V1_1_RESERVED);
		/* The EMAD size names the layout of a compatible version:
		 * 16 for 1.1, 16 or 32 for 1.2 (Hafnium
		 * receiver_size_and_offset_valid_for_version()). */
		if (!(emad_size == FFA_MEM_EMAD_SIZE_V1_0 ||
		      (layout == FFA_VERSION_1_2 &&
		       emad_size == FFA_MEM_EMAD_SIZE_V1_2)))
			return BAD("EMAD size not valid for the version",
				   emad_size);
		/* The offset is honoured, gaps allowed (DEN0077A 1.1; the
		 * pKVM review of 2025 on ep_mem_offset), but it must be
		 * 16-aligned and past the header (TF-A
		 * spmc_validate_mtd_start()). */
		if (emad_offset < FFA_MEM_HEADER_SIZE_V1_1)
			return BAD("EMAD offset inside the header",
				   emad_offset);
		if (emad_offset % 16)
			return BAD("EMAD offset not 16-byte aligned",
				   emad_offset);
	}
	out->emad_size = emad_size;
	out->emad_offset = emad_offset;

	if (count == 0)
		return BAD("no receivers", count);
	if (count > FFA_MEM_MAX_RECEIVERS)
		return BAD("too many receivers", count);
	out->receiver_count = count;

	/* The whole EMAD array lies in the first fragment (pKVM a6b49d27:
	 * EMAD offset not checked against the fragment). */
	emad_end = (uint64_t)emad_offset + (uint64_t)count * emad_size;
	if (emad_end > frag_len)
		return BAD("EMAD array past the fragment", emad_end);

	for (i = 0; i < count; i++) {
		const uint8_t *e = buf + emad_offset + (size_t)i * emad_size;
		struct ffa_mem_receiver *r = &out->receivers[i];

		r->id = ffa_get16(e + EMAD_ID);
		r->perms = e[EMAD_PERMS];
		r->flags = e[EMAD_FLAGS];
		r->composite_offset = ffa_get32(e + EMAD_COMPOSITE);
		if (emad_size == FFA_MEM_EMAD_SIZE_V1_2) {
			copy_impdef(r->impdef, e + EMAD_IMPDEF);
			if (!all_zero(e + EMAD_V1_2_RESERVED, 8))
				return BAD("EMAD reserved field not zero", i);
		} else {
			/* No IMPDEF value in a 16-byte EMAD: zero. */
			put64(r->impdef, 0);
			put64(r->impdef + 8, 0);
			if (!all_zero(e + EMAD_IMPDEF, 8))
				return BAD("EMAD reserved field not zero", i);
		}
		/* Permissions: bits[7:4] MBZ, value 3 of either field is
		 * reserved (DEN0077A; Hafnium ffa_memory_send_validate). */
		if (r->perms & 0xf0u)
			return BAD("permission bits[7:4] not zero", r->perms);
		if ((r->perms & FFA_MEM_PERM_DATA_MASK) == 3u)
			return BAD("reserved data access permission", r->perms);
		if ((r->perms & FFA_MEM_PERM_INSTR_MASK) ==
		    FFA_MEM_PERM_INSTR_MASK)
			return BAD("reserved instruction access permission",
				   r->perms);
		/* One composite for all receivers (Hafnium, TF-A
		 * spmc_shmem_check_obj()). */
		if (r->composite_offset != out->receivers[0].composite_offset)
			return BAD("composite offsets differ between receivers",
				   r->composite_offset);
		/* Receivers unique and never the sender (Hafnium
		 * ffa_memory_send_validate, TF-A duplicated endpoint id). */
		if (r->id == out->sender)
			return BAD("receiver is the sender", r->id);
		for (j = 0; j < i; j++)
			if (out->receivers[j].id == r->id)
				return BAD("receiver listed twice", r->id);
	}

	/* Composite: 16-aligned, after the EMAD array, header within the
	 * first fragment (Hafnium ffa_memory_send_validate). */
	comp = out->receivers[0].composite_offset;
	if (comp % 16)
		return BAD("composite offset not 16-byte aligned", comp);
	if (comp < emad_end)
		return BAD("composite offset inside the header or EMADs", comp);
	if ((uint64_t)comp + FFA_MEM_COMPOSITE_SIZE > frag_len)
		return BAD("composite header past the fragment", comp);
	c = buf + comp;
	out->composite_offset = comp;
	out->constituents_offset = comp + FFA_MEM_COMPOSITE_SIZE;
	out->total_pages = ffa_get32(c + COMP_TOTAL_PAGES);
	out->range_count = ffa_get32(c + COMP_RANGE_COUNT);
	if (ffa_get64(c + COMP_RESERVED))
		return BAD("composite reserved field not zero",
			   ffa_get64(c + COMP_RESERVED));
	/* At least one range (Hafnium's minimum length counts one
	 * constituent), and the descriptor ends exactly after the last one
	 * (Hafnium constituent count vs length; TF-A expected_size). The
	 * count is never trusted to size anything else (pKVM 2022
	 * fragmentation rework). */
	if (out->range_count == 0)
		return BAD("no address ranges", 0);
	expected_total = (uint64_t)out->constituents_offset +
			 (uint64_t)out->range_count * FFA_MEM_CONSTITUENT_SIZE;
	if (expected_total != total_len)
		return BAD("total length does not match the address range count",
			   total_len);
	/* Every range has at least one page. */
	if (out->total_pages < out->range_count)
		return BAD("total page count below the address range count",
			   out->total_pages);

	out->total_len = total_len;
	out->frag_len = frag_len;
	out->constituents_in_fragment =
		(frag_len - out->constituents_offset) / FFA_MEM_CONSTITUENT_SIZE;
	return 0;
}

/* Attribute bits that no version defines: 1.0 has a u8 with bits[7:6]
 * reserved, 1.1+ a u16 with bits[15:7] MBZ and bit 6 NS. */
static uint16_t attr_undefined_bits(uint32_t layout)
{
	return layout == FFA_VERSION_1_0 ? (uint16_t)0xc0u : (uint16_t)0xff80u;
}

/* The rules of a send, each checked in turn: the first one broken is
 * the reason. Out of line: ffa_mem_parse comes here only for what its
 * screen does not accept at once (a refusal, several receivers). */
static __attribute__((noinline)) int
parse_send(uint32_t version, uint32_t txn_type, const uint8_t *buf,
	   uint32_t frag_len, uint32_t total_len, struct ffa_mem_txn *out,
	   struct ffa_mem_error *err)
{
	uint16_t attr, type;
	uint32_t i, data, instr;
	int ret;

	if (txn_type < FFA_MEM_TXN_SHARE || txn_type > FFA_MEM_TXN_DONATE)
		return BAD("unknown memory transaction type", txn_type);
	ret = parse_layout(version, buf, frag_len, total_len, out, err);
	if (ret)
		return ret;

	/* A donation transfers ownership to exactly one receiver (DEN0077A;
	 * Hafnium api_ffa_mem_send, "FFA_MEM_DONATE only supports one
	 * recipient"): the proxy would otherwise take the pages as DONATED
	 * for a transaction the specification does not define. The screen
	 * takes one receiver only, so this costs the share path nothing. */
	if (txn_type == FFA_MEM_TXN_DONATE && out->receiver_count != 1)
		return BAD("a donate names more than one receiver",
			   out->receiver_count);

	/* The SPMC (or the hypervisor) allocates the handle (DEN0077A:
	 * MBZ in SHARE/LEND/DONATE). */
	if (out->handle)
		return BAD("handle not zero in a send", out->handle);

	/* Flags: bit0 zero memory (never for a share: the sender keeps
	 * access; Hafnium), bit1 time slicing; others MBZ (DEN0077A). */
	if (out->flags & ~(FFA_MEM_FLAG_ZERO | FFA_MEM_FLAG_TIME_SLICE))
		return BAD("undefined transaction flags set", out->flags);
	if (txn_type == FFA_MEM_TXN_SHARE && (out->flags & FFA_MEM_FLAG_ZERO))
		return BAD("zero-memory flag on a share", out->flags);
	/* Bit 1, time slicing: "MBZ if the Relayer does not support time
	 * slicing of memory management operations, else the Relayer must
	 * return INVALID_PARAMETERS" (DEN0077A 1.0 Table 5.20). The proxy,
	 * the caller's Relayer, does not: it serves no FFA_MEM_OP_PAUSE or
	 * RESUME, and an SPMC's pause would orphan the transaction. */
	if (out->flags & FFA_MEM_FLAG_TIME_SLICE)
		return BAD("time-slicing flag: the proxy does not time slice",
			   out->flags);

	/* Attributes. NS is for the SPMC to set in retrieve responses; a
	 * sender must leave it clear (Hafnium, TF-A spmc_ffa_fill_desc). */
	attr = out->attributes;
	if (out->version != FFA_VERSION_1_0 && (attr & FFA_MEM_ATTR_NS))
		return BAD("NS attribute bit set by a sender", attr);
	if (attr & attr_undefined_bits(out->version))
		return BAD("reserved attribute bits set", attr);
	type = attr & FFA_MEM_ATTR_TYPE_MASK;
	if (type == FFA_MEM_ATTR_TYPE_MASK)
		return BAD("reserved memory type", attr);
	/* Donate, and lend to one borrower, leave the type to the borrower;
	 * a share or a lend to several must state it (Hafnium
	 * ffa_memory_send_validate; Linux ffa_memory_attributes_get()). */
	if (txn_type == FFA_MEM_TXN_DONATE ||
	    (txn_type == FFA_MEM_TXN_LEND && out->receiver_count == 1)) {
		if (type)
			return BAD("memory type must be unspecified for a lend "
				   "to one borrower or a donate",
				   attr);
	} else if (!type) {
		return BAD("memory type not specified for a share or a lend "
			   "to several borrowers",
			   attr);
	}
	/* With no type, bits[3:0] (cacheability or device type, and
	 * shareability) mean nothing and are ignored: DEN0077A asks only
	 * that a lend to one borrower or a donate state no type (1.0
	 * 5.11.4), as Hafnium checks; Arm's FF-A ACS lends with 0x0e,
	 * Hafnium's vmlib and TF-A's tftf with 0x0f. Forwarded as given. */
	if (type == FFA_MEM_ATTR_NORMAL) {
		/* Normal memory: cacheability 1 (non-cacheable) or 3
		 * (write-back), shareability 1 reserved (DEN0077A). */
		uint16_t cache = attr & FFA_MEM_ATTR_CACHE_MASK;

		if (cache != FFA_MEM_ATTR_NON_CACHEABLE &&
		    cache != FFA_MEM_ATTR_WRITE_BACK)
			return BAD("reserved cacheability", attr);
		if ((attr & FFA_MEM_ATTR_SHARE_MASK) == 1u)
			return BAD("reserved shareability", attr);
	} else if (type == FFA_MEM_ATTR_DEVICE &&
		   (attr & FFA_MEM_ATTR_SHARE_MASK)) {
		/* Device memory has no shareability: bits[1:0] are
		 * reserved, MBZ (DEN0077A 1.0 Table 5.18). */
		return BAD("shareability set for device memory", attr);
	}

	for (i = 0; i < out->receiver_count; i++) {
		const struct ffa_mem_receiver *r = &out->receivers[i];

		data = r->perms & FFA_MEM_PERM_DATA_MASK;
		instr = r->perms & FFA_MEM_PERM_INSTR_MASK;
		/* EMAD flags only mean something in retrieve requests
		 * (DEN0077A: MBZ otherwise). */
		if (r->flags)
			return BAD("EMAD flags not zero in a send", r->flags);
		/* The borrower asks for X/NX at retrieve; a sender leaves it
		 * unspecified (Hafnium ffa_memory_send_validate). */
		if (instr)
			return BAD("instruction access specified by the sender",
				   r->perms);
		/* Share and lend name RO or RW; a donate leaves it to the
		 * new owner (Hafnium ffa_memory_send_validate). */
		if (txn_type == FFA_MEM_TXN_DONATE) {
			if (data)
				return BAD("data access specified on a donate",
					   r->perms);
		} else if (!data) {
			return BAD("data access not specified", r->perms);
		}
		/* The zero-memory flag does not depend on a borrower's
		 * access: it is refused on a share (above) and when the
		 * owner has read-only access (DEN0077A 1.0 Table 5.20: the
		 * platform's page state, not the descriptor). */
	}
	return 0;
}

/* Attributes (bits[5:0]) that a share, or a lend to several borrowers,
 * may state, one bit each: device memory of any kind, shareability bits
 * zero (0x10, 0x14, 0x18, 0x1c); normal memory (0x20 | cacheability << 2
 * | shareability) non-cacheable (0x24..0x27) or write-back (0x2c..0x2f),
 * shareability not 1. */
#define ATTR_TYPED_OK                                                        \
	(0x1111ull << 16 | 0xd0ull << 32 | 0xd0ull << 40)

/* What the first header word (sender, attributes, flags) of a lend to one
 * borrower or a donation may hold: the sender, no memory type (the
 * attributes' bits[3:0], meaningless then, as given), and the
 * zero-memory flag (no time slicing: parse_send). */
#define LEND_DONATE_HEAD_OK                                                  \
	((uint64_t)FFA_MEM_FLAG_ZERO << 32 | 0xfull << 16 | 0xffffu)

/*
 * The common send at once: one receiver, every rule of parse_send
 * screened in a few tests of whole words. True only for a descriptor
 * that parse_send accepts, with `out` as parse_send fills it; false for
 * anything else, which parse_send then refuses with its reason (or
 * parses in full). `out` is written as the fields are found (what it
 * holds after a refusal is unspecified, as after parse_send's).
 * Little-endian: the header's first doubleword is sender, attributes
 * and flags as struct ffa_mem_txn lays them out, an EMAD's first one
 * id, permissions, flags and composite offset as struct
 * ffa_mem_receiver does, the composite's first one total pages and
 * range count as the transaction does.
 *
 * The screen takes the layout senders use (the Linux driver, Hafnium's
 * ffa_memory_region_init): the EMAD right after the header, the
 * composite right after the EMAD.
 * Each layout (`layout`, 1.0, 1.1 or 1.2; `emad_size`) is then its own
 * path whose offsets are constants: their alignment and order hold by
 * construction, and one comparison of the fragment's length puts them
 * all inside it. Other offsets, as valid, take the rules.
 */
#if FFA_MEM_LE
static inline __attribute__((always_inline)) bool
screen_send(uint32_t layout, uint32_t emad_size, uint32_t txn_type,
	    const uint8_t *buf, uint32_t frag_len, uint32_t total_len,
	    struct ffa_mem_txn *out)
{
	const uint32_t header = layout == FFA_VERSION_1_0
					? FFA_MEM_HEADER_SIZE_V1_0
					: FFA_MEM_HEADER_SIZE_V1_1;
	const uint32_t comp = header + emad_size;
	const uint8_t *e = buf + header;
	uint64_t h0, e0, c0;
	uint32_t ranges, pf;

	/* The composite header and a range in the first fragment. */
	if (frag_len < comp + FFA_MEM_COMPOSITE_SIZE + FFA_MEM_CONSTITUENT_SIZE)
		return false;
	if (layout == FFA_VERSION_1_0) {
		/* The reserved word at 24 zero and one receiver, in one
		 * doubleword. */
		if (get64(buf + HDR_V1_0_RESERVED) != (uint64_t)1 << 32)
			return false;
	} else {
		/* The EMAD offset (the header's size) and the first reserved
		 * word, one doubleword; the other reserved doubleword
		 * zero. The EMAD size and count are the caller's. */
		if ((get64(buf + HDR_EMAD_OFFSET) ^ FFA_MEM_HEADER_SIZE_V1_1) |
		    get64(buf + HDR_V1_1_RESERVED + 4))
			return false;
	}
	/* The EMAD's reserved bytes; its composite offset. */
	if (get64(e + (emad_size == FFA_MEM_EMAD_SIZE_V1_2 ? EMAD_V1_2_RESERVED
							   : EMAD_IMPDEF)) ||
	    get32(e + EMAD_COMPOSITE) != comp)
		return false;
	e0 = get64(e + EMAD_ID);
	c0 = get64(buf + comp + COMP_TOTAL_PAGES);
	ranges = (uint32_t)(c0 >> 32);
	/* The composite's reserved doubleword and the handle zero; no
	 * more ranges than pages; the descriptor ends after the last range
	 * (so there is one: the fragment holds it; and a total length that
	 * is not a multiple of 16 fails). */
	if (get64(buf + comp + COMP_RESERVED) | get64(buf + HDR_HANDLE) ||
	    ranges > (uint32_t)c0 ||
	    (uint64_t)ranges * FFA_MEM_CONSTITUENT_SIZE + comp +
			    FFA_MEM_COMPOSITE_SIZE !=
		    total_len)
		return false;
	/* Stored as found, so that fewer values stay in registers. */
	out->handle = 0;
	out->tag = get64(buf + HDR_TAG);
	out->receiver_count = 1;
	put64(&out->receivers[0], e0);
	if (emad_size == FFA_MEM_EMAD_SIZE_V1_2) {
		copy_impdef(out->receivers[0].impdef, e + EMAD_IMPDEF);
	} else {
		/* No IMPDEF value in a 16-byte EMAD: zero. */
		put64(out->receivers[0].impdef, 0);
		put64(out->receivers[0].impdef + 8, 0);
	}
	put64(&out->total_pages, c0);
	put64(&out->version, layout | (uint64_t)header << 32);
	put64(&out->emad_size, emad_size | (uint64_t)header << 32);
	put64(&out->composite_offset,
	      comp | (uint64_t)(comp + FFA_MEM_COMPOSITE_SIZE) << 32);
	out->constituents_in_fragment =
		(frag_len - comp - FFA_MEM_COMPOSITE_SIZE) /
		FFA_MEM_CONSTITUENT_SIZE;
	out->total_len = total_len;
	out->frag_len = frag_len;

	h0 = get64(buf + HDR_SENDER);
	/* The one receiver is not the sender. */
	if ((uint16_t)e0 == (uint16_t)h0)
		return false;
	/* Per type, with one receiver: flags (the zero flag never on a
	 * share), attributes (a lend to one borrower or a donate states
	 * none; 1.0's reserved byte is their high byte), permissions with
	 * the EMAD flags as one halfword (RO or RW for a share or a lend,
	 * none for a donate). */
	pf = (uint32_t)e0 >> 16;
	if (txn_type == FFA_MEM_TXN_SHARE) {
		/* RO or RW: one less is 0 or 1 (in the low word of the
		 * EMAD, the borrow of a zero halfword sets its top bits). */
		if (h0 & ~(0x3full << 16 | 0xffffu) ||
		    !(ATTR_TYPED_OK >> (h0 >> 16 & 0x3fu) & 1) ||
		    ((uint32_t)e0 - (FFA_MEM_PERM_RO << 16)) >> 17)
			return false;
	} else if (txn_type == FFA_MEM_TXN_LEND) {
		if (h0 & ~LEND_DONATE_HEAD_OK || pf - FFA_MEM_PERM_RO > 1u)
			return false;
	} else if (txn_type == FFA_MEM_TXN_DONATE) {
		if (h0 & ~LEND_DONATE_HEAD_OK || pf)
			return false;
	} else {
		return false;
	}
	put64(&out->sender, h0);
	return true;
}

static inline __attribute__((always_inline)) bool
parse_send_fast(uint32_t version, uint32_t txn_type, const uint8_t *buf,
		uint32_t frag_len, uint32_t total_len, struct ffa_mem_txn *out)
{
	uint64_t w24;

	/* The smallest first fragment of any layout below (a 1.0 one). */
	if (frag_len % 16 || frag_len > total_len ||
	    frag_len < FFA_MEM_HEADER_SIZE_V1_0 + FFA_MEM_EMAD_SIZE_V1_0 +
			       FFA_MEM_COMPOSITE_SIZE +
			       FFA_MEM_CONSTITUENT_SIZE)
		return false;
	/* EMAD size and count (one receiver) since 1.1: 32 since 1.2, or
	 * 16. 1.2 and 1.3 are 0x10002 and 0x10003: one comparison. */
	w24 = get64(buf + HDR_EMAD_SIZE);
	if (version - FFA_VERSION_1_2 <= 1u) {
		if (w24 == (FFA_MEM_EMAD_SIZE_V1_2 | (uint64_t)1 << 32))
			return screen_send(FFA_VERSION_1_2,
					   FFA_MEM_EMAD_SIZE_V1_2, txn_type,
					   buf, frag_len, total_len, out);
		if (w24 == (FFA_MEM_EMAD_SIZE_V1_0 | (uint64_t)1 << 32))
			return screen_send(FFA_VERSION_1_2,
					   FFA_MEM_EMAD_SIZE_V1_0, txn_type,
					   buf, frag_len, total_len, out);
		return false;
	}
	if (version == FFA_VERSION_1_1)
		return w24 == (FFA_MEM_EMAD_SIZE_V1_0 | (uint64_t)1 << 32) &&
		       screen_send(FFA_VERSION_1_1, FFA_MEM_EMAD_SIZE_V1_0,
				   txn_type, buf, frag_len, total_len, out);
	if (version == FFA_VERSION_1_0)
		return screen_send(FFA_VERSION_1_0, FFA_MEM_EMAD_SIZE_V1_0,
				   txn_type, buf, frag_len, total_len, out);
	return false;
}
#endif

int ffa_mem_parse(uint32_t version, uint32_t txn_type, const uint8_t *buf,
		  uint32_t frag_len, uint32_t total_len, struct ffa_mem_txn *out,
		  struct ffa_mem_error *err)
{
#if FFA_MEM_LE
	if (parse_send_fast(version, txn_type, buf, frag_len, total_len, out))
		return 0;
#endif
	/* ffa_mem_parse's own arguments: a jump, where they are. */
	return parse_send(version, txn_type, buf, frag_len, total_len, out,
			  err);
}

int ffa_mem_parse_rules(uint32_t version, uint32_t txn_type,
			const uint8_t *buf, uint32_t frag_len,
			uint32_t total_len, struct ffa_mem_txn *out,
			struct ffa_mem_error *err)
{
	return parse_send(version, txn_type, buf, frag_len, total_len, out,
			  err);
}

bool ffa_mem_parse_screen(uint32_t version, uint32_t txn_type,
			  const uint8_t *buf, uint32_t frag_len,
			  uint32_t total_len, struct ffa_mem_txn *out)
{
#if FFA_MEM_LE
	return parse_send_fast(version, txn_type, buf, frag_len, total_len,
			       out);
#else
	(void)version;
	(void)txn_type;
	(void)buf;
	(void)frag_len;
	(void)total_len;
	(void)out;
	return false;
#endif
}

int ffa_mem_parse_retrieve_resp(uint32_t version, const uint8_t *buf,
				uint32_t len, uint32_t total_len,
				struct ffa_mem_txn *out,
				struct ffa_mem_error *err)
{
	uint16_t attr;
	uint32_t i;
	int ret;

	/* The SPMC's bytes are as untrusted as a caller's (pKVM 8c6db30d). */
	ret = parse_layout(version, buf, len, total_len, out, err);
	if (ret)
		return ret;
	if (out->handle == ~(uint64_t)0)
		return BAD("invalid handle in a retrieve response", out->handle);
	/* Retrieve response flags (DEN0077A 1.0 Table 5.22): bit 0 says
	 * the region was zeroed (MBZ for a share), bits[4:3] the
	 * transaction type (b00 reserved); bits[2:1] and [31:5] MBZ: time
	 * slicing, zero after relinquish and the alignment hint belong to
	 * the request. Hafnium answers the sender's flags (clear at most)
	 * with the type added, TF-A's EL3 SPMC the type. */
	if (out->flags & ~FFA_MEM_RETRIEVE_RESP_FLAGS_DEFINED)
		return BAD("undefined retrieve flags set", out->flags);
	if (!(out->flags & FFA_MEM_RETRIEVE_FLAG_TYPE_MASK))
		return BAD("no transaction type in a retrieve response",
			   out->flags);
	if ((out->flags & FFA_MEM_RETRIEVE_FLAG_TYPE_MASK) ==
		    FFA_MEM_TXN_SHARE << FFA_MEM_RETRIEVE_FLAG_TYPE_SHIFT &&
	    (out->flags & FFA_MEM_FLAG_ZERO))
		return BAD("zeroed flag on a shared region", out->flags);
	/* EMAD flags: bit 0 (non-retrieval borrower), bits[7:1] MBZ
	 * (DEN0077A 1.0 Table 5.17). */
	for (i = 0; i < out->receiver_count; i++)
		if (out->receivers[i].flags & 0xfeu)
			return BAD("EMAD flags bits[7:1] not zero",
				   out->receivers[i].flags);
	attr = out->attributes;
	if (attr & attr_undefined_bits(out->version))
		return BAD("reserved attribute bits set", attr);
	if ((attr & FFA_MEM_ATTR_TYPE_MASK) == FFA_MEM_ATTR_TYPE_MASK)
		return BAD("reserved memory type", attr);
	return 0;
}

/* See codec.h. Out of line: the share path of a 1.2 SPMC, which does
 * not call it, stays as short as it was. */
bool ffa_mem_emit_usual_16(uint32_t version, uint32_t size,
			   const uint8_t *src, uint8_t *out, uint32_t cap,
			   uint32_t *len)
{
	const ffa_codec_block16 *s = (const void *)src;
	ffa_codec_block16 *d = (void *)out;
	uint32_t minor = version - FFA_VERSION_1_0;

	/* 1.0 and 1.1 are 0x10000 and 0x10001: one comparison. */
	if (minor > 1u ||
	    size != FFA_MEM_HEADER_SIZE_V1_0 + FFA_MEM_EMAD_SIZE_V1_0 +
			    FFA_MEM_COMPOSITE_SIZE + 16 * minor ||
	    cap < size)
		return false;
	d[0] = s[0];
	d[1] = s[1];
	d[2] = s[2];
	d[3] = s[3];
	/* 1.1's fifth block; for 1.0 its fourth again, the same bytes. */
	d[3 + minor] = s[3 + minor];
	*len = size;
	return true;
}

/* See ffa_mem_extent (codec.h). */
uint32_t ffa_mem_parse_extent(uint32_t version, const uint8_t *buf,
			      uint32_t have, uint32_t frag_len, bool *more)
{
	return ffa_mem_extent(version, buf, have, frag_len, more);
}

/* Why constituent `c` fails the checks of mem_cons.h (there is a
 * reason: it failed them), in the rules' order whichever test of the
 * loop (`site`) saw it. */
int ffa_mem_cons_reason(const uint8_t *c, uint32_t granule,
			struct ffa_mem_error *err, unsigned site)
{
	uint64_t base = ffa_get64(c + CONS_BASE);
	uint32_t n = ffa_get32(c + CONS_PAGES);
	uint64_t size = (uint64_t)n * FFA_PAGE_SIZE;

	(void)site;
	if (ffa_get32(c + CONS_RESERVED))
		return BAD("constituent reserved field not zero", base);
	if (n == 0)
		return BAD("constituent with zero pages", base);
	/* 16K/64K callers: whole granules only, else the stage-2 change
	 * would cover pages the caller did not name (pKVM 6a7a181f). */
	if (base % granule)
		return BAD("constituent base not aligned to the granule", base);
	if (size % granule)
		return BAD("constituent size not a multiple of the granule", n);
	/* The end must be representable (TF-A check_u64_overflow, Hafnium
	 * d467741c). */
	return BAD("constituent wraps the address space", base);
}

/* The first of `count` constituents at `c` that breaks a rule, checked
 * one after the other as ffa_mem_cons_take's unordered loop checks them,
 * and its reason. Called only once the loop's screen has seen one. */
int ffa_mem_cons_first_bad(const uint8_t *c, uint32_t count,
			   uint32_t granule, struct ffa_mem_error *err)
{
	uint32_t i;

	for (i = 0; i + 1 < count; i++, c += FFA_MEM_CONSTITUENT_SIZE) {
		uint64_t base = ffa_get64(c + CONS_BASE);
		uint64_t w = ffa_get64(c + CONS_PAGES);
		uint64_t next = base + w * FFA_PAGE_SIZE;

		if (w > UINT32_MAX || ((base | (w * FFA_PAGE_SIZE)) %
				       granule) || next <= base)
			break;
	}
	/* The screen failed: if none before it, the last one breaks a
	 * rule. */
	return ffa_mem_cons_reason(c, granule, err, 0);
}

int ffa_mem_cons_bad_call(uint32_t granule, uint64_t pages,
			  struct ffa_mem_error *err)
{
	if (granule != 4096u && granule != 16384u && granule != 65536u)
		return BAD("unsupported granule", granule);
	return BAD("page count overflow", pages);
}

int ffa_mem_check_constituents(const uint8_t *p, uint32_t count,
			       uint32_t granule, uint64_t *pages,
			       struct ffa_mem_error *err)
{
	struct ffa_mem_cons_sum sum = { *pages, 0, true };
	int ret = ffa_mem_cons_take(p, count, granule, NULL, NULL, &sum, err,
				    false, false);

	if (!ret)
		*pages = sum.pages;
	return ret;
}

int ffa_mem_copy_constituents(const uint8_t *src, uint32_t count,
			      uint32_t granule, uint8_t *dst, uint8_t *dst2,
			      struct ffa_mem_cons_sum *sum,
			      struct ffa_mem_error *err)
{
	if (dst2)
		return ffa_mem_cons_take(src, count, granule, dst, dst2, sum,
					 err, true, true);
	return ffa_mem_cons_take(src, count, granule, dst, NULL, sum, err,
				 true, false);
}

int ffa_mem_check_fragment(uint32_t frag_len, uint32_t remaining,
			   uint32_t *count, struct ffa_mem_error *err)
{
	if (frag_len == 0)
		return BAD("empty fragment", 0);
	if (frag_len % FFA_MEM_CONSTITUENT_SIZE)
		return BAD("fragment length not a multiple of 16", frag_len);
	if (frag_len > remaining)
		return BAD("fragment longer than the rest of the descriptor",
			   frag_len);
	*count = frag_len / FFA_MEM_CONSTITUENT_SIZE;
	return 0;
}

void ffa_mem_ranges_load(const uint8_t *p, uint32_t count,
			 struct ffa_mem_range *out)
{
	uint32_t i;

	for (i = 0; i < count; i++, p += FFA_MEM_CONSTITUENT_SIZE) {
		out[i].base = ffa_get64(p + CONS_BASE);
		out[i].end = out[i].base +
			     (uint64_t)ffa_get32(p + CONS_PAGES) * FFA_PAGE_SIZE;
	}
}

static void swap_ranges(struct ffa_mem_range *a, struct ffa_mem_range *b)
{
	struct ffa_mem_range t = *a;

	*a = *b;
	*b = t;
}

/* Move r[root] down the max-heap r[0..n). */
static void sift_down(struct ffa_mem_range *r, uint32_t root, uint32_t n)
{
	for (;;) {
		uint64_t child = 2 * (uint64_t)root + 1;
		uint32_t big;

		if (child >= n)
			return;
		big = (uint32_t)child;
		if (child + 1 < n && r[child + 1].base > r[big].base)
			big = (uint32_t)child + 1;
		if (r[big].base <= r[root].base)
			return;
		swap_ranges(&r[root], &r[big]);
		root = big;
	}
}

int ffa_mem_ranges_overlap(struct ffa_mem_range *r, uint32_t count,
			   struct ffa_mem_error *err)
{
	uint32_t i;

	if (count < 2)
		return 0;
	for (i = count / 2; i-- > 0;)
		sift_down(r, i, count);
	for (i = count - 1; i > 0; i--) {
		swap_ranges(&r[0], &r[i]);
		sift_down(r, 0, i);
	}
	/* Sorted by base and overlap-free so far, so r[i - 1] has the
	 * highest end seen. */
	for (i = 1; i < count; i++)
		if (r[i].base < r[i - 1].end)
			return BAD("constituents overlap", r[i].base);
	return 0;
}

static uint32_t emad_size_of(uint32_t layout)
{
	return layout == FFA_VERSION_1_2 ? FFA_MEM_EMAD_SIZE_V1_2
					 : FFA_MEM_EMAD_SIZE_V1_0;
}

/* Header + EMAD array of `receiver_count` receivers in `layout` (a
 * layout_of() answer); 0 if either is unsupported. */
static uint32_t header_size_of(uint32_t layout, uint32_t receiver_count)
{
	if (!layout || receiver_count == 0 ||
	    receiver_count > FFA_MEM_MAX_RECEIVERS)
		return 0;
	return (layout == FFA_VERSION_1_0 ? FFA_MEM_HEADER_SIZE_V1_0
					  : FFA_MEM_HEADER_SIZE_V1_1) +
	       receiver_count * emad_size_of(layout);
}

uint32_t ffa_mem_header_size(uint32_t version, uint32_t receiver_count)
{
	return header_size_of(layout_of(version), receiver_count);
}

uint32_t ffa_mem_emit_size(uint32_t version, uint32_t receiver_count)
{
	uint32_t h = ffa_mem_header_size(version, receiver_count);

	return h ? h + FFA_MEM_COMPOSITE_SIZE : 0;
}

/* Every byte written once, as doublewords: the fields and the reserved
 * (zero) bytes between them, each from values loaded whole. `count` is
 * t->receiver_count (a constant 1 in the common case). */
static inline __attribute__((always_inline)) int
emit(uint32_t version, const struct ffa_mem_txn *t, uint8_t *out,
     uint32_t cap, uint32_t *len, uint32_t count)
{
	uint32_t minor = version - FFA_VERSION_1_0;
	uint32_t emad_size, comp, i;
	const struct ffa_mem_receiver *r = t->receivers;
	uint64_t head = txn_head(t), comp_hi;
	uint8_t *e;

	/* A 1.x layout (layout_of) and 1..FFA_MEM_MAX_RECEIVERS
	 * receivers (header_size_of). */
	if (minor > 3 || count - 1 >= FFA_MEM_MAX_RECEIVERS)
		return FFA_INVALID_PARAMETERS;
	emad_size = minor >= 2 ? FFA_MEM_EMAD_SIZE_V1_2 : FFA_MEM_EMAD_SIZE_V1_0;
	comp = (minor ? FFA_MEM_HEADER_SIZE_V1_1 : FFA_MEM_HEADER_SIZE_V1_0) +
	       count * emad_size;
	if (cap < comp + FFA_MEM_COMPOSITE_SIZE)
		return FFA_NO_MEMORY;

	/* Bytes 8..23 (handle, tag) are common to every version. */
	put64(out + HDR_HANDLE, t->handle);
	put64(out + HDR_TAG, t->tag);
	if (!minor) {
		/* 1.0 attributes are 6 bits in a u8 (no NS bit), then a
		 * reserved byte; a reserved word at 24, the count at 28. */
		put64(out + HDR_SENDER, head & ~((uint64_t)0xffc0u << 16));
		put64(out + HDR_V1_0_RESERVED, (uint64_t)count << 32);
		e = out + FFA_MEM_HEADER_SIZE_V1_0;
	} else {
		put64(out + HDR_SENDER, head);
		put64(out + HDR_EMAD_SIZE, emad_size | (uint64_t)count << 32);
		/* The offset, then 12 reserved bytes. */
		put64(out + HDR_EMAD_OFFSET, FFA_MEM_HEADER_SIZE_V1_1);
		put64(out + HDR_V1_1_RESERVED + 4, 0);
		e = out + FFA_MEM_HEADER_SIZE_V1_1;
	}
	comp_hi = (uint64_t)comp << 32;
	for (i = 0; i < count; i++, r++, e += emad_size) {
		put64(e + EMAD_ID, rcv_head(r) | comp_hi);
		if (emad_size == FFA_MEM_EMAD_SIZE_V1_2) {
			copy_impdef(e + EMAD_IMPDEF, r->impdef);
			put64(e + EMAD_V1_2_RESERVED, 0);
		} else {
			put64(e + EMAD_IMPDEF, 0);
		}
	}
	put64(e + COMP_TOTAL_PAGES, txn_composite(t));
	put64(e + COMP_RESERVED, 0);
	*len = comp + FFA_MEM_COMPOSITE_SIZE;
	return 0;
}

/* Any version and receiver count out of line, one receiver still
 * without the EMAD loop: their branches cost the usual case nothing. */
static __attribute__((noinline)) int
emit_any(uint32_t version, const struct ffa_mem_txn *t, uint8_t *out,
	 uint32_t cap, uint32_t *len)
{
	if (t->receiver_count == 1)
		return emit(version, t, out, cap, len, 1);
	return emit(version, t, out, cap, len, t->receiver_count);
}

int ffa_mem_emit(uint32_t version, const struct ffa_mem_txn *t, uint8_t *out,
		 uint32_t cap, uint32_t *len)
{
	/* One receiver to a 1.2 or 1.3 SPMC, nearly always: the layout a
	 * constant, straight-line code. */
	if (t->receiver_count == 1 && version - FFA_VERSION_1_2 <= 1u)
		return emit(FFA_VERSION_1_2, t, out, cap, len, 1);
	return emit_any(version, t, out, cap, len);
}

bool ffa_mem_txn_same(const struct ffa_mem_txn *a, const struct ffa_mem_txn *b)
{
	bool impdef = a->emad_size == FFA_MEM_EMAD_SIZE_V1_2 &&
		      b->emad_size == FFA_MEM_EMAD_SIZE_V1_2;
	uint32_t i, j;

	if (a->sender != b->sender || a->attributes != b->attributes ||
	    a->flags != b->flags || a->handle != b->handle ||
	    a->tag != b->tag || a->receiver_count != b->receiver_count ||
	    a->total_pages != b->total_pages ||
	    a->range_count != b->range_count ||
	    a->receiver_count > FFA_MEM_MAX_RECEIVERS)
		return false;
	for (i = 0; i < a->receiver_count; i++) {
		const struct ffa_mem_receiver *x = &a->receivers[i];
		const struct ffa_mem_receiver *y = &b->receivers[i];

		if (x->id != y->id || x->perms != y->perms ||
		    x->flags != y->flags)
			return false;
		for (j = 0; impdef && j < FFA_MEM_IMPDEF_SIZE; j++)
			if (x->impdef[j] != y->impdef[j])
				return false;
	}
	return true;
}

int ffa_mem_emit_relinquish(uint64_t handle, uint32_t flags,
			    const uint16_t *ids, uint32_t count, uint8_t *out,
			    uint32_t cap, uint32_t *len)
{
	uint64_t size = 16 + 2 * (uint64_t)count;
	uint32_t i;

	if (count == 0 ||
	    flags & ~(FFA_MEM_RELINQUISH_FLAG_ZERO |
		      FFA_MEM_RELINQUISH_FLAG_TIME_SLICE))
		return FFA_INVALID_PARAMETERS;
	if (size > cap)
		return FFA_NO_MEMORY;
	ffa_put64(out, handle);
	ffa_put32(out + 8, flags);
	ffa_put32(out + 12, count);
	for (i = 0; i < count; i++)
		ffa_put16(out + 16 + 2 * (size_t)i, ids[i]);
	*len = (uint32_t)size;
	return 0;
}
