/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/* The trace decoder; see trace.h. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tools/ffa-sim/trace.h"

/* An appending writer that truncates safely. */
struct out {
	char *buf;
	size_t size, len;
};

static void put(struct out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->len >= o->size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->len, o->size - o->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n;
	if (o->len >= o->size)
		o->len = o->size - 1;
}

static void put_num(struct out *o, uint64_t v)
{
	if (v < 10)
		put(o, "%" PRIu64, v);
	else
		put(o, "0x%" PRIx64, v);
}

void trace_version(char *buf, size_t size, uint32_t v)
{
	if (v >> 31)
		snprintf(buf, size, "0x%08" PRIx32, v);
	else
		snprintf(buf, size, "%" PRIu32 ".%" PRIu32, ffa_version_major(v),
			 ffa_version_minor(v));
}

const char *trace_func(char *buf, size_t size, uint32_t id)
{
	const char *n = ffa_function_name(id);

	if (n)
		return n;
	snprintf(buf, size, "0x%08" PRIx32, id);
	return buf;
}

const char *trace_status(char *buf, size_t size, int32_t code)
{
	const char *n = ffa_error_name(code);

	if (n)
		return n;
	snprintf(buf, size, "%" PRId32, code);
	return buf;
}

static bool is_direct_msg(uint32_t fn)
{
	return fn == FFA_FN_MSG_SEND_DIRECT_REQ ||
	       fn == FFA_FN_MSG_SEND_DIRECT_RESP ||
	       fn == FFA_FN_MSG_SEND_DIRECT_REQ2 ||
	       fn == FFA_FN_MSG_SEND_DIRECT_RESP2;
}

/* What a register means, where it is worth saying; `fn` is the function
 * number of the frame being printed. */
static void decorate(struct out *o, uint32_t fn, unsigned i, uint64_t v)
{
	char tmp[24];

	if (is_direct_msg(fn) && i == 1)
		put(o, "(0x%x->0x%x)", (unsigned)((v >> 16) & 0xffff),
		    (unsigned)(v & 0xffff));
	else if (fn == FFA_FN_FEATURES && i == 1 && ffa_function_name((uint32_t)v))
		put(o, "(%s)", ffa_function_name((uint32_t)v));
	else if (fn == FFA_FN_RXTX_UNMAP && i == 1)
		put(o, "(ep 0x%x)", (unsigned)((v >> 16) & 0xffff));
	else if ((fn == FFA_FN_MEM_FRAG_TX || fn == FFA_FN_MEM_FRAG_RX) && i == 4)
		put(o, "(ep 0x%x)", (unsigned)((v >> 16) & 0xffff));
	else if (fn == FFA_FN_VERSION && i == 1) {
		trace_version(tmp, sizeof(tmp), (uint32_t)v);
		put(o, "(%s)", tmp);
	}
}

/* Registers 1..last that are nonzero. `wide`: SMC64 frame. */
static void put_regs(struct out *o, const struct ffa_regs *r, uint32_t fn,
		     bool wide, unsigned last, bool is_reply)
{
	unsigned i;

	for (i = 1; i <= last; i++) {
		uint64_t v = r->x[i];
		bool show_x = wide || i >= 8 || (is_reply && (v >> 32));

		if (!show_x)
			v = (uint32_t)v;
		if (!v)
			continue;
		put(o, " %c%u=", show_x ? 'x' : 'w', i);
		put_num(o, v);
		decorate(o, fn, i, v);
	}
}

void trace_call(char *buf, size_t size, const struct ffa_regs *r)
{
	struct out o = { buf, size, 0 };
	uint32_t id = (uint32_t)r->x[0];
	char tmp[24];
	bool ffa = ffa_is_ffa_call(r->x[0]);
	bool wide = ffa && ffa_is_smc64(id);

	buf[0] = 0;
	if (r->x[0] >> 32) {
		put(&o, "x0=0x%" PRIx64, r->x[0]);
		put_regs(&o, r, 0, true, FFA_NREGS - 1, false);
		return;
	}
	put(&o, "%s", trace_func(tmp, sizeof(tmp), id));
	if (id == FFA_VERSION_32 && !(r->x[1] >> 31) && r->x[1]) {
		trace_version(tmp, sizeof(tmp), (uint32_t)r->x[1]);
		put(&o, " %s", tmp);
		return;
	}
	put_regs(&o, r, ffa ? ffa_fn(id) : 0, wide, wide ? FFA_NREGS - 1 : 7,
		 false);
}

void trace_reply(char *buf, size_t size, uint32_t call_id,
		 const struct ffa_regs *r)
{
	struct out o = { buf, size, 0 };
	uint32_t w0 = (uint32_t)r->x[0];
	char tmp[24];

	buf[0] = 0;
	if ((call_id == FFA_VERSION_32 || call_id == SMCCC_VERSION) &&
	    !(r->x[0] >> 32)) {
		/* w0 alone: a version or NOT_SUPPORTED (compared signed) */
		if ((int32_t)w0 < 0)
			put(&o, "%s", trace_status(tmp, sizeof(tmp), (int32_t)w0));
		else {
			trace_version(tmp, sizeof(tmp), w0);
			put(&o, "%s", tmp);
		}
		put_regs(&o, r, 0, true, FFA_NREGS - 1, true);
		return;
	}
	if (r->x[0] == FFA_ERROR_32) {
		put(&o, "FFA_ERROR %s",
		    trace_status(tmp, sizeof(tmp), (int32_t)(uint32_t)r->x[2]));
		if (r->x[2] >> 32)
			put(&o, " x2=0x%" PRIx64, r->x[2]);
		if (r->x[1])
			put(&o, " w1=0x%" PRIx64, r->x[1]);
		for (unsigned i = 3; i < 8; i++)
			if (r->x[i])
				put(&o, " x%u=0x%" PRIx64, i, r->x[i]);
		return;
	}
	if (r->x[0] == (uint32_t)SMCCC_NOT_SUPPORTED) {
		put(&o, "NOT_SUPPORTED (unknown function)");
		put_regs(&o, r, 0, true, 7, true);
		return;
	}
	if (!ffa_is_ffa_call(r->x[0])) {
		put(&o, "x0=0x%" PRIx64, r->x[0]);
		put_regs(&o, r, 0, true, FFA_NREGS - 1, true);
		return;
	}
	/* x8..x17 of an SMC32 reply are the caller's, preserved: shown when
	 * nonzero since junk there is worth seeing */
	put(&o, "%s", trace_func(tmp, sizeof(tmp), w0));
	put_regs(&o, r, ffa_fn(w0), ffa_is_smc64(w0), FFA_NREGS - 1, true);
}
