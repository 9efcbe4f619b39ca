/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/* Discovery: FFA_FEATURES, ID_GET, SPM_ID_GET, PARTITION_INFO_GET(_REGS). */
#include <ffaproxy/partinfo.h>

#include "internal.h"

/* The reply of the SPMC was an FFA_ERROR (passed on, sanitised) or
 * something the call does not allow (ABORTED). */
static void refuse_spmc_reply(struct ffp_call *c, const struct ffa_regs *r)
{
	if ((uint32_t)r->x[0] == FFA_ERROR_32)
		ffp_refuse(c, ffp_status(r->x[2]), "SPMC refused the call",
			   (uint32_t)r->x[2]);
	else
		ffp_refuse(c, FFA_ABORTED, "unexpected reply from the SPMC",
			   r->x[0]);
}

/*
 * A 1.2 SPMC (SMCCC 1.2) answering FFA_PARTITION_INFO_GET_REGS, or FFA_FEATURES
 * of it, NOT_SUPPORTED: it lacks the register form, which is optional
 * (neither TF-A's EL3 SPMC, spmc_main.c spmc_smc_handler, nor OP-TEE's
 * S-EL1 SPMC, thread_spmc.c thread_spmc_msg_recv, has a case for it: both
 * answer NOT_SUPPORTED; TF-A's SPMD forwards it to an S-EL1/S-EL2 SPMC,
 * spmd_smc_handler; Hafnium implements it). The proxy then emulates it
 * from the buffer form, as over a 1.0/1.1 SPMC, and remembers it
 * (ffp_pinfo_regs_learn): one more SMC at the first such call, none
 * after, none on the forwarded path.
 *
 * Firmware that does not route the id at all answers SMCCC's unknown
 * function instead: w0 = -1 (0xFFFFFFFF). TF-A's first SPMD (ffa_svc.h of
 * 2020: is_ffa_fid takes function numbers 0x60..0x7F only) is such: 0x8B
 * falls to std_svc_smc_handler's default, SMC_RET1(handle,
 * SMC_UNK), with SMC_UNK -1 (include/lib/smccc.h) stored as a 64-bit
 * register: all 64 bits set. Only w0 is compared, as Linux's arm_ffa
 * compares (s32)a0 with FFA_RET_NOT_SUPPORTED (-1) after an FFA_VERSION
 * (commit cecf6a504137: firmware may set only w0). Lacking too. Any other
 * reply is the SPMC's to answer for (passed on, or ABORTED).
 */
static bool pinfo_regs_lacking(const struct ffa_regs *r)
{
	return ((uint32_t)r->x[0] == FFA_ERROR_32 &&
		(uint32_t)r->x[2] == (uint32_t)FFA_NOT_SUPPORTED) ||
	       (uint32_t)r->x[0] == (uint32_t)SMCCC_NOT_SUPPORTED;
}

/*
 * FFA_FEATURES answers for what this caller can really use: a function
 * the proxy refuses, or one the caller's version, the SPMC's version or
 * the firmware's SMCCC lacks, is NOT_SUPPORTED. A forwarded function is
 * also asked of the SPMC, so nothing the SPMC lacks is advertised.
 */
