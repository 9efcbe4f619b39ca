/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * Conformance of the memory descriptor codec against independent
 * implementations, read from their code (facts only, no code copied):
 *
 *  [LNX]  Linux arm_ffa driver, drivers/firmware/arm_ffa/driver.c
 *         (kernelorg-mirror/linux_kernel_git_sudeep.holla_linux @212e4a48:
 *         ffa_setup_and_transmit, ffa_mem_region_additional_setup,
 *         ffa_memory_attributes_get) and include/linux/arm_ffa.h as
 *         changed by upstream 11fb1a82aefa "Add support for IMPDEF value
 *         in the memory access descriptor" (ffa_emad_size_get,
 *         ffa_mem_desc_offset, FFA_EMAD_HAS_IMPDEF_FIELD = version >= 1.2,
 *         FFA_MEM_REGION_HAS_EP_MEM_OFFSET = version > 1.0).
 *  [HFV]  Hafnium's sender side, TF-Hafnium/hafnium @84710f31
 *         vmlib/ffa.c (ffa_memory_region_init_header, _init_constituents)
 *         and vmlib/ffa_v1_0.c (ffa_memory_region_init_v1_0);
 *         inc/vmapi/hf/ffa.h @a1a02351, inc/vmapi/hf/ffa_v1_0.h.
 *  [HFS]  Hafnium as SPMC, TF-Hafnium/hafnium @c3fd9756 src/ffa_memory.c:
 *         ffa_memory_region_sanity_check,
 *         receiver_size_and_offset_valid_for_version,
 *         ffa_memory_send_validate, ffa_memory_attributes_validate,
 *         ffa_send_check_update.
 *  [TFA]  TF-A's EL3 SPMC, TrustedFirmware-A/trusted-firmware-a
 *         services/std_svc/spm/el3_spmc/spmc_shared_mem.c @0f66838c
 *         (spmc_ffa_mem_send, spmc_ffa_fill_desc, spmc_validate_mtd_start,
 *         spmc_shmem_check_obj, spmc_shm_convert_shmem_obj_from_v1_0) and
 *         spmc_main.c @92283c31 (ffa_version_handler, spmc_smc_handler).
 *
 * The peers' descriptors are built here byte by byte at explicit offsets,
 * never with ffa_mem_emit; the SPMC-side rules are encoded as byte and
 * offset checks of their own, each citing its source.
 */
#include <ffaproxy/mem.h>

#include <string.h>

#include "check.h"
#include "mem_parse_agree.h"

#define V10 FFA_VERSION_1_0
#define V11 FFA_VERSION_1_1
#define V12 FFA_VERSION_1_2
static const uint32_t versions[3] = { V10, V11, V12 };

#define BUF 512
#define JUNK 0xa5 /* bytes a peer leaves unwritten */

/* ---- little-endian bytes at explicit offsets ---- */

static void w16(uint8_t *b, uint32_t off, uint16_t v)
{
	b[off] = (uint8_t)v;
	b[off + 1] = (uint8_t)(v >> 8);
}

static void w32(uint8_t *b, uint32_t off, uint32_t v)
{
	w16(b, off, (uint16_t)v);
	w16(b, off + 2, (uint16_t)(v >> 16));
}

static void w64(uint8_t *b, uint32_t off, uint64_t v)
{
	w32(b, off, (uint32_t)v);
	w32(b, off + 4, (uint32_t)(v >> 32));
}

static uint16_t r16(const uint8_t *b, uint32_t off)
{
	return (uint16_t)(b[off] | b[off + 1] << 8);
}

static uint32_t r32(const uint8_t *b, uint32_t off)
{
	return r16(b, off) | (uint32_t)r16(b, off + 2) << 16;
}

static uint64_t r64(const uint8_t *b, uint32_t off)
{
	return r32(b, off) | (uint64_t)r32(b, off + 4) << 32;
}

/* ---- the representative transactions ---- */

struct peer_txn {
	uint32_t type; /* FFA_MEM_TXN_* */
	uint16_t sender;
	uint16_t attrs; /* the intended attributes */
	uint32_t flags;
	uint64_t tag;
	uint32_t nrecv;
	uint16_t id[2];
	uint8_t perms[2];
	uint8_t impdef[2][16]; /* sent only in 32-byte (1.2) EMADs */
	uint32_t nranges;
	uint64_t base[3];
	uint32_t pages[3];
};

static void set_impdef(struct peer_txn *t)
{
	uint32_t i, j;

	for (i = 0; i < 2; i++)
		for (j = 0; j < 16; j++)
			t->impdef[i][j] = (uint8_t)(0x40 + 16 * i + j);
}

/* A share from VM 1 to one partition, RW, normal write-back
 * inner-shareable (0x2f), one range. */
static struct peer_txn share1(void)
{
	struct peer_txn t;

	memset(&t, 0, sizeof(t));
	t.type = FFA_MEM_TXN_SHARE;
	t.sender = 0x0001;
	t.attrs = FFA_MEM_ATTR_NORMAL | FFA_MEM_ATTR_WRITE_BACK |
		  FFA_MEM_ATTR_INNER_SHAREABLE;
	t.tag = 0;
	t.nrecv = 1;
	t.id[0] = 0x8001;
	t.perms[0] = FFA_MEM_PERM_RW;
	t.nranges = 1;
	t.base[0] = 0x880000000ull;
	t.pages[0] = 4;
	set_impdef(&t);
	return t;
}

/* The same with three ranges and a tag. */
static struct peer_txn share3(void)
{
	struct peer_txn t = share1();

	t.tag = 0x1122334455667788ull;
	t.nranges = 3;
	t.base[1] = 0x880010000ull;
	t.pages[1] = 1;
	t.base[2] = 0x8a0000000ull;
	t.pages[2] = 16;
	return t;
}

/* A lend to one borrower, RW: attributes left unspecified (DEN0077A
 * "usage of other memory region attributes"; [LNX] 9dda1178479a; [HFS]). */
