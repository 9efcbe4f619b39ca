/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * Threaded stress test: one thread per simulated CPU (4) enters the same
 * proxy instance at once (simplat in threaded mode: the proxy's locks are
 * real mutexes), each for a fixed number of iterations, hammering
 * RXTX_MAP/UNMAP, PARTITION_INFO_GET and RX_RELEASE, direct requests,
 * ID_GET/FEATURES, MEM_SHARE/LEND (whole and in two fragments) and
 * MEM_RECLAIM, with partitions retrieving and relinquishing behind the
 * proxy's back, and VMs torn down and re-created while the others work. Each CPU mostly drives its own endpoint (the host, VMs 1
 * to 3) and sometimes VM 1, like a VM with several vCPUs, so endpoint
 * state and buffers are contended too.
 *
 * Checked: every reply obeys the register rules (sim/invariant.h R1-R4)
 * and is one the call may give; no lock misuse; at the end the world
 * invariants hold (W1-W4) and, after tidying up from one thread, every
 * page is owned again and neither the SPMC nor the proxy holds a
 * transaction. Nothing here depends on timing: the interleaving varies,
 * the checks do not. tests/extra/tsan-stress.sh runs it under
 * ThreadSanitizer (STRESS_ITERS sets the iterations per CPU).
 */
#include <stdlib.h>
#include <string.h>

#include <ffaproxy/mem.h>

#include "check.h"
#include "sim/invariant.h"

#define CPUS 4
#define RAM_SIZE 0x100000ull /* each endpoint */
#define RX_OFF 0x10000ull
#define DATA_OFF 0x40000ull /* each CPU's pages: DATA_OFF + cpu * 64 KiB */
#define MAX_HANDLES 256

static struct simplat sp;
static int lock_errors;

enum { A_MAP, A_UNMAP, A_PINFO, A_DIRECT, A_ID, A_SHARE, A_FRAG, A_RECLAIM,
       A_RETRIEVE, A_TEARDOWN, A_COUNT };
static const char *const action_names[A_COUNT] = {
	"map", "unmap", "partition info", "direct request", "id/features",
	"share", "fragmented lend", "reclaim", "retrieve/relinquish",
	"VM teardown",
};

struct cpu {
	unsigned id;
	uint32_t rng;
	struct inv iv; /* for inv_check_regs (its reason buffer) */
	uint64_t handles[MAX_HANDLES];
	uint16_t handle_ep[MAX_HANDLES];
	unsigned nhandles;
	unsigned ok[A_COUNT];
	unsigned bad;
	char why[INV_WHY + 128];
	int iters;
};

static uint64_t ram(uint16_t ep)
{
	return ep == 0 ? 0x80000000ull : 0x90000000ull + ep * 0x1000000ull;
}

static uint32_t rnd(struct cpu *c)
{
	c->rng ^= c->rng << 13;
	c->rng ^= c->rng >> 17;
	c->rng ^= c->rng << 5;
	return c->rng;
}

static void on_error(void *ctx, const char *what)
{
	(void)ctx;
	(void)what;
	lock_errors++; /* called with the world lock held */
}

/* A call from `ep` on this CPU; false (and c->bad) when a rule broke. */
static bool call(struct cpu *c, uint16_t ep, struct ffa_regs *r)
{
	struct ffa_regs in = *r;

	if (!simplat_call(&sp, ep, r)) {
		snprintf(c->why, sizeof(c->why), "call 0x%llx not handled",
			 (unsigned long long)in.x[0]);
		c->bad++;
		return false;
	}
	if (inv_check_regs(&c->iv, ep, &in, r)) {
		snprintf(c->why, sizeof(c->why), "%s", c->iv.why);
		c->bad++;
		return false;
	}
	return true;
}

static bool is_err(const struct ffa_regs *r, int32_t st)
{
	return (uint32_t)r->x[0] == FFA_ERROR_32 &&
	       (int32_t)(uint32_t)r->x[2] == st;
}

