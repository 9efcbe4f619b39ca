/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/* Unit tests of the MSG_SEND2 partition message header codec
 * (src/msg2.c). Headers are written here field by field at the offsets of
 * DEN0077A 1.1 table 6.2 / 1.2, not with the emitter under test. */
#include <ffaproxy/msg2.h>

#include "codec_check.h"

#define V10 FFA_VERSION_1_0
#define V11 FFA_VERSION_1_1
#define V12 FFA_VERSION_1_2
#define V13 FFA_VERSION_1_3

struct buf {
	uint8_t b[256];
	uint32_t len;
};

/* VM 1 -> partition 0x8001, `size` payload bytes right after the header
 * of `version` (plus `gap`); the buffer ends right after the payload. */
static struct buf message(uint32_t version, uint32_t size, uint32_t gap)
{
	uint32_t hdr = version == V11 ? 20 : 40;
	struct buf m;

	memset(&m, 0, sizeof(m));
	ffa_put32(m.b + 8, hdr + gap);
	ffa_put32(m.b + 12, (1u << 16) | 0x8001u);
	ffa_put32(m.b + 16, size);
	if (hdr == 40)
		for (int i = 0; i < 16; i++)
			m.b[24 + i] = (uint8_t)(0xa0 + i);
	for (uint32_t i = 0; i < size; i++)
		m.b[hdr + gap + i] = (uint8_t)i;
	m.len = hdr + gap + size;
	return m;
}

static int parse(const struct buf *m, uint32_t version, struct ffa_msg2 *out,
		 struct ffa_mem_error *e)
{
	uint8_t *copy = exact_copy(m->b, m->len);
	int st;

	memset(e, 0, sizeof(*e));
	st = ffa_msg2_parse(version, copy, m->len, out, e);
	free(copy);
	return st;
}

static void expect_bad(const struct buf *m, uint32_t version, const char *why)
{
	struct ffa_msg2 out;
	struct ffa_mem_error e;

	check_refusal(parse(m, version, &out, &e), &e, FFA_INVALID_PARAMETERS,
		      why);
}

static void test_header_size(void)
{
	CHECK_EQ(ffa_msg2_header_size(V10), 0);
	CHECK_EQ(ffa_msg2_header_size(V11), 20);
	CHECK_EQ(ffa_msg2_header_size(V12), 40);
	CHECK_EQ(ffa_msg2_header_size(V13), 40);
	CHECK_EQ(ffa_msg2_header_size(FFA_MAKE_VERSION(2, 0)), 0);
	CHECK_EQ(ffa_msg2_header_size(0x80010001u), 0);
}

static void test_valid(void)
{
	struct ffa_msg2 m;
	struct ffa_mem_error e;
	struct buf b = message(V11, 5, 0);

	CHECK_EQ(parse(&b, V11, &m, &e), 0);
	CHECK_EQ(m.sender, 1);
	CHECK_EQ(m.receiver, 0x8001);
	CHECK_EQ(m.size, 5);
	CHECK_EQ(m.offset, 20);
	CHECK_EQ(m.header_size, 20);
	CHECK_EQ(m.version, V11);
	CHECK_EQ(m.uuid[0], 0);
	b = message(V12, 7, 0);
	CHECK_EQ(parse(&b, V12, &m, &e), 0);
	CHECK_EQ(m.offset, 40);
	CHECK_EQ(m.header_size, 40);
	CHECK_EQ(m.uuid[0], 0xa0);
	CHECK_EQ(m.uuid[15], 0xaf);
	CHECK_EQ(parse(&b, V13, &m, &e), 0);
	CHECK_EQ(m.version, V12);
	/* The payload may start later than right after the header. */
	b = message(V12, 3, 13);
	CHECK_EQ(parse(&b, V12, &m, &e), 0);
	CHECK_EQ(m.offset, 53);
	/* A 1.2 message read as 1.1: the 20-byte header; its reserved word
	 * at 20 and UUID are payload-area bytes then. */
	b = message(V12, 4, 0);
	CHECK_EQ(parse(&b, V11, &m, &e), 0);
	CHECK_EQ(m.header_size, 20);
	CHECK_EQ(m.offset, 40);
	/* Trailing buffer space past the payload is fine. */
	b = message(V11, 4, 0);
	b.len += 100;
	CHECK_EQ(parse(&b, V11, &m, &e), 0);
}

