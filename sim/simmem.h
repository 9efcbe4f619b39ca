/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * Simulated normal-world physical memory: a sparse address space of
 * regions, each with byte storage and a per-4KiB-page ownership map like a
 * stage-2 table (owner endpoint + enum ffp_page_state). Hosted code (uses
 * libc); the freestanding SPMC model reaches it through spmc_mem_ops.
 */
#ifndef FFAPROXY_SIM_SIMMEM_H
#define FFAPROXY_SIM_SIMMEM_H

#include <ffaproxy/platform.h>

#define SIMMEM_PAGE 4096u
/* Owner id of the hypervisor's own memory (the proxy's RX/TX pair). */
#define SIMMEM_OWNER_HYP 0xFFFFu

struct simmem;

struct simmem_page {
	uint16_t owner;        /* current owner endpoint */
	uint16_t region_owner; /* the owner the region was created with */
	enum ffp_page_state state;
};

struct simmem *simmem_new(void);
void simmem_free(struct simmem *m);

/* Add [base, base + size) owned by `owner`, every page OWNED and zeroed.
 * base and size 4 KiB aligned, size > 0, no wrap, no overlap with an
 * existing region. Returns 0 or FFA_INVALID_PARAMETERS / FFA_NO_MEMORY. */
int simmem_add_region(struct simmem *m, uint64_t base, uint64_t size,
		      uint16_t owner);
/* Remove every region created for `owner`; returns how many. */
unsigned simmem_remove_owner(struct simmem *m, uint16_t owner);

/* Raw access, as the secure world sees memory: any existing bytes, no
 * ownership check. 0, or FFA_DENIED (nothing copied) if any byte of the
 * range is outside every region or the range wraps. */
int simmem_read(const struct simmem *m, uint64_t pa, void *dst, size_t len);
int simmem_write(struct simmem *m, uint64_t pa, const void *src, size_t len);

/* Access as endpoint `ep`: every page touched must be owned by `ep` and
 * OWNED, SHARED_PROXY or SHARED (never LENT or DONATED). */
bool simmem_accessible(const struct simmem *m, uint16_t ep, uint64_t pa,
		       uint64_t len);
int simmem_read_as(const struct simmem *m, uint16_t ep, uint64_t pa,
		   void *dst, size_t len);
int simmem_write_as(struct simmem *m, uint16_t ep, uint64_t pa,
		    const void *src, size_t len);

/* The page holding `pa`: 0, or FFA_DENIED for unknown memory. */
int simmem_page(const struct simmem *m, uint64_t pa, struct simmem_page *out);

/* Move every page of [pa, pa + size) owned by `ep` from `from` to `to`,
 * all or nothing: 0, or FFA_DENIED having changed nothing (unaligned,
 * empty, wrapping, unknown memory, a page of another owner or state). */
int simmem_transition(struct simmem *m, uint16_t ep, uint64_t pa,
		      uint64_t size, enum ffp_page_state from,
		      enum ffp_page_state to);

/* Regions, for walking every page (sim/invariant.c): `i` below
 * simmem_region_count(). Removing an owner's regions reorders them. */
unsigned simmem_region_count(const struct simmem *m);
int simmem_region(const struct simmem *m, unsigned i, uint64_t *base,
		  uint64_t *size, uint16_t *owner);
/* Page `k` of region `i`, without a search: 0 or INVALID_PARAMETERS. */
int simmem_region_page(const struct simmem *m, unsigned i, uint64_t k,
		       struct simmem_page *out);

/* Host pointer to [pa, pa + len) when it lies in one hypervisor-owned
 * region, else NULL. */
void *simmem_hyp_ptr(struct simmem *m, uint64_t pa, uint64_t len);

/* A digest of every region's bounds and every page's owner and state:
 * equal digests mean an equal page-state map (for "nothing changed"). */
uint64_t simmem_state_digest(const struct simmem *m);

/* "owned", "shared-proxy", "shared", "lent", "donated"; NULL if none. */
const char *simmem_state_name(enum ffp_page_state s);

#endif /* FFAPROXY_SIM_SIMMEM_H */
