/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * The partition message header of FFA_MSG_SEND2 (DEN0077A 1.1 table 6.2
 * "Partition message header"; 1.2 adds a reserved word and a UUID).
 * Hafnium struct ffa_partition_rxtx_header, Linux struct
 * ffa_indirect_msg_hdr. The header sits at the start of the sender's TX
 * buffer (the receiver's RX buffer on delivery), the payload at `offset`.
 * Freestanding, stateless.
 *
 * Layout:
 *   0   u32 flags, reserved MBZ for a normal-world sender
 *   4   u32 reserved MBZ
 *   8   u32 offset of the payload from the start of the buffer
 *   12  u32 receiver id [15:0], sender id [31:16]
 *   16  u32 payload size in bytes
 *   1.1: 20 bytes. 1.2 and 1.3 add:
 *   20  u32 reserved MBZ (Linux fix "Fix the missing entry in struct
 *       ffa_indirect_msg_hdr", 2025)
 *   24  16-byte UUID of the protocol (nil: unspecified)
 *   40 bytes.
 *
 * Contract as in mem.h: `buf` is a private copy of the buffer; nothing
 * outside [buf, buf + len) is read; refusals fill a struct ffa_mem_error.
 */
#ifndef FFAPROXY_MSG2_H
#define FFAPROXY_MSG2_H

#include <ffaproxy/mem.h>

#define FFA_MSG2_HEADER_SIZE_V1_1 20u
#define FFA_MSG2_HEADER_SIZE_V1_2 40u

/* The normalised form: what a relay must preserve, then the layout. */
struct ffa_msg2 {
	uint16_t sender;
	uint16_t receiver;
	uint32_t size;     /* payload bytes */
	uint8_t uuid[16];  /* 1.2+ headers; zero from a 1.1 one */

	uint32_t version;     /* layout parsed: 1.1 or 1.2 */
	uint32_t header_size; /* 20 or 40 */
	uint32_t offset;      /* payload offset as given */
};

/* Header bytes for `version`: 20 for 1.1, 40 for 1.2 and 1.3, 0 when
 * the version has no MSG_SEND2 (1.0) or is not a 1.x version. */
uint32_t ffa_msg2_header_size(uint32_t version);

/*
 * Parse the header at the start of `len` bytes (the whole buffer) of a
 * message laid out for `version`. Returns 0, or a negative FF-A status
 * with `err` filled: NOT_SUPPORTED for 1.0, INVALID_PARAMETERS otherwise.
 * On success the payload is buf[out->offset .. out->offset + out->size).
 *
 * Enforced: header inside `len`; flags and reserved fields zero; sender
 * differs from receiver (Hafnium api_ffa_msg_send2); the payload starts
 * past the header of the sender's version (Hafnium
 * api_ffa_msg_send2_copy_data) and is not empty (Linux
 * handle_fwk_notif_callbacks refuses size 0); offset + size does not wrap
 * and lies inside `len`.
 * Not here (needs context): sender == caller, the receiver exists and its
 * RX buffer is large enough.
 */
int ffa_msg2_parse(uint32_t version, const uint8_t *buf, uint32_t len,
		   struct ffa_msg2 *out, struct ffa_mem_error *err);

/*
 * ffa_msg2_parse on a private copy of the header alone: `hdr_buf` holds
 * `hdr_len` bytes (at least the header of `version`, else refused), the
 * buffer it was copied from is `buf_len` bytes, against which offset and
 * size are checked. The payload is opaque and stays where it is: a relay
 * copies it once, after this check.
 */
int ffa_msg2_parse_header(uint32_t version, const uint8_t *hdr_buf,
			  uint32_t hdr_len, uint32_t buf_len,
			  struct ffa_msg2 *out, struct ffa_mem_error *err);

/*
 * Write the header of `m` in the layout of `version` with the payload
 * right after it (offset = header size); reserved fields zero; emitting
 * 1.1 drops the UUID. The caller copies the payload to
 * out + *len. Returns 0, NOT_SUPPORTED for 1.0, INVALID_PARAMETERS for
 * another unsupported version, NO_MEMORY when `cap` cannot hold the
 * header and m->size payload bytes (nothing written then).
 */
int ffa_msg2_emit(uint32_t version, const struct ffa_msg2 *m, uint8_t *out,
		  uint32_t cap, uint32_t *len);

/* True when a and b carry the same message: ids and size, and the UUID
 * when both headers had one (1.2+). */
bool ffa_msg2_same(const struct ffa_msg2 *a, const struct ffa_msg2 *b);

#endif /* FFAPROXY_MSG2_H */