void ffp_handle_features(struct ffp_call *c)
{
	struct ffp *p = c->p;
	uint32_t id = (uint32_t)c->in.x[1];
	const uint32_t asked = id;
	const struct ffp_call_entry *e;
	struct ffa_regs r;
	const char *why;
	uint32_t w2 = 0;

	/* w2, input properties (1.1+; reserved, MBZ, at 1.0): defined for
	 * FFA_MEM_RETRIEVE_REQ alone (its NS bit), which the proxy refuses,
	 * and for no feature id. So w2 must be zero: TF-A's EL3 SPMC
	 * ffa_features_handler answers NOT_SUPPORTED to any w2 but
	 * MEM_RETRIEVE_REQ's, Hafnium ffa_features_feature to a feature
	 * id's (its ffa_features_function ignores a function's). The SPMC,
	 * asked with w2 = 0, could not tell; the answer would be for a
	 * query the caller did not make. */
	if ((uint32_t)c->in.x[2]) {
		ffp_refuse(c, FFA_NOT_SUPPORTED,
			   "FEATURES: input properties MBZ (none defined for "
			   "this id)",
			   (uint32_t)c->in.x[2]);
		return;
	}
	/* Feature ids (bit 31 clear): the schedule receiver interrupt is
	 * the host's, asked of the SPMC; the notification pending interrupt
	 * the VMs', the embedder's to inject (cfg.npi_offered); the managed
	 * exit interrupt is for partitions. */
	if (id == FFA_FEATURE_SRI) {
		ffp_features_sri(c);
		return;
	}
	if (id == FFA_FEATURE_NPI) {
		ffp_features_npi(c);
		return;
	}
	if (!(id & 0x80000000u) || !ffa_is_ffa_call(id)) {
		ffp_refuse(c, FFA_NOT_SUPPORTED, "FEATURES: feature not offered",
			   id);
		return;
	}
	/* The return frames every caller may get from the proxy: not calls
	 * it serves (the table refuses them as requests), but interfaces it
	 * implements, which FEATURES reports as such (DEN0077A 1.1 13.3;
	 * Hafnium ffa_features_function answers SUCCESS for these three, and
	 * tf-a-tests' FFA_FEATURES test expects it). */
	if (id == FFA_ERROR_32 || id == FFA_SUCCESS_32 ||
	    id == FFA_INTERRUPT_32) {
		ffp_success(c, 0, 0);
		return;
	}
	/* FFA_MEM_FRAG_RX is, to a sender, the frame asking for its next
	 * fragment: implemented where FFA_MEM_FRAG_TX is served, though
	 * refused as a call (a borrower's). Hafnium ffa_features_function
	 * and TF-A's EL3 SPMC answer SUCCESS to the normal world. Logs name
	 * the id asked (`asked`). */
	if (id == FFA_MEM_FRAG_RX_32)
		id = FFA_MEM_FRAG_TX_32;
	if (!ffp_servable(p, id, c->version)) {
		why = ffp_call_unavailable(p, id, c->version);
		ffp_refuse(c, FFA_NOT_SUPPORTED, why ? why : "not servable",
			   asked);
		return;
	}
	e = ffp_call_entry(ffa_fn(id));
	if (e->handler == ffp_handle_notification_info_get && c->ep_id != 0) {
		ffp_refuse(c, FFA_NOT_SUPPORTED,
			   "NOTIFICATION_INFO_GET is the host's", asked);
		return;
	}
	if (e->handler == ffp_handle_msg_send2 && c->ep_id != 0) {
		bool mb;

		ffp_lock(p, FFP_LOCK_STATE);
		mb = c->ep->mb_mapped;
		ffp_unlock(p, FFP_LOCK_STATE);
		if (!mb) {
			ffp_refuse(c, FFA_NOT_SUPPORTED,
				   "MSG_SEND2: no bounce RX/TX for this VM",
				   asked);
			return;
		}
	}
	if (e->spmc_since) {
		bool regs = e->handler == ffp_handle_partition_info_get_regs;
		/* The register form asked of the SPMC: it is forwarded, and
		 * the SPMC not yet known to lack it. */
		bool fwd = regs && ffp_pinfo_regs_forwarded(p) &&
			   !ffp_pinfo_regs_lacks(p);

		/* Zeroed here, not at the top: the calls the proxy answers
		 * alone do not pay for it. */
		ffp_regs_zero(&r);
		r.x[0] = FFA_FEATURES_32;
		r.x[1] = id;
		/* Emulated from the buffer form: what the SPMC must have. */
		if (regs && !fwd)
			r.x[1] = FFA_PARTITION_INFO_GET_32;
		ffp_smc(p, &r);
		/* A 1.2 SPMC without the register form: served all the same,
		 * emulated from the buffer form, which it must then have;
		 * learned, so neither FEATURES nor the call asks again. */
		if (fwd && pinfo_regs_lacking(&r)) {
			ffp_pinfo_regs_learn(p);
			ffp_regs_zero(&r);
			r.x[0] = FFA_FEATURES_32;
			r.x[1] = FFA_PARTITION_INFO_GET_32;
			ffp_smc(p, &r);
		}
		if (!ffp_is_success(r.x[0])) {
			ffp_refuse(c, FFA_NOT_SUPPORTED,
				   "FEATURES: the SPMC does not offer it",
				   asked);
			return;
		}
	}
	if (ffa_fn(id) == FFA_FN_RXTX_MAP) {
		/* w2[1:0] minimum size and alignment; w2[31:16] maximum pages
		 * from 1.2 (DEN0077A 1.2 table 13.13). */
		w2 = p->cfg.granule == 65536   ? FFA_RXTX_GRANULE_64K
		     : p->cfg.granule == 16384 ? FFA_RXTX_GRANULE_16K
					       : FFA_RXTX_GRANULE_4K;
		/* The largest count RXTX_MAP accepts: whole granules, so a
		 * limit that is not (20 pages at 64K) is rounded down. */
		if (c->version >= FFA_VERSION_1_2)
			w2 |= (p->cfg.max_buffer_pages -
			       p->cfg.max_buffer_pages %
				       (p->cfg.granule / FFA_PAGE_SIZE))
			      << 16;
	} else if (e->handler == ffp_handle_direct_resp) {
		/* DIRECT_RESP(2): the call is always DENIED, no request ever
		 * reaching the normal world, so not offered: TF-A's EL3 SPMC
		 * (ffa_features_handler) and pKVM (ffa_call_supported: RESP_32,
		 * RESP2) answer a normal-world caller NOT_SUPPORTED, and Arm's
		 * ACS (ffa_features_client) wants NOT_SUPPORTED from an
		 * endpoint that receives no direct requests (SUCCESS only from
		 * one that does). Hafnium, whose VMs may receive them, answers
		 * SUCCESS. */
		ffp_refuse(c, FFA_NOT_SUPPORTED,
			   "FEATURES: no direct request reaches the normal "
			   "world to respond to",
			   asked);
		return;
	}
	ffp_success(c, w2, 0);
}

