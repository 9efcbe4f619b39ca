/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * VM availability messages (DEN0077A 1.1+ framework messages): the
 * hypervisor tells the partitions that subscribed when a VM is created or
 * destroyed. The proxy is that hypervisor for the VMs it serves. Facts:
 * Xen's mediator (ffa_partinfo.c: subscribers from partition properties
 * bits 6/7, DIRECT_REQ_32 with w2 = framework | type and w5 the VM id, a
 * response checked for w0 and w2, w3 the status, VM_DESTROYED kept for a
 * later retry on RETRY or INTERRUPTED); Trusty's arm_ffa.h for the
 * register layout (w1 hypervisor id 0 in [31:16], w3/w4 a VM handle).
 */
#include <ffaproxy/partinfo.h>

#include "internal.h"

#define PI_PROPS 4 /* a partition descriptor's properties (partinfo.c) */

static void log_sub(struct ffp *p, uint16_t id, int32_t status,
		    const char *why, uint64_t value)
{
	ffp_log(p, id, FFA_MSG_SEND_DIRECT_REQ_32, status, why, value);
}

/*
 * Parse the SPMC's partition list (`count` descriptors of `size` bytes,
 * checked, in private memory) into the subscriber table. 0 or ABORTED
 * (a descriptor the SPMC may not send) or NO_MEMORY (too many).
 */
static int parse_subscribers(struct ffp *p, uint16_t vm, const uint8_t *in,
			     uint32_t count, uint32_t size)
{
	struct ffa_partinfo_error err;
	struct ffa_partinfo d;
	uint32_t i, j, props, n = 0, destroyed = 0;

	for (i = 0; i < count; i++) {
		if (ffa_partinfo_parse(p->spmc_version, in, count * size, size,
				       i, &d, &err)) {
			log_sub(p, vm, err.status, err.why, err.value);
			return err.status;
		}
		/* ffa_partinfo_parse keeps only what callers may see; the
		 * subscription bits are read from the same checked copy. */
		props = ffa_get32(in + (size_t)i * size + PI_PROPS);
		/* The messages are direct requests: bits 6/7 mean something
		 * only for a PE endpoint (bits 5:4 0b00) receiving them (bit
		 * 0), as Hafnium sets them (api_ffa_partitions_info_get_
		 * properties) and Arm's arm-ffa crate reads them. */
		if ((props & (0x3u << 4)) ||
		    !(props & FFA_PART_PROP_DIRECT_REQ_RECV) ||
		    !(props & (FFA_PART_PROP_VM_CREATED |
			       FFA_PART_PROP_VM_DESTROYED)))
			continue;
		/* A partition with several UUIDs is listed once per UUID
		 * (Hafnium api_ffa_fill_partitions_info_array, TF-A's EL3
		 * SPMC): one partition, told once. */
		for (j = 0; j < n && p->subs[j].id != d.id; j++)
			;
		if (j < n) {
			p->subs[j].created |= !!(props & FFA_PART_PROP_VM_CREATED);
			p->subs[j].destroyed |=
				!!(props & FFA_PART_PROP_VM_DESTROYED);
			if (p->subs[j].destroyed)
				destroyed |= 1u << j;
			continue;
		}
		if (n == FFP_MAX_SUBSCRIBERS) {
			log_sub(p, vm, FFA_NO_MEMORY,
				"VM availability: too many subscribed partitions",
				count);
			return FFA_NO_MEMORY;
		}
		p->subs[n].id = d.id;
		p->subs[n].created = props & FFA_PART_PROP_VM_CREATED;
		p->subs[n].destroyed = props & FFA_PART_PROP_VM_DESTROYED;
		if (p->subs[n].destroyed)
			destroyed |= 1u << n;
		n++;
	}
	p->sub_count = n;
	p->subs_destroyed = destroyed;
	return 0;
}

/* FFA_PARTITION_INFO_GET (all partitions) through the proxy's buffers.
 * BUFFERS held. */
