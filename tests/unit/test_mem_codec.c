/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/* Unit tests of the memory transaction descriptor codec (src/mem_codec.c).
 * Descriptors are built here by hand, field by field at the offsets of
 * DEN0077A, not with the emitter under test. */
#include <ffaproxy/mem.h>

#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "mem_parse_agree.h"
#include "src/mem_cons.h"

#define V10 FFA_VERSION_1_0
#define V11 FFA_VERSION_1_1
#define V12 FFA_VERSION_1_2
static const uint32_t versions[3] = { V10, V11, V12 };

#define MAXR 64
struct spec {
	uint32_t version;
	uint16_t sender, attrs;
	uint32_t flags;
	uint64_t handle, tag;
	uint32_t nrecv;
	uint16_t ids[FFA_MEM_MAX_RECEIVERS + 2];
	uint8_t perms[FFA_MEM_MAX_RECEIVERS + 2];
	uint8_t eflags[FFA_MEM_MAX_RECEIVERS + 2];
	uint32_t emad_size, emad_offset; /* 1.1+ */
	uint32_t comp_gap;               /* bytes between EMADs and composite */
	uint32_t nranges;
	uint64_t base[MAXR];
	uint32_t pages[MAXR];
	bool impdef; /* fill 1.2 IMPDEF values */
};

/* A valid share from VM 1 to two partitions, RW and RO, of 7 pages. */
static struct spec base_spec(uint32_t version)
{
	struct spec s;

	memset(&s, 0, sizeof(s));
	s.version = version;
	s.sender = 1;
	s.attrs = FFA_MEM_ATTR_NORMAL | FFA_MEM_ATTR_WRITE_BACK |
		  FFA_MEM_ATTR_INNER_SHAREABLE; /* 0x2f */
	s.tag = 0x1122334455667788ull;
	s.nrecv = 2;
	s.ids[0] = 0x8001;
	s.perms[0] = FFA_MEM_PERM_RW;
	s.ids[1] = 0x8002;
	s.perms[1] = FFA_MEM_PERM_RO;
	s.emad_size = version == V12 ? 32 : 16;
	s.emad_offset = 48;
	s.nranges = 3;
	s.base[0] = 0x80000000;
	s.pages[0] = 4;
	s.base[1] = 0x80010000;
	s.pages[1] = 1;
	s.base[2] = 0x80020000;
	s.pages[2] = 2;
	s.impdef = version == V12;
	return s;
}

/* A lend to one borrower (attributes unspecified). */
static struct spec lend_spec(uint32_t version)
{
	struct spec s = base_spec(version);

	s.attrs = 0;
	s.nrecv = 1;
	return s;
}

static uint32_t pages_of(const struct spec *s)
{
	uint32_t i, n = 0;

	for (i = 0; i < s->nranges; i++)
		n += s->pages[i];
	return n;
}

static uint8_t impdef_byte(uint32_t recv, uint32_t j)
{
	return (uint8_t)(0xa0 + recv * 16 + j);
}

/* Lay `s` out by hand; returns the length. */
static uint32_t build(const struct spec *s, uint8_t *b)
{
	uint32_t esz = s->version == V10 ? 16 : s->emad_size;
	uint32_t eoff = s->version == V10 ? 32 : s->emad_offset;
	uint32_t comp = eoff + s->nrecv * esz + s->comp_gap;
	uint32_t i, j;

	memset(b, 0, comp + 16 + 16 * s->nranges);
	ffa_put16(b + 0, s->sender);
	if (s->version == V10)
		b[2] = (uint8_t)s->attrs;
	else
		ffa_put16(b + 2, s->attrs);
	ffa_put32(b + 4, s->flags);
	ffa_put64(b + 8, s->handle);
	ffa_put64(b + 16, s->tag);
	if (s->version != V10) {
		ffa_put32(b + 24, s->emad_size);
		ffa_put32(b + 32, s->emad_offset);
	}
	ffa_put32(b + 28, s->nrecv);
	for (i = 0; i < s->nrecv; i++) {
		uint8_t *e = b + eoff + i * esz;

		ffa_put16(e, s->ids[i]);
		e[2] = s->perms[i];
		e[3] = s->eflags[i];
		ffa_put32(e + 4, comp);
		if (esz == 32 && s->impdef)
			for (j = 0; j < 16; j++)
				e[8 + j] = impdef_byte(i, j);
	}
	ffa_put32(b + comp, pages_of(s));
	ffa_put32(b + comp + 4, s->nranges);
	for (i = 0; i < s->nranges; i++) {
		uint8_t *c = b + comp + 16 + 16 * i;

		ffa_put64(c, s->base[i]);
		ffa_put32(c + 8, s->pages[i]);
	}
	return comp + 16 + 16 * s->nranges;
}

static uint8_t buf[8192], buf2[8192], buf3[8192];

/*
 * ffa_mem_parse_extent's promise, on every descriptor parsed here: copy
 * the fragment in the pieces it asks for, into a buffer whose other
 * bytes are junk; the parse of that copy agrees with the parse of the
 * whole fragment (verdict, reason, transaction), and when it succeeds
 * exactly the bytes before the constituents were copied.
 */
static void expect_extent_agrees(uint32_t version, uint32_t type,
				 const uint8_t *b, uint32_t frag,
				 uint32_t total, int line)
{
	static uint8_t part[sizeof(buf)];
	struct ffa_mem_txn t1, t2;
	struct ffa_mem_error e1 = { 0, NULL, 0 }, e2 = { 0, NULL, 0 };
	uint32_t have = 0, need, rounds = 0;
	bool more = true;
	int r1, r2;

	if (frag > sizeof(part))
		return;
	memset(part, 0xa5, sizeof(part));
	while (more) {
		need = ffa_mem_parse_extent(version, part, have, frag, &more);
		if (need < have || need > frag || ++rounds > 3)
			break;
		memcpy(part + have, b + have, need - have);
		have = need;
	}
	r1 = ffa_mem_parse(version, type, b, frag, total, &t1, &e1);
	r2 = ffa_mem_parse(version, type, part, frag, total, &t2, &e2);
	if (!mem_parse_agrees(version, type, b, frag, total)) {
		fprintf(stderr,
			"FAIL line %d: v%x type %u: the parser's screen and its "
			"rules disagree\n",
			line, version, type);
		check_failed_in_test = 1;
	}
	if (more || r1 != r2 || e1.why != e2.why || e1.value != e2.value ||
	    (!r1 && (!ffa_mem_txn_same(&t1, &t2) ||
		     have != t1.constituents_offset))) {
		fprintf(stderr,
			"FAIL line %d: v%x: parse of the extent (%u bytes, %u "
			"rounds) disagrees: %d \"%s\" vs %d \"%s\"\n",
			line, version, have, rounds, r2,
			e2.why ? e2.why : "-", r1, e1.why ? e1.why : "-");
		check_failed_in_test = 1;
	}
}

static void expect_refused_at(uint32_t version, uint32_t type,
			      const uint8_t *b, uint32_t frag, uint32_t total,
			      const char *why, int line)
{
	struct ffa_mem_txn t;
	struct ffa_mem_error err = { 0, NULL, 0 };
	int ret = ffa_mem_parse(version, type, b, frag, total, &t, &err);

	expect_extent_agrees(version, type, b, frag, total, line);

	if (ret != FFA_INVALID_PARAMETERS || err.status != ret || !err.why ||
	    strcmp(err.why, why) != 0) {
		fprintf(stderr,
			"FAIL line %d: v%x type %u: ret %d why \"%s\", want "
			"\"%s\"\n",
			line, version, type, ret, err.why ? err.why : "(none)",
			why);
		check_failed_in_test = 1;
	}
}
#define REFUSED(v, type, b, frag, total, why) \
	expect_refused_at(v, type, b, frag, total, why, __LINE__)

/* Build `s`, refuse it as `type` with `why`. */
#define REFUSED_SPEC(s, type, why)                                   \
	do {                                                         \
		uint32_t n_ = build(&(s), buf);                      \
		REFUSED((s).version, type, buf, n_, n_, why);        \
	} while (0)

static int parse_ok(const struct spec *s, uint32_t type, struct ffa_mem_txn *t)
{
	uint32_t n = build(s, buf);
	struct ffa_mem_error err = { 0, NULL, 0 };
	int ret = ffa_mem_parse(s->version, type, buf, n, n, t, &err);

	expect_extent_agrees(s->version, type, buf, n, n, __LINE__);
	if (ret)
		fprintf(stderr, "  parse v%x: %s (0x%llx)\n", s->version,
			err.why, (unsigned long long)err.value);
	return ret;
}

/* ---- a hand-built valid descriptor per version */

static void test_parse_valid_each_version(void)
{
	uint32_t vi, i, j;

	for (vi = 0; vi < 3; vi++) {
		struct spec s = base_spec(versions[vi]);
		struct ffa_mem_txn t;
		uint32_t n = build(&s, buf);
		uint32_t hdr = vi == 0 ? 32 : 48, esz = vi == 2 ? 32 : 16;

		CHECK_EQ(ffa_mem_parse(s.version, FFA_MEM_TXN_SHARE, buf, n, n,
				       &t, NULL),
			 0);
		CHECK_EQ(t.sender, 1);
		CHECK_EQ(t.attributes, 0x2f);
		CHECK_EQ(t.flags, 0);
		CHECK_EQ(t.handle, 0);
		CHECK_EQ(t.tag, 0x1122334455667788ull);
		CHECK_EQ(t.receiver_count, 2);
		CHECK_EQ(t.receivers[0].id, 0x8001);
		CHECK_EQ(t.receivers[0].perms, FFA_MEM_PERM_RW);
		CHECK_EQ(t.receivers[1].id, 0x8002);
		CHECK_EQ(t.receivers[1].perms, FFA_MEM_PERM_RO);
		CHECK_EQ(t.receivers[1].flags, 0);
		CHECK_EQ(t.receivers[0].composite_offset, hdr + 2 * esz);
		CHECK_EQ(t.receivers[1].composite_offset, hdr + 2 * esz);
		for (i = 0; i < 2; i++)
			for (j = 0; j < 16; j++)
				CHECK_EQ(t.receivers[i].impdef[j],
					 vi == 2 ? impdef_byte(i, j) : 0);
		CHECK_EQ(t.total_pages, 7);
		CHECK_EQ(t.range_count, 3);
		CHECK_EQ(t.version, versions[vi]);
		CHECK_EQ(t.header_size, hdr);
		CHECK_EQ(t.emad_size, esz);
		CHECK_EQ(t.emad_offset, hdr);
		CHECK_EQ(t.composite_offset, hdr + 2 * esz);
		CHECK_EQ(t.constituents_offset, hdr + 2 * esz + 16);
		CHECK_EQ(t.constituents_in_fragment, 3);
		CHECK_EQ(t.total_len, n);
		CHECK_EQ(t.frag_len, n);
		CHECK_EQ(n, hdr + 2 * esz + 16 + 48);
	}
}

