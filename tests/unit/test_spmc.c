/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/* The SPMC model, phase 1: SMCCC, version negotiation and locking,
 * discovery, RX/TX, partition info layouts, direct messages; at each
 * SPMC version. */
#include <string.h>

#include "sim/spmc.h"
#include "check.h"

#include "tests/unit/spmc_ram.h"

#define TX MEM_BASE
#define RX (MEM_BASE + 0x10000)

static const uint32_t versions[] = { FFA_VERSION_1_0, FFA_VERSION_1_1,
				     FFA_VERSION_1_2 };
#define NVERSIONS 3

static struct spmc s;

static const uint8_t uuid_a[16] = { 1, 2, 3, 4, 5, 6, 7, 8,
				    9, 10, 11, 12, 13, 14, 15, 16 };
static const uint8_t uuid_b[16] = { 0xb0, 0xb1, 0xb2, 0xb3, 0xb4, 0xb5,
				    0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xbb,
				    0xbc, 0xbd, 0xbe, 0xbf };

static const uint8_t uuid_unknown[16] = { 2, 3, 4, 5, 6, 7, 8, 9,
					  10, 11, 12, 13, 14, 15, 16, 17 };

#define PROPS_ALL 0x70fu /* direct req recv/send, indirect, notif, aarch64,
			  * req2 recv/send */

static void setup(uint32_t version)
{
	spmc_init(&s, version, &ram_ops, NULL);
	CHECK_EQ(spmc_add_partition(&s, 0x8001, uuid_a, 2, PROPS_ALL), 0);
	CHECK_EQ(spmc_add_partition(&s, 0x8002, uuid_b, 1,
				    FFA_PART_PROP_DIRECT_REQ_SEND), 0);
	CHECK_EQ(spmc_add_partition(&s, 0x8003, uuid_a, 4,
				    FFA_PART_PROP_DIRECT_REQ_RECV), 0);
}

/* Fill every register with junk first so "undefined means zero" and
 * "SMC32 ignores upper halves" are both exercised by every call. */
static struct ffa_regs call(uint64_t x0, uint64_t x1, uint64_t x2,
			    uint64_t x3, uint64_t x4, uint64_t x5)
{
	struct ffa_regs r;
	int i;

	for (i = 0; i < FFA_NREGS; i++)
		r.x[i] = 0xabcd000000000000ull | (uint64_t)i;
	r.x[0] = x0;
	r.x[1] = x1;
	r.x[2] = x2;
	r.x[3] = x3;
	r.x[4] = x4;
	r.x[5] = x5;
	if (!(x0 & SMCCC_SMC64)) {
		/* Upper halves of an SMC32 call's arguments are ignored. */
		for (i = 1; i <= 5; i++)
			r.x[i] |= 0x5500000000000000ull;
	}
	spmc_smc(&s, &r);
	return r;
}

static void check_error(const struct ffa_regs *r, int32_t code)
{
	CHECK_EQ(r->x[0], FFA_ERROR_32);
	CHECK_EQ(r->x[1], 0);
	CHECK_EQ(r->x[2], (uint32_t)code);
	CHECK(zero_from(r, 3));
}

static void negotiate(uint32_t v)
{
	struct ffa_regs r = call(FFA_VERSION_32, v, 0, 0, 0, 0);

	CHECK_EQ(r.x[0], s.version);
}

static void test_smccc(void)
{
	struct ffa_regs r;

	setup(FFA_VERSION_1_2);
	r = call(SMCCC_VERSION, 0, 0, 0, 0, 0);
	CHECK_EQ(r.x[0], 0x10002);
	CHECK(zero_from(&r, 1));
	s.smccc_version = SMCCC_VERSION_1_1;
	r = call(SMCCC_VERSION, 0, 0, 0, 0, 0);
	CHECK_EQ(r.x[0], 0x10001);
	r = call(SMCCC_ARCH_FEATURES, SMCCC_VERSION, 0, 0, 0, 0);
	CHECK_EQ(r.x[0], 0);
	r = call(SMCCC_ARCH_FEATURES, SMCCC_ARCH_FEATURES, 0, 0, 0, 0);
	CHECK_EQ(r.x[0], 0);
	r = call(SMCCC_ARCH_FEATURES, 0x80008000u, 0, 0, 0, 0);
	CHECK_EQ(r.x[0], 0xffffffffu);
	CHECK(zero_from(&r, 1));
	/* Not FF-A, not SMCCC arch: unknown function. */
	r = call(0x82000010u, 0, 0, 0, 0, 0);
	CHECK_EQ(r.x[0], 0xffffffffu);
	CHECK(!s.ns_locked);
	CHECK_EQ(s.calls[0], 6);
	CHECK_EQ(s.total_calls, 6);
}

static void test_ffa_absent(void)
{
	struct ffa_regs r;

	setup(FFA_VERSION_1_2);
	s.ffa_absent = true;
	r = call(FFA_VERSION_32, FFA_VERSION_1_2, 0, 0, 0, 0);
	CHECK_EQ(r.x[0], 0xffffffffu);
	CHECK(zero_from(&r, 1));
	r = call(FFA_ID_GET_32, 0, 0, 0, 0, 0);
	CHECK_EQ(r.x[0], 0xffffffffu);
	CHECK(zero_from(&r, 1));
	r = call(SMCCC_VERSION, 0, 0, 0, 0, 0);
	CHECK_EQ(r.x[0], 0x10002);
}

