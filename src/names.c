/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/* Spec names for function ids and status codes, for logs and traces. */
#include <ffaproxy/ffa.h>
#include <ffaproxy/platform.h>

/* A function defined at both widths is named with _32/_64 (DEN0077A); a
 * 32-bit-only one has no suffix. Index: function number - 0x60. */
struct fn_names {
	const char *n32, *n64;
};

#define ONLY32(n) { n, NULL }
#define BOTH(n) { n "_32", n "_64" }
#define ONLY64(n) { NULL, n "_64" }

static const struct fn_names fn_names[] = {
	[0x60 - 0x60] = ONLY32("FFA_ERROR"),
	[0x61 - 0x60] = BOTH("FFA_SUCCESS"),
	[0x62 - 0x60] = ONLY32("FFA_INTERRUPT"),
	[0x63 - 0x60] = ONLY32("FFA_VERSION"),
	[0x64 - 0x60] = ONLY32("FFA_FEATURES"),
	[0x65 - 0x60] = ONLY32("FFA_RX_RELEASE"),
	[0x66 - 0x60] = BOTH("FFA_RXTX_MAP"),
	[0x67 - 0x60] = ONLY32("FFA_RXTX_UNMAP"),
	[0x68 - 0x60] = ONLY32("FFA_PARTITION_INFO_GET"),
	[0x69 - 0x60] = ONLY32("FFA_ID_GET"),
	[0x6A - 0x60] = ONLY32("FFA_MSG_POLL"),
	[0x6B - 0x60] = ONLY32("FFA_MSG_WAIT"),
	[0x6C - 0x60] = ONLY32("FFA_YIELD"),
	[0x6D - 0x60] = ONLY32("FFA_RUN"),
	[0x6E - 0x60] = ONLY32("FFA_MSG_SEND"),
	[0x6F - 0x60] = BOTH("FFA_MSG_SEND_DIRECT_REQ"),
	[0x70 - 0x60] = BOTH("FFA_MSG_SEND_DIRECT_RESP"),
	[0x71 - 0x60] = BOTH("FFA_MEM_DONATE"),
	[0x72 - 0x60] = BOTH("FFA_MEM_LEND"),
	[0x73 - 0x60] = BOTH("FFA_MEM_SHARE"),
	[0x74 - 0x60] = BOTH("FFA_MEM_RETRIEVE_REQ"),
	[0x75 - 0x60] = ONLY32("FFA_MEM_RETRIEVE_RESP"),
	[0x76 - 0x60] = ONLY32("FFA_MEM_RELINQUISH"),
	[0x77 - 0x60] = ONLY32("FFA_MEM_RECLAIM"),
	[0x78 - 0x60] = ONLY32("FFA_MEM_OP_PAUSE"),
	[0x79 - 0x60] = ONLY32("FFA_MEM_OP_RESUME"),
	[0x7A - 0x60] = ONLY32("FFA_MEM_FRAG_RX"),
	[0x7B - 0x60] = ONLY32("FFA_MEM_FRAG_TX"),
	[0x7C - 0x60] = ONLY32("FFA_NORMAL_WORLD_RESUME"),
	[0x7D - 0x60] = ONLY32("FFA_NOTIFICATION_BITMAP_CREATE"),
	[0x7E - 0x60] = ONLY32("FFA_NOTIFICATION_BITMAP_DESTROY"),
	[0x7F - 0x60] = ONLY32("FFA_NOTIFICATION_BIND"),
	[0x80 - 0x60] = ONLY32("FFA_NOTIFICATION_UNBIND"),
	[0x81 - 0x60] = ONLY32("FFA_NOTIFICATION_SET"),
	[0x82 - 0x60] = ONLY32("FFA_NOTIFICATION_GET"),
	[0x83 - 0x60] = BOTH("FFA_NOTIFICATION_INFO_GET"),
	[0x84 - 0x60] = ONLY32("FFA_RX_ACQUIRE"),
	[0x85 - 0x60] = ONLY32("FFA_SPM_ID_GET"),
	[0x86 - 0x60] = ONLY32("FFA_MSG_SEND2"),
	[0x87 - 0x60] = BOTH("FFA_SECONDARY_EP_REGISTER"),
	[0x88 - 0x60] = BOTH("FFA_MEM_PERM_GET"),
	[0x89 - 0x60] = BOTH("FFA_MEM_PERM_SET"),
	[0x8A - 0x60] = BOTH("FFA_CONSOLE_LOG"),
	[0x8B - 0x60] = ONLY64("FFA_PARTITION_INFO_GET_REGS"),
	[0x8C - 0x60] = ONLY32("FFA_EL3_INTR_HANDLE"),
	[0x8D - 0x60] = ONLY64("FFA_MSG_SEND_DIRECT_REQ2"),
	[0x8E - 0x60] = ONLY64("FFA_MSG_SEND_DIRECT_RESP2"),
};

const char *ffa_function_name(uint32_t func_id)
{
	uint32_t fn = ffa_fn(func_id);

	if (func_id == SMCCC_VERSION)
		return "SMCCC_VERSION";
	if (func_id == SMCCC_ARCH_FEATURES)
		return "SMCCC_ARCH_FEATURES";
	if (!ffa_is_ffa_call(func_id))
		return NULL;
	if (fn - FFA_FN_FIRST >= sizeof(fn_names) / sizeof(fn_names[0]))
		return NULL;
	return ffa_is_smc64(func_id) ? fn_names[fn - FFA_FN_FIRST].n64
				     : fn_names[fn - FFA_FN_FIRST].n32;
}

const char *ffa_error_name(int32_t code)
{
	static const char *const names[] = {
		"NOT_SUPPORTED", "INVALID_PARAMETERS", "NO_MEMORY", "BUSY",
		"INTERRUPTED",   "DENIED",             "RETRY",     "ABORTED",
		"NO_DATA",       "NOT_READY",
	};

	if (code >= 0 || code < -(int32_t)(sizeof(names) / sizeof(names[0])))
		return NULL;
	return names[-code - 1];
}

const char *ffp_page_state_name(enum ffp_page_state s)
{
	static const char *const names[FFP_PAGE_STATE_COUNT] = {
		[FFP_PAGE_OWNED] = "owned",
		[FFP_PAGE_SHARED_PROXY] = "shared-proxy",
		[FFP_PAGE_SHARED] = "shared",
		[FFP_PAGE_LENT] = "lent",
		[FFP_PAGE_DONATED] = "donated",
	};

	return (unsigned)s < FFP_PAGE_STATE_COUNT ? names[s] : "unknown";
}