/* Offsets are honoured: an EMAD array after a gap, a composite after a
 * gap, 16-byte EMADs from a 1.2 sender, 1.3 read as 1.2. */
static void test_parse_offsets_honoured(void)
{
	struct ffa_mem_txn t;
	struct spec s = base_spec(V11);

	s.emad_offset = 64;
	s.comp_gap = 32;
	CHECK_EQ(parse_ok(&s, FFA_MEM_TXN_SHARE, &t), 0);
	CHECK_EQ(t.emad_offset, 64);
	CHECK_EQ(t.composite_offset, 64 + 32 + 32);
	CHECK_EQ(t.receivers[1].id, 0x8002);
	CHECK_EQ(t.total_pages, 7);

	s = base_spec(V10);
	s.comp_gap = 16;
	CHECK_EQ(parse_ok(&s, FFA_MEM_TXN_SHARE, &t), 0);
	CHECK_EQ(t.composite_offset, 32 + 32 + 16);

	s = base_spec(V12);
	s.emad_size = 16;
	CHECK_EQ(parse_ok(&s, FFA_MEM_TXN_SHARE, &t), 0);
	CHECK_EQ(t.emad_size, 16);
	CHECK_EQ(t.receivers[0].impdef[0], 0);

	s = base_spec(V12);
	s.version = FFA_VERSION_1_3;
	CHECK_EQ(parse_ok(&s, FFA_MEM_TXN_SHARE, &t), 0);
	CHECK_EQ(t.version, V12);
}

/* Valid variants that the policy must not refuse. */
static void test_parse_valid_variants(void)
{
	uint32_t vi;

	for (vi = 0; vi < 3; vi++) {
		struct ffa_mem_txn t;
		struct spec s = lend_spec(versions[vi]);

		CHECK_EQ(parse_ok(&s, FFA_MEM_TXN_LEND, &t), 0);
		s.flags = FFA_MEM_FLAG_ZERO;
		CHECK_EQ(parse_ok(&s, FFA_MEM_TXN_LEND, &t), 0);
		CHECK_EQ(t.flags, FFA_MEM_FLAG_ZERO);
		/* Donate: no type, no data access, zeroing allowed. */
		s.perms[0] = 0;
		CHECK_EQ(parse_ok(&s, FFA_MEM_TXN_DONATE, &t), 0);
		/* Lend to several borrowers names the type. */
		s = base_spec(versions[vi]);
		s.perms[1] = FFA_MEM_PERM_RW;
		s.flags = FFA_MEM_FLAG_ZERO;
		CHECK_EQ(parse_ok(&s, FFA_MEM_TXN_LEND, &t), 0);
		/* Device memory, non-cacheable normal, outer shareable. */
		s = base_spec(versions[vi]);
		s.attrs = FFA_MEM_ATTR_DEVICE | (2u << 2);
		CHECK_EQ(parse_ok(&s, FFA_MEM_TXN_SHARE, &t), 0);
		s.attrs = FFA_MEM_ATTR_NORMAL | FFA_MEM_ATTR_NON_CACHEABLE |
			  FFA_MEM_ATTR_OUTER_SHAREABLE;
		CHECK_EQ(parse_ok(&s, FFA_MEM_TXN_SHARE, &t), 0);
		/* All FFA_MEM_MAX_RECEIVERS receivers. */
		s = lend_spec(versions[vi]);
		s.attrs = 0x2f;
		s.nrecv = FFA_MEM_MAX_RECEIVERS;
		for (uint32_t i = 0; i < s.nrecv; i++) {
			s.ids[i] = (uint16_t)(0x8001 + i);
			s.perms[i] = FFA_MEM_PERM_RW;
		}
		CHECK_EQ(parse_ok(&s, FFA_MEM_TXN_SHARE, &t), 0);
		CHECK_EQ(t.receivers[FFA_MEM_MAX_RECEIVERS - 1].id,
			 0x8000 + FFA_MEM_MAX_RECEIVERS);
	}
}

/* ---- one test per rejection rule: exactly one field wrong */

static void test_reject_lengths(void)
{
	uint32_t vi;

	for (vi = 0; vi < 3; vi++) {
		uint32_t v = versions[vi];
		struct spec s = base_spec(v);
		uint32_t n = build(&s, buf);

		REFUSED(v, 1, buf, n - 8, n, "fragment length not a multiple of 16");
		REFUSED(v, 1, buf, n - 16, n - 8, "total length not a multiple of 16");
		REFUSED(v, 1, buf, n, n - 16, "fragment longer than the total length");
		REFUSED(v, 1, buf, 16, n, "fragment shorter than the header");
		REFUSED(v, 1, buf, n, n + 16,
			"total length does not match the address range count");
		REFUSED(v, 1, buf, n - 16, n - 16,
			"total length does not match the address range count");
	}
	REFUSED(FFA_MAKE_VERSION(2, 0), 1, buf, 128, 128,
		"unsupported FF-A version for a memory descriptor");
	REFUSED(FFA_MAKE_VERSION(1, 4), 1, buf, 128, 128,
		"unsupported FF-A version for a memory descriptor");
	REFUSED(V11, 0, buf, 128, 128, "unknown memory transaction type");
	REFUSED(V11, 4, buf, 128, 128, "unknown memory transaction type");
	/* A descriptor the one-receiver screen takes whole: its type still
	 * decides (the screen refuses an unknown one, the parse says why). */
	for (vi = 0; vi < 3; vi++) {
		struct spec s = base_spec(versions[vi]);
		struct ffa_mem_txn t;
		uint32_t n, type;

		s.nrecv = 1;
		n = build(&s, buf);
		CHECK(ffa_mem_parse_screen(s.version, FFA_MEM_TXN_SHARE, buf, n,
					   n, &t));
		/* A fragment 16 bytes past a total the ranges match: the
		 * screen's own length rule refuses it, not the total's. */
		memset(buf + n, 0, 16);
		CHECK(!ffa_mem_parse_screen(s.version, FFA_MEM_TXN_SHARE, buf,
					    n + 16, n, &t));
		REFUSED(s.version, FFA_MEM_TXN_SHARE, buf, n + 16, n,
			"fragment longer than the total length");
		for (type = 0; type <= 4; type += 4) {
			CHECK(!ffa_mem_parse_screen(s.version, type, buf, n, n,
						    &t));
			REFUSED(s.version, type, buf, n, n,
				"unknown memory transaction type");
		}
	}
}

static void test_reject_header_reserved(void)
{
	struct spec s = base_spec(V10);
	uint32_t n = build(&s, buf);

	buf[3] = 1;
	REFUSED(V10, 1, buf, n, n, "reserved header field not zero");
	buf[3] = 0;
	buf[24] = 1;
	REFUSED(V10, 1, buf, n, n, "reserved header field not zero");

	s = base_spec(V11);
	n = build(&s, buf);
	buf[47] = 1;
	REFUSED(V11, 1, buf, n, n, "reserved header field not zero");
	buf[47] = 0;
	buf[36] = 0x80;
	REFUSED(V11, 1, buf, n, n, "reserved header field not zero");
}

static void test_reject_emad_size_offset(void)
{
	struct spec s = base_spec(V11);
	uint32_t n;

	s.emad_size = 32; /* 1.2 EMADs from a 1.1 sender */
	REFUSED_SPEC(s, 1, "EMAD size not valid for the version");
	s = base_spec(V12);
	s.emad_size = 48;
	REFUSED_SPEC(s, 1, "EMAD size not valid for the version");
	s = base_spec(V12);
	s.emad_size = 0;
	REFUSED_SPEC(s, 1, "EMAD size not valid for the version");
	s = base_spec(V11);
	n = build(&s, buf);
	ffa_put32(buf + 32, 32); /* EMADs stay at 48: only the field lies */
	REFUSED(V11, 1, buf, n, n, "EMAD offset inside the header");
	s = base_spec(V12);
	s.emad_offset = 56;
	s.comp_gap = 8; /* keep the composite and the lengths 16-aligned */
	REFUSED_SPEC(s, 1, "EMAD offset not 16-byte aligned");
}

static void test_reject_receiver_count(void)
{
	uint32_t vi;

	for (vi = 0; vi < 3; vi++) {
		struct spec s = base_spec(versions[vi]);
		uint32_t n = build(&s, buf);

		ffa_put32(buf + 28, 0);
		REFUSED(versions[vi], 1, buf, n, n, "no receivers");
		ffa_put32(buf + 28, FFA_MEM_MAX_RECEIVERS + 1);
		REFUSED(versions[vi], 1, buf, n, n, "too many receivers");
		/* A count that fits the limit but not the fragment. */
		ffa_put32(buf + 28, FFA_MEM_MAX_RECEIVERS);
		REFUSED(versions[vi], 1, buf, 96, n,
			"EMAD array past the fragment");
	}
}

/* EMAD offset far outside the fragment, including near 2^32 (the pKVM
 * a6b49d27 and integer overflow attacks). */
static void test_reject_emad_offset_outside(void)
{
	struct spec s = base_spec(V11);
	uint32_t n = build(&s, buf);

	ffa_put32(buf + 32, 0xfffffff0u);
	REFUSED(V11, 1, buf, n, n, "EMAD array past the fragment");
	ffa_put32(buf + 32, n);
	REFUSED(V11, 1, buf, n, n, "EMAD array past the fragment");
	/* Inside the total but beyond the first fragment. */
	s = base_spec(V12);
	n = build(&s, buf);
	REFUSED(V12, 1, buf, 96, n, "EMAD array past the fragment");
}

static void test_reject_emad_fields(void)
{
	uint32_t vi;

	for (vi = 0; vi < 3; vi++) {
		uint32_t v = versions[vi];
		uint32_t eoff = vi == 0 ? 32 : 48, esz = vi == 2 ? 32 : 16;
		struct spec s = base_spec(v);
		uint32_t n = build(&s, buf);

		/* Reserved: bytes 8..15 of a 16-byte EMAD, 24..31 of a 32. */
		buf[eoff + esz + (esz == 32 ? 31 : 15)] = 1;
		REFUSED(v, 1, buf, n, n, "EMAD reserved field not zero");
		build(&s, buf);
		buf[eoff + (esz == 32 ? 24 : 8)] = 1;
		REFUSED(v, 1, buf, n, n, "EMAD reserved field not zero");

		s = base_spec(v);
		s.perms[1] = FFA_MEM_PERM_RW | 0x10;
		REFUSED_SPEC(s, 1, "permission bits[7:4] not zero");
		s.perms[1] = 3;
		REFUSED_SPEC(s, 1, "reserved data access permission");
		s.perms[1] = FFA_MEM_PERM_RW | (3u << 2);
		REFUSED_SPEC(s, 1, "reserved instruction access permission");

		s = base_spec(v);
		n = build(&s, buf);
		ffa_put32(buf + eoff + esz + 4,
			  ffa_get32(buf + eoff + 4) + 16);
		REFUSED(v, 1, buf, n, n,
			"composite offsets differ between receivers");

		s = base_spec(v);
		s.ids[1] = s.sender;
		REFUSED_SPEC(s, 1, "receiver is the sender");
		s = base_spec(v);
		s.ids[1] = s.ids[0];
		REFUSED_SPEC(s, 1, "receiver listed twice");
	}
}

