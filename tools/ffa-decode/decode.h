/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * ffa-decode: raw FF-A data (register frames, descriptors) as readable
 * text, checked with the core's own codecs. See docs/decode.md.
 * Exit status: 0 decoded and valid, 1 decoded with warnings or refused by
 * the codec, 2 usage or unparseable input.
 */
#ifndef FFADECODE_DECODE_H
#define FFADECODE_DECODE_H

#include <ffaproxy/ffa.h>

/* Input bytes, at most a large descriptor (64 pages). */
struct bytes {
	_Alignas(16) uint8_t buf[64 * 4096];
	size_t len;
};

/* Hex text (plain, xxd -p, xxd, hexdump -C; blanks, newlines, commas and
 * 0x prefixes ignored) into `b`. false with `why` set when unparseable. */
bool hex_parse(const char *text, size_t n, struct bytes *b, char *why,
	       size_t wsize);
/* The operands: hex words, or one "@FILE" or "-" (stdin). */
bool hex_input(int argc, char **argv, struct bytes *b, char *why,
	       size_t wsize);

/* What the run found: any warning or refusal makes the exit status 1. */
void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void refuse(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Usage error: message to stderr, exit 2. */
void usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

/* "1.0", "1.1", "1.2" or "1.3" to a version; usage_error otherwise. */
uint32_t parse_version(const char *s);
/* An endpoint id with what it is: "0x8001 (secure partition)". */
const char *id_text(char *buf, size_t size, uint16_t id);
/* 16 bytes as 8-4-4-4-12. */
const char *uuid_text(char *buf, size_t size, const uint8_t *u);

int cmd_regs(int argc, char **argv);
int cmd_mem(int argc, char **argv);
int cmd_partinfo(int argc, char **argv);
int cmd_rxtx_desc(int argc, char **argv);
int cmd_msg2(int argc, char **argv);

#endif /* FFADECODE_DECODE_H */
