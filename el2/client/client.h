/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/* The EL1 client's helpers shared by its step files. */
#ifndef EL2_CLIENT_H
#define EL2_CLIENT_H

#include <stdbool.h>
#include <stdint.h>

#include <ffaproxy/ffa.h>
#include <ffaproxy/platform.h>

/* What this run is (from the boot parameters) and what it negotiated. */
struct client {
	uint32_t spmc;     /* the SPMC's FF-A version */
	uint32_t want;     /* the version this client asks for */
	bool strict;       /* proxy policy */
	bool prelock;      /* the host locked 1.2 before this VM started */
	bool lacks_regs;   /* the SPMC lacks PARTITION_INFO_GET_REGS */
	bool smp;          /* two CPUs: the SMP loop (steps_smp.c) */
	uint32_t served;   /* the version the proxy serves this client at */
	uint32_t spmc_use; /* the version in use between proxy and SPMC */
	uint64_t tx, rx;   /* this client's RX/TX buffers (one page each) */
};
extern struct client cl;

/* Checks: print "ok" or "FAIL" with the step; counted for the verdict. */
bool check(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* One SMC (trapped by EL2) with x0..x5; the rest zero. */
void smc6(struct ffa_regs *r, uint64_t x0, uint64_t x1, uint64_t x2,
	  uint64_t x3, uint64_t x4, uint64_t x5);
bool ffa_ok(const struct ffa_regs *r); /* FFA_SUCCESS_32/64 */
/* FF-A status of an FFA_ERROR reply, or 0 for anything else. */
int32_t ffa_err(const struct ffa_regs *r);
const char *status_name(int32_t st);
/* x[from..to] all zero. */
bool regs_zero(const struct ffa_regs *r, unsigned from, unsigned to);

/* The EL2 stub's view of this client's stage-2 (private HVCs). */
struct s2_view {
	uint64_t hash, mapped, per_state[FFP_PAGE_STATE_COUNT];
};
void s2_view(struct s2_view *v);
bool s2_same(const struct s2_view *a, const struct s2_view *b);
int page_state(uint64_t pa, bool *mapped); /* -1: not this client's RAM */
uint64_t el2_faults(void);
uint64_t el2_smcs(void); /* SMCs the proxy has made to EL3 so far, this CPU */

/* Touch a page: true when the access faulted (EL2 reported a stage-2
 * abort, which the vectors counted and skipped). */
bool touch_read(uint64_t pa, uint64_t *val);
bool touch_write(uint64_t pa, uint64_t val);
/* Set: the exception vector counts faults without printing them. */
extern volatile bool client_quiet;

/* Indirect messages (steps_msg2.c), also used by the SMP loop: the
 * partition message header at the start of b (hdr: 20 or 40 bytes, the
 * client's layout); the RX holding 0x8001's message of `size` bytes
 * (payload 0xa5 ^ i); the payload checksum EL3 reports (FNV-1a 32). */
void msg2_put_header(uint8_t *b, uint32_t hdr, uint32_t offset,
		     uint16_t sender, uint16_t receiver, uint32_t size);
bool msg2_rx_holds(uint32_t hdr, uint32_t size);
uint32_t msg2_sum(const uint8_t *p, uint32_t n);

/* Step families (steps_*.c). */
void steps_memory(void);
void steps_run(void);     /* FFA_RUN of preempted requests */
void steps_vmavail(void); /* VM availability messages */
void steps_notif(void);   /* notifications */
void steps_msg2(void);    /* indirect messages */
void steps_smp(void);     /* CPU_ON, then both CPUs at once (BP_SMP) */

#endif /* EL2_CLIENT_H */
