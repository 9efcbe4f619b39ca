/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/* Helpers shared by the small codec fuzz targets. */
#ifndef FFAPROXY_FUZZ_COMMON_H
#define FFAPROXY_FUZZ_COMMON_H

#include <ffaproxy/mem.h>

#include <stdlib.h>
#include <string.h>

static const uint32_t fuzz_versions[4] = {
	FFA_VERSION_1_0, FFA_VERSION_1_1, FFA_VERSION_1_2, FFA_VERSION_1_3,
};

/* A selector byte: low 2 bits pick 1.0/1.1/1.2/1.3, bit 2 asks for 2.0
 * (a version every codec must refuse). */
static inline uint32_t fuzz_version(uint8_t sel)
{
	return sel & 4 ? FFA_MAKE_VERSION(2, 0) : fuzz_versions[sel & 3];
}

/* A heap copy of exactly `n` bytes, so ASan sees a read past the end;
 * NULL when out of memory. */
static inline uint8_t *fuzz_copy(const uint8_t *p, size_t n)
{
	uint8_t *b = malloc(n ? n : 1);

	if (b)
		memcpy(b, p, n);
	return b;
}

/* An input [version selector] bytes...: the version, and the bytes in an
 * exact copy (free it), or NULL to skip the input. */
static inline uint8_t *fuzz_input(const uint8_t *data, size_t size,
				  uint32_t *version, uint32_t *len)
{
	if (size < 1 || size - 1 > 1u << 16)
		return NULL;
	*version = fuzz_version(data[0]);
	*len = (uint32_t)(size - 1);
	return fuzz_copy(data + 1, *len);
}

/* A refusal names its reason and returns the status it reports, which
 * is INVALID_PARAMETERS or (a version without the format) NOT_SUPPORTED. */
static inline void fuzz_check_refusal(int st, const struct ffa_mem_error *err)
{
	if (st != err->status || !err->why ||
	    (st != FFA_INVALID_PARAMETERS && st != FFA_NOT_SUPPORTED))
		abort();
}

#endif
