/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * The EL2 hypervisor stub: one guest (the EL1 client, FF-A endpoint 1)
 * behind a real stage-2, with ffaproxy embedded through its public API
 * (include/ffaproxy/proxy.h) and its platform operations implemented on
 * this machine: SMCs are real `smc #0` to the EL3 firmware, page
 * ownership changes edit the stage-2, caller memory is read through the
 * identity map. docs/el2.md walks through it as an embedding example.
 */
#include <ffaproxy/proxy.h>

#include "el2/common/arm.h"
#include "el2/common/board.h"
#include "el2/common/console.h"
#include "el2/common/partitions.h"
#include "el2/hyp/copy.h"
#include "el2/hyp/host.h"
#include "el2/hyp/spinlock.h"
#include "el2/hyp/stage2.h"

void hyp_main(uint64_t bp);
void hyp_exception(struct frame *f, unsigned kind);
void hyp_secondary(uint64_t vcpu);
void hyp_enter_el1(uint64_t entry, uint64_t arg) __attribute__((noreturn));
void hyp_secondary_entry(uint64_t vcpu); /* start.S, CPU_ON's entry */

#define PROXY_BUFFER_PAGES 16u /* the proxy's own RX and TX, each */

static uint8_t proxy_mem[2u << 20] __attribute__((aligned(16)));
static uint8_t proxy_tx[PROXY_BUFFER_PAGES * 4096] __attribute__((aligned(4096)));
static uint8_t proxy_rx[PROXY_BUFFER_PAGES * 4096] __attribute__((aligned(4096)));
/* The client's bounce pair for indirect messages: in the stub's memory,
 * outside the client's stage-2; the SPMC reads and writes it. */
static uint8_t vm1_msg_tx[4096] __attribute__((aligned(4096)));
static uint8_t vm1_msg_rx[4096] __attribute__((aligned(4096)));
static struct ffp *proxy;
static struct ffp_partition_uuid uuids[BOARD_PARTITION_COUNT];

static struct {
	struct hyp_locks locks;
	bool smp;   /* BP_SMP: the client may turn its vCPU 1 on */
	bool quiet; /* EL2_HVC_TRACE 0: count, do not print */
	uint64_t vttbr;
	/* The client's vCPU 1 (the physical CPU 1): 0 off, 1 on (CPU_ON
	 * made); its entry point and context id from the client's CPU_ON. */
	uint32_t vcpu1_on;
	uint64_t vcpu1_entry, vcpu1_ctx;
} hyp;

/* Per CPU, each written by its own CPU only: so counting needs no lock,
 * and the SMCs a call cost are its CPU's alone. */
static struct hyp_cpu {
	uint32_t smcs;       /* SMCs the proxy issued to EL3 */
	uint32_t smcs_x0_x7; /* of which through smc_x0_x7 */
	uint32_t faults;     /* stage-2 aborts reported to EL1 */
	uint32_t refusals;   /* the proxy's log events */
	uint32_t contended;  /* proxy locks found held by another CPU */
} hyp_cpus[BOARD_MAX_CPUS];

/* This CPU's (MPIDR_EL1.Aff0: EL3 starts no CPU past BOARD_MAX_CPUS). */
static struct hyp_cpu *cpu(void)
{
	return &hyp_cpus[read_sysreg(mpidr_el1) & 0xff];
}

static bool quiet(void)
{
	return __atomic_load_n(&hyp.quiet, __ATOMIC_RELAXED);
}

static void __attribute__((noreturn)) fatal(const char *what, uint64_t v)
{
	con_printf("el2: FATAL: %s (0x%lx)\n", what, v);
	semihost_exit(2);
}

/* ---- The platform operations (include/ffaproxy/platform.h) ---- */

static void hyp_smc(void *ctx, struct ffa_regs *regs)
{
	(void)ctx;
	cpu()->smcs++;
	arm_smc(regs);
}

static void hyp_smc_x0_x7(void *ctx, struct ffa_regs *regs)
{
	(void)ctx;
	cpu()->smcs++;
	cpu()->smcs_x0_x7++;
	arm_smc_x0_x7(regs);
}

/* The client's pages live in its stage-2; the host's (played by this
 * stub) have a state only. */