static void test_version(void)
{
	struct ffa_msg2 m;
	struct ffa_mem_error e;
	struct buf b = message(V11, 4, 0);

	CHECK_EQ(parse(&b, V10, &m, &e), FFA_NOT_SUPPORTED);
	CHECK(strstr(e.why, "1.0"));
	CHECK_EQ(parse(&b, FFA_MAKE_VERSION(1, 4), &m, &e),
		 FFA_INVALID_PARAMETERS);
	CHECK_EQ(parse(&b, 0x80010001u, &m, &e), FFA_INVALID_PARAMETERS);
}

static void test_reject_fields(void)
{
	struct buf b = message(V11, 4, 0);

	b.b[0] = 1;
	expect_bad(&b, V11, "flags not zero");
	b = message(V11, 4, 0);
	b.b[7] = 0x80;
	expect_bad(&b, V11, "reserved field not zero");
	b = message(V12, 4, 0);
	b.b[20] = 1;
	expect_bad(&b, V12, "reserved field not zero");
	b = message(V11, 4, 0);
	ffa_put32(b.b + 12, (0x8001u << 16) | 0x8001u);
	expect_bad(&b, V11, "sender and receiver are the same");
}

static void test_reject_payload(void)
{
	struct buf b = message(V11, 4, 0);

	ffa_put32(b.b + 8, 19); /* overlaps the 1.1 header */
	expect_bad(&b, V11, "overlaps the header");
	b = message(V12, 4, 0);
	ffa_put32(b.b + 8, 24); /* Linux's 1.1-sized offset, in a 1.2 header */
	expect_bad(&b, V12, "overlaps the header");
	b = message(V11, 4, 0);
	ffa_put32(b.b + 16, 0);
	expect_bad(&b, V11, "empty message");
	b = message(V11, 4, 0);
	ffa_put32(b.b + 16, 5); /* one byte past the buffer */
	expect_bad(&b, V11, "past the buffer");
	b = message(V11, 4, 0);
	ffa_put32(b.b + 16, 0xffffffffu); /* offset + size wraps 32 bits */
	expect_bad(&b, V11, "past the buffer");
	b = message(V11, 4, 0);
	ffa_put32(b.b + 8, 0xfffffff0u);
	expect_bad(&b, V11, "past the buffer");
}

static void test_truncated_every_length(void)
{
	static const uint32_t vs[2] = { V11, V12 };
	struct ffa_msg2 m;
	struct ffa_mem_error e;

	for (int v = 0; v < 2; v++) {
		struct buf full = message(vs[v], 6, 0);

		for (uint32_t n = 0; n < full.len; n++) {
			struct buf b = full;

			b.len = n;
			CHECK_EQ(parse(&b, vs[v], &m, &e),
				 FFA_INVALID_PARAMETERS);
		}
		CHECK_EQ(parse(&full, vs[v], &m, &e), 0);
	}
}