/* SUCCESS with the caller's id in w2 (SMC32: x8..x17 stay as they were). */
void ffp_regs_id_get(struct ffp *p, uint32_t gen, uint16_t ep_id,
		     uint32_t func, uint32_t version, struct ffa_regs *regs)
{
	(void)p;
	(void)gen;
	(void)func;
	(void)version;
	ffp_regs_success32(regs, ep_id);
}

void ffp_handle_spm_id_get(struct ffp_call *c)
{
	struct ffa_regs r = { { 0 } };
	uint16_t id;

	r.x[0] = FFA_SPM_ID_GET_32;
	ffp_smc(c->p, &r);
	if (!ffp_is_success(r.x[0])) {
		refuse_spmc_reply(c, &r);
		return;
	}
	/* An SMC32 frame: w2[15:0] the id, w2[31:16] MBZ; x2[63:32] is
	 * no part of it. */
	id = (uint16_t)r.x[2];
	if (!ffa_id_is_secure(id) || ((uint32_t)r.x[2] >> 16)) {
		ffp_refuse(c, FFA_ABORTED, "SPMC returned a non-secure SPM id",
			   r.x[2]);
		return;
	}
	ffp_success(c, id, 0);
}

static const uint8_t *config_uuid(const struct ffp *p, uint16_t id)
{
	uint32_t i;

	for (i = 0; i < p->cfg.uuid_count; i++)
		if (p->cfg.uuids[i].id == id)
			return p->cfg.uuids[i].uuid;
	return NULL;
}

static bool uuid_is_nil(const uint8_t *u)
{
	uint32_t acc = 0, i;

	for (i = 0; i < 16; i++)
		acc |= u[i];
	return acc == 0;
}

/* uuid last: an overrun of it leaves the object, which ASan sees. */
struct pinfo_query {
	bool count_only;
	uint8_t uuid[16]; /* w1..w4 as little-endian words */
};

/* Whether descriptor `i` (of `in_size` bytes at `in`) has the id of an
 * earlier one: ids of descriptors before `i` were checked. */
static bool pinfo_id_seen(const uint8_t *in, uint32_t in_size, uint32_t i,
			  uint16_t id)
{
	uint32_t j;

	for (j = 0; j < i; j++)
		if (ffa_get16(in + (size_t)j * in_size) == id)
			return true;
	return false;
}

/*
 * Translate `count` SPMC descriptors of `in_size` bytes (checked by
 * ffa_partinfo_check) into the caller's layout at `out`, `out_size` bytes
 * each, from the caller's descriptor `first` on (those before it are
 * counted, not written), as many as fit in `out_cap` bytes; *n is the
 * number of descriptors the caller is given in all. Every descriptor is checked, so that
 * an SPMC breaking the protocol is told apart from an array too large for
 * the caller. Returns false (and refuses) when a descriptor is not one
 * the SPMC may send.
 */
