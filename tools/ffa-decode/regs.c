/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * ffa-decode regs: one register frame, field by field, by the names of
 * DEN0077A's function syntax tables (ffa-facts sections 3, 4, 7-9), with
 * a warning for every nonzero bit a frame must not carry.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/ffa-decode/decode.h"
#include "tools/ffa-sim/trace.h"

enum kind {
	K_HEX,     /* a value shown in hex */
	K_DEC,     /* a count or length */
	K_ADDR,    /* an address */
	K_ID,      /* an endpoint id */
	K_VCPU,    /* a vCPU id */
	K_VER,     /* a version */
	K_FUNC,    /* a function or feature id (FFA_FEATURES) */
	K_STATUS,  /* an FF-A status code */
	K_PAIR,    /* 64 bits from two 32-bit registers: reg (low), reg + 1 */
	K_UUID4,   /* UUID in four 32-bit registers, little-endian words */
	K_UUID2,   /* UUID in two 64-bit registers, little-endian */
	K_PAYLOAD, /* reg .. the frame's last register, shown when nonzero */
	K_MSGFLAGS, /* direct message flags: bit 31 framework, type [7:0] */
	K_IDCOUNTS, /* NOTIFICATION_INFO_GET: 2 bits a list from bit 12 */
	K_IDLISTS,  /* NOTIFICATION_INFO_GET: the 16-bit id lists, reg.. */
	K_GRAN,     /* FEATURES(RXTX_MAP): minimum buffer size and alignment */
	K_FLAG,     /* a one-bit property: 0 no, 1 yes */
	K_RETR,     /* FEATURES(MEM_RETRIEVE_REQ) w3[7:0]: n, 2^(n+1) - 1 */
	K_MAXPG     /* FEATURES(RXTX_MAP) w2[31:16]: pages, 0 no limit */
};

/* A field: bits [lo, lo + bits) of register `reg` (bits 0: the whole
 * register), defined from version `since` (0: always) up to but not
 * including `until` (0: still). */
struct field {
	uint8_t reg, lo, bits, kind;
	uint32_t since, until;
	const char *name;
};

struct fdef {
	uint16_t fn;
	uint8_t last64; /* last register of the SMC64 form */
	uint32_t since, until;
	struct field f[8];
};

#define V10 FFA_VERSION_1_0
#define V11 FFA_VERSION_1_1
#define V12 FFA_VERSION_1_2
#define V13 FFA_VERSION_1_3
#define F(r, lo, b, k, n) { r, lo, b, k, 0, 0, n }
#define FS(r, lo, b, k, s, n) { r, lo, b, k, s, 0, n }
#define FU(r, lo, b, k, u, n) { r, lo, b, k, 0, u, n }
#define IDS F(1, 16, 16, K_ID, "sender id"), F(1, 0, 16, K_ID, "receiver id")
#define MEMLEN                                                               \
	F(1, 0, 0, K_DEC, "total length"), F(2, 0, 0, K_DEC, "fragment length")
#define HANDLE F(1, 0, 0, K_PAIR, "handle")
/* A direct request and its response share one register layout. */
#define DIRECT                                                               \
	IDS, F(2, 0, 0, K_MSGFLAGS, "flags"), F(3, 0, 0, K_PAYLOAD, "payload")
#define MEMTX                                                                \
	MEMLEN, F(3, 0, 0, K_ADDR, "buffer address (0: TX)"),                \
		F(4, 0, 0, K_DEC, "buffer page count")

