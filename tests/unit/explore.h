/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * The interleaving explorer of test_interleave, test_interleave_run and
 * test_notif. Two CPUs over one simulated world `sp`: call A runs as CPU
 * 0 and, at its k-th point (a lock boundary, and before each SMC when the
 * test hooks them), call B runs whole as CPU 1. Which points count is
 * ex.stop: where CPU 0 holds no lock, or no STATE (across a memory send's
 * SMCs under BUFFERS), or any. A run where B takes a lock A holds is
 * infeasible (a real CPU would wait there): ex.infeasible says so.
 *
 * explore_pairs() runs each pair of a test's operations (struct
 * explore_ops) at every point, from a fresh world each time, and checks
 * the two answers against those of the two serial orders. (Functions
 * are inline so that a test using only part of this warns of nothing.)
 */
#ifndef FFAPROXY_TESTS_EXPLORE_H
#define FFAPROXY_TESTS_EXPLORE_H

#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "sim/invariant.h"

static struct simplat sp;
static struct inv iv;
static char where[256]; /* the run being explored, for messages */
static int lock_errors;

enum explore_stop {
	EX_STOP_UNLOCKED,      /* CPU 0 holds no lock */
	EX_STOP_UNDER_BUFFERS, /* CPU 0 holds no STATE */
	EX_STOP_ANYWHERE,      /* any lock boundary */
};

static struct {
	enum explore_stop stop;
	void (*b)(void);
	unsigned point, at;
	bool injected, infeasible;
	void (*lock)(void *, enum ffp_lock);
	void (*unlock)(void *, enum ffp_lock);
	void (*smc)(void *, struct ffa_regs *); /* the world's own */
} ex;

/* The world's error hook: lock misuse, said later with `where` (an
 * infeasible run expects it). */
static inline void explore_on_error(void *ctx, const char *what)
{
	(void)ctx;
	snprintf(where, sizeof(where), "lock misuse: %s", what);
	lock_errors++;
}

/* A call from `ep` as CPU sp.cpu; the register rules checked. */
static inline struct ffa_regs call(uint16_t ep, uint64_t x0, uint64_t x1,
				   uint64_t x2, uint64_t x3, uint64_t x4,
				   uint64_t x5)
{
	struct ffa_regs r, in;

	memset(&r, 0, sizeof(r));
	r.x[0] = x0;
	r.x[1] = x1;
	r.x[2] = x2;
	r.x[3] = x3;
	r.x[4] = x4;
	r.x[5] = x5;
	in = r;
	CHECK(ffp_handle(sp.proxy, ep, &r));
	if (inv_check_regs(&iv, ep, &in, &r)) {
		fprintf(stderr, "%s: %s\n", where, iv.why);
		CHECK(0);
	}
	return r;
}

/* The world of test_gen and test_notif: partition 0x8001 (UUID 1, two
 * execution contexts, properties `props`), the host's RAM at `ram` and
 * VM 1's at `vm_ram`, `size` bytes each, the explorer's error hook, the
 * invariant checker on; the host at 1.2. */
static inline void explore_world_one(uint32_t props, uint64_t ram,
				     uint64_t vm_ram, uint64_t size)
{
	struct simplat_config cfg;
	struct simplat_hooks hooks = { .error = explore_on_error };
	const char *why = NULL;

	simplat_config_default(&cfg);
	cfg.parts[0].id = 0x8001;
	cfg.parts[0].uuid[0] = 1;
	cfg.parts[0].exec_ctx = 2;
	cfg.parts[0].props = props;
	cfg.part_count = 1;
	cfg.host_ram[0].base = ram;
	cfg.host_ram[0].size = size;
	cfg.host_ram_count = 1;
	CHECK_EQ(simplat_init(&sp, &cfg, &hooks, &why), 0);
	CHECK_EQ(simplat_vm_add(&sp, 1, vm_ram, size), 0);
	inv_init(&iv, &sp);
	call(0, FFA_VERSION_32, FFA_VERSION_1_2, 0, 0, 0, 0);
}

