/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * The EL1 client: a freestanding test program that is FF-A endpoint 1 (a
 * VM) behind the EL2 stub. Everything it does is a real `smc #0` that EL2
 * traps (HCR_EL2.TSC) and hands to ffaproxy, which talks to the SPMC
 * model at EL3 with real SMCs; buffers and descriptors are in this
 * client's own RAM at real physical addresses. Each step prints "ok" or
 * "FAIL"; the run ends with PASS (all passed) and a semihosting exit
 * status of 0, or 1 on any failure.
 *
 * Steps: SMCCC/PSCI through EL2, FFA_VERSION (the client's version
 * against the policy), ID_GET, SPM_ID_GET, FEATURES, RXTX_MAP/UNMAP,
 * PARTITION_INFO_GET (layout per version), direct requests (32, 64,
 * REQ2), FFA_RUN of a preempted request and VM availability messages
 * (steps_run.c), notifications (steps_notif.c), indirect messages
 * (steps_msg2.c), memory sharing (steps_mem.c), adversarial calls that
 * must be refused with the stage-2 unchanged.
 */
#include <stdarg.h>

#include <ffaproxy/ffa.h>

#include "el2/client/client.h"
#include "el2/common/arm.h"
#include "el2/common/board.h"
#include "el2/common/console.h"
#include "el2/common/partitions.h"

void client_main(uint64_t bp);
void client_exception(struct frame *f, unsigned kind);

struct client cl;
static uint32_t n_ok, n_fail;

static uint8_t tx_buf[4096] __attribute__((aligned(4096)));
static uint8_t rx_buf[4096] __attribute__((aligned(4096)));

/* ---- Helpers ---- */

bool check(bool ok, const char *fmt, ...)
{
	va_list ap;

	if (ok)
		n_ok++;
	else
		n_fail++;
	con_lock();
	con_puts(ok ? "el1: ok   " : "el1: FAIL ");
	va_start(ap, fmt);
	con_vprintf(fmt, ap);
	va_end(ap);
	con_putc('\n');
	con_unlock();
	return ok;
}

void smc6(struct ffa_regs *r, uint64_t x0, uint64_t x1, uint64_t x2,
	  uint64_t x3, uint64_t x4, uint64_t x5)
{
	regs_set(r, x0, x1, x2, x3, x4, x5);
	arm_smc(r);
}

bool ffa_ok(const struct ffa_regs *r)
{
	return r->x[0] == FFA_SUCCESS_32 || r->x[0] == FFA_SUCCESS_64;
}

int32_t ffa_err(const struct ffa_regs *r)
{
	return r->x[0] == FFA_ERROR_32 ? (int32_t)(uint32_t)r->x[2] : 0;
}

const char *status_name(int32_t st)
{
	const char *n = ffa_error_name(st);

	return st == 0 ? "no error" : n ? n : "?";
}

bool regs_zero(const struct ffa_regs *r, unsigned from, unsigned to)
{
	for (; from <= to; from++)
		if (r->x[from])
			return false;
	return true;
}

void s2_view(struct s2_view *v)
{
	struct ffa_regs r = { { 0 } };
	unsigned i;

	r.x[0] = EL2_HVC_S2_DIGEST;
	arm_hvc(&r);
	v->hash = r.x[0];
	v->mapped = r.x[1];
	for (i = 0; i < FFP_PAGE_STATE_COUNT; i++)
		v->per_state[i] = r.x[2 + i];
}

bool s2_same(const struct s2_view *a, const struct s2_view *b)
{
	unsigned i;

	if (a->hash != b->hash || a->mapped != b->mapped)
		return false;
	for (i = 0; i < FFP_PAGE_STATE_COUNT; i++)
		if (a->per_state[i] != b->per_state[i])
			return false;
	return true;
}

int page_state(uint64_t pa, bool *mapped)
{
	struct ffa_regs r = { { 0 } };

	r.x[0] = EL2_HVC_PAGE;
	r.x[1] = pa;
	arm_hvc(&r);
	*mapped = r.x[1] != 0;
	return (int)(int64_t)r.x[0];
}

uint64_t el2_faults(void)
{
	struct ffa_regs r = { { 0 } };

	r.x[0] = EL2_HVC_FAULTS;
	arm_hvc(&r);
	return r.x[0];
}

uint64_t el2_smcs(void)
{
	struct ffa_regs r = { { 0 } };

	r.x[0] = EL2_HVC_SMCS;
	arm_hvc(&r);
	return r.x[0];
}

/* Per CPU (each counts its own), so that touch_read/touch_write see this
 * CPU's faults only. */