/* Call frames (and the frames that are replies by their own id). */
static const struct fdef calls[] = {
	/* w1: endpoint and vCPU ids as in FFA_SUCCESS, zero for traffic
	 * to the hypervisor or the SPM (TF-A's FFA_TARGET_INFO_MBZ in
	 * spmd/spmc_ffa_error_return; the arm-ffa crate's Error
	 * target_info). */
	{ FFA_FN_ERROR, 7, 0, 0,
	  { F(1, 0, 0, K_HEX, "target information"),
	    F(2, 0, 0, K_STATUS, "error code") } },
	{ FFA_FN_SUCCESS, 17, 0, 0,
	  { F(1, 0, 0, K_HEX, "target information"),
	    F(2, 0, 0, K_PAYLOAD, "result (see --reply-to)") } },
	{ FFA_FN_INTERRUPT, 7, 0, 0,
	  { F(1, 16, 16, K_ID, "endpoint id"), F(1, 0, 16, K_VCPU, "vCPU id"),
	    FU(2, 0, 0, K_HEX, V11, "interrupt id") } },
	{ FFA_FN_VERSION, 7, 0, 0,
	  { F(1, 0, 31, K_VER, "input version"),
	    FS(2, 0, 2, K_HEX, V13, "flags") } },
	{ FFA_FN_FEATURES, 7, 0, 0,
	  { F(1, 0, 0, K_FUNC, "function or feature id"),
	    FS(2, 0, 0, K_HEX, V11, "input properties") } },
	{ FFA_FN_RX_RELEASE, 7, 0, 0,
	  { F(1, 0, 16, K_ID, "endpoint id (hypervisor only)") } },
	{ FFA_FN_RXTX_MAP, 7, 0, 0,
	  { F(1, 0, 0, K_ADDR, "TX buffer address"),
	    F(2, 0, 0, K_ADDR, "RX buffer address"),
	    F(3, 0, 6, K_DEC, "page count") } },
	{ FFA_FN_RXTX_UNMAP, 7, 0, 0, { F(1, 16, 16, K_ID, "endpoint id") } },
	{ FFA_FN_PARTITION_INFO_GET, 7, 0, 0,
	  { F(1, 0, 0, K_UUID4, "UUID"),
	    FS(5, 0, 1, K_HEX, V11, "flags: count only") } },
	{ FFA_FN_ID_GET, 7, 0, 0, { F(0, 0, 0, 0, NULL) } },
	{ FFA_FN_MSG_POLL, 7, 0, V11, { F(0, 0, 0, 0, NULL) } },
	{ FFA_FN_MSG_WAIT, 7, 0, 0,
	  { FS(2, 0, 1, K_HEX, V12, "flags: retain RX buffer ownership") } },
	{ FFA_FN_YIELD, 7, 0, 0,
	  { F(1, 16, 16, K_ID, "endpoint id"), F(1, 0, 16, K_VCPU, "vCPU id"),
	    FS(2, 0, 0, K_PAIR, V11, "timeout (ns)") } },
	{ FFA_FN_RUN, 7, 0, 0,
	  { F(1, 16, 16, K_ID, "endpoint id"), F(1, 0, 16, K_VCPU, "vCPU id") } },
	{ FFA_FN_MSG_SEND, 7, 0, V11,
	  { IDS, F(3, 0, 0, K_DEC, "message size"), F(4, 0, 1, K_HEX, "flags: blocking") } },
	{ FFA_FN_MSG_SEND_DIRECT_REQ, 7, 0, 0, { DIRECT } },
	{ FFA_FN_MSG_SEND_DIRECT_RESP, 7, 0, 0, { DIRECT } },
	{ FFA_FN_MEM_DONATE, 7, 0, 0,
	  { MEMTX } },
	{ FFA_FN_MEM_LEND, 7, 0, 0,
	  { MEMTX } },
	{ FFA_FN_MEM_SHARE, 7, 0, 0,
	  { MEMTX } },
	{ FFA_FN_MEM_RETRIEVE_REQ, 7, 0, 0,
	  { MEMTX } },
	{ FFA_FN_MEM_RETRIEVE_RESP, 7, 0, 0, { MEMLEN } },
	{ FFA_FN_MEM_RELINQUISH, 7, 0, 0, { F(0, 0, 0, 0, NULL) } },
	{ FFA_FN_MEM_RECLAIM, 7, 0, 0,
	  { HANDLE, F(3, 0, 2, K_HEX, "flags: zero memory, time slicing") } },
	{ FFA_FN_MEM_OP_PAUSE, 7, 0, 0, { HANDLE } },
	{ FFA_FN_MEM_OP_RESUME, 7, 0, 0, { HANDLE } },
	{ FFA_FN_MEM_FRAG_RX, 7, 0, 0,
	  { HANDLE, F(3, 0, 0, K_DEC, "fragment offset"),
	    F(4, 16, 16, K_ID, "endpoint id") } },
	{ FFA_FN_MEM_FRAG_TX, 7, 0, 0,
	  { HANDLE, F(3, 0, 0, K_DEC, "fragment length"),
	    F(4, 16, 16, K_ID, "endpoint id") } },
	{ FFA_FN_NORMAL_WORLD_RESUME, 7, 0, 0, { F(0, 0, 0, 0, NULL) } },
	{ FFA_FN_NOTIFICATION_BITMAP_CREATE, 7, V11, 0,
	  { F(1, 0, 16, K_ID, "VM id"), F(2, 0, 0, K_DEC, "vCPU count") } },
	{ FFA_FN_NOTIFICATION_BITMAP_DESTROY, 7, V11, 0,
	  { F(1, 0, 16, K_ID, "VM id") } },
	{ FFA_FN_NOTIFICATION_BIND, 7, V11, 0,
	  { IDS, F(2, 0, 1, K_HEX, "flags: per-vCPU"),
	    F(3, 0, 0, K_PAIR, "notification bitmap") } },
	{ FFA_FN_NOTIFICATION_UNBIND, 7, V11, 0,
	  { IDS, F(3, 0, 0, K_PAIR, "notification bitmap") } },
	{ FFA_FN_NOTIFICATION_SET, 7, V11, 0,
	  { IDS, F(2, 0, 2, K_HEX, "flags: per-vCPU, delay SRI"),
	    F(2, 16, 16, K_VCPU, "vCPU id"),
	    F(3, 0, 0, K_PAIR, "notification bitmap") } },
	{ FFA_FN_NOTIFICATION_GET, 7, V11, 0,
	  { F(1, 16, 16, K_VCPU, "vCPU id"), F(1, 0, 16, K_ID, "receiver id"),
	    F(2, 0, 4, K_HEX, "flags: SP, VM, SPM, hypervisor") } },
	{ FFA_FN_NOTIFICATION_INFO_GET, 7, V11, 0, { F(0, 0, 0, 0, NULL) } },
	{ FFA_FN_RX_ACQUIRE, 7, V11, 0, { F(1, 0, 16, K_ID, "VM id") } },
	{ FFA_FN_SPM_ID_GET, 7, V11, 0, { F(0, 0, 0, 0, NULL) } },
	{ FFA_FN_MSG_SEND2, 7, V11, 0,
	  { F(1, 16, 16, K_ID, "sender VM id (hypervisor only)"),
	    FS(2, 1, 1, K_HEX, V12, "flags: delay SRI") } },
	{ FFA_FN_SECONDARY_EP_REGISTER, 7, V11, 0,
	  { F(1, 0, 0, K_ADDR, "entry point address") } },
	{ FFA_FN_MEM_PERM_GET, 7, V11, 0, { F(1, 0, 0, K_ADDR, "base VA") } },
	{ FFA_FN_MEM_PERM_SET, 7, V11, 0,
	  { F(1, 0, 0, K_ADDR, "base VA"), F(2, 0, 0, K_DEC, "page count"),
	    F(3, 0, 3, K_HEX, "memory permissions") } },
	{ FFA_FN_CONSOLE_LOG, 17, V12, 0,
	  { F(1, 0, 8, K_DEC, "character count"),
	    F(2, 0, 0, K_PAYLOAD, "characters") } },
	{ FFA_FN_PARTITION_INFO_GET_REGS, 7, V12, 0,
	  { F(1, 0, 0, K_UUID2, "UUID"), F(3, 0, 16, K_DEC, "start index"),
	    F(3, 16, 16, K_DEC, "tag") } },
	{ FFA_FN_EL3_INTR_HANDLE, 7, V12, 0, { F(0, 0, 0, 0, NULL) } },
	{ FFA_FN_MSG_SEND_DIRECT_REQ2, 17, V12, 0,
	  { IDS, F(2, 0, 0, K_UUID2, "service UUID"),
	    F(4, 0, 0, K_PAYLOAD, "payload") } },
	{ FFA_FN_MSG_SEND_DIRECT_RESP2, 17, V12, 0,
	  { IDS, F(4, 0, 0, K_PAYLOAD, "payload") } },
};

