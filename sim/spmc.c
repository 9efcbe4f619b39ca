/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * The SPMC model: SMCCC discovery, FF-A version negotiation, discovery,
 * the normal world's RX/TX pair and direct messages, strictly as the
 * configured FF-A version. Memory management lives in spmc_mem.c.
 *
 * Conventions of every reply: x0..x17 start at zero and only the registers
 * a call defines are set; SMC32 calls read only the low 32 bits of x1..x7
 * and write only 32-bit values.
 */
#include "sim/spmc.h"

#define SMCCC_UNKNOWN 0xffffffffu /* -1 as w0, zero-extended */

/* Which widths of a function id exist. */
#define W32 1u
#define W64 2u

/*
 * What this model implements: function number, first version that has it,
 * widths. Everything else in 0x60..0xEF is NOT_SUPPORTED. Being absent
 * here is also what FFA_FEATURES reports.
 */
struct spmc_fn {
	uint8_t fn;
	uint8_t widths;
	uint32_t since;
};

static const struct spmc_fn spmc_fns[] = {
	{ FFA_FN_VERSION, W32, FFA_VERSION_1_0 },
	{ FFA_FN_FEATURES, W32, FFA_VERSION_1_0 },
	{ FFA_FN_RX_RELEASE, W32, FFA_VERSION_1_0 },
	{ FFA_FN_RXTX_MAP, W32 | W64, FFA_VERSION_1_0 },
	{ FFA_FN_RXTX_UNMAP, W32, FFA_VERSION_1_0 },
	{ FFA_FN_PARTITION_INFO_GET, W32, FFA_VERSION_1_0 },
	{ FFA_FN_ID_GET, W32, FFA_VERSION_1_0 },
	{ FFA_FN_RUN, W32, FFA_VERSION_1_0 },
	{ FFA_FN_MSG_SEND_DIRECT_REQ, W32 | W64, FFA_VERSION_1_0 },
	{ FFA_FN_MEM_DONATE, W32 | W64, FFA_VERSION_1_0 },
	{ FFA_FN_MEM_LEND, W32 | W64, FFA_VERSION_1_0 },
	{ FFA_FN_MEM_SHARE, W32 | W64, FFA_VERSION_1_0 },
	{ FFA_FN_MEM_RETRIEVE_REQ, W32 | W64, FFA_VERSION_1_0 },
	{ FFA_FN_MEM_RECLAIM, W32, FFA_VERSION_1_0 },
	{ FFA_FN_MEM_FRAG_RX, W32, FFA_VERSION_1_0 },
	{ FFA_FN_MEM_FRAG_TX, W32, FFA_VERSION_1_0 },
	{ FFA_FN_NOTIFICATION_BITMAP_CREATE, W32, FFA_VERSION_1_1 },
	{ FFA_FN_NOTIFICATION_BITMAP_DESTROY, W32, FFA_VERSION_1_1 },
	{ FFA_FN_NOTIFICATION_BIND, W32, FFA_VERSION_1_1 },
	{ FFA_FN_NOTIFICATION_UNBIND, W32, FFA_VERSION_1_1 },
	{ FFA_FN_NOTIFICATION_SET, W32, FFA_VERSION_1_1 },
	{ FFA_FN_NOTIFICATION_GET, W32, FFA_VERSION_1_1 },
	{ FFA_FN_NOTIFICATION_INFO_GET, W32 | W64, FFA_VERSION_1_1 },
	{ FFA_FN_SPM_ID_GET, W32, FFA_VERSION_1_1 },
	{ FFA_FN_MSG_SEND2, W32, FFA_VERSION_1_1 },
	{ FFA_FN_PARTITION_INFO_GET_REGS, W64, FFA_VERSION_1_2 },
	{ FFA_FN_MSG_SEND_DIRECT_REQ2, W64, FFA_VERSION_1_2 },
};

/* Calls that use x8..x17 exist only when the firmware speaks SMCCC 1.2. */
static bool needs_x8_x17(uint32_t fn)
{
	return fn == FFA_FN_PARTITION_INFO_GET_REGS ||
	       fn == FFA_FN_MSG_SEND_DIRECT_REQ2;
}

bool spmc_implements(const struct spmc *s, uint32_t id, uint32_t version)
{
	uint32_t fn = ffa_fn(id), i;
	uint8_t width = ffa_is_smc64(id) ? W64 : W32;

	if (!ffa_is_ffa_call(id))
		return false;
	if (needs_x8_x17(fn) && s->smccc_version < SMCCC_VERSION_1_2)
		return false;
	if (s->lacks[fn & 0xffu])
		return false;
	for (i = 0; i < sizeof(spmc_fns) / sizeof(spmc_fns[0]); i++)
		if (spmc_fns[i].fn == fn)
			return (spmc_fns[i].widths & width) &&
			       version >= spmc_fns[i].since &&
			       s->version >= spmc_fns[i].since;
	return false;
}

void spmc_init(struct spmc *s, uint32_t version, const struct spmc_mem_ops *mem,
	       void *mem_ctx)
{
	uint8_t *b = (uint8_t *)s;
	size_t i;

	for (i = 0; i < sizeof(*s); i++)
		b[i] = 0;
	s->version = version;
	s->smccc_version = SMCCC_VERSION_1_2;
	s->mem = mem;
	s->mem_ctx = mem_ctx;
	/* Before any FFA_VERSION the normal world is served at 1.0 (as
	 * Hafnium does; ffa-facts section 1). */
	s->ns_version = FFA_VERSION_1_0;
}

int spmc_add_partition(struct spmc *s, uint16_t id, const uint8_t uuid[16],
		       uint16_t exec_ctx, uint32_t props)
{
	struct spmc_partition *p;
	uint32_t i;

	if (s->part_count >= SPMC_MAX_PARTITIONS || !ffa_id_is_secure(id) ||
	    id == SPMC_ID)
		return -1;
	for (i = 0; i < s->part_count; i++)
		if (s->parts[i].id == id)
			return -1;
	p = &s->parts[s->part_count++];
	p->id = id;
	for (i = 0; i < 16; i++)
		p->uuid[i] = uuid[i];
	p->exec_ctx = exec_ctx;
	p->props = props;
	return 0;
}

const struct spmc_partition *spmc_find_partition(const struct spmc *s,
						 uint16_t id)
{
	uint32_t i;

	for (i = 0; i < s->part_count; i++)
		if (s->parts[i].id == id)
			return &s->parts[i];
	return NULL;
}

void spmc_error(struct ffa_regs *out, int32_t code)
{
	out->x[0] = FFA_ERROR_32;
	out->x[2] = (uint32_t)code;
}

void spmc_success32(struct ffa_regs *out, uint32_t w2, uint32_t w3)
{
	out->x[0] = FFA_SUCCESS_32;
	out->x[2] = w2;
	out->x[3] = w3;
}

/* ---- Version negotiation (DEN0077A 1.2 13.2.1; lock rule per ff-a-acs) */

static void handle_version(struct spmc *s, const struct ffa_regs *in,
			   struct ffa_regs *out)
{
	uint32_t want = (uint32_t)in->x[1];
	uint32_t resolved;

	if ((want & 0x80000000u) ||
	    ffa_version_major(want) != ffa_version_major(s->version)) {
		out->x[0] = SMCCC_UNKNOWN;
		return;
	}
	if (want > s->version && s->newer_version == SPMC_NEWER_REFUSE) {
		out->x[0] = SMCCC_UNKNOWN;
		return;
	}
	if (want > s->version && s->newer_version == SPMC_NEWER_UNRECORDED) {
		out->x[0] = s->version;
		return;
	}
	resolved = want < s->version ? want : s->version;
	if (s->ns_locked && resolved != s->ns_version) {
		out->x[0] = SMCCC_UNKNOWN;
		return;
	}
	s->ns_version = resolved;
	s->ns_version_set = true;
	out->x[0] = s->version;
}

/* ---- Discovery */

static void handle_features(struct spmc *s, const struct ffa_regs *in,
			    struct ffa_regs *out)
{
	uint32_t id = (uint32_t)in->x[1];