static volatile uint32_t faults_of[BOARD_MAX_CPUS];
#define client_faults faults_of[read_sysreg(mpidr_el1) & 0xff]
volatile bool client_quiet;

static uint64_t client_faults_total(void)
{
	uint64_t n = 0;
	unsigned i;

	for (i = 0; i < BOARD_MAX_CPUS; i++)
		n += faults_of[i];
	return n;
}

bool touch_read(uint64_t pa, uint64_t *val)
{
	uint32_t before = client_faults;
	uint64_t v = 0;

	__asm__ volatile("ldr %0, [%1]" : "+r"(v) : "r"(pa) : "memory");
	if (val)
		*val = v;
	return client_faults != before;
}

bool touch_write(uint64_t pa, uint64_t val)
{
	uint32_t before = client_faults;

	__asm__ volatile("str %0, [%1]" ::"r"(val), "r"(pa) : "memory");
	return client_faults != before;
}

uint64_t el0_a32_load(uint64_t pa);
extern const char el0_a32_back[];
static uint64_t a32_esr; /* what ended el0_a32_load's EL0 code */

/* A synchronous external abort injected by EL2 for a stage-2 fault:
 * count it and skip the access. Anything else ends the run. */
void client_exception(struct frame *f, unsigned kind)
{
	uint64_t esr = read_sysreg(esr_el1);

	if (kind == 12) { /* el0_a32_load's EL0 code: an SVC or an abort */
		if (ESR_EC(esr) == EC_DABT_LOW && (esr & 0x3f) == 0x10)
			client_faults++;
		a32_esr = esr;
		f->elr = (uintptr_t)el0_a32_back;
		f->spsr = 0x3c5; /* EL1h, on the stack el0_a32_load left */
		return;
	}
	if (kind == 4 && ESR_EC(esr) == EC_DABT_CUR && (esr & 0x3f) == 0x10) {
		client_faults++;
		if (!client_quiet)
			con_printf("el1: (data abort at 0x%lx, far 0x%lx: "
				   "skipped)\n",
				   f->elr, read_sysreg(far_el1));
		f->elr += 4;
		return;
	}
	con_printf("el1: unexpected exception kind %u esr 0x%lx elr 0x%lx "
		   "far 0x%lx\n",
		   kind, esr, f->elr, read_sysreg(far_el1));
	con_puts("FAIL\n");
	semihost_exit(1);
}

static uint32_t minor(uint32_t v)
{
	return v & 0xffff;
}

/* ---- SMCCC and PSCI: forwarded to EL3 or refused by the stub ---- */

#define PSCI_VERSION 0x84000000u
#define PSCI_SYSTEM_OFF 0x84000008u
#define PSCI_FEATURES 0x8400000au

static void steps_smccc(void)
{
	struct ffa_regs r;

	smc6(&r, SMCCC_VERSION, 0, 0, 0, 0, 0);
	check(r.x[0] == SMCCC_VERSION_1_2, "SMCCC_VERSION -> 0x%lx (1.2)", r.x[0]);
	smc6(&r, SMCCC_ARCH_FEATURES, SMCCC_VERSION, 0, 0, 0, 0);
	check(r.x[0] == 0, "SMCCC_ARCH_FEATURES(SMCCC_VERSION) -> %ld",
	      (int64_t)(int32_t)r.x[0]);
	smc6(&r, PSCI_VERSION, 0, 0, 0, 0, 0);
	check(r.x[0] == 0x10001, "PSCI_VERSION -> 0x%lx (1.1)", r.x[0]);
	smc6(&r, PSCI_FEATURES, PSCI_SYSTEM_OFF, 0, 0, 0, 0);
	check(r.x[0] == 0, "PSCI_FEATURES(SYSTEM_OFF) -> %ld",
	      (int64_t)(int32_t)r.x[0]);
	smc6(&r, PSCI_FEATURES, PSCI_CPU_ON_64, 0, 0, 0, 0);
	if (cl.smp)
		check(r.x[0] == 0, "PSCI_FEATURES(CPU_ON) -> 0 (two CPUs)");
	else
		check((uint32_t)r.x[0] == 0xffffffffu,
		      "PSCI_FEATURES(CPU_ON) -> NOT_SUPPORTED (0x%lx)", r.x[0]);
	smc6(&r, 0xc2000001u, 0, 0, 0, 0, 0); /* a SiP call: not for a VM */
	check((uint32_t)r.x[0] == 0xffffffffu,
	      "SiP SMC 0xc2000001 refused by EL2 (0x%lx)", r.x[0]);
	{
		/* SMCCC calls are `smc #0`; a nonzero immediate is reserved
		 * (DEN0028 "SMC and HVC immediate value"): not an FF-A call,
		 * not forwarded (KVM answers NOT_SUPPORTED, Xen an UNDEF). */
		register uint64_t x0 __asm__("x0") = FFA_VERSION_32;
		register uint64_t x1 __asm__("x1") = FFA_VERSION_1_2;

		__asm__ volatile("smc #1" : "+r"(x0), "+r"(x1)::"x2", "x3",
				 "x4", "x5", "x6", "x7", "x8", "x9", "x10",
				 "x11", "x12", "x13", "x14", "x15", "x16",
				 "x17", "memory");
		check((uint32_t)x0 == 0xffffffffu && x1 == FFA_VERSION_1_2,
		      "FFA_VERSION through `smc #1` refused by EL2 "
		      "(0x%lx, x1 0x%lx)", x0, x1);
	}
}