/* FFA_SUCCESS answering a call (--reply-to): the results it defines;
 * a call not listed has none (every register MBZ). */
static const struct fdef results[] = {
	{ FFA_FN_FEATURES, 7, 0, 0,
	  { F(2, 0, 0, K_HEX, "interface properties"),
	    F(3, 0, 0, K_HEX, "interface properties (2)") } },
	{ FFA_FN_ID_GET, 7, 0, 0, { F(2, 0, 16, K_ID, "endpoint id") } },
	{ FFA_FN_SPM_ID_GET, 7, V11, 0, { F(2, 0, 16, K_ID, "SPMC id") } },
	{ FFA_FN_PARTITION_INFO_GET, 7, 0, 0,
	  { F(2, 0, 0, K_DEC, "partition count"),
	    FS(3, 0, 0, K_DEC, V11, "descriptor size") } },
	{ FFA_FN_MEM_DONATE, 7, 0, 0, { F(2, 0, 0, K_PAIR, "handle") } },
	{ FFA_FN_MEM_LEND, 7, 0, 0, { F(2, 0, 0, K_PAIR, "handle") } },
	{ FFA_FN_MEM_SHARE, 7, 0, 0, { F(2, 0, 0, K_PAIR, "handle") } },
	{ FFA_FN_MEM_FRAG_TX, 7, 0, 0, { F(2, 0, 0, K_PAIR, "handle") } },
	{ FFA_FN_NOTIFICATION_GET, 7, V11, 0,
	  { F(2, 0, 0, K_PAIR, "SP notifications"),
	    F(4, 0, 0, K_PAIR, "VM notifications"),
	    F(6, 0, 0, K_HEX, "SPM framework notifications"),
	    F(7, 0, 0, K_HEX, "hypervisor framework notifications") } },
	{ FFA_FN_MEM_PERM_GET, 7, V11, 0,
	  { F(2, 0, 3, K_HEX, "memory permissions") } },
	/* w2/x2: bit0 more pending, bits[11:7] list count, from bit 12 two
	 * bits a list: its vCPU id count; w3/x3..w7/x7: 16-bit ids, low
	 * half first, each list an endpoint id then its vCPU ids: at most
	 * 10 (SMC32) or 20 (SMC64) ids (DEN0077A 1.1 16.7.1.1's example;
	 * the arm-ffa crate's SuccessArgsNotificationInfoGet; Hafnium
	 * FFA_NOTIFICATIONS_INFO_GET_MAX_IDS). */
	{ FFA_FN_NOTIFICATION_INFO_GET, 7, V11, 0,
	  { F(2, 0, 1, K_HEX, "flags: more pending"),
	    F(2, 7, 5, K_DEC, "list count"),
	    F(2, 12, 0, K_IDCOUNTS, "vCPU id count of each list"),
	    F(3, 0, 0, K_IDLISTS, "list") } },
	/* results ffa-decode shows but does not name */
	{ FFA_FN_MSG_WAIT, 7, 0, 0,
	  { F(1, 0, 0, K_PAYLOAD, "result (not decoded)") } },
	{ FFA_FN_RUN, 7, 0, 0,
	  { F(1, 0, 0, K_PAYLOAD, "result (not decoded)") } },
	{ FFA_FN_YIELD, 7, 0, 0,
	  { F(1, 0, 0, K_PAYLOAD, "result (not decoded)") } },
	{ FFA_FN_PARTITION_INFO_GET_REGS, 17, V12, 0,
	  { F(2, 0, 16, K_DEC, "last index"), F(2, 16, 16, K_DEC, "current index"),
	    F(2, 32, 16, K_DEC, "tag"), F(2, 48, 16, K_DEC, "descriptor size"),
	    F(3, 0, 0, K_PAYLOAD, "descriptors") } },
};

/*
 * FFA_FEATURES answers, by what was asked (--reply-to FFA_FEATURES:WHAT).
 * Interface properties are defined for these functions alone; for any
 * other function w2 and w3 are MBZ (up to 1.2; at 1.3 and later they are
 * shown, not judged):
 *  - RXTX_MAP: w2[1:0] minimum buffer size and alignment (0 4K, 1 64K,
 *    2 16K, 3 reserved), w2[31:16] maximum buffer size in 4K pages from
 *    1.2, 0 for no limit (ffa-facts section 8; Hafnium
 *    ffa_features_rxtx_map_params; Arm's FF-A ACS ffa_features test:
 *    "zero size means no limit specified");
 *  - MEM_DONATE/LEND/SHARE up to 1.1 and MEM_RETRIEVE_REQ: w2[0]
 *    dynamically allocated buffer support (from 1.2 MEM_DONATE/LEND/SHARE
 *    have no properties, w2-w7 MBZ: Arm's FF-A ACS ffa_features test,
 *    which checks w2[0] at 1.0/1.1 only, but keeps MEM_RETRIEVE_REQ's
 *    w2[0] at 1.2); MEM_RETRIEVE_REQ from 1.1 also w2[1] NS bit
 *    handling and w2[2] retrieval by the hypervisor (Hafnium
 *    FFA_FEATURES_MEM_RETRIEVE_REQ_*, after the FF-A 1.2 memory management
 *    supplement's table 3.1), and w3[7:0] the outstanding retrievals a
 *    receiver may make of one handle, n for 2^(n+1) - 1, w3[31:8] MBZ
 *    (Arm's FF-A ACS ffa_features test, "Outstanding retrievals count";
 *    Trusty lib/arm_ffa FFA_FEATURES3_MEM_RETRIEVE_REQ_REFCOUNT_MASK);
 *  - NPI, SRI or ME (feature ids 1..3): w2 the interrupt id (Hafnium
 *    ffa_features_feature); other feature ids as other functions.
 * Keyed by function number; FEATURE_ANSWER is the feature ids' row.
 */
