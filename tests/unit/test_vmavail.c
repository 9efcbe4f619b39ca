/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * VM availability messages against a scripted fake firmware: what another
 * CPU sees while VM_CREATED or VM_DESTROYED is at the SPMC (the id is
 * neither usable nor re-addable nor removable), the subscriber table's
 * bound, the pending count and ffp_vm_destroyed_retry's answer. The
 * message flows themselves are in tests/scenarios/vmavail.
 */
#include <stdlib.h>
#include <string.h>

#include <ffaproxy/proxy.h>

#include "check.h"

#define MAX_PARTS 40

struct fake {
	struct ffp *p;
	uint8_t tx[4096 * 2], rx[4096 * 2];
	uint32_t nparts;
	uint32_t props[MAX_PARTS];
	uint16_t ids[MAX_PARTS]; /* 0: 0x8001 + index */
	int locks[FFP_LOCK_COUNT];
	int lock_errors;
	/* framework requests: how many, the last one, the next answers */
	int requests, info_gets;
	struct ffa_regs last_req;
	int32_t answer[8]; /* w3 of the next responses, in order */
	int answers;
	/* at the next framework request, as another CPU */
	void (*at_request)(struct fake *f);
	/* as another CPU that takes STATE just before the next taker */
	void (*at_state_lock)(struct fake *f);
	int state_locks_before; /* STATE takes to let pass first */
	uint32_t version_asked; /* w1 of the last FFA_VERSION */
	/* the next framework request answered FFA_YIELD naming vCPU 3,
	 * ended by an FFA_RUN of it */
	bool yield_next;
	struct ffa_regs yielded; /* that request, 0 none */
	int runs;
	uint64_t run_w1;
	int other_add, other_remove;
	/* a non-framework direct request answered FFA_INTERRUPT naming
	 * vCPU 3 (held until an FFA_RUN ends it with a response, w3 0x77);
	 * FFA_RUNs answered FFA_INTERRUPT first; at the next FFA_RUN, as
	 * another CPU before the SPMC takes it */
	bool direct_preempt;
	struct ffa_regs direct_held;
	int run_interrupts;
	void (*at_run)(struct fake *f);
	uint64_t other_x0;
	struct ffp_endpoint_info other_info;
};

