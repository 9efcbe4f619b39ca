/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * FFA_RUN from the normal world, relayed for one purpose: resuming a
 * direct request of the caller's own that the SPMC preempted. A caller
 * whose request comes back FFA_INTERRUPT (or FFA_YIELD) resumes the
 * partition's vCPU with FFA_RUN, w1 = the w1 it got (Linux's arm_ffa
 * driver loops so on FFA_INTERRUPT), and eventually gets the partition's
 * response to its request from the FFA_RUN. The proxy records each
 * preemption for the caller it answered, forwards FFA_RUN only for a
 * target that caller holds, and passes on only a response naming that
 * caller, filtered as the original request's response: otherwise one VM
 * could run another's request and read its response. The host, the
 * normal world's scheduler, also runs a vCPU nobody holds a record of, to
 * give the partition cycles (run_cycles): no record, and no response ever
 * passed on.
 */
#include "internal.h"

/*
 * The records: max_endpoints rows of max_preempted slots. A caller's go
 * to its own row first and, once that is full, to any free slot: a vCPU
 * is in one request at a time (ffp_preempt_record drops every other
 * record of it), so the live records never outnumber the partitions'
 * execution contexts, and while the table holds that many (plus one per
 * CPU for records dropped while their FFA_RUN is out) no preemption goes
 * unrecorded, whoever holds how many. Unrecorded, nobody could resume
 * that vCPU, and the SPMC would answer BUSY to every later request to
 * it, the host's included.
 */
static inline uint32_t slot_count(const struct ffp *p)
{
	/* At most 0x7fff x 1024: no wrap. */
	return (uint32_t)p->cfg.max_endpoints * p->cfg.max_preempted;
}

/* The k-th slot to look at for endpoint `id`: its own row first. Two
 * rows' worth at most below 2^26: no wrap. */
static inline struct ffp_preempt *nth(struct ffp *p, uint16_t id, uint32_t k)
{
	const uint32_t n = slot_count(p);
	uint32_t i = (uint32_t)id * p->cfg.max_preempted + k;

	return &p->preempts[i < n ? i : i - n];
}

/* Whether record `s` lies outside its owner's row. */
static inline bool spilled(const struct ffp *p, const struct ffp_preempt *s)
{
	return (uint32_t)(s - p->preempts) / p->cfg.max_preempted != s->owner;
}

/* STATE held. An orphan's owner is counted no more (its endpoint was
 * cleared since). */
static void slot_free(struct ffp *p, struct ffp_preempt *s)
{
	if (s->target && !s->orphan && spilled(p, s))
		p->eps[s->owner].spilled--;
	s->target = 0;
	s->func = 0;
	s->owner = 0;
	s->orphan = false;
	s->running = false;
	s->stale = false;
	s->renewed = false;
}

/* STATE held: endpoint `id`'s live record of `target`, or NULL. A
 * removed endpoint's (orphan) is no caller's, so a new endpoint under
 * the id never runs its predecessor's request. */
static struct ffp_preempt *find(struct ffp *p, uint16_t id, uint32_t target)
{
	const uint32_t n = p->eps[id].spilled ? slot_count(p)
					      : p->cfg.max_preempted;
	struct ffp_preempt *s;
	uint32_t k;

	for (k = 0; k < n; k++) {
		s = nth(p, id, k);
		if (s->target == target && s->owner == id && !s->orphan)
			return s;
	}
	return NULL;
}

/* STATE held: 0 if nobody holds a record of `target`, else the answer to
 * the host's run for cycles, which would resume that request: DENIED for
 * a record of another caller, a removed one's orphan or the proxy's own
 * VM availability message; BUSY while the proxy messages the partition
 * (ffp_vmavail_run_check). The whole table: only the host's cycles run
 * and a late record (run_cycles) pay for it. */
static int32_t held(struct ffp *p, uint32_t target)
{
	const struct ffp_preempt *s = p->preempts;
	uint32_t i;

	for (i = 0; i < slot_count(p); i++)
		if (s[i].target == target)
			return FFA_DENIED;
	return ffp_vmavail_run_check(p, target);
}

/*
 * The late marks (struct ffp_late). A caller may have several requests
 * ended so at once (one per vCPU of its, each to another partition vCPU,
 * each by another host CPU's run), each with its own mark: one mark per
 * caller let the second overwrite the first, whose record was then made
 * over a newer holder of its vCPU. A framework response dropped at a
 * partition's vCPU ends the message of one worker, which one not told:
 * one mark of the vCPU, read by every worker whose message was sent
 * before it (ffp_late_worker). A mark per worker and vCPU made n workers'
 * n messages ended by n runs n * n marks, more than the table holds, and
 * a worker's own mark went. Live marks are few (a caller's only until its
 * record comes, a CPU's worth; the proxy's one per vCPU while a worker
 * that may read it is at work), and each lookup stops at once while there
 * are none (late_used). Full, the oldest mark goes (logged): its record,
 * should it still come, is made as any, as before there were several.
 */
/* A mark or a note in slot `m`, the newest. */
static uint64_t late_fill(struct ffp *p, struct ffp_late *m, uint16_t kind,
			  uint16_t owner, uint32_t target)
{
	m->target = target;
	m->owner = owner;
	m->kind = kind;
	m->seq = ++p->late_seq;
	return m->seq;
}

