/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * The client's stage-2 translation table (IPA == PA, identity) and the
 * ownership state of each of its pages. The client's RAM is mapped with
 * 4 KiB pages so that a single page can be unmapped; the UART is its only
 * device. Nothing else exists for it.
 */
#ifndef EL2_STAGE2_H
#define EL2_STAGE2_H

#include <stdbool.h>
#include <stdint.h>

#include <ffaproxy/platform.h>

/* Build the tables and return the VTTBR_EL2 value (VMID 1). */
uint64_t s2_init(void);
uint64_t s2_vtcr(void);

/* Page-state changes, all or nothing: every 4 KiB page of [pa, pa+size)
 * must be client RAM in state `from`. OWNED, SHARED_PROXY and SHARED are
 * mapped read-write for the client; LENT and DONATED are unmapped (the
 * client faults), with the TLBs invalidated before returning. Returns 0
 * or FFA_DENIED having changed nothing. */
int s2_transition(uint64_t pa, uint64_t size, enum ffp_page_state from,
		  enum ffp_page_state to);

/* True when every byte of [pa, pa+len) is client RAM in a state the
 * client (and so the proxy on its behalf) may access. */
bool s2_accessible(uint64_t pa, uint64_t len);

/* State of one client page, or -1 outside its RAM; *mapped from the
 * stage-2 descriptor itself. */
int s2_page_state(uint64_t pa, bool *mapped);

/* Hash of every client stage-2 leaf descriptor and the state array, the
 * number of mapped pages and pages per state. */
struct s2_digest {
	uint64_t hash;
	uint64_t mapped;
	uint64_t per_state[FFP_PAGE_STATE_COUNT];
};
void s2_digest(struct s2_digest *out);

#endif /* EL2_STAGE2_H */