static void fake_smc(void *ctx, struct ffa_regs *r)
{
	struct fake *f = ctx;
	uint32_t id = (uint32_t)r->x[0], i, w1 = (uint32_t)r->x[1];
	void (*hook)(struct fake *f);

	if (id == FFA_MSG_SEND_DIRECT_REQ_32 &&
	    ((uint32_t)r->x[2] & FFA_MSG_FLAG_FRAMEWORK)) {
		f->requests++;
		f->last_req = *r;
		if (f->yield_next) {
			f->yield_next = false;
			f->yielded = *r;
			memset(r, 0, sizeof(*r));
			r->x[0] = FFA_YIELD_32;
			r->x[1] = (w1 & 0xffffu) << 16 | 3;
			r->x[2] = 0x10;
			return;
		}
		hook = f->at_request;
		f->at_request = NULL;
		if (hook)
			hook(f);
		memset(r, 0, sizeof(*r));
		r->x[0] = FFA_MSG_SEND_DIRECT_RESP_32;
		r->x[1] = (w1 & 0xffffu) << 16;
		r->x[2] = (uint32_t)f->last_req.x[2] + 1;
		if (f->answers) {
			r->x[3] = (uint32_t)f->answer[0];
			memmove(f->answer, f->answer + 1,
				sizeof(f->answer) - sizeof(f->answer[0]));
			f->answers--;
		}
		return;
	}
	if (id == FFA_MSG_SEND_DIRECT_REQ_32 && f->direct_preempt) {
		f->direct_preempt = false;
		f->direct_held = *r;
		memset(r, 0, sizeof(*r));
		r->x[0] = FFA_INTERRUPT_32;
		r->x[1] = (w1 & 0xffffu) << 16 | 3;
		return;
	}
	if (id == FFA_RUN_32) {
		hook = f->at_run;
		f->at_run = NULL;
		if (hook)
			hook(f);
		f->runs++;
		f->run_w1 = r->x[1];
		memset(r, 0, sizeof(*r));
		if (f->run_interrupts) {
			f->run_interrupts--;
			r->x[0] = FFA_INTERRUPT_32;
			r->x[1] = f->run_w1;
			return;
		}
		if (f->direct_held.x[0]) {
			r->x[0] = FFA_MSG_SEND_DIRECT_RESP_32;
			r->x[1] = (uint32_t)f->direct_held.x[1] << 16 |
				  (uint32_t)f->direct_held.x[1] >> 16;
			r->x[3] = 0x77;
			memset(&f->direct_held, 0, sizeof(f->direct_held));
			return;
		}
		if (!f->yielded.x[0] ||
		    f->run_w1 != ((f->yielded.x[1] & 0xffffu) << 16 | 3)) {
			r->x[0] = FFA_ERROR_32;
			r->x[2] = (uint32_t)FFA_DENIED;
			return;
		}
		r->x[0] = FFA_MSG_SEND_DIRECT_RESP_32;
		r->x[1] = (f->yielded.x[1] & 0xffffu) << 16;
		r->x[2] = (uint32_t)f->yielded.x[2] + 1;
		memset(&f->yielded, 0, sizeof(f->yielded));
		return;
	}
	memset(r, 0, sizeof(*r));
	switch (id) {
	case SMCCC_VERSION:
		r->x[0] = SMCCC_VERSION_1_2;
		return;
	case FFA_VERSION_32:
		f->version_asked = w1;
		r->x[0] = FFA_VERSION_1_2;
		return;
	case FFA_PARTITION_INFO_GET_32:
		f->info_gets++;
		for (i = 0; i < f->nparts; i++) {
			uint8_t *d = f->rx + 24 * i;

			memset(d, 0, 24);
			ffa_put16(d, f->ids[i] ? f->ids[i]
					       : (uint16_t)(0x8001 + i));
			ffa_put16(d + 2, 1);
			ffa_put32(d + 4, f->props[i]);
		}
		r->x[0] = FFA_SUCCESS_32;
		r->x[2] = f->nparts;
		r->x[3] = 24;
		return;
	default: /* RXTX_MAP, RX_RELEASE */
		r->x[0] = FFA_SUCCESS_32;
		return;
	}
}

static int fake_transition(void *ctx, uint16_t ep, uint64_t pa, uint64_t size,
			   enum ffp_page_state from, enum ffp_page_state to)
{
	(void)ctx, (void)ep, (void)pa, (void)size, (void)from, (void)to;
	return 0;
}

static int fake_read(void *ctx, uint16_t ep, uint64_t pa, void *dst, size_t len)
{
	(void)ctx, (void)ep, (void)pa, (void)dst, (void)len;
	return FFA_DENIED;
}

static int fake_write(void *ctx, uint16_t ep, uint64_t pa, const void *src,
		      size_t len)
{
	(void)ctx, (void)ep, (void)pa, (void)src, (void)len;
	return FFA_DENIED;
}

static void fake_lock(void *ctx, enum ffp_lock l)
{
	struct fake *f = ctx;
	void (*hook)(struct fake *f) = f->at_state_lock;

	if (l == FFP_LOCK_STATE && hook && f->state_locks_before-- == 0) {
		f->at_state_lock = NULL;
		hook(f);
	}
	if (f->locks[l]++)
		f->lock_errors++;
}

static void fake_unlock(void *ctx, enum ffp_lock l)
{
	struct fake *f = ctx;

	if (f->locks[l]-- != 1)
		f->lock_errors++;
}

static const struct ffp_platform fake_ops = {
	fake_smc, fake_transition, fake_read, fake_write,
	fake_lock, fake_unlock, NULL, NULL, NULL, NULL,
};

static struct fake *fake_new_policy(uint32_t nparts, uint32_t props,
				    enum ffp_policy policy)
{
	struct fake *f = calloc(1, sizeof(*f));
	struct ffp_config cfg;
	size_t size;
	void *mem;
	uint32_t i;

	f->nparts = nparts;
	for (i = 0; i < nparts; i++)
		f->props[i] = props;
	ffp_config_default(&cfg);
	cfg.policy = policy;
	cfg.buffers.tx = f->tx;
	cfg.buffers.rx = f->rx;
	cfg.buffers.tx_pa = 0x10000000;
	cfg.buffers.rx_pa = 0x10002000;
	cfg.buffers.pages = 2;
	size = ffp_instance_size(&cfg);
	mem = aligned_alloc(16, (size + 15) & ~(size_t)15);
	f->p = ffp_init(mem, size, &cfg, &fake_ops, f);
	return f;
}