static void late_free(struct ffp *p, struct ffp_late *m)
{
	m->target = 0;
	m->owner = 0;
	m->kind = FFP_LATE_MARK;
	m->seq = 0;
	p->late_used--;
}

uint32_t ffp_late_mark(struct ffp *p, uint16_t owner, uint32_t target,
		       uint16_t *dropped_owner)
{
	struct ffp_late *m = p->lates, *slot = NULL, *old = NULL;
	uint32_t i, dropped = 0;

	for (i = 0; i < p->late_slots; i++) {
		if (!m[i].target) {
			if (!slot)
				slot = &m[i];
			continue;
		}
		/* The proxy's: one mark of a vCPU says all, the newest
		 * (a worker reads the marks made since its message). */
		if (owner == FFP_PREEMPT_PROXY && m[i].owner == owner &&
		    m[i].target == target && m[i].kind == FFP_LATE_MARK) {
			m[i].seq = ++p->late_seq;
			return 0;
		}
		if (!old || m[i].seq < old->seq)
			old = &m[i];
	}
	if (!slot) {
		if (!old) /* no slots: FFA_RUN is not relayed */
			return 0;
		/* (A run's or a record's note: mark_late falls back on
		 * the caller's last record alone. Not logged.) */
		if (old->kind == FFP_LATE_MARK) {
			dropped = old->target;
			*dropped_owner = old->owner;
		}
		slot = old;
	} else {
		p->late_used++;
	}
	(void)late_fill(p, slot, FFP_LATE_MARK, owner, target);
	return dropped;
}

bool ffp_late_take(struct ffp *p, uint16_t owner, uint32_t target)
{
	struct ffp_late *m = p->lates;
	uint32_t i;

	for (i = 0; p->late_used && i < p->late_slots; i++) {
		if (m[i].target == target && m[i].owner == owner &&
		    m[i].kind == FFP_LATE_MARK) {
			late_free(p, &m[i]);
			return true;
		}
	}
	return false;
}

bool ffp_late_worker(const struct ffp *p, const struct ffp_endpoint *w,
		     uint32_t target)
{
	const struct ffp_late *m = p->lates;
	uint32_t i;

	for (i = 0; p->late_used && i < p->late_slots; i++)
		if (m[i].target == target && m[i].owner == FFP_PREEMPT_PROXY &&
		    m[i].kind == FFP_LATE_MARK && m[i].seq > w->avail_sent)
			return true;
	return false;
}

/* The proxy's marks no worker at work but `skip` can read any more (made
 * before each one's message): dropped. */
static void late_worker_drop(struct ffp *p, const struct ffp_endpoint *skip)
{
	struct ffp_late *m = p->lates;
	uint64_t oldest = UINT64_MAX;
	uint32_t e, i;

	if (!p->late_used)
		return;
	for (e = 1; e < p->cfg.max_endpoints; e++)
		if (p->eps[e].avail_busy && &p->eps[e] != skip &&
		    p->eps[e].avail_sent < oldest)
			oldest = p->eps[e].avail_sent;
	for (i = 0; p->late_used && i < p->late_slots; i++) {
		if (m[i].target && m[i].owner == FFP_PREEMPT_PROXY &&
		    m[i].kind == FFP_LATE_MARK && m[i].seq <= oldest)
			late_free(p, &m[i]);
	}
}

void ffp_late_worker_begin(struct ffp *p, struct ffp_endpoint *w)
{
	w->avail_sent = p->late_seq;
	late_worker_drop(p, NULL);
}

void ffp_late_worker_end(struct ffp *p, const struct ffp_endpoint *w)
{
	late_worker_drop(p, w);
}

/*
 * The host's runs for cycles out and the records made meanwhile. A run's
 * response names a caller whose request it ended before that request's
 * record was made (mark_late), unless the record came between the run's
 * check and its mark, and went (its FFA_RUN found the vCPU waiting). The
 * caller's last record told that only while it was the last: one of
 * another vCPU since hid it, and the mark made then named a request over,
 * spent by nothing but the caller's next genuine preemption of the vCPU,
 * whose record was then not made whenever anyone held the vCPU (its
 * FFA_RUN DENIED for good). So each run is noted from its check to its
 * mark, and each caller's record of its vCPU made meanwhile. Notes take a
 * free slot only (a full table: the caller's last record alone, as
 * before) and go with their run.
 */
static uint64_t late_note(struct ffp *p, uint16_t kind, uint16_t owner,
			  uint32_t target)
{
	struct ffp_late *m = p->lates;
	uint32_t i;

	for (i = 0; i < p->late_slots; i++) {
		if (m[i].target)
			continue;
		p->late_used++;
		return late_fill(p, &m[i], kind, owner, target);
	}
	return 0;
}

/* STATE held: whether a run for cycles of `target` is out. */
static bool late_run_out(const struct ffp *p, uint32_t target)
{
	const struct ffp_late *m = p->lates;
	uint32_t i;

	for (i = 0; p->late_used && i < p->late_slots; i++)
		if (m[i].target == target && m[i].kind == FFP_LATE_RUN)
			return true;
	return false;
}

/* STATE held: whether `owner`'s record of `target` was made since run
 * `run` was noted (0: it was not). */