static bool is_ok(const struct ffa_regs *r)
{
	return (uint32_t)r->x[0] == FFA_SUCCESS_32;
}

/* The reply must be one of the outcomes listed (SUCCESS or the given
 * errors); otherwise it is a failure with a reason. */
static void expect(struct cpu *c, int action, const struct ffa_regs *r,
		   bool good, const char *what)
{
	if (good) {
		if (is_ok(r) || (uint32_t)r->x[0] != FFA_ERROR_32)
			c->ok[action]++;
		return;
	}
	snprintf(c->why, sizeof(c->why), "%s: unexpected reply 0x%llx w2=%d",
		 what, (unsigned long long)r->x[0], (int32_t)(uint32_t)r->x[2]);
	c->bad++;
}

static void do_map(struct cpu *c, uint16_t ep)
{
	struct ffa_regs r = { { FFA_RXTX_MAP_64, ram(ep), ram(ep) + RX_OFF, 1 } };

	if (call(c, ep, &r))
		expect(c, A_MAP, &r, is_ok(&r) || is_err(&r, FFA_DENIED),
		       "RXTX_MAP");
}

static void do_unmap(struct cpu *c, uint16_t ep)
{
	struct ffa_regs r = { { FFA_RXTX_UNMAP_32 } };

	if (call(c, ep, &r))
		expect(c, A_UNMAP, &r,
		       is_ok(&r) || is_err(&r, FFA_INVALID_PARAMETERS) ||
			       is_err(&r, FFA_BUSY),
		       "RXTX_UNMAP");
}

static void do_pinfo(struct cpu *c, uint16_t ep)
{
	struct ffa_regs r = { { FFA_PARTITION_INFO_GET_32 } };

	if (!call(c, ep, &r))
		return;
	/* BUSY: no buffers, or RX still held (by another vCPU's call). */
	expect(c, A_PINFO, &r,
	       (is_ok(&r) && r.x[2] == 2 && r.x[3] == 24) ||
		       is_err(&r, FFA_BUSY),
	       "PARTITION_INFO_GET");
	if (!is_ok(&r))
		return;
	memset(&r, 0, sizeof(r));
	r.x[0] = FFA_RX_RELEASE_32;
	if (call(c, ep, &r)) /* DENIED: another vCPU released it first */
		expect(c, A_PINFO, &r, is_ok(&r) || is_err(&r, FFA_DENIED),
		       "RX_RELEASE");
}

static void do_direct(struct cpu *c, uint16_t ep)
{
	bool smc64 = rnd(c) & 1;
	struct ffa_regs r = { { smc64 ? FFA_MSG_SEND_DIRECT_REQ_64
				      : FFA_MSG_SEND_DIRECT_REQ_32,
				(uint32_t)ep << 16 | 0x8001 } };
	unsigned i;

	for (i = 3; i < 8; i++)
		r.x[i] = c->id * 100 + i;
	if (!call(c, ep, &r))
		return;
	/* The SPMC model answers with each payload word plus one. */
	expect(c, A_DIRECT, &r,
	       (uint32_t)r.x[0] == (smc64 ? FFA_MSG_SEND_DIRECT_RESP_64
					  : FFA_MSG_SEND_DIRECT_RESP_32) &&
		       r.x[1] == (0x8001u << 16 | ep) &&
		       r.x[3] == c->id * 100 + 4 && r.x[7] == c->id * 100 + 8,
	       "DIRECT_REQ");
}

/* The embedder's view of an endpoint (ffp_endpoint_info), read while
 * other CPUs map and unmap its buffers, is one the endpoint was in:
 * buffers mapped at their addresses, or none. */