static struct fake *fake_new(uint32_t nparts, uint32_t props)
{
	return fake_new_policy(nparts, props, FFP_POLICY_TRANSLATE);
}

static void fake_free(struct fake *f)
{
	free(f->p);
	free(f);
}

/* As another CPU while the message is at the SPMC: the id is being
 * announced, not yet present. */
static void other_cpu(struct fake *f)
{
	struct ffa_regs r = { { FFA_VERSION_32, FFA_VERSION_1_2 } };

	/* The locks are free: the proxy holds none across the SMC. */
	CHECK_EQ(f->locks[FFP_LOCK_STATE], 0);
	CHECK_EQ(f->locks[FFP_LOCK_BUFFERS], 0);
	f->other_add = ffp_endpoint_add(f->p, 1);
	f->other_remove = ffp_endpoint_remove(f->p, 1);
	(void)ffp_endpoint_info(f->p, 1, &f->other_info);
	CHECK(ffp_handle(f->p, 1, &r));
	f->other_x0 = r.x[0];
	/* skipped while in flight: its pair stays counted, not resent */
	CHECK_EQ(ffp_vm_destroyed_retry(f->p), 0);
}

static void test_add_in_flight(void)
{
	struct fake *f = fake_new(1, 0x1c3);

	f->at_request = other_cpu;
	CHECK_EQ(ffp_endpoint_add(f->p, 1), 0);
	CHECK_EQ(f->requests, 1);
	CHECK_EQ(f->last_req.x[1], 0x8001);
	CHECK_EQ(f->last_req.x[2], 0x80000004u);
	CHECK_EQ(f->last_req.x[5], 1);
	CHECK_EQ(f->last_req.x[3] | f->last_req.x[4] | f->last_req.x[6] |
			 f->last_req.x[7],
		 0);
	CHECK_EQ(f->other_add, FFA_BUSY);
	CHECK_EQ(f->other_remove, FFA_INVALID_PARAMETERS);
	CHECK(!f->other_info.present);
	CHECK_EQ(f->other_x0, 0xffffffffu); /* NOT_SUPPORTED: no such caller */
	CHECK_EQ(f->lock_errors, 0);
	fake_free(f);
}

static void test_remove_in_flight(void)
{
	struct fake *f = fake_new(2, 0x1c3);
	struct ffp_endpoint_info ei;

	CHECK_EQ(ffp_endpoint_add(f->p, 1), 0);
	CHECK_EQ(f->requests, 2);
	f->at_request = other_cpu;
	f->answer[1] = FFA_RETRY; /* the second partition */
	f->answers = 2;
	CHECK_EQ(ffp_endpoint_remove(f->p, 1), 0);
	CHECK_EQ(f->last_req.x[2], 0x80000006u);
	CHECK_EQ(f->other_add, FFA_BUSY);
	CHECK_EQ(f->other_remove, FFA_INVALID_PARAMETERS);
	CHECK(!f->other_info.present);
	CHECK_EQ(ffp_endpoint_info(f->p, 1, &ei), 0);
	CHECK(!ei.present);
	CHECK_EQ(ei.vm_destroyed_pending, 1);
	/* one retry, one message: RETRY again, then delivered */
	f->answer[0] = FFA_RETRY;
	f->answers = 1;
	CHECK_EQ(ffp_vm_destroyed_retry(f->p), 1);
	CHECK_EQ(f->requests, 5);
	CHECK_EQ(f->last_req.x[1], 0x8002);
	CHECK_EQ(ffp_vm_destroyed_retry(f->p), 0);
	CHECK_EQ(f->requests, 6);
	CHECK_EQ(ffp_vm_destroyed_retry(f->p), 0);
	CHECK_EQ(f->requests, 6);
	CHECK_EQ(ffp_endpoint_add(f->p, 1), 0);
	CHECK_EQ(f->lock_errors, 0);
	fake_free(f);
}

/* FFP_MAX_SUBSCRIBERS subscribed partitions are served; one more and the
 * add fails (NO_MEMORY), nothing sent, the VM absent. Non-subscribers do
 * not count. */
