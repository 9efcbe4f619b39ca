/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/* Private state of a proxy instance and the helpers its handlers share. */
#ifndef FFAPROXY_INTERNAL_H
#define FFAPROXY_INTERNAL_H

#include <ffaproxy/msg2.h>
#include <ffaproxy/proxy.h>

/* FFA_RXTX_MAP w3[5:0] holds the page count (DEN0077A 1.1 13.6.1): the
 * most pages of a caller's buffers and of the proxy's own. */
#define FFP_RXTX_MAX_PAGES 63u

/* Word access to byte buffers without breaking strict aliasing. */
typedef uint64_t __attribute__((may_alias)) ffp_word;
/* One constituent descriptor moved as a unit (16 bytes; descriptors are
 * 8-aligned: buffers are page-aligned and every offset a multiple of 8). */
typedef struct {
	uint64_t w[2];
} __attribute__((may_alias)) ffp_cons16;

#include "txn.h"

/*
 * VM availability messages of one id the SPMC preempted (FFA_INTERRUPT,
 * FFA_YIELD): the partition's vCPU is in the request until an FFA_RUN
 * from the normal world ends it, and a new request to it gets BUSY
 * (Hafnium). The proxy sent it, so the proxy resumes it. Bit i for
 * subscriber i, `vcpu[i]` the vCPU the SPMC named; `created` bit i: the
 * message was VM_CREATED (else VM_DESTROYED, its bit also pending).
 */
struct ffp_avail_run {
	uint32_t mask, created;
	uint16_t vcpu[FFP_MAX_SUBSCRIBERS];
};

/*
 * One caller's state, in a slot of a power-of-two size: the lanes find
 * the caller's entry by its id first thing, and a 224-byte stride cost
 * every call three or four x86-64 instructions of address arithmetic
 * (docs/cost.md). Grow FFP_ENDPOINT_STRIDE if the fields outgrow it.
 */
#define FFP_ENDPOINT_STRIDE 256
struct ffp_endpoint {
	union {
		struct {
			bool present;
			bool version_set;
			bool version_locked;
			uint32_t version;
			bool mapped;
			uint64_t tx_pa, rx_pa;
			uint32_t buffer_pages;
			/* filled by the proxy, owned by the caller */
			bool rx_held;
			/* the proxy is reading or writing its buffers */
			uint32_t busy;
			/* its memory transactions awaiting fragments */
			uint32_t pending;
			/* charged to its quota */
			uint32_t txn_count, ranges_reserved;
			/* FFP_LANE_* calls this caller may make on ffp_handle's
			 * lanes: set with the version lock (before it, release
			 * order), never changed after, cleared with the
			 * endpoint. */
			uint16_t lanes;
			/* VM availability (vmavail.c), guarded by STATE.
			 * `announced`: the subscribers were told VM_CREATED, so
			 * they are owed VM_DESTROYED. The two below outlive the
			 * endpoint's removal: `destroy_pending`, bit i for
			 * subscriber i still to be told VM_DESTROYED;
			 * `avail_busy`, messages for this id in flight (another
			 * add, remove or retry of it answers BUSY or skips it
			 * meanwhile). */
			bool announced;
			bool avail_busy;
			uint32_t destroy_pending;
			struct ffp_avail_run avail_run;
			/* While avail_busy: bit i, another request was
			 * preempted on vCPU `avail_stale_vcpu[i]` of subscriber
			 * i (ffp_vmavail_stale), so a message of the id's the
			 * worker holds preempted there is stale; applied by
			 * ffp_vmavail_settle. */
			uint32_t avail_stale;
			uint16_t avail_stale_vcpu[FFP_MAX_SUBSCRIBERS];
			/* Its live preemption records outside its own row
			 * (run.c), so that an FFA_RUN looks beyond the row only
			 * when there are some: a caller's FFA_RUN of a target
			 * it does not hold costs one row, not the table.
			 * Guarded by STATE. */
			uint32_t spilled;
			/* Notifications (notif.c), guarded by STATE. `vcpus`:
			 * the count its bitmap is created with (0:
			 * cfg.notification_vcpus). `notif`: its bitmap at the
			 * SPMC (FFP_NOTIF_*), created at its first BIND or
			 * UNBIND. `notif_calls`: its notification calls at the
			 * SPMC (a removal answers BUSY meanwhile).
			 * `notif_destroy_pending` outlives the removal, with
			 * `vcpus`: the SPMC still holds the bitmap of the id's
			 * previous endpoint; the id is not given to a new one
			 * until a retry destroys it. */
			uint16_t vcpus;
			uint8_t notif;
			/* With notif FFP_NOTIF_NONE: a create answered outside
			 * the protocol whose undo failed, so the SPMC may hold
			 * a bitmap of the endpoint's, nothing bound to it. Its
			 * next create takes one found there; its removal
			 * destroys it (call_begin, teardown_begin). */
			bool notif_unknown;
			bool notif_destroy_pending;
			uint32_t notif_calls;
			/* Which endpoint holds the id: one more at each add
			 * and at each removal (where `present` is cleared), so
			 * that a gen read while present differs from the gen
			 * once the endpoint is gone. A call reads it before it
			 * finds the id present (dispatch.c), so one that began
			 * before a removal, and maybe the id's next add, is
			 * told from the endpoint there is now by its gen and
			 * `present` (ffp_endpoint_stale). */
			uint32_t gen;
			/* Indirect messages of a VM (msg2_relay.c): its bounce
			 * pair (p->mbs[id]) is mapped at the SPMC under its id
			 * while `mb_mapped`. Written under BUFFERS and STATE,
			 * read under either. `mb_unmap_pending` outlives the
			 * removal: the SPMC refused the unmap, and the id is
			 * not given to a new endpoint until a retry unmaps
			 * it. `mb_setting` (under STATE) while
			 * ffp_endpoint_set_msg_buffers maps one: the VM's
			 * GETs wait for it under BUFFERS (notif.c). */
			bool mb_mapped;
			bool mb_unmap_pending;
			bool mb_setting;
			/* With `notif_destroy_pending`: the vCPU count of
			 * the bitmap whose destruction is pending (a removed
			 * VM's, or the host's previous kernel's after
			 * ffp_host_reset; the new kernel's is `vcpus`), and
			 * whether it may be gone already (a DESTROY answered
			 * outside the protocol: ffp_notif_destroy). */
			uint16_t notif_old_vcpus;
			bool notif_destroy_unsure;
			/* While avail_busy: bit i, subscriber i may get a
			 * message of the worker's (the host's cycles run of
			 * its vCPUs answers BUSY meanwhile, vmavail.c);
			 * guarded by STATE. This and the two below come last,
			 * so that no field the lanes read moves. */
			uint32_t avail_to;
			/* Its last preemption record (ffp_preempt_record, made
			 * or not): the vCPU, and p->rec_seq then. A run for
			 * cycles that ended its request marks it late only if
			 * that record has not come since the run's check
			 * (mark_late). Guarded by STATE; outlive the removal
			 * and the next add, as the marks do (p->lates). */
			uint32_t rec_target;
			uint64_t rec_seq;
			/* While avail_busy: p->late_seq as its worker began or
			 * last sent a message; the late marks of the proxy's
			 * messages made since may be that message's
			 * (ffp_late_worker). Guarded by STATE. */
			uint64_t avail_sent;
		};
		uint8_t stride_[FFP_ENDPOINT_STRIDE];
	};
};
_Static_assert(sizeof(struct ffp_endpoint) == FFP_ENDPOINT_STRIDE,
	       "struct ffp_endpoint outgrew FFP_ENDPOINT_STRIDE");
