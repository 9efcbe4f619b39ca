/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * Cost driver for `make bench`: runs one call family N times through the
 * proxy over a minimal platform. scripts/bench.sh runs it under callgrind
 * and subtracts the platform operations (plat_*) from ffp_handle's
 * inclusive count, so what is reported is the proxy's own work; the bare
 * forward (what a hypervisor without a proxy spends: copy the registers,
 * issue the SMC, copy back) is measured the same way in the same run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ffaproxy/proxy.h>

#include "bench/bench_plat.h"

/* Not inlined, and no constant propagated in: the bare forward calls
 * through the ops table it is given, as a real one would. */
#if defined(__clang__)
#define NOIPA __attribute__((noinline))
#else
#define NOIPA __attribute__((noipa))
#endif

#define RAM_BASE 0x80000000ull
#define RAM_PAGES 64

static uint8_t ram[RAM_PAGES * 4096];
static uint8_t hyp_tx[4096], hyp_rx[4096];
static enum ffp_page_state state[RAM_PAGES];

/* A minimal secure side: enough replies for the families measured.
 * Inlined into both SMC operations, so that neither calls the other
 * (the script subtracts every plat_* function's inclusive cost). */
static inline __attribute__((always_inline)) void secure_side(struct ffa_regs *r)
{
	uint32_t id = (uint32_t)r->x[0];

	switch (id) {
	case SMCCC_VERSION:
		r->x[0] = SMCCC_VERSION_1_2;
		return;
	case FFA_VERSION_32:
		r->x[0] = FFA_VERSION_1_2;
		return;
	case FFA_MSG_SEND_DIRECT_REQ_32:
	case FFA_MSG_SEND_DIRECT_REQ_64:
	case FFA_MSG_SEND_DIRECT_REQ2_64: {
		uint32_t w1 = (uint32_t)r->x[1];

		r->x[0] = id + 1; /* the response, payload echoed */
		r->x[1] = (w1 << 16) | (w1 >> 16);
		r->x[2] = 0;
		if (id == FFA_MSG_SEND_DIRECT_REQ2_64)
			r->x[3] = 0;
		return;
	}
	case FFA_PARTITION_INFO_GET_32: {
		int i;

		for (i = 0; i < 2; i++) {
			memset(hyp_rx + 24 * i, 0, 24);
			hyp_rx[24 * i] = (uint8_t)(1 + i);
			hyp_rx[24 * i + 1] = 0x80;
			hyp_rx[24 * i + 2] = 1;
			hyp_rx[24 * i + 4] = 3;
		}
		memset(r, 0, sizeof(*r));
		r->x[0] = FFA_SUCCESS_32;
		r->x[2] = 2;
		r->x[3] = 24;
		return;
	}
	default:
		memset(r, 0, sizeof(*r));
		r->x[0] = FFA_SUCCESS_32;
	}
}

__attribute__((noinline)) void plat_smc(void *ctx, struct ffa_regs *r);
void plat_smc(void *ctx, struct ffa_regs *r)
{
	(void)ctx;
	secure_side(r);
}

/* x0..x7 only (w0..w7 for SMC32), as platform.h defines smc_x0_x7. */
__attribute__((noinline)) void plat_smc_x0_x7(void *ctx, struct ffa_regs *r);
void plat_smc_x0_x7(void *ctx, struct ffa_regs *r)
{
	struct ffa_regs s;
	uint64_t mask = r->x[0] & SMCCC_SMC64 ? ~0ull : 0xffffffffull;
	int i;

	(void)ctx;
	memset(&s, 0, sizeof(s));
	for (i = 0; i < 8; i++)
		s.x[i] = r->x[i] & mask;
	secure_side(&s);
	for (i = 0; i < 8; i++)
		r->x[i] = s.x[i] & mask;
}

__attribute__((noinline)) int plat_transition(void *ctx, uint16_t ep,
					      uint64_t pa, uint64_t size,
					      enum ffp_page_state from,
					      enum ffp_page_state to);
