/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * ffa-decode mem, partinfo, rxtx-desc, msg2: descriptors printed field by
 * field from the raw bytes (bounds-checked, so a broken one still shows),
 * then the verdict of the core's own codec (mem.h, partinfo.h,
 * rxtx_desc.h, msg2.h): the reason and status the proxy would log.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ffaproxy/mem.h>
#include <ffaproxy/msg2.h>
#include <ffaproxy/partinfo.h>
#include <ffaproxy/rxtx_desc.h>

#include "tools/ffa-decode/decode.h"
#include "tools/ffa-sim/trace.h"

/* Constituents shown before the rest are summed up. */
#define SHOW_MAX 64u

struct opts {
	uint32_t version;
	bool have_version;
	uint32_t type; /* FFA_MEM_TXN_* */
	bool retrieve_resp;
	uint32_t granule;
	uint64_t total; /* 0: the input's length */
	uint32_t size;  /* partinfo descriptor size; 0: the version's */
	int argc;
	char **argv;
};

static uint64_t num_arg(const char *opt, const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 0);

	if (end == s || *end || s[0] == '-')
		usage_error("%s: not a number: '%s'", opt, s);
	return v;
}

/* Options may come before or after the operands (hex never starts with
 * "--"); the operands are moved to the front of argv. */
static void parse_opts(const char *cmd, int argc, char **argv, struct opts *o)
{
	int i = 0, n = 0;

	*o = (struct opts){ FFA_VERSION_1_2, false, FFA_MEM_TXN_SHARE, false,
			    FFA_PAGE_SIZE, 0, 0, 0, NULL };
	while (i < argc) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strncmp(a, "--", 2)) {
			argv[n++] = argv[i++];
			continue;
		}
		if (!strcmp(a, "--retrieve-resp")) {
			o->retrieve_resp = true;
			i++;
			continue;
		}
		if (!v)
			usage_error("%s: %s needs a value", cmd, a);
		if (!strcmp(a, "--version")) {
			o->version = parse_version(v);
			o->have_version = true;
		} else if (!strcmp(a, "--type")) {
			if (!strcmp(v, "share"))
				o->type = FFA_MEM_TXN_SHARE;
			else if (!strcmp(v, "lend"))
				o->type = FFA_MEM_TXN_LEND;
			else if (!strcmp(v, "donate"))
				o->type = FFA_MEM_TXN_DONATE;
			else
				usage_error("%s: --type share, lend or donate", cmd);
		} else if (!strcmp(a, "--granule")) {
			if (!strcmp(v, "4K"))
				o->granule = 4096;
			else if (!strcmp(v, "16K"))
				o->granule = 16384;
			else if (!strcmp(v, "64K"))
				o->granule = 65536;
			else
				usage_error("%s: --granule 4K, 16K or 64K", cmd);
		} else if (!strcmp(a, "--total")) {
			o->total = num_arg(a, v);
		} else if (!strcmp(a, "--size")) {
			o->size = (uint32_t)num_arg(a, v);
		} else {
			usage_error("%s: unknown option '%s'", cmd, a);
		}
		i += 2;
	}
	o->argc = n;
	o->argv = argv;
}

static void input(const char *cmd, const struct opts *o, struct bytes *b)
{
	char why[160];

	if (!hex_input(o->argc, o->argv, b, why, sizeof(why)))
		usage_error("%s: %s", cmd, why);
}

static const char *vtext(uint32_t v)
{
	static char buf[16];

	trace_version(buf, sizeof(buf), v);
	return buf;
}

/* The status and reason as the log hook gets them. */
static void refuse_err(int32_t status, const char *why, uint64_t value)
{
	char st[16];

	refuse("FFA_ERROR %s: %s (value 0x%" PRIx64 ")",
	       trace_status(st, sizeof(st), status), why ? why : "?", value);
}

