/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/* Simulated normal-world memory: regions of bytes with a page-state map. */
#include <stdlib.h>
#include <string.h>

#include "sim/simmem.h"

struct simmem_region {
	uint64_t base, size;
	uint16_t owner;
	uint8_t *bytes;
	struct simmem_pte {
		uint16_t owner;
		uint8_t state; /* enum ffp_page_state */
	} *pages;
};

struct simmem {
	struct simmem_region *regions;
	unsigned count, cap;
};

struct simmem *simmem_new(void)
{
	return calloc(1, sizeof(struct simmem));
}

static void region_free(struct simmem_region *r)
{
	free(r->bytes);
	free(r->pages);
}

void simmem_free(struct simmem *m)
{
	unsigned i;

	if (!m)
		return;
	for (i = 0; i < m->count; i++)
		region_free(&m->regions[i]);
	free(m->regions);
	free(m);
}

/* [pa, pa + len) does not wrap; len may be 0. */
static bool range_ok(uint64_t pa, uint64_t len)
{
	return len <= UINT64_MAX - pa;
}

static struct simmem_region *find(const struct simmem *m, uint64_t pa)
{
	unsigned i;

	for (i = 0; i < m->count; i++)
		if (pa - m->regions[i].base < m->regions[i].size &&
		    pa >= m->regions[i].base)
			return &m->regions[i];
	return NULL;
}

int simmem_add_region(struct simmem *m, uint64_t base, uint64_t size,
		      uint16_t owner)
{
	struct simmem_region r = { .base = base, .size = size, .owner = owner };
	uint64_t i, npages;
	unsigned k;

	if (!size || base % SIMMEM_PAGE || size % SIMMEM_PAGE ||
	    !range_ok(base, size))
		return FFA_INVALID_PARAMETERS;
	for (k = 0; k < m->count; k++) {
		const struct simmem_region *o = &m->regions[k];

		if (base < o->base + o->size && o->base < base + size)
			return FFA_INVALID_PARAMETERS;
	}
	if (size > SIZE_MAX)
		return FFA_NO_MEMORY;
	npages = size / SIMMEM_PAGE;
	r.bytes = calloc(1, (size_t)size);
	r.pages = calloc((size_t)npages, sizeof(*r.pages));
	if (m->count == m->cap) {
		unsigned cap = m->cap ? m->cap * 2 : 8;
		struct simmem_region *n = realloc(m->regions, cap * sizeof(*n));

		if (n) {
			m->regions = n;
			m->cap = cap;
		}
	}
	if (!r.bytes || !r.pages || m->count == m->cap) {
		region_free(&r);
		return FFA_NO_MEMORY;
	}
	for (i = 0; i < npages; i++) {
		r.pages[i].owner = owner;
		r.pages[i].state = FFP_PAGE_OWNED;
	}
	m->regions[m->count++] = r;
	return 0;
}

unsigned simmem_remove_owner(struct simmem *m, uint16_t owner)
{
	unsigned i = 0, removed = 0;

	while (i < m->count) {
		if (m->regions[i].owner != owner) {
			i++;
			continue;
		}
		region_free(&m->regions[i]);
		m->regions[i] = m->regions[--m->count];
		removed++;
	}
	return removed;
}

/*
 * Walk [pa, pa + len) region by region. With `ep` < 0 every existing byte
 * qualifies; otherwise every page touched must be accessible to `ep`.
 * With `copy` NULL nothing is copied (a check only).
 */
enum dir { DIR_NONE, DIR_READ, DIR_WRITE };

static int walk(const struct simmem *m, int32_t ep, uint64_t pa, uint8_t *buf,
		uint64_t len, enum dir dir)
{
	uint64_t done = 0;

	if (!range_ok(pa, len))
		return FFA_DENIED;
	while (done < len) {
		uint64_t at = pa + done;
		const struct simmem_region *r = find(m, at);
		uint64_t off, chunk, p;

		if (!r)
			return FFA_DENIED;
		off = at - r->base;
		chunk = r->size - off;
		if (chunk > len - done)
			chunk = len - done;
		if (ep >= 0) {
			for (p = off / SIMMEM_PAGE;
			     p <= (off + chunk - 1) / SIMMEM_PAGE; p++) {
				const struct simmem_pte *pte = &r->pages[p];

				if (pte->owner != (uint16_t)ep ||
				    (pte->state != FFP_PAGE_OWNED &&
				     pte->state != FFP_PAGE_SHARED_PROXY &&
				     pte->state != FFP_PAGE_SHARED))
					return FFA_DENIED;
			}
		}
		if (dir == DIR_READ)
			memcpy(buf + done, r->bytes + off, (size_t)chunk);
		else if (dir == DIR_WRITE)
			memcpy(r->bytes + off, buf + done, (size_t)chunk);
		done += chunk;
	}
	return 0;
}

/* Check first, then copy: a refused access copies nothing. */
static int access_range(const struct simmem *m, int32_t ep, uint64_t pa,
			uint8_t *buf, size_t len, enum dir dir)
{
	int st = walk(m, ep, pa, NULL, len, DIR_NONE);

	return st ? st : walk(m, ep, pa, buf, len, dir);
}

