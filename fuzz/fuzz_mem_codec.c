/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * libFuzzer target for the memory descriptor codec (src/mem_codec.c).
 * Input: [version selector] [type selector] [fragment selector] bytes...
 *   version: low 2 bits pick 1.0/1.1/1.2/1.3, bits[3:2] the granule
 *   type:    bit 7 set feeds the retrieve-response parser, else the low
 *            bits pick SHARE/LEND/DONATE
 *   fragment: 0 = the whole descriptor in one fragment, else n * 16 bytes
 * The descriptor bytes live in a buffer of exactly the fragment length so
 * ASan sees any read past it. Whatever parses is emitted in every version
 * with the constituents present appended, parsed again and compared:
 * any difference aborts. The send parser's answer must also be exactly
 * that of its rules alone (ffa_mem_parse_rules, without the screen),
 * the extent's fast case that of its arithmetic, and the share path's
 * header copy ffa_mem_emit's bytes.
 * Build and run: see fuzz/README.md.
 *
 * Built twice (fuzz/fuzz.mk): fuzz_mem_codec feeds only the send parser
 * and fuzz_retrieve_resp (-DFUZZ_RETRIEVE_RESP) only the retrieve
 * response parser, so each codec gets its own corpus and time; the type
 * selector's bit 7 then no longer matters.
 */
#include <ffaproxy/mem.h>

#include <stdlib.h>
#include <string.h>

#include "tests/unit/mem_parse_agree.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint32_t versions[4] = {
	FFA_VERSION_1_0, FFA_VERSION_1_1, FFA_VERSION_1_2, FFA_VERSION_1_3,
};
static const uint32_t granules[4] = { 4096, 16384, 65536, 8192 };

static int parse(bool resp, uint32_t version, uint32_t type,
		 const uint8_t *b, uint32_t frag, uint32_t total,
		 struct ffa_mem_txn *t)
{
	struct ffa_mem_error err;

	return resp ? ffa_mem_parse_retrieve_resp(version, b, frag, total, t,
						  &err)
		    : ffa_mem_parse(version, type, b, frag, total, t, &err);
}

static void check_ranges(const uint8_t *cons, uint32_t count, uint32_t granule)
{
	struct ffa_mem_error err;
	struct ffa_mem_range *r;
	uint64_t pages = 0;

	int ret = ffa_mem_check_constituents(cons, count, granule, &pages, &err);
	struct ffa_mem_cons_sum sum = { 0, 0, true };
	uint64_t *src = malloc(16 * (size_t)count + 16);
	uint64_t *dst = malloc(16 * (size_t)count + 16);
	uint64_t *dst2 = malloc(16 * (size_t)count + 16);

	/* The one-pass copy agrees with the check and copies exactly. */
	if (src && dst && dst2) {
		memcpy(src, cons, 16 * (size_t)count);
		if (ffa_mem_copy_constituents((uint8_t *)src, count, granule,
					      (uint8_t *)dst, (uint8_t *)dst2,
					      &sum, &err) != ret ||
		    (!ret && (sum.pages != pages ||
			      memcmp(dst, src, 16 * (size_t)count) ||
			      memcmp(dst2, src, 16 * (size_t)count))))
			abort();
	}
	free(src);
	free(dst);
	free(dst2);
	if (ret)
		return;
	r = malloc((count ? count : 1) * sizeof(*r));
	if (!r)
		return;
	ffa_mem_ranges_load(cons, count, r);
	if (sum.ascending && ffa_mem_ranges_overlap(r, count, &err))
		abort(); /* said ascending, yet two overlap */
	if (ffa_mem_ranges_overlap(r, count, &err) == 0) {
		for (uint32_t i = 1; i < count; i++)
			if (r[i - 1].end > r[i].base)
				abort(); /* accepted an overlap or unsorted */
	}
	free(r);
}

static void roundtrip(bool resp, uint32_t type, const struct ffa_mem_txn *t1,
		      const uint8_t *cons)
{
	uint32_t cbytes = t1->constituents_in_fragment * 16;

	for (uint32_t vi = 0; vi < 4; vi++) {
		uint32_t v = versions[vi];
		uint32_t hdr = ffa_mem_emit_size(v, t1->receiver_count);
		uint64_t total = hdr + (uint64_t)t1->range_count * 16;
		struct ffa_mem_txn t2, want = *t1;
		uint32_t len = 0;
		uint8_t *out;

		if (!hdr || total > UINT32_MAX)
			abort();
		out = malloc(hdr + cbytes);
		if (!out)
			return;
		if (ffa_mem_emit(v, t1, out, hdr - 1, &len) != FFA_NO_MEMORY)
			abort();
		if (ffa_mem_emit(v, t1, out, hdr, &len) || len != hdr)
			abort();
		memcpy(out + hdr, cons, cbytes);
		if (parse(resp, v, type, out, hdr + cbytes, (uint32_t)total,
			  &t2))
			abort(); /* a valid transaction must stay valid */
		if (v == FFA_VERSION_1_0)
			want.attributes &= (uint16_t)~FFA_MEM_ATTR_NS;
		if (!ffa_mem_txn_same(&want, &t2) ||
		    t2.constituents_in_fragment != t1->constituents_in_fragment ||
		    memcmp(out + t2.constituents_offset, cons, cbytes))
			abort();
		for (uint32_t i = 0; i < t2.receiver_count; i++)
			if (t2.receivers[i].composite_offset != hdr - 16)
				abort();
		free(out);
	}
}

/* ffa_mem_parse_extent: a copy made in the pieces it asks for (other
 * bytes junk) parses as the whole fragment does, and when that succeeds
 * the copy stops where the constituents start. */
