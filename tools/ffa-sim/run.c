/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * The runner: executes parsed commands against a simulated world
 * (sim/simplat), printing the trace and checking expectations.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <ffaproxy/mem.h>

#include "sim/invariant.h"
#include "sim/simplat.h"
#include "tools/ffa-sim/script.h"
#include "tools/ffa-sim/trace.h"

#define MAX_VARS 256
#define LOG_TEXT 256

struct runner {
	const struct sim_script *s;
	FILE *out;
	unsigned line; /* of the command running */
	struct simplat_config cfg;
	struct simplat *sp; /* NULL until the first action */
	struct ffa_regs last;
	bool have_last;
	struct {
		char name[SIM_NAME_MAX];
		uint64_t value;
	} vars[MAX_VARS];
	unsigned nvars;
	struct {
		bool taken;
		uint64_t pages; /* simmem_state_digest */
		uint32_t spmc_txns, proxy_txns;
	} snap;
	/* sim/invariant.c after every call (W1-W4, R1-R4, refusals). */
	struct inv iv;
	bool iv_ready;
	bool world_checks_off; /* after `spmc misbehave reply` */
	char (*logs)[LOG_TEXT]; /* refusal reasons since the last call */
	unsigned nlogs, caplogs;
	unsigned expectations, failures;
	/* spmc.total_calls as the last call began (expect smcs) */
	uint32_t smcs_at_call;
	bool called;
};

/* Trace indentation: calls at the left, what the proxy does beneath. */
#define IND_CALL "      "
#define IND_SMC "            "

