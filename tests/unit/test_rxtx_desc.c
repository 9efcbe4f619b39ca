/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/* Unit tests of the endpoint RX/TX descriptor codec (src/rxtx_desc.c).
 * Descriptors are written here field by field at the offsets of DEN0077A
 * 1.1 table 13.27, not with the emitter under test. */
#include <ffaproxy/rxtx_desc.h>

#include "codec_check.h"

#define V10 FFA_VERSION_1_0
#define V11 FFA_VERSION_1_1
#define V12 FFA_VERSION_1_2
#define V13 FFA_VERSION_1_3

/* A valid descriptor for VM 3: RX two ranges (2 + 1 pages) at 16, TX one
 * range (3 pages) after it; `gap` extra bytes between the two composites
 * and the TX composite placed first when `tx_first`. */
struct layout {
	uint8_t b[512];
	uint32_t len, rx_off, tx_off;
};

static void put_composite(uint8_t *p, uint32_t pages, uint32_t n,
			  const uint64_t *base, const uint32_t *cnt)
{
	uint32_t i;

	memset(p, 0, 16 + 16 * n);
	p[0] = (uint8_t)pages;
	p[1] = (uint8_t)(pages >> 8);
	p[4] = (uint8_t)n;
	for (i = 0; i < n; i++) {
		uint8_t *c = p + 16 + 16 * i;

		for (int k = 0; k < 8; k++)
			c[k] = (uint8_t)(base[i] >> (8 * k));
		c[8] = (uint8_t)cnt[i];
	}
}

static struct layout valid(uint32_t gap, bool tx_first)
{
	static const uint64_t rx_base[2] = { 0x90000000, 0x90004000 };
	static const uint32_t rx_cnt[2] = { 2, 1 };
	static const uint64_t tx_base[1] = { 0x90010000 };
	static const uint32_t tx_cnt[1] = { 3 };
	struct layout l;
	uint32_t first = 16, second;

	memset(&l, 0, sizeof(l));
	l.b[0] = 3; /* endpoint 3 */
	if (!tx_first) {
		second = first + 16 + 32 + gap;
		l.rx_off = first;
		l.tx_off = second;
		l.len = second + 16 + 16;
	} else {
		second = first + 16 + 16 + gap;
		l.tx_off = first;
		l.rx_off = second;
		l.len = second + 16 + 32;
	}
	put_composite(l.b + l.rx_off, 3, 2, rx_base, rx_cnt);
	put_composite(l.b + l.tx_off, 3, 1, tx_base, tx_cnt);
	l.b[4] = (uint8_t)l.rx_off;
	l.b[8] = (uint8_t)l.tx_off;
	return l;
}

static void put32(uint8_t *p, uint32_t v)
{
	ffa_put32(p, v);
}

static int parse(const struct layout *l, uint32_t version,
		 struct ffa_rxtx_desc *d, struct ffa_mem_error *e)
{
	uint8_t *copy = exact_copy(l->b, l->len);
	int st;

	memset(e, 0, sizeof(*e));
	st = ffa_rxtx_desc_parse(version, copy, l->len, d, e);
	free(copy);
	return st;
}

/* Expect a refusal with `status` whose reason contains `why`. */
static void expect_bad(const struct layout *l, int32_t status, const char *why)
{
	struct ffa_rxtx_desc d;
	struct ffa_mem_error e;

	check_refusal(parse(l, V11, &d, &e), &e, status, why);
}

