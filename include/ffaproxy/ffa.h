/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * FF-A (Arm DEN0077A) and SMCCC (Arm DEN0028) constants shared by the core,
 * the simulator and the tools. Pure definitions: no state, no libc.
 * Names follow the spec; the _32/_64 suffix is the SMC convention.
 */
#ifndef FFAPROXY_FFA_H
#define FFAPROXY_FFA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One register file used everywhere: x0..x17 (SMCCC 1.2). */
#define FFA_NREGS 18
struct ffa_regs {
	uint64_t x[FFA_NREGS];
};

/* ---- Versions (DEN0077A 13.2): bit 31 MBZ, major [30:16], minor [15:0] */
#define FFA_VERSION_MAJOR_SHIFT 16
#define FFA_VERSION_MINOR_MASK 0xffffu
#define FFA_MAKE_VERSION(maj, min) (((uint32_t)(maj) << 16) | (uint32_t)(min))
#define FFA_VERSION_1_0 FFA_MAKE_VERSION(1, 0)
#define FFA_VERSION_1_1 FFA_MAKE_VERSION(1, 1)
#define FFA_VERSION_1_2 FFA_MAKE_VERSION(1, 2)
#define FFA_VERSION_1_3 FFA_MAKE_VERSION(1, 3)

static inline uint32_t ffa_version_major(uint32_t v)
{
	return (v >> FFA_VERSION_MAJOR_SHIFT) & 0x7fffu;
}

static inline uint32_t ffa_version_minor(uint32_t v)
{
	return v & FFA_VERSION_MINOR_MASK;
}

/* ---- SMCCC function identifiers (DEN0028 2.5) */
#define SMCCC_FAST_CALL (1u << 31)
#define SMCCC_SMC64 (1u << 30)
/* SMCCC 1.3: bit 16 of a function id is the SVE live-state hint (the
 * caller has no SVE state to preserve); the function is the same with it
 * clear, and callees ignore it (TF-A 0fe7b9f2 clears it before dispatch,
 * Hafnium's smc_handler too). */
#define SMCCC_SVE_HINT (1u << 16)
#define SMCCC_OWNER_SHIFT 24
#define SMCCC_OWNER_MASK 0x3fu
#define SMCCC_OWNER_ARCH 0u
#define SMCCC_OWNER_STANDARD 4u
#define SMCCC_VERSION 0x80000000u
#define SMCCC_ARCH_FEATURES 0x80000001u
#define SMCCC_NOT_SUPPORTED (-1)
#define SMCCC_VERSION_1_1 0x10001u
#define SMCCC_VERSION_1_2 0x10002u

/* ---- FF-A function numbers (DEN0077A table 12.x); ids are 0x84000000|fn
 * (SMC32) or 0xC4000000|fn (SMC64). FF-A's range of the standard secure
 * service ends below 0xF0: 0x840000F0..F2 are the Errata Management ABI
 * (DEN0100 EM_VERSION, EM_FEATURES, EM_CPU_ERRATUM_FEATURES; TF-A
 * errata_abi_svc.h), not FF-A calls. */
#define FFA_FN_FIRST 0x60u
#define FFA_FN_LAST 0xefu
#define FFA_ID_32(fn) (0x84000000u | (fn))
#define FFA_ID_64(fn) (0xC4000000u | (fn))

