/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * libFuzzer target for the partition information codec (src/partinfo.c).
 * Input: [version selector] [count] [size selector] SPMC RX bytes...
 *   version: low 2 bits pick 1.0/1.1/1.2/1.3 (the producer's version);
 *            bit 2 set asks for 2.0 (always refused)
 *   count:   the partition count the SPMC claims (w2)
 *   size:    0 = the version's own size, else 8 * n (w3)
 * The bytes live in a heap buffer of exactly their length (ASan sees a
 * read past it). If ffa_partinfo_check accepts the array, every
 * descriptor must parse or be refused with a reason; each one that
 * parses is emitted in 1.0, 1.1 and 1.2, parsed back and compared with
 * ffa_partinfo_same; anything else aborts.
 */
#include <ffaproxy/partinfo.h>

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint32_t versions[4] = {
	FFA_VERSION_1_0, FFA_VERSION_1_1, FFA_VERSION_1_2, FFA_VERSION_1_3,
};

static void roundtrip(const struct ffa_partinfo *pi, uint32_t from)
{
	for (uint32_t vi = 0; vi < 3; vi++) {
		uint32_t v = versions[vi], n = ffa_partinfo_size(v), len = 0;
		struct ffa_partinfo_error err;
		struct ffa_partinfo back;
		uint8_t *out;

		if (!n)
			abort();
		out = malloc(n);
		if (!out)
			return;
		if (ffa_partinfo_emit(v, pi, out, n - 1, &len) != FFA_NO_MEMORY)
			abort();
		if (ffa_partinfo_emit(v, pi, out, n, &len) || len != n)
			abort();
		if (ffa_partinfo_parse(v, out, n, n, 0, &back, &err) ||
		    !ffa_partinfo_same(pi, from, &back, v) ||
		    (back.props & ~ffa_partinfo_props_mask(v)))
			abort();
		free(out);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ffa_partinfo_error err;
	uint32_t version, count, dsize, len, i;
	uint8_t *b;

	if (size < 3 || size - 3 > 1u << 16)
		return 0;
	version = data[0] & 4 ? FFA_MAKE_VERSION(2, 0) : versions[data[0] & 3];
	count = data[1];
	dsize = data[2] ? 8u * data[2] : ffa_partinfo_size(version);
	len = (uint32_t)(size - 3);
	b = malloc(len ? len : 1);
	if (!b)
		return 0;
	memcpy(b, data + 3, len);
	if (ffa_partinfo_check(version, count, dsize, len, &err) == 0) {
		if ((uint64_t)count * dsize > len)
			abort(); /* accepted an array past the bytes */
		for (i = 0; i < count; i++) {
			struct ffa_partinfo pi;

			if (ffa_partinfo_parse(version, b, len, dsize, i, &pi,
					       &err) == 0) {
				if (!(pi.id & 0x8000u) ||
				    (pi.props & ~ffa_partinfo_props_mask(version)))
					abort();
				roundtrip(&pi, version);
			} else if (!err.why || err.status >= 0) {
				abort();
			}
		}
	} else if (!err.why || err.status >= 0) {
		abort();
	}
	/* Any index, accepted array or not, never reads out of bounds. */
	{
		struct ffa_partinfo pi;

		(void)ffa_partinfo_parse(version, b, len, dsize, count, &pi,
					 &err);
	}
	free(b);
	return 0;
}
