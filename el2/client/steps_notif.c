/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * The client's notification steps, through the real trap path: BIND
 * (its bitmap created at EL3 by the proxy), partition 0x8001 sets a
 * notification for it (EL3's test service), GET returns it; 0x8001 binds
 * the client as sender, SET reaches it. Refusals: another receiver,
 * INFO_GET (the host's), BITMAP_CREATE (the hypervisor's).
 * At 1.0 (the client's or the SPMC's) every call is NOT_SUPPORTED.
 */
#include <ffaproxy/ffa.h>

#include "el2/client/client.h"
#include "el2/common/arm.h"
#include "el2/common/board.h"
#include "el2/common/console.h"

#define SP 0x8001u

static int64_t sp_notif(uint32_t op, uint64_t bits, uint64_t *out)
{
	struct ffa_regs r;

	regs_set(&r, EL2_HVC_EL3_TEST, EL3_SIP_NOTIF, SP, op, EL1_ENDPOINT_ID,
		 bits);
	arm_hvc(&r);
	if (out)
		*out = r.x[1];
	return (int64_t)r.x[0];
}

void steps_notif(void)
{
	const uint64_t me = EL1_ENDPOINT_ID;
	bool on = cl.served >= FFA_VERSION_1_1 && cl.spmc_use >= FFA_VERSION_1_1;
	struct ffa_regs r;
	uint64_t bits = 0;

	smc6(&r, FFA_NOTIFICATION_BIND_32, (uint64_t)SP << 16 | me, 0, 0x1, 0x2,
	     0);
	if (!on) {
		check(ffa_err(&r) == FFA_NOT_SUPPORTED,
		      "NOTIFICATION_BIND at 1.%u over 1.%u -> %s",
		      cl.served & 0xffff, cl.spmc_use & 0xffff,
		      status_name(ffa_err(&r)));
		return;
	}
	check(r.x[0] == FFA_SUCCESS_32 && regs_zero(&r, 1, 7),
	      "NOTIFICATION_BIND of 0x8001's bits 0 and 33 -> SUCCESS (0x%lx)",
	      r.x[0]);
	check(sp_notif(EL3_NOTIF_SET, 0x200000000ull, NULL) == 0,
	      "EL3: 0x8001 sets bit 33 for the client");
	smc6(&r, FFA_NOTIFICATION_GET_32, me, FFA_NOTIF_GET_SP | FFA_NOTIF_GET_VM,
	     0, 0, 0);
	check(r.x[0] == FFA_SUCCESS_32 && r.x[1] == 0 && r.x[2] == 0 &&
		      r.x[3] == 2 && regs_zero(&r, 4, 7),
	      "NOTIFICATION_GET -> SUCCESS, SP bitmap w2 0x%lx w3 0x%lx, VM "
	      "bitmap zero", r.x[2], r.x[3]);
	smc6(&r, FFA_NOTIFICATION_GET_32, me, FFA_NOTIF_GET_SP, 0, 0, 0);
	check(r.x[0] == FFA_SUCCESS_32 && regs_zero(&r, 1, 7),
	      "NOTIFICATION_GET again -> nothing pending");

	check(sp_notif(EL3_NOTIF_BIND, 0x100, NULL) == 0,
	      "EL3: 0x8001 binds bit 8 to the client as sender");
	smc6(&r, FFA_NOTIFICATION_SET_32, me << 16 | SP, 0, 0x100, 0, 0);
	check(r.x[0] == FFA_SUCCESS_32 && regs_zero(&r, 1, 7),
	      "NOTIFICATION_SET of bit 8 to 0x8001 -> SUCCESS");
	check(sp_notif(EL3_NOTIF_GET, 0, &bits) == 0 && bits == 0x100,
	      "EL3: 0x8001 got bit 8 (0x%lx)", bits);

	smc6(&r, FFA_NOTIFICATION_BIND_32, (uint64_t)SP << 16 | 0, 0, 0x4, 0,
	     0);
	check(ffa_err(&r) == FFA_INVALID_PARAMETERS,
	      "NOTIFICATION_BIND for the host -> %s", status_name(ffa_err(&r)));
	smc6(&r, FFA_NOTIFICATION_INFO_GET_32, 0, 0, 0, 0, 0);
	check(ffa_err(&r) == FFA_NOT_SUPPORTED,
	      "NOTIFICATION_INFO_GET (the host's) -> %s",
	      status_name(ffa_err(&r)));
	smc6(&r, FFA_NOTIFICATION_BITMAP_CREATE_32, me, 1, 0, 0, 0);
	check(ffa_err(&r) == FFA_NOT_SUPPORTED,
	      "NOTIFICATION_BITMAP_CREATE (the hypervisor's) -> %s",
	      status_name(ffa_err(&r)));
	smc6(&r, FFA_NOTIFICATION_UNBIND_32, (uint64_t)SP << 16 | me, 0, 0x1,
	     0x2, 0);
	check(r.x[0] == FFA_SUCCESS_32, "NOTIFICATION_UNBIND -> SUCCESS");
}