#define FFA_FN_ERROR 0x60u
#define FFA_FN_SUCCESS 0x61u
#define FFA_FN_INTERRUPT 0x62u
#define FFA_FN_VERSION 0x63u
#define FFA_FN_FEATURES 0x64u
#define FFA_FN_RX_RELEASE 0x65u
#define FFA_FN_RXTX_MAP 0x66u
#define FFA_FN_RXTX_UNMAP 0x67u
#define FFA_FN_PARTITION_INFO_GET 0x68u
#define FFA_FN_ID_GET 0x69u
#define FFA_FN_MSG_POLL 0x6Au
#define FFA_FN_MSG_WAIT 0x6Bu
#define FFA_FN_YIELD 0x6Cu
#define FFA_FN_RUN 0x6Du
#define FFA_FN_MSG_SEND 0x6Eu
#define FFA_FN_MSG_SEND_DIRECT_REQ 0x6Fu
#define FFA_FN_MSG_SEND_DIRECT_RESP 0x70u
#define FFA_FN_MEM_DONATE 0x71u
#define FFA_FN_MEM_LEND 0x72u
#define FFA_FN_MEM_SHARE 0x73u
#define FFA_FN_MEM_RETRIEVE_REQ 0x74u
#define FFA_FN_MEM_RETRIEVE_RESP 0x75u
#define FFA_FN_MEM_RELINQUISH 0x76u
#define FFA_FN_MEM_RECLAIM 0x77u
#define FFA_FN_MEM_OP_PAUSE 0x78u
#define FFA_FN_MEM_OP_RESUME 0x79u
#define FFA_FN_MEM_FRAG_RX 0x7Au
#define FFA_FN_MEM_FRAG_TX 0x7Bu
#define FFA_FN_NORMAL_WORLD_RESUME 0x7Cu
#define FFA_FN_NOTIFICATION_BITMAP_CREATE 0x7Du
#define FFA_FN_NOTIFICATION_BITMAP_DESTROY 0x7Eu
#define FFA_FN_NOTIFICATION_BIND 0x7Fu
#define FFA_FN_NOTIFICATION_UNBIND 0x80u
#define FFA_FN_NOTIFICATION_SET 0x81u
#define FFA_FN_NOTIFICATION_GET 0x82u
#define FFA_FN_NOTIFICATION_INFO_GET 0x83u
#define FFA_FN_RX_ACQUIRE 0x84u
#define FFA_FN_SPM_ID_GET 0x85u
#define FFA_FN_MSG_SEND2 0x86u
#define FFA_FN_SECONDARY_EP_REGISTER 0x87u
#define FFA_FN_MEM_PERM_GET 0x88u
#define FFA_FN_MEM_PERM_SET 0x89u
#define FFA_FN_CONSOLE_LOG 0x8Au
#define FFA_FN_PARTITION_INFO_GET_REGS 0x8Bu
#define FFA_FN_EL3_INTR_HANDLE 0x8Cu
#define FFA_FN_MSG_SEND_DIRECT_REQ2 0x8Du
#define FFA_FN_MSG_SEND_DIRECT_RESP2 0x8Eu