static void test_emit_roundtrip(void)
{
	static const uint32_t vs[3] = { V11, V12, V13 };
	struct ffa_mem_error e;

	for (int from = 0; from < 3; from++) {
		struct buf b = message(vs[from], 9, 8);
		struct ffa_msg2 m, m2;

		CHECK_EQ(parse(&b, vs[from], &m, &e), 0);
		for (int to = 0; to < 3; to++) {
			uint8_t out[128];
			uint32_t len = 0, hdr = ffa_msg2_header_size(vs[to]);

			memset(out, 0xee, sizeof(out));
			CHECK_EQ(ffa_msg2_emit(vs[to], &m, out, hdr + 8, &len),
				 FFA_NO_MEMORY);
			CHECK_EQ(out[0], 0xee);
			CHECK_EQ(ffa_msg2_emit(vs[to], &m, out, hdr + 9, &len),
				 0);
			CHECK_EQ(len, hdr);
			CHECK_EQ(ffa_get32(out + 8), hdr);
			CHECK_EQ(ffa_get32(out + 0), 0);
			memcpy(out + len, b.b + m.offset, m.size);
			CHECK_EQ(ffa_msg2_parse(vs[to], out, hdr + 9, &m2, &e),
				 0);
			CHECK(ffa_msg2_same(&m, &m2));
			CHECK_EQ(memcmp(out + m2.offset, b.b + m.offset, 9), 0);
			/* The UUID crosses only between 1.2+ headers. */
			CHECK_EQ(m2.uuid[3], hdr == 40 && from ? 0xa3 : 0);
		}
		CHECK_EQ(ffa_msg2_emit(V10, &m, (uint8_t[64]){ 0 }, 64,
				       &(uint32_t){ 0 }),
			 FFA_NOT_SUPPORTED);
	}
}

static void test_same(void)
{
	struct ffa_msg2 a, b;
	struct ffa_mem_error e;
	struct buf x = message(V12, 4, 0);

	CHECK_EQ(parse(&x, V12, &a, &e), 0);
	b = a;
	CHECK(ffa_msg2_same(&a, &b));
	b.uuid[5] ^= 1;
	CHECK(!ffa_msg2_same(&a, &b));
	b.header_size = 20; /* a 1.1 side: UUIDs are not compared */
	CHECK(ffa_msg2_same(&a, &b));
	b.size++;
	CHECK(!ffa_msg2_same(&a, &b));
	b = a;
	b.sender = 2;
	CHECK(!ffa_msg2_same(&a, &b));
}

/* The header alone, bounds checked against the buffer it came from: a
 * copy of exactly the header (nothing past it is read: exact_copy), the
 * payload bounds against buf_len, not against the copy. */
static void test_parse_header(void)
{
	static const uint32_t vs[2] = { V11, V12 };
	struct ffa_msg2 m;
	struct ffa_mem_error e;

	for (int v = 0; v < 2; v++) {
		uint32_t hdr = vs[v] == V11 ? 20 : 40;
		struct buf b = message(vs[v], 100, 0);
		uint8_t *copy = exact_copy(b.b, hdr);

		CHECK_EQ(ffa_msg2_parse_header(vs[v], copy, hdr, hdr + 100, &m,
					       &e),
			 0);
		CHECK_EQ(m.offset, hdr);
		CHECK_EQ(m.size, 100);
		CHECK_EQ(m.sender, 1);
		CHECK_EQ(m.receiver, 0x8001);
		/* one byte short of the payload's end */
		CHECK_EQ(ffa_msg2_parse_header(vs[v], copy, hdr, hdr + 99, &m,
					       &e),
			 FFA_INVALID_PARAMETERS);
		CHECK(strstr(e.why, "past the buffer"));
		free(copy);
		/* a copy shorter than the header: refused, not read past */
		copy = exact_copy(b.b, hdr - 1);
		CHECK_EQ(ffa_msg2_parse_header(vs[v], copy, hdr - 1, 4096, &m,
					       &e),
			 FFA_INVALID_PARAMETERS);
		CHECK(strstr(e.why, "shorter than the message header"));
		free(copy);
	}
}

int main(void)
{
	RUN(test_parse_header);
	RUN(test_header_size);
	RUN(test_valid);
	RUN(test_version);
	RUN(test_reject_fields);
	RUN(test_reject_payload);
	RUN(test_truncated_every_length);
	RUN(test_emit_roundtrip);
	RUN(test_same);
	return test_summary("test_msg2");
}