static void test_reject_composite(void)
{
	uint32_t vi;

	for (vi = 0; vi < 3; vi++) {
		uint32_t v = versions[vi];
		uint32_t eoff = vi == 0 ? 32 : 48, esz = vi == 2 ? 32 : 16;
		uint32_t comp = eoff + 2 * esz;
		struct spec s = base_spec(v);
		uint32_t n = build(&s, buf);

		/* Both EMADs moved together, so only the value is wrong. */
		ffa_put32(buf + eoff + 4, comp + 8);
		ffa_put32(buf + eoff + esz + 4, comp + 8);
		REFUSED(v, 1, buf, n, n, "composite offset not 16-byte aligned");
		ffa_put32(buf + eoff + 4, comp - 16);
		ffa_put32(buf + eoff + esz + 4, comp - 16);
		REFUSED(v, 1, buf, n, n,
			"composite offset inside the header or EMADs");
		ffa_put32(buf + eoff + 4, 0);
		ffa_put32(buf + eoff + esz + 4, 0);
		REFUSED(v, 1, buf, n, n,
			"composite offset inside the header or EMADs");
		ffa_put32(buf + eoff + 4, 0xfffffff0u);
		ffa_put32(buf + eoff + esz + 4, 0xfffffff0u);
		REFUSED(v, 1, buf, n, n, "composite header past the fragment");

		/* The composite header must be in the first fragment. */
		n = build(&s, buf);
		REFUSED(v, 1, buf, comp, n, "composite header past the fragment");

		build(&s, buf);
		buf[comp + 15] = 1;
		REFUSED(v, 1, buf, n, n, "composite reserved field not zero");

		build(&s, buf);
		ffa_put32(buf + comp + 4, 0);
		REFUSED(v, 1, buf, comp + 16, comp + 16, "no address ranges");
		ffa_put32(buf + comp + 4, 2);
		REFUSED(v, 1, buf, n, n,
			"total length does not match the address range count");
		ffa_put32(buf + comp + 4, 0x10000001u); /* *16 wraps u32 */
		REFUSED(v, 1, buf, n, n,
			"total length does not match the address range count");
		build(&s, buf);
		ffa_put32(buf + comp, 2);
		REFUSED(v, 1, buf, n, n,
			"total page count below the address range count");
	}
}

static void test_reject_send_policy(void)
{
	uint32_t vi, j;

	for (vi = 0; vi < 3; vi++) {
		uint32_t v = versions[vi];
		struct spec s = base_spec(v);
		struct ffa_mem_txn t;

		s.handle = 1;
		REFUSED_SPEC(s, 1, "handle not zero in a send");
		s = base_spec(v);
		s.flags = 1u << 2;
		REFUSED_SPEC(s, 1, "undefined transaction flags set");
		s.flags = 1u << 31;
		REFUSED_SPEC(s, 1, "undefined transaction flags set");
		s.flags = FFA_MEM_FLAG_ZERO;
		REFUSED_SPEC(s, FFA_MEM_TXN_SHARE, "zero-memory flag on a share");
		/* Time slicing: the proxy does not time slice, so the flag
		 * must be zero (DEN0077A 1.0 Table 5.20), on every type. */
		s.flags = FFA_MEM_FLAG_TIME_SLICE;
		REFUSED_SPEC(s, FFA_MEM_TXN_SHARE,
			     "time-slicing flag: the proxy does not time slice");
		s = lend_spec(v);
		s.flags = FFA_MEM_FLAG_ZERO | FFA_MEM_FLAG_TIME_SLICE;
		REFUSED_SPEC(s, FFA_MEM_TXN_LEND,
			     "time-slicing flag: the proxy does not time slice");
		s.perms[0] = 0;
		REFUSED_SPEC(s, FFA_MEM_TXN_DONATE,
			     "time-slicing flag: the proxy does not time slice");

		s = base_spec(v);
		s.attrs |= 0x80;
		REFUSED_SPEC(s, 1, "reserved attribute bits set");
		s = base_spec(v);
		s.attrs = 0x30 | 0x0f;
		REFUSED_SPEC(s, 1, "reserved memory type");

		s = lend_spec(v);
		s.attrs = 0x2f;
		REFUSED_SPEC(s, FFA_MEM_TXN_LEND,
			     "memory type must be unspecified for a lend to "
			     "one borrower or a donate");
		s.perms[0] = 0;
		REFUSED_SPEC(s, FFA_MEM_TXN_DONATE,
			     "memory type must be unspecified for a lend to "
			     "one borrower or a donate");
		s = base_spec(v);
		s.attrs = 0;
		REFUSED_SPEC(s, FFA_MEM_TXN_SHARE,
			     "memory type not specified for a share or a lend "
			     "to several borrowers");
		REFUSED_SPEC(s, FFA_MEM_TXN_LEND,
			     "memory type not specified for a share or a lend "
			     "to several borrowers");
		/* With the type not specified, bits[3:0] mean nothing and
		 * are ignored (DEN0077A 1.0 Table 5.18, 5.11.4: only a type
		 * other than b00 is refused in a lend to one borrower or a
		 * donate); Arm's FF-A ACS lends with 0x0e, Hafnium's vmlib
		 * and TF-A's tftf with 0x0f. One borrower (the screen) and
		 * a donate. */
		for (j = 0; j < 16; j++) {
			s = lend_spec(v);
			s.attrs = j;
			CHECK_EQ(parse_ok(&s, FFA_MEM_TXN_LEND, &t), 0);
			CHECK_EQ(t.attributes, j);
			s.perms[0] = 0;
			CHECK_EQ(parse_ok(&s, FFA_MEM_TXN_DONATE, &t), 0);
		}
		s = base_spec(v);
		s.attrs = 0x0f;
		REFUSED_SPEC(s, FFA_MEM_TXN_LEND,
			     "memory type not specified for a share or a lend "
			     "to several borrowers");
		s = base_spec(v);
		s.attrs = FFA_MEM_ATTR_NORMAL | FFA_MEM_ATTR_INNER_SHAREABLE;
		REFUSED_SPEC(s, 1, "reserved cacheability");
		s.attrs = FFA_MEM_ATTR_NORMAL | (2u << 2) | 3u;
		REFUSED_SPEC(s, 1, "reserved cacheability");
		s.attrs = FFA_MEM_ATTR_NORMAL | FFA_MEM_ATTR_WRITE_BACK | 1u;
		REFUSED_SPEC(s, 1, "reserved shareability");
		/* Device memory: bits[1:0] are reserved, MBZ (DEN0077A
		 * 1.0 Table 5.18, "Reserved & MBZ if bit[5:4] = b01"), for
		 * any device type; the one-receiver share too (the screen). */
		for (j = 0; j < 4; j++) {
			s = base_spec(v);
			s.attrs = FFA_MEM_ATTR_DEVICE | (j << 2) |
				  FFA_MEM_ATTR_INNER_SHAREABLE;
			REFUSED_SPEC(s, 1, "shareability set for device memory");
			s.attrs = FFA_MEM_ATTR_DEVICE | (j << 2) | 1u;
			s.nrecv = 1;
			REFUSED_SPEC(s, 1, "shareability set for device memory");
			s.attrs = FFA_MEM_ATTR_DEVICE | (j << 2);
			CHECK_EQ(parse_ok(&s, 1, &t), 0);
		}

		s = base_spec(v);
		s.eflags[1] = 1;
		REFUSED_SPEC(s, 1, "EMAD flags not zero in a send");
		s = base_spec(v);
		s.perms[0] |= FFA_MEM_PERM_NX;
		REFUSED_SPEC(s, 1, "instruction access specified by the sender");
		s.perms[0] = FFA_MEM_PERM_RW | FFA_MEM_PERM_X;
		REFUSED_SPEC(s, 1, "instruction access specified by the sender");
		s = base_spec(v);
		s.perms[1] = 0;
		REFUSED_SPEC(s, FFA_MEM_TXN_SHARE, "data access not specified");
		s = lend_spec(v);
		s.perms[0] = 0;
		REFUSED_SPEC(s, FFA_MEM_TXN_LEND, "data access not specified");
		s = lend_spec(v);
		REFUSED_SPEC(s, FFA_MEM_TXN_DONATE,
			     "data access specified on a donate");
		/* Ownership goes to one receiver (Hafnium api_ffa_mem_send):
		 * an otherwise valid donate to two is refused. */
		s = base_spec(v);
		s.attrs = 0;
		s.perms[0] = 0;
		s.perms[1] = 0;
		REFUSED_SPEC(s, FFA_MEM_TXN_DONATE,
			     "a donate names more than one receiver");
		s.nrecv = 1;
		CHECK_EQ(parse_ok(&s, FFA_MEM_TXN_DONATE, &t), 0);
		/* Zero memory for a read-only borrower is valid: bit 0 is
		 * MBZ on a share, and DENIED only when the owner has
		 * read-only access (DEN0077A 1.0 Table 5.20; Hafnium checks
		 * the sender's write access, no receiver's). One borrower
		 * (the screen) and two. */
		s = lend_spec(v);
		s.perms[0] = FFA_MEM_PERM_RO;
		s.flags = FFA_MEM_FLAG_ZERO;
		CHECK_EQ(parse_ok(&s, FFA_MEM_TXN_LEND, &t), 0);
		CHECK_EQ(t.flags, FFA_MEM_FLAG_ZERO);
		s = base_spec(v);
		s.flags = FFA_MEM_FLAG_ZERO;
		CHECK_EQ(parse_ok(&s, FFA_MEM_TXN_LEND, &t), 0);
	}
	/* NS: only 1.1+ has the bit; in 1.0 bit 6 is simply reserved. */
	{
		struct spec s = base_spec(V11);

		s.attrs |= FFA_MEM_ATTR_NS;
		REFUSED_SPEC(s, 1, "NS attribute bit set by a sender");
		s.version = V12;
		s.emad_size = 32;
		REFUSED_SPEC(s, 1, "NS attribute bit set by a sender");
		s = base_spec(V11);
		s.attrs |= 0x100;
		REFUSED_SPEC(s, 1, "reserved attribute bits set");
		s = base_spec(V10);
		s.attrs |= FFA_MEM_ATTR_NS;
		REFUSED_SPEC(s, 1, "reserved attribute bits set");
	}
}

/* ---- truncation: every length refused or parsed within bounds */

/*
 * ffa_mem_parse screens the common send (one receiver) in whole words
 * and leaves everything else to its rules; its answer must be the rules'
 * answer exactly. Every attribute and header flag value, every
 * permission and EMAD flag byte, per version, type and EMAD size; then
 * random byte changes anywhere in the header, the EMAD and the
 * composite, and random lengths.
 */
static uint32_t agree_fail;

