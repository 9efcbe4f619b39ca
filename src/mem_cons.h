/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * The constituent checks as one inline loop, shared by the codec's
 * ffa_mem_check_constituents/ffa_mem_copy_constituents and by the
 * proxy's share path, which inlines it so that checking, copying into its
 * TX and recording a fragment's constituents are a single pass.
 */
#ifndef FFAPROXY_MEM_CONS_H
#define FFAPROXY_MEM_CONS_H

#include <ffaproxy/mem.h>

#include "internal.h"

/* Out of line and cold: the reason once the loop saw a failure. */
int ffa_mem_cons_reason(const uint8_t *c, uint32_t granule,
			struct ffa_mem_error *err, unsigned site);
int ffa_mem_cons_bad_call(uint32_t granule, uint64_t pages,
			  struct ffa_mem_error *err);

/*
 * Check `count` constituents at `src` (the rules of
 * ffa_mem_check_constituents), copying each to `dst` (`copy`) and to
 * `dst2` (`copy2`) once checked, adding to *sum. Per constituent: the
 * reserved word in one comparison of the second doubleword, base and
 * size against the granule in one mask (a constant 4 KiB `granule` makes
 * it one test of the base), a zero page count and a wrap in one
 * comparison of the end with the base. All pointers 8-aligned.
 */
static inline __attribute__((always_inline)) int
ffa_mem_cons_take(const uint8_t *src, uint32_t count, uint32_t granule,
		  uint8_t *dst, uint8_t *dst2, struct ffa_mem_cons_sum *sum,
		  struct ffa_mem_error *err, const bool copy, const bool copy2)
{
	uint64_t pages = sum->pages, end = sum->end, mask = granule - 1;
	bool ascending = sum->ascending;
	uint32_t i;

	/* Each constituent adds below 2^32: the sum cannot wrap when the
	 * second test holds. */
	if ((granule != 4096u && granule != 16384u && granule != 65536u) ||
	    pages > UINT64_MAX - (uint64_t)count * UINT32_MAX)
		return ffa_mem_cons_bad_call(granule, pages, err);
	for (i = 0; i < count; i++) {
		size_t off = (size_t)i * FFA_MEM_CONSTITUENT_SIZE;
		const ffp_cons16 v = *(const ffp_cons16 *)(const void *)(src + off);
		uint64_t base = ffa_get64(src + off);
		/* page count | reserved << 32 */
		uint64_t w = ffa_get64(src + off + 8);
		uint64_t size = w * FFA_PAGE_SIZE, next = base + size;
		/* At 4 KiB the size is always whole granules. */
		uint64_t unaligned = granule == FFA_PAGE_SIZE ? base & mask
							      : (base | size) & mask;

		/* Reserved word set; unaligned; then, with those clear, no
		 * pages (next == base) or a wrap (next < base). Three call
		 * sites, so that each test stays one compare and branch
		 * (one shared exit lets gcc merge them through set-flag
		 * arithmetic, which costs more). */
		if (w > UINT32_MAX)
			return ffa_mem_cons_reason(src + off, granule, err, 1);
		if (unaligned)
			return ffa_mem_cons_reason(src + off, granule, err, 2);
		if (next <= base)
			return ffa_mem_cons_reason(src + off, granule, err, 3);
		if (base < end)
			ascending = false;
		end = next;
		pages += w;
		/* The bytes as they are: the checks cover all of them. */
		if (copy)
			*(ffp_cons16 *)(void *)(dst + off) = v;
		if (copy2)
			*(ffp_cons16 *)(void *)(dst2 + off) = v;
	}
	sum->pages = pages;
	sum->end = end;
	sum->ascending = ascending;
	return 0;
}

#endif /* FFAPROXY_MEM_CONS_H */