static void test_subscriber_bound(void)
{
	struct fake *f = fake_new(FFP_MAX_SUBSCRIBERS, 0x43);
	struct ffp_endpoint_info ei;

	CHECK_EQ(ffp_endpoint_add(f->p, 1), 0);
	CHECK_EQ(f->requests, FFP_MAX_SUBSCRIBERS);
	CHECK_EQ(ffp_endpoint_remove(f->p, 1), 0);
	CHECK_EQ(f->requests, FFP_MAX_SUBSCRIBERS); /* created only */
	fake_free(f);

	f = fake_new(FFP_MAX_SUBSCRIBERS + 1, 0x83);
	CHECK_EQ(ffp_endpoint_add(f->p, 1), FFA_NO_MEMORY);
	CHECK_EQ(f->requests, 0);
	CHECK_EQ(ffp_endpoint_info(f->p, 1, &ei), 0);
	CHECK(!ei.present);
	/* asked again at the next add */
	CHECK_EQ(ffp_endpoint_add(f->p, 1), FFA_NO_MEMORY);
	CHECK_EQ(f->info_gets, 2);
	fake_free(f);

	f = fake_new(MAX_PARTS, 0x3);
	f->props[7] = 0xc3;
	CHECK_EQ(ffp_endpoint_add(f->p, 1), 0);
	CHECK_EQ(f->requests, 1);
	CHECK_EQ(f->last_req.x[1], 0x8008);
	fake_free(f);
}

/*
 * A partition with several UUIDs (services) is listed once per UUID when
 * all partitions are asked for: Hafnium's
 * api_ffa_fill_partitions_info_array writes one descriptor per UUID of
 * each partition, TF-A's EL3 SPMC sizes its list MAX_SP_LP_PARTITIONS *
 * SPMC_AT_EL3_PARTITION_MAX_UUIDS. It is still one partition: told once
 * of each VM, taking one subscriber slot.
 */
static void test_partition_with_several_uuids(void)
{
	struct fake *f = fake_new(3, 0x1c3);
	uint32_t i;

	f->ids[0] = 0x8001;
	f->ids[1] = 0x8001;
	f->ids[2] = 0x8002;
	f->props[2] = 0x43; /* created only */
	CHECK_EQ(ffp_endpoint_add(f->p, 1), 0);
	CHECK_EQ(f->requests, 2); /* 0x8001 and 0x8002, once each */
	CHECK_EQ(ffp_endpoint_remove(f->p, 1), 0);
	CHECK_EQ(f->requests, 3); /* VM_DESTROYED to 0x8001 once */
	CHECK_EQ(f->last_req.x[1], 0x8001);
	fake_free(f);

	/* More descriptors than FFP_MAX_SUBSCRIBERS, of fewer partitions
	 * (two UUIDs each): all served. */
	f = fake_new(MAX_PARTS, 0x1c3);
	for (i = 0; i < MAX_PARTS; i++)
		f->ids[i] = (uint16_t)(0x8001 + i / 2);
	CHECK_EQ(ffp_endpoint_add(f->p, 1), 0);
	CHECK_EQ(f->requests, MAX_PARTS / 2);
	fake_free(f);
}

/*
 * Bits 6/7 subscribe a partition to VM availability messages, which are
 * direct requests: they mean something only for a PE endpoint (id type,
 * bits 5:4, 0b00) that receives direct requests (bit 0). Hafnium sets
 * them only then (api_ffa_partitions_info_get_properties: "if SP
 * supports receiving direct message requests"), and Arm's arm-ffa crate
 * (parse_partition_properties) reads them only then. An SPMC setting them
 * otherwise names no subscriber: a message to such a partition could
 * only be refused, failing every VM's add.
 */
static void test_subscription_needs_direct_req_recv(void)
{
	struct fake *f = fake_new(3, 0x1c3);

	f->props[0] = 0x1c2; /* sends, does not receive direct requests */
	f->props[1] = 0x1d3; /* id type 0b01: an SEPID, not a PE endpoint */
	CHECK_EQ(ffp_endpoint_add(f->p, 1), 0);
	CHECK_EQ(f->requests, 1); /* to 0x8003 only */
	CHECK_EQ(f->last_req.x[1], 0x8003);
	CHECK_EQ(ffp_endpoint_remove(f->p, 1), 0);
	CHECK_EQ(f->requests, 2);
	CHECK_EQ(f->last_req.x[1], 0x8003);
	fake_free(f);
}

