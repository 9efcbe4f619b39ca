/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/* Redzones (src/internal.h): in a build with -DFFP_REDZONES (the ASan
 * build of make check) every array ffp_init carves from the instance
 * memory is followed by poisoned bytes, so that an off-by-one into the
 * next array is an ASan report; in any other build the instance is laid
 * out exactly as without them. */
#include <stdlib.h>
#include <string.h>

#include "src/internal.h"

#include "check.h"

#ifdef FFP_REDZONES
int __asan_address_is_poisoned(void const volatile *addr);
#endif

static uint8_t tx[2 * FFA_PAGE_SIZE], rx[2 * FFA_PAGE_SIZE];

static void fake_smc(void *ctx, struct ffa_regs *r)
{
	(void)ctx;
	memset(r, 0, sizeof(*r));
	r->x[0] = FFA_ERROR_32;
	r->x[2] = (uint32_t)FFA_NOT_SUPPORTED;
}

static int fake_transition(void *ctx, uint16_t ep, uint64_t pa, uint64_t size,
			   enum ffp_page_state from, enum ffp_page_state to)
{
	(void)ctx, (void)ep, (void)pa, (void)size, (void)from, (void)to;
	return 0;
}

static int fake_read(void *ctx, uint16_t ep, uint64_t pa, void *dst,
		     size_t len)
{
	(void)ctx, (void)ep, (void)pa, (void)dst, (void)len;
	return FFA_DENIED;
}

static int fake_write(void *ctx, uint16_t ep, uint64_t pa, const void *src,
		      size_t len)
{
	(void)ctx, (void)ep, (void)pa, (void)src, (void)len;
	return FFA_DENIED;
}

static void fake_lock(void *ctx, unsigned lock)
{
	(void)ctx, (void)lock;
}

static const struct ffp_platform fake_ops = {
	fake_smc, fake_transition, fake_read, fake_write,
	fake_lock, fake_lock, NULL, NULL, NULL, NULL,
};

static const struct ffp_partition_uuid uuids[3] = {
	{ 0x8001, { 1 } }, { 0x8002, { 2 } }, { 0x8003, { 3 } },
};

static void config(struct ffp_config *cfg)
{
	ffp_config_default(cfg);
	cfg->buffers.tx = tx;
	cfg->buffers.rx = rx;
	cfg->buffers.tx_pa = 0x10000000;
	cfg->buffers.rx_pa = 0x10002000;
	cfg->buffers.pages = 2;
	cfg->max_endpoints = 5;
	cfg->max_transactions = 7;
	cfg->max_ranges = 9;
	cfg->uuids = uuids;
	cfg->uuid_count = 3; /* 54 bytes: the redzone starts mid-granule */
}

#define A16(x) (((x) + 15u) & ~(size_t)15u)

#ifdef FFP_REDZONES
/* [a, a + n) is addressable and the FFP_REDZONE bytes after it are not. */
static int guarded(const void *a, size_t n)
{
	const uint8_t *b = a;
	size_t i;

	for (i = 0; i < n; i++)
		if (__asan_address_is_poisoned(b + i))
			return 0;
	for (i = 0; i < FFP_REDZONE; i++)
		if (!__asan_address_is_poisoned(b + n + i))
			return 0;
	return 1;
}
#endif

static void test_layout(void)
{
	struct ffp_config cfg;
	size_t size, plain;
	struct ffp *p;
	void *mem;

	config(&cfg);
	size = ffp_instance_size(&cfg);
	/* The layout without redzones, as ffp_init carved it before them. */
	plain = A16(sizeof(struct ffp)) +
		A16(sizeof(struct ffp_endpoint) * 5) +
		A16(sizeof(struct ffp_preempt) * 5 * cfg.max_preempted) +
		/* late marks: one per endpoint and max_preempted more */
		A16(sizeof(struct ffp_late) * (5 + cfg.max_preempted)) +
		A16(sizeof(struct ffp_msg_buffers) * 5) + /* bounce pairs */
		A16(2u * FFA_PAGE_SIZE + (size_t)cfg.max_buffer_pages *
						   FFA_PAGE_SIZE >
				    2u * (size_t)cfg.max_buffer_pages *
					    FFA_PAGE_SIZE
			    ? 2u * FFA_PAGE_SIZE +
				      (size_t)cfg.max_buffer_pages *
					      FFA_PAGE_SIZE
			    : 2u * (size_t)cfg.max_buffer_pages *
				      FFA_PAGE_SIZE) +
		A16(2u * FFA_PAGE_SIZE) + /* the kept message's payload */
		A16(7 * (sizeof(struct ffp_txn) +
			 sizeof(struct ffp_txn_index)) +
		    9 * sizeof(ffp_cons16)) +
		A16(3 * sizeof(struct ffp_partition_uuid));
#ifndef FFP_REDZONES
	CHECK_EQ(FFP_REDZONE, 0);
	CHECK_EQ(size, plain);
#else
	CHECK(size >= plain + 11 * FFP_REDZONE);
#endif
	mem = aligned_alloc(16, A16(size));
	CHECK(mem != NULL);
	if (!mem)
		return;
	/* A block that held an earlier instance: its redzones are cleared
	 * before the new one is carved. */
	p = ffp_init(mem, size, &cfg, &fake_ops, NULL);
	CHECK(p != NULL);
	p = ffp_init(mem, size, &cfg, &fake_ops, NULL);
	CHECK(p != NULL);
	if (!p) {
		free(mem);
		return;
	}
	CHECK(p->cfg.uuids != uuids);
	CHECK_EQ(p->scratch_size, 2u * (size_t)cfg.max_buffer_pages *
					  FFA_PAGE_SIZE);
#ifdef FFP_REDZONES
	CHECK(guarded(p, sizeof(*p)));
	CHECK(guarded(p->eps, sizeof(struct ffp_endpoint) * 5));
	CHECK(guarded(p->preempts,
		      sizeof(struct ffp_preempt) * 5 * cfg.max_preempted));
	CHECK(guarded(p->lates,
		      sizeof(struct ffp_late) * (5 + cfg.max_preempted)));
	CHECK(guarded(p->mbs, sizeof(struct ffp_msg_buffers) * 5));
	CHECK(guarded(p->scratch, p->scratch_size));
	CHECK(guarded(p->hold, 2u * FFA_PAGE_SIZE));
	CHECK(guarded(p->cfg.uuids, 3 * sizeof(struct ffp_partition_uuid)));
	CHECK(guarded(p->txns.txns, 7 * sizeof(struct ffp_txn)));
	CHECK(guarded(p->txns.index, 7 * sizeof(struct ffp_txn_index)));
	CHECK(guarded(p->txns.ranges, 9 * sizeof(ffp_cons16)));
#endif
	/* The instance has no destroy: freeing its block is enough, ASan's
	 * allocator unpoisons what it hands out again. */
	free(mem);
	mem = malloc(size);
	CHECK(mem != NULL);
	if (mem)
		memset(mem, 0xa5, size);
	free(mem);
}

int main(void)
{
	RUN(test_layout);
	return test_summary("test_redzones");
}
