/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * Unit tests of the partition information codec (include/ffaproxy/
 * partinfo.h): sizes and property masks per version, the array checks,
 * parsing at every truncation (from exact-size heap copies, so a read past
 * the end is an ASan report), emitting, and round trips between every pair
 * of versions.
 */
#include <stdlib.h>
#include <string.h>

#include <ffaproxy/partinfo.h>

#include "check.h"

static const uint32_t versions[] = { FFA_VERSION_1_0, FFA_VERSION_1_1,
				     FFA_VERSION_1_2 };

/* One descriptor in the layout of `version`, every property bit set. */
static uint32_t put_desc(uint8_t *d, uint32_t version, uint16_t id,
			 uint16_t ctx, uint8_t uuid_seed)
{
	uint32_t size = ffa_partinfo_size(version), i;

	memset(d, 0, size);
	ffa_put16(d, id);
	ffa_put16(d + 2, ctx);
	ffa_put32(d + 4, 0xffffffffu);
	for (i = 8; i < size; i++)
		d[i] = (uint8_t)(uuid_seed + i);
	return size;
}

/* A heap copy of exactly `len` bytes: reading past it is an ASan report. */
static uint8_t *exact(const uint8_t *src, uint32_t len)
{
	uint8_t *p = malloc(len ? len : 1);

	memcpy(p, src, len);
	return p;
}

static void test_sizes_and_masks(void)
{
	CHECK_EQ(ffa_partinfo_size(FFA_VERSION_1_0), 8);
	CHECK_EQ(ffa_partinfo_size(FFA_VERSION_1_1), 24);
	CHECK_EQ(ffa_partinfo_size(FFA_VERSION_1_2), 24);
	CHECK_EQ(ffa_partinfo_size(FFA_VERSION_1_3), 0);
	CHECK_EQ(ffa_partinfo_size(0x80010000u), 0);
	CHECK_EQ(ffa_partinfo_props_mask(FFA_VERSION_1_0), 0x7);
	CHECK_EQ(ffa_partinfo_props_mask(FFA_VERSION_1_1), 0x13f);
	CHECK_EQ(ffa_partinfo_props_mask(FFA_VERSION_1_2), 0x73f);
	CHECK_EQ(ffa_partinfo_props_mask(FFA_VERSION_1_3), 0);
}

static void test_parse_each_version(void)
{
	struct ffa_partinfo d;
	struct ffa_partinfo_error err;
	uint8_t buf[24], *copy;
	unsigned v, i;

	for (v = 0; v < 3; v++) {
		uint32_t size = put_desc(buf, versions[v], 0x8003, 7, 0x40);

		copy = exact(buf, size);
		memset(&d, 0xa5, sizeof(d));
		CHECK_EQ(ffa_partinfo_parse(versions[v], copy, size, size, 0, &d,
					    &err),
			 0);
		CHECK_EQ(d.id, 0x8003);
		CHECK_EQ(d.exec_ctx, 7);
		/* reserved property bits are dropped, defined ones kept
		 * (all ones: id type 0b11, an auxiliary id, for which bits
		 * 0-3 and 9-10 are reserved from 1.1) */
		CHECK_EQ(d.props, ffa_partinfo_props_mask(versions[v]) &
					  (versions[v] == FFA_VERSION_1_0
						   ? ~0u
						   : ~0x60fu));
		CHECK_EQ(d.has_uuid, versions[v] != FFA_VERSION_1_0);
		for (i = 0; i < 16; i++)
			CHECK_EQ(d.uuid[i],
				 d.has_uuid ? (uint8_t)(0x40 + 8 + i) : 0);
		free(copy);
	}
}

