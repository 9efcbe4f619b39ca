/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * A model of an SPMC (plus the bit of EL3 firmware that answers SMCCC),
 * as seen from the normal world. It behaves strictly as its configured FF-A
 * version: it refuses what that version lacks and parses buffers only in
 * the layout of the version negotiated with the normal world, so a
 * translation bug in the proxy fails loudly.
 *
 * Freestanding: no allocation, no libc; it will also run at EL3 on an
 * emulated Arm machine. Normal-world memory is reached through `mem`.
 */
#ifndef FFAPROXY_SIM_SPMC_H
#define FFAPROXY_SIM_SPMC_H

#include <ffaproxy/ffa.h>

#define SPMC_MAX_PARTITIONS 16
#define SPMC_ID 0x8000u /* FFA_SPM_ID_GET answer */
/* spmc.lacks_unknown bits */
#define SPMC_LACKS_CALL_UNKNOWN 1u
#define SPMC_LACKS_FEATURES_UNKNOWN 2u

/* Preemption of a partition's direct requests (spmc_preempt): a request
 * answered FFA_INTERRUPT or FFA_YIELD stays pending, new requests to the
 * partition get BUSY (as Hafnium answers for a preempted vCPU), and
 * FFA_RUN naming its vCPU resumes it. */
struct spmc_preempt {
	uint32_t next;     /* preempt the next `next` direct requests */
	bool yield;        /* with FFA_YIELD instead of FFA_INTERRUPT */
	uint32_t again;    /* FFA_RUNs preempted again before the response */
	uint16_t vcpu;     /* the vCPU id w1[15:0] names */
	bool pending;      /* a request is preempted */
	uint32_t again_left;
	struct ffa_regs req; /* it, as received */
};

/* How a partition answers an FFA_RUN giving it cycles (spmc_cycles). */
enum spmc_cycles_answer {
	SPMC_CYCLES_MSG_WAIT,  /* runs, goes idle: FFA_MSG_WAIT, w1..w7 0 */
	/* runs, preempted: FFA_INTERRUPT (FFA_YIELD, w2/w3 a timeout of
	 * 0x10/0x20) naming the vCPU, which is then in no request and not
	 * waiting: a direct request gets BUSY (Hafnium takes one only on a
	 * waiting vCPU), the next FFA_RUN of it resumes it */
	SPMC_CYCLES_INTERRUPT,
	SPMC_CYCLES_YIELD,
	SPMC_CYCLES_BUSY,      /* the vCPU runs on another CPU (Hafnium) */
	SPMC_CYCLES_ABORTED,   /* the partition aborted (Hafnium) */
	/* FFA_MSG_WAIT with the partition's own w1..w7 (TF-A's EL3 SPMC
	 * forwards the partition's registers of its FFA_MSG_WAIT) */
	SPMC_CYCLES_DIRTY,
};

/* How a partition answers framework messages (VM availability). */
enum spmc_fw_answer {
	SPMC_FW_OK,            /* the framework response, status 0 */
	SPMC_FW_STATUS,        /* the framework response, w3 = fw_status */
	SPMC_FW_ERROR,         /* FFA_ERROR, w2 = fw_status */
	/* FFA_INTERRUPT: preempted, the vCPU in the request (new requests
	 * BUSY) until an FFA_RUN brings it to an end (the next answer). */
	SPMC_FW_INTERRUPT,
	/* Misbehaviour: a response naming another pair, a plain (not
	 * framework) response, a framework response with a status FF-A does
	 * not define. */
	SPMC_FW_WRONG_PAIR,
	SPMC_FW_NOT_FRAMEWORK,
	SPMC_FW_GARBLED,
};

#define SPMC_FW_LOG 64
/* FFA_MSG_PAYLOAD_MAX: Hafnium's mailbox, one 4 KiB page (header and
 * payload). */
#define SPMC_MSG_MAX 4096u
#define SPMC_MSG_KEEP 64u /* payload bytes a partition's mailbox records */