#define FFA_ERROR_32 FFA_ID_32(FFA_FN_ERROR)
#define FFA_SUCCESS_32 FFA_ID_32(FFA_FN_SUCCESS)
#define FFA_SUCCESS_64 FFA_ID_64(FFA_FN_SUCCESS)
#define FFA_INTERRUPT_32 FFA_ID_32(FFA_FN_INTERRUPT)
#define FFA_VERSION_32 FFA_ID_32(FFA_FN_VERSION)
#define FFA_FEATURES_32 FFA_ID_32(FFA_FN_FEATURES)
#define FFA_RX_RELEASE_32 FFA_ID_32(FFA_FN_RX_RELEASE)
#define FFA_RXTX_MAP_32 FFA_ID_32(FFA_FN_RXTX_MAP)
#define FFA_RXTX_MAP_64 FFA_ID_64(FFA_FN_RXTX_MAP)
#define FFA_RXTX_UNMAP_32 FFA_ID_32(FFA_FN_RXTX_UNMAP)
#define FFA_PARTITION_INFO_GET_32 FFA_ID_32(FFA_FN_PARTITION_INFO_GET)
#define FFA_ID_GET_32 FFA_ID_32(FFA_FN_ID_GET)
#define FFA_MSG_WAIT_32 FFA_ID_32(FFA_FN_MSG_WAIT)
#define FFA_YIELD_32 FFA_ID_32(FFA_FN_YIELD)
#define FFA_RUN_32 FFA_ID_32(FFA_FN_RUN)
#define FFA_MSG_SEND_DIRECT_REQ_32 FFA_ID_32(FFA_FN_MSG_SEND_DIRECT_REQ)
#define FFA_MSG_SEND_DIRECT_REQ_64 FFA_ID_64(FFA_FN_MSG_SEND_DIRECT_REQ)
#define FFA_MSG_SEND_DIRECT_RESP_32 FFA_ID_32(FFA_FN_MSG_SEND_DIRECT_RESP)
#define FFA_MSG_SEND_DIRECT_RESP_64 FFA_ID_64(FFA_FN_MSG_SEND_DIRECT_RESP)
#define FFA_MEM_DONATE_32 FFA_ID_32(FFA_FN_MEM_DONATE)
#define FFA_MEM_DONATE_64 FFA_ID_64(FFA_FN_MEM_DONATE)
#define FFA_MEM_LEND_32 FFA_ID_32(FFA_FN_MEM_LEND)
#define FFA_MEM_LEND_64 FFA_ID_64(FFA_FN_MEM_LEND)
#define FFA_MEM_SHARE_32 FFA_ID_32(FFA_FN_MEM_SHARE)
#define FFA_MEM_SHARE_64 FFA_ID_64(FFA_FN_MEM_SHARE)
#define FFA_MEM_RETRIEVE_REQ_32 FFA_ID_32(FFA_FN_MEM_RETRIEVE_REQ)
#define FFA_MEM_RETRIEVE_REQ_64 FFA_ID_64(FFA_FN_MEM_RETRIEVE_REQ)
#define FFA_MEM_RETRIEVE_RESP_32 FFA_ID_32(FFA_FN_MEM_RETRIEVE_RESP)
#define FFA_MEM_RELINQUISH_32 FFA_ID_32(FFA_FN_MEM_RELINQUISH)
#define FFA_MEM_RECLAIM_32 FFA_ID_32(FFA_FN_MEM_RECLAIM)
#define FFA_MEM_FRAG_RX_32 FFA_ID_32(FFA_FN_MEM_FRAG_RX)
#define FFA_MEM_FRAG_TX_32 FFA_ID_32(FFA_FN_MEM_FRAG_TX)
#define FFA_NOTIFICATION_BITMAP_CREATE_32                                     \
	FFA_ID_32(FFA_FN_NOTIFICATION_BITMAP_CREATE)
#define FFA_NOTIFICATION_BITMAP_DESTROY_32                                    \
	FFA_ID_32(FFA_FN_NOTIFICATION_BITMAP_DESTROY)
#define FFA_NOTIFICATION_BIND_32 FFA_ID_32(FFA_FN_NOTIFICATION_BIND)
#define FFA_NOTIFICATION_UNBIND_32 FFA_ID_32(FFA_FN_NOTIFICATION_UNBIND)
#define FFA_NOTIFICATION_SET_32 FFA_ID_32(FFA_FN_NOTIFICATION_SET)
#define FFA_NOTIFICATION_GET_32 FFA_ID_32(FFA_FN_NOTIFICATION_GET)
#define FFA_NOTIFICATION_INFO_GET_32 FFA_ID_32(FFA_FN_NOTIFICATION_INFO_GET)
#define FFA_NOTIFICATION_INFO_GET_64 FFA_ID_64(FFA_FN_NOTIFICATION_INFO_GET)
#define FFA_SPM_ID_GET_32 FFA_ID_32(FFA_FN_SPM_ID_GET)
#define FFA_MSG_SEND2_32 FFA_ID_32(FFA_FN_MSG_SEND2)
#define FFA_PARTITION_INFO_GET_REGS_64 FFA_ID_64(FFA_FN_PARTITION_INFO_GET_REGS)
#define FFA_MSG_SEND_DIRECT_REQ2_64 FFA_ID_64(FFA_FN_MSG_SEND_DIRECT_REQ2)
#define FFA_MSG_SEND_DIRECT_RESP2_64 FFA_ID_64(FFA_FN_MSG_SEND_DIRECT_RESP2)

