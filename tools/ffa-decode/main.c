/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/* ffa-decode: see decode.h and docs/decode.md. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/ffa-decode/decode.h"

static unsigned n_warnings, n_refusals;

void warn(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	printf("warning: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	n_warnings++;
}

void refuse(const char *fmt, ...)
{
	va_list ap;

	printf("verdict: refused: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	n_refusals++;
}

static const char usage_text[] =
	"usage: ffa-decode regs [--version V] [--reply-to FUNC[:WHAT]] x0 [x1..x17]\n"
	"       ffa-decode mem [--version V] [--type share|lend|donate]\n"
	"                      [--retrieve-resp] [--granule 4K|16K|64K]\n"
	"                      [--total N] HEX...|@FILE|-\n"
	"       ffa-decode partinfo --version V [--size N] HEX...|@FILE|-\n"
	"       ffa-decode rxtx-desc [--version V] HEX...|@FILE|-\n"
	"       ffa-decode msg2 [--version V] HEX...|@FILE|-\n"
	"V: 1.0, 1.1, 1.2 or 1.3. Registers in hex. HEX: plain hex, xxd -p,\n"
	"xxd or hexdump -C output; blanks, newlines, commas and 0x ignored.\n"
	"Exit status: 0 valid, 1 warnings or refused, 2 usage or bad input.\n";

void usage_error(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "ffa-decode: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(2);
}

uint32_t parse_version(const char *s)
{
	static const char *const names[] = { "1.0", "1.1", "1.2", "1.3" };

	for (unsigned i = 0; i < 4; i++)
		if (!strcmp(s, names[i]) ||
		    (s[0] == 'v' && !strcmp(s + 1, names[i])))
			return FFA_MAKE_VERSION(1, i);
	usage_error("unknown version '%s' (1.0, 1.1, 1.2 or 1.3)", s);
}

const char *id_text(char *buf, size_t size, uint16_t id)
{
	snprintf(buf, size, "0x%04x (%s)", id,
		 ffa_id_is_secure(id) ? "secure partition"
		 : id == 0            ? "hypervisor or host"
				      : "VM");
	return buf;
}

const char *uuid_text(char *buf, size_t size, const uint8_t *u)
{
	snprintf(buf, size,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		 "%02x%02x%02x%02x%02x%02x",
		 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9],
		 u[10], u[11], u[12], u[13], u[14], u[15]);
	return buf;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} cmds[] = {
		{ "regs", cmd_regs },         { "mem", cmd_mem },
		{ "partinfo", cmd_partinfo }, { "rxtx-desc", cmd_rxtx_desc },
		{ "msg2", cmd_msg2 },
	};

	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		fputs(usage_text, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (strcmp(argv[1], cmds[i].name))
			continue;
		cmds[i].fn(argc - 2, argv + 2);
		fflush(stdout);
		return n_warnings || n_refusals ? 1 : 0;
	}
	fprintf(stderr, "ffa-decode: unknown command '%s'\n%s", argv[1],
		usage_text);
	return 2;
}
