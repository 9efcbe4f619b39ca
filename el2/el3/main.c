/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * EL3 firmware for the QEMU target: the simulator's SPMC model (sim/spmc.c
 * and sim/spmc_mem.c, the same code, built freestanding) answering every
 * SMC that reaches EL3, plus the PSCI calls an operating system probes.
 * It stands for TF-A with an SPMC behind it: the normal world sees one
 * secure side, as through an SPMD.
 */
#include <ffaproxy/ffa.h>

#include "el2/common/arm.h"
#include "el2/common/board.h"
#include "el2/common/console.h"
#include "el2/common/partitions.h"
#include "el2/hyp/copy.h"
#include "el2/hyp/spinlock.h"
#include "sim/spmc.h"

void el3_main(void);
void el3_secondary(void);
void el3_exception(struct frame *f, unsigned kind);
void el3_enter_el2(uint64_t entry, uint64_t arg) __attribute__((noreturn));

static struct spmc spmc;

/* The SPMC model is one global state (its partitions, transactions,
 * mailboxes, the normal world's RX/TX pair, its call counters), written
 * for one caller at a time: TF-A's SPMD keeps an SPMC context per CPU
 * (spmd_get_context) and Hafnium locks per VM, but the model has
 * neither. So every SMC is served under this one lock (the stub's
 * spinlock of el2/hyp/spinlock.h, word 0), the test services and PSCI
 * too: with -smp 2 both CPUs may be at EL3 at once. */
static struct hyp_locks el3_lock;

/* PSCI CPU_ON (BP_SMP only): the entry point and context id handed to
 * the pen of start.S, and whether CPU 1 was turned on. */
uint64_t el3_pen_entry;
static uint64_t pen_ctx;
static bool smp, cpu1_on;
/* EL3_SIP_TRACE 0: the test services print nothing (under el3_lock). */
static bool quiet;

/* ---- The SPMC model's view of normal-world memory: with the MMU off,
 * EL3 reaches non-secure RAM at its physical address. */

static bool ns_ram_range(uint64_t pa, size_t len)
{
	return pa >= BOARD_RAM_BASE && len <= BOARD_RAM_SIZE &&
	       pa - BOARD_RAM_BASE <= BOARD_RAM_SIZE - len;
}

/* By words where it can (el2/hyp/copy.h): the model zeroes the tail of
 * the proxy's 16-page RX at every PARTITION_INFO_GET, 64 KiB that byte
 * by byte took most of the SMP loop's time on CPU 1. */
static int ns_read(void *ctx, uint64_t pa, void *dst, size_t len)
{
	(void)ctx;
	if (!ns_ram_range(pa, len))
		return -1;
	hyp_copy(dst, (const volatile uint8_t *)(uintptr_t)pa, len);
	return 0;
}

static int ns_write(void *ctx, uint64_t pa, const void *src, size_t len)
{
	(void)ctx;
	if (!ns_ram_range(pa, len))
		return -1;
	hyp_copy((volatile uint8_t *)(uintptr_t)pa, src, len);
	return 0;
}

static const struct spmc_mem_ops ns_mem = { ns_read, ns_write };

/* ---- PSCI (DEN0022): the calls an OS probes, and SYSTEM_OFF. */

#define PSCI_VERSION 0x84000000u
#define PSCI_SYSTEM_OFF 0x84000008u
#define PSCI_FEATURES 0x8400000au
#define PSCI_NOT_SUPPORTED 0xffffffffu /* -1 in w0 */

static bool is_psci(uint64_t x0)
{
	/* Standard secure service, functions 0x00..0x1f (DEN0028 table 6-4). */
	return (x0 & ~0x4000001full) == 0x84000000ull;
}

/* QEMU wires pin 0 of the secure PL061 to its gpio-pwr "shutdown" line
 * (hw/arm/virt.c SECURE_GPIO_POWEROFF, as TF-A's qemu platform uses). */
static void __attribute__((noreturn)) power_off(void)
{
	volatile uint32_t *dir = (uint32_t *)(BOARD_SECURE_GPIO_BASE + 0x400);
	volatile uint32_t *pin0 = (uint32_t *)(BOARD_SECURE_GPIO_BASE + (1u << 2));

	*dir |= 1u;
	*pin0 = 0;
	*pin0 = 1;
	for (;;)
		__asm__ volatile("wfi");
}

/* CPU_ON of CPU 1 (MPIDR affinity 1) only: CPU 0 is on, no other CPU is
 * started (start.S parks them). `a`: x1..x3 (SMC32: w1..w3). */
