/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * libFuzzer target for the MSG_SEND2 message header codec (src/msg2.c).
 * Input: [version selector] buffer bytes...
 *   version: low 2 bits pick 1.0/1.1/1.2/1.3; bit 2 set asks for 2.0
 *            (always refused).
 * The buffer lives in a heap allocation of exactly its length (ASan sees
 * a read past it). Whatever parses must have its payload inside the
 * buffer and past the header; it is emitted in 1.1, 1.2 and 1.3 with the
 * payload appended, parsed again and compared (ids, size, payload bytes,
 * UUID between 1.2+ headers); anything else aborts.
 */
#include <ffaproxy/msg2.h>

#include "fuzz/fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void roundtrip(const struct ffa_msg2 *m, const uint8_t *payload)
{
	for (uint32_t vi = 1; vi < 4; vi++) {
		uint32_t hdr = ffa_msg2_header_size(fuzz_versions[vi]), len = 0;
		uint32_t cap = hdr + m->size;
		struct ffa_mem_error err;
		struct ffa_msg2 m2;
		uint8_t *out = malloc(cap);

		if (!out)
			return;
		if (ffa_msg2_emit(fuzz_versions[vi], m, out, cap - 1, &len) !=
		    FFA_NO_MEMORY)
			abort();
		if (ffa_msg2_emit(fuzz_versions[vi], m, out, cap, &len) || len != hdr)
			abort();
		memcpy(out + len, payload, m->size);
		if (ffa_msg2_parse(fuzz_versions[vi], out, cap, &m2, &err) ||
		    !ffa_msg2_same(m, &m2) || m2.offset != hdr ||
		    memcmp(out + m2.offset, payload, m->size))
			abort();
		free(out);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ffa_mem_error err;
	struct ffa_msg2 m;
	uint32_t version, len;
	uint8_t *b;
	int st;

	b = fuzz_input(data, size, &version, &len);
	if (!b)
		return 0;
	st = ffa_msg2_parse(version, b, len, &m, &err);
	if (st == 0) {
		if (!m.header_size || m.header_size != ffa_msg2_header_size(version) ||
		    m.offset < m.header_size || !m.size ||
		    (uint64_t)m.offset + m.size > len || m.sender == m.receiver)
			abort();
		roundtrip(&m, b + m.offset);
	} else {
		fuzz_check_refusal(st, &err);
	}
	free(b);
	return 0;
}
