/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * libFuzzer target for the whole proxy over the simulated platform: the
 * input builds a world (SPMC and proxy versions, policy, granule, limits)
 * and then drives it with a sequence of operations: calls from the host
 * (0), VMs 1 and 2 and an unknown endpoint, raw or from templates (valid
 * function ids and valid descriptors built with ffa_mem_emit, then
 * mutated; FFA_RUN of preempted targets), TX buffer contents, SPMC
 * misbehaviour knobs (preemption included), platform faults,
 * partition retrieve/relinquish and VM teardown, and nested calls: a
 * call or embedder operation run as another CPU at the k-th SMC or lock
 * boundary of the next call (op_nested). After every call the
 * invariant checker (sim/invariant.h) runs: registers (R1-R6), "a refused
 * call changed nothing", and the whole world (W1-W4); any violation, or a
 * lock misuse the platform saw, aborts with a reason.
 *
 * Input: 3 config bytes, then operations (format in fuzz/README.md and
 * in the op_* functions; fuzz/proxy_seeds.py writes them). Set
 * FUZZ_PROXY_TRACE=1 to print every operation and reply, e.g. to read a
 * crash: build/fuzz/bin/fuzz_proxy CRASH-FILE. FUZZ_PROXY_NO_BOGUS_HANDLE=1
 * keeps the SPMC's bogus-handle misbehaviour off, to look past a known
 * bug it triggers (fuzz/regressions/proxy/open-*).
 */
#include <ffaproxy/mem.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/invariant.h"
#include "sim/simplat.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define HOST_BASE 0x80000000ull
#define HOST_SIZE 0x200000ull /* 2 MiB */
#define VM_SIZE 0x100000ull   /* 1 MiB */
#define VM_INCARNATIONS 8
#define RX_OFFSET 0x40000ull   /* canonical buffers: TX at the base */
#define DATA_OFFSET 0x80000ull /* pages descriptors point at */
#define MAX_OPS 128
#define NHANDLES 16
#define NSLOTS 8

static const uint32_t versions[5] = { FFA_VERSION_1_0, FFA_VERSION_1_1,
				      FFA_VERSION_1_2, FFA_VERSION_1_3,
				      FFA_MAKE_VERSION(2, 0) };
static const int32_t statuses[6] = { FFA_DENIED, FFA_NO_MEMORY,
				     FFA_ABORTED, FFA_BUSY,
				     FFA_INVALID_PARAMETERS, FFA_RETRY };
static const uint16_t parts[3] = { 0x8001, 0x8002, 0x8003 };

struct fz {
	const uint8_t *p;
	size_t n;
	struct simplat sp;
	struct inv iv;
	bool trace;
	bool no_bogus_handle;
	uint8_t c1_set; /* FUZZ_PROXY_C1_SET */
	uint32_t granule;
	bool vm_alive[3];
	unsigned vm_inc[3];
	uint64_t handles[NHANDLES]; /* [0] newest */
	uint64_t slots[NSLOTS];
	struct ffa_regs last;
	uint32_t preempted; /* w1 of the last FFA_INTERRUPT or FFA_YIELD */
	/* A nested call (op 7 with bit 7): run as CPU 1 at the k-th next
	 * SMC or lock boundary of the next call. */
	struct {
		bool armed, live, fired, changed, infeasible;
		uint8_t mode; /* enum nest_mode */
		uint32_t k;
		uint8_t kind; /* 0: a call, 1: an embedder operation */
		uint16_t ep;
		struct ffa_regs req;
		uint8_t emb, emb_arg;
		/* A second call run right after the first on CPU 1 (a
		 * template, a byte 0xfc..0xfe selecting the first), e.g. a
		 * run for cycles and a new request both inside another
		 * request's SMC-to-record window. */
		bool two;
		uint16_t ep2;
		struct ffa_regs req2;
	} nest;
	bool stop; /* an infeasible interleaving: drop the rest */
	void (*real_smc)(void *, struct ffa_regs *);
	void (*real_smc8)(void *, struct ffa_regs *);
	void (*real_lock)(void *, enum ffp_lock);
	void (*real_unlock)(void *, enum ffp_lock);
	/* A descriptor still being sent with FFA_MEM_FRAG_TX. */
	struct {
		bool on;
		uint16_t ep;
		uint64_t handle;
		uint8_t *desc;
		uint32_t len, sent;
	} pend;
};

/* ---- Input */

static uint8_t get8(struct fz *f)
{
	if (!f->n)
		return 0;
	f->n--;
	return *f->p++;
}

/* Little-endian; one statement per byte (C leaves the order of the
 * operands of | unspecified). */
static uint16_t get16(struct fz *f)
{
	uint16_t lo = get8(f);

	return (uint16_t)(lo | get8(f) << 8);
}

static uint32_t get32(struct fz *f)
{
	uint32_t lo = get16(f);

	return lo | (uint32_t)get16(f) << 16;
}

static uint64_t get64(struct fz *f)
{
	uint64_t lo = get32(f);

	return lo | (uint64_t)get32(f) << 32;
}

/* ---- The world */

static uint64_t vm_base(const struct fz *f, uint16_t id)
{
	return 0x90000000ull + (uint64_t)(id - 1) * 0x10000000ull +
	       (uint64_t)f->vm_inc[id] * 0x1000000ull;
}

static uint64_t ram_base(const struct fz *f, uint16_t ep)
{
	return ep == 0 ? HOST_BASE : ep <= 2 ? vm_base(f, ep) : 0xC0000000ull;
}

static uint64_t ram_pages(uint16_t ep)
{
	return (ep == 0 ? HOST_SIZE : VM_SIZE) / FFA_PAGE_SIZE;
}

/* Endpoint of a selector byte: 0, 1, 2, or 3 (never added). */
static uint16_t pick_ep(uint8_t b)
{
	return (uint16_t)(b % 4);
}

static uint32_t caller_version(struct fz *f, uint16_t ep)
{
	struct ffp_endpoint_info e;

	if (ffp_endpoint_info(f->sp.proxy, ep, &e) || !e.version_set)
		return FFA_VERSION_1_0;
	return e.version;
}

