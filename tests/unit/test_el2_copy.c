/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * The EL2 stub's guest copy (el2/hyp/copy.h): every length and every
 * alignment of source and destination, alike or not, copies exactly the
 * bytes asked for and nothing around them, with an 8-byte word for every
 * whole word after the head when the two are aligned alike (the speed it
 * is for) and never an unaligned one (a fault at EL2, MMU off).
 */
#include <stdint.h>
#include <string.h>

static unsigned words, unaligned_words;

#define hyp_copy_word(d, s)                                                  \
	do {                                                                 \
		words++;                                                     \
		unaligned_words += ((uintptr_t)(d) | (uintptr_t)(s)) % 8 != 0; \
		memcpy((void *)(uintptr_t)(d), (const void *)(uintptr_t)(s), 8); \
	} while (0)

#include "el2/hyp/copy.h"
#include "tests/unit/check.h"

#define SPAN 96u /* lengths 0..SPAN-1: head, words and tail in all mixes */
#define GUARD 16u

static uint8_t src_buf[SPAN + 2 * GUARD] __attribute__((aligned(16)));
static uint8_t dst_buf[SPAN + 2 * GUARD] __attribute__((aligned(16)));

static void test_all_alignments_and_lengths(void)
{
	unsigned so, dof, len, i, bad = 0, bad_words = 0;

	for (i = 0; i < sizeof(src_buf); i++)
		src_buf[i] = (uint8_t)(i * 37 + 11);
	for (so = 0; so < 16; so++)
		for (dof = 0; dof < 16; dof++)
			for (len = 0; len + 16 < SPAN; len++) {
				unsigned head = (8 - dof % 8) % 8;

				memset(dst_buf, 0xee, sizeof(dst_buf));
				words = 0;
				hyp_copy(dst_buf + GUARD + dof,
					 src_buf + GUARD + so, len);
				for (i = 0; i < sizeof(dst_buf); i++) {
					uint8_t want = 0xee;

					if (i >= GUARD + dof &&
					    i < GUARD + dof + len)
						want = src_buf[GUARD + so + i -
							       (GUARD + dof)];
					if (dst_buf[i] != want)
						bad++;
				}
				if (words != (so % 8 == dof % 8 && len > head
						      ? (len - head) / 8
						      : 0))
					bad_words++;
			}
	CHECK_EQ(bad, 0);
	CHECK_EQ(bad_words, 0);
	CHECK_EQ(unaligned_words, 0);
}

int main(void)
{
	RUN(test_all_alignments_and_lengths);
	return test_summary("test_el2_copy");
}
