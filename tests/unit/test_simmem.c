/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/* Simulated memory: regions, all-or-nothing transitions, access rules. */
#include <string.h>

#include "sim/simmem.h"

#include "check.h"

#define BASE 0x80000000ull
#define PG SIMMEM_PAGE

static struct simmem *world(void)
{
	struct simmem *m = simmem_new();

	CHECK(m != NULL);
	CHECK_EQ(simmem_add_region(m, BASE, 8 * PG, 0), 0);
	CHECK_EQ(simmem_add_region(m, BASE + 8 * PG, 4 * PG, 1), 0);
	CHECK_EQ(simmem_add_region(m, 0x10000000, 2 * PG, SIMMEM_OWNER_HYP), 0);
	return m;
}

static enum ffp_page_state state_at(struct simmem *m, uint64_t pa)
{
	struct simmem_page pg;

	CHECK_EQ(simmem_page(m, pa, &pg), 0);
	return pg.state;
}

static void test_regions(void)
{
	struct simmem *m = world();
	struct simmem_page pg;

	/* overlap, misalignment, empty and wrapping regions are refused */
	CHECK_EQ(simmem_add_region(m, BASE + 7 * PG, PG, 2), FFA_INVALID_PARAMETERS);
	CHECK_EQ(simmem_add_region(m, BASE - PG, 2 * PG, 2), FFA_INVALID_PARAMETERS);
	CHECK_EQ(simmem_add_region(m, 0x1000000 + 1, PG, 2), FFA_INVALID_PARAMETERS);
	CHECK_EQ(simmem_add_region(m, 0x1000000, 0, 2), FFA_INVALID_PARAMETERS);
	CHECK_EQ(simmem_add_region(m, UINT64_MAX - PG + 1, PG, 2),
		 FFA_INVALID_PARAMETERS);
	CHECK_EQ(simmem_page(m, BASE + 9 * PG + 5, &pg), 0);
	CHECK_EQ(pg.owner, 1);
	CHECK_EQ(pg.region_owner, 1);
	CHECK_EQ(pg.state, FFP_PAGE_OWNED);
	CHECK_EQ(simmem_page(m, BASE + 12 * PG, &pg), FFA_DENIED);
	/* removing the VM's region makes its memory unknown */
	CHECK_EQ(simmem_remove_owner(m, 1), 1);
	CHECK_EQ(simmem_page(m, BASE + 9 * PG, &pg), FFA_DENIED);
	CHECK_EQ(simmem_page(m, BASE, &pg), 0);
	simmem_free(m);
}

static void test_raw_access(void)
{
	struct simmem *m = world();
	uint8_t in[16], out[16];
	unsigned i;

	for (i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)(0xa0 + i);
	/* a range spanning two adjacent regions (host then VM) */
	CHECK_EQ(simmem_write(m, BASE + 8 * PG - 8, in, sizeof(in)), 0);
	memset(out, 0, sizeof(out));
	CHECK_EQ(simmem_read(m, BASE + 8 * PG - 8, out, sizeof(out)), 0);
	CHECK(memcmp(in, out, sizeof(in)) == 0);
	/* running off the end copies nothing */
	memset(out, 0x55, sizeof(out));
	CHECK_EQ(simmem_read(m, BASE + 12 * PG - 8, out, sizeof(out)), FFA_DENIED);
	CHECK_EQ(out[0], 0x55);
	CHECK_EQ(simmem_write(m, BASE + 12 * PG - 8, in, sizeof(in)), FFA_DENIED);
	CHECK_EQ(simmem_read(m, BASE + 12 * PG - 8, out, 8), 0);
	CHECK_EQ(out[0], 0);
	CHECK_EQ(simmem_read(m, UINT64_MAX - 3, out, 8), FFA_DENIED);
	simmem_free(m);
}

