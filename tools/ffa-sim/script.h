/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * Scenario files as data: the parser turns lines into commands (checking
 * every argument), the runner executes them against a simulated world.
 * The language is described in docs/ffa-sim.md.
 */
#ifndef FFASIM_SCRIPT_H
#define FFASIM_SCRIPT_H

#include <stdio.h>

#include <ffaproxy/ffa.h>

#define SIM_NAME_MAX 32

enum sim_cmd_kind {
	/* configuration: before the first action */
	CMD_SPMC_VERSION,
	CMD_SPMC_SMCCC,
	CMD_SPMC_ABSENT,
	CMD_SPMC_STALE_PAIR,
	CMD_SPMC_NEWER_VERSION,
	CMD_SPMC_FAILED_INFO_GET,
	CMD_SPMC_CHECK_CONSTITUENTS,
	CMD_SPMC_IDLE_RUN, /* sub 0 cycles, 1 denied */
	CMD_SPMC_PARTITION,
	CMD_PROXY_VERSION,
	CMD_PROXY_POLICY,
	CMD_PROXY_GRANULE,
	CMD_PROXY_UUID,
	CMD_PROXY_BUFFERS,
	CMD_PROXY_LIMIT,
	CMD_PROXY_VM_AVAILABILITY,
	CMD_PROXY_MSG2_HOLD, /* sub 1: cfg.no_msg2_hold */
	CMD_PROXY_NPI, /* v[0] the interrupt id */
	CMD_PROXY_NOTIF_VCPUS, /* v[0] cfg.notification_vcpus */
	CMD_PLATFORM_NOTIF_PENDING, /* sub 1: offer notification_pending */
	CMD_HOST_RAM,
	/* actions */
	CMD_CALL,
	CMD_WRITE,
	CMD_SAVE,
	CMD_VM,
	CMD_DESTROY_VM,
	CMD_RESET_HOST,      /* v[0] expected status (0: success) */
	CMD_FAULT,
	CMD_NESTED,
	CMD_DESC,
	CMD_SP_RETRIEVE,
	CMD_SP_RELINQUISH,
	CMD_SPMC_MISBEHAVE,
	CMD_SPMC_PREEMPT,
	CMD_SPMC_CYCLES,
	CMD_COPY,
	CMD_SNAPSHOT,
	CMD_RECLAIM_ORPHANS,
	CMD_SP_ANSWER,
	CMD_RETRY_VM_DESTROYED,
	CMD_SP_NOTIFY,       /* sub 0 bind, 1 set, 2 get: v[] see parse.c */
	CMD_SPMC_NOTIFY,     /* ep the VM, v[0] framework bits */
	CMD_SP_MSG_SEND2,    /* ep the sender, v[0] receiver, v[1] size,
			      * v[2] expected status; header misbehaviour:
			      * v[3] offset, v[4] claim (size field), v[5]
			      * hdr-sender, v[6] hdr-receiver, v[7] flags,
			      * sub SPMC_MSG2_SET_* of those given; uuid */
	CMD_SP_MSG_RELEASE,  /* ep the partition */
	CMD_SPMC_NOTIF_FAIL, /* v[0] function, v[1] status (0 garbled), v[2] n */
	CMD_SPMC_LACKS,      /* v[0] function */
	CMD_VCPUS,           /* ep, v[0] count, v[1] expected status */
	CMD_MSG_BUFFERS,     /* ep, v[0] tx_pa, v[1] rx_pa, v[2] pages,
			      * v[3] expected status */
	/* expectations (actions too) */
	CMD_EXPECT_REGS,
	CMD_EXPECT_NESTED,
	CMD_EXPECT_MEM,
	CMD_EXPECT_PAGE,
	CMD_EXPECT_SPMC_CALLS,
	CMD_EXPECT_SPMC_VERSION,
	CMD_EXPECT_LOG,
	CMD_EXPECT_NO_LOG,
	CMD_EXPECT_VERSION,
	CMD_EXPECT_FFA,
	CMD_EXPECT_SPMC_TRANSACTIONS,
	CMD_EXPECT_PROXY_TRANSACTIONS,
	CMD_EXPECT_PROXY_ORPHANS,
	CMD_EXPECT_UNCHANGED,
	CMD_EXPECT_SP_MESSAGES,
	CMD_EXPECT_VM_DESTROYED_PENDING,
	CMD_EXPECT_PREEMPTED_ORPHANS,
	/* ep the VM; sub 0: no bitmap, else bit0 vcpus=v[0], bit1 bound=v[1],
	 * bit2 pending=v[2] (global), bit3 spm=v[3], bit4 vcpu-pending
	 * v[4]:v[5] */
	CMD_EXPECT_SPMC_NOTIF,
	/* ep; sub 0 none, 1 bitmap, 2 pending; msg-buffers: 3 none, 4
	 * mapped, 5 pending (unmap) */
	CMD_EXPECT_ENDPOINT_NOTIF,
	/* ep the VM; sub 0 none (no pair at the SPMC), 1 empty, 2 full;
	 * bit 4: count=v[0] (messages delivered into it) */
	CMD_EXPECT_SPMC_MBOX,
	/* ep the partition; sub 0: mailbox empty, else bit0 from=v[0],
	 * bit1 size=v[1], bit2 uuid, bit3 data (bytes), bit4 count=v[2],
	 * bit5 sum=v[3] */
	CMD_EXPECT_SP_MSG,
	/* notification_pending calls since the last call: sub 0 none, 1
	 * calls=v[0], 2 a call for VM ep with the nv vCPU ids v[0..nv) (nv 0:
	 * global) */
	CMD_EXPECT_NPI,
	/* v[0]: SMCs the SPMC model received since the last call began */
	CMD_EXPECT_SMCS,
	CMD_KIND_COUNT
};

