/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
#include <string.h>

#include "tests/unit/spmc_ram.h"

uint8_t ram[MEM_SIZE];

static bool in_ram(uint64_t pa, size_t len)
{
	return pa >= MEM_BASE && pa - MEM_BASE <= MEM_SIZE &&
	       len <= MEM_SIZE - (pa - MEM_BASE);
}

static int ram_read(void *ctx, uint64_t pa, void *dst, size_t len)
{
	(void)ctx;
	if (!in_ram(pa, len))
		return -1;
	memcpy(dst, ram + (pa - MEM_BASE), len);
	return 0;
}

static int ram_write(void *ctx, uint64_t pa, const void *src, size_t len)
{
	(void)ctx;
	if (!in_ram(pa, len))
		return -1;
	memcpy(ram + (pa - MEM_BASE), src, len);
	return 0;
}

const struct spmc_mem_ops ram_ops = { ram_read, ram_write };