#define FFP_NOTIF_NONE 0u
#define FFP_NOTIF_CREATING 1u
#define FFP_NOTIF_CREATED 2u

/* A direct request the SPMC answered FFA_INTERRUPT or FFA_YIELD, which
 * its caller (`owner`) alone may resume with FFA_RUN; once the caller is
 * removed (`orphan`), the proxy resumes it. Guarded by FFP_LOCK_STATE. */
struct ffp_preempt {
	/* The SPMC's w1: partition id [31:16] (bit 31 set: a partition),
	 * vCPU id [15:0]. 0: the slot is free. */
	uint32_t target;
	/* The request: FFA_MSG_SEND_DIRECT_REQ_32/_64 or _REQ2_64. Its
	 * caller's version is the endpoint's, fixed while it exists. */
	uint32_t func;
	/* The caller whose request it is: the slot's row (its own) unless
	 * that row was full when it was recorded (run.c). */
	uint16_t owner;
	/* The owner was removed: no caller may run it; the proxy resumes it
	 * at ffp_vm_destroyed_retry and the next ffp_endpoint_add. */
	bool orphan;
	/* An FFA_RUN of it is at the SPMC: another one gets BUSY. */
	bool running;
	/* Found stale while running (another caller's request preempted on
	 * the same vCPU): dropped when that FFA_RUN settles, unless it
	 * brought this caller's response. */
	bool stale;
	/* Taken over while running by a newer request of the same caller
	 * preempted on the vCPU: kept when that FFA_RUN settles. */
	bool renewed;
};

/*
 * A late mark (run.c): the host's run for cycles of vCPU `target` ended a
 * request of `owner`'s preempted there before its record was made, so
 * that record, when it comes, drops no newer one of the vCPU. `owner`: a
 * caller's id (mark_late), one mark per ended request: a caller with
 * several in flight (one per vCPU of its) keeps each. Or
 * FFP_PREEMPT_PROXY: a framework response dropped there, the end of a VM
 * availability message of the proxy's, whose worker is not told
 * (ffp_vmavail_late): one mark per vCPU, the newest, which every worker
 * that sent its message before it reads (ffp_late_worker). Guarded by
 * FFP_LOCK_STATE.
 */
struct ffp_late {
	uint32_t target; /* 0: the slot is free */
	uint16_t owner;
	/* FFP_LATE_MARK, or what lets mark_late tell a record that came
	 * while the host's run for cycles of `target` was out: FFP_LATE_RUN,
	 * that run (between its check and its mark; owner 0); FFP_LATE_SEEN,
	 * `owner`'s record of `target` made meanwhile. */
	uint16_t kind;
	/* p->late_seq when made: a full table gives up its oldest. */
	uint64_t seq;
};
#define FFP_LATE_MARK 0u
#define FFP_LATE_RUN 1u
#define FFP_LATE_SEEN 2u

struct ffp {
	struct ffp_config cfg;
	const struct ffp_platform *plat;
	void *ctx;

	/* Set at init, then read-only (except spmc_version, see below). */
	bool ffa_enabled;
	bool x8_x17;            /* SMCCC >= 1.2 at EL3 */
	uint32_t smccc_version;
	uint32_t spmc_reported; /* the SPMC's answer to FFA_VERSION */
	uint32_t spmc_cap;      /* highest version usable with the SPMC */