/* ---- A stage-2 abort from AArch32 EL0 ---- */

/* An EL0 task of the guest running AArch32 touches an IPA outside the
 * client's stage-2: the fault goes to EL2 through its "lower EL, AArch32"
 * vector, and EL2 must report it to EL1 like any stage-2 abort (through
 * EL1's AArch32 lower-EL vector, offset 0x600), not stop the machine. */
static void steps_el0_aarch32(void)
{
	uint64_t faults = client_faults, w0;

	a32_esr = 0;
	w0 = el0_a32_load(BOARD_FREE_BASE);
	check(client_faults == faults + 1 && ESR_EC(a32_esr) == EC_DABT_LOW &&
		      read_sysreg(far_el1) == BOARD_FREE_BASE,
	      "AArch32 EL0 load of nobody's IPA 0x%x -> external abort at EL1 "
	      "(esr 0x%lx, far 0x%lx, w0 0x%lx)",
	      BOARD_FREE_BASE, a32_esr, read_sysreg(far_el1), w0);
	a32_esr = 0;
	w0 = el0_a32_load((uintptr_t)&a32_esr);
	check(client_faults == faults + 1 && ESR_EC(a32_esr) == 0x11,
	      "AArch32 EL0 load of its own RAM -> no abort, SVC (esr 0x%lx)",
	      a32_esr);
}

/* ---- Version negotiation ---- */

static void steps_version(void)
{
	struct ffa_regs r;
	uint32_t answer, expect;
	bool refused_expected;

	smc6(&r, FFA_VERSION_32, 0x80010002u, 0, 0, 0, 0);
	check(r.x[0] == 0xffffffffu && regs_zero(&r, 1, 17),
	      "FFA_VERSION with bit 31 set -> NOT_SUPPORTED, w1..w7 zero, "
	      "x8..x17 as sent (zero)");
	smc6(&r, FFA_VERSION_32, FFA_MAKE_VERSION(2, 0), 0, 0, 0, 0);
	check(r.x[0] == 0xffffffffu, "FFA_VERSION 2.0 -> NOT_SUPPORTED (0x%lx)",
	      r.x[0]);

	/* What the policy must answer (proxy.h, docs/versions.md). */
	if (!cl.strict) {
		expect = FFA_VERSION_1_2;
		cl.served = cl.want;
		cl.spmc_use = cl.spmc;
		refused_expected = false;
	} else if (cl.want < cl.spmc) {
		refused_expected = cl.prelock;
		expect = refused_expected ? 0xffffffffu : cl.want;
		cl.served = refused_expected ? cl.spmc : cl.want;
		cl.spmc_use = cl.served;
	} else {
		expect = cl.spmc;
		cl.served = cl.spmc;
		cl.spmc_use = cl.spmc;
		refused_expected = false;
	}
	smc6(&r, FFA_VERSION_32, cl.want, 0, 0, 0, 0);
	answer = (uint32_t)r.x[0];
	check(answer == expect && regs_zero(&r, 1, 17),
	      "FFA_VERSION 1.%u as a 1.%u client -> 0x%lx under this policy",
	      minor(cl.want), minor(cl.want), (uint64_t)answer);
	if (refused_expected) {
		/* strict, after the host locked: one version for everybody */
		smc6(&r, FFA_VERSION_32, cl.spmc, 0, 0, 0, 0);
		check(r.x[0] == cl.spmc,
		      "strict: FFA_VERSION 1.%u (the SPMC's) accepted -> 0x%lx",
		      minor(cl.spmc), r.x[0]);
	}
	con_printf("el1: served at FF-A 1.%u; proxy and SPMC at 1.%u\n",
		   minor(cl.served), minor(cl.spmc_use));
}

/* ---- Discovery ---- */