struct spmc_partition {
	uint16_t id;       /* bit 15 set */
	uint8_t uuid[16];  /* descriptor byte order */
	uint16_t exec_ctx; /* execution context count */
	uint32_t props;    /* FFA_PART_PROP_* (bits 6/7: VM availability) */
	struct spmc_preempt preempt;
	/* VM availability messages the partition received, oldest first
	 * (the first SPMC_FW_LOG kept; fw_count counts all). */
	struct {
		uint8_t type; /* FFA_FRAMEWORK_VM_CREATED_REQ, _DESTROYED_REQ */
		uint16_t vm;
		/* as answered at its end (a preempted message is recorded
		 * when an FFA_RUN ends it): 0 delivered, else the status the
		 * proxy should act on (RETRY, ...; ABORTED for a reply
		 * outside the protocol) */
		int32_t result;
	} fw_log[SPMC_FW_LOG];
	uint32_t fw_count;
	/* FFA_RUNs that gave it cycles (no request preempted on the vCPU;
	 * answered FFA_MSG_WAIT). */
	uint32_t cycles;
	/* The answer to the next cycles_left FFA_RUNs giving it cycles
	 * (UINT32_MAX: every one); SPMC_CYCLES_MSG_WAIT after. */
	enum spmc_cycles_answer cycles_answer;
	uint32_t cycles_left;
	/* A run for cycles was preempted on vCPU cycles_vcpu
	 * (SPMC_CYCLES_INTERRUPT, _YIELD) and not resumed yet. */
	bool cycles_preempted;
	uint16_t cycles_vcpu;
	/* The answer to the next fw_left messages (UINT32_MAX: every one);
	 * SPMC_FW_OK after. */
	enum spmc_fw_answer fw_answer;
	int32_t fw_status;
	uint32_t fw_left;
	/* Its RX for indirect messages from the normal world (FFA_MSG_SEND2,
	 * Hafnium's mailbox of a partition): one message, full until the
	 * partition releases it (spmc_sp_msg_release). */
	struct spmc_msg {
		bool full;
		uint16_t sender;
		uint32_t size;        /* payload bytes */
		uint32_t header_size; /* the layout it came in: 20 or 40 */
		uint8_t uuid[16];     /* nil from a 1.1 header */
		uint32_t sum;         /* FNV-1a 32 of the whole payload */
		uint8_t data[SPMC_MSG_KEEP]; /* its first bytes */
	} msg;
	uint32_t msg_count; /* messages received */
};

/*
 * Memory transactions (spmc_mem.c). The model keeps what a transaction
 * needs (its facts and parsed ranges), never the raw descriptor: fixed
 * capacity, ranges of all transactions in one pool, NO_MEMORY when full.
 */
#define SPMC_MAX_TXNS 64
#define SPMC_MAX_RECEIVERS 4
#ifndef SPMC_RANGE_POOL
#define SPMC_RANGE_POOL 16384 /* constituents over all transactions */
#endif

struct spmc_range {
	uint64_t base;  /* 4 KiB aligned */
	uint32_t pages; /* 4 KiB pages, >= 1 */
};

struct spmc_receiver {
	uint16_t id;        /* a partition */
	uint8_t perms;      /* EMAD permissions as sent */
	uint8_t flags;      /* EMAD flags as sent */
	uint8_t impdef[16]; /* 1.2 EMAD IMPDEF value (zero before 1.2) */
	bool retrieved;     /* by spmc_sp_retrieve, not yet relinquished */
};

