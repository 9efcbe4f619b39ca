/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * The client's FFA_RUN and VM availability steps. EL3's test services
 * (reached through the stub's EL2_HVC_EL3_TEST) script the SPMC model:
 * partition 0x8001 preempts the client's next direct request, which the
 * client then resumes with FFA_RUN; partition 0x8002, subscribed to
 * VM_CREATED and VM_DESTROYED, answers as scripted while the stub
 * creates and destroys VMs 2 and 3, and its log at EL3 is read back.
 */
#include <ffaproxy/ffa.h>

#include "el2/client/client.h"
#include "el2/common/arm.h"
#include "el2/common/board.h"
#include "el2/common/console.h"
#include "sim/spmc.h" /* enum spmc_fw_answer only */

#define SP_RUN 0x8001u  /* preempted in the client's direct requests */
#define SP_VCPU 1u      /* the vCPU the model names (0x8001 has two) */
#define SP_SUBS 0x8002u /* subscribed to VM availability messages */

static uint64_t hvc(uint64_t fid, uint64_t x1, struct ffa_regs *r)
{
	regs_set(r, fid, x1, 0, 0, 0, 0);
	arm_hvc(r);
	return r->x[0];
}

/* SMCs the proxy has made to EL3 so far. */
static uint64_t smcs(void)
{
	struct ffa_regs r;

	return hvc(EL2_HVC_SMCS, 0, &r);
}

static int64_t el3_test(struct ffa_regs *r, uint32_t fid, uint64_t a1,
			uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	regs_set(r, EL2_HVC_EL3_TEST, fid, a1, a2, a3, a4);
	r->x[6] = a5;
	arm_hvc(r);
	return (int64_t)r->x[0];
}

static bool preempt(uint32_t n, bool yield, uint32_t again)
{
	struct ffa_regs r;

	return el3_test(&r, EL3_SIP_PREEMPT, SP_RUN, n, yield, again,
			SP_VCPU) == 0;
}

/* ---- FFA_RUN: resuming the client's own preempted direct request ---- */

void steps_run(void)
{
	const uint64_t target = (SP_RUN << 16) | SP_VCPU;
	const uint64_t ids = ((uint64_t)EL1_ENDPOINT_ID << 16) | SP_RUN;
	const uint64_t pair = ((uint64_t)SP_RUN << 16) | EL1_ENDPOINT_ID;
	bool req2 = cl.served >= FFA_VERSION_1_2 && cl.spmc_use >= FFA_VERSION_1_2;
	bool timeout = cl.served >= FFA_VERSION_1_1;
	struct ffa_regs r;
	uint64_t n;
	unsigned i;
	bool good;

	check(preempt(1, false, 1),
	      "EL3: 0x8001 preempts the next direct request (FFA_INTERRUPT, "
	      "once more on the first FFA_RUN)");
	n = smcs();
	regs_set(&r, FFA_MSG_SEND_DIRECT_REQ_32, ids, 0, 0x300, 0x400, 0x500);
	r.x[6] = 0x600;
	r.x[7] = 0x700;
	arm_smc(&r);
	check(r.x[0] == FFA_INTERRUPT_32 && r.x[1] == target &&
		      regs_zero(&r, 2, 17) && smcs() - n == 1,
	      "MSG_SEND_DIRECT_REQ_32 to 0x8001 -> FFA_INTERRUPT (0x%lx), w1 "
	      "0x%lx, w2..w7 zero, 1 SMC", r.x[0], r.x[1]);

	n = smcs();
	smc6(&r, FFA_RUN_32, (0x8002u << 16) | 0, 0, 0, 0, 0);
	check(ffa_err(&r) == FFA_DENIED && smcs() == n,
	      "FFA_RUN of 0x8002 vCPU 0, never preempted for this client -> %s, "
	      "no SMC", status_name(ffa_err(&r)));
	smc6(&r, FFA_RUN_32, (0x8001u << 16) | 0, 0, 0, 0, 0);
	check(ffa_err(&r) == FFA_DENIED && smcs() == n,
	      "FFA_RUN of 0x8001's other vCPU -> %s, no SMC",
	      status_name(ffa_err(&r)));
	smc6(&r, FFA_RUN_32, (uint64_t)EL1_ENDPOINT_ID << 16, 0, 0, 0, 0);
	check(ffa_err(&r) == FFA_INVALID_PARAMETERS && smcs() == n,
	      "FFA_RUN of a VM -> %s, no SMC", status_name(ffa_err(&r)));
	smc6(&r, FFA_RUN_32, target, 1, 0, 0, 0);
	check(ffa_err(&r) == FFA_INVALID_PARAMETERS && smcs() == n,
	      "FFA_RUN with w2 set (MBZ) -> %s, no SMC",
	      status_name(ffa_err(&r)));

	n = smcs();
	smc6(&r, FFA_MSG_SEND_DIRECT_REQ_32, ids, 0, 1, 2, 3);
	check(ffa_err(&r) == FFA_BUSY && smcs() - n == 1,
	      "a new direct request to the preempted 0x8001 -> %s (the SPMC's)",
	      status_name(ffa_err(&r)));

	n = smcs();
	smc6(&r, FFA_RUN_32, target, 0, 0, 0, 0);
	check(r.x[0] == FFA_INTERRUPT_32 && r.x[1] == target &&
		      regs_zero(&r, 2, 17) && smcs() - n == 1,
	      "FFA_RUN 0x%lx -> preempted again: FFA_INTERRUPT (0x%lx), 1 SMC",
	      target, r.x[0]);
	n = smcs();
	smc6(&r, FFA_RUN_32, target, 0, 0, 0, 0);
	good = r.x[0] == FFA_MSG_SEND_DIRECT_RESP_32 && r.x[1] == pair &&
	       r.x[2] == 0 && regs_zero(&r, 8, 17) && smcs() - n == 1;
	for (i = 3; i <= 7; i++)
		good = good && r.x[i] == i * 0x100 + 1;
	check(good,
	      "FFA_RUN 0x%lx -> the request's MSG_SEND_DIRECT_RESP_32 (0x%lx), "
	      "w3..w7 + 1, 1 SMC", target, r.x[0]);
	n = smcs();
	smc6(&r, FFA_RUN_32, target, 0, 0, 0, 0);
	check(ffa_err(&r) == FFA_DENIED && smcs() == n,
	      "FFA_RUN 0x%lx once the request is over -> %s, no SMC", target,
	      status_name(ffa_err(&r)));

	/* FFA_YIELD: the partition gives its cycles back, w2/w3 a timeout
	 * from 1.1 (zero for a client served at 1.0, where they are
	 * reserved); a 64-bit request (REQ2 when both sides are 1.2). */
	check(preempt(1, true, 0),
	      "EL3: 0x8001 yields in the next direct request");
	n = smcs();
	for (i = 0; i < FFA_NREGS; i++)
		r.x[i] = 0;
	r.x[0] = req2 ? FFA_MSG_SEND_DIRECT_REQ2_64 : FFA_MSG_SEND_DIRECT_REQ_64;
	r.x[1] = ids;
	for (i = req2 ? 4 : 3; i < (req2 ? FFA_NREGS : 8u); i++)
		r.x[i] = 0x5a00000000000000ull + i;
	arm_smc(&r);
	check(r.x[0] == FFA_YIELD_32 && r.x[1] == target &&
		      r.x[2] == (timeout ? 0x10u : 0) &&
		      r.x[3] == (timeout ? 0x20u : 0) && regs_zero(&r, 4, 17) &&
		      smcs() - n == 1,
	      "%s to 0x8001 -> FFA_YIELD (0x%lx), w1 0x%lx, timeout w2/w3 "
	      "0x%lx/0x%lx, the rest zero, 1 SMC",
	      req2 ? "MSG_SEND_DIRECT_REQ2" : "MSG_SEND_DIRECT_REQ_64", r.x[0],
	      r.x[1], r.x[2], r.x[3]);
	n = smcs();
	smc6(&r, FFA_RUN_32, target, 0, 0, 0, 0);
	good = r.x[0] == (req2 ? FFA_MSG_SEND_DIRECT_RESP2_64
			       : FFA_MSG_SEND_DIRECT_RESP_64) &&
	       r.x[1] == pair && r.x[2] == 0 && smcs() - n == 1;
	if (req2)
		good = good && r.x[3] == 0;
	for (i = req2 ? 4 : 3; i < FFA_NREGS; i++)
		good = good && r.x[i] == (i < (req2 ? FFA_NREGS : 8u)
						  ? 0x5a00000000000001ull + i
						  : 0);
	check(good, "FFA_RUN -> the request's %s (0x%lx), payload + 1, 1 SMC",
	      req2 ? "RESP2" : "RESP_64", r.x[0]);
}

/* ---- VM availability messages to a subscribed partition ---- */

struct fw_entry {
	uint32_t type;
	uint16_t vm;
	int32_t result;
};

#define CREATED FFA_FRAMEWORK_VM_CREATED_REQ
#define DESTROYED FFA_FRAMEWORK_VM_DESTROYED_REQ

/* The stub creates (add) or destroys VM `id`: expect status `st`, `x1`
 * (present after an add, pairs pending after a removal) and `nsmc` SMCs. */
static void vm(bool add, uint16_t id, int32_t st, uint64_t x1, uint64_t nsmc)
{
	uint64_t n = smcs();
	struct ffa_regs r;

	hvc(add ? EL2_HVC_VM_ADD : EL2_HVC_VM_REMOVE, id, &r);
	check((int32_t)r.x[0] == st && r.x[1] == x1 && smcs() - n == nsmc,
	      "EL2 %s VM %u -> %s, %s %lu, %lu SMC%s (expected %s, %lu, %lu)",
	      add ? "creates" : "destroys", id, status_name((int32_t)r.x[0]),
	      add ? "present" : "pending", r.x[1], smcs() - n,
	      smcs() - n == 1 ? "" : "s", status_name(st), x1, nsmc);
}

static bool fw_answer(enum spmc_fw_answer a, int32_t status, uint32_t count)
{
	struct ffa_regs r;

	return el3_test(&r, EL3_SIP_FW_ANSWER, SP_SUBS, a,
			(uint64_t)(int64_t)status, count, 0) == 0;
}

/* VM 2 destroyed while the client holds 0x8002's vCPU in a preempted
 * request: the partition answers BUSY, the pair stays pending until the
 * client's FFA_RUN ends the request and the stub retries. */
static void destroy_busy(void)
{
	const uint64_t target = (uint64_t)SP_SUBS << 16; /* vCPU 0 */
	struct ffa_regs r;
	uint64_t n;

	check(el3_test(&r, EL3_SIP_PREEMPT, SP_SUBS, 1, 0, 0, 0) == 0,
	      "EL3: 0x8002 preempts the next direct request");
	smc6(&r, FFA_MSG_SEND_DIRECT_REQ_32,
	     ((uint64_t)EL1_ENDPOINT_ID << 16) | SP_SUBS, 0, 7, 8, 9);
	check(r.x[0] == FFA_INTERRUPT_32 && r.x[1] == target,
	      "MSG_SEND_DIRECT_REQ_32 to 0x8002 -> FFA_INTERRUPT (0x%lx), w1 "
	      "0x%lx", r.x[0], r.x[1]);
	vm(false, 2, 0, 1, 1);
	n = smcs();
	smc6(&r, FFA_RUN_32, target, 0, 0, 0, 0);
	check(r.x[0] == FFA_MSG_SEND_DIRECT_RESP_32 &&
		      r.x[1] == ((uint64_t)SP_SUBS << 16 | EL1_ENDPOINT_ID) &&
		      r.x[3] == 8 && r.x[4] == 9 && r.x[5] == 10 &&
		      smcs() - n == 1,
	      "FFA_RUN 0x%lx -> the client's MSG_SEND_DIRECT_RESP_32 (0x%lx), "
	      "1 SMC", target, r.x[0]);
	n = smcs();
	hvc(EL2_HVC_VM_RETRY, 0, &r);
	check(r.x[0] == 0 && smcs() - n == 1,
	      "EL2 retries the pending VM_DESTROYED -> %lu pending, %lu SMC%s",
	      r.x[0], smcs() - n, smcs() - n == 1 ? "" : "s");
}

void steps_vmavail(void)
{
	/* The stub leaves the messages to the proxy but for strict without
	 * a prelocked host (el2/hyp/main.c), and a 1.0 SPMC has none. */
	bool msgs = cl.spmc_use >= FFA_VERSION_1_1 && !(cl.strict && !cl.prelock);
	static const struct fw_entry expect[] = {
		{ CREATED, 1, 0 },          /* the client, at boot */
		{ CREATED, 2, 0 },
		{ CREATED, 3, FFA_RETRY },  /* refused: VM 3 not created */
		{ CREATED, 3, 0 },
		/* preempted, ended by the proxy's FFA_RUN at the next add */
		{ DESTROYED, 3, 0 },
		{ CREATED, 3, 0 },
		{ DESTROYED, 3, 0 },
		/* 0x8002's vCPU is in the client's preempted request */
		{ DESTROYED, 2, FFA_BUSY },
		{ DESTROYED, 2, 0 },
	};
	uint32_t count = msgs ? sizeof(expect) / sizeof(expect[0]) : 0, i;
	struct ffa_regs r;
	bool good;

	con_printf("el1: VM availability messages %s\n",
		   msgs ? "sent by the proxy to 0x8002"
			: "not sent by the proxy in this configuration");
	if (msgs) {
		vm(true, 2, 0, 1, 1);
		check(fw_answer(SPMC_FW_STATUS, FFA_RETRY, 1),
		      "EL3: 0x8002 answers the next message RETRY");
		vm(true, 3, FFA_RETRY, 0, 1);
		vm(true, 3, 0, 1, 1);
		check(fw_answer(SPMC_FW_INTERRUPT, 0, 1),
		      "EL3: 0x8002 is preempted in the next message");
		vm(false, 3, 0, 1, 1);
		/* FFA_RUN ends the VM_DESTROYED, then VM_CREATED */
		vm(true, 3, 0, 1, 2);
		vm(false, 3, 0, 0, 1);
		destroy_busy();
	} else {
		vm(true, 2, 0, 1, 0);
		vm(false, 2, 0, 0, 0);
	}
	el3_test(&r, EL3_SIP_FW_LOG, SP_SUBS, 0, 0, 0, 0);
	good = r.x[0] == count;
	for (i = 0; good && i < count; i++) {
		el3_test(&r, EL3_SIP_FW_LOG, SP_SUBS, i, 0, 0, 0);
		good = r.x[0] == count && r.x[1] == expect[i].type &&
		       r.x[2] == expect[i].vm &&
		       (int32_t)r.x[3] == expect[i].result;
		if (!good)
			con_printf("el1: 0x8002's message %u: type %lu VM %lu "
				   "result %ld\n",
				   i, r.x[1], r.x[2], (int64_t)r.x[3]);
	}
	check(good, "EL3: 0x8002 received exactly the %u expected messages",
	      count);
}
