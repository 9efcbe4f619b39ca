/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * MSG_SEND2 partition message header codec (see include/ffaproxy/msg2.h).
 * Sources: DEN0077A 1.1 table 6.2 and its 1.2 successor; Hafnium
 * struct ffa_partition_rxtx_header, api_ffa_msg_send2() and
 * api_ffa_msg_send2_copy_data() (src/api.c); Linux struct
 * ffa_indirect_msg_hdr and handle_fwk_notif_callbacks()
 * (drivers/firmware/arm_ffa/driver.c).
 */
#include <ffaproxy/msg2.h>

#include "codec.h"

#define H_FLAGS 0
#define H_RESERVED0 4
#define H_OFFSET 8
#define H_IDS 12
#define H_SIZE 16
#define H_RESERVED1 20 /* 1.2+ */
#define H_UUID 24      /* 1.2+ */

#define BAD(why, value) \
	ffa_codec_refuse(err, FFA_INVALID_PARAMETERS, (why), (value))

uint32_t ffa_msg2_header_size(uint32_t version)
{
	int minor = ffa_codec_minor(version);

	if (minor <= 0)
		return 0;
	return minor == 1 ? FFA_MSG2_HEADER_SIZE_V1_1
			  : FFA_MSG2_HEADER_SIZE_V1_2;
}

static int check_version(uint32_t version, struct ffa_mem_error *err)
{
	return ffa_codec_since_1_1(version, "no FFA_MSG_SEND2 in FF-A 1.0", err);
}

int ffa_msg2_parse(uint32_t version, const uint8_t *buf, uint32_t len,
		   struct ffa_msg2 *out, struct ffa_mem_error *err)
{
	return ffa_msg2_parse_header(version, buf, len, len, out, err);
}

int ffa_msg2_parse_header(uint32_t version, const uint8_t *hdr_buf,
			  uint32_t hdr_len, uint32_t buf_len,
			  struct ffa_msg2 *out, struct ffa_mem_error *err)
{
	uint32_t hdr, ids, i;
	int st;

	ffa_codec_clear(out, sizeof(*out));
	st = check_version(version, err);
	if (st)
		return st;
	hdr = ffa_msg2_header_size(version);
	if (buf_len < hdr || hdr_len < hdr)
		return BAD("buffer shorter than the message header",
			   buf_len < hdr ? buf_len : hdr_len);
	out->version = hdr == FFA_MSG2_HEADER_SIZE_V1_1 ? FFA_VERSION_1_1
							: FFA_VERSION_1_2;
	out->header_size = hdr;
	/* Flags are for secure senders only (Hafnium: "flags must be
	 * zero" for VM senders); the reserved words MBZ. */
	if (ffa_get32(hdr_buf + H_FLAGS))
		return BAD("message flags not zero", ffa_get32(hdr_buf + H_FLAGS));
	if (ffa_get32(hdr_buf + H_RESERVED0))
		return BAD("message header reserved field not zero",
			   H_RESERVED0);
	if (hdr == FFA_MSG2_HEADER_SIZE_V1_2 && ffa_get32(hdr_buf + H_RESERVED1))
		return BAD("message header reserved field not zero",
			   H_RESERVED1);
	ids = ffa_get32(hdr_buf + H_IDS);
	out->receiver = (uint16_t)ids;
	out->sender = (uint16_t)(ids >> 16);
	out->offset = ffa_get32(hdr_buf + H_OFFSET);
	out->size = ffa_get32(hdr_buf + H_SIZE);
	if (hdr == FFA_MSG2_HEADER_SIZE_V1_2) {
		for (i = 0; i < 16; i++)
			out->uuid[i] = hdr_buf[H_UUID + i];
	}
	/* "Disallow reflexive requests" (Hafnium api_ffa_msg_send2). */
	if (out->sender == out->receiver)
		return BAD("message sender and receiver are the same",
			   out->sender);
	if (out->offset < hdr)
		return BAD("message payload overlaps the header", out->offset);
	if (out->size == 0)
		return BAD("empty message", 0);
	/* No wrap: both are 32-bit, the sum is taken in 64 bits. */
	if ((uint64_t)out->offset + out->size > buf_len)
		return BAD("message payload past the buffer",
			   (uint64_t)out->offset + out->size);
	return 0;
}

int ffa_msg2_emit(uint32_t version, const struct ffa_msg2 *m, uint8_t *out,
		  uint32_t cap, uint32_t *len)
{
	uint32_t hdr, i;
	int st = check_version(version, NULL);

	if (st)
		return st;
	hdr = ffa_msg2_header_size(version);
	if ((uint64_t)hdr + m->size > cap)
		return FFA_NO_MEMORY;
	ffa_codec_clear(out, hdr);
	ffa_put32(out + H_OFFSET, hdr);
	ffa_put32(out + H_IDS, ((uint32_t)m->sender << 16) | m->receiver);
	ffa_put32(out + H_SIZE, m->size);
	if (hdr == FFA_MSG2_HEADER_SIZE_V1_2) {
		for (i = 0; i < 16; i++)
			out[H_UUID + i] = m->uuid[i];
	}
	*len = hdr;
	return 0;
}

bool ffa_msg2_same(const struct ffa_msg2 *a, const struct ffa_msg2 *b)
{
	uint32_t i;

	if (a->sender != b->sender || a->receiver != b->receiver ||
	    a->size != b->size)
		return false;
	if (a->header_size == FFA_MSG2_HEADER_SIZE_V1_2 &&
	    b->header_size == FFA_MSG2_HEADER_SIZE_V1_2) {
		for (i = 0; i < 16; i++)
			if (a->uuid[i] != b->uuid[i])
				return false;
	}
	return true;
}