struct spmc_txn {
	bool used;
	bool complete;      /* every fragment received */
	uint8_t fn;         /* FFA_FN_MEM_SHARE, _LEND or _DONATE */
	uint16_t sender;    /* non-secure id */
	uint16_t attributes;
	uint32_t flags;
	uint64_t handle;
	uint64_t tag;
	uint32_t receiver_count;
	struct spmc_receiver receivers[SPMC_MAX_RECEIVERS];
	uint32_t total_pages;   /* composite total page count */
	uint32_t range_first;   /* index in spmc.ranges */
	uint32_t range_count;   /* composite address range count */
	uint32_t ranges_filled; /* received so far */
	uint32_t total_len;     /* descriptor length (w1) */
	uint32_t received_len;  /* bytes received so far */
	/* SPMC_CHECK_LAST: ranges appended unchecked until the last
	 * fragment; `deferred_bad`: one had its reserved field set. */
	bool deferred, deferred_bad;
	/* A hypervisor's FFA_MEM_RETRIEVE_REQ answered in fragments. */
	uint32_t resp_total, resp_sent;
};

/* Normal-world physical memory as the secure world sees it. */
struct spmc_mem_ops {
	int (*read)(void *ctx, uint64_t pa, void *dst, size_t len);
	int (*write)(void *ctx, uint64_t pa, const void *src, size_t len);
};

/* What FFA_VERSION does when the normal world asks for a newer minor than
 * the model's own; real SPMCs differ (DEN0077A 1.2 13.2.1). */
enum spmc_newer_version {
	/* Answer its own version and serve the normal world at it (OP-TEE
	 * thread_spmc.c spmc_exchange_version). The default. */
	SPMC_NEWER_OWN,
	/* NOT_SUPPORTED: requests must be compatible, minor <= its own
	 * (Hafnium src/api.c api_ffa_version). */
	SPMC_NEWER_REFUSE,
	/* Answer its own version but record nothing; until a compatible
	 * request is recorded, every other FF-A call is NOT_SUPPORTED
	 * (TF-A el3_spmc/spmc_main.c ffa_version_handler and
	 * spmc_smc_handler). */
	SPMC_NEWER_UNRECORDED,
};

/* When the model checks a transaction's constituents (alignment, page
 * counts, overlaps, page sum). */
enum spmc_check_constituents {
	/* As each fragment arrives: a bad one aborts the transaction at
	 * once. The default (the strictest). */
	SPMC_CHECK_EACH,
	/* Only when the last fragment arrives, as TF-A's EL3 SPMC
	 * (spmc_shared_mem.c spmc_ffa_fill_desc) and Hafnium
	 * (ffa_memory_send_complete) do: earlier fragments are appended
	 * and answered FRAG_RX; a failing completion frees the transaction
	 * (TF-A err_bad_desc, Hafnium frees the share state). */
	SPMC_CHECK_LAST,
};

/*
 * Notifications (spmc_notif.c), 1.1+: normal-world bitmaps created and
 * destroyed by the hypervisor (the proxy), per bit the partition bound as
 * sender and whether per-vCPU, pending global and per-vCPU notifications,
 * pending SPM framework ones, and whether INFO_GET reported them.
 */
#define SPMC_NOTIF_BITMAPS 16
#define SPMC_NOTIF_VCPUS 8
#define SPMC_SRI_INTID 8 /* Hafnium's HF_SCHEDULE_RECEIVER_INTID */
struct spmc_ns_bitmap {
	bool used;
	uint16_t id;
	uint16_t vcpus;
	uint64_t bound, per_vcpu; /* bits bound; of those, per-vCPU */
	uint16_t sender[64];      /* the partition each bit is bound to */
	uint64_t pending;         /* global */
	uint64_t pending_vcpu[SPMC_NOTIF_VCPUS];
	uint32_t spm_pending;     /* SPM framework notifications */
	bool reported;            /* listed by INFO_GET since last set */
};
#define SPMC_VM_MBOXES 8
struct spmc_vm_mbox {
	bool used;
	uint16_t id;
	uint64_t tx_pa, rx_pa;
	uint32_t pages;
	/* A partition's message in its RX, not released (RX_RELEASE w1 =
	 * id); RX buffer full pending for the VM (its GET takes it, bitmap
	 * or not: the map made the VM known). */
	bool full;
	uint32_t spm_pending;
	bool reported; /* listed by INFO_GET since RX buffer full was set */
	/* Partition messages delivered into its RX. */
	uint32_t msg_count;
};
/* A partition as receiver of normal-world senders' notifications. */
struct spmc_sp_notif {
	uint64_t bound, per_vcpu;
	uint16_t sender[64];
	uint64_t pending;
	bool reported; /* listed by INFO_GET since last set */
};

