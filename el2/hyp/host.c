/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/* The host endpoint played by the stub; see host.h. Its calls go through
 * ffp_handle exactly as a trapped host SMC would. */
#include <ffaproxy/mem.h> /* constants only */

#include "el2/common/arm.h"
#include "el2/common/board.h"
#include "el2/common/console.h"
#include "el2/common/memdesc.h"
#include "el2/hyp/host.h"

#define PAGE 4096u
#define HOST_TX BOARD_HOST_BASE
#define HOST_RX (BOARD_HOST_BASE + PAGE)
#define HOST_SHARED_PAGE (BOARD_HOST_BASE + 4 * PAGE)

static bool host_mapped;

static void host_call(struct ffp *p, struct ffa_regs *r, uint64_t x0,
		      uint64_t x1, uint64_t x2, uint64_t x3)
{
	const char *n = ffa_function_name((uint32_t)x0), *res;

	regs_set(r, x0, x1, x2, x3, 0, 0);
	ffp_handle(p, 0, r);
	if (x0 == FFA_VERSION_32) {
		con_printf("el2: host ep0 FFA_VERSION 1.%lu -> 0x%lx\n",
			   x1 & 0xffff, r->x[0]);
		return;
	}
	res = (uint32_t)r->x[0] == FFA_ERROR_32
		      ? ffa_error_name((int32_t)(uint32_t)r->x[2])
		      : ffa_function_name((uint32_t)r->x[0]);
	con_printf("el2: host ep0 %s -> %s\n", n ? n : "?", res ? res : "?");
}

static int status(const struct ffa_regs *r)
{
	if ((uint32_t)r->x[0] == FFA_SUCCESS_32)
		return 0;
	if ((uint32_t)r->x[0] == FFA_ERROR_32)
		return (int32_t)(uint32_t)r->x[2];
	return FFA_ABORTED;
}

void host_prelock(struct ffp *p)
{
	struct ffa_regs r;

	host_call(p, &r, FFA_VERSION_32, FFA_VERSION_1_2, 0, 0);
	host_call(p, &r, FFA_ID_GET_32, 0, 0, 0);
}

int host_share(struct ffp *p, uint64_t *handle)
{
	struct md_range range = { HOST_SHARED_PAGE, 1 };
	struct mdesc d = { FFA_MEM_TXN_SHARE, 0, 1, { 0x8001, 0 },
			   { FFA_MEM_PERM_RW, 0 }, &range, 1, 0 };
	struct ffp_endpoint_info info;
	struct ffa_regs r;
	uint32_t len;

	if (!host_mapped) {
		host_call(p, &r, FFA_VERSION_32, FFA_VERSION_1_2, 0, 0);
		host_call(p, &r, FFA_RXTX_MAP_64, HOST_TX, HOST_RX, 1);
		if (status(&r))
			return status(&r);
		host_mapped = true;
	}
	if (ffp_endpoint_info(p, 0, &info))
		return FFA_ABORTED;
	/* The host writes its TX buffer (its own memory) and calls. */
	len = memdesc_build((uint8_t *)(uintptr_t)HOST_TX, PAGE, info.version, &d);
	host_call(p, &r, FFA_MEM_SHARE_32, len, len, 0);
	*handle = (uint32_t)r.x[2] | ((uint64_t)(uint32_t)r.x[3] << 32);
	return status(&r);
}

int host_reclaim(struct ffp *p, uint64_t handle)
{
	struct ffa_regs r;

	host_call(p, &r, FFA_MEM_RECLAIM_32, (uint32_t)handle, handle >> 32, 0);
	return status(&r);
}
