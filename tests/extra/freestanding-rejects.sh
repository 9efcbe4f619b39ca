#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later
# The freestanding check (scripts/freestanding.sh) can fail: a core file
# that calls strlen or malloc, includes a libc header, or uses floating
# point must be rejected, naming the cause; a harmless extra file (a struct
# copy the compiler turns into memcpy) must still pass, so the rejections
# come from the bad code and not from the harness.
set -u
cd "$(dirname "$0")/../.."
cc=${AARCH64_CC:-aarch64-linux-gnu-gcc}
mkdir -p build
dir=$(mktemp -d build/freestanding-rejects.XXXXXX) # kept if a case fails
mkdir -p "$dir/src"
fail=0
n=0

# case NAME EXPECT(pass|"text the rejection must contain") C-SOURCE
case_() {
	# neutral file names, so only the tool's own words can match $want
	n=$((n + 1))
	local name=$1 want=$2 src="$dir/src/probe$n.c" log="$dir/probe$n.log" rc
	printf '%s\n' "$3" >"$src"
	FREESTANDING_OUT="$dir/out$n" scripts/freestanding.sh "$cc" "$src" \
		>"$log" 2>&1
	rc=$?
	if [ "$want" = pass ]; then
		if [ $rc -ne 0 ]; then
			echo "FAIL $name: rejected, should pass" >&2
			tail -n 10 "$log" >&2
			fail=1
		else echo "ok   $name: accepted"; fi
	elif [ $rc -eq 0 ]; then
		echo "FAIL $name: accepted, should be rejected" >&2
		fail=1
	elif ! grep -qF -- "$want" "$log"; then
		echo "FAIL $name: rejected without saying '$want'" >&2
		tail -n 10 "$log" >&2
		fail=1
	else echo "ok   $name: rejected ($want)"; fi
}

case_ strlen strlen '
__SIZE_TYPE__ strlen(const char *s);
__SIZE_TYPE__ ffp_probe_strlen(const char *s);
__SIZE_TYPE__ ffp_probe_strlen(const char *s) { return strlen(s); }'

case_ malloc malloc '
void *malloc(__SIZE_TYPE__ n);
void *ffp_probe_malloc(void);
void *ffp_probe_malloc(void) { return malloc(64); }'

case_ libc-header string.h '
#include <string.h>
int ffp_probe_header(const char *a, const char *b);
int ffp_probe_header(const char *a, const char *b) { return strcmp(a, b); }'

case_ float general-regs-only '
double ffp_probe_float(double a);
double ffp_probe_float(double a) { return a * 1.5; }'

case_ struct-copy pass '
#include <stdint.h>
struct ffp_probe_big { uint64_t x[64]; };
void ffp_probe_copy(struct ffp_probe_big *d, const struct ffp_probe_big *s);
void ffp_probe_copy(struct ffp_probe_big *d, const struct ffp_probe_big *s)
{ *d = *s; }'

[ $fail -ne 0 ] || rm -rf "$dir"
exit $fail