static void check_extent(uint32_t version, uint32_t type, const uint8_t *b,
			 uint32_t frag, uint32_t total)
{
	struct ffa_mem_error e1 = { 0, NULL, 0 }, e2 = { 0, NULL, 0 };
	struct ffa_mem_txn t1, t2;
	uint32_t have = 0, need, rounds = 0;
	uint8_t *part = malloc(frag ? frag : 1);
	bool more = true;
	int r1, r2;

	if (!part)
		return;
	memset(part, 0xa5, frag);
	while (more) {
		need = ffa_mem_parse_extent(version, part, have, frag, &more);
		if (need < have || need > frag || ++rounds > 3)
			abort();
		memcpy(part + have, b + have, need - have);
		have = need;
	}
	r1 = ffa_mem_parse(version, type, b, frag, total, &t1, &e1);
	r2 = ffa_mem_parse(version, type, part, frag, total, &t2, &e2);
	if (r1 != r2 || e1.why != e2.why || e1.value != e2.value ||
	    (!r1 && (!ffa_mem_txn_same(&t1, &t2) ||
		     have != t1.constituents_offset)))
		abort();
	free(part);
}

/* The extent's fast case answers as its arithmetic does, at the share
 * path's first read and around it; and where the share path copies the
 * header (a usual header that the screen takes, into an SPMC of its
 * layout), the copy is exactly ffa_mem_emit's bytes. */
static void check_usual(uint32_t version, uint32_t type, const uint8_t *b,
			uint32_t frag, uint32_t total)
{
	static const uint32_t haves[] = { 0, 80, 96, 112 };
	struct ffa_mem_error err;
	struct ffa_mem_txn t;
	uint8_t a[96], c[96];
	uint32_t i, n1, n2, la, lc;
	bool m1, m2;

	for (i = 0; i < 4; i++) {
		uint32_t have = haves[i] < frag ? haves[i] : frag;

		n1 = ffa_mem_extent(version, b, have, frag, &m1);
		n2 = ffa_mem_extent_rules(version, b, have, frag, &m2);
		if (n1 != n2 || m1 != m2)
			abort();
	}
	/* A header of 16-byte EMADs that the screen takes: copied into the
	 * SPMC of its layout (64 bytes to 1.0, 80 to 1.1), as emitted. */
	if (ffa_mem_parse_screen(version, type, b, frag, total, &t) &&
	    t.emad_size == FFA_MEM_EMAD_SIZE_V1_0)
		for (i = FFA_VERSION_1_0; i <= FFA_VERSION_1_3; i++) {
			bool copied = ffa_mem_emit_usual_16(
				i, t.constituents_offset, b, c, sizeof(c), &lc);

			if (copied != (t.constituents_offset ==
				       64 + 16 * (i - FFA_VERSION_1_0)) ||
			    (copied &&
			     (ffa_mem_emit(i, &t, a, sizeof(a), &la) ||
			      la != lc || memcmp(a, c, la))))
				abort();
		}
	if (version < FFA_VERSION_1_2 ||
	    !ffa_mem_usual_v1_2(b, frag < 96 ? frag : 96) ||
	    ffa_mem_parse(version, type, b, frag, total, &t, &err))
		return;
	for (i = FFA_VERSION_1_2; i <= FFA_VERSION_1_3; i++)
		if (!ffa_mem_emit_usual(i, b, c, sizeof(c), &lc) ||
		    ffa_mem_emit(i, &t, a, sizeof(a), &la) || la != lc ||
		    memcmp(a, c, sizeof(a)))
			abort();
}

/* A later fragment of `frag` bytes where `remaining` are expected: what
 * ffa_mem_check_fragment accepts is whole constituents, at most what is
 * left, and never empty. */
static void check_later_fragment(uint32_t frag, uint32_t remaining)
{
	struct ffa_mem_error err;
	uint32_t count = 0xdead;

	if (ffa_mem_check_fragment(frag, remaining, &count, &err) == 0) {
		if (!frag || frag % 16 || frag > remaining || count != frag / 16)
			abort();
	} else if (frag && frag % 16 == 0 && frag <= remaining) {
		abort(); /* a valid fragment refused */
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ffa_mem_txn t;
	uint32_t version, type, total, frag;
	bool resp;
	uint8_t *b;

	if (size < 3 || size - 3 > 1u << 20)
		return 0;
	version = versions[data[0] & 3];
#ifdef FUZZ_RETRIEVE_RESP
	resp = true;
#else
	resp = false;
#endif
	type = 1 + (data[1] & 0x7f) % 3;
	total = (uint32_t)(size - 3);
	frag = data[2] ? (uint32_t)data[2] * 16 : total;
	if (frag > total)
		frag = total;

	check_later_fragment(frag, total);
	b = malloc(frag ? frag : 1);
	if (!b)
		return 0;
	memcpy(b, data + 3, frag);
	/* Not a 1.x version: refused whatever the bytes. */
	if (parse(resp, data[0] & 0x10 ? 0x80010002u : FFA_MAKE_VERSION(2, 0),
		  type, b, frag, total, &t) != FFA_INVALID_PARAMETERS)
		abort();
	if (!resp) {
		check_extent(version, type, b, frag, total);
		check_usual(version, type, b, frag, total);
		/* The screen answers exactly as the rules do. */
		if (!mem_parse_agrees(version, type, b, frag, total))
			abort();
	}
	if (parse(resp, version, type, b, frag, total, &t) == 0) {
		const uint8_t *cons = b + t.constituents_offset;

		if (t.constituents_offset +
			    (uint64_t)t.constituents_in_fragment * 16 >
		    frag)
			abort();
		check_ranges(cons, t.constituents_in_fragment,
			     granules[(data[0] >> 2) & 3]);
		roundtrip(resp, type, &t, cons);
	}
	free(b);
	return 0;
}