static int query_subscribers(struct ffp *p, uint16_t vm)
{
	struct ffa_partinfo_error err;
	struct ffa_regs r;
	uint32_t count, size, rx_bytes = p->cfg.buffers.pages * FFA_PAGE_SIZE;
	bool reclaim_refused = false;
	int32_t st;
	int ret;

	st = ffp_spmc_buffers_map(p);
	if (st) {
		log_sub(p, vm, st, "VM availability: SPMC refused the proxy's buffers",
			0);
		return st;
	}
	ffp_regs_zero(&r);
	r.x[0] = FFA_PARTITION_INFO_GET_32;
	ffp_smc(p, &r);
	/* BUSY for the proxy's RX, which it does not hold: a partition's
	 * indirect message fills it (ffp_spmc_rx_reclaim). Released once,
	 * asked once more; a refused release is the one release (as in
	 * discovery.c), not followed by the one below. */
	if ((uint32_t)r.x[0] == FFA_ERROR_32 &&
	    ffp_status(r.x[2]) == FFA_BUSY) {
		reclaim_refused =
			!ffp_spmc_rx_reclaim(p, vm, FFA_MSG_SEND_DIRECT_REQ_32);
		if (!reclaim_refused) {
			ffp_regs_zero(&r);
			r.x[0] = FFA_PARTITION_INFO_GET_32;
			ffp_smc(p, &r);
		}
	}
	if (!ffp_is_success(r.x[0])) {
		st = (uint32_t)r.x[0] == FFA_ERROR_32 ? ffp_status(r.x[2])
						       : FFA_ABORTED;
		/* The nil UUID matching nothing: no partitions at all. No
		 * partition info at all: none can be known to subscribe
		 * (Xen gives up FF-A then; VMs are still served here). */
		ret = st == FFA_INVALID_PARAMETERS || st == FFA_NOT_SUPPORTED
			      ? 0
			      : st;
		log_sub(p, vm, ret ? st : 0,
			ret ? "VM availability: SPMC refused PARTITION_INFO_GET"
			    : "VM availability: no partitions, none subscribed",
			r.x[2]);
		/* OP-TEE hands its RX over even on a refusal (discovery.c);
		 * elsewhere this release is DENIED and changes nothing. */
		if (!reclaim_refused) {
			ffp_regs_zero(&r);
			r.x[0] = FFA_RX_RELEASE_32;
			ffp_smc(p, &r);
		}
		return ret;
	}
	count = (uint32_t)r.x[2];
	size = (uint32_t)r.x[3];
	ret = ffa_partinfo_check(p->spmc_version, count, size, rx_bytes, &err);
	if (ret)
		log_sub(p, vm, err.status, err.why, err.value);
	else
		/* Copied once into private memory; parsed there only. */
		ffp_memcpy(p->scratch, p->cfg.buffers.rx, (size_t)count * size);
	ffp_regs_zero(&r);
	r.x[0] = FFA_RX_RELEASE_32;
	ffp_smc(p, &r);
	if (!ffp_is_success(r.x[0]))
		log_sub(p, vm, 0, "SPMC refused RX_RELEASE of the proxy's RX",
			r.x[2]);
	if (ret)
		return ret;
	return parse_subscribers(p, vm, p->scratch, count, size);
}

/* Learn the subscribers once: 0 or the status of the failure (nothing
 * learned; the next add tries again). */
static int learn_subscribers(struct ffp *p, uint16_t vm)
{
	bool v1_1;
	int ret = 0;

	if (__atomic_load_n(&p->subs_learned, __ATOMIC_ACQUIRE))
		return 0;
	ffp_lock(p, FFP_LOCK_BUFFERS);
	if (p->subs_learned)
		goto out;
	/* Under the strict policy any call but FFA_VERSION fixes the SPMC's
	 * version at the SPMC, as an endpoint's first call would: no
	 * renegotiation after it. Read and fixed in one step: a caller's
	 * FFA_VERSION on another CPU may move it down until then. The 1.0
	 * partition properties have no subscription bits. */
	ffp_lock(p, FFP_LOCK_STATE);
	v1_1 = p->spmc_version >= FFA_VERSION_1_1;
	if (v1_1)
		p->any_locked = true;
	ffp_unlock(p, FFP_LOCK_STATE);
	if (v1_1)
		ret = query_subscribers(p, vm);
	if (ret) {
		p->sub_count = 0;
		p->subs_destroyed = 0;
	} else {
		__atomic_store_n(&p->subs_learned, true, __ATOMIC_RELEASE);
	}
out:
	ffp_unlock(p, FFP_LOCK_BUFFERS);
	return ret;
}