static bool late_seen(const struct ffp *p, uint16_t owner, uint32_t target,
		      uint64_t run)
{
	const struct ffp_late *m = p->lates;
	uint32_t i;

	for (i = 0; run && p->late_used && i < p->late_slots; i++)
		if (m[i].target == target && m[i].owner == owner &&
		    m[i].kind == FFP_LATE_SEEN && m[i].seq > run)
			return true;
	return false;
}

/* STATE held: run `run` of `target` is over; the records noted that no
 * run of the vCPU still out can ask about go. */
static void late_run_end(struct ffp *p, uint64_t run, uint32_t target)
{
	struct ffp_late *m = p->lates;
	uint64_t oldest = UINT64_MAX;
	uint32_t i;

	for (i = 0; p->late_used && i < p->late_slots; i++) {
		if (m[i].target != target || m[i].kind != FFP_LATE_RUN)
			continue;
		if (m[i].seq == run)
			late_free(p, &m[i]);
		else if (m[i].seq < oldest)
			oldest = m[i].seq;
	}
	for (i = 0; p->late_used && i < p->late_slots; i++)
		if (m[i].target == target && m[i].kind == FFP_LATE_SEEN &&
		    m[i].seq < oldest)
			late_free(p, &m[i]);
}

void ffp_late_log_dropped(struct ffp *p, uint16_t owner, uint32_t target)
{
	ffp_log(p, owner & FFP_PREEMPT_PROXY ? 0 : owner, FFA_RUN_32, 0,
		"late mark table full: the oldest mark dropped, its record "
		"(if it comes) made as any",
		target);
}

static bool record(struct ffp *p, uint16_t ep_id, uint32_t gen,
		   uint32_t func, uint32_t target)
{
	const uint32_t n = slot_count(p);
	const bool caller = ep_id < FFP_PREEMPT_PROXY;
	struct ffp_preempt *mine = NULL, *s;
	uint32_t i, stale = 0;
	bool gone = false;

	if (!p->cfg.max_preempted) /* FFA_RUN not relayed */
		return true;
	ffp_lock(p, FFP_LOCK_STATE);
	/* Removed while its request was at the SPMC (its vCPUs were to be
	 * stopped first, proxy.h), and maybe another endpoint added under
	 * the id: the proxy's to resume, no caller's. (A lane reads the gen
	 * after its SMC, msg.c lane_gen: after a removal with no add since
	 * it finds the removal's, so `present` counts too.) */
	if (caller) {
		gone = ffp_endpoint_stale(&p->eps[ep_id], gen);
		/* This request's record has come (mark_late). */
		p->eps[ep_id].rec_target = target;
		p->eps[ep_id].rec_seq = ++p->rec_seq;
		if (late_run_out(p, target))
			(void)late_note(p, FFP_LATE_SEEN, ep_id, target);
	}
	/* Late: the host's run for cycles ended this request before this
	 * record (run_cycles). A vCPU someone holds is in a newer request
	 * by now, whose record stays; else recorded as usual, its FFA_RUN
	 * (or, an orphan's, the retry's) finding the vCPU waiting. A
	 * removed caller's too: the mark outlives the removal, lest its
	 * orphan drop the newer record and the retry run that request. */
	if (caller && ffp_late_take(p, ep_id, target) && held(p, target)) {
		ffp_unlock(p, FFP_LOCK_STATE);
		ffp_log(p, ep_id, func, 0,
			"late preemption record of a request the host's run "
			"for cycles ended: not made, the vCPU is in a newer "
			"request",
			target);
		return true;
	}
	/* A removed caller's record (an orphan: its endpoint removed, or
	 * the host reset) of a vCPU the id's current endpoint holds: that
	 * endpoint's request was preempted there while this one's record
	 * was not made, which the SPMC allows only once this one had ended
	 * (the vCPU is in one request at a time), say at the host's run for
	 * cycles, whose late mark that endpoint's record may have taken (the
	 * marks name ids, not endpoints). Made, it dropped the current
	 * endpoint's record, and
	 * the retry ran that request, its response dropped. Not made, as a
	 * late record. */
	if (caller && gone) {
		for (i = 0; i < n; i++) {
			s = &p->preempts[i];
			if (s->target == target && s->owner == ep_id &&
			    !s->orphan)
				break;
		}
		if (i < n) {
			ffp_unlock(p, FFP_LOCK_STATE);
			ffp_log(p, ep_id, func, 0,
				"late preemption record of a removed endpoint's "
				"request: not made, the id's current endpoint "
				"holds the vCPU",
				target);
			return true;
		}
	}
	/* The proxy's message likewise (ffp_vmavail_late): ended at the
	 * host's run for cycles, if another request holds the vCPU now, its
	 * record would drop that one's, and the worker's FFA_RUN would run
	 * it and drop its response. Its outcome unknown, as a message
	 * found ended at its resume (vmavail.c msg_answer). */
	if (!caller) {
		struct ffp_endpoint *w = &p->eps[ep_id & ~FFP_PREEMPT_PROXY];

		/* Newer: a record in the table or written back (DENIED),
		 * or one another worker still holds, which marked this one
		 * (ffp_vmavail_newer). */
		if (ffp_late_worker(p, w, target) &&
		    (held(p, target) == FFA_DENIED ||
		     ffp_vmavail_newer(p, w, target))) {
			ffp_unlock(p, FFP_LOCK_STATE);
			ffp_log(p, 0, func, 0,
				"late preemption record of a VM availability "
				"message the host's run for cycles ended: not "
				"made, the vCPU is in a newer request",
				target);
			return false;
		}
	}
	/* A vCPU is preempted in one request at a time, so another record
	 * of it (another caller's, or a removed one's) is stale: its request
	 * ended at the SPMC unseen. Dropped, lest its holder run this
	 * request; one whose FFA_RUN is at the SPMC right now is marked, and
	 * dropped when that FFA_RUN settles. */
	for (i = 0; i < n; i++) {
		s = &p->preempts[i];
		if (s->target != target)
			continue;
		if (caller && !gone && s->owner == ep_id && !s->orphan) {
			mine = s;
		} else if (!s->running) {
			slot_free(p, s);
			stale++;
		} else {
			/* Its FFA_RUN settles it: kept, it would let
			 * that caller run this caller's request. */
			s->stale = true;
			s->renewed = false;
			stale++;
		}
	}
	if (!mine && caller) {
		for (i = 0; i < n && nth(p, ep_id, i)->target; i++)
			;
		if (i < n) {
			mine = nth(p, ep_id, i);
			mine->owner = ep_id;
			mine->orphan = gone;
			mine->running = false;
			if (!gone && i >= p->cfg.max_preempted)
				p->eps[ep_id].spilled++;
		}
	}
	/* The proxy's own records of the vCPU likewise (vmavail.c; the id
	 * whose message this is, if the proxy's, keeps its record). */
	stale += ffp_vmavail_stale(p, target,
				   caller ? 0
					  : (uint16_t)(ep_id & ~FFP_PREEMPT_PROXY));
	if (mine) {
		/* A new preemption of a vCPU it held: the newer request is
		 * the one the partition is working on. Its own FFA_RUN of the
		 * old one still out (that request ended at the SPMC, or this
		 * one could not be preempted there): the settling, which
		 * clears the slot for the old one's response, keeps it. */
		mine->target = target;
		mine->func = func;
		mine->stale = false;
		mine->renewed = mine->running;
	}
	ffp_unlock(p, FFP_LOCK_STATE);
	if (stale) /* the proxy's own: sent as the hypervisor, id 0 */
		ffp_log(p, caller ? ep_id : 0, func, 0,
			"stale preemption record of another caller dropped",
			target);
	if (!mine && caller)
		ffp_log(p, ep_id, func, 0,
			"preempted request not recorded: every preemption slot "
			"is taken (its partition vCPU stays preempted)",
			target);
	else if (gone)
		ffp_log(p, ep_id, func, 0,
			"preempted request of a removed endpoint: kept for "
			"ffp_vm_destroyed_retry",
			target);
	return true;
}