static bool pinfo_translate(struct ffp_call *c, const struct pinfo_query *q,
			    const uint8_t *in, uint32_t in_size, uint32_t count,
			    uint32_t first, uint8_t *out, uint32_t out_size,
			    uint32_t out_cap, uint32_t *n)
{
	struct ffp *p = c->p;
	struct ffa_partinfo_error err;
	struct ffa_partinfo d;
	const uint8_t *uuid;
	uint32_t i, len;

	*n = 0;
	for (i = 0; i < count; i++) {
		if (ffa_partinfo_parse(p->spmc_version, in, count * in_size,
				       in_size, i, &d, &err)) {
			ffp_refuse(c, err.status, err.why, err.value);
			return false;
		}
		/* Several UUIDs per partition are FF-A 1.2's: asked for all,
		 * an SPMC lists such a partition once per UUID (TF-A's EL3
		 * SPMC whatever the version, Hafnium from 1.2), but a caller
		 * below 1.2 gets each partition once, under its first UUID
		 * (Hafnium api_ffa_fill_partitions_info_array). A 1.0 SPMC's
		 * descriptors carry no UUID to tell such entries apart: the
		 * same partition twice, given once to every caller, a 1.2 one
		 * too (whose UUID for it, cfg.uuids' for the id, would be the
		 * same twice: two identical descriptors, two devices). */
		if ((c->version < FFA_VERSION_1_2 ||
		     p->spmc_version == FFA_VERSION_1_0) &&
		    uuid_is_nil(q->uuid) && pinfo_id_seen(in, in_size, i, d.id))
			continue;
		/* Asked by UUID: the descriptors' UUID field MBZ, whatever
		 * the SPMC put there (Hafnium's test
		 * ffa_partition_info_get_uuid_fixed checks it is nil; TF-A's
		 * EL3 SPMC and Hafnium fill it only for the nil UUID). Asked
		 * for all over a 1.0 SPMC, which gives no UUID: the
		 * embedder's table, else nil (docs/discovery.md). */
		/* A 1.0 SPMC does not report the execution state, which 1.1
		 * encodes in bit 8 with 0 meaning AArch32: the proxy cannot
		 * claim that. A 1.0 caller takes such partitions as 64-bit
		 * (Linux's arm_ffa turns to SMC32 direct requests only from
		 * 1.1, for a clear bit 8), and Hafnium runs AArch64 ones
		 * only (its manifest refuses others): so does a 1.1+ caller
		 * through the proxy. Masked off again for a 1.0 caller. */
		if (p->spmc_version == FFA_VERSION_1_0)
			d.props |= FFA_PART_PROP_AARCH64;
		if (!uuid_is_nil(q->uuid)) {
			d.has_uuid = false;
		} else if (!d.has_uuid) {
			uuid = config_uuid(p, d.id);
			if (uuid) {
				ffp_memcpy(d.uuid, uuid, sizeof(d.uuid));
				d.has_uuid = true;
			}
		}
		/* Cannot fail: it fits. */
		if (*n >= first &&
		    (uint64_t)(*n - first + 1) * out_size <= out_cap)
			(void)ffa_partinfo_emit(
				c->version, &d,
				out + (size_t)(*n - first) * out_size, out_size,
				&len);
		(*n)++;
	}
	return true;
}

enum pinfo_query_result {
	PINFO_OK,	  /* SUCCESS: the SPMC's reply in *r */
	PINFO_REFUSED,	  /* refused; the proxy's RX is not the normal world's */
	PINFO_REFUSED_RX, /* refused; release the proxy's RX all the same */
};

/*
 * Ask the SPMC for the partitions of `uuid` (w1..w4 as little-endian
 * words; nil: all) with FFA_PARTITION_INFO_GET, into the proxy's RX
 * unless `count_only` (its pair mapped first, on first use). BUFFERS
 * held. A BUSY for the proxy's RX, which it does not hold, is a
 * partition's indirect message filling it (rxtx.c): released once
 * (ffp_spmc_rx_reclaim, which also releases what an SPMC hands over with
 * a refusal), asked once more. Refusals are answered to the caller.
 */
static enum pinfo_query_result pinfo_spmc_query(struct ffp_call *c,
						const uint8_t *uuid,
						bool count_only,
						struct ffa_regs *r)
{
	bool retried;
	uint32_t i;
	int32_t st;

	if (!count_only) {
		st = ffp_spmc_buffers_map(c->p);
		if (st) {
			ffp_refuse(c, st, "SPMC refused the proxy's buffers", 0);
			return PINFO_REFUSED;
		}
	}
	for (retried = false;; retried = true) {
		ffp_regs_zero(r);
		r->x[0] = FFA_PARTITION_INFO_GET_32;
		for (i = 0; i < 4; i++)
			r->x[1 + i] = ffa_get32(uuid + 4 * (size_t)i);
		r->x[5] = count_only ? FFA_PARTITION_INFO_GET_COUNT_ONLY : 0;
		ffp_smc(c->p, r);
		if (count_only || retried ||
		    (uint32_t)r->x[0] != FFA_ERROR_32 ||
		    ffp_status(r->x[2]) != FFA_BUSY)
			break;
		if (!ffp_spmc_rx_reclaim(c->p, c->ep_id, c->func)) {
			refuse_spmc_reply(c, r);
			return PINFO_REFUSED;
		}
	}
	if (!ffp_is_success(r->x[0])) {
		refuse_spmc_reply(c, r);
		/* OP-TEE hands its RX to the normal world even when it refuses
		 * a query that is not count-only (thread_spmc.c
		 * spmc_handle_partition_info_get), and answers BUSY to every
		 * later one until it is released; TF-A and Hafnium answer this
		 * RX_RELEASE with DENIED, which changes nothing. */
		return count_only ? PINFO_REFUSED : PINFO_REFUSED_RX;
	}
	return PINFO_OK;
}