static int32_t cpu_on(uint32_t fid, const uint64_t *a)
{
	uint64_t mpidr = a[0], entry = a[1];

	if (fid == PSCI_CPU_ON_32) {
		mpidr = (uint32_t)mpidr;
		entry = (uint32_t)entry;
	}
	if (!smp)
		return PSCI_E_NOT_SUPPORTED;
	mpidr &= 0xff00ffffffull; /* Aff3..Aff0 */
	if (mpidr == 0 || (mpidr == 1 && cpu1_on))
		return PSCI_E_ALREADY_ON;
	if (mpidr != 1)
		return PSCI_E_INVALID_PARAMETERS;
	if (entry % 4 || !ns_ram_range(entry, 4))
		return PSCI_E_INVALID_ADDRESS;
	cpu1_on = true;
	pen_ctx = fid == PSCI_CPU_ON_32 ? (uint32_t)a[2] : a[2];
	con_printf("el3: PSCI CPU_ON of CPU 1 at 0x%lx (non-secure EL2)\n",
		   entry);
	/* Release: pen_ctx before the entry the pen waits for. */
	__atomic_store_n(&el3_pen_entry, entry, __ATOMIC_RELEASE);
	__asm__ volatile("dsb sy\n\tsev" ::: "memory");
	return PSCI_E_SUCCESS;
}

static void psci(struct ffa_regs *r)
{
	uint32_t fid = (uint32_t)r->x[0], q = (uint32_t)r->x[1];
	uint64_t a[3] = { r->x[1], r->x[2], r->x[3] };
	uint32_t i;

	for (i = 0; i < FFA_NREGS; i++)
		r->x[i] = 0;
	switch (fid) {
	case PSCI_VERSION:
		r->x[0] = 0x10001; /* 1.1 */
		break;
	case PSCI_FEATURES:
		/* SMCCC_VERSION is discovered through PSCI_FEATURES. */
		r->x[0] = q == PSCI_VERSION || q == PSCI_FEATURES ||
				  q == PSCI_SYSTEM_OFF || q == SMCCC_VERSION ||
				  (smp && (q == PSCI_CPU_ON_32 || q == PSCI_CPU_ON_64))
			  ? 0
			  : PSCI_NOT_SUPPORTED;
		break;
	case PSCI_CPU_ON_32:
	case PSCI_CPU_ON_64:
		r->x[0] = (uint64_t)(int64_t)cpu_on(fid, a);
		break;
	case PSCI_SYSTEM_OFF:
		con_puts("el3: PSCI SYSTEM_OFF: powering off\n");
		power_off();
	default:
		r->x[0] = PSCI_NOT_SUPPORTED;
		break;
	}
}

/* ---- Test services (el2/common/board.h EL3_SIP_*): the EL2 stub scripts
 * and reads the SPMC model, as a test harness would through a platform's
 * SiP calls. */