void ffp_preempt_record(struct ffp *p, uint16_t ep_id, uint32_t gen,
			uint32_t func, uint32_t target)
{
	(void)record(p, ep_id, gen, func, target);
}

bool ffp_preempt_record_proxy(struct ffp *p, uint16_t vm, uint32_t target)
{
	return record(p, FFP_PREEMPT_PROXY | vm, 0, FFA_MSG_SEND_DIRECT_REQ_32,
		      target);
}

bool ffp_preempt_endpoint_busy(const struct ffp *p, uint16_t id)
{
	const struct ffp_preempt *s = p->preempts;
	uint32_t i;

	for (i = 0; i < slot_count(p); i++)
		if (s[i].target && s[i].owner == id && !s[i].orphan &&
		    s[i].running)
			return true;
	return false;
}

/* The caller clears endpoint `id` (its `spilled` count) in the same
 * STATE section. */
void ffp_preempt_endpoint_orphan(struct ffp *p, uint16_t id)
{
	struct ffp_preempt *s = p->preempts;
	uint32_t i;

	for (i = 0; i < slot_count(p); i++) {
		if (!s[i].target || s[i].owner != id || s[i].orphan)
			continue;
		ffp_log(p, id, FFA_RUN_32, 0,
			"endpoint removed: its preempted request kept for "
			"ffp_vm_destroyed_retry",
			s[i].target);
		s[i].orphan = true;
	}
}

uint32_t ffp_preempt_orphans(const struct ffp *p, uint16_t id)
{
	const struct ffp_preempt *s = p->preempts;
	uint32_t i, n = 0;

	for (i = 0; i < slot_count(p); i++)
		n += s[i].target && s[i].orphan && s[i].owner == id;
	return n;
}

/*
 * One FFA_RUN of `owner`'s request preempted on `target`, by the proxy as
 * the hypervisor (STATE not held); whatever it brings is dropped (no
 * caller is left to receive it). Returns whether the request is still
 * preempted: FFA_INTERRUPT or FFA_YIELD naming the vCPU, or a refusal
 * worth a retry (BUSY: the vCPU runs elsewhere; INVALID_PARAMETERS: TF-A's
 * EL3 SPMC and Hafnium run a multi-vCPU partition's vCPU only from its
 * own physical CPU). Anything else ends the record: the response, or an
 * answer saying there is nothing to resume (ABORTED, NOT_SUPPORTED,
 * DENIED: the sim's and Hafnium's "nothing to run"), or one outside the
 * protocol, which a retry would only repeat.
 */