/* 1.1+ consumers stride by the producer's size (w3), e.g. 48 in 1.3. */
static void test_parse_stride(void)
{
	uint8_t buf[96] = { 0 }, *copy;
	struct ffa_partinfo d;

	put_desc(buf, FFA_VERSION_1_2, 0x8001, 1, 0);
	put_desc(buf + 48, FFA_VERSION_1_2, 0x8002, 2, 0x10);
	buf[40] = 0xee; /* past the 24 bytes this codec reads: ignored */
	copy = exact(buf, sizeof(buf));
	CHECK_EQ(ffa_partinfo_check(FFA_VERSION_1_2, 2, 48, 96, NULL), 0);
	CHECK_EQ(ffa_partinfo_parse(FFA_VERSION_1_2, copy, 96, 48, 1, &d, NULL),
		 0);
	CHECK_EQ(d.id, 0x8002);
	CHECK_EQ(d.exec_ctx, 2);
	CHECK_EQ(d.uuid[0], 0x18);
	CHECK_EQ(ffa_partinfo_parse(FFA_VERSION_1_2, copy, 96, 48, 0, &d, NULL),
		 0);
	CHECK_EQ(d.id, 0x8001);
	free(copy);
}

static void test_check_rules(void)
{
	struct ffa_partinfo_error err;

	/* 1.0: exactly 8 */
	CHECK_EQ(ffa_partinfo_check(FFA_VERSION_1_0, 3, 8, 24, &err), 0);
	CHECK_EQ(ffa_partinfo_check(FFA_VERSION_1_0, 1, 24, 4096, &err),
		 FFA_ABORTED);
	CHECK_EQ(err.value, 24);
	CHECK(err.why != NULL);
	/* 1.1+: a multiple of 8, at least 24 */
	CHECK_EQ(ffa_partinfo_check(FFA_VERSION_1_1, 1, 8, 4096, &err),
		 FFA_ABORTED);
	CHECK_EQ(ffa_partinfo_check(FFA_VERSION_1_1, 1, 16, 4096, &err),
		 FFA_ABORTED);
	CHECK_EQ(ffa_partinfo_check(FFA_VERSION_1_2, 1, 28, 4096, &err),
		 FFA_ABORTED);
	CHECK_EQ(ffa_partinfo_check(FFA_VERSION_1_2, 1, 0, 4096, &err),
		 FFA_ABORTED);
	CHECK_EQ(ffa_partinfo_check(FFA_VERSION_1_1, 1, 24, 4096, &err), 0);
	CHECK_EQ(ffa_partinfo_check(FFA_VERSION_1_2, 1, 32, 4096, &err), 0);
	/* the array inside the buffer, without wrapping */
	CHECK_EQ(ffa_partinfo_check(FFA_VERSION_1_2, 2, 24, 48, &err), 0);
	CHECK_EQ(ffa_partinfo_check(FFA_VERSION_1_2, 3, 24, 48, &err),
		 FFA_ABORTED);
	CHECK_EQ(err.value, 72);
	CHECK_EQ(ffa_partinfo_check(FFA_VERSION_1_2, 0xffffffffu, 0xfffffff8u,
				    4096, &err),
		 FFA_ABORTED);
	CHECK_EQ(err.value, 0xffffffffull * 0xfffffff8ull);
	CHECK_EQ(ffa_partinfo_check(FFA_VERSION_1_2, 0, 24, 0, &err), 0);
	/* an unknown version */
	CHECK_EQ(ffa_partinfo_check(FFA_VERSION_1_3, 1, 24, 4096, &err),
		 FFA_ABORTED);
	CHECK_EQ(ffa_partinfo_check(FFA_VERSION_1_3, 1, 48, 4096, NULL),
		 FFA_ABORTED);
}