static void agree(uint32_t version, uint32_t type, const uint8_t *b,
		  uint32_t frag, uint32_t total)
{
	if (!mem_parse_agrees(version, type, b, frag, total) &&
	    agree_fail++ < 5)
		fprintf(stderr,
			"  screen and rules disagree: v%x type %u frag %u "
			"total %u, bytes 0..8 %02x %02x %02x %02x %02x\n",
			version, type, frag, total, b[0], b[2], b[3], b[4],
			b[5]);
}

/* ffa_mem_emit_usual, where the share path takes it (a usual 1.2
 * header that parses), writes exactly ffa_mem_emit's bytes, into every
 * SPMC version it copies for; it copies for 1.2 and 1.3. */
static uint32_t emit_usual_fail, emit_usual_copied;

static void expect_emit_usual(uint32_t version, const uint8_t *b,
			      uint32_t frag, uint32_t total)
{
	static const uint32_t spmc[] = { V10, V11, V12, FFA_VERSION_1_3,
					 0x10004 };
	struct ffa_mem_txn t;
	struct ffa_mem_error e;
	uint8_t a[256], c[256];
	uint32_t i, la, lc;

	if (!ffa_mem_usual_v1_2(b, frag < 96 ? frag : 96) ||
	    ffa_mem_parse(version, FFA_MEM_TXN_SHARE, b, frag, total, &t,
			  &e) ||
	    version < V12)
		return;
	for (i = 0; i < sizeof(spmc) / 4; i++) {
		memset(a, 0x5a, sizeof(a));
		memset(c, 0x5a, sizeof(c));
		la = lc = 0;
		if (!ffa_mem_emit_usual(spmc[i], b, c, sizeof(c), &lc)) {
			emit_usual_fail += spmc[i] - V12 <= 1u;
			emit_usual_fail += memcmp(a, c, sizeof(c)) != 0;
			continue;
		}
		emit_usual_copied++;
		emit_usual_fail += ffa_mem_emit(spmc[i], &t, a, sizeof(a),
						&la) != 0 ||
				   la != lc || memcmp(a, c, sizeof(a)) != 0;
		/* Too small a buffer: declined, as ffa_mem_emit refuses. */
		emit_usual_fail += ffa_mem_emit_usual(spmc[i], b, c, 95, &lc);
		/* One of exactly 96 bytes: copied, as ffa_mem_emit takes a
		 * buffer of exactly its size. */
		lc = 0;
		emit_usual_fail += !ffa_mem_emit_usual(spmc[i], b, c, 96, &lc) ||
				   lc != 96;
	}
}

/* ffa_mem_emit_usual_16, where the share path takes it (a header of
 * 16-byte EMADs that the screen takes), writes exactly ffa_mem_emit's
 * bytes, into every SPMC version it copies for; it copies for the
 * same-layout pairs: a 64-byte (1.0) header to a 1.0 SPMC, an 80-byte
 * one (1.1, or 1.2+ with 16-byte EMADs) to a 1.1 SPMC. */
static uint32_t emit_usual_16_fail, emit_usual_16_copied;

static void expect_emit_usual_16(uint32_t version, const uint8_t *b,
				 uint32_t frag, uint32_t total)
{
	static const uint32_t spmc[] = { V10, V11, V12, FFA_VERSION_1_3,
					 0x10004, 0x80010000u };
	struct ffa_mem_txn t;
	uint8_t a[256], c[256];
	uint32_t i, la, lc, size;
	bool same;

	if (!ffa_mem_parse_screen(version, FFA_MEM_TXN_SHARE, b, frag, total,
				  &t) ||
	    t.emad_size != FFA_MEM_EMAD_SIZE_V1_0)
		return;
	size = t.constituents_offset;
	for (i = 0; i < sizeof(spmc) / 4; i++) {
		same = (spmc[i] == V10 && size == 64) ||
		       (spmc[i] == V11 && size == 80);
		memset(a, 0x5a, sizeof(a));
		memset(c, 0x5a, sizeof(c));
		la = lc = 0;
		if (!ffa_mem_emit_usual_16(spmc[i], size, b, c, sizeof(c),
					   &lc)) {
			emit_usual_16_fail += same;
			emit_usual_16_fail += memcmp(a, c, sizeof(c)) != 0;
			continue;
		}
		emit_usual_16_copied++;
		emit_usual_16_fail += !same;
		emit_usual_16_fail += ffa_mem_emit(spmc[i], &t, a, sizeof(a),
						   &la) != 0 ||
				      la != lc || memcmp(a, c, sizeof(a)) != 0;
		/* Too small a buffer: declined, as ffa_mem_emit refuses. */
		emit_usual_16_fail += ffa_mem_emit_usual_16(spmc[i], size, b, c,
							    size - 1, &lc);
		/* One of exactly `size` bytes: copied, as ffa_mem_emit
		 * takes a buffer of exactly its size. */
		lc = 0;
		emit_usual_16_fail += !ffa_mem_emit_usual_16(spmc[i], size, b,
							     c, size, &lc) ||
				      lc != size;
	}
}

/* The screen reads no byte past the caller's first read
 * (ffa_mem_usual_size: 64 bytes for 1.0, 80 for 1.1, 96 for 1.2+; the
 * share path asks it on that read): junk after them changes nothing. */
static uint32_t screen_usual_fail, screen_usual_taken;

static void expect_screen_reads_usual(uint32_t version, uint32_t type,
				   const uint8_t *b, uint32_t frag,
				   uint32_t total)
{
	static uint8_t part[8192];
	struct ffa_mem_txn t1, t2;
	uint32_t j, have = ffa_mem_usual_size(version);
	bool s1, s2;

	if (have > frag)
		have = frag;
	if (frag > sizeof(part))
		return;
	s1 = ffa_mem_parse_screen(version, type, b, frag, total, &t1);
	for (j = 0; j < 2; j++) {
		memset(part, j ? 0x5a : 0xa5, frag);
		memcpy(part, b, have);
		s2 = ffa_mem_parse_screen(version, type, part, frag, total,
					  &t2);
		screen_usual_fail +=
			s1 != s2 ||
			(s1 && (!ffa_mem_txn_same(&t1, &t2) ||
				t1.emad_size != t2.emad_size ||
				t1.constituents_offset !=
					t2.constituents_offset ||
				t1.constituents_in_fragment !=
					t2.constituents_in_fragment));
	}
	screen_usual_taken += s1;
}

/* The extent's fast case (ffa_mem_usual_v1_2) answers as its arithmetic
 * does, for every first read the share path makes and around it. */
static uint32_t extent_fast_fail, extent_fast_taken;

static void expect_extent_fast(uint32_t version, const uint8_t *b,
			       uint32_t frag)
{
	static const uint32_t vers[] = { V10, V11, V12, FFA_VERSION_1_3,
					 0x10004, 0x80010002u };
	static const uint32_t haves[] = { 0, 80, 95, 96, 97, 112 };
	uint32_t vi, hi, n1, n2;
	bool m1 = true, m2 = false;

	(void)version;
	for (vi = 0; vi < sizeof(vers) / 4; vi++)
		for (hi = 0; hi < sizeof(haves) / 4; hi++) {
			uint32_t have = haves[hi] < frag ? haves[hi] : frag;

			extent_fast_taken += ffa_mem_usual_v1_2(b, have) &&
					     vers[vi] != V10;
			n1 = ffa_mem_extent(vers[vi], b, have, frag, &m1);
			n2 = ffa_mem_extent_rules(vers[vi], b, have, frag,
						  &m2);
			extent_fast_fail += n1 != n2 || m1 != m2;
		}
}

static void test_parse_screen_agrees(void)
{
	static const uint32_t flags[] = { 0, 1, 2, 3, 4, 0x100, 0x80000000u };
	static const uint8_t eflags[] = { 0, 1, 0x80 };
	const uint32_t vers[] = { V10, V11, V12, FFA_VERSION_1_3 };
	uint64_t rng = 0x9e3779b97f4a7c15ull, accepted = 0;
	uint32_t vi, type, a, f, pm, ef, esz, i;

	agree_fail = 0;
	for (vi = 0; vi < 4; vi++)
	for (esz = 16; esz <= 32; esz += 16) {
		struct spec s = lend_spec(vi ? vers[vi] : V10);

		s.version = vers[vi];
		if (esz == 32 && vers[vi] < V12)
			continue;
		if (vers[vi] == V10 && esz == 32)
			continue;
		s.emad_size = esz;
		s.impdef = esz == 32;
		s.ids[0] = 0x8001;
		for (type = FFA_MEM_TXN_SHARE; type <= FFA_MEM_TXN_DONATE;
		     type++) {
			uint32_t n;

			for (a = 0; a < 0x200; a++)
				for (f = 0; f < sizeof(flags) / 4; f++) {
					s.attrs = (uint16_t)a;
					s.flags = flags[f];
					s.perms[0] = type == FFA_MEM_TXN_DONATE
							     ? 0
							     : FFA_MEM_PERM_RW;
					n = build(&s, buf);
					agree(s.version, type, buf, n, n);
				}
			for (pm = 0; pm < 0x100; pm++)
				for (ef = 0; ef < sizeof(eflags); ef++)
					for (f = 0; f < sizeof(flags) / 4; f++) {
						s.attrs = type == FFA_MEM_TXN_SHARE
								  ? 0x2f
								  : 0;
						s.perms[0] = (uint8_t)pm;
						s.eflags[0] = eflags[ef];
						s.flags = flags[f];
						n = build(&s, buf);
						agree(s.version, type, buf, n, n);
					}
			s.perms[0] = type == FFA_MEM_TXN_DONATE ? 0
								: FFA_MEM_PERM_RW;
			s.eflags[0] = 0;
			s.flags = 0;
			s.attrs = type == FFA_MEM_TXN_SHARE ? 0x2f : 0;
			n = build(&s, buf);
			{
				struct ffa_mem_txn t;
				struct ffa_mem_error e;

				/* The sweeps start from a valid one, in a
				 * layout senders use: the screen takes it. */
				CHECK_EQ(ffa_mem_parse(s.version, type, buf, n,
						       n, &t, &e),
					 0);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
				CHECK(ffa_mem_parse_screen(s.version, type, buf,
							   n, n, &t));
#endif
				expect_emit_usual(s.version, buf, n, n);
				expect_emit_usual_16(s.version, buf, n, n);
			}
			for (i = 0; i < 20000; i++) {
				uint32_t k, frag = n, total = n;
				int ok;
				struct ffa_mem_txn t;
				struct ffa_mem_error e;

				memcpy(buf2, buf, n);
				for (k = 0; k < 1 + i % 3; k++) {
					rng = rng * 6364136223846793005ull +
					      1442695040888963407ull;
					/* Mostly the bytes before the
					 * constituents. */
					buf2[(rng >> 33) % (n - 32)] ^=
						(uint8_t)(1u << (rng >> 29 & 7) |
							  (i & 8 ? rng >> 40 : 0));
				}
				if (i % 7 == 0) {
					rng = rng * 6364136223846793005ull + 1;
					frag = n - 16 * (uint32_t)(rng >> 62);
				}
				if (i % 11 == 0)
					total = n + 16;
				agree(s.version, type, buf2, frag, total);
				expect_emit_usual(s.version, buf2, frag, total);
				expect_emit_usual_16(s.version, buf2, frag,
						     total);
				expect_extent_fast(s.version, buf2, frag);
				expect_screen_reads_usual(s.version, type, buf2,
						       frag, total);
				ok = ffa_mem_parse(s.version, type, buf2, frag,
						   total, &t, &e) == 0;
				accepted += ok;
			}
		}
	}
	CHECK_EQ(agree_fail, 0);
	CHECK_EQ(emit_usual_fail, 0);
	CHECK(emit_usual_copied > 1000);
	CHECK_EQ(emit_usual_16_fail, 0);
	CHECK(emit_usual_16_copied > 1000);
	CHECK_EQ(extent_fast_fail, 0);
	CHECK_EQ(screen_usual_fail, 0);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	CHECK(screen_usual_taken > 1000);
#endif
	CHECK(extent_fast_taken > 1000);
	/* The random changes also reach accepted descriptors (tag, IMPDEF,
	 * addresses), so both sides of the screen were compared. */
	CHECK(accepted > 1000);
}