static bool resume_once(struct ffp *p, uint16_t owner, uint32_t target)
{
	struct ffa_regs r;
	uint32_t w0;
	int32_t st;
	bool still, response;

	ffp_regs_zero(&r);
	r.x[0] = FFA_RUN_32;
	r.x[1] = target;
	ffp_smc(p, &r);
	w0 = (uint32_t)r.x[0];
	st = w0 == FFA_ERROR_32 ? ffp_status(r.x[2]) : 0;
	response = (w0 == FFA_MSG_SEND_DIRECT_RESP_32 ||
		    w0 == FFA_MSG_SEND_DIRECT_RESP_64 ||
		    w0 == FFA_MSG_SEND_DIRECT_RESP2_64) &&
		   (uint32_t)r.x[1] == ((target & 0xffff0000u) | owner);
	still = ((w0 == FFA_INTERRUPT_32 || w0 == FFA_YIELD_32) &&
		 (uint32_t)r.x[1] == target) ||
		st == FFA_BUSY || st == FFA_INVALID_PARAMETERS;
	ffp_log(p, owner, FFA_RUN_32, st,
		response ? "endpoint removed: its preempted request resumed "
			   "to its end, the response dropped"
		: still ? "endpoint removed: its preempted request resumed, "
			  "still preempted (kept for ffp_vm_destroyed_retry)"
			: "endpoint removed: its preempted request resumed, "
			  "the SPMC's answer ends it (record dropped)",
		r.x[0]);
	return still;
}

/* Resume once each record of `id` (FFP_ORPHANS_ALL: any) that is an
 * orphan or not as `orphans` says; returns how many of those remain. */
static uint32_t resume_each(struct ffp *p, uint32_t id, bool orphans)
{
	struct ffp_preempt *s;
	uint32_t i, target, left = 0;
	uint16_t owner;
	bool still;

	ffp_lock(p, FFP_LOCK_STATE);
	for (i = 0; i < slot_count(p); i++) {
		s = &p->preempts[i];
		if (!s->target || s->orphan != orphans ||
		    (id != FFP_ORPHANS_ALL && s->owner != id))
			continue;
		if (s->running) { /* another CPU resumes it */
			left++;
			continue;
		}
		/* Taken while the SMC is out: another resume skips it, a
		 * new preemption of the vCPU only marks it stale. */
		s->running = true;
		target = s->target;
		owner = s->owner;
		ffp_unlock(p, FFP_LOCK_STATE);
		still = resume_once(p, owner, target);
		ffp_lock(p, FFP_LOCK_STATE);
		s->running = false;
		if (still && !s->stale)
			left++;
		else
			slot_free(p, s);
	}
	ffp_unlock(p, FFP_LOCK_STATE);
	return left;
}

/*
 * Endpoint `id` is being removed (absent for callers; STATE not held):
 * each request of its the SPMC holds preempted is resumed once with
 * FFA_RUN, by the proxy as the hypervisor, and whatever it brings is
 * dropped. Merely forgotten, the partition's vCPU would stay in the
 * request for good (nobody else may run it): every later request to it
 * BUSY, the host's and other VMs' included, and so the VM_DESTROYED this
 * removal sends, which then kept the id from ever being given out again.
 * A request still preempted after it becomes an orphan
 * (ffp_preempt_endpoint_orphan), resumed by ffp_vm_destroyed_retry and
 * the next add (of any id) until it ends.
 */
void ffp_preempt_endpoint_finish(struct ffp *p, uint16_t id)
{
	(void)resume_each(p, id, false);
}

uint32_t ffp_preempt_orphans_resume(struct ffp *p, uint32_t id)
{
	if (!p->cfg.max_preempted)
		return 0;
	return resume_each(p, id, true);
}

/* An FFA_INTERRUPT or FFA_YIELD in r, as a caller at `version` gets it:
 * w0, w1 the vCPU, a YIELD's timeout in w2/w3 from 1.1 (zero at 1.0,
 * ffp_yield_timeout). False when it names another vCPU than target. */
static bool preemption_out(const struct ffa_regs *r, uint32_t target,
			   uint32_t version, struct ffa_regs *out)
{
	if ((uint32_t)r->x[1] != target)
		return false;
	out->x[0] = (uint32_t)r->x[0];
	out->x[1] = target;
	if ((uint32_t)r->x[0] == FFA_YIELD_32 && ffp_yield_timeout(version)) {
		out->x[2] = (uint32_t)r->x[2];
		out->x[3] = (uint32_t)r->x[3];
	}
	return true;
}

/* A direct response to the host's run for cycles of `target` ended a
 * request preempted there whose record is not made yet: its caller's, w1
 * [15:0] (a framework response ends the proxy's own message: its workers
 * are marked, ffp_vmavail_late).
 * Marked so that the record, when it comes, drops no newer one of the
 * vCPU: a mark per ended request (ffp_late_mark). The run's note (`*run`,
 * late_note) ends here, if this is the caller's. */