static void test_transition_all_or_nothing(void)
{
	struct simmem *m = world();

	/* the last page of the range belongs to VM 1: nothing changes */
	CHECK_EQ(simmem_transition(m, 0, BASE + 6 * PG, 3 * PG, FFP_PAGE_OWNED,
				   FFP_PAGE_LENT),
		 FFA_DENIED);
	CHECK_EQ(state_at(m, BASE + 6 * PG), FFP_PAGE_OWNED);
	CHECK_EQ(state_at(m, BASE + 7 * PG), FFP_PAGE_OWNED);
	/* one page already in another state: nothing changes */
	CHECK_EQ(simmem_transition(m, 0, BASE + 2 * PG, PG, FFP_PAGE_OWNED,
				   FFP_PAGE_SHARED), 0);
	CHECK_EQ(simmem_transition(m, 0, BASE, 4 * PG, FFP_PAGE_OWNED,
				   FFP_PAGE_LENT),
		 FFA_DENIED);
	CHECK_EQ(state_at(m, BASE), FFP_PAGE_OWNED);
	CHECK_EQ(state_at(m, BASE + PG), FFP_PAGE_OWNED);
	CHECK_EQ(state_at(m, BASE + 2 * PG), FFP_PAGE_SHARED);
	/* a good one, and its undo */
	CHECK_EQ(simmem_transition(m, 0, BASE + 4 * PG, 4 * PG, FFP_PAGE_OWNED,
				   FFP_PAGE_DONATED), 0);
	CHECK_EQ(state_at(m, BASE + 4 * PG), FFP_PAGE_DONATED);
	CHECK_EQ(state_at(m, BASE + 7 * PG), FFP_PAGE_DONATED);
	CHECK_EQ(simmem_transition(m, 0, BASE + 4 * PG, 4 * PG,
				   FFP_PAGE_DONATED, FFP_PAGE_OWNED), 0);
	CHECK_EQ(state_at(m, BASE + 7 * PG), FFP_PAGE_OWNED);
	simmem_free(m);
}

static void test_transition_refusals(void)
{
	struct simmem *m = world();

	/* foreign pages */
	CHECK_EQ(simmem_transition(m, 1, BASE, PG, FFP_PAGE_OWNED, FFP_PAGE_LENT),
		 FFA_DENIED);
	CHECK_EQ(simmem_transition(m, 0, 0x10000000, PG, FFP_PAGE_OWNED,
				   FFP_PAGE_LENT),
		 FFA_DENIED);
	/* unknown memory, partly or wholly */
	CHECK_EQ(simmem_transition(m, 1, BASE + 11 * PG, 2 * PG, FFP_PAGE_OWNED,
				   FFP_PAGE_LENT),
		 FFA_DENIED);
	CHECK_EQ(state_at(m, BASE + 11 * PG), FFP_PAGE_OWNED);
	CHECK_EQ(simmem_transition(m, 0, 0x20000000, PG, FFP_PAGE_OWNED,
				   FFP_PAGE_LENT),
		 FFA_DENIED);
	/* unaligned, empty, wrapping */
	CHECK_EQ(simmem_transition(m, 0, BASE + 1, PG, FFP_PAGE_OWNED,
				   FFP_PAGE_LENT),
		 FFA_DENIED);
	CHECK_EQ(simmem_transition(m, 0, BASE, PG + 1, FFP_PAGE_OWNED,
				   FFP_PAGE_LENT),
		 FFA_DENIED);
	CHECK_EQ(simmem_transition(m, 0, BASE, 0, FFP_PAGE_OWNED, FFP_PAGE_LENT),
		 FFA_DENIED);
	CHECK_EQ(simmem_transition(m, 0, BASE, UINT64_MAX - PG + 1,
				   FFP_PAGE_OWNED, FFP_PAGE_LENT),
		 FFA_DENIED);
	CHECK_EQ(state_at(m, BASE), FFP_PAGE_OWNED);
	/* a bad state */
	CHECK_EQ(simmem_transition(m, 0, BASE, PG, FFP_PAGE_OWNED,
				   FFP_PAGE_STATE_COUNT),
		 FFA_DENIED);
	simmem_free(m);
}