struct spmc {
	uint32_t version;       /* the SPMC's own FF-A version */
	enum spmc_newer_version newer_version;
	enum spmc_check_constituents check_constituents;
	/* A constituent of zero pages passes (off after init): TF-A's EL3
	 * SPMC checks a completed descriptor's constituents only for their
	 * page sum and overlaps (spmc_shmem_check_obj,
	 * spmc_shmem_check_state_obj), never each one's page count. */
	bool zero_page_ok;
	/* A refused PARTITION_INFO_GET that is not count-only still hands
	 * the RX buffer to the normal world, which must release it (OP-TEE
	 * thread_spmc.c spmc_handle_partition_info_get: tx_is_mine = false
	 * on every path). Off: only a success does (TF-A, Hafnium). */
	bool info_error_gives_rx;
	/* FFA_RUN of a waiting vCPU (no request preempted on it) from 1.1:
	 * off, the partition runs and answers FFA_MSG_WAIT (cycles, as
	 * Hafnium runs a waiting vCPU); on, DENIED, as an SPMC that runs
	 * partitions only to resume what it preempted. */
	bool idle_run_denied;
	uint32_t smccc_version; /* answered to SMCCC_VERSION (default 1.2) */
	bool ffa_absent;        /* firmware without FF-A: every FF-A call
				 * answers w0 = NOT_SUPPORTED */
	const struct spmc_mem_ops *mem;
	void *mem_ctx;

	/* Negotiation with the normal world (DEN0077A 1.2 13.2.1). Before
	 * any FFA_VERSION the normal world is served at 1.0; the version
	 * locks at the first FF-A call other than FFA_VERSION. */
	bool ns_version_set;
	bool ns_locked;
	uint32_t ns_version; /* version the normal world is served at */

	struct spmc_partition parts[SPMC_MAX_PARTITIONS];
	uint32_t part_count;

	/* The normal world's RX/TX pair, as mapped with FFA_RXTX_MAP. */
	bool rxtx_mapped;
	uint64_t tx_pa, rx_pa;
	uint32_t rxtx_pages;
	bool rx_held_by_ns; /* filled by the SPMC, not yet released */

	/* VMs' RX/TX pairs a hypervisor mapped with a forwarded RXTX_MAP
	 * (the endpoint RX/TX descriptor in the normal world's TX), for
	 * indirect messages to and from VMs (Hafnium's nwd_vms mailboxes). */
	struct spmc_vm_mbox vm_mbox[SPMC_VM_MBOXES];

	/* Calls received, per function number (x0 & 0xff; 0 for SMCCC and
	 * anything not FF-A), for tests and cost reports. */
	uint32_t calls[0x100];
	uint32_t total_calls;

	/* Memory transactions (spmc_mem.c). */
	struct spmc_txn txns[SPMC_MAX_TXNS];
	struct spmc_range ranges[SPMC_RANGE_POOL]; /* packed, per txn slices */
	uint32_t ranges_used;
	uint32_t handle_counter;