static int hyp_stage2_transition(void *ctx, uint16_t ep, uint64_t pa,
				 uint64_t size, enum ffp_page_state from,
				 enum ffp_page_state to)
{
	(void)ctx;
	return s2_transition(ep, pa, size, from, to);
}

/* A fragment's ranges at once: one TLB invalidation for all of them. */
static int hyp_stage2_transition_ranges(void *ctx, uint16_t ep,
					const uint8_t *cons, uint32_t count,
					enum ffp_page_state from,
					enum ffp_page_state to,
					uint32_t *failed)
{
	(void)ctx;
	return s2_transition_ranges(ep, cons, count, from, to, failed);
}

/* With the MMU off, EL2 reaches every physical address directly; the
 * identity stage-2 means the client's IPA is that PA. Only pages the
 * client may access itself are copied, and nothing unless all are. */
static int guest_copy(uint16_t ep, uint64_t pa, volatile uint8_t *d,
		      const volatile uint8_t *s, size_t len)
{
	if (!len)
		return 0;
	if (!s2_accessible(ep, pa, len))
		return FFA_DENIED;
	hyp_copy(d, s, len);
	return 0;
}

static int hyp_guest_read(void *ctx, uint16_t ep, uint64_t pa, void *dst,
			  size_t len)
{
	(void)ctx;
	return guest_copy(ep, pa, dst, (const volatile uint8_t *)(uintptr_t)pa,
			  len);
}

static int hyp_guest_write(void *ctx, uint16_t ep, uint64_t pa,
			   const void *src, size_t len)
{
	(void)ctx;
	return guest_copy(ep, pa, (volatile uint8_t *)(uintptr_t)pa, src, len);
}

/* el2/hyp/spinlock.h: a spinlock per lock id; taking a lock this CPU
 * holds would spin forever: report it instead. */
static uint64_t this_cpu(void)
{
	return read_sysreg(mpidr_el1) + 1; /* nonzero, unique per CPU */
}

static void hyp_spin_lock(void *ctx, enum ffp_lock which)
{
	(void)ctx;
	if ((unsigned)which >= FFP_LOCK_COUNT)
		fatal("lock: unknown lock", which);
	/* a diagnostic: the SMP loop reports how often the CPUs met here */
	if (__atomic_load_n(&hyp.locks.owner[which], __ATOMIC_RELAXED))
		cpu()->contended++;
	if (hyp_lock_take(&hyp.locks, which, this_cpu()))
		fatal("lock taken recursively", which);
}

static void hyp_spin_unlock(void *ctx, enum ffp_lock which)
{
	(void)ctx;
	if ((unsigned)which >= FFP_LOCK_COUNT ||
	    hyp_lock_give(&hyp.locks, which, this_cpu()))
		fatal("unlock of a free lock", which);
}

static const char *fn_name(uint32_t id)
{
	const char *n = ffa_function_name(id);

	return n ? n : "?";
}

static void hyp_log(void *ctx, const struct ffp_log_event *ev)
{
	const char *e = ffa_error_name(ev->status);

	(void)ctx;
	cpu()->refusals++;
	if (quiet())
		return;
	con_printf("el2:   proxy refused ep%u %s: %s (0x%lx) -> %s\n", ev->ep,
		   fn_name(ev->func), ev->why, ev->value, e ? e : "-");
}

/* page_transition_ranges and smc_x0_x7 are set at boot when the boot
 * parameters ask for them (BP_RANGES); otherwise pages move one range at
 * a time and direct requests go from the proxy's private copy. */
static struct ffp_platform platform = {
	.smc = hyp_smc,
	.page_transition = hyp_stage2_transition,
	.caller_read = hyp_guest_read,
	.caller_write = hyp_guest_write,
	.lock = hyp_spin_lock,
	.unlock = hyp_spin_unlock,
	.log = hyp_log,
};

/* ---- PSCI CPU_ON of the client's vCPU 1 (BP_SMP) ---- */

/* The client's vCPUs are the physical CPUs of the same MPIDR (VMPIDR_EL2
 * = MPIDR_EL1), so its CPU_ON names CPU 1 as EL3 does; EL3 gets the
 * stub's own entry, which sets up CPU 1's EL2 before entering the client
 * at the entry point it gave, as KVM's PSCI emulation starts a vCPU at
 * the guest's entry and context id. Results in x0, x1..x3 zero (PSCI
 * results are x0 only). */
