/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/* Caller registers with junk where a call defines nothing, and the two
 * things proxy.h lets x8..x17 be afterwards (test_fastpath,
 * test_mem_lane). */
#ifndef FFAPROXY_TESTS_REGS_JUNK_H
#define FFAPROXY_TESTS_REGS_JUNK_H

#include <ffaproxy/ffa.h>

#include <stdbool.h>

#define JUNK 0xa5a5a5a500000000ull

/* x0..x4 as given, x5..x17 junk, each register's own. */
static inline struct ffa_regs regs5(uint64_t x0, uint64_t x1, uint64_t x2,
				    uint64_t x3, uint64_t x4)
{
	struct ffa_regs r;
	int i;

	for (i = 0; i < FFA_NREGS; i++)
		r.x[i] = JUNK | (uint64_t)(0x10 + i);
	r.x[0] = x0;
	r.x[1] = x1;
	r.x[2] = x2;
	r.x[3] = x3;
	r.x[4] = x4;
	return r;
}

/* x0..x3 as given, x4..x17 junk. */
static inline struct ffa_regs regs4(uint64_t x0, uint64_t x1, uint64_t x2,
				    uint64_t x3)
{
	return regs5(x0, x1, x2, x3, JUNK | 0x14);
}

/* x8..x17 as regs4()/regs5() left them. */
static inline bool x8_x17_kept(const struct ffa_regs *r)
{
	int i;

	for (i = 8; i < FFA_NREGS; i++)
		if (r->x[i] != (JUNK | (uint64_t)(0x10 + i)))
			return false;
	return true;
}

static inline bool x8_x17_zero(const struct ffa_regs *r)
{
	int i;

	for (i = 8; i < FFA_NREGS; i++)
		if (r->x[i])
			return false;
	return true;
}

#endif