#define FEATURE_ANSWER 0xffffu
#define DYNBUF F(2, 0, 1, K_FLAG, "dynamically allocated buffer")
#define DYNBUF_TO_1_1 \
	FU(2, 0, 1, K_FLAG, V12, "dynamically allocated buffer")
static const struct fdef feature_results[] = {
	{ FFA_FN_RXTX_MAP, 7, 0, 0,
	  { F(2, 0, 2, K_GRAN, "minimum size and alignment"),
	    FS(2, 16, 16, K_MAXPG, V12, "maximum buffer size (4K pages)") } },
	/* to 1.1 only: Arm's ACS requires w2..w7 zero for these at 1.2 */
	{ FFA_FN_MEM_DONATE, 7, 0, 0, { DYNBUF_TO_1_1 } },
	{ FFA_FN_MEM_LEND, 7, 0, 0, { DYNBUF_TO_1_1 } },
	{ FFA_FN_MEM_SHARE, 7, 0, 0, { DYNBUF_TO_1_1 } },
	{ FFA_FN_MEM_RETRIEVE_REQ, 7, 0, 0,
	  { DYNBUF,
	    FS(2, 1, 1, K_FLAG, V11, "NS bit handling"),
	    FS(2, 2, 1, K_FLAG, V11, "retrieval by the hypervisor"),
	    F(3, 0, 8, K_RETR, "outstanding retrievals") } },
	{ FEATURE_ANSWER, 7, V11, 0, { F(2, 0, 0, K_DEC, "interrupt id") } },
};

/* FFA_FEATURES calls, by what they ask: input properties are defined for
 * MEM_RETRIEVE_REQ alone (w2[1], NS bit handling, from 1.1: Hafnium
 * answers NOT_SUPPORTED to a 1.1+ caller that leaves it clear); a
 * feature id has w1[30:8] MBZ and w2 MBZ (Hafnium ffa_features_feature). */
static const struct fdef features_retrieve = { FFA_FN_FEATURES, 7, 0, 0,
	{ F(1, 0, 0, K_FUNC, "function id"),
	  FS(2, 1, 1, K_FLAG, V11, "input: NS bit handling") } };
static const struct fdef features_feature = { FFA_FN_FEATURES, 7, V11, 0,
	{ F(1, 0, 8, K_FUNC, "feature id") } };
static const struct fdef features_function = { FFA_FN_FEATURES, 7, 0, 0,
	{ F(1, 0, 0, K_FUNC, "function id") } };

static const struct fdef *find(const struct fdef *t, size_t n, uint32_t fn)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].fn == fn)
			return &t[i];
	return NULL;
}

static char vbuf[16];
static const char *vtext(uint32_t v)
{
	trace_version(vbuf, sizeof(vbuf), v);
	return vbuf;
}

/* Register `i` as the frame names it. */
static const char *rname(char *buf, size_t size, unsigned i, bool wide)
{
	snprintf(buf, size, "%c%u", wide || i >= 8 ? 'x' : 'w', i % 100u);
	return buf;
}

static uint64_t field_mask(unsigned lo, unsigned bits)
{
	return bits >= 64 ? ~0ull : ((1ull << bits) - 1) << lo;
}

static const char *owner_name(unsigned owner)
{
	switch (owner) {
	case 0: return "Arm architecture calls";
	case 1: return "CPU service calls";
	case 2: return "SiP service calls";
	case 3: return "OEM service calls";
	case 4: return "standard secure service calls";
	case 5: return "standard hypervisor service calls";
	case 6: return "vendor specific hypervisor service calls";
	case 7: return "vendor specific EL3 monitor calls";
	default:
		return owner >= 48 && owner <= 49 ? "trusted application calls"
		       : owner >= 50             ? "trusted OS calls"
						 : "reserved owner";
	}
}

/* Which standard secure service a function number belongs to. */
static const char *std_range(uint32_t fn)
{
	if (fn <= 0x1f)
		return "PSCI";
	if (fn >= 0x20 && fn <= 0x3f)
		return "SDEI";
	if (fn >= 0x50 && fn <= 0x5f)
		return "TRNG";
	if (fn >= 0xf0 && fn <= 0xf2)
		return "Errata Management ABI";
	return NULL;
}

static const char *feature_name(uint32_t id)
{
	/* FFA_FEATURES feature ids (1.1+): bit 31 clear, [7:0] the id */
	switch (id) {
	case 1: return "notification pending interrupt (NPI)";
	case 2: return "schedule receiver interrupt (SRI)";
	case 3: return "managed exit interrupt (ME)";
	default: return NULL;
	}
}

/* Framework message types, w2[7:0] (DEN0077A; the values as Hafnium's
 * FFA_FRAMEWORK_MSG_PSCI_REQ/RESP and the arm-ffa crate's DirectMsgArgs
 * use them): PSCI and warm boot come from the SPMD, FFA_VERSION
 * requests are SPMD to SPMC, VM created/destroyed from the hypervisor. */