static void sip_test(struct ffa_regs *r)
{
	uint32_t fid = (uint32_t)r->x[0], i;
	uint16_t id = (uint16_t)r->x[1];
	const struct spmc_partition *p = spmc_find_partition(&spmc, id);
	uint64_t a[5];

	for (i = 0; i < 5; i++)
		a[i] = r->x[1 + i];
	for (i = 0; i < FFA_NREGS; i++)
		r->x[i] = 0;
	if (fid == EL3_SIP_PREEMPT) {
		r->x[0] = (uint64_t)(int64_t)spmc_preempt(
			&spmc, id, (uint32_t)a[1], a[2] != 0, (uint32_t)a[3],
			(uint16_t)a[4]);
		con_printf("el3: partition 0x%x: preempt its next %lu direct "
			   "request(s) with %s, %lu more per FFA_RUN, vCPU %lu\n",
			   id, a[1], a[2] ? "FFA_YIELD" : "FFA_INTERRUPT",
			   a[3], a[4]);
	} else if (fid == EL3_SIP_FW_ANSWER) {
		r->x[0] = (uint64_t)(int64_t)spmc_fw_answer_set(
			&spmc, id, (enum spmc_fw_answer)a[1], (int32_t)a[2],
			(uint32_t)a[3]);
		con_printf("el3: partition 0x%x: answer its next %lu framework "
			   "message(s) as scripted (%lu, status %ld)\n",
			   id, a[3], a[1], (int64_t)(int32_t)a[2]);
	} else if (fid == EL3_SIP_FW_LOG && p) {
		r->x[0] = p->fw_count;
		if (a[1] < p->fw_count && a[1] < SPMC_FW_LOG) {
			r->x[1] = p->fw_log[a[1]].type;
			r->x[2] = p->fw_log[a[1]].vm;
			r->x[3] = (uint64_t)(int64_t)p->fw_log[a[1]].result;
		}
	} else if (fid == EL3_SIP_NOTIF) {
		uint64_t bits = 0;
		int st;

		if (a[1] == EL3_NOTIF_BIND)
			st = spmc_sp_notif_bind(&spmc, id, (uint16_t)a[2], a[3],
						false);
		else if (a[1] == EL3_NOTIF_SET)
			st = spmc_sp_notif_set(&spmc, id, (uint16_t)a[2], a[3],
					       false, 0);
		else
			st = spmc_sp_notif_get(&spmc, id, &bits);
		r->x[0] = (uint64_t)(int64_t)st;
		r->x[1] = bits;
		if (!quiet)
			con_printf("el3: partition 0x%x: notifications %s VM "
				   "%lu, bitmap 0x%lx: %d\n",
				   id,
				   a[1] == EL3_NOTIF_BIND  ? "bound to"
				   : a[1] == EL3_NOTIF_SET ? "set for"
							   : "taken from",
				   a[2], a[1] == EL3_NOTIF_GET ? bits : a[3],
				   st);
	} else if (fid == EL3_SIP_MSG2 && a[1] == EL3_MSG2_SEND) {
		/* x5: a sender id the header names instead of the partition's
		 * (a misbehaving SPMC), or 0. */
		struct spmc_msg2_opts o = { .set = SPMC_MSG2_SET_SENDER,
					    .sender = (uint16_t)a[4] };
		int st = spmc_sp_msg_send2_ex(&spmc, id, (uint16_t)a[2],
					      (uint32_t)a[3],
					      a[4] ? &o : NULL);

		r->x[0] = (uint64_t)(int64_t)st;
		if (!quiet)
			con_printf("el3: partition 0x%x: FFA_MSG_SEND2 of %lu "
				   "bytes to VM %lu%s: %d\n",
				   id, a[3], a[2],
				   a[4] ? " (the header naming another sender)"
					: "",
				   st);
	} else if (fid == EL3_SIP_MSG2 && a[1] == EL3_MSG2_MAILBOX && p) {
		r->x[0] = p->msg_count;
		r->x[1] = (uint64_t)p->msg.full | p->msg.header_size << 8 |
			  (uint32_t)p->msg.sender << 16 |
			  (uint64_t)p->msg.size << 32;
		r->x[2] = p->msg.sum | (uint64_t)ffa_get32(p->msg.uuid) << 32;
	} else if (fid == EL3_SIP_MSG2 && a[1] == EL3_MSG2_RELEASE) {
		r->x[0] = (uint64_t)(int64_t)spmc_sp_msg_release(&spmc, id);
		if (!quiet)
			con_printf("el3: partition 0x%x takes its indirect "
				   "message\n",
				   id);
	} else if (fid == EL3_SIP_STATS) {
		for (i = 0; i < SPMC_MAX_TXNS; i++)
			r->x[0] += spmc.txns[i].used;
		r->x[1] = spmc.calls[a[0] & 0xff];
		r->x[2] = spmc.total_calls;
	} else if (fid == EL3_SIP_TRACE) {
		quiet = !a[0];
	} else {
		r->x[0] = (uint64_t)-1;
	}
}

/* Trace each VM availability message a partition took in (`before`: the
 * counts before the SMC), so the UART shows all three levels. */
static void trace_fw(const uint32_t *before)
{
	const struct spmc_partition *p;
	uint32_t i, k;

	for (i = 0; i < BOARD_PARTITION_COUNT; i++) {
		p = spmc_find_partition(&spmc, board_partitions[i].id);
		for (k = before[i]; p && k < p->fw_count && k < SPMC_FW_LOG; k++)
			con_printf("el3: partition 0x%x received %s of VM %u, "
				   "result %d\n",
				   p->id,
				   p->fw_log[k].type == FFA_FRAMEWORK_VM_CREATED_REQ
					   ? "VM_CREATED"
					   : "VM_DESTROYED",
				   p->fw_log[k].vm, p->fw_log[k].result);
	}
}

/* ---- Exceptions: SMCs from the normal world, anything else is fatal. */