/* Every length short of the descriptor is refused, from an exact copy. */
static void test_parse_truncation(void)
{
	uint8_t buf[2 * 24], *copy;
	struct ffa_partinfo d;
	struct ffa_partinfo_error err;
	unsigned v;
	uint32_t len;

	for (v = 0; v < 3; v++) {
		uint32_t size = ffa_partinfo_size(versions[v]);

		put_desc(buf, versions[v], 0x8001, 1, 0);
		put_desc(buf + size, versions[v], 0x8002, 1, 0);
		for (len = 0; len <= 2 * size; len++) {
			int st;

			copy = exact(buf, len);
			st = ffa_partinfo_parse(versions[v], copy, len, size, 1,
						&d, &err);
			if (len < 2 * size) {
				CHECK_EQ(st, FFA_ABORTED);
				CHECK_EQ(err.value, 1);
			} else {
				CHECK_EQ(st, 0);
				CHECK_EQ(d.id, 0x8002);
			}
			free(copy);
		}
	}
	/* an index whose offset is far outside (no wrap at 32 bits) */
	copy = exact(buf, 48);
	CHECK_EQ(ffa_partinfo_parse(FFA_VERSION_1_2, copy, 48, 24, 0xb2222223u,
				    &d, &err),
		 FFA_ABORTED);
	/* and the size rule holds here too */
	CHECK_EQ(ffa_partinfo_parse(FFA_VERSION_1_2, copy, 48, 16, 0, &d, &err),
		 FFA_ABORTED);
	CHECK_EQ(ffa_partinfo_parse(FFA_VERSION_1_0, copy, 48, 24, 0, &d, &err),
		 FFA_ABORTED);
	CHECK_EQ(ffa_partinfo_parse(FFA_VERSION_1_3, copy, 48, 24, 0, &d, &err),
		 FFA_ABORTED);
	free(copy);
}

static void test_parse_non_secure_id(void)
{
	uint8_t buf[24];
	struct ffa_partinfo d;
	struct ffa_partinfo_error err;
	unsigned v;

	for (v = 0; v < 3; v++) {
		uint32_t size = put_desc(buf, versions[v], 0x0001, 1, 0);

		CHECK_EQ(ffa_partinfo_parse(versions[v], buf, size, size, 0, &d,
					    &err),
			 FFA_ABORTED);
		CHECK_EQ(err.value, 1);
		CHECK(strstr(err.why, "non-secure") != NULL);
		CHECK_EQ(ffa_partinfo_parse(versions[v], buf, size, size, 0, &d,
					    NULL),
			 FFA_ABORTED);
	}
}

static void test_emit(void)
{
	struct ffa_partinfo d = { 0x8005, 3, 0xffffffffu, true, { 0 } };
	uint8_t out[32];
	uint32_t len = 99, i;

	for (i = 0; i < 16; i++)
		d.uuid[i] = (uint8_t)(0x20 + i);
	/* unknown version, too small: nothing written */
	memset(out, 0xcc, sizeof(out));
	CHECK_EQ(ffa_partinfo_emit(FFA_VERSION_1_3, &d, out, 32, &len),
		 FFA_INVALID_PARAMETERS);
	CHECK_EQ(len, 0);
	CHECK_EQ(ffa_partinfo_emit(FFA_VERSION_1_1, &d, out, 23, &len),
		 FFA_NO_MEMORY);
	CHECK_EQ(ffa_partinfo_emit(FFA_VERSION_1_0, &d, out, 7, &len),
		 FFA_NO_MEMORY);
	for (i = 0; i < sizeof(out); i++)
		CHECK_EQ(out[i], 0xcc);
	/* 1.0: 8 bytes, properties of 1.0 only */
	CHECK_EQ(ffa_partinfo_emit(FFA_VERSION_1_0, &d, out, 8, &len), 0);
	CHECK_EQ(len, 8);
	CHECK_EQ(ffa_get16(out), 0x8005);
	CHECK_EQ(ffa_get16(out + 2), 3);
	CHECK_EQ(ffa_get32(out + 4), 0x7);
	CHECK_EQ(out[8], 0xcc);
	/* 1.1 and 1.2: the UUID, and their own masks */
	CHECK_EQ(ffa_partinfo_emit(FFA_VERSION_1_1, &d, out, 32, &len), 0);
	CHECK_EQ(len, 24);
	CHECK_EQ(ffa_get32(out + 4), 0x13f);
	CHECK_EQ(out[8], 0x20);
	CHECK_EQ(out[23], 0x2f);
	CHECK_EQ(out[24], 0xcc);
	CHECK_EQ(ffa_partinfo_emit(FFA_VERSION_1_2, &d, out, 24, &len), 0);
	CHECK_EQ(ffa_get32(out + 4), 0x73f);
	/* no UUID in the source: nil, whatever the array holds */
	d.has_uuid = false;
	CHECK_EQ(ffa_partinfo_emit(FFA_VERSION_1_2, &d, out, 24, &len), 0);
	for (i = 8; i < 24; i++)
		CHECK_EQ(out[i], 0);
}