static void test_valid(void)
{
	static const uint32_t vs[3] = { V11, V12, V13 };
	struct ffa_rxtx_desc d;
	struct ffa_mem_error e;

	for (int i = 0; i < 3; i++) {
		struct layout l = valid(0, false);

		CHECK_EQ(parse(&l, vs[i], &d, &e), 0);
		CHECK_EQ(d.endpoint, 3);
		CHECK_EQ(d.rx.pages, 3);
		CHECK_EQ(d.rx.range_count, 2);
		CHECK_EQ(d.rx.ranges[0].base, 0x90000000);
		CHECK_EQ(d.rx.ranges[0].pages, 2);
		CHECK_EQ(d.rx.ranges[1].base, 0x90004000);
		CHECK_EQ(d.rx.ranges[1].pages, 1);
		CHECK_EQ(d.rx.offset, 16);
		CHECK_EQ(d.tx.pages, 3);
		CHECK_EQ(d.tx.range_count, 1);
		CHECK_EQ(d.tx.ranges[0].base, 0x90010000);
		CHECK_EQ(d.tx.offset, 64);
	}
}

static void test_valid_layouts(void)
{
	struct ffa_rxtx_desc d;
	struct ffa_mem_error e;
	struct layout l = valid(24, true); /* TX first, 8-aligned gap */

	CHECK_EQ(parse(&l, V12, &d, &e), 0);
	CHECK_EQ(d.tx.offset, 16);
	CHECK_EQ(d.rx.offset, 16 + 32 + 24);
	CHECK_EQ(d.rx.ranges[1].base, 0x90004000);
	/* Trailing bytes beyond the composites are not read as anything. */
	l = valid(0, false);
	memset(l.b + l.len, 0xff, 32);
	l.len += 32;
	CHECK_EQ(parse(&l, V11, &d, &e), 0);
	/* A range ending exactly at the top of the address space. */
	l = valid(0, false);
	put32(l.b + 48, 0xfffff000u); /* RX range 1: the last page */
	put32(l.b + 52, 0xffffffffu);
	CHECK_EQ(parse(&l, V11, &d, &e), 0);
	CHECK_EQ(d.rx.ranges[1].base, 0xfffffffffffff000ull);
}

static void test_version(void)
{
	struct ffa_rxtx_desc d;
	struct ffa_mem_error e;
	struct layout l = valid(0, false);

	CHECK_EQ(parse(&l, V10, &d, &e), FFA_NOT_SUPPORTED);
	CHECK(strstr(e.why, "1.0"));
	CHECK_EQ(parse(&l, FFA_MAKE_VERSION(2, 0), &d, &e),
		 FFA_INVALID_PARAMETERS);
	CHECK_EQ(parse(&l, FFA_MAKE_VERSION(1, 4), &d, &e),
		 FFA_INVALID_PARAMETERS);
	CHECK_EQ(parse(&l, 0x80010001u, &d, &e), FFA_INVALID_PARAMETERS);
}

static void test_reject_header(void)
{
	struct layout l = valid(0, false);

	l.b[2] = 1;
	expect_bad(&l, FFA_INVALID_PARAMETERS, "reserved field not zero");
	l = valid(0, false);
	l.b[15] = 0x80;
	expect_bad(&l, FFA_INVALID_PARAMETERS, "reserved field not zero");
	l = valid(0, false);
	l.b[1] = 0x80; /* endpoint 0x8003 */
	expect_bad(&l, FFA_INVALID_PARAMETERS, "secure endpoint");
}

static void test_reject_offsets(void)
{
	struct layout l = valid(0, false);

	put32(l.b + 4, 20); /* RX offset not 8-aligned */
	expect_bad(&l, FFA_INVALID_PARAMETERS, "not 8-byte aligned");
	l = valid(0, false);
	put32(l.b + 8, 12); /* TX offset not 8-aligned */
	expect_bad(&l, FFA_INVALID_PARAMETERS, "not 8-byte aligned");
	l = valid(0, false);
	put32(l.b + 4, 8); /* RX composite inside the header */
	expect_bad(&l, FFA_INVALID_PARAMETERS, "inside the header");
	l = valid(0, false);
	put32(l.b + 8, 0);
	expect_bad(&l, FFA_INVALID_PARAMETERS, "inside the header");
	l = valid(0, false);
	put32(l.b + 8, l.len); /* TX composite header past the end */
	expect_bad(&l, FFA_INVALID_PARAMETERS, "header past the descriptor");
	l = valid(0, false);
	put32(l.b + 8, 0xfffffff8u); /* an offset that would wrap */
	expect_bad(&l, FFA_INVALID_PARAMETERS, "header past the descriptor");
	l = valid(0, false);
	put32(l.b + 64 + 4, 2); /* TX claims a range past the end */
	expect_bad(&l, FFA_INVALID_PARAMETERS, "constituents past");
	l = valid(0, false);
	put32(l.b + 8, 16); /* TX composite is RX's: both parse, same size */
	expect_bad(&l, FFA_INVALID_PARAMETERS, "composites overlap");
}