static void test_endpoint_access(void)
{
	struct simmem *m = world();
	uint8_t b[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, r[8];

	CHECK(simmem_accessible(m, 0, BASE, 8 * PG));
	CHECK(!simmem_accessible(m, 0, BASE + 7 * PG, 2 * PG)); /* VM 1's */
	CHECK(!simmem_accessible(m, 1, BASE, 1));
	CHECK(!simmem_accessible(m, 0, 0x10000000, 1)); /* the hypervisor's */
	CHECK(!simmem_accessible(m, 0, 0x20000000, 1)); /* nothing there */
	/* states: owned, shared-proxy and shared keep access */
	CHECK_EQ(simmem_transition(m, 0, BASE, PG, FFP_PAGE_OWNED,
				   FFP_PAGE_SHARED_PROXY), 0);
	CHECK_EQ(simmem_transition(m, 0, BASE + PG, PG, FFP_PAGE_OWNED,
				   FFP_PAGE_SHARED), 0);
	CHECK(simmem_accessible(m, 0, BASE, 2 * PG));
	CHECK_EQ(simmem_write_as(m, 0, BASE + 2 * PG - 4, b, sizeof(b)), 0);
	CHECK_EQ(simmem_read_as(m, 0, BASE + 2 * PG - 4, r, sizeof(r)), 0);
	CHECK(memcmp(b, r, sizeof(b)) == 0);
	/* lent and donated pages lose it: a write copies nothing */
	CHECK_EQ(simmem_transition(m, 0, BASE + 2 * PG, PG, FFP_PAGE_OWNED,
				   FFP_PAGE_LENT), 0);
	CHECK_EQ(simmem_transition(m, 0, BASE + 3 * PG, PG, FFP_PAGE_OWNED,
				   FFP_PAGE_DONATED), 0);
	CHECK(!simmem_accessible(m, 0, BASE + 2 * PG, 1));
	CHECK(!simmem_accessible(m, 0, BASE + 3 * PG + 100, 1));
	memset(b, 0xee, sizeof(b));
	CHECK_EQ(simmem_write_as(m, 0, BASE + 2 * PG - 4, b, sizeof(b)),
		 FFA_DENIED);
	CHECK_EQ(simmem_read(m, BASE + 2 * PG - 4, r, sizeof(r)), 0);
	CHECK_EQ(r[0], 1); /* the old bytes, untouched, even in page 1 */
	CHECK_EQ(r[4], 5);
	CHECK_EQ(simmem_read_as(m, 0, BASE + 2 * PG, r, 1), FFA_DENIED);
	/* an empty access touches no page */
	CHECK(simmem_accessible(m, 0, BASE + 2 * PG, 0));
	simmem_free(m);
}

static void test_hyp_ptr(void)
{
	struct simmem *m = world();
	uint8_t *p = simmem_hyp_ptr(m, 0x10000000, 2 * PG);
	uint8_t r[2];

	CHECK(p != NULL);
	CHECK(simmem_hyp_ptr(m, 0x10000000 + PG, PG + 1) == NULL);
	CHECK(simmem_hyp_ptr(m, BASE, PG) == NULL); /* host memory */
	if (p) {
		p[PG] = 0x42;
		p[PG + 1] = 0x43;
	}
	/* the SPMC sees what the proxy wrote through the pointer */
	CHECK_EQ(simmem_read(m, 0x10000000 + PG, r, 2), 0);
	CHECK_EQ(r[0], 0x42);
	CHECK_EQ(r[1], 0x43);
	CHECK(simmem_state_name(FFP_PAGE_SHARED_PROXY) != NULL &&
	      strcmp(simmem_state_name(FFP_PAGE_SHARED_PROXY), "shared-proxy") == 0);
	CHECK(simmem_state_name(FFP_PAGE_STATE_COUNT) == NULL);
	simmem_free(m);
}

int main(void)
{
	RUN(test_regions);
	RUN(test_raw_access);
	RUN(test_transition_all_or_nothing);
	RUN(test_transition_refusals);
	RUN(test_endpoint_access);
	RUN(test_hyp_ptr);
	return test_summary("test_simmem");
}
