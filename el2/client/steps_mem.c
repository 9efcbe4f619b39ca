/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * The client's memory-sharing steps: share, lend and donate with
 * descriptors built in the client's own FF-A layout (el2/common/memdesc.c,
 * written from the spec, not with the proxy's codec), a 300-constituent
 * lend sent in two fragments with FFA_MEM_FRAG_TX, reclaim, what EL1 can
 * touch in each state, and adversarial calls that must be refused with
 * nothing changed in the stage-2.
 */
#include <ffaproxy/ffa.h>
#include <ffaproxy/mem.h> /* constants only */

#include "el2/client/client.h"
#include "el2/common/arm.h"
#include "el2/common/board.h"
#include "el2/common/console.h"
#include "el2/common/memdesc.h"

#define PAGE 4096u
#define POOL_PAGES 320u

/* Pages to give away: page aligned and nothing else lives in them. */
static uint8_t pool[POOL_PAGES][PAGE] __attribute__((aligned(4096)));
static uint8_t desc[8192] __attribute__((aligned(16)));

#define POOL(i) ((uint64_t)(uintptr_t)pool[i])

static void copy(uint8_t *d, const uint8_t *s, uint32_t n)
{
	while (n--)
		*d++ = *s++;
}

/* `d` in the layout of the version this client is served at. */
static uint32_t build(const struct mdesc *d)
{
	return memdesc_build(desc, sizeof(desc), cl.served, d);
}

/* Send `total` bytes of `desc` with `fn` in fragments of at most `frag`
 * bytes (later ones with FFA_MEM_FRAG_TX). Returns the final reply;
 * *frags counts the fragments sent. Stops at the first reply that is not
 * FRAG_RX or whose w3 is not what was sent so far. */
static void send(uint32_t fn, uint32_t total, uint32_t frag,
		 struct ffa_regs *r, uint32_t *frags)
{
	uint8_t *tx = (uint8_t *)(uintptr_t)cl.tx;
	uint32_t off, len = total < frag ? total : frag;

	copy(tx, desc, len);
	smc6(r, fn, total, len, 0, 0, 0);
	off = len;
	*frags = 1;
	while (r->x[0] == FFA_MEM_FRAG_RX_32 && off < total &&
	       (uint32_t)r->x[3] == off) {
		len = total - off < frag ? total - off : frag;
		copy(tx, desc + off, len);
		smc6(r, FFA_MEM_FRAG_TX_32, r->x[1], r->x[2], len, 0, 0);
		off += len;
		(*frags)++;
	}
}

static uint64_t handle_of(const struct ffa_regs *r)
{
	return (uint32_t)r->x[2] | ((uint64_t)(uint32_t)r->x[3] << 32);
}

static bool reclaim(uint64_t handle, struct ffa_regs *r)
{
	smc6(r, FFA_MEM_RECLAIM_32, (uint32_t)handle, handle >> 32, 0, 0, 0);
	return ffa_ok(r);
}

/* Every page of [first, first + n) of the pool in `state`, and mapped for
 * EL1 exactly when the state keeps the client's access. */
static bool pool_in(uint32_t first, uint32_t n, enum ffp_page_state state)
{
	bool want = state == FFP_PAGE_OWNED || state == FFP_PAGE_SHARED ||
		    state == FFP_PAGE_SHARED_PROXY;
	uint32_t i;

	for (i = first; i < first + n; i++) {
		bool mapped;

		if (page_state(POOL(i), &mapped) != (int)state || mapped != want)
			return false;
	}
	return true;
}

static const char *version_name(uint32_t v)
{
	return v >= FFA_VERSION_1_2 ? "v1.2" : v >= FFA_VERSION_1_1 ? "v1.1" : "v1.0";
}

/* ---- share, lend, donate ---- */

/* Build `d`, send it in one fragment with `fn` and check for SUCCESS;
 * the handle. */
static uint64_t give(const struct mdesc *d, uint32_t fn, const char *what)
{
	struct ffa_regs r;
	uint32_t total = build(d), frags;
	uint64_t h;

	send(fn, total, total, &r, &frags);
	h = handle_of(&r);
	check(ffa_ok(&r), "%s (%s descriptor, 1 fragment) -> handle 0x%lx", what,
	      version_name(cl.served), h);
	return h;
}