static void cpu_on(struct frame *f, uint32_t id)
{
	uint64_t mpidr = f->x[1], entry = f->x[2], ctx = f->x[3];
	uint32_t off = 0, i;
	struct ffa_regs r;
	int32_t st;

	if (id == PSCI_CPU_ON_32) {
		mpidr = (uint32_t)mpidr;
		entry = (uint32_t)entry;
		ctx = (uint32_t)ctx;
	}
	mpidr &= 0xff00ffffffull; /* Aff3..Aff0 */
	if (mpidr == 0) {
		st = PSCI_E_ALREADY_ON;
	} else if (mpidr != 1) {
		st = PSCI_E_INVALID_PARAMETERS;
	} else if (entry % 4 || !s2_accessible(EL1_ENDPOINT_ID, entry, 4)) {
		/* only an entry the client can itself run */
		st = PSCI_E_INVALID_ADDRESS;
	} else if (!__atomic_compare_exchange_n(&hyp.vcpu1_on, &off, 1, false,
						__ATOMIC_ACQ_REL,
						__ATOMIC_RELAXED)) {
		st = PSCI_E_ALREADY_ON;
	} else {
		/* Before the SMC: EL3's release store publishes them to CPU 1. */
		hyp.vcpu1_entry = entry;
		hyp.vcpu1_ctx = ctx;
		regs_set(&r, PSCI_CPU_ON_64, 1, (uintptr_t)hyp_secondary_entry,
			 1, 0, 0);
		arm_smc(&r);
		st = (int32_t)r.x[0];
		if (st) /* undone: vCPU 1 stays off */
			__atomic_store_n(&hyp.vcpu1_on, 0, __ATOMIC_RELEASE);
	}
	con_printf("el2: ep%u PSCI CPU_ON of vCPU %lu at 0x%lx, context "
		   "0x%lx -> %d\n",
		   EL1_ENDPOINT_ID, mpidr, entry, ctx, st);
	f->x[0] = (uint64_t)(int64_t)st;
	for (i = 1; i < 4; i++)
		f->x[i] = 0;
}

/* ---- Trapped SMCs ---- */

#define PSCI_VERSION 0x84000000u
#define PSCI_SYSTEM_OFF 0x84000008u
#define PSCI_FEATURES 0x8400000au
#define SMCCC_UNKNOWN 0xffffffffu

/* What the stub does with the non-FF-A SMCs of its guest: these go to
 * EL3 as they are; every other id gets SMCCC's NOT_SUPPORTED here. */
static const uint32_t forwarded_smcs[] = {
	SMCCC_VERSION, SMCCC_ARCH_FEATURES, PSCI_VERSION, PSCI_FEATURES,
	PSCI_SYSTEM_OFF,
};

static bool smc_forwarded(uint64_t x0)
{
	uint32_t i;

	for (i = 0; i < sizeof(forwarded_smcs) / sizeof(forwarded_smcs[0]); i++)
		if (x0 == forwarded_smcs[i])
			return true;
	return false;
}

static void trace_ffa(const struct ffa_regs *in, const struct ffa_regs *out,
		      uint32_t smcs, uint32_t smcs_x0_x7)
{
	uint32_t id = (uint32_t)in->x[0], r0 = (uint32_t)out->x[0];

	con_printf("el2: ep%u %s -> ", EL1_ENDPOINT_ID, fn_name(id));
	if (r0 == FFA_ERROR_32) {
		const char *e = ffa_error_name((int32_t)(uint32_t)out->x[2]);

		con_printf("FFA_ERROR %s", e ? e : "?");
	} else if (id == FFA_VERSION_32) {
		if ((int32_t)r0 < 0)
			con_puts("NOT_SUPPORTED");
		else
			con_printf("%u.%u", r0 >> 16, r0 & 0xffff);
	} else {
		con_puts(fn_name(r0));
	}
	con_printf(" [%u SMC%s to EL3%s]\n", smcs, smcs == 1 ? "" : "s",
		   smcs_x0_x7 ? ", x0..x7 only" : "");
}