static void fail(struct runner *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void fail(struct runner *r, const char *fmt, ...)
{
	va_list ap;

	r->failures++;
	fprintf(r->out, "FAIL %s:%u: ", r->s->path, r->line);
	va_start(ap, fmt);
	vfprintf(r->out, fmt, ap);
	va_end(ap);
	fputc('\n', r->out);
}

/* An embedder call's status against the scenario's (its low 32 bits):
 * a failure "<what> <ep>: <status>, expected <status>" if they differ. */
static bool status_as_expected(struct runner *r, const char *what,
			       unsigned ep, int32_t st, uint64_t want)
{
	char g[64], w[64];

	r->expectations++;
	if ((uint32_t)st == (uint32_t)want)
		return true;
	fail(r, "%s %u: %s, expected %s", what, ep,
	     trace_status(g, sizeof(g), st),
	     trace_status(w, sizeof(w), (int32_t)(uint32_t)want));
	return false;
}

static const char *ep_text(char *buf, size_t size, uint16_t ep)
{
	if (ffa_id_is_secure(ep))
		snprintf(buf, size, "0x%04x", ep);
	else
		snprintf(buf, size, "%u", ep);
	return buf;
}

/* A value with its meaning when it has an obvious one. */
static const char *describe(char *buf, size_t size, uint64_t v)
{
	const char *n = v >> 32 ? NULL : ffa_function_name((uint32_t)v);

	if (!n && !(v >> 32))
		n = ffa_error_name((int32_t)(uint32_t)v);
	if (n)
		snprintf(buf, size, "0x%" PRIx64 " (%s)", v, n);
	else
		snprintf(buf, size, "0x%" PRIx64, v);
	return buf;
}

/* ---- Trace hooks */

static void hook_smc(void *ctx, unsigned depth, const struct ffa_regs *req,
		     const struct ffa_regs *reply, bool injected)
{
	struct runner *r = ctx;
	char a[512], b[512];

	trace_call(a, sizeof(a), req);
	trace_reply(b, sizeof(b), (uint32_t)req->x[0], reply);
	fprintf(r->out, IND_SMC "%*sspmc > %s\n", 4 * (int)depth, "", a);
	fprintf(r->out, IND_SMC "%*sspmc < %s%s\n", 4 * (int)depth, "", b,
		injected ? "   [injected fault: never reached the SPMC]" : "");
}

static void hook_log(void *ctx, unsigned depth, const struct ffp_log_event *ev)
{
	struct runner *r = ctx;
	char st[16], fn[16], text[LOG_TEXT];

	snprintf(text, sizeof(text), "%s %s: %s (value 0x%" PRIx64 ")",
		 ev->status ? trace_status(st, sizeof(st), ev->status) : "note",
		 trace_func(fn, sizeof(fn), ev->func), ev->why ? ev->why : "?",
		 ev->value);
	fprintf(r->out, IND_SMC "%*slog: ep %u %s\n", 4 * (int)depth, "", ev->ep,
		text);
	if (r->nlogs == r->caplogs) {
		unsigned cap = r->caplogs ? 2 * r->caplogs : 16;
		char(*n)[LOG_TEXT] = realloc(r->logs, cap * sizeof(*n));

		if (!n)
			return;
		r->logs = n;
		r->caplogs = cap;
	}
	memcpy(r->logs[r->nlogs++], text, sizeof(text));
}

static void hook_npi(void *ctx, uint16_t vm, const uint16_t *vcpus,
		     uint32_t count)
{
	struct runner *r = ctx;
	uint32_t i;

	fprintf(r->out, IND_SMC "npi: vm %u %s", vm, count ? "vcpus " : "global");
	for (i = 0; i < count; i++)
		fprintf(r->out, "%s%u", i ? "," : "", vcpus[i]);
	fputc('\n', r->out);
}

static void hook_nested_call(void *ctx, uint16_t ep, const struct ffa_regs *req)
{
	struct runner *r = ctx;
	char a[512], e[16];

	if (r->sp->nested_reset) {
		fprintf(r->out, IND_SMC "nested (another CPU) reset host\n");
		return;
	}
	trace_call(a, sizeof(a), req);
	fprintf(r->out, IND_SMC "nested (another CPU) ep %s > %s\n",
		ep_text(e, sizeof(e), ep), a);
}

static void hook_nested_done(void *ctx, uint16_t ep, const struct ffa_regs *reply,
			     bool handled)
{
	struct runner *r = ctx;
	struct simplat *sp = r->sp;
	char b[512], e[16];

	if (sp->nested_reset) {
		fprintf(r->out, IND_SMC "nested (another CPU) reset host: %s\n",
			trace_status(b, sizeof(b),
				     (int32_t)(uint32_t)reply->x[0]));
		return;
	}
	if (handled)
		trace_reply(b, sizeof(b), (uint32_t)sp->nested_req.x[0], reply);
	else
		snprintf(b, sizeof(b), "not FF-A (left to the embedder)");
	fprintf(r->out, IND_SMC "nested (another CPU) ep %s < %s\n",
		ep_text(e, sizeof(e), ep), b);
}

static void hook_error(void *ctx, const char *what)
{
	fail(ctx, "platform contract broken: %s", what);
}

/* ---- The world */

static bool build(struct runner *r)
{
	static const struct simplat_hooks hooks = {
		.smc = hook_smc,
		.log = hook_log,
		.npi = hook_npi,
		.nested_call = hook_nested_call,
		.nested_done = hook_nested_done,
		.error = hook_error,
	};
	struct simplat_hooks h = hooks;
	char sv[16], pv[16], cv[16];
	const char *why = "";

	h.ctx = r;
	if (!r->cfg.host_ram_count) {
		r->cfg.host_ram[0].base = 0x80000000ull;
		r->cfg.host_ram[0].size = 64ull << 20;
		r->cfg.host_ram_count = 1;
	}
	trace_version(sv, sizeof(sv), r->cfg.spmc_version);
	trace_version(pv, sizeof(pv), r->cfg.proxy.version);
	trace_version(cv, sizeof(cv), r->cfg.smccc_version);
	fprintf(r->out,
		"%5u world: spmc %s%s (smccc %s, partitions: %u), proxy %s %s, "
		"granule %uK\n",
		r->line, sv, r->cfg.spmc_absent ? " absent" : "", cv,
		r->cfg.part_count, pv, ffp_policy_name(r->cfg.proxy.policy),
		r->cfg.proxy.granule / 1024);
	r->sp = calloc(1, sizeof(*r->sp));
	if (!r->sp) {
		fail(r, "world: out of memory");
		return false;
	}
	if (simplat_init(r->sp, &r->cfg, &h, &why)) {
		fail(r, "world: %s", why);
		return false;
	}
	inv_init(&r->iv, r->sp);
	r->iv_ready = true;
	return true;
}

static uint64_t val(const struct runner *r, const struct sim_val *v)
{
	unsigned i;

	if (!v->var[0])
		return v->num;
	for (i = 0; i < r->nvars; i++)
		if (!strcmp(r->vars[i].name, v->var))
			return r->vars[i].value;
	return 0; /* the parser saw a save first: unreachable */
}

/* ---- Configuration */

static void configure(struct runner *r, const struct sim_cmd *c)
{
	struct simplat_config *cfg = &r->cfg;

	switch (c->kind) {
	case CMD_SPMC_VERSION:
		cfg->spmc_version = (uint32_t)c->v[0].num;
		break;
	case CMD_SPMC_SMCCC:
		cfg->smccc_version = (uint32_t)c->v[0].num;
		break;
	case CMD_SPMC_ABSENT:
		cfg->spmc_absent = true;
		break;
	case CMD_SPMC_STALE_PAIR:
		cfg->spmc_stale_pair = true;
		break;
	case CMD_SPMC_NEWER_VERSION:
		cfg->spmc_newer_version = (enum spmc_newer_version)c->sub;
		break;
	case CMD_SPMC_FAILED_INFO_GET:
		cfg->spmc_info_error_gives_rx = c->sub == 1;
		break;
	case CMD_SPMC_CHECK_CONSTITUENTS:
		cfg->spmc_check_constituents = (enum spmc_check_constituents)c->sub;
		break;
	case CMD_SPMC_IDLE_RUN:
		cfg->spmc_idle_run_denied = c->sub == 1;
		break;
	case CMD_SPMC_PARTITION:
		if (cfg->part_count == SPMC_MAX_PARTITIONS) {
			fail(r, "more than %d partitions", SPMC_MAX_PARTITIONS);
			break;
		}
		cfg->parts[cfg->part_count].id = c->ep;
		memcpy(cfg->parts[cfg->part_count].uuid, c->uuid, 16);
		cfg->parts[cfg->part_count].exec_ctx = (uint16_t)c->v[0].num;
		cfg->parts[cfg->part_count].props = (uint32_t)c->v[1].num;
		cfg->part_count++;
		break;
	case CMD_PROXY_VERSION:
		cfg->proxy.version = (uint32_t)c->v[0].num;
		break;
	case CMD_PROXY_POLICY:
		cfg->proxy.policy = c->sub ? FFP_POLICY_STRICT : FFP_POLICY_TRANSLATE;
		break;
	case CMD_PROXY_GRANULE:
		cfg->proxy.granule = (uint32_t)c->v[0].num;
		break;
	case CMD_PROXY_UUID:
		if (cfg->uuid_count == SPMC_MAX_PARTITIONS) {
			fail(r, "more than %d proxy uuids", SPMC_MAX_PARTITIONS);
			break;
		}
		cfg->uuids[cfg->uuid_count].id = c->ep;
		memcpy(cfg->uuids[cfg->uuid_count].uuid, c->uuid, 16);
		cfg->uuid_count++;
		break;
	case CMD_PROXY_BUFFERS:
		cfg->hyp_buffer_pages = (uint32_t)c->v[0].num;
		break;
	case CMD_PROXY_LIMIT: {
		uint32_t v = (uint32_t)c->v[0].num;

		switch ((enum sim_limit)c->sub) {
		case LIMIT_ENDPOINTS:
			cfg->proxy.max_endpoints = (uint16_t)v;
			break;
		case LIMIT_BUFFER_PAGES:
			cfg->proxy.max_buffer_pages = v;
			break;
		case LIMIT_DESCRIPTOR_SIZE:
			cfg->proxy.max_descriptor_size = v;
			break;
		case LIMIT_TRANSACTIONS:
			cfg->proxy.max_transactions = v;
			break;
		case LIMIT_RANGES:
			cfg->proxy.max_ranges = v;
			break;
		case LIMIT_VM_TRANSACTIONS:
			cfg->proxy.max_vm_transactions = v;
			break;
		case LIMIT_VM_RANGES:
			cfg->proxy.max_vm_ranges = v;
			break;
		case LIMIT_PREEMPTED:
			cfg->proxy.max_preempted = v;
			break;
		}
		break;
	}
	case CMD_PROXY_VM_AVAILABILITY:
		cfg->proxy.vm_availability_by_embedder = c->sub == 1;
		break;
	case CMD_PROXY_MSG2_HOLD:
		cfg->proxy.no_msg2_hold = c->sub == 1;
		break;
	case CMD_PROXY_NPI:
		cfg->proxy.npi_offered = true;
		cfg->proxy.npi_intid = (uint32_t)c->v[0].num;
		break;
	case CMD_PROXY_NOTIF_VCPUS:
		cfg->proxy.notification_vcpus = (uint16_t)c->v[0].num;
		break;
	case CMD_PLATFORM_NOTIF_PENDING:
		cfg->notification_pending = c->sub == 1;
		break;
	case CMD_HOST_RAM:
		if (cfg->host_ram_count == SIMPLAT_MAX_RAM) {
			fail(r, "more than %d host ram regions", SIMPLAT_MAX_RAM);
			break;
		}
		cfg->host_ram[cfg->host_ram_count].base = c->v[0].num;
		cfg->host_ram[cfg->host_ram_count].size = c->v[1].num;
		cfg->host_ram_count++;
		break;
	default:
		break;
	}
}

/* ---- Actions */

static void regs_of(const struct runner *r, const struct sim_cmd *c,
		    struct ffa_regs *regs)
{
	unsigned i;

	memset(regs, 0, sizeof(*regs));
	for (i = 0; i < c->nv; i++)
		regs->x[i] = val(r, &c->v[i]);
}

static void do_call(struct runner *r, const struct sim_cmd *c)
{
	struct inv_snapshot before;
	struct ffa_regs regs, in;
	bool snap;
	char a[512], e[16];
	bool handled;

	regs_of(r, c, &regs);
	r->nlogs = 0;
	r->sp->npi_count = 0;
	trace_call(a, sizeof(a), &regs);
	ep_text(e, sizeof(e), c->ep);
	fprintf(r->out, "%5u ep %s > %s\n", c->line, e, a);
	in = regs;
	snap = !r->world_checks_off && !inv_snapshot(&r->iv, &before);
	r->smcs_at_call = r->sp->spmc.total_calls;
	r->called = true;
	handled = simplat_call(r->sp, c->ep, &regs);
	/* The state half of R5 reads the model's transactions, which its
	 * replies no longer describe after `spmc misbehave reply`. */
	if (handled && (inv_check_regs(&r->iv, c->ep, &in, &regs) ||
			(!r->world_checks_off &&
			 inv_check_mem_reply(&r->iv, c->ep, &in, &regs))))
		fail(r, "invariant: %s", r->iv.why);
	if (handled && snap &&
	    inv_check_unchanged(&r->iv, &before, &in, &regs))
		fail(r, "invariant: %s", r->iv.why);
	if (snap)
		inv_snapshot_free(&before);
	if (!r->world_checks_off && inv_check_world(&r->iv))
		fail(r, "invariant: %s", r->iv.why);
	if (handled)
		trace_reply(a, sizeof(a), (uint32_t)val(r, &c->v[0]), &regs);
	else
		snprintf(a, sizeof(a), "not FF-A (left to the embedder)");
	fprintf(r->out, IND_CALL "ep %s < %s\n", e, a);
	r->last = regs;
	r->have_last = true;
}

static void check_regs(struct runner *r, const struct sim_cmd *c,
		       const struct ffa_regs *got, const char *whose)
{
	char g[64], w[64];
	unsigned i;

	for (i = 0; i < c->nchecks; i++) {
		const struct sim_regcheck *k = &c->checks[i];
		uint64_t have = got->x[k->reg], want = val(r, &k->v);

		r->expectations++;
		if (k->w) {
			have = (uint32_t)have;
			want = (uint32_t)want;
		}
		if (have != want)
			fail(r, "%s%c%u is %s, expected %s", whose, k->w ? 'w' : 'x',
			     k->reg, describe(g, sizeof(g), have),
			     describe(w, sizeof(w), want));
	}
}

static void hex(char *buf, size_t size, const uint8_t *b, size_t n)
{
	size_t i;

	buf[0] = 0;
	for (i = 0; i < n && 2 * i + 3 < size; i++)
		snprintf(buf + 2 * i, 3, "%02x", b[i]);
}

static void expect_mem(struct runner *r, const struct sim_cmd *c)
{
	uint64_t addr = val(r, &c->v[0]);
	uint8_t *got = malloc(c->nbytes ? c->nbytes : 1);
	char g[80], w[80];
	size_t i;

	r->expectations++;
	if (!got) {
		fail(r, "out of memory");
		return;
	}
	if (simmem_read(r->sp->mem, addr, got, c->nbytes)) {
		fail(r, "memory 0x%" PRIx64 "+%zu: no such memory", addr, c->nbytes);
	} else {
		for (i = 0; i < c->nbytes && got[i] == c->bytes[i]; i++)
			;
		if (i < c->nbytes) {
			size_t n = c->nbytes - i < 16 ? c->nbytes - i : 16;

			hex(g, sizeof(g), got + i, n);
			hex(w, sizeof(w), c->bytes + i, n);
			fail(r, "memory at 0x%" PRIx64 " (offset %zu) is %s..., "
				"expected %s...", addr + i, i, g, w);
		}
	}
	free(got);
}

static void expect_page(struct runner *r, const struct sim_cmd *c)
{
	uint64_t addr = val(r, &c->v[0]), n = val(r, &c->v[1]), i;
	enum ffp_page_state want = (enum ffp_page_state)c->sub;

	r->expectations++;
	for (i = 0; i < n; i++) {
		uint64_t pa = addr + i * SIMMEM_PAGE;
		struct simmem_page pg;

		if (simmem_page(r->sp->mem, pa, &pg)) {
			fail(r, "page 0x%" PRIx64 ": no such memory", pa);
			return;
		}
		if (pg.state != want ||
		    (want == FFP_PAGE_OWNED && pg.owner != pg.region_owner)) {
			fail(r, "page 0x%" PRIx64 " is %s (owner %u), expected %s", pa,
			     simmem_state_name(pg.state), pg.owner,
			     simmem_state_name(want));
			return;
		}
	}
}

static void expect_version(struct runner *r, const struct sim_cmd *c)
{
	struct ffp_endpoint_info info;
	uint32_t want = (uint32_t)val(r, &c->v[0]);
	char g[16], w[16];

	r->expectations++;
	trace_version(w, sizeof(w), want);
	if (ffp_endpoint_info(r->sp->proxy, c->ep, &info) || !info.present) {
		fail(r, "endpoint %u does not exist", c->ep);
		return;
	}
	trace_version(g, sizeof(g), info.version);
	if (!info.version_set)
		fail(r, "endpoint %u has no version yet, expected %s", c->ep, w);
	else if (info.version != want)
		fail(r, "endpoint %u is served at %s, expected %s", c->ep, g, w);
	if (c->sub == LOCK_LOCKED && !info.version_locked)
		fail(r, "endpoint %u: version not locked", c->ep);
	if (c->sub == LOCK_UNLOCKED && info.version_locked)
		fail(r, "endpoint %u: version locked", c->ep);
}

static void expect_spmc_version(struct runner *r, const struct sim_cmd *c)
{
	struct ffp_info info;
	uint32_t want = (uint32_t)val(r, &c->v[0]);
	char g[16], w[16], m[16];

	r->expectations++;
	ffp_info(r->sp->proxy, &info);
	trace_version(w, sizeof(w), want);
	trace_version(g, sizeof(g), info.spmc_version);
	trace_version(m, sizeof(m), r->sp->spmc.ns_version);
	if (info.spmc_version != want)
		fail(r, "the proxy uses %s with the SPMC, expected %s", g, w);
	/* the SPMC model must agree on what was negotiated */
	else if (r->sp->spmc.ns_version_set && r->sp->spmc.ns_version != want)
		fail(r, "the proxy says %s but the SPMC serves the normal world "
			"at %s", g, m);
	else if (!r->sp->spmc.ns_version_set &&
		 r->sp->spmc.newer_version == SPMC_NEWER_UNRECORDED)
		fail(r, "the proxy says %s but the SPMC recorded no version "
			"(it serves the normal world nothing)", g);
}

static void expect_log(struct runner *r, const struct sim_cmd *c)
{
	unsigned i;

	r->expectations++;
	for (i = 0; i < r->nlogs; i++)
		if (strstr(r->logs[i], c->text))
			return;
	fail(r, "no refusal logged since the last call says '%s' (%u logged)",
	     c->text, r->nlogs);
}

/* expect npi: the notification_pending calls since the last call. */
static void expect_npi(struct runner *r, const struct sim_cmd *c)
{
	const struct simplat *sp = r->sp;
	uint32_t i, k, n = sp->npi_count < SIMPLAT_NPI_MAX ? sp->npi_count
							    : SIMPLAT_NPI_MAX;

	r->expectations++;
	if (c->sub == 0) {
		if (sp->npi_count)
			fail(r, "%u notification_pending calls since the last "
				"call, expected none (the first for VM %u)",
			     sp->npi_count, sp->npi[0].vm);
		return;
	}
	if (c->sub == 1) {
		if (sp->npi_count != val(r, &c->v[0]))
			fail(r, "%u notification_pending calls since the last "
				"call, expected %" PRIu64,
			     sp->npi_count, val(r, &c->v[0]));
		return;
	}
	for (i = 0; i < n; i++) {
		if (sp->npi[i].vm != c->ep || sp->npi[i].count != c->nv)
			continue;
		for (k = 0; k < c->nv && sp->npi[i].vcpus[k] == c->v[k].num; k++)
			;
		if (k == c->nv)
			return;
	}
	fail(r, "no notification_pending call for VM %u with %u vCPU ids as "
		"given since the last call (%u calls)",
	     c->ep, c->nv, sp->npi_count);
}

static void set_var(struct runner *r, const char *name, uint64_t v)
{
	unsigned i;

	for (i = 0; i < r->nvars && strcmp(r->vars[i].name, name); i++)
		;
	if (i == r->nvars) {
		if (r->nvars == MAX_VARS)
			return; /* the parser allows no more names than this */
		strcpy(r->vars[r->nvars++].name, name);
	}
	r->vars[i].value = v;
}

/* Build a transaction descriptor with the proxy's own codec (so the
 * layouts are the ones the proxy parses) and put it in memory. */
static void do_desc(struct runner *r, const struct sim_cmd *c)
{
	const struct sim_desc *d = c->desc;
	struct ffa_mem_txn t;
	uint64_t addr = val(r, &c->v[0]), pages = 0, size;
	uint32_t head = ffa_mem_emit_size(d->version, d->nrecv), len = 0, i;
	uint8_t *buf;
	char ver[16];
	int st;

	memset(&t, 0, sizeof(t));
	t.sender = d->sender;
	t.attributes = d->attributes;
	t.flags = d->flags;
	t.handle = val(r, &d->handle);
	t.tag = d->tag;
	t.receiver_count = d->nrecv;
	for (i = 0; i < d->nrecv; i++) {
		t.receivers[i].id = d->recv[i].id;
		t.receivers[i].perms = d->recv[i].perms;
		t.receivers[i].flags = d->recv[i].flags;
	}
	for (i = 0; i < d->nranges; i++)
		pages += d->ranges[i].pages;
	t.total_pages = d->has_total_pages ? d->total_pages : (uint32_t)pages;
	t.range_count = d->nranges;
	size = (uint64_t)head + (uint64_t)d->nranges * FFA_MEM_CONSTITUENT_SIZE;
	buf = head && size <= UINT32_MAX ? calloc(1, (size_t)size) : NULL;
	if (!buf) {
		fail(r, "desc: cannot build %u receivers, %u ranges", d->nrecv,
		     d->nranges);
		return;
	}
	st = ffa_mem_emit(d->version, &t, buf, (uint32_t)size, &len);
	if (st || len != head) {
		fail(r, "desc: the codec refused it (%d)", st);
		free(buf);
		return;
	}
	for (i = 0; i < d->nranges; i++) {
		uint8_t *cp = buf + head + (size_t)i * FFA_MEM_CONSTITUENT_SIZE;

		ffa_put64(cp, d->ranges[i].base);
		ffa_put32(cp + 8, d->ranges[i].pages);
	}
	trace_version(ver, sizeof(ver), d->version);
	fprintf(r->out,
		"%5u desc at 0x%" PRIx64 ": v%s, %u receivers, %u ranges, "
		"%" PRIu64 " pages, $%s = %" PRIu64 " bytes\n",
		c->line, addr, ver, d->nrecv, d->nranges, pages, d->len_var, size);
	if (simmem_write(r->sp->mem, addr, buf, (size_t)size))
		fail(r, "desc: no memory at 0x%" PRIx64 "+%" PRIu64, addr, size);
	set_var(r, d->len_var, size);
	free(buf);
}

/* A partition retrieves or relinquishes: the result becomes the "last
 * call" (SUCCESS_32, or FFA_ERROR with the status in w2) for expect. */
static void do_sp(struct runner *r, const struct sim_cmd *c)
{
	uint64_t handle = (uint32_t)val(r, &c->v[0]) |
			  (uint64_t)(uint32_t)val(r, &c->v[1]) << 32;
	bool retrieve = c->kind == CMD_SP_RETRIEVE;
	char e[16], b[64];
	int st;

	st = retrieve ? inv_sp_retrieve(&r->iv, c->ep, handle)
		      : spmc_sp_relinquish(&r->sp->spmc, c->ep, handle);
	memset(&r->last, 0, sizeof(r->last));
	if (st) {
		r->last.x[0] = FFA_ERROR_32;
		r->last.x[2] = (uint32_t)st;
	} else {
		r->last.x[0] = FFA_SUCCESS_32;
	}
	r->have_last = true;
	trace_reply(b, sizeof(b), FFA_MEM_RETRIEVE_REQ_32, &r->last);
	fprintf(r->out, "%5u sp %s > %s handle 0x%" PRIx64 "\n", c->line,
		ep_text(e, sizeof(e), c->ep), retrieve ? "retrieve" : "relinquish",
		handle);
	fprintf(r->out, IND_CALL "sp %s < %s\n", e, b);
}

static void do_misbehave(struct runner *r, const struct sim_cmd *c)
{
	struct spmc *s = &r->sp->spmc;
	uint64_t v = c->nv ? val(r, &c->v[0]) : 0;

	switch ((enum sim_misbehave)c->sub) {
	case MISBEHAVE_NONE:
		s->garbage_regs = false;
		s->info_count_claim = 0;
		s->bogus_handle = 0;
		s->frag_rx_offset_delta = 0;
		s->reply_fn = 0;
		break;
	case MISBEHAVE_GARBAGE_REGS:
		s->garbage_regs = true;
		break;
	case MISBEHAVE_INFO_COUNT:
		s->info_count_claim = (uint32_t)v;
		break;
	case MISBEHAVE_BOGUS_HANDLE:
		s->bogus_handle = v;
		break;
	case MISBEHAVE_FRAG_RX_OFFSET:
		s->frag_rx_offset_delta = (int32_t)(uint32_t)v;
		break;
	case MISBEHAVE_REPLY:
		/* The SPMC's replies no longer say what it did, so the SPMC's
		 * state and the page map may part (safely: the proxy keeps
		 * what it cannot confirm): W1-W4 and the refusal rule stop
		 * for the rest of the file, R1-R4 go on. */
		r->world_checks_off = true;
		s->reply_fn = ffa_fn((uint32_t)v);
		s->reply_reg = c->count;
		s->reply_xor = val(r, &c->v[1]);
		break;
	}
}

static const char *fw_name(uint32_t type)
{
	return type == FFA_FRAMEWORK_VM_CREATED_REQ ? "created" : "destroyed";
}

/* The whole history of VM availability messages partition c->ep got. */
static void expect_sp_messages(struct runner *r, const struct sim_cmd *c)
{
	const struct spmc_partition *p = spmc_find_partition(&r->sp->spmc, c->ep);
	char got[512] = "none", want[512] = "none";
	size_t len = 0;
	uint32_t i;

	r->expectations++;
	if (!p) {
		fail(r, "expect sp: no partition 0x%x", c->ep);
		return;
	}
	for (i = 0; i < p->fw_count && i < SPMC_FW_LOG; i++)
		len += (size_t)snprintf(got + len, sizeof(got) - len, "%s%s:%u",
					i ? "," : "", fw_name(p->fw_log[i].type),
					p->fw_log[i].vm);
	len = 0;
	for (i = 0; i < c->nv; i++)
		len += (size_t)snprintf(want + len, sizeof(want) - len, "%s%s:%u",
					i ? "," : "",
					fw_name((uint32_t)(c->v[i].num >> 16)),
					(unsigned)(uint16_t)c->v[i].num);
	if (p->fw_count > SPMC_FW_LOG || strcmp(got, want))
		fail(r, "partition 0x%x received %s (%" PRIu32 " messages), "
			"expected %s",
		     c->ep, got, p->fw_count, want);
}

/* The partition's side of notifications (CMD_SP_NOTIFY). */
static void do_sp_notify(struct runner *r, const struct sim_cmd *c)
{
	struct spmc *s = &r->sp->spmc;
	uint64_t bitmap = val(r, &c->v[1]), got = 0;
	uint32_t want = (uint32_t)val(r, &c->v[3]);
	char g[64], w[64];
	int st;

	r->expectations++;
	if (c->sub == 2) {
		st = spmc_sp_notif_get(s, c->ep, &got);
		if (st || got != bitmap)
			fail(r, "sp 0x%x notify get: 0x%" PRIx64
				", expected 0x%" PRIx64,
			     c->ep, got, bitmap);
		return;
	}
	st = c->sub == 0
		     ? spmc_sp_notif_bind(s, c->ep, (uint16_t)c->v[0].num,
					  bitmap, c->v[2].num)
		     : spmc_sp_notif_set(s, c->ep, (uint16_t)c->v[0].num,
					 bitmap, c->v[2].num,
					 (uint16_t)c->v[4].num);
	fprintf(r->out, "%5u sp 0x%04x notify %s %u 0x%" PRIx64 ": %s\n",
		c->line, c->ep, c->sub ? "set" : "bind",
		(unsigned)c->v[0].num, bitmap, trace_status(g, sizeof(g), st));
	if ((uint32_t)st != want)
		fail(r, "sp 0x%x notify: %s, expected %s", c->ep,
		     trace_status(g, sizeof(g), st),
		     trace_status(w, sizeof(w), (int32_t)want));
}

static void do_sp_msg_send2(struct runner *r, const struct sim_cmd *c)
{
	uint32_t want = (uint32_t)val(r, &c->v[2]);
	char g[64], w[64];
	int st;

	struct spmc_msg2_opts o;

	memset(&o, 0, sizeof(o));
	memcpy(o.uuid, c->uuid, sizeof(o.uuid));
	o.set = (uint32_t)c->sub;
	o.offset = (uint32_t)c->v[3].num;
	o.size = (uint32_t)c->v[4].num;
	o.sender = (uint16_t)c->v[5].num;
	o.receiver = (uint16_t)c->v[6].num;
	o.flags = (uint32_t)c->v[7].num;
	r->expectations++;
	st = spmc_sp_msg_send2_ex(&r->sp->spmc, c->ep, (uint16_t)c->v[0].num,
				  (uint32_t)c->v[1].num, &o);
	fprintf(r->out, "%5u sp 0x%04x msg-send2 %u size %u: %s\n", c->line,
		c->ep, (unsigned)c->v[0].num, (unsigned)c->v[1].num,
		trace_status(g, sizeof(g), st));
	if ((uint32_t)st != want)
		fail(r, "sp 0x%x msg-send2: %s, expected %s", c->ep,
		     trace_status(g, sizeof(g), st),
		     trace_status(w, sizeof(w), (int32_t)want));
}

static void uuid_text(char *buf, size_t size, const uint8_t *u)
{
	snprintf(buf, size,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		 "%02x%02x%02x%02x%02x%02x",
		 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9],
		 u[10], u[11], u[12], u[13], u[14], u[15]);
}