static void show_hex(const char *label, const uint8_t *p, size_t n)
{
	printf("  %-26s", label);
	for (size_t i = 0; i < n; i++)
		printf("%02x", p[i]);
	printf("\n");
}

static bool zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static void reserved(const char *what, uint32_t off, const uint8_t *p, size_t n)
{
	if (zero(p, n))
		return;
	printf("  %-26s", what);
	for (size_t i = 0; i < n; i++)
		printf("%02x", p[i]);
	printf("  (at %" PRIu32 ", MBZ)\n", off);
}

/* ---- mem ---- */

/* Bit 6 is NS from FF-A 1.1 on (ffa-facts section 5); in the 1.0 byte
 * it is reserved like bit 7, as the core's attr_undefined_bits says. */
static const char *attr_text(char *buf, size_t size, uint32_t a, uint32_t v)
{
	uint32_t defined = v >= FFA_VERSION_1_1 ? 0x7fu : 0x3fu;

	static const char *const share[] = { "non-shareable", "reserved",
					     "outer shareable", "inner shareable" };
	static const char *const cache[] = { "reserved", "non-cacheable",
					     "reserved", "write-back" };
	static const char *const dev[] = { "nGnRnE", "nGnRE", "nGRE", "GRE" };
	uint32_t type = (a & FFA_MEM_ATTR_TYPE_MASK) >> FFA_MEM_ATTR_TYPE_SHIFT;
	uint32_t c = (a & FFA_MEM_ATTR_CACHE_MASK) >> FFA_MEM_ATTR_CACHE_SHIFT;

	if (type == 0)
		snprintf(buf, size, "unspecified");
	else if (type == 1)
		snprintf(buf, size, "device %s", dev[c]);
	else if (type == 2)
		snprintf(buf, size, "normal %s %s", cache[c],
			 share[a & FFA_MEM_ATTR_SHARE_MASK]);
	else
		snprintf(buf, size, "reserved type 3");
	if ((a & FFA_MEM_ATTR_NS) && (defined & FFA_MEM_ATTR_NS))
		snprintf(buf + strlen(buf), size - strlen(buf), ", NS");
	if (a & ~defined)
		snprintf(buf + strlen(buf), size - strlen(buf),
			 ", reserved bits 0x%x", a & ~defined);
	return buf;
}

static const char *perm_text(char *buf, size_t size, uint8_t p)
{
	static const char *const data[] = { "data unspecified", "RO", "RW",
					    "data reserved" };
	static const char *const ins[] = { "instruction unspecified", "NX", "X",
					   "instruction reserved" };

	snprintf(buf, size, "%s, %s%s", data[p & FFA_MEM_PERM_DATA_MASK],
		 ins[(p & FFA_MEM_PERM_INSTR_MASK) >> FFA_MEM_PERM_INSTR_SHIFT],
		 p & 0xf0 ? ", reserved bits set" : "");
	return buf;
}

static const char *type_name(uint32_t t)
{
	return t == FFA_MEM_TXN_SHARE ? "share"
	       : t == FFA_MEM_TXN_LEND ? "lend"
	       : t == FFA_MEM_TXN_DONATE ? "donate"
					 : "reserved (0)";
}

/* The layout the bytes most likely have, when --version is not given:
 * a 1.1+ header says EMAD size 16 or 32 and an EMAD offset >= 48. */
static uint32_t guess_layout(const struct bytes *b)
{
	uint32_t size, off;

	if (b->len < FFA_MEM_HEADER_SIZE_V1_1)
		return FFA_VERSION_1_0;
	size = ffa_get32(b->buf + 24);
	off = ffa_get32(b->buf + 32);
	if ((size == 16 || size == 32) && off >= 48 && off % 16 == 0)
		return size == 32 ? FFA_VERSION_1_2 : FFA_VERSION_1_1;
	return FFA_VERSION_1_0;
}