static void test_truncated_every_length(void)
{
	uint32_t vi, len;

	for (vi = 0; vi < 3; vi++) {
		struct spec s = base_spec(versions[vi]);
		uint32_t n = build(&s, buf);
		uint32_t cons = n - 48;

		for (len = 0; len <= n; len++) {
			/* Exactly `len` bytes of heap: a read past them is
			 * caught by ASan/valgrind. */
			uint8_t *copy = malloc(len ? len : 1);
			struct ffa_mem_txn t;
			struct ffa_mem_error err;
			int whole, first;

			memcpy(copy, buf, len);
			whole = ffa_mem_parse(versions[vi], 1, copy, len, len,
					      &t, &err);
			CHECK(len == n ? whole == 0 : whole < 0);
			first = ffa_mem_parse(versions[vi], 1, copy, len, n, &t,
					      &err);
			if (len % 16 == 0 && len >= cons) {
				CHECK_EQ(first, 0);
				CHECK_EQ(t.constituents_in_fragment,
					 (len - cons) / 16);
			} else {
				CHECK(first < 0);
			}
			free(copy);
		}
	}
}

/* A first fragment ending inside a constituent. */
static void test_partial_constituent(void)
{
	struct spec s = base_spec(V11);
	uint32_t n = build(&s, buf);
	uint32_t cons = n - 48;
	uint32_t count = 99;
	struct ffa_mem_error err;

	REFUSED(V11, 1, buf, cons + 24, n, "fragment length not a multiple of 16");
	/* Later fragments: whole constituents, within what remains. */
	CHECK_EQ(ffa_mem_check_fragment(32, 48, &count, &err), 0);
	CHECK_EQ(count, 2);
	CHECK_EQ(ffa_mem_check_fragment(24, 48, &count, &err),
		 FFA_INVALID_PARAMETERS);
	CHECK(strcmp(err.why, "fragment length not a multiple of 16") == 0);
	CHECK_EQ(ffa_mem_check_fragment(64, 48, &count, &err),
		 FFA_INVALID_PARAMETERS);
	CHECK(strcmp(err.why,
		     "fragment longer than the rest of the descriptor") == 0);
	CHECK_EQ(ffa_mem_check_fragment(0, 48, &count, &err),
		 FFA_INVALID_PARAMETERS);
	CHECK(strcmp(err.why, "empty fragment") == 0);
}

/* ---- constituents */

static void put_cons(uint8_t *p, uint64_t base, uint32_t pages, uint32_t rsv)
{
	ffa_put64(p, base);
	ffa_put32(p + 8, pages);
	ffa_put32(p + 12, rsv);
}

/* ffa_mem_copy_constituents must agree with ffa_mem_check_constituents
 * on every verdict and reason, copy what it accepts byte for byte, and
 * leave its sum alone when it refuses. */
static void expect_copy_agrees(const uint8_t *p, uint32_t count,
			       uint32_t granule, int ret, uint64_t pages,
			       const struct ffa_mem_error *err, int line)
{
	static uint64_t dst[64], dst2[64]; /* 8-aligned, as required */
	struct ffa_mem_cons_sum sum = { 5, 0, true };
	struct ffa_mem_error e2 = { 0, NULL, 0 };
	int r2;

	memset(dst, 0xa5, sizeof(dst));
	memset(dst2, 0x5a, sizeof(dst2));
	r2 = ffa_mem_copy_constituents(p, count, granule, (uint8_t *)dst,
				       (uint8_t *)dst2, &sum, &e2);
	if (r2 != ret || (ret && (strcmp(e2.why, err->why) != 0 ||
				   e2.value != err->value || sum.pages != 5)) ||
	    (!ret && (sum.pages != pages || memcmp(dst, p, 16 * count) != 0 ||
		      memcmp(dst2, p, 16 * count) != 0))) {
		fprintf(stderr, "FAIL line %d: copy disagrees (%d vs %d)\n",
			line, r2, ret);
		check_failed_in_test = 1;
	}
}

static void expect_cons(const uint8_t *p, uint32_t count, uint32_t granule,
			const char *why, uint64_t value, int line)
{
	uint64_t pages = 5;
	struct ffa_mem_error err = { 0, NULL, 0 };
	int ret = ffa_mem_check_constituents(p, count, granule, &pages, &err);

	expect_copy_agrees(p, count, granule, ret, pages, &err, line);

	if (why == NULL) {
		if (ret != 0) {
			fprintf(stderr, "FAIL line %d: refused: %s\n", line,
				err.why);
			check_failed_in_test = 1;
		}
		return;
	}
	if (ret != FFA_INVALID_PARAMETERS || strcmp(err.why, why) != 0 ||
	    err.value != value || pages != 5) {
		fprintf(stderr, "FAIL line %d: ret %d why \"%s\" value 0x%llx\n",
			line, ret, err.why ? err.why : "(none)",
			(unsigned long long)err.value);
		check_failed_in_test = 1;
	}
}
#define CONS_OK(p, n, g) expect_cons(p, n, g, NULL, 0, __LINE__)
#define CONS_BAD(p, n, g, why, v) expect_cons(p, n, g, why, v, __LINE__)

static void test_constituents_4k(void)
{
	uint8_t c[64];
	uint64_t pages = 10;
	struct ffa_mem_error err;

	put_cons(c, 0x80000000, 4, 0);
	put_cons(c + 16, 0x90001000, 3, 0);
	CHECK_EQ(ffa_mem_check_constituents(c, 2, 4096, &pages, &err), 0);
	CHECK_EQ(pages, 17); /* accumulates onto what was there */
	CONS_OK(c, 0, 4096);

	put_cons(c + 16, 0x90000000, 0, 0);
	CONS_BAD(c, 2, 4096, "constituent with zero pages", 0x90000000);
	put_cons(c + 16, 0x90000000, 1, 1);
	CONS_BAD(c, 2, 4096, "constituent reserved field not zero", 0x90000000);
	put_cons(c + 16, 0x90000800, 1, 0);
	CONS_BAD(c, 2, 4096, "constituent base not aligned to the granule",
		 0x90000800);
	put_cons(c + 16, 0xfffffffffffff000ull, 1, 0);
	CONS_BAD(c, 2, 4096, "constituent wraps the address space",
		 0xfffffffffffff000ull);
	put_cons(c + 16, 0xffffffff00000000ull, 0xffffffffu, 0);
	CONS_BAD(c, 2, 4096, "constituent wraps the address space",
		 0xffffffff00000000ull);
	put_cons(c + 16, 0xffffffff00000000ull, 0xfffffu, 0);
	CONS_OK(c, 2, 4096);
	CONS_BAD(c, 1, 8192, "unsupported granule", 8192);
	/* A running sum near the top does not wrap. */
	pages = UINT64_MAX - 2;
	put_cons(c + 16, 0x90000000, 3, 0);
	CHECK_EQ(ffa_mem_check_constituents(c + 16, 1, 4096, &pages, &err),
		 FFA_INVALID_PARAMETERS);
	CHECK(strcmp(err.why, "page count overflow") == 0);
	CHECK_EQ(pages, UINT64_MAX - 2);
	/* The bound is count * UINT32_MAX pages above the running sum (no
	 * sum of that many constituents can exceed it): a sum at the bound
	 * is taken, one above it refused before any constituent is read. */
	pages = UINT64_MAX - UINT32_MAX;
	put_cons(c + 16, 0x90000000, 1, 0);
	CHECK_EQ(ffa_mem_check_constituents(c + 16, 1, 4096, &pages, &err), 0);
	CHECK_EQ(pages, UINT64_MAX - UINT32_MAX + 1);
	pages = UINT64_MAX - UINT32_MAX + 1;
	CHECK_EQ(ffa_mem_check_constituents(c + 16, 1, 4096, &pages, &err),
		 FFA_INVALID_PARAMETERS);
	CHECK(strcmp(err.why, "page count overflow") == 0);
}

/* The copy notes whether ranges ascend without overlapping, across
 * calls too (sum->end carries over). */
static void test_constituents_ascending(void)
{
	uint64_t c[8], dst[8];
	uint8_t *b = (uint8_t *)c;
	struct ffa_mem_cons_sum sum = { 0, 0, true };
	struct ffa_mem_error err;

	put_cons(b, 0x80000000, 2, 0);
	put_cons(b + 16, 0x80002000, 1, 0); /* touches: fine */
	put_cons(b + 32, 0x80010000, 1, 0);
	CHECK_EQ(ffa_mem_copy_constituents(b, 3, 4096, (uint8_t *)dst, NULL, &sum,
					   &err),
		 0);
	CHECK(sum.ascending);
	CHECK_EQ(sum.pages, 4);
	CHECK_EQ(sum.end, 0x80011000);
	/* The next call starts below the previous end. */
	put_cons(b, 0x80010000, 1, 0);
	CHECK_EQ(ffa_mem_copy_constituents(b, 1, 4096, (uint8_t *)dst, NULL, &sum,
					   &err),
		 0);
	CHECK(!sum.ascending);
	sum = (struct ffa_mem_cons_sum){ 0, 0, true };
	put_cons(b, 0x80000000, 2, 0);
	put_cons(b + 16, 0x80001000, 1, 0); /* overlaps the first */
	CHECK_EQ(ffa_mem_copy_constituents(b, 2, 4096, (uint8_t *)dst, NULL, &sum,
					   &err),
		 0);
	CHECK(!sum.ascending);
	CHECK_EQ(memcmp(dst, c, 32), 0);
}

/* A bad constituent before, at or after the first range that descends
 * (where the screened stretch ends and the full checks begin), if any,
 * in every position of the loop's turns: the first bad one is named with its reason (4
 * pages: whole granules at 16 KiB too). */