/* msg_answer: a new VM_CREATED's preemption recorded late (the host's
 * run for cycles ended it, its response dropped): the outcome unknown.
 * Not an FF-A status. */
#define AVAIL_UNSEEN 1

/*
 * The SPMC's answer to a message to subscriber `i` about VM `vm`, or to
 * the FFA_RUN resuming it (`resumed`: the vCPU it ran, else -1): 0, or
 * the status to act on (or AVAIL_UNSEEN). The reply is the SPMC's and
 * as untrusted as a caller's: anything but the framework response of
 * this pair with a status FF-A defines is ABORTED; an error frame gives
 * its (sanitised) status. FFA_INTERRUPT or FFA_YIELD naming the
 * partition (and the vCPU run): the message is preempted, not over
 * (DEN0077A: the partition's vCPU stays in it until an FFA_RUN resumes
 * it); recorded in *run, INTERRUPTED. An FFA_RUN the SPMC refuses
 * leaves it preempted, but for ABORTED and NOT_SUPPORTED (nothing left
 * to resume; as in run.c) and DENIED (nothing to run, as resume_once
 * reads it: below).
 */
static int32_t msg_answer(struct ffp *p, uint32_t i, uint16_t vm, bool created,
			  const struct ffa_regs *r, struct ffp_avail_run *run,
			  int32_t resumed)
{
	const uint32_t req = created ? FFA_FRAMEWORK_VM_CREATED_REQ
				     : FFA_FRAMEWORK_VM_DESTROYED_REQ;
	const uint16_t sp = p->subs[i].id;
	const uint32_t bit = 1u << i, w0 = (uint32_t)r->x[0];
	const uint32_t w1 = (uint32_t)r->x[1];
	uint32_t w3;
	int32_t st;

	run->mask &= ~bit;
	run->created &= ~bit;
	/* (A mark of the host's run ending a message on the vCPU resumed
	 * needs no spending here: a worker's record is made only for a
	 * message just sent, and reads only the marks made since send_msg
	 * sent it, ffp_late_worker.) */
	/* The vCPU was waiting (FFA_MSG_WAIT; DENIED from an SPMC that
	 * runs no idle vCPU: Hafnium's and the sim's "nothing to run", as
	 * run.c resume_once reads it): the message ended at the SPMC unseen
	 * (the host's FFA_RUN for cycles resumed it and its response was
	 * dropped, run.c run_cycles). Its outcome is unknown, as for a
	 * record dropped stale (ffp_vmavail_stale): a VM_CREATED may have
	 * reached the partition, which is then owed VM_DESTROYED
	 * (ffp_vmavail_destroyed sends it on 0); a VM_DESTROYED is over. */
	if (resumed >= 0 &&
	    (w0 == FFA_MSG_WAIT_32 ||
	     (w0 == FFA_ERROR_32 && ffp_status(r->x[2]) == FFA_DENIED))) {
		log_sub(p, vm, FFA_ABORTED,
			"VM availability: preempted message ended unseen "
			"(outcome unknown)",
			sp);
		return created ? 0 : FFA_ABORTED;
	}
	if (w0 == FFA_ERROR_32) {
		st = ffp_status(r->x[2]);
		if (resumed >= 0 && st != FFA_ABORTED &&
		    st != FFA_NOT_SUPPORTED) {
			run->mask |= bit;
			run->created |= created ? bit : 0;
			log_sub(p, vm, st,
				"SPMC refused FFA_RUN of a preempted VM "
				"availability message",
				sp);
			return FFA_INTERRUPTED;
		}
		log_sub(p, vm, st, created ? "SPMC refused VM_CREATED"
					   : "SPMC refused VM_DESTROYED",
			sp);
		return st;
	}
	if ((w0 == FFA_INTERRUPT_32 || w0 == FFA_YIELD_32) &&
	    w1 >> 16 == sp &&
	    (resumed < 0 || (uint16_t)w1 == (uint16_t)resumed)) {
		/* A new request preempted (not the FFA_RUN's, which went on
		 * with the request the vCPU was in, as run.c's): a caller's
		 * record of the vCPU is stale, it must not run the proxy's
		 * request and take its response. Unless the record is late
		 * (the host's run for cycles ended the message, and another
		 * request holds the vCPU now): ended unseen, as below. */
		if (resumed < 0 && !ffp_preempt_record_proxy(p, vm, w1)) {
			log_sub(p, vm, FFA_ABORTED,
				"VM availability: preempted message ended "
				"unseen (outcome unknown)",
				sp);
			return created ? AVAIL_UNSEEN : FFA_ABORTED;
		}
		run->mask |= bit;
		run->created |= created ? bit : 0;
		run->vcpu[i] = (uint16_t)w1;
		log_sub(p, vm, FFA_INTERRUPTED,
			created ? "VM_CREATED interrupted"
				: "VM_DESTROYED interrupted",
			w1);
		return FFA_INTERRUPTED;
	}
	if (w0 != FFA_MSG_SEND_DIRECT_RESP_32 || w1 != (uint32_t)sp << 16 ||
	    (uint32_t)r->x[2] != (FFA_MSG_FLAG_FRAMEWORK | (req + 1))) {
		log_sub(p, vm, FFA_ABORTED,
			"VM availability: not the framework response of the pair",
			sp);
		return FFA_ABORTED;
	}
	w3 = (uint32_t)r->x[3];
	if (!w3)
		return 0;
	st = ffp_status(w3);
	if (st != (int32_t)w3)
		st = FFA_ABORTED; /* not a status FF-A defines */
	log_sub(p, vm, st, created ? "partition refused VM_CREATED"
				   : "partition refused VM_DESTROYED",
		sp);
	return st;
}