static void handle_smc(struct frame *f)
{
	struct ffa_regs r;
	uint32_t i, id, before = cpu()->smcs, before_x0_x7 = cpu()->smcs_x0_x7;

	for (i = 0; i < FFA_NREGS; i++)
		r.x[i] = f->x[i];
	if (ffp_handle(proxy, EL1_ENDPOINT_ID, &r)) {
		struct ffa_regs in;

		for (i = 0; i < FFA_NREGS; i++) {
			in.x[i] = f->x[i];
			f->x[i] = r.x[i];
		}
		if (!quiet())
			trace_ffa(&in, &r, cpu()->smcs - before,
				  cpu()->smcs_x0_x7 - before_x0_x7);
		return;
	}
	id = (uint32_t)r.x[0];
	if (hyp.smp && (id == PSCI_CPU_ON_32 || id == PSCI_CPU_ON_64)) {
		cpu_on(f, id);
		return;
	}
	if (smc_forwarded(r.x[0])) {
		arm_smc(&r);
		/* SMCCC results are x0..x3; x4..x17 stay the caller's. */
		for (i = 0; i < 4; i++)
			f->x[i] = r.x[i];
		con_printf("el2: ep%u SMC 0x%x forwarded to EL3 -> 0x%lx\n",
			   EL1_ENDPOINT_ID, id, f->x[0]);
		return;
	}
	con_printf("el2: ep%u SMC 0x%lx refused: NOT_SUPPORTED\n",
		   EL1_ENDPOINT_ID, f->x[0]);
	f->x[0] = SMCCC_UNKNOWN;
}

/* ---- Private HVCs (el2/common/board.h) ---- */

/* Another VM (x1 = its id) created or destroyed, as a hypervisor's VM
 * lifecycle would: the proxy tells the subscribed partitions. The host
 * and the running client are not the client's to remove. */
static void vm_add_remove(struct frame *f, bool add)
{
	struct ffp_endpoint_info info = { 0 };
	uint64_t id = f->x[1];
	uint32_t before = cpu()->smcs;
	int st;

	if (!id || id == EL1_ENDPOINT_ID || id > 0x7fff) {
		f->x[0] = (uint64_t)(int64_t)FFA_INVALID_PARAMETERS;
		f->x[1] = 0;
		return;
	}
	st = add ? ffp_endpoint_add(proxy, (uint16_t)id)
		 : ffp_endpoint_remove(proxy, (uint16_t)id);
	if (ffp_endpoint_info(proxy, (uint16_t)id, &info))
		info.present = false;
	con_printf("el2: VM %lu %s -> %s [%u SMC%s to EL3], present %u, "
		   "VM_DESTROYED pending %u\n",
		   id, add ? "created: ffp_endpoint_add" : "destroyed: ffp_endpoint_remove",
		   st ? ffa_error_name(st) : "0", cpu()->smcs - before,
		   cpu()->smcs - before == 1 ? "" : "s", info.present,
		   info.vm_destroyed_pending);
	f->x[0] = (uint64_t)(int64_t)st;
	f->x[1] = add ? info.present : info.vm_destroyed_pending;
}