static const char *msg_type_name(uint32_t t)
{
	switch (t) {
	case 0x0: return "PSCI power management request";
	case 0x1: return "warm boot request";
	case 0x2: return "PSCI power management response";
	case 0x8: return "FFA_VERSION request";
	case 0x9: return "FFA_VERSION response";
	case FFA_FRAMEWORK_VM_CREATED_REQ: return "VM created request";
	case FFA_FRAMEWORK_VM_CREATED_RESP: return "VM created response";
	case FFA_FRAMEWORK_VM_DESTROYED_REQ: return "VM destroyed request";
	case FFA_FRAMEWORK_VM_DESTROYED_RESP: return "VM destroyed response";
	default: return NULL;
	}
}

struct frame {
	const struct ffa_regs *r;
	bool wide;       /* SMC64 */
	unsigned last;   /* last register the function defines */
	unsigned given;  /* registers given on the command line */
	uint32_t version;
	const char *fname;
};

static uint64_t reg(const struct frame *f, unsigned i)
{
	return f->wide || i >= 8 ? f->r->x[i] : (uint32_t)f->r->x[i];
}

static void show_field(const struct frame *f, const struct field *d,
		       uint64_t used[FFA_NREGS])
{
	char rn[32], rn2[16], tmp[64];
	unsigned rbits = f->wide ? 64 : 32;
	unsigned bits = d->bits ? d->bits : rbits, i;
	uint64_t v, hi;
	uint8_t u[16];

	rname(rn, sizeof(rn), d->reg, f->wide);
	if (d->kind == K_IDCOUNTS) /* up to 10 (SMC32) or 20 (SMC64) lists */
		bits = f->wide ? 40 : 20;
	switch (d->kind) {
	case K_PAIR:
		v = (uint32_t)reg(f, d->reg);
		hi = (uint32_t)reg(f, d->reg + 1);
		used[d->reg] |= 0xffffffffu;
		used[d->reg + 1] |= 0xffffffffu;
		printf("  %s,%-7s %-32s 0x%016" PRIx64 "%s\n", rn,
		       rname(rn2, sizeof(rn2), d->reg + 1, f->wide), d->name,
		       hi << 32 | v,
		       strcmp(d->name, "handle")  ? ""
		       : !~(hi << 32 | v)         ? " (all-ones: invalid)"
		       : hi >> 31                 ? " (allocated by the hypervisor)"
						  : " (allocated by the SPMC)");
		return;
	case K_UUID4:
	case K_UUID2:
		for (i = 0; i < 16; i++) {
			unsigned r = d->kind == K_UUID4 ? d->reg + i / 4
							: d->reg + i / 8;
			unsigned sh = d->kind == K_UUID4 ? 8 * (i % 4) : 8 * (i % 8);

			u[i] = (uint8_t)(reg(f, r) >> sh);
			used[r] |= d->kind == K_UUID4 ? 0xffffffffu : ~0ull;
		}
		printf("  %s..%-6s %-32s %s\n", rn,
		       rname(rn2, sizeof(rn2),
			     d->reg + (d->kind == K_UUID4 ? 3 : 1), f->wide),
		       d->name, uuid_text(tmp, sizeof(tmp), u));
		return;
	case K_IDLISTS: {
		uint64_t fl = reg(f, 2);
		unsigned per = f->wide ? 4 : 2, lists = (fl >> 7) & 0x1f;
		unsigned k = 0, l, n, j;
		char label[16];

		for (l = 0; l < lists; l++) {
			n = 12 + 2 * l < (f->wide ? 64u : 32u)
				    ? (unsigned)(fl >> (12 + 2 * l)) & 3
				    : 0;
			if (k + 1 + n > per * 5) {
				warn("NOTIFICATION_INFO_GET: list %u and after do "
				     "not fit in %s3..%s7 (%u ids)",
				     l, f->wide ? "x" : "w", f->wide ? "x" : "w",
				     per * 5);
				break;
			}
			snprintf(label, sizeof(label), "%s %u", d->name, l);
			for (j = 0; j <= n; j++, k++) {
				unsigned r = d->reg + k / per, sh = 16 * (k % per);

				used[r] |= 0xffffull << sh;
				if (!j)
					printf("  %s..%-6s %-32s %s", rn,
					       rname(rn2, sizeof(rn2), d->reg + 4,
						     f->wide),
					       label,
					       id_text(tmp, sizeof(tmp),
						       (uint16_t)(reg(f, r) >> sh)));
				else
					printf("%s%u", j == 1 ? ", vCPUs " : " ",
					       (unsigned)(uint16_t)(reg(f, r) >> sh));
			}
			printf("\n");
		}
		return;
	}
	case K_PAYLOAD: {
		bool any = false;

		for (i = d->reg; i <= f->last; i++) {
			used[i] = ~0ull;
			if (!reg(f, i))
				continue;
			printf("  %-10s %-32s 0x%" PRIx64 "\n",
			       rname(rn, sizeof(rn), i, f->wide), d->name,
			       reg(f, i));
			any = true;
		}
		if (!any)
			printf("  %s..%-6s %-32s all zero\n",
			       rname(rn, sizeof(rn), d->reg, f->wide),
			       rname(rn2, sizeof(rn2), f->last, f->wide),
			       d->name);
		return;
	}
	default:
		break;
	}
	if (bits == 1)
		snprintf(rn + strlen(rn), sizeof(rn) - strlen(rn), "[%u]", d->lo);
	else if (bits < rbits)
		snprintf(rn + strlen(rn), sizeof(rn) - strlen(rn), "[%u:%u]",
			 d->lo + bits - 1, d->lo);
	used[d->reg] |= field_mask(d->lo, bits);
	v = (reg(f, d->reg) >> d->lo) & (bits >= 64 ? ~0ull : (1ull << bits) - 1);
	printf("  %-10s %-32s ", rn, d->name);
	switch (d->kind) {
	case K_DEC:
	case K_MAXPG:
		printf("%" PRIu64 "%s", v, v >= 10 ? "" : "");
		if (v >= 10)
			printf(" (0x%" PRIx64 ")", v);
		if (d->kind == K_MAXPG && !v)
			printf(" (no limit)");
		break;
	case K_ADDR:
		printf("0x%" PRIx64, v);
		break;
	case K_ID:
		printf("%s", id_text(tmp, sizeof(tmp), (uint16_t)v));
		break;
	case K_VCPU:
		printf("%" PRIu64, v);
		break;
	case K_GRAN:
		printf("%" PRIu64 " (%s)", v,
		       v == FFA_RXTX_GRANULE_4K    ? "4K"
		       : v == FFA_RXTX_GRANULE_64K ? "64K"
		       : v == FFA_RXTX_GRANULE_16K ? "16K"
						   : "reserved");
		break;
	case K_FLAG:
		printf("%" PRIu64 " (%s)", v, v ? "yes" : "no");
		break;
	case K_RETR:
		printf("%" PRIu64 " (up to 2^%" PRIu64 " - 1)", v, v + 1);
		break;
	case K_VER:
		printf("%s (0x%08" PRIx64 ")", vtext((uint32_t)v), v);
		break;
	case K_STATUS:
		printf("%s (%" PRId32 ")",
		       trace_status(tmp, sizeof(tmp), (int32_t)(uint32_t)v),
		       (int32_t)(uint32_t)v);
		break;
	case K_FUNC: {
		const char *n = ffa_function_name((uint32_t)v);

		printf("0x%" PRIx64, v);
		if (n)
			printf(" (%s)", n);
		else if (!(v >> 31) && f->version < FFA_VERSION_1_1)
			printf(" (no feature ids before FF-A 1.1)");
		else if (!(v >> 31) && feature_name((uint32_t)v))
			printf(" (feature: %s)", feature_name((uint32_t)v));
		else
			printf(" (unknown)");
		break;
	}
	case K_MSGFLAGS:
		printf("0x%" PRIx64, v);
		if (v & FFA_MSG_FLAG_FRAMEWORK) {
			const char *n = msg_type_name((uint32_t)v & FFA_MSG_TYPE_MASK);

			printf(" (framework message, type %" PRIu64 "%s%s)",
			       v & FFA_MSG_TYPE_MASK, n ? ": " : "", n ? n : "");
			used[d->reg] = 0x800000ffu;
		} else {
			printf(v ? "" : " (partition message)");
			used[d->reg] = 0x80000000u;
		}
		break;
	default:
		printf("0x%" PRIx64, v);
	}
	printf("\n");
	if (d->kind == K_GRAN && v == 3)
		warn("%s: minimum buffer size 3 is reserved", rn);
	if (d->kind == K_STATUS && !ffa_error_name((int32_t)(uint32_t)v))
		warn("%s: %" PRId32 " is not an FF-A status code", rn,
		     (int32_t)(uint32_t)v);
}

