/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * The host (FF-A endpoint 0), played by the EL2 stub: in a real system
 * this is the host kernel; here it exists so that the client meets
 * another endpoint's state (a locked version, a foreign handle).
 */
#ifndef EL2_HOST_H
#define EL2_HOST_H

#include <ffaproxy/proxy.h>

/* FFA_VERSION 1.2 and a first call (FFA_ID_GET): the host's version is
 * locked before the VM starts, as a pKVM host's is at boot. */
void host_prelock(struct ffp *p);

/* Share one host page with partition 0x8001 (mapping the host's RX/TX
 * first); returns 0 and the handle, or a negative FF-A status. */
int host_share(struct ffp *p, uint64_t *handle);
/* Reclaim it: 0 or a negative FF-A status. */
int host_reclaim(struct ffp *p, uint64_t handle);

#endif /* EL2_HOST_H */
