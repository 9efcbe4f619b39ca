/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * Endpoint RX/TX descriptor codec (see include/ffaproxy/rxtx_desc.h).
 * Sources: DEN0077A 1.1 table 13.27; Hafnium ffa_endpoint_rx_tx_descriptor
 * (inc/vmapi/hf/ffa.h), ffa_endpoint_rx_tx_descriptor_init() (vmapi/hf/
 * ffa.c) and api_get_rxtx_description() (src/api.c).
 */
#include <ffaproxy/rxtx_desc.h>

#include "codec.h"

#define D_ENDPOINT 0
#define D_RESERVED0 2
#define D_RX_OFFSET 4
#define D_TX_OFFSET 8
#define D_RESERVED1 12

#define BAD(why, value) \
	ffa_codec_refuse(err, FFA_INVALID_PARAMETERS, (why), (value))

/* 1.1+ only: FF-A 1.0 had no way to map a VM's buffers at the SPMC. */
static int check_version(uint32_t version, struct ffa_mem_error *err)
{
	return ffa_codec_since_1_1(
		version, "no endpoint RX/TX descriptor in FF-A 1.0", err);
}

/* End (exclusive) of the composite at `off` with `n` constituents. */
static uint64_t composite_end(uint32_t off, uint32_t n)
{
	return (uint64_t)off + FFA_MEM_COMPOSITE_SIZE +
	       (uint64_t)n * FFA_MEM_CONSTITUENT_SIZE;
}

static int parse_buffer(const uint8_t *buf, uint32_t len, uint32_t off,
			struct ffa_rxtx_buffer *b, struct ffa_mem_error *err)
{
	uint64_t sum = 0;
	uint32_t i;

	b->offset = off;
	/* "8-byte aligned offset" (table 13.27; Hafnium's comment). */
	if (off % 8)
		return BAD("RX/TX composite offset not 8-byte aligned", off);
	if (off < FFA_RXTX_DESC_HEADER_SIZE)
		return BAD("RX/TX composite offset inside the header", off);
	if (composite_end(off, 0) > len)
		return BAD("RX/TX composite header past the descriptor", off);
	b->pages = ffa_get32(buf + off);
	b->range_count = ffa_get32(buf + off + 4);
	if (ffa_get64(buf + off + 8))
		return BAD("RX/TX composite reserved field not zero", off + 8);
	if (b->range_count == 0)
		return BAD("RX/TX composite has no range", off);
	if (b->range_count > FFA_RXTX_DESC_MAX_RANGES)
		return BAD("RX/TX composite has too many ranges",
			   b->range_count);
	if (composite_end(off, b->range_count) > len)
		return BAD("RX/TX constituents past the descriptor",
			   composite_end(off, b->range_count));
	for (i = 0; i < b->range_count; i++) {
		const uint8_t *c = buf + off + FFA_MEM_COMPOSITE_SIZE +
				   i * FFA_MEM_CONSTITUENT_SIZE;
		uint64_t base = ffa_get64(c);
		uint32_t pages = ffa_get32(c + 8);

		/* As memory transaction constituents (ffa-facts 5). */
		if (base % FFA_PAGE_SIZE)
			return BAD("RX/TX range not 4 KiB aligned", base);
		if (pages == 0)
			return BAD("RX/TX range of zero pages", base);
		if (ffa_get32(c + 12))
			return BAD("RX/TX constituent reserved field not zero",
				   base);
		if ((uint64_t)pages * FFA_PAGE_SIZE - 1 > UINT64_MAX - base)
			return BAD("RX/TX range wraps the address space", base);
		b->ranges[i].base = base;
		b->ranges[i].pages = pages;
		sum += pages;
	}
	if (sum != b->pages)
		return BAD("RX/TX composite page count is not the sum of its "
			   "ranges",
			   b->pages);
	return 0;
}

static bool range_overlap(const struct ffa_rxtx_range *a,
			  const struct ffa_rxtx_range *b)
{
	uint64_t a_last = a->base + (uint64_t)a->pages * FFA_PAGE_SIZE - 1;
	uint64_t b_last = b->base + (uint64_t)b->pages * FFA_PAGE_SIZE - 1;

	return a->base <= b_last && b->base <= a_last;
}

/* No two ranges of the pair overlap: at most 32, so pairwise. */
static int check_overlaps(const struct ffa_rxtx_desc *d,
			  struct ffa_mem_error *err)
{
	const struct ffa_rxtx_range *all[2 * FFA_RXTX_DESC_MAX_RANGES];
	uint32_t n = 0, i, j;

	for (i = 0; i < d->rx.range_count; i++)
		all[n++] = &d->rx.ranges[i];
	for (i = 0; i < d->tx.range_count; i++)
		all[n++] = &d->tx.ranges[i];
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (range_overlap(all[i], all[j]))
				return BAD("RX/TX ranges overlap", all[j]->base);
	return 0;
}