static struct peer_txn lend1(void)
{
	struct peer_txn t = share1();

	t.type = FFA_MEM_TXN_LEND;
	t.attrs = 0;
	return t;
}

/* A lend to two borrowers, RO and RW: with several borrowers the memory
 * type is stated ([HFS] ffa_memory_send_validate: only a donate or a lend
 * to one borrower leaves it unspecified). */
static struct peer_txn lend2(void)
{
	struct peer_txn t = share3();

	t.type = FFA_MEM_TXN_LEND;
	t.nrecv = 2;
	t.perms[0] = FFA_MEM_PERM_RO;
	t.id[1] = 0x8002;
	t.perms[1] = FFA_MEM_PERM_RW;
	return t;
}

/* A donate: no attributes and no data access ([HFS]). */
static struct peer_txn donate1(void)
{
	struct peer_txn t = share1();

	t.type = FFA_MEM_TXN_DONATE;
	t.attrs = 0;
	t.perms[0] = 0;
	t.nranges = 2;
	t.base[1] = 0x890000000ull;
	t.pages[1] = 2;
	return t;
}

static uint32_t pages_of(const struct peer_txn *t)
{
	uint32_t i, n = 0;

	for (i = 0; i < t->nranges; i++)
		n += t->pages[i];
	return n;
}

/* ---- the peers' descriptors ---- */

/* Header, then EMADs packed at `emad_off` with `emad_size`, composite at
 * `comp`, constituents after it; attributes as `attrs`. The bytes in
 * between are left as the peer leaves them (JUNK). Returns the total. */
static uint32_t put_desc(uint32_t version, const struct peer_txn *t,
			 uint16_t attrs, uint32_t emad_off, uint32_t emad_size,
			 uint32_t comp, uint8_t *b)
{
	uint32_t i, e, c;

	memset(b, JUNK, BUF);
	/* Offsets 0..23, every version: u16 sender, attributes (u8 + u8
	 * reserved at 1.0; u16 from 1.1: [LNX] u16 attributes, "upper byte
	 * MBZ pre v1.1"), u32 flags, u64 handle (0 in a send), u64 tag. */
	w16(b, 0, t->sender);
	w16(b, 2, attrs);
	w32(b, 4, t->flags);
	w64(b, 8, 0);
	w64(b, 16, t->tag);
	if (version == V10) {
		/* 1.0: u32 reserved at 24 ([LNX] ep_mem_size = 0; [HFV]
		 * reserved_1 = 0), u32 count at 28, EMADs at 32. */
		w32(b, 24, 0);
		w32(b, 28, t->nrecv);
	} else {
		/* 1.1+: u32 EMAD size at 24, count at 28, EMAD offset at
		 * 32, 12 reserved bytes at 36 ([LNX] memset(reserved, 0,
		 * 12); [HFV] memset_s(reserved)). */
		w32(b, 24, emad_size);
		w32(b, 28, t->nrecv);
		w32(b, 32, emad_off);
		w32(b, 36, 0);
		w64(b, 40, 0);
	}
	for (i = 0; i < t->nrecv; i++) {
		e = emad_off + i * emad_size;
		/* EMAD: u16 id, u8 permissions, u8 flags (0 in a send),
		 * u32 composite offset, then u64 reserved (16-byte EMAD) or
		 * 16 IMPDEF bytes and u64 reserved (32-byte EMAD, [LNX]
		 * impdef_val[16] before reserved; [HFV] struct
		 * ffa_memory_access). */
		w16(b, e, t->id[i]);
		b[e + 2] = t->perms[i];
		b[e + 3] = 0;
		w32(b, e + 4, comp);
		if (emad_size == 32) {
			memcpy(b + e + 8, t->impdef[i], 16);
			w64(b, e + 24, 0);
		} else {
			w64(b, e + 8, 0);
		}
	}
	/* Composite: u32 total pages, u32 range count, u64 reserved; then
	 * 16-byte constituents: u64 base, u32 4 KiB pages, u32 reserved
	 * ([LNX] ffa_composite_mem_region, ffa_mem_region_addr_range;
	 * [HFV] ffa_composite_memory_region, _constituent). */
	w32(b, comp, pages_of(t));
	w32(b, comp + 4, t->nranges);
	w64(b, comp + 8, 0);
	for (i = 0; i < t->nranges; i++) {
		c = comp + 16 + 16 * i;
		w64(b, c, t->base[i]);
		w32(b, c + 8, t->pages[i]);
		w32(b, c + 12, 0);
	}
	return comp + 16 + 16 * t->nranges;
}

/*
 * What Linux sends ([LNX], 11fb1a82aefa and later): header 32 at 1.0
 * (ffa_mem_desc_offset: offsetof(struct ffa_mem_region, ep_mem_offset)),
 * else 48 with ep_mem_offset = sizeof(struct ffa_mem_region) = 48; EMAD
 * size 16 up to 1.1, 32 from 1.2 (ffa_emad_size_get); every EMAD's
 * composite offset = ffa_mem_desc_offset(nattrs), i.e. the composite
 * packed right after the EMADs. Attributes by ffa_memory_attributes_get:
 * 0 for MEM_LEND, NORMAL | WRITE_BACK | INNER_SHAREABLE otherwise (Linux
 * has no MEM_DONATE: ffa_drv_mem_ops has share and lend only).
 * `emad16_at_1_2` is the driver between 9fac08d9d985 ("Upgrade FF-A
 * version to v1.2") and 11fb1a82aefa: it negotiated 1.2 but still wrote
 * 16-byte EMADs and ep_mem_size 16.
 */
static uint32_t linux_build(uint32_t version, const struct peer_txn *t,
			    bool emad16_at_1_2, uint8_t *b)
{
	uint32_t hdr = version == V10 ? 32 : 48;
	uint32_t esz = version >= V12 && !emad16_at_1_2 ? 32 : 16;
	uint16_t attrs = t->type == FFA_MEM_TXN_LEND ? 0 : 0x2f;

	return put_desc(version, t, attrs, hdr, esz, hdr + t->nrecv * esz, b);
}