/* Give the proxy's RX back to the SPMC (after a query that was not
 * count-only), whatever happened to the query; `held`: it was surely
 * the normal world's, so a refusal is worth a log line. */
static void pinfo_spmc_rx_release(struct ffp_call *c, bool held)
{
	struct ffa_regs r = { { 0 } };

	r.x[0] = FFA_RX_RELEASE_32;
	ffp_smc(c->p, &r);
	if (held && !ffp_is_success(r.x[0]))
		ffp_log(c->p, c->ep_id, c->func, 0,
			"SPMC refused RX_RELEASE of the proxy's RX", r.x[2]);
}

void ffp_handle_partition_info_get(struct ffp_call *c)
{
	struct ffp *p = c->p;
	struct ffp_endpoint *ep = c->ep;
	struct pinfo_query q;
	struct ffa_partinfo_error err;
	struct ffa_regs r = { { 0 } };
	uint32_t flags = (uint32_t)c->in.x[5], i;
	uint32_t count, n, in_size, out_size, rx_bytes = 0, proxy_rx_bytes;
	bool spmc_count_only, spmc_rx_held = false, spmc_rx_unsure = false;
	const char *why;
	int32_t st, status;
	uint8_t *in, *out;

	for (i = 0; i < 4; i++)
		ffa_put32(q.uuid + 4 * (size_t)i, (uint32_t)c->in.x[1 + i]);
	/* w5 bit 0 (count only) is 1.1's, but served at 1.0 too: Hafnium
	 * (api_ffa_partition_info_get: [31:1] MBZ, bit 0 read whatever the
	 * version) and TF-A's EL3 SPMC (partition_info_get_handler) serve
	 * it, pKVM forwards it, and Linux's arm_ffa from bb1be7498500 until
	 * c6e045361a27 (6.1.0..6.1.31, 6.2, 6.3) sets it at 1.0 for its
	 * first probe, which finds no partition if refused. [31:1] MBZ. */
	if (flags & ~FFA_PARTITION_INFO_GET_COUNT_ONLY) {
		ffp_refuse(c, FFA_INVALID_PARAMETERS,
			   "PARTITION_INFO_GET flags MBZ", flags);
		return;
	}
	q.count_only = flags & FFA_PARTITION_INFO_GET_COUNT_ONLY;
	out_size = ffa_partinfo_size(c->version);

	ffp_lock(p, FFP_LOCK_BUFFERS);
	ffp_lock(p, FFP_LOCK_STATE);
	/* No RX buffer, or one the caller still owns: nowhere to write. The
	 * reason is chosen under the lock (another CPU may map meanwhile).
	 * Removed since the call began: the RX under the id is a new
	 * endpoint's, if any. */
	why = NULL;
	status = FFA_BUSY;
	if (ffp_call_stale(c)) {
		status = FFA_NOT_SUPPORTED;
		why = FFP_WHY_STALE;
	} else if (!q.count_only && !ep->mapped) {
		why = "PARTITION_INFO_GET: no RX buffer mapped";
	} else if (!q.count_only && ffp_rx_held(ep)) {
		why = "PARTITION_INFO_GET: caller owns its RX";
	} else {
		ep->busy++;
		rx_bytes = ep->buffer_pages * FFA_PAGE_SIZE;
	}
	ffp_unlock(p, FFP_LOCK_STATE);
	if (why) {
		ffp_unlock(p, FFP_LOCK_BUFFERS);
		ffp_refuse(c, status, why, 0);
		return;
	}

	/* A 1.0 SPMC has no count-only query, and a caller below 1.2 asking
	 * for all may be given fewer descriptors than the SPMC lists
	 * (pinfo_translate): fetch all and count. */
	spmc_count_only = q.count_only && p->spmc_version >= FFA_VERSION_1_1 &&
			  (c->version >= FFA_VERSION_1_2 || !uuid_is_nil(q.uuid));
	switch (pinfo_spmc_query(c, q.uuid, spmc_count_only, &r)) {
	case PINFO_REFUSED:
		goto done;
	case PINFO_REFUSED_RX:
		spmc_rx_unsure = true;
		goto done;
	default:
		break;
	}
	spmc_rx_held = !spmc_count_only;
	count = (uint32_t)r.x[2];
	in_size = p->spmc_version >= FFA_VERSION_1_1 ? (uint32_t)r.x[3]
						     : FFA_PARTITION_INFO_SIZE_V1_0;
	proxy_rx_bytes = p->cfg.buffers.pages * FFA_PAGE_SIZE;
	/* Count only: w3 (the descriptor size) MBZ, as nothing was written
	 * (Hafnium's ffa_partition_info_get_count_flag test checks w3 == 0;
	 * TF-A's EL3 SPMC and Hafnium answer 0). */
	if (spmc_count_only) {
		ffp_success(c, count, 0);
		goto done;
	}
	/* The SPMC's reply is as untrusted as a caller's: the size must be
	 * its version's and the whole array inside the proxy's RX. */
	if (ffa_partinfo_check(p->spmc_version, count, in_size, proxy_rx_bytes,
			       &err)) {
		ffp_refuse(c, err.status, err.why, err.value);
		goto done;
	}
	/* Copy once into private memory, hand RX back, then work on the copy. */
	in = p->scratch;
	out = p->scratch + proxy_rx_bytes;
	ffp_memcpy(in, p->cfg.buffers.rx, (size_t)count * in_size);
	/* Every descriptor is checked, also when the array is only counted
	 * (fetched above for a count-only query): the count is that of the
	 * descriptors a full query would give (DEN0077A 1.1
	 * FFA_PARTITION_INFO_GET, w5 bit 0), so a lie a full query refuses
	 * is refused here too (capacity 0: nothing is written). */
	if (!pinfo_translate(c, &q, in, in_size, count, 0, out, out_size,
			     q.count_only ? 0 : rx_bytes, &n))
		goto done;
	if (!q.count_only) {
		/* Valid descriptors, too many for the caller's RX: NO_MEMORY,
		 * as Hafnium (send_versioned_partition_info_descriptors),
		 * TF-A's EL3 SPMC and Xen answer. */
		if ((uint64_t)n * out_size > rx_bytes) {
			ffp_refuse(c, FFA_NO_MEMORY,
				   "partition info does not fit the caller's RX",
				   (uint64_t)n * out_size);
			goto done;
		}
		/* The producer zeroes the unused tail (DEN0077A 1.3 4.10). */
		ffp_memset(out + (size_t)n * out_size, 0,
			   rx_bytes - (size_t)n * out_size);
		st = p->plat->caller_write(p->ctx, c->ep_id, ep->rx_pa, out,
					   rx_bytes);
		if (st) {
			ffp_refuse(c, FFA_ABORTED,
				   "could not write the caller's RX buffer",
				   ep->rx_pa);
			goto done;
		}
	}
	ffp_success(c, n,
		    c->version >= FFA_VERSION_1_1 && !q.count_only ? out_size
								   : 0);
	if (!q.count_only) {
		ffp_lock(p, FFP_LOCK_STATE);
		ffp_rx_held_set(ep, true);
		ffp_unlock(p, FFP_LOCK_STATE);
	}

done:
	/* RX ownership goes back to the SPMC whatever happened. */
	if (spmc_rx_held || spmc_rx_unsure)
		pinfo_spmc_rx_release(c, spmc_rx_held);
	ffp_lock(p, FFP_LOCK_STATE);
	ep->busy--;
	ffp_unlock(p, FFP_LOCK_STATE);
	ffp_unlock(p, FFP_LOCK_BUFFERS);
}