static void steps_discovery(void)
{
	struct ffa_regs r;
	uint32_t other;
	unsigned i;

	/* SMC32: x8..x17 are not results; they come back as they were. */
	for (i = 0; i < FFA_NREGS; i++)
		r.x[i] = i >= 8 ? 0x1111000000000000ull + i : 0;
	r.x[0] = FFA_ID_GET_32;
	arm_smc(&r);
	check(ffa_ok(&r) && r.x[2] == EL1_ENDPOINT_ID && r.x[1] == 0 &&
		      regs_zero(&r, 3, 7),
	      "FFA_ID_GET -> id %lu, x1 and x3..x7 zero", r.x[2]);
	for (i = 8; i < FFA_NREGS && r.x[i] == 0x1111000000000000ull + i; i++)
		;
	check(i == FFA_NREGS, "FFA_ID_GET (SMC32) leaves x8..x17 as they were");

	/* The version is locked now: another one is refused and the same
	 * one still answered. Under strict a newer minor resolves to the
	 * SPMC's version, the one already locked, so it is answered too. */
	other = cl.served == FFA_VERSION_1_0 ? FFA_VERSION_1_1 : FFA_VERSION_1_0;
	smc6(&r, FFA_VERSION_32, other, 0, 0, 0, 0);
	if (cl.strict && other > cl.served)
		check(r.x[0] == cl.served,
		      "strict: FFA_VERSION 1.%u after the lock -> 0x%lx (the "
		      "locked version)",
		      minor(other), r.x[0]);
	else
		check(r.x[0] == 0xffffffffu,
		      "FFA_VERSION 1.%u after the lock at 1.%u -> NOT_SUPPORTED",
		      minor(other), minor(cl.served));
	smc6(&r, FFA_VERSION_32, cl.served, 0, 0, 0, 0);
	check((int32_t)(uint32_t)r.x[0] > 0,
	      "FFA_VERSION 1.%u again after the lock -> 0x%lx",
	      minor(cl.served), r.x[0]);

	/* Forwarded: exists when both the client and the SPMC are 1.1+. */
	smc6(&r, FFA_SPM_ID_GET_32, 0, 0, 0, 0, 0);
	if (cl.served >= FFA_VERSION_1_1 && cl.spmc_use >= FFA_VERSION_1_1)
		check(ffa_ok(&r) && r.x[2] == 0x8000,
		      "FFA_SPM_ID_GET -> 0x%lx", r.x[2]);
	else
		check(ffa_err(&r) == FFA_NOT_SUPPORTED,
		      "FFA_SPM_ID_GET with a 1.0 party -> %s",
		      status_name(ffa_err(&r)));

	smc6(&r, FFA_FEATURES_32, FFA_RXTX_MAP_64, 0, 0, 0, 0);
	check(ffa_ok(&r) && (r.x[2] & 3) == FFA_RXTX_GRANULE_4K,
	      "FFA_FEATURES(RXTX_MAP_64) -> 4 KiB granule (w2 0x%lx)", r.x[2]);
	smc6(&r, FFA_FEATURES_32, FFA_MSG_SEND_DIRECT_REQ_64, 0, 0, 0, 0);
	check(ffa_ok(&r), "FFA_FEATURES(MSG_SEND_DIRECT_REQ_64) -> SUCCESS");
	smc6(&r, FFA_FEATURES_32, FFA_MSG_SEND_DIRECT_REQ2_64, 0, 0, 0, 0);
	if (cl.served >= FFA_VERSION_1_2 && cl.spmc_use >= FFA_VERSION_1_2)
		check(ffa_ok(&r), "FFA_FEATURES(MSG_SEND_DIRECT_REQ2) -> SUCCESS");
	else
		check(ffa_err(&r) == FFA_NOT_SUPPORTED,
		      "FFA_FEATURES(MSG_SEND_DIRECT_REQ2) below 1.2 -> %s",
		      status_name(ffa_err(&r)));
	smc6(&r, FFA_FEATURES_32, FFA_MEM_SHARE_64, 0, 0, 0, 0);
	check(ffa_ok(&r), "FFA_FEATURES(MEM_SHARE_64) -> SUCCESS");
	smc6(&r, FFA_FEATURES_32, FFA_ID_32(0xfe), 0, 0, 0, 0);
	check(ffa_err(&r) == FFA_NOT_SUPPORTED,
	      "FFA_FEATURES(unknown id 0x840000fe) -> %s",
	      status_name(ffa_err(&r)));
}

/* ---- RX/TX buffers ---- */