void el3_exception(struct frame *f, unsigned kind)
{
	uint64_t esr = read_sysreg(esr_el3);
	struct ffa_regs r;
	unsigned i;

	if (kind != 8 || ESR_EC(esr) != EC_SMC64) {
		con_printf("el3: unexpected exception kind %u esr 0x%lx elr 0x%lx "
			   "far 0x%lx\n",
			   kind, esr, f->elr, read_sysreg(far_el3));
		semihost_exit(3);
	}
	for (i = 0; i < FFA_NREGS; i++)
		r.x[i] = f->x[i];
	/* Nothing here is taken recursively: EL3 makes no SMC. */
	(void)hyp_lock_take(&el3_lock, 0, read_sysreg(mpidr_el1) + 1);
	if (is_psci(r.x[0])) {
		psci(&r);
	} else if (r.x[0] >= EL3_SIP_FIRST && r.x[0] <= EL3_SIP_LAST) {
		sip_test(&r);
	} else {
		uint32_t before[BOARD_PARTITION_COUNT];

		for (i = 0; i < BOARD_PARTITION_COUNT; i++)
			before[i] = spmc_find_partition(&spmc,
							board_partitions[i].id)
					    ->fw_count;
		spmc_smc(&spmc, &r); /* SMCCC, FF-A, or unknown (-1) */
		trace_fw(before);
	}
	(void)hyp_lock_give(&el3_lock, 0, read_sysreg(mpidr_el1) + 1);
	for (i = 0; i < FFA_NREGS; i++)
		f->x[i] = r.x[i];
	/* ELR_EL3 already points past the SMC. */
}

/* ---- Boot */

/* This CPU's view of the lower levels. SCR_EL3: NS, RES1 [5:4], HCE (HVC
 * enabled), RW (lower ELs AArch64); SMD clear so SMCs reach here. */
static void lower_els(void)
{
	write_sysreg(scr_el3, (1u << 0) | (3u << 4) | (1u << 8) | (1u << 10));
	write_sysreg(cptr_el3, 0);
	write_sysreg(mdcr_el3, 0);
	isb();
}

void el3_main(void)
{
	uint64_t bp = *(volatile uint64_t *)BOARD_BOOTPARAM;
	uint32_t minor, i;

	con_puts("\nel3: firmware up (secure flash, MMU off)\n");
	if ((uint32_t)bp != BP_MAGIC) {
		con_printf("el3: no boot parameters at 0x%x (got 0x%lx)\n",
			   BOARD_BOOTPARAM, bp);
		semihost_exit(3);
	}
	minor = (uint32_t)BP_SPMC_MINOR(bp);
	if (minor > 2) {
		con_printf("el3: SPMC version 1.%u unsupported\n", minor);
		semihost_exit(3);
	}
	spmc_init(&spmc, FFA_MAKE_VERSION(1, minor), &ns_mem, NULL);
	for (i = 0; i < BOARD_PARTITION_COUNT; i++)
		if (spmc_add_partition(&spmc, board_partitions[i].id,
				       board_partitions[i].uuid,
				       board_partitions[i].exec_ctx,
				       board_partitions[i].props)) {
			con_puts("el3: bad partition table\n");
			semihost_exit(3);
		}
	/* The register form is optional: TF-A's EL3 SPMC and OP-TEE lack it
	 * (docs/discovery.md); the model's own switch, as ffa-sim's `spmc
	 * lacks`. */
	if (BP_LACKS_REGS(bp)) {
		uint32_t fn = FFA_FN_PARTITION_INFO_GET_REGS & 0xffu;

		spmc.lacks[fn] = true;
		if (BP_REGS_UNKNOWN(bp))
			spmc.lacks_unknown[fn] = SPMC_LACKS_CALL_UNKNOWN |
						 SPMC_LACKS_FEATURES_UNKNOWN;
		con_printf("el3: the SPMC model lacks "
			   "FFA_PARTITION_INFO_GET_REGS (answers %s)\n",
			   BP_REGS_UNKNOWN(bp) ? "SMCCC unknown function -1"
					       : "NOT_SUPPORTED");
	}
	if (BP_STALE_PAIR(bp)) {
		spmc_stale_pair(&spmc);
		con_puts("el3: the SPMC model holds a normal-world RX/TX pair "
			 "an earlier boot stage left mapped\n");
	}
	smp = BP_SMP(bp);
	con_printf("el3: SPMC model FF-A 1.%u, SMCCC 1.2, partitions 0x8001 "
		   "0x8002%s; entering EL2 at 0x%x\n",
		   minor, smp ? ", PSCI CPU_ON of CPU 1" : "", BOARD_EL2_BASE);
	lower_els();
	el3_enter_el2(BOARD_EL2_BASE, bp);
}

/* CPU 1, out of the pen (start.S): its own EL3 registers, then EL2 at the
 * entry CPU_ON named, with the context id in x0. */
void el3_secondary(void)
{
	lower_els();
	el3_enter_el2(el3_pen_entry, pen_ctx);
}