/*
 * What Hafnium's vmlib sends ([HFV]): at 1.1 and 1.2 receivers_offset =
 * sizeof(struct ffa_memory_region) = 48, memory_access_desc_size =
 * sizeof(struct ffa_memory_access) (16 at 1.1, 32 with the 1.2 impdef),
 * composite at receivers_offset + count * desc_size. At 1.0
 * (ffa_memory_region_init_v1_0) the EMADs are at 32 but the composite is
 * at sizeof(struct ffa_memory_region) + count * 16 = 48 + 16 * count:
 * 16 bytes past the EMADs, unwritten. Attributes as the caller states.
 */
static uint32_t hafnium_build(uint32_t version, const struct peer_txn *t,
			      uint8_t *b)
{
	uint32_t esz = version >= V12 ? 32 : 16;
	uint32_t eoff = version == V10 ? 32 : 48;

	return put_desc(version, t, t->attrs, eoff, esz, 48 + t->nrecv * esz,
			b);
}

/* ---- the normalised form of a transaction ---- */

static void txn_of(const struct peer_txn *p, bool impdef,
		   struct ffa_mem_txn *t)
{
	uint32_t i;

	memset(t, 0, sizeof(*t));
	t->sender = p->sender;
	t->attributes = p->attrs;
	t->flags = p->flags;
	t->tag = p->tag;
	t->receiver_count = p->nrecv;
	for (i = 0; i < p->nrecv; i++) {
		t->receivers[i].id = p->id[i];
		t->receivers[i].perms = p->perms[i];
		if (impdef)
			memcpy(t->receivers[i].impdef, p->impdef[i], 16);
	}
	t->total_pages = pages_of(p);
	t->range_count = p->nranges;
	/* ffa_mem_txn_same compares IMPDEF values when both sides had
	 * 32-byte EMADs. */
	t->emad_size = impdef ? 32 : 16;
}

/* Parse `b` as a `version` caller's first (and only) fragment and check
 * the normalised fields against `p` (attributes `attrs`, as sent). */
static void expect_parse(uint32_t version, const struct peer_txn *p,
			 uint16_t attrs, const uint8_t *b, uint32_t total,
			 uint32_t comp)
{
	struct ffa_mem_error err = { 0, NULL, 0 };
	struct ffa_mem_txn got, want;
	bool wide;
	uint64_t pages = 0;
	uint32_t i;
	int ret;

	ret = ffa_mem_parse(version, p->type, b, total, total, &got, &err);
	CHECK_EQ(ret, 0);
	if (ret) {
		fprintf(stderr, "  refused: %s (0x%" PRIx64 ")\n", err.why,
			err.value);
		return;
	}
	wide = got.emad_size == 32;
	txn_of(p, wide, &want);
	want.attributes = attrs;
	CHECK(ffa_mem_txn_same(&got, &want));
	CHECK_EQ(got.sender, p->sender);
	CHECK_EQ(got.attributes, attrs);
	CHECK_EQ(got.flags, p->flags);
	CHECK_EQ(got.handle, 0);
	CHECK_EQ(got.tag, p->tag);
	CHECK_EQ(got.receiver_count, p->nrecv);
	for (i = 0; i < p->nrecv && i < got.receiver_count; i++) {
		CHECK_EQ(got.receivers[i].id, p->id[i]);
		CHECK_EQ(got.receivers[i].perms, p->perms[i]);
		CHECK_EQ(got.receivers[i].flags, 0);
		CHECK_EQ(got.receivers[i].composite_offset, comp);
		if (wide)
			CHECK(!memcmp(got.receivers[i].impdef, p->impdef[i],
				      16));
	}
	CHECK_EQ(got.total_pages, pages_of(p));
	CHECK_EQ(got.range_count, p->nranges);
	CHECK_EQ(got.header_size, version == V10 ? 32 : 48);
	CHECK_EQ(got.composite_offset, comp);
	CHECK_EQ(got.constituents_offset, comp + 16);
	CHECK_EQ(got.constituents_in_fragment, p->nranges);
	for (i = 0; i < p->nranges; i++) {
		CHECK_EQ(r64(b, got.constituents_offset + 16 * i), p->base[i]);
		CHECK_EQ(r32(b, got.constituents_offset + 16 * i + 8),
			 p->pages[i]);
	}
	CHECK_EQ(ffa_mem_check_constituents(b + got.constituents_offset,
					    got.constituents_in_fragment, 4096,
					    &pages, &err),
		 0);
	CHECK_EQ(pages, pages_of(p));
	/* The whole-word screen and the rules answer alike. */
	CHECK(mem_parse_agrees(version, p->type, b, total, total));
}

/* ---- what the SPMCs require of a descriptor the proxy sends ---- */

/*
 * Hafnium as SPMC ([HFS]), for a sender at `version` (the NWd's
 * negotiated version). Returns NULL when Hafnium's descriptor checks
 * pass, else which one fails. Page ownership, sender == caller and the
 * other-world id rules need the SPMC's state and are not modelled.
 */