static void steps_rxtx_map(void)
{
	struct s2_view before, after;
	struct ffa_regs r;
	bool mapped_tx, mapped_rx;
	int st_tx, st_rx;

	/* Adversarial: a TX page this VM does not own (nobody's RAM). */
	s2_view(&before);
	smc6(&r, FFA_RXTX_MAP_64, BOARD_FREE_BASE, cl.rx, 1, 0, 0);
	s2_view(&after);
	check(ffa_err(&r) < 0 && s2_same(&before, &after),
	      "adversarial RXTX_MAP with a TX page not owned (0x%x) -> %s, "
	      "stage-2 unchanged",
	      BOARD_FREE_BASE, status_name(ffa_err(&r)));

	smc6(&r, FFA_RXTX_MAP_64, cl.tx, cl.rx, 1, 0, 0);
	check(ffa_ok(&r), "FFA_RXTX_MAP_64 tx 0x%lx rx 0x%lx 1 page", cl.tx,
	      cl.rx);
	st_tx = page_state(cl.tx, &mapped_tx);
	st_rx = page_state(cl.rx, &mapped_rx);
	check(st_tx == FFP_PAGE_SHARED_PROXY && st_rx == FFP_PAGE_SHARED_PROXY &&
		      mapped_tx && mapped_rx,
	      "stage-2: TX and RX shared with the proxy, still mapped");
	check(!touch_write(cl.tx, 0x1234) && !touch_write(cl.rx, 0),
	      "TX and RX stay writable by the client");

	s2_view(&before);
	smc6(&r, FFA_RXTX_MAP_64, cl.tx, cl.rx, 1, 0, 0);
	s2_view(&after);
	check(ffa_err(&r) == FFA_DENIED && s2_same(&before, &after),
	      "FFA_RXTX_MAP_64 again -> %s, stage-2 unchanged",
	      status_name(ffa_err(&r)));
}

static void steps_rxtx_unmap(void)
{
	struct ffa_regs r;
	bool mapped_tx, mapped_rx;
	int st_tx, st_rx;

	smc6(&r, FFA_RXTX_UNMAP_32, (uint64_t)2 << 16, 0, 0, 0, 0);
	check(ffa_err(&r) == FFA_INVALID_PARAMETERS,
	      "FFA_RXTX_UNMAP naming endpoint 2 -> %s", status_name(ffa_err(&r)));
	smc6(&r, FFA_RXTX_UNMAP_32, 0, 0, 0, 0, 0);
	check(ffa_ok(&r), "FFA_RXTX_UNMAP");
	st_tx = page_state(cl.tx, &mapped_tx);
	st_rx = page_state(cl.rx, &mapped_rx);
	check(st_tx == FFP_PAGE_OWNED && st_rx == FFP_PAGE_OWNED && mapped_tx &&
		      mapped_rx,
	      "stage-2: TX and RX owned again");
	smc6(&r, FFA_RXTX_UNMAP_32, 0, 0, 0, 0, 0);
	check(ffa_err(&r) < 0, "FFA_RXTX_UNMAP again -> %s",
	      status_name(ffa_err(&r)));
}

/* ---- Partition info ---- */

/* Partition properties as a version defines them (ffa-facts section 7),
 * less bits 6/7 (VM availability subscriptions): the proxy, the
 * hypervisor that sends those messages, does not show them to a VM. */
static uint32_t props_at(uint32_t props, uint32_t v)
{
	if (v < FFA_VERSION_1_1)
		return props & 0x7u;
	if (v < FFA_VERSION_1_2)
		return props & ~0x6c0u;
	return props & ~0xc0u;
}

/* What the client is told: the bits both versions define; a 1.0 SPMC
 * says nothing of the execution state (1.1 bit 8), which the proxy
 * reports as AArch64. */
static uint32_t props_seen(uint32_t props)
{
	uint32_t p = props_at(props, cl.spmc_use);

	if (cl.spmc_use == FFA_VERSION_1_0)
		p |= FFA_PART_PROP_AARCH64;
	return props_at(p, cl.served);
}

static void fill(uint8_t *p, uint8_t v, uint32_t n)
{
	while (n--)
		*p++ = v;
}

static bool all(const uint8_t *p, uint8_t v, uint32_t n)
{
	while (n--)
		if (*p++ != v)
			return false;
	return true;
}

/* One FFA_PARTITION_INFO_GET_REGS from start index `start`; *n = the SMCs
 * the proxy made to EL3 for it. */
static void pinfo_regs(struct ffa_regs *r, uint64_t start, uint64_t *n)
{
	uint64_t before = el2_smcs();

	smc6(r, FFA_PARTITION_INFO_GET_REGS_64, 0, 0, start, 0, 0);
	*n = el2_smcs() - before;
}