static bool defined_at(uint32_t since, uint32_t until, uint32_t v)
{
	return (!since || v >= since) && (!until || v < until);
}

static void check_unused(const struct frame *f, const uint64_t used[FFA_NREGS])
{
	char rn[16];

	for (unsigned i = 1; i < FFA_NREGS; i++) {
		uint64_t v = i <= f->last ? reg(f, i) : f->r->x[i];
		uint64_t extra = v & ~used[i];

		if (!extra)
			continue;
		rname(rn, sizeof(rn), i, f->wide || i > f->last);
		if (i > f->last && !f->last)
			warn("%s = 0x%" PRIx64 ": not defined by %s (x0 alone), "
			     "must be zero",
			     rn, v, f->fname);
		else if (i > f->last)
			warn("%s = 0x%" PRIx64 ": not defined by %s (%s%u), must "
			     "be zero",
			     rn, v, f->fname, f->wide ? "x1..x" : "SMC32: w1..w",
			     f->last);
		else if (!used[i])
			warn("%s = 0x%" PRIx64 ": reserved by %s, MBZ", rn, v,
			     f->fname);
		else
			warn("%s = 0x%" PRIx64 ": reserved bits 0x%" PRIx64
			     " set (MBZ)",
			     rn, v, extra);
	}
}

static void frame_fields(struct frame *f, const struct fdef *d,
			 const char *none)
{
	uint64_t used[FFA_NREGS] = { 0 };
	bool any = false;

	for (unsigned k = 0; k < 8 && d && d->f[k].name; k++) {
		const struct field *fl = &d->f[k];

		if (fl->reg > f->last)
			continue;
		if (!defined_at(fl->since, fl->until, f->version)) {
			printf("  %-10s %-32s (not in FF-A %s: MBZ)\n",
			       rname((char[16]){ 0 }, 16, fl->reg, f->wide),
			       fl->name, vtext(f->version));
			continue;
		}
		show_field(f, fl, used);
		any = true;
	}
	if (!any)
		printf("  (%s: every register MBZ)\n", none);
	check_unused(f, used);
}

static uint32_t parse_func(const char *s)
{
	char *end;
	unsigned long v;
	uint32_t fn;

	v = strtoul(s, &end, 0);
	if (!*end && end != s) {
		/* Not truncated: 0x184000064 is no FFA_FEATURES. */
		if (v > 0xffffffffu)
			usage_error("function id '%s' does not fit in 32 bits",
				    s);
		return (uint32_t)v;
	}
	for (fn = FFA_FN_FIRST; fn <= FFA_FN_MSG_SEND_DIRECT_RESP2; fn++) {
		for (int w = 0; w < 2; w++) {
			uint32_t id = w ? FFA_ID_64(fn) : FFA_ID_32(fn);
			const char *n = ffa_function_name(id);
			size_t l = n ? strlen(n) : 0;

			if (!n)
				continue;
			if (!strcmp(n, s) ||
			    (l > 3 && n[l - 3] == '_' && !strncmp(n, s, l - 3) &&
			     !s[l - 3]))
				return id;
		}
	}
	usage_error("unknown function '%s' (a name like FFA_FEATURES or an id)", s);
}

/* What a FEATURES answer answers (--reply-to FFA_FEATURES:WHAT): a
 * function (name or id) or a feature id (NPI, SRI, ME, or a number below
 * 0x80000000). */