/* A call is FF-A when it is a fast call of the standard secure service
 * owner with a function number in 0x60..0xEF and bits[23:16] zero: the
 * canonical id. ffp_handle claims more (W0, ignoring x0[63:32] and
 * SMCCC 1.3's SVE hint, bit 16, as EL3 does): route trapped calls by
 * its return value, not by this predicate, or an id EL3 serves as FF-A
 * could pass the proxy. */
static inline bool ffa_is_ffa_call(uint64_t x0)
{
	uint32_t id = (uint32_t)x0;

	if (x0 >> 32)
		return false;
	if (!(id & SMCCC_FAST_CALL))
		return false;
	if (((id >> SMCCC_OWNER_SHIFT) & SMCCC_OWNER_MASK) != SMCCC_OWNER_STANDARD)
		return false;
	if (id & 0x00ff0000u)
		return false;
	return (id & 0xffffu) >= FFA_FN_FIRST && (id & 0xffffu) <= FFA_FN_LAST;
}

static inline uint32_t ffa_fn(uint32_t id)
{
	return id & 0xffffu;
}

static inline bool ffa_is_smc64(uint32_t id)
{
	return (id & SMCCC_SMC64) != 0;
}

/* ---- Status codes (DEN0077A table 11.x), carried in w2 of FFA_ERROR */
#define FFA_NOT_SUPPORTED (-1)
#define FFA_INVALID_PARAMETERS (-2)
#define FFA_NO_MEMORY (-3)
#define FFA_BUSY (-4)
#define FFA_INTERRUPTED (-5)
#define FFA_DENIED (-6)
#define FFA_RETRY (-7)
#define FFA_ABORTED (-8)
#define FFA_NO_DATA (-9)
#define FFA_NOT_READY (-10)

/* ---- Notifications (DEN0077A 1.1 chapter 10; Linux arm_ffa driver.c,
 * Hafnium inc/vmapi/hf/ffa.h). BIND/SET w2: bit0 per-vCPU; SET also bit1
 * delay SRI and, per-vCPU, bits[31:16] the vCPU id. GET w2: which bitmaps
 * (SP, VM, SPM framework, hypervisor framework); SUCCESS w2/w3 SP, w4/w5 VM,
 * w6 SPM, w7 hypervisor. Framework bitmaps define bit0 (RX buffer full). */
#define FFA_NOTIF_FLAG_PER_VCPU (1u << 0)
#define FFA_NOTIF_FLAG_DELAY_SRI (1u << 1)
#define FFA_NOTIF_GET_SP (1u << 0)
#define FFA_NOTIF_GET_VM (1u << 1)
#define FFA_NOTIF_GET_SPM (1u << 2)
#define FFA_NOTIF_GET_HYP (1u << 3)
#define FFA_NOTIF_FW_RX_FULL (1u << 0)
/* INFO_GET w2/x2: bit0 more pending, bits[11:7] list count, two bits per
 * list from bit 12 (vCPU ids after the endpoint id); 16-bit ids packed
 * from w3/x3 up to w7/x7: 10 (SMC32) or 20 (SMC64) ids (Linux MAX_IDS_32
 * and MAX_IDS_64, Hafnium FFA_NOTIFICATIONS_INFO_GET_MAX_IDS). */
#define FFA_NOTIF_INFO_MORE_PENDING (1u << 0)
#define FFA_NOTIF_INFO_COUNT_SHIFT 7
#define FFA_NOTIF_INFO_COUNT_MASK 0x1fu
#define FFA_NOTIF_INFO_SIZES_SHIFT 12
#define FFA_NOTIF_INFO_MAX_IDS_32 10u
#define FFA_NOTIF_INFO_MAX_IDS_64 20u
/* FFA_FEATURES feature ids (w1 bit31 clear): notification pending,
 * schedule receiver and managed exit interrupts. */
#define FFA_FEATURE_NPI 0x1u
#define FFA_FEATURE_SRI 0x2u
#define FFA_FEATURE_MEI 0x3u