/* The length the descriptor's own fields give (composite offset of the
 * first EMAD + 16 + 16 * range count), or 0 when the bytes do not hold
 * them. */
static uint64_t mem_own_length(const struct bytes *b, uint32_t v)
{
	uint64_t emad = v >= FFA_VERSION_1_1 ? 32 : 28, comp;

	if (b->len < emad + 4 + (v >= FFA_VERSION_1_1 ? 4 : 0))
		return 0;
	emad = v >= FFA_VERSION_1_1 ? ffa_get32(b->buf + 32) : 32;
	if (emad + 8 > b->len)
		return 0;
	comp = ffa_get32(b->buf + emad + 4);
	if (comp + FFA_MEM_COMPOSITE_SIZE > b->len)
		return 0;
	return comp + FFA_MEM_COMPOSITE_SIZE +
	       (uint64_t)ffa_get32(b->buf + comp + 4) * FFA_MEM_CONSTITUENT_SIZE;
}

/* Field by field, as far as the bytes go. */
static void mem_dump(const struct bytes *b, const struct opts *o, uint32_t v)
{
	const uint8_t *p = b->buf;
	size_t len = b->len;
	uint32_t hdr = v >= FFA_VERSION_1_1 ? 48 : 32, emad_size, count, off;
	uint32_t comp = 0, ranges = 0, i, flags;
	bool v11 = v >= FFA_VERSION_1_1;
	char t[96];

	if (len < hdr) {
		printf("header: %zu of its %" PRIu32 " bytes present (truncated "
		       "input: a first fragment holds the header, the EMADs "
		       "and the composite header)\n",
		       len, hdr);
		return;
	}
	printf("header (%" PRIu32 " bytes):\n", hdr);
	printf("  %-26s%s\n", "sender id", id_text(t, sizeof(t), ffa_get16(p)));
	{
		uint32_t a = v11 ? ffa_get16(p + 2) : p[2];

		printf("  %-26s0x%02" PRIx32 " (%s)\n", "memory region attributes",
		       a, attr_text(t, sizeof(t), a, v));
		if (!v11)
			reserved("reserved", 3, p + 3, 1);
	}
	flags = ffa_get32(p + 4);
	printf("  %-26s0x%08" PRIx32, "flags", flags);
	if (o->retrieve_resp)
		printf(" (%szeroed before retrieval, transaction type %s)",
		       flags & FFA_MEM_FLAG_ZERO ? "" : "not ",
		       type_name((flags & FFA_MEM_RETRIEVE_FLAG_TYPE_MASK) >>
				 FFA_MEM_RETRIEVE_FLAG_TYPE_SHIFT));
	else if (flags & (FFA_MEM_FLAG_ZERO | FFA_MEM_FLAG_TIME_SLICE))
		printf(" (%s%s%s)", flags & FFA_MEM_FLAG_ZERO ? "zero memory" : "",
		       (flags & 3) == 3 ? ", " : "",
		       flags & FFA_MEM_FLAG_TIME_SLICE ? "time slicing" : "");
	printf("\n");
	printf("  %-26s0x%016" PRIx64 "%s\n", "handle", ffa_get64(p + 8),
	       !ffa_get64(p + 8)          ? ""
	       : !~ffa_get64(p + 8)       ? " (all-ones: invalid)"
	       : ffa_get64(p + 8) >> 63   ? " (allocated by the hypervisor)"
					  : " (allocated by the SPMC)");
	printf("  %-26s0x%" PRIx64 "\n", "tag", ffa_get64(p + 16));
	if (v11) {
		emad_size = ffa_get32(p + 24);
		count = ffa_get32(p + 28);
		off = ffa_get32(p + 32);
		printf("  %-26s%" PRIu32 "\n", "EMAD size", emad_size);
		printf("  %-26s%" PRIu32 "\n", "EMAD count", count);
		printf("  %-26s%" PRIu32 "\n", "EMAD offset", off);
		reserved("reserved", 36, p + 36, 12);
	} else {
		emad_size = FFA_MEM_EMAD_SIZE_V1_0;
		reserved("reserved", 24, p + 24, 4);
		count = ffa_get32(p + 28);
		off = 32;
		printf("  %-26s%" PRIu32 "\n", "EMAD count", count);
	}
	if (emad_size != 16 && emad_size != 32) {
		printf("(EMAD size %" PRIu32 ": EMADs not shown)\n", emad_size);
		return;
	}
	for (i = 0; i < count && i < FFA_MEM_MAX_RECEIVERS * 2; i++) {
		uint64_t at = (uint64_t)off + (uint64_t)i * emad_size;
		const uint8_t *e = p + at;

		if (at + emad_size > len) {
			printf("EMAD %" PRIu32 ": not in the %zu bytes present\n", i,
			       len);
			break;
		}
		printf("EMAD %" PRIu32 " (at %" PRIu64 "):\n", i, at);
		printf("  %-26s%s\n", "endpoint id",
		       id_text(t, sizeof(t), ffa_get16(e)));
		printf("  %-26s0x%02x (%s)\n", "permissions", e[2],
		       perm_text(t, sizeof(t), e[2]));
		printf("  %-26s0x%02x%s\n", "flags", e[3],
		       o->retrieve_resp && (e[3] & 1) ? " (non-retrieval borrower)"
						      : "");
		printf("  %-26s%" PRIu32 "\n", "composite offset",
		       ffa_get32(e + 4));
		if (i == 0)
			comp = ffa_get32(e + 4);
		if (emad_size == 32) {
			if (!zero(e + 8, 16))
				show_hex("IMPDEF value", e + 8, 16);
			reserved("reserved", (uint32_t)at + 24, e + 24, 8);
		} else {
			reserved("reserved", (uint32_t)at + 8, e + 8, 8);
		}
	}
	if (i < count && i == FFA_MEM_MAX_RECEIVERS * 2)
		printf("(%" PRIu32 " more EMADs not shown)\n", count - i);
	if (!comp || (uint64_t)comp + FFA_MEM_COMPOSITE_SIZE > len) {
		if (comp)
			printf("composite (at %" PRIu32 "): not in the %zu bytes "
			       "present\n",
			       comp, len);
		return;
	}
	ranges = ffa_get32(p + comp + 4);
	printf("composite (at %" PRIu32 "):\n", comp);
	printf("  %-26s%" PRIu32 "\n", "total page count", ffa_get32(p + comp));
	printf("  %-26s%" PRIu32 "\n", "address range count", ranges);
	reserved("reserved", comp + 8, p + comp + 8, 8);
	for (i = 0; i < ranges; i++) {
		uint64_t at = (uint64_t)comp + 16 + (uint64_t)i * 16;
		const uint8_t *c = p + at;

		if (at + 16 > len) {
			printf("constituents %" PRIu32 "..%" PRIu32
			       ": not in this fragment\n",
			       i, ranges - 1);
			break;
		}
		if (i == SHOW_MAX) {
			printf("(constituents %" PRIu32 "..: not shown)\n", i);
			break;
		}
		printf("constituent %-3" PRIu32 " base 0x%016" PRIx64
		       " pages %-6" PRIu32 " (%" PRIu64 " KiB)",
		       i, ffa_get64(c), ffa_get32(c + 8),
		       (uint64_t)ffa_get32(c + 8) * 4);
		if (ffa_get32(c + 12))
			printf(" reserved 0x%08" PRIx32 " (MBZ)", ffa_get32(c + 12));
		printf("\n");
	}
}