	/* Guarded by FFP_LOCK_STATE. spmc_version changes only in strict
	 * mode, before any endpoint has locked its version. */
	uint32_t spmc_version;
	/* Which function ids each caller version may use, derived from the
	 * dispatch table and spmc_version: bit (fn - 0x60) * 2 + is_smc64,
	 * indexed by caller minor version. */
	uint64_t servable[3][((FFA_FN_LAST - FFA_FN_FIRST + 1) * 2 + 63) / 64];
	bool any_locked;
	struct ffp_endpoint *eps;

	struct ffp_txn_table txns; /* guarded by FFP_LOCK_STATE */
	/* cfg.max_preempted slots per endpoint, endpoint id-major: a
	 * caller's records go to its own row first, then to any free slot
	 * (run.c); guarded by FFP_LOCK_STATE. */
	struct ffp_preempt *preempts;
	/* Each endpoint's bounce pair (ffp_endpoint_set_msg_buffers), as
	 * the embedder gave it; meaningful while its mb_mapped or
	 * mb_unmap_pending (the SPMC may still hold it). Apart from
	 * struct ffp_endpoint, whose stride it would outgrow. */
	struct ffp_msg_buffers *mbs;
	uint32_t vm_txn_quota, vm_range_quota; /* per VM, from the config */

	/* VM availability subscribers (vmavail.c): filled once under
	 * BUFFERS, then `subs_learned` set (release); read-only after. */
	bool subs_learned;
	uint32_t sub_count;
	struct ffp_subscriber {
		uint16_t id;
		bool created, destroyed; /* properties bits 6 and 7 */
	} subs[FFP_MAX_SUBSCRIBERS];
	uint32_t subs_destroyed; /* bit i: subs[i].destroyed */

	/* The SPMC, one the proxy forwards FFA_PARTITION_INFO_GET_REGS to
	 * (ffp_pinfo_regs_forwarded), turned out to lack it: learned at its
	 * first NOT_SUPPORTED or SMCCC unknown function (discovery.c
	 * pinfo_regs_lacking), never cleared; read and written without a
	 * lock (ffp_pinfo_regs_lacks, ffp_pinfo_regs_learn). */
	bool regs_lacking;

	/* Guarded by FFP_LOCK_BUFFERS. */
	bool spmc_buffers_mapped;
	/* A map answered DENIED was met by one unmap of the pair the SPMC
	 * held (rxtx.c ffp_spmc_buffers_map): never again. */
	bool spmc_stale_pair_tried;
	uint8_t *scratch;
	uint32_t scratch_size;
	/* A partition's message to the host taken out of the proxy's RX by
	 * a reclaim (ffp_msg2_hold): its checked header, its payload in
	 * `hold` (cfg.buffers.pages pages; NULL with cfg.no_msg2_hold).
	 * Written under BUFFERS; hold_full and hold_owed (an INFO_GET
	 * listing of id 0 owed to the host for the message kept last,
	 * delivered or not: hold_list) also under STATE, which INFO_GET
	 * takes alone. */
	uint8_t *hold;
	struct ffa_msg2 hold_msg;
	bool hold_full, hold_owed;

	/* Callers' preemption records so far (run.c; each endpoint's last
	 * in its rec_seq). 64 bits: never wraps, so that an endpoint's
	 * record of 2^31 records ago never reads as newer than a check
	 * (mark_late). Guarded by STATE. */
	uint64_t rec_seq;

	/* The late marks (run.c, struct ffp_late): late_slots of them, apart
	 * from struct ffp_endpoint (whose stride has no room for a caller's
	 * several), `late_used` live; `late_seq` the marks made so far (64
	 * bits: never wraps). Guarded by STATE. */
	struct ffp_late *lates;
	uint32_t late_slots, late_used;
	uint64_t late_seq;
};

/* The late marks' table size: one per endpoint (a caller's one request,
 * or a vCPU of the proxy's messages) and max_preempted more (a caller's
 * several in flight); none when FFA_RUN is not relayed (no run for cycles, no
 * record). At most 0x7fff + 1024. */
static inline uint32_t ffp_late_slots(const struct ffp_config *cfg)
{
	return cfg->max_preempted ? (uint32_t)cfg->max_endpoints +
					    cfg->max_preempted
				  : 0;
}

/* One call in flight: a private, masked copy of the caller's registers
 * and the results being built. */
struct ffp_call {
	struct ffp *p;
	uint16_t ep_id;
	struct ffp_endpoint *ep;
	uint32_t func;
	bool smc64;
	uint32_t version; /* the caller's, fixed for this call */
	uint32_t gen;     /* ep->gen as the call began (handle_call) */
	struct ffa_regs in;
	/* 16-aligned, as in.x[1] is (offset 48): the memory lane moves
	 * out.x[0..3] and in.x[1..4] in 16-byte pairs (one stp/ldp of q
	 * registers each on AArch64). */
	_Alignas(16) struct ffa_regs out;
};
_Static_assert(offsetof(struct ffp_call, in.x[1]) % 16 == 0 &&
		       offsetof(struct ffp_call, out) % 16 == 0,
	       "the memory lane's register pairs are 16-aligned");

typedef void (*ffp_handler)(struct ffp_call *c);

/* STATE held: the call's endpoint is gone, removed on another CPU (and
 * maybe another added under its id) since the call began: another gen,
 * as each removal and each add change it. What the call would write now
 * would land on no endpoint, or on the new one's state; it is refused as
 * an unknown endpoint's instead. Not present, too: a lane reads the gen
 * after its lanes (dispatch.c lane_mem, rxtx.c ffp_lane_rx_release,
 * msg.c lane_gen), so on another CPU than a removal it may read the
 * removal's own gen, the id's until its next add, while the removal
 * tears the endpoint down. */