/* One message to subscriber `i` about VM `vm`: see msg_answer. */
static int32_t send_msg(struct ffp *p, uint32_t i, uint16_t vm, bool created,
			struct ffp_avail_run *run)
{
	struct ffa_regs r;

	/* Marks made before this message are not about it: a stale mark of
	 * subscriber i's vCPUs is an older request's (ffp_vmavail_newer
	 * reads those made since; no message of the id's is preempted there
	 * now, run has no bit i), and a run for cycles that ends a message
	 * before this one is sent ends another worker's (ffp_vmavail_late
	 * is read by every worker that sent before it): this one's record is
	 * not late for it. */
	ffp_lock(p, FFP_LOCK_STATE);
	p->eps[vm].avail_stale &= ~(1u << i);
	ffp_late_worker_begin(p, &p->eps[vm]);
	ffp_unlock(p, FFP_LOCK_STATE);
	ffp_regs_zero(&r);
	r.x[0] = FFA_MSG_SEND_DIRECT_REQ_32;
	r.x[1] = p->subs[i].id; /* sender: the hypervisor, id 0 */
	r.x[2] = FFA_MSG_FLAG_FRAMEWORK |
		 (created ? FFA_FRAMEWORK_VM_CREATED_REQ
			  : FFA_FRAMEWORK_VM_DESTROYED_REQ);
	/* w3/w4: no VM handle (0, as Xen sends); w5: the VM id. */
	r.x[5] = vm;
	ffp_smc(p, &r);
	return msg_answer(p, i, vm, created, &r, run, -1);
}

/* Resume subscriber `i`'s preempted message with FFA_RUN (w1 = the
 * partition and the vCPU the SPMC named, w2..w7 zero). */
static int32_t resume_msg(struct ffp *p, uint32_t i, uint16_t vm,
			  struct ffp_avail_run *run)
{
	bool created = run->created & (1u << i);
	struct ffa_regs r;

	ffp_regs_zero(&r);
	r.x[0] = FFA_RUN_32;
	r.x[1] = (uint32_t)p->subs[i].id << 16 | run->vcpu[i];
	ffp_smc(p, &r);
	return msg_answer(p, i, vm, created, &r, run, run->vcpu[i]);
}

/* STATE held, the worker of `ep`: if subscriber i's message in `*run` is
 * marked stale (ffp_vmavail_stale: another request was preempted on its
 * vCPU since), drop it as ffp_vmavail_stale does, the outcome unknown
 * (VM_DESTROYED pending in *pending for a VM_DESTROYED, and for a
 * VM_CREATED to a subscriber of VM_DESTROYED), and return true. */