int plat_transition(void *ctx, uint16_t ep, uint64_t pa, uint64_t size,
		    enum ffp_page_state from, enum ffp_page_state to)
{
	uint64_t i, first = (pa - RAM_BASE) / 4096, n = size / 4096;

	(void)ctx;
	(void)ep;
	for (i = first; i < first + n; i++)
		if (state[i] != from)
			return FFA_DENIED;
	for (i = first; i < first + n; i++)
		state[i] = to;
	return 0;
}

__attribute__((noinline)) int plat_read(void *ctx, uint16_t ep, uint64_t pa,
					void *dst, size_t len);
int plat_read(void *ctx, uint16_t ep, uint64_t pa, void *dst, size_t len)
{
	(void)ctx;
	(void)ep;
	memcpy(dst, ram + (pa - RAM_BASE), len);
	return 0;
}

__attribute__((noinline)) int plat_write(void *ctx, uint16_t ep, uint64_t pa,
					 const void *src, size_t len);
int plat_write(void *ctx, uint16_t ep, uint64_t pa, const void *src,
	       size_t len)
{
	(void)ctx;
	(void)ep;
	memcpy(ram + (pa - RAM_BASE), src, len);
	return 0;
}

static const struct ffp_platform ops = {
	plat_smc, plat_transition, plat_read, plat_write, plat_lock,
	plat_unlock, NULL, NULL, plat_smc_x0_x7, NULL,
};

/* Families named "..._nosmc8": a platform without smc_x0_x7. */
static const struct ffp_platform ops_nosmc8 = {
	plat_smc, plat_transition, plat_read, plat_write, plat_lock,
	plat_unlock, NULL, NULL, NULL,
};

/*
 * The baseline: what a hypervisor without a proxy does with a trapped
 * FF-A call. It receives the caller's registers, copies them into the
 * SMC argument block, calls the platform's smc operation (through the
 * same ops table the proxy uses) and copies the results back. pKVM's
 * forward of an unhandled call is the same: x0..x17 loaded from the
 * host context, smc, x0..x17 stored back.
 */
NOIPA bool bare_forward(const struct ffp_platform *plat, void *ctx,
			struct ffa_regs *regs);
bool bare_forward(const struct ffp_platform *plat, void *ctx,
		  struct ffa_regs *regs)
{
	struct ffa_regs r = *regs;

	plat->smc(ctx, &r);
	*regs = r;
	return true;
}

static struct ffp *setup(const struct ffp_platform *plat)
{
	struct ffp_config cfg;
	size_t size;
	void *mem;

	ffp_config_default(&cfg);
	cfg.buffers.tx = hyp_tx;
	cfg.buffers.rx = hyp_rx;
	cfg.buffers.tx_pa = 0x10000000;
	cfg.buffers.rx_pa = 0x10001000;
	cfg.buffers.pages = 1;
	size = ffp_instance_size(&cfg);
	mem = aligned_alloc(16, (size + 15) & ~(size_t)15);
	return ffp_init(mem, size, &cfg, plat, NULL);
}

static void run(struct ffp *p, struct ffa_regs *r)
{
	if (!ffp_handle(p, 0, r))
		abort();
}

/* The calls being measured go through these two, which scripts/bench.sh
 * names in callgrind's --toggle-collect. */
__attribute__((noinline)) void measured(struct ffp *p, struct ffa_regs *r);
void measured(struct ffp *p, struct ffa_regs *r)
{
	if (!ffp_handle(p, 0, r))
		abort();
}

__attribute__((noinline)) void measured_bare(struct ffa_regs *r);
void measured_bare(struct ffa_regs *r)
{
	if (!bare_forward(&ops, NULL, r)) /* as measured() checks ffp_handle */
		abort();
}