/* Descriptors one FFA_PARTITION_INFO_GET_REGS reply carries (x3..x17). */
#define PINFO_REGS_MAX 5u

/*
 * FFA_PARTITION_INFO_GET_REGS (DEN0077A 1.2 13.x; ffa-facts section 7), as
 * verified against the peers:
 *  - x1 = UUID words 0 | 1 << 32, x2 = words 2 | 3 << 32 (bytes 0..7 and
 *    8..15 little-endian): Linux __ffa_partition_info_get_regs packs
 *    uuid1 << 32 | uuid0, Hafnium ffa_uuid_from_u64x2 reads them back;
 *  - x3[15:0] start index, x3[31:16] tag, x3[63:32] MBZ;
 *  - the reply FFA_SUCCESS_64, x2 = last index [15:0] | current index
 *    [31:16] | tag [47:32] | descriptor size 24 [63:48]; descriptors from
 *    the start index to the current one (at most 5) in x3..x17, three
 *    registers each: id | execution contexts << 16 | properties << 32,
 *    then the UUID as x1/x2 carry it, zero when asked by UUID; every other
 *    register zero (Hafnium api_ffa_partition_info_get_regs);
 *  - a start index at or past the partition count, or a UUID no partition
 *    has: INVALID_PARAMETERS (Hafnium); a non-zero tag: RETRY (Hafnium,
 *    which hands out none); Linux loops from start index 0 to the last
 *    index, passing back the tag it was given, and counts last + 1.
 *
 * Over a 1.2 SPMC with SMCCC 1.2 the call is forwarded (both at 1.2: the
 * layout is the same) and the reply checked: the descriptor size, the
 * indexes, and that every reported id is secure. False, with nothing
 * answered, when the SPMC lacks it (pinfo_regs_lacking, learned):
 * emulated then.
 */