static inline bool ffp_endpoint_stale(const struct ffp_endpoint *ep,
				      uint32_t gen)
{
	return !ep->present || ep->gen != gen;
}
static inline bool ffp_call_stale(const struct ffp_call *c)
{
	return ffp_endpoint_stale(c->ep, c->gen);
}
#define FFP_WHY_STALE "unknown endpoint (removed during the call)"


/* A register-only call served from and into the caller's registers with
 * no struct ffp_call (dispatch.c's general path, after the version lock;
 * the lanes serve clean requests the same way): it reads each argument
 * register once and writes x0..x7 and, when ffp_results_x8_x17(), x8..x17
 * (ffp_handle's rules). The version is locked and the call servable.
 * `gen`: the caller's ffp_endpoint.gen as the call began, for the checks
 * where the call writes the endpoint's state (ffp_endpoint_stale). */
typedef void (*ffp_regs_handler)(struct ffp *p, uint32_t gen,
				 uint16_t ep_id, uint32_t func,
				 uint32_t version, struct ffa_regs *regs);

/* Whether x8..x17 are results of `func` for a caller at `version`: SMC64
 * between parties at 1.2; otherwise SMCCC says they are preserved (an
 * SMC32 call, FFA_VERSION included, has results in w0..w7 alone). */
/* w0 of an SPMC reply is FFA_SUCCESS (either width). */
static inline bool ffp_is_success(uint64_t x0)
{
	return (uint32_t)x0 == FFA_SUCCESS_32 || (uint32_t)x0 == FFA_SUCCESS_64;
}

static inline bool ffp_results_x8_x17(uint32_t func, uint32_t version)
{
	return ffa_is_smc64(func) && version >= FFA_VERSION_1_2;
}
/* Whether FFA_YIELD's w2/w3 (the timeout, low and high halves) are
 * results for a caller at `version`. DEN0077A 1.0's FFA_YIELD has no
 * timeout: w2..w7 reserved, and Hafnium's 1.0-era api_yield returned w1
 * alone; a 1.0 caller gets them zero. From 1.1 they pass (Hafnium's
 * ffa_yield_timeout; this project's ACS replay of a 1.1 caller).
 * [?: the tables are not in ffa-facts.md, and Hafnium's v2.10 change
 * log lists the timeout under its FF-A 1.2 adoption: if the timeout is
 * 1.2's, this is the one place to say so.] */
static inline bool ffp_yield_timeout(uint32_t version)
{
	return version >= FFA_VERSION_1_1;
}
/* Write results `out` into the caller's registers by those rules (SMC32
 * results zero-extended). */
void ffp_regs_write(struct ffa_regs *regs, const struct ffa_regs *out,
		    uint32_t func, uint32_t version);
/* FFA_SUCCESS_32 with w2 into the caller's registers (w1, w3..w7 zero;
 * x8..x17 untouched: an SMC32 reply). */
static inline void ffp_regs_success32(struct ffa_regs *regs, uint32_t w2)
{
	regs->x[0] = FFA_SUCCESS_32;
	regs->x[1] = 0;
	regs->x[2] = w2;
	regs->x[3] = 0;
	regs->x[4] = 0;
	regs->x[5] = 0;
	regs->x[6] = 0;
	regs->x[7] = 0;
}
/* ffp_refuse() for a register-only call: FFA_ERROR into `regs`, logged. */
void ffp_regs_refuse(struct ffp *p, uint16_t ep_id, uint32_t func,
		     uint32_t version, struct ffa_regs *regs, int32_t status,
		     const char *why, uint64_t value);

/* Lanes: the pass-through calls ffp_handle serves straight from the
 * function id once the caller's version is locked (see dispatch.c). */
#define FFP_LANE_DIRECT_REQ_32 0x01u
#define FFP_LANE_DIRECT_REQ_64 0x02u /* caller below 1.2 */
#define FFP_LANE_DIRECT_REQ_64_V12 0x20u /* caller at 1.2 or later */
#define FFP_LANE_DIRECT_REQ2 0x04u
#define FFP_LANE_ID_GET 0x08u
#define FFP_LANE_RX_RELEASE 0x10u
/* DIRECT_REQ_32 and a pre-1.2 caller's DIRECT_REQ_64 over a platform with
 * smc_x0_x7: in the caller's registers instead of a private copy. */
#define FFP_LANE_DIRECT_REQ_32_X0_X7 0x40u
#define FFP_LANE_DIRECT_REQ_64_X0_X7 0x80u
/* FFA_MEM_SHARE/LEND/DONATE (32 and 64), FFA_MEM_RECLAIM_32 and
 * FFA_MEM_FRAG_TX_32: their handlers on a struct ffp_call built with
 * only what they read (dispatch.c's lane_mem). */
#define FFP_LANE_MEM 0x100u
/* The lanes a caller at `version` may use over this SPMC (STATE held or
 * at lock time; final once any endpoint is locked). */
uint16_t ffp_lanes(const struct ffp *p, uint32_t version);
/* ffp_handle() without the lanes: every call takes this way except the
 * lanes' clean requests. dispatch.c */
bool ffp_handle_general(struct ffp *p, uint16_t ep_id, struct ffa_regs *regs);
/* Lane handlers: serve a clean request for the caller's registers and
 * return true; anything else goes to ffp_handle_general(). msg.c,
 * rxtx.c */
bool ffp_lane_direct_req_32(struct ffp *p, uint16_t ep_id,
			    struct ffa_regs *regs);
bool ffp_lane_direct_req_64(struct ffp *p, uint16_t ep_id,
			    struct ffa_regs *regs);