static void handle_hvc(struct frame *f)
{
	uint64_t fid = f->x[0];
	uint32_t i;

	if (fid == EL2_HVC_S2_DIGEST) {
		struct s2_digest d;

		s2_digest(&d);
		f->x[0] = d.hash;
		f->x[1] = d.mapped;
		for (i = 0; i < FFP_PAGE_STATE_COUNT; i++)
			f->x[2 + i] = d.per_state[i];
	} else if (fid == EL2_HVC_PAGE) {
		bool mapped;
		int st = s2_page_state(f->x[1], &mapped);

		f->x[0] = (uint64_t)(int64_t)st;
		f->x[1] = mapped;
	} else if (fid == EL2_HVC_FAULTS) {
		f->x[0] = 0;
		for (i = 0; i < BOARD_MAX_CPUS; i++)
			f->x[0] += hyp_cpus[i].faults;
	} else if (fid == EL2_HVC_HOST_SHARE) {
		uint64_t h = 0;

		f->x[0] = (uint64_t)(int64_t)host_share(proxy, &h);
		f->x[1] = h;
	} else if (fid == EL2_HVC_HOST_RECLAIM) {
		f->x[0] = (uint64_t)(int64_t)host_reclaim(proxy, f->x[1]);
	} else if (fid == EL2_HVC_SMCS) {
		f->x[0] = cpu()->smcs;
		f->x[1] = cpu()->refusals;
		f->x[2] = cpu()->contended;
	} else if (fid == EL2_HVC_TRACE) {
		struct ffa_regs r;

		__atomic_store_n(&hyp.quiet, !f->x[1], __ATOMIC_RELAXED);
		/* EL3's test services too: the SMP loop calls them */
		regs_set(&r, EL3_SIP_TRACE, f->x[1], 0, 0, 0, 0);
		arm_smc(&r);
		f->x[0] = 0;
	} else if (fid == EL2_HVC_TXNS) {
		struct ffp_transaction_info t;
		uint32_t cur = 0;

		f->x[0] = 0;
		while (!ffp_transaction_next(proxy, &cur, &t))
			f->x[0]++;
	} else if (fid == EL2_HVC_VM_ADD || fid == EL2_HVC_VM_REMOVE) {
		vm_add_remove(f, fid == EL2_HVC_VM_ADD);
	} else if (fid == EL2_HVC_VM_RETRY) {
		uint32_t before = cpu()->smcs;

		f->x[0] = ffp_vm_destroyed_retry(proxy);
		con_printf("el2: ffp_vm_destroyed_retry -> %lu pending [%u SMC%s "
			   "to EL3]\n",
			   f->x[0], cpu()->smcs - before,
			   cpu()->smcs - before == 1 ? "" : "s");
	} else if (fid == EL2_HVC_EL3_TEST && f->x[1] >= EL3_SIP_FIRST &&
		   f->x[1] <= EL3_SIP_LAST) {
		struct ffa_regs r;

		regs_set(&r, f->x[1], f->x[2], f->x[3], f->x[4], f->x[5],
			 f->x[6]);
		arm_smc(&r);
		for (i = 0; i < 4; i++)
			f->x[i] = r.x[i];
	} else {
		f->x[0] = SMCCC_UNKNOWN; /* FF-A's conduit here is SMC */
	}
}

/* ---- Stage-2 aborts: reported to the client, never fatal ---- */

/* Inject a synchronous external abort into EL1 at the faulting
 * instruction, as KVM does for an access to nothing (the client sees
 * EC 0x25/0x21 with DFSC/IFSC 0x10 and FAR set). */
static void inject_abort(struct frame *f, uint64_t esr)
{
	uint64_t far = read_sysreg(far_el2), hpfar = read_sysreg(hpfar_el2);
	uint64_t ipa = ((hpfar >> 4) << 12) | (far & 0xfff);
	uint64_t mode = f->spsr & 0xf, vbar = read_sysreg(vbar_el1), esr1;
	bool aarch32 = f->spsr & (1u << 4); /* SPSR.M[4]: AArch32 EL0 */
	bool data = ESR_EC(esr) == EC_DABT_LOW, mapped;
	int st = s2_page_state(ipa, &mapped);
	const char *sn = st < 0 ? "no endpoint's RAM"
				: ffp_page_state_name((enum ffp_page_state)st);

	cpu()->faults++;
	if (!quiet())
		con_printf("el2: stage-2 %s abort at pc 0x%lx, ipa 0x%lx (%s): "
		   "reported to EL1\n",
		   data ? "data" : "instruction", f->elr, ipa, sn);
	/* IL as the trap reported it: a 16-bit T32 access has IL 0. */
	esr1 = (esr & (1ull << 25)) | 0x10; /* synchronous external abort */
	if (aarch32 || mode == 0) /* from EL0: lower-EL vector */
		esr1 |= (uint64_t)(data ? EC_DABT_LOW : EC_IABT_LOW) << 26;
	else
		esr1 |= (uint64_t)(data ? EC_DABT_CUR : EC_IABT_CUR) << 26;
	if (data)
		esr1 |= esr & (1ull << 6); /* WnR */
	write_sysreg(esr_el1, esr1);
	write_sysreg(far_el1, far);
	write_sysreg(elr_el1, f->elr);
	write_sysreg(spsr_el1, f->spsr);
	/* Vector offsets: EL1t 0x000, EL1h 0x200, from AArch64 EL0 0x400,
	 * from AArch32 EL0 0x600 (the state of the level below the target
	 * picks the vector; SPSR.M[4] set: AArch32, whose USR mode has
	 * M[3:0] = 0 like EL0t, so M[3:0] alone sends it to 0x400, where
	 * the guest kernel reads an AArch32 task's state as AArch64). EL2
	 * itself takes every guest abort at its 0x400 vector, since EL1 is
	 * AArch64 (HCR_EL2.RW). */
	f->elr = vbar + (aarch32      ? 0x600
			 : mode == 5  ? 0x200
			 : mode == 4  ? 0x000
				      : 0x400);
	f->spsr = 0x3c5; /* EL1h, DAIF masked */
}