static void test_reject_composite(void)
{
	struct layout l = valid(0, false);

	l.b[16 + 8] = 1; /* RX composite reserved */
	expect_bad(&l, FFA_INVALID_PARAMETERS, "composite reserved");
	l = valid(0, false);
	put32(l.b + 16 + 4, 0); /* RX no range */
	expect_bad(&l, FFA_INVALID_PARAMETERS, "no range");
	l = valid(0, false);
	put32(l.b + 64 + 4, FFA_RXTX_DESC_MAX_RANGES + 1);
	expect_bad(&l, FFA_INVALID_PARAMETERS, "too many ranges");
	l = valid(0, false);
	put32(l.b + 64 + 4, 0xffffffffu); /* a count that would wrap */
	expect_bad(&l, FFA_INVALID_PARAMETERS, "too many ranges");
	l = valid(0, false);
	put32(l.b + 16, 4); /* RX total is not 2 + 1 */
	expect_bad(&l, FFA_INVALID_PARAMETERS, "not the sum");
	l = valid(0, false);
	put32(l.b + 64, 4);
	put32(l.b + 64 + 24, 4); /* TX 4 pages, RX 3 */
	expect_bad(&l, FFA_INVALID_PARAMETERS, "differ in size");
}

static void test_reject_constituents(void)
{
	struct layout l = valid(0, false);

	l.b[32] = 0x10; /* RX range 0 base not 4K aligned */
	expect_bad(&l, FFA_INVALID_PARAMETERS, "not 4 KiB aligned");
	l = valid(0, false);
	put32(l.b + 80 + 8, 0); /* TX range of zero pages */
	put32(l.b + 64, 0);
	expect_bad(&l, FFA_INVALID_PARAMETERS, "zero pages");
	l = valid(0, false);
	l.b[32 + 12] = 1; /* RX range 0 reserved */
	expect_bad(&l, FFA_INVALID_PARAMETERS, "constituent reserved");
	l = valid(0, false);
	put32(l.b + 48, 0xfffff000u); /* RX range 1 at the top, 2 pages */
	put32(l.b + 52, 0xffffffffu);
	put32(l.b + 56, 2);
	put32(l.b + 16, 4);
	put32(l.b + 64, 4);
	put32(l.b + 88, 4);
	expect_bad(&l, FFA_INVALID_PARAMETERS, "wraps");
	l = valid(0, false);
	put32(l.b + 48, 0x90001000u); /* RX range 1 inside range 0 */
	expect_bad(&l, FFA_INVALID_PARAMETERS, "ranges overlap");
	l = valid(0, false);
	put32(l.b + 80, 0x90004000u); /* TX range over RX range 1 */
	expect_bad(&l, FFA_INVALID_PARAMETERS, "ranges overlap");
}

/* Every prefix of a valid descriptor is refused, without reading past it. */
static void test_truncated_every_length(void)
{
	struct layout full = valid(8, true);
	struct ffa_rxtx_desc d;
	struct ffa_mem_error e;

	for (uint32_t n = 0; n < full.len; n++) {
		struct layout l = full;

		l.len = n;
		CHECK_EQ(parse(&l, V11, &d, &e), FFA_INVALID_PARAMETERS);
	}
	CHECK_EQ(parse(&full, V11, &d, &e), 0);
}