bool ffp_lane_direct_req_64_v12(struct ffp *p, uint16_t ep_id,
				struct ffa_regs *regs);
bool ffp_lane_direct_req_32_x0_x7(struct ffp *p, uint16_t ep_id,
				  struct ffa_regs *regs);
bool ffp_lane_direct_req_64_x0_x7(struct ffp *p, uint16_t ep_id,
				  struct ffa_regs *regs);
bool ffp_lane_direct_req2(struct ffp *p, uint16_t ep_id, struct ffa_regs *regs);
bool ffp_lane_rx_release(struct ffp *p, uint16_t ep_id, uint32_t version,
			 struct ffa_regs *regs);
/* FFA_ID_GET: the caller's own id. */
static inline bool ffp_lane_id_get(struct ffa_regs *regs, uint16_t ep_id)
{
	ffp_regs_success32(regs, ep_id);
	return true;
}

/* Results */
void ffp_refuse(struct ffp_call *c, int32_t status, const char *why,
		uint64_t value);
void ffp_success(struct ffp_call *c, uint64_t w2, uint64_t w3);
void ffp_log(struct ffp *p, uint16_t ep, uint32_t func, int32_t status,
	     const char *why, uint64_t value);
/* An FF-A status from the SPMC or the platform, sanitised: unknown values
 * become ABORTED. */
int32_t ffp_status(uint64_t w2);

/* Downlink: the one way to the SPMC. `r` is private; the reply replaces it. */
static inline void ffp_smc(struct ffp *p, struct ffa_regs *r)
{
	p->plat->smc(p->ctx, r);
}

/* Locks */
static inline void ffp_lock(struct ffp *p, enum ffp_lock l)
{
	p->plat->lock(p->ctx, l);
}
static inline void ffp_unlock(struct ffp *p, enum ffp_lock l)
{
	p->plat->unlock(p->ctx, l);
}

/* Version negotiation (version.c) */
void ffp_spmc_negotiate(struct ffp *p);
void ffp_handle_version(struct ffp_call *c);
/* Fix the caller's version before any other call; false: refused. */
bool ffp_lock_version(struct ffp_call *c);

/* Handlers */
void ffp_handle_features(struct ffp_call *c);
void ffp_regs_id_get(struct ffp *p, uint32_t gen, uint16_t ep_id,
		     uint32_t func, uint32_t version, struct ffa_regs *regs);
void ffp_handle_spm_id_get(struct ffp_call *c);
void ffp_handle_partition_info_get(struct ffp_call *c);
void ffp_handle_partition_info_get_regs(struct ffp_call *c);
/* PARTITION_INFO_GET_REGS goes to the SPMC (a 1.2 SPMC, SMCCC 1.2);
 * otherwise the proxy emulates it from the buffer form (discovery.c). */
static inline bool ffp_pinfo_regs_forwarded(const struct ffp *p)
{
	return p->spmc_version >= FFA_VERSION_1_2 && p->x8_x17;
}
/*
 * The forwarding SPMC lacks the register form (p->regs_lacking), learned
 * once per instance: from then on the proxy emulates it without asking.
 * Lock-free, as any number of CPUs may ask at once: a relaxed load and
 * store of one byte (no read-modify-write, so no libgcc outline atomics
 * on aarch64; the flag publishes no other data, so no ordering is
 * needed). A race is harmless: CPUs that read it clear while another
 * sets it each forward once more, get the same NOT_SUPPORTED (or SMCCC
 * unknown) and set it to the same value, so every caller gets the same
 * emulated answer; at worst one SMC more per racing call. Nothing clears
 * it: an SPMC does not gain a function at run time (its ABI table is
 * fixed when it is built), and the version the proxy speaks with it is
 * final once a caller's version is locked, which every call but
 * FFA_VERSION does first (strict renegotiation ends there), so no later
 * answer could differ.
 */
static inline bool ffp_pinfo_regs_lacks(const struct ffp *p)
{
	return __atomic_load_n(&p->regs_lacking, __ATOMIC_RELAXED);
}
static inline void ffp_pinfo_regs_learn(struct ffp *p)
{
	__atomic_store_n(&p->regs_lacking, true, __ATOMIC_RELAXED);
}
void ffp_handle_rxtx_map(struct ffp_call *c);
void ffp_handle_rxtx_unmap(struct ffp_call *c);
void ffp_regs_rx_release(struct ffp *p, uint32_t gen,
			 uint16_t ep_id, uint32_t func, uint32_t version,
			 struct ffa_regs *regs);
void ffp_regs_direct_req(struct ffp *p, uint32_t gen,
			 uint16_t ep_id, uint32_t func, uint32_t version,
			 struct ffa_regs *regs);
void ffp_regs_direct_req2(struct ffp *p, uint32_t gen,
			  uint16_t ep_id, uint32_t func, uint32_t version,
			  struct ffa_regs *regs);
void ffp_handle_direct_resp(struct ffp_call *c);

/* Preempted direct requests and FFA_RUN (run.c). */
/* The SPMC answered `func`, a direct request of `ep_id` to partition
 * `part`, with FFA_INTERRUPT or FFA_YIELD naming `target` (its w1, whose
 * partition id the caller checked is `part`): record it so that the
 * caller may resume it. Takes STATE. A full table is logged; the caller
 * still gets the reply. `gen`: the caller's as its call began (a caller
 * removed since, whose id may be another endpoint's now, leaves an
 * orphan, the proxy's to resume); unused for FFP_PREEMPT_PROXY. */
void ffp_preempt_record(struct ffp *p, uint16_t ep_id, uint32_t gen,
			uint32_t func, uint32_t target);