void hyp_exception(struct frame *f, unsigned kind)
{
	uint64_t esr = read_sysreg(esr_el2);

	if (kind != 8) /* lower EL, AArch64, synchronous */
		fatal("unexpected exception kind", kind);
	switch (ESR_EC(esr)) {
	case EC_SMC64:
		/* A trapped SMC returns to the instruction after it. */
		f->elr += 4;
		/* ISS[15:0] is the immediate: SMCCC calls are `smc #0`, others
		 * are reserved (DEN0028 "SMC and HVC immediate value") and
		 * neither served nor forwarded (as KVM: NOT_SUPPORTED). */
		if (esr & 0xffff) {
			con_printf("el2: ep%u SMC #0x%lx refused: NOT_SUPPORTED\n",
				   EL1_ENDPOINT_ID, esr & 0xffff);
			f->x[0] = SMCCC_UNKNOWN;
			break;
		}
		handle_smc(f);
		break;
	case EC_HVC64:
		handle_hvc(f);
		break;
	case EC_DABT_LOW:
	case EC_IABT_LOW:
		inject_abort(f, esr);
		break;
	default:
		con_printf("el2: unexpected trap esr 0x%lx elr 0x%lx far 0x%lx\n",
			   esr, f->elr, read_sysreg(far_el2));
		fatal("unexpected trap from EL1", esr);
	}
}

/* ---- Boot ---- */

/* This CPU's registers for the guest (each CPU has its own; the stage-2
 * tables are shared): EL1 AArch64, SMCs trapped (TSC), stage-2 on (VM). */
static void guest_regs(void)
{
	write_sysreg(vttbr_el2, hyp.vttbr);
	write_sysreg(vtcr_el2, s2_vtcr());
	write_sysreg(hcr_el2, (1ull << 31) | (1ull << 19) | (1ull << 1) | 1ull);
	write_sysreg(cptr_el2, 0x33ff);   /* RES1 bits; FP not trapped */
	write_sysreg(cnthctl_el2, 3);     /* EL1 physical timer/counter */
	write_sysreg(vpidr_el2, read_sysreg(midr_el1));
	write_sysreg(vmpidr_el2, read_sysreg(mpidr_el1));
	write_sysreg(sctlr_el1, 0x30d00800); /* RES1 bits; MMU off */
	isb();
	__asm__ volatile("tlbi alle1\n\tdsb ish" ::: "memory");
	isb();
}

/* CPU 1, from EL3's CPU_ON (start.S hyp_secondary_entry, vectors and
 * stack set): enters the client at the entry its CPU_ON gave. */
void hyp_secondary(uint64_t vcpu)
{
	guest_regs();
	con_printf("el2: CPU %lu up: entering the client's vCPU %lu at 0x%lx, "
		   "context 0x%lx\n",
		   read_sysreg(mpidr_el1) & 0xff, vcpu, hyp.vcpu1_entry,
		   hyp.vcpu1_ctx);
	hyp_enter_el1(hyp.vcpu1_entry, hyp.vcpu1_ctx);
}