static bool drop_stale(struct ffp *p, struct ffp_endpoint *ep, uint32_t i,
		       uint32_t *pending, struct ffp_avail_run *run)
{
	const uint32_t bit = 1u << i;

	if (!(ep->avail_stale & run->mask & bit) ||
	    run->vcpu[i] != ep->avail_stale_vcpu[i])
		return false;
	if (!(run->created & bit) || p->subs[i].destroyed)
		*pending |= bit;
	run->mask &= ~bit;
	run->created &= ~bit;
	ep->avail_stale &= ~bit;
	log_sub(p, (uint16_t)(ep - p->eps), 0,
		"stale record of a preempted VM availability message "
		"dropped",
		(uint32_t)p->subs[i].id << 16 | run->vcpu[i]);
	return true;
}

/* Answers after which the partition should be told again later. */
static bool transient(int32_t st)
{
	return st == FFA_RETRY || st == FFA_INTERRUPTED || st == FFA_BUSY;
}

uint32_t ffp_vmavail_destroyed(struct ffp *p, uint16_t id, uint32_t mask,
			       struct ffp_avail_run *run)
{
	uint32_t i, bit, keep = 0;
	bool created;
	int32_t st;

	for (i = 0; i < p->sub_count; i++) {
		bit = 1u << i;
		/* Marked stale since this worker took or made the record
		 * (the message ended unseen, e.g. at the host's run for
		 * cycles of a check made before this work began, and
		 * another request is preempted there now): not resumed, or
		 * the FFA_RUN would run that request and drop its response
		 * as a broken framework answer. As ffp_regs_run refuses a
		 * caller's record dropped stale. */
		if (run->mask & bit) {
			ffp_lock(p, FFP_LOCK_STATE);
			(void)drop_stale(p, &p->eps[id], i, &mask, run);
			ffp_unlock(p, FFP_LOCK_STATE);
		}
		if (run->mask & bit) {
			created = run->created & bit;
			st = resume_msg(p, i, id, run);
			if (run->mask & bit) { /* still preempted */
				keep |= mask & bit;
				continue;
			}
			if (!created) {
				if (transient(st))
					keep |= bit;
				continue;
			}
			/* A VM_CREATED of a VM already gone for the proxy
			 * ended: a partition it succeeded at believes in the
			 * VM and is owed its end. */
			if (st || !p->subs[i].destroyed)
				continue;
			mask |= bit;
		}
		if (!(mask & bit))
			continue;
		if (transient(send_msg(p, i, id, false, run)))
			keep |= bit;
	}
	return keep;
}

int ffp_vmavail_created(struct ffp *p, uint16_t id, uint32_t *pending,
			struct ffp_avail_run *run, bool *announced)
{
	uint32_t i, told = 0;
	int32_t st = 0;
	int ret;

	*announced = false;
	if (id == 0 || p->cfg.vm_availability_by_embedder || !p->ffa_enabled)
		return 0;
	ret = learn_subscribers(p, id);
	if (ret)
		return ret;
	/* The id's previous VM first: a partition must not see it created
	 * again before it was told of its end, nor be sent a message while
	 * one of the id's is preempted at it. */
	if (*pending || run->mask) {
		*pending = ffp_vmavail_destroyed(p, id, *pending, run);
		if (*pending || run->mask) {
			log_sub(p, id, FFA_BUSY,
				"VM_DESTROYED of the id's previous VM still pending",
				*pending | run->mask);
			return FFA_BUSY;
		}
	}
	for (i = 0; i < p->sub_count; i++) {
		if (!p->subs[i].created)
			continue;
		st = send_msg(p, i, id, true, run);
		/* Ended unseen: the add fails, and the partition, which may
		 * believe in the VM, is owed VM_DESTROYED as one told. */
		if (st == AVAIL_UNSEEN) {
			told |= 1u << i;
			st = FFA_ABORTED;
		}
		if (st)
			break;
		told |= 1u << i;
	}
	if (st) {
		/* Undone for those told that want to know; a partition that
		 * never heard of the VM is not told of its end (Xen also
		 * tells those subscribed to VM_DESTROYED only). One whose
		 * VM_CREATED was preempted is told once that ends (*run). */
		*pending = ffp_vmavail_destroyed(p, id, told & p->subs_destroyed,
						 run);
		return st;
	}
	*announced = true;
	return 0;
}