/* CMD_EXPECT_SP_MSG: the partition's mailbox. */
static void expect_sp_msg(struct runner *r, const struct sim_cmd *c)
{
	const struct spmc_partition *p = spmc_find_partition(&r->sp->spmc, c->ep);
	char g[80], w[80];
	size_t i;

	r->expectations++;
	if (!p) {
		fail(r, "expect sp: no partition 0x%x", c->ep);
		return;
	}
	if (!c->sub) {
		if (p->msg.full)
			fail(r, "partition 0x%x holds a message from 0x%x (%u "
				"bytes), expected none",
			     c->ep, p->msg.sender, p->msg.size);
		return;
	}
	if (!p->msg.full) {
		fail(r, "partition 0x%x holds no message", c->ep);
		return;
	}
	if ((c->sub & 1) && p->msg.sender != (uint16_t)c->v[0].num)
		fail(r, "partition 0x%x message from 0x%x, expected 0x%x", c->ep,
		     p->msg.sender, (unsigned)c->v[0].num);
	if ((c->sub & 2) && p->msg.size != (uint32_t)c->v[1].num)
		fail(r, "partition 0x%x message size %u, expected %u", c->ep,
		     p->msg.size, (unsigned)c->v[1].num);
	if ((c->sub & 4) && memcmp(p->msg.uuid, c->uuid, 16)) {
		uuid_text(g, sizeof(g), p->msg.uuid);
		uuid_text(w, sizeof(w), c->uuid);
		fail(r, "partition 0x%x message uuid %s, expected %s", c->ep, g,
		     w);
	}
	if (c->sub & 8) {
		for (i = 0; i < c->nbytes && p->msg.data[i] == c->bytes[i]; i++)
			;
		if (i < c->nbytes)
			fail(r, "partition 0x%x message byte %zu is %02x, "
				"expected %02x",
			     c->ep, i, p->msg.data[i], c->bytes[i]);
	}
	if ((c->sub & 16) && p->msg_count != (uint32_t)c->v[2].num)
		fail(r, "partition 0x%x received %u messages, expected %u",
		     c->ep, p->msg_count, (unsigned)c->v[2].num);
	if ((c->sub & 32) && p->msg.sum != (uint32_t)c->v[3].num)
		fail(r, "partition 0x%x message sum 0x%x, expected 0x%x", c->ep,
		     p->msg.sum, (unsigned)c->v[3].num);
}