/* ---- Endpoint ids: bit 15 set marks a secure partition. */
#define FFA_ID_SECURE_BIT 0x8000u
static inline bool ffa_id_is_secure(uint16_t id)
{
	return (id & FFA_ID_SECURE_BIT) != 0;
}

/* ---- FFA_FEATURES(RXTX_MAP) w2 bits[1:0]: minimum buffer size/alignment */
#define FFA_RXTX_GRANULE_4K 0u
#define FFA_RXTX_GRANULE_64K 1u
#define FFA_RXTX_GRANULE_16K 2u
#define FFA_PAGE_SIZE 4096u /* FF-A counts pages of 4 KiB everywhere */

/* ---- FFA_PARTITION_INFO_GET */
#define FFA_PARTITION_INFO_GET_COUNT_ONLY 0x1u /* w5 bit 0, 1.1+ */
#define FFA_PARTITION_INFO_SIZE_V1_0 8u
#define FFA_PARTITION_INFO_SIZE_V1_1 24u
/* Properties (DEN0077A 1.2 table 6.x) */
#define FFA_PART_PROP_DIRECT_REQ_RECV (1u << 0)
#define FFA_PART_PROP_DIRECT_REQ_SEND (1u << 1)
#define FFA_PART_PROP_INDIRECT_MSG (1u << 2)
#define FFA_PART_PROP_NOTIFICATION (1u << 3)
#define FFA_PART_PROP_AARCH64 (1u << 8)
#define FFA_PART_PROP_DIRECT_REQ2_RECV (1u << 9)
#define FFA_PART_PROP_DIRECT_REQ2_SEND (1u << 10)
/* 1.1+: the partition subscribed to the VM availability messages VM_CREATED
 * and VM_DESTROYED (Xen FFA_PART_PROP_NOTIF_CREATED/DESTROYED, OP-TEE
 * ffa.h). The hypervisor's business: never passed on to callers. */
#define FFA_PART_PROP_VM_CREATED (1u << 6)
#define FFA_PART_PROP_VM_DESTROYED (1u << 7)

/* ---- Direct messages: w2 bit 31 marks a framework message (1.1+) */
#define FFA_MSG_FLAG_FRAMEWORK (1u << 31)
#define FFA_MSG_TYPE_MASK 0xffu /* w2[7:0] of a framework message */
/* VM availability messages (1.1+): the hypervisor (id 0 in w1[31:16])
 * sends the request by FFA_MSG_SEND_DIRECT_REQ_32 with w3/w4 a VM handle,
 * w5[15:0] the VM id; the partition answers DIRECT_RESP_32 with w3 its
 * status: 0, INVALID_PARAMETERS, INTERRUPTED, DENIED or RETRY (Xen
 * ffa_partinfo.c, Trusty's arm_ffa.h). */
#define FFA_FRAMEWORK_VM_CREATED_REQ 0x4u
#define FFA_FRAMEWORK_VM_CREATED_RESP 0x5u
#define FFA_FRAMEWORK_VM_DESTROYED_REQ 0x6u
#define FFA_FRAMEWORK_VM_DESTROYED_RESP 0x7u

/* Little-endian accessors for byte buffers (descriptors are LE on Arm). */
static inline uint16_t ffa_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t ffa_get32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
	       ((uint32_t)p[3] << 24);
}

static inline uint64_t ffa_get64(const uint8_t *p)
{
	return (uint64_t)ffa_get32(p) | ((uint64_t)ffa_get32(p + 4) << 32);
}

static inline void ffa_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void ffa_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static inline void ffa_put64(uint8_t *p, uint64_t v)
{
	ffa_put32(p, (uint32_t)v);
	ffa_put32(p + 4, (uint32_t)(v >> 32));
}

/* Names for tracing and logs (src/names.c): "FFA_VERSION", "DENIED", ...
 * Return NULL when the value has no spec name. */
const char *ffa_function_name(uint32_t func_id);
const char *ffa_error_name(int32_t code);

#endif /* FFAPROXY_FFA_H */