int cmd_mem(int argc, char **argv)
{
	static struct bytes b;
	struct opts o;
	struct ffa_mem_txn t;
	struct ffa_mem_error err = { 0, NULL, 0 };
	uint32_t v, frag, total;
	uint64_t own;
	int st;

	parse_opts("mem", argc, argv, &o);
	input("mem", &o, &b);
	v = o.have_version ? o.version : guess_layout(&b);
	if (o.total && o.total < b.len)
		usage_error("mem: --total %" PRIu64 " below the %zu bytes given",
			    o.total, b.len);
	if (b.len > UINT32_MAX || o.total > UINT32_MAX)
		usage_error("mem: lengths above 32 bits");
	frag = (uint32_t)b.len;
	total = o.total ? (uint32_t)o.total : frag;
	/* Bytes that stop short of the descriptor's own length: a first
	 * fragment (or a cut paste), decoded as one. */
	own = mem_own_length(&b, v);
	if (!o.total && own > frag && own <= UINT32_MAX)
		total = (uint32_t)own;
	printf("%s descriptor, FF-A %s layout%s, %" PRIu32 " bytes",
	       o.retrieve_resp ? "FFA_MEM_RETRIEVE_RESP" : "memory transaction",
	       vtext(v), o.have_version ? "" : " (guessed: --version to choose)",
	       frag);
	if (frag < total)
		printf(": a first fragment of %" PRIu32 "%s; the rest comes with "
		       "FFA_MEM_FRAG_%s",
		       total,
		       o.total ? "" : " (truncated input: the length its "
				      "composite gives; --total to set)",
		       o.retrieve_resp ? "RX" : "TX");
	printf("\n");
	mem_dump(&b, &o, v);

	/* The verdict, in the proxy's order (src/mem.c): the codec's parse,
	 * receivers that are partitions, constituents (granule, wrap, page
	 * sum, overlaps). Not here: sender == caller, page ownership. */
	if (o.retrieve_resp)
		st = ffa_mem_parse_retrieve_resp(v, b.buf, frag, total, &t, &err);
	else
		st = ffa_mem_parse(v, o.type, b.buf, frag, total, &t, &err);
	if (!st && !o.retrieve_resp)
		st = ffa_mem_receivers_secure(&t, &err);
	if (!st) {
		struct ffa_mem_cons_sum sum = { 0, 0, true };
		uint32_t n = t.constituents_in_fragment;
		uint8_t *copy = malloc((size_t)n * FFA_MEM_CONSTITUENT_SIZE + 16);

		if (!copy)
			usage_error("out of memory");
		st = ffa_mem_copy_constituents(b.buf + t.constituents_offset, n,
					       o.granule, copy, NULL, &sum, &err);
		if (!st && (sum.pages > t.total_pages ||
			    (frag == total && sum.pages != t.total_pages)))
			st = (err = (struct ffa_mem_error){
				      FFA_INVALID_PARAMETERS,
				      "constituent pages do not add up to the "
				      "composite's total page count",
				      sum.pages })
				     .status;
		if (!st && !sum.ascending) {
			struct ffa_mem_range *r = malloc((size_t)n * sizeof(*r) + 1);

			if (!r)
				usage_error("out of memory");
			ffa_mem_ranges_load(copy, n, r);
			st = ffa_mem_ranges_overlap(r, n, &err);
			free(r);
		}
		free(copy);
		if (!st && frag < total)
			printf("verdict: first fragment accepted (%" PRIu32
			       " of %" PRIu32 " constituents here, %" PRIu64
			       " of %" PRIu32 " pages)\n",
			       n, t.range_count, sum.pages, t.total_pages);
		else if (!st)
			printf("verdict: accepted (%" PRIu32 " receiver%s, %" PRIu32
			       " constituent%s, %" PRIu32 " pages, granule %" PRIu32
			       " KiB); not checked here: %s\n",
			       t.receiver_count, t.receiver_count == 1 ? "" : "s",
			       t.range_count, t.range_count == 1 ? "" : "s",
			       t.total_pages, o.granule / 1024,
			       o.retrieve_resp
				       ? "that it answers the caller's request"
				       : "sender is the caller, page ownership");
	}
	if (st)
		refuse_err(err.status, err.why, err.value);
	return 0;
}