/* FFA_YIELD in answer to VM_DESTROYED: the partition gave its cycles
 * back in the request, which is not over; the retry resumes it with
 * FFA_RUN naming the vCPU the SPMC gave (not a new request) and the
 * response it brings ends it. */
static void test_yield_resumed(void)
{
	struct fake *f = fake_new(1, 0x1c3);
	struct ffp_endpoint_info ei;

	CHECK_EQ(ffp_endpoint_add(f->p, 1), 0);
	f->yield_next = true;
	CHECK_EQ(ffp_endpoint_remove(f->p, 1), 0);
	CHECK_EQ(f->requests, 2);
	CHECK_EQ(ffp_endpoint_info(f->p, 1, &ei), 0);
	CHECK_EQ(ei.vm_destroyed_pending, 1);
	/* the id is not given to a new VM meanwhile... */
	CHECK_EQ(ffp_endpoint_add(f->p, 1), 0);
	CHECK_EQ(f->runs, 1);
	CHECK_EQ(f->run_w1, 0x80010003u);
	/* ...but after the FFA_RUN ended it: VM_CREATED of the new VM */
	CHECK_EQ(f->requests, 3);
	CHECK_EQ(f->last_req.x[2], 0x80000004u);
	CHECK_EQ(ffp_vm_destroyed_retry(f->p), 0);
	CHECK_EQ(f->runs, 1);
	CHECK_EQ(f->lock_errors, 0);
	fake_free(f);
}

/* The host's request to 0x8001, preempted on vCPU 3, as another CPU. */
static void host_preempted(struct fake *f)
{
	struct ffa_regs r = { { FFA_MSG_SEND_DIRECT_REQ_32, 0x8001 } };

	CHECK_EQ(f->locks[FFP_LOCK_STATE], 0);
	f->direct_preempt = true;
	CHECK(ffp_handle(f->p, 0, &r));
	CHECK_EQ(r.x[0], FFA_INTERRUPT_32);
	CHECK_EQ(r.x[1], 0x80010003u);
}

/*
 * The proxy's VM_DESTROYED is preempted on vCPU 3; the SPMC ends it
 * unseen, and the host's request is preempted on that vCPU on another
 * CPU while a retry has the id's record out, just before its FFA_RUN
 * reaches the SPMC. That FFA_RUN resumes the host's request (preempted
 * again). The host's preemption is the newer (as between callers, the
 * later record wins): the host alone holds the vCPU and its FFA_RUN gets
 * its response; the proxy's record is dropped, the VM_DESTROYED pending,
 * sent anew at the next retry. Before: the proxy's FFA_INTERRUPT dropped
 * the host's record (FFA_RUN DENIED) and the proxy kept resuming the
 * host's request, its response ABORTED, the id never free again.
 */
static void test_caller_preempted_during_resume(void)
{
	struct fake *f = fake_new(1, 0x1c3);
	struct ffa_regs r;

	CHECK_EQ(ffp_endpoint_add(f->p, 1), 0);
	f->yield_next = true;
	CHECK_EQ(ffp_endpoint_remove(f->p, 1), 0);
	memset(&f->yielded, 0, sizeof(f->yielded)); /* ended unseen */
	f->at_run = host_preempted;
	f->run_interrupts = 1;
	CHECK_EQ(ffp_vm_destroyed_retry(f->p), 1);
	CHECK_EQ(f->runs, 1);
	memset(&r, 0, sizeof(r));
	r.x[0] = FFA_RUN_32;
	r.x[1] = 0x80010003u;
	CHECK(ffp_handle(f->p, 0, &r));
	CHECK_EQ(r.x[0], FFA_MSG_SEND_DIRECT_RESP_32);
	CHECK_EQ(r.x[1], 0x80010000u);
	CHECK_EQ(r.x[3], 0x77);
	/* VM_DESTROYED sent anew, answered */
	CHECK_EQ(ffp_vm_destroyed_retry(f->p), 0);
	CHECK_EQ(f->runs, 2);
	CHECK_EQ(f->last_req.x[2], 0x80000006u);
	CHECK_EQ(f->lock_errors, 0);
	fake_free(f);
}