static const char *hafnium_refuses(uint32_t version, uint32_t type,
				   const uint8_t *b, uint32_t frag,
				   uint32_t total)
{
	uint32_t count = r32(b, 28), dsize, eoff, esz, comp, i, j, end;
	uint32_t ranges, sum = 0;
	uint16_t attr = r16(b, 2), sender = r16(b, 0);

	/* ffa_memory_region_sanity_check. */
	if (version == V10) {
		/* reserved_0 (byte 3) and reserved_1 (u32 at 24) zero. */
		if (b[3] || r32(b, 24))
			return "1.0 reserved header fields";
		/* The composite bound below reads memory_access_desc_size
		 * of the 1.1 struct over the 1.0 bytes: reserved_1, 0. */
		dsize = 0;
		eoff = 32;
		esz = 16;
		attr &= 0xff;
	} else {
		if (r32(b, 36) || r64(b, 40))
			return "reserved[3] not zero";
		dsize = r32(b, 24);
		/* receiver_size_and_offset_valid_for_version: 16 names
		 * 1.1, 32 names 1.2 (ffa_version_from_memory_access_desc_
		 * size), compatible with the sender's version; and the
		 * offset exactly sizeof(struct ffa_memory_region). */
		if (!(dsize == 16 || (dsize == 32 && version >= V12)))
			return "memory_access_desc_size for the version";
		if (r32(b, 32) != 48)
			return "receivers_offset != 48";
		eoff = 48;
		esz = dsize;
	}
	/* 0 < count <= MAX_MEM_SHARE_RECIPIENTS (2 in inc/vmapi/hf/ffa.h
	 * @a1a02351; a build option elsewhere). */
	if (count < 1 || count > 2)
		return "receiver count";
	comp = r32(b, eoff + 4);
	if (comp == 0 || comp < 48 + dsize * count || comp + 16 > frag)
		return "composite offset (sanity check)";
	for (i = 0; i < count; i++) {
		uint32_t e = eoff + i * esz;

		if (r64(b, e + (esz == 32 ? 24 : 8)))
			return "EMAD reserved_0";
		if (r32(b, e + 4) != comp)
			return "composite offsets differ";
	}

	/* ffa_memory_send_validate. */
	if (frag < eoff + esz + 16)
		return "fragment too short";
	if (frag % 16 || total % 16 || frag > total)
		return "lengths";
	end = eoff + count * esz;
	if (end + 16 + 16 > total)
		return "share too short";
	if (comp < end || comp % 16 || comp > frag - 16)
		return "composite offset (send validate)";
	if ((total - comp - 16) % 16 ||
	    (total - comp - 16) / 16 != r32(b, comp + 4))
		return "length vs constituent count";
	/* Flags: clear never with a share; no other flag at all (so no
	 * time slicing either). */
	if ((r32(b, 4) & FFA_MEM_FLAG_ZERO) && type == FFA_MEM_TXN_SHARE)
		return "clear flag on a share";
	if (r32(b, 4) & ~FFA_MEM_FLAG_ZERO)
		return "flags other than clear";
	for (i = 0; i < count; i++) {
		uint32_t e = eoff + i * esz;
		uint8_t perms = b[e + 2];
		uint8_t data = perms & 3, instr = perms >> 2 & 3;

		if (r16(b, e) == sender)
			return "receiver is the sender";
		for (j = i + 1; j < count; j++)
			if (r16(b, eoff + j * esz) == r16(b, e))
				return "repeated receiver";
		if (data == 3 || instr == 3)
			return "reserved permission value";
		/* Instruction access NOT_SPECIFIED in every send. */
		if (instr)
			return "instruction access specified";
		if ((type == FFA_MEM_TXN_SHARE || type == FFA_MEM_TXN_LEND) &&
		    !data)
			return "data access unspecified on share/lend";
		if (type == FFA_MEM_TXN_DONATE && data)
			return "data access specified on donate";
	}
	/* NS bit (attributes bit 6) MBZ. */
	if (attr & 0x40u)
		return "NS bit";
	if (type == FFA_MEM_TXN_DONATE ||
	    (type == FFA_MEM_TXN_LEND && count == 1)) {
		if (attr & 0x30u)
			return "memory type specified on donate/lend to one";
	} else {
		/* ffa_memory_attributes_validate: normal write-back,
		 * device nGnRnE, and inner shareable whatever the type
		 * (DENIED). */
		if ((attr & 0x30u) == 0x20u && (attr >> 2 & 3) != 3)
			return "normal memory not write-back";
		if ((attr & 0x30u) == 0x10u && (attr >> 2 & 3) != 0)
			return "device memory not nGnRnE";
		if ((attr & 3) != 3)
			return "not inner shareable";
	}
	/* ffa_send_check_update: constituent pages add up. */
	ranges = r32(b, comp + 4);
	for (i = 0; i < ranges; i++)
		sum += r32(b, comp + 16 + 16 * i + 8);
	if (sum != r32(b, comp))
		return "composite page count != sum";
	return NULL;
}

/*
 * TF-A's EL3 SPMC ([TFA]) for an NWd sender that negotiated `version`
 * (ffa_version_handler stores the caller's requested version as
 * ns_ep->ffa_version). `sp_ids` lists the secure partitions it knows.
 * Returns NULL when its checks pass, else which one fails.
 */
