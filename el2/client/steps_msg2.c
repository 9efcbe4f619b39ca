/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * The client's indirect messages (FFA_MSG_SEND2), through the real trap
 * path and the bounce pair the EL2 stub gave it (el2/hyp/main.c): a
 * message to partition 0x8001 written in its TX in its version's layout
 * reaches the partition's mailbox at EL3 (EL3's test service reports
 * it); hostile headers and registers are refused without an SMC; a
 * second message finds the mailbox full (the SPMC's BUSY). Then 0x8001
 * sends the client messages (EL3's test service): NOTIFICATION_GET with
 * the SPM flag answers RX buffer full with the message in the client's
 * RX in its layout, one at a time, waiting while the client holds its
 * RX; one whose header names another sender (a misbehaving SPMC) is
 * dropped. Without a pair (strict before any version lock, a 1.0 SPMC) or at
 * 1.0, MSG_SEND2 and FFA_FEATURES of it are NOT_SUPPORTED.
 */
#include <ffaproxy/ffa.h>

#include "el2/client/client.h"
#include "el2/common/arm.h"
#include "el2/common/board.h"
#include "el2/common/console.h"
#include "el2/common/partitions.h"

#define SP 0x8001u /* takes indirect messages (properties bit 2) */

static uint64_t smcs(void)
{
	struct ffa_regs r;

	regs_set(&r, EL2_HVC_SMCS, 0, 0, 0, 0, 0);
	arm_hvc(&r);
	return r.x[0];
}

/* EL3's test service for 0x8001's side of indirect messages. */
static int64_t sp_msg2_as(uint32_t op, uint64_t vm, uint64_t size,
			  uint64_t forged_sender, struct ffa_regs *r)
{
	regs_set(r, EL2_HVC_EL3_TEST, EL3_SIP_MSG2, SP, op, vm, size);
	r->x[6] = forged_sender;
	arm_hvc(r);
	return (int64_t)r->x[0];
}

static int64_t sp_msg2(uint32_t op, uint64_t vm, uint64_t size,
		       struct ffa_regs *r)
{
	return sp_msg2_as(op, vm, size, 0, r);
}

uint32_t msg2_sum(const uint8_t *p, uint32_t n)
{
	uint32_t h = 2166136261u;

	while (n--)
		h = (h ^ *p++) * 16777619u;
	return h;
}

/* The partition message header (DEN0077A 1.1 table 6.2; 1.2 adds a
 * reserved word and a UUID) at the start of the client's TX. */
void msg2_put_header(uint8_t *b, uint32_t hdr, uint32_t offset,
		     uint16_t sender, uint16_t receiver, uint32_t size)
{
	uint32_t i;

	for (i = 0; i < hdr; i++)
		b[i] = 0;
	ffa_put32(b + 8, offset);
	ffa_put32(b + 12, (uint32_t)sender << 16 | receiver);
	ffa_put32(b + 16, size);
	if (hdr == 40)
		for (i = 0; i < 16; i++)
			b[24 + i] = board_partitions[0].uuid[i];
}

/* A hostile MSG_SEND2 (the header as put, w1 as given): refused with
 * `want`, no SMC to EL3, 0x8001's mailbox as it was. */
static void hostile(const char *what, uint64_t w1, int32_t want)
{
	struct ffa_regs r, mb0, mb1;
	uint64_t n = smcs();

	sp_msg2(EL3_MSG2_MAILBOX, 0, 0, &mb0);
	smc6(&r, FFA_MSG_SEND2_32, w1, 0, 0, 0, 0);
	n = smcs() - n;
	sp_msg2(EL3_MSG2_MAILBOX, 0, 0, &mb1);
	check(ffa_err(&r) == want && regs_zero(&r, 3, 7) && n == 0 &&
		      mb0.x[0] == mb1.x[0] && mb0.x[1] == mb1.x[1],
	      "adversarial MSG_SEND2, %s -> %s, %lu SMCs, 0x8001's mailbox "
	      "unchanged",
	      what, status_name(ffa_err(&r)), n);
}

/* NOTIFICATION_GET with the SPM flag: w6 and the SMCs it took. */
static bool get_spm(struct ffa_regs *r, uint64_t *n)
{
	uint64_t before = smcs();

	smc6(r, FFA_NOTIFICATION_GET_32, EL1_ENDPOINT_ID, FFA_NOTIF_GET_SPM, 0,
	     0, 0);
	*n = smcs() - before;
	return r->x[0] == FFA_SUCCESS_32 && regs_zero(r, 1, 5) && r->x[7] == 0;
}

/* The client's RX holds 0x8001's message of `size` bytes in the
 * client's layout (nil UUID: the model's partition sends none), the
 * model's payload 0xa5 ^ i. */
bool msg2_rx_holds(uint32_t hdr, uint32_t size)
{
	const uint8_t *b = (const uint8_t *)(uintptr_t)cl.rx;
	bool good = ffa_get32(b) == 0 && ffa_get32(b + 4) == 0 &&
		    ffa_get32(b + 8) == hdr &&
		    ffa_get32(b + 12) == (SP << 16 | EL1_ENDPOINT_ID) &&
		    ffa_get32(b + 16) == size;
	uint32_t i;

	for (i = 20; i < hdr; i++)
		good = good && b[i] == 0;
	for (i = 0; i < size; i++)
		good = good && b[hdr + i] == (uint8_t)(0xa5 ^ i);
	return good;
}

void steps_msg2(void)
{
	const uint32_t hdr = cl.served >= FFA_VERSION_1_2 ? 40u : 20u;
	const uint32_t size = 24;
	/* The stub's rule (el2/hyp/main.c): a pair over a 1.1+ SPMC unless
	 * strict before any version lock. */
	bool pair = cl.spmc >= FFA_VERSION_1_1 && !(cl.strict && !cl.prelock);
	uint8_t *tx = (uint8_t *)(uintptr_t)cl.tx;
	uint32_t i, want_uuid;
	struct ffa_regs r, mb;
	uint64_t n;

	if (!pair || cl.served < FFA_VERSION_1_1) {
		smc6(&r, FFA_FEATURES_32, FFA_MSG_SEND2_32, 0, 0, 0, 0);
		check(ffa_err(&r) == FFA_NOT_SUPPORTED,
		      "FFA_FEATURES(MSG_SEND2) %s -> %s",
		      pair ? "at 1.0" : "without a bounce pair",
		      status_name(ffa_err(&r)));
		smc6(&r, FFA_MSG_SEND2_32, 0, 0, 0, 0, 0);
		check(ffa_err(&r) == FFA_NOT_SUPPORTED && regs_zero(&r, 3, 7),
		      "FFA_MSG_SEND2 %s -> %s",
		      pair ? "at 1.0" : "without a bounce pair",
		      status_name(ffa_err(&r)));
		return;
	}

	smc6(&r, FFA_FEATURES_32, FFA_MSG_SEND2_32, 0, 0, 0, 0);
	check(r.x[0] == FFA_SUCCESS_32 && regs_zero(&r, 1, 7),
	      "FFA_FEATURES(MSG_SEND2) with a bounce pair -> SUCCESS (0x%lx)",
	      r.x[0]);

	/* VM to partition: a 1.2 header carries 0x8001's UUID, which a 1.1
	 * SPMC's has no room for (the proxy drops it, logged). */
	msg2_put_header(tx, hdr, hdr, EL1_ENDPOINT_ID, SP, size);
	for (i = 0; i < size; i++)
		tx[hdr + i] = (uint8_t)(0x10 + i);
	n = smcs();
	smc6(&r, FFA_MSG_SEND2_32, 0, 0, 0, 0, 0);
	n = smcs() - n;
	check(r.x[0] == FFA_SUCCESS_32 && regs_zero(&r, 1, 7) && n == 1,
	      "FFA_MSG_SEND2 to 0x8001 (%u-byte header, %u bytes) -> 0x%lx, "
	      "%lu SMC",
	      hdr, size, r.x[0], n);
	want_uuid = cl.served >= FFA_VERSION_1_2 &&
				    cl.spmc_use >= FFA_VERSION_1_2
			    ? ffa_get32(board_partitions[0].uuid)
			    : 0;
	sp_msg2(EL3_MSG2_MAILBOX, 0, 0, &mb);
	check(mb.x[0] == 1 && (mb.x[1] & 1) &&
		      ((mb.x[1] >> 8) & 0xff) ==
			      (cl.spmc_use >= FFA_VERSION_1_2 ? 40u : 20u) &&
		      ((mb.x[1] >> 16) & 0xffff) == EL1_ENDPOINT_ID &&
		      mb.x[1] >> 32 == size &&
		      (uint32_t)mb.x[2] == msg2_sum(tx + hdr, size) &&
		      mb.x[2] >> 32 == want_uuid,
	      "EL3: 0x8001's mailbox holds it from VM 1 in the SPMC's layout, "
	      "payload and UUID intact (0x%lx 0x%lx)",
	      mb.x[1], mb.x[2]);

	msg2_put_header(tx, hdr, hdr, 2, SP, size);
	hostile("sender VM 2 in the header", 0, FFA_INVALID_PARAMETERS);
	msg2_put_header(tx, hdr, 4096, EL1_ENDPOINT_ID, SP, 1);
	hostile("payload offset 4096 (past the TX)", 0, FFA_INVALID_PARAMETERS);
	msg2_put_header(tx, hdr, hdr, EL1_ENDPOINT_ID, 0, size);
	hostile("receiver the host", 0, FFA_INVALID_PARAMETERS);
	msg2_put_header(tx, hdr, hdr, EL1_ENDPOINT_ID, SP, size);
	hostile("w1 sender VM id 1 (a hypervisor's)", 1u << 16,
		FFA_INVALID_PARAMETERS);

	n = smcs();
	smc6(&r, FFA_MSG_SEND2_32, 0, 0, 0, 0, 0);
	n = smcs() - n;
	check(ffa_err(&r) == FFA_BUSY && n == 1,
	      "FFA_MSG_SEND2 again, 0x8001's mailbox full -> %s (the SPMC's)",
	      status_name(ffa_err(&r)));
	check(sp_msg2(EL3_MSG2_RELEASE, 0, 0, &mb) == 0,
	      "EL3: 0x8001 takes its message");
	smc6(&r, FFA_MSG_SEND2_32, 0, 0, 0, 0, 0);
	sp_msg2(EL3_MSG2_MAILBOX, 0, 0, &mb);
	check(r.x[0] == FFA_SUCCESS_32 && mb.x[0] == 2 && (mb.x[1] & 1),
	      "FFA_MSG_SEND2 once it is free -> SUCCESS, 0x8001 received %lu",
	      mb.x[0]);
	sp_msg2(EL3_MSG2_RELEASE, 0, 0, &mb);

	/* Partition to VM: into the bounce RX at EL3, then into the
	 * client's RX at its NOTIFICATION_GET (2 SMCs: the GET, the bounce
	 * RX's release). */
	check(sp_msg2(EL3_MSG2_SEND, EL1_ENDPOINT_ID, 40, &r) == 0,
	      "EL3: 0x8001 sends VM 1 a message of 40 bytes");
	check(get_spm(&r, &n) && r.x[6] == FFA_NOTIF_FW_RX_FULL && n == 2 &&
		      msg2_rx_holds(hdr, 40),
	      "NOTIFICATION_GET(SPM) -> w6 RX buffer full (0x%lx), %lu SMCs; "
	      "the RX holds it in the client's layout",
	      r.x[6], n);
	check(sp_msg2(EL3_MSG2_SEND, EL1_ENDPOINT_ID, 16, &r) == 0,
	      "EL3: 0x8001 sends another of 16 bytes (the bounce RX free)");
	check(get_spm(&r, &n) && r.x[6] == 0 && n == 0 && msg2_rx_holds(hdr, 40),
	      "NOTIFICATION_GET(SPM) while the client holds its RX -> w6 0, "
	      "%lu SMCs, the RX untouched",
	      n);
	smc6(&r, FFA_RX_RELEASE_32, 0, 0, 0, 0, 0);
	check(ffa_ok(&r), "FFA_RX_RELEASE");
	check(get_spm(&r, &n) && r.x[6] == FFA_NOTIF_FW_RX_FULL && n == 2 &&
		      msg2_rx_holds(hdr, 16),
	      "NOTIFICATION_GET(SPM) -> the message that waited (w6 0x%lx)",
	      r.x[6]);
	smc6(&r, FFA_RX_RELEASE_32, 0, 0, 0, 0, 0);
	check(ffa_ok(&r), "FFA_RX_RELEASE");

	/* A misbehaving SPMC: the bounce RX's header names VM 2 as sender.
	 * Dropped (logged), the client's RX untouched, the bounce RX
	 * released all the same: the next message gets through. */
	check(sp_msg2_as(EL3_MSG2_SEND, EL1_ENDPOINT_ID, 8, 2, &r) == 0,
	      "EL3: 0x8001's message to VM 1 with a header naming VM 2 as "
	      "sender");
	check(get_spm(&r, &n) && r.x[6] == 0 && n == 2 && msg2_rx_holds(hdr, 16),
	      "NOTIFICATION_GET(SPM) -> dropped: w6 0, %lu SMCs (the bounce RX "
	      "released), the client's RX untouched",
	      n);
	check(sp_msg2(EL3_MSG2_SEND, EL1_ENDPOINT_ID, 12, &r) == 0 &&
		      get_spm(&r, &n) && r.x[6] == FFA_NOTIF_FW_RX_FULL &&
		      msg2_rx_holds(hdr, 12),
	      "then 0x8001's next message of 12 bytes is delivered (w6 0x%lx)",
	      r.x[6]);
	smc6(&r, FFA_RX_RELEASE_32, 0, 0, 0, 0, 0);
	check(ffa_ok(&r), "FFA_RX_RELEASE");
	check(get_spm(&r, &n) && r.x[6] == 0 && n == 1,
	      "NOTIFICATION_GET(SPM) -> nothing more (%lu SMC)", n);
}