static void test_constituents_bad_around_descent(void)
{
	static const char *const why[] = {
		"constituent reserved field not zero",
		"constituent with zero pages",
		"constituent base not aligned to the granule",
		"constituent wraps the address space",
	};
	uint8_t c[9 * 16];
	uint32_t n, d, j, kind, i;

	/* Up to 9: a single, a pair and fours; d == n: none descends. */
	for (n = 1; n <= 9; n++)
		for (d = 1; d <= n; d++)
			for (j = 0; j < n; j++)
				for (kind = 0; kind < 4; kind++) {
					uint64_t base = 0;

					for (i = 0; i < n; i++) {
						base = (i < d ? 0x80000000ull
							      : 0x70000000ull) +
						       i * 0x10000ull;
						if (i == j)
							break;
						put_cons(c + 16 * i, base, 4, 0);
					}
					if (kind == 2)
						base += 0x800;
					if (kind == 3)
						base = 0xfffffffffffff000ull;
					put_cons(c + 16 * j, base,
						 kind == 1 ? 0 : 4, kind == 0);
					for (i = j + 1; i < n; i++)
						put_cons(c + 16 * i,
							 (i < d ? 0x80000000ull
								: 0x70000000ull) +
								 i * 0x10000ull,
							 4, 0);
					CONS_BAD(c, n, 4096, why[kind], base);
					if (kind != 3)
						CONS_BAD(c, n, 16384, why[kind],
							 base);
				}
}

static void test_constituents_16k_64k(void)
{
	uint8_t c[32];

	put_cons(c, 0x80004000, 4, 0);
	CONS_OK(c, 1, 16384);
	put_cons(c, 0x80001000, 4, 0);
	CONS_BAD(c, 1, 16384, "constituent base not aligned to the granule",
		 0x80001000);
	put_cons(c, 0x80004000, 2, 0);
	CONS_BAD(c, 1, 16384, "constituent size not a multiple of the granule",
		 2);
	put_cons(c, 0x80010000, 32, 0);
	CONS_OK(c, 1, 65536);
	put_cons(c, 0x80018000, 16, 0);
	CONS_BAD(c, 1, 65536, "constituent base not aligned to the granule",
		 0x80018000);
	put_cons(c, 0x80010000, 8, 0);
	CONS_BAD(c, 1, 65536, "constituent size not a multiple of the granule",
		 8);
	put_cons(c, 0x80010000, 16, 0);
	put_cons(c + 16, 0x80020000, 20, 0);
	CONS_BAD(c, 2, 65536, "constituent size not a multiple of the granule",
		 20);
}

/* ---- constituents against a reference */

/* The rules of ffa-facts section 5 for one constituent after the other,
 * written plainly (no screen, no accumulator): the first one broken, its
 * reason and value; else the page sum, the last end and whether every
 * range began at or after the previous end. */
static int cons_reference(const uint8_t *c, uint32_t count, uint32_t granule,
			  struct ffa_mem_cons_sum *sum, const char **why,
			  uint64_t *value)
{
	uint64_t pages = sum->pages, end = sum->end;
	bool ascending = sum->ascending;
	uint32_t i;

	for (i = 0; i < count; i++, c += 16) {
		uint64_t base = ffa_get64(c);
		uint32_t n = ffa_get32(c + 8);
		uint64_t size = (uint64_t)n * FFA_PAGE_SIZE;

		*value = base;
		if (ffa_get32(c + 12))
			*why = "constituent reserved field not zero";
		else if (n == 0)
			*why = "constituent with zero pages";
		else if (base % granule)
			*why = "constituent base not aligned to the granule";
		else if (size % granule) {
			*why = "constituent size not a multiple of the granule";
			*value = n;
		} else if (base + size <= base)
			*why = "constituent wraps the address space";
		else
			*why = NULL;
		if (*why)
			return FFA_INVALID_PARAMETERS;
		if (base < end)
			ascending = false;
		end = base + size;
		pages += n;
	}
	sum->pages = pages;
	sum->end = end;
	sum->ascending = ascending;
	return 0;
}

/* The share path's instance of the pass (mem.c take_stretch): the 4 KiB
 * granule a constant, one destination. */
static __attribute__((noinline)) int
cons_take_4k(const uint8_t *src, uint32_t count, uint8_t *dst,
	     struct ffa_mem_cons_sum *sum, struct ffa_mem_error *err)
{
	return ffa_mem_cons_take(src, count, FFA_PAGE_SIZE, dst, NULL, sum,
				 err, true, false);
}

static uint64_t cons_rng = 0x9e3779b97f4a7c15ull;

static uint64_t cons_rand(void)
{
	cons_rng ^= cons_rng << 13;
	cons_rng ^= cons_rng >> 7;
	cons_rng ^= cons_rng << 17;
	return cons_rng;
}

/* Random stretches of up to 19 constituents (a single, a pair, fours
 * and the rest), mostly valid and ascending, with descents, touching and
 * overlapping ranges, ranges at the top of the address space, zero and
 * huge page counts, reserved words, and 4/16/64 KiB granules; each
 * checked whole, in two stretches with the sum carried (take_constituents
 * in the TX, then in place), and through the share path's 4 KiB instance:
 * the verdict, reason, value, page sum, last end, order and the copies
 * must be the reference's. */
static void test_constituents_reference(void)
{
	static const uint32_t granules[3] = { 4096, 16384, 65536 };
	static uint64_t src[2 * 20], dst[2 * 20], dst2[2 * 20], inplace[2 * 20];
	uint8_t *s = (uint8_t *)src;
	uint32_t iter, failures = 0, g, accepted[3] = { 0, 0, 0 };
	uint32_t unordered = 0, refused = 0;

	for (iter = 0; iter < 200000 && failures < 5; iter++) {
		uint32_t count = (uint32_t)(cons_rand() % 20);
		uint32_t granule = granules[g = (uint32_t)(cons_rand() % 3)];
		uint32_t split = count ? (uint32_t)(cons_rand() % (count + 1)) : 0;
		uint64_t base = (cons_rand() % 64) * 0x10000ull, v;
		struct ffa_mem_cons_sum start, ref, got, half;
		struct ffa_mem_error err = { 0, NULL, 0 };
		const char *why = NULL;
		uint32_t i;
		int r_ref, r;
		bool ok;

		for (i = 0; i < count; i++) {
			uint64_t b = base;
			/* Mostly whole granules, sometimes not. */
			uint64_t step = cons_rand() % 8 ? granule : FFA_PAGE_SIZE;
			uint32_t n = (uint32_t)(1 + cons_rand() % 8) *
				     (cons_rand() % 8 ? 16 : 1);
			uint32_t pick = (uint32_t)(cons_rand() % 24);

			if (pick == 0)
				b = cons_rand();
			else if (pick == 1)
				b = base - step * (cons_rand() % 8);
			else if (pick == 2)
				b = 0ull - step * (1 + cons_rand() % 8);
			else if (pick == 3)
				b = base + step * (cons_rand() % 3);
			if (cons_rand() % 25 == 0)
				n = cons_rand() % 2 ? 0 : (uint32_t)cons_rand();
			put_cons(s + 16 * i, b, n,
				 cons_rand() % 40 ? 0 : (uint32_t)cons_rand());
			base = b + (uint64_t)n * FFA_PAGE_SIZE;
		}
		start = (struct ffa_mem_cons_sum){
			cons_rand() % 3 ? 0 : cons_rand() % 1000,
			cons_rand() % 2 ? 0 : (cons_rand() % 64) * 0x10000ull,
			cons_rand() % 4 != 0
		};
		ref = start;
		v = 0;
		r_ref = cons_reference(s, count, granule, &ref, &why, &v);
		if (r_ref)
			refused++;
		else if (count > 4)
			accepted[g]++;
		if (!r_ref && !ref.ascending && start.ascending)
			unordered++;

		/* Whole, to two destinations. */
		got = start;
		memset(dst, 0xa5, sizeof(dst));
		memset(dst2, 0x5a, sizeof(dst2));
		r = ffa_mem_copy_constituents(s, count, granule, (uint8_t *)dst,
					      (uint8_t *)dst2, &got, &err);
		ok = r == r_ref;
		if (ok && r)
			ok = strcmp(err.why, why) == 0 && err.value == v &&
			     got.pages == start.pages;
		if (ok && !r)
			ok = got.pages == ref.pages && got.end == ref.end &&
			     got.ascending == ref.ascending &&
			     memcmp(dst, s, 16 * count) == 0 &&
			     memcmp(dst2, s, 16 * count) == 0;

		/* Two stretches, the sum carried: into a destination, then
		 * in place (a copy of the source). */
		half = start;
		memcpy(inplace, src, sizeof(src));
		memset(dst, 0xa5, sizeof(dst));
		r = ffa_mem_copy_constituents(s, split, granule, (uint8_t *)dst,
					      NULL, &half, &err);
		if (!r)
			r = ffa_mem_copy_constituents(
				(uint8_t *)inplace + 16 * split, count - split,
				granule, (uint8_t *)inplace + 16 * split, NULL,
				&half, &err);
		ok = ok && r == r_ref;
		if (ok && r)
			ok = strcmp(err.why, why) == 0 && err.value == v;
		if (ok && !r)
			ok = half.pages == ref.pages && half.end == ref.end &&
			     half.ascending == ref.ascending &&
			     memcmp(dst, s, 16 * split) == 0 &&
			     memcmp(inplace, src, sizeof(src)) == 0;

		/* The share path's instance. */
		if (granule == FFA_PAGE_SIZE) {
			got = start;
			memset(dst, 0xa5, sizeof(dst));
			r = cons_take_4k(s, count, (uint8_t *)dst, &got, &err);
			ok = ok && r == r_ref;
			if (ok && r)
				ok = strcmp(err.why, why) == 0 &&
				     err.value == v;
			if (ok && !r)
				ok = got.pages == ref.pages &&
				     got.end == ref.end &&
				     got.ascending == ref.ascending &&
				     memcmp(dst, s, 16 * count) == 0;
		}
		if (!ok) {
			fprintf(stderr,
				"FAIL iteration %u: %u constituents, granule "
				"%u, split %u: reference %d (%s)\n",
				iter, count, granule, split, r_ref,
				why ? why : "accepted");
			check_failed_in_test = 1;
			failures++;
		}
	}
	/* The mix covers each outcome (more than 4 ranges: the loop's
	 * turns of four). */
	CHECK(accepted[0] > 2000 && accepted[1] > 2000 && accepted[2] > 2000);
	CHECK(unordered > 2000 && refused > 20000);
}

/* ---- overlaps */