static void expect_spmc_notif(struct runner *r, const struct sim_cmd *c)
{
	const struct spmc_ns_bitmap *b =
		spmc_notif_bitmap(&r->sp->spmc, c->ep);

	r->expectations++;
	if (!c->sub) {
		if (b)
			fail(r, "the SPMC holds a bitmap for %u", c->ep);
		return;
	}
	/* Id 0's SPM framework notifications live apart from its bitmap
	 * (spmc.h ns_spm_pending): `spm=` alone needs none. */
	if (c->ep == 0 && (c->sub & 8) &&
	    r->sp->spmc.ns_spm_pending != val(r, &c->v[3]))
		fail(r, "id 0: spm 0x%x, expected 0x%" PRIx64,
		     r->sp->spmc.ns_spm_pending, val(r, &c->v[3]));
	if (c->ep == 0 && c->sub == 8)
		return;
	if (!b) {
		fail(r, "the SPMC holds no bitmap for %u", c->ep);
		return;
	}
	if ((c->sub & 1) && b->vcpus != val(r, &c->v[0]))
		fail(r, "bitmap %u: %u vCPUs, expected %" PRIu64, c->ep,
		     b->vcpus, val(r, &c->v[0]));
	if ((c->sub & 2) && b->bound != val(r, &c->v[1]))
		fail(r, "bitmap %u: bound 0x%" PRIx64 ", expected 0x%" PRIx64,
		     c->ep, b->bound, val(r, &c->v[1]));
	if ((c->sub & 4) && b->pending != val(r, &c->v[2]))
		fail(r, "bitmap %u: pending 0x%" PRIx64 ", expected 0x%" PRIx64,
		     c->ep, b->pending, val(r, &c->v[2]));
	if ((c->sub & 8) && c->ep != 0 && b->spm_pending != val(r, &c->v[3]))
		fail(r, "bitmap %u: spm 0x%x, expected 0x%" PRIx64, c->ep,
		     b->spm_pending, val(r, &c->v[3]));
	if ((c->sub & 16) &&
	    b->pending_vcpu[c->v[4].num] != val(r, &c->v[5]))
		fail(r, "bitmap %u: vCPU %u pending 0x%" PRIx64
			", expected 0x%" PRIx64,
		     c->ep, (unsigned)c->v[4].num,
		     b->pending_vcpu[c->v[4].num], val(r, &c->v[5]));
}

