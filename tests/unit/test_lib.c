/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * The core's own memory helpers (src/lib.c), which every copy and every
 * zeroed tail goes through: each length 0..200 at each alignment 0..7 of
 * both ends, against a byte loop, with guard bytes on either side that
 * must stay as they were.
 */
#include <string.h>

#include "check.h"
#include "src/internal.h"

#define LEN 200
#define PAD 16

static _Alignas(8) uint8_t buf[PAD + 8 + LEN + PAD];
static _Alignas(8) uint8_t src[8 + LEN];

static void fill(uint8_t *p, size_t n, uint8_t seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(seed + i * 7);
}

static void test_memset(void)
{
	unsigned align, len, i;
	bool good = true;

	for (align = 0; align < 8; align++) {
		for (len = 0; len <= LEN; len++) {
			uint8_t *d = buf + PAD + align;

			fill(buf, sizeof(buf), 0x31);
			ffp_memset(d, 0xc5, len);
			for (i = 0; i < sizeof(buf); i++) {
				const uint8_t *at = buf + i;
				uint8_t want = at >= d && at < d + len
						       ? 0xc5
						       : (uint8_t)(0x31 + i * 7);

				good = good && *at == want;
			}
		}
	}
	CHECK(good);
}

static void test_memcpy(void)
{
	unsigned da, sa, len, i;
	bool good = true;

	for (da = 0; da < 8; da++) {
		for (sa = 0; sa < 8; sa++) {
			for (len = 0; len <= LEN; len++) {
				uint8_t *d = buf + PAD + da;

				fill(buf, sizeof(buf), 0x31);
				fill(src, sizeof(src), 0x9b);
				ffp_memcpy(d, src + sa, len);
				for (i = 0; i < sizeof(buf); i++) {
					const uint8_t *at = buf + i;
					uint8_t want =
						at >= d && at < d + len
							? src[sa + (at - d)]
							: (uint8_t)(0x31 + i * 7);

					good = good && *at == want;
				}
			}
		}
	}
	CHECK(good);
}

int main(void)
{
	RUN(test_memset);
	RUN(test_memcpy);
	return test_summary("test_lib");
}
