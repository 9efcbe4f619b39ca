/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/* The simulated platform: world setup, fault injection, lock checks, the
 * nested call, VMs, firmware without FF-A. */
#include <stdlib.h>
#include <string.h>

#include "sim/simplat.h"

#include "check.h"

#define RAM 0x80000000ull

static unsigned hook_errors;
static unsigned hook_smcs, hook_injected;

static void on_error(void *ctx, const char *what)
{
	(void)ctx;
	(void)what;
	hook_errors++;
}

static void on_smc(void *ctx, unsigned depth, const struct ffa_regs *req,
		   const struct ffa_regs *reply, bool injected)
{
	(void)ctx;
	(void)depth;
	(void)req;
	(void)reply;
	hook_smcs++;
	hook_injected += injected;
}

static const struct simplat_hooks hooks = { .smc = on_smc, .error = on_error };

static struct simplat *world(void (*tweak)(struct simplat_config *))
{
	struct simplat *sp = calloc(1, sizeof(*sp));
	struct simplat_config cfg;
	const char *why = NULL;

	simplat_config_default(&cfg);
	cfg.host_ram[0].base = RAM;
	cfg.host_ram[0].size = 1 << 20;
	cfg.host_ram_count = 1;
	cfg.parts[0].id = 0x8001;
	cfg.parts[0].exec_ctx = 1;
	cfg.parts[0].props = FFA_PART_PROP_DIRECT_REQ_RECV;
	cfg.part_count = 1;
	if (tweak)
		tweak(&cfg);
	hook_errors = hook_smcs = hook_injected = 0;
	CHECK(sp != NULL);
	CHECK_EQ(simplat_init(sp, &cfg, &hooks, &why), 0);
	CHECK(why == NULL);
	return sp;
}

static void done(struct simplat *sp)
{
	simplat_destroy(sp);
	free(sp);
}

static struct ffa_regs regs1(uint64_t x0, uint64_t x1)
{
	struct ffa_regs r;

	memset(&r, 0, sizeof(r));
	r.x[0] = x0;
	r.x[1] = x1;
	return r;
}

static void test_world(void)
{
	struct simplat *sp = world(NULL);
	struct simmem_page pg;
	struct ffp_info info;

	ffp_info(sp->proxy, &info);
	CHECK(info.ffa_enabled);
	CHECK_EQ(info.spmc_version, FFA_VERSION_1_2);
	CHECK(hook_smcs >= 2); /* SMCCC_VERSION and FFA_VERSION were traced */
	CHECK_EQ(simmem_page(sp->mem, SIMPLAT_HYP_BUFFERS_PA, &pg), 0);
	CHECK_EQ(pg.owner, SIMMEM_OWNER_HYP);
	CHECK_EQ(simmem_page(sp->mem, SIMPLAT_HYP_BUFFERS_PA +
					  (2 * SIMPLAT_HYP_BUFFER_PAGES - 1) * 4096,
			     &pg), 0);
	CHECK_EQ(simmem_page(sp->mem, RAM, &pg), 0);
	CHECK_EQ(pg.owner, 0);
	CHECK_EQ(sp->spmc.part_count, 1);
	/* the host cannot touch the proxy's own buffers */
	{
		uint8_t b;

		CHECK_EQ(sp->ops.caller_read(sp, 0, SIMPLAT_HYP_BUFFERS_PA, &b, 1),
			 FFA_DENIED);
		CHECK_EQ(sp->ops.caller_read(sp, 0, RAM, &b, 1), 0);
	}
	CHECK_EQ(hook_errors, 0);
	done(sp);
}

static void bad_ram(struct simplat_config *cfg)
{
	cfg->host_ram[0].base = SIMPLAT_HYP_BUFFERS_PA;
}

static void test_world_refused(void)
{
	struct simplat sp;
	struct simplat_config cfg;
	const char *why = NULL;

	simplat_config_default(&cfg);
	bad_ram(&cfg);
	cfg.host_ram[0].size = 4096;
	cfg.host_ram_count = 1;
	CHECK(simplat_init(&sp, &cfg, NULL, &why) != 0);
	CHECK(why != NULL);
	simplat_destroy(&sp);
}

