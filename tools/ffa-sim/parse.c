/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/* The scenario parser: lines -> struct sim_cmd, every argument checked. */
#define _POSIX_C_SOURCE 200809L /* getline, strtok_r */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <ffaproxy/mem.h>
#include <ffaproxy/platform.h>

#include "sim/spmc.h"
#include "tools/ffa-sim/script.h"

#define MAX_TOKENS 64
#define MAX_VARS 256

struct parser {
	const char *path;
	unsigned line;
	unsigned errors;
	char msg[256]; /* the first problem on the current line */
	char vars[MAX_VARS][SIM_NAME_MAX];
	unsigned nvars;
	bool seen_action;
};

static bool perr(struct parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static bool perr(struct parser *p, const char *fmt, ...)
{
	va_list ap;

	if (p->msg[0])
		return false;
	va_start(ap, fmt);
	vsnprintf(p->msg, sizeof(p->msg), fmt, ap);
	va_end(ap);
	return false;
}

/* ---- Values */

static bool valid_name(const char *s)
{
	size_t i;

	if (!*s || strlen(s) >= SIM_NAME_MAX || !(isalpha((unsigned char)*s) || *s == '_'))
		return false;
	for (i = 1; s[i]; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return false;
	return true;
}

static bool declared(const struct parser *p, const char *name)
{
	unsigned i;

	for (i = 0; i < p->nvars; i++)
		if (!strcmp(p->vars[i], name))
			return true;
	return false;
}

/* Declare a variable that a command sets. */
static bool declare(struct parser *p, const char *name)
{
	if (declared(p, name))
		return true;
	if (p->nvars == MAX_VARS)
		return perr(p, "too many variables");
	strcpy(p->vars[p->nvars++], name);
	return true;
}

/* Decimal or 0x-hex digits only, no wrap. */
static bool parse_unsigned(const char *s, uint64_t *out)
{
	unsigned base = 10;
	uint64_t v = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return false;
	for (; *s; s++) {
		unsigned d;

		if (isdigit((unsigned char)*s))
			d = (unsigned)(*s - '0');
		else if (base == 16 && isxdigit((unsigned char)*s))
			d = (unsigned)(tolower((unsigned char)*s) - 'a' + 10);
		else
			return false;
		if (v > (UINT64_MAX - d) / base)
			return false;
		v = v * base + d;
	}
	*out = v;
	return true;
}

/* "1.2" -> 0x10002 */
static bool parse_version(const char *s, uint64_t *out)
{
	const char *dot = strchr(s, '.');
	char major[16];
	uint64_t maj, min;

	if (!dot || (size_t)(dot - s) >= sizeof(major) || dot == s)
		return false;
	memcpy(major, s, (size_t)(dot - s));
	major[dot - s] = 0;
	if (!isdigit((unsigned char)major[0]) || !isdigit((unsigned char)dot[1]) ||
	    !parse_unsigned(major, &maj) || !parse_unsigned(dot + 1, &min) ||
	    maj > 0x7fff || min > 0xffff)
		return false;
	*out = FFA_MAKE_VERSION(maj, min);
	return true;
}

/* Function ids by spec name; a both-widths function written without
 * _32/_64 means its SMC32 id, a 64-only one its SMC64 id. */
static bool lookup_function(const char *s, uint32_t *id)
{
	char tmp[64];
	uint32_t fn;

	if (!strcmp(s, "SMCCC_VERSION")) {
		*id = SMCCC_VERSION;
		return true;
	}
	if (!strcmp(s, "SMCCC_ARCH_FEATURES")) {
		*id = SMCCC_ARCH_FEATURES;
		return true;
	}
	for (fn = FFA_FN_FIRST; fn <= FFA_FN_LAST; fn++) {
		const char *n32 = ffa_function_name(FFA_ID_32(fn));
		const char *n64 = ffa_function_name(FFA_ID_64(fn));

		snprintf(tmp, sizeof(tmp), "%s_32", s);
		if ((n32 && (!strcmp(s, n32) || !strcmp(tmp, n32)))) {
			*id = FFA_ID_32(fn);
			return true;
		}
		snprintf(tmp, sizeof(tmp), "%s_64", s);
		if (n64 && (!strcmp(s, n64) || (!n32 && !strcmp(tmp, n64)))) {
			*id = FFA_ID_64(fn);
			return true;
		}
	}
	return false;
}

static bool lookup_status(const char *s, int32_t *code)
{
	int32_t c;

	for (c = -1; ffa_error_name(c); c--) {
		if (!strcmp(s, ffa_error_name(c))) {
			*code = c;
			return true;
		}
	}
	return false;
}

/*
 * A number where one goes: $name, decimal, 0x-hex, a version (1.2), a
 * negative decimal (a 32-bit status: zero-extended two's complement), a
 * status name (likewise 32-bit) or a function name.
 */
static bool parse_value(struct parser *p, const char *s, struct sim_val *v)
{
	uint32_t id;
	int32_t code;

	memset(v, 0, sizeof(*v));
	if (s[0] == '$') {
		if (!valid_name(s + 1))
			return perr(p, "bad variable name '%s'", s);
		if (!declared(p, s + 1))
			return perr(p, "variable '%s' used before any save of it", s);
		strcpy(v->var, s + 1);
		return true;
	}
	if (s[0] == '-') {
		uint64_t mag;

		if (!isdigit((unsigned char)s[1]) || !parse_unsigned(s + 1, &mag) ||
		    mag > 0x80000000u)
			return perr(p, "bad number '%s' (negative numbers are "
				       "32-bit status codes)", s);
		v->num = (uint32_t)(0u - (uint32_t)mag);
		return true;
	}
	if (isdigit((unsigned char)s[0])) {
		if (strchr(s, '.') ? parse_version(s, &v->num)
				   : parse_unsigned(s, &v->num))
			return true;
		return perr(p, "bad number '%s'", s);
	}
	if (lookup_status(s, &code)) {
		v->num = (uint32_t)code;
		return true;
	}
	if (lookup_function(s, &id)) {
		v->num = id;
		return true;
	}
	if (isalpha((unsigned char)s[0]) || s[0] == '_')
		return perr(p, "unknown name '%s'", s);
	return perr(p, "bad number '%s'", s);
}

/* A value that must be known now (configuration, endpoint ids). */
static bool parse_literal(struct parser *p, const char *s, uint64_t max,
			  uint64_t *out, const char *what)
{
	struct sim_val v;

	if (!parse_value(p, s, &v))
		return false;
	if (v.var[0])
		return perr(p, "%s must be a literal, not '%s'", what, s);
	if (v.num > max)
		return perr(p, "%s '%s' is out of range (max 0x%llx)", what, s,
			    (unsigned long long)max);
	*out = v.num;
	return true;
}

/* A count (expect smcs, spmc calls, transactions, pending...): a plain
 * number from 0, so that "-1" or a status name is an error, not 2^32-1. */
static bool parse_count(struct parser *p, const char *s, struct sim_val *v)
{
	memset(v, 0, sizeof(*v));
	if (!isdigit((unsigned char)s[0]) || strchr(s, '.') ||
	    !parse_unsigned(s, &v->num) || v->num > UINT32_MAX)
		return perr(p, "bad count '%s' (a number from 0 to 0xffffffff)", s);
	return true;
}

static bool parse_function(struct parser *p, const char *s, struct sim_val *v)
{
	uint32_t id;

	if ((isalpha((unsigned char)s[0]) || s[0] == '_') && !lookup_function(s, &id))
		return perr(p, "unknown function '%s'", s);
	return parse_value(p, s, v);
}

/* "ep=<id>" */
static bool is_ep_arg(const char *s)
{
	return !strncmp(s, "ep=", 3);
}

static bool parse_ep(struct parser *p, const char *s, struct sim_cmd *c)
{
	uint64_t id;

	if (!parse_literal(p, s + 3, 0xffff, &id, "endpoint id"))
		return false;
	c->ep = (uint16_t)id;
	c->has_ep = true;
	return true;
}

/* "x3" / "w3" -> register number; `*w` says which. */
static bool parse_reg(struct parser *p, const char *s, size_t len, uint8_t *reg,
		      bool *w)
{
	unsigned n = 0;
	size_t i;

	if (len < 2 || len > 3 || (s[0] != 'x' && s[0] != 'w'))
		return perr(p, "bad register '%.*s' (x0..x17 or w0..w17)", (int)len, s);
	for (i = 1; i < len; i++) {
		if (!isdigit((unsigned char)s[i]))
			return perr(p, "bad register '%.*s' (x0..x17 or w0..w17)",
				    (int)len, s);
		n = n * 10 + (unsigned)(s[i] - '0');
	}
	if (n >= FFA_NREGS || (len == 3 && s[1] == '0'))
		return perr(p, "bad register '%.*s' (x0..x17 or w0..w17)", (int)len, s);
	*reg = (uint8_t)n;
	*w = s[0] == 'w';
	return true;
}

/* "xN=value" ... */
static bool parse_checks(struct parser *p, struct sim_cmd *c, char **a,
			 unsigned n)
{
	unsigned i;

	if (!n)
		return perr(p, "missing argument: expect x<N>=<value> ...");
	for (i = 0; i < n; i++) {
		char *eq = strchr(a[i], '=');
		struct sim_regcheck *k = &c->checks[c->nchecks];

		if (!eq)
			return perr(p, "bad register check '%s' (want xN=value "
				       "or wN=value)", a[i]);
		if (c->nchecks == sizeof(c->checks) / sizeof(c->checks[0]))
			return perr(p, "too many register checks");
		if (!parse_reg(p, a[i], (size_t)(eq - a[i]), &k->reg, &k->w) ||
		    !parse_value(p, eq + 1, &k->v))
			return false;
		c->nchecks++;
	}
	return true;
}

/* Hex bytes in memory order: one string or several, joined. */
static bool parse_hex(struct parser *p, struct sim_cmd *c, char **a, unsigned n)
{
	size_t digits = 0, i, k = 0;
	unsigned t;

	if (!n)
		return perr(p, "missing argument: hex bytes");
	for (t = 0; t < n; t++)
		digits += strlen(a[t]);
	if (digits % 2)
		return perr(p, "bad hex bytes: an odd number of digits");
	c->bytes = malloc(digits / 2 + 1);
	if (!c->bytes)
		return perr(p, "out of memory");
	c->nbytes = digits / 2;
	for (t = 0; t < n; t++) {
		for (i = 0; a[t][i]; i++) {
			char ch = a[t][i];

			if (!isxdigit((unsigned char)ch))
				return perr(p, "bad hex bytes '%s'", a[t]);
			ch = (char)tolower((unsigned char)ch);
			if (k % 2 == 0)
				c->bytes[k / 2] = 0;
			c->bytes[k / 2] = (uint8_t)(c->bytes[k / 2] << 4 |
						    (isdigit((unsigned char)ch)
							     ? ch - '0'
							     : ch - 'a' + 10));
			k++;
		}
	}
	return true;
}

/* 8-4-4-4-12 hex digits, kept in text order (byte 0 = first two digits),
 * which is the FF-A descriptor's byte order. */
static bool parse_uuid(struct parser *p, const char *s, uint8_t uuid[16])
{
	static const unsigned groups[5] = { 8, 4, 4, 4, 12 };
	unsigned g, i, k = 0;

	for (g = 0; g < 5; g++) {
		for (i = 0; i < groups[g]; i++, s++) {
			if (!isxdigit((unsigned char)*s))
				return perr(p, "bad uuid (want 8-4-4-4-12 hex digits)");
			uint8_t d = (uint8_t)(isdigit((unsigned char)*s)
						      ? *s - '0'
						      : tolower((unsigned char)*s) - 'a' + 10);
			if (k % 2 == 0)
				uuid[k / 2] = 0;
			uuid[k / 2] = (uint8_t)(uuid[k / 2] << 4 | d);
			k++;
		}
		if (g < 4 && *s++ != '-')
			return perr(p, "bad uuid (want 8-4-4-4-12 hex digits)");
	}
	if (*s)
		return perr(p, "bad uuid (want 8-4-4-4-12 hex digits)");
	return true;
}

static bool want_args(struct parser *p, unsigned n, unsigned min, unsigned max)
{
	if (n < min)
		return perr(p, "missing argument");
	if (n > max)
		return perr(p, "too many arguments");
	return true;
}

static bool one_of(struct parser *p, const char *s, const char *const *names,
		   int *out, const char *what)
{
	int i;

	for (i = 0; names[i]; i++) {
		if (!strcmp(s, names[i])) {
			*out = i;
			return true;
		}
	}
	return perr(p, "bad %s '%s'", what, s);
}

/* ---- Commands */

static bool p_version(struct parser *p, struct sim_cmd *c, char **a, unsigned n)
{
	return want_args(p, n, 1, 1) &&
	       parse_literal(p, a[0], UINT32_MAX, &c->v[0].num, "version");
}

static bool p_none(struct parser *p, struct sim_cmd *c, char **a, unsigned n)
{
	(void)c;
	(void)a;
	return want_args(p, n, 0, 0);
}

static bool p_partition(struct parser *p, struct sim_cmd *c, char **a,
			unsigned n)
{
	uint64_t id;
	bool have_uuid = false;
	unsigned i;

	if (!want_args(p, n, 2, 4) ||
	    !parse_literal(p, a[0], 0xffff, &id, "partition id"))
		return false;
	c->ep = (uint16_t)id;
	/* defaults: one context, receives and sends direct requests, AArch64 */
	c->v[0].num = 1;
	c->v[1].num = FFA_PART_PROP_DIRECT_REQ_RECV | FFA_PART_PROP_DIRECT_REQ_SEND |
		      FFA_PART_PROP_AARCH64;
	for (i = 1; i < n; i++) {
		if (!strncmp(a[i], "uuid=", 5)) {
			if (!parse_uuid(p, a[i] + 5, c->uuid))
				return false;
			have_uuid = true;
		} else if (!strncmp(a[i], "ctx=", 4)) {
			if (!parse_literal(p, a[i] + 4, 0xffff, &c->v[0].num, "ctx"))
				return false;
		} else if (!strncmp(a[i], "props=", 6)) {
			if (!parse_literal(p, a[i] + 6, UINT32_MAX, &c->v[1].num,
					   "props"))
				return false;
		} else {
			return perr(p, "bad partition argument '%s' (uuid=, ctx=, props=)",
				    a[i]);
		}
	}
	if (!have_uuid)
		return perr(p, "missing argument: uuid=<8-4-4-4-12>");
	return true;
}

static bool p_policy(struct parser *p, struct sim_cmd *c, char **a, unsigned n)
{
	static const char *const names[] = { "translate", "strict", NULL };

	return want_args(p, n, 1, 1) && one_of(p, a[0], names, &c->sub, "policy");
}

/* The order of enum spmc_newer_version. */
static bool p_newer(struct parser *p, struct sim_cmd *c, char **a, unsigned n)
{
	static const char *const names[] = { "own", "refuse", "unrecorded",
					     NULL };

	return want_args(p, n, 1, 1) &&
	       one_of(p, a[0], names, &c->sub, "newer-version answer");
}

/* keeps-rx: 0, gives-rx: 1 (struct spmc info_error_gives_rx). */
static bool p_failed_info(struct parser *p, struct sim_cmd *c, char **a,
			  unsigned n)
{
	static const char *const names[] = { "keeps-rx", "gives-rx", NULL };

	return want_args(p, n, 1, 1) &&
	       one_of(p, a[0], names, &c->sub, "failed-info-get answer");
}

/* cycles: 0, denied: 1 (struct spmc idle_run_denied). */
static bool p_idle_run(struct parser *p, struct sim_cmd *c, char **a,
		       unsigned n)
{
	static const char *const names[] = { "cycles", "denied", NULL };

	return want_args(p, n, 1, 1) &&
	       one_of(p, a[0], names, &c->sub, "idle-run answer");
}

/* The order of enum spmc_check_constituents. */
static bool p_check_cons(struct parser *p, struct sim_cmd *c, char **a,
			 unsigned n)
{
	static const char *const names[] = { "each", "last", NULL };

	return want_args(p, n, 1, 1) &&
	       one_of(p, a[0], names, &c->sub, "constituent check");
}

static bool p_granule(struct parser *p, struct sim_cmd *c, char **a, unsigned n)
{
	static const char *const names[] = { "4k", "16k", "64k", NULL };
	static const uint32_t sizes[] = { 4096, 16384, 65536 };

	if (!want_args(p, n, 1, 1) || !one_of(p, a[0], names, &c->sub, "granule"))
		return false;
	c->v[0].num = sizes[c->sub];
	return true;
}

static bool p_proxy_uuid(struct parser *p, struct sim_cmd *c, char **a,
			 unsigned n)
{
	uint64_t id;

	if (!want_args(p, n, 2, 2) ||
	    !parse_literal(p, a[0], 0xffff, &id, "partition id"))
		return false;
	c->ep = (uint16_t)id;
	return parse_uuid(p, a[1], c->uuid);
}

static bool p_buffers(struct parser *p, struct sim_cmd *c, char **a, unsigned n)
{
	if (!want_args(p, n, 1, 1) ||
	    !parse_literal(p, a[0], 4096, &c->v[0].num, "page count"))
		return false;
	if (!c->v[0].num)
		return perr(p, "page count must be at least 1");
	return true;
}

static bool p_limit(struct parser *p, struct sim_cmd *c, char **a, unsigned n)
{
	static const char *const names[] = { "endpoints",   "buffer-pages",
					     "descriptor-size", "transactions",
					     "ranges", "vm-transactions",
					     "vm-ranges", "preempted", NULL };

	return want_args(p, n, 2, 2) && one_of(p, a[0], names, &c->sub, "limit") &&
	       parse_literal(p, a[1], UINT32_MAX, &c->v[0].num, "limit");
}

static bool p_range(struct parser *p, struct sim_cmd *c, char **a, unsigned n)
{
	return want_args(p, n, 2, 2) &&
	       parse_literal(p, a[0], UINT64_MAX, &c->v[0].num, "base") &&
	       parse_literal(p, a[1], UINT64_MAX, &c->v[1].num, "size");
}

/* [ep=<id>] <function> [x1 ... x17] */
static bool p_call(struct parser *p, struct sim_cmd *c, char **a, unsigned n)
{
	unsigned i = 0;

	if (n && is_ep_arg(a[0])) {
		if (!parse_ep(p, a[0], c))
			return false;
		i++;
	}
	if (i == n)
		return perr(p, "missing argument: the function");
	if (n - i > FFA_NREGS)
		return perr(p, "too many registers (x1..x17)");
	if (!parse_function(p, a[i++], &c->v[0]))
		return false;
	for (c->nv = 1; i < n; i++, c->nv++)
		if (!parse_value(p, a[i], &c->v[c->nv]))
			return false;
	return true;
}

/* smc <n> call [ep=..] FUNC args... | smc <n> reset host (sub 1: the
 * embedder's ffp_host_reset on the other CPU, its status in x0 for
 * `expect nested`) */
static bool p_nested(struct parser *p, struct sim_cmd *c, char **a, unsigned n)
{
	uint64_t k;

	if (n < 3)
		return perr(p, "missing argument: nested smc <n> call [ep=<id>] "
			       "<function> [x1 ...] | nested smc <n> reset host");
	if (strcmp(a[0], "smc") ||
	    (strcmp(a[2], "call") && strcmp(a[2], "reset")))
		return perr(p, "want: nested smc <n> call|reset ...");
	if (!parse_literal(p, a[1], UINT32_MAX, &k, "smc count"))
		return false;
	if (!k)
		return perr(p, "smc count must be at least 1");
	c->count = (uint32_t)k;
	if (!strcmp(a[2], "reset")) {
		if (n != 4 || strcmp(a[3], "host"))
			return perr(p, "want: nested smc <n> reset host");
		c->sub = 1;
		return true;
	}
	return p_call(p, c, a + 3, n - 3);
}

/* reset host [status=<S>] */
static bool p_reset_host(struct parser *p, struct sim_cmd *c, char **a,
			 unsigned n)
{
	c->nv = 1;
	if (!want_args(p, n, 0, 1))
		return false;
	if (n == 1 && (strncmp(a[0], "status=", 7) ||
		       !parse_value(p, a[0] + 7, &c->v[0])))
		return perr(p, "bad argument '%s' (status=<S>)", a[0]);
	return true;
}

/* [ep=<id>] <addr> <hex bytes> */
static bool p_write(struct parser *p, struct sim_cmd *c, char **a, unsigned n)
{
	unsigned i = 0;

	if (n && is_ep_arg(a[0])) {
		if (!parse_ep(p, a[0], c))
			return false;
		i++;
	}
	if (n - i < 2)
		return perr(p, "missing argument: <addr> <hex bytes>");
	c->nv = 1;
	return parse_value(p, a[i], &c->v[0]) && parse_hex(p, c, a + i + 1, n - i - 1);
}

static bool p_save(struct parser *p, struct sim_cmd *c, char **a, unsigned n)
{
	uint8_t reg;
	bool w;

	if (!want_args(p, n, 2, 2))
		return false;
	if (!valid_name(a[0]))
		return perr(p, "bad variable name '%s'", a[0]);
	if (!parse_reg(p, a[1], strlen(a[1]), &reg, &w))
		return false;
	strcpy(c->name, a[0]);
	c->sub = reg | (w ? 0x100 : 0);
	return declare(p, a[0]);
}

static bool p_vm(struct parser *p, struct sim_cmd *c, char **a, unsigned n)
{
	uint64_t id;

	if (!want_args(p, n, 4, 5) ||
	    !parse_literal(p, a[0], 0x7fff, &id, "vm id"))
		return false;
	if (strcmp(a[1], "ram"))
		return perr(p, "want: vm <id> ram <base> <size>");
	c->ep = (uint16_t)id;
	if (!p_range(p, c, a + 2, 2))
		return false;
	/* status=<S>: the add is expected to answer S (0: success) */
	if (n == 5) {
		if (strncmp(a[4], "status=", 7))
			return perr(p, "bad vm argument '%s' (status=)", a[4]);
		c->sub = 1;
		c->nv = 3;
		return parse_value(p, a[4] + 7, &c->v[2]);
	}
	return true;
}

static bool p_destroy(struct parser *p, struct sim_cmd *c, char **a, unsigned n)
{
	uint64_t id;

	if (!want_args(p, n, 1, 1) ||
	    !parse_literal(p, a[0], 0x7fff, &id, "vm id"))
		return false;
	c->ep = (uint16_t)id;
	return true;
}

static bool p_fault(struct parser *p, struct sim_cmd *c, char **a, unsigned n)
{
	static const char *const ops[] = { "smc", "transition", "read", "write",
					   NULL };

	if (!want_args(p, n, 2, 3) || !one_of(p, a[0], ops, &c->sub, "fault operation") ||
	    !parse_value(p, a[1], &c->v[0]))
		return false;
	c->v[1].num = (uint32_t)FFA_DENIED;
	return n < 3 || parse_value(p, a[2], &c->v[1]);
}

/* Receiver permissions: a number, or rw|ro|- then optionally x|nx. */
static bool parse_perms(struct parser *p, const char *s, uint8_t *out)
{
	uint64_t v;
	uint8_t perms = 0;

	if (isdigit((unsigned char)s[0])) {
		if (!parse_unsigned(s, &v) || v > 0xff)
			return perr(p, "bad permissions '%s'", s);
		*out = (uint8_t)v;
		return true;
	}
	if (!strncmp(s, "rw", 2)) {
		perms = FFA_MEM_PERM_RW;
		s += 2;
	} else if (!strncmp(s, "ro", 2)) {
		perms = FFA_MEM_PERM_RO;
		s += 2;
	} else if (*s == '-') {
		s++;
	}
	if (!strcmp(s, "x"))
		perms |= FFA_MEM_PERM_X;
	else if (!strcmp(s, "nx"))
		perms |= FFA_MEM_PERM_NX;
	else if (*s)
		return perr(p, "bad permissions '%s' (rw, ro or -, then x or nx)", s);
	*out = perms;
	return true;
}

/* "id:perms[:flags],..." */
static bool parse_receivers(struct parser *p, struct sim_desc *d, char *s)
{
	char *save = NULL, *item;

	for (item = strtok_r(s, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		char *perms = strchr(item, ':'), *flags;
		uint64_t v;

		if (!perms)
			return perr(p, "bad receiver '%s' (want <id>:<perms>)", item);
		*perms++ = 0;
		flags = strchr(perms, ':');
		if (flags)
			*flags++ = 0;
		if (d->nrecv == SIM_DESC_MAX_RECEIVERS)
			return perr(p, "more than %d receivers", SIM_DESC_MAX_RECEIVERS);
		if (!parse_literal(p, item, 0xffff, &v, "receiver id"))
			return false;
		d->recv[d->nrecv].id = (uint16_t)v;
		if (!parse_perms(p, perms, &d->recv[d->nrecv].perms))
			return false;
		if (flags) {
			if (!parse_literal(p, flags, 0xff, &v, "receiver flags"))
				return false;
			d->recv[d->nrecv].flags = (uint8_t)v;
		}
		d->nrecv++;
	}
	return true;
}

#define SIM_DESC_MAX_RANGES (1u << 20)

/* "base:pages[*count],...": count ranges of `pages` pages back to back. */
static bool parse_ranges(struct parser *p, struct sim_desc *d, char *s)
{
	char *save = NULL, *item;

	for (item = strtok_r(s, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		char *pages = strchr(item, ':'), *rep;
		uint64_t base, n, count = 1, i;

		if (!pages)
			return perr(p, "bad range '%s' (want <base>:<pages>[*<count>])",
				    item);
		*pages++ = 0;
		rep = strchr(pages, '*');
		if (rep)
			*rep++ = 0;
		if (!parse_literal(p, item, UINT64_MAX, &base, "range base") ||
		    !parse_literal(p, pages, UINT32_MAX, &n, "page count") ||
		    (rep && !parse_literal(p, rep, SIM_DESC_MAX_RANGES, &count,
					   "range count")))
			return false;
		if (count > SIM_DESC_MAX_RANGES - d->nranges)
			return perr(p, "more than %u ranges", SIM_DESC_MAX_RANGES);
		{
			void *nr = realloc(d->ranges, (d->nranges + count) *
							      sizeof(*d->ranges));

			if (!nr)
				return perr(p, "out of memory");
			d->ranges = nr;
		}
		/* wrapping bases are kept as given (modulo 2^64): a test may
		 * want exactly that */
		for (i = 0; i < count; i++) {
			d->ranges[d->nranges].base = base + i * n * 4096u;
			d->ranges[d->nranges].pages = (uint32_t)n;
			d->nranges++;
		}
	}
	return true;
}

/* <addr> share|lend|donate <version> key=value... */
static bool p_desc(struct parser *p, struct sim_cmd *c, char **a, unsigned n)
{
	static const char *const types[] = { "share", "lend", "donate", NULL };
	static const uint32_t type_ids[] = { FFA_MEM_TXN_SHARE, FFA_MEM_TXN_LEND,
					     FFA_MEM_TXN_DONATE };
	struct sim_desc *d;
	const char *ver;
	uint64_t v;
	int type = 0;
	unsigned i;

	if (n < 3)
		return perr(p, "missing argument");
	d = c->desc = calloc(1, sizeof(*d));
	if (!d)
		return perr(p, "out of memory");
	c->nv = 1;
	if (!parse_value(p, a[0], &c->v[0]) ||
	    !one_of(p, a[1], types, &type, "transaction type"))
		return false;
	d->type = type_ids[type];
	ver = a[2][0] == 'v' ? a[2] + 1 : a[2];
	if (!parse_version(ver, &v) ||
	    (v != FFA_VERSION_1_0 && v != FFA_VERSION_1_1 && v != FFA_VERSION_1_2))
		return perr(p, "bad descriptor version '%s' (v1.0, v1.1, v1.2)", a[2]);
	d->version = (uint32_t)v;
	/* share: normal write-back inner shareable; lend/donate leave the
	 * attributes to the borrower (ffa-facts section 5) */
	if (d->type == FFA_MEM_TXN_SHARE)
		d->attributes = FFA_MEM_ATTR_NORMAL | FFA_MEM_ATTR_WRITE_BACK |
				FFA_MEM_ATTR_INNER_SHAREABLE;
	strcpy(d->len_var, "desc_len");
	for (i = 3; i < n; i++) {
		char *eq = strchr(a[i], '='), *val;

		if (!eq)
			return perr(p, "bad descriptor argument '%s' (key=value)", a[i]);
		*eq = 0;
		val = eq + 1;
		if (!strcmp(a[i], "sender")) {
			if (!parse_literal(p, val, 0xffff, &v, "sender"))
				return false;
			d->sender = (uint16_t)v;
		} else if (!strcmp(a[i], "recv")) {
			if (!parse_receivers(p, d, val))
				return false;
		} else if (!strcmp(a[i], "ranges")) {
			if (!parse_ranges(p, d, val))
				return false;
		} else if (!strcmp(a[i], "attrs")) {
			if (!parse_literal(p, val, 0xffff, &v, "attrs"))
				return false;
			d->attributes = (uint16_t)v;
		} else if (!strcmp(a[i], "flags")) {
			if (!parse_literal(p, val, UINT32_MAX, &v, "flags"))
				return false;
			d->flags = (uint32_t)v;
		} else if (!strcmp(a[i], "tag")) {
			if (!parse_literal(p, val, UINT64_MAX, &d->tag, "tag"))
				return false;
		} else if (!strcmp(a[i], "handle")) {
			if (!parse_value(p, val, &d->handle))
				return false;
		} else if (!strcmp(a[i], "total")) {
			if (!parse_literal(p, val, UINT32_MAX, &v, "total"))
				return false;
			d->total_pages = (uint32_t)v;
			d->has_total_pages = true;
		} else if (!strcmp(a[i], "len")) {
			if (!valid_name(val))
				return perr(p, "bad variable name '%s'", val);
			strcpy(d->len_var, val);
		} else {
			return perr(p, "unknown descriptor argument '%s'", a[i]);
		}
	}
	if (!d->nrecv)
		return perr(p, "missing argument: recv=<id>:<perms>");
	if (!d->nranges)
		return perr(p, "missing argument: ranges=<base>:<pages>");
	return declare(p, d->len_var);
}

/* sp <id> answer ok|status <S>|error <S>|interrupt|wrong-pair|
 * not-framework|garbled [times=<n>]: how the partition answers the next n
 * framework messages (all of them without times=). */
static bool p_sp_answer(struct parser *p, struct sim_cmd *c, char **a,
			unsigned n)
{
	static const char *const kinds[] = { "ok",        "status",
					     "error",     "interrupt",
					     "wrong-pair", "not-framework",
					     "garbled",   NULL };
	unsigned i = 1;

	if (!n || !one_of(p, a[0], kinds, &c->sub, "answer"))
		return n ? false : perr(p, "missing argument: the answer");
	c->nv = 2;
	c->v[1].num = UINT32_MAX;
	if (c->sub == SPMC_FW_STATUS || c->sub == SPMC_FW_ERROR) {
		if (n < 2)
			return perr(p, "missing argument: the status");
		if (!parse_value(p, a[1], &c->v[0]))
			return false;
		i = 2;
	}
	if (i < n) {
		if (strncmp(a[i], "times=", 6) ||
		    !parse_literal(p, a[i] + 6, UINT32_MAX - 1, &c->v[1].num,
				   "times"))
			return perr(p, "bad answer argument '%s' (times=<n>)",
				    a[i]);
		i++;
	}
	return i == n || perr(p, "too many arguments");
}

/* sp <id> notify bind <vm> <bitmap> [per-vcpu] [status=<S>]
 * sp <id> notify set <vm> <bitmap> [vcpu=<n>] [status=<S>]
 * sp <id> notify get <bitmap>: the partition's side of notifications
 * (v[0] vm, v[1] bitmap, v[2] per-vCPU, v[3] status, v[4] vcpu). */
static bool p_sp_notify(struct parser *p, struct sim_cmd *c, char **a,
			unsigned n)
{
	static const char *const ops[] = { "bind", "set", "get", NULL };
	uint64_t v;
	unsigned i;

	if (!n || !one_of(p, a[0], ops, &c->sub, "notify action"))
		return n ? false : perr(p, "missing argument: bind|set|get");
	c->nv = 5;
	if (c->sub == 2)
		return want_args(p, n, 2, 2) && parse_value(p, a[1], &c->v[1]);
	if (!want_args(p, n, 3, 5) ||
	    !parse_literal(p, a[1], 0x7fff, &c->v[0].num, "vm id") ||
	    !parse_value(p, a[2], &c->v[1]))
		return false;
	for (i = 3; i < n; i++) {
		if (c->sub == 0 && !strcmp(a[i], "per-vcpu")) {
			c->v[2].num = 1;
		} else if (c->sub == 1 && !strncmp(a[i], "vcpu=", 5)) {
			if (!parse_literal(p, a[i] + 5, 0xffff, &v, "vcpu"))
				return false;
			c->v[2].num = 1;
			c->v[4].num = v;
		} else if (!strncmp(a[i], "status=", 7)) {
			if (!parse_value(p, a[i] + 7, &c->v[3]))
				return false;
		} else {
			return perr(p, "bad notify argument '%s'", a[i]);
		}
	}
	return true;
}

/* sp <id> msg-send2 <receiver> [size=<n>] [hdr=1.1] [status=<S>]: the partition
 * sends an indirect message to a normal-world id (spmc_sp_msg_send2). */
static bool p_sp_msg_send2(struct parser *p, struct sim_cmd *c, char **a,
			   unsigned n)
{
	unsigned i;

	static const struct {
		const char *key;
		unsigned v, set;
		uint64_t max;
	} hdr[] = {
		{ "offset=", 3, SPMC_MSG2_SET_OFFSET, UINT32_MAX },
		{ "claim=", 4, SPMC_MSG2_SET_SIZE, UINT32_MAX },
		{ "hdr-sender=", 5, SPMC_MSG2_SET_SENDER, 0xffff },
		{ "hdr-receiver=", 6, SPMC_MSG2_SET_RECEIVER, 0xffff },
		{ "flags=", 7, SPMC_MSG2_SET_FLAGS, UINT32_MAX },
	};
	unsigned k;

	c->nv = 8;
	c->v[1].num = 16;
	if (!want_args(p, n, 1, 10) ||
	    !parse_literal(p, a[0], 0xffff, &c->v[0].num, "receiver id"))
		return false;
	for (i = 1; i < n; i++) {
		for (k = 0; k < sizeof(hdr) / sizeof(hdr[0]); k++)
			if (!strncmp(a[i], hdr[k].key, strlen(hdr[k].key)))
				break;
		if (k < sizeof(hdr) / sizeof(hdr[0])) {
			if (!parse_literal(p, a[i] + strlen(hdr[k].key),
					   hdr[k].max, &c->v[hdr[k].v].num,
					   hdr[k].key))
				return false;
			c->sub |= (int)hdr[k].set;
		} else if (!strncmp(a[i], "uuid=", 5)) {
			if (!parse_uuid(p, a[i] + 5, c->uuid))
				return false;
		} else if (!strcmp(a[i], "hdr=1.1")) {
			/* a 1.1 partition's header, as it wrote it */
			c->sub |= (int)SPMC_MSG2_SENDER_V11;
		} else if (!strncmp(a[i], "size=", 5)) {
			if (!parse_literal(p, a[i] + 5, 0x10000, &c->v[1].num,
					   "size"))
				return false;
		} else if (!strncmp(a[i], "status=", 7)) {
			if (!parse_value(p, a[i] + 7, &c->v[2]))
				return false;
		} else {
			return perr(p, "bad msg-send2 argument '%s'", a[i]);
		}
	}
	return true;
}

/* spmc notify <vm> <bits>: SPM framework notifications for a VM. */
static bool p_spmc_notify(struct parser *p, struct sim_cmd *c, char **a,
			  unsigned n)
{
	uint64_t id;

	c->nv = 1;
	if (!want_args(p, n, 2, 2) ||
	    !parse_literal(p, a[0], 0x7fff, &id, "vm id"))
		return false;
	c->ep = (uint16_t)id;
	return parse_value(p, a[1], &c->v[0]);
}

/* spmc notif-fail <function> <status>|garbled [times=<n>] */
static bool p_notif_fail(struct parser *p, struct sim_cmd *c, char **a,
			 unsigned n)
{
	c->nv = 3;
	c->v[2].num = 1;
	if (!want_args(p, n, 2, 3) || !parse_function(p, a[0], &c->v[0]))
		return false;
	if (strcmp(a[1], "garbled") && !parse_value(p, a[1], &c->v[1]))
		return false;
	if (n == 3 && (strncmp(a[2], "times=", 6) ||
		       !parse_literal(p, a[2] + 6, UINT32_MAX, &c->v[2].num,
				      "times")))
		return perr(p, "bad argument '%s' (times=<n>)", a[2]);
	return true;
}

/* spmc lacks <function> [call=not-supported|unknown]
 * [features=not-supported|unknown]: sub SPMC_LACKS_* bits */
static bool p_lacks(struct parser *p, struct sim_cmd *c, char **a, unsigned n)
{
	unsigned i, seen = 0;

	c->nv = 1;
	c->sub = 0;
	if (!want_args(p, n, 1, 3) || !parse_function(p, a[0], &c->v[0]))
		return false;
	for (i = 1; i < n; i++) {
		unsigned bit = !strncmp(a[i], "call=", 5)     ? SPMC_LACKS_CALL_UNKNOWN
			       : !strncmp(a[i], "features=", 9) ? SPMC_LACKS_FEATURES_UNKNOWN
								  : 0;
		const char *how = bit ? strchr(a[i], '=') + 1 : "";

		if (!bit || (strcmp(how, "unknown") && strcmp(how, "not-supported")))
			return perr(p, "bad argument '%s' (call=|features="
				       "not-supported|unknown)", a[i]);
		/* One answer per kind: a second would be silently dropped
		 * (call=unknown call=not-supported meant unknown). */
		if (seen & bit)
			return perr(p, "%s given twice",
				    bit == SPMC_LACKS_CALL_UNKNOWN ? "call="
								   : "features=");
		seen |= bit;
		if (!strcmp(how, "unknown"))
			c->sub |= bit;
	}
	return true;
}

/* vcpus <id> <n> [status=<S>]: ffp_endpoint_set_vcpus */
static bool p_vcpus(struct parser *p, struct sim_cmd *c, char **a, unsigned n)
{
	uint64_t id;

	c->nv = 2;
	if (!want_args(p, n, 2, 3) ||
	    !parse_literal(p, a[0], 0x7fff, &id, "endpoint id") ||
	    !parse_literal(p, a[1], 0xffff, &c->v[0].num, "vcpu count"))
		return false;
	c->ep = (uint16_t)id;
	if (n == 3 && (strncmp(a[2], "status=", 7) ||
		       !parse_value(p, a[2] + 7, &c->v[1])))
		return perr(p, "bad argument '%s' (status=<S>)", a[2]);
	return true;
}

/* expect spmc notif <vm> none | [vcpus=<n>] [bound=<b>] [pending=<b>]
 *   [spm=<b>] [vcpu-pending=<v>:<b>] */
static bool p_expect_spmc_notif(struct parser *p, struct sim_cmd *c, char **a,
				unsigned n)
{
	static const char *const keys[] = { "vcpus=", "bound=", "pending=",
					    "spm=", NULL };
	uint64_t id;
	unsigned i, k;
	char *colon;

	c->nv = 6;
	if (!want_args(p, n, 2, 7) ||
	    !parse_literal(p, a[0], 0x7fff, &id, "vm id"))
		return false;
	c->ep = (uint16_t)id;
	if (!strcmp(a[1], "none"))
		return want_args(p, n, 2, 2);
	for (i = 1; i < n; i++) {
		for (k = 0; keys[k]; k++)
			if (!strncmp(a[i], keys[k], strlen(keys[k])))
				break;
		if (keys[k]) {
			if (!parse_value(p, a[i] + strlen(keys[k]), &c->v[k]))
				return false;
			c->sub |= 1 << k;
			continue;
		}
		if (strncmp(a[i], "vcpu-pending=", 13) ||
		    !(colon = strchr(a[i] + 13, ':')))
			return perr(p, "bad argument '%s'", a[i]);
		*colon = 0;
		if (!parse_literal(p, a[i] + 13, SPMC_NOTIF_VCPUS - 1,
				   &c->v[4].num, "vcpu") ||
		    !parse_value(p, colon + 1, &c->v[5]))
			return false;
		c->sub |= 1 << 4;
	}
	return true;
}

/* expect endpoint <id> notif none|bitmap|pending
 * expect endpoint <id> msg-buffers none|mapped|pending */
static bool p_expect_ep_notif(struct parser *p, struct sim_cmd *c, char **a,
			      unsigned n)
{
	static const char *const st[] = { "none", "bitmap", "pending", NULL };
	static const char *const mb[] = { "none", "mapped", "pending", NULL };
	uint64_t id;

	if (!want_args(p, n, 3, 3) ||
	    !parse_literal(p, a[0], 0x7fff, &id, "endpoint id"))
		return false;
	c->ep = (uint16_t)id;
	if (!strcmp(a[1], "msg-buffers")) {
		if (!one_of(p, a[2], mb, &c->sub, "bounce pair state"))
			return false;
		c->sub += 3;
		return true;
	}
	if (strcmp(a[1], "notif"))
		return perr(p, "expected 'notif' or 'msg-buffers'");
	return one_of(p, a[2], st, &c->sub, "bitmap state");
}

/* msg-buffers <vm> <tx_pa> <rx_pa> [pages=<n>] [status=<S>]:
 * ffp_endpoint_set_msg_buffers with hypervisor memory at those addresses
 * (added as such if it is not yet) */
static bool p_msg_buffers(struct parser *p, struct sim_cmd *c, char **a,
			  unsigned n)
{
	uint64_t id;
	unsigned i;

	c->nv = 4;
	c->v[2].num = 1;
	if (!want_args(p, n, 3, 5) ||
	    !parse_literal(p, a[0], 0x7fff, &id, "endpoint id") ||
	    !parse_value(p, a[1], &c->v[0]) || !parse_value(p, a[2], &c->v[1]))
		return false;
	c->ep = (uint16_t)id;
	for (i = 3; i < n; i++) {
		if (!strncmp(a[i], "pages=", 6)) {
			if (!parse_literal(p, a[i] + 6, 64, &c->v[2].num,
					   "pages"))
				return false;
		} else if (!strncmp(a[i], "status=", 7)) {
			if (!parse_value(p, a[i] + 7, &c->v[3]))
				return false;
		} else {
			return perr(p, "bad argument '%s' (pages=<n>, "
				       "status=<S>)", a[i]);
		}
	}
	return true;
}

/* expect spmc mbox <vm> none|empty|full [count=<n>] */
static bool p_expect_spmc_mbox(struct parser *p, struct sim_cmd *c, char **a,
			       unsigned n)
{
	static const char *const st[] = { "none", "empty", "full", NULL };
	uint64_t id;

	c->nv = 1;
	if (!want_args(p, n, 2, 3) ||
	    !parse_literal(p, a[0], 0x7fff, &id, "VM id") ||
	    !one_of(p, a[1], st, &c->sub, "mailbox state"))
		return false;
	c->ep = (uint16_t)id;
	if (n == 3) {
		if (strncmp(a[2], "count=", 6) ||
		    !parse_value(p, a[2] + 6, &c->v[0]))
			return perr(p, "bad argument '%s' (count=<n>)", a[2]);
		c->sub |= 1u << 4;
	}
	return true;
}

/* sp <id> retrieve|relinquish <handle-lo> <handle-hi>: a partition acts on
 * a transaction (the handle as the two halves the registers carry); or
 * sp <id> answer ... (p_sp_answer). */
static bool p_sp(struct parser *p, struct sim_cmd *c, char **a, unsigned n)
{
	static const char *const verbs[] = { "retrieve", "relinquish", "answer",
					     "notify", NULL };
	uint64_t id;
	int verb = 0;

	if (n >= 2 && !strcmp(a[1], "notify")) {
		if (!parse_literal(p, a[0], 0xffff, &id, "partition id"))
			return false;
		c->kind = CMD_SP_NOTIFY;
		c->ep = (uint16_t)id;
		return p_sp_notify(p, c, a + 2, n - 2);
	}
	if (n >= 2 && !strcmp(a[1], "msg-release")) {
		if (!want_args(p, n, 2, 2) ||
		    !parse_literal(p, a[0], 0xffff, &id, "partition id"))
			return false;
		c->kind = CMD_SP_MSG_RELEASE;
		c->ep = (uint16_t)id;
		return true;
	}
	if (n >= 2 && !strcmp(a[1], "msg-send2")) {
		if (!parse_literal(p, a[0], 0xffff, &id, "partition id"))
			return false;
		c->kind = CMD_SP_MSG_SEND2;
		c->ep = (uint16_t)id;
		return p_sp_msg_send2(p, c, a + 2, n - 2);
	}
	if (!want_args(p, n, 2, 5) ||
	    !parse_literal(p, a[0], 0xffff, &id, "partition id") ||
	    !one_of(p, a[1], verbs, &verb, "partition action"))
		return false;
	if (verb == 2) {
		c->kind = CMD_SP_ANSWER;
		c->ep = (uint16_t)id;
		return p_sp_answer(p, c, a + 2, n - 2);
	}
	if (!want_args(p, n, 4, 4))
		return false;
	c->kind = verb ? CMD_SP_RELINQUISH : CMD_SP_RETRIEVE;
	c->ep = (uint16_t)id;
	c->nv = 2;
	return parse_value(p, a[2], &c->v[0]) && parse_value(p, a[3], &c->v[1]);
}

/* spmc preempt <id> <n> [yield] [again=<k>] [vcpu=<v>] */
static bool p_preempt(struct parser *p, struct sim_cmd *c, char **a, unsigned n)
{
	uint64_t id, v;
	unsigned i;

	if (!want_args(p, n, 2, 5) ||
	    !parse_literal(p, a[0], 0xffff, &id, "partition id") ||
	    !parse_literal(p, a[1], UINT32_MAX, &c->v[0].num, "count"))
		return false;
	c->ep = (uint16_t)id;
	c->nv = 3;
	for (i = 2; i < n; i++) {
		if (!strcmp(a[i], "yield")) {
			c->sub = 1;
		} else if (!strncmp(a[i], "again=", 6)) {
			if (!parse_literal(p, a[i] + 6, UINT32_MAX, &v, "again"))
				return false;
			c->v[1].num = v;
		} else if (!strncmp(a[i], "vcpu=", 5)) {
			if (!parse_literal(p, a[i] + 5, 0xffff, &v, "vcpu"))
				return false;
			c->v[2].num = v;
		} else {
			return perr(p, "bad preempt argument '%s' (yield, again=, "
				       "vcpu=)", a[i]);
		}
	}
	return true;
}

/* spmc cycles <id> <n> <answer>: sub the enum spmc_cycles_answer. */
static bool p_cycles(struct parser *p, struct sim_cmd *c, char **a, unsigned n)
{
	static const char *const names[] = { "msg-wait", "interrupt", "yield",
					     "busy",     "aborted",   "dirty",
					     NULL };
	uint64_t id;

	if (!want_args(p, n, 3, 3) ||
	    !parse_literal(p, a[0], 0xffff, &id, "partition id") ||
	    !parse_literal(p, a[1], UINT32_MAX, &c->v[0].num, "count"))
		return false;
	c->ep = (uint16_t)id;
	c->nv = 1;
	return one_of(p, a[2], names, &c->sub, "cycles answer");
}

static bool p_misbehave(struct parser *p, struct sim_cmd *c, char **a,
			unsigned n)
{
	static const char *const knobs[] = { "none",       "garbage-regs",
					     "info-count", "bogus-handle",
					     "frag-rx-offset", "reply", NULL };
	uint8_t reg;
	bool w;

	if (!want_args(p, n, 1, 4) || !one_of(p, a[0], knobs, &c->sub, "knob"))
		return false;
	/* reply <function> x<N> <mask>: XOR that register of its replies */
	if (c->sub == MISBEHAVE_REPLY) {
		if (!want_args(p, n, 4, 4) ||
		    !parse_function(p, a[1], &c->v[0]) ||
		    !parse_reg(p, a[2], strlen(a[2]), &reg, &w))
			return false;
		if (w)
			return perr(p, "bad register '%s' (x0..x17)", a[2]);
		c->count = reg;
		c->nv = 2;
		return parse_value(p, a[3], &c->v[1]);
	}
	if (n > 2)
		return perr(p, "too many arguments");
	if ((c->sub == MISBEHAVE_NONE || c->sub == MISBEHAVE_GARBAGE_REGS) != (n == 1))
		return perr(p, n == 1 ? "missing argument: the value"
				      : "too many arguments");
	c->nv = n - 1;
	return n == 1 || parse_value(p, a[1], &c->v[0]);
}

static bool p_count(struct parser *p, struct sim_cmd *c, char **a, unsigned n)
{
	c->nv = 1;
	return want_args(p, n, 1, 1) && parse_count(p, a[0], &c->v[0]);
}

/* proxy npi <intid>: cfg.npi_offered with that id (ffp_init refuses one
 * of 1020 or more) */
static bool p_npi(struct parser *p, struct sim_cmd *c, char **a, unsigned n)
{
	c->nv = 1;
	return want_args(p, n, 1, 1) &&
	       parse_literal(p, a[0], UINT32_MAX, &c->v[0].num, "interrupt id");
}

/* proxy notification-vcpus <n>: cfg.notification_vcpus */
static bool p_notif_vcpus(struct parser *p, struct sim_cmd *c, char **a,
			  unsigned n)
{
	c->nv = 1;
	return want_args(p, n, 1, 1) &&
	       parse_literal(p, a[0], 0xffff, &c->v[0].num, "vcpu count");
}

/* expect sp <id> msg none | [from=<id>] [size=<n>] [uuid=<u>]
 * [data=<hex>] [count=<n>] [sum=<fnv1a>]: the partition's mailbox for
 * indirect messages (full, with that message), data its first bytes. */
static bool p_expect_sp_msg(struct parser *p, struct sim_cmd *c, char **a,
			    unsigned n)
{
	static const struct {
		const char *key;
		unsigned v, bit;
		uint64_t max;
	} keys[] = {
		{ "from=", 0, 1, 0xffff },
		{ "size=", 1, 2, UINT32_MAX },
		{ "count=", 2, 16, UINT32_MAX },
		{ "sum=", 3, 32, UINT32_MAX },
	};
	unsigned i, k;
	char *hex;

	c->kind = CMD_EXPECT_SP_MSG;
	c->nv = 4;
	if (!n)
		return perr(p, "want: none or a field of the message");
	if (!strcmp(a[0], "none"))
		return want_args(p, n, 1, 1);
	for (i = 0; i < n; i++) {
		for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			if (!strncmp(a[i], keys[k].key, strlen(keys[k].key)))
				break;
		if (k < sizeof(keys) / sizeof(keys[0])) {
			if (!parse_literal(p, a[i] + strlen(keys[k].key),
					   keys[k].max, &c->v[keys[k].v].num,
					   keys[k].key))
				return false;
			c->sub |= (int)keys[k].bit;
		} else if (!strncmp(a[i], "uuid=", 5)) {
			if (!parse_uuid(p, a[i] + 5, c->uuid))
				return false;
			c->sub |= 4;
		} else if (!strncmp(a[i], "data=", 5)) {
			hex = a[i] + 5;
			if (c->bytes)
				return perr(p, "data= given twice");
			if (!parse_hex(p, c, &hex, 1))
				return false;
			if (c->nbytes > SPMC_MSG_KEEP)
				return perr(p, "data= longer than the %u bytes "
					       "a mailbox records",
					    SPMC_MSG_KEEP);
			c->sub |= 8;
		} else {
			return perr(p, "bad argument '%s'", a[i]);
		}
	}
	return c->sub ? true : perr(p, "want: none or a field of the message");
}

/* expect sp <id> messages none|created:<vm>|destroyed:<vm>[,...]: every
 * VM availability message the partition received, in order; or
 * expect sp <id> msg ... (p_expect_sp_msg). */
static bool p_expect_sp_messages(struct parser *p, struct sim_cmd *c,
				 char **a, unsigned n)
{
	uint64_t id, vm;
	char *item, *save = NULL, *colon;
	uint32_t type;

	if (n >= 2 && !strcmp(a[1], "msg")) {
		if (!parse_literal(p, a[0], 0xffff, &id, "partition id"))
			return false;
		c->ep = (uint16_t)id;
		return p_expect_sp_msg(p, c, a + 2, n - 2);
	}

	if (!want_args(p, n, 3, 3) ||
	    !parse_literal(p, a[0], 0xffff, &id, "partition id"))
		return false;
	if (strcmp(a[1], "messages"))
		return perr(p, "want: expect sp <id> messages <list>");
	c->ep = (uint16_t)id;
	if (!strcmp(a[2], "none"))
		return true;
	for (item = strtok_r(a[2], ",", &save); item;
	     item = strtok_r(NULL, ",", &save)) {
		colon = strchr(item, ':');
		if (!colon)
			return perr(p, "bad message '%s' (created:<vm>, "
				       "destroyed:<vm>)", item);
		*colon = 0;
		if (!strcmp(item, "created"))
			type = FFA_FRAMEWORK_VM_CREATED_REQ;
		else if (!strcmp(item, "destroyed"))
			type = FFA_FRAMEWORK_VM_DESTROYED_REQ;
		else
			return perr(p, "bad message kind '%s' (created, "
				       "destroyed)", item);
		if (!parse_literal(p, colon + 1, 0xffff, &vm, "vm id"))
			return false;
		if (c->nv == FFA_NREGS)
			return perr(p, "more than %d messages", FFA_NREGS);
		c->v[c->nv++].num = (uint64_t)type << 16 | vm;
	}
	return true;
}

/* expect vm-destroyed pending [ep=<id>] <n>: (VM, partition) pairs whose
 * VM_DESTROYED is pending, of one id or of all; expect preempted orphans
 * [ep=<id>] <n>: removed VMs' requests the SPMC holds preempted. */
static bool p_expect_pending(struct parser *p, struct sim_cmd *c, char **a,
			     unsigned n)
{
	unsigned i = 0;

	if (n && is_ep_arg(a[0])) {
		if (!parse_ep(p, a[0], c))
			return false;
		i++;
	}
	c->nv = 1;
	return want_args(p, n - i, 1, 1) && parse_count(p, a[i], &c->v[0]);
}

static bool p_vm_availability(struct parser *p, struct sim_cmd *c, char **a,
			      unsigned n)
{
	static const char *const who[] = { "proxy", "embedder", NULL };

	return want_args(p, n, 1, 1) && one_of(p, a[0], who, &c->sub, "sender");
}

static bool p_msg2_hold(struct parser *p, struct sim_cmd *c, char **a,
			unsigned n)
{
	static const char *const how[] = { "on", "off", NULL };

	return want_args(p, n, 1, 1) && one_of(p, a[0], how, &c->sub, "hold");
}

/* platform notification-pending on|off */
static bool p_notif_pending(struct parser *p, struct sim_cmd *c, char **a,
			    unsigned n)
{
	static const char *const how[] = { "off", "on", NULL };

	return want_args(p, n, 1, 1) &&
	       one_of(p, a[0], how, &c->sub, "notification-pending");
}

/* expect npi none | calls <n> | <vm> [vcpus=<v>[,<v>...]] */
static bool p_expect_npi(struct parser *p, struct sim_cmd *c, char **a,
			 unsigned n)
{
	uint64_t id;
	char *s, *comma;

	if (!want_args(p, n, 1, 2))
		return false;
	if (!strcmp(a[0], "none")) {
		c->sub = 0;
		return want_args(p, n, 1, 1);
	}
	if (!strcmp(a[0], "calls")) {
		c->sub = 1;
		c->nv = 1;
		return want_args(p, n, 2, 2) && parse_value(p, a[1], &c->v[0]);
	}
	c->sub = 2;
	if (!parse_literal(p, a[0], 0x7fff, &id, "VM id"))
		return false;
	c->ep = (uint16_t)id;
	c->nv = 0;
	if (n == 1)
		return true;
	if (strncmp(a[1], "vcpus=", 6) || !a[1][6])
		return perr(p, "bad argument '%s' (vcpus=<v>[,<v>...])", a[1]);
	for (s = a[1] + 6; s; s = comma ? comma + 1 : NULL) {
		comma = strchr(s, ',');
		if (comma)
			*comma = 0;
		if (c->nv == 3)
			return perr(p, "more than 3 vCPU ids (a list has 3 at most)");
		if (!parse_literal(p, s, 0xffff, &c->v[c->nv].num, "vCPU id"))
			return false;
		c->nv++;
	}
	return true;
}

static bool p_copy(struct parser *p, struct sim_cmd *c, char **a, unsigned n)
{
	c->nv = 3;
	return want_args(p, n, 3, 3) && parse_value(p, a[0], &c->v[0]) &&
	       parse_value(p, a[1], &c->v[1]) && parse_value(p, a[2], &c->v[2]);
}

static bool p_expect_regs(struct parser *p, struct sim_cmd *c, char **a,
			  unsigned n)
{
	return parse_checks(p, c, a, n);
}

static bool p_expect_mem(struct parser *p, struct sim_cmd *c, char **a,
			 unsigned n)
{
	if (n < 2)
		return perr(p, "missing argument: expect mem <addr> <hex bytes>");
	c->nv = 1;
	return parse_value(p, a[0], &c->v[0]) && parse_hex(p, c, a + 1, n - 1);
}

int sim_page_state(const char *name)
{
	static const char *const names[] = {
		[FFP_PAGE_OWNED] = "owned",   [FFP_PAGE_SHARED_PROXY] = "shared-proxy",
		[FFP_PAGE_SHARED] = "shared", [FFP_PAGE_LENT] = "lent",
		[FFP_PAGE_DONATED] = "donated",
	};
	int i;

	for (i = 0; i < FFP_PAGE_STATE_COUNT; i++)
		if (!strcmp(name, names[i]))
			return i;
	return -1;
}

static bool p_expect_page(struct parser *p, struct sim_cmd *c, char **a,
			  unsigned n)
{
	if (!want_args(p, n, 2, 3) || !parse_value(p, a[0], &c->v[0]))
		return false;
	c->v[1].num = 1;
	if (n == 3 && !parse_value(p, a[1], &c->v[1]))
		return false;
	c->sub = sim_page_state(a[n - 1]);
	if (c->sub < 0)
		return perr(p, "bad page state '%s' (owned, shared-proxy, shared, "
			       "lent, donated)", a[n - 1]);
	return true;
}

static bool p_expect_calls(struct parser *p, struct sim_cmd *c, char **a,
			   unsigned n)
{
	return want_args(p, n, 2, 2) && parse_function(p, a[0], &c->v[0]) &&
	       parse_count(p, a[1], &c->v[1]);
}

static bool p_expect_smcs(struct parser *p, struct sim_cmd *c, char **a,
			  unsigned n)
{
	c->nv = 1;
	return want_args(p, n, 1, 1) && parse_count(p, a[0], &c->v[0]);
}

static bool p_expect_log(struct parser *p, struct sim_cmd *c, char **a,
			 unsigned n)
{
	size_t len = 0;
	unsigned i;

	if (!n)
		return perr(p, "missing argument: expect log <substring>");
	for (i = 0; i < n; i++)
		len += strlen(a[i]) + 1;
	c->text = malloc(len);
	if (!c->text)
		return perr(p, "out of memory");
	c->text[0] = 0;
	for (i = 0; i < n; i++) {
		if (i)
			strcat(c->text, " ");
		strcat(c->text, a[i]);
	}
	return true;
}

/* [ep=<id>] <version> [locked|unlocked] */
static bool p_expect_version(struct parser *p, struct sim_cmd *c, char **a,
			     unsigned n)
{
	static const char *const locks[] = { "any", "locked", "unlocked", NULL };
	unsigned i = 0;

	if (n && is_ep_arg(a[0])) {
		if (!parse_ep(p, a[0], c))
			return false;
		i++;
	}
	if (!want_args(p, n - i, 1, 2) || !parse_value(p, a[i], &c->v[0]))
		return false;
	c->sub = LOCK_ANY;
	return n - i < 2 || one_of(p, a[i + 1], locks, &c->sub, "lock state");
}

static bool p_expect_ffa(struct parser *p, struct sim_cmd *c, char **a,
			 unsigned n)
{
	static const char *const names[] = { "disabled", "enabled", NULL };

	return want_args(p, n, 1, 1) && one_of(p, a[0], names, &c->sub, "state");
}

/* The command table: the longest matching word sequence wins. Config
 * commands (action == false) must come before the first action. */
struct cmd_def {
	const char *words;
	enum sim_cmd_kind kind;
	bool action;
	bool (*parse)(struct parser *p, struct sim_cmd *c, char **a, unsigned n);
	const char *usage;
};

static const struct cmd_def defs[] = {
	{ "spmc version", CMD_SPMC_VERSION, false, p_version, "<version>" },
	{ "spmc smccc", CMD_SPMC_SMCCC, false, p_version, "<version>" },
	{ "spmc absent", CMD_SPMC_ABSENT, false, p_none, "" },
	{ "spmc stale-pair", CMD_SPMC_STALE_PAIR, false, p_none, "" },
	{ "spmc newer-version", CMD_SPMC_NEWER_VERSION, false, p_newer,
	  "own|refuse|unrecorded" },
	{ "spmc failed-info-get", CMD_SPMC_FAILED_INFO_GET, false,
	  p_failed_info, "keeps-rx|gives-rx" },
	{ "spmc check-constituents", CMD_SPMC_CHECK_CONSTITUENTS, false,
	  p_check_cons, "each|last" },
	{ "spmc idle-run", CMD_SPMC_IDLE_RUN, false, p_idle_run,
	  "cycles|denied" },
	{ "spmc partition", CMD_SPMC_PARTITION, false, p_partition,
	  "<id> uuid=<8-4-4-4-12> [ctx=N] [props=N]" },
	{ "proxy version", CMD_PROXY_VERSION, false, p_version, "<version>" },
	{ "proxy policy", CMD_PROXY_POLICY, false, p_policy, "translate|strict" },
	{ "proxy granule", CMD_PROXY_GRANULE, false, p_granule, "4k|16k|64k" },
	{ "proxy uuid", CMD_PROXY_UUID, false, p_proxy_uuid, "<id> <uuid>" },
	{ "proxy buffers", CMD_PROXY_BUFFERS, false, p_buffers, "<pages>" },
	{ "proxy limit", CMD_PROXY_LIMIT, false, p_limit,
	  "endpoints|buffer-pages|descriptor-size|transactions|ranges|vm-transactions|vm-ranges|preempted <n>" },
	{ "proxy vm-availability", CMD_PROXY_VM_AVAILABILITY, false,
	  p_vm_availability, "proxy|embedder" },
	{ "proxy msg2-hold", CMD_PROXY_MSG2_HOLD, false, p_msg2_hold,
	  "on|off" },
	{ "proxy npi", CMD_PROXY_NPI, false, p_npi, "<interrupt id>" },
	{ "proxy notification-vcpus", CMD_PROXY_NOTIF_VCPUS, false,
	  p_notif_vcpus, "<n>" },
	{ "platform notification-pending", CMD_PLATFORM_NOTIF_PENDING, false,
	  p_notif_pending, "on|off" },
	{ "host ram", CMD_HOST_RAM, false, p_range, "<base> <size>" },
	{ "call", CMD_CALL, true, p_call, "[ep=<id>] <function> [x1 ... x17]" },
	{ "write", CMD_WRITE, true, p_write, "[ep=<id>] <addr> <hex bytes>" },
	{ "save", CMD_SAVE, true, p_save, "<name> x<N>" },
	{ "vm", CMD_VM, true, p_vm, "<id> ram <base> <size> [status=<S>]" },
	{ "destroy vm", CMD_DESTROY_VM, true, p_destroy, "<id>" },
	{ "reset host", CMD_RESET_HOST, true, p_reset_host, "[status=<S>]" },
	{ "fault", CMD_FAULT, true, p_fault, "smc|transition|read|write <k> [status]" },
	{ "nested", CMD_NESTED, true, p_nested,
	  "smc <n> call [ep=<id>] <function> [x1 ...] | smc <n> reset host" },
	{ "desc", CMD_DESC, true, p_desc,
	  "<addr> share|lend|donate v1.0|v1.1|v1.2 recv=<id>:<perms>[,...] "
	  "ranges=<base>:<pages>[*<n>][,...] [sender=] [attrs=] [flags=] [tag=] "
	  "[handle=] [total=] [len=<var>]" },
	{ "sp", CMD_SP_RETRIEVE, true, p_sp,
	  "<id> retrieve|relinquish <handle-lo> <handle-hi> | <id> answer "
	  "ok|status <S>|error <S>|interrupt|wrong-pair|not-framework|garbled "
	  "[times=<n>] | <id> notify bind <vm> <bitmap> [per-vcpu] [status=<S>]"
	  " | <id> notify set <vm> <bitmap> [vcpu=<n>] [status=<S>] | <id> "
	  "notify get <bitmap> | <id> msg-send2 <receiver> [size=<n>] "
	  "[uuid=<u>] [offset=<n>] [claim=<n>] [hdr-sender=<id>] "
	  "[hdr-receiver=<id>] [flags=<n>] [status=<S>] | <id> msg-release" },
	{ "retry vm-destroyed", CMD_RETRY_VM_DESTROYED, true, p_none, "" },
	{ "spmc notify", CMD_SPMC_NOTIFY, true, p_spmc_notify, "<vm> <bits>" },
	{ "spmc notif-fail", CMD_SPMC_NOTIF_FAIL, true, p_notif_fail,
	  "<function> <status>|garbled [times=<n>]" },
	{ "spmc lacks", CMD_SPMC_LACKS, true, p_lacks,
	  "<function> [call=not-supported|unknown] [features=not-supported|unknown]" },
	{ "vcpus", CMD_VCPUS, true, p_vcpus, "<id> <n> [status=<S>]" },
	{ "expect spmc notif", CMD_EXPECT_SPMC_NOTIF, true, p_expect_spmc_notif,
	  "<vm> none|[vcpus=<n>] [bound=<b>] [pending=<b>] [spm=<b>] "
	  "[vcpu-pending=<v>:<b>]" },
	{ "expect endpoint", CMD_EXPECT_ENDPOINT_NOTIF, true, p_expect_ep_notif,
	  "<id> notif none|bitmap|pending | <id> msg-buffers "
	  "none|mapped|pending" },
	{ "msg-buffers", CMD_MSG_BUFFERS, true, p_msg_buffers,
	  "<vm> <tx_pa> <rx_pa> [pages=<n>] [status=<S>]" },
	{ "expect spmc mbox", CMD_EXPECT_SPMC_MBOX, true, p_expect_spmc_mbox,
	  "<vm> none|empty|full [count=<n>]" },
	{ "expect sp", CMD_EXPECT_SP_MESSAGES, true, p_expect_sp_messages,
	  "<id> messages none|created:<vm>|destroyed:<vm>[,...] | <id> msg "
	  "none|[from=<id>] [size=<n>] [uuid=<u>] [data=<hex>] [count=<n>] "
	  "[sum=<n>]" },
	{ "expect vm-destroyed pending", CMD_EXPECT_VM_DESTROYED_PENDING, true,
	  p_expect_pending, "[ep=<id>] <n>" },
	{ "expect preempted orphans", CMD_EXPECT_PREEMPTED_ORPHANS, true,
	  p_expect_pending, "[ep=<id>] <n>" },
	{ "spmc misbehave", CMD_SPMC_MISBEHAVE, true, p_misbehave,
	  "none|garbage-regs|info-count <n>|bogus-handle <h>|frag-rx-offset <d>|"
	  "reply <function> x<N> <mask>" },
	{ "spmc preempt", CMD_SPMC_PREEMPT, true, p_preempt,
	  "<id> <n> [yield] [again=<k>] [vcpu=<v>]" },
	{ "spmc cycles", CMD_SPMC_CYCLES, true, p_cycles,
	  "<id> <n> msg-wait|interrupt|yield|busy|aborted|dirty" },
	{ "copy", CMD_COPY, true, p_copy, "<dst> <src> <len>" },
	{ "snapshot", CMD_SNAPSHOT, true, p_none, "" },
	{ "reclaim orphans", CMD_RECLAIM_ORPHANS, true, p_none, "" },
	{ "expect spmc transactions", CMD_EXPECT_SPMC_TRANSACTIONS, true,
	  p_count, "<n>" },
	{ "expect proxy transactions", CMD_EXPECT_PROXY_TRANSACTIONS, true,
	  p_count, "<n>" },
	{ "expect proxy orphans", CMD_EXPECT_PROXY_ORPHANS, true, p_count,
	  "<n>" },
	{ "expect unchanged", CMD_EXPECT_UNCHANGED, true, p_none, "" },
	{ "expect", CMD_EXPECT_REGS, true, p_expect_regs, "x<N>=<value> ..." },
	{ "expect nested", CMD_EXPECT_NESTED, true, p_expect_regs,
	  "x<N>=<value> ..." },
	{ "expect mem", CMD_EXPECT_MEM, true, p_expect_mem, "<addr> <hex bytes>" },
	{ "expect page", CMD_EXPECT_PAGE, true, p_expect_page,
	  "<addr> [<count>] <state>" },
	{ "expect spmc calls", CMD_EXPECT_SPMC_CALLS, true, p_expect_calls,
	  "<function> <n>" },
	{ "expect smcs", CMD_EXPECT_SMCS, true, p_expect_smcs, "<n>" },
	{ "expect spmc version", CMD_EXPECT_SPMC_VERSION, true, p_version,
	  "<version>" },
	{ "expect log", CMD_EXPECT_LOG, true, p_expect_log, "<substring>" },
	{ "expect no log", CMD_EXPECT_NO_LOG, true, p_none, "" },
	{ "expect npi", CMD_EXPECT_NPI, true, p_expect_npi,
	  "none|calls <n>|<vm> [vcpus=<v>[,<v>...]]" },
	{ "expect version", CMD_EXPECT_VERSION, true, p_expect_version,
	  "[ep=<id>] <version> [locked|unlocked]" },
	{ "expect ffa", CMD_EXPECT_FFA, true, p_expect_ffa, "disabled|enabled" },
};

/* How many leading tokens the words of `d` match (0: no match). */
static unsigned match(const struct cmd_def *d, char **tok, unsigned n)
{
	const char *w = d->words;
	unsigned i = 0;

	while (*w) {
		size_t len = strcspn(w, " ");

		if (i == n || strlen(tok[i]) != len || strncmp(tok[i], w, len))
			return 0;
		i++;
		w += len;
		while (*w == ' ')
			w++;
	}
	return i;
}

static void parse_line(struct parser *p, struct sim_script *s, char *line)
{
	char *tok[MAX_TOKENS];
	unsigned n = 0, best_len = 0, i;
	const struct cmd_def *best = NULL;
	struct sim_cmd c;
	char *save = NULL, *t, *hash = strchr(line, '#');

	if (hash)
		*hash = 0;
	for (t = strtok_r(line, " \t\r\n", &save); t;
	     t = strtok_r(NULL, " \t\r\n", &save)) {
		if (n == MAX_TOKENS) {
			perr(p, "line too long (more than %d words)", MAX_TOKENS);
			return;
		}
		tok[n++] = t;
	}
	if (!n)
		return;
	for (i = 0; i < sizeof(defs) / sizeof(defs[0]); i++) {
		unsigned m = match(&defs[i], tok, n);

		if (m > best_len) {
			best_len = m;
			best = &defs[i];
		}
	}
	if (!best) {
		perr(p, "unknown command '%s'", tok[0]);
		return;
	}
	if (!best->action && p->seen_action) {
		perr(p, "'%s': configuration after the first action (the world "
			"is built at the first action; move it up)", best->words);
		return;
	}
	memset(&c, 0, sizeof(c));
	c.kind = best->kind;
	c.line = p->line;
	if (!best->parse(p, &c, tok + best_len, n - best_len)) {
		size_t l = strlen(p->msg);

		snprintf(p->msg + l, sizeof(p->msg) - l, " (usage: %s %s)",
			 best->words, best->usage);
		free(c.bytes);
		free(c.text);
		if (c.desc)
			free(c.desc->ranges);
		free(c.desc);
		return;
	}
	if (best->action)
		p->seen_action = true;
	if (s->count == s->cap) {
		unsigned cap = s->cap ? 2 * s->cap : 64;
		struct sim_cmd *nc = realloc(s->cmds, cap * sizeof(*nc));

		if (!nc) {
			perr(p, "out of memory");
			free(c.bytes);
			free(c.text);
			if (c.desc)
				free(c.desc->ranges);
			free(c.desc);
			return;
		}
		s->cmds = nc;
		s->cap = cap;
	}
	s->cmds[s->count++] = c;
}

unsigned sim_parse_file(const char *path, struct sim_script *out, FILE *err)
{
	struct parser *p = calloc(1, sizeof(*p));
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	unsigned errors;

	memset(out, 0, sizeof(*out));
	out->path = path;
	if (!p || !f) {
		fprintf(err, "%s: cannot open\n", path);
		if (f)
			fclose(f);
		free(p);
		return 1;
	}
	p->path = path;
	while (getline(&line, &cap, f) >= 0) {
		p->line++;
		p->msg[0] = 0;
		parse_line(p, out, line);
		if (p->msg[0]) {
			fprintf(err, "%s:%u: %s\n", path, p->line, p->msg);
			p->errors++;
		}
	}
	free(line);
	fclose(f);
	errors = p->errors;
	free(p);
	return errors;
}

void sim_script_free(struct sim_script *s)
{
	unsigned i;

	for (i = 0; i < s->count; i++) {
		free(s->cmds[i].bytes);
		free(s->cmds[i].text);
		if (s->cmds[i].desc)
			free(s->cmds[i].desc->ranges);
		free(s->cmds[i].desc);
	}
	free(s->cmds);
	memset(s, 0, sizeof(*s));
}