static void mark_late(struct ffp *p, const struct ffa_regs *r,
		      uint32_t target, uint64_t seq, uint64_t *run)
{
	const uint32_t w1 = (uint32_t)r->x[1];
	const uint16_t owner = (uint16_t)w1;
	const struct ffp_preempt *s = p->preempts;
	uint32_t i, dropped = 0;
	uint16_t dropped_owner = 0;
	bool mark;

	/* An id past the endpoints is nobody's (and p->eps[owner] would
	 * read past the table). */
	if (w1 >> 16 != target >> 16 || owner >= p->cfg.max_endpoints)
		return;
	/* The proxy's own message (a framework response names the
	 * hypervisor, id 0): its worker's record may be late too. */
	if ((uint32_t)r->x[0] != FFA_MSG_SEND_DIRECT_RESP2_64 &&
	    ((uint32_t)r->x[2] & FFA_MSG_FLAG_FRAMEWORK)) {
		if (!owner)
			ffp_vmavail_late(p, target);
		return;
	}
	ffp_lock(p, FFP_LOCK_STATE);
	/* Recorded already, an orphan included (its caller removed since):
	 * not late (its FFA_RUN, or the retry's, finds the vCPU waiting).
	 * Else marked whether the id is present or not: the record of a
	 * caller removed (and maybe of its id's next endpoint) meanwhile is
	 * an orphan, as late as any. */
	for (i = 0; i < slot_count(p); i++)
		if (s[i].target == target && s[i].owner == owner)
			break;
	/* Nor if that record came since the run's check (`seq`) and went
	 * (its FFA_RUN found the vCPU waiting): a mark would then name the
	 * caller's next request of the vCPU, its genuine record dropped
	 * whenever anyone held the vCPU. Its last record tells, and the note
	 * of its records of the vCPU made while the run was out (late_seen),
	 * where one of another vCPU came since. */
	mark = i == slot_count(p) &&
	       !(p->eps[owner].rec_seq > seq &&
		 p->eps[owner].rec_target == target) &&
	       !late_seen(p, owner, target, *run);
	/* The run's note first: its slot is the mark's if the table is
	 * full, rather than another mark's. */
	if (*run)
		late_run_end(p, *run, target);
	*run = 0;
	if (mark)
		dropped = ffp_late_mark(p, owner, target, &dropped_owner);
	ffp_unlock(p, FFP_LOCK_STATE);
	if (dropped)
		ffp_late_log_dropped(p, dropped_owner, dropped);
}

/*
 * The host (the normal world's scheduler) gives partition vCPU `target`
 * cycles: DEN0077A, the scheduler runs a partition's vCPU with FFA_RUN
 * (a partition woken by a notification, one that yielded); pKVM forwards
 * the host's FFA_RUN so. No record is held of the target, none is made,
 * nothing but w0/w1 goes to the SPMC and no lock is held across the SMC.
 * The reply, untrusted:
 *  - FFA_MSG_WAIT: the partition ran and went idle; w0 alone (TF-A's EL3
 *    SPMC forwards the partition's own w1..w4 of its FFA_MSG_WAIT, whose
 *    w2 carries flags from 1.2; Hafnium's SPMC sends w0 alone);
 *  - FFA_INTERRUPT or FFA_YIELD naming the target: passed on as for a
 *    resumed request; no record (a preemption of no request: the host
 *    simply runs the vCPU again, and a record would let nobody else run
 *    it); other records of the vCPU untouched;
 *  - FFA_ERROR: passed on sanitised;
 *  - a direct response of any kind, or a preemption naming another vCPU:
 *    the run resumed a request preempted but not recorded yet (its
 *    caller's CPU is between the SMC and ffp_preempt_record, or the
 *    proxy's VM availability message between the SMC and its record):
 *    never passed on (it may be a VM's payload), ABORTED. That request's
 *    owner then finds the vCPU waiting (ffp_regs_run: ABORTED, the record
 *    cleared; vmavail.c: not the framework response, ABORTED); a
 *    caller's record made after this run is late (mark_late), and not
 *    made if the vCPU is in a newer request by then;
 *  - anything else: ABORTED.
 */
static void run_cycles(struct ffp *p, uint32_t func, uint32_t version,
		       struct ffa_regs *regs, uint32_t target, uint64_t seq,
		       uint64_t run)
{
	struct ffa_regs r = { { 0 } }, out = { { 0 } };
	const char *why = NULL;
	uint32_t w0, value;
	int32_t status = 0;

	r.x[0] = FFA_RUN_32;
	r.x[1] = target;
	ffp_smc(p, &r);
	w0 = (uint32_t)r.x[0];
	/* Logged: w1 (the ids) of a frame naming someone, else w2 of an
	 * error, else w0; never a payload register. */
	value = w0 == FFA_ERROR_32 ? (uint32_t)r.x[2] : (uint32_t)r.x[1];
	switch (w0) {
	case FFA_MSG_WAIT_32:
		out.x[0] = w0;
		break;
	case FFA_INTERRUPT_32:
	case FFA_YIELD_32:
		if (!preemption_out(&r, target, version, &out)) {
			status = FFA_ABORTED;
			why = "SPMC preemption after the host's FFA_RUN for "
			      "cycles names another vCPU: dropped";
		}
		break;
	case FFA_ERROR_32:
		status = ffp_status(r.x[2]);
		why = "SPMC refused the host's FFA_RUN for cycles";
		break;
	case FFA_MSG_SEND_DIRECT_RESP_32:
	case FFA_MSG_SEND_DIRECT_RESP_64:
	case FFA_MSG_SEND_DIRECT_RESP2_64:
		status = FFA_ABORTED;
		why = "host's FFA_RUN for cycles resumed a request not "
		      "recorded yet: its response dropped";
		mark_late(p, &r, target, seq, &run);
		break;
	default:
		status = FFA_ABORTED;
		why = "SPMC reply to the host's FFA_RUN for cycles does not "
		      "match";
		value = w0;
		break;
	}
	if (run) { /* not ended by mark_late */
		ffp_lock(p, FFP_LOCK_STATE);
		late_run_end(p, run, target);
		ffp_unlock(p, FFP_LOCK_STATE);
	}
	if (status) {
		ffp_regs_refuse(p, 0, func, version, regs, status, why, value);
		return;
	}
	ffp_regs_write(regs, &out, func, 0);
}

