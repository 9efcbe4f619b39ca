/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/* The few memory helpers the freestanding core needs. */
#include "internal.h"

void ffp_memcpy(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	/* Word copies when both are aligned: descriptors are 8-aligned. */
	if ((((uintptr_t)d | (uintptr_t)s) & 7u) == 0) {
		for (; n >= 8; n -= 8, d += 8, s += 8)
			*(ffp_word *)(void *)d = *(const ffp_word *)(const void *)s;
	}
	while (n--)
		*d++ = *s++;
}

void ffp_memset(void *dst, int c, size_t n)
{
	uint8_t *d = dst;

	if (((uintptr_t)d & 7u) == 0) {
		uint64_t w = (uint8_t)c * 0x0101010101010101ull;

		/* Four words a turn: the tail of a caller's RX page that a
		 * partition-info reply must zero is most of a page. */
		for (; n >= 32; n -= 32, d += 32) {
			((ffp_word *)(void *)d)[0] = w;
			((ffp_word *)(void *)d)[1] = w;
			((ffp_word *)(void *)d)[2] = w;
			((ffp_word *)(void *)d)[3] = w;
		}
		for (; n >= 8; n -= 8, d += 8)
			*(ffp_word *)(void *)d = w;
	}
	while (n--)
		*d++ = (uint8_t)c;
}
