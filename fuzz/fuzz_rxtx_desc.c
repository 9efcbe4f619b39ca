/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * libFuzzer target for the endpoint RX/TX descriptor codec
 * (src/rxtx_desc.c). Input: [version selector] descriptor bytes...
 *   version: low 2 bits pick 1.0/1.1/1.2/1.3; bit 2 set asks for 2.0
 *            (always refused).
 * The bytes live in a heap buffer of exactly their length, so ASan sees
 * a read past it. Whatever parses must be self-consistent (every range
 * 4 KiB aligned, sums right, composites inside the input), emit in 1.1,
 * 1.2 and 1.3 into exactly ffa_rxtx_desc_emit_size() bytes (one byte less
 * is NO_MEMORY) and parse back to the same descriptor; anything else
 * aborts.
 */
#include <ffaproxy/rxtx_desc.h>

#include "fuzz/fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_buffer(const struct ffa_rxtx_buffer *b, uint32_t len)
{
	uint64_t sum = 0;

	if (b->range_count == 0 || b->range_count > FFA_RXTX_DESC_MAX_RANGES ||
	    (uint64_t)b->offset + 16 + 16ull * b->range_count > len ||
	    b->offset % 8 || b->offset < FFA_RXTX_DESC_HEADER_SIZE)
		abort();
	for (uint32_t i = 0; i < b->range_count; i++) {
		if (b->ranges[i].base % FFA_PAGE_SIZE || !b->ranges[i].pages)
			abort();
		sum += b->ranges[i].pages;
	}
	if (sum != b->pages)
		abort();
}

static void roundtrip(const struct ffa_rxtx_desc *d)
{
	uint32_t size = ffa_rxtx_desc_emit_size(d);

	if (!size)
		abort();
	for (uint32_t vi = 1; vi < 4; vi++) {
		struct ffa_rxtx_desc d2;
		struct ffa_mem_error err;
		uint8_t *out = malloc(size);
		uint32_t len = 0;

		if (!out)
			return;
		if (ffa_rxtx_desc_emit(fuzz_versions[vi], d, out, size - 1, &len) !=
		    FFA_NO_MEMORY)
			abort();
		if (ffa_rxtx_desc_emit(fuzz_versions[vi], d, out, size, &len) ||
		    len != size)
			abort();
		if (ffa_rxtx_desc_parse(fuzz_versions[vi], out, len, &d2, &err) ||
		    !ffa_rxtx_desc_same(d, &d2))
			abort(); /* a valid descriptor must stay valid */
		free(out);
	}
	if (ffa_rxtx_desc_emit(FFA_VERSION_1_0, d, (uint8_t[1]){ 0 }, 1,
			       &(uint32_t){ 0 }) != FFA_NOT_SUPPORTED)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ffa_rxtx_desc d;
	struct ffa_mem_error err;
	uint32_t version, len;
	uint8_t *b;
	int st;

	b = fuzz_input(data, size, &version, &len);
	if (!b)
		return 0;
	st = ffa_rxtx_desc_parse(version, b, len, &d, &err);
	if (st == 0) {
		if (version == FFA_VERSION_1_0 ||
		    version == FFA_MAKE_VERSION(2, 0) ||
		    ffa_id_is_secure(d.endpoint) || d.rx.pages != d.tx.pages)
			abort();
		check_buffer(&d.rx, len);
		check_buffer(&d.tx, len);
		roundtrip(&d);
	} else {
		fuzz_check_refusal(st, &err);
	}
	free(b);
	return 0;
}