int ffa_rxtx_desc_parse(uint32_t version, const uint8_t *buf, uint32_t len,
			struct ffa_rxtx_desc *out, struct ffa_mem_error *err)
{
	uint32_t rx_off, tx_off;
	int st;

	ffa_codec_clear(out, sizeof(*out));
	st = check_version(version, err);
	if (st)
		return st;
	if (len < FFA_RXTX_DESC_HEADER_SIZE)
		return BAD("RX/TX descriptor shorter than its header", len);
	if (ffa_get16(buf + D_RESERVED0) || ffa_get32(buf + D_RESERVED1))
		return BAD("RX/TX descriptor reserved field not zero",
			   ffa_get16(buf + D_RESERVED0) ? D_RESERVED0
							: D_RESERVED1);
	out->endpoint = ffa_get16(buf + D_ENDPOINT);
	/* It describes a VM's buffers (Hafnium forwards VM ids only). */
	if (ffa_id_is_secure(out->endpoint))
		return BAD("RX/TX descriptor names a secure endpoint",
			   out->endpoint);
	rx_off = ffa_get32(buf + D_RX_OFFSET);
	tx_off = ffa_get32(buf + D_TX_OFFSET);
	st = parse_buffer(buf, len, rx_off, &out->rx, err);
	if (st)
		return st;
	st = parse_buffer(buf, len, tx_off, &out->tx, err);
	if (st)
		return st;
	/* Each byte describes one buffer only. */
	if ((uint64_t)rx_off < composite_end(tx_off, out->tx.range_count) &&
	    (uint64_t)tx_off < composite_end(rx_off, out->rx.range_count))
		return BAD("RX and TX composites overlap", tx_off);
	/* FFA_RXTX_MAP carries one page count for both buffers. */
	if (out->rx.pages != out->tx.pages)
		return BAD("RX and TX buffers differ in size", out->tx.pages);
	return check_overlaps(out, err);
}

uint32_t ffa_rxtx_desc_emit_size(const struct ffa_rxtx_desc *d)
{
	uint32_t n = d->rx.range_count, m = d->tx.range_count;

	if (n == 0 || m == 0 || n > FFA_RXTX_DESC_MAX_RANGES ||
	    m > FFA_RXTX_DESC_MAX_RANGES)
		return 0;
	return FFA_RXTX_DESC_HEADER_SIZE + 2 * FFA_MEM_COMPOSITE_SIZE +
	       (n + m) * FFA_MEM_CONSTITUENT_SIZE;
}

static uint32_t emit_buffer(const struct ffa_rxtx_buffer *b, uint8_t *p)
{
	uint32_t i;

	for (i = 0; i < b->range_count; i++) {
		uint8_t *c = p + FFA_MEM_COMPOSITE_SIZE +
			     i * FFA_MEM_CONSTITUENT_SIZE;

		ffa_put64(c, b->ranges[i].base);
		ffa_put32(c + 8, b->ranges[i].pages);
		ffa_put32(c + 12, 0);
	}
	ffa_put32(p, b->pages);
	ffa_put32(p + 4, b->range_count);
	ffa_put64(p + 8, 0);
	return composite_end(0, b->range_count);
}

int ffa_rxtx_desc_emit(uint32_t version, const struct ffa_rxtx_desc *d,
		       uint8_t *out, uint32_t cap, uint32_t *len)
{
	uint32_t size, rx_size;
	int st = check_version(version, NULL);

	if (st)
		return st;
	size = ffa_rxtx_desc_emit_size(d);
	if (!size)
		return FFA_INVALID_PARAMETERS;
	if (cap < size)
		return FFA_NO_MEMORY;
	ffa_put16(out + D_ENDPOINT, d->endpoint);
	ffa_put16(out + D_RESERVED0, 0);
	ffa_put32(out + D_RESERVED1, 0);
	rx_size = emit_buffer(&d->rx, out + FFA_RXTX_DESC_HEADER_SIZE);
	emit_buffer(&d->tx, out + FFA_RXTX_DESC_HEADER_SIZE + rx_size);
	ffa_put32(out + D_RX_OFFSET, FFA_RXTX_DESC_HEADER_SIZE);
	ffa_put32(out + D_TX_OFFSET, FFA_RXTX_DESC_HEADER_SIZE + rx_size);
	*len = size;
	return 0;
}

static bool buffer_same(const struct ffa_rxtx_buffer *a,
			const struct ffa_rxtx_buffer *b)
{
	uint32_t i;

	if (a->pages != b->pages || a->range_count != b->range_count)
		return false;
	for (i = 0; i < a->range_count; i++)
		if (a->ranges[i].base != b->ranges[i].base ||
		    a->ranges[i].pages != b->ranges[i].pages)
			return false;
	return true;
}

bool ffa_rxtx_desc_same(const struct ffa_rxtx_desc *a,
			const struct ffa_rxtx_desc *b)
{
	return a->endpoint == b->endpoint && buffer_same(&a->rx, &b->rx) &&
	       buffer_same(&a->tx, &b->tx);
}