/* Transactions the proxy holds (or only its orphans). */
static uint32_t proxy_transactions(struct ffp *p, bool orphans_only)
{
	struct ffp_transaction_info ti;
	uint32_t i, n = 0;

	for (i = 0; ffp_transaction_info(p, i, &ti) == 0; i++)
		n += !orphans_only || ti.orphan;
	return n;
}

static void action(struct runner *r, const struct sim_cmd *c)
{
	struct simplat *sp = r->sp;
	char g[64], e[16];
	uint64_t v;
	int st;

	switch (c->kind) {
	case CMD_CALL:
		do_call(r, c);
		break;
	case CMD_WRITE:
		v = val(r, &c->v[0]);
		st = c->has_ep ? simmem_write_as(sp->mem, c->ep, v, c->bytes, c->nbytes)
			       : simmem_write(sp->mem, v, c->bytes, c->nbytes);
		if (st && c->has_ep)
			fail(r, "write: ep %u cannot write 0x%" PRIx64 "+%zu", c->ep,
			     v, c->nbytes);
		else if (st)
			fail(r, "write: no memory at 0x%" PRIx64 "+%zu", v, c->nbytes);
		break;
	case CMD_SAVE:
		if (!r->have_last) {
			fail(r, "save: no call yet");
			break;
		}
		v = r->last.x[c->sub & 0xff];
		if (c->sub & 0x100)
			v = (uint32_t)v;
		set_var(r, c->name, v);
		fprintf(r->out, IND_CALL "$%s = 0x%" PRIx64 "\n", c->name, v);
		break;
	case CMD_VM:
		fprintf(r->out, "%5u vm %u ram 0x%" PRIx64 " 0x%" PRIx64 "\n", c->line,
			c->ep, val(r, &c->v[0]), val(r, &c->v[1]));
		st = simplat_vm_add(sp, c->ep, val(r, &c->v[0]), val(r, &c->v[1]));
		if (c->sub) {
			if (status_as_expected(r, "vm", c->ep, st,
					       val(r, &c->v[2])) &&
			    st)
				fprintf(r->out, IND_CALL "vm %u: %s\n", c->ep,
					trace_status(g, sizeof(g), st));
		} else if (st) {
			fail(r, "vm %u: %s", c->ep, trace_status(g, sizeof(g), st));
		}
		break;
	case CMD_DESTROY_VM:
		fprintf(r->out, "%5u destroy vm %u\n", c->line, c->ep);
		st = simplat_vm_destroy(sp, c->ep);
		if (st)
			fail(r, "destroy vm %u: %s", c->ep, trace_status(g, sizeof(g), st));
		break;
	case CMD_FAULT:
		v = val(r, &c->v[0]);
		if (!v || v > UINT32_MAX) {
			fail(r, "fault: k must be 1..2^32-1");
			break;
		}
		simplat_fault(sp, (enum simplat_op)c->sub, (uint32_t)v,
			      (int32_t)(uint32_t)val(r, &c->v[1]));
		break;
	case CMD_NESTED: {
		struct ffa_regs regs;

		if (c->sub) { /* nested smc <n> reset host */
			simplat_nested_reset(sp, c->count);
			break;
		}
		regs_of(r, c, &regs);
		simplat_nested(sp, c->count, c->ep, &regs);
		break;
	}
	case CMD_RESET_HOST: {
		struct ffp_endpoint_info ep0;
		struct ffp_info before;

		fprintf(r->out, "%5u reset host\n", c->line);
		(void)ffp_endpoint_info(sp->proxy, 0, &ep0);
		ffp_info(sp->proxy, &before);
		st = ffp_host_reset(sp->proxy);
		status_as_expected(r, "reset host", 0, st, val(r, &c->v[0]));
		if (!r->world_checks_off &&
		    inv_host_reset(&r->iv, st, &ep0, &before))
			fail(r, "invariant: %s", r->iv.why);
		break;
	}
	case CMD_DESC:
		do_desc(r, c);
		break;
	case CMD_SP_RETRIEVE:
	case CMD_SP_RELINQUISH:
		do_sp(r, c);
		break;
	case CMD_SPMC_MISBEHAVE:
		do_misbehave(r, c);
		break;
	case CMD_SPMC_PREEMPT:
		if (spmc_preempt(&sp->spmc, c->ep, (uint32_t)c->v[0].num,
				 c->sub == 1, (uint32_t)c->v[1].num,
				 (uint16_t)c->v[2].num))
			fail(r, "spmc preempt: no partition 0x%x", c->ep);
		break;
	case CMD_SPMC_CYCLES:
		if (spmc_cycles(&sp->spmc, c->ep, (uint32_t)c->v[0].num,
				(enum spmc_cycles_answer)c->sub))
			fail(r, "spmc cycles: no partition 0x%x", c->ep);
		break;
	case CMD_COPY: {
		uint64_t len = val(r, &c->v[2]);
		uint8_t *buf = len <= (1u << 26) ? malloc(len ? len : 1) : NULL;

		if (!buf) {
			fail(r, "copy: length 0x%" PRIx64 " too large", len);
			break;
		}
		if (simmem_read(sp->mem, val(r, &c->v[1]), buf, len) ||
		    simmem_write(sp->mem, val(r, &c->v[0]), buf, len))
			fail(r, "copy: no memory at source or destination");
		free(buf);
		break;
	}
	case CMD_SNAPSHOT:
		r->snap.taken = true;
		r->snap.pages = simmem_state_digest(sp->mem);
		r->snap.spmc_txns = spmc_transaction_count(&sp->spmc);
		r->snap.proxy_txns = proxy_transactions(sp->proxy, false);
		break;
	case CMD_RECLAIM_ORPHANS:
		fprintf(r->out, "%5u reclaim orphans: %" PRIu32 " left\n", c->line,
			ffp_orphans_reclaim(sp->proxy));
		break;

	case CMD_SP_ANSWER:
		if (spmc_fw_answer_set(&sp->spmc, c->ep,
				       (enum spmc_fw_answer)c->sub,
				       (int32_t)(uint32_t)val(r, &c->v[0]),
				       (uint32_t)val(r, &c->v[1])))
			fail(r, "sp answer: no partition 0x%x", c->ep);
		break;
	case CMD_RETRY_VM_DESTROYED:
		fprintf(r->out, "%5u retry vm-destroyed: %" PRIu32 " left\n",
			c->line, ffp_vm_destroyed_retry(sp->proxy));
		break;
	case CMD_EXPECT_SP_MESSAGES:
		expect_sp_messages(r, c);
		break;
	case CMD_SP_NOTIFY:
		do_sp_notify(r, c);
		break;
	case CMD_SP_MSG_SEND2:
		do_sp_msg_send2(r, c);
		break;
	case CMD_SP_MSG_RELEASE:
		if (spmc_sp_msg_release(&sp->spmc, c->ep))
			fail(r, "sp msg-release: no partition 0x%x", c->ep);
		break;
	case CMD_EXPECT_SP_MSG:
		expect_sp_msg(r, c);
		break;
	case CMD_SPMC_NOTIFY:
		if (spmc_spm_notif_set(&sp->spmc, c->ep,
				       (uint32_t)val(r, &c->v[0])))
			fail(r, "spmc notify: VM %u has no bitmap", c->ep);
		break;
	case CMD_SPMC_NOTIF_FAIL:
		sp->spmc.notif_fail_fn = ffa_fn((uint32_t)val(r, &c->v[0]));
		sp->spmc.notif_fail_status = (int32_t)(uint32_t)val(r, &c->v[1]);
		sp->spmc.notif_fail_left = (uint32_t)val(r, &c->v[2]);
		break;
	case CMD_SPMC_LACKS:
		sp->spmc.lacks[ffa_fn((uint32_t)val(r, &c->v[0])) & 0xffu] = true;
		sp->spmc.lacks_unknown[ffa_fn((uint32_t)val(r, &c->v[0])) & 0xffu] =
			(uint8_t)c->sub;
		break;
	case CMD_VCPUS:
		st = ffp_endpoint_set_vcpus(sp->proxy, c->ep,
					    (uint16_t)val(r, &c->v[0]));
		status_as_expected(r, "vcpus", c->ep, st, val(r, &c->v[1]));
		break;
	case CMD_EXPECT_SPMC_NOTIF:
		expect_spmc_notif(r, c);
		break;
	case CMD_MSG_BUFFERS: {
		struct ffp_msg_buffers b;
		uint64_t bytes = val(r, &c->v[2]) * FFA_PAGE_SIZE;

		b.tx_pa = val(r, &c->v[0]);
		b.rx_pa = val(r, &c->v[1]);
		b.pages = (uint32_t)val(r, &c->v[2]);
		b.tx = b.rx = NULL;
		if (!bytes) { /* for the proxy to refuse */
			st = ffp_endpoint_set_msg_buffers(sp->proxy, c->ep, &b);
			status_as_expected(r, "msg-buffers", c->ep, st,
					   val(r, &c->v[3]));
			break;
		}
		b.tx = simmem_hyp_ptr(sp->mem, b.tx_pa, bytes);
		if (!b.tx && !simmem_add_region(sp->mem, b.tx_pa, bytes,
						SIMMEM_OWNER_HYP))
			b.tx = simmem_hyp_ptr(sp->mem, b.tx_pa, bytes);
		b.rx = simmem_hyp_ptr(sp->mem, b.rx_pa, bytes);
		if (!b.rx && !simmem_add_region(sp->mem, b.rx_pa, bytes,
						SIMMEM_OWNER_HYP))
			b.rx = simmem_hyp_ptr(sp->mem, b.rx_pa, bytes);
		if (!b.tx || !b.rx) {
			fail(r, "msg-buffers: not hypervisor memory");
			break;
		}
		st = ffp_endpoint_set_msg_buffers(sp->proxy, c->ep, &b);
		status_as_expected(r, "msg-buffers", c->ep, st,
				   val(r, &c->v[3]));
		break;
	}
	case CMD_EXPECT_SPMC_MBOX: {
		static const char *const names[] = { "none", "empty", "full" };
		const struct spmc_vm_mbox *mb =
			spmc_vm_mbox(&sp->spmc, c->ep);
		unsigned got = !mb ? 0 : mb->full ? 2 : 1;

		r->expectations++;
		if (got != (c->sub & 3))
			fail(r, "spmc mbox %u %s, expected %s", c->ep,
			     names[got], names[c->sub & 3]);
		else if ((c->sub & (1u << 4)) && mb &&
			 mb->msg_count != val(r, &c->v[0]))
			fail(r, "spmc mbox %u: %u messages, expected %" PRIu64,
			     c->ep, mb->msg_count, val(r, &c->v[0]));
		break;
	}
	case CMD_EXPECT_ENDPOINT_NOTIF: {
		static const char *const names[] = { "none", "bitmap",
						     "pending", "none",
						     "mapped", "pending" };
		struct ffp_endpoint_info ei;
		int got;

		r->expectations++;
		if (ffp_endpoint_info(sp->proxy, c->ep, &ei)) {
			fail(r, "expect endpoint: no endpoint %u", c->ep);
			break;
		}
		if (c->sub >= 3)
			got = ei.msg_unmap_pending ? 5 : ei.msg_buffers ? 4 : 3;
		else
			got = ei.notif_destroy_pending ? 2
			      : ei.notif_bitmap	       ? 1
						       : 0;
		if (got != c->sub)
			fail(r, "endpoint %u %s %s, expected %s", c->ep,
			     c->sub >= 3 ? "msg-buffers" : "notif",
			     names[got], names[c->sub]);
		break;
	}
	case CMD_EXPECT_VM_DESTROYED_PENDING:
	case CMD_EXPECT_PREEMPTED_ORPHANS: {
		struct ffp_endpoint_info ei;
		uint64_t want = val(r, &c->v[0]), got = 0;
		uint32_t i;

		r->expectations++;
		for (i = 0; i < sp->cfg.proxy.max_endpoints; i++)
			if ((!c->has_ep || i == c->ep) &&
			    !ffp_endpoint_info(sp->proxy, (uint16_t)i, &ei))
				got += c->kind == CMD_EXPECT_PREEMPTED_ORPHANS
					       ? ei.preempted_orphans
					       : ei.vm_destroyed_pending;
		if (got != want && c->kind == CMD_EXPECT_PREEMPTED_ORPHANS)
			fail(r, "%" PRIu64 " preempted requests of removed "
				"VMs kept, expected %" PRIu64,
			     got, want);
		else if (got != want)
			fail(r, "VM_DESTROYED pending for %" PRIu64
				" (VM, partition) pairs, expected %" PRIu64,
			     got, want);
		break;
	}
	case CMD_EXPECT_UNCHANGED:
		r->expectations++;
		if (!r->snap.taken)
			fail(r, "expect unchanged: no snapshot taken");
		else if (r->snap.pages != simmem_state_digest(sp->mem))
			fail(r, "page states changed since the snapshot");
		else if (r->snap.spmc_txns != spmc_transaction_count(&sp->spmc))
			fail(r, "the SPMC holds %" PRIu32 " transactions, %" PRIu32
				" at the snapshot",
			     spmc_transaction_count(&sp->spmc), r->snap.spmc_txns);
		else if (r->snap.proxy_txns != proxy_transactions(sp->proxy, false))
			fail(r, "the proxy holds %" PRIu32 " transactions, %" PRIu32
				" at the snapshot",
			     proxy_transactions(sp->proxy, false), r->snap.proxy_txns);
		break;
	case CMD_EXPECT_PROXY_TRANSACTIONS:
	case CMD_EXPECT_PROXY_ORPHANS: {
		bool orphans = c->kind == CMD_EXPECT_PROXY_ORPHANS;
		uint32_t got = proxy_transactions(sp->proxy, orphans);
		uint64_t want = val(r, &c->v[0]);

		r->expectations++;
		if (got != want)
			fail(r, "the proxy holds %" PRIu32 " %s, expected %" PRIu64,
			     got, orphans ? "orphans" : "transactions", want);
		break;
	}
	case CMD_EXPECT_SPMC_TRANSACTIONS: {
		uint32_t got = spmc_transaction_count(&sp->spmc);
		uint64_t want = val(r, &c->v[0]);

		r->expectations++;
		if (got != want)
			fail(r, "the SPMC holds %" PRIu32 " transactions, expected %" PRIu64,
			     got, want);
		break;
	}
	case CMD_EXPECT_REGS:
		if (!r->have_last) {
			r->expectations++;
			fail(r, "expect: no call yet");
			break;
		}
		check_regs(r, c, &r->last, "");
		break;
	case CMD_EXPECT_NESTED:
		if (!sp->nested_ran) {
			r->expectations++;
			fail(r, "expect nested: the nested call never ran");
			break;
		}
		check_regs(r, c, &sp->nested_reply, "nested ");
		break;
	case CMD_EXPECT_MEM:
		expect_mem(r, c);
		break;
	case CMD_EXPECT_PAGE:
		expect_page(r, c);
		break;
	case CMD_EXPECT_SPMC_CALLS: {
		uint32_t id = (uint32_t)val(r, &c->v[0]);
		uint64_t want = val(r, &c->v[1]);
		uint32_t got = sp->spmc.calls[ffa_fn(id) & 0xff];

		r->expectations++;
		if (got != want)
			fail(r, "the SPMC received %s %" PRIu32 " times, expected %" PRIu64,
			     trace_func(e, sizeof(e), id), got, want);
		break;
	}
	case CMD_EXPECT_SMCS: {
		uint64_t want = val(r, &c->v[0]);
		uint32_t got = sp->spmc.total_calls - r->smcs_at_call;

		r->expectations++;
		if (!r->called)
			fail(r, "expect smcs: no call yet");
		else if (got != want)
			fail(r, "the SPMC received %" PRIu32 " SMCs since the last "
				"call began, expected %" PRIu64, got, want);
		break;
	}
	case CMD_EXPECT_SPMC_VERSION:
		expect_spmc_version(r, c);
		break;
	case CMD_EXPECT_LOG:
		expect_log(r, c);
		break;
	case CMD_EXPECT_NO_LOG:
		r->expectations++;
		if (!r->called)
			fail(r, "expect no log: no call yet");
		else if (r->nlogs)
			fail(r, "%u refusal(s) logged since the last call, "
				"expected none (the first: '%s')",
			     r->nlogs, r->logs[0]);
		break;
	case CMD_EXPECT_NPI:
		expect_npi(r, c);
		break;
	case CMD_EXPECT_VERSION:
		expect_version(r, c);
		break;
	case CMD_EXPECT_FFA: {
		struct ffp_info info;

		r->expectations++;
		ffp_info(sp->proxy, &info);
		if (info.ffa_enabled != (c->sub == 1))
			fail(r, "FF-A is %s, expected %s",
			     info.ffa_enabled ? "enabled" : "disabled",
			     c->sub ? "enabled" : "disabled");
		break;
	}
	default:
		break;
	}
	/* The world after what changes it outside a call (do_call checks
	 * its own). */
	if (!r->world_checks_off &&
	    (c->kind == CMD_VM || c->kind == CMD_DESTROY_VM ||
	     c->kind == CMD_SP_RETRIEVE || c->kind == CMD_SP_RELINQUISH ||
	     c->kind == CMD_RECLAIM_ORPHANS ||
	     c->kind == CMD_RETRY_VM_DESTROYED || c->kind == CMD_MSG_BUFFERS ||
	     c->kind == CMD_RESET_HOST ||
	     c->kind == CMD_SP_MSG_SEND2) &&
	    inv_check_world(&r->iv))
		fail(r, "invariant: %s", r->iv.why);
}