/* ---- partinfo ---- */

static void props_text(uint32_t p)
{
	static const char *const names[] = {
		[0] = "direct-req-recv", [1] = "direct-req-send",
		[2] = "indirect-msg",    [3] = "notifications",
		[6] = "vm-created",      [7] = "vm-destroyed",
		[8] = "aarch64",         [9] = "direct-req2-recv",
		[10] = "direct-req2-send",
	};
	static const char *const idtype[] = { "PE endpoint", "SEPID independent",
					      "SEPID dependent", "auxiliary" };
	const char *sep = " (";

	printf("0x%08" PRIx32, p);
	for (unsigned i = 0; i < 11; i++)
		if ((p >> i & 1) && names[i]) {
			printf("%s%s", sep, names[i]);
			sep = ", ";
		}
	if ((p >> 4) & 3) {
		printf("%sid type: %s", sep, idtype[(p >> 4) & 3]);
		sep = ", ";
	}
	if (*sep == ',')
		printf(")");
	printf("\n");
}

int cmd_partinfo(int argc, char **argv)
{
	static struct bytes b;
	struct opts o;
	struct ffa_partinfo_error err;
	struct ffa_partinfo pi;
	uint32_t size, count, i, len, refused = 0, idtype;
	char tmp[48];

	parse_opts("partinfo", argc, argv, &o);
	if (!o.have_version)
		usage_error("partinfo: --version 1.0|1.1|1.2 is needed (it "
			    "sets the descriptor size and the properties)");
	input("partinfo", &o, &b);
	if (b.len > UINT32_MAX)
		usage_error("partinfo: input too long");
	len = (uint32_t)b.len;
	size = o.size ? o.size : ffa_partinfo_size(o.version);
	if (!size)
		usage_error("partinfo: FF-A %s has no known descriptor size; "
			    "give --size",
			    vtext(o.version));
	count = len / size;
	printf("partition information, FF-A %s, %" PRIu32 "-byte descriptors, "
	       "%" PRIu32 " present\n",
	       vtext(o.version), size, count);
	if (len % size)
		warn("%" PRIu32 " trailing bytes: not a whole descriptor",
		     len % size);
	if (ffa_partinfo_check(o.version, count, size, len, &err)) {
		refuse_err(err.status, err.why, err.value);
		return 0;
	}
	for (i = 0; i < count; i++) {
		const uint8_t *d = b.buf + (size_t)i * size;
		uint32_t props = ffa_get32(d + 4);
		uint32_t bad = props & ~ffa_partinfo_props_valid(o.version, props);

		printf("descriptor %" PRIu32 ":\n", i);
		printf("  %-26s%s\n", "partition id",
		       id_text(tmp, sizeof(tmp), ffa_get16(d)));
		/* Bytes 2..3 by the id type, bits[5:4] (1.1+; 1.0 has
		 * only PE endpoints): execution context count for a PE
		 * endpoint, proxy endpoint id for a dependent peripheral's
		 * SEPID, else MBZ (DEN0077A 1.1 Table 13.37, as the arm-ffa
		 * crate's exec_ctx_count_or_proxy_id). */
		idtype = o.version >= FFA_VERSION_1_1 ? (props >> 4) & 3 : 0;
		if (idtype == 0)
			printf("  %-26s%" PRIu16 "\n", "execution context count",
			       ffa_get16(d + 2));
		else if (idtype == 2)
			printf("  %-26s%s\n", "proxy endpoint id",
			       id_text(tmp, sizeof(tmp), ffa_get16(d + 2)));
		else
			printf("  %-26s0x%04" PRIx16 " (MBZ for this id type)\n",
			       "reserved", ffa_get16(d + 2));
		printf("  %-26s", "properties");
		props_text(props);
		if (size >= FFA_PARTITION_INFO_SIZE_V1_1)
			printf("  %-26s%s\n", "UUID", uuid_text(tmp, sizeof(tmp), d + 8));
		if (size > FFA_PARTITION_INFO_SIZE_V1_1 && !zero(d + 24, size - 24))
			printf("  (%" PRIu32 " more bytes, past the 1.1 layout)\n",
			       size - 24);
		if ((idtype == 1 || idtype == 3) && ffa_get16(d + 2))
			warn("descriptor %" PRIu32 ": bytes 2..3 = 0x%04" PRIx16
			     ": reserved for this id type (MBZ)",
			     i, ffa_get16(d + 2));
		if (bad)
			warn("descriptor %" PRIu32 ": properties bits 0x%" PRIx32
			     " not defined for this id type in FF-A %s (the proxy "
			     "drops them)",
			     i, bad, vtext(o.version));
		if (ffa_partinfo_parse(o.version, b.buf, len, size, i, &pi, &err)) {
			refuse_err(err.status, err.why, err.value);
			refused++;
		}
	}
	if (!count)
		printf("(no descriptor)\n");
	else if (!refused)
		printf("verdict: accepted (%" PRIu32 " descriptor%s)\n", count,
		       count == 1 ? "" : "s");
	return 0;
}