static const char *tfa_refuses(uint32_t version, uint32_t type,
			       const uint8_t *b, uint32_t frag, uint32_t total)
{
	static const uint16_t sp_ids[] = { 0x8001, 0x8002 };
	uint32_t count = r32(b, 28), eoff, esz, comp, i, j, hdr_emads;
	uint32_t ranges, sum = 0;
	uint32_t want_flag;

	/* spmc_smc_handler routes MEM_SHARE and MEM_LEND only; MEM_DONATE
	 * falls to "Unsupported FF-A call" (NOT_SUPPORTED). */
	if (type == FFA_MEM_TXN_SHARE)
		want_flag = 1u << 3; /* FFA_MTD_FLAG_TYPE_SHARE_MEMORY */
	else if (type == FFA_MEM_TXN_LEND)
		want_flag = 2u << 3; /* FFA_MTD_FLAG_TYPE_LEND_MEMORY */
	else
		return "no MEM_DONATE";
	/* spmc_ffa_mem_send: the descriptor format is that of the
	 * caller's version, 1.0 or 1.1 only ("bad FF-A version"), although
	 * FFA_VERSION answers 1.2 (FFA_VERSION_SPMC_MINOR 2). */
	if (version != V10 && version != V11)
		return "version other than 1.0 or 1.1";
	if (frag < (version == V10 ? 32u : 48u))
		return "first fragment shorter than the header";
	/* spmc_ffa_fill_desc: sender in the normal world (bit 15 clear),
	 * NS bit clear (read as u16 memory_region_attributes at 2), flags
	 * 0 or exactly the transaction type. */
	if (r16(b, 0) & 0x8000u)
		return "secure sender id";
	if (r16(b, 2) & 0x40u)
		return "NS bit";
	if (r32(b, 4) && r32(b, 4) != want_flag)
		return "flags other than 0 or the type";
	/* spmc_validate_mtd_start. */
	if (!count)
		return "no EMADs";
	if (version == V10) {
		/* emad_offset = emad_size = sizeof(struct ffa_emad_v1_0):
		 * the bound below counts 16 for the offset, though the
		 * EMADs are at 32 (offsetof(struct ffa_mtd_v1_0, emad)). */
		eoff = 16;
		esz = 16;
	} else {
		eoff = r32(b, 32);
		esz = r32(b, 24);
		if (eoff % 16 || eoff < 48)
			return "EMAD offset";
		if (esz < 16 || esz % 16)
			return "EMAD size";
	}
	if ((uint64_t)count * esz + 16 + eoff > total)
		return "composite beyond the descriptor";
	if (version == V10)
		eoff = 32; /* spmc_shmem_obj_get_emad */
	/* spmc_shmem_check_obj. */
	comp = r32(b, eoff + 4);
	for (i = 0; i < count; i++) {
		uint16_t id = r16(b, eoff + i * esz);

		if (id & 0x8000u) {
			bool known = false;

			for (j = 0; j < 2; j++)
				known = known || id == sp_ids[j];
			if (!known)
				return "unknown secure receiver";
		}
		if (r32(b, eoff + i * esz + 4) != comp)
			return "mismatching composite offsets";
		for (j = i + 1; j < count; j++)
			if (r16(b, eoff + j * esz) == id)
				return "duplicated endpoint id";
	}
	hdr_emads = eoff + count * esz;
	if (comp < hdr_emads)
		return "composite inside header + EMADs";
	if (comp % 16)
		return "composite offset not 16-aligned";
	if (comp > total || total - comp < 16)
		return "composite out of bounds";
	ranges = (total - comp - 16) / 16;
	if (r32(b, comp + 4) != ranges)
		return "address range count vs size";
	if (comp + 16 + 16 * ranges != total)
		return "computed size != size";
	for (i = 0; i < ranges; i++)
		sum += r32(b, comp + 16 + 16 * i + 8);
	if (sum != r32(b, comp))
		return "total_page_count != sum";
	return NULL;
}

/* Emit `p` at `version` as the proxy forwards it: header, EMADs and
 * composite by ffa_mem_emit, constituents appended verbatim. */
static uint32_t proxy_emit(uint32_t version, const struct peer_txn *p,
			   bool impdef, uint8_t *b)
{
	struct ffa_mem_txn t;
	uint32_t len = 0, i;
	int ret;

	txn_of(p, impdef, &t);
	memset(b, JUNK, BUF);
	ret = ffa_mem_emit(version, &t, b, BUF, &len);
	CHECK_EQ(ret, 0);
	if (ret)
		return 0;
	CHECK_EQ(len, ffa_mem_emit_size(version, p->nrecv));
	for (i = 0; i < p->nranges; i++) {
		w64(b, len + 16 * i, p->base[i]);
		w32(b, len + 16 * i + 8, p->pages[i]);
		w32(b, len + 16 * i + 12, 0);
	}
	return len + 16 * p->nranges;
}

/* Both SPMCs' rules, where each applies: Hafnium at every version; TF-A
 * for share and lend at 1.0 and 1.1 (see tfa_refuses). */
static void expect_spmcs_accept(uint32_t version, const struct peer_txn *p,
				const uint8_t *b, uint32_t total)
{
	const char *why = hafnium_refuses(version, p->type, b, total, total);

	CHECK(why == NULL);
	if (why)
		fprintf(stderr, "  Hafnium refuses (v%#x, type %u): %s\n",
			version, p->type, why);
	if (p->type == FFA_MEM_TXN_DONATE || version >= V12)
		return;
	why = tfa_refuses(version, p->type, b, total, total);
	CHECK(why == NULL);
	if (why)
		fprintf(stderr, "  TF-A refuses (v%#x, type %u): %s\n", version,
			p->type, why);
}

/* ---- the tests ---- */

/* Sizes and offsets, as the peers define them. */
static void test_sizes(void)
{
	uint32_t n, v;

	/* Header: [LNX] offsetof(struct ffa_mem_region, ep_mem_offset) =
	 * 32 is the 1.0 EMAD start, sizeof(struct ffa_mem_region) = 48
	 * from 1.1; [HFV] sizeof(struct ffa_memory_region_v1_0) = 32,
	 * sizeof(struct ffa_memory_region) = 48; [TFA] sizeof(struct
	 * ffa_mtd_v1_0) and sizeof(struct ffa_mtd) as minimum lengths. */
	CHECK_EQ(FFA_MEM_HEADER_SIZE_V1_0, 32);
	CHECK_EQ(FFA_MEM_HEADER_SIZE_V1_1, 48);
	/* EMAD: [LNX] ffa_emad_size_get 16 up to 1.1, 32 from 1.2 (u8
	 * impdef_val[16] before the u64 reserved); [HFS]
	 * ffa_version_from_memory_access_desc_size; [TFA] struct
	 * ffa_emad_v1_0 = 16. */
	CHECK_EQ(FFA_MEM_EMAD_SIZE_V1_0, 16);
	CHECK_EQ(FFA_MEM_EMAD_SIZE_V1_2, 32);
	CHECK_EQ(FFA_MEM_IMPDEF_SIZE, 16);
	/* Composite and constituent: 16 each in all three (CASSERT
	 * sizeof(struct ffa_cons_mrd) == 16 in TF-A; [HFS] static_assert
	 * sizeof(struct ffa_memory_region_constituent) == 16). */
	CHECK_EQ(FFA_MEM_COMPOSITE_SIZE, 16);
	CHECK_EQ(FFA_MEM_CONSTITUENT_SIZE, 16);
	/* Header + EMADs = [LNX] ffa_mem_desc_offset(buf, n, version): 32
	 * + 16n at 1.0, 48 + 16n at 1.1, 48 + 32n at 1.2 (and 1.3). The
	 * composite follows at once (composite_off in ffa_setup_and_
	 * transmit), the first constituent 16 bytes later
	 * (CONSTITUENTS_OFFSET(0)). */
	for (n = 1; n <= FFA_MEM_MAX_RECEIVERS; n++) {
		CHECK_EQ(ffa_mem_header_size(V10, n), 32 + 16 * n);
		CHECK_EQ(ffa_mem_header_size(V11, n), 48 + 16 * n);
		CHECK_EQ(ffa_mem_header_size(V12, n), 48 + 32 * n);
		CHECK_EQ(ffa_mem_header_size(FFA_MAKE_VERSION(1, 3), n),
			 48 + 32 * n);
		for (v = 0; v < 3; v++)
			CHECK_EQ(ffa_mem_emit_size(versions[v], n),
				 ffa_mem_header_size(versions[v], n) + 16);
	}
}