/*
 * A vCPU is in one request at a time: a request preempted on `target` (a
 * caller's, or another id's message) means a message of the proxy's the
 * SPMC had preempted there ended unseen. Resumed, the proxy's FFA_RUN
 * would run that other request and take its response (as run.c drops a
 * caller's record when the proxy's message is preempted on its vCPU);
 * another id's message would then be answered DENIED at every FFA_RUN,
 * its id never free again. The message's outcome is
 * unknown: a VM_DESTROYED stays pending, sent again at the next retry; a
 * VM_CREATED (its add failed) may have reached the partition, which is
 * then told VM_DESTROYED if it subscribed to it.
 */
uint32_t ffp_vmavail_stale(struct ffp *p, uint32_t target, uint16_t self)
{
	struct ffp_endpoint *ep;
	uint32_t e, i, bit, n = 0;

	/* The subscriber table is written under BUFFERS alone until then;
	 * no id holds a message before. */
	if (!__atomic_load_n(&p->subs_learned, __ATOMIC_ACQUIRE))
		return 0;
	for (e = 1; e < p->cfg.max_endpoints; e++) {
		ep = &p->eps[e];
		if (ep->avail_busy) {
			/* Its worker holds its records, perhaps with an
			 * FFA_RUN of this vCPU out: marked, dropped when they
			 * are written back (as run.c marks a caller's record
			 * whose FFA_RUN is out). `self`'s own new preemption
			 * is newer than any mark of the vCPU. */
			for (i = 0; i < p->sub_count; i++) {
				if ((uint32_t)p->subs[i].id != target >> 16)
					continue;
				if (e == self) {
					ep->avail_stale &= ~(1u << i);
					continue;
				}
				ep->avail_stale |= 1u << i;
				ep->avail_stale_vcpu[i] = (uint16_t)target;
			}
			continue;
		}
		/* A mask is set only once the subscribers are learned. */
		if (!ep->avail_run.mask)
			continue;
		for (i = 0; i < p->sub_count; i++) {
			bit = 1u << i;
			if (!(ep->avail_run.mask & bit) ||
			    ((uint32_t)p->subs[i].id << 16 |
			     ep->avail_run.vcpu[i]) != target)
				continue;
			if (!(ep->avail_run.created & bit) ||
			    p->subs[i].destroyed)
				ep->destroy_pending |= bit;
			ep->avail_run.mask &= ~bit;
			ep->avail_run.created &= ~bit;
			n++;
		}
	}
	return n;
}

/* The subscribers (bit i: subs[i]) that are vCPU `target`'s partition;
 * none before they are learned (no message is sent before then). */
static uint32_t subs_of(const struct ffp *p, uint32_t target)
{
	uint32_t i, sub = 0;

	if (!__atomic_load_n(&p->subs_learned, __ATOMIC_ACQUIRE))
		return 0;
	for (i = 0; i < p->sub_count; i++)
		if ((uint32_t)p->subs[i].id == target >> 16)
			sub |= 1u << i;
	return sub;
}

void ffp_vmavail_late(struct ffp *p, uint32_t target)
{
	const uint32_t sub = subs_of(p, target);
	const struct ffp_endpoint *ep;
	uint32_t e, dropped = 0;
	uint16_t owner = 0;

	if (!sub)
		return;
	ffp_lock(p, FFP_LOCK_STATE);
	/* One mark of the vCPU, beside those of others (two host CPUs' runs
	 * may end two workers' messages on two vCPUs of the partition), if
	 * a worker messaging the partition is at work: each reads it at its
	 * record (ffp_late_worker), as a mark of its own. */
	for (e = 1; e < p->cfg.max_endpoints; e++) {
		ep = &p->eps[e];
		if (ep->avail_busy && (ep->avail_to & sub)) {
			dropped = ffp_late_mark(p, FFP_PREEMPT_PROXY, target,
						&owner);
			break;
		}
	}
	ffp_unlock(p, FFP_LOCK_STATE);
	if (dropped)
		ffp_late_log_dropped(p, owner, dropped);
}

bool ffp_vmavail_newer(const struct ffp *p, const struct ffp_endpoint *ep,
		       uint32_t target)
{
	const uint32_t sub = subs_of(p, target) & ep->avail_stale;
	uint32_t i;

	for (i = 0; i < p->sub_count; i++)
		if ((sub & 1u << i) &&
		    ep->avail_stale_vcpu[i] == (uint16_t)target)
			return true;
	return false;
}