static void test_overlap(void)
{
	uint8_t c[16 * 4];
	struct ffa_mem_range r[4];
	struct ffa_mem_error err;

	put_cons(c, 0x3000, 1, 0);
	put_cons(c + 16, 0x1000, 2, 0); /* touches the next one */
	put_cons(c + 32, 0x8000, 4, 0);
	put_cons(c + 48, 0x4000, 1, 0);
	ffa_mem_ranges_load(c, 4, r);
	CHECK_EQ(r[1].end, 0x3000);
	CHECK_EQ(ffa_mem_ranges_overlap(r, 4, &err), 0);
	CHECK_EQ(r[0].base, 0x1000);
	CHECK_EQ(r[1].base, 0x3000);
	CHECK_EQ(r[2].base, 0x4000);
	CHECK_EQ(r[3].base, 0x8000);

	put_cons(c + 48, 0x9000, 1, 0); /* inside 0x8000..0xc000 */
	ffa_mem_ranges_load(c, 4, r);
	CHECK_EQ(ffa_mem_ranges_overlap(r, 4, &err), FFA_INVALID_PARAMETERS);
	CHECK(strcmp(err.why, "constituents overlap") == 0);
	CHECK_EQ(err.value, 0x9000);

	put_cons(c + 48, 0x3000, 1, 0); /* the same page twice */
	ffa_mem_ranges_load(c, 4, r);
	CHECK_EQ(ffa_mem_ranges_overlap(r, 4, &err), FFA_INVALID_PARAMETERS);
	CHECK_EQ(ffa_mem_ranges_overlap(r, 1, &err), 0);
	CHECK_EQ(ffa_mem_ranges_overlap(r, 0, &err), 0);
}

/* Many ranges in a scrambled order: sorted afterwards; one overlap hidden
 * after a long range is still found. */
static void test_overlap_many(void)
{
	enum { N = 1000 };
	static struct ffa_mem_range r[N];
	struct ffa_mem_error err;
	uint32_t i, x = 12345;

	for (i = 0; i < N; i++) {
		uint32_t k = (i * 7919u) % N; /* a permutation of 0..N-1 */

		r[i].base = (uint64_t)k * 0x10000;
		r[i].end = r[i].base + 0x4000;
	}
	CHECK_EQ(ffa_mem_ranges_overlap(r, N, &err), 0);
	for (i = 1; i < N; i++)
		CHECK(r[i - 1].base < r[i].base);
	/* Range 10 grows to cover ranges 11..12. */
	for (i = 0; i < N; i++) {
		x = x * 1103515245u + 12345u;
		r[i].base = (uint64_t)i * 0x10000;
		r[i].end = r[i].base + 0x4000;
	}
	r[10].end = 12 * 0x10000 + 1;
	for (i = 0; i < N; i++) { /* shuffle */
		uint32_t j;
		struct ffa_mem_range t;

		x = x * 1103515245u + 12345u;
		j = (x >> 8) % N;
		t = r[i];
		r[i] = r[j];
		r[j] = t;
	}
	CHECK_EQ(ffa_mem_ranges_overlap(r, N, &err), FFA_INVALID_PARAMETERS);
	CHECK_EQ(err.value, 11 * 0x10000);
}

/* ---- emit: all 9 version pairs round-trip */

static void test_emit_roundtrip_all_pairs(void)
{
	uint32_t si, di;

	for (si = 0; si < 3; si++) {
		for (di = 0; di < 3; di++) {
			struct spec s = base_spec(versions[si]);
			uint32_t n = build(&s, buf), len = 0, len2 = 0;
			struct ffa_mem_txn t1, t2, t3;
			struct ffa_mem_error err;
			uint32_t cbytes;

			CHECK_EQ(ffa_mem_parse(versions[si], 1, buf, n, n, &t1,
					       &err),
				 0);
			cbytes = t1.range_count * 16;
			CHECK_EQ(ffa_mem_emit(versions[di], &t1, buf2,
					      sizeof(buf2), &len),
				 0);
			CHECK_EQ(len, ffa_mem_emit_size(versions[di], 2));
			memcpy(buf2 + len, buf + t1.constituents_offset, cbytes);
			CHECK_EQ(ffa_mem_parse(versions[di], 1, buf2,
					       len + cbytes, len + cbytes, &t2,
					       &err),
				 0);
			CHECK(ffa_mem_txn_same(&t1, &t2));
			CHECK_EQ(t2.version, versions[di]);
			/* IMPDEF survives 1.2 -> 1.2 only. */
			CHECK_EQ(t2.receivers[1].impdef[5],
				 si == 2 && di == 2 ? impdef_byte(1, 5) : 0);
			/* And back: byte for byte the hand-built original,
			 * unless IMPDEF values were dropped on the way. */
			CHECK_EQ(ffa_mem_emit(versions[si], &t2, buf3,
					      sizeof(buf3), &len2),
				 0);
			memcpy(buf3 + len2, buf2 + len, cbytes);
			CHECK_EQ(len2 + cbytes, n);
			if (!(si == 2 && di != 2))
				CHECK(memcmp(buf3, buf, n) == 0);
			CHECK_EQ(ffa_mem_parse(versions[si], 1, buf3, n, n, &t3,
					       &err),
				 0);
			CHECK(ffa_mem_txn_same(&t1, &t3) || (si == 2 && di != 2));
		}
	}
}

/* Emit normalises a descriptor with gaps into the packed layout. */
static void test_emit_packs_gaps(void)
{
	struct spec s = base_spec(V11);
	struct ffa_mem_txn t1, t2;
	uint32_t n, len;

	s.emad_offset = 96;
	s.comp_gap = 48;
	n = build(&s, buf);
	CHECK_EQ(ffa_mem_parse(V11, 1, buf, n, n, &t1, NULL), 0);
	CHECK_EQ(ffa_mem_emit(V11, &t1, buf2, sizeof(buf2), &len), 0);
	CHECK_EQ(len, 48 + 32 + 16);
	CHECK_EQ(ffa_get32(buf2 + 32), 48);          /* EMAD offset */
	CHECK_EQ(ffa_get32(buf2 + 48 + 4), 80);      /* composite offset */
	CHECK_EQ(ffa_get32(buf2 + 48 + 16 + 4), 80);
	memcpy(buf2 + len, buf + t1.constituents_offset, 48);
	CHECK_EQ(ffa_mem_parse(V11, 1, buf2, len + 48, len + 48, &t2, NULL), 0);
	CHECK(ffa_mem_txn_same(&t1, &t2));
}

static void test_emit_limits(void)
{
	struct spec s = base_spec(V12);
	struct ffa_mem_txn t;
	uint32_t n = build(&s, buf), len = 0;
	uint32_t vi;

	CHECK_EQ(ffa_mem_parse(V12, 1, buf, n, n, &t, NULL), 0);
	CHECK_EQ(ffa_mem_header_size(V10, 2), 64);
	CHECK_EQ(ffa_mem_header_size(V11, 2), 80);
	CHECK_EQ(ffa_mem_header_size(V12, 2), 112);
	CHECK_EQ(ffa_mem_emit_size(V12, 2), 128);
	CHECK_EQ(ffa_mem_header_size(V12, 0), 0);
	CHECK_EQ(ffa_mem_header_size(V12, FFA_MEM_MAX_RECEIVERS + 1), 0);
	CHECK_EQ(ffa_mem_header_size(FFA_MAKE_VERSION(2, 0), 1), 0);
	for (vi = 0; vi < 3; vi++) {
		uint32_t need = ffa_mem_emit_size(versions[vi], 2);

		memset(buf2, 0xee, sizeof(buf2));
		CHECK_EQ(ffa_mem_emit(versions[vi], &t, buf2, need - 1, &len),
			 FFA_NO_MEMORY);
		CHECK_EQ(buf2[0], 0xee); /* nothing written */
		CHECK_EQ(ffa_mem_emit(versions[vi], &t, buf2, need, &len), 0);
		CHECK_EQ(len, need);
		CHECK_EQ(buf2[need], 0xee); /* nothing past it */
	}
	/* 1.3 keeps 1.2's layout (a 1.3 SPMC), whatever the receiver
	 * count; 1.4 and 2.0 are no layout known here. */
	{
		static uint8_t v12[4096];
		uint32_t len12 = 0;

		CHECK_EQ(ffa_mem_emit(V12, &t, v12, sizeof(v12), &len12), 0);
		CHECK_EQ(ffa_mem_emit(FFA_VERSION_1_3, &t, buf2, sizeof(buf2),
				      &len), 0);
		CHECK_EQ(len, len12);
		CHECK(memcmp(buf2, v12, len12) == 0);
		CHECK_EQ(ffa_mem_emit(FFA_MAKE_VERSION(1, 4), &t, buf2,
				      sizeof(buf2), &len),
			 FFA_INVALID_PARAMETERS);
		CHECK_EQ(ffa_mem_emit(FFA_MAKE_VERSION(2, 0), &t, buf2,
				      sizeof(buf2), &len),
			 FFA_INVALID_PARAMETERS);
	}
	t.receiver_count = 0;
	CHECK_EQ(ffa_mem_emit(V12, &t, buf2, sizeof(buf2), &len),
		 FFA_INVALID_PARAMETERS);
	t.receiver_count = FFA_MEM_MAX_RECEIVERS + 1;
	CHECK_EQ(ffa_mem_emit(V12, &t, buf2, sizeof(buf2), &len),
		 FFA_INVALID_PARAMETERS);
}

/* ---- retrieve responses from the SPMC */