	/* Notifications (spmc_notif.c). */
	struct spmc_ns_bitmap notif[SPMC_NOTIF_BITMAPS];
	struct spmc_sp_notif sp_notif[SPMC_MAX_PARTITIONS]; /* as parts[] */
	/* Id 0's SPM framework notifications (RX buffer full), kept apart
	 * from its bitmap as Hafnium keeps them in the other-world VM, which
	 * exists whether or not the hypervisor created id 0's bitmap
	 * (plat_ffa_notifications_bitmap_create of id 0 only sets
	 * notifications.enabled): MSG_SEND2 to id 0 sets RX buffer full
	 * either way (api_ffa_msg_send2: a VM receiver needs no enabled
	 * bitmap), a GET of id 0 takes it either way (api_ffa_notification_get
	 * checks no enabled flag), and a destroy of id 0's bitmap keeps it. */
	uint32_t ns_spm_pending;
	bool ns_spm_reported; /* listed by INFO_GET since last set */
	/* GETs of id 0 that handed out RX buffer full (invariant W10). */
	uint64_t ns_rx_full_taken;
	/* Misbehaviour: the next notif_fail_left calls of function number
	 * notif_fail_fn answer FFA_ERROR notif_fail_status (0: ABORTED's
	 * garbled success, w1 junk) without acting. */
	uint32_t notif_fail_fn, notif_fail_left;
	int32_t notif_fail_status;
	/* Function numbers (x0 & 0xff) the model does not implement, as if
	 * absent from its table: calls and FFA_FEATURES of them answer
	 * NOT_SUPPORTED (e.g. FFA_PARTITION_INFO_GET_REGS at 1.2, which TF-A's
	 * EL3 SPMC and OP-TEE lack). */
	bool lacks[0x100];
	/* How a function in lacks[] is refused (SPMC_LACKS_*): bit set,
	 * SMCCC's unknown function (x0 = -1, all 64 bits, as TF-A's
	 * SMC_RET1(handle, SMC_UNK) of an id its SPMD does not route) instead
	 * of FFA_ERROR(NOT_SUPPORTED); for the call itself, or for
	 * FFA_FEATURES of it. */
	uint8_t lacks_unknown[0x100];

	/* Misbehaviour knobs for testing the proxy; all off after init. */
	bool garbage_regs;   /* SUCCESS_32 replies carry junk in x4..x17 */
	uint32_t info_count_claim; /* nonzero: PARTITION_INFO_GET's w2 claims
				    * this count, whatever it wrote to RX */
	uint64_t bogus_handle; /* nonzero: MEM_SHARE/LEND/DONATE/FRAG_TX
				* replies carry this handle instead */
	int32_t frag_rx_offset_delta; /* added to w3 of FRAG_RX replies */
	uint32_t reply_fn;  /* nonzero: replies to this function number (both
			     * widths) have x[reply_reg] XORed with reply_xor */
	uint32_t reply_reg; /* 0..17 */
	uint64_t reply_xor;
	/* reply_xor hit a framework response or a partition list: the
	 * partitions' fw_log results and subscriptions no longer say what
	 * the proxy saw. */
	bool fw_corrupted;
	/* reply_xor hit a reply to a direct request or FFA_RUN: the proxy
	 * may not have seen a preemption the model holds (invariant W7). */
	bool run_corrupted;
	/* reply_xor or garbage_regs hit a reply to a call that takes or
	 * gives back the normal world's RX (spmc_rx_call): the proxy may
	 * have taken RX buffer full without knowing (invariant W9). */
	bool rx_corrupted;

	/* SMCs that carried a non-zero value in argument bits their function
	 * reserves (spmc_smc's audit; recorded, never refused), and the
	 * first one: its function id, the register and the offending bits.
	 * A relayer builds each request afresh: a caller's reserved bits
	 * reaching the SPMC mean it forwarded what it never checked
	 * (invariant R10). */
	uint32_t reserved_bad;
	uint32_t reserved_fid;
	uint32_t reserved_reg;
	uint64_t reserved_bits;
};

void spmc_init(struct spmc *s, uint32_t version, const struct spmc_mem_ops *mem,
	       void *mem_ctx);
/* The SPMC holds a normal-world RX/TX pair nobody in the simulation
 * mapped (an earlier boot stage's): the next FFA_RXTX_MAP is DENIED
 * until FFA_RXTX_UNMAP. */