static void view(struct cpu *c, uint16_t ep)
{
	struct ffp_endpoint_info e;

	if (ffp_endpoint_info(sp.proxy, ep, &e) || !e.present) {
		snprintf(c->why, sizeof(c->why), "endpoint %u view: absent", ep);
		c->bad++;
		return;
	}
	if (e.buffers_mapped ? e.tx_pa != ram(ep) ||
				       e.rx_pa != ram(ep) + RX_OFF ||
				       e.buffer_pages != 1
			     : e.tx_pa || e.rx_pa || e.buffer_pages ||
				       e.rx_held) {
		snprintf(c->why, sizeof(c->why),
			 "endpoint %u view torn: mapped %d tx 0x%llx rx 0x%llx "
			 "pages %u rx held %d",
			 ep, e.buffers_mapped, (unsigned long long)e.tx_pa,
			 (unsigned long long)e.rx_pa, e.buffer_pages,
			 e.rx_held);
		c->bad++;
	}
}

static void do_id(struct cpu *c, uint16_t ep)
{
	struct ffa_regs r = { { FFA_ID_GET_32 } };

	view(c, 1); /* VM 1: every CPU maps and unmaps it */

	if (call(c, ep, &r))
		expect(c, A_ID, &r, is_ok(&r) && r.x[2] == ep, "ID_GET");
	memset(&r, 0, sizeof(r));
	r.x[0] = FFA_FEATURES_32;
	r.x[1] = FFA_MEM_SHARE_64;
	if (call(c, ep, &r))
		expect(c, A_ID, &r, is_ok(&r), "FEATURES");
}

static void keep_handle(struct cpu *c, uint16_t ep, const struct ffa_regs *r)
{
	if (c->nhandles == MAX_HANDLES)
		return;
	c->handle_ep[c->nhandles] = ep;
	c->handles[c->nhandles++] = (uint32_t)r->x[2] | r->x[3] << 32;
}

/* A 1.2 descriptor of `n` one-page ranges in this CPU's own pages of
 * `ep`, written to ep's TX buffer (as the guest would). */
static uint32_t write_desc(struct cpu *c, uint16_t ep, uint32_t fn, uint32_t n,
			   uint8_t *d, uint32_t cap)
{
	struct ffa_mem_txn t;
	uint32_t hdr, len, i, first = rnd(c) % 8;

	memset(&t, 0, sizeof(t));
	t.sender = ep;
	t.receiver_count = 1;
	t.receivers[0].id = 0x8001 + rnd(c) % 2;
	t.receivers[0].perms = FFA_MEM_PERM_RW;
	t.attributes = fn == FFA_FN_MEM_SHARE ? 0x2f : 0;
	t.range_count = n;
	t.total_pages = n;
	if (ffa_mem_emit(FFA_VERSION_1_2, &t, d, cap, &hdr))
		return 0;
	for (i = 0; i < n; i++) {
		uint64_t pa = ram(ep) + DATA_OFF + c->id * 0x10000ull +
			      ((first + 2 * i) % 16) * FFA_PAGE_SIZE;

		ffa_put64(d + hdr + 16 * i, pa);
		ffa_put32(d + hdr + 16 * i + 8, 1);
		ffa_put32(d + hdr + 16 * i + 12, 0);
	}
	len = hdr + 16 * n;
	return len;
}

static void tx_write(uint16_t ep, const uint8_t *d, uint32_t len)
{
	simplat_world_lock(&sp);
	(void)simmem_write(sp.mem, ram(ep), d, len);
	simplat_world_unlock(&sp);
}

/* Refusals a memory call may get here: no buffers or pages already in a
 * transaction (DENIED), a race on the TX buffer (INVALID_PARAMETERS), the
 * proxy busy with the same record (BUSY), the SPMC's table full
 * (NO_MEMORY). */
static bool mem_refusal(const struct ffa_regs *r)
{
	return is_err(r, FFA_DENIED) || is_err(r, FFA_INVALID_PARAMETERS) ||
	       is_err(r, FFA_BUSY) || is_err(r, FFA_NO_MEMORY);
}