static void test_retrieve_resp(void)
{
	uint32_t vi;

	for (vi = 0; vi < 3; vi++) {
		uint32_t v = versions[vi];
		struct spec s = base_spec(v);
		struct ffa_mem_txn t;
		struct ffa_mem_error err;
		uint32_t n;

		s.handle = 0x8000000000000007ull;
		s.flags = (FFA_MEM_TXN_LEND << 3) | FFA_MEM_FLAG_ZERO;
		s.eflags[0] = 1;
		s.perms[1] = FFA_MEM_PERM_RO | FFA_MEM_PERM_NX;
		if (v != V10)
			s.attrs |= FFA_MEM_ATTR_NS;
		n = build(&s, buf);
		CHECK_EQ(ffa_mem_parse_retrieve_resp(v, buf, n, n, &t, &err), 0);
		CHECK_EQ(t.handle, 0x8000000000000007ull);
		CHECK_EQ(t.flags, 0x11);
		CHECK_EQ(t.attributes, v != V10 ? 0x6f : 0x2f);
		CHECK_EQ(t.receivers[0].flags, 1);
		CHECK_EQ(t.receivers[1].perms, 0x5);
		/* ...but it is no valid send. */
		REFUSED(v, 2, buf, n, n, "handle not zero in a send");

		s.handle = ~0ull;
		n = build(&s, buf);
		CHECK_EQ(ffa_mem_parse_retrieve_resp(v, buf, n, n, &t, &err),
			 FFA_INVALID_PARAMETERS);
		CHECK(strcmp(err.why, "invalid handle in a retrieve response") == 0);
		s.handle = 7;
		s.flags = 1u << 10;
		n = build(&s, buf);
		CHECK_EQ(ffa_mem_parse_retrieve_resp(v, buf, n, n, &t, &err),
			 FFA_INVALID_PARAMETERS);
		CHECK(strcmp(err.why, "undefined retrieve flags set") == 0);
		/* A response's flags (DEN0077A 1.0 Table 5.22): bit 0 and
		 * the transaction type, b00 reserved; bits[2:1] and [31:5]
		 * MBZ: time slicing, zero after relinquish and the
		 * alignment hint are the request's. */
		{
			static const uint32_t bad[] = { 1u << 1, 1u << 2,
							1u << 5, 1u << 9 };
			uint32_t k;

			for (k = 0; k < 4; k++) {
				s.flags = (FFA_MEM_TXN_LEND << 3) | bad[k];
				n = build(&s, buf);
				CHECK_EQ(ffa_mem_parse_retrieve_resp(
						 v, buf, n, n, &t, &err),
					 FFA_INVALID_PARAMETERS);
				CHECK(strcmp(err.why,
					     "undefined retrieve flags set") ==
				      0);
			}
		}
		s.flags = FFA_MEM_FLAG_ZERO;
		n = build(&s, buf);
		CHECK_EQ(ffa_mem_parse_retrieve_resp(v, buf, n, n, &t, &err),
			 FFA_INVALID_PARAMETERS);
		CHECK(strcmp(err.why,
			     "no transaction type in a retrieve response") == 0);
		s.flags = (FFA_MEM_TXN_SHARE << 3) | FFA_MEM_FLAG_ZERO;
		n = build(&s, buf);
		CHECK_EQ(ffa_mem_parse_retrieve_resp(v, buf, n, n, &t, &err),
			 FFA_INVALID_PARAMETERS);
		CHECK(strcmp(err.why, "zeroed flag on a shared region") == 0);
		/* EMAD flags: bit 0 (non-retrieval borrower), bits[7:1]
		 * MBZ (DEN0077A 1.0 Table 5.17). */
		s.flags = FFA_MEM_TXN_SHARE << 3;
		s.eflags[0] = 0x80;
		n = build(&s, buf);
		CHECK_EQ(ffa_mem_parse_retrieve_resp(v, buf, n, n, &t, &err),
			 FFA_INVALID_PARAMETERS);
		CHECK(strcmp(err.why, "EMAD flags bits[7:1] not zero") == 0);
		s.eflags[0] = 1;
		s.eflags[1] = 2;
		n = build(&s, buf);
		CHECK_EQ(ffa_mem_parse_retrieve_resp(v, buf, n, n, &t, &err),
			 FFA_INVALID_PARAMETERS);
		CHECK(strcmp(err.why, "EMAD flags bits[7:1] not zero") == 0);
		s.eflags[0] = 0;
		s.eflags[1] = 0;
		s.attrs = 0x30;
		n = build(&s, buf);
		CHECK_EQ(ffa_mem_parse_retrieve_resp(v, buf, n, n, &t, &err),
			 FFA_INVALID_PARAMETERS);
		CHECK(strcmp(err.why, "reserved memory type") == 0);
		s.attrs = 0x80;
		n = build(&s, buf);
		CHECK_EQ(ffa_mem_parse_retrieve_resp(v, buf, n, n, &t, &err),
			 FFA_INVALID_PARAMETERS);
		CHECK(strcmp(err.why, "reserved attribute bits set") == 0);
		/* Structural rules hold for the SPMC's bytes too. */
		s = base_spec(v);
		s.handle = 7;
		s.flags = FFA_MEM_TXN_SHARE << 3;
		n = build(&s, buf);
		ffa_put32(buf + 28, 0x4000);
		CHECK_EQ(ffa_mem_parse_retrieve_resp(v, buf, n, n, &t, &err),
			 FFA_INVALID_PARAMETERS);
		CHECK(strcmp(err.why, "too many receivers") == 0);
		ffa_put32(buf + 28, 2);
		CHECK_EQ(ffa_mem_parse_retrieve_resp(v, buf, n - 16, n, &t,
						     &err),
			 0);
		CHECK_EQ(t.constituents_in_fragment, 2);
		CHECK_EQ(ffa_mem_parse_retrieve_resp(v, buf, n, n + 16, &t,
						     &err),
			 FFA_INVALID_PARAMETERS);
	}
	/* 1.0 has no NS bit: bit 6 is reserved there. */
	{
		struct spec s = base_spec(V10);
		struct ffa_mem_txn t;
		struct ffa_mem_error err;
		uint32_t n;

		s.handle = 7;
		s.flags = FFA_MEM_TXN_SHARE << 3;
		s.attrs |= FFA_MEM_ATTR_NS;
		n = build(&s, buf);
		CHECK_EQ(ffa_mem_parse_retrieve_resp(V10, buf, n, n, &t, &err),
			 FFA_INVALID_PARAMETERS);
		CHECK(strcmp(err.why, "reserved attribute bits set") == 0);
	}
}

/* A retrieve response translated to 1.0 loses the NS bit, and back. */
static void test_retrieve_resp_translate(void)
{
	struct spec s = base_spec(V12);
	struct ffa_mem_txn t1, t2;
	uint32_t n, len;

	s.handle = 9;
	s.flags = FFA_MEM_TXN_SHARE << 3;
	s.attrs |= FFA_MEM_ATTR_NS;
	n = build(&s, buf);
	CHECK_EQ(ffa_mem_parse_retrieve_resp(V12, buf, n, n, &t1, NULL), 0);
	CHECK_EQ(ffa_mem_emit(V10, &t1, buf2, sizeof(buf2), &len), 0);
	CHECK_EQ(buf2[2], 0x2f);
	memcpy(buf2 + len, buf + t1.constituents_offset, 48);
	CHECK_EQ(ffa_mem_parse_retrieve_resp(V10, buf2, len + 48, len + 48,
					     &t2, NULL),
		 0);
	CHECK_EQ(t2.attributes, 0x2f);
	CHECK_EQ(t2.handle, 9);
	t2.attributes |= FFA_MEM_ATTR_NS;
	CHECK(ffa_mem_txn_same(&t1, &t2));
}

/* ---- relinquish */

static void test_relinquish(void)
{
	static const uint8_t want[] = {
		0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x81, /* handle */
		0x01, 0x00, 0x00, 0x00,                         /* flags */
		0x02, 0x00, 0x00, 0x00,                         /* count */
		0x01, 0x80, 0x05, 0x00,                         /* ids */
	};
	const uint16_t ids[2] = { 0x8001, 5 };
	uint8_t out[32];
	uint32_t len = 0;

	memset(out, 0xee, sizeof(out));
	CHECK_EQ(ffa_mem_emit_relinquish(0x8102030405060708ull, 1, ids, 2, out,
					 sizeof(out), &len),
		 0);
	CHECK_EQ(len, 20);
	CHECK(memcmp(out, want, sizeof(want)) == 0);
	CHECK_EQ(out[20], 0xee);
	CHECK_EQ(ffa_mem_emit_relinquish(1, 0, ids, 2, out, 19, &len),
		 FFA_NO_MEMORY);
	CHECK_EQ(ffa_mem_emit_relinquish(1, 4, ids, 2, out, 32, &len),
		 FFA_INVALID_PARAMETERS);
	CHECK_EQ(ffa_mem_emit_relinquish(1, 0, ids, 0, out, 32, &len),
		 FFA_INVALID_PARAMETERS);
	CHECK_EQ(ffa_mem_emit_relinquish(1, 0, ids, 0x80000000u, out, 32, &len),
		 FFA_NO_MEMORY);
}

/* ffa_mem_txn_same is the oracle of the round trips and fuzzers above:
 * each field of the transaction on its own makes two records differ
 * (only the source-layout fields do not), IMPDEF only when both sides
 * carried it (1.2 EMADs), and a receiver count beyond the array is never
 * "the same". */
static void test_txn_same_each_field(void)
{
	struct ffa_mem_txn a, b;
	unsigned int f;

	memset(&a, 0, sizeof(a));
	a.sender = 1;
	a.attributes = 0x2f;
	a.flags = 1;
	a.handle = 0x1234;
	a.tag = 7;
	a.receiver_count = 2;
	a.receivers[0].id = 0x8001;
	a.receivers[0].perms = 2;
	a.receivers[1].id = 0x8002;
	a.receivers[1].perms = 1;
	a.receivers[1].impdef[1] = 9;
	a.total_pages = 4;
	a.range_count = 2;
	a.emad_size = FFA_MEM_EMAD_SIZE_V1_2;
	CHECK(ffa_mem_txn_same(&a, &a));
	for (f = 0; f < 15; f++) {
		b = a;
		switch (f) {
		case 0: b.sender ^= 1; break;
		case 1: b.attributes ^= 1; break;
		case 2: b.flags ^= 2; break;
		case 3: b.handle ^= 1ull << 40; break;
		case 4: b.tag ^= 1ull << 33; break;
		case 5: b.receiver_count = 1; break;
		case 6: b.total_pages++; break;
		case 7: b.range_count++; break;
		case 8: b.receivers[0].id ^= 1; break;
		case 9: b.receivers[1].id ^= 1; break;
		case 10: b.receivers[0].perms ^= 1; break;
		case 11: b.receivers[1].perms ^= 4; break;
		case 12: b.receivers[0].flags ^= 1; break;
		case 13: b.receivers[1].flags ^= 1; break;
		case 14: b.receivers[1].impdef[1] ^= 1; break;
		}
		CHECK(!ffa_mem_txn_same(&a, &b));
		CHECK(!ffa_mem_txn_same(&b, &a));
	}
	/* Layout fields are not the transaction. */
	b = a;
	b.version = FFA_VERSION_1_1;
	b.composite_offset = 0x80;
	b.receivers[0].composite_offset = 0x80;
	CHECK(ffa_mem_txn_same(&a, &b));
	/* IMPDEF counts only when both sides had 1.2 EMADs. */
	b = a;
	b.receivers[1].impdef[1] ^= 1;
	b.emad_size = FFA_MEM_EMAD_SIZE_V1_0;
	CHECK(ffa_mem_txn_same(&a, &b));
	CHECK(ffa_mem_txn_same(&b, &a));
	/* Equal, but a receiver count the arrays cannot hold. */
	b = a;
	a.receiver_count = b.receiver_count = FFA_MEM_MAX_RECEIVERS + 1;
	CHECK(!ffa_mem_txn_same(&a, &b));
}

int main(void)
{
	RUN(test_parse_valid_each_version);
	RUN(test_parse_offsets_honoured);
	RUN(test_parse_valid_variants);
	RUN(test_reject_lengths);
	RUN(test_reject_header_reserved);
	RUN(test_reject_emad_size_offset);
	RUN(test_reject_receiver_count);
	RUN(test_reject_emad_offset_outside);
	RUN(test_reject_emad_fields);
	RUN(test_reject_composite);
	RUN(test_reject_send_policy);
	RUN(test_parse_screen_agrees);
	RUN(test_truncated_every_length);
	RUN(test_partial_constituent);
	RUN(test_constituents_4k);
	RUN(test_constituents_ascending);
	RUN(test_constituents_bad_around_descent);
	RUN(test_constituents_16k_64k);
	RUN(test_constituents_reference);
	RUN(test_overlap);
	RUN(test_overlap_many);
	RUN(test_emit_roundtrip_all_pairs);
	RUN(test_emit_packs_gaps);
	RUN(test_emit_limits);
	RUN(test_retrieve_resp);
	RUN(test_retrieve_resp_translate);
	RUN(test_relinquish);
	RUN(test_txn_same_each_field);
	return test_summary("test_mem_codec");
}
