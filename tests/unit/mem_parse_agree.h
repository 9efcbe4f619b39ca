/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * Whether ffa_mem_parse (its whole-word screen for the common send, then
 * the rules) answers exactly as ffa_mem_parse_rules (the rules alone)
 * does: status, reason, value and, on success, every field of the
 * transaction. Shared by test_mem_codec and fuzz_mem_codec.
 */
#ifndef FFAPROXY_TESTS_MEM_PARSE_AGREE_H
#define FFAPROXY_TESTS_MEM_PARSE_AGREE_H

#include <ffaproxy/mem.h>

#include <string.h>

#include "src/codec.h"

static inline bool mem_parse_agrees(uint32_t version, uint32_t type,
				    const uint8_t *b, uint32_t frag,
				    uint32_t total)
{
	struct ffa_mem_error e1 = { 0, NULL, 0 }, e2 = { 0, NULL, 0 };
	struct ffa_mem_txn t1, t2;
	int r1 = ffa_mem_parse(version, type, b, frag, total, &t1, &e1);
	int r2 = ffa_mem_parse_rules(version, type, b, frag, total, &t2, &e2);
	uint32_t i;

	if (r1 != r2)
		return false;
	if (r1)
		return e1.status == e2.status && e1.why == e2.why &&
		       e1.value == e2.value;
	if (!ffa_mem_txn_same(&t1, &t2) || t1.version != t2.version ||
	    t1.header_size != t2.header_size ||
	    t1.emad_size != t2.emad_size ||
	    t1.emad_offset != t2.emad_offset ||
	    t1.composite_offset != t2.composite_offset ||
	    t1.constituents_offset != t2.constituents_offset ||
	    t1.constituents_in_fragment != t2.constituents_in_fragment ||
	    t1.total_len != t2.total_len || t1.frag_len != t2.frag_len)
		return false;
	for (i = 0; i < t1.receiver_count; i++)
		if (t1.receivers[i].composite_offset !=
			    t2.receivers[i].composite_offset ||
		    memcmp(t1.receivers[i].impdef, t2.receivers[i].impdef,
			   FFA_MEM_IMPDEF_SIZE))
			return false;
	return true;
}

#endif