/* The register form (1.2): forwarded to a 1.2 SPMC over SMCCC 1.2 (1 SMC
 * at EL3), emulated by the proxy from the buffer form below that (the
 * query and an RX_RELEASE: 2), the same registers either way; refused to
 * older clients. A 1.2 SPMC lacking it (BP_LACKS_REGS) costs one SMC
 * more at the first call, which the proxy forwards and learns from, and
 * 2 at every later one. The client's RX is not touched. */
static void steps_partition_info_regs(void)
{
	const uint64_t x2 = (uint64_t)24 << 48 | 1u << 16 | 1u;
	const bool fwd = cl.spmc_use >= FFA_VERSION_1_2 && !cl.lacks_regs;
	const uint64_t first = fwd ? 1 : cl.lacks_regs ? 3 : 2;
	const uint64_t later = fwd ? 1 : 2;
	const char *how = fwd		? "forwarded"
			  : cl.lacks_regs ? "the SPMC lacks it: emulated"
					  : "emulated";
	struct ffa_regs r, again;
	uint64_t n;
	bool good;
	uint32_t i, k;

	if (cl.served < FFA_VERSION_1_2) {
		smc6(&r, FFA_PARTITION_INFO_GET_REGS_64, 0, 0, 0, 0, 0);
		check(ffa_err(&r) == FFA_NOT_SUPPORTED,
		      "FFA_PARTITION_INFO_GET_REGS below 1.2 -> %s",
		      status_name(ffa_err(&r)));
		return;
	}
	fill(rx_buf, 0xaa, 64);
	pinfo_regs(&r, 0, &n);
	good = (uint32_t)r.x[0] == FFA_SUCCESS_64 && r.x[1] == 0 &&
	       r.x[2] == x2 && regs_zero(&r, 9, FFA_NREGS - 1);
	for (i = 0; good && i < 2; i++) {
		uint64_t u0 = 0, u1 = 0;

		for (k = 0; k < 8; k++) {
			u0 |= (uint64_t)board_partitions[i].uuid[k] << (8 * k);
			u1 |= (uint64_t)board_partitions[i].uuid[8 + k] << (8 * k);
		}
		good = r.x[3 + 3 * i] ==
			       ((uint64_t)props_seen(board_partitions[i].props)
					<< 32 |
				(uint32_t)board_partitions[i].exec_ctx << 16 |
				board_partitions[i].id) &&
		       r.x[4 + 3 * i] == u0 && r.x[5 + 3 * i] == u1;
	}
	check(good && all(rx_buf, 0xaa, 64),
	      "FFA_PARTITION_INFO_GET_REGS -> x2 0x%lx: ids, contexts, "
	      "properties, UUIDs in x3..x8, x9..x17 zero, RX untouched (%s)",
	      r.x[2], how);
	check(n == first, "FFA_PARTITION_INFO_GET_REGS first call: %lu SMC(s) "
			  "at EL3 (%s: %lu)",
	      n, how, first);
	pinfo_regs(&again, 0, &n);
	for (i = 0; i < FFA_NREGS && again.x[i] == r.x[i]; i++)
		;
	check(i == FFA_NREGS && n == later && all(rx_buf, 0xaa, 64),
	      "FFA_PARTITION_INFO_GET_REGS again -> the same x0..x17, RX "
	      "untouched, %lu SMC(s) at EL3 (%s: %lu)",
	      n, how, later);
	pinfo_regs(&r, 2, &n);
	check(ffa_err(&r) == FFA_INVALID_PARAMETERS && n == later,
	      "FFA_PARTITION_INFO_GET_REGS from index 2 of 2 -> %s, %lu "
	      "SMC(s) at EL3",
	      status_name(ffa_err(&r)), n);
}

