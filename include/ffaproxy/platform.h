/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * What the embedding hypervisor supplies: the proxy reaches the secure
 * world, caller memory and page ownership only through these operations.
 */
#ifndef FFAPROXY_PLATFORM_H
#define FFAPROXY_PLATFORM_H

#include <ffaproxy/ffa.h>

/*
 * Ownership state of a normal-world page, as a stage-2 table would record
 * it. Every state but OWNED is entered and left only by the proxy.
 */
enum ffp_page_state {
	FFP_PAGE_OWNED,        /* the owner alone has access */
	FFP_PAGE_SHARED_PROXY, /* an RX/TX buffer: owner and proxy have access */
	FFP_PAGE_SHARED,       /* FFA_MEM_SHARE: owner and borrowers */
	FFP_PAGE_LENT,         /* FFA_MEM_LEND: borrowers only, owner lost access */
	FFP_PAGE_DONATED,      /* FFA_MEM_DONATE: ownership left the normal world */
	FFP_PAGE_STATE_COUNT
};

/* Locks the proxy takes; see "Locking" in proxy.h for what each guards. */
enum ffp_lock {
	FFP_LOCK_STATE,   /* endpoint table, versions, transaction table */
	FFP_LOCK_BUFFERS, /* the proxy's own RX/TX pair and its scratch copy */
	FFP_LOCK_COUNT
};

/* A refusal or notable event, as data: the log hook, traces and tests all
 * see the same reason. `why` is a static string; `value` is the offending
 * value when there is one. */
struct ffp_log_event {
	uint16_t ep;     /* calling endpoint */
	uint32_t func;   /* function id of the call being served */
	int32_t status;  /* FF-A status returned to the caller (0 if none) */
	const char *why; /* precise reason */
	uint64_t value;  /* offending value, or 0 */
};

/*
 * The contract, for every operation:
 * - They may run inside the proxy with its locks held: page_transition
 *   and page_transition_ranges under FFP_LOCK_STATE (often BUFFERS too);
 *   caller_read and caller_write under FFP_LOCK_BUFFERS; smc with no lock
 *   (register-only calls), under BUFFERS (calls that relay buffers) or,
 *   in the strict policy's renegotiation, under STATE; log under either,
 *   both or none; notification_pending under none. So none may call
 *   back into the proxy (ffp_handle,
 *   ffp_endpoint_*, the views) or sleep, and no lock of the embedder's
 *   taken inside one may be held around a call into the proxy.
 * - An endpoint's pages start as FFP_PAGE_OWNED when it is added. After
 *   ffp_endpoint_remove, page_transition may still be called for the
 *   removed id (its orphans, retried by ffp_orphans_reclaim): keep its
 *   page tracking until none of its orphans remain (ffp_transaction_info).
 * - Every transition back to FFP_PAGE_OWNED (an undo, RXTX_UNMAP, a
 *   reclaim, a removal) must succeed: the proxy has given the pages back
 *   by then and has no state to return to.
 */
struct ffp_platform {
	/*
	 * Issue one SMC to the secure world: x0..x17 in, x0..x17 out. The
	 * proxy hands the platform a private copy and validates the reply.
	 */
	void (*smc)(void *ctx, struct ffa_regs *regs);

	/*
	 * Move every page of [pa, pa + size) owned by endpoint `ep` from state
	 * `from` to state `to`, all or nothing. Returns 0, or a negative FF-A
	 * status (DENIED when a page is not owned by `ep` or not in `from`)
	 * having changed nothing. The proxy undoes a transition by calling it
	 * again with the states swapped; that call, as every transition back
	 * to OWNED, must not fail.
	 */
	int (*page_transition)(void *ctx, uint16_t ep, uint64_t pa, uint64_t size,
			       enum ffp_page_state from, enum ffp_page_state to);

	/*
	 * Copy between private memory and the physical memory of endpoint
	 * `ep` (only pages the endpoint owns or shares with the proxy).
	 * Return 0 or a negative FF-A status, having copied nothing usable.
	 */
	int (*caller_read)(void *ctx, uint16_t ep, uint64_t pa, void *dst,
			   size_t len);
	int (*caller_write)(void *ctx, uint16_t ep, uint64_t pa, const void *src,
			    size_t len);

