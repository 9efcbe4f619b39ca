/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * The SPMC model's notifications (DEN0077A 1.1+ chapter 10) as the normal
 * world's hypervisor sees them, strict so that a proxy bug fails loudly:
 * bitmaps of normal-world ids created and destroyed by the hypervisor
 * (destroy DENIED while notifications are pending, as Hafnium's
 * plat_ffa_notifications_bitmap_destroy), bindings with a partition as
 * sender (BIND and UNBIND DENIED for a pending bit, as Hafnium's
 * api_ffa_notification_update_bindings), SET to partitions (no bit, or
 * the wrong kind of binding, INVALID_PARAMETERS; the delay-SRI flag
 * refused from the normal world: Hafnium's hypervisor clears it, its
 * SPMC refuses it), GET of the SP and SPM bitmaps
 * only (the VM and hypervisor flags refused, as Hafnium's SPMC does),
 * INFO_GET listing the ids with notifications not yet reported (VMs, then
 * partitions with notifications from the normal world pending, which the
 * scheduler gives cycles: Hafnium's SPMC lists both).
 */
#include "sim/spmc.h"

static int part_index(const struct spmc *s, uint16_t id)
{
	uint32_t i;

	for (i = 0; i < s->part_count; i++)
		if (s->parts[i].id == id)
			return (int)i;
	return -1;
}

static struct spmc_ns_bitmap *find_bitmap(struct spmc *s, uint16_t vm)
{
	uint32_t i;

	for (i = 0; i < SPMC_NOTIF_BITMAPS; i++)
		if (s->notif[i].used && s->notif[i].id == vm)
			return &s->notif[i];
	return NULL;
}

const struct spmc_ns_bitmap *spmc_notif_bitmap(const struct spmc *s,
					       uint16_t vm)
{
	return find_bitmap((struct spmc *)s, vm);
}

static bool any_pending(const struct spmc_ns_bitmap *b)
{
	uint64_t acc = b->pending | b->spm_pending;
	uint32_t v;

	for (v = 0; v < SPMC_NOTIF_VCPUS; v++)
		acc |= b->pending_vcpu[v];
	return acc != 0;
}

static void bitmap_create(struct spmc *s, const struct ffa_regs *in,
			  struct ffa_regs *out)
{
	uint32_t w1 = (uint32_t)in->x[1], w2 = (uint32_t)in->x[2], i;
	struct spmc_ns_bitmap *b = NULL;

	if ((w1 >> 16) || ffa_id_is_secure((uint16_t)w1) || !w2 ||
	    in->x[3] | in->x[4] | in->x[5] | in->x[6] | in->x[7]) {
		spmc_error(out, FFA_INVALID_PARAMETERS);
		return;
	}
	if (find_bitmap(s, (uint16_t)w1)) {
		spmc_error(out, FFA_DENIED);
		return;
	}
	for (i = 0; i < SPMC_NOTIF_BITMAPS && !b; i++)
		if (!s->notif[i].used)
			b = &s->notif[i];
	if (!b || w2 > SPMC_NOTIF_VCPUS) {
		spmc_error(out, FFA_NO_MEMORY);
		return;
	}
	*b = (struct spmc_ns_bitmap){ 0 };
	b->used = true;
	b->id = (uint16_t)w1;
	b->vcpus = (uint16_t)w2;
	spmc_success32(out, 0, 0);
}

static void bitmap_destroy(struct spmc *s, const struct ffa_regs *in,
			   struct ffa_regs *out)
{
	uint32_t w1 = (uint32_t)in->x[1];
	struct spmc_ns_bitmap *b;

	if ((w1 >> 16) || in->x[2] | in->x[3] | in->x[4] | in->x[5] |
				   in->x[6] | in->x[7]) {
		spmc_error(out, FFA_INVALID_PARAMETERS);
		return;
	}
	b = find_bitmap(s, (uint16_t)w1);
	if (!b || any_pending(b)) {
		spmc_error(out, FFA_DENIED);
		return;
	}
	*b = (struct spmc_ns_bitmap){ 0 };
	spmc_success32(out, 0, 0);
}

/* Bind or unbind `bitmap` of receiver bindings (bound, per_vcpu, sender)
 * to `sender`, `pending` the receiver's notifications pending (global and
 * per-vCPU): 0 or the status. As Hafnium's SPMC
 * (api_ffa_notification_update_bindings): DENIED if a bit is bound (BIND)
 * or not bound to `sender` (UNBIND), or pending (either). */
static int32_t update_bindings(uint64_t *bound, uint64_t *per_vcpu,
			       uint16_t sender_of[64], uint64_t pending,
			       uint16_t sender, uint64_t bitmap, bool bind,
			       bool pv)
{
	uint32_t i;

	if (!bitmap)
		return FFA_INVALID_PARAMETERS;
	for (i = 0; i < 64; i++) {
		if (!(bitmap >> i & 1))
			continue;
		if (bind ? (*bound >> i & 1)
			 : (!(*bound >> i & 1) || sender_of[i] != sender))
			return FFA_DENIED;
	}
	if (pending & bitmap)
		return FFA_DENIED;
	for (i = 0; i < 64; i++)
		if (bitmap >> i & 1)
			sender_of[i] = bind ? sender : 0;
	if (bind) {
		*bound |= bitmap;
		*per_vcpu = pv ? *per_vcpu | bitmap : *per_vcpu & ~bitmap;
	} else {
		*bound &= ~bitmap;
		*per_vcpu &= ~bitmap;
	}
	return 0;
}

static void bind(struct spmc *s, const struct ffa_regs *in,
		 struct ffa_regs *out, bool is_bind)
{
	uint32_t w1 = (uint32_t)in->x[1], w2 = (uint32_t)in->x[2];
	uint16_t sender = (uint16_t)(w1 >> 16), recv = (uint16_t)w1;
	uint64_t bitmap = (uint32_t)in->x[3] | (uint64_t)(uint32_t)in->x[4] << 32;
	struct spmc_ns_bitmap *b = find_bitmap(s, recv);
	uint64_t pending;
	int32_t st;
	uint32_t v;

	/* A sender that does not exist: INVALID_PARAMETERS for BIND only;
	 * UNBIND finds the bits not bound to it (DENIED), as Hafnium's
	 * api_ffa_notification_update_bindings. */
	if (!b || (is_bind && part_index(s, sender) < 0) ||
	    (w2 & ~(is_bind ? FFA_NOTIF_FLAG_PER_VCPU : 0u)) ||
	    in->x[5] | in->x[6] | in->x[7]) {
		spmc_error(out, FFA_INVALID_PARAMETERS);
		return;
	}
	pending = b->pending;
	for (v = 0; v < SPMC_NOTIF_VCPUS; v++)
		pending |= b->pending_vcpu[v];
	st = update_bindings(&b->bound, &b->per_vcpu, b->sender, pending,
			     sender, bitmap, is_bind,
			     w2 & FFA_NOTIF_FLAG_PER_VCPU);
	if (st) {
		spmc_error(out, st);
		return;
	}
	spmc_success32(out, 0, 0);
}

/* Whether every bit of `bitmap` is bound to `sender` with that
 * per-vCPU-ness. */
static bool bound_to(uint64_t bound, uint64_t per_vcpu,
		     const uint16_t sender_of[64], uint16_t sender,
		     uint64_t bitmap, bool pv)
{
	uint32_t i;

	if (!bitmap || (bitmap & ~bound))
		return false;
	if (pv ? (bitmap & ~per_vcpu) : (bitmap & per_vcpu))
		return false;
	for (i = 0; i < 64; i++)
		if ((bitmap >> i & 1) && sender_of[i] != sender)
			return false;
	return true;
}

/* A normal-world sender to a partition. */
static void set(struct spmc *s, const struct ffa_regs *in, struct ffa_regs *out)
{
	uint32_t w1 = (uint32_t)in->x[1], w2 = (uint32_t)in->x[2];
	uint16_t sender = (uint16_t)(w1 >> 16), recv = (uint16_t)w1;
	uint64_t bitmap = (uint32_t)in->x[3] | (uint64_t)(uint32_t)in->x[4] << 32;
	bool pv = w2 & FFA_NOTIF_FLAG_PER_VCPU;
	int i = part_index(s, recv);
	struct spmc_sp_notif *n;

	if (i < 0 || ffa_id_is_secure(sender) ||
	    (w2 & (pv ? 0x0000fffeu : 0xfffffffeu)) ||
	    (pv && (w2 >> 16) >= s->parts[i].exec_ctx) ||
	    in->x[5] | in->x[6] | in->x[7]) {
		spmc_error(out, FFA_INVALID_PARAMETERS);
		return;
	}
	n = &s->sp_notif[i];
	/* As Hafnium's SPMC (api_ffa_notification_set): no notification at
	 * all, or bits all bound to the sender but as the other kind (global
	 * vs per-vCPU), are INVALID_PARAMETERS; any other bit not bound to
	 * the sender as named, DENIED. */
	if (!bitmap || bound_to(n->bound, n->per_vcpu, n->sender, sender,
				bitmap, !pv)) {
		spmc_error(out, FFA_INVALID_PARAMETERS);
		return;
	}
	if (!bound_to(n->bound, n->per_vcpu, n->sender, sender, bitmap, pv)) {
		spmc_error(out, FFA_DENIED);
		return;
	}
	n->pending |= bitmap;
	n->reported = false;
	spmc_success32(out, 0, 0);
}

static void get(struct spmc *s, const struct ffa_regs *in, struct ffa_regs *out)
{
	uint32_t w1 = (uint32_t)in->x[1], w2 = (uint32_t)in->x[2];
	uint16_t vcpu = (uint16_t)(w1 >> 16);
	struct spmc_ns_bitmap *b = find_bitmap(s, (uint16_t)w1);
	struct spmc_vm_mbox *mb =
		(uint16_t)w1 ? spmc_vm_mbox(s, (uint16_t)w1) : NULL;
	uint64_t sp = 0;
	uint32_t spm = 0;

	/* Id 0 (Hafnium's other-world VM) is known without a bitmap: its
	 * vCPU count is then the SPMC's own (MAX_CPUS there). A VM id without
	 * one has no VM struct (Hafnium CHECKs; refused here), unless a
	 * forwarded RXTX_MAP of its pair made one. */
	if ((!b && !mb && (uint16_t)w1 != 0) ||
	    vcpu >= (b ? b->vcpus : SPMC_NOTIF_VCPUS) ||
	    (w2 & ~(uint32_t)(FFA_NOTIF_GET_SP | FFA_NOTIF_GET_SPM)) ||
	    in->x[3] | in->x[4] | in->x[5] | in->x[6] | in->x[7]) {
		spmc_error(out, FFA_INVALID_PARAMETERS);
		return;
	}
	if ((w2 & FFA_NOTIF_GET_SP) && b) {
		sp = b->pending | b->pending_vcpu[vcpu];
		b->pending = 0;
		b->pending_vcpu[vcpu] = 0;
	}
	if ((w2 & FFA_NOTIF_GET_SPM) && (uint16_t)w1 == 0) {
		spm = s->ns_spm_pending;
		s->ns_spm_pending = 0;
		s->ns_rx_full_taken += (spm & FFA_NOTIF_FW_RX_FULL) != 0;
	} else if (w2 & FFA_NOTIF_GET_SPM) {
		spm = b ? b->spm_pending : 0;
		if (b)
			b->spm_pending = 0;
		if (mb) {
			spm |= mb->spm_pending;
			mb->spm_pending = 0;
		}
	}
	out->x[0] = FFA_SUCCESS_32;
	out->x[2] = (uint32_t)sp;
	out->x[3] = (uint32_t)(sp >> 32);
	out->x[6] = spm;
}

static void put_id(struct ffa_regs *out, uint32_t idx, uint16_t id, bool w64)
{
	uint32_t per = w64 ? 4 : 2;

	out->x[3 + idx / per] |= (uint64_t)id << (16 * (idx % per));
}

static void info_get(struct spmc *s, const struct ffa_regs *in,
		     struct ffa_regs *out)
{
	const bool w64 = ffa_is_smc64((uint32_t)in->x[0]);
	const uint32_t max = w64 ? FFA_NOTIF_INFO_MAX_IDS_64
				 : FFA_NOTIF_INFO_MAX_IDS_32;
	uint64_t flags = 0;
	uint32_t i, v, n = 0, lists = 0, k, vc[SPMC_NOTIF_VCPUS], nv;
	bool more = false, listed0 = false;

	if (in->x[1] | in->x[2] | in->x[3] | in->x[4] | in->x[5] | in->x[6] |
	    in->x[7]) {
		spmc_error(out, FFA_INVALID_PARAMETERS);
		return;
	}
	/* Id 0's framework notifications first (Hafnium lists the
	 * other-world VM before the other VMs), bitmap or not. */
	if (s->ns_spm_pending && !s->ns_spm_reported) {
		put_id(out, n++, 0, w64);
		lists++;
		s->ns_spm_reported = true;
		listed0 = true;
	}
	for (i = 0; i < SPMC_NOTIF_BITMAPS; i++) {
		struct spmc_ns_bitmap *b = &s->notif[i];
		/* RX buffer full of a VM whose pair a hypervisor mapped: its
		 * framework notification, listed with its bitmap's. */
		struct spmc_vm_mbox *mb = b->used && b->id ? spmc_vm_mbox(s, b->id)
							 : NULL;
		bool mb_new = mb && mb->spm_pending && !mb->reported;

		if (!b->used || ((b->reported || !any_pending(b)) && !mb_new))
			continue;
		/* Id 0 already listed for its global notifications. */
		if (listed0 && b->id == 0) {
			for (nv = 0, v = 0; v < b->vcpus; v++)
				nv |= b->pending_vcpu[v] != 0;
			if (!nv) {
				b->reported = true;
				continue;
			}
		}
		for (nv = 0, v = 0; v < b->vcpus; v++)
			if (b->pending_vcpu[v])
				vc[nv++] = v;
		/* One list per three vCPUs (at least one list). */
		for (k = 0; k == 0 || k < nv; k += 3) {
			uint32_t size = nv - k > 3 ? 3 : nv - k;

			if (n + 1 + size > max) {
				more = true;
				break;
			}
			put_id(out, n++, b->id, w64);
			for (v = 0; v < size; v++)
				put_id(out, n++, (uint16_t)vc[k + v], w64);
			flags |= (uint64_t)size
				 << (FFA_NOTIF_INFO_SIZES_SHIFT + 2 * lists);
			lists++;
		}
		if (more)
			break;
		b->reported = true;
		if (mb)
			mb->reported = true;
	}
	/* VMs with no bitmap but a pair a hypervisor mapped, RX buffer full
	 * pending: one list each, no vCPU ids (the framework bitmap is
	 * global). */
	for (i = 0; !more && i < SPMC_VM_MBOXES; i++) {
		struct spmc_vm_mbox *mb = &s->vm_mbox[i];

		if (!mb->used || !mb->spm_pending || mb->reported ||
		    find_bitmap(s, mb->id))
			continue;
		if (n + 1 > max) {
			more = true;
			break;
		}
		put_id(out, n++, mb->id, w64);
		lists++;
		mb->reported = true;
	}
	/* Partitions with notifications from the normal world pending: the
	 * scheduler gives them cycles (one list each, no vCPU ids). */
	for (i = 0; !more && i < s->part_count; i++) {
		struct spmc_sp_notif *sn = &s->sp_notif[i];

		if (!sn->pending || sn->reported)
			continue;
		if (n + 1 > max) {
			more = true;
			break;
		}
		put_id(out, n++, s->parts[i].id, w64);
		lists++;
		sn->reported = true;
	}
	if (!lists) {
		for (i = 3; i < 8; i++)
			out->x[i] = 0;
		spmc_error(out, FFA_NO_DATA);
		return;
	}
	flags |= (uint64_t)lists << FFA_NOTIF_INFO_COUNT_SHIFT;
	flags |= more ? FFA_NOTIF_INFO_MORE_PENDING : 0;
	out->x[0] = w64 ? FFA_SUCCESS_64 : FFA_SUCCESS_32;
	out->x[2] = flags;
}

bool spmc_fail_knob(struct spmc *s, uint32_t fn, struct ffa_regs *out)
{
	if (!s->notif_fail_left || s->notif_fail_fn != fn)
		return false;
	s->notif_fail_left--;
	if (s->notif_fail_status) {
		spmc_error(out, s->notif_fail_status);
	} else { /* a success frame with junk in w1 */
		spmc_success32(out, 0, 0);
		out->x[1] = 0x5a5a;
	}
	return true;
}

void spmc_notif_smc(struct spmc *s, const struct ffa_regs *in,
		    struct ffa_regs *out)
{
	uint32_t fn = ffa_fn((uint32_t)in->x[0]);

	if (spmc_fail_knob(s, fn, out))
		return;
	switch (fn) {
	case FFA_FN_NOTIFICATION_BITMAP_CREATE:
		bitmap_create(s, in, out);
		break;
	case FFA_FN_NOTIFICATION_BITMAP_DESTROY:
		bitmap_destroy(s, in, out);
		break;
	case FFA_FN_NOTIFICATION_BIND:
		bind(s, in, out, true);
		break;
	case FFA_FN_NOTIFICATION_UNBIND:
		/* UNBIND has no flags: w2 MBZ */
		bind(s, in, out, false);
		break;
	case FFA_FN_NOTIFICATION_SET:
		set(s, in, out);
		break;
	case FFA_FN_NOTIFICATION_GET:
		get(s, in, out);
		break;
	default:
		info_get(s, in, out);
		break;
	}
}

void spmc_notif_features(struct spmc *s, uint32_t id, struct ffa_regs *out)
{
	if (id == FFA_FEATURE_SRI && s->version >= FFA_VERSION_1_1 &&
	    s->ns_version >= FFA_VERSION_1_1)
		spmc_success32(out, SPMC_SRI_INTID, 0);
	else
		spmc_error(out, FFA_NOT_SUPPORTED);
}

int spmc_sp_notif_bind(struct spmc *s, uint16_t sp, uint16_t vm,
		       uint64_t bitmap, bool per_vcpu)
{
	int i = part_index(s, sp);
	struct spmc_sp_notif *n;

	if (i < 0 || ffa_id_is_secure(vm) || s->version < FFA_VERSION_1_1)
		return FFA_INVALID_PARAMETERS;
	n = &s->sp_notif[i];
	return update_bindings(&n->bound, &n->per_vcpu, n->sender, n->pending,
			       vm, bitmap, true, per_vcpu);
}

int spmc_sp_notif_set(struct spmc *s, uint16_t sp, uint16_t vm,
		      uint64_t bitmap, bool per_vcpu, uint16_t vcpu)
{
	struct spmc_ns_bitmap *b = find_bitmap(s, vm);

	if (part_index(s, sp) < 0 || !b || (per_vcpu && vcpu >= b->vcpus) ||
	    !bitmap ||
	    bound_to(b->bound, b->per_vcpu, b->sender, sp, bitmap, !per_vcpu))
		return FFA_INVALID_PARAMETERS;
	if (!bound_to(b->bound, b->per_vcpu, b->sender, sp, bitmap, per_vcpu))
		return FFA_DENIED;
	if (per_vcpu)
		b->pending_vcpu[vcpu] |= bitmap;
	else
		b->pending |= bitmap;
	b->reported = false;
	return 0;
}

int spmc_sp_notif_get(struct spmc *s, uint16_t sp, uint64_t *bitmap)
{
	int i = part_index(s, sp);

	if (i < 0)
		return FFA_INVALID_PARAMETERS;
	*bitmap = s->sp_notif[i].pending;
	s->sp_notif[i].pending = 0;
	return 0;
}

int spmc_spm_notif_set(struct spmc *s, uint16_t vm, uint32_t bits)
{
	struct spmc_ns_bitmap *b = find_bitmap(s, vm);

	if (vm == 0) {
		s->ns_spm_pending |= bits;
		s->ns_spm_reported = false;
		return 0;
	}
	if (!b)
		return FFA_INVALID_PARAMETERS;
	b->spm_pending |= bits;
	b->reported = false;
	return 0;
}
