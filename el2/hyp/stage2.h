/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * Page ownership of the two endpoints that own memory here, and the
 * client's stage-2 translation table (IPA == PA, identity).
 *
 * The client (endpoint 1) owns BOARD_EL1_BASE..+BOARD_EL1_SIZE, mapped in
 * its stage-2 with 4 KiB pages so that a single page can be unmapped; the
 * UART is its only device; nothing else exists for it. The host (endpoint
 * 0) is played by the stub itself, so its pages (BOARD_HOST_BASE..) have a
 * state but no table.
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
 * must be RAM of endpoint `ep` in state `from`. For the client, OWNED,
 * SHARED_PROXY and SHARED are mapped read-write; LENT and DONATED are
 * unmapped (the client faults), with the TLBs invalidated before
 * returning. Returns 0 or FFA_DENIED having changed nothing. */
int s2_transition(uint16_t ep, uint64_t pa, uint64_t size,
		  enum ffp_page_state from, enum ffp_page_state to);

/* The same for `count` FF-A constituents (platform.h's
 * page_transition_ranges): all or nothing, and one TLB invalidation for
 * the whole list. */
int s2_transition_ranges(uint16_t ep, const uint8_t *cons, uint32_t count,
			 enum ffp_page_state from, enum ffp_page_state to,
			 uint32_t *failed);

/* True when every byte of [pa, pa+len) is RAM of `ep` in a state its
 * owner (and so the proxy on its behalf) may access. */
bool s2_accessible(uint16_t ep, uint64_t pa, uint64_t len);

/* State of one page of either endpoint, or -1 for anything else; *mapped
 * from the client's stage-2 descriptor (false for the host's pages). */
int s2_page_state(uint64_t pa, bool *mapped);

/* Hash of every descriptor of the client's stage-2 tables and of both
 * endpoints' page states; the client's mapped pages and pages per state. */
struct s2_digest {
	uint64_t hash;
	uint64_t mapped;
	uint64_t per_state[FFP_PAGE_STATE_COUNT];
};
void s2_digest(struct s2_digest *out);

#endif /* EL2_STAGE2_H */