static void do_share(struct cpu *c, uint16_t ep)
{
	uint8_t d[512];
	uint32_t len = write_desc(c, ep, FFA_FN_MEM_SHARE, 1 + rnd(c) % 3, d,
				  sizeof(d));
	struct ffa_regs r = { { FFA_MEM_SHARE_64, len, len } };

	tx_write(ep, d, len);
	if (!call(c, ep, &r))
		return;
	expect(c, A_SHARE, &r, is_ok(&r) || mem_refusal(&r), "MEM_SHARE");
	if (is_ok(&r))
		keep_handle(c, ep, &r);
}

/* A lend in two fragments: the first carries the header and one range,
 * FRAG_TX the other two. */
static void do_frag(struct cpu *c, uint16_t ep)
{
	uint8_t d[512];
	uint32_t len = write_desc(c, ep, FFA_FN_MEM_LEND, 3, d, sizeof(d));
	uint32_t first = len - 32;
	struct ffa_regs r = { { FFA_MEM_LEND_32, len, first } };
	uint64_t h;

	tx_write(ep, d, first);
	if (!call(c, ep, &r))
		return;
	if ((uint32_t)r.x[0] != FFA_MEM_FRAG_RX_32) {
		expect(c, A_FRAG, &r, mem_refusal(&r), "MEM_LEND first fragment");
		return;
	}
	h = (uint32_t)r.x[1] | r.x[2] << 32;
	tx_write(ep, d + first, 32);
	memset(&r, 0, sizeof(r));
	r.x[0] = FFA_MEM_FRAG_TX_32;
	r.x[1] = (uint32_t)h;
	r.x[2] = h >> 32;
	r.x[3] = 32;
	if (!call(c, ep, &r))
		return;
	/* Another vCPU's write to the TX buffer in between makes the
	 * fragment invalid: the whole transaction is then aborted. */
	expect(c, A_FRAG, &r,
	       (is_ok(&r) && ((uint32_t)r.x[2] | r.x[3] << 32) == h) ||
		       mem_refusal(&r),
	       "MEM_FRAG_TX");
	if (is_ok(&r))
		keep_handle(c, ep, &r);
}

static void drop_handle(struct cpu *c, unsigned i)
{
	c->handles[i] = c->handles[--c->nhandles];
	c->handle_ep[i] = c->handle_ep[c->nhandles];
}

static void do_reclaim(struct cpu *c)
{
	struct ffa_regs r = { { FFA_MEM_RECLAIM_32 } };
	unsigned i;

	if (!c->nhandles)
		return;
	i = rnd(c) % c->nhandles;
	r.x[1] = (uint32_t)c->handles[i];
	r.x[2] = c->handles[i] >> 32;
	if (!call(c, c->handle_ep[i], &r))
		return;
	/* DENIED: a partition holds it; BUSY: in use on another CPU. */
	expect(c, A_RECLAIM, &r,
	       is_ok(&r) || is_err(&r, FFA_DENIED) || is_err(&r, FFA_BUSY),
	       "MEM_RECLAIM");
	if (is_ok(&r))
		drop_handle(c, i);
}

static void do_partition(struct cpu *c)
{
	uint64_t h;
	int st;

	if (!c->nhandles)
		return;
	h = c->handles[rnd(c) % c->nhandles];
	simplat_world_lock(&sp);
	st = spmc_sp_retrieve(&sp.spmc, 0x8001, h);
	if (st)
		st = spmc_sp_retrieve(&sp.spmc, 0x8002, h);
	if (!st && rnd(c) % 2) {
		(void)spmc_sp_relinquish(&sp.spmc, 0x8001, h);
		(void)spmc_sp_relinquish(&sp.spmc, 0x8002, h);
	}
	simplat_world_unlock(&sp);
	c->ok[A_RETRIEVE]++;
}

/*
 * The VM this CPU alone drives (2 or 3) goes away and comes back while the
 * other CPUs work: ffp_endpoint_remove aborts its pending fragments and
 * reclaims its transactions (taking the proxy's locks against the other
 * CPUs' calls). Partitions let go of its memory first, so no orphan is
 * left and the VM's memory can be handed back and added again; a failure
 * to re-add it means something of the old VM was left behind.
 */