static void die(struct fz *f, const char *fmt, ...)
{
	va_list ap;

	(void)f;
	fprintf(stderr, "fuzz_proxy: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	abort();
}

static void tracef(struct fz *f, const char *fmt, ...)
{
	va_list ap;

	if (!f->trace)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

/* VM 1 gets a bounce pair for indirect messages at each incarnation
 * (ffp_endpoint_set_msg_buffers; refused over a 1.0 SPMC), VM 2 none:
 * partitions' messages to VM 1 go through it, VM 2's MSG_SEND2 stays
 * NOT_SUPPORTED, and the id's removal unmaps it (W11). */
static void vm_bounce(struct fz *f, uint16_t id)
{
	uint64_t pa = SIMPLAT_BOUNCE_PA + (uint64_t)f->vm_inc[id] * 0x4000u;
	int st;

	if (id != 1)
		return;
	st = simplat_vm_msg_buffers(&f->sp, id, pa, pa + 0x2000, 1);
	tracef(f, "vm %u bounce pair at 0x%llx: %d\n", id,
	       (unsigned long long)pa, st);
}

static void check_world(struct fz *f, const char *after)
{
	if (inv_check_world(&f->iv))
		die(f, "after %s: %s", after, f->iv.why);
	if (f->sp.errors)
		die(f, "after %s: platform contract broken (lock misuse)",
		    after);
}

static void on_error(void *ctx, const char *what)
{
	struct fz *f = ctx;

	tracef(f, "  platform: %s\n", what);
}

/* FUZZ_PROXY_TRACE: every SMC the proxy makes too (embedder operations
 * included). */
static void on_smc(void *ctx, unsigned depth, const struct ffa_regs *req,
		   const struct ffa_regs *reply, bool injected)
{
	struct fz *f = ctx;
	unsigned i;

	if (!f->trace)
		return;
	fprintf(stderr, "    %ssmc%s", depth ? "cpu1 " : "",
		injected ? " (fault)" : "");
	for (i = 0; i < 8; i++)
		fprintf(stderr, " %llx", (unsigned long long)req->x[i]);
	fprintf(stderr, " ->");
	for (i = 0; i < 8; i++)
		fprintf(stderr, " %llx", (unsigned long long)reply->x[i]);
	fprintf(stderr, "\n");
}

static const uint8_t part_uuid[3][16] = {
	{ 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0x11, 0x22, 0x33,
	  0x44, 0x55, 0x66, 0x77, 0x88 },
	{ 0xa0, 0xa1, 0xa2, 0xa3, 0xb0, 0xb1, 0xc0, 0xc1, 0xd0, 0xd1, 0xe0,
	  0xe1, 0xe2, 0xe3, 0xe4, 0xe5 },
	{ 0 }, /* 0x8003 has no UUID of its own at a 1.0 SPMC */
};

static uint32_t pick_version(uint8_t b)
{
	static const uint32_t v[4] = { FFA_VERSION_1_2, FFA_VERSION_1_1,
				       FFA_VERSION_1_0, FFA_VERSION_1_2 };

	return v[b & 3];
}

static struct fz *nest_fz; /* the platform context is the simplat */
static void nest_smc(void *ctx, struct ffa_regs *r);
static void nest_smc8(void *ctx, struct ffa_regs *r);
static void nest_lock(void *ctx, enum ffp_lock which);
static void nest_unlock(void *ctx, enum ffp_lock which);

static bool world_init(struct fz *f)
{
	static const uint32_t desc_size[4] = { 64 * 1024, 4096, 8192, 16384 };
	/* Small tables by default: ffp_init clears the whole instance at
	 * every input. */
	static const uint32_t txns[4] = { 64, 2, 4, 1024 };
	static const uint32_t ranges[4] = { 512, 8, 32, 16384 };
	static const uint32_t granules[4] = { 4096, 4096, 16384, 65536 };
	struct simplat_config cfg;
	struct simplat_hooks hooks = { .ctx = f, .error = on_error,
				       .smc = on_smc };
	uint8_t c0 = get8(f), c1 = get8(f), c2 = get8(f);
	const char *why;
	unsigned i;

	/* FUZZ_PROXY_C1_SET=0x30: config byte 1 bits forced on (e.g. both
	 * notification_pending and the SPMC lacking GET_REGS). */
	c1 = (uint8_t)(c1 | f->c1_set);
	simplat_config_default(&cfg);
	cfg.spmc_version = pick_version(c0);
	cfg.proxy.version = pick_version(c0 >> 2);
	cfg.proxy.policy = c0 & 0x10 ? FFP_POLICY_STRICT : FFP_POLICY_TRANSLATE;
	if (c0 & 0x20)
		cfg.smccc_version = SMCCC_VERSION_1_1;
	cfg.spmc_absent = (c0 & 0xc0) == 0xc0;
	f->granule = granules[c1 & 3];
	cfg.proxy.granule = f->granule;
	cfg.hyp_buffer_pages = 1 + ((c1 >> 2) & 3) * 5;
	/* VMs' INFO_GET lists to the platform (notification_pending), or
	 * to the host. */
	cfg.notification_pending = (c1 & 0x10) != 0;
	/* The SPMC holds a normal-world pair an earlier boot stage left:
	 * the proxy's first map is DENIED, it unmaps and maps again. */
	cfg.spmc_stale_pair = (c1 & 0x80) != 0;
	cfg.proxy.max_descriptor_size = desc_size[c2 & 3];
	cfg.proxy.max_transactions = txns[(c2 >> 2) & 3];
	cfg.proxy.max_ranges = ranges[(c2 >> 4) & 3];
	/* Pages taken per fragment, or per range. */
	cfg.per_range_transitions = (c2 & 0x40) != 0;
	/* Direct requests in the caller's registers, or a private copy. */
	cfg.no_smc_x0_x7 = (c2 & 0x80) != 0;
	for (i = 0; i < 3; i++) {
		cfg.parts[i].id = parts[i];
		memcpy(cfg.parts[i].uuid, part_uuid[i], 16);
		cfg.parts[i].exec_ctx = 1;
		cfg.parts[i].props = i == 2 ? 0x1 : 0x703;
		/* 0x8001 sends indirect messages (op_sp_notif). */
		if (i == 0)
			cfg.parts[i].props |= FFA_PART_PROP_INDIRECT_MSG;
		/* VM availability: 0x8001 subscribed to both messages,
		 * 0x8002 to VM_CREATED, 0x8003 to VM_DESTROYED. */
		cfg.parts[i].props |= i == 0   ? FFA_PART_PROP_VM_CREATED |
							 FFA_PART_PROP_VM_DESTROYED
				      : i == 1 ? FFA_PART_PROP_VM_CREATED
					       : FFA_PART_PROP_VM_DESTROYED;
	}
	cfg.part_count = 3;
	cfg.uuids[0].id = 0x8001;
	memcpy(cfg.uuids[0].uuid, part_uuid[0], 16);
	cfg.uuid_count = 1;
	cfg.host_ram[0].base = HOST_BASE;
	cfg.host_ram[0].size = HOST_SIZE;
	cfg.host_ram_count = 1;
	if (simplat_init(&f->sp, &cfg, &hooks, &why)) {
		simplat_destroy(&f->sp);
		return false;
	}
	f->sp.fault_spare_undo = true;
	/* A 1.2 SPMC without the optional PARTITION_INFO_GET_REGS (TF-A's
	 * EL3 SPMC, OP-TEE): the proxy falls back to its emulation, and
	 * learns at the first refusal to ask no more. With bit 6, firmware
	 * that does not route the id: the call and FFA_FEATURES of it answer
	 * SMCCC's unknown function (x0 = -1) instead of NOT_SUPPORTED. */
	f->sp.spmc.lacks[FFA_FN_PARTITION_INFO_GET_REGS] = (c1 & 0x20) != 0;
	f->sp.spmc.lacks_unknown[FFA_FN_PARTITION_INFO_GET_REGS] =
		c1 & 0x40 ? SPMC_LACKS_CALL_UNKNOWN | SPMC_LACKS_FEATURES_UNKNOWN
			  : 0;
	/* Every SMC and lock of the proxy passes here first, for nested
	 * calls (op_nested). */
	nest_fz = f;
	f->real_smc = f->sp.ops.smc;
	f->real_smc8 = f->sp.ops.smc_x0_x7;
	f->real_lock = f->sp.ops.lock;
	f->real_unlock = f->sp.ops.unlock;
	f->sp.ops.smc = nest_smc;
	if (f->sp.ops.smc_x0_x7)
		f->sp.ops.smc_x0_x7 = nest_smc8;
	f->sp.ops.lock = nest_lock;
	f->sp.ops.unlock = nest_unlock;
	for (i = 1; i <= 2; i++) {
		if (simplat_vm_add(&f->sp, (uint16_t)i, vm_base(f, (uint16_t)i),
				   VM_SIZE))
			die(f, "cannot add VM %u", i);
		f->vm_alive[i] = true;
		vm_bounce(f, (uint16_t)i);
	}
	inv_init(&f->iv, &f->sp);
	tracef(f, "world: spmc 0x%x proxy 0x%x %s granule %u%s%s\n",
	       cfg.spmc_version, cfg.proxy.version,
	       ffp_policy_name(cfg.proxy.policy), f->granule,
	       !(c1 & 0x20) ? ""
	       : c1 & 0x40  ? " (no PARTITION_INFO_GET_REGS: SMCCC unknown)"
			    : " (no PARTITION_INFO_GET_REGS)",
	       c1 & 0x80 ? " (a stale normal-world pair at the SPMC)" : "");
	check_world(f, "world setup");
	return true;
}

/* ---- Calls */

static void remember_handle(struct fz *f, uint64_t h)
{
	memmove(&f->handles[1], &f->handles[0],
		(NHANDLES - 1) * sizeof(f->handles[0]));
	f->handles[0] = h;
}

static void pend_clear(struct fz *f)
{
	free(f->pend.desc);
	memset(&f->pend, 0, sizeof(f->pend));
}

static void trace_regs(struct fz *f, const char *dir, const struct ffa_regs *r)
{
	unsigned i;

	if (!f->trace)
		return;
	fprintf(stderr, "  %s", dir);
	for (i = 0; i < 8; i++)
		fprintf(stderr, " %llx", (unsigned long long)r->x[i]);
	fprintf(stderr, "\n");
}

/* What the harness remembers of a reply: handles, the target of a
 * preemption, a descriptor being sent in fragments. */
static void after_reply(struct fz *f, uint16_t ep, uint32_t fn,
			const struct ffa_regs *regs)
{
	uint32_t ret = (uint32_t)regs->x[0];

	f->last = *regs;
	if (ret == FFA_INTERRUPT_32 || ret == FFA_YIELD_32)
		f->preempted = (uint32_t)regs->x[1];
	if (fn == FFA_FN_MEM_SHARE || fn == FFA_FN_MEM_LEND ||
	    fn == FFA_FN_MEM_DONATE || fn == FFA_FN_MEM_FRAG_TX) {
		if (ret == FFA_SUCCESS_32 || ret == FFA_SUCCESS_64) {
			remember_handle(f, (uint32_t)regs->x[2] |
						   regs->x[3] << 32);
			pend_clear(f);
		} else if (ret == FFA_MEM_FRAG_RX_32 && f->pend.desc) {
			f->pend.on = true;
			f->pend.ep = ep;
			f->pend.handle = (uint32_t)regs->x[1] | regs->x[2] << 32;
		} else {
			pend_clear(f);
		}
	}
}

static void nest_run(struct fz *f);

/* One call and every check after it. With a nested call armed, it may
 * run inside this one (nest_run, its own checks there); then what this
 * call changed cannot be told from what the nested one did, and the
 * "refused call changed nothing" check is kept only when the nested
 * call was refused itself (and checked so). */
static void call(struct fz *f, uint16_t ep, struct ffa_regs *regs)
{
	struct inv_snapshot before;
	struct ffa_regs in = *regs;
	uint32_t fn = ffa_fn((uint32_t)in.x[0]);
	bool handled, fired;

	if (inv_snapshot(&f->iv, &before))
		die(f, "%s", f->iv.why);
	tracef(f, "call ep %u %s\n", ep,
	       ffa_function_name((uint32_t)in.x[0])
		       ? ffa_function_name((uint32_t)in.x[0])
		       : "?");
	trace_regs(f, ">", &in);
	f->nest.live = f->nest.armed;
	f->nest.fired = false;
	handled = simplat_call(&f->sp, ep, regs);
	fired = f->nest.fired;
	f->nest.live = f->nest.armed = false;
	trace_regs(f, "<", regs);
	if (f->nest.infeasible) {
		/* The nested call wanted a lock this one held: a real CPU
		 * would have waited. Nothing after that is meaningful. */
		tracef(f, "nested call infeasible here: input dropped\n");
		inv_snapshot_free(&before);
		f->stop = true;
		return;
	}
	if (!handled) {
		if (ffa_is_ffa_call(in.x[0]) ||
		    memcmp(&in, regs, sizeof(in)))
			die(f, "call 0x%llx: not handled, or registers touched",
			    (unsigned long long)in.x[0]);
		inv_snapshot_free(&before);
		if (fired)
			check_world(f, "a nested call");
		return;
	}
	if (inv_check_regs(&f->iv, ep, &in, regs) ||
	    (!(fired && f->nest.changed) &&
	     inv_check_mem_reply(&f->iv, ep, &in, regs)))
		die(f, "call 0x%llx from %u: %s", (unsigned long long)in.x[0],
		    ep, f->iv.why);
	if (!(fired && f->nest.changed) &&
	    inv_check_unchanged(&f->iv, &before, &in, regs))
		die(f, "call 0x%llx from %u: %s", (unsigned long long)in.x[0],
		    ep, f->iv.why);
	inv_snapshot_free(&before);
	check_world(f, fired ? "a call and a nested one" : "a call");
	after_reply(f, ep, fn, regs);
}

/* A register value from a selector byte and what follows it. */
static uint64_t get_reg(struct fz *f, uint16_t ep)
{
	uint8_t sel = get8(f);

	switch (sel % 8) {
	case 0:
		return get8(f);
	case 1:
		return get32(f);
	case 2:
		return get64(f);
	case 3: /* a page of the caller's memory */
		return ram_base(f, ep) + (get16(f) % ram_pages(ep)) * FFA_PAGE_SIZE;
	case 4: { /* direct message ids: caller (or not) to a partition */
		uint32_t from = get8(f) & 1 ? ep : get8(f) % 4u;

		return from << 16 | parts[get8(f) % 3];
	}
	case 5:
		return f->handles[get8(f) % NHANDLES];
	case 6:
		return f->slots[get8(f) % NSLOTS];
	default:
		return versions[get8(f) % 5];
	}
}

/* A raw call's endpoint and registers. */
static void build_raw(struct fz *f, uint16_t *epp, struct ffa_regs *rp)
{
	uint16_t ep = pick_ep(get8(f));
	uint8_t b = get8(f);
	struct ffa_regs r = { { 0 } };
	uint32_t mask;
	unsigned i;

	if (b == 0xff)
		r.x[0] = get32(f);
	else
		r.x[0] = (b & 0x40 ? FFA_ID_64(0) : FFA_ID_32(0)) |
			 (FFA_FN_FIRST + (b & 0x3f));
	mask = get32(f);
	for (i = 1; i < FFA_NREGS; i++)
		if (mask & (1u << (i - 1)))
			r.x[i] = get_reg(f, ep);
	*epp = ep;
	*rp = r;
}

static void op_call_raw(struct fz *f)
{
	struct ffa_regs r;
	uint16_t ep;

	build_raw(f, &ep, &r);
	call(f, ep, &r);
}

/* Fill x8..x17 with values the caller can recognise (R4: they must come
 * back as they were or zero, never anything else). */
static void mark_high(struct fz *f, struct ffa_regs *r)
{
	unsigned i;

	if (get8(f) & 1)
		for (i = 8; i < FFA_NREGS; i++)
			r->x[i] = 0x5a5a5a5a00000000ull | i;
}

static uint64_t canonical_tx(const struct fz *f, uint16_t ep)
{
	return ram_base(f, ep);
}

static void uuid_words(struct ffa_regs *r, unsigned first, const uint8_t *u)
{
	unsigned i;

	for (i = 0; i < 4; i++)
		r->x[first + i] = ffa_get32(u + 4 * i);
}

/* A descriptor from a template: a valid transaction for the caller's
 * version over its own pages, then a few byte mutations. */
static void op_mem(struct fz *f, uint16_t ep, struct ffa_regs *r)
{
	static const uint32_t fns[3] = { FFA_FN_MEM_SHARE, FFA_FN_MEM_LEND,
					 FFA_FN_MEM_DONATE };
	uint8_t sel = get8(f);
	uint32_t fn = fns[sel % 3], version = caller_version(f, ep);
	uint32_t gp = f->granule / FFA_PAGE_SIZE, nr = 1 + get8(f) % 4, i;
	uint32_t hdr, len, frag, nmut, written;
	struct ffa_mem_txn t;
	uint8_t *d;

	pend_clear(f);
	memset(&t, 0, sizeof(t));
	t.sender = get8(f) % 8 ? ep : get8(f);
	t.receiver_count = fn == FFA_FN_MEM_DONATE ? 1 : 1 + get8(f) % 2;
	for (i = 0; i < t.receiver_count; i++) {
		t.receivers[i].id = parts[i];
		t.receivers[i].perms =
			fn == FFA_FN_MEM_DONATE ? 0 : FFA_MEM_PERM_RW;
	}
	t.attributes = fn == FFA_FN_MEM_SHARE ? 0x2f : 0;
	t.flags = get8(f) % 4 == 0 ? get8(f) & 3 : 0;
	t.tag = get8(f);
	t.range_count = nr;
	hdr = ffa_mem_emit_size(version, t.receiver_count);
	len = hdr + nr * FFA_MEM_CONSTITUENT_SIZE;
	d = calloc(1, len);
	if (!d)
		return;
	for (i = 0; i < nr; i++) {
		uint64_t slot = (get8(f) % 32) * gp;
		uint32_t pages = (1 + get8(f) % 2) * gp;

		ffa_put64(d + hdr + 16 * i,
			  ram_base(f, ep) + DATA_OFFSET + slot * FFA_PAGE_SIZE);
		ffa_put32(d + hdr + 16 * i + 8, pages);
		t.total_pages += pages;
	}
	if (ffa_mem_emit(version, &t, d, hdr, &written)) {
		free(d);
		return;
	}
	for (nmut = get8(f) % 4, i = 0; i < nmut; i++) {
		uint16_t at = get16(f);

		d[at % len] ^= get8(f) | 1;
	}
	/* Whole, or a first fragment of whole 16-byte units. */
	frag = len;
	if (get8(f) & 1) {
		frag = 16 * (1 + get8(f) % (len / 16));
		f->pend.desc = d;
		f->pend.len = len;
		f->pend.sent = frag;
	}
	(void)simmem_write(f->sp.mem, canonical_tx(f, ep), d, frag);
	if (!f->pend.desc || f->pend.desc != d)
		free(d);
	r->x[0] = (get8(f) & 1 ? FFA_ID_64(0) : FFA_ID_32(0)) | fn;
	r->x[1] = len;
	r->x[2] = frag;
}

static void op_frag_tx(struct fz *f, uint16_t ep, struct ffa_regs *r)
{
	uint32_t chunk = 16 * (1 + get8(f) % 16);
	uint8_t w4 = get8(f);

	r->x[0] = FFA_MEM_FRAG_TX_32;
	if (!f->pend.on) {
		r->x[1] = (uint32_t)f->handles[0];
		r->x[2] = f->handles[0] >> 32;
		r->x[3] = chunk;
		return;
	}
	if (chunk > f->pend.len - f->pend.sent)
		chunk = f->pend.len - f->pend.sent;
	(void)simmem_write(f->sp.mem, canonical_tx(f, ep),
			   f->pend.desc + f->pend.sent, chunk);
	f->pend.sent += chunk;
	r->x[1] = (uint32_t)f->pend.handle;
	r->x[2] = f->pend.handle >> 32;
	r->x[3] = chunk;
	r->x[4] = w4 & 1 ? (uint32_t)ep << 16 : 0;
}

enum {
	T_VERSION,
	T_FEATURES,
	T_ID_GET,
	T_SPM_ID_GET,
	T_RXTX_MAP,
	T_RXTX_UNMAP,
	T_RX_RELEASE,
	T_PINFO,
	T_PINFO_REGS,
	T_DIRECT,
	T_DIRECT2,
	T_MEM,
	T_FRAG_TX,
	T_RECLAIM,
	T_RUN,
	T_NOTIF,
	T_MSG2,
	T_COUNT
};

/*
 * Junk in the argument registers template `t`'s call reserves and the
 * proxy ignores (docs: the reserved-register audit), recognisable, with
 * a dirty upper half an SMC32 call must not pass on: the answer is the
 * same, and the SPMC model's audit (invariant R10) sees whether any of
 * it reached the SPMC. Chosen by the input's remaining length, not by a
 * byte of it, so that existing inputs decode as before.
 */
static void stain_reserved(const struct fz *f, unsigned t, struct ffa_regs *r)
{
	unsigned i, from;

	if (f->n % 4 != 1)
		return;
	switch (t) {
	case T_VERSION:
	case T_RXTX_UNMAP:
	case T_RX_RELEASE:
		from = 2;
		break;
	case T_FEATURES:
		from = 3;
		break;
	case T_ID_GET:
	case T_SPM_ID_GET:
		from = 1;
		break;
	case T_RXTX_MAP:
	case T_PINFO_REGS:
	case T_RECLAIM:
		from = 4;
		break;
	case T_MEM:
	case T_FRAG_TX:
		from = 5;
		break;
	case T_PINFO:
		from = 6;
		break;
	default: /* the others refuse junk in reserved registers */
		return;
	}
	for (i = from; i < 8; i++)
		r->x[i] = 0xa5a5a5a55a5a0000ull | i;
}

/* A call from a template: false when there is none (a descriptor that
 * could not be built). */
static bool build_template(struct fz *f, uint16_t *epp, struct ffa_regs *rp)
{
	uint16_t ep = pick_ep(get8(f));
	uint32_t gp = f->granule / FFA_PAGE_SIZE, i;
	uint8_t t = get8(f) % T_COUNT, b;
	struct ffa_regs r = { { 0 } };

	switch (t) {
	case T_VERSION:
		r.x[0] = FFA_VERSION_32;
		r.x[1] = versions[get8(f) % 5];
		break;
	case T_FEATURES:
		b = get8(f);
		r.x[0] = FFA_FEATURES_32;
		r.x[1] = (b & 0x80 ? FFA_ID_64(0) : FFA_ID_32(0)) |
			 (FFA_FN_FIRST + b % 0x30);
		break;
	case T_ID_GET:
		r.x[0] = FFA_ID_GET_32;
		break;
	case T_SPM_ID_GET:
		r.x[0] = FFA_SPM_ID_GET_32;
		break;
	case T_RXTX_MAP:
		r.x[0] = get8(f) & 1 ? FFA_RXTX_MAP_32 : FFA_RXTX_MAP_64;
		r.x[1] = canonical_tx(f, ep);
		r.x[2] = ram_base(f, ep) + RX_OFFSET;
		r.x[3] = (1 + get8(f) % 4) * gp;
		break;
	case T_RXTX_UNMAP:
		r.x[0] = FFA_RXTX_UNMAP_32;
		r.x[1] = get8(f) & 1 ? (uint64_t)ep << 16 : 0;
		break;
	case T_RX_RELEASE:
		r.x[0] = FFA_RX_RELEASE_32;
		break;
	case T_PINFO:
		b = get8(f);
		r.x[0] = FFA_PARTITION_INFO_GET_32;
		if (b % 4 < 3)
			uuid_words(&r, 1, part_uuid[b % 4]);
		r.x[5] = (b >> 2) & 1;
		break;
	case T_PINFO_REGS:
		r.x[0] = FFA_PARTITION_INFO_GET_REGS_64;
		b = get8(f);
		if (b % 4 < 3) {
			r.x[1] = ffa_get64(part_uuid[b % 4]);
			r.x[2] = ffa_get64(part_uuid[b % 4] + 8);
		}
		r.x[3] = (b >> 2) % 4;
		/* now and then a tag (x3[31:16]): RETRY when emulated */
		if ((b >> 4) % 8 == 0)
			r.x[3] |= 1u << 16;
		mark_high(f, &r);
		break;
	case T_DIRECT:
		b = get8(f);
		r.x[0] = b & 1 ? FFA_MSG_SEND_DIRECT_REQ_64
			       : FFA_MSG_SEND_DIRECT_REQ_32;
		r.x[1] = (uint32_t)ep << 16 | parts[(b >> 1) % 3];
		for (i = 3; i < 8; i++)
			r.x[i] = get32(f);
		if (b & 1)
			mark_high(f, &r);
		break;
	case T_DIRECT2:
		b = get8(f);
		r.x[0] = FFA_MSG_SEND_DIRECT_REQ2_64;
		r.x[1] = (uint32_t)ep << 16 | parts[b % 3];
		r.x[2] = ffa_get64(part_uuid[b % 3]);
		r.x[3] = ffa_get64(part_uuid[b % 3] + 8);
		for (i = 4; i < FFA_NREGS; i++)
			r.x[i] = get64(f);
		break;
	case T_MEM:
		op_mem(f, ep, &r);
		if (!r.x[0])
			return false;
		mark_high(f, &r);
		break;
	case T_FRAG_TX:
		op_frag_tx(f, ep, &r);
		break;
	case T_NOTIF: {
		/* Notifications: mostly the caller as itself with a
		 * partition, sometimes another id, stray flag bits or a
		 * vCPU it may not have. */
		static const uint32_t fns[] = {
			FFA_NOTIFICATION_BIND_32, FFA_NOTIFICATION_UNBIND_32,
			FFA_NOTIFICATION_SET_32,  FFA_NOTIFICATION_GET_32,
			FFA_NOTIFICATION_INFO_GET_32,
			FFA_NOTIFICATION_INFO_GET_64,
		};
		uint32_t me, peer, flags;

		b = get8(f);
		me = b & 0x08 ? get8(f) % 4u : ep;
		peer = parts[(b >> 4) % 3];
		flags = b & 0x80 ? get32(f) : (b >> 6) & 1;
		r.x[0] = fns[b % 6];
		r.x[3] = 1u << (get8(f) % 32);
		r.x[4] = get8(f) & 1 ? 1u << (get8(f) % 32) : 0;
		switch (b % 6) {
		case 2:
			r.x[1] = me << 16 | peer;
			break;
		case 3:
			r.x[1] = (uint32_t)(get8(f) % 3) << 16 | me;
			r.x[3] = r.x[4] = 0;
			flags = b & 0x80 ? flags : 0x5;
			break;
		case 4:
		case 5:
			r.x[3] = r.x[4] = 0;
			flags = 0;
			break;
		default:
			r.x[1] = peer << 16 | me;
			break;
		}
		r.x[2] = (b % 6) == 1 && !(b & 0x80) ? 0 : flags;
		break;
	}
	case T_MSG2: {
		/* FFA_MSG_SEND2: a partition message header in the caller's
		 * TX, either layout, mostly well-formed (sender 0, a
		 * partition), sometimes a byte of it garbled or a register
		 * that should be zero set. */
		uint8_t h[40] = { 0 };
		uint32_t hl = get8(f) & 1 ? 20 : 40;

		b = get8(f);
		ffa_put32(h + 8, hl + (b & 0x10 ? get8(f) : 0));
		ffa_put32(h + 12, b & 0x20 ? get32(f) : parts[b % 3]);
		ffa_put32(h + 16, b & 0x40 ? get32(f) : 1u + get16(f) % 8192);
		if (hl == 40 && (b & 0x08))
			for (i = 24; i < 40; i++)
				h[i] = get8(f);
		if (b & 0x80)
			h[get8(f) % hl] ^= (uint8_t)(1u << (get8(f) % 8));
		(void)simmem_write(f->sp.mem, canonical_tx(f, ep), h, hl);
		r.x[0] = FFA_MSG_SEND2_32;
		if (!(get8(f) & 0x0f))
			r.x[1 + get8(f) % 7] = get32(f);
		break;
	}
	case T_RUN:
		/* Mostly the target of the last FFA_INTERRUPT or FFA_YIELD,
		 * whoever got it, else a partition's vCPU; rarely junk in a
		 * reserved register. */
		b = get8(f);
		r.x[0] = FFA_RUN_32;
		r.x[1] = b & 1 ? f->preempted
			       : (uint32_t)parts[(b >> 1) % 3] << 16 |
					 ((b >> 3) & 3);
		if (!(b & 0xe0))
			r.x[2 + get8(f) % 6] = get32(f);
		break;
	default: /* T_RECLAIM */
		b = get8(f);
		r.x[0] = FFA_MEM_RECLAIM_32;
		r.x[1] = (uint32_t)f->handles[b % NHANDLES];
		r.x[2] = f->handles[b % NHANDLES] >> 32;
		r.x[3] = get8(f) % 8 ? 0 : get8(f) & 3;
		break;
	}
	stain_reserved(f, t, &r);
	*epp = ep;
	*rp = r;
	return true;
}

static void op_call_template(struct fz *f)
{
	struct ffa_regs r;
	uint16_t ep;

	if (build_template(f, &ep, &r))
		call(f, ep, &r);
}

/* ---- Everything else */

static void op_write(struct fz *f)
{
	uint8_t b = get8(f), buf[256];
	uint32_t len, i;
	uint64_t pa;

	/* The caller's own TX buffer, or any address (a debugger write). */
	pa = b & 0x80 ? get64(f)
		      : canonical_tx(f, pick_ep(b)) + (get16(f) % 4096);
	len = get8(f);
	for (i = 0; i < len; i++)
		buf[i] = get8(f);
	(void)simmem_write(f->sp.mem, pa, buf, len);
	tracef(f, "write 0x%llx, %u bytes\n", (unsigned long long)pa, len);
}

static void op_knob(struct fz *f)
{
	struct spmc *s = &f->sp.spmc;

	switch (get8(f) % 7) {
	case 0:
		s->garbage_regs = !s->garbage_regs;
		break;
	case 1:
		s->info_count_claim = get8(f);
		break;
	case 2:
		s->bogus_handle = get64(f);
		if (f->no_bogus_handle)
			s->bogus_handle = 0;
		break;
	case 3:
		s->frag_rx_offset_delta = (int8_t)get8(f);
		break;
	case 5: {
		/* A partition preempts its next requests (resumed by
		 * FFA_RUN, some only after more than one); the vCPU byte's
		 * bits 2..4, 1 to 6, script its next 1 + bits 5..7 runs for
		 * cycles (the host's FFA_RUN of a vCPU in no request). */
		uint8_t b = get8(f), v = get8(f);

		(void)spmc_preempt(s, parts[b % 3], 1 + (b >> 2) % 3,
				   (b >> 4) & 1, (b >> 5) % 3, v % 4);
		if (((v >> 2) & 7) - 1u < 6u)
			(void)spmc_cycles(s, parts[b % 3], 1 + (v >> 5),
					  (enum spmc_cycles_answer)(
						  ((v >> 2) & 7) - 1));
		tracef(f, "spmc preempts 0x%x: 0x%x 0x%x\n", parts[b % 3], b,
		       v);
		break;
	}
	case 6: {
		/* Replies to direct requests or FFA_RUN with w1 (the ids or
		 * the target) or w0 corrupted: one naming another caller
		 * must never reach this one (R6). */
		uint8_t b = get8(f);

		s->reply_fn = b & 1 ? FFA_FN_RUN : FFA_FN_MSG_SEND_DIRECT_REQ;
		s->reply_reg = (b >> 1) & 1;
		s->reply_xor = b >> 2 & 1 ? 0x40000000u : (b >> 3) & 0xf;
		if (b & 0x80)
			s->reply_fn = 0;
		tracef(f, "spmc corrupts replies to 0x%x: x%u ^ 0x%llx\n",
		       s->reply_fn, s->reply_reg,
		       (unsigned long long)s->reply_xor);
		break;
	}
	default:
		s->garbage_regs = false;
		s->info_count_claim = 0;
		s->bogus_handle = 0;
		s->frag_rx_offset_delta = 0;
		s->reply_fn = 0;
		s->notif_fail_left = 0;
		break;
	}
	tracef(f, "spmc misbehaves: garbage %d count %u handle 0x%llx frag %d\n",
	       s->garbage_regs, s->info_count_claim,
	       (unsigned long long)s->bogus_handle, s->frag_rx_offset_delta);
}

static void op_fault(struct fz *f)
{
	uint8_t op = get8(f) % SIMPLAT_OP_COUNT;
	uint32_t k = 1 + get8(f) % 8;
	int32_t st = statuses[get8(f) % 6];

	simplat_fault(&f->sp, (enum simplat_op)op, k, st);
	tracef(f, "fault op %u at %u: %d\n", op, k, st);
}

/* A partition's side of notifications (bind a VM as sender, signal a
 * VM, the SPMC's framework notifications, an indirect message to the
 * normal world filling the proxy's RX at the SPMC), or the SPMC failing
 * its next notification calls. */
static void op_sp_notif(struct fz *f, uint16_t id)
{
	static const uint32_t fail_fns[] = {
		FFA_FN_NOTIFICATION_BITMAP_CREATE,
		FFA_FN_NOTIFICATION_BITMAP_DESTROY, FFA_FN_NOTIFICATION_GET,
		FFA_FN_NOTIFICATION_BIND, FFA_FN_NOTIFICATION_INFO_GET,
		/* a VM's bounce pair: the forwarded map and unmap */
		FFA_FN_RXTX_MAP, FFA_FN_RXTX_UNMAP,
	};
	uint8_t c = get8(f);
	uint16_t vm = get8(f) % 3;
	uint64_t bits = 1ull << (get8(f) % 64);
	struct spmc *s = &f->sp.spmc;
	int st;

	switch (c % 5) {
	case 0:
		st = spmc_sp_notif_bind(s, id, vm, bits, c & 0x10);
		break;
	case 1:
		st = spmc_sp_notif_set(s, id, vm, bits, c & 0x10,
				       (c >> 5) & 3);
		break;
	case 2:
		if (c & 0x40) {
			/* sometimes a header field as the SPMC should not
			 * write it: the proxy checks what it delivers */
			struct spmc_msg2_opts o = { { 0 }, 0, 0, 0, 0, 0, 0 };

			if (c & 0x80) {
				o.set = get8(f) & 0x1f;
				o.offset = get8(f) & 1 ? get32(f) : get8(f);
				o.size = get8(f) & 1 ? get32(f) : get16(f);
				o.sender = get16(f);
				o.receiver = get16(f) % 4;
				o.flags = 1;
				o.uuid[get8(f) % 16] = get8(f);
			}
			st = spmc_sp_msg_send2_ex(s, id, vm, 1u + get16(f) % 5000,
						  &o);
		} else {
			st = spmc_spm_notif_set(s, vm, FFA_NOTIF_FW_RX_FULL);
		}
		break;
	case 3:
		/* the partition takes the normal world's message */
		st = spmc_sp_msg_release(s, id);
		break;
	default:
		s->notif_fail_fn = fail_fns[(c >> 2) % 7];
		s->notif_fail_status = c & 0x80 ? 0 : statuses[get8(f) % 6];
		s->notif_fail_left = 1 + (c >> 5) % 3;
		st = 0;
		break;
	}
	tracef(f, "sp 0x%x notif op 0x%x vm %u bits 0x%llx: %d\n", id, c, vm,
	       (unsigned long long)bits, st);
}

static void op_partition(struct fz *f)
{
	uint8_t b = get8(f);
	uint16_t id = parts[(b & 3) % 3];
	uint64_t h = f->handles[(b >> 2) % NHANDLES];
	int st;

	if (b & 0x80) {
		st = spmc_sp_relinquish(&f->sp.spmc, id, h);
		tracef(f, "sp 0x%x relinquish 0x%llx: %d\n", id,
		       (unsigned long long)h, st);
	} else if (b & 0x40) {
		if (b & 0x20) {
			st = (int)ffp_vm_destroyed_retry(f->sp.proxy);
			tracef(f, "retry vm-destroyed: %d left\n", st);
		} else {
			st = (int)ffp_orphans_reclaim(f->sp.proxy);
			tracef(f, "orphans reclaim: %d left\n", st);
		}
	} else if (b & 0x20) {
		/* How the partition answers its next VM availability
		 * messages: any answer, a status FF-A defines or not. */
		uint8_t kind = get8(f) % 7, n = 1 + get8(f) % 4;
		int32_t fw = kind == SPMC_FW_STATUS && (b & 0x10)
				     ? 0x1234
				     : statuses[get8(f) % 6];

		(void)spmc_fw_answer_set(&f->sp.spmc, id,
					 (enum spmc_fw_answer)kind, fw, n);
		tracef(f, "sp 0x%x answers %u (%d) x%u\n", id, kind, fw, n);
	} else if (b & 0x10) {
		op_sp_notif(f, id);
	} else {
		st = inv_sp_retrieve(&f->iv, id, h);
		tracef(f, "sp 0x%x retrieve 0x%llx: %d\n", id,
		       (unsigned long long)h, st);
	}
	check_world(f, "a partition's action");
}

/* Destroy VM `id`, or create it again elsewhere. */
static void vm_toggle(struct fz *f, uint16_t id)
{
	int st;

	if (f->vm_alive[id]) {
		if (f->pend.on && f->pend.ep == id)
			pend_clear(f);
		st = simplat_vm_destroy(&f->sp, id);
		f->vm_alive[id] = false;
		tracef(f, "destroy vm %u: %d\n", id, st);
	} else if (f->vm_inc[id] + 1 < VM_INCARNATIONS) {
		f->vm_inc[id]++;
		st = simplat_vm_add(&f->sp, id, vm_base(f, id), VM_SIZE);
		f->vm_alive[id] = st == 0;
		tracef(f, "vm %u at 0x%llx: %d\n", id,
		       (unsigned long long)vm_base(f, id), st);
		if (!st)
			vm_bounce(f, id);
	}
}

/* The embedder replaces the host's kernel (ffp_host_reset). */
static void host_reset(struct fz *f, bool nested)
{
	struct ffp_endpoint_info ep0;
	struct ffp_info before;
	int st;

	if (f->pend.on && f->pend.ep == 0)
		pend_clear(f);
	(void)ffp_endpoint_info(f->sp.proxy, 0, &ep0);
	ffp_info(f->sp.proxy, &before);
	st = ffp_host_reset(f->sp.proxy);
	tracef(f, "%sreset host: %d\n", nested ? "  nested " : "", st);
	/* H1 only when no call overlapped it; R9's and W10's follow-up
	 * goes with the old host's listing all the same. */
	if (!nested && inv_host_reset(&f->iv, st, &ep0, &before))
		die(f, "%s", f->iv.why);
	if (nested && st != FFA_BUSY) {
		f->iv.owed = false;
		f->iv.held_seen = false;
	}
}

static void op_vm(struct fz *f)
{
	uint8_t b = get8(f);

	if (b & 0x80)
		host_reset(f, false);
	else
		vm_toggle(f, 1 + b % 2);
	check_world(f, "a VM's teardown or creation, or a host reset");
}

/* ---- Nested calls: another CPU enters the proxy while a call runs */

enum nest_mode {
	NEST_SMC,       /* before the k-th next SMC */
	NEST_LOCK_FREE, /* k-th lock boundary where the call holds none */
	NEST_LOCK_NO_STATE, /* ... where it does not hold STATE */
	NEST_LOCK_ANY,  /* ... whatever it holds */
};

/* The embedder's operations (the VM's memory comes and goes with it);
 * a partition retrieving or relinquishing; the host's reset. */
static void nest_embedder(struct fz *f)
{
	uint8_t a = f->nest.emb_arg;
	uint16_t id = parts[a % 3];
	uint64_t h = f->handles[(a >> 2) % NHANDLES];
	int st;

	switch (f->nest.emb % 6) {
	case 0:
		vm_toggle(f, 1 + a % 2);
		break;
	case 1:
		st = (int)ffp_orphans_reclaim(f->sp.proxy);
		tracef(f, "  nested orphans reclaim: %d left\n", st);
		break;
	case 2:
		st = (int)ffp_vm_destroyed_retry(f->sp.proxy);
		tracef(f, "  nested retry vm-destroyed: %d left\n", st);
		break;
	case 3:
		st = inv_sp_retrieve(&f->iv, id, h);
		tracef(f, "  nested sp 0x%x retrieve 0x%llx: %d\n", id,
		       (unsigned long long)h, st);
		break;
	case 4:
		st = spmc_sp_relinquish(&f->sp.spmc, id, h);
		tracef(f, "  nested sp 0x%x relinquish 0x%llx: %d\n", id,
		       (unsigned long long)h, st);
		break;
	default:
		host_reset(f, true);
		break;
	}
}

/* Run one nested call (or the embedder operation) as CPU 1, with the
 * register rules checked on its reply and, when the interrupted call
 * does not hold STATE (the checker's views take it), R5 and "a refused
 * call changed nothing" (nothing else runs meanwhile: the interrupted
 * call is stopped). */
static void nest_call(struct fz *f, uint16_t ep, const struct ffa_regs *req)
{
	struct simplat *sp = &f->sp;
	struct inv_snapshot before;
	struct ffa_regs in = *req, r = in;
	bool checks = !sp->held[0][FFP_LOCK_STATE], handled = true;
	unsigned l;

	sp->cpu = 1;
	if (f->nest.kind == 0) {
		tracef(f, "  nested call ep %u 0x%llx\n", ep,
		       (unsigned long long)in.x[0]);
		if (checks && inv_snapshot(&f->iv, &before))
			die(f, "%s", f->iv.why);
		handled = ffp_handle(sp->proxy, ep, &r);
		trace_regs(f, "  nested <", &r);
	} else {
		tracef(f, "  nested embedder op %u\n", f->nest.emb % 6);
		nest_embedder(f);
	}
	for (l = 0; l < FFP_LOCK_COUNT; l++)
		if (sp->held[1][l] && !f->nest.infeasible)
			die(f, "nested call returned holding lock %u", l);
	if (f->nest.infeasible || f->nest.kind != 0) {
		if (f->nest.kind == 0 && checks)
			inv_snapshot_free(&before);
		memset(sp->held[1], 0, sizeof(sp->held[1]));
		sp->cpu = 0;
		return;
	}
	if (!handled) {
		if (ffa_is_ffa_call(in.x[0]) || memcmp(&in, &r, sizeof(in)))
			die(f, "nested call 0x%llx: not handled, or registers "
			       "touched",
			    (unsigned long long)in.x[0]);
		f->nest.changed = false;
	} else if (inv_check_regs(&f->iv, ep, &in, &r) ||
		   (checks &&
		    (inv_check_mem_reply(&f->iv, ep, &in, &r) ||
		     inv_check_unchanged(&f->iv, &before, &in, &r)))) {
		die(f, "nested call 0x%llx from %u: %s",
		    (unsigned long long)in.x[0], ep, f->iv.why);
	} else {
		f->nest.changed =
			!checks || (uint32_t)r.x[0] != FFA_ERROR_32 ||
			ffa_fn((uint32_t)in.x[0]) == FFA_FN_MEM_FRAG_TX;
		after_reply(f, ep, ffa_fn((uint32_t)in.x[0]), &r);
	}
	if (checks)
		inv_snapshot_free(&before);
	sp->cpu = 0;
}

/* The armed nested call, and its second one if any. */
static void nest_run(struct fz *f)
{
	f->nest.live = false;
	f->nest.fired = true;
	f->nest.changed = true;
	nest_call(f, f->nest.ep, &f->nest.req);
	if (f->nest.kind == 0 && f->nest.two && !f->nest.infeasible) {
		nest_call(f, f->nest.ep2, &f->nest.req2);
		f->nest.changed = true; /* the first may have, refused or not */
	}
}

static void nest_smc(void *ctx, struct ffa_regs *r)
{
	struct fz *f = nest_fz;

	if (f->nest.live && f->sp.cpu == 0 && f->nest.mode == NEST_SMC &&
	    --f->nest.k == 0)
		nest_run(f);
	f->real_smc(ctx, r);
}

static void nest_smc8(void *ctx, struct ffa_regs *r)
{
	struct fz *f = nest_fz;

	if (f->nest.live && f->sp.cpu == 0 && f->nest.mode == NEST_SMC &&
	    --f->nest.k == 0)
		nest_run(f);
	f->real_smc8(ctx, r);
}

static void nest_boundary(struct fz *f)
{
	const unsigned *h = f->sp.held[0];

	if (!f->nest.live || f->sp.cpu != 0 || f->nest.mode == NEST_SMC)
		return;
	if (f->nest.mode == NEST_LOCK_FREE &&
	    (h[FFP_LOCK_STATE] || h[FFP_LOCK_BUFFERS]))
		return;
	if (f->nest.mode == NEST_LOCK_NO_STATE && h[FFP_LOCK_STATE])
		return;
	if (--f->nest.k == 0)
		nest_run(f);
}

static void nest_lock(void *ctx, enum ffp_lock which)
{
	struct fz *f = nest_fz;

	/* As test_interleave: CPU 1 wanting a lock CPU 0 holds would wait
	 * forever on a real machine; the run is dropped. */
	if (f->sp.cpu == 1 && (unsigned)which < FFP_LOCK_COUNT &&
	    f->sp.held[0][which])
		f->nest.infeasible = true;
	nest_boundary(f);
	f->real_lock(ctx, which);
}

static void nest_unlock(void *ctx, enum ffp_lock which)
{
	struct fz *f = nest_fz;

	f->real_unlock(ctx, which);
	nest_boundary(f);
}

/* Arm a nested call (or embedder operation) for the call that follows,
 * then make that call. */
static void op_nested(struct fz *f)
{
	uint8_t m = get8(f), a = get8(f);
	struct ffa_regs r;
	uint16_t ep;

	memset(&f->nest, 0, sizeof(f->nest));
	f->nest.mode = m % 4;
	f->nest.k = 1 + (m >> 2) % 16;
	if (a % 4 == 3) {
		f->nest.kind = 1;
		f->nest.emb = get8(f);
		f->nest.emb_arg = get8(f);
	} else if (a % 4 == 0) {
		build_raw(f, &f->nest.ep, &f->nest.req);
	} else if (!build_template(f, &f->nest.ep, &f->nest.req)) {
		return;
	}
	if (a % 4 != 3 && a >> 2 == 0x3f) {
		f->nest.two = true;
		if (!build_template(f, &f->nest.ep2, &f->nest.req2))
			return;
	}
	tracef(f, "arm nested: mode %u at %u\n", f->nest.mode, f->nest.k);
	if (get8(f) & 1)
		build_raw(f, &ep, &r);
	else if (!build_template(f, &ep, &r))
		return;
	f->nest.armed = true;
	call(f, ep, &r);
	f->nest.armed = false;
}

static void op_save(struct fz *f)
{
	uint8_t slot = get8(f) % NSLOTS, b = get8(f);
	uint64_t v = f->last.x[b % FFA_NREGS];

	f->slots[slot] = b & 0x80 ? (uint32_t)v : v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int trace = -1, no_bogus = -1, c1_set;
	struct fz *f;
	unsigned ops;

	if (size < 3 || size > 1u << 16)
		return 0;
	if (trace < 0) {
		trace = getenv("FUZZ_PROXY_TRACE") != NULL;
		no_bogus = getenv("FUZZ_PROXY_NO_BOGUS_HANDLE") != NULL;
		if (getenv("FUZZ_PROXY_C1_SET"))
			c1_set = (int)(strtoul(getenv("FUZZ_PROXY_C1_SET"),
					       NULL, 0) & 0xff);
	}
	f = calloc(1, sizeof(*f));
	if (!f)
		return 0;
	f->p = data;
	f->n = size;
	f->trace = trace;
	f->no_bogus_handle = no_bogus;
	f->c1_set = (uint8_t)c1_set;
	if (!world_init(f)) {
		free(f);
		return 0;
	}
	for (ops = 0; f->n && ops < MAX_OPS; ops++) {
		uint8_t op = get8(f);

		switch (op % 8) {
		case 0:
			op_call_raw(f);
			break;
		case 1:
		case 2:
			op_call_template(f);
			break;
		case 3:
			op_write(f);
			break;
		case 4:
			op_knob(f);
			break;
		case 5:
			op_fault(f);
			break;
		case 6:
			if (get8(f) & 1)
				op_partition(f);
			else
				op_vm(f);
			break;
		default:
			if (op & 0x80) {
				tracef(f, "op 0x%x at offset %zu: nested\n", op,
				       size - f->n - 1);
				op_nested(f);
			} else {
				op_save(f);
			}
			break;
		}
		if (f->stop)
			break;
	}
	pend_clear(f);
	inv_fini(&f->iv);
	simplat_destroy(&f->sp);
	free(f);
	return 0;
}
