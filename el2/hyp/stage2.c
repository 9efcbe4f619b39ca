/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * Page states of the client and the host, and the stage-2 tables for the
 * client (VMSAv8-64, 4 KiB granule, 32-bit IPA,
 * starting at level 1; Arm ARM D8 "The VMSAv8-64 address translation
 * system"). Level 1 has four 1 GiB entries: entry 0 leads to the MMIO
 * window (one level-3 page for the UART), entry 1 to RAM, where the
 * client's 2 MiB are one level-3 table of 512 pages.
 */
#include <stddef.h>

#include <ffaproxy/ffa.h>

#include "el2/common/arm.h"
#include "el2/common/board.h"
#include "el2/hyp/stage2.h"

#define PAGE 4096u
#define CLIENT_PAGES (BOARD_EL1_SIZE / PAGE)
#define HOST_PAGES (BOARD_HOST_SIZE / PAGE)

/* Descriptor bits, stage 2 (Arm ARM D8.3). */
#define DESC_TABLE 0x3ull
#define DESC_PAGE 0x3ull
#define S2_MEMATTR_NORMAL_WB (0xfull << 2) /* Outer and Inner WB */
#define S2_MEMATTR_DEVICE_nGnRE (0x1ull << 2)
#define S2_AP_RW (0x3ull << 6)
#define S2_SH_INNER (0x3ull << 8)
#define S2_AF (1ull << 10)
#define S2_XN (0x2ull << 53) /* XN[1:0] = 0b10: never executable */

#define RAM_PAGE_ATTRS (DESC_PAGE | S2_MEMATTR_NORMAL_WB | S2_AP_RW | S2_SH_INNER | S2_AF)
#define DEV_PAGE_ATTRS (DESC_PAGE | S2_MEMATTR_DEVICE_nGnRE | S2_AP_RW | S2_AF | S2_XN)

static uint64_t l1[512] __attribute__((aligned(4096)));
static uint64_t l2_mmio[512] __attribute__((aligned(4096)));
static uint64_t l3_mmio[512] __attribute__((aligned(4096)));
static uint64_t l2_ram[512] __attribute__((aligned(4096)));
static uint64_t l3_client[512] __attribute__((aligned(4096)));
static uint8_t client_state[CLIENT_PAGES]; /* enum ffp_page_state */
static uint8_t host_state[HOST_PAGES];

/* An endpoint that owns memory: its pages' states and, for the client,
 * the level-3 table that maps them. */
struct owner {
	uint16_t ep;
	uint64_t base;
	uint32_t pages;
	uint8_t *state;
	uint64_t *l3; /* NULL: no stage-2 (the host is the stub itself) */
};

static const struct owner owners[] = {
	{ EL1_ENDPOINT_ID, BOARD_EL1_BASE, CLIENT_PAGES, client_state, l3_client },
	{ 0, BOARD_HOST_BASE, HOST_PAGES, host_state, NULL },
};

_Static_assert(BOARD_EL1_SIZE == 512 * PAGE, "one level-3 table");
_Static_assert(BOARD_EL1_BASE % 0x200000 == 0, "2 MiB aligned");
_Static_assert(BOARD_UART_BASE >> 30 == 0, "UART below 1 GiB");
_Static_assert(BOARD_EL1_BASE >> 30 == 1, "client RAM in the second GiB");
_Static_assert(BOARD_HOST_BASE >= BOARD_EL1_BASE + BOARD_EL1_SIZE, "disjoint");

static bool mapped_in(enum ffp_page_state s)
{
	return s == FFP_PAGE_OWNED || s == FFP_PAGE_SHARED_PROXY ||
	       s == FFP_PAGE_SHARED;
}

uint64_t s2_init(void)
{
	uint32_t i;

	l1[0] = (uintptr_t)l2_mmio | DESC_TABLE;
	l1[1] = (uintptr_t)l2_ram | DESC_TABLE;
	l2_mmio[(BOARD_UART_BASE >> 21) & 511] = (uintptr_t)l3_mmio | DESC_TABLE;
	l3_mmio[(BOARD_UART_BASE >> 12) & 511] = BOARD_UART_BASE | DEV_PAGE_ATTRS;
	l2_ram[(BOARD_EL1_BASE >> 21) & 511] = (uintptr_t)l3_client | DESC_TABLE;
	for (i = 0; i < CLIENT_PAGES; i++) {
		l3_client[i] = (BOARD_EL1_BASE + (uint64_t)i * PAGE) | RAM_PAGE_ATTRS;
		client_state[i] = FFP_PAGE_OWNED;
	}
	for (i = 0; i < HOST_PAGES; i++)
		host_state[i] = FFP_PAGE_OWNED;
	dsb(ish);
	return (uintptr_t)l1 | (1ull << 48);
}

uint64_t s2_vtcr(void)
{
	/* RES1 bit 31; PS 32-bit; TG0 4K; SH0 inner; WBWA walks; SL0 = 1
	 * (start at level 1); T0SZ = 32. */
	return (1ull << 31) | (0ull << 16) | (0ull << 14) | (3ull << 12) |
	       (1ull << 10) | (1ull << 8) | (1ull << 6) | 32u;
}

static const struct owner *owner_of(uint16_t ep)
{
	uint32_t i;

	for (i = 0; i < sizeof(owners) / sizeof(owners[0]); i++)
		if (owners[i].ep == ep)
			return &owners[i];
	return NULL;
}

/* Index of the page of `o` holding pa, or -1. */
static int64_t page_index(const struct owner *o, uint64_t pa)
{
	if (pa < o->base || pa - o->base >= (uint64_t)o->pages * PAGE)
		return -1;
	return (int64_t)((pa - o->base) / PAGE);
}

/* [pa, pa+len) inside the RAM of `o`, len > 0, no wrap: first and last
 * page indices. */
static bool range_pages(const struct owner *o, uint64_t pa, uint64_t len,
			uint32_t *first, uint32_t *last)
{
	int64_t f = page_index(o, pa), l;

	if (!len || f < 0 || len - 1 > UINT64_MAX - pa)
		return false;
	l = page_index(o, pa + len - 1);
	if (l < 0)
		return false;
	*first = (uint32_t)f;
	*last = (uint32_t)l;
	return true;
}

/* Move pages [first, last] of `o` to `to`; true if any became unmapped. */
static bool s2_move(const struct owner *o, uint32_t first, uint32_t last,
		    enum ffp_page_state to)
{
	bool unmapped = false;
	uint32_t i;

	for (i = first; i <= last; i++) {
		o->state[i] = (uint8_t)to;
		if (!o->l3)
			continue;
		if (mapped_in(to)) {
			o->l3[i] = (o->base + (uint64_t)i * PAGE) | RAM_PAGE_ATTRS;
		} else {
			o->l3[i] = 0;
			unmapped = true;
		}
	}
	return unmapped;
}

/* Pages of [pa, pa+size) of `o`, every one in state `from`. */
static bool s2_check(const struct owner *o, uint64_t pa, uint64_t size,
		     enum ffp_page_state from, uint32_t *first, uint32_t *last)
{
	uint32_t i;

	if (from >= FFP_PAGE_STATE_COUNT || pa % PAGE || size % PAGE ||
	    !range_pages(o, pa, size, first, last))
		return false;
	for (i = *first; i <= *last; i++)
		if (o->state[i] != from)
			return false;
	return true;
}

/* Make the table writes visible; after an unmapping, drop every cached
 * stage-1+2 entry of the client's VMID (break-before-make is moot:
 * valid -> invalid). */
static void s2_sync(bool unmapped)
{
	dsb(ishst);
	if (unmapped) {
		__asm__ volatile("tlbi vmalls12e1is" ::: "memory");
		dsb(ish);
		isb();
	}
}

int s2_transition(uint16_t ep, uint64_t pa, uint64_t size,
		  enum ffp_page_state from, enum ffp_page_state to)
{
	const struct owner *o = owner_of(ep);
	uint32_t first, last;

	if (!o || to >= FFP_PAGE_STATE_COUNT ||
	    !s2_check(o, pa, size, from, &first, &last))
		return FFA_DENIED;
	s2_sync(s2_move(o, first, last, to));
	return 0;
}

int s2_transition_ranges(uint16_t ep, const uint8_t *cons, uint32_t count,
			 enum ffp_page_state from, enum ffp_page_state to,
			 uint32_t *failed)
{
	const struct owner *o = owner_of(ep);
	bool unmapped = false;
	uint32_t i, first, last;

	*failed = 0;
	if (!o || to >= FFP_PAGE_STATE_COUNT)
		return FFA_DENIED;
	/* In order, each checked against what the ones before it left, so
	 * that a page named twice fails too; undone on the first failure. */
	for (i = 0; i < count; i++) {
		const uint8_t *c = cons + (size_t)i * 16;

		if (!s2_check(o, ffa_get64(c), (uint64_t)ffa_get32(c + 8) * PAGE,
			      from, &first, &last)) {
			*failed = i;
			while (i--) {
				c -= 16;
				(void)range_pages(o, ffa_get64(c),
						  (uint64_t)ffa_get32(c + 8) *
							  PAGE,
						  &first, &last);
				(void)s2_move(o, first, last, from);
			}
			s2_sync(mapped_in(to) && !mapped_in(from));
			return FFA_DENIED;
		}
		unmapped |= s2_move(o, first, last, to);
	}
	s2_sync(unmapped); /* one TLB invalidation for the whole list */
	return 0;
}

bool s2_accessible(uint16_t ep, uint64_t pa, uint64_t len)
{
	const struct owner *o = owner_of(ep);
	uint32_t first, last, i;

	if (!o || !range_pages(o, pa, len, &first, &last))
		return false;
	for (i = first; i <= last; i++)
		if (!mapped_in((enum ffp_page_state)o->state[i]) ||
		    (o->l3 && !o->l3[i]))
			return false;
	return true;
}

int s2_page_state(uint64_t pa, bool *mapped)
{
	uint32_t k;

	*mapped = false;
	for (k = 0; k < sizeof(owners) / sizeof(owners[0]); k++) {
		int64_t i = page_index(&owners[k], pa);

		if (i < 0)
			continue;
		*mapped = owners[k].l3 && (owners[k].l3[i] & 1);
		return owners[k].state[i];
	}
	return -1;
}

static uint64_t fnv1a(uint64_t h, uint64_t v)
{
	unsigned b;

	for (b = 0; b < 8; b++) {
		h ^= (v >> (8 * b)) & 0xff;
		h *= 0x100000001b3ull;
	}
	return h;
}

void s2_digest(struct s2_digest *out)
{
	uint32_t i;

	out->hash = 0xcbf29ce484222325ull;
	out->mapped = 0;
	for (i = 0; i < FFP_PAGE_STATE_COUNT; i++)
		out->per_state[i] = 0;
	for (i = 0; i < CLIENT_PAGES; i++) {
		out->hash = fnv1a(out->hash, l3_client[i]);
		out->hash = fnv1a(out->hash, client_state[i]);
		out->mapped += l3_client[i] & 1;
		if (client_state[i] < FFP_PAGE_STATE_COUNT)
			out->per_state[client_state[i]]++;
	}
	for (i = 0; i < HOST_PAGES; i++)
		out->hash = fnv1a(out->hash, host_state[i]);
	/* The rest of the client's tables, whole: a stray mapping anywhere
	 * changes the hash. */
	for (i = 0; i < 512; i++) {
		out->hash = fnv1a(out->hash, l1[i]);
		out->hash = fnv1a(out->hash, l2_mmio[i]);
		out->hash = fnv1a(out->hash, l3_mmio[i]);
		out->hash = fnv1a(out->hash, l2_ram[i]);
	}
}