static void do_teardown(struct cpu *c)
{
	uint16_t ep = (uint16_t)c->id;
	struct ffa_regs r = { { FFA_VERSION_32, FFA_VERSION_1_2 } };
	unsigned i;
	int st;

	if (ep < 2)
		return;
	simplat_world_lock(&sp);
	for (i = 0; i < c->nhandles; i++) {
		if (c->handle_ep[i] != ep)
			continue;
		(void)spmc_sp_relinquish(&sp.spmc, 0x8001, c->handles[i]);
		(void)spmc_sp_relinquish(&sp.spmc, 0x8002, c->handles[i]);
	}
	simplat_world_unlock(&sp);
	st = simplat_vm_destroy(&sp, ep);
	for (i = 0; i < c->nhandles;) {
		if (c->handle_ep[i] == ep)
			drop_handle(c, i);
		else
			i++;
	}
	if (!st)
		st = simplat_vm_add(&sp, ep, ram(ep), RAM_SIZE);
	if (st) {
		snprintf(c->why, sizeof(c->why),
			 "VM %u teardown and re-creation: status %d", ep, st);
		c->bad++;
		return;
	}
	simplat_call(&sp, ep, &r);
	c->ok[A_TEARDOWN]++;
}

static void *cpu_main(void *arg)
{
	struct cpu *c = arg;
	int i;

	for (i = 0; i < c->iters && !c->bad; i++) {
		uint16_t ep = rnd(c) % 4 ? (uint16_t)c->id : 1;

		switch (rnd(c) % 12) {
		case 0:
			do_map(c, ep);
			break;
		case 1:
			do_unmap(c, ep);
			break;
		case 2:
			do_pinfo(c, ep);
			break;
		case 3:
			do_direct(c, ep);
			break;
		case 4:
			do_id(c, ep);
			break;
		case 5:
		case 6:
			do_share(c, ep);
			break;
		case 7:
			do_frag(c, ep);
			break;
		case 8:
		case 9:
			do_reclaim(c);
			break;
		case 10:
			do_partition(c);
			break;
		default:
			/* Now and then (about one call in 100 on CPUs
			 * 2 and 3) the CPU's own VM is torn down. */
			if (rnd(c) % 8 == 0)
				do_teardown(c);
			else
				do_map(c, (uint16_t)c->id);
			break;
		}
	}
	return NULL;
}

static void setup(void)
{
	struct simplat_config cfg;
	struct simplat_hooks hooks = { .error = on_error };
	static const uint8_t uuid[2][16] = { { 1, 2, 3 }, { 4, 5, 6 } };
	const char *why = NULL;
	uint16_t i;

	simplat_config_default(&cfg);
	for (i = 0; i < 2; i++) {
		cfg.parts[i].id = 0x8001 + i;
		memcpy(cfg.parts[i].uuid, uuid[i], 16);
		cfg.parts[i].exec_ctx = CPUS;
		cfg.parts[i].props = 0x703;
	}
	cfg.part_count = 2;
	cfg.host_ram[0].base = ram(0);
	cfg.host_ram[0].size = RAM_SIZE;
	cfg.host_ram_count = 1;
	if (simplat_init(&sp, &cfg, &hooks, &why) || simplat_threaded(&sp)) {
		fprintf(stderr, "setup: %s\n", why ? why : "threaded mode");
		exit(2);
	}
	for (i = 1; i < CPUS; i++)
		if (simplat_vm_add(&sp, i, ram(i), RAM_SIZE))
			exit(2);
	/* Every endpoint at 1.2 before the CPUs start. */
	for (i = 0; i < CPUS; i++) {
		struct ffa_regs r = { { FFA_VERSION_32, FFA_VERSION_1_2 } };

		simplat_call(&sp, i, &r);
	}
}