/* The transactions Linux can send (share; lend to one borrower), as
 * Linux lays them out, at each version: parsed to the intended
 * transaction; the proxy's emission of that transaction is the same
 * bytes and passes both SPMCs' checks. */
static void test_linux_sends(void)
{
	struct peer_txn ts[3];
	uint8_t lb[BUF], pb[BUF];
	uint32_t i, v, total, ptotal, hdr, esz;

	ts[0] = share1();
	ts[1] = share3();
	ts[2] = lend1();
	for (i = 0; i < 3; i++)
		for (v = 0; v < 3; v++) {
			const struct peer_txn *p = &ts[i];
			uint32_t ver = versions[v];

			hdr = ver == V10 ? 32 : 48;
			esz = ver >= V12 ? 32 : 16;
			total = linux_build(ver, p, false, lb);
			expect_parse(ver, p, p->attrs, lb, total,
				     hdr + p->nrecv * esz);

			ptotal = proxy_emit(ver, p, ver >= V12, pb);
			expect_spmcs_accept(ver, p, pb, ptotal);
			/* Same transaction, same bytes. The spec leaves to
			 * the sender where the EMAD array starts (1.1+: any
			 * 16-aligned offset >= 48) and where the composite
			 * is (16-aligned, past the EMADs), the tag and the
			 * IMPDEF values: Linux packs (48, composite right
			 * after the EMADs) as the proxy does, and the
			 * proxy carries tag and IMPDEF from its caller, so
			 * nothing differs here. It differs from a caller
			 * only when the caller left gaps (see
			 * test_hafnium_sends at 1.0). */
			CHECK_EQ(ptotal, total);
			CHECK(!memcmp(pb, lb, total));
		}
}

/* Linux between 9fac08d9d985 and 11fb1a82aefa: FF-A 1.2 negotiated, but
 * 16-byte EMADs (ep_mem_size 16) and no IMPDEF. A compatible older EMAD
 * size is what Hafnium accepts too ([HFS]
 * receiver_size_and_offset_valid_for_version); the proxy takes it and
 * re-emits 32-byte EMADs with a zero IMPDEF value. */
static void test_linux_1_2_with_16_byte_emads(void)
{
	struct peer_txn p = share3();
	struct ffa_mem_error err = { 0, NULL, 0 };
	struct ffa_mem_txn got;
	uint8_t lb[BUF], pb[BUF];
	uint32_t total, len = 0, i;

	total = linux_build(V12, &p, true, lb);
	CHECK_EQ(r32(lb, 24), 16);
	CHECK_EQ(r32(lb, 48 + 4), 64);
	CHECK(hafnium_refuses(V12, p.type, lb, total, total) == NULL);
	expect_parse(V12, &p, p.attrs, lb, total, 64);
	CHECK_EQ(ffa_mem_parse(V12, p.type, lb, total, total, &got, &err), 0);
	CHECK_EQ(got.emad_size, 16);
	for (i = 0; i < 16; i++)
		CHECK_EQ(got.receivers[0].impdef[i], 0);
	memset(pb, JUNK, sizeof(pb));
	CHECK_EQ(ffa_mem_emit(V12, &got, pb, BUF, &len), 0);
	CHECK_EQ(len, 48 + 32 + 16);
	memcpy(pb + len, lb + 64 + 16, 16 * p.nranges);
	CHECK_EQ(r32(pb, 24), 32);
	CHECK_EQ(r64(pb, 48 + 8) | r64(pb, 48 + 16), 0);
	CHECK(hafnium_refuses(V12, p.type, pb, len + 16 * p.nranges,
			      len + 16 * p.nranges) == NULL);
}

/* Hafnium's sender side for all four transactions at each version:
 * parsed to the intended transaction (including its 1.0 layout with the
 * composite 16 bytes past the EMADs); the proxy's emission passes both
 * SPMCs, and from 1.1 is byte for byte what Hafnium builds. */
static void test_hafnium_sends(void)
{
	struct peer_txn ts[4];
	uint8_t hb[BUF], pb[BUF];
	uint32_t i, v, total, ptotal, esz;

	ts[0] = share1();
	ts[1] = share3();
	ts[2] = lend2();
	ts[3] = donate1();
	for (i = 0; i < 4; i++)
		for (v = 0; v < 3; v++) {
			const struct peer_txn *p = &ts[i];
			uint32_t ver = versions[v];

			esz = ver >= V12 ? 32 : 16;
			total = hafnium_build(ver, p, hb);
			/* Hafnium's own checks take what it builds. */
			CHECK(hafnium_refuses(ver, p->type, hb, total,
					      total) == NULL);
			expect_parse(ver, p, p->attrs, hb, total,
				     48 + p->nrecv * esz);

			ptotal = proxy_emit(ver, p, ver >= V12, pb);
			expect_spmcs_accept(ver, p, pb, ptotal);
			if (ver == V10) {
				/* The composite offset is the sender's
				 * choice (16-aligned, past the EMADs):
				 * Hafnium's 1.0 builder puts it at 48 + 16n,
				 * the proxy (as Linux) right after the EMADs
				 * at 32 + 16n. Everything before the gap is
				 * the same but that offset. */
				CHECK_EQ(ptotal, total - 16);
				CHECK_EQ(r32(pb, 32 + 4), 32 + 16 * p->nrecv);
				CHECK(!memcmp(pb, hb, 32 + 4));
				CHECK(!memcmp(pb + 32 + 16 * p->nrecv,
					      hb + 48 + 16 * p->nrecv,
					      16 + 16 * p->nranges));
			} else {
				CHECK_EQ(ptotal, total);
				CHECK(!memcmp(pb, hb, total));
			}
		}
}