/* ---- rxtx-desc ---- */

static void rxtx_composite(const struct bytes *b, const char *which,
			   uint32_t off)
{
	const uint8_t *p = b->buf;
	uint32_t n, i;

	if ((uint64_t)off + FFA_MEM_COMPOSITE_SIZE > b->len) {
		printf("%s composite (at %" PRIu32 "): not in the %zu bytes\n",
		       which, off, b->len);
		return;
	}
	n = ffa_get32(p + off + 4);
	printf("%s composite (at %" PRIu32 "):\n", which, off);
	printf("  %-26s%" PRIu32 "\n", "total page count", ffa_get32(p + off));
	printf("  %-26s%" PRIu32 "\n", "address range count", n);
	reserved("reserved", off + 8, p + off + 8, 8);
	for (i = 0; i < n && i < SHOW_MAX; i++) {
		uint64_t at = (uint64_t)off + 16 + (uint64_t)i * 16;

		if (at + 16 > b->len) {
			printf("  constituents %" PRIu32 "..: not in the bytes\n", i);
			return;
		}
		printf("  constituent %-3" PRIu32 " base 0x%016" PRIx64
		       " pages %" PRIu32 "%s\n",
		       i, ffa_get64(p + at), ffa_get32(p + at + 8),
		       ffa_get32(p + at + 12) ? " reserved nonzero (MBZ)" : "");
	}
}