static void print_sizes(void)
{
	static const struct {
		const char *name;
		uint16_t eps;
		uint32_t buf_pages, desc, txns;
	} configs[] = {
		{ "default (16 endpoints, 64 KiB descriptors)", 16, 16, 65536, 1024 },
		{ "small (host only, 1-page buffers, 4 KiB descriptors)", 1, 1, 4096, 64 },
		{ "large (256 endpoints, 1 MiB descriptors)", 256, 63, 1 << 20, 10000 },
	};
	struct ffp_config cfg;
	unsigned int i;

	for (i = 0; i < sizeof(configs) / sizeof(configs[0]); i++) {
		ffp_config_default(&cfg);
		cfg.buffers.tx = cfg.buffers.rx = hyp_tx;
		cfg.buffers.pages = 1;
		cfg.max_endpoints = configs[i].eps;
		cfg.max_buffer_pages = configs[i].buf_pages;
		cfg.max_descriptor_size = configs[i].desc;
		cfg.max_transactions = configs[i].txns;
		printf("instance size, %s: %zu bytes\n", configs[i].name,
		       ffp_instance_size(&cfg));
	}
}

int main(int argc, char **argv)
{
	const char *family = argc > 1 ? argv[1] : "sizes";
	long n = argc > 2 ? atol(argv[2]) : 1000, i;
	struct ffp *p;
	struct ffa_regs r;

	if (!strcmp(family, "sizes")) {
		print_sizes();
		return 0;
	}
	p = setup(strstr(family, "_nosmc8") ? &ops_nosmc8 : &ops);
	memset(&r, 0, sizeof(r));
	r.x[0] = FFA_VERSION_32;
	/* "..._v11": a caller at 1.1 (x8..x17 not results, kept) */
	r.x[1] = strstr(family, "_v11") ? FFA_VERSION_1_1 : FFA_VERSION_1_2;
	run(p, &r);
	memset(&r, 0, sizeof(r));
	r.x[0] = FFA_RXTX_MAP_64;
	r.x[1] = RAM_BASE;
	r.x[2] = RAM_BASE + 4096;
	r.x[3] = 1;
	run(p, &r);
	if (r.x[0] != FFA_SUCCESS_32)
		abort();

	for (i = 0; i < n; i++) {
		memset(&r, 0, sizeof(r));
		if (!strcmp(family, "bare")) {
			r.x[0] = FFA_MSG_SEND_DIRECT_REQ_64;
			r.x[1] = 0x8001;
			r.x[3] = (uint64_t)i;
			measured_bare(&r);
			continue;
		}
		if (!strncmp(family, "direct_req_64", 13)) {
			r.x[0] = FFA_MSG_SEND_DIRECT_REQ_64;
			r.x[1] = 0x8001;
			r.x[3] = (uint64_t)i;
		} else if (!strcmp(family, "direct_req2")) {
			r.x[0] = FFA_MSG_SEND_DIRECT_REQ2_64;
			r.x[1] = 0x8001;
			r.x[4] = (uint64_t)i;
			r.x[17] = (uint64_t)i;
		} else if (!strncmp(family, "direct_req_32", 13)) {
			r.x[0] = FFA_MSG_SEND_DIRECT_REQ_32;
			r.x[1] = 0x8001;
			r.x[3] = (uint64_t)i;
		} else if (!strcmp(family, "id_get")) {
			r.x[0] = FFA_ID_GET_32;
		} else if (!strcmp(family, "features")) {
			r.x[0] = FFA_FEATURES_32;
			r.x[1] = FFA_RXTX_MAP_64;
		} else if (!strcmp(family, "partition_info")) {
			r.x[0] = FFA_PARTITION_INFO_GET_32;
			measured(p, &r);
			memset(&r, 0, sizeof(r));
			r.x[0] = FFA_RX_RELEASE_32;
			run(p, &r);
			continue;
		} else if (!strcmp(family, "rx_release")) {
			r.x[0] = FFA_PARTITION_INFO_GET_32;
			run(p, &r);
			memset(&r, 0, sizeof(r));
			r.x[0] = FFA_RX_RELEASE_32;
		} else {
			fprintf(stderr, "unknown family %s\n", family);
			return 2;
		}
		measured(p, &r);
	}
	return 0;
}