/*
 * The proxy's VM_DESTROYED is preempted on vCPU 3 and the SPMC ends it
 * unseen; later (no retry running) the host's request is preempted on
 * that vCPU. The proxy's record is stale: it must not resume the vCPU
 * (that would run the host's request), and the message's outcome is
 * unknown, so VM_DESTROYED stays pending and the next retry sends it
 * anew, with no FFA_RUN.
 */
static void test_caller_preempted_after_destroyed(void)
{
	struct fake *f = fake_new(1, 0x1c3);
	struct ffp_endpoint_info ei;
	int requests;

	CHECK_EQ(ffp_endpoint_add(f->p, 1), 0);
	f->yield_next = true;
	CHECK_EQ(ffp_endpoint_remove(f->p, 1), 0);
	memset(&f->yielded, 0, sizeof(f->yielded)); /* ended unseen */
	host_preempted(f);
	CHECK_EQ(ffp_endpoint_info(f->p, 1, &ei), 0);
	CHECK_EQ(ei.vm_destroyed_pending, 1);
	requests = f->requests;
	CHECK_EQ(ffp_vm_destroyed_retry(f->p), 0);
	CHECK_EQ(f->runs, 0);
	CHECK_EQ(f->requests, requests + 1);
	CHECK_EQ(f->last_req.x[2], 0x80000006u);
	CHECK_EQ(ffp_endpoint_info(f->p, 1, &ei), 0);
	CHECK_EQ(ei.vm_destroyed_pending, 0);
	CHECK_EQ(f->lock_errors, 0);
	fake_free(f);
}

/* The host asks for FFA_VERSION 1.0, as another CPU, at that moment. */
static void host_asks_1_0(struct fake *f)
{
	struct ffa_regs r = { { FFA_VERSION_32, FFA_VERSION_1_0 } };

	CHECK(ffp_handle(f->p, 0, &r));
	f->other_x0 = r.x[0];
}

/*
 * Strict policy: the first add decides whether the SPMC speaks 1.1+ (the
 * subscription bits) and fixes its version in one step under STATE. The
 * host moving the SPMC down to 1.0 on another CPU just before that step
 * either wins (no partition list, no message: a 1.0 SPMC has neither) or
 * loses (NOT_SUPPORTED): never a partition list asked for and framework
 * messages sent at 1.0.
 */
static void test_strict_version_race(void)
{
	struct fake *f = fake_new_policy(1, 0x1c3, FFP_POLICY_STRICT);
	struct ffp_info info;

	/* ffp_endpoint_add takes STATE once before it asks the SPMC */
	f->at_state_lock = host_asks_1_0;
	f->state_locks_before = 1;
	CHECK_EQ(ffp_endpoint_add(f->p, 1), 0);
	CHECK(f->at_state_lock == NULL);
	ffp_info(f->p, &info);
	if (f->other_x0 == FFA_VERSION_1_0) {
		CHECK_EQ(info.spmc_version, FFA_VERSION_1_0);
		CHECK_EQ(f->info_gets, 0);
		CHECK_EQ(f->requests, 0);
	} else {
		CHECK_EQ(f->other_x0, 0xffffffffu);
		CHECK_EQ(info.spmc_version, FFA_VERSION_1_2);
		CHECK_EQ(f->requests, 1);
	}
	CHECK_EQ(f->lock_errors, 0);
	fake_free(f);
}

/* The host is never announced, nor asked about; adding it again is
 * DENIED as before. */
static void test_host(void)
{
	struct fake *f = fake_new(1, 0x1c3);

	CHECK_EQ(ffp_endpoint_add(f->p, 0), FFA_DENIED);
	CHECK_EQ(f->requests, 0);
	CHECK_EQ(f->info_gets, 0);
	CHECK_EQ(ffp_endpoint_remove(f->p, 0), FFA_INVALID_PARAMETERS);
	fake_free(f);
}

int main(void)
{
	RUN(test_add_in_flight);
	RUN(test_remove_in_flight);
	RUN(test_subscriber_bound);
	RUN(test_partition_with_several_uuids);
	RUN(test_yield_resumed);
	RUN(test_caller_preempted_during_resume);
	RUN(test_caller_preempted_after_destroyed);
	RUN(test_strict_version_race);
	RUN(test_host);
	RUN(test_subscription_needs_direct_req_recv);
	return test_summary("test_vmavail");
}
