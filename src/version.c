/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * Version negotiation, both sides (DEN0077A 1.2 13.2; ffa-facts section 1).
 *
 * With the SPMC, at init: the highest common version not above the
 * proxy's own. With each caller, per policy:
 *  translate: every 1.x caller is served at min(its version, the proxy's)
 *             for the life of the endpoint; the SPMC stays where it is and
 *             the proxy translates.
 *  strict:    one version for everyone, the one in use with the SPMC (Linux
 *             6.18 pKVM): an older minor before any endpoint has locked its
 *             version renegotiates the SPMC down to it; after that it gets
 *             NOT_SUPPORTED.
 * A caller's version locks at its first FF-A call other than FFA_VERSION.
 * A call made before any FFA_VERSION is served as if the caller had asked
 * for 1.0 (the version of callers that predate negotiation, Hafnium's
 * choice); under strict that implicit request follows the strict rules.
 */
#include "internal.h"

static bool version_compatible_major(uint32_t v)
{
	return !(v & 0x80000000u) && ffa_version_major(v) == 1;
}

static uint32_t min_version(uint32_t a, uint32_t b)
{
	return a < b ? a : b; /* same major: minors compare */
}

void ffp_spmc_negotiate(struct ffp *p)
{
	struct ffa_regs r = { { 0 } };
	uint32_t want;
	int32_t answer;

	r.x[0] = SMCCC_VERSION;
	ffp_smc(p, &r);
	answer = (int32_t)(uint32_t)r.x[0];
	/* SMCCC 1.0 firmware has no SMCCC_VERSION and answers NOT_SUPPORTED. */
	p->smccc_version = answer < 0 ? 0x10000u : (uint32_t)answer;
	if (answer < 0 || p->smccc_version < SMCCC_VERSION_1_1 ||
	    (p->smccc_version >> 16) != 1) {
		ffp_log(p, 0, SMCCC_VERSION, FFA_NOT_SUPPORTED,
			"SMCCC below 1.1: FF-A disabled", p->smccc_version);
		return;
	}
	p->x8_x17 = p->smccc_version >= SMCCC_VERSION_1_2;
	/* FF-A 1.2 relies on SMCCC 1.2 registers (pKVM requires it too). */
	p->spmc_cap = p->cfg.version;
	if (!p->x8_x17 && p->spmc_cap > FFA_VERSION_1_1)
		p->spmc_cap = FFA_VERSION_1_1;

	/*
	 * Ask for the cap; an older SPMC answers for a newer minor in one of
	 * two ways, and either way it must then be asked again for the
	 * version the proxy will use:
	 *  - NOT_SUPPORTED (Hafnium api_ffa_version: the request must be
	 *    compatible with its own version): ask one minor lower, down to
	 *    1.0;
	 *  - its own, older version without recording the request (TF-A
	 *    EL3 SPMC ffa_version_handler records only compatible requests,
	 *    and spmc_smc_handler then refuses every other call as
	 *    NOT_SUPPORTED): ask for that version.
	 * The loop ends: the minor asked for only goes down.
	 */
	want = p->spmc_cap;
	for (;;) {
		ffp_memset(&r, 0, sizeof(r));
		r.x[0] = FFA_VERSION_32;
		r.x[1] = want;
		ffp_smc(p, &r);
		/* Compare as signed 32-bit: firmware zero-extends -1 (pKVM
		 * 582234b0). */
		answer = (int32_t)(uint32_t)r.x[0];
		if (answer < 0 && ffa_version_minor(want) > 0) {
			want--;
			continue;
		}
		if (answer < 0 || !version_compatible_major((uint32_t)answer)) {
			ffp_log(p, 0, FFA_VERSION_32, FFA_NOT_SUPPORTED,
				"SPMC has no compatible FF-A version: FF-A disabled",
				(uint32_t)r.x[0]);
			return;
		}
		if ((uint32_t)answer >= want)
			break;
		want = (uint32_t)answer;
	}
	p->spmc_reported = (uint32_t)answer;
	p->spmc_version = want;
	p->ffa_enabled = true;
	ffp_servable_update(p);
}

/* Whether `answer` (w0 of FFA_VERSION) says the SPMC serves `want`. */
static bool spmc_serves(uint32_t answer, uint32_t want)
{
	return version_compatible_major(answer) &&
	       ffa_version_minor(answer) >= ffa_version_minor(want);
}

/* Strict mode: move the SPMC down to `want`. STATE lock held; the SPMC is
 * not locked yet because no endpoint has made a forwarded call. */
static bool spmc_renegotiate(struct ffp *p, uint32_t want)
{
	struct ffa_regs r = { { 0 } };
	uint32_t answer;

	r.x[0] = FFA_VERSION_32;
	r.x[1] = want;
	ffp_smc(p, &r);
	answer = (uint32_t)r.x[0];
	if (spmc_serves(answer, want)) {
		p->spmc_version = want;
		ffp_servable_update(p);
		return true;
	}
	/* NOT_SUPPORTED records nothing. Any other answer says nothing
	 * of what the SPMC did: it may have recorded `want` (TF-A and
	 * Hafnium record a compatible request before answering) and
	 * serve the normal world at it while every caller is served at
	 * spmc_version (version confusion). Ask for spmc_version again,
	 * as at init, so the SPMC is back where the proxy believes it is. */
	if ((int32_t)answer != FFA_NOT_SUPPORTED) {
		ffp_memset(&r, 0, sizeof(r));
		r.x[0] = FFA_VERSION_32;
		r.x[1] = p->spmc_version;
		ffp_smc(p, &r);
		if (!spmc_serves((uint32_t)r.x[0], p->spmc_version))
			ffp_log(p, 0, FFA_VERSION_32, FFA_ABORTED,
				"SPMC did not answer a version to the proxy's "
				"restoring FFA_VERSION",
				(uint32_t)r.x[0]);
	}
	return false;
}

/* Strict, STATE held: whether an endpoint other than `self` has been
 * answered a version (the one in use with the SPMC). */
static bool version_answered_to_other(const struct ffp *p, uint16_t self)
{
	uint32_t i;

	for (i = 0; i < p->cfg.max_endpoints; i++)
		if (i != self && p->eps[i].present && p->eps[i].version_set)
			return true;
	return false;
}

/*
 * Decide the version a caller asking for `want` is served at and the
 * version to answer. Returns false for NOT_SUPPORTED. STATE lock held.
 */
static bool negotiate(struct ffp_call *c, uint32_t want, uint32_t *served,
		      uint32_t *answer, const char **why)
{
	struct ffp *p = c->p;
	struct ffp_endpoint *ep = c->ep;
	uint32_t resolved;

	if (!version_compatible_major(want)) {
		*why = (want & 0x80000000u) ? "version has bit 31 set"
					    : "caller's major version differs";
		return false;
	}
	if (p->cfg.policy == FFP_POLICY_TRANSLATE) {
		resolved = min_version(want, p->cfg.version);
		*answer = p->cfg.version;
	} else {
		if (want < p->spmc_version && !p->any_locked) {
			/* Another endpoint was answered the version in use
			 * and will lock it at its first call: moving the SPMC
			 * down would serve it an ABI it was never answered
			 * (version confusion). Only the caller's own answer
			 * may be taken back before its lock. */
			if (version_answered_to_other(p, c->ep_id)) {
				*why = "strict policy: another endpoint was "
				       "answered the version in use";
				return false;
			}
			if (!spmc_renegotiate(p, want)) {
				*why = "SPMC refused to renegotiate down";
				return false;
			}
		}
		if (want < p->spmc_version) {
			*why = "strict policy: older version after lock";
			return false;
		}
		resolved = p->spmc_version;
		*answer = p->spmc_version;
	}
	if (ep->version_locked && resolved != ep->version) {
		*why = "version already locked by an earlier call";
		return false;
	}
	*served = resolved;
	return true;
}

void ffp_handle_version(struct ffp_call *c)
{
	struct ffp *p = c->p;
	uint32_t want = (uint32_t)c->in.x[1];
	uint32_t served = 0, answer = 0;
	const char *why = NULL;
	bool ok;

	ffp_lock(p, FFP_LOCK_STATE);
	if (ffp_call_stale(c)) {
		/* As to an unknown endpoint (handle_call): nothing of the
		 * id's next endpoint's is set, nor the SPMC moved for it. */
		ok = false;
		why = FFP_WHY_STALE;
	} else {
		ok = negotiate(c, want, &served, &answer, &why);
	}
	if (ok && !c->ep->version_locked) {
		c->ep->version = served;
		c->ep->version_set = true;
	}
	ffp_unlock(p, FFP_LOCK_STATE);

	/* The reply is w0 alone, w1..w7 zero (ff-a-acs checks x1..x7);
	 * an SMC32 call, so the caller's x8..x17 stay (SMCCC). */
	ffp_regs_zero(&c->out);
	if (ok) {
		c->out.x[0] = answer;
	} else {
		c->out.x[0] = (uint32_t)FFA_NOT_SUPPORTED;
		ffp_log(p, c->ep_id, c->func, FFA_NOT_SUPPORTED, why, want);
	}
}

/* ffp_lock_version() for a caller whose version is not locked yet (its
 * first call): out of line, so that every later call pays one test. */
static __attribute__((noinline)) bool lock_version_first(struct ffp_call *c)
{
	struct ffp *p = c->p;
	struct ffp_endpoint *ep = c->ep;
	uint32_t served = 0, answer = 0;
	const char *why = NULL;
	bool ok = true, stale;

	ffp_lock(p, FFP_LOCK_STATE);
	stale = ffp_call_stale(c);
	if (stale) {
		/* Removed since the call began: the id's next endpoint keeps
		 * its own version, unlocked; refused at none (c->version 0),
		 * as an unknown endpoint is. */
		ok = false;
		why = FFP_WHY_STALE;
	} else if (!ep->version_locked) {
		if (!ep->version_set) {
			ok = negotiate(c, FFA_VERSION_1_0, &served, &answer, &why);
			if (ok)
				ep->version = served;
		} else if (p->cfg.policy == FFP_POLICY_STRICT) {
			/* Everyone runs at the SPMC's version: the one this
			 * caller was answered, which no other endpoint can
			 * move down since (negotiate). */
			ep->version = p->spmc_version;
		}
		if (ok) {
			ep->version_set = true;
			p->any_locked = true;
			__atomic_store_n(&ep->version_locked, true,
					 __ATOMIC_RELEASE);
			/* After the version: a CPU that sees a lane sees it. */
			__atomic_store_n(&ep->lanes, ffp_lanes(p, ep->version),
					 __ATOMIC_RELEASE);
		}
	}
	if (!stale)
		c->version = ep->version;
	ffp_unlock(p, FFP_LOCK_STATE);
	if (!ok)
		ffp_refuse(c, FFA_NOT_SUPPORTED, why, FFA_VERSION_1_0);
	return ok;
}

bool ffp_lock_version(struct ffp_call *c)
{
	const struct ffp_endpoint *ep = c->ep;

	if (ffp_version_is_locked(ep)) {
		c->version = ep->version;
		return true;
	}
	return lock_version_first(c);
}
