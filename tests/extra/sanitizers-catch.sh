#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later
# The ASan+UBSan build of `make check` (scripts/sanitizers.sh) turns every
# report into a failure: a heap overflow, a signed overflow, a misaligned
# load, a use after free and a leak, each compiled with the same flags and
# run with the same options, must exit with the sanitizers' exit code (86)
# and name the report; the same program doing none of them exits 0.
set -u
cd "$(dirname "$0")/../.."
. scripts/sanitizers.sh
mkdir -p build
dir=$(mktemp -d build/sanitizers-catch.XXXXXX) # kept if a case fails
cat >"$dir/probe.c" <<'C'
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";
	volatile int i = argc + 6; /* 8 with one argument: one past the end */
	uint8_t *p = malloc(8);
	volatile int r = 0;

	if (!p)
		return 2;
	memset(p, 0, 8);
	if (!strcmp(what, "heap"))
		r = p[i];
	else if (!strcmp(what, "signed")) {
		int x = 0x7ffffffe + i;
		r = x;
	} else if (!strcmp(what, "align")) {
		const uint32_t *q = (const uint32_t *)(void *)(p + (i - 7));
		r = (int)*q;
	} else if (!strcmp(what, "uaf")) {
		free(p);
		r = p[0];
		p = malloc(8);
	} else if (!strcmp(what, "leak")) {
		p = malloc(16);
		p = NULL;
		return 0;
	}
	free(p);
	return r & 0;
}
C
# shellcheck disable=SC2086
if ! $SAN_CC $SAN_CFLAGS $SAN_LDFLAGS "$dir/probe.c" -o "$dir/probe"; then
	echo "FAIL: cannot build with $SAN_CFLAGS" >&2
	exit 1
fi
fail=0
"$dir/probe" none >"$dir/none.log" 2>&1 ||
	{ echo "FAIL: clean run exits $?" >&2; cat "$dir/none.log" >&2; fail=1; }
for c in heap:AddressSanitizer signed:"signed integer overflow" \
	align:"misaligned address" uaf:heap-use-after-free leak:LeakSanitizer; do
	what=${c%%:*} want=${c#*:}
	"$dir/probe" "$what" >"$dir/$what.log" 2>&1
	rc=$?
	if [ $rc -ne 86 ] || ! grep -qF -- "$want" "$dir/$what.log" ||
		! san_report "$dir/$what.log"; then
		echo "FAIL: $what: exit $rc, want 86 and '$want'" >&2
		tail -n 5 "$dir/$what.log" >&2
		fail=1
	else echo "ok   $what: $want"; fi
done
[ $fail -ne 0 ] || rm -rf "$dir"
exit $fail