	/* Feature ids (bit 31 clear) name interrupts: spmc_notif.c. */
	if (!(id & 0x80000000u)) {
		spmc_notif_features(s, id, out);
		return;
	}
	if (!spmc_implements(s, id, s->ns_version)) {
		if (s->lacks[ffa_fn(id) & 0xffu] &&
		    (s->lacks_unknown[ffa_fn(id) & 0xffu] &
		     SPMC_LACKS_FEATURES_UNKNOWN))
			out->x[0] = ~(uint64_t)0; /* SMCCC unknown, as TF-A */
		else
			spmc_error(out, FFA_NOT_SUPPORTED);
		return;
	}
	/* RXTX_MAP w2[1:0] = 0: 4 KiB minimum size and alignment; every
	 * other implemented function has no interface properties here. */
	spmc_success32(out, 0, 0);
}

static void uuid_from_words(uint8_t uuid[16], const uint32_t w[4])
{
	uint32_t i;

	for (i = 0; i < 4; i++)
		ffa_put32(uuid + 4 * i, w[i]);
}

static bool uuid_is_nil(const uint8_t uuid[16])
{
	uint32_t i;

	for (i = 0; i < 16; i++)
		if (uuid[i])
			return false;
	return true;
}

static bool uuid_matches(const struct spmc_partition *p,
			 const uint8_t uuid[16])
{
	uint32_t i;

	if (uuid_is_nil(uuid))
		return true;
	for (i = 0; i < 16; i++)
		if (p->uuid[i] != uuid[i])
			return false;
	return true;
}

/* Properties as the negotiated version defines them: 1.0 has bits 0..2,
 * 1.2 added DIRECT_REQ2 receive/send (bits 9, 10). */
uint32_t spmc_props_at(uint32_t props, uint32_t version)
{
	if (version < FFA_VERSION_1_1)
		return props & 0x7u;
	if (version < FFA_VERSION_1_2)
		return props & ~(FFA_PART_PROP_DIRECT_REQ2_RECV |
				 FFA_PART_PROP_DIRECT_REQ2_SEND);
	return props;
}

static const uint8_t zero_chunk[256];

/* Zero [pa, pa + len) of normal-world memory. */
int spmc_mem_zero(struct spmc *s, uint64_t pa, uint64_t len)
{
	while (len) {
		size_t n = len < sizeof(zero_chunk) ? (size_t)len
						    : sizeof(zero_chunk);

		if (s->mem->write(s->mem_ctx, pa, zero_chunk, n))
			return -1;
		pa += n;
		len -= n;
	}
	return 0;
}

static void partition_info_get_reply(struct spmc *s,
				     const struct ffa_regs *in,
				     struct ffa_regs *out)
{
	uint32_t words[4], flags = (uint32_t)in->x[5];
	uint32_t count = 0, size, i, written = 0, claimed;
	uint64_t rx_size;
	uint8_t uuid[16], desc[FFA_PARTITION_INFO_SIZE_V1_1];
	bool count_only;

	for (i = 0; i < 4; i++)
		words[i] = (uint32_t)in->x[1 + i];
	uuid_from_words(uuid, words);
	/* w5 bit 0 (count only) exists from 1.1; every other bit is MBZ. */
	if (s->ns_version < FFA_VERSION_1_1 ? flags != 0
					    : (flags & ~FFA_PARTITION_INFO_GET_COUNT_ONLY)) {
		spmc_error(out, FFA_INVALID_PARAMETERS);
		return;
	}
	count_only = flags & FFA_PARTITION_INFO_GET_COUNT_ONLY;
	for (i = 0; i < s->part_count; i++)
		if (uuid_matches(&s->parts[i], uuid))
			count++;
	if (!count) {
		spmc_error(out, FFA_INVALID_PARAMETERS);
		return;
	}
	claimed = s->info_count_claim ? s->info_count_claim : count;
	if (count_only) {
		/* w3 MBZ with the count-only flag (Hafnium's
		 * ffa_partition_info_get_count_flag test). */
		spmc_success32(out, claimed, 0);
		return;
	}
	if (!s->rxtx_mapped || s->rx_held_by_ns) {
		spmc_error(out, FFA_BUSY);
		return;
	}
	size = s->ns_version < FFA_VERSION_1_1 ? FFA_PARTITION_INFO_SIZE_V1_0
					       : FFA_PARTITION_INFO_SIZE_V1_1;
	rx_size = (uint64_t)s->rxtx_pages * FFA_PAGE_SIZE;
	if ((uint64_t)count * size > rx_size) {
		spmc_error(out, FFA_NO_MEMORY);
		return;
	}
	for (i = 0; i < s->part_count; i++) {
		const struct spmc_partition *p = &s->parts[i];
		uint32_t j;

		if (!uuid_matches(p, uuid))
			continue;
		ffa_put16(desc, p->id);
		ffa_put16(desc + 2, p->exec_ctx);
		ffa_put32(desc + 4, spmc_props_at(p->props, s->ns_version));
		for (j = 0; j < 16; j++)
			desc[8 + j] = p->uuid[j];
		if (s->mem->write(s->mem_ctx, s->rx_pa + (uint64_t)written * size,
				  desc, size)) {
			spmc_error(out, FFA_ABORTED);
			return;
		}
		written++;
	}
	/* The producer zeroes what it does not fill (1.3 4.10). */
	if (spmc_mem_zero(s, s->rx_pa + (uint64_t)count * size,
			  rx_size - (uint64_t)count * size)) {
		spmc_error(out, FFA_ABORTED);
		return;
	}
	s->rx_held_by_ns = true;
	spmc_success32(out, claimed,
		       s->ns_version < FFA_VERSION_1_1 ? 0 : size);
}

static void handle_partition_info_get(struct spmc *s,
				      const struct ffa_regs *in,
				      struct ffa_regs *out)
{
	partition_info_get_reply(s, in, out);
	if (s->info_error_gives_rx && s->rxtx_mapped &&
	    !((uint32_t)in->x[5] & FFA_PARTITION_INFO_GET_COUNT_ONLY) &&
	    (uint32_t)out->x[0] == FFA_ERROR_32)
		s->rx_held_by_ns = true;
}

/* PARTITION_INFO_GET_REGS (1.2 13.x): up to five 24-byte descriptors packed
 * three registers each in x3..x17. */
#define INFO_REGS_PER_CALL 5u

static void handle_partition_info_get_regs(struct spmc *s,
					   const struct ffa_regs *in,
					   struct ffa_regs *out)
{
	uint8_t uuid[16];
	uint32_t words[4], i, count = 0, start, last_written = 0, n = 0;
	uint64_t x3 = in->x[3];

	words[0] = (uint32_t)in->x[1];
	words[1] = (uint32_t)(in->x[1] >> 32);
	words[2] = (uint32_t)in->x[2];
	words[3] = (uint32_t)(in->x[2] >> 32);
	uuid_from_words(uuid, words);
	start = (uint32_t)(x3 & 0xffffu);
	/* x3[63:32] is reserved; the tag [31:16] is 0: this model never
	 * changes its partition list between calls and hands out no tag, so
	 * any other is RETRY, as Hafnium answers. */
	if (x3 >> 32) {
		spmc_error(out, FFA_INVALID_PARAMETERS);
		return;
	}
	if (x3 >> 16) {
		spmc_error(out, FFA_RETRY);
		return;
	}
	for (i = 0; i < s->part_count; i++)
		if (uuid_matches(&s->parts[i], uuid))
			count++;
	if (!count || start >= count) {
		spmc_error(out, FFA_INVALID_PARAMETERS);
		return;
	}
	for (i = 0, count = 0; i < s->part_count; i++) {
		const struct spmc_partition *p = &s->parts[i];

		if (!uuid_matches(p, uuid))
			continue;
		if (count >= start && n < INFO_REGS_PER_CALL) {
			out->x[3 + 3 * n] =
				p->id | ((uint64_t)p->exec_ctx << 16) |
				((uint64_t)spmc_props_at(p->props, s->ns_version)
				 << 32);
			out->x[4 + 3 * n] = ffa_get64(p->uuid);
			out->x[5 + 3 * n] = ffa_get64(p->uuid + 8);
			last_written = count;
			n++;
		}
		count++;
	}
	out->x[0] = FFA_SUCCESS_64;
	out->x[2] = (uint64_t)(count - 1) | ((uint64_t)last_written << 16) |
		    ((uint64_t)FFA_PARTITION_INFO_SIZE_V1_1 << 48);
}

