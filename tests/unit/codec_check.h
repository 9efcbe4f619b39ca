/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/* Helpers shared by the codec unit tests (test_rxtx_desc, test_msg2). */
#ifndef FFAPROXY_TESTS_CODEC_CHECK_H
#define FFAPROXY_TESTS_CODEC_CHECK_H

#include <ffaproxy/mem.h>

#include <stdlib.h>
#include <string.h>

#include "check.h"

/* A heap copy of exactly `n` bytes, so AddressSanitizer sees a parser
 * that reads past what it was given; free() it. */
static inline uint8_t *exact_copy(const uint8_t *b, uint32_t n)
{
	uint8_t *copy = malloc(n ? n : 1);

	if (copy)
		memcpy(copy, b, n);
	return copy;
}

/* The parser returned `status` and said so in `e`, with a reason that
 * contains `why`. */
static inline void check_refusal(int st, const struct ffa_mem_error *e,
				 int32_t status, const char *why)
{
	CHECK_EQ(st, status);
	CHECK_EQ(e->status, status);
	CHECK(e->why && strstr(e->why, why));
	if (!e->why || !strstr(e->why, why))
		fprintf(stderr, "  reason: %s (wanted %s)\n",
			e->why ? e->why : "(none)", why);
}

#endif
