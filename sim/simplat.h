/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * The simulated platform: struct ffp_platform over simulated memory
 * (simmem) and the SPMC model, plus what tests need around it: trace
 * hooks, fault injection, a nested call from "another CPU", lock misuse
 * detection. It also builds the whole world: memory, SPMC, partitions and
 * a proxy instance. Hosted code (uses libc).
 */
#ifndef FFAPROXY_SIM_SIMPLAT_H
#define FFAPROXY_SIM_SIMPLAT_H

#include <ffaproxy/proxy.h>

#include <pthread.h>

#include "sim/simmem.h"
#include "sim/spmc.h"

#define SIMPLAT_MAX_RAM 16
#define SIMPLAT_HYP_BUFFERS_PA 0x10000000ull
#define SIMPLAT_HYP_BUFFER_PAGES 16u /* each; memory descriptors ride there */

struct simplat_config {
	uint32_t spmc_version;
	uint32_t smccc_version; /* SMCCC_VERSION answer; 1.0: not implemented */
	bool spmc_absent;       /* no FF-A at EL3: FF-A ids are unknown SMCs */
	/* FFA_VERSION for a newer minor than the SPMC's (default: own) */
	enum spmc_newer_version spmc_newer_version;
	bool spmc_info_error_gives_rx; /* struct spmc info_error_gives_rx */
	bool spmc_idle_run_denied;     /* struct spmc idle_run_denied */
	/* the SPMC starts holding a normal-world RX/TX pair that an earlier
	 * boot stage left mapped (spmc_stale_pair) */
	bool spmc_stale_pair;
	/* when constituents are checked (default: as each fragment comes) */
	enum spmc_check_constituents spmc_check_constituents;
	struct spmc_partition parts[SPMC_MAX_PARTITIONS];
	unsigned part_count;
	/* version, policy, granule, limits; simplat fills buffers and uuids */
	struct ffp_config proxy;
	struct ffp_partition_uuid uuids[SPMC_MAX_PARTITIONS];
	unsigned uuid_count;
	uint32_t hyp_buffer_pages; /* the proxy's own RX and TX, each */
	struct {
		uint64_t base, size;
	} host_ram[SIMPLAT_MAX_RAM]; /* owned by the host, id 0 */
	unsigned host_ram_count;
	/* Leave page_transition_ranges out of the platform, so the proxy
	 * takes pages one range at a time (as an embedder without it). */
	bool per_range_transitions;
	/* Leave smc_x0_x7 out, so that the proxy sends direct requests
	 * whose x8..x17 are the caller's from a private copy. */
	bool no_smc_x0_x7;
	/* Offer notification_pending: the proxy gives VMs' INFO_GET lists
	 * to the platform (recorded in npi[], told to hooks.npi) instead of
	 * the host. Off by default, as before the operation existed. */
	bool notification_pending;
};

/* Operations that can be made to fail. A page_transition_ranges call
 * counts as one TRANSITION. */
enum simplat_op {
	SIMPLAT_OP_SMC,
	SIMPLAT_OP_TRANSITION,
	SIMPLAT_OP_READ,
	SIMPLAT_OP_WRITE,
	SIMPLAT_OP_COUNT
};

/* Observers; any may be NULL. `depth` is 0 for calls the test made and 1
 * for the nested call, so a trace can indent. */
struct simplat_hooks {
	void *ctx;
	/* an SMC the proxy issued and its reply; injected: never reached
	 * the SPMC */
	void (*smc)(void *ctx, unsigned depth, const struct ffa_regs *req,
		    const struct ffa_regs *reply, bool injected);
	void (*log)(void *ctx, unsigned depth, const struct ffp_log_event *ev);
	/* the nested call is about to run / has run */
	void (*nested_call)(void *ctx, uint16_t ep, const struct ffa_regs *req);
	void (*nested_done)(void *ctx, uint16_t ep, const struct ffa_regs *reply,
			    bool handled);
	/* notification_pending: VM `vm` has notifications pending, global
	 * (count 0) or for vcpus[0..count) */
	void (*npi)(void *ctx, uint16_t vm, const uint16_t *vcpus,
		    uint32_t count);
	/* a platform contract broken by the proxy (lock misuse): a failure */
	void (*error)(void *ctx, const char *what);
};

struct simplat {
	struct simmem *mem;
	struct spmc spmc;
	struct spmc_mem_ops spmc_mem;
	struct ffp_platform ops;
	struct ffp *proxy;
	void *proxy_mem;
	struct simplat_config cfg;
	struct simplat_hooks hooks;

	/* Fault injection: the countdown-th next call of an op fails. */
	struct {
		uint32_t countdown; /* 0: disarmed */
		int32_t status;
	} fault[SIMPLAT_OP_COUNT];
	uint64_t calls[SIMPLAT_OP_COUNT];
	uint64_t smc_x0_x7_calls; /* of calls[SIMPLAT_OP_SMC] */
	/* SMC faults that hit a framework direct request (VM availability)
	 * or a PARTITION_INFO_GET: the SPMC model never saw those messages,
	 * or the proxy may have learned other subscribers than it has. */
	uint32_t framework_faults;
	/* SMC faults that hit an FFA_RUN: the proxy acted on an answer the
	 * SPMC never gave (invariant W7). */
	uint32_t run_faults;
	/* SMC faults that hit a call giving back or taking the normal
	 * world's RX at the SPMC (RX_RELEASE, NOTIFICATION_GET,
	 * PARTITION_INFO_GET): the proxy's view of that RX may be wrong
	 * (invariant W9). */
	uint32_t rx_faults;
	/* SMC faults that hit a forwarded FFA_RXTX_UNMAP of a VM's bounce
	 * pair: an injected INVALID_PARAMETERS says "no pair" (the proxy
	 * takes it as done) of a pair the SPMC still holds (invariant W11). */
	uint32_t pair_faults;
	/* A transition back to OWNED undoes an earlier one, which platform.h
	 * says cannot fail; set this to let armed transition faults pass
	 * those by and fire on the next forward transition (fuzzing). */
	bool fault_spare_undo;