static void steps_partition_info(void)
{
	uint32_t size = cl.served >= FFA_VERSION_1_1 ? 24 : 8, i, w[4];
	struct ffa_regs r;
	bool good = true;

	fill(rx_buf, 0xaa, sizeof(rx_buf));
	smc6(&r, FFA_PARTITION_INFO_GET_32, 0, 0, 0, 0, 0);
	check(ffa_ok(&r) && r.x[2] == 2 &&
		      r.x[3] == (cl.served >= FFA_VERSION_1_1 ? 24 : 0),
	      "FFA_PARTITION_INFO_GET (all) -> count %lu, w3 %lu", r.x[2],
	      r.x[3]);
	for (i = 0; i < 2; i++) {
		const uint8_t *d = rx_buf + i * size;

		good = good && ffa_get16(d) == board_partitions[i].id &&
		       ffa_get16(d + 2) == board_partitions[i].exec_ctx &&
		       ffa_get32(d + 4) == props_seen(board_partitions[i].props);
		if (size == 24) {
			uint32_t k;

			for (k = 0; k < 16; k++)
				good = good && d[8 + k] == board_partitions[i].uuid[k];
		}
	}
	check(good,
	      "RX holds two %lu-byte descriptors: ids, contexts, properties%s",
	      (uint64_t)size, size == 24 ? ", UUIDs" : "");
	check(all(rx_buf + 2 * size, 0, 64),
	      "the 64 bytes after the descriptors are zeroed");

	smc6(&r, FFA_PARTITION_INFO_GET_32, 0, 0, 0, 0, 0);
	check(ffa_err(&r) == FFA_BUSY,
	      "FFA_PARTITION_INFO_GET while the client owns its RX -> %s",
	      status_name(ffa_err(&r)));
	smc6(&r, FFA_RX_RELEASE_32, 0, 0, 0, 0, 0);
	check(ffa_ok(&r), "FFA_RX_RELEASE");

	for (i = 0; i < 4; i++)
		w[i] = ffa_get32(board_partitions[1].uuid + 4 * i);
	fill(rx_buf, 0xaa, sizeof(rx_buf));
	smc6(&r, FFA_PARTITION_INFO_GET_32, w[0], w[1], w[2], w[3], 0);
	check(ffa_ok(&r) && r.x[2] == 1 && ffa_get16(rx_buf) == 0x8002,
	      "FFA_PARTITION_INFO_GET by UUID -> count %lu, id 0x%lx", r.x[2],
	      (uint64_t)ffa_get16(rx_buf));
	smc6(&r, FFA_RX_RELEASE_32, 0, 0, 0, 0, 0);
	check(ffa_ok(&r), "FFA_RX_RELEASE");

	smc6(&r, FFA_PARTITION_INFO_GET_32, 0xdead, 1, 2, 3, 0);
	check(ffa_err(&r) == FFA_INVALID_PARAMETERS,
	      "FFA_PARTITION_INFO_GET with an unknown UUID -> %s",
	      status_name(ffa_err(&r)));

	/* The flag is 1.1's, served at 1.0 too, as Hafnium and TF-A's EL3
	 * SPMC do (docs/discovery.md; Linux 6.1..6.3 set it at 1.0). */
	smc6(&r, FFA_PARTITION_INFO_GET_32, 0, 0, 0, 0,
	     FFA_PARTITION_INFO_GET_COUNT_ONLY);
	check(ffa_ok(&r) && r.x[2] == 2,
	      "FFA_PARTITION_INFO_GET count only (at 1.%u) -> %lu",
	      minor(cl.served), r.x[2]);
	/* nothing written, so the RX is not the client's to release */
	smc6(&r, FFA_PARTITION_INFO_GET_32, 0, 0, 0, 0, 0);
	check(ffa_ok(&r), "a full FFA_PARTITION_INFO_GET right after it");
	smc6(&r, FFA_RX_RELEASE_32, 0, 0, 0, 0, 0);
	check(ffa_ok(&r), "FFA_RX_RELEASE");
	steps_partition_info_regs();
}

/* ---- Direct messages ---- */