void hyp_main(uint64_t bp)
{
	struct ffp_config cfg;
	struct ffp_info info;
	struct ffp_msg_buffers msg = {
		.tx = vm1_msg_tx, .rx = vm1_msg_rx,
		.tx_pa = (uintptr_t)vm1_msg_tx, .rx_pa = (uintptr_t)vm1_msg_rx,
		.pages = 1,
	};
	/* Strict, and no endpoint has locked its version yet: the SPMC's
	 * version may still move down to the VM's. */
	bool version_open = BP_STRICT(bp) && !BP_PRELOCK(bp);
	uint64_t vttbr;
	size_t need;
	int st;

	con_printf("el2: stub up at 0x%x (boot parameters 0x%lx)\n",
		   BOARD_EL2_BASE, bp);
	ffp_config_default(&cfg);
	cfg.version = FFA_VERSION_1_2;
	cfg.policy = BP_STRICT(bp) ? FFP_POLICY_STRICT : FFP_POLICY_TRANSLATE;
	/* With the version open, the proxy's VM availability messages would
	 * fix the SPMC's version at the VM's add (proxy.h), and these
	 * configurations show the VM moving the SPMC down first, so the
	 * stub, the hypervisor here, sends them itself (in fact none: 0x8002
	 * is not told). Otherwise the proxy tells 0x8002
	 * (el2/common/partitions.h) over an SPMC at 1.1 or later. */
	cfg.vm_availability_by_embedder = version_open;
	if (BP_RANGES(bp)) {
		platform.page_transition_ranges = hyp_stage2_transition_ranges;
		platform.smc_x0_x7 = hyp_smc_x0_x7;
	}
	cfg.buffers.tx = proxy_tx;
	cfg.buffers.rx = proxy_rx;
	cfg.buffers.tx_pa = (uintptr_t)proxy_tx; /* MMU off: VA == PA */
	cfg.buffers.rx_pa = (uintptr_t)proxy_rx;
	cfg.buffers.pages = PROXY_BUFFER_PAGES;
	/* Platform configuration: UUIDs for a 1.0 SPMC's partitions. */
	for (unsigned i = 0; i < BOARD_PARTITION_COUNT; i++) {
		uuids[i].id = board_partitions[i].id;
		for (unsigned k = 0; k < 16; k++)
			uuids[i].uuid[k] = board_partitions[i].uuid[k];
	}
	cfg.uuids = uuids;
	cfg.uuid_count = BOARD_PARTITION_COUNT;
	vttbr = s2_init(); /* page states before the proxy can use them */
	need = ffp_instance_size(&cfg);
	if (!need || need > sizeof(proxy_mem))
		fatal("proxy instance does not fit", need);
	proxy = ffp_init(proxy_mem, sizeof(proxy_mem), &cfg, &platform, NULL);
	if (!proxy)
		fatal("ffp_init", 0);
	ffp_info(proxy, &info);
	con_printf("el2: ffaproxy up: policy %s, instance %lu bytes, SMCCC "
		   "0x%x, SPMC FF-A %u.%u, FF-A %s, pages taken %s\n",
		   ffp_policy_name(cfg.policy), (uint64_t)need,
		   info.smccc_version, info.spmc_version >> 16,
		   info.spmc_version & 0xffff,
		   info.ffa_enabled ? "enabled" : "DISABLED",
		   BP_RANGES(bp) ? "per fragment" : "per range");
	if (!info.ffa_enabled)
		fatal("FF-A negotiation with EL3 failed", info.spmc_reported);
	if (ffp_endpoint_add(proxy, EL1_ENDPOINT_ID))
		fatal("ffp_endpoint_add", EL1_ENDPOINT_ID);
	if (BP_PRELOCK(bp))
		host_prelock(proxy);
	/* The client's indirect messages (FFA_MSG_SEND2) go through its
	 * bounce pair, which the proxy maps at the SPMC now, so partitions
	 * can send to it first. Not while the version is open (the map
	 * would fix it, as above): there the client has no MSG_SEND2, nor
	 * over a 1.0 SPMC (NOT_SUPPORTED). */
	if (!version_open) {
		st = ffp_endpoint_set_msg_buffers(proxy, EL1_ENDPOINT_ID, &msg);
		if (st && st != FFA_NOT_SUPPORTED)
			fatal("ffp_endpoint_set_msg_buffers", (uint64_t)st);
		con_printf("el2: client's bounce pair for indirect messages at "
			   "0x%lx/0x%lx: %s\n",
			   msg.tx_pa, msg.rx_pa,
			   st ? "NOT_SUPPORTED (SPMC below 1.1)" : "mapped at the SPMC");
	}

	hyp.vttbr = vttbr;
	hyp.smp = BP_SMP(bp);
	guest_regs();
	con_printf("el2: stage-2 on (client RAM 0x%x..0x%x in 4 KiB pages, "
		   "UART), HCR_EL2.TSC set; entering EL1 at 0x%x\n",
		   BOARD_EL1_BASE, BOARD_EL1_BASE + BOARD_EL1_SIZE - 1,
		   BOARD_EL1_BASE);
	hyp_enter_el1(BOARD_EL1_BASE, bp);
}
