/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * The constituent checks as one inline loop, shared by the codec's
 * ffa_mem_check_constituents/ffa_mem_copy_constituents and by the
 * proxy's share path, which inlines it so that checking a fragment's
 * constituents in the transaction's record (where they were read to) and
 * copying them into its TX are a single pass.
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
/* Out of line and cold: the reason of the first of `count` constituents
 * at `c` that breaks a rule (the screen of ffa_mem_cons_take saw one). */
__attribute__((cold)) int
ffa_mem_cons_first_bad(const uint8_t *c, uint32_t count, uint32_t granule,
		       struct ffa_mem_error *err);

/*
 * The checks of the constituent at `c`, whose doublewords are in `base`
 * and `w` (its page count, with the reserved word above it), setting
 * `next` (its end); returns from the caller with the reason on failure.
 * Per constituent: the
 * reserved word in one comparison of the second doubleword, base and
 * size against the granule in one mask (a constant 4 KiB `granule` makes
 * it one test of the base), a zero page count and a wrap in one
 * comparison of the end with the base. Three exits, so that each test
 * stays one compare and branch (one shared exit lets gcc merge them
 * through set-flag arithmetic, which costs more). A macro: the exits
 * return from the loop itself, which gcc keeps as plain branches.
 */
#define FFA_MEM_CONS_CHECK(c, granule, err, next)                            \
	do {                                                                 \
		if (w > UINT32_MAX)                                          \
			return ffa_mem_cons_reason((c), (granule), (err), 1);\
		/* At 4 KiB the size is always whole granules. */           \
		if (((granule) == FFA_PAGE_SIZE                              \
			     ? base                                          \
			     : base | (w * FFA_PAGE_SIZE)) &                 \
		    ((uint64_t)(granule) - 1))                               \
			return ffa_mem_cons_reason((c), (granule), (err), 2);\
		(next) = base + w * FFA_PAGE_SIZE;                           \
		if ((next) <= base)                                          \
			return ffa_mem_cons_reason((c), (granule), (err), 3);\
	} while (0)

/*
 * Nonzero if some constituent whose base and page word were ORed into
 * `bases` and `words` (the accumulator's halves) breaks a rule: a
 * reserved word, a base off the granule or (16 and 64 KiB) a page count
 * that is not whole granules.
 */
#define FFA_MEM_CONS_SCREEN(bases, words, granule)                           \
	(((words) >> 32) |                                                   \
	 ((bases) & ((uint64_t)(granule) - 1)) |                             \
	 ((granule) == FFA_PAGE_SIZE                                         \
		  ? 0                                                        \
		  : (words) & ((uint64_t)(granule) / FFA_PAGE_SIZE - 1)))

#define FFA_MEM_CONS_PUT(d, c)                                               \
	(*(ffp_cons16 *)(void *)(d) = *(const ffp_cons16 *)(const void *)(c))

/* A checked constituent at `c` counted and copied, the bytes as they are
 * (the checks cover all of them): the unordered loop's. */
#define FFA_MEM_CONS_KEEP(c)                                                 \
	do {                                                                 \
		pages += w;                                                  \
		if (copy)                                                    \
			FFA_MEM_CONS_PUT(dst_end + off, (c));                \
		if (copy2)                                                   \
			FFA_MEM_CONS_PUT(dst2_end + off, (c));               \
	} while (0)

/* A constituent as one 16-byte value (GNU vector extension, as msg.c's
 * reg_pair): loaded, stored and ORed into the screen's accumulator as a
 * unit; built -mgeneral-regs-only (EL2), a pair of words, as before. */
typedef uint64_t ffa_mem_cons_vec
	__attribute__((vector_size(16), aligned(8), may_alias));

/*
 * The ascending loop's step over the constituent `k` bytes after `off`:
 * copied and ORed into the screen's accumulator `acc` (base and page word
 * in one 16-byte move and one OR), in order (else on to the unordered
 * loop from this one, whose screen then also covers this constituent,
 * which that loop checks in full anyway), counted, and its end computed
 * and tested against its base. The base is the value's low half; the
 * page word is loaded again from the private copy (one load, where
 * x86-64 takes two instructions to extract a high half).
 */
#define FFA_MEM_CONS_STEP(k)                                                 \
	do {                                                                 \
		const uint8_t *c_ = src_end + off + (k);                     \
		const ffa_mem_cons_vec v_ =                                  \
			*(const ffa_mem_cons_vec *)(const void *)c_;         \
		if (copy)                                                    \
			*(ffa_mem_cons_vec *)(void *)(dst_end + off + (k)) = \
				v_;                                          \
		if (copy2)                                                   \
			*(ffa_mem_cons_vec *)(void *)(dst2_end + off +       \
						      (k)) = v_;             \
		acc |= v_;                                                   \
		base = v_[0];                                                \
		if (__builtin_expect(base < end, 0)) {                       \
			off += (k);                                          \
			goto unordered;                                      \
		}                                                            \
		w = ffa_get64(c_ + 8);                                       \
		pages += w;                                                  \
		/* Exact once the reserved word is zero (screened after the  \
		 * loop): w * 4 KiB < 2^44, so the end is at most the base   \
		 * for a zero page count or a wrap, and only then. */        \
		end = base + w * FFA_PAGE_SIZE;                              \
		if (__builtin_expect(end <= base, 0))                        \
			goto bad;                                            \
	} while (0)