static void steps_direct(void)
{
	struct ffa_regs r;
	uint64_t ids = ((uint64_t)EL1_ENDPOINT_ID << 16) | 0x8001;
	unsigned i;
	bool good;

	for (i = 0; i < FFA_NREGS; i++)
		r.x[i] = 0;
	r.x[0] = FFA_MSG_SEND_DIRECT_REQ_32;
	r.x[1] = ids;
	for (i = 3; i <= 7; i++)
		r.x[i] = 0xffffffff00000000ull | (i * 10); /* upper halves ignored */
	arm_smc(&r);
	good = r.x[0] == FFA_MSG_SEND_DIRECT_RESP_32 &&
	       r.x[1] == ((0x8001ull << 16) | EL1_ENDPOINT_ID) && r.x[2] == 0;
	for (i = 3; i <= 7; i++)
		good = good && r.x[i] == i * 10 + 1;
	check(good, "MSG_SEND_DIRECT_REQ_32 to 0x8001 -> RESP_32, w3..w7 + 1, "
		    "upper halves zero");

	for (i = 0; i < FFA_NREGS; i++)
		r.x[i] = 0;
	r.x[0] = FFA_MSG_SEND_DIRECT_REQ_64;
	r.x[1] = ((uint64_t)EL1_ENDPOINT_ID << 16) | 0x8002;
	for (i = 3; i <= 7; i++)
		r.x[i] = 0x0123456700000000ull + i;
	arm_smc(&r);
	good = r.x[0] == FFA_MSG_SEND_DIRECT_RESP_64 &&
	       r.x[1] == ((0x8002ull << 16) | EL1_ENDPOINT_ID);
	for (i = 3; i <= 7; i++)
		good = good && r.x[i] == 0x0123456700000001ull + i;
	check(good, "MSG_SEND_DIRECT_REQ_64 to 0x8002 -> RESP_64, x3..x7 + 1");

	smc6(&r, FFA_MSG_SEND_DIRECT_REQ_32, (0x0002u << 16) | 0x8001, 0, 1, 2, 3);
	check(ffa_err(&r) == FFA_INVALID_PARAMETERS,
	      "adversarial MSG_SEND_DIRECT_REQ_32 as endpoint 2 -> %s",
	      status_name(ffa_err(&r)));
	smc6(&r, FFA_MSG_SEND_DIRECT_REQ_32, ((uint64_t)EL1_ENDPOINT_ID << 16) | 0x8009,
	     0, 1, 2, 3);
	check(ffa_err(&r) == FFA_INVALID_PARAMETERS,
	      "MSG_SEND_DIRECT_REQ_32 to a partition that does not exist -> %s",
	      status_name(ffa_err(&r)));

	if (cl.served < FFA_VERSION_1_2 || cl.spmc_use < FFA_VERSION_1_2)
		return;
	/* DIRECT_REQ2: x4..x17, the SMCCC 1.2 registers, through two
	 * trapping levels and the proxy. */
	for (i = 0; i < FFA_NREGS; i++)
		r.x[i] = 0;
	r.x[0] = FFA_MSG_SEND_DIRECT_REQ2_64;
	r.x[1] = ids;
	for (i = 4; i < FFA_NREGS; i++)
		r.x[i] = 0xab00000000000000ull + i * 0x100;
	arm_smc(&r);
	good = r.x[0] == FFA_MSG_SEND_DIRECT_RESP2_64 &&
	       r.x[1] == ((0x8001ull << 16) | EL1_ENDPOINT_ID) &&
	       r.x[2] == 0 && r.x[3] == 0;
	for (i = 4; i < FFA_NREGS; i++)
		good = good && r.x[i] == 0xab00000000000001ull + i * 0x100;
	check(good, "MSG_SEND_DIRECT_REQ2 to 0x8001 -> RESP2, x4..x17 + 1");
}

/* ---- Main ---- */

void client_main(uint64_t bp)
{
	struct ffa_regs r;

	cl.spmc = FFA_MAKE_VERSION(1, BP_SPMC_MINOR(bp));
	cl.want = FFA_MAKE_VERSION(1, BP_CLIENT_MINOR(bp));
	cl.strict = BP_STRICT(bp);
	cl.prelock = BP_PRELOCK(bp);
	cl.lacks_regs = BP_LACKS_REGS(bp);
	cl.smp = BP_SMP(bp);
	cl.tx = (uintptr_t)tx_buf;
	cl.rx = (uintptr_t)rx_buf;
	con_printf("el1: client up: endpoint %u, FF-A 1.%u client, policy %s%s, "
		   "SPMC 1.%u\n",
		   EL1_ENDPOINT_ID, minor(cl.want), cl.strict ? "strict" : "translate",
		   cl.prelock ? " (host locked 1.2 first)" : "", minor(cl.spmc));

	steps_smccc();
	steps_el0_aarch32();
	steps_version();
	steps_discovery();
	steps_rxtx_map();
	steps_partition_info();
	steps_direct();
	steps_run();
	steps_vmavail();
	steps_notif();
	steps_msg2();
#if EL2_MEM
	steps_memory();
#else
	con_puts("el1: memory steps left out (EL2_MEM=0)\n");
#endif
	if (cl.smp)
		steps_smp();
	steps_rxtx_unmap();
	check(el2_faults() == client_faults_total(),
	      "EL2 reported %lu stage-2 aborts, the client saw %lu",
	      el2_faults(), client_faults_total());

	con_printf("el1: %u checks passed, %u failed\n", n_ok, n_fail);
	if (n_fail) {
		con_puts("FAIL\n");
		semihost_exit(1);
	}
	con_puts("PASS\n");
	if (BP_POWEROFF(bp)) {
		smc6(&r, PSCI_SYSTEM_OFF, 0, 0, 0, 0, 0);
		con_puts("el1: PSCI SYSTEM_OFF returned\n");
		semihost_exit(4);
	}
	semihost_exit(0);
}