/* As ep_id of ffp_preempt_record, ORed with the VM id: the proxy's own
 * request (a VM availability message about that id, vmavail.c, which
 * keeps its own record) was preempted; the callers' records of the
 * target and other ids' messages preempted there are stale. */
#define FFP_PREEMPT_PROXY 0x8000u
/* ffp_preempt_record of the proxy's own message about VM `vm`; false when
 * the record is late (a late mark of its worker): the message ended at
 * the host's run for cycles and another request holds the vCPU now, so
 * nothing is recorded or dropped. */
bool ffp_preempt_record_proxy(struct ffp *p, uint16_t vm, uint32_t target);
void ffp_regs_run(struct ffp *p, uint32_t gen, uint16_t ep_id,
		  uint32_t func, uint32_t version, struct ffa_regs *regs);
/* STATE held: whether an FFA_RUN of endpoint `id` is at the SPMC. */
bool ffp_preempt_endpoint_busy(const struct ffp *p, uint16_t id);
/* Endpoint `id` being removed, STATE not held: resume each of its
 * records once with FFA_RUN and drop the response. run.c */
void ffp_preempt_endpoint_finish(struct ffp *p, uint16_t id);
/* STATE held: endpoint `id`'s records left become orphans (logged): no
 * caller may run them, ffp_preempt_orphans_resume does. */
void ffp_preempt_endpoint_orphan(struct ffp *p, uint16_t id);
/* STATE not held: resume once each orphan of `id` (FFP_ORPHANS_ALL:
 * every one) with FFA_RUN, the reply dropped; returns how many of those
 * remain (another CPU's at the SPMC included). */
#define FFP_ORPHANS_ALL 0x10000u
uint32_t ffp_preempt_orphans_resume(struct ffp *p, uint32_t id);
/* STATE held: orphans of endpoint `id`. */
uint32_t ffp_preempt_orphans(const struct ffp *p, uint16_t id);
/* The memory handlers (mem.c) read c->p, c->ep_id, c->ep, c->func,
 * c->version and c->in.x[1..4] (SMC32: low halves), not c->smc64 nor
 * any other argument register, and write c->out.x[0..3] only (zero on
 * entry; ffp_refuse() also clears x4..x17: no memory result defines
 * x4..x7), nor c->func nor c->version: the memory lane (dispatch.c's
 * lane_mem) builds no more and returns x4..x7 as zero. */
void ffp_handle_mem_send(struct ffp_call *c);
void ffp_handle_mem_frag_tx(struct ffp_call *c);
void ffp_handle_mem_reclaim(struct ffp_call *c);

/* Memory (mem.c). Abort the endpoint's transactions still awaiting
 * fragments; when `removing`, also reclaim its complete ones, keeping
 * those a partition holds as orphans (logged). Nothing, if the id's gen
 * is no longer `gen` (the endpoint the caller means was removed: what is
 * under the id now is another's). Takes BUFFERS and STATE: call with
 * neither held. */
void ffp_mem_endpoint_teardown(struct ffp *p, uint16_t id, bool removing,
			       uint32_t gen);
/* STATE held: whether a call of endpoint `id` is working on one of its
 * transactions (a reclaim at the SPMC, a send). */
bool ffp_mem_endpoint_busy(const struct ffp *p, uint16_t id);

/* VM availability messages (vmavail.c). STATE not held; `id` >= 1 has
 * avail_busy set by the caller. ffp_vmavail_created: learn the
 * subscribers if not yet, flush `*pending` (the id's earlier VM), then
 * VM_CREATED to each subscriber, undone on failure; 0 or the status.
 * Sets *announced when the VM now exists for the subscribers.
 * ffp_vmavail_destroyed: first resume the messages preempted in `*run`
 * (FFA_RUN), then VM_DESTROYED to the subscribers in `mask`; returns
 * those to retry. `*run` is the id's, its caller's while avail_busy. */
int ffp_vmavail_created(struct ffp *p, uint16_t id, uint32_t *pending,
			struct ffp_avail_run *run, bool *announced);
uint32_t ffp_vmavail_destroyed(struct ffp *p, uint16_t id, uint32_t mask,
			       struct ffp_avail_run *run);
/* STATE held: a request (a caller's, `self` 0, or the proxy's about id
 * `self`) was preempted on vCPU `target`, so the proxy's records of a VM
 * availability message preempted there are stale; drops them from each
 * id no CPU is working on, marks them for the others (avail_stale, but
 * `self`'s: its record is this one) and returns how many. vmavail.c */
uint32_t ffp_vmavail_stale(struct ffp *p, uint32_t target, uint16_t self);
/* STATE not held: the host's run for cycles of `target` dropped a
 * framework response (the proxy's own message ended there): each worker
 * messaging that partition gets a late mark of `target`. vmavail.c */
void ffp_vmavail_late(struct ffp *p, uint32_t target);
/* The late marks (run.c), STATE held. ffp_late_mark: a new mark of
 * `owner`'s request on `target` (FFP_PREEMPT_PROXY's: one per target, made
 * newest again); returns the target of the oldest mark it dropped when
 * the table was full (its owner in *dropped_owner; the caller logs it
 * once STATE is released), else 0. ffp_late_take: spends one mark of
 * `owner` on `target`, true if there was one. ffp_late_worker: whether a
 * mark of the proxy's messages on `target` was made since worker `w` sent
 * its message. ffp_late_worker_begin: worker `w` begins, or sends a
 * message (none made before is about it); ffp_late_worker_end: its work
 * is over (the marks no other worker can read are dropped). */