static bool pinfo_regs_forward(struct ffp_call *c)
{
	struct ffa_regs r = { { 0 } };
	uint64_t x2, props;
	uint32_t last, cur, start, n, i;

	r.x[0] = FFA_PARTITION_INFO_GET_REGS_64;
	r.x[1] = c->in.x[1];
	r.x[2] = c->in.x[2];
	r.x[3] = c->in.x[3];
	ffp_smc(c->p, &r);
	/* A 1.2 SPMC without the register form: emulated (the caller),
	 * from now on without asking. */
	if (pinfo_regs_lacking(&r)) {
		ffp_pinfo_regs_learn(c->p);
		return false;
	}
	/* FFA_SUCCESS_64 only (DEN0077A 1.2 table 13.41): in a SUCCESS_32
	 * frame the upper halves holding the reply are not results. */
	if ((uint32_t)r.x[0] != FFA_SUCCESS_64) {
		refuse_spmc_reply(c, &r);
		return true;
	}
	x2 = r.x[2];
	last = (uint16_t)x2;
	cur = (uint16_t)(x2 >> 16);
	/* x2[63:48] descriptor size: 24 at 1.2 (DEN0077A 1.2 table 13.41). */
	if ((x2 >> 48) != FFA_PARTITION_INFO_SIZE_V1_1 || cur > last) {
		ffp_refuse(c, FFA_ABORTED, "SPMC PARTITION_INFO_GET_REGS reply",
			   x2);
		return true;
	}
	/* From the caller's start index to the current one, at most five:
	 * compared before subtracting, so nothing wraps. */
	start = (uint16_t)c->in.x[3];
	if (start > cur || cur - start >= PINFO_REGS_MAX) {
		ffp_refuse(c, FFA_ABORTED,
			   "SPMC PARTITION_INFO_GET_REGS index out of range", x2);
		return true;
	}
	n = cur - start + 1;
	for (i = 0; i < n; i++) {
		if (!ffa_id_is_secure((uint16_t)r.x[3 + 3 * i])) {
			ffp_refuse(c, FFA_ABORTED,
				   "SPMC reported a non-secure partition id",
				   (uint16_t)r.x[3 + 3 * i]);
			return true;
		}
	}
	ffp_regs_zero(&c->out);
	c->out.x[0] = FFA_SUCCESS_64;
	c->out.x[2] = x2;
	for (i = 0; i < 3 * n; i++)
		c->out.x[3 + i] = r.x[3 + i];
	/* Properties (bits [63:32] of each descriptor's first register):
	 * bits 1.2 does not define (for the id type given) are reserved and
	 * not passed on, as FFA_PARTITION_INFO_GET's descriptors
	 * (ffa_partinfo_parse). */
	for (i = 0; i < n; i++) {
		props = ffa_partinfo_props_valid(
			FFA_VERSION_1_2, (uint32_t)(c->out.x[3 + 3 * i] >> 32));
		c->out.x[3 + 3 * i] = props << 32 |
				      (uint32_t)c->out.x[3 + 3 * i];
	}
	/* Asked by UUID: the descriptors' UUID MBZ, as in the buffer form
	 * (Hafnium api_ffa_partition_info_get_regs packs it for the nil
	 * UUID only). */
	if (c->in.x[1] | c->in.x[2]) {
		for (i = 0; i < n; i++) {
			c->out.x[4 + 3 * i] = 0;
			c->out.x[5 + 3 * i] = 0;
		}
	}
	return true;
}

/*
 * Over a 1.0 or 1.1 SPMC (or SMCCC 1.1 firmware, which caps it at 1.1:
 * docs/versions.md), which has no register form: the proxy asks with the
 * buffer form through its own RX, checks and translates the descriptors
 * for its 1.2 caller as ffp_handle_partition_info_get does (properties,
 * the UUID of a 1.0 SPMC's partitions from cfg.uuids, nil when asked by
 * UUID), releases its RX, and answers from registers. Every call costs
 * one query and one RX_RELEASE. The proxy hands out tag 0 only: the list
 * is fetched afresh on every call, so a caller paging through it sees a
 * changed list as changed indexes, as with Hafnium.
 */
_Static_assert((uint64_t)FFP_RXTX_MAX_PAGES * FFA_PAGE_SIZE /
			       FFA_PARTITION_INFO_SIZE_V1_0 <=
		       0x10000u,
	       "the proxy's RX holds more partitions than 16-bit indexes tell");