/* The SPMC-side requirements, as explicit bytes of what the proxy emits
 * (the checks above, restated field by field for one case per version
 * so that a change of layout names the field it broke). */
static void test_emitted_fields(void)
{
	struct peer_txn p = lend2();
	uint8_t b[BUF];
	uint32_t v, total, e, esz, hdr, comp, i;

	for (v = 0; v < 3; v++) {
		uint32_t ver = versions[v];

		total = proxy_emit(ver, &p, ver >= V12, b);
		hdr = ver == V10 ? 32 : 48;
		esz = ver >= V12 ? 32 : 16;
		comp = hdr + 2 * esz;
		CHECK_EQ(total, comp + 16 + 16 * p.nranges);
		CHECK_EQ(r16(b, 0), p.sender);
		CHECK_EQ(r64(b, 8), 0);         /* handle: [HFS], [TFA] */
		CHECK_EQ(r64(b, 16), p.tag);    /* tag: the sender's */
		CHECK_EQ(r32(b, 28), 2);        /* EMAD count */
		if (ver == V10) {
			/* [HFS] sanity check: reserved_0, reserved_1. */
			CHECK_EQ(b[2], p.attrs);
			CHECK_EQ(b[3], 0);
			CHECK_EQ(r32(b, 24), 0);
			/* [HFS] 1.0 bound: composite >= 48 + 0 * count. */
			CHECK(comp >= 48);
		} else {
			CHECK_EQ(r16(b, 2), p.attrs);
			/* [HFS] receivers_offset == 48 exactly; [TFA]
			 * 16-aligned and >= 48. */
			CHECK_EQ(r32(b, 32), 48);
			/* [HFS] desc size of a compatible version; [TFA]
			 * >= 16, 16-aligned. */
			CHECK_EQ(r32(b, 24), esz);
			/* [HFS] reserved[3] zero. */
			CHECK_EQ(r32(b, 36), 0);
			CHECK_EQ(r64(b, 40), 0);
		}
		for (i = 0; i < 2; i++) {
			e = hdr + i * esz;
			CHECK_EQ(r16(b, e), p.id[i]);
			CHECK_EQ(b[e + 2], p.perms[i]);
			CHECK_EQ(b[e + 3], 0);          /* EMAD flags */
			CHECK_EQ(r32(b, e + 4), comp);  /* equal, aligned */
			if (esz == 32) {
				CHECK(!memcmp(b + e + 8, p.impdef[i], 16));
				CHECK_EQ(r64(b, e + 24), 0);
			} else {
				CHECK_EQ(r64(b, e + 8), 0);
			}
		}
		CHECK_EQ(comp % 16, 0);
		CHECK_EQ(r32(b, comp), pages_of(&p));
		CHECK_EQ(r32(b, comp + 4), p.nranges);
		CHECK_EQ(r64(b, comp + 8), 0);
	}
}

/* A caller at one version, the SPMC at another: what the proxy sends
 * on is, byte for byte, what Linux at the SPMC's version would send for
 * the same share, and both SPMCs take it. */
static void test_translations(void)
{
	struct peer_txn p = share3();
	struct ffa_mem_error err = { 0, NULL, 0 };
	struct ffa_mem_txn got;
	uint8_t src[BUF], out[BUF], lb[BUF];
	uint32_t a, z, total, len = 0, ltotal;

	for (a = 0; a < 3; a++)
		for (z = 0; z < 3; z++) {
			total = hafnium_build(versions[a], &p, src);
			CHECK_EQ(ffa_mem_parse(versions[a], p.type, src, total,
					       total, &got, &err),
				 0);
			memset(out, JUNK, sizeof(out));
			CHECK_EQ(ffa_mem_emit(versions[z], &got, out, BUF,
					      &len),
				 0);
			memcpy(out + len, src + got.constituents_offset,
			       16 * p.nranges);
			ltotal = linux_build(versions[z], &p, false, lb);
			CHECK_EQ(len + 16 * p.nranges, ltotal);
			/* IMPDEF travels only 1.2 -> 1.2; Linux's builder
			 * writes this transaction's IMPDEF at 1.2, so from
			 * an older source compare all but those bytes. */
			if (versions[z] >= V12 && versions[a] < V12) {
				CHECK(!memcmp(out, lb, 48 + 8));
				CHECK_EQ(r64(out, 56) | r64(out, 64), 0);
				CHECK(!memcmp(out + 72, lb + 72, ltotal - 72));
			} else {
				CHECK(!memcmp(out, lb, ltotal));
			}
			expect_spmcs_accept(versions[z], &p, out, ltotal);
		}
}

/*
 * Where a real peer and the proxy disagree, pinned so that a change is
 * deliberate. None is a layout difference; each is a rule.
 */