/*
 * FFA_RUN_32: w1 target (partition id [31:16], vCPU id [15:0]), w2..w7
 * reserved (MBZ). Forwarded only for a target the caller holds a record
 * of (or, the host's, one nobody holds: run_cycles), with nothing of the
 * caller's but w0/w1; the record is taken
 * (running) while the SMC is out, so a second FFA_RUN of it from another
 * CPU gets BUSY, and no lock is held across the SMC.
 *
 * The reply:
 *  - the direct response naming the partition and the caller, of the
 *    request's own kind: the request is over, the record cleared, and the
 *    response goes back exactly as the request's would have (width,
 *    REQ vs REQ2), but x8..x17: the caller's own, FFA_RUN being SMC32,
 *    except DIRECT_RESP2's payload there;
 *  - any other direct response naming the caller: the request is over at
 *    the SPMC (the record cleared) but its answer breaks the protocol:
 *    ABORTED;
 *  - FFA_INTERRUPT or FFA_YIELD naming the same target: still preempted,
 *    the record kept, passed on as for the request;
 *  - FFA_ERROR: passed on sanitised; the record kept (the SPMC refused
 *    this attempt, the preemption stands: Hafnium and TF-A's EL3 SPMC
 *    refuse a run from a physical CPU other than the vCPU's with
 *    INVALID_PARAMETERS, and one of a vCPU running elsewhere with BUSY,
 *    both worth a retry), but for ABORTED (Hafnium: the partition
 *    aborted, nothing left to resume), NOT_SUPPORTED (the SPMC does
 *    not serve FFA_RUN at all) and DENIED (nothing to run, as
 *    resume_once reads it: the request ended at the SPMC unseen, say
 *    resumed by the host's run for cycles, as FFA_MSG_WAIT below);
 *  - anything else, a response naming another caller included: ABORTED,
 *    never passed on; the record kept (the SPMC's state is unknown, and
 *    only this caller may try again; its slots bound what that holds).
 * A record marked stale while out (another caller's request preempted
 * on the same vCPU meanwhile) is dropped whatever the reply: the vCPU is
 * that caller's now.
 * One the caller's own newer request took over while out (preempted on
 * the vCPU on another CPU once this FFA_RUN ended the old one) is kept
 * whatever the reply: it is that request's now.
 * Results other than the response are FFA_RUN's own (SMC32: w0..w7,
 * x8..x17 as the caller had them).
 * A record's vCPU found waiting (FFA_MSG_WAIT: the request ended at the
 * SPMC unseen) clears the record: ABORTED.
 */