uint32_t ffp_late_mark(struct ffp *p, uint16_t owner, uint32_t target,
		       uint16_t *dropped_owner);
bool ffp_late_take(struct ffp *p, uint16_t owner, uint32_t target);
bool ffp_late_worker(const struct ffp *p, const struct ffp_endpoint *w,
		     uint32_t target);
void ffp_late_worker_begin(struct ffp *p, struct ffp_endpoint *w);
void ffp_late_worker_end(struct ffp *p, const struct ffp_endpoint *w);
/* Logs a mark ffp_late_mark dropped (STATE not held). */
void ffp_late_log_dropped(struct ffp *p, uint16_t owner, uint32_t target);
/* STATE held, `ep`'s worker at its message's record (run.c): whether a
 * preemption on vCPU `target` was recorded since that message was sent
 * (avail_stale), e.g. another worker's message still in its hands, which
 * ffp_vmavail_run_check cannot see: the vCPU is in a newer request.
 * vmavail.c */
bool ffp_vmavail_newer(const struct ffp *p, const struct ffp_endpoint *ep,
		       uint32_t target);
/* STATE held, for the host's FFA_RUN of vCPU `target` for cycles
 * (run.c): DENIED if the proxy holds a VM availability message preempted
 * there; BUSY while a worker (avail_busy) messages ids to that partition,
 * whose records it holds privately until it settles; else 0. vmavail.c */
int32_t ffp_vmavail_run_check(const struct ffp *p, uint32_t target);
/* STATE held, the worker of `ep` (avail_busy) writing back `*pending`
 * and `*run`: drops from them the messages marked stale meanwhile. */
void ffp_vmavail_settle(struct ffp *p, struct ffp_endpoint *ep,
			uint32_t *pending, struct ffp_avail_run *run);

/* (VM, partition) pairs still owed a message: VM_DESTROYED pending, or a
 * message preempted at the partition. */
static inline uint32_t ffp_vmavail_owed(uint32_t pending,
					const struct ffp_avail_run *run)
{
	uint32_t n = 0, m = pending | run->mask;

	for (; m; m &= m - 1)
		n++;
	return n;
}

/* Notifications (notif.c). Handlers of the caller's calls; BIND and
 * UNBIND share one. */
void ffp_handle_notification_bind(struct ffp_call *c);
void ffp_handle_notification_set(struct ffp_call *c);
void ffp_handle_notification_get(struct ffp_call *c);
void ffp_handle_notification_info_get(struct ffp_call *c);
/* FFA_FEATURES of the schedule receiver interrupt (the host's, at 1.1+
 * over a 1.1+ SPMC): asked of the SPMC. */
void ffp_features_sri(struct ffp_call *c);
/* FFA_FEATURES(notification pending interrupt): cfg.npi_intid, to VMs at
 * 1.1+ over a 1.1+ SPMC when cfg.npi_offered. */
void ffp_features_npi(struct ffp_call *c);
/* Destroy endpoint `id`'s bitmap at the SPMC (STATE not held; the id's
 * worker: avail_busy set): FFA_NOTIFICATION_BITMAP_DESTROY, and if the
 * SPMC refuses it for pending notifications (DENIED, Hafnium
 * plat_ffa_notifications_bitmap_destroy), drain them with one
 * FFA_NOTIFICATION_GET per vCPU and destroy again. true: gone.
 * *unsure (in and out): an earlier reply outside the protocol left it
 * unknown whether the bitmap still exists; DENIED then may mean none, and
 * a CREATE asks which before any GET. */
bool ffp_notif_destroy(struct ffp *p, uint16_t id, uint16_t vcpus,
		       bool *unsure);
/* The proxy's GET of the host's SPM framework bitmap: whether RX buffer
 * full was pending (ffp_spmc_rx_reclaim). */
bool ffp_notif_take_rx_full(struct ffp *p, uint16_t ep, uint32_t func);
/* The vCPU count endpoint `ep` has or had for notifications. */
uint16_t ffp_notif_vcpus(const struct ffp *p, const struct ffp_endpoint *ep);

/* The SPMC's reply to a call whose only success is the bare FFA_SUCCESS_32
 * (w1..w7 zero): 0, its error (sanitised), or ABORTED; logged for `ep`.
 * notif.c */
int32_t ffp_spmc_bare_success(struct ffp *p, uint16_t ep, uint32_t func,
			      const struct ffa_regs *r);
/* The same reply given to the caller of a relayed call: the bare success,
 * or the error (sanitised) or ABORTED, logged once. notif.c */
void ffp_relay_bare(struct ffp_call *c, const struct ffa_regs *r);

/* Indirect messages of the host (msg2_relay.c). */
void ffp_handle_msg_send2(struct ffp_call *c);
/* BUFFERS held, the host's RX free and marked busy: move the partition's
 * message in the proxy's RX into it (the host's `version` layout), then
 * release the proxy's RX at the SPMC. true: delivered. */
bool ffp_msg2_deliver(struct ffp *p, uint16_t ep_id, uint32_t func,
		      uint32_t version, uint64_t rx_pa, uint32_t rx_bytes);
/* BUFFERS held, RX buffer full just taken from the SPMC, the proxy's RX
 * about to be released (ffp_spmc_rx_reclaim): the message checked and
 * kept for the host. true: kept; false: dropped (logged). */
bool ffp_msg2_hold(struct ffp *p, uint16_t ep, uint32_t func);
/* As ffp_msg2_deliver, from the kept message (hold_full), which is gone
 * afterwards whether delivered or dropped (logged). */
