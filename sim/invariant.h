/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * Invariants of a whole simulated world (proxy + SPMC model + memory),
 * checked from outside through public views only. For the proxy fuzzer
 * (fuzz/fuzz_proxy.c), the threaded stress test and any test that wants
 * them. Hosted code (uses libc).
 *
 * World (inv_check_world):
 *  W1 every page is owned by the endpoint its region was created for;
 *  W2 a page is SHARED, LENT or DONATED only while an SPMC transaction of
 *     that type, started by the page's owner, covers it (or, DONATED, a
 *     donation a partition completed by retrieving it, see
 *     inv_sp_retrieve, or an orphan the proxy reports: see
 *     ffp_transaction_info), and no two SPMC transactions cover it;
 *  W3 no complete SPMC transaction covers a page that is not in its
 *     type's state (in particular one its owner still holds OWNED), or a
 *     page of another owner than its sender, or memory in no region
 *     (unless an orphan of its sender's or a complete donation: the
 *     removed VM's memory went);
 *     a transaction still receiving fragments may cover OWNED pages,
 *     nothing else;
 *  W4 a page is SHARED_PROXY exactly when it lies in its owner's mapped
 *     RX or TX buffer (ffp_endpoint_info), and every page of a mapped
 *     buffer is;
 *  W5 every transaction the SPMC holds, but a complete donation, is one
 *     the proxy records (ffp_transaction_info: handle, owner, kind), or
 *     the proxy holds an orphan of that owner and kind;
 *  W6 VM availability messages (when the proxy sends them): to a
 *     partition subscribed to both, VM_CREATED and VM_DESTROYED of a VM
 *     id alternate, VM_CREATED first; a VM the proxy has was told to it,
 *     one it does not have was not, but for the VM_DESTROYED still
 *     pending (answered RETRY, INTERRUPTED or BUSY), which are those
 *     ffp_endpoint_info counts;
 *  W7 a direct request of a removed VM the SPMC holds preempted is one
 *     the proxy kept (ffp_endpoint_info's preempted_orphans): no
 *     partition vCPU stranded (invariant.c's check_stranded says when
 *     it is not checked);
 *  W8 notifications: the SPMC holds a bitmap with bindings or pending
 *     notifications only for an endpoint the proxy has with its bitmap
 *     or whose destruction it records pending (ffp_endpoint_info), and
 *     holds one for every present endpoint that has its bitmap: a new VM
 *     never inherits the bindings or notifications of its id's previous
 *     one.
 *  W9 the normal world's RX at the SPMC (the proxy's) is held by the
 *     normal world only while RX buffer full is pending for id 0: a
 *     partition's message the host has not taken; a message the proxy
 *     took (delivered to the host or dropped) and every partition info
 *     reply were given back (not checked after an SMC fault or garbled
 *     reply on RX_RELEASE, NOTIFICATION_GET or PARTITION_INFO_GET).
 *  W10 a partition message the proxy keeps for the host (ffp_info's
 *     msg2_held) was taken from the SPMC: a GET of id 0 handed RX buffer
 *     full out since the proxy was last seen keeping none (same waiver as
 *     W9).
 *  W11 VMs' bounce pairs: the SPMC holds a pair under a VM's id exactly
 *     when the proxy says that present VM has one (ffp_endpoint_info's
 *     msg_buffers), or records its unmap pending; and, as W9 per VM, a
 *     present VM's RX at the SPMC is full only while RX buffer full is
 *     pending for it (same waiver as W9).
 *  W12 the proxy's two views of its transactions agree: ffp_transaction_next
 *     lists, in table order, what ffp_transaction_info gives by index
 *     (compared for the first 64), and no more.
 *  W13 a present VM (id >= 1) owes no VM_DESTROYED and has no bitmap
 *     destruction pending: ffp_vm_destroyed_retry, which rewrites those
 *     and the unmap of the id's bounce pair, never works on it.
 *  W14 the proxy's late marks (ffp_info): the count it keeps is the marks
 *     in its table, each naming a partition's vCPU and an endpoint (or the
 *     proxy's VM availability messages); none is the proxy's, nor a note
 *     of a run for cycles out, as no work is in progress between calls.
 * Host reset (inv_host_reset, right after ffp_host_reset):
 *  H1 answered 0 or DENIED: the host is present with no version, no
 *     buffers, no bitmap (DENIED: its destruction pending, else none),
 *     every transaction of id 0 an orphan, no kept message and no owed
 *     listing, and the proxy's own pair still
 *     mapped at the SPMC if it was; answered BUSY: the host's view and
 *     the proxy's as they were. The checker's R9 follow-up is reset
 *     with the listing.
 * Registers (inv_check_regs), for one call and its reply:
 *  R1 SMC32: w registers only (upper halves of x0..x7 zero) and x8..x17
 *     preserved; FFA_VERSION: w0 alone, x1..x17 zero;
 *  R2 FFA_ERROR: x1 zero, w2 a defined status, x3..x7 zero;
 *  R3 success frames carry only the registers the call defines (table in
 *     invariant.c; FFA_YIELD's w2/w3 only to a caller at 1.1 or later),
 *     every other one of x1..x7 zero; a reply the call cannot produce is
 *     a violation;
 *  R4 SMC64 x8..x17: results only where the call defines them
 *     (PARTITION_INFO_GET_REGS, DIRECT_REQ2); elsewhere each one is the
 *     caller's own value or zero, never anything else;
 *  R5 a MEM_SHARE/LEND/DONATE/FRAG_TX answered FRAG_RX has w4 0 or the
 *     caller's id in [31:16], and after a first fragment w3 = its w2 <
 *     its w1; answered SUCCESS or FRAG_RX, it names a transaction the
 *     SPMC holds for the caller (complete for SUCCESS, still receiving
 *     for FRAG_RX): inv_check_mem_reply, which reads the SPMC's state,
 *     so only right after a call no other CPU overlapped;
 *  R7 the host's NOTIFICATION_GET answered RX buffer full (w6 bit 0)
 *     while the proxy kept a message (as last seen by inv_check_world):
 *     that message was delivered, so none is kept afterwards, unless the
 *     SPMC handed out another RX buffer full meanwhile (a reclaim on
 *     another CPU).
 *  R8 with the platform's notification_pending, the host's
 *     NOTIFICATION_INFO_GET success is in the list format of its width
 *     (reserved bits and sizes past the count zero, unused id slots
 *     zero), names no VM (only id 0 and partitions) and has a list or
 *     the more-pending bit.
 *  R9 the host's NOTIFICATION_INFO_GET answers NO_DATA, or a success
 *     with neither a list of id 0 nor the more-pending bit, only when
 *     no id-0 listing is owed for a kept message: neither as the proxy
 *     says (ffp_info's msg2_owed) nor as the checker follows it (owed
 *     once a message is newly kept, or the host's GET asking for the
 *     SPM framework bitmap did not take the kept one; spent by a
 *     listing of id 0): an owed listing is given by the next INFO_GET,
 *     never skipped nor spent on a reply the host does not get (with
 *     notification_pending, retries, a retry's failure alike);
 *     inv_check_mem_reply, which reads the proxy's state, so only
 *     right after a call no other CPU overlapped.
 *  R10 every request the proxy made of the SPMC (whatever call of
 *     whichever caller led to it) carried zero in the argument bits its
 *     function reserves (the SPMC model's audit, spmc.c reserved_masks):
 *     the proxy builds each request afresh and forwards no caller's
 *     reserved bits; also checked by inv_check_world, for requests
 *     actions made.
 *  R6 a direct response (to a direct request, or to the FFA_RUN that
 *     resumed one: FFA_RUN is answered as its request would be, in its
 *     frame's width) names the calling endpoint as its receiver.
 * Refusals (inv_snapshot + inv_check_unchanged): a call answered with
 *  FFA_ERROR (or FFA_VERSION's NOT_SUPPORTED) changed no page state, no
 *  SPMC transaction and no endpoint's buffers. Exceptions: a refused
 *  FFA_MEM_FRAG_TX that aborted its own transaction (that transaction may
 *  be gone and pages may only have gone back to OWNED), and a refusal
 *  after which the proxy holds a new orphan (the SPMC broke the protocol
 *  mid-way, the proxy kept what it could not undo and logged it; W1-W4
 *  still hold).
 */
#ifndef FFAPROXY_SIM_INVARIANT_H
#define FFAPROXY_SIM_INVARIANT_H

#include "sim/simplat.h"

#define INV_WHY 512

struct inv_range {
	uint64_t base, end; /* bytes, [base, end) */
	uint16_t owner;
};

struct inv {
	struct simplat *sp;
	/* Donations completed at the SPMC (record freed) whose pages stay
	 * DONATED for good. */
	struct inv_range *donated; /* malloc'd */
	unsigned donated_count;
	/* The model misreported a handle once (spmc.bogus_handle seen by a
	 * check): from then on the proxy may hold a plausible wrong one, so
	 * R5 and W5 are waived. */
	bool handles_untrusted;
	/* W10/R7: the proxy's kept message and the SPMC's count of RX
	 * buffer full handed out, as inv_check_world last saw them. */
	bool held_seen;
	uint64_t taken_seen;
	/* R9: an id-0 INFO_GET listing owed to the host, as followed by
	 * the checker. */
	bool owed;
	/* R10: the SPMC model's reserved_bad count already told. */
	uint32_t reserved_seen;
	char why[INV_WHY]; /* the last violation */
};

void inv_init(struct inv *iv, struct simplat *sp);
void inv_fini(struct inv *iv);

/* spmc_sp_retrieve through the checker: a donation the SPMC completes
 * (and forgets) is remembered for W2. Returns spmc_sp_retrieve's answer. */
int inv_sp_retrieve(struct inv *iv, uint16_t sp_id, uint64_t handle);

/* W1-W4. 0, or -1 with iv->why set. */
int inv_check_world(struct inv *iv);

/* R1-R4 for a call from endpoint `ep` with registers `in` answered by
 * `out`. 0, or -1 with iv->why set. */
int inv_check_regs(struct inv *iv, uint16_t ep, const struct ffa_regs *in,
		   const struct ffa_regs *out);

/* The state halves of R5 and R9 for a call from `ep` with registers `in`
 * answered by `out`, checked before anything else runs (not from
 * concurrent callers: another CPU may end the transaction in between).
 * 0, or -1 with iv->why set. */
int inv_check_mem_reply(struct inv *iv, uint16_t ep, const struct ffa_regs *in,
			const struct ffa_regs *out);

/* H1 for ffp_host_reset's answer `st`, given the host's view and the
 * proxy's before it (`ep0`, `before`); resets what R9 and W10 follow.
 * Only right after a reset no other CPU overlapped. 0, or -1 with
 * iv->why set. */
int inv_host_reset(struct inv *iv, int st,
		   const struct ffp_endpoint_info *ep0,
		   const struct ffp_info *before);

/* What a refused call must leave as it was. */
struct inv_snapshot {
	uint8_t *pages; /* state of every page, in region order */
	uint64_t page_count;
	struct {
		uint64_t handle;
		uint32_t ranges_filled;
		bool complete;
	} txns[SPMC_MAX_TXNS];
	uint32_t txn_count;
	struct ffp_endpoint_info eps[32];
	unsigned ep_count;
	uint32_t orphans; /* the proxy's orphan transactions */
};

/* 0, or -1 (out of host memory, with iv->why set). */
int inv_snapshot(struct inv *iv, struct inv_snapshot *s);
void inv_snapshot_free(struct inv_snapshot *s);
/* After a call with registers `in`: if its reply `out` refused it, the
 * world must equal `before` (see above). 0, or -1 with iv->why set. */
int inv_check_unchanged(struct inv *iv, const struct inv_snapshot *before,
			const struct ffa_regs *in, const struct ffa_regs *out);

#endif /* FFAPROXY_SIM_INVARIANT_H */