/* One of A's points: B runs there if it is the k-th. */
static inline void explore_point(void)
{
	if (sp.cpu != 0 || ex.injected)
		return;
	if (ex.stop != EX_STOP_ANYWHERE &&
	    (sp.held[0][FFP_LOCK_STATE] ||
	     (sp.held[0][FFP_LOCK_BUFFERS] &&
	      ex.stop != EX_STOP_UNDER_BUFFERS)))
		return;
	if (++ex.point != ex.at)
		return;
	ex.injected = true;
	sp.cpu = 1;
	ex.b();
	sp.cpu = 0;
}

static inline void explore_lock(void *ctx, enum ffp_lock which)
{
	if (sp.cpu == 1 && sp.held[0][which])
		ex.infeasible = true;
	explore_point();
	ex.lock(ctx, which);
}

static inline void explore_unlock(void *ctx, enum ffp_lock which)
{
	ex.unlock(ctx, which);
	explore_point();
}

/* Run `a` as CPU 0 with `b` run whole as CPU 1 at a's k-th point; `smc`,
 * if any, hooks the SMCs too (it calls explore_point, then ex.smc).
 * False once k is past a's last point (b never ran). */
static inline bool explore_at(unsigned k, void (*a)(void), void (*b)(void),
		       void (*smc)(void *, struct ffa_regs *))
{
	ex.point = 0;
	ex.at = k;
	ex.injected = false;
	ex.infeasible = false;
	ex.b = b;
	ex.lock = sp.ops.lock;
	ex.unlock = sp.ops.unlock;
	ex.smc = sp.ops.smc;
	sp.ops.lock = explore_lock;
	sp.ops.unlock = explore_unlock;
	if (smc)
		sp.ops.smc = smc;
	sp.cpu = 0;
	a();
	sp.ops.lock = ex.lock;
	sp.ops.unlock = ex.unlock;
	sp.ops.smc = ex.smc;
	return ex.injected;
}

/* Lock misuse fails the run. */
static inline void explore_check_locks(void)
{
	if (lock_errors) {
		fprintf(stderr, "%s\n", where);
		CHECK(0);
		lock_errors = 0;
	}
}

/* ---- Pairs of operations against their serial orders. */

/* A test's operations: those below `ep_ops` are calls of an endpoint's
 * (the host, 0, or VM 1), the others the embedder's (endpoint 0 only). */
struct explore_ops {
	int count, ep_ops;
	const char *const *names;
	/* A fresh world (false: it could not be made). */
	bool (*setup)(void);
	/* Operation `op` of `ep`'s, as CPU `cpu`. */
	void (*run)(int op, uint16_t ep, unsigned cpu, struct ffa_regs *out);
	/* What an answer says, for comparing it. */
	uint64_t (*outcome)(const struct ffa_regs *r, int op);
	/* BUSY: a resource in use (proxy.h), allowed anywhere. */
	bool (*is_busy)(const struct ffa_regs *r, int op);
	/* Whether A and B must answer as one after the other. */
	bool (*comparable)(int a, int ea, int b, int eb);
	/* Whether A and B can run at once at all (NULL: always). */
	bool (*possible)(int a, int ea, int b, int eb);
	/* The checks of the world after a run where B ran. */
	void (*after)(int a, int ea, int b, int eb);
};

static const struct explore_ops *xo;
static char ex_prefix[128]; /* the pass, at the start of `where` */
static unsigned runs, failures;
static struct ffa_regs reply[2];
static int op_a, ep_a, op_b, ep_b;
/* The serial outcomes of the pair being explored: [0] A then B, [1] B
 * then A. */
static uint64_t sa[2], sb[2];

static inline void explore_run_a(void)
{
	xo->run(op_a, (uint16_t)ep_a, 0, &reply[0]);
}