bool ffp_msg2_deliver_held(struct ffp *p, uint16_t ep_id, uint32_t func,
			   uint32_t version, uint64_t rx_pa, uint32_t rx_bytes);

/* A VM's bounce pair at the SPMC (msg2_relay.c), STATE and BUFFERS not
 * held, the id's worker (avail_busy): FFA_RXTX_UNMAP w1 = id << 16.
 * true: unmapped (or the SPMC holds no pair of the id). */
bool ffp_msg2_vm_unmap(struct ffp *p, uint16_t id);
/* BUFFERS held, the VM's RX at `rx_pa`, `rx_bytes`, free and marked busy:
 * as ffp_msg2_deliver, from the VM's bounce RX (p->mbs[id]), released at the
 * SPMC with w1 = the VM's id. */
bool ffp_msg2_deliver_vm(struct ffp *p, uint16_t id, uint32_t func,
			 uint32_t version, uint64_t rx_pa, uint32_t rx_bytes);

/* RX/TX (rxtx.c) */
int32_t ffp_spmc_buffers_map(struct ffp *p);
bool ffp_spmc_rx_reclaim(struct ffp *p, uint16_t ep, uint32_t func);
void ffp_endpoint_buffers_release(struct ffp *p, struct ffp_endpoint *ep,
				  uint16_t id);

/* Dispatch table entry (dispatch.c) */
struct ffp_call_entry {
	struct ffp_call_desc desc;
	uint32_t spmc_since; /* SPMC version needed to forward it, 0: none */
	bool needs_x8_x17;   /* carries x8..x17: SMCCC 1.2 at EL3 */
	ffp_handler handler;
	ffp_regs_handler regs_handler; /* instead of handler: register-only */
};
const struct ffp_call_entry *ffp_call_entry(uint32_t fn);
/* NOT_SUPPORTED reason when `fn` cannot be served to a caller at
 * `version` over this SPMC, or NULL when it can. */
const char *ffp_call_unavailable(const struct ffp *p, uint32_t func,
				 uint32_t version);

/* Rebuild `servable` (after negotiation; STATE lock held or at init). */
void ffp_servable_update(struct ffp *p);

static inline bool ffp_servable(const struct ffp *p, uint32_t func,
				uint32_t version)
{
	uint32_t bit = (ffa_fn(func) - FFA_FN_FIRST) * 2 + ffa_is_smc64(func);
	uint32_t minor = ffa_version_minor(version);

	return minor < 3 && ((p->servable[minor][bit / 64] >> (bit % 64)) & 1);
}

/* RX ownership (rx_held) is read and written atomically: the RX_RELEASE
 * lane clears it without the STATE lock. */
static inline bool ffp_rx_held(const struct ffp_endpoint *ep)
{
	return __atomic_load_n(&ep->rx_held, __ATOMIC_ACQUIRE);
}
static inline void ffp_rx_held_set(struct ffp_endpoint *ep, bool held)
{
	__atomic_store_n(&ep->rx_held, held, __ATOMIC_RELEASE);
}

/* An endpoint's version lock is set once and never cleared while the
 * endpoint exists, so a CPU may test it without the STATE lock. */
static inline bool ffp_version_is_locked(const struct ffp_endpoint *ep)
{
	return __atomic_load_n(&ep->version_locked, __ATOMIC_ACQUIRE);
}

/* Eighteen stores, as written: gcc clears a 144-byte aggregate with
 * `rep stos` on x86-64 (one instruction per doubleword, and a slow start),
 * separate stores become nine 16-byte ones (stp pairs on AArch64). */
_Static_assert(FFA_NREGS == 18, "ffp_regs_zero clears x0..x17");
static inline void ffp_regs_zero(struct ffa_regs *r)
{
	r->x[0] = 0;
	r->x[1] = 0;
	r->x[2] = 0;
	r->x[3] = 0;
	r->x[4] = 0;
	r->x[5] = 0;
	r->x[6] = 0;
	r->x[7] = 0;
	r->x[8] = 0;
	r->x[9] = 0;
	r->x[10] = 0;
	r->x[11] = 0;
	r->x[12] = 0;
	r->x[13] = 0;
	r->x[14] = 0;
	r->x[15] = 0;
	r->x[16] = 0;
	r->x[17] = 0;
}

/* Freestanding helpers (lib.c) */
void ffp_memcpy(void *dst, const void *src, size_t n);
void ffp_memset(void *dst, int c, size_t n);

static inline uint32_t ffp_min_u32(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

/* Redzones (sanitizer builds only, -DFFP_REDZONES): the instance is one
 * block of embedder memory, so ASan would take an overrun of one carved
 * array into the next for a valid access. With the macro each array is
 * followed by FFP_REDZONE poisoned bytes (ASan's manual poisoning
 * interface, declared here so that the freestanding build needs no
 * sanitizer header); without it both helpers are empty and every size is
 * as before. */
#ifdef FFP_REDZONES
#define FFP_REDZONE 32u
void __asan_poison_memory_region(void const volatile *addr, size_t size);
void __asan_unpoison_memory_region(void const volatile *addr, size_t size);
static inline void ffp_poison(const void *a, size_t n)
{
	__asan_poison_memory_region(a, n);
}
static inline void ffp_unpoison(const void *a, size_t n)
{
	__asan_unpoison_memory_region(a, n);
}
#else
#define FFP_REDZONE 0u
static inline void ffp_poison(const void *a, size_t n)
{
	(void)a;
	(void)n;
}
static inline void ffp_unpoison(const void *a, size_t n)
{
	(void)a;
	(void)n;
}
#endif

#endif /* FFAPROXY_INTERNAL_H */