static void test_fault_smc(void)
{
	struct simplat *sp = world(NULL);
	struct ffa_regs r;
	uint32_t before = sp->spmc.calls[FFA_FN_ID_GET];
	uint64_t calls = sp->calls[SIMPLAT_OP_SMC];

	simplat_fault(sp, SIMPLAT_OP_SMC, 2, FFA_ABORTED);
	r = regs1(FFA_ID_GET_32, 0);
	sp->ops.smc(sp, &r);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32); /* the first passes */
	r = regs1(FFA_ID_GET_32, 0);
	r.x[5] = 77;
	sp->ops.smc(sp, &r);
	CHECK_EQ(r.x[0], FFA_ERROR_32);
	CHECK_EQ(r.x[2], (uint32_t)FFA_ABORTED);
	CHECK_EQ(r.x[5], 0);
	CHECK_EQ(sp->spmc.calls[FFA_FN_ID_GET], before + 1); /* never reached */
	CHECK_EQ(hook_injected, 1);
	r = regs1(FFA_ID_GET_32, 0);
	sp->ops.smc(sp, &r);
	CHECK_EQ(r.x[0], FFA_SUCCESS_32); /* one-shot */
	CHECK_EQ(sp->calls[SIMPLAT_OP_SMC], calls + 3);
	done(sp);
}

static void test_fault_memory(void)
{
	struct simplat *sp = world(NULL);
	struct simmem_page pg;
	uint8_t b[4] = { 1, 2, 3, 4 }, got[4];

	simplat_fault(sp, SIMPLAT_OP_TRANSITION, 1, FFA_NO_MEMORY);
	CHECK_EQ(sp->ops.page_transition(sp, 0, RAM, 4096, FFP_PAGE_OWNED,
					 FFP_PAGE_LENT),
		 FFA_NO_MEMORY);
	CHECK_EQ(simmem_page(sp->mem, RAM, &pg), 0);
	CHECK_EQ(pg.state, FFP_PAGE_OWNED);
	CHECK_EQ(sp->ops.page_transition(sp, 0, RAM, 4096, FFP_PAGE_OWNED,
					 FFP_PAGE_LENT), 0);
	CHECK_EQ(simmem_page(sp->mem, RAM, &pg), 0);
	CHECK_EQ(pg.state, FFP_PAGE_LENT);
	/* the owner lost access to lent memory */
	CHECK_EQ(sp->ops.caller_write(sp, 0, RAM, b, 4), FFA_DENIED);

	simplat_fault(sp, SIMPLAT_OP_WRITE, 1, FFA_DENIED);
	CHECK_EQ(sp->ops.caller_write(sp, 0, RAM + 4096, b, 4), FFA_DENIED);
	CHECK_EQ(simmem_read(sp->mem, RAM + 4096, got, 4), 0);
	CHECK_EQ(got[0], 0); /* nothing written */
	CHECK_EQ(sp->ops.caller_write(sp, 0, RAM + 4096, b, 4), 0);
	simplat_fault(sp, SIMPLAT_OP_READ, 2, FFA_BUSY);
	CHECK_EQ(sp->ops.caller_read(sp, 0, RAM + 4096, got, 4), 0);
	CHECK_EQ(got[3], 4);
	CHECK_EQ(sp->ops.caller_read(sp, 0, RAM + 4096, got, 4), FFA_BUSY);
	CHECK_EQ(sp->calls[SIMPLAT_OP_READ], 2);
	CHECK_EQ(sp->calls[SIMPLAT_OP_WRITE], 3);
	CHECK_EQ(sp->calls[SIMPLAT_OP_TRANSITION], 2);
	done(sp);
}

static void test_locks(void)
{
	struct simplat *sp = world(NULL);
	struct ffa_regs r;

	sp->ops.lock(sp, FFP_LOCK_STATE);
	sp->ops.unlock(sp, FFP_LOCK_STATE);
	CHECK_EQ(hook_errors, 0);
	sp->ops.lock(sp, FFP_LOCK_STATE);
	sp->ops.lock(sp, FFP_LOCK_STATE); /* recursive */
	CHECK_EQ(hook_errors, 1);
	sp->ops.unlock(sp, FFP_LOCK_STATE);
	sp->ops.unlock(sp, FFP_LOCK_STATE);
	sp->ops.unlock(sp, FFP_LOCK_STATE); /* free */
	CHECK_EQ(hook_errors, 2);
	/* a lock left held across a call is reported */
	sp->ops.lock(sp, FFP_LOCK_BUFFERS);
	r = regs1(FFA_VERSION_32, FFA_VERSION_1_2);
	CHECK(simplat_call(sp, 0, &r));
	CHECK_EQ(hook_errors, 3);
	CHECK_EQ(sp->held[0][FFP_LOCK_BUFFERS], 0);
	/* the proxy itself balances its locks */
	r = regs1(FFA_ID_GET_32, 0);
	CHECK(simplat_call(sp, 0, &r));
	CHECK_EQ(hook_errors, 3);
	CHECK_EQ(sp->errors, 3);
	done(sp);
}