/* From one thread, after the others stopped: give everything back. */
static void tidy(struct cpu *cpus)
{
	unsigned k, i;

	for (k = 0; k < CPUS; k++) {
		struct cpu *c = &cpus[k];

		for (i = 0; i < c->nhandles; i++) {
			struct ffa_regs r = { { FFA_MEM_RECLAIM_32,
						(uint32_t)c->handles[i],
						c->handles[i] >> 32 } };

			(void)spmc_sp_relinquish(&sp.spmc, 0x8001, c->handles[i]);
			(void)spmc_sp_relinquish(&sp.spmc, 0x8002, c->handles[i]);
			simplat_call(&sp, c->handle_ep[i], &r);
			CHECK_EQ(r.x[0], FFA_SUCCESS_32);
		}
	}
	for (k = 0; k < CPUS; k++) {
		struct ffa_regs r = { { FFA_RXTX_UNMAP_32 } };

		simplat_call(&sp, (uint16_t)k, &r);
	}
}

static void test_stress(void)
{
	static struct cpu cpus[CPUS];
	pthread_t th[CPUS];
	struct ffp_transaction_info ti;
	struct inv iv;
	const char *env = getenv("STRESS_ITERS");
	int iters = env ? atoi(env) : 1500;
	unsigned k, a, bad = 0;

	setup();
	for (k = 0; k < CPUS; k++) {
		cpus[k].id = k;
		cpus[k].rng = 0x9e3779b9u * (k + 1);
		cpus[k].iters = iters;
		inv_init(&cpus[k].iv, &sp);
	}
	for (k = 0; k < CPUS; k++)
		CHECK_EQ(pthread_create(&th[k], NULL, cpu_main, &cpus[k]), 0);
	for (k = 0; k < CPUS; k++)
		pthread_join(th[k], NULL);
	for (k = 0; k < CPUS; k++) {
		if (cpus[k].bad)
			fprintf(stderr, "FAIL cpu %u: %s\n", k, cpus[k].why);
		bad += cpus[k].bad;
	}
	CHECK_EQ(bad, 0);
	CHECK_EQ(lock_errors, 0);

	inv_init(&iv, &sp);
	CHECK_EQ(inv_check_world(&iv), 0);
	if (iv.why[0])
		fprintf(stderr, "after the run: %s\n", iv.why);
	tidy(cpus);
	CHECK_EQ(inv_check_world(&iv), 0);
	if (iv.why[0])
		fprintf(stderr, "after tidying: %s\n", iv.why);
	CHECK_EQ(spmc_transaction_count(&sp.spmc), 0);
	CHECK(ffp_transaction_info(sp.proxy, 0, &ti) != 0);
	for (k = 0; k < CPUS; k++) {
		uint64_t off;

		for (off = 0; off < RAM_SIZE; off += FFA_PAGE_SIZE) {
			struct simmem_page pg;

			CHECK_EQ(simmem_page(sp.mem, ram((uint16_t)k) + off, &pg), 0);
			if (pg.state != FFP_PAGE_OWNED) {
				fprintf(stderr, "page 0x%llx is %s\n",
					(unsigned long long)(ram((uint16_t)k) + off),
					simmem_state_name(pg.state));
				CHECK_EQ(pg.state, FFP_PAGE_OWNED);
				break;
			}
		}
	}
	/* The run did what it says: every kind of call succeeded. */
	for (a = 0; a < A_COUNT; a++) {
		unsigned n = 0;

		for (k = 0; k < CPUS; k++)
			n += cpus[k].ok[a];
		if (!n)
			fprintf(stderr, "no %s ever succeeded\n", action_names[a]);
		CHECK(n > 0);
	}
	for (k = 0; k < CPUS; k++)
		inv_fini(&cpus[k].iv);
	inv_fini(&iv);
	simplat_destroy(&sp);
}

int main(void)
{
	RUN(test_stress);
	return test_summary("test_stress");
}