void spmc_stale_pair(struct spmc *s);
/* Returns 0, or -1 when the table is full or the id is not secure/unique. */
int spmc_add_partition(struct spmc *s, uint16_t id, const uint8_t uuid[16],
		       uint16_t exec_ctx, uint32_t props);
/* Preempt the next `n` direct requests to partition `id` (FFA_INTERRUPT,
 * or FFA_YIELD with w2/w3 a timeout of 0x10/0x20), naming vCPU `vcpu`;
 * each one then takes `again` + 1 FFA_RUNs to answer. Returns 0, or -1
 * for an unknown partition. */
int spmc_preempt(struct spmc *s, uint16_t id, uint32_t n, bool yield,
		 uint32_t again, uint16_t vcpu);
/* Partition `id` answers the next `n` FFA_RUNs that give it cycles with
 * `a` (UINT32_MAX: every one). Returns 0, or -1 for an unknown
 * partition. */
int spmc_cycles(struct spmc *s, uint16_t id, uint32_t n,
		enum spmc_cycles_answer a);
/* One SMC from the normal world: x0..x17 in, x0..x17 out. */
void spmc_smc(struct spmc *s, struct ffa_regs *regs);

/* Whether the model serves function id `id` to a normal world at
 * `version` (also what FFA_FEATURES reports). */
bool spmc_implements(const struct spmc *s, uint32_t id, uint32_t version);
const struct spmc_partition *spmc_find_partition(const struct spmc *s,
						 uint16_t id);
/* Script partition `id`'s answers to framework messages: -1 if unknown. */
int spmc_fw_answer_set(struct spmc *s, uint16_t id, enum spmc_fw_answer a,
		       int32_t status, uint32_t count);
/* FFA_MSG_SEND2 of partition `sp` to normal-world id `receiver` with
 * `size` payload bytes (spmc.c): 0 or the status Hafnium's SPMC answers. */
int spmc_sp_msg_send2(struct spmc *s, uint16_t sp, uint16_t receiver,
		      uint32_t size);
/* Misbehaviour of spmc_sp_msg_send2_ex: header fields written as given
 * instead of as they should be (flags: bit 0 set the flags word, bits of
 * `set`: SPMC_MSG2_SET_*). */
#define SPMC_MSG2_SET_OFFSET 1u
#define SPMC_MSG2_SET_SIZE 2u
#define SPMC_MSG2_SET_SENDER 4u
#define SPMC_MSG2_SET_RECEIVER 8u
#define SPMC_MSG2_SET_FLAGS 16u
/* Not misbehaviour: the sender is a 1.1 partition, whose header (20
 * bytes, payload right after) Hafnium copies as written whatever the
 * receiver's version (api_ffa_msg_send2_copy_data: the minimum offset is
 * the sender's version's header). */
#define SPMC_MSG2_SENDER_V11 32u
struct spmc_msg2_opts {
	uint8_t uuid[16]; /* written in a 1.2 header */
	uint32_t set;
	uint32_t offset, size, flags;
	uint16_t sender, receiver;
};
int spmc_sp_msg_send2_ex(struct spmc *s, uint16_t sp, uint16_t receiver,
			 uint32_t size, const struct spmc_msg2_opts *o);
/* The partition takes its message: the mailbox is free again. -1 if
 * unknown. */
int spmc_sp_msg_release(struct spmc *s, uint16_t sp);
/* Whether function id `id` takes or gives back the normal world's RX at
 * the SPMC: RX_RELEASE, NOTIFICATION_GET (RX buffer full),
 * PARTITION_INFO_GET. */
static inline bool spmc_rx_call(uint32_t id)
{
	uint32_t fn = ffa_fn(id);

	return ffa_is_ffa_call(id) &&
	       (fn == FFA_FN_RX_RELEASE || fn == FFA_FN_NOTIFICATION_GET ||
		fn == FFA_FN_PARTITION_INFO_GET);
}
/* VM `id`'s pair mapped by a forwarded RXTX_MAP, or NULL. */
struct spmc_vm_mbox *spmc_vm_mbox(struct spmc *s, uint16_t id);
/* Partition properties as `version` defines them. */
uint32_t spmc_props_at(uint32_t props, uint32_t version);