static bool is_config(enum sim_cmd_kind k)
{
	return k < CMD_CALL;
}

unsigned sim_run(const struct sim_script *s, FILE *out, unsigned *expectations)
{
	struct runner *r = calloc(1, sizeof(*r));
	unsigned i, failures;

	if (!r) {
		fprintf(out, "FAIL %s: out of memory\n", s->path);
		return 1;
	}
	r->s = s;
	r->out = out;
	simplat_config_default(&r->cfg);
	r->cfg.per_range_transitions = s->per_range_transitions;
	r->cfg.no_smc_x0_x7 = s->no_smc_x0_x7;
	if (s->spmc_check_last)
		r->cfg.spmc_check_constituents = SPMC_CHECK_LAST;
	for (i = 0; i < s->count; i++) {
		const struct sim_cmd *c = &s->cmds[i];

		r->line = c->line;
		if (is_config(c->kind)) {
			configure(r, c);
			continue;
		}
		if (!r->sp && !build(r))
			break;
		action(r, c);
	}
	if (!r->sp && !r->failures) {
		r->line = s->count ? s->cmds[s->count - 1].line : 0;
		build(r);
	}
	if (r->iv_ready)
		inv_fini(&r->iv);
	if (r->sp) {
		simplat_destroy(r->sp);
		free(r->sp);
	}
	failures = r->failures;
	*expectations = r->expectations;
	free(r->logs);
	free(r);
	return failures;
}