static void step_share(void)
{
	struct md_range ranges[2] = { { 0, 2 }, { 0, 1 } };
	struct mdesc d = { FFA_MEM_TXN_SHARE, EL1_ENDPOINT_ID, 2,
			   { 0x8001, 0x8002 }, { 0x2, 0x1 }, ranges, 2, 0 };
	struct s2_view before, after;
	struct ffa_regs r;
	uint64_t h, v;

	ranges[0].base = POOL(0);
	ranges[1].base = POOL(4);
	s2_view(&before);
	h = give(&d, FFA_MEM_SHARE_32,
		 "FFA_MEM_SHARE_32 of 3 pages to 0x8001 (rw) and 0x8002 (ro)");
	s2_view(&after);
	check(pool_in(0, 2, FFP_PAGE_SHARED) && pool_in(4, 1, FFP_PAGE_SHARED) &&
		      after.per_state[FFP_PAGE_SHARED] == 3,
	      "stage-2: the 3 pages shared and still mapped");
	check(!touch_write(POOL(0), 0x5555) && !touch_read(POOL(4), &v),
	      "a shared page stays accessible to the client");
	check(reclaim(h, &r), "FFA_MEM_RECLAIM 0x%lx", h);
	s2_view(&after);
	check(pool_in(0, 2, FFP_PAGE_OWNED) && pool_in(4, 1, FFP_PAGE_OWNED) &&
		      s2_same(&before, &after),
	      "stage-2: every page owned again, as before the share");
	check(!reclaim(h, &r) && ffa_err(&r) == FFA_INVALID_PARAMETERS,
	      "adversarial FFA_MEM_RECLAIM of the same handle again -> %s",
	      status_name(ffa_err(&r)));
}

static void step_lend(void)
{
	struct md_range ranges[1] = { { POOL(8), 2 } };
	struct mdesc d = { FFA_MEM_TXN_LEND, EL1_ENDPOINT_ID, 1, { 0x8001, 0 },
			   { 0x2, 0 }, ranges, 1, 0 };
	struct s2_view before, after;
	struct ffa_regs r;
	uint64_t h, v = 0, f0 = el2_faults();

	touch_write(POOL(8), 0xfeedface12345678ull);
	s2_view(&before);
	h = give(&d, FFA_MEM_LEND_64, "FFA_MEM_LEND_64 of 2 pages to 0x8001");
	check(pool_in(8, 2, FFP_PAGE_LENT),
	      "stage-2: the lent pages are unmapped for the client");
	check(touch_read(POOL(8), &v) && touch_write(POOL(9) + 8, 1),
	      "reading and writing a lent page fault");
	check(el2_faults() == f0 + 2, "EL2 reported both stage-2 aborts");
	check(reclaim(h, &r), "FFA_MEM_RECLAIM 0x%lx", h);
	s2_view(&after);
	check(pool_in(8, 2, FFP_PAGE_OWNED) && s2_same(&before, &after),
	      "stage-2: owned and mapped again, as before the lend");
	check(!touch_read(POOL(8), &v) && v == 0xfeedface12345678ull,
	      "the reclaimed page is readable and kept its contents");
}

static void step_donate(void)
{
	struct md_range ranges[1] = { { POOL(12), 1 } };
	struct mdesc d = { FFA_MEM_TXN_DONATE, EL1_ENDPOINT_ID, 1, { 0x8001, 0 },
			   { 0x0, 0 }, ranges, 1, 0 };
	struct s2_view before, after;
	struct ffa_regs r;
	uint64_t h;

	h = give(&d, FFA_MEM_DONATE_32, "FFA_MEM_DONATE_32 of 1 page to 0x8001");
	check(pool_in(12, 1, FFP_PAGE_DONATED) && touch_read(POOL(12), NULL),
	      "stage-2: the donated page is gone (an access faults)");
	s2_view(&before);
	check(!reclaim(h, &r) && ffa_err(&r) == FFA_INVALID_PARAMETERS,
	      "FFA_MEM_RECLAIM of a donation -> %s", status_name(ffa_err(&r)));
	s2_view(&after);
	check(s2_same(&before, &after), "stage-2 unchanged by the refusal");
}

/* 300 one-page constituents: about 4.8 KiB of descriptor, more than the
 * client's one-page TX buffer, so it goes in two fragments. */