int cmd_rxtx_desc(int argc, char **argv)
{
	static struct bytes b;
	struct opts o;
	struct ffa_rxtx_desc d;
	struct ffa_mem_error err;
	char tmp[48];

	parse_opts("rxtx-desc", argc, argv, &o);
	input("rxtx-desc", &o, &b);
	if (b.len > UINT32_MAX)
		usage_error("rxtx-desc: input too long");
	printf("endpoint RX/TX descriptor, FF-A %s, %zu bytes\n",
	       vtext(o.version), b.len);
	if (o.version < FFA_VERSION_1_1 && b.len >= 12) {
		/* FF-A 1.0 (FF-A-1.0-REL, as Xen's
		 * ffa_endpoint_rxtx_descriptor_1_0): bytes 4 and 8 count
		 * the RX and TX address ranges; offsets came with 1.1. */
		printf("  %-26s%s\n", "endpoint id",
		       id_text(tmp, sizeof(tmp), ffa_get16(b.buf)));
		reserved("reserved", 2, b.buf + 2, 2);
		printf("  %-26s%" PRIu32 "\n", "RX address range count",
		       ffa_get32(b.buf + 4));
		printf("  %-26s%" PRIu32 "\n", "TX address range count",
		       ffa_get32(b.buf + 8));
		printf("(FF-A 1.0 layout: the address ranges after the counts "
		       "are not decoded)\n");
	} else if (b.len >= FFA_RXTX_DESC_HEADER_SIZE) {
		printf("  %-26s%s\n", "endpoint id",
		       id_text(tmp, sizeof(tmp), ffa_get16(b.buf)));
		reserved("reserved", 2, b.buf + 2, 2);
		printf("  %-26s%" PRIu32 "\n", "RX composite offset",
		       ffa_get32(b.buf + 4));
		printf("  %-26s%" PRIu32 "\n", "TX composite offset",
		       ffa_get32(b.buf + 8));
		reserved("reserved", 12, b.buf + 12, 4);
		rxtx_composite(&b, "RX", ffa_get32(b.buf + 4));
		rxtx_composite(&b, "TX", ffa_get32(b.buf + 8));
	} else {
		printf("header: %zu of its 16 bytes present\n", b.len);
	}
	if (ffa_rxtx_desc_parse(o.version, b.buf, (uint32_t)b.len, &d, &err))
		refuse_err(err.status, err.why, err.value);
	else
		printf("verdict: accepted (endpoint 0x%04x, %" PRIu32
		       " page%s each); not checked here: page ownership, "
		       "granule, size limit\n",
		       d.endpoint, d.rx.pages, d.rx.pages == 1 ? "" : "s");
	return 0;
}