int32_t ffp_vmavail_run_check(const struct ffp *p, uint32_t target)
{
	const uint32_t sub = subs_of(p, target);
	const struct ffp_endpoint *ep;
	uint32_t e, i;
	int32_t st = 0;

	if (!sub)
		return 0;
	for (e = 1; e < p->cfg.max_endpoints; e++) {
		ep = &p->eps[e];
		/* A worker's message to the partition may be preempted
		 * there, or end there, unseen until it settles: run now, the
		 * vCPU could go on with that message. Another partition's
		 * vCPUs are not in it. */
		if (ep->avail_busy && (ep->avail_to & sub))
			st = FFA_BUSY;
		if (!(ep->avail_run.mask & sub))
			continue;
		for (i = 0; i < p->sub_count; i++)
			if ((ep->avail_run.mask & sub & 1u << i) &&
			    ((uint32_t)p->subs[i].id << 16 |
			     ep->avail_run.vcpu[i]) == target)
				return FFA_DENIED;
	}
	return st;
}

void ffp_vmavail_settle(struct ffp *p, struct ffp_endpoint *ep,
			uint32_t *pending, struct ffp_avail_run *run)
{
	uint32_t i;

	/* The work is over. */
	ffp_late_worker_end(p, ep);
	if (!ep->avail_stale) /* marks only once the subscribers are known */
		return;
	for (i = 0; i < p->sub_count; i++)
		(void)drop_stale(p, ep, i, pending, run);
	ep->avail_stale = 0;
}

uint32_t ffp_vm_destroyed_retry(struct ffp *p)
{
	struct ffp_endpoint *ep;
	struct ffp_avail_run run;
	uint32_t id, mask = 0, left;
	uint16_t vcpus = 0;
	bool mine, mb, bitmap = false, unsure = false;

	/* Removed VMs' requests still preempted first: a partition's vCPU
	 * left in one answers BUSY, VM_DESTROYED included (run.c). */
	left = ffp_preempt_orphans_resume(p, FFP_ORPHANS_ALL);
	/* From the host: its previous kernel's bitmap may be pending
	 * (ffp_host_reset); it has nothing else here, as a present VM has
	 * no bitmap or bounce pair pending. */
	for (id = 0; id < p->cfg.max_endpoints; id++) {
		ep = &p->eps[id];
		ffp_lock(p, FFP_LOCK_STATE);
		/* (a present VM's pending unmap is its next
		 * ffp_endpoint_set_msg_buffers') */
		mb = !ep->present && ep->mb_unmap_pending;
		mine = (ep->destroy_pending || ep->avail_run.mask ||
			ep->notif_destroy_pending || mb) &&
		       !ep->avail_busy;
		if (mine) {
			mask = ep->destroy_pending;
			run = ep->avail_run;
			bitmap = ep->notif_destroy_pending;
			vcpus = ep->notif_old_vcpus;
			unsure = ep->notif_destroy_unsure;
			ep->avail_busy = true;
			ep->avail_to = mask | run.mask;
			ffp_late_worker_begin(p, ep);
		} else {
			/* Another CPU works on it: counted as it stands. */
			left += ffp_vmavail_owed(ep->destroy_pending,
						 &ep->avail_run) +
				ep->notif_destroy_pending + mb;
		}
		ffp_unlock(p, FFP_LOCK_STATE);
		if (!mine)
			continue;
		if (mask || run.mask)
			mask = ffp_vmavail_destroyed(p, (uint16_t)id, mask,
						     &run);
		/* The bitmap of the id's previous endpoint (notif.c). */
		if (bitmap && ffp_notif_destroy(p, (uint16_t)id, vcpus, &unsure))
			bitmap = false;
		/* And its bounce pair at the SPMC (msg2_relay.c). */
		if (mb && ffp_msg2_vm_unmap(p, (uint16_t)id))
			mb = false;
		ffp_lock(p, FFP_LOCK_STATE);
		ffp_vmavail_settle(p, ep, &mask, &run);
		ep->destroy_pending = mask;
		ep->avail_run = run;
		ep->notif_destroy_pending = bitmap;
		ep->notif_destroy_unsure = bitmap && unsure;
		if (!bitmap)
			ep->notif_old_vcpus = 0;
		ep->mb_unmap_pending = mb;
		ep->avail_busy = false;
		left += ffp_vmavail_owed(mask, &run) + bitmap + mb;
		ffp_unlock(p, FFP_LOCK_STATE);
	}
	return left;
}