static void step_lend_fragments(void)
{
	static struct md_range ranges[300];
	struct mdesc d = { FFA_MEM_TXN_LEND, EL1_ENDPOINT_ID, 1, { 0x8001, 0 },
			   { 0x2, 0 }, ranges, 300, 0 };
	struct s2_view before, mid, after;
	uint8_t *tx = (uint8_t *)(uintptr_t)cl.tx;
	struct ffa_regs r;
	uint32_t total, i, first_n, hdr;
	uint64_t h;

	for (i = 0; i < 300; i++) {
		ranges[i].base = POOL(16 + i);
		ranges[i].pages = 1;
	}
	s2_view(&before);
	total = build(&d);
	copy(tx, desc, PAGE);
	smc6(&r, FFA_MEM_LEND_32, total, PAGE, 0, 0, 0);
	h = (uint32_t)r.x[1] | ((uint64_t)(uint32_t)r.x[2] << 32);
	check(r.x[0] == FFA_MEM_FRAG_RX_32 && r.x[3] == PAGE,
	      "FFA_MEM_LEND_32 first fragment (4096 of %lu bytes, 300 "
	      "constituents) -> FFA_MEM_FRAG_RX, w3 %lu",
	      (uint64_t)total, r.x[3]);
	hdr = total - 300 * 16;
	first_n = (PAGE - hdr) / 16;
	check(pool_in(16, first_n, FFP_PAGE_LENT) &&
		      pool_in(16 + first_n, 300 - first_n, FFP_PAGE_OWNED),
	      "stage-2: the first fragment's %lu pages lent, the rest owned",
	      (uint64_t)first_n);

	/* Adversarial: a continuation with a handle that is not this one. */
	s2_view(&mid);
	copy(tx, desc + PAGE, total - PAGE);
	smc6(&r, FFA_MEM_FRAG_TX_32, (uint32_t)h ^ 0x10, h >> 32, total - PAGE, 0, 0);
	s2_view(&after);
	check(ffa_err(&r) == FFA_INVALID_PARAMETERS && s2_same(&mid, &after),
	      "adversarial FFA_MEM_FRAG_TX with a foreign handle -> %s, "
	      "stage-2 unchanged",
	      status_name(ffa_err(&r)));

	smc6(&r, FFA_MEM_FRAG_TX_32, (uint32_t)h, h >> 32, total - PAGE, 0, 0);
	check(ffa_ok(&r) && handle_of(&r) == h,
	      "FFA_MEM_FRAG_TX (%lu bytes) -> SUCCESS with the same handle",
	      (uint64_t)(total - PAGE));
	check(pool_in(16, 300, FFP_PAGE_LENT) && touch_read(POOL(16), NULL) &&
		      touch_read(POOL(315), NULL),
	      "stage-2: all 300 pages lent; the first and last fault");
	check(reclaim(h, &r), "FFA_MEM_RECLAIM 0x%lx", h);
	s2_view(&after);
	check(pool_in(16, 300, FFP_PAGE_OWNED) && s2_same(&before, &after),
	      "stage-2: all 300 pages owned again, as before the lend");
}

/* ---- Adversarial: refused, and nothing changed ---- */

static void refused(const char *what, int32_t want, const struct mdesc *d,
		    uint32_t total_override)
{
	struct s2_view before, after;
	struct ffa_regs r;
	uint32_t total, frags;

	s2_view(&before);
	total = build(d);
	if (total_override) {
		/* claim a different total length than was built */
		copy((uint8_t *)(uintptr_t)cl.tx, desc, total);
		smc6(&r, FFA_MEM_SHARE_32, total_override, total, 0, 0, 0);
	} else {
		send(d->type == FFA_MEM_TXN_SHARE  ? FFA_MEM_SHARE_32
		     : d->type == FFA_MEM_TXN_LEND ? FFA_MEM_LEND_32
						   : FFA_MEM_DONATE_32,
		     total, total, &r, &frags);
	}
	s2_view(&after);
	check(ffa_err(&r) == want && s2_same(&before, &after),
	      "adversarial %s -> %s, stage-2 unchanged", what,
	      status_name(ffa_err(&r)));
}