static uint32_t parse_asked(const char *s)
{
	char *end;
	unsigned long v;

	if (!strcmp(s, "NPI"))
		return FFA_FEATURE_NPI;
	if (!strcmp(s, "SRI"))
		return FFA_FEATURE_SRI;
	if (!strcmp(s, "ME") || !strcmp(s, "MEI"))
		return FFA_FEATURE_MEI;
	v = strtoul(s, &end, 0);
	if (!*end && end != s && v <= 0xffffffffu)
		return (uint32_t)v;
	return parse_func(s);
}

/* The fields of an FFA_FEATURES call: by what it asks (feature ids
 * from 1.1: at 1.0 w1 is a function id, whatever its bit 31). */
static const struct fdef *features_call(const struct ffa_regs *r,
					uint32_t version)
{
	uint32_t what = (uint32_t)r->x[1];

	if (!(what >> 31) && version >= FFA_VERSION_1_1)
		return &features_feature;
	if (ffa_is_ffa_call(what) && ffa_fn(what) == FFA_FN_MEM_RETRIEVE_REQ)
		return &features_retrieve;
	return &features_function;
}

/* The fields of a FEATURES answer: by what was asked; NULL where
 * ffa-decode knows no layout (properties after 1.2: shown, not judged). */
static const struct fdef *features_answer(uint32_t asked, uint32_t version)
{
	static const struct fdef none = { FFA_FN_FEATURES, 7, 0, 0,
					  { F(0, 0, 0, 0, NULL) } };
	const struct fdef *d = NULL;

	/* Keyed by function number: only for an FF-A id (a SiP or PSCI id
	 * sharing RXTX_MAP's low bits defines no FF-A properties). An
	 * interrupt id answers NPI, SRI and ME alone: any other feature id
	 * defines none up to 1.2 (1.3's notification feature, id 4, answers
	 * flags: Hafnium ffa_features_feature). */
	if (asked >> 31 ? ffa_is_ffa_call(asked)
			: feature_name(asked) && version >= FFA_VERSION_1_1)
		d = find(feature_results,
			 sizeof(feature_results) / sizeof(feature_results[0]),
			 asked >> 31 ? ffa_fn(asked) : FEATURE_ANSWER);
	if (d)
		return d;
	return version > FFA_VERSION_1_2 ? NULL : &none;
}