/* ---- RX/TX buffers */

#define SPMC_MAX_RXTX_PAGES 64u

struct spmc_vm_mbox *spmc_vm_mbox(struct spmc *s, uint16_t id)
{
	uint32_t i;

	for (i = 0; i < SPMC_VM_MBOXES; i++)
		if (s->vm_mbox[i].used && s->vm_mbox[i].id == id)
			return &s->vm_mbox[i];
	return NULL;
}


/* One composite of the endpoint RX/TX descriptor at `off` of `d` (`len`
 * bytes): exactly one range (Hafnium reads only the first), its page
 * count the composite's, 4 KiB aligned, reserved fields zero. */
static bool desc_buffer(const uint8_t *d, uint32_t len, uint32_t off,
			uint64_t *base, uint32_t *pages)
{
	if (off % 8 || off < 16 || off > len || len - off < 32)
		return false;
	*pages = ffa_get32(d + off);
	*base = ffa_get64(d + off + 16);
	return ffa_get32(d + off + 4) == 1 && !ffa_get64(d + off + 8) &&
	       ffa_get32(d + off + 24) == *pages && !ffa_get32(d + off + 28) &&
	       *pages >= 1 && *pages <= SPMC_MAX_RXTX_PAGES &&
	       !(*base % FFA_PAGE_SIZE) &&
	       *base <= UINT64_MAX - (uint64_t)*pages * FFA_PAGE_SIZE;
}

/*
 * The forwarded FFA_RXTX_MAP (x1 = x2 = w3 = 0): a hypervisor maps a VM's
 * pair, described by the endpoint RX/TX descriptor (DEN0077A 1.1 table
 * 13.27) in the normal world's TX (Hafnium api_ffa_rxtx_map at the SPMC).
 * Strictly: the normal world's pair mapped (else DENIED), FF-A 1.1+;
 * the id a VM not mapped yet (else DENIED), reserved fields zero, each
 * buffer one range, the same size, apart. TF-A's EL3 SPMC has no such
 * call (a plain RXTX_MAP of zero pages: INVALID_PARAMETERS).
 */
#define SPMC_DESC_MAX 128u
static void rxtx_map_forwarded(struct spmc *s, struct ffa_regs *out)
{
	uint8_t d[SPMC_DESC_MAX];
	uint32_t len, rx_pages, tx_pages, i;
	uint64_t rx, tx, size;
	struct spmc_vm_mbox *mb = NULL;
	uint16_t id;

	if (spmc_fail_knob(s, FFA_FN_RXTX_MAP, out))
		return;
	if (!s->rxtx_mapped) {
		spmc_error(out, FFA_DENIED);
		return;
	}
	if (s->ns_version < FFA_VERSION_1_1) {
		spmc_error(out, FFA_INVALID_PARAMETERS);
		return;
	}
	len = s->rxtx_pages * FFA_PAGE_SIZE < SPMC_DESC_MAX
		      ? s->rxtx_pages * FFA_PAGE_SIZE
		      : SPMC_DESC_MAX;
	if (s->mem->read(s->mem_ctx, s->tx_pa, d, len)) {
		spmc_error(out, FFA_ABORTED);
		return;
	}
	id = ffa_get16(d);
	if (id == 0 || ffa_id_is_secure(id) || ffa_get16(d + 2) ||
	    ffa_get32(d + 12) ||
	    !desc_buffer(d, len, ffa_get32(d + 4), &rx, &rx_pages) ||
	    !desc_buffer(d, len, ffa_get32(d + 8), &tx, &tx_pages) ||
	    rx_pages != tx_pages) {
		spmc_error(out, FFA_INVALID_PARAMETERS);
		return;
	}
	size = (uint64_t)rx_pages * FFA_PAGE_SIZE;
	if (tx < rx + size && rx < tx + size) {
		spmc_error(out, FFA_INVALID_PARAMETERS);
		return;
	}
	if (spmc_vm_mbox(s, id)) {
		spmc_error(out, FFA_DENIED);
		return;
	}
	for (i = 0; i < SPMC_VM_MBOXES && !mb; i++)
		if (!s->vm_mbox[i].used)
			mb = &s->vm_mbox[i];
	if (!mb) {
		spmc_error(out, FFA_NO_MEMORY);
		return;
	}
	*mb = (struct spmc_vm_mbox){ .used = true, .id = id, .tx_pa = tx,
				     .rx_pa = rx, .pages = rx_pages };
	spmc_success32(out, 0, 0);
}

/* A normal-world pair an earlier boot stage (a bootloader, a previous
 * hypervisor) mapped and never unmapped: one page each, below the
 * simulated platform's memory, so the model never writes through it. */
void spmc_stale_pair(struct spmc *s)
{
	s->rxtx_mapped = true;
	s->tx_pa = 0x1000;
	s->rx_pa = 0x2000;
	s->rxtx_pages = 1;
	s->rx_held_by_ns = false;
}

static void handle_rxtx_map(struct spmc *s, const struct ffa_regs *in,
			    struct ffa_regs *out)
{
	uint64_t tx = in->x[1], rx = in->x[2], size;
	uint32_t pages = (uint32_t)in->x[3];

	if (!tx && !rx && !pages && s->version >= FFA_VERSION_1_1) {
		rxtx_map_forwarded(s, out);
		return;
	}
	if (s->rxtx_mapped) {
		spmc_error(out, FFA_DENIED);
		return;
	}
	if (pages < 1 || pages > SPMC_MAX_RXTX_PAGES ||
	    (tx | rx) % FFA_PAGE_SIZE) {
		spmc_error(out, FFA_INVALID_PARAMETERS);
		return;
	}
	size = (uint64_t)pages * FFA_PAGE_SIZE;
	if (tx > UINT64_MAX - size || rx > UINT64_MAX - size ||
	    (tx < rx + size && rx < tx + size)) {
		spmc_error(out, FFA_INVALID_PARAMETERS);
		return;
	}
	s->rxtx_mapped = true;
	s->tx_pa = tx;
	s->rx_pa = rx;
	s->rxtx_pages = pages;
	s->rx_held_by_ns = false;
	spmc_success32(out, 0, 0);
}

static void handle_rxtx_unmap(struct spmc *s, const struct ffa_regs *in,
			      struct ffa_regs *out)
{
	const uint32_t w1 = (uint32_t)in->x[1];
	struct spmc_vm_mbox *mb;

	/* w1[31:16] names a VM whose pair a hypervisor mapped (forwarded
	 * RXTX_MAP); a message still in its RX goes with it. [15:0] MBZ. */
	if (w1 >> 16) {
		if (spmc_fail_knob(s, FFA_FN_RXTX_UNMAP, out))
			return;
		mb = spmc_vm_mbox(s, (uint16_t)(w1 >> 16));
		if ((w1 & 0xffffu) || !mb) {
			spmc_error(out, FFA_INVALID_PARAMETERS);
			return;
		}
		*mb = (struct spmc_vm_mbox){ 0 };
		spmc_success32(out, 0, 0);
		return;
	}
	if (w1 || !s->rxtx_mapped) {
		spmc_error(out, FFA_INVALID_PARAMETERS);
		return;
	}
	s->rxtx_mapped = false;
	s->rx_held_by_ns = false;
	s->tx_pa = s->rx_pa = 0;
	s->rxtx_pages = 0;
	spmc_success32(out, 0, 0);
}

static void handle_rx_release(struct spmc *s, const struct ffa_regs *in,
			      struct ffa_regs *out)
{
	const uint32_t w1 = (uint32_t)in->x[1];
	struct spmc_vm_mbox *mb;