static void test_version_answers(void)
{
	struct ffa_regs r;
	int i;

	for (i = 0; i < NVERSIONS; i++) {
		uint32_t v = versions[i];

		setup(v);
		/* bit 31 set, another major */
		r = call(FFA_VERSION_32, 0x80010000u, 0, 0, 0, 0);
		CHECK_EQ(r.x[0], 0xffffffffu);
		CHECK(zero_from(&r, 1));
		r = call(FFA_VERSION_32, FFA_MAKE_VERSION(2, 0), 0, 0, 0, 0);
		CHECK_EQ(r.x[0], 0xffffffffu);
		r = call(FFA_VERSION_32, FFA_MAKE_VERSION(0, 9), 0, 0, 0, 0);
		CHECK_EQ(r.x[0], 0xffffffffu);
		CHECK(!s.ns_version_set);
		/* A newer minor: own version, served at own. */
		r = call(FFA_VERSION_32, FFA_VERSION_1_3, 0, 0, 0, 0);
		CHECK_EQ(r.x[0], v);
		CHECK(zero_from(&r, 1));
		CHECK_EQ(s.ns_version, v);
		/* Before the lock the normal world may go down to 1.0. */
		r = call(FFA_VERSION_32, FFA_VERSION_1_0, 0, 0, 0, 0);
		CHECK_EQ(r.x[0], v);
		CHECK_EQ(s.ns_version, FFA_VERSION_1_0);
		CHECK(!s.ns_locked);
		/* Upper half of w1 ignored (SMC32): the call helper sets it. */
		CHECK_EQ(s.calls[FFA_FN_VERSION], 5);
	}
}