int cmd_regs(int argc, char **argv)
{
	struct ffa_regs r = { { 0 } };
	struct frame f = { &r, false, 7, 0, FFA_VERSION_1_2, NULL };
	uint32_t reply_to = 0, asked = 0, w0, fn;
	bool asked_set = false;
	char line[512], tmp[24];
	const struct fdef *d;
	int i = 0;

	while (i < argc && argv[i][0] == '-' && argv[i][1] == '-') {
		if (!strcmp(argv[i], "--version") && i + 1 < argc)
			f.version = parse_version(argv[i + 1]);
		else if (!strcmp(argv[i], "--reply-to") && i + 1 < argc) {
			const char *colon = strchr(argv[i + 1], ':');
			char what[96];

			/* FUNC before the colon, whole or refused (a cut
			 * copy would name another function); WHAT read in
			 * place, uncut. */
			if (colon && (size_t)(colon - argv[i + 1]) >= sizeof(what))
				usage_error("unknown function '%s' (a name like "
					    "FFA_FEATURES or an id)",
					    argv[i + 1]);
			if (colon)
				snprintf(what, sizeof(what), "%.*s",
					 (int)(colon - argv[i + 1]), argv[i + 1]);
			reply_to = parse_func(colon ? what : argv[i + 1]);
			if (colon) {
				if (ffa_fn(reply_to) != FFA_FN_FEATURES)
					usage_error("regs: --reply-to %s: only "
						    "FFA_FEATURES takes ':WHAT'",
						    argv[i + 1]);
				asked = parse_asked(colon + 1);
				asked_set = true;
			}
		}
		else
			usage_error("regs: unknown option '%s'", argv[i]);
		i += 2;
	}
	if (i == argc)
		usage_error("regs: no registers (x0 [x1 ... x17])");
	if (argc - i > FFA_NREGS)
		usage_error("regs: %d registers, at most 18 (x0..x17)", argc - i);
	for (f.given = 0; i < argc; i++, f.given++) {
		char *end;

		r.x[f.given] = strtoull(argv[i], &end, 16);
		if (end == argv[i] || *end || argv[i][0] == '-')
			usage_error("regs: x%u: not a hex number: '%s'", f.given,
				    argv[i]);
	}
	w0 = (uint32_t)r.x[0];
	printf("x0  0x%016" PRIx64 "  ", r.x[0]);
	if (r.x[0] >> 32 && (w0 & SMCCC_FAST_CALL))
		printf("(x0[63:32] set: decoding w0) ");
	if (w0 == 0xffffffffu) {
		printf("NOT_SUPPORTED (SMCCC -1): an unknown function, or "
		       "FFA_VERSION refused\n");
		f.fname = "NOT_SUPPORTED";
		f.wide = true;
		f.last = 0;
		check_unused(&f, (uint64_t[FFA_NREGS]){ 0 });
		goto out;
	}
	if (!(w0 & SMCCC_FAST_CALL)) {
		printf("not a fast call id: as an FFA_VERSION / SMCCC_VERSION "
		       "reply, version %s\n",
		       vtext(w0));
		if (r.x[0] >> 32)
			warn("x0[63:32] = 0x%" PRIx64 " in a version reply",
			     r.x[0] >> 32);
		f.fname = "a version reply";
		f.last = 0;
		check_unused(&f, (uint64_t[FFA_NREGS]){ 0 });
		goto out;
	}
	if (w0 == SMCCC_VERSION || w0 == SMCCC_ARCH_FEATURES) {
		printf("%s (SMCCC, not FF-A)\n", ffa_function_name(w0));
		goto out;
	}
	if (!ffa_is_ffa_call(w0) && !ffa_is_ffa_call(w0 & ~SMCCC_SVE_HINT)) {
		unsigned owner = (w0 >> SMCCC_OWNER_SHIFT) & SMCCC_OWNER_MASK;
		const char *rg = owner == SMCCC_OWNER_STANDARD ? std_range(ffa_fn(w0))
							       : NULL;

		printf("not FF-A: SMCCC fast call, %s, owner %u (%s), "
		       "function 0x%04x%s%s%s\n",
		       ffa_is_smc64(w0) ? "SMC64" : "SMC32", owner,
		       owner_name(owner), ffa_fn(w0), rg ? " (" : "",
		       rg ? rg : "", rg ? ")" : "");
		if (w0 & 0x00ff0000u)
			printf("    bits[23:16] = 0x%02x (MBZ in SMCCC)\n",
			       (w0 >> 16) & 0xff);
		warn("not an FF-A function id");
		goto out;
	}
	if (w0 & SMCCC_SVE_HINT) {
		printf("(SMCCC 1.3 SVE hint, bit 16: no live SVE state) ");
		w0 &= ~SMCCC_SVE_HINT;
	}
	fn = ffa_fn(w0);
	f.wide = ffa_is_smc64(w0);
	f.fname = ffa_function_name(w0);
	if (!f.fname) {
		const char *other = ffa_function_name(w0 ^ SMCCC_SMC64);

		if (other) {
			printf("%s with the %s bit: FF-A defines no %s form\n",
			       other, f.wide ? "SMC64" : "SMC32",
			       f.wide ? "SMC64" : "SMC32");
			warn("%s: no such width", other);
			f.fname = other;
		} else {
			printf("FF-A function 0x%02x (%s): not known to "
			       "ffa-decode (reserved, or after 1.2)\n",
			       fn, f.wide ? "SMC64" : "SMC32");
			warn("unknown FF-A function 0x%02x", fn);
			goto out;
		}
	} else {
		printf("%s (%s, FF-A function 0x%02x)\n", f.fname,
		       f.wide ? "SMC64" : "SMC32", fn);
	}
	d = find(calls, sizeof(calls) / sizeof(calls[0]), fn);
	if (d && !defined_at(d->since, d->until, f.version)) {
		if (d->until)
			warn("%s is FF-A 1.0 only (removed in 1.1); decoding at %s",
			     f.fname, vtext(f.version));
		else {
			char since[16];

			trace_version(since, sizeof(since), d->since);
			warn("%s is FF-A %s+; an FF-A %s callee answers "
			     "NOT_SUPPORTED",
			     f.fname, since, vtext(f.version));
		}
	}
	f.last = f.wide && d ? d->last64 : 7;
	/* x8..x17 carry results of FFA_SUCCESS_64 only from 1.2 */
	if (f.last > 7 && f.version < FFA_VERSION_1_2)
		f.last = 7;
	if (fn == FFA_FN_SUCCESS && reply_to) {
		const struct fdef *rd = find(results, sizeof(results) /
							      sizeof(results[0]),
					     ffa_fn(reply_to));

		static char fname[96];
		const char *to = trace_func(tmp, sizeof(tmp), reply_to);

		/* The registers the answer defines are the answered
		 * call's: x8..x17 only where it names them (1.2+). */
		if (rd && f.wide && rd->last64 < f.last)
			f.last = rd->last64;
		if (asked_set && ffa_fn(reply_to) == FFA_FN_FEATURES) {
			const struct fdef *ad = features_answer(asked, f.version);
			const char *an = asked >> 31 ? ffa_function_name(asked)
						     : feature_name(asked);

			printf("  as the reply to %s asking about 0x%" PRIx32
			       " (%s%s)\n",
			       to, asked, asked >> 31 ? "" : "feature: ",
			       an ? an : "unknown");
			if (ad)
				rd = ad;
		} else {
			printf("  as the reply to %s\n", to);
		}
		snprintf(fname, sizeof(fname), "%s answering %s", f.fname, to);
		f.fname = fname;
		frame_fields(&f, rd ? rd : &(struct fdef){ 0 }, "no results");
	} else if (fn == FFA_FN_FEATURES) {
		frame_fields(&f, features_call(&r, f.version), "no parameters");
	} else {
		frame_fields(&f, d, "no parameters");
	}
	if ((fn == FFA_FN_MEM_DONATE || fn == FFA_FN_MEM_LEND ||
	     fn == FFA_FN_MEM_SHARE || fn == FFA_FN_MEM_RETRIEVE_REQ ||
	     fn == FFA_FN_MEM_RETRIEVE_RESP) &&
	    (uint32_t)r.x[2] > (uint32_t)r.x[1])
		warn("fragment length %" PRIu32 " above the total length %" PRIu32,
		     (uint32_t)r.x[2], (uint32_t)r.x[1]);
	if (r.x[0] >> 32)
		warn("x0[63:32] = 0x%" PRIx64 ": set above an SMC function id "
		     "(the id is w0)",
		     r.x[0] >> 32);
	if (!f.wide)
		for (unsigned k = 1; k < 8; k++)
			if (r.x[k] >> 32)
				warn("x%u[63:32] = 0x%" PRIx64
				     ": upper half set in an SMC32 frame "
				     "(ignored in a call, MBZ in a reply)",
				     k, r.x[k] >> 32);
out:
	if (!(w0 & SMCCC_FAST_CALL))
		trace_reply(line, sizeof(line), FFA_VERSION_32, &r);
	else if (w0 == FFA_ERROR_32 || w0 == FFA_SUCCESS_32 ||
		 w0 == FFA_SUCCESS_64)
		trace_reply(line, sizeof(line), reply_to, &r);
	else
		trace_call(line, sizeof(line), &r);
	printf("trace: %s\n", line);
	return 0;
}