	/* w1: the receiver whose RX a hypervisor releases (Hafnium
	 * api_ffa_rx_release); a VM's, its pair mapped. As for id 0, its
	 * RX buffer full must have been taken first. */
	if (w1) {
		mb = spmc_vm_mbox(s, (uint16_t)w1);
		if ((w1 >> 16) || !mb) {
			spmc_error(out, FFA_INVALID_PARAMETERS);
			return;
		}
		if (!mb->full || mb->spm_pending) {
			spmc_error(out, FFA_DENIED);
			return;
		}
		mb->full = false;
		spmc_success32(out, 0, 0);
		return;
	}
	/* A full RX with an SPM framework notification pending (RX buffer
	 * full) stays the receiver's: it must take the notification first
	 * (Hafnium api_release_mailbox, vm_are_fwk_notifications_pending),
	 * whether or not id 0 has a bitmap. */
	if (!s->rx_held_by_ns || s->ns_spm_pending) {
		spmc_error(out, FFA_DENIED);
		return;
	}
	s->rx_held_by_ns = false;
	spmc_success32(out, 0, 0);
}

/*
 * FFA_MSG_SEND2 of partition `sp` to a normal-world receiver, as Hafnium's
 * SPMC serves it (api_ffa_msg_send2): FF-A 1.1+ at both ends
 * (ffa_indirect_msg_is_supported: the normal world's negotiated version,
 * the sender's manifest property), then the receiver's RX must be mapped
 * and empty (vm_is_mailbox_busy). Id 0 is the normal world's own pair, the
 * one the proxy maps; a VM id is known to the SPMC only through its
 * notification bitmap (Hafnium's nwd_vms), and never has a buffer here, as
 * the proxy maps no caller's. The message is a partition message header
 * of the normal world's version (DEN0077A 1.1: 20 bytes, flags, reserved,
 * payload offset, sender in [31:16] and receiver in [15:0], payload size;
 * 1.2 adds a reserved word and a UUID, nil here: 40) and `size` payload
 * bytes; the RX then belongs to the normal world and the SPM framework
 * notification RX buffer full is pending for id 0, with or without its
 * bitmap (Hafnium sets it for any VM receiver; ns_spm_pending).
 */
#define SPMC_MSG_HDR_MAX 40u

int spmc_sp_msg_send2(struct spmc *s, uint16_t sp, uint16_t receiver,
		      uint32_t size)
{
	return spmc_sp_msg_send2_ex(s, sp, receiver, size, NULL);
}

int spmc_sp_msg_send2_ex(struct spmc *s, uint16_t sp, uint16_t receiver,
			 uint32_t size, const struct spmc_msg2_opts *o)
{
	const struct spmc_partition *p = spmc_find_partition(s, sp);
	struct spmc_vm_mbox *mb = receiver ? spmc_vm_mbox(s, receiver) : NULL;
	uint8_t buf[SPMC_MSG_HDR_MAX];
	uint64_t rx_size = (uint64_t)s->rxtx_pages * FFA_PAGE_SIZE;
	uint64_t rx_pa = s->rx_pa;
	uint32_t i, hdr = s->ns_version == FFA_VERSION_1_1 ? 20u : 40u;

	if (s->version < FFA_VERSION_1_1)
		return FFA_NOT_SUPPORTED;
	if (!p || ffa_id_is_secure(receiver) ||
	    (receiver != 0 && !mb && !spmc_notif_bitmap(s, receiver)))
		return FFA_INVALID_PARAMETERS;
	if (s->ns_version < FFA_VERSION_1_1 ||
	    !(p->props & FFA_PART_PROP_INDIRECT_MSG))
		return FFA_DENIED;
	/* A VM: into its own RX, mapped by a forwarded RXTX_MAP. */
	if (receiver != 0 && (!mb || mb->full))
		return FFA_BUSY;
	if (receiver == 0 && (!s->rxtx_mapped || s->rx_held_by_ns))
		return FFA_BUSY;
	if (mb) {
		rx_size = (uint64_t)mb->pages * FFA_PAGE_SIZE;
		rx_pa = mb->rx_pa;
	}
	if (o && (o->set & SPMC_MSG2_SENDER_V11))
		hdr = 20u;
	if ((uint64_t)hdr + size > rx_size)
		return FFA_INVALID_PARAMETERS;
	for (i = 0; i < SPMC_MSG_HDR_MAX; i++)
		buf[i] = 0;
	ffa_put32(buf + 8, hdr);
	ffa_put32(buf + 12, (uint32_t)sp << 16 | receiver);
	ffa_put32(buf + 16, size);
	if (o) {
		uint32_t set = o->set;

		if (hdr == 40u)
			for (i = 0; i < 16; i++)
				buf[24 + i] = o->uuid[i];
		if (set & SPMC_MSG2_SET_FLAGS)
			ffa_put32(buf, o->flags);
		if (set & SPMC_MSG2_SET_OFFSET)
			ffa_put32(buf + 8, o->offset);
		if (set & SPMC_MSG2_SET_SIZE)
			ffa_put32(buf + 16, o->size);
		if (set & (SPMC_MSG2_SET_SENDER | SPMC_MSG2_SET_RECEIVER))
			ffa_put32(buf + 12,
				  (uint32_t)((set & SPMC_MSG2_SET_SENDER)
						     ? o->sender
						     : sp)
						  << 16 |
					  ((set & SPMC_MSG2_SET_RECEIVER)
						   ? o->receiver
						   : receiver));
	}
	if (s->mem->write(s->mem_ctx, rx_pa, buf, hdr))
		return FFA_ABORTED;
	for (i = 0; i < size; i++) {
		uint8_t byte = (uint8_t)(0xa5 ^ i);

		if (s->mem->write(s->mem_ctx, rx_pa + hdr + i, &byte, 1))
			return FFA_ABORTED;
	}
	if (mb) {
		mb->full = true;
		mb->spm_pending |= FFA_NOTIF_FW_RX_FULL;
		mb->reported = false;
		mb->msg_count++;
		return 0;
	}
	s->rx_held_by_ns = true;
	(void)spmc_spm_notif_set(s, 0, FFA_NOTIF_FW_RX_FULL);
	return 0;
}

int spmc_sp_msg_release(struct spmc *s, uint16_t sp)
{
	uint32_t i;

	for (i = 0; i < s->part_count; i++) {
		if (s->parts[i].id == sp) {
			s->parts[i].msg.full = false;
			return 0;
		}
	}
	return -1;
}

/*
 * FFA_MSG_SEND2 from the normal world, as Hafnium's SPMC serves it
 * (api_ffa_msg_send2, api_ffa_msg_send2_copy_data), strictly in the
 * layout of the normal world's negotiated version: w1 (the sender VM id a
 * hypervisor forwarding would set: this model maps no VM's buffers), w2
 * (flags: a partition sender's) and w3..w7 zero; the TX mapped (else
 * DENIED); the header's sender the normal world (0), receiver another id,
 * payload offset past the header, offset + size without wrap and within
 * FFA_MSG_PAYLOAD_MAX; the receiver a partition (else INVALID_PARAMETERS)
 * that takes indirect messages (else DENIED), its mailbox empty (else
 * BUSY). The model also refuses what Hafnium lets through unchecked: the
 * flags and reserved words of the header set, a 1.2 header's reserved
 * word, an empty payload.
 */
static uint32_t fnv1a(uint32_t h, uint8_t b)
{
	return (h ^ b) * 16777619u;
}

static void handle_msg_send2(struct spmc *s, const struct ffa_regs *in,
			     struct ffa_regs *out)
{
	uint32_t hdr = s->ns_version == FFA_VERSION_1_1 ? 20u : 40u;
	uint8_t buf[SPMC_MSG_HDR_MAX], b;
	uint32_t off, size, ids, i, sum = 2166136261u;
	uint64_t total, tx_pa = s->tx_pa;
	struct spmc_partition *p = NULL;
	struct spmc_vm_mbox *mb = NULL;
	uint16_t sender, receiver, vm = (uint16_t)((uint32_t)in->x[1] >> 16);