/* A newer minor than the SPMC's, as each real SPMC answers it. */
static void test_version_newer(void)
{
	struct ffa_regs r;

	/* Hafnium: NOT_SUPPORTED, nothing recorded; its own version is. */
	setup(FFA_VERSION_1_1);
	s.newer_version = SPMC_NEWER_REFUSE;
	r = call(FFA_VERSION_32, FFA_VERSION_1_2, 0, 0, 0, 0);
	CHECK_EQ(r.x[0], 0xffffffffu);
	CHECK(zero_from(&r, 1));
	CHECK(!s.ns_version_set);
	negotiate(FFA_VERSION_1_1);
	CHECK_EQ(s.ns_version, FFA_VERSION_1_1);
	negotiate(FFA_VERSION_1_0);
	CHECK_EQ(s.ns_version, FFA_VERSION_1_0);

	/* TF-A's EL3 SPMC: its own version, nothing recorded, and nothing
	 * else is served until a version is. */
	setup(FFA_VERSION_1_1);
	s.newer_version = SPMC_NEWER_UNRECORDED;
	r = call(FFA_VERSION_32, FFA_VERSION_1_2, 0, 0, 0, 0);
	CHECK_EQ(r.x[0], FFA_VERSION_1_1);
	CHECK(zero_from(&r, 1));
	CHECK(!s.ns_version_set);
	negotiate(FFA_VERSION_1_1);
	CHECK(s.ns_version_set);
	CHECK_EQ(s.ns_version, FFA_VERSION_1_1);
	r = call(FFA_ID_GET_32, 0, 0, 0, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	setup(FFA_VERSION_1_1);
	s.newer_version = SPMC_NEWER_UNRECORDED;
	call(FFA_VERSION_32, FFA_VERSION_1_2, 0, 0, 0, 0);
	r = call(FFA_ID_GET_32, 0, 0, 0, 0, 0);
	check_error(&r, FFA_NOT_SUPPORTED);
	/* ... and the lock keeps it so. */
	r = call(FFA_VERSION_32, FFA_VERSION_1_1, 0, 0, 0, 0);
	CHECK_EQ(r.x[0], 0xffffffffu);
	r = call(FFA_ID_GET_32, 0, 0, 0, 0, 0);
	check_error(&r, FFA_NOT_SUPPORTED);

	/* A compatible request is served the same way by all three. */
	setup(FFA_VERSION_1_2);
	s.newer_version = SPMC_NEWER_REFUSE;
	negotiate(FFA_VERSION_1_1);
	CHECK_EQ(s.ns_version, FFA_VERSION_1_1);
	setup(FFA_VERSION_1_2);
	s.newer_version = SPMC_NEWER_UNRECORDED;
	negotiate(FFA_VERSION_1_2);
	CHECK_EQ(s.ns_version, FFA_VERSION_1_2);
}

static void test_version_lock(void)
{
	struct ffa_regs r;
	int i;

	for (i = 0; i < NVERSIONS; i++) {
		uint32_t v = versions[i];

		setup(v);
		negotiate(FFA_VERSION_1_0);
		negotiate(v); /* renegotiation before the lock */
		CHECK_EQ(s.ns_version, v);
		r = call(FFA_ID_GET_32, 0, 0, 0, 0, 0);
		CHECK_EQ(r.x[0], FFA_SUCCESS_32);
		CHECK(s.ns_locked);
		/* Same version, or newer resolving to the same: own version. */
		r = call(FFA_VERSION_32, v, 0, 0, 0, 0);
		CHECK_EQ(r.x[0], v);
		r = call(FFA_VERSION_32, FFA_VERSION_1_3, 0, 0, 0, 0);
		CHECK_EQ(r.x[0], v);
		CHECK(zero_from(&r, 1));
		if (v > FFA_VERSION_1_0) {
			r = call(FFA_VERSION_32, FFA_VERSION_1_0, 0, 0, 0, 0);
			CHECK_EQ(r.x[0], 0xffffffffu);
			CHECK(zero_from(&r, 1));
			CHECK_EQ(s.ns_version, v);
		}
	}
	/* Locked at 1.0 on a 1.2 SPMC: asking 1.2 would change it. */
	setup(FFA_VERSION_1_2);
	negotiate(FFA_VERSION_1_0);
	call(FFA_ID_GET_32, 0, 0, 0, 0, 0);
	r = call(FFA_VERSION_32, FFA_VERSION_1_2, 0, 0, 0, 0);
	CHECK_EQ(r.x[0], 0xffffffffu);
	r = call(FFA_VERSION_32, FFA_VERSION_1_0, 0, 0, 0, 0);
	CHECK_EQ(r.x[0], FFA_VERSION_1_2);
	/* Even a refused FF-A call locks. */
	setup(FFA_VERSION_1_2);
	negotiate(FFA_VERSION_1_2);
	call(FFA_ID_32(0xE0), 0, 0, 0, 0, 0);
	r = call(FFA_VERSION_32, FFA_VERSION_1_1, 0, 0, 0, 0);
	CHECK_EQ(r.x[0], 0xffffffffu);
}

static void test_before_version_is_1_0(void)
{
	struct ffa_regs r;

	setup(FFA_VERSION_1_2);
	r = call(FFA_SPM_ID_GET_32, 0, 0, 0, 0, 0);
	check_error(&r, FFA_NOT_SUPPORTED);
	CHECK(s.ns_locked);
	CHECK_EQ(s.ns_version, FFA_VERSION_1_0);
	r = call(FFA_VERSION_32, FFA_VERSION_1_2, 0, 0, 0, 0);
	CHECK_EQ(r.x[0], 0xffffffffu);
	r = call(FFA_VERSION_32, FFA_VERSION_1_0, 0, 0, 0, 0);
	CHECK_EQ(r.x[0], FFA_VERSION_1_2);
}

static void test_unknown_and_unavailable(void)
{
	struct ffa_regs r;
	int i;

	for (i = 0; i < NVERSIONS; i++) {
		uint32_t v = versions[i];

		setup(v);
		negotiate(v);
		r = call(FFA_ID_32(0xE0), 0, 0, 0, 0, 0);
		check_error(&r, FFA_NOT_SUPPORTED);
		r = call(FFA_ID_64(FFA_FN_ID_GET), 0, 0, 0, 0, 0);
		check_error(&r, FFA_NOT_SUPPORTED);
		r = call(FFA_ID_64(FFA_FN_VERSION), v, 0, 0, 0, 0);
		check_error(&r, FFA_NOT_SUPPORTED);
		r = call(FFA_ID_32(FFA_FN_MSG_POLL), 0, 0, 0, 0, 0);
		check_error(&r, FFA_NOT_SUPPORTED);
		r = call(FFA_SPM_ID_GET_32, 0, 0, 0, 0, 0);
		if (v >= FFA_VERSION_1_1) {
			CHECK_EQ(r.x[0], FFA_SUCCESS_32);
			CHECK_EQ(r.x[2], SPMC_ID);
			CHECK(zero_from(&r, 3));
		} else {
			check_error(&r, FFA_NOT_SUPPORTED);
		}
		r = call(FFA_PARTITION_INFO_GET_REGS_64, 0, 0, 0, 0, 0);
		if (v < FFA_VERSION_1_2)
			check_error(&r, FFA_NOT_SUPPORTED);
		else
			CHECK_EQ(r.x[0], FFA_SUCCESS_64);
		CHECK_EQ(s.calls[0xE0], 1);
		CHECK_EQ(s.calls[FFA_FN_ID_GET], 1);
	}
	/* A 1.2 SPMC serving 1.1 refuses 1.2-only calls. */
	setup(FFA_VERSION_1_2);
	negotiate(FFA_VERSION_1_1);
	r = call(FFA_PARTITION_INFO_GET_REGS_64, 0, 0, 0, 0, 0);
	check_error(&r, FFA_NOT_SUPPORTED);
	r = call(FFA_MSG_SEND_DIRECT_REQ2_64, 0x8001, 0, 0, 0, 0);
	check_error(&r, FFA_NOT_SUPPORTED);
}

static void test_id_get(void)
{
	struct ffa_regs r;
	int i;

	for (i = 0; i < NVERSIONS; i++) {
		setup(versions[i]);
		negotiate(versions[i]);
		r = call(FFA_ID_GET_32, 0, 0, 0, 0, 0);
		CHECK_EQ(r.x[0], FFA_SUCCESS_32);
		CHECK_EQ(r.x[1], 0);
		CHECK_EQ(r.x[2], 0);
		CHECK(zero_from(&r, 3));
	}
}

static void test_features(void)
{
	static const uint32_t always[] = {
		FFA_VERSION_32, FFA_FEATURES_32, FFA_RX_RELEASE_32,
		FFA_RXTX_MAP_32, FFA_RXTX_MAP_64, FFA_RXTX_UNMAP_32,
		FFA_PARTITION_INFO_GET_32, FFA_ID_GET_32,
		FFA_MSG_SEND_DIRECT_REQ_32, FFA_MSG_SEND_DIRECT_REQ_64,
		FFA_MEM_SHARE_32, FFA_MEM_SHARE_64, FFA_MEM_LEND_32,
		FFA_MEM_LEND_64, FFA_MEM_DONATE_32, FFA_MEM_DONATE_64,
		FFA_MEM_RETRIEVE_REQ_32, FFA_MEM_RETRIEVE_REQ_64,
		FFA_MEM_RECLAIM_32, FFA_MEM_FRAG_RX_32, FFA_MEM_FRAG_TX_32,
	};
	struct ffa_regs r;
	unsigned int i, j;

	for (i = 0; i < NVERSIONS; i++) {
		uint32_t v = versions[i];

		setup(v);
		negotiate(v);
		for (j = 0; j < sizeof(always) / sizeof(always[0]); j++) {
			r = call(FFA_FEATURES_32, always[j], 0, 0, 0, 0);
			CHECK_EQ(r.x[0], FFA_SUCCESS_32);
			CHECK_EQ(r.x[2], 0);
			CHECK(zero_from(&r, 3));
		}
		r = call(FFA_FEATURES_32, FFA_SPM_ID_GET_32, 0, 0, 0, 0);
		CHECK_EQ(r.x[0], v >= FFA_VERSION_1_1 ? FFA_SUCCESS_32
						      : FFA_ERROR_32);
		r = call(FFA_FEATURES_32, FFA_MSG_SEND_DIRECT_REQ2_64, 0, 0, 0,
			 0);
		CHECK_EQ(r.x[0], v >= FFA_VERSION_1_2 ? FFA_SUCCESS_32
						      : FFA_ERROR_32);
		r = call(FFA_FEATURES_32, FFA_PARTITION_INFO_GET_REGS_64, 0, 0,
			 0, 0);
		CHECK_EQ(r.x[0], v >= FFA_VERSION_1_2 ? FFA_SUCCESS_32
						      : FFA_ERROR_32);
		/* Wrong width, unimplemented, feature ids. */
		r = call(FFA_FEATURES_32, FFA_ID_64(FFA_FN_ID_GET), 0, 0, 0, 0);
		check_error(&r, FFA_NOT_SUPPORTED);
		r = call(FFA_FEATURES_32, FFA_ID_32(FFA_FN_MSG_POLL), 0, 0, 0,
			 0);
		check_error(&r, FFA_NOT_SUPPORTED);
		r = call(FFA_FEATURES_32, FFA_MEM_RELINQUISH_32, 0, 0, 0, 0);
		check_error(&r, FFA_NOT_SUPPORTED); /* partitions only */
		r = call(FFA_FEATURES_32, FFA_ID_64(FFA_FN_MEM_RECLAIM), 0, 0,
			 0, 0);
		check_error(&r, FFA_NOT_SUPPORTED);
		r = call(FFA_FEATURES_32, 0x1, 0, 0, 0, 0);
		check_error(&r, FFA_NOT_SUPPORTED);
		r = call(FFA_FEATURES_32, SMCCC_VERSION, 0, 0, 0, 0);
		check_error(&r, FFA_NOT_SUPPORTED);
	}
	/* 1.2 SPMC serving 1.1; and a 1.2 SPMC on SMCCC 1.1 firmware. */
	setup(FFA_VERSION_1_2);
	negotiate(FFA_VERSION_1_1);
	r = call(FFA_FEATURES_32, FFA_MSG_SEND_DIRECT_REQ2_64, 0, 0, 0, 0);
	check_error(&r, FFA_NOT_SUPPORTED);
	r = call(FFA_FEATURES_32, FFA_SPM_ID_GET_32, 0, 0, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	setup(FFA_VERSION_1_2);
	s.smccc_version = SMCCC_VERSION_1_1;
	negotiate(FFA_VERSION_1_2);
	r = call(FFA_FEATURES_32, FFA_MSG_SEND_DIRECT_REQ2_64, 0, 0, 0, 0);
	check_error(&r, FFA_NOT_SUPPORTED);
	r = call(FFA_MSG_SEND_DIRECT_REQ2_64, 0x8001, 0, 0, 0, 0);
	check_error(&r, FFA_NOT_SUPPORTED);
	r = call(FFA_PARTITION_INFO_GET_REGS_64, 0, 0, 0, 0, 0);
	check_error(&r, FFA_NOT_SUPPORTED);
}

static void test_rxtx(void)
{
	struct ffa_regs r;
	int i;

	for (i = 0; i < NVERSIONS; i++) {
		setup(versions[i]);
		negotiate(versions[i]);
		r = call(FFA_RXTX_MAP_64, TX, RX, 0, 0, 0);
		check_error(&r, FFA_INVALID_PARAMETERS);
		r = call(FFA_RXTX_MAP_64, TX, RX, 65, 0, 0);
		check_error(&r, FFA_INVALID_PARAMETERS);
		r = call(FFA_RXTX_MAP_64, TX + 0x800, RX, 1, 0, 0);
		check_error(&r, FFA_INVALID_PARAMETERS);
		r = call(FFA_RXTX_MAP_64, TX, RX + 0x10, 1, 0, 0);
		check_error(&r, FFA_INVALID_PARAMETERS);
		r = call(FFA_RXTX_MAP_64, TX, TX + 0x1000, 2, 0, 0);
		check_error(&r, FFA_INVALID_PARAMETERS); /* overlap */
		r = call(FFA_RXTX_MAP_64, TX + 0x1000, TX, 2, 0, 0);
		check_error(&r, FFA_INVALID_PARAMETERS);
		r = call(FFA_RXTX_MAP_64, 0xfffffffffffff000ull, RX, 2, 0, 0);
		check_error(&r, FFA_INVALID_PARAMETERS); /* wraps */
		CHECK(!s.rxtx_mapped);
		/* SMC32: upper halves of x1/x2 ignored (call() sets them). */
		r = call(FFA_RXTX_MAP_32, TX, TX + 64 * 4096, 64, 0, 0);
		CHECK_EQ(r.x[0], FFA_SUCCESS_32);
		CHECK(zero_from(&r, 1));
		CHECK(s.rxtx_mapped);
		CHECK_EQ(s.tx_pa, TX);
		CHECK_EQ(s.rx_pa, TX + 64 * 4096);
		CHECK_EQ(s.rxtx_pages, 64);
		r = call(FFA_RXTX_MAP_64, TX + 0x100000, RX + 0x100000, 1, 0, 0);
		check_error(&r, FFA_DENIED);
		r = call(FFA_RXTX_UNMAP_32, 1u << 16, 0, 0, 0, 0);
		check_error(&r, FFA_INVALID_PARAMETERS);
		r = call(FFA_RXTX_UNMAP_32, 0, 0, 0, 0, 0);
		CHECK_EQ(r.x[0], FFA_SUCCESS_32);
		CHECK(zero_from(&r, 1));
		CHECK(!s.rxtx_mapped);
		r = call(FFA_RXTX_UNMAP_32, 0, 0, 0, 0, 0);
		check_error(&r, FFA_INVALID_PARAMETERS);
		r = call(FFA_RXTX_MAP_64, TX, RX, 1, 0, 0);
		CHECK_EQ(r.x[0], FFA_SUCCESS_32);
		r = call(FFA_RX_RELEASE_32, 0, 0, 0, 0, 0);
		check_error(&r, FFA_DENIED);
	}
}

static void map_rxtx(uint32_t pages)
{
	struct ffa_regs r = call(FFA_RXTX_MAP_64, TX, RX, pages, 0, 0);

	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
}

static uint32_t uuid_word(const uint8_t *u, int i)
{
	return ffa_get32(u + 4 * i);
}

static struct ffa_regs info_get(const uint8_t *u, uint32_t flags)
{
	return call(FFA_PARTITION_INFO_GET_32, u ? uuid_word(u, 0) : 0,
		    u ? uuid_word(u, 1) : 0, u ? uuid_word(u, 2) : 0,
		    u ? uuid_word(u, 3) : 0, flags);
}

static bool ram_zero(uint64_t pa, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (ram[pa - MEM_BASE + i])
			return false;
	return true;
}

static void test_partition_info_layouts(void)
{
	struct ffa_regs r;
	int i;

	for (i = 0; i < NVERSIONS; i++) {
		uint32_t v = versions[i];
		uint32_t size = v == FFA_VERSION_1_0 ? 8 : 24;
		uint32_t want_props = v == FFA_VERSION_1_0   ? 0x7u
				      : v == FFA_VERSION_1_1 ? 0x10fu
							     : PROPS_ALL;
		const uint8_t *d = ram + (RX - MEM_BASE);

		setup(v);
		negotiate(v);
		r = info_get(NULL, 0);
		check_error(&r, FFA_BUSY); /* no RX buffer */
		map_rxtx(2);
		memset(ram + (RX - MEM_BASE), 0xee, 2 * 4096);
		r = info_get(NULL, 0);
		CHECK_EQ(r.x[0], FFA_SUCCESS_32);
		CHECK_EQ(r.x[1], 0);
		CHECK_EQ(r.x[2], 3);
		CHECK_EQ(r.x[3], v == FFA_VERSION_1_0 ? 0 : 24);
		CHECK(zero_from(&r, 4));
		CHECK(s.rx_held_by_ns);
		CHECK_EQ(ffa_get16(d), 0x8001);
		CHECK_EQ(ffa_get16(d + 2), 2);
		CHECK_EQ(ffa_get32(d + 4), want_props);
		CHECK_EQ(ffa_get16(d + size), 0x8002);
		CHECK_EQ(ffa_get16(d + size + 2), 1);
		CHECK_EQ(ffa_get32(d + size + 4), FFA_PART_PROP_DIRECT_REQ_SEND);
		CHECK_EQ(ffa_get16(d + 2 * size), 0x8003);
		if (size == 24) {
			CHECK(!memcmp(d + 8, uuid_a, 16));
			CHECK(!memcmp(d + 24 + 8, uuid_b, 16));
			CHECK(!memcmp(d + 48 + 8, uuid_a, 16));
		}
		/* The whole unused tail of the 2-page RX buffer is zero. */
		CHECK(ram_zero(RX + 3 * size, 2 * 4096 - 3 * size));
		/* RX held: BUSY until released. */
		r = info_get(NULL, 0);
		check_error(&r, FFA_BUSY);
		r = call(FFA_RX_RELEASE_32, 0, 0, 0, 0, 0);
		CHECK_EQ(r.x[0], FFA_SUCCESS_32);
		CHECK(zero_from(&r, 1));
		CHECK(!s.rx_held_by_ns);
		r = call(FFA_RX_RELEASE_32, 0, 0, 0, 0, 0);
		check_error(&r, FFA_DENIED);
		/* By UUID: two partitions share uuid_a. */
		r = info_get(uuid_a, 0);
		CHECK_EQ(r.x[0], FFA_SUCCESS_32);
		CHECK_EQ(r.x[2], 2);
		CHECK_EQ(ffa_get16(d), 0x8001);
		CHECK_EQ(ffa_get16(d + size), 0x8003);
		CHECK(ram_zero(RX + 2 * size, 2 * 4096 - 2 * size));
		call(FFA_RX_RELEASE_32, 0, 0, 0, 0, 0);
		r = info_get(uuid_b, 0);
		CHECK_EQ(r.x[2], 1);
		CHECK_EQ(ffa_get16(d), 0x8002);
		call(FFA_RX_RELEASE_32, 0, 0, 0, 0, 0);
		/* Unknown UUID. */
		r = info_get(uuid_unknown, 0);
		check_error(&r, FFA_INVALID_PARAMETERS);
		/* Flags: bit 0 only from 1.1; bit 1 always MBZ. */
		r = info_get(NULL, 2);
		check_error(&r, FFA_INVALID_PARAMETERS);
		r = info_get(NULL, 1);
		if (v == FFA_VERSION_1_0) {
			check_error(&r, FFA_INVALID_PARAMETERS);
		} else {
			CHECK_EQ(r.x[0], FFA_SUCCESS_32);
			CHECK_EQ(r.x[2], 3);
			CHECK_EQ(r.x[3], 0);
			CHECK(!s.rx_held_by_ns);
		}
		CHECK(!s.rx_held_by_ns);
	}
}

static void test_partition_info_count_only_without_rx(void)
{
	struct ffa_regs r;

	setup(FFA_VERSION_1_1);
	negotiate(FFA_VERSION_1_1);
	r = info_get(uuid_b, 1);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	CHECK_EQ(r.x[2], 1);
	CHECK(zero_from(&r, 3));
}

/* A 1.2 SPMC serving a 1.0 normal world uses the 1.0 layout and masks. */
static void test_partition_info_served_older(void)
{
	struct ffa_regs r;
	const uint8_t *d = ram + (RX - MEM_BASE);

	setup(FFA_VERSION_1_2);
	negotiate(FFA_VERSION_1_0);
	map_rxtx(1);
	memset(ram + (RX - MEM_BASE), 0xee, 4096);
	r = info_get(NULL, 0);
	CHECK_EQ(r.x[2], 3);
	CHECK_EQ(r.x[3], 0);
	CHECK_EQ(ffa_get32(d + 4), 7);
	CHECK_EQ(ffa_get16(d + 8), 0x8002);
	CHECK(ram_zero(RX + 24, 4096 - 24));
	r = info_get(NULL, 1);
	check_error(&r, FFA_INVALID_PARAMETERS);

	setup(FFA_VERSION_1_2);
	negotiate(FFA_VERSION_1_1);
	map_rxtx(1);
	r = info_get(NULL, 0);
	CHECK_EQ(r.x[3], 24);
	CHECK_EQ(ffa_get32(d + 4), 0x10f);
}

static void test_partition_info_regs(void)
{
	static const uint8_t u[16] = { 0x77, 1, 2, 3, 4, 5, 6, 7,
				       8, 9, 10, 11, 12, 13, 14, 15 };
	struct ffa_regs r;
	uint16_t id;
	int k;

	spmc_init(&s, FFA_VERSION_1_2, &ram_ops, NULL);
	for (id = 0x8001; id <= 0x8007; id++)
		CHECK_EQ(spmc_add_partition(&s, id, id == 0x8004 ? uuid_b : u,
					    id & 0xf, PROPS_ALL), 0);
	negotiate(FFA_VERSION_1_2);
	r = call(FFA_PARTITION_INFO_GET_REGS_64, 0, 0, 0, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_64);
	CHECK_EQ(r.x[1], 0);
	/* last index 6, current index 4, tag 0, size 24 */
	CHECK_EQ(r.x[2], 6 | (4u << 16) | (24ull << 48));
	for (k = 0; k < 5; k++) {
		const uint8_t *uu = k == 3 ? uuid_b : u;

		CHECK_EQ(r.x[3 + 3 * k], (uint64_t)(0x8001 + k) |
						 ((uint64_t)((k + 1) & 0xf) << 16) |
						 ((uint64_t)PROPS_ALL << 32));
		CHECK_EQ(r.x[4 + 3 * k], ffa_get64(uu));
		CHECK_EQ(r.x[5 + 3 * k], ffa_get64(uu + 8));
	}
	r = call(FFA_PARTITION_INFO_GET_REGS_64, 0, 0, 5, 0, 0);
	CHECK_EQ(r.x[2], 6 | (6u << 16) | (24ull << 48));
	CHECK_EQ((uint16_t)r.x[3], 0x8006);
	CHECK_EQ((uint16_t)r.x[6], 0x8007);
	CHECK(zero_from(&r, 9));
	r = call(FFA_PARTITION_INFO_GET_REGS_64, 0, 0, 7, 0, 0);
	check_error(&r, FFA_INVALID_PARAMETERS);
	r = call(FFA_PARTITION_INFO_GET_REGS_64, 0, 0, 1u << 16, 0, 0);
	check_error(&r, FFA_RETRY); /* tag: none handed out (Hafnium) */
	r = call(FFA_PARTITION_INFO_GET_REGS_64, 0, 0, 1ull << 32, 0, 0);
	check_error(&r, FFA_INVALID_PARAMETERS); /* x3[63:32] MBZ */
	/* By UUID, as x1 = w1 | w2 << 32. */
	r = call(FFA_PARTITION_INFO_GET_REGS_64, ffa_get64(uuid_b),
		 ffa_get64(uuid_b + 8), 0, 0, 0);
	CHECK_EQ(r.x[2], 0 | (0u << 16) | (24ull << 48));
	CHECK_EQ((uint16_t)r.x[3], 0x8004);
	CHECK(zero_from(&r, 6));
	r = call(FFA_PARTITION_INFO_GET_REGS_64, 1, 0, 0, 0, 0);
	check_error(&r, FFA_INVALID_PARAMETERS);
	/* No RX buffer involved. */
	CHECK(!s.rx_held_by_ns);
}

static void test_direct_req(void)
{
	struct ffa_regs r;
	int i;

	for (i = 0; i < NVERSIONS; i++) {
		setup(versions[i]);
		negotiate(versions[i]);
		r = call(FFA_MSG_SEND_DIRECT_REQ_32, (0u << 16) | 0x8001, 0,
			 0xffffffffu, 41, 0);
		CHECK_EQ(r.x[0], FFA_MSG_SEND_DIRECT_RESP_32);
		CHECK_EQ(r.x[1], (0x8001u << 16) | 0);
		CHECK_EQ(r.x[2], 0);
		CHECK_EQ(r.x[3], 0); /* 32-bit wrap, upper half ignored */
		CHECK_EQ(r.x[4], 42);
		CHECK_EQ(r.x[5], 1);
		CHECK_EQ(r.x[6], 0x7);    /* junk low half 6, + 1 */
		CHECK_EQ(r.x[7], 0x8);
		CHECK(zero_from(&r, 8));
		r = call(FFA_MSG_SEND_DIRECT_REQ_64, (3u << 16) | 0x8003, 0,
			 0xffffffffu, UINT64_MAX, 0x100000000ull);
		CHECK_EQ(r.x[0], FFA_MSG_SEND_DIRECT_RESP_64);
		CHECK_EQ(r.x[1], (0x8003u << 16) | 3);
		CHECK_EQ(r.x[3], 0x100000000ull);
		CHECK_EQ(r.x[4], 0);
		CHECK_EQ(r.x[5], 0x100000001ull);
		CHECK_EQ(r.x[6], 0xabcd000000000007ull);
		CHECK(zero_from(&r, 8));
		/* secure sender, receiver without bit 0 (DENIED, as
		 * Hafnium answers), unknown, flags */
		r = call(FFA_MSG_SEND_DIRECT_REQ_32, (0x8002u << 16) | 0x8001,
			 0, 0, 0, 0);
		check_error(&r, FFA_INVALID_PARAMETERS);
		r = call(FFA_MSG_SEND_DIRECT_REQ_32, 0x8002, 0, 0, 0, 0);
		check_error(&r, FFA_DENIED);
		r = call(FFA_MSG_SEND_DIRECT_REQ_64, 0x8009, 0, 0, 0, 0);
		check_error(&r, FFA_INVALID_PARAMETERS);
		r = call(FFA_MSG_SEND_DIRECT_REQ_32, 0x8001,
			 FFA_MSG_FLAG_FRAMEWORK, 0, 0, 0);
		check_error(&r, FFA_INVALID_PARAMETERS);
		r = call(FFA_MSG_SEND_DIRECT_REQ_64, 0x8001, 1, 0, 0, 0);
		check_error(&r, FFA_INVALID_PARAMETERS);
		CHECK_EQ(s.calls[FFA_FN_MSG_SEND_DIRECT_REQ], 7);
	}
}

static void test_direct_req2(void)
{
	struct ffa_regs r;
	int i;

	setup(FFA_VERSION_1_2);
	negotiate(FFA_VERSION_1_2);
	for (i = 0; i < FFA_NREGS; i++)
		r.x[i] = 100 + i;
	r.x[0] = FFA_MSG_SEND_DIRECT_REQ2_64;
	r.x[1] = (5u << 16) | 0x8001;
	r.x[2] = 0;
	r.x[3] = 0;
	r.x[17] = UINT64_MAX;
	spmc_smc(&s, &r);
	CHECK_EQ(r.x[0], FFA_MSG_SEND_DIRECT_RESP2_64);
	CHECK_EQ(r.x[1], (0x8001u << 16) | 5);
	CHECK_EQ(r.x[2], 0);
	CHECK_EQ(r.x[3], 0);
	for (i = 4; i < 17; i++)
		CHECK_EQ(r.x[i], 101 + i);
	CHECK_EQ(r.x[17], 0);
	/* the receiver's own UUID is accepted, another one is not */
	r = call(FFA_MSG_SEND_DIRECT_REQ2_64, 0x8001, ffa_get64(uuid_a),
		 ffa_get64(uuid_a + 8), 1, 0);
	CHECK_EQ(r.x[0], FFA_MSG_SEND_DIRECT_RESP2_64);
	CHECK_EQ(r.x[4], 2);
	r = call(FFA_MSG_SEND_DIRECT_REQ2_64, 0x8001, ffa_get64(uuid_b),
		 ffa_get64(uuid_b + 8), 1, 0);
	check_error(&r, FFA_INVALID_PARAMETERS);
	/* 0x8003 receives DIRECT_REQ but not REQ2: DENIED */
	r = call(FFA_MSG_SEND_DIRECT_REQ2_64, 0x8003, 0, 0, 0, 0);
	check_error(&r, FFA_DENIED);
	r = call(FFA_MSG_SEND_DIRECT_REQ2_64, (0x8002u << 16) | 0x8001, 0, 0,
		 0, 0);
	check_error(&r, FFA_INVALID_PARAMETERS);
	/* Not at 1.0/1.1 SPMCs */
	for (i = 0; i < 2; i++) {
		setup(versions[i]);
		negotiate(versions[i]);
		r = call(FFA_MSG_SEND_DIRECT_REQ2_64, 0x8001, 0, 0, 0, 0);
		check_error(&r, FFA_NOT_SUPPORTED);
	}
}

static void test_garbage_knob(void)
{
	struct ffa_regs r;

	setup(FFA_VERSION_1_2);
	negotiate(FFA_VERSION_1_2);
	s.garbage_regs = true;
	r = call(FFA_ID_GET_32, 0, 0, 0, 0, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	CHECK(r.x[4] != 0 && r.x[17] != 0);
	s.garbage_regs = false;
	s.info_count_claim = 1000; /* 1000 * 24 bytes do not fit in RX */
	map_rxtx(1);
	r = info_get(NULL, 0);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32);
	CHECK_EQ(r.x[2], 1000);
	CHECK_EQ(r.x[3], 24);
}

/* A corrupted reply to an FFA_RUN that resumes a preempted framework
 * message is that message's response: the partitions' records no longer
 * say what the proxy saw (fuzz_proxy's W6 must stand down). */
static void test_corrupt_run_of_framework_message(void)
{
	struct ffa_regs r;

	spmc_init(&s, FFA_VERSION_1_2, &ram_ops, NULL);
	CHECK_EQ(spmc_add_partition(&s, 0x8001, uuid_a, 1,
				    PROPS_ALL | FFA_PART_PROP_VM_DESTROYED),
		 0);
	negotiate(FFA_VERSION_1_2);
	CHECK_EQ(spmc_fw_answer_set(&s, 0x8001, SPMC_FW_INTERRUPT, 0, 1), 0);
	r = call(FFA_MSG_SEND_DIRECT_REQ_32, 0x8001,
		 FFA_MSG_FLAG_FRAMEWORK | FFA_FRAMEWORK_VM_DESTROYED_REQ, 0, 0,
		 2);
	CHECK_EQ((uint32_t)r.x[0], FFA_INTERRUPT_32);
	s.reply_fn = FFA_FN_RUN;
	s.reply_reg = 0;
	s.reply_xor = 0xb;
	r = call(FFA_RUN_32, (uint32_t)r.x[1], 0, 0, 0, 0);
	CHECK_EQ((uint32_t)r.x[0], FFA_MSG_SEND_DIRECT_RESP_32 ^ 0xb);
	CHECK(s.fw_corrupted);
	/* Not so for an FFA_RUN with no framework message behind it. */
	setup(FFA_VERSION_1_2);
	negotiate(FFA_VERSION_1_2);
	s.reply_fn = FFA_FN_RUN;
	s.reply_xor = 0xb;
	(void)call(FFA_RUN_32, 0x80010000, 0, 0, 0, 0);
	CHECK(!s.fw_corrupted);
}

/* One request with only the registers given (x0, then x<reg> = v):
 * whether the model's audit counted it as carrying reserved bits. */
static bool audited_bad(uint64_t x0, unsigned reg, uint64_t v, unsigned reg2,
			uint64_t v2)
{
	struct ffa_regs r;
	uint32_t before = s.reserved_bad;

	memset(&r, 0, sizeof(r));
	r.x[0] = x0;
	r.x[reg] = v;
	r.x[reg2] |= v2;
	spmc_smc(&s, &r);
	return s.reserved_bad != before;
}

/* The audit behind invariant R10: a reserved bit set is counted and the
 * first one kept; defined fields, an SMC32 call's upper halves and
 * x8..x17 of the call that defines them are not. */
static void test_reserved_audit(void)
{
	setup(FFA_VERSION_1_2);
	CHECK(!audited_bad(FFA_VERSION_32, 1, FFA_VERSION_1_0, 0, 0));
	/* 1.0: PARTITION_INFO_GET's w5 is all reserved, FEATURES' w2 too */
	CHECK(audited_bad(FFA_PARTITION_INFO_GET_32, 5, 1, 0, 0));
	CHECK(audited_bad(FFA_FEATURES_32, 1, FFA_MEM_RETRIEVE_REQ_32, 2, 1));
	CHECK_EQ(s.reserved_fid, FFA_PARTITION_INFO_GET_32);
	CHECK_EQ(s.reserved_reg, 5);
	CHECK_EQ(s.reserved_bits, 1);

	setup(FFA_VERSION_1_2);
	CHECK(!audited_bad(FFA_VERSION_32, 1, FFA_VERSION_1_2, 0, 0));
	CHECK(audited_bad(FFA_VERSION_32, 1, FFA_VERSION_1_2, 6, 1));
	s.reserved_bad = 0;
	CHECK(!audited_bad(FFA_FEATURES_32, 1, FFA_ID_GET_32, 0, 0));
	CHECK(audited_bad(FFA_FEATURES_32, 1, FFA_ID_GET_32, 3, 0x80));
	CHECK_EQ(s.reserved_bad, 1);
	CHECK_EQ(s.reserved_fid, FFA_FEATURES_32);
	CHECK_EQ(s.reserved_reg, 3);
	CHECK_EQ(s.reserved_bits, 0x80);
	/* the first one stays recorded */
	CHECK(audited_bad(FFA_ID_GET_32, 7, 1, 0, 0));
	CHECK_EQ(s.reserved_bad, 2);
	CHECK_EQ(s.reserved_reg, 3);
	/* an SMC32 call's upper halves are no arguments */
	CHECK(!audited_bad(FFA_ID_GET_32, 1, 0xffffffff00000000ull, 0, 0));
	/* 1.1+: the input property of MEM_RETRIEVE_REQ, the count-only flag */
	CHECK(!audited_bad(FFA_FEATURES_32, 1, FFA_MEM_RETRIEVE_REQ_64, 2, 1));
	CHECK(audited_bad(FFA_FEATURES_32, 1, FFA_MEM_RETRIEVE_REQ_64, 2, 2));
	CHECK(!audited_bad(FFA_PARTITION_INFO_GET_32, 5, 1, 0, 0));
	CHECK(audited_bad(FFA_PARTITION_INFO_GET_32, 5, 2, 0, 0));
	/* RXTX_UNMAP: w1[31:16] the id, [15:0] reserved */
	CHECK(!audited_bad(FFA_RXTX_UNMAP_32, 1, 1u << 16, 0, 0));
	CHECK(audited_bad(FFA_RXTX_UNMAP_32, 1, 1, 0, 0));
	/* RXTX_MAP: w3[31:6] reserved */
	CHECK(!audited_bad(FFA_RXTX_MAP_64, 3, 0x3f, 0, 0));
	CHECK(audited_bad(FFA_RXTX_MAP_64, 3, 0x40, 0, 0));
	/* direct requests: a framework message's type, not other w2 bits;
	 * SMC64 x1[63:32] and x8..x17 (but DIRECT_REQ2's payload) */
	CHECK(!audited_bad(FFA_MSG_SEND_DIRECT_REQ_32, 2,
			   FFA_MSG_FLAG_FRAMEWORK | 4, 3, 0xffffffff));
	CHECK(audited_bad(FFA_MSG_SEND_DIRECT_REQ_32, 2, 0x100, 0, 0));
	CHECK(audited_bad(FFA_MSG_SEND_DIRECT_REQ_64, 1, 1ull << 32, 0, 0));
	CHECK(audited_bad(FFA_MSG_SEND_DIRECT_REQ_64, 8, 1, 0, 0));
	CHECK(!audited_bad(FFA_MSG_SEND_DIRECT_REQ2_64, 8, 1, 17, 1));
	CHECK(audited_bad(FFA_PARTITION_INFO_GET_REGS_64, 3, 1ull << 32, 0, 0));
	CHECK(audited_bad(FFA_PARTITION_INFO_GET_REGS_64, 9, 1, 0, 0));
	/* memory: w5..w7 reserved; RECLAIM's flags [1:0]; FRAG_TX w4[15:0] */
	CHECK(audited_bad(FFA_MEM_SHARE_64, 5, 1, 0, 0));
	CHECK(audited_bad(FFA_MEM_SHARE_64, 4, 1ull << 32, 0, 0));
	CHECK(!audited_bad(FFA_MEM_RECLAIM_32, 3, 3, 0, 0));
	CHECK(audited_bad(FFA_MEM_RECLAIM_32, 3, 4, 0, 0));
	CHECK(!audited_bad(FFA_MEM_FRAG_TX_32, 4, 1u << 16, 0, 0));
	CHECK(audited_bad(FFA_MEM_FRAG_TX_32, 4, 1, 0, 0));
	/* notifications: SET's vCPU id only with the per-vCPU flag */
	CHECK(!audited_bad(FFA_NOTIFICATION_SET_32, 2, 0x00030001, 0, 0));
	CHECK(audited_bad(FFA_NOTIFICATION_SET_32, 2, 0x00030000, 0, 0));
	CHECK(audited_bad(FFA_NOTIFICATION_UNBIND_32, 2, 1, 0, 0));
	CHECK(audited_bad(FFA_NOTIFICATION_GET_32, 2, 0x10, 0, 0));
	CHECK(audited_bad(FFA_NOTIFICATION_INFO_GET_64, 1, 1, 0, 0));
	/* MSG_SEND2: w1[31:16] a hypervisor's sender, [15:0] reserved */
	CHECK(!audited_bad(FFA_MSG_SEND2_32, 1, 1u << 16, 0, 0));
	CHECK(audited_bad(FFA_MSG_SEND2_32, 1, 1, 0, 0));
}

static void test_add_partition(void)
{
	uint16_t id;

	spmc_init(&s, FFA_VERSION_1_2, &ram_ops, NULL);
	CHECK_EQ(spmc_add_partition(&s, 0x0001, uuid_a, 1, 0), -1);
	CHECK_EQ(spmc_add_partition(&s, SPMC_ID, uuid_a, 1, 0), -1);
	for (id = 0x8001; id < 0x8001 + SPMC_MAX_PARTITIONS; id++)
		CHECK_EQ(spmc_add_partition(&s, id, uuid_a, 1, 0), 0);
	CHECK_EQ(spmc_add_partition(&s, 0x8100, uuid_a, 1, 0), -1);
	spmc_init(&s, FFA_VERSION_1_2, &ram_ops, NULL);
	CHECK_EQ(spmc_add_partition(&s, 0x8001, uuid_a, 1, 0), 0);
	CHECK_EQ(spmc_add_partition(&s, 0x8001, uuid_b, 1, 0), -1);
	CHECK(spmc_find_partition(&s, 0x8001) != NULL);
	CHECK(spmc_find_partition(&s, 0x8002) == NULL);
}

int main(void)
{
	RUN(test_smccc);
	RUN(test_ffa_absent);
	RUN(test_version_answers);
	RUN(test_version_newer);
	RUN(test_version_lock);
	RUN(test_before_version_is_1_0);
	RUN(test_unknown_and_unavailable);
	RUN(test_id_get);
	RUN(test_features);
	RUN(test_rxtx);
	RUN(test_partition_info_layouts);
	RUN(test_partition_info_count_only_without_rx);
	RUN(test_partition_info_served_older);
	RUN(test_partition_info_regs);
	RUN(test_direct_req);
	RUN(test_direct_req2);
	RUN(test_garbage_knob);
	RUN(test_corrupt_run_of_framework_message);
	RUN(test_reserved_audit);
	RUN(test_add_partition);
	return test_summary("test_spmc");
}