/*
 * Memory management, the SMC side (spmc_smc routes here):
 * FFA_MEM_SHARE/LEND/DONATE (32/64), FFA_MEM_FRAG_TX, FFA_MEM_RECLAIM,
 * FFA_MEM_RETRIEVE_REQ from the hypervisor and FFA_MEM_FRAG_RX.
 */
void spmc_mem_smc(struct spmc *s, const struct ffa_regs *in,
		  struct ffa_regs *out);

/* Partition side, called by the simulator directly: a receiver retrieves
 * (once) and relinquishes. Return 0 or a negative FF-A status. Retrieving
 * a donation completes it: the record is freed (as Hafnium does), so the
 * normal world can no longer reclaim it. */
int spmc_sp_retrieve(struct spmc *s, uint16_t sp_id, uint64_t handle);
int spmc_sp_relinquish(struct spmc *s, uint16_t sp_id, uint64_t handle);
/* The partition relinquishes all it retrieved from VM `vm`: what it does
 * when told VM_DESTROYED of it (and answers success). */
void spmc_sp_release_vm(struct spmc *s, uint16_t sp_id, uint16_t vm);

/* Live transactions, complete or still receiving fragments. */
uint32_t spmc_transaction_count(const struct spmc *s);
/* The transaction with `handle`, or NULL; its ranges are
 * s->ranges[t->range_first .. + t->ranges_filled). */
const struct spmc_txn *spmc_find_transaction(const struct spmc *s,
					     uint64_t handle);

/* The misbehaviour knob (notif_fail_*): true when it answered `out` for
 * function number `fn` (the notification calls, and the forwarded
 * RXTX_MAP/UNMAP of a VM's pair). */
bool spmc_fail_knob(struct spmc *s, uint32_t fn, struct ffa_regs *out);
/* Notifications, the SMC side (BITMAP_CREATE/DESTROY, BIND, UNBIND, SET,
 * GET, INFO_GET from the normal world's hypervisor), and FFA_FEATURES of
 * the feature ids. */
void spmc_notif_smc(struct spmc *s, const struct ffa_regs *in,
		    struct ffa_regs *out);
void spmc_notif_features(struct spmc *s, uint32_t id, struct ffa_regs *out);
/* Partition side: partition `sp` binds (as receiver) `bitmap` to VM
 * sender `vm`; sets `bitmap` for VM receiver `vm` (per-vCPU: at `vcpu`);
 * takes (and clears) what VMs set for it. 0 or a negative FF-A status. */
int spmc_sp_notif_bind(struct spmc *s, uint16_t sp, uint16_t vm,
		       uint64_t bitmap, bool per_vcpu);
int spmc_sp_notif_set(struct spmc *s, uint16_t sp, uint16_t vm,
		      uint64_t bitmap, bool per_vcpu, uint16_t vcpu);
int spmc_sp_notif_get(struct spmc *s, uint16_t sp, uint64_t *bitmap);
/* The SPMC signals framework notification bits `bits` to VM `vm` (id 0:
 * with or without its bitmap, ns_spm_pending). */
int spmc_spm_notif_set(struct spmc *s, uint16_t vm, uint32_t bits);
/* VM `vm`'s bitmap, or NULL. */
const struct spmc_ns_bitmap *spmc_notif_bitmap(const struct spmc *s,
					       uint16_t vm);

/* Helpers shared by spmc.c and spmc_mem.c. */
void spmc_error(struct ffa_regs *out, int32_t code);
void spmc_success32(struct ffa_regs *out, uint32_t w2, uint32_t w3);
int spmc_mem_zero(struct spmc *s, uint64_t pa, uint64_t len);

#endif /* FFAPROXY_SIM_SPMC_H */