	/* notification_pending calls (cfg.notification_pending), the first
	 * SIMPLAT_NPI_MAX kept: tests clear npi_count between calls. */
#define SIMPLAT_NPI_MAX 64
	struct {
		uint16_t vm;
		uint16_t vcpus[3];
		uint32_t count;
	} npi[SIMPLAT_NPI_MAX];
	uint32_t npi_count;

	/* Locks held per simulated CPU: 0 runs test calls, 1 the nested one. */
	unsigned cpu;
	unsigned held[2][FFP_LOCK_COUNT];
	unsigned errors; /* contract violations seen */

	/* Threaded mode (simplat_threaded): the proxy's locks are real
	 * error-checking mutexes, and `world` serialises EL3 (the SPMC model)
	 * and the stage-2 tables (simulated memory), as firmware and a
	 * hypervisor's page-table lock would. */
	bool threaded;
	pthread_mutex_t mtx[FFP_LOCK_COUNT];
	pthread_mutex_t world;

	/* The nested call: before the countdown-th next SMC. */
	uint32_t nested_countdown;
	uint16_t nested_ep;
	struct ffa_regs nested_req;
	bool nested_ran, nested_handled;
	struct ffa_regs nested_reply;
	/* The nested "call" is the embedder's ffp_host_reset instead: its
	 * status in nested_reply.x[0] (as a 32-bit value), nested_handled
	 * false. */
	bool nested_reset;
};

/* Defaults: SPMC 1.2, SMCCC 1.2, ffp_config_default(), no partitions, no
 * host RAM (the caller adds it), 16-page hypervisor buffers. */
void simplat_config_default(struct simplat_config *cfg);

/* Build the world: memory (host RAM, hypervisor buffers), SPMC and its
 * partitions, the proxy (ffp_init negotiates, traced through `hooks`).
 * Returns 0, or -1 with *why set to a static reason. */
int simplat_init(struct simplat *sp, const struct simplat_config *cfg,
		 const struct simplat_hooks *hooks, const char **why);
void simplat_destroy(struct simplat *sp);

/* One call into the proxy from endpoint `ep` on CPU 0; checks afterwards
 * that no lock is left held. Returns ffp_handle()'s answer. */
bool simplat_call(struct simplat *sp, uint16_t ep, struct ffa_regs *regs);

/* A VM: ffp_endpoint_add and memory it owns. 0 or a negative status. */
int simplat_vm_add(struct simplat *sp, uint16_t id, uint64_t base,
		   uint64_t size);
/* ffp_endpoint_remove, then the VM's memory disappears. */
int simplat_vm_destroy(struct simplat *sp, uint16_t id);
/* ffp_endpoint_set_msg_buffers for VM `id` with a bounce pair of `pages`
 * pages at tx_pa and rx_pa in hypervisor memory (added as such if it is
 * not yet). */
#define SIMPLAT_BOUNCE_PA 0x20000000ull
int simplat_vm_msg_buffers(struct simplat *sp, uint16_t id, uint64_t tx_pa,
			   uint64_t rx_pa, uint32_t pages);

/*
 * Switch to threaded mode, for several threads entering the proxy at once
 * (one per simulated CPU) through simplat_call, after simplat_init and
 * before any thread starts. Lock misuse is still reported: a lock taken
 * twice by one thread, unlocked by a thread that does not hold it, or
 * still held when simplat_call returns. The nested call is not available
 * then. Returns 0, or -1 when a mutex cannot be made.
 */
int simplat_threaded(struct simplat *sp);
/* Hold the world (SPMC model and memory) while a test touches them
 * directly, e.g. spmc_sp_retrieve from a partition; no-ops unless
 * threaded. */
void simplat_world_lock(struct simplat *sp);
void simplat_world_unlock(struct simplat *sp);

/* Make the k-th next call (k >= 1) of `op` fail with `status`: an SMC is
 * answered FFA_ERROR(status) without reaching the SPMC, the others return
 * the status and change nothing. One exception: INVALID_PARAMETERS at
 * an FFA_MEM_FRAG_TX reaches the SPMC as a fragment it refuses (length
 * 0), since real SPMCs free a transaction whose continuation they
 * refuse. */
void simplat_fault(struct simplat *sp, enum simplat_op op, uint32_t k,
		   int32_t status);

/* Before the n-th next SMC (n >= 1) reaches the SPMC, run `req` from
 * endpoint `ep` as if another CPU entered the proxy; results are kept in
 * nested_ran / nested_handled / nested_reply. */
void simplat_nested(struct simplat *sp, uint32_t n, uint16_t ep,
		    const struct ffa_regs *req);
/* As simplat_nested, with ffp_host_reset as the other CPU's operation. */
void simplat_nested_reset(struct simplat *sp, uint32_t n);

#endif /* FFAPROXY_SIM_SIMPLAT_H */
