/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/* Helpers shared by the small buffer codecs (rxtx_desc.c, msg2.c). */
#ifndef FFAPROXY_CODEC_H
#define FFAPROXY_CODEC_H

#include <ffaproxy/mem.h>

/* Fill `err` (may be NULL) and return `status`. */
static inline int ffa_codec_refuse(struct ffa_mem_error *err, int32_t status,
				   const char *why, uint64_t value)
{
	if (err) {
		err->status = status;
		err->why = why;
		err->value = value;
	}
	return status;
}

static inline bool ffa_codec_zero(const uint8_t *p, uint32_t n)
{
	uint8_t acc = 0;

	while (n--)
		acc |= *p++;
	return acc == 0;
}

static inline void ffa_codec_clear(void *p, uint32_t n)
{
	uint8_t *b = p;

	while (n--)
		*b++ = 0;
}

/* The FF-A minor version a buffer layout follows: 1..3 for 1.1..1.3,
 * 0 for 1.0, -1 for anything that is not a 1.x version. */
static inline int ffa_codec_minor(uint32_t version)
{
	if ((version & (1u << 31)) || ffa_version_major(version) != 1 ||
	    ffa_version_minor(version) > 3)
		return -1;
	return (int)ffa_version_minor(version);
}

/* A buffer format that FF-A 1.1 introduced: 0 for 1.1..1.3,
 * NOT_SUPPORTED for 1.0 (`why_1_0`), INVALID_PARAMETERS otherwise. */
static inline int ffa_codec_since_1_1(uint32_t version, const char *why_1_0,
				      struct ffa_mem_error *err)
{
	int minor = ffa_codec_minor(version);

	if (minor < 0)
		return ffa_codec_refuse(err, FFA_INVALID_PARAMETERS,
					"not an FF-A 1.x version", version);
	if (minor == 0)
		return ffa_codec_refuse(err, FFA_NOT_SUPPORTED, why_1_0,
					version);
	return 0;
}

#endif /* FFAPROXY_CODEC_H */