	/* Mutual exclusion between CPUs entering the same proxy instance.
	 * Locks are never taken recursively. */
	void (*lock)(void *ctx, enum ffp_lock which);
	void (*unlock)(void *ctx, enum ffp_lock which);

	/* Optional (may be NULL): receives the reason for every refusal. */
	void (*log)(void *ctx, const struct ffp_log_event *ev);

	/*
	 * Optional (may be NULL): page_transition for `count` (never 0)
	 * ranges at once, all or nothing. `constituents` are FF-A
	 * constituent descriptors as in the FF-A memory transaction
	 * descriptor (16 bytes each, little-endian: u64 address, u32 page
	 * count of 4 KiB pages, u32 reserved), already validated by the
	 * proxy: aligned, not wrapping, and not overlapping one another. One
	 * call per fragment instead of one per range lets a hypervisor take
	 * its stage-2 lock and do its TLB maintenance once. On failure it
	 * returns a negative FF-A status having changed nothing, and sets
	 * *failed to the index of a range it could not move (for the log).
	 * The proxy undoes with the states swapped; that call must not fail.
	 * When NULL, the proxy calls page_transition per range.
	 */
	int (*page_transition_ranges)(void *ctx, uint16_t ep,
				      const uint8_t *constituents,
				      uint32_t count,
				      enum ffp_page_state from,
				      enum ffp_page_state to, uint32_t *failed);

	/*
	 * Optional (may be NULL): an SMC of eight registers, SMCCC 1.1's
	 * argument and result registers: x0..x7 from regs->x[0..7] and
	 * x8..x17 zero in; x0..x7 of the results into regs->x[0..7];
	 * regs->x[8..17] neither read nor written. For an SMC32 function id
	 * (x0 bit 30 clear) only w0..w7 travel, as SMCCC defines such a
	 * call: the upper halves of x1..x7 are not sent and those of the
	 * results are written as zero (on AArch64, loading and storing w
	 * registers: `ldr w1` in, `stp w0, wzr` out, no extra instruction).
	 * The proxy uses it for direct requests whose x8..x17 belong to the
	 * caller (SMC32, and SMC64 below FF-A 1.2), forwarding them in the
	 * caller's registers instead of through a private copy. When NULL,
	 * the proxy sends those requests through smc.
	 */
	void (*smc_x0_x7)(void *ctx, struct ffa_regs *regs);

	/*
	 * Optional (may be NULL): VM `vm_id` has notifications pending at
	 * the SPMC, as the host's FFA_NOTIFICATION_INFO_GET found them; the
	 * embedder injects its notification pending interrupt (NPI,
	 * cfg.npi_intid) into the VM, which then calls NOTIFICATION_GET.
	 * `vcpu_count` 0: global notifications only (any vCPU of the VM may
	 * take them); otherwise per-vCPU notifications at each of the
	 * `vcpu_ids` (1..3, each below the VM's notification vCPU count;
	 * the array is valid during the call only), global ones maybe too
	 * (Hafnium lists a VM's global and per-vCPU ones in one list, and a
	 * GET at any of those vCPUs takes the global ones). One call per
	 * list of the SPMC's reply, so a VM may be named more than once in
	 * one INFO_GET (one list per three vCPUs). When set, the proxy
	 * takes every list of a present VM out of the host's reply and
	 * calls this instead; the host's reply keeps the host's (id 0) and
	 * the partitions' lists, re-packed, and a VM id the proxy does not
	 * have (removed: stale), or a VM that has neither a notification
	 * bitmap nor a bounce pair (nothing can be pending for it), is
	 * dropped and logged. When NULL, the VM
	 * lists are passed to the host as the SPMC gave them.
	 * Called with no lock of the proxy's held, on the host's CPU while
	 * it is inside the proxy (its INFO_GET): it may take the embedder's
	 * own locks (a vGIC's) and inject, but, as every operation, must not
	 * sleep or call back into the proxy. The
	 * VM may be removed on another CPU meanwhile, and its id even given
	 * to a new VM: ignore an id the embedder no longer has; a spurious
	 * NPI only costs the VM a GET that finds nothing.
	 */
	void (*notification_pending)(void *ctx, uint16_t vm_id,
				     const uint16_t *vcpu_ids,
				     uint32_t vcpu_count);
};

const char *ffp_page_state_name(enum ffp_page_state s);

#endif /* FFAPROXY_PLATFORM_H */