	/* w1[31:16]: the sender VM id, whose TX (mapped by a forwarded
	 * RXTX_MAP) holds the message (Hafnium api_ffa_msg_send2: "Cannot
	 * send message from VM ID", DENIED, when it has none). */
	for (i = 1; i <= 7; i++) {
		if (i == 1 ? (uint16_t)in->x[1] != 0 : in->x[i] != 0) {
			spmc_error(out, FFA_INVALID_PARAMETERS);
			return;
		}
	}
	if (vm) {
		mb = spmc_vm_mbox(s, vm);
		if (!mb) {
			spmc_error(out, FFA_DENIED);
			return;
		}
		tx_pa = mb->tx_pa;
	}
	if (!s->rxtx_mapped) {
		spmc_error(out, FFA_DENIED);
		return;
	}
	if (s->mem->read(s->mem_ctx, tx_pa, buf, hdr)) {
		spmc_error(out, FFA_ABORTED);
		return;
	}
	off = ffa_get32(buf + 8);
	ids = ffa_get32(buf + 12);
	size = ffa_get32(buf + 16);
	sender = (uint16_t)(ids >> 16);
	receiver = (uint16_t)ids;
	total = (uint64_t)off + size;
	if (sender != vm || receiver == sender || off < hdr || size == 0 ||
	    total > SPMC_MSG_MAX || ffa_get32(buf) || ffa_get32(buf + 4) ||
	    (hdr == 40u && ffa_get32(buf + 20))) {
		spmc_error(out, FFA_INVALID_PARAMETERS);
		return;
	}
	for (i = 0; i < s->part_count; i++)
		if (s->parts[i].id == receiver)
			p = &s->parts[i];
	if (!p) {
		spmc_error(out, FFA_INVALID_PARAMETERS);
		return;
	}
	if (!(p->props & FFA_PART_PROP_INDIRECT_MSG)) {
		spmc_error(out, FFA_DENIED);
		return;
	}
	if (p->msg.full) {
		spmc_error(out, FFA_BUSY);
		return;
	}
	for (i = 0; i < size; i++) {
		if (s->mem->read(s->mem_ctx, tx_pa + off + i, &b, 1)) {
			spmc_error(out, FFA_ABORTED);
			return;
		}
		sum = fnv1a(sum, b);
		if (i < SPMC_MSG_KEEP)
			p->msg.data[i] = b;
	}
	for (i = size; i < SPMC_MSG_KEEP; i++)
		p->msg.data[i] = 0;
	p->msg.full = true;
	p->msg.sender = sender;
	p->msg.size = size;
	p->msg.header_size = hdr;
	p->msg.sum = sum;
	for (i = 0; i < 16; i++)
		p->msg.uuid[i] = hdr == 40u ? buf[24 + i] : 0;
	p->msg_count++;
	spmc_success32(out, 0, 0);
}

/* ---- Direct messages: the partition answers payload + 1 per register. */

/* The receiver of a normal-world direct request: a partition (else NULL,
 * INVALID_PARAMETERS). Whether it takes requests of that kind is asked
 * after the other checks (direct_refused). */
static const struct spmc_partition *direct_receiver(const struct spmc *s,
						    uint32_t w1)
{
	if (ffa_id_is_secure((uint16_t)(w1 >> 16)))
		return NULL;
	return spmc_find_partition(s, (uint16_t)w1);
}

/* A partition whose properties lack receipt of this kind of request:
 * DENIED, as Hafnium's api_ffa_msg_send_direct_req answers once
 * ffa_direct_msg_is_direct_request_supported fails (after the id, w2 and
 * UUID checks); ff-a-acs direct_messaging/ffa_direct_message_error
 * expects it. */
static bool direct_refused(const struct spmc_partition *p, uint32_t prop,
			   struct ffa_regs *out)
{
	if (p->props & prop)
		return false;
	spmc_error(out, FFA_DENIED);
	return true;
}

static struct spmc_partition *find_part(struct spmc *s, uint16_t id)
{
	uint32_t i;

	for (i = 0; i < s->part_count; i++)
		if (s->parts[i].id == id)
			return &s->parts[i];
	return NULL;
}

int spmc_fw_answer_set(struct spmc *s, uint16_t id, enum spmc_fw_answer a,
		       int32_t status, uint32_t count)
{
	struct spmc_partition *p = find_part(s, id);

	if (!p)
		return -1;
	p->fw_answer = a;
	p->fw_status = status;
	p->fw_left = count;
	return 0;
}

/*
 * Partition `p` answers VM availability message `type` about VM `vm`
 * (a new request, or one resumed by FFA_RUN), as scripted, and records
 * it once it is over. FFA_INTERRUPT leaves the request preempted, its
 * vCPU in it: recorded when an FFA_RUN brings it to an end; meanwhile a
 * new request to the partition gets BUSY (direct_deliver, Hafnium).
 */
static void fw_answer(struct spmc *s, struct spmc_partition *p, uint32_t type,
		      uint16_t vm, struct ffa_regs *out, bool resumed)
{
	enum spmc_fw_answer a;
	int32_t result;

	a = p->fw_left ? p->fw_answer : SPMC_FW_OK;
	if (p->fw_left && p->fw_left != UINT32_MAX)
		p->fw_left--;
	if (a == SPMC_FW_INTERRUPT) {
		p->preempt.pending = true;
		p->preempt.again_left = 0;
		out->x[0] = FFA_INTERRUPT_32;
		out->x[1] = (uint32_t)p->id << 16 | p->preempt.vcpu;
		return;
	}
	result = a == SPMC_FW_OK ? 0
		 : a == SPMC_FW_STATUS || a == SPMC_FW_ERROR
			 ? (p->fw_status > FFA_NOT_SUPPORTED ||
					    p->fw_status < FFA_NOT_READY
				    ? FFA_ABORTED
				    : p->fw_status)
			 : FFA_ABORTED;
	/* DENIED to an FFA_RUN is "nothing to run" (Hafnium, and this
	 * model's idle-run denied), which the proxy reads as the request
	 * over: so it is here, recorded with its status. */
	if (a == SPMC_FW_ERROR && resumed && result != FFA_ABORTED &&
	    result != FFA_NOT_SUPPORTED && result != FFA_DENIED) {
		/* The FFA_RUN refused: the request stays preempted. */
		spmc_error(out, p->fw_status);
		return;
	}
	p->preempt.pending = false;
	if (p->fw_count < SPMC_FW_LOG) {
		p->fw_log[p->fw_count].type = (uint8_t)type;
		p->fw_log[p->fw_count].vm = vm;
		p->fw_log[p->fw_count].result = result;
	}
	p->fw_count++;
	if (a == SPMC_FW_ERROR) {
		spmc_error(out, p->fw_status);
		return;
	}
	/* Told a VM is gone, the partition lets go of its memory. */
	if (a == SPMC_FW_OK && type == FFA_FRAMEWORK_VM_DESTROYED_REQ)
		spmc_sp_release_vm(s, p->id, vm);
	out->x[0] = FFA_MSG_SEND_DIRECT_RESP_32;
	out->x[1] = (uint32_t)p->id << 16;
	out->x[2] = FFA_MSG_FLAG_FRAMEWORK | (type + 1);
	if (a == SPMC_FW_STATUS)
		out->x[3] = (uint32_t)p->fw_status;
	else if (a == SPMC_FW_WRONG_PAIR)
		out->x[1] = (uint32_t)p->id << 16 | vm;
	else if (a == SPMC_FW_NOT_FRAMEWORK)
		out->x[2] = 0;
	else if (a == SPMC_FW_GARBLED)
		out->x[3] = 0x1234u;
}

/* Whether `req` (a preempted request) is a framework message. */
static bool fw_request(const struct ffa_regs *req)
{
	return (uint32_t)req->x[0] == FFA_MSG_SEND_DIRECT_REQ_32 &&
	       ((uint32_t)req->x[2] & FFA_MSG_FLAG_FRAMEWORK);
}