static void test_emit_roundtrip(void)
{
	struct layout l = valid(40, true);
	struct ffa_rxtx_desc d, d2;
	struct ffa_mem_error e;
	uint8_t out[512];
	uint32_t len = 0, size;

	CHECK_EQ(parse(&l, V12, &d, &e), 0);
	size = ffa_rxtx_desc_emit_size(&d);
	CHECK_EQ(size, 16 + 32 + 48);
	memset(out, 0xee, sizeof(out));
	CHECK_EQ(ffa_rxtx_desc_emit(V11, &d, out, size - 1, &len),
		 FFA_NO_MEMORY);
	CHECK_EQ(out[0], 0xee); /* nothing written */
	CHECK_EQ(ffa_rxtx_desc_emit(V10, &d, out, sizeof(out), &len),
		 FFA_NOT_SUPPORTED);
	CHECK_EQ(ffa_rxtx_desc_emit(V11, &d, out, size, &len), 0);
	CHECK_EQ(len, size);
	/* Packed as Hafnium: RX composite at 16, TX after it. */
	CHECK_EQ(ffa_get32(out + 4), 16);
	CHECK_EQ(ffa_get32(out + 8), 16 + 16 + 32);
	CHECK_EQ(ffa_get16(out + 2), 0);
	CHECK_EQ(ffa_get32(out + 12), 0);
	CHECK_EQ(ffa_rxtx_desc_parse(V11, out, len, &d2, &e), 0);
	CHECK(ffa_rxtx_desc_same(&d, &d2));
	d2.tx.ranges[0].pages++;
	CHECK(!ffa_rxtx_desc_same(&d, &d2));
	d2 = d;
	d2.endpoint = 4;
	CHECK(!ffa_rxtx_desc_same(&d, &d2));
	/* the same ranges, but another page total or range count */
	d2 = d;
	d2.rx.pages++;
	CHECK(!ffa_rxtx_desc_same(&d, &d2));
	d2 = d;
	d2.tx.range_count++;
	d2.tx.ranges[d.tx.range_count] = d.tx.ranges[0];
	CHECK(!ffa_rxtx_desc_same(&d, &d2));
}

static void test_emit_limits(void)
{
	struct ffa_rxtx_desc d;
	uint8_t out[1024];
	uint32_t len = 0;

	memset(&d, 0, sizeof(d));
	d.rx.range_count = 1;
	CHECK_EQ(ffa_rxtx_desc_emit_size(&d), 0);
	CHECK_EQ(ffa_rxtx_desc_emit(V11, &d, out, sizeof(out), &len),
		 FFA_INVALID_PARAMETERS);
	d.tx.range_count = FFA_RXTX_DESC_MAX_RANGES + 1;
	CHECK_EQ(ffa_rxtx_desc_emit(V11, &d, out, sizeof(out), &len),
		 FFA_INVALID_PARAMETERS);
	d.tx.range_count = FFA_RXTX_DESC_MAX_RANGES;
	CHECK_EQ(ffa_rxtx_desc_emit_size(&d),
		 16 + 32 + 16 * (1 + FFA_RXTX_DESC_MAX_RANGES));
	CHECK_EQ(ffa_rxtx_desc_emit(FFA_MAKE_VERSION(2, 0), &d, out,
				    sizeof(out), &len),
		 FFA_INVALID_PARAMETERS);
}

int main(void)
{
	RUN(test_valid);
	RUN(test_valid_layouts);
	RUN(test_version);
	RUN(test_reject_header);
	RUN(test_reject_offsets);
	RUN(test_reject_composite);
	RUN(test_reject_constituents);
	RUN(test_truncated_every_length);
	RUN(test_emit_roundtrip);
	RUN(test_emit_limits);
	return test_summary("test_rxtx_desc");
}
