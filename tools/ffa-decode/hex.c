/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/* Hex input for ffa-decode; see decode.h. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/ffa-decode/decode.h"

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* A leading offset column: 4..16 hex digits then ':' (xxd) or two
 * blanks (hexdump -C, od -A x style), followed by more data. */
static size_t offset_column(const char *s, size_t n, bool *xxd)
{
	size_t i = 0;

	while (i < n && hexval((unsigned char)s[i]) >= 0)
		i++;
	if (i < 4 || i > 16 || i >= n)
		return 0;
	if (s[i] == ':') {
		*xxd = true;
		return i + 1;
	}
	/* hexdump -C only: its ASCII column tells it from plain hex in
	 * blank-separated groups */
	if (i + 1 < n && s[i] == ' ' && s[i + 1] == ' ' && memchr(s, '|', n)) {
		*xxd = false;
		return i + 2;
	}
	return 0;
}

/* One line into `b`: returns false with `why` set on a bad character. */
static bool hex_line(const char *s, size_t n, unsigned lineno, struct bytes *b,
		     int *half, bool *dump, char *why, size_t wsize)
{
	bool xxd = false;
	size_t i = offset_column(s, n, &xxd), end = n, k;
	const char *bar;

	if (i)
		*dump = true;
	/* a dump's last line is its length alone; '*' folds repeated lines */
	for (k = 0; k < n && isspace((unsigned char)s[k]); k++)
		;
	if (*dump && k < n && s[k] == '*') {
		snprintf(why, wsize,
			 "line %u: '*' (repeated lines folded): dump with hexdump -v",
			 lineno);
		return false;
	}
	if (*dump && !i) {
		size_t d = k;

		while (d < n && hexval((unsigned char)s[d]) >= 0)
			d++;
		while (d < n && isspace((unsigned char)s[d]))
			d++;
		if (d == n)
			return true;
	}

	/* hexdump -C: the ASCII column sits between '|'s; xxd's after two
	 * blanks past the hex groups */
	bar = memchr(s, '|', n);
	if (bar && i)
		end = (size_t)(bar - s);
	else if (xxd) {
		const char *two = NULL;

		for (k = i + 1; k + 1 < n; k++)
			if (s[k] == ' ' && s[k + 1] == ' ') {
				two = s + k;
				break;
			}
		if (two)
			end = (size_t)(two - s);
	}
	for (; i < end; i++) {
		int c = (unsigned char)s[i], v;

		if (isspace(c) || c == ',' || c == ':' || c == '-')
			continue;
		if (c == '0' && i + 1 < end && (s[i + 1] == 'x' || s[i + 1] == 'X') &&
		    *half < 0) {
			i++;
			continue;
		}
		if (c == '#')
			break;
		v = hexval(c);
		if (v < 0) {
			snprintf(why, wsize,
				 "not hex: '%c' at line %u column %zu", c,
				 lineno, i + 1);
			return false;
		}
		if (*half < 0) {
			*half = v;
			continue;
		}
		if (b->len == sizeof(b->buf)) {
			snprintf(why, wsize, "input longer than %zu bytes",
				 sizeof(b->buf));
			return false;
		}
		b->buf[b->len++] = (uint8_t)(*half << 4 | v);
		*half = -1;
	}
	return true;
}

bool hex_parse(const char *text, size_t n, struct bytes *b, char *why,
	       size_t wsize)
{
	size_t start = 0;
	unsigned lineno = 1;
	int half = -1;
	bool dump = false;

	b->len = 0;
	while (start < n) {
		const char *nl = memchr(text + start, '\n', n - start);
		size_t len = nl ? (size_t)(nl - text) - start : n - start;

		if (!hex_line(text + start, len, lineno, b, &half, &dump, why,
			      wsize))
			return false;
		start += len + 1;
		lineno++;
	}
	if (half >= 0) {
		snprintf(why, wsize, "odd number of hex digits");
		return false;
	}
	if (!b->len) {
		snprintf(why, wsize, "no bytes in the input");
		return false;
	}
	return true;
}

bool hex_input(int argc, char **argv, struct bytes *b, char *why, size_t wsize)
{
	static char text[4 * sizeof(b->buf) + 4096];
	size_t n = 0;
	FILE *f = NULL;

	if (argc == 1 && (!strcmp(argv[0], "-") || argv[0][0] == '@')) {
		const char *path = argv[0][0] == '@' ? argv[0] + 1 : NULL;

		f = path ? fopen(path, "r") : stdin;
		if (!f) {
			snprintf(why, wsize, "%s: %s", path, strerror(errno));
			return false;
		}
		n = fread(text, 1, sizeof(text), f);
		if (n == sizeof(text)) {
			snprintf(why, wsize, "input longer than %zu characters",
				 sizeof(text) - 1);
			if (path)
				fclose(f);
			return false;
		}
		if (path)
			fclose(f);
	} else {
		for (int i = 0; i < argc; i++) {
			size_t l = strlen(argv[i]);

			if (n + l + 1 >= sizeof(text)) {
				snprintf(why, wsize, "input too long");
				return false;
			}
			memcpy(text + n, argv[i], l);
			n += l;
			text[n++] = ' ';
		}
	}
	if (!argc) {
		snprintf(why, wsize, "no input (HEX, @FILE or - for stdin)");
		return false;
	}
	return hex_parse(text, n, b, why, wsize);
}