/*
 * A framework direct request (w2 bit 31): VM availability messages only,
 * from the hypervisor (id 0) over SMC32, to a partition subscribed to
 * that message (properties bit 6 created, 7 destroyed), w2[30:8] zero,
 * w5 a VM id (non-secure, not 0, w5[31:16] zero): otherwise
 * INVALID_PARAMETERS and nothing recorded, so a proxy bug shows. A
 * partition whose vCPU is in a preempted request answers BUSY (recorded
 * so). The
 * partition records the message and answers as scripted (fw_answer).
 */
static void handle_framework_req(struct spmc *s, const struct ffa_regs *in,
				 struct ffa_regs *out, bool smc64)
{
	uint32_t w1 = (uint32_t)in->x[1], w2 = (uint32_t)in->x[2];
	uint32_t type = w2 & FFA_MSG_TYPE_MASK, w5 = (uint32_t)in->x[5];
	struct spmc_partition *p = find_part(s, (uint16_t)w1);
	uint32_t want = type == FFA_FRAMEWORK_VM_CREATED_REQ
				? FFA_PART_PROP_VM_CREATED
			: type == FFA_FRAMEWORK_VM_DESTROYED_REQ
				? FFA_PART_PROP_VM_DESTROYED
				: 0;

	if (smc64 || (w1 >> 16) || !p || !want || !(p->props & want) ||
	    (w2 & ~(FFA_MSG_FLAG_FRAMEWORK | FFA_MSG_TYPE_MASK)) ||
	    !(uint16_t)w5 || (w5 >> 16) || ffa_id_is_secure((uint16_t)w5) ||
	    s->ns_version < FFA_VERSION_1_1) {
		spmc_error(out, FFA_INVALID_PARAMETERS);
		return;
	}
	if (p->preempt.pending || p->cycles_preempted) {
		/* Recorded as answered BUSY: the proxy keeps it pending. */
		if (p->fw_count < SPMC_FW_LOG) {
			p->fw_log[p->fw_count].type = (uint8_t)type;
			p->fw_log[p->fw_count].vm = (uint16_t)w5;
			p->fw_log[p->fw_count].result = FFA_BUSY;
		}
		p->fw_count++;
		spmc_error(out, FFA_BUSY);
		return;
	}
	p->preempt.req = *in;
	fw_answer(s, p, type, (uint16_t)w5, out, false);
}

/* The partition's answer to a request it accepted (direct_req_valid). */
static void direct_answer(const struct ffa_regs *in, struct ffa_regs *out)
{
	uint32_t w1 = (uint32_t)in->x[1], i;
	uint32_t fn = ffa_fn((uint32_t)in->x[0]);
	bool smc64 = ffa_is_smc64((uint32_t)in->x[0]);

	for (i = 0; i < FFA_NREGS; i++)
		out->x[i] = 0;
	out->x[1] = (w1 << 16) | (w1 >> 16);
	if (fn == FFA_FN_MSG_SEND_DIRECT_REQ2) {
		out->x[0] = FFA_MSG_SEND_DIRECT_RESP2_64;
		for (i = 4; i < FFA_NREGS; i++)
			out->x[i] = in->x[i] + 1;
		return;
	}
	out->x[0] = smc64 ? FFA_MSG_SEND_DIRECT_RESP_64
			  : FFA_MSG_SEND_DIRECT_RESP_32;
	for (i = 3; i <= 7; i++)
		out->x[i] = smc64 ? in->x[i] + 1 : (uint32_t)(in->x[i] + 1);
}

/* FFA_INTERRUPT or FFA_YIELD for partition `p`'s pending request. */
static void preempted(const struct spmc_partition *p, struct ffa_regs *out)
{
	out->x[0] = p->preempt.yield ? FFA_YIELD_32 : FFA_INTERRUPT_32;
	out->x[1] = (uint32_t)p->id << 16 | p->preempt.vcpu;
	if (p->preempt.yield) {
		out->x[2] = 0x10; /* timeout, low and high words */
		out->x[3] = 0x20;
	}
}

/* A valid request to `p`, answered or preempted. */
static void direct_deliver(struct spmc_partition *p, const struct ffa_regs *in,
			   struct ffa_regs *out)
{
	if (p->preempt.pending || p->cycles_preempted) {
		spmc_error(out, FFA_BUSY);
		return;
	}
	if (p->preempt.next) {
		p->preempt.next--;
		p->preempt.pending = true;
		p->preempt.again_left = p->preempt.again;
		p->preempt.req = *in;
		preempted(p, out);
		return;
	}
	direct_answer(in, out);
}

static void handle_direct_req(struct spmc *s, const struct ffa_regs *in,
			      struct ffa_regs *out, bool smc64)
{
	uint32_t w1 = (uint32_t)in->x[1];
	const struct spmc_partition *p;

	if ((uint32_t)in->x[2] & FFA_MSG_FLAG_FRAMEWORK) {
		handle_framework_req(s, in, out, smc64);
		return;
	}
	p = direct_receiver(s, w1);
	if (!p || (uint32_t)in->x[2]) {
		spmc_error(out, FFA_INVALID_PARAMETERS);
		return;
	}
	if (direct_refused(p, FFA_PART_PROP_DIRECT_REQ_RECV, out))
		return;
	direct_deliver(&s->parts[p - s->parts], in, out);
}

/*
 * An FFA_RUN of vCPU `w1` of `p`, in no request, giving it cycles: as
 * scripted (spmc_cycles). As Hafnium's api_vcpu_prepare_run: a waiting or
 * preempted vCPU runs (a preempted one resumes where it was), one running
 * on another CPU is BUSY, one of an aborted partition ABORTED.
 */
static void cycles_run(struct spmc_partition *p, uint32_t w1,
		       struct ffa_regs *out)
{
	enum spmc_cycles_answer a;
	unsigned i;

	a = p->cycles_left ? p->cycles_answer : SPMC_CYCLES_MSG_WAIT;
	if (p->cycles_left && p->cycles_left != UINT32_MAX)
		p->cycles_left--;
	if (a == SPMC_CYCLES_BUSY || a == SPMC_CYCLES_ABORTED) {
		spmc_error(out, a == SPMC_CYCLES_BUSY ? FFA_BUSY : FFA_ABORTED);
		return;
	}
	p->cycles++;
	if (p->cycles_vcpu == (uint16_t)w1)
		p->cycles_preempted = false;
	if (a == SPMC_CYCLES_INTERRUPT || a == SPMC_CYCLES_YIELD) {
		p->cycles_preempted = true;
		p->cycles_vcpu = (uint16_t)w1;
		out->x[0] = a == SPMC_CYCLES_YIELD ? FFA_YIELD_32
						   : FFA_INTERRUPT_32;
		out->x[1] = w1;
		if (a == SPMC_CYCLES_YIELD) {
			out->x[2] = 0x10;
			out->x[3] = 0x20;
		}
		return;
	}
	out->x[0] = FFA_MSG_WAIT_32;
	if (a == SPMC_CYCLES_DIRTY)
		for (i = 1; i < 8; i++)
			out->x[i] = 0x5a5a0000u | i;
}

int spmc_cycles(struct spmc *s, uint16_t id, uint32_t n,
		enum spmc_cycles_answer a)
{
	const struct spmc_partition *cp = spmc_find_partition(s, id);
	struct spmc_partition *p;

	if (!cp)
		return -1;
	p = &s->parts[cp - s->parts];
	p->cycles_answer = a;
	p->cycles_left = n;
	return 0;
}

/* FFA_RUN: w1 partition id [31:16], vCPU id [15:0]. A partition with no
 * preempted request has nothing to do for the normal world: DENIED. The
 * vCPU must be the one preempted (TF-A's EL3 SPMC: the current CPU's). */
static void handle_run(struct spmc *s, const struct ffa_regs *in,
		       struct ffa_regs *out)
{
	uint32_t w1 = (uint32_t)in->x[1];
	const struct spmc_partition *cp =
		spmc_find_partition(s, (uint16_t)(w1 >> 16));
	struct spmc_partition *p;