/* ---- msg2 ---- */

int cmd_msg2(int argc, char **argv)
{
	static struct bytes b;
	struct opts o;
	struct ffa_msg2 m;
	struct ffa_mem_error err;
	uint32_t hs;
	const uint8_t *p;
	char tmp[48];

	parse_opts("msg2", argc, argv, &o);
	input("msg2", &o, &b);
	if (b.len > UINT32_MAX)
		usage_error("msg2: input too long");
	p = b.buf;
	hs = ffa_msg2_header_size(o.version);
	printf("FFA_MSG_SEND2 partition message header, FF-A %s, %zu bytes\n",
	       vtext(o.version), b.len);
	if (hs && b.len >= hs) {
		uint32_t ids = ffa_get32(p + 12), off = ffa_get32(p + 8);
		uint32_t size = ffa_get32(p + 16);

		printf("  %-26s0x%08" PRIx32 "\n", "flags", ffa_get32(p));
		reserved("reserved", 4, p + 4, 4);
		printf("  %-26s%" PRIu32 "\n", "payload offset", off);
		printf("  %-26s%s\n", "sender id",
		       id_text(tmp, sizeof(tmp), (uint16_t)(ids >> 16)));
		printf("  %-26s%s\n", "receiver id",
		       id_text(tmp, sizeof(tmp), (uint16_t)ids));
		printf("  %-26s%" PRIu32 "\n", "payload size", size);
		if (hs >= FFA_MSG2_HEADER_SIZE_V1_2) {
			reserved("reserved", 20, p + 20, 4);
			printf("  %-26s%s\n", "UUID", uuid_text(tmp, sizeof(tmp), p + 24));
		}
		if (off < b.len && size) {
			size_t n = b.len - off < size ? b.len - off : size;

			show_hex(n > 32 ? "payload (first 32 bytes)" : "payload",
				 p + off, n > 32 ? 32 : n);
		}
	} else if (hs) {
		printf("header: %zu of its %" PRIu32 " bytes present\n", b.len, hs);
	}
	if (ffa_msg2_parse(o.version, b.buf, (uint32_t)b.len, &m, &err))
		refuse_err(err.status, err.why, err.value);
	else
		printf("verdict: accepted (0x%04x -> 0x%04x, %" PRIu32
		       " bytes); not checked here: sender is the caller, the "
		       "receiver's RX buffer\n",
		       m.sender, m.receiver, m.size);
	return 0;
}