/* parse(v1) -> emit(v2) -> parse(v2) is the same partition, for all 9. */
static void test_round_trips(void)
{
	unsigned a, b;

	for (a = 0; a < 3; a++) {
		for (b = 0; b < 3; b++) {
			uint8_t src[24], mid[24];
			struct ffa_partinfo d1, d2, other;
			uint32_t size = put_desc(src, versions[a], 0x8010, 4, 1);
			uint32_t len;

			CHECK_EQ(ffa_partinfo_parse(versions[a], src, size, size,
						    0, &d1, NULL),
				 0);
			CHECK_EQ(ffa_partinfo_emit(versions[b], &d1, mid,
						   sizeof(mid), &len),
				 0);
			CHECK_EQ(len, ffa_partinfo_size(versions[b]));
			CHECK_EQ(ffa_partinfo_parse(versions[b], mid, len, len,
						    0, &d2, NULL),
				 0);
			CHECK(ffa_partinfo_same(&d1, versions[a], &d2,
						versions[b]));
			/* and same() can tell partitions apart */
			other = d2;
			other.exec_ctx++;
			CHECK(!ffa_partinfo_same(&d1, versions[a], &other,
						 versions[b]));
			other = d2;
			other.id++;
			CHECK(!ffa_partinfo_same(&d1, versions[a], &other,
						 versions[b]));
			other = d2;
			other.props ^= FFA_PART_PROP_DIRECT_REQ_SEND;
			CHECK(!ffa_partinfo_same(&d1, versions[a], &other,
						 versions[b]));
			other = d2;
			other.uuid[5] ^= 1;
			CHECK_EQ(ffa_partinfo_same(&d1, versions[a], &other,
						   versions[b]),
				 !(d1.has_uuid && other.has_uuid));
		}
	}
}

/* Bits 0-3 (direct and indirect messaging, notifications), 6-7 and, from
 * 1.2, 9-10 (DIRECT_REQ2) are defined for a PE endpoint only (bits 5:4
 * 0b00) and reserved (MBZ) for the other id types (DEN0077A 1.2 table
 * 6.2, as Arm's arm-ffa crate quotes it for bits 10:9; its
 * parse_partition_properties reads bits 0-3 and 6-7 for a PE endpoint
 * only): a stream endpoint or auxiliary id is not told to callers as
 * taking direct requests. */
static void test_props_per_id_type(void)
{
	struct ffa_partinfo d;
	struct ffa_partinfo_error err;
	uint8_t buf[24];
	uint32_t t;

	for (t = 0; t < 4; t++) {
		put_desc(buf, FFA_VERSION_1_2, 0x8003, 1, 0);
		ffa_put32(buf + 4, 0x7cf | t << 4);
		CHECK_EQ(ffa_partinfo_parse(FFA_VERSION_1_2, buf, 24, 24, 0, &d,
					    &err),
			 0);
		CHECK_EQ(d.props, t ? (0x100 | t << 4) : 0x70f);
		CHECK_EQ(ffa_partinfo_props_valid(FFA_VERSION_1_2,
						  0xffff07cfu | t << 4),
			 t ? (0x100 | t << 4) : 0x70f);
	}
}

int main(void)
{
	RUN(test_sizes_and_masks);
	RUN(test_parse_each_version);
	RUN(test_parse_stride);
	RUN(test_check_rules);
	RUN(test_parse_truncation);
	RUN(test_parse_non_secure_id);
	RUN(test_emit);
	RUN(test_round_trips);
	RUN(test_props_per_id_type);
	return test_summary("test_partinfo");
}