static void test_known_disagreements(void)
{
	struct ffa_mem_error err = { 0, NULL, 0 };
	struct ffa_mem_txn got;
	struct peer_txn p;
	uint8_t b[BUF];
	uint32_t total, v;

	/* 1. Linux lends to several borrowers with attributes 0
	 * (ffa_memory_attributes_get returns 0 for any MEM_LEND). The
	 * spec and Hafnium want the type stated when there are several
	 * borrowers ([HFS] ffa_memory_attributes_validate: not inner
	 * shareable, DENIED); the proxy refuses it up front. TF-A's EL3
	 * SPMC checks no attributes and would take it. */
	p = lend2();
	for (v = 0; v < 3; v++) {
		total = linux_build(versions[v], &p, false, b);
		CHECK_EQ(r16(b, 2), 0);
		CHECK_EQ(ffa_mem_parse(versions[v], p.type, b, total, total,
				       &got, &err),
			 FFA_INVALID_PARAMETERS);
		CHECK(hafnium_refuses(versions[v], p.type, b, total, total) !=
		      NULL);
		if (versions[v] < V12)
			CHECK(tfa_refuses(versions[v], p.type, b, total,
					  total) == NULL);
	}

	/* 2. Linux before 9dda1178479a (v6.6) lent with 0x2f to one
	 * borrower; fixed there as non-conforming. Refused by the proxy
	 * and by Hafnium alike. */
	p = lend1();
	total = put_desc(V11, &p, 0x2f, 48, 16, 64, b);
	CHECK_EQ(ffa_mem_parse(V11, p.type, b, total, total, &got, &err),
		 FFA_INVALID_PARAMETERS);
	CHECK(hafnium_refuses(V11, p.type, b, total, total) != NULL);

	/* 3. Time slicing (flags bit 1) is MBZ where the Relayer does not
	 * time slice, else INVALID_PARAMETERS (DEN0077A 1.0 Table 5.20).
	 * Neither SPMC takes it (Hafnium allows only the clear flag, TF-A
	 * only 0 or the type flag), and the proxy, which serves no
	 * FFA_MEM_OP_PAUSE/RESUME, refuses it itself. */
	p = share1();
	p.flags = FFA_MEM_FLAG_TIME_SLICE;
	total = linux_build(V11, &p, false, b);
	CHECK_EQ(ffa_mem_parse(V11, p.type, b, total, total, &got, &err),
		 FFA_INVALID_PARAMETERS);
	CHECK(hafnium_refuses(V11, p.type, b, total, total) != NULL);
	CHECK(tfa_refuses(V11, p.type, b, total, total) != NULL);

	/* 4. TF-A's EL3 SPMC answers FFA_VERSION with 1.2 and records the
	 * caller's version, but takes memory descriptors only from a 1.0
	 * or 1.1 caller: a proxy that negotiated 1.2 with it cannot share
	 * or lend, whatever the layout. With that SPMC the embedder must
	 * negotiate 1.1. The zero-memory flag (a lend's bit 0) is refused
	 * there too. */
	p = share1();
	total = proxy_emit(V12, &p, true, b);
	CHECK(tfa_refuses(V12, p.type, b, total, total) != NULL);
	CHECK(hafnium_refuses(V12, p.type, b, total, total) == NULL);
	p = lend1();
	p.flags = FFA_MEM_FLAG_ZERO;
	total = proxy_emit(V11, &p, false, b);
	CHECK(tfa_refuses(V11, p.type, b, total, total) != NULL);
	CHECK(hafnium_refuses(V11, p.type, b, total, total) == NULL);

	/* 5. Linux before 111a833dc5cb ("Set reserved/MBZ fields to zero
	 * in the memory descriptors") left the header's reserved fields,
	 * EMAD flags and reserved words, and the composite's and
	 * constituents' reserved words as the buffer held them, and
	 * before its follow-up (Fixes: 111a833dc5cb, lore
	 * 20230601140749.93812-1) the handle too. The proxy refuses any
	 * of them non-zero (DEN0077A MBZ). Hafnium refuses the header and
	 * EMAD reserved fields too but ignores the handle, the EMAD flags
	 * and the composite/constituent reserved words; TF-A's EL3 SPMC
	 * checks none of them. So a kernel of that window whose buffer
	 * held stale bytes at the handle alone works against either SPMC
	 * directly but not through the proxy. */
	p = share1();
	total = linux_build(V10, &p, false, b);
	w64(b, 8, 0xdead0000beefull);
	CHECK_EQ(ffa_mem_parse(V10, p.type, b, total, total, &got, &err),
		 FFA_INVALID_PARAMETERS);
	CHECK(hafnium_refuses(V10, p.type, b, total, total) == NULL);
	CHECK(tfa_refuses(V10, p.type, b, total, total) == NULL);
}

/* A caller may place the EMAD array and the composite anywhere the spec
 * allows (1.1+: EMAD offset 16-aligned >= 48; composite 16-aligned past
 * the EMADs). TF-A's EL3 SPMC takes such gaps; Hafnium wants the EMADs
 * at 48 exactly. The proxy accepts the gaps and always re-emits packed,
 * which both SPMCs take. */
static void test_gaps_repacked(void)
{
	struct peer_txn p = lend2();
	struct ffa_mem_error err = { 0, NULL, 0 };
	struct ffa_mem_txn got;
	uint8_t src[BUF], out[BUF];
	uint32_t total, len = 0;

	total = put_desc(V11, &p, p.attrs, 80, 16, 144, src);
	CHECK(tfa_refuses(V11, p.type, src, total, total) == NULL);
	CHECK(hafnium_refuses(V11, p.type, src, total, total) != NULL);
	expect_parse(V11, &p, p.attrs, src, total, 144);
	CHECK_EQ(ffa_mem_parse(V11, p.type, src, total, total, &got, &err), 0);
	CHECK_EQ(ffa_mem_emit(V11, &got, out, BUF, &len), 0);
	CHECK_EQ(len, 48 + 32 + 16);
	memcpy(out + len, src + got.constituents_offset, 16 * p.nranges);
	expect_spmcs_accept(V11, &p, out, len + 16 * p.nranges);
}

int main(void)
{
	RUN(test_sizes);
	RUN(test_linux_sends);
	RUN(test_linux_1_2_with_16_byte_emads);
	RUN(test_hafnium_sends);
	RUN(test_emitted_fields);
	RUN(test_translations);
	RUN(test_known_disagreements);
	RUN(test_gaps_repacked);
	return test_summary("test_mem_peers");
}