/* A number, or a $name saved earlier (resolved when the command runs). */
struct sim_val {
	uint64_t num;
	char var[SIM_NAME_MAX]; /* "" for a literal */
};

/* One register comparison: xN (64 bits) or wN (low 32 bits). */
struct sim_regcheck {
	uint8_t reg;
	bool w;
	struct sim_val v;
};

/* A memory transaction descriptor to build (CMD_DESC). */
#define SIM_DESC_MAX_RECEIVERS 8
struct sim_desc {
	uint32_t type;    /* FFA_MEM_TXN_SHARE, _LEND, _DONATE */
	uint32_t version; /* layout: 1.0, 1.1 or 1.2 */
	uint16_t sender;
	uint16_t attributes;
	uint32_t flags;
	uint64_t tag;
	struct sim_val handle;
	struct {
		uint16_t id;
		uint8_t perms, flags;
	} recv[SIM_DESC_MAX_RECEIVERS];
	unsigned nrecv;
	bool has_total_pages; /* override the composite's total page count */
	uint32_t total_pages;
	struct {
		uint64_t base;
		uint32_t pages;
	} *ranges;
	uint32_t nranges;
	char len_var[SIM_NAME_MAX]; /* receives the descriptor's length */
};

/* `sub` for CMD_PROXY_LIMIT */
enum sim_limit {
	LIMIT_ENDPOINTS,
	LIMIT_BUFFER_PAGES,
	LIMIT_DESCRIPTOR_SIZE,
	LIMIT_TRANSACTIONS,
	LIMIT_RANGES,
	LIMIT_VM_TRANSACTIONS,
	LIMIT_VM_RANGES,
	LIMIT_PREEMPTED,
};

/* `sub` for CMD_SPMC_MISBEHAVE */
enum sim_misbehave {
	MISBEHAVE_NONE, /* all knobs off */
	MISBEHAVE_GARBAGE_REGS,
	MISBEHAVE_INFO_COUNT,
	MISBEHAVE_BOGUS_HANDLE,
	MISBEHAVE_FRAG_RX_OFFSET,
	MISBEHAVE_REPLY, /* v[0] function, v[1] mask; `count` the register */
};

/* `sub` for CMD_EXPECT_VERSION */
enum sim_lock_check { LOCK_ANY, LOCK_LOCKED, LOCK_UNLOCKED };

struct sim_cmd {
	enum sim_cmd_kind kind;
	unsigned line;
	uint16_t ep;  /* ep=, or the id of vm/destroy/partition/uuid */
	bool has_ep;
	/* Numeric arguments, per command:
	 *   call/nested: v[0] function id, v[1..17] x1..x17 (nv = 1 + given)
	 *   nested: plus `count` = n
	 *   host ram, vm: v[0] base, v[1] size; write/expect mem/page: v[0] addr,
	 *   page: v[1] count; fault: v[0] k, v[1] status; spmc calls: v[0]
	 *   function, v[1] count; versions, granule, limits: v[0]; partition:
	 *   v[0] ctx, v[1] props; spmc preempt: ep the partition, v[0] n,
	 *   v[1] again, v[2] vcpu, sub 1 for yield; vm: v[2] the expected
	 *   status when sub is 1; sp answer: sub the answer, v[0] status,
	 *   v[1] count; expect sp messages: v[i] type << 16 | vm, nv entries */
	struct sim_val v[FFA_NREGS];
	unsigned nv;
	uint32_t count; /* nested: n-th next SMC */
	struct sim_regcheck checks[2 * FFA_NREGS];
	unsigned nchecks;
	uint8_t *bytes; /* write / expect mem */
	size_t nbytes;
	uint8_t uuid[16];
	int sub;      /* policy, page state, fault op, save register, limit,
		       * lock check, enabled */
	char name[SIM_NAME_MAX]; /* save */
	char *text;   /* expect log */
	struct sim_desc *desc;
};

struct sim_script {
	const char *path;
	struct sim_cmd *cmds;
	unsigned count, cap;
	/* --per-range-transitions: a platform without page_transition_ranges */
	bool per_range_transitions;
	/* --no-smc-x0-x7: a platform without smc_x0_x7 */
	bool no_smc_x0_x7;
	/* --spmc-check-constituents-last: the SPMC model's default becomes
	 * SPMC_CHECK_LAST (a scenario's own line still wins) */
	bool spmc_check_last;
};

/* Parse a whole file. Every malformed line is reported on `err` as
 * "path:line: message"; returns the number of errors (0: runnable). */
unsigned sim_parse_file(const char *path, struct sim_script *out, FILE *err);
void sim_script_free(struct sim_script *s);

/* Page state names as scenarios spell them; -1 if unknown. */
int sim_page_state(const char *name);

/* Runs a parsed script against a fresh world, printing the trace on
 * `out`. Returns the number of failed expectations (and errors). */
unsigned sim_run(const struct sim_script *s, FILE *out, unsigned *expectations);

#endif /* FFASIM_SCRIPT_H */