static void test_nested(void)
{
	struct simplat *sp = world(NULL);
	struct ffa_regs r = regs1(FFA_ID_GET_32, 0), n = regs1(FFA_VERSION_32,
							      FFA_VERSION_1_1);

	simplat_nested(sp, 2, 0, &n);
	sp->ops.smc(sp, &r);
	CHECK(!sp->nested_ran);
	r = regs1(FFA_ID_GET_32, 0);
	sp->ops.smc(sp, &r);
	CHECK(sp->nested_ran);
	CHECK(sp->nested_handled);
	CHECK_EQ(sp->nested_reply.x[0], FFA_VERSION_1_2);
	CHECK_EQ(sp->cpu, 0);
	/* a nested call that needs a lock the interrupted call holds */
	sp->ops.lock(sp, FFP_LOCK_STATE);
	n = regs1(FFA_RXTX_MAP_64, RAM);
	n.x[2] = RAM + 4096;
	n.x[3] = 1;
	simplat_nested(sp, 1, 0, &n);
	r = regs1(FFA_ID_GET_32, 0);
	sp->ops.smc(sp, &r);
	CHECK(sp->nested_ran);
	CHECK(hook_errors >= 1);
	sp->ops.unlock(sp, FFP_LOCK_STATE);
	done(sp);
}

static void absent(struct simplat_config *cfg)
{
	cfg->spmc_absent = true;
}

static void smccc_1_0(struct simplat_config *cfg)
{
	cfg->smccc_version = 0x10000;
}

static void test_firmware_without_ffa(void)
{
	struct simplat *sp = world(absent);
	struct ffp_info info;
	struct ffa_regs r = regs1(FFA_VERSION_32, FFA_VERSION_1_2);

	ffp_info(sp->proxy, &info);
	CHECK(!info.ffa_enabled);
	sp->ops.smc(sp, &r);
	CHECK_EQ(r.x[0], 0xffffffffu);
	r = regs1(SMCCC_VERSION, 0);
	sp->ops.smc(sp, &r);
	CHECK_EQ(r.x[0], SMCCC_VERSION_1_2); /* EL3 is there, FF-A is not */
	done(sp);

	sp = world(smccc_1_0);
	ffp_info(sp->proxy, &info);
	CHECK(!info.ffa_enabled);
	r = regs1(SMCCC_VERSION, 0);
	sp->ops.smc(sp, &r);
	CHECK_EQ(r.x[0], 0xffffffffu);
	done(sp);
}

static void test_vms(void)
{
	struct simplat *sp = world(NULL);
	struct ffp_endpoint_info info;
	struct simmem_page pg;

	CHECK_EQ(simplat_vm_add(sp, 1, 0x90000000, 0x10000), 0);
	CHECK_EQ(ffp_endpoint_info(sp->proxy, 1, &info), 0);
	CHECK(info.present);
	CHECK_EQ(simmem_page(sp->mem, 0x9000f000, &pg), 0);
	CHECK_EQ(pg.owner, 1);
	/* a second region for the same VM */
	CHECK_EQ(simplat_vm_add(sp, 1, 0xa0000000, 0x1000), 0);
	/* overlapping memory: refused, and no endpoint left behind */
	CHECK(simplat_vm_add(sp, 2, RAM, 0x1000) != 0);
	CHECK(ffp_endpoint_info(sp->proxy, 2, &info) != 0 || !info.present);
	CHECK(simplat_vm_add(sp, 0, 0xb0000000, 0x1000) != 0);
	CHECK_EQ(simplat_vm_destroy(sp, 1), 0);
	CHECK(ffp_endpoint_info(sp->proxy, 1, &info) != 0 || !info.present);
	CHECK_EQ(simmem_page(sp->mem, 0x90000000, &pg), FFA_DENIED);
	CHECK_EQ(simmem_page(sp->mem, 0xa0000000, &pg), FFA_DENIED);
	CHECK_EQ(simmem_page(sp->mem, RAM, &pg), 0); /* the host's stays */
	CHECK_EQ(hook_errors, 0);
	done(sp);
}

int main(void)
{
	RUN(test_world);
	RUN(test_world_refused);
	RUN(test_fault_smc);
	RUN(test_fault_memory);
	RUN(test_locks);
	RUN(test_nested);
	RUN(test_firmware_without_ffa);
	RUN(test_vms);
	return test_summary("test_simplat");
}