static inline void explore_run_b(void)
{
	xo->run(op_b, (uint16_t)ep_b, 1, &reply[1]);
}

/* The outcomes of A then B (a_first) or B then A, one after the other. */
static inline void explore_serial(bool a_first, uint64_t *oa, uint64_t *ob)
{
	struct ffa_regs ra, rb;

	if (!xo->setup()) {
		CHECK(0);
		return;
	}
	sp.cpu = 0;
	if (a_first) {
		xo->run(op_a, (uint16_t)ep_a, 0, &ra);
		xo->run(op_b, (uint16_t)ep_b, 1, &rb);
	} else {
		xo->run(op_b, (uint16_t)ep_b, 1, &rb);
		xo->run(op_a, (uint16_t)ep_a, 0, &ra);
	}
	*oa = xo->outcome(&ra, op_a);
	*ob = xo->outcome(&rb, op_b);
	inv_fini(&iv);
	simplat_destroy(&sp);
}

/* The pair at point k: false once k is past A's last point. */
static inline bool explore_one(unsigned k)
{
	int before = check_failed_in_test;
	bool reached;

	check_failed_in_test = 0;
	snprintf(where, sizeof(where), "%sA=%s(ep %d) B=%s(ep %d) at point %u",
		 ex_prefix, xo->names[op_a], ep_a, xo->names[op_b], ep_b, k);
	if (!xo->setup()) {
		fprintf(stderr, "%s: setup\n", where);
		CHECK(0);
		check_failed_in_test |= before;
		return false;
	}
	reached = explore_at(k, explore_run_a, explore_run_b, NULL);
	if (ex.infeasible) {
		lock_errors = 0;
		check_failed_in_test = 0;
	} else if (reached) {
		uint64_t oa = xo->outcome(&reply[0], op_a);
		uint64_t ob = xo->outcome(&reply[1], op_b);

		runs++;
		xo->after(op_a, ep_a, op_b, ep_b);
		if (xo->comparable(op_a, ep_a, op_b, ep_b) &&
		    !(oa == sa[0] && ob == sb[0]) &&
		    !(oa == sa[1] && ob == sb[1]) &&
		    !xo->is_busy(&reply[0], op_a) &&
		    !xo->is_busy(&reply[1], op_b)) {
			fprintf(stderr,
				"%s: A 0x%llx B 0x%llx, neither as one after "
				"the other (A then B: 0x%llx 0x%llx, B then A: "
				"0x%llx 0x%llx)\n",
				where, (unsigned long long)oa,
				(unsigned long long)ob,
				(unsigned long long)sa[0],
				(unsigned long long)sb[0],
				(unsigned long long)sa[1],
				(unsigned long long)sb[1]);
			CHECK(0);
		}
	}
	explore_check_locks();
	if (check_failed_in_test)
		failures++;
	check_failed_in_test |= before;
	inv_fini(&iv);
	simplat_destroy(&sp);
	return reached;
}

/* Every pair of `ops`, each at every point. */
static inline void explore_pairs(const struct explore_ops *ops)
{
	unsigned k;

	xo = ops;
	for (op_a = 0; op_a < ops->count; op_a++)
		for (ep_a = 0; ep_a < (op_a < ops->ep_ops ? 2 : 1); ep_a++)
			for (op_b = 0; op_b < ops->count; op_b++)
				for (ep_b = 0;
				     ep_b < (op_b < ops->ep_ops ? 2 : 1);
				     ep_b++) {
					if (ops->possible &&
					    !ops->possible(op_a, ep_a, op_b,
							   ep_b))
						continue;
					if (ops->comparable(op_a, ep_a, op_b,
							    ep_b)) {
						explore_serial(true, &sa[0],
							       &sb[0]);
						explore_serial(false, &sa[1],
							       &sb[1]);
					}
					for (k = 1; explore_one(k); k++)
						;
				}
}

#endif