int simmem_read(const struct simmem *m, uint64_t pa, void *dst, size_t len)
{
	return access_range(m, -1, pa, dst, len, DIR_READ);
}

int simmem_write(struct simmem *m, uint64_t pa, const void *src, size_t len)
{
	return access_range(m, -1, pa, (uint8_t *)(uintptr_t)src, len,
			    DIR_WRITE);
}

bool simmem_accessible(const struct simmem *m, uint16_t ep, uint64_t pa,
		       uint64_t len)
{
	return walk(m, ep, pa, NULL, len, DIR_NONE) == 0;
}

int simmem_read_as(const struct simmem *m, uint16_t ep, uint64_t pa,
		   void *dst, size_t len)
{
	return access_range(m, ep, pa, dst, len, DIR_READ);
}

int simmem_write_as(struct simmem *m, uint16_t ep, uint64_t pa,
		    const void *src, size_t len)
{
	return access_range(m, ep, pa, (uint8_t *)(uintptr_t)src, len,
			    DIR_WRITE);
}

int simmem_page(const struct simmem *m, uint64_t pa, struct simmem_page *out)
{
	const struct simmem_region *r = find(m, pa);
	const struct simmem_pte *pte;

	if (!r)
		return FFA_DENIED;
	pte = &r->pages[(pa - r->base) / SIMMEM_PAGE];
	out->owner = pte->owner;
	out->region_owner = r->owner;
	out->state = (enum ffp_page_state)pte->state;
	return 0;
}

int simmem_transition(struct simmem *m, uint16_t ep, uint64_t pa,
		      uint64_t size, enum ffp_page_state from,
		      enum ffp_page_state to)
{
	uint64_t at;
	int pass;

	if (!size || pa % SIMMEM_PAGE || size % SIMMEM_PAGE ||
	    !range_ok(pa, size) || from >= FFP_PAGE_STATE_COUNT ||
	    to >= FFP_PAGE_STATE_COUNT)
		return FFA_DENIED;
	/* Pass 0 checks every page, pass 1 changes them. */
	for (pass = 0; pass < 2; pass++) {
		for (at = pa; at - pa < size; at += SIMMEM_PAGE) {
			struct simmem_region *r = find(m, at);
			struct simmem_pte *pte;

			if (!r)
				return FFA_DENIED;
			pte = &r->pages[(at - r->base) / SIMMEM_PAGE];
			if (pass == 0 && (pte->owner != ep || pte->state != from))
				return FFA_DENIED;
			if (pass == 1)
				pte->state = (uint8_t)to;
		}
	}
	return 0;
}

unsigned simmem_region_count(const struct simmem *m)
{
	return m->count;
}

int simmem_region(const struct simmem *m, unsigned i, uint64_t *base,
		  uint64_t *size, uint16_t *owner)
{
	if (i >= m->count)
		return FFA_INVALID_PARAMETERS;
	*base = m->regions[i].base;
	*size = m->regions[i].size;
	*owner = m->regions[i].owner;
	return 0;
}

int simmem_region_page(const struct simmem *m, unsigned i, uint64_t k,
		       struct simmem_page *out)
{
	const struct simmem_region *r;

	if (i >= m->count || k >= m->regions[i].size / SIMMEM_PAGE)
		return FFA_INVALID_PARAMETERS;
	r = &m->regions[i];
	out->owner = r->pages[k].owner;
	out->region_owner = r->owner;
	out->state = (enum ffp_page_state)r->pages[k].state;
	return 0;
}

void *simmem_hyp_ptr(struct simmem *m, uint64_t pa, uint64_t len)
{
	struct simmem_region *r = find(m, pa);

	if (!r || r->owner != SIMMEM_OWNER_HYP || len > r->size - (pa - r->base))
		return NULL;
	return r->bytes + (pa - r->base);
}

const char *simmem_state_name(enum ffp_page_state s)
{
	static const char *const names[FFP_PAGE_STATE_COUNT] = {
		[FFP_PAGE_OWNED] = "owned",
		[FFP_PAGE_SHARED_PROXY] = "shared-proxy",
		[FFP_PAGE_SHARED] = "shared",
		[FFP_PAGE_LENT] = "lent",
		[FFP_PAGE_DONATED] = "donated",
	};

	return (unsigned)s < FFP_PAGE_STATE_COUNT ? names[s] : NULL;
}

static uint64_t fnv(uint64_t h, uint64_t v)
{
	unsigned i;

	for (i = 0; i < 8; i++, v >>= 8) {
		h ^= v & 0xff;
		h *= 0x100000001b3ull;
	}
	return h;
}

uint64_t simmem_state_digest(const struct simmem *m)
{
	uint64_t h = 0xcbf29ce484222325ull, i;
	unsigned r;

	for (r = 0; r < m->count; r++) {
		const struct simmem_region *g = &m->regions[r];

		h = fnv(h, g->base);
		h = fnv(h, g->size);
		for (i = 0; i < g->size / SIMMEM_PAGE; i++)
			h = fnv(h, (uint64_t)g->pages[i].owner << 8 |
					   g->pages[i].state);
	}
	return h;
}