	if (!cp) {
		spmc_error(out, FFA_INVALID_PARAMETERS);
		return;
	}
	p = &s->parts[cp - s->parts];
	/* No request preempted on it (the model keeps one per partition,
	 * where Hafnium keeps each vCPU's): from 1.1, the scheduler giving
	 * the partition cycles (for its notifications); it runs, then waits:
	 * FFA_MSG_WAIT, as tf-a-tests' notification tests expect of
	 * FFA_RUN. */
	if (!p->preempt.pending && (uint16_t)w1 < p->exec_ctx &&
	    !s->idle_run_denied && s->version >= FFA_VERSION_1_1 &&
	    s->ns_version >= FFA_VERSION_1_1) {
		cycles_run(p, w1, out);
		return;
	}
	if ((uint16_t)w1 != cp->preempt.vcpu) {
		spmc_error(out, FFA_INVALID_PARAMETERS);
		return;
	}
	if (!p->preempt.pending) {
		spmc_error(out, FFA_DENIED);
		return;
	}
	if (p->preempt.again_left) {
		p->preempt.again_left--;
		preempted(p, out);
		return;
	}
	if (fw_request(&p->preempt.req)) {
		fw_answer(s, p, (uint32_t)p->preempt.req.x[2] & FFA_MSG_TYPE_MASK,
			  (uint16_t)p->preempt.req.x[5], out, true);
		return;
	}
	p->preempt.pending = false;
	direct_answer(&p->preempt.req, out);
}

int spmc_preempt(struct spmc *s, uint16_t id, uint32_t n, bool yield,
		 uint32_t again, uint16_t vcpu)
{
	const struct spmc_partition *cp = spmc_find_partition(s, id);
	struct spmc_partition *p;

	if (!cp)
		return -1;
	p = &s->parts[cp - s->parts];
	p->preempt.next = n;
	p->preempt.yield = yield;
	p->preempt.again = again;
	p->preempt.vcpu = vcpu;
	return 0;
}

static void handle_direct_req2(struct spmc *s, const struct ffa_regs *in,
			       struct ffa_regs *out)
{
	uint32_t w1 = (uint32_t)in->x[1];
	const struct spmc_partition *p;

	/* x1[63:32] is reserved; x2/x3 name a service: nil, or the
	 * partition's own UUID (this model hosts one service each). */
	p = direct_receiver(s, w1);
	if (!p || in->x[1] >> 32 ||
	    ((in->x[2] || in->x[3]) && (in->x[2] != ffa_get64(p->uuid) ||
					in->x[3] != ffa_get64(p->uuid + 8)))) {
		spmc_error(out, FFA_INVALID_PARAMETERS);
		return;
	}
	if (direct_refused(p, FFA_PART_PROP_DIRECT_REQ2_RECV, out))
		return;
	direct_deliver(&s->parts[p - s->parts], in, out);
}

/* ---- Entry */

static void handle_smccc(struct spmc *s, const struct ffa_regs *in,
			 struct ffa_regs *out)
{
	uint32_t id = (uint32_t)in->x[0];

	if (in->x[0] == SMCCC_VERSION) {
		out->x[0] = s->smccc_version;
	} else if (in->x[0] == SMCCC_ARCH_FEATURES) {
		id = (uint32_t)in->x[1];
		out->x[0] = id == SMCCC_VERSION || id == SMCCC_ARCH_FEATURES
				    ? 0
				    : SMCCC_UNKNOWN;
	} else {
		out->x[0] = SMCCC_UNKNOWN;
	}
}

static void dispatch(struct spmc *s, const struct ffa_regs *in,
		     struct ffa_regs *out)
{
	uint32_t id = (uint32_t)in->x[0];
	uint32_t fn = ffa_fn(id);

	if (fn == FFA_FN_VERSION && id == FFA_VERSION_32) {
		handle_version(s, in, out);
		return;
	}
	/* The negotiated version locks at the first other FF-A call
	 * (v1.2 rule; ff-a-acs version re-negotiation test). */
	s->ns_locked = true;
	/* TF-A's EL3 SPMC serves no one whose version it never recorded. */
	if (!spmc_implements(s, id, s->ns_version) ||
	    (s->newer_version == SPMC_NEWER_UNRECORDED && !s->ns_version_set)) {
		spmc_error(out, FFA_NOT_SUPPORTED);
		return;
	}
	switch (fn) {
	case FFA_FN_FEATURES:
		handle_features(s, in, out);
		break;
	case FFA_FN_ID_GET:
		spmc_success32(out, 0, 0);
		break;
	case FFA_FN_SPM_ID_GET:
		spmc_success32(out, SPMC_ID, 0);
		break;
	case FFA_FN_RXTX_MAP:
		handle_rxtx_map(s, in, out);
		break;
	case FFA_FN_RXTX_UNMAP:
		handle_rxtx_unmap(s, in, out);
		break;
	case FFA_FN_RX_RELEASE:
		handle_rx_release(s, in, out);
		break;
	case FFA_FN_PARTITION_INFO_GET:
		handle_partition_info_get(s, in, out);
		break;
	case FFA_FN_PARTITION_INFO_GET_REGS:
		handle_partition_info_get_regs(s, in, out);
		break;
	case FFA_FN_MSG_SEND_DIRECT_REQ:
		handle_direct_req(s, in, out, ffa_is_smc64(id));
		break;
	case FFA_FN_RUN:
		handle_run(s, in, out);
		break;
	case FFA_FN_MSG_SEND2:
		handle_msg_send2(s, in, out);
		break;
	case FFA_FN_MSG_SEND_DIRECT_REQ2:
		handle_direct_req2(s, in, out);
		break;
	case FFA_FN_NOTIFICATION_BITMAP_CREATE:
	case FFA_FN_NOTIFICATION_BITMAP_DESTROY:
	case FFA_FN_NOTIFICATION_BIND:
	case FFA_FN_NOTIFICATION_UNBIND:
	case FFA_FN_NOTIFICATION_SET:
	case FFA_FN_NOTIFICATION_GET:
	case FFA_FN_NOTIFICATION_INFO_GET:
		spmc_notif_smc(s, in, out);
		break;
	default:
		spmc_mem_smc(s, in, out);
		break;
	}
}

/*
 * The argument bits of an FF-A call from the normal world that its
 * function reserves (DEN0077A 1.0-1.2 function syntax tables: "Reserved
 * (SBZ)", MBZ fields and flags), at the version the model serves the
 * normal world at: m[i] the bits of x<i> that must be zero. `in` is an
 * SMC32 call's low halves, x8..x17 zero (spmc_smc). An SMC64 call's
 * x8..x17 are reserved but where the call defines them (DIRECT_REQ2):
 * below 1.2 they are no arguments, and a relayer passes none to an
 * endpoint that does not take them (TF-A's SPMD zeroes them). False for
 * a function the normal world does not send: not audited.
 */
