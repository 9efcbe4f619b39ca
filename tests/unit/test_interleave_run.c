/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * test_interleave's method (call A on CPU 0; call B run whole as CPU 1 at
 * each point where A holds no STATE, BUFFERS included; a run where B
 * would wait for a lock A holds is dropped) for FFA_RUN relaying and VM
 * availability messages. Partitions 0x8001 (direct requests go there)
 * and 0x8002 subscribe to VM_CREATED and VM_DESTROYED; the SPMC preempts
 * vCPU 0. Worlds: a request of VM 1 preempted (FFA_INTERRUPT; or
 * FFA_YIELD, its first FFA_RUN preempted again) or of the host; VM 2's
 * VM_DESTROYED preempted at a partition, or pending after RETRY; VM 2's
 * VM_CREATED preempted (its add INTERRUPTED); no VM added yet (the
 * subscribers unknown); VM 1 removed while preempted, its removal's
 * FFA_RUN preempted again (the proxy's orphan, VM_DESTROYED pending).
 * Calls: a direct request (the next one
 * preempted), FFA_RUN of vCPU 0, partition info, a memory share, from the
 * host and VM 1; the embedder adding VM 1, removing it, removing and
 * re-adding it, adding VM 2, retrying VM_DESTROYED. One partition's
 * framework answers are scripted per pass: ok, RETRY, BUSY, FFA_INTERRUPT.
 * Checked after both: the register rules; the world invariants; the
 * answers against the two serial orders (BUSY allowed; not for a retry's
 * count, two embedder calls, or VM 1's calls racing its own add or
 * remove); that each vCPU preempted at the SPMC has exactly one holder (a
 * caller's live record, a removed VM's request the proxy kept, or the
 * proxy's message; none and it is stuck, two and one may run the other's
 * request) and a free one none; that a re-added VM 1 holds no request of
 * the old one. Then everything is resumed by its holder and every pending
 * message retried: each VM's messages a partition accepted alternate
 * created, destroyed, ending as the VM is. The host's FFA_RUN of vCPU 0
 * with no record gives cycles; one that resumed a request preempted but
 * not yet recorded (a caller's or the proxy's message, on the other CPU
 * between its SMC and its record) answers ABORTED, allowed as BUSY is,
 * and the record it left is ended first by its holder (ABORTED, or the
 * retry). The caller-preempted worlds
 * again with one preemption slot per caller (records past it go to other
 * rows' free slots). FFP_INTERLEAVE_FULL=1 runs
 * every answer at both partitions in every world (about 10 s).
 */
#include <ffaproxy/mem.h>

#include "explore.h"
#include "src/internal.h"

#define RAM_SIZE 0x100000ull
#define RX_OFF 0x10000ull
#define SHARE_OFF 0x60000ull
#define SP1 0x8001u
#define SP2 0x8002u
#define V0 ((uint32_t)SP1 << 16)

enum world {
	W_VM_PRE, W_VM_PRE2, W_HOST_PRE, W_FW_PRE, W_FW_RETRY, W_CREATED_PRE,
	W_UNLEARNED, W_ORPHAN, W_COUNT
};
static const char *const w_names[W_COUNT] = {
	"VM 1 preempted", "VM 1 yielded twice", "host preempted",
	"VM_DESTROYED preempted", "VM_DESTROYED pending",
	"VM_CREATED preempted", "unlearned", "VM 1 removed preempted",
};
enum fw { F_OK, F_RETRY, F_BUSY, F_INTERRUPT, F_COUNT };
static const char *const f_names[F_COUNT] = { "ok", "RETRY", "BUSY",
					      "INTERRUPT" };
static int world, fw;
static uint16_t fw_sp; /* the partition whose answers are scripted */
static uint32_t max_preempted; /* the proxy's per caller; 0: default */

static uint64_t ram(uint16_t ep)
{
	return 0x80000000ull + 0x10000000ull * ep;
}

static void script_fw(uint16_t id, int f, uint32_t n)
{
	switch (f) {
	case F_OK:
		spmc_fw_answer_set(&sp.spmc, id, SPMC_FW_OK, 0, 0);
		break;
	case F_RETRY:
		spmc_fw_answer_set(&sp.spmc, id, SPMC_FW_STATUS, FFA_RETRY, n);
		break;
	case F_BUSY:
		spmc_fw_answer_set(&sp.spmc, id, SPMC_FW_ERROR, FFA_BUSY, n);
		break;
	case F_INTERRUPT:
		spmc_fw_answer_set(&sp.spmc, id, SPMC_FW_INTERRUPT, 0, n);
		break;
	}
}

enum {
	OP_DIRECT, OP_RUN, OP_PINFO, OP_SHARE, OP_EP_COUNT,
	OP_ADD1 = OP_EP_COUNT, OP_REMOVE1, OP_ADD2, OP_RETRY, OP_READD1,
	OP_COUNT
};
static const char *const op_names[OP_COUNT] = {
	"direct", "FFA_RUN", "partition info", "share",
	"add VM 1", "remove VM 1", "add VM 2", "retry VM_DESTROYED",
	"remove+add VM 1",
};

static void run_op(int op, uint16_t ep, unsigned cpu, struct ffa_regs *out)
{
	struct ffa_mem_txn t;
	uint8_t d[256];
	uint32_t hdr;
	struct ffa_regs r;

	memset(&r, 0, sizeof(r));
	switch (op) {
	case OP_DIRECT:
		r = call(ep, FFA_MSG_SEND_DIRECT_REQ_32, (uint32_t)ep << 16 | SP1,
			 0, 3, 4, 5);
		break;
	case OP_RUN:
		r = call(ep, FFA_RUN_32, V0, 0, 0, 0, 0);
		break;
	case OP_PINFO:
		r = call(ep, FFA_PARTITION_INFO_GET_32, 0, 0, 0, 0,
			 FFA_PARTITION_INFO_GET_COUNT_ONLY);
		break;
	case OP_SHARE:
		memset(&t, 0, sizeof(t));
		t.sender = ep;
		t.receiver_count = 1;
		t.receivers[0].id = SP2;
		t.receivers[0].perms = FFA_MEM_PERM_RW;
		t.attributes = 0x2f;
		t.range_count = 1;
		t.total_pages = 1;
		CHECK_EQ(ffa_mem_emit(FFA_VERSION_1_2, &t, d, sizeof(d), &hdr),
			 0);
		ffa_put64(d + hdr, ram(ep) + SHARE_OFF + cpu * FFA_PAGE_SIZE);
		ffa_put32(d + hdr + 8, 1);
		ffa_put32(d + hdr + 12, 0);
		CHECK_EQ(simmem_write(sp.mem, ram(ep), d, hdr + 16), 0);
		r = call(ep, FFA_MEM_SHARE_32, hdr + 16, hdr + 16, 0, 0, 0);
		break;
	case OP_ADD1:
		r.x[0] = (uint64_t)(int64_t)ffp_endpoint_add(sp.proxy, 1);
		break;
	case OP_REMOVE1:
		r.x[0] = (uint64_t)(int64_t)ffp_endpoint_remove(sp.proxy, 1);
		break;
	case OP_ADD2:
		r.x[0] = (uint64_t)(int64_t)ffp_endpoint_add(sp.proxy, 2);
		break;
	case OP_RETRY:
		r.x[0] = ffp_vm_destroyed_retry(sp.proxy);
		break;
	case OP_READD1:
		r.x[0] = (uint64_t)(int64_t)ffp_endpoint_remove(sp.proxy, 1);
		if (r.x[0] == 0)
			r.x[1] = (uint64_t)(int64_t)ffp_endpoint_add(sp.proxy, 1);
		break;
	}
	*out = r;
}

static bool setup(void)
{
	struct simplat_config cfg;
	struct simplat_hooks hooks = { .error = explore_on_error };
	static const uint8_t uuid[2][16] = { { 1, 2, 3 }, { 4, 5, 6 } };
	const char *why = NULL;
	struct ffp_endpoint_info e;
	struct ffa_regs r;
	uint16_t ep;
	int before = check_failed_in_test;
	bool ok;

	simplat_config_default(&cfg);
	cfg.parts[0].id = SP1;
	cfg.parts[1].id = SP2;
	memcpy(cfg.parts[0].uuid, uuid[0], 16);
	memcpy(cfg.parts[1].uuid, uuid[1], 16);
	cfg.parts[0].exec_ctx = cfg.parts[1].exec_ctx = 2;
	cfg.parts[0].props = 0x703 | FFA_PART_PROP_VM_CREATED |
			     FFA_PART_PROP_VM_DESTROYED;
	cfg.parts[1].props = 0x703 | FFA_PART_PROP_VM_CREATED |
			     FFA_PART_PROP_VM_DESTROYED;
	cfg.part_count = 2;
	if (max_preempted)
		cfg.proxy.max_preempted = max_preempted;
	cfg.host_ram[0].base = ram(0);
	cfg.host_ram[0].size = RAM_SIZE;
	cfg.host_ram_count = 1;
	if (simplat_init(&sp, &cfg, &hooks, &why))
		return false;
	inv_init(&iv, &sp);
	check_failed_in_test = 0;
	if (world == W_UNLEARNED) {
		if (simmem_add_region(sp.mem, ram(1), RAM_SIZE, 1))
			return false;
	} else if (simplat_vm_add(&sp, 1, ram(1), RAM_SIZE)) {
		return false;
	}
	if (simmem_add_region(sp.mem, ram(2), RAM_SIZE, 2))
		return false;
	for (ep = 0; ep < (world == W_UNLEARNED ? 1 : 2); ep++) {
		r = call(ep, FFA_VERSION_32, FFA_VERSION_1_2, 0, 0, 0, 0);
		r = call(ep, FFA_RXTX_MAP_64, ram(ep), ram(ep) + RX_OFF, 1, 0, 0);
		CHECK_EQ((uint32_t)r.x[0], FFA_SUCCESS_32);
	}
	switch (world) {
	case W_VM_PRE:
	case W_VM_PRE2:
	case W_HOST_PRE:
		ep = world == W_HOST_PRE ? 0 : 1;
		/* this request and the next one preempted */
		spmc_preempt(&sp.spmc, SP1, 2, world == W_VM_PRE2,
			     world == W_VM_PRE2 ? 1 : 0, 0);
		r = call(ep, FFA_MSG_SEND_DIRECT_REQ_32, (uint32_t)ep << 16 | SP1,
			 0, 1, 2, 3);
		CHECK_EQ((uint32_t)r.x[0], world == W_VM_PRE2 ? FFA_YIELD_32
							     : FFA_INTERRUPT_32);
		break;
	case W_FW_PRE:
	case W_FW_RETRY:
		CHECK_EQ(ffp_endpoint_add(sp.proxy, 2), 0);
		script_fw(fw_sp, world == W_FW_PRE ? F_INTERRUPT : F_RETRY, 1);
		CHECK_EQ(ffp_endpoint_remove(sp.proxy, 2), 0);
		CHECK_EQ(ffp_endpoint_info(sp.proxy, 2, &e), 0);
		CHECK_EQ(e.vm_destroyed_pending, 1);
		/* ... and the partition's next direct request preempted */
		spmc_preempt(&sp.spmc, SP1, 1, false, 0, 0);
		break;
	case W_CREATED_PRE:
		/* VM_CREATED of VM 2 preempted, and the FFA_RUN of the
		 * add's undo too */
		script_fw(fw_sp, F_INTERRUPT, 2);
		CHECK_EQ(ffp_endpoint_add(sp.proxy, 2), FFA_INTERRUPTED);
		CHECK_EQ(ffp_endpoint_info(sp.proxy, 2, &e), 0);
		CHECK_EQ(e.vm_destroyed_pending, 1);
		/* ... and the partition's next direct request preempted */
		spmc_preempt(&sp.spmc, SP1, 1, false, 0, 0);
		break;
	case W_ORPHAN:
		/* VM 1's request preempted, its removal's FFA_RUN preempted
		 * again: the proxy's (an orphan), VM_DESTROYED to the
		 * partition pending (BUSY); the partition's next direct
		 * request preempted too. */
		spmc_preempt(&sp.spmc, SP1, 2, false, 1, 0);
		r = call(1, FFA_MSG_SEND_DIRECT_REQ_32, 1u << 16 | SP1, 0, 1, 2,
			 3);
		CHECK_EQ((uint32_t)r.x[0], FFA_INTERRUPT_32);
		CHECK_EQ(ffp_endpoint_remove(sp.proxy, 1), 0);
		CHECK_EQ(ffp_endpoint_info(sp.proxy, 1, &e), 0);
		CHECK_EQ(e.preempted_orphans, 1);
		break;
	default:
		spmc_preempt(&sp.spmc, SP1, 1, false, 0, 0);
		break;
	}
	script_fw(fw_sp, fw, 1);
	ok = !check_failed_in_test;
	check_failed_in_test |= before;
	return ok;
}

/* The holders of partition `id`'s vCPU 0 preemption: callers' live
 * records, removed VMs' (orphans) and the proxy's preempted messages. */
static unsigned holders(uint16_t id)
{
	const struct ffp *p = sp.proxy;
	unsigned n = 0;
	uint32_t e, i;

	for (e = 0; e < p->cfg.max_endpoints; e++) {
		for (i = 0; i < p->cfg.max_preempted; i++) {
			const struct ffp_preempt *s =
				&p->preempts[e * p->cfg.max_preempted + i];

			if (s->target == (uint32_t)id << 16 && !s->stale)
				n++;
		}
		for (i = 0; i < p->sub_count; i++)
			if (p->subs[i].id == id &&
			    (p->eps[e].avail_run.mask & 1u << i) &&
			    p->eps[e].avail_run.vcpu[i] == 0)
				n++;
	}
	return n;
}

static struct spmc_partition *part_of(uint16_t id)
{
	return (struct spmc_partition *)spmc_find_partition(&sp.spmc, id);
}

/* Resume what is preempted at `id` as its holder would: a caller's
 * record by its owner's FFA_RUN, the proxy's (a removed VM's request, a
 * VM availability message) by the retry. */
static void resume_all(uint16_t id)
{
	const struct ffp *p = sp.proxy;
	const uint32_t n = p->cfg.max_endpoints * p->cfg.max_preempted;
	uint32_t i, k;

	spmc_fw_answer_set(&sp.spmc, id, SPMC_FW_OK, 0, 0);
	for (k = 0; k < 8 && part_of(id)->preempt.pending; k++) {
		for (i = 0; i < n; i++)
			if (p->preempts[i].target == (uint32_t)id << 16 &&
			    !p->preempts[i].orphan && !p->preempts[i].stale)
				break;
		if (i < n)
			(void)call(p->preempts[i].owner, FFA_RUN_32,
				   (uint32_t)id << 16, 0, 0, 0, 0);
		else
			(void)ffp_vm_destroyed_retry(sp.proxy);
	}
}

/* Each VM's messages `id` accepted alternate, ending as the VM is. */
static void check_log(uint16_t id)
{
	const struct spmc_partition *part = part_of(id);
	struct ffp_endpoint_info e;
	uint32_t i;
	uint16_t vm;
	int last[3] = { 0, 0, 0 };

	for (i = 0; i < part->fw_count && i < SPMC_FW_LOG; i++) {
		vm = part->fw_log[i].vm;
		if (part->fw_log[i].result || vm > 2)
			continue;
		if (part->fw_log[i].type == last[vm]) {
			fprintf(stderr, "%s: 0x%x told VM %u 0x%x twice\n",
				where, id, vm, part->fw_log[i].type);
			CHECK(0);
		}
		last[vm] = part->fw_log[i].type;
	}
	for (vm = 1; vm <= 2; vm++) {
		CHECK_EQ(ffp_endpoint_info(sp.proxy, vm, &e), 0);
		if (e.present != (last[vm] == FFA_FRAMEWORK_VM_CREATED_REQ)) {
			fprintf(stderr,
				"%s: VM %u present %d, 0x%x last told 0x%x\n",
				where, vm, e.present, id, last[vm]);
			CHECK(0);
		}
	}
}

static bool readd_race; /* VM 1's request raced its removal and re-add */
/* The host's FFA_RUN for cycles resumed a request preempted but not yet
 * recorded (its caller between the SMC and its record): the response
 * dropped, ABORTED (run.c run_cycles), and that record's vCPU free at the
 * SPMC with its one holder, whose FFA_RUN then ends it (ABORTED). */
static bool cycles_dropped;

static bool run_aborted(const struct ffa_regs *r, int op)
{
	return op == OP_RUN && (uint32_t)r->x[0] == FFA_ERROR_32 &&
	       (int32_t)(uint32_t)r->x[2] == FFA_ABORTED;
}

/* The record the race left (a caller's, or the proxy's VM availability
 * message, whose request the run ended): its owner's FFA_RUN finds the
 * vCPU waiting and clears it (ABORTED), the proxy's at the retry. */
static void end_dropped(uint16_t id)
{
	const struct ffp *p = sp.proxy;
	const uint32_t n = p->cfg.max_endpoints * p->cfg.max_preempted;
	struct ffa_regs r;
	uint32_t i;

	if (part_of(id)->preempt.pending || holders(id) != 1)
		return;
	for (i = 0; i < n; i++)
		if (p->preempts[i].target == (uint32_t)id << 16 &&
		    !p->preempts[i].orphan && !p->preempts[i].stale)
			break;
	if (i < n) {
		r = call(p->preempts[i].owner, FFA_RUN_32, (uint32_t)id << 16,
			 0, 0, 0, 0);
		CHECK(run_aborted(&r, OP_RUN));
	} else {
		(void)ffp_vm_destroyed_retry(sp.proxy);
	}
	CHECK_EQ(holders(id), 0u);
}

static bool vm1_holds(void)
{
	const struct ffp *p = sp.proxy;
	uint32_t i;

	if (!p->eps[1].present)
		return false;
	for (i = 0; i < p->cfg.max_endpoints * p->cfg.max_preempted; i++)
		if (p->preempts[i].target && p->preempts[i].owner == 1 &&
		    !p->preempts[i].orphan)
			return true;
	return false;
}

static void check_after(void)
{
	static const uint16_t ids[2] = { SP1, SP2 };
	unsigned h, j, k;

	if (cycles_dropped) {
		end_dropped(SP1);
		end_dropped(SP2);
	}
	if (inv_check_world(&iv)) {
		fprintf(stderr, "%s: world: %s\n", where, iv.why);
		CHECK(0);
	}
	if (readd_race && vm1_holds()) {
		fprintf(stderr, "%s: the new VM 1 holds a preempted request "
				"of the old one\n", where);
		CHECK(0);
	}
	for (j = 0; j < 2; j++) {
		h = holders(ids[j]);
		/* A removed VM's request still preempted is the proxy's
		 * (an orphan): held too, never stranded. */
		if (part_of(ids[j])->preempt.pending ? h != 1 : h != 0) {
			fprintf(stderr, "%s: 0x%x vCPU %s at the SPMC, %u "
					"holders\n",
				where, ids[j],
				part_of(ids[j])->preempt.pending ? "preempted"
								 : "free",
				h);
			CHECK(0);
			return;
		}
	}
	/* Resume whatever is preempted, then retry until every message is
	 * delivered. */
	resume_all(SP1);
	resume_all(SP2);
	for (k = 0; k < 4 && ffp_vm_destroyed_retry(sp.proxy); k++)
		;
	if (part_of(SP1)->preempt.pending || part_of(SP2)->preempt.pending ||
	    ffp_vm_destroyed_retry(sp.proxy)) {
		fprintf(stderr, "%s: left preempted or pending\n", where);
		CHECK(0);
		return;
	}
	check_log(SP1);
	check_log(SP2);
}

static uint64_t outcome(const struct ffa_regs *r, int op)
{
	if (op >= OP_EP_COUNT)
		return r->x[0] << 8 | (r->x[1] & 0xff);
	if ((uint32_t)r->x[0] == FFA_ERROR_32)
		return (uint64_t)(uint32_t)r->x[2] << 32 | FFA_ERROR_32;
	return (uint32_t)r->x[0];
}

static bool is_busy(const struct ffa_regs *r, int op)
{
	if (op >= OP_EP_COUNT)
		return op != OP_RETRY && (int64_t)r->x[0] == FFA_BUSY;
	/* An FFA_RUN's ABORTED: the host's cycles run that dropped a
	 * response (cycles_dropped), or the record it left. */
	return ((uint32_t)r->x[0] == FFA_ERROR_32 &&
		(int32_t)(uint32_t)r->x[2] == FFA_BUSY) ||
	       run_aborted(r, op);
}

/* Whether A and B must answer as one after the other: not both writing
 * one caller's TX (its own race); not a retry, whose count includes
 * messages another CPU is sending (proxy.h); not VM 1's call racing its
 * own add or remove (its vCPUs are stopped first, proxy.h: only the
 * state after is checked). */
static bool comparable(int a, int ea, int b, int eb)
{
	if (a == OP_SHARE && b == OP_SHARE && ea == eb)
		return false;
	if (a == OP_READD1 || b == OP_READD1) /* two calls */
		return false;
	if (a == OP_RETRY || b == OP_RETRY)
		return false;
	/* Two embedder operations both send framework messages: a scripted
	 * answer goes to whichever message reaches the partition first, an
	 * order no serial run reproduces (the removal now resumes VM 1's
	 * preempted request first, so its VM_DESTROYED reaches the
	 * partition and may meet the answer the other's message met). */
	if (a >= OP_EP_COUNT && b >= OP_EP_COUNT && fw != F_OK)
		return false;
	/* Removing VM 1 resumes its preempted request once: between that
	 * FFA_RUN and the VM_DESTROYED the partition is free, a window
	 * neither serial order has (the other's request may be served or
	 * preempted there instead of getting BUSY). */
	if ((a == OP_REMOVE1 || b == OP_REMOVE1) &&
	    (world == W_VM_PRE || world == W_VM_PRE2))
		return false;
	if (a >= OP_EP_COUNT && a != OP_ADD2 && b < OP_EP_COUNT && eb == 1)
		return false;
	return !(b >= OP_EP_COUNT && b != OP_ADD2 && a < OP_EP_COUNT &&
		 ea == 1);
}

/* After a run where B ran. */
static void after(int a, int ea, int b, int eb)
{
	readd_race = a == OP_DIRECT && ea == 1 && b == OP_READD1;
	cycles_dropped = (run_aborted(&reply[0], a) && ea == 0) ||
			 (run_aborted(&reply[1], b) && eb == 0);
	check_after();
}

static const struct explore_ops ops = {
	.count = OP_COUNT,
	.ep_ops = OP_EP_COUNT,
	.names = op_names,
	.setup = setup,
	.run = run_op,
	.outcome = outcome,
	.is_busy = is_busy,
	.comparable = comparable,
	.after = after,
};

static void explore(void)
{
	ex.stop = EX_STOP_UNDER_BUFFERS; /* A holds no STATE */
	snprintf(ex_prefix, sizeof(ex_prefix), "%s, fw 0x%x %s: ",
		 w_names[world], fw_sp, f_names[fw]);
	explore_pairs(&ops);
}

static void test_interleave_run(void)
{
	const char *full = getenv("FFP_INTERLEAVE_FULL");

	bool all = full && *full == '1';

	for (world = 0; world < W_COUNT; world++)
		for (fw = 0; fw < F_COUNT; fw++)
			for (fw_sp = SP1; fw_sp <= SP2; fw_sp++)
				if (all || (fw_sp == (world % 2 ? SP1 : SP2) &&
					    (fw == F_OK ||
					     fw == (world % 3 == 0  ? F_RETRY
						    : world % 3 == 1 ? F_INTERRUPT
								      : F_BUSY))))
					explore();
	/* One preemption slot per caller: a newer request taking over its
	 * running record has no other slot to go to. */
	max_preempted = 1;
	fw = F_OK;
	fw_sp = SP1;
	for (world = 0; world <= W_HOST_PRE; world++)
		explore();
	max_preempted = 0;
	printf("test_interleave_run: %u interleavings, %u failed\n", runs,
	       failures);
}

int main(void)
{
	RUN(test_interleave_run);
	return test_summary("test_interleave_run");
}
