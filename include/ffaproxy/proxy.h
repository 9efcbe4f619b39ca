/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * The embedding API of ffaproxy: an FF-A proxy that a hypervisor places
 * between its normal-world endpoints (the host, id 0, and VMs, ids 1..N)
 * and the SPMC.
 *
 * Usage:
 *   struct ffp_config cfg;
 *   ffp_config_default(&cfg);           // then set version, policy, buffers
 *   void *mem = <ffp_instance_size(&cfg) bytes, 16-byte aligned>;
 *   struct ffp *p = ffp_init(mem, size, &cfg, &platform_ops, platform_ctx);
 *   ffp_endpoint_add(p, 1);             // a VM
 *   ...in the SMC trap handler:
 *   if (!ffp_handle(p, caller_id, &vcpu_regs)) { not FF-A: embedder's own }
 *
 * Locking: the proxy takes FFP_LOCK_STATE briefly to read or change the
 * endpoint table, versions and transactions, and never holds it across an
 * SMC, except under the strict policy when an FFA_VERSION made before any
 * endpoint locked its version renegotiates the SPMC (once, before any
 * other call is forwarded). FFP_LOCK_BUFFERS guards the proxy's own RX/TX
 * pair and private scratch copy; it is held from filling the proxy's TX buffer until the
 * SPMC's reply has been copied out, so calls that relay buffers (partition
 * info, memory transactions) serialise while register-only calls (direct
 * messages, FFA_RUN, ID_GET, FEATURES, RX_RELEASE) run concurrently on any
 * number of CPUs. Order: BUFFERS before STATE. An endpoint's RX/TX buffer being
 * read or written by the proxy is marked busy; FFA_RXTX_UNMAP of it then
 * gets BUSY instead of waiting. ffp_endpoint_add/remove take STATE; a
 * removal answers BUSY only for a call of the VM that uses its buffers, or
 * has a reclaim or an FFA_RUN at the SPMC: stopping the VM's vCPUs (no
 * call of its inside ffp_handle) before removing it is the embedder's
 * duty. Should one still be inside, it is refused (NOT_SUPPORTED, as an
 * unknown endpoint's) wherever it would next act on the id's state, so
 * that it never acts on a VM added under the id since; a direct request
 * of its the SPMC preempts is kept as the proxy's (preempted_orphans),
 * except one sent on a lane (a version-locked VM's clean request) whose
 * preemption comes back after that add: recorded as the new VM's, as
 * the lanes do not read the gen before their SMC. For a VM
 * they also make SMCs (VM availability messages, below;
 * the first add may take BUFFERS to ask for partition info), holding no
 * lock across them. Which operations run under which lock: platform.h.
 */
#ifndef FFAPROXY_PROXY_H
#define FFAPROXY_PROXY_H

#include <ffaproxy/ffa.h>
#include <ffaproxy/platform.h>

struct ffp;

enum ffp_policy {
	/* Serve every 1.x caller at its own version, translating (default). */
	FFP_POLICY_TRANSLATE,
	/* Linux 6.18 pKVM: one version, the one in use with the SPMC; an older
	 * caller renegotiates the SPMC down if no endpoint has locked its
	 * version and no other endpoint has been answered one
	 * (docs/versions.md). */
	FFP_POLICY_STRICT,
};

/* For a 1.0 SPMC, whose partition descriptors carry no UUID: where a 1.1+
 * caller's descriptors get their UUID from. */
struct ffp_partition_uuid {
	uint16_t id;
	uint8_t uuid[16]; /* in descriptor byte order */
};

struct ffp_config {
	uint32_t version;       /* the proxy's own highest FF-A version */
	enum ffp_policy policy;
	uint32_t granule;       /* caller page granule: 4096, 16384 or 65536 */
	/* Endpoint ids 0..max_endpoints-1; 1..0x7fff. */
	uint16_t max_endpoints;
	/* Caller RX or TX buffer, 4 KiB pages: granule / 4096 .. 63. */
	uint32_t max_buffer_pages;
	/* Bytes of one memory transaction: 4096 .. 1 GiB. */
	uint32_t max_descriptor_size;
	/* Live memory transactions, all callers: at most 2^24. */
	uint32_t max_transactions;
	/* Constituents stored for reclaim, all callers: at most 2^28. */
	uint32_t max_ranges;
	/* What one VM (id >= 1) may hold of those two, so that no VM can
	 * deny memory sharing to the host or other VMs; 0: a quarter. The
	 * host is not limited (it can deny service to VMs anyway). */
	uint32_t max_vm_transactions;
	uint32_t max_vm_ranges;
	/* Records of direct requests the SPMC holds preempted (answered
	 * FFA_INTERRUPT or FFA_YIELD), which their caller alone may resume
	 * with FFA_RUN: max_preempted per endpoint (at most 1024), an
	 * endpoint's own first, then any free one, so that none goes
	 * unrecorded while max_endpoints x max_preempted is at least the
	 * partitions' execution contexts plus the CPUs (a vCPU is in one
	 * request at a time). With every slot taken the caller still gets
	 * the FFA_INTERRUPT, logged, but nobody can resume that one. 0:
	 * FFA_RUN is not relayed (NOT_SUPPORTED). */
	uint32_t max_preempted;
	/* The proxy's own RX/TX pair: mapped at the SPMC once, on first use. */
	struct {
		void *tx, *rx;     /* as the proxy addresses them */
		uint64_t tx_pa, rx_pa; /* as the SPMC sees them */
		uint32_t pages;    /* 4 KiB pages each */
	} buffers;
	/* Copied by ffp_init (at most 0x8000 entries): the table need not
	 * outlive it. */
	const struct ffp_partition_uuid *uuids;
	uint32_t uuid_count;
	/* The embedder's hypervisor sends the VM availability messages
	 * (VM_CREATED, VM_DESTROYED) itself: the proxy sends none. */
	bool vm_availability_by_embedder;
	/* vCPUs of an endpoint's notification bitmap, unless
	 * ffp_endpoint_set_vcpus says otherwise (0: 1). */
	uint16_t notification_vcpus;
	/* The notification pending interrupt (NPI) the embedder injects
	 * into a VM that has notifications pending: FFA_FEATURES(NPI)
	 * answers npi_intid (below 1020) to VMs when npi_offered; otherwise
	 * NOT_SUPPORTED. Linux leaves notifications off in a guest that
	 * has neither the SRI nor the NPI (ffa_notifications_setup). The
	 * embedder learns which VMs (and vCPUs) have some from the
	 * platform's notification_pending, which the proxy calls with the
	 * VMs' lists of the SPMC's FFA_NOTIFICATION_INFO_GET replies to the
	 * host, the host getting the rest (docs/discovery.md,
	 * "Notifications"); without that operation the host gets them all
	 * and a Linux host drops the VMs' ids. */
	bool npi_offered;
	uint32_t npi_intid;
	/* A partition's indirect message to the host that a partition info
	 * query finds in the proxy's RX (its discovery answered BUSY) is
	 * kept in private memory for the host's next NOTIFICATION_GET: one
	 * message, buffers.pages pages of instance memory. Set: no such
	 * memory, the message is dropped (logged) instead. */
	bool no_msg2_hold;
};

/* Defaults: version 1.2, translate, 4 KiB granule, 16 endpoints, buffers
 * of up to 16 pages, 64 KiB descriptors, 1024 transactions holding up to
 * 16384 ranges, 16 preempted requests per endpoint (about 477 KiB of
 * instance memory: `make size`). No buffers: set cfg.buffers (tx and rx
 * non-NULL and 8-byte aligned, pages 1..63, tx_pa and rx_pa 4 KiB
 * aligned) before sizing, or ffp_instance_size returns 0. */
void ffp_config_default(struct ffp_config *cfg);

/* Bytes of instance memory the configuration needs (0 if invalid). */
size_t ffp_instance_size(const struct ffp_config *cfg);

/*
 * Build a proxy in `mem` (16-byte aligned, ffp_instance_size() bytes) and
 * negotiate with the SPMC: SMCCC_VERSION, then FFA_VERSION. Returns NULL
 * for an invalid configuration, the proxy's TX and RX (cfg.buffers)
 * overlapping or wrapping as the proxy or the SPMC addresses them, `mem`
 * NULL or not 16-byte aligned, `size` below ffp_instance_size(), `cfg`,
 * its uuids table (zeroed before they are copied), `plat` (kept by
 * reference) or the proxy's TX or RX inside `mem`, or a required
 * platform operation missing
 * (platform.h); an SPMC that cannot serve FF-A gives a proxy that
 * answers NOT_SUPPORTED to every FF-A call. The host (id 0) exists from
 * the start. `cfg` is copied; `plat` and `ctx` must outlive
 * the proxy, and `plat`'s operations must not change meanwhile (which
 * optional ones exist is read when an endpoint's version is locked:
 * smc_x0_x7 made NULL afterwards would be called).
 */
struct ffp *ffp_init(void *mem, size_t size, const struct ffp_config *cfg,
		     const struct ffp_platform *plat, void *ctx);

/*
 * Handle a trapped SMC/HVC from endpoint `ep`. Returns false, leaving
 * `regs` untouched, when x0 is not an FF-A function id (0x60..0xEF of the
 * standard secure service; 0xF0.. are the Errata Management ABI's). The
 * id is W0, as SMCCC has it and EL3 reads it: x0[63:32] and SMCCC 1.3's
 * SVE hint (bit 16) are ignored, so nothing EL3 would serve as FF-A is
 * left to an embedder that forwards what is not claimed. Otherwise writes
 * the results into `regs`: x0..x7 always (registers the call does not
 * define are zero, SMC32 results zero-extended); x8..x17 only for SMC64
 * calls between parties at FF-A 1.2 (zero where undefined), and otherwise
 * left as they were, as SMCCC requires. An endpoint that was never added (or an id at or above
 * max_endpoints) gets NOT_SUPPORTED for every FF-A call, and FFA_VERSION
 * the bare w0 = NOT_SUPPORTED.
 */
bool ffp_handle(struct ffp *p, uint16_t ep, struct ffa_regs *regs);
/* `regs` is the embedder's private copy of the trapped vCPU's registers
 * (saved at EL2, not in memory the caller or another CPU can write while
 * the call runs): the proxy may check a register and then forward it from
 * there. Buffers in caller memory are a different matter: those are
 * copied once into private memory before anything is checked. */

/* Endpoints. Returns 0 or a negative FF-A status. Removing an endpoint
 * aborts its memory transactions still awaiting fragments (pages given
 * back), reclaims its complete ones (those a partition still holds become
 * orphans, see ffp_transaction_info), returns its buffers to it, resumes
 * each of its preempted direct requests once with FFA_RUN (first, the
 * response dropped: a partition's vCPU left in one would answer every
 * later request BUSY), keeps those still preempted as the proxy's own
 * (ffp_endpoint_info's preempted_orphans; resumed the same way by
 * ffp_vm_destroyed_retry and the next ffp_endpoint_add of any id, never
 * by a new endpoint under the id) and clears its state. Remove a VM once
 * its vCPUs are stopped: while one of its calls is still in the proxy
 * (using its buffers, a reclaim or an FFA_RUN at the SPMC) the answer is
 * FFA_BUSY and nothing changes. */
int ffp_endpoint_add(struct ffp *p, uint16_t id);
int ffp_endpoint_remove(struct ffp *p, uint16_t id);

/*
 * A new kernel or boot stage of the host (id 0) on the same proxy: U-Boot
 * or EDK2 then Linux, a kexec, a reboot of the host alone. Call it once
 * the old one's vCPUs are stopped and before the new one runs. The old
 * host's state is torn down as ffp_endpoint_remove tears down a VM's
 * (pending fragments aborted, complete transactions reclaimed or kept as
 * orphans of id 0, buffers returned, preempted requests resumed once and
 * kept as the proxy's if still preempted, its notification bitmap
 * destroyed), a partition message kept for it (ffp_info's msg2_held) is
 * dropped and no INFO_GET listing is owed any more; then the host is as
 * at ffp_init: version not locked (negotiated afresh; under strict only
 * at the version in use with the SPMC once any endpoint locked it), no
 * buffers, no bitmap, the default vCPU count. It is present throughout
 * for the embedder (ffp_endpoint_info) and never announced to
 * partitions; while the reset runs, a call of the host is refused as a
 * removed caller's (NOT_SUPPORTED), one of the old kernel's still in the
 * proxy included. The proxy's own RX/TX pair stays
 * mapped at the SPMC, and what the SPMC holds for id 0 there (a message,
 * RX buffer full) stays for the new kernel. Returns 0; FFA_BUSY while a
 * call of the host is still in the proxy (its buffers in use, a reclaim,
 * an FFA_RUN or a notification call at the SPMC), or another reset or
 * ffp_vm_destroyed_retry works on the host: nothing changes; or
 * FFA_DENIED: done, but the SPMC refused to destroy the old bitmap
 * (logged; ffp_endpoint_info's notif_destroy_pending): the new host's
 * FFA_NOTIFICATION_BIND/UNBIND answer BUSY until ffp_vm_destroyed_retry
 * (which counts it) destroys it.
 */
int ffp_host_reset(struct ffp *p);

/*
 * FF-A notifications (1.1+, over a 1.1+ SPMC). The proxy is the
 * endpoints' hypervisor: it creates an endpoint's notification bitmap at
 * the SPMC (FFA_NOTIFICATION_BITMAP_CREATE, `vcpus` vCPUs) at its first
 * FFA_NOTIFICATION_BIND or _UNBIND, and destroys it at ffp_endpoint_remove
 * (draining notifications still pending, which the SPMC would refuse the
 * destruction for). A bitmap the SPMC still will not destroy is pending
 * (ffp_endpoint_info's notif_destroy_pending): ffp_endpoint_add answers
 * BUSY for the id until a retry (there, or ffp_vm_destroyed_retry)
 * destroys it, so that a new endpoint never inherits the bindings or
 * pending notifications of the id's previous one.
 * ffp_endpoint_set_vcpus: the endpoint's vCPU count (1..0xffff; default
 * cfg.notification_vcpus), before its bitmap exists (else DENIED; also
 * while the SPMC may hold one a create answered outside the protocol
 * left, which the endpoint's next create takes or its removal destroys).
 */
int ffp_endpoint_set_vcpus(struct ffp *p, uint16_t id, uint16_t vcpus);

/*
 * Indirect messages of a VM (FFA_MSG_SEND2, 1.1+ over a 1.1+ SPMC). The
 * SPMC reads and writes a receiver's RX/TX pair itself, so the proxy
 * gives it, for each VM that should have messages, a bounce pair: memory
 * the embedder sets aside, which the VM cannot reach and the SPMC can
 * address, as cfg.buffers (tx and rx as the proxy addresses them, tx_pa
 * and rx_pa 4 KiB aligned as the SPMC sees them, 1..63 pages each, not
 * overlapping). ffp_endpoint_set_msg_buffers maps the pair at the SPMC
 * under the VM's id at once (a forwarded FFA_RXTX_MAP, the endpoint RX/TX
 * descriptor in the proxy's TX), so that partitions can send to the VM
 * before it sends anything. Every byte between a VM's own buffers and
 * the bounce pair is copied by the proxy, checked and laid out for the
 * other side's version, as for the host. Returns 0, INVALID_PARAMETERS
 * (the host, an absent id, bad buffers, or buffers sharing a byte with
 * cfg.buffers, the proxy's instance memory or another id's bounce pair
 * the SPMC may hold), DENIED (a pair is set already), NOT_SUPPORTED (an
 * SPMC below 1.1), BUSY (a notification call of the VM's is in the proxy:
 * retry), or the SPMC's refusal (ABORTED for a reply neither success
 * nor an error frame with an FF-A status: the map is undone with an unmap,
 * and if the SPMC refuses that too, it stays pending and the next call
 * retries it first, BUSY while refused). The pair is
 * the proxy's until the VM's removal unmaps it; an unmap the SPMC refuses
 * stays pending (ffp_endpoint_info's msg_unmap_pending), the pair's memory
 * still the SPMC's, and the id is not given to a new endpoint
 * (ffp_endpoint_add answers BUSY) until a retry there or at
 * ffp_vm_destroyed_retry (which counts it) unmaps it. A VM
 * without a bounce pair has no MSG_SEND2 (NOT_SUPPORTED).
 */
struct ffp_msg_buffers {
	void *tx, *rx;
	uint64_t tx_pa, rx_pa;
	uint32_t pages;
};
int ffp_endpoint_set_msg_buffers(struct ffp *p, uint16_t id,
				 const struct ffp_msg_buffers *bufs);

/*
 * VM availability messages (FF-A 1.1+ framework messages), unless
 * cfg.vm_availability_by_embedder, over an SPMC at 1.1 or later; never
 * for the host. The partitions subscribed (properties bits 6 and 7) are
 * learned from one FFA_PARTITION_INFO_GET at the first ffp_endpoint_add
 * of a VM (at most FFP_MAX_SUBSCRIBERS of them; more: NO_MEMORY).
 *
 * ffp_endpoint_add(id >= 1) tells each partition subscribed to VM_CREATED,
 * in partition-info order, and makes the VM present only when all said
 * success. Otherwise it returns that partition's status (RETRY,
 * INTERRUPTED, BUSY: try again later; DENIED, INVALID_PARAMETERS: the
 * partition refuses; ABORTED: the SPMC's reply broke the protocol, or
 * the VM_CREATED was preempted and the host's FFA_RUN for cycles ended
 * it, its response dropped, with another request in that vCPU by the
 * time the preemption was recorded: its outcome unknown, that partition
 * counts as told), after sending VM_DESTROYED to the partitions already
 * told that subscribed to it (one it stays pending for, as after a
 * removal, makes the next add of the id retry it first, BUSY while it
 * remains): nothing else changes.
 *
 * ffp_endpoint_remove(id >= 1) makes the VM absent for callers, sends
 * VM_DESTROYED to each partition subscribed to it, then tears the VM's
 * state down (as Xen does, so that a partition letting go of the VM's
 * memory when told leaves no orphan), and returns 0 whatever they
 * answer. A RETRY, INTERRUPTED or BUSY answer leaves that (VM, partition)
 * pair pending (ffp_endpoint_info's vm_destroyed_pending); any other
 * failure is logged and dropped. While pairs of an id are pending, the id is not
 * given to a new VM: ffp_endpoint_add first retries them and answers
 * BUSY if some remain. Every call sends each message at most once; no
 * answer is retried in a loop (INTERRUPTED wants the normal world to run
 * its interrupt handler first). A message the SPMC answers FFA_INTERRUPT
 * or FFA_YIELD is preempted, not over: the partition's vCPU stays in it
 * (a new request to it gets BUSY), so the proxy, its sender, resumes it
 * with FFA_RUN at the next retry or add of the id (INTERRUPTED until an
 * FFA_RUN ends it; counted in vm_destroyed_pending meanwhile). A
 * VM_CREATED so ended after its add failed is followed by VM_DESTROYED.
 */
#define FFP_MAX_SUBSCRIBERS 32u
/* Resume once each preempted request of a removed VM (preempted_orphans,
 * with FFA_RUN, the response dropped), then send every pending
 * VM_DESTROYED once more (say, from a timer or after an interrupt was
 * handled; also with vm_availability_by_embedder), and retry every
 * pending notification bitmap destruction and every removed VM's pending
 * bounce pair unmap. Returns how many (VM, partition) pairs remain
 * pending plus how many of those requests remain preempted plus how many
 * bitmaps and bounce pairs remain. A multi-vCPU
 * partition's vCPU is run only from its own physical CPU (TF-A's EL3
 * SPMC and Hafnium refuse others, INVALID_PARAMETERS): call it on each
 * CPU. The count can stay non-zero for good when the secure side never
 * lets a request end (a partition yielding each time it runs, a vCPU the
 * SPMC refuses to run, a vCPU id that does not exist): retry with a
 * back-off, not in a loop. Orphans the VM left may be reclaimable
 * afterwards (ffp_orphans_reclaim). */
uint32_t ffp_vm_destroyed_retry(struct ffp *p);

/* Read-only views for embedders, debuggers and tests. ffp_endpoint_info
 * and ffp_transaction_info take FFP_LOCK_STATE (a consistent view while
 * other CPUs make calls): not from the log hook, which may run with it
 * held. A NULL `out` is refused (INVALID_PARAMETERS; ffp_info does
 * nothing). */
struct ffp_endpoint_info {
	bool present;
	bool version_set;     /* FFA_VERSION seen (or implied) */
	bool version_locked;  /* first other FF-A call made */
	uint32_t version;     /* version the endpoint is served at */
	bool buffers_mapped;
	uint64_t tx_pa, rx_pa;
	uint32_t buffer_pages;
	bool rx_held;         /* the caller owns its RX (until RX_RELEASE) */
	/* Partitions still to be told VM_DESTROYED of the VM this id had,
	 * or with a message of the id preempted (the id is not present
	 * then; see ffp_vm_destroyed_retry). */
	uint32_t vm_destroyed_pending;
	/* Direct requests of the VM this id had that the SPMC still holds
	 * preempted (the id's removal could not end them): the proxy
	 * resumes them at ffp_vm_destroyed_retry and the next add of any id. */
	uint32_t preempted_orphans;
	/* Its notification bitmap exists at the SPMC; the bitmap of the
	 * id's previous endpoint still does (not present then). */
	bool notif_bitmap;
	bool notif_destroy_pending;
	/* Its bounce pair is mapped at the SPMC; the id's previous
	 * endpoint's pair still is (not present then): the SPMC refused
	 * the unmap. */
	bool msg_buffers;
	bool msg_unmap_pending;
};
int ffp_endpoint_info(const struct ffp *p, uint16_t id,
		      struct ffp_endpoint_info *out);

struct ffp_info {
	bool ffa_enabled;       /* SPMC negotiation succeeded */
	bool regs_x8_x17;       /* SMCCC 1.2: x8..x17 carried */
	uint32_t smccc_version; /* as the firmware reported it */
	uint32_t spmc_version;  /* version in use with the SPMC */
	uint32_t spmc_reported; /* what the SPMC answered to FFA_VERSION */
	bool spmc_buffers_mapped;
	/* A partition's indirect message kept for the host's next
	 * NOTIFICATION_GET (cfg.no_msg2_hold unset), not delivered yet. */
	bool msg2_held;
	/* The host is owed an FFA_NOTIFICATION_INFO_GET listing of id 0 for
	 * the message kept last (delivered or not), which its next INFO_GET
	 * gives (with a list, or more pending when no id slot is left). */
	bool msg2_owed;
	/* Late marks (docs/discovery.md, FFA_RUN): requests of a caller's,
	 * or VM availability messages of the proxy's, that the host's
	 * FFA_RUN for cycles ended before their preemption was recorded,
	 * whose records are still to come. `late_marks`: as the proxy
	 * counts them (with its notes of the runs for cycles out and of the
	 * records made meanwhile, none between calls); `late_marks_found`:
	 * those in its table naming a partition's vCPU and an endpoint (or
	 * the proxy's VM availability messages, one per vCPU); of them,
	 * `late_marks_workers` the proxy's own (dropped once no work that
	 * may read them is in progress). Diagnostics: read without a lock. */
	uint32_t late_marks, late_marks_found, late_marks_workers;
};
void ffp_info(const struct ffp *p, struct ffp_info *out);

/*
 * Memory transactions the proxy holds (started by an endpoint, not yet
 * reclaimed). A donation is forgotten once complete: its pages left the
 * normal world. An orphan is one whose pages stay taken because its owner
 * was removed while a partition still held it, or because the SPMC's
 * state could not be confirmed; the log hook reported it.
 */
struct ffp_transaction_info {
	uint64_t handle;
	bool handle_valid; /* false: the SPMC never gave a usable handle */
	uint16_t owner;
	uint32_t func;     /* FFA_FN_MEM_SHARE, _LEND or _DONATE */
	bool sending;      /* fragments still expected from the owner */
	bool orphan;
	uint32_t range_count; /* ranges recorded (and taken) so far */
	uint64_t pages;       /* 4 KiB pages in them */
};
/* The index-th transaction (in no particular order); INVALID_PARAMETERS
 * past the last. */
int ffp_transaction_info(struct ffp *p, uint32_t index,
			 struct ffp_transaction_info *out);
/* The same list by cursor: the first transaction at or after *cursor
 * (start at 0), then *cursor names the place after it; INVALID_PARAMETERS
 * when none is left (out zeroed, *cursor unchanged). A whole listing costs
 * one pass over the table (max_transactions), where asking by index costs
 * one per call; each call holds STATE only while it looks. Transactions
 * that start or end during a listing may or may not be seen. */
int ffp_transaction_next(struct ffp *p, uint32_t *cursor,
			 struct ffp_transaction_info *out);
/* Retry reclaiming every orphan at the SPMC (say, after its partitions
 * relinquished); pages of those reclaimed go back to their owner id.
 * Returns how many orphans remain. Do not give a removed endpoint's id to
 * a new one while orphans of it remain (ffp_transaction_info) unless
 * page_transition keeps the dead VM's pages apart from the new VM's. */
uint32_t ffp_orphans_reclaim(struct ffp *p);

/* The dispatch table, for documentation and tools: what the proxy does
 * with each function number 0x60..0xEF. */
enum ffp_handling {
	FFP_REFUSED,    /* NOT_SUPPORTED, nothing reaches the SPMC */
	FFP_EMULATED,   /* answered by the proxy itself */
	FFP_FORWARDED,  /* registers checked and passed to the SPMC */
	FFP_TRANSLATED, /* buffers copied, checked, converted per version */
};
struct ffp_call_desc {
	const char *name;    /* spec name without _32/_64, NULL if reserved */
	uint32_t since;      /* first FF-A version that defines it */
	uint8_t widths;      /* bit0: SMC32 accepted, bit1: SMC64 accepted */
	enum ffp_handling handling;
	const char *note;    /* why, for refusals and special cases */
};
const struct ffp_call_desc *ffp_call_desc(uint32_t fn);
const char *ffp_handling_name(enum ffp_handling h);
const char *ffp_policy_name(enum ffp_policy policy);

#endif /* FFAPROXY_PROXY_H */