static bool reserved_masks(const struct spmc *s, const struct ffa_regs *in,
			   uint64_t m[FFA_NREGS])
{
	const uint32_t id = (uint32_t)in->x[0], fn = ffa_fn(id);
	const bool v11 = s->ns_version >= FFA_VERSION_1_1;
	const bool v12 = s->ns_version >= FFA_VERSION_1_2;
	const uint64_t hi = 0xffffffff00000000ull; /* an SMC64 w field's */
	uint32_t i;

	m[0] = 0;
	for (i = 1; i < FFA_NREGS; i++)
		m[i] = ~0ull;
	switch (fn) {
	case FFA_FN_VERSION:
		m[1] = 1u << 31;
		break;
	case FFA_FN_FEATURES:
		m[1] = 0;
		/* w2: input properties (1.1+), the NS bit of MEM_RETRIEVE_REQ
		 * alone. */
		if (v11 && ffa_fn((uint32_t)in->x[1]) == FFA_FN_MEM_RETRIEVE_REQ)
			m[2] = ~1ull;
		break;
	case FFA_FN_RX_RELEASE:
		/* w1[15:0]: the VM whose RX a hypervisor releases (1.1+). */
		if (v11)
			m[1] = 0xffff0000u;
		break;
	case FFA_FN_RXTX_MAP:
		m[1] = m[2] = 0;
		m[3] = ~0x3full; /* w3[5:0] page count */
		break;
	case FFA_FN_RXTX_UNMAP:
		m[1] = 0xffffu | hi; /* w1[31:16] the id */
		break;
	case FFA_FN_PARTITION_INFO_GET:
		m[1] = m[2] = m[3] = m[4] = 0;
		m[5] = v11 ? ~(uint64_t)FFA_PARTITION_INFO_GET_COUNT_ONLY : ~0ull;
		break;
	case FFA_FN_PARTITION_INFO_GET_REGS:
		m[1] = m[2] = 0;
		m[3] = hi; /* [15:0] start index, [31:16] tag */
		break;
	case FFA_FN_ID_GET:
	case FFA_FN_SPM_ID_GET:
	case FFA_FN_NOTIFICATION_INFO_GET:
	case FFA_FN_MEM_RELINQUISH:
		break;
	case FFA_FN_RUN:
		m[1] = 0;
		break;
	case FFA_FN_MSG_SEND_DIRECT_REQ:
		m[1] = hi;
		/* w2: a framework message (bit 31) and its type [7:0];
		 * otherwise MBZ. */
		m[2] = ((uint32_t)in->x[2] & FFA_MSG_FLAG_FRAMEWORK)
			       ? ~(uint64_t)(FFA_MSG_FLAG_FRAMEWORK | 0xffu)
			       : ~0ull;
		m[3] = m[4] = m[5] = m[6] = m[7] = 0;
		break;
	case FFA_FN_MSG_SEND_DIRECT_REQ2:
		m[1] = hi;
		for (i = 2; i < FFA_NREGS; i++)
			m[i] = 0;
		break;
	case FFA_FN_MEM_DONATE:
	case FFA_FN_MEM_LEND:
	case FFA_FN_MEM_SHARE:
	case FFA_FN_MEM_RETRIEVE_REQ:
		m[1] = m[2] = 0;
		m[3] = 0;  /* address (the proxy sends 0: its TX) */
		m[4] = hi; /* w4 page count */
		break;
	case FFA_FN_MEM_RECLAIM:
		m[1] = m[2] = 0;
		m[3] = ~3ull; /* bit 0 zero memory, bit 1 time slicing */
		break;
	case FFA_FN_MEM_FRAG_TX:
	case FFA_FN_MEM_FRAG_RX:
		m[1] = m[2] = m[3] = 0;
		m[4] = 0xffffu; /* w4[31:16] the sender (or borrower) */
		break;
	case FFA_FN_NOTIFICATION_BITMAP_CREATE:
		m[1] = 0xffff0000u; /* w1[15:0] the VM */
		m[2] = 0;           /* vCPU count */
		break;
	case FFA_FN_NOTIFICATION_BITMAP_DESTROY:
		m[1] = 0xffff0000u;
		break;
	case FFA_FN_NOTIFICATION_BIND:
	case FFA_FN_NOTIFICATION_UNBIND:
	case FFA_FN_NOTIFICATION_SET:
		m[1] = m[3] = m[4] = 0;
		/* BIND: bit 0 per-vCPU; UNBIND: none; SET: bit 0 per-vCPU,
		 * bit 1 delay SRI, [31:16] the vCPU when per-vCPU. */
		m[2] = fn == FFA_FN_NOTIFICATION_BIND ? ~1ull
		       : fn == FFA_FN_NOTIFICATION_UNBIND
			       ? ~0ull
			       : ~(uint64_t)(((uint32_t)in->x[2] & 1u)
						     ? 0xffff0003u
						     : 0x3u);
		break;
	case FFA_FN_NOTIFICATION_GET:
		m[1] = 0;
		m[2] = ~0xfull; /* SP, SPM, VM, hypervisor bitmaps */
		break;
	case FFA_FN_MSG_SEND2:
		/* w1[31:16] the sender VM (a hypervisor's); w2 bit 1 delay
		 * SRI (1.2). */
		m[1] = 0xffffu;
		m[2] = v12 ? ~2ull : ~0ull;
		break;
	default:
		return false;
	}
	return true;
}

/* The audit of every FF-A call: recorded (reserved_*), not refused. */
static void reserved_audit(struct spmc *s, const struct ffa_regs *in)
{
	uint64_t m[FFA_NREGS];
	uint32_t i, last = ffa_is_smc64((uint32_t)in->x[0]) ? FFA_NREGS : 8;

	if (!reserved_masks(s, in, m))
		return;
	for (i = 1; i < last; i++) {
		if (!(in->x[i] & m[i]))
			continue;
		if (!s->reserved_bad++) {
			s->reserved_fid = (uint32_t)in->x[0];
			s->reserved_reg = i;
			s->reserved_bits = in->x[i] & m[i];
		}
		return;
	}
}

void spmc_smc(struct spmc *s, struct ffa_regs *regs)
{
	struct ffa_regs in = *regs, out;
	uint32_t id = (uint32_t)in.x[0];
	bool ffa = ffa_is_ffa_call(in.x[0]), fw_run = false;
	uint32_t i;

	for (i = 0; i < FFA_NREGS; i++)
		out.x[i] = 0;
	/* SMC32: only w1..w7 are arguments; x8..x17 are not either. */
	if (ffa && !ffa_is_smc64(id)) {
		for (i = 1; i <= 7; i++)
			in.x[i] = (uint32_t)in.x[i];
		for (i = 8; i < FFA_NREGS; i++)
			in.x[i] = 0;
	}
	if (ffa)
		reserved_audit(s, &in);
	s->calls[ffa ? ffa_fn(id) & 0xffu : 0]++;
	s->total_calls++;
	/* An FFA_RUN that resumes a preempted framework message answers
	 * with that message's response. */
	if (ffa && ffa_fn(id) == FFA_FN_RUN) {
		const struct spmc_partition *p =
			spmc_find_partition(s, (uint16_t)(in.x[1] >> 16));

		fw_run = p && p->preempt.pending && fw_request(&p->preempt.req);
	}

	if (!ffa)
		handle_smccc(s, &in, &out);
	else if (s->ffa_absent)
		out.x[0] = SMCCC_UNKNOWN;
	/* Not routed to the SPMC at all (lacks_unknown): SMC_RET1(handle,
	 * SMC_UNK) of TF-A's std_svc_smc_handler, the 64-bit -1. */
	else if (s->lacks[ffa_fn(id) & 0xffu] &&
		 (s->lacks_unknown[ffa_fn(id) & 0xffu] &
		  SPMC_LACKS_CALL_UNKNOWN))
		out.x[0] = ~(uint64_t)0;
	else
		dispatch(s, &in, &out);

	if (ffa && s->garbage_regs && (uint32_t)out.x[0] == FFA_SUCCESS_32) {
		s->rx_corrupted |= spmc_rx_call(id);
		/* Misbehaviour: leak into registers SUCCESS does not define. */
		for (i = 4; i < FFA_NREGS; i++)
			out.x[i] = 0xdead0000u + i;
	}
	if (ffa && s->reply_fn && ffa_fn(id) == s->reply_fn &&
	    s->reply_reg < FFA_NREGS) {
		out.x[s->reply_reg] ^= s->reply_xor; /* Misbehaviour: corrupt. */
		s->fw_corrupted |= ((ffa_fn(id) == FFA_FN_MSG_SEND_DIRECT_REQ &&
				     ((uint32_t)in.x[2] & FFA_MSG_FLAG_FRAMEWORK)) ||
				    ffa_fn(id) == FFA_FN_PARTITION_INFO_GET ||
				    fw_run) &&
				   s->reply_xor;
		s->rx_corrupted |= spmc_rx_call(id) && s->reply_xor;
		s->run_corrupted |= (ffa_fn(id) == FFA_FN_MSG_SEND_DIRECT_REQ ||
				     ffa_fn(id) == FFA_FN_MSG_SEND_DIRECT_REQ2 ||
				     ffa_fn(id) == FFA_FN_RUN) &&
				    s->reply_xor;
	}
	*regs = out;
}
