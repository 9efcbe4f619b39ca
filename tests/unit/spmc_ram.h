/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/* What the SPMC model's unit tests share: normal-world memory, one flat
 * window the model reaches through spmc_mem_ops (tests/unit/spmc_ram.c),
 * and a register check. */
#ifndef FFAPROXY_TESTS_SPMC_RAM_H
#define FFAPROXY_TESTS_SPMC_RAM_H

#include "sim/spmc.h"

#define MEM_BASE 0x80000000ull
#define MEM_SIZE (2u * 1024u * 1024u)

extern uint8_t ram[MEM_SIZE];
extern const struct spmc_mem_ops ram_ops;

/* Registers x[first..17] of a reply are all zero. */
static inline bool zero_from(const struct ffa_regs *r, int first)
{
	int i;

	for (i = first; i < FFA_NREGS; i++)
		if (r->x[i])
			return false;
	return true;
}

#endif