void ffp_regs_run(struct ffp *p, uint32_t gen, uint16_t ep_id,
		  uint32_t func, uint32_t version, struct ffa_regs *regs)
{
	uint32_t target = (uint32_t)regs->x[1];
	struct ffa_regs r = { { 0 } }, out = { { 0 } };
	struct ffp_preempt *s;
	uint32_t req = 0, resp, pair, w0, i;
	uint64_t mask, value = 0, seq = 0, run = 0;
	int32_t status = 0;
	const char *why = NULL;
	bool clear = false, cycles = false;

	/* DEN0077A FFA_RUN: w2..w7 reserved, MBZ. SMC32: only the low
	 * halves are arguments. */
	for (i = 2; i < 8; i++) {
		if ((uint32_t)regs->x[i]) {
			ffp_regs_refuse(p, ep_id, func, version, regs,
					FFA_INVALID_PARAMETERS,
					"FFA_RUN w2..w7 MBZ",
					(uint32_t)regs->x[i]);
			return;
		}
	}
	/* As TF-A's EL3 SPMC: only partitions are run from here. */
	if (!ffa_id_is_secure((uint16_t)(target >> 16))) {
		ffp_regs_refuse(p, ep_id, func, version, regs,
				FFA_INVALID_PARAMETERS,
				"FFA_RUN target is not a partition", target);
		return;
	}

	ffp_lock(p, FFP_LOCK_STATE);
	/* A removed caller's: the id's records are no longer its, and may
	 * be a new endpoint's under it. Once the record is taken (running)
	 * a removal answers BUSY until this FFA_RUN settles it. */
	s = NULL;
	if (ffp_endpoint_stale(&p->eps[ep_id], gen)) {
		status = FFA_NOT_SUPPORTED;
		why = FFP_WHY_STALE;
	} else if (!(s = find(p, ep_id, target))) {
		/* The scheduler's (the host's) run of a vCPU nobody holds
		 * a record of gives the partition cycles. Anything else
		 * (a VM's run, a target another caller or the proxy holds)
		 * gets one answer: nothing of another caller's shows.
		 * DENIED, as Hafnium answers a VM that may not run a vCPU. */
		status = ep_id ? FFA_DENIED : held(p, target);
		cycles = !status;
		seq = p->rec_seq; /* the records made since, for mark_late */
		if (cycles)
			run = late_note(p, FFP_LATE_RUN, 0, target);
		why = status == FFA_BUSY
			      ? "FFA_RUN for cycles while the proxy messages "
				"the partition"
			      : "FFA_RUN of a target with no preempted request "
				"of the caller";
	} else if (s->running) {
		/* As Hafnium and TF-A's EL3 SPMC answer for a vCPU running
		 * on another CPU. */
		status = FFA_BUSY;
		why = "FFA_RUN of this target already at the SPMC";
	} else {
		s->running = true;
		req = s->func;
	}
	ffp_unlock(p, FFP_LOCK_STATE);
	if (status) {
		ffp_regs_refuse(p, ep_id, func, version, regs, status, why,
				target);
		return;
	}
	if (cycles) {
		run_cycles(p, func, version, regs, target, seq, run);
		return;
	}

	r.x[0] = FFA_RUN_32;
	r.x[1] = target;
	ffp_smc(p, &r);

	/* A direct request's response is the next function id. */
	resp = req + 1;
	pair = (target & 0xffff0000u) | ep_id;
	mask = ffa_is_smc64(req) ? ~0ull : 0xffffffffull;
	w0 = (uint32_t)r.x[0];
	switch (w0) {
	case FFA_MSG_SEND_DIRECT_RESP_32:
	case FFA_MSG_SEND_DIRECT_RESP_64:
	case FFA_MSG_SEND_DIRECT_RESP2_64:
		if ((uint32_t)r.x[1] != pair) {
			status = FFA_ABORTED;
			why = "SPMC response to FFA_RUN names another pair";
			value = r.x[1];
			break;
		}
		clear = true;
		if (w0 != resp || (r.x[1] & mask) != pair || (r.x[2] & mask) ||
		    (req == FFA_MSG_SEND_DIRECT_REQ2_64 && r.x[3])) {
			status = FFA_ABORTED;
			why = "SPMC response to FFA_RUN does not match the request";
			value = r.x[0];
			break;
		}
		for (i = 1; i < FFA_NREGS; i++)
			out.x[i] = r.x[i] & mask;
		out.x[0] = resp;
		/* REQ: x8..x17 are no results (left the caller's below);
		 * REQ2: x4..x17 are. */
		if (req != FFA_MSG_SEND_DIRECT_REQ2_64)
			for (i = 8; i < FFA_NREGS; i++)
				out.x[i] = 0;
		break;
	case FFA_INTERRUPT_32:
	case FFA_YIELD_32:
		if (!preemption_out(&r, target, version, &out)) {
			status = FFA_ABORTED;
			why = "SPMC preemption after FFA_RUN names another vCPU";
			value = r.x[1];
		}
		break;
	case FFA_ERROR_32:
		status = ffp_status(r.x[2]);
		why = "SPMC refused FFA_RUN";
		value = (uint32_t)r.x[2];
		clear = status == FFA_ABORTED || status == FFA_NOT_SUPPORTED ||
			status == FFA_DENIED;
		break;
	case FFA_MSG_WAIT_32:
		/* The vCPU was waiting (an SPMC that runs a waiting vCPU
		 * for cycles, as Hafnium does): the request is not there. */
		status = FFA_ABORTED;
		why = "partition waiting: the preempted request ended at the "
		      "SPMC unseen";
		value = r.x[0];
		clear = true;
		break;
	default:
		status = FFA_ABORTED;
		why = "SPMC reply to FFA_RUN does not match";
		value = r.x[0];
		break;
	}

	ffp_lock(p, FFP_LOCK_STATE);
	/* The slot is still this record: `running` kept every other path
	 * off it (endpoint removal gets BUSY, stale drops only mark it). */
	s->running = false;
	if (s->renewed) {
		/* A newer request of the caller's is preempted on it
		 * (ffp_preempt_record): the record is that one's now. */
		s->renewed = false;
	} else if (clear || s->stale) {
		/* Stale: another caller's request was preempted on this
		 * vCPU meanwhile (ffp_preempt_record); the vCPU is its. */
		slot_free(p, s);
	}
	ffp_unlock(p, FFP_LOCK_STATE);

	if (status) {
		ffp_regs_refuse(p, ep_id, func, version, regs, status, why,
				value);
		return;
	}
	/* The response in the request's width; x8..x17 written only for
	 * DIRECT_RESP2, whose payload they carry. FFA_RUN is an SMC32 call:
	 * otherwise they stay the caller's (SMCCC: an SMC32 call preserves
	 * x8..x30; ffp_handle's rule), even where the request, an SMC64
	 * one at 1.2, would have had them zero. */
	ffp_regs_write(regs, &out, clear ? req : func,
		       clear && req == FFA_MSG_SEND_DIRECT_REQ2_64 ? version
								   : 0);
}