/*
 * Check `count` constituents at `src` (the rules of
 * ffa_mem_check_constituents), copying each to `dst` (`copy`) and to
 * `dst2` (`copy2`), adding to *sum. All pointers 8-aligned; `dst` may be
 * `src`. Ranges nearly always ascend, which proves them free of
 * overlaps: the loop assumes so, and the first range below the previous
 * end moves on to a second loop that only stops tracking it (a cold
 * branch, not a conditional move per range).
 *
 * The ascending loop screens rather than checks, four ranges a turn: per
 * range it ORs the constituent (base and page word) into one 16-byte
 * accumulator and tests the end against the base (a zero page count or a
 * wrap, one comparison); the reserved words and the granule are tested
 * once, on the accumulator, after it (or before the unordered loop, which
 * checks each range in full). A screen that fails (only ever because some
 * constituent breaks a rule) hands the stretch to ffa_mem_cons_first_bad,
 * which finds the first constituent that does and its reason: verdict,
 * reason and value are those of checking one constituent after the
 * other, in the same order. Only the destinations differ on failure:
 * they may hold constituents past the failing one.
 */
static inline __attribute__((always_inline)) int
ffa_mem_cons_take(const uint8_t *src, uint32_t count, uint32_t granule,
		  uint8_t *dst, uint8_t *dst2, struct ffa_mem_cons_sum *sum,
		  struct ffa_mem_error *err, const bool copy, const bool copy2)
{
	uint64_t pages = sum->pages, end = sum->end, w, base;
	ffa_mem_cons_vec acc = { 0, 0 };
	size_t len = (size_t)count * FFA_MEM_CONSTITUENT_SIZE;
	/* One running offset for the source and the destinations, from
	 * -len up to 0, off their ends. No arithmetic on a null pointer,
	 * even of zero. */
	ptrdiff_t off = -(ptrdiff_t)len;
	const uint8_t *src_end = count ? src + len : src;
	uint8_t *dst_end = dst, *dst2_end = dst2;

	if (copy && count)
		dst_end += len;
	if (copy2 && count)
		dst2_end += len;

	/* Each constituent adds below 2^32: the sum cannot wrap when the
	 * second test holds. */
	if ((granule != 4096u && granule != 16384u && granule != 65536u) ||
	    pages > UINT64_MAX - (uint64_t)count * UINT32_MAX)
		return ffa_mem_cons_bad_call(granule, pages, err);
	if (!sum->ascending)
		goto unordered;
	/* count % 4 ranges first (one, a pair), then fours; a single range
	 * (the common share) tests no more than that it is the last. */
	if (len & FFA_MEM_CONSTITUENT_SIZE) {
		FFA_MEM_CONS_STEP(0);
		off += FFA_MEM_CONSTITUENT_SIZE;
		/* One range: screened from its words, still in registers
		 * (the accumulator holds nothing else). */
		if (off == 0) {
			if (FFA_MEM_CONS_SCREEN(base, w, granule))
				goto bad;
			goto ascends;
		}
	}
	if (len & (size_t)2 * FFA_MEM_CONSTITUENT_SIZE) {
		FFA_MEM_CONS_STEP(0);
		FFA_MEM_CONS_STEP(FFA_MEM_CONSTITUENT_SIZE);
		off += (ptrdiff_t)2 * FFA_MEM_CONSTITUENT_SIZE;
	}
	for (; off != 0; off += (ptrdiff_t)4 * FFA_MEM_CONSTITUENT_SIZE) {
		FFA_MEM_CONS_STEP(0);
		FFA_MEM_CONS_STEP(FFA_MEM_CONSTITUENT_SIZE);
		FFA_MEM_CONS_STEP((ptrdiff_t)2 * FFA_MEM_CONSTITUENT_SIZE);
		FFA_MEM_CONS_STEP((ptrdiff_t)3 * FFA_MEM_CONSTITUENT_SIZE);
	}
	if (FFA_MEM_CONS_SCREEN(acc[0], acc[1], granule))
		goto bad;
ascends:
	sum->ascending = true;
	goto done;
unordered:
	/* The ranges before this one screened (and this one with them);
	 * from this one on, each checked in full. */
	if (FFA_MEM_CONS_SCREEN(acc[0], acc[1], granule))
		goto bad;
	for (; off != 0; off += FFA_MEM_CONSTITUENT_SIZE) {
		const uint8_t *c = src_end + off;

		base = ffa_get64(c);
		w = ffa_get64(c + 8);
		FFA_MEM_CONS_CHECK(c, granule, err, end);
		FFA_MEM_CONS_KEEP(c);
	}
	sum->ascending = false;
done:
	sum->pages = pages;
	sum->end = end;
	return 0;
bad:
	return ffa_mem_cons_first_bad(src, count, granule, err);
}

#undef FFA_MEM_CONS_CHECK
#undef FFA_MEM_CONS_PUT
#undef FFA_MEM_CONS_SCREEN
#undef FFA_MEM_CONS_STEP

#undef FFA_MEM_CONS_KEEP

#endif /* FFAPROXY_MEM_CONS_H */