static void pinfo_regs_emulate(struct ffp_call *c)
{
	struct ffp *p = c->p;
	struct pinfo_query q;
	struct ffa_partinfo_error err;
	struct ffa_regs r = { { 0 } };
	uint8_t out[PINFO_REGS_MAX * FFA_PARTITION_INFO_SIZE_V1_1];
	uint32_t start = (uint16_t)c->in.x[3], count, in_size, n, k, i;
	bool rx_held = false, rx_unsure = false;
	const uint8_t *d;
	uint8_t *in;

	ffa_put32(q.uuid, (uint32_t)c->in.x[1]);
	ffa_put32(q.uuid + 4, (uint32_t)(c->in.x[1] >> 32));
	ffa_put32(q.uuid + 8, (uint32_t)c->in.x[2]);
	ffa_put32(q.uuid + 12, (uint32_t)(c->in.x[2] >> 32));
	q.count_only = false;

	ffp_lock(p, FFP_LOCK_BUFFERS);
	switch (pinfo_spmc_query(c, q.uuid, false, &r)) {
	case PINFO_REFUSED:
		goto done;
	case PINFO_REFUSED_RX:
		rx_unsure = true;
		goto done;
	default:
		break;
	}
	rx_held = true;
	count = (uint32_t)r.x[2];
	in_size = p->spmc_version >= FFA_VERSION_1_1 ? (uint32_t)r.x[3]
						     : FFA_PARTITION_INFO_SIZE_V1_0;
	/* As untrusted as a caller's: checked, copied once, then used. */
	if (ffa_partinfo_check(p->spmc_version, count, in_size,
			       p->cfg.buffers.pages * FFA_PAGE_SIZE, &err)) {
		ffp_refuse(c, err.status, err.why, err.value);
		goto done;
	}
	in = p->scratch;
	ffp_memcpy(in, p->cfg.buffers.rx, (size_t)count * in_size);
	/* Every descriptor checked; those from the start index written. */
	if (!pinfo_translate(c, &q, in, in_size, count, start, out,
			     FFA_PARTITION_INFO_SIZE_V1_1, sizeof(out), &n))
		goto done;
	/* No partition (an SPMC answering SUCCESS with none), or a start
	 * index past the last: INVALID_PARAMETERS, as Hafnium answers. */
	if (!n || start >= n) {
		ffp_refuse(c, FFA_INVALID_PARAMETERS,
			   "PARTITION_INFO_GET_REGS: no partition at the start index",
			   start);
		goto done;
	}
	/* The indexes are 16-bit, and every list fits them: its count
	 * was checked to fit the proxy's RX (ffa_partinfo_check), at most
	 * 63 pages of descriptors of 8 bytes or more (1.0's), so n <= 32256
	 * (_Static_assert below: a test at run time could never fail). */
	k = n - start; /* at least 1 */
	if (k > PINFO_REGS_MAX)
		k = PINFO_REGS_MAX;
	ffp_regs_zero(&c->out);
	c->out.x[0] = FFA_SUCCESS_64;
	c->out.x[2] = (uint64_t)(n - 1) | (uint64_t)(start + k - 1) << 16 |
		      (uint64_t)FFA_PARTITION_INFO_SIZE_V1_1 << 48;
	for (i = 0; i < k; i++) {
		d = out + (size_t)i * FFA_PARTITION_INFO_SIZE_V1_1;
		c->out.x[3 + 3 * i] = (uint64_t)ffa_get16(d) |
				      (uint64_t)ffa_get16(d + 2) << 16 |
				      (uint64_t)ffa_get32(d + 4) << 32;
		c->out.x[4 + 3 * i] = ffa_get64(d + 8);
		c->out.x[5 + 3 * i] = ffa_get64(d + 16);
	}

done:
	if (rx_held || rx_unsure)
		pinfo_spmc_rx_release(c, rx_held);
	ffp_unlock(p, FFP_LOCK_BUFFERS);
}

void ffp_handle_partition_info_get_regs(struct ffp_call *c)
{
	uint16_t tag = (uint16_t)(c->in.x[3] >> 16);

	/* x3[63:32] reserved, MBZ (DEN0077A 1.2 table 13.40): the caller's
	 * bits do not go to the SPMC. */
	if (c->in.x[3] >> 32) {
		ffp_refuse(c, FFA_INVALID_PARAMETERS,
			   "PARTITION_INFO_GET_REGS x3[63:32] MBZ", c->in.x[3]);
		return;
	}
	/* Forwarded; emulated when the SPMC lacks it, known or found now
	 * (the caller's tag then is none of the SPMC's either). */
	if (ffp_pinfo_regs_forwarded(c->p) && !ffp_pinfo_regs_lacks(c->p) &&
	    pinfo_regs_forward(c))
		return;
	/* The proxy's answers carry tag 0; any other is none of its:
	 * RETRY, as Hafnium answers a non-zero tag. */
	if (tag) {
		ffp_refuse(c, FFA_RETRY, "PARTITION_INFO_GET_REGS unknown tag",
			   tag);
		return;
	}
	pinfo_regs_emulate(c);
}