static void step_adversarial(void)
{
	struct md_range ranges[2];
	struct mdesc d = { FFA_MEM_TXN_SHARE, EL1_ENDPOINT_ID, 1, { 0x8001, 0 },
			   { 0x2, 0 }, ranges, 1, 0 };
	struct s2_view before, after;
	struct ffa_regs r;

	ranges[0] = (struct md_range){ POOL(20), 1 };
	d.bad_offset = 0x1000; /* past the end of the descriptor */
	refused("share with the composite offset past the descriptor",
		FFA_INVALID_PARAMETERS, &d, 0);
	d.bad_offset = 0;

	ranges[0] = (struct md_range){ BOARD_EL2_BASE, 1 };
	refused("share of a hypervisor page (not the client's)", FFA_DENIED, &d, 0);

	/* The first range is the client's, the second nobody's: the first
	 * must be given back. */
	ranges[0] = (struct md_range){ POOL(20), 2 };
	ranges[1] = (struct md_range){ BOARD_FREE_BASE, 1 };
	d.nranges = 2;
	d.type = FFA_MEM_TXN_LEND;
	refused("lend of an own range and a range not owned", FFA_DENIED, &d, 0);

	ranges[1] = (struct md_range){ POOL(21), 1 };
	d.type = FFA_MEM_TXN_SHARE;
	refused("share with overlapping constituents", FFA_INVALID_PARAMETERS,
		&d, 0);

	ranges[0] = (struct md_range){ cl.tx, 1 };
	d.nranges = 1;
	refused("share of the client's own TX buffer page", FFA_DENIED, &d, 0);

	ranges[0] = (struct md_range){ POOL(20), 1 };
	d.sender = 0;
	refused("share naming the host (0) as the sender",
		FFA_DENIED, &d, 0);
	d.sender = EL1_ENDPOINT_ID;

	refused("share whose w1 total length disagrees with the descriptor",
		FFA_INVALID_PARAMETERS, &d, 4096);

	s2_view(&before);
	smc6(&r, FFA_MEM_RECLAIM_32, 0x12345678, 0x9abc, 0, 0, 0);
	s2_view(&after);
	check(ffa_err(&r) == FFA_INVALID_PARAMETERS && s2_same(&before, &after),
	      "adversarial FFA_MEM_RECLAIM of an unknown handle -> %s, "
	      "stage-2 unchanged",
	      status_name(ffa_err(&r)));
}

/* Another endpoint's handle: the host (endpoint 0, played by the EL2
 * stub) shares a page of its own; the client tries to reclaim it and to
 * continue it as a fragment. Both are refused with nothing changed, and
 * the host can still reclaim its transaction afterwards. */
static void step_foreign_handle(void)
{
	uint64_t host_page = BOARD_HOST_BASE + 4 * PAGE, h;
	struct s2_view before, after;
	struct ffa_regs r;
	bool mapped;

	regs_set(&r, EL2_HVC_HOST_SHARE, 0, 0, 0, 0, 0);
	arm_hvc(&r);
	h = r.x[1];
	if (!check(r.x[0] == 0 && page_state(host_page, &mapped) == FFP_PAGE_SHARED,
		   "the host (endpoint 0) shares a page of its own -> handle 0x%lx",
		   h))
		return;
	check(touch_read(host_page, NULL),
	      "the host's memory is not in the client's stage-2 (a read faults)");
	s2_view(&before);
	check(!reclaim(h, &r) && ffa_err(&r) == FFA_INVALID_PARAMETERS,
	      "adversarial FFA_MEM_RECLAIM of the host's handle -> %s",
	      status_name(ffa_err(&r)));
	smc6(&r, FFA_MEM_FRAG_TX_32, (uint32_t)h, h >> 32, 16, 0, 0);
	check(ffa_err(&r) == FFA_INVALID_PARAMETERS,
	      "adversarial FFA_MEM_FRAG_TX on the host's handle -> %s",
	      status_name(ffa_err(&r)));
	s2_view(&after);
	check(s2_same(&before, &after) &&
		      page_state(host_page, &mapped) == FFP_PAGE_SHARED,
	      "stage-2 and the host's pages unchanged");
	regs_set(&r, EL2_HVC_HOST_RECLAIM, h, 0, 0, 0, 0);
	arm_hvc(&r);
	check(r.x[0] == 0 && page_state(host_page, &mapped) == FFP_PAGE_OWNED,
	      "the host's transaction survived: the host reclaims it");
}

void steps_memory(void)
{
	step_share();
	step_lend();
	step_donate();
	step_lend_fragments();
	step_adversarial();
	step_foreign_handle();
}
