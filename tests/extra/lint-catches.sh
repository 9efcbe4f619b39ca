#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later
# scripts/lint.sh can fail: a file with a null dereference (clang-tidy's
# analyzer), a constant out-of-bounds index (cppcheck) and a widening
# multiplication used as an offset (bugprone) is rejected with each named;
# the same file without them passes.
set -u
cd "$(dirname "$0")/../.."
mkdir -p build
dir=$(mktemp -d build/lint-catches.XXXXXX) # kept if a case fails
cat >"$dir/bad.c" <<'C'
#include <stddef.h>
#include <stdint.h>
int lint_probe(const int *p, uint8_t *buf, uint32_t i);
int lint_probe(const int *p, uint8_t *buf, uint32_t i)
{
	int a[4] = { 0, 1, 2, 3 };
	uint8_t *e = buf + 16 + i * 24u;

	*e = 0;
	if (!p)
		return *p;
	return a[4];
}
C
cat >"$dir/good.c" <<'C'
#include <stddef.h>
#include <stdint.h>
int lint_probe(const int *p, uint8_t *buf, uint32_t i);
int lint_probe(const int *p, uint8_t *buf, uint32_t i)
{
	const int a[4] = { 0, 1, 2, 3 };
	uint8_t *e = buf + 16 + (size_t)i * 24u;

	*e = 0;
	if (!p)
		return 0;
	return a[3] + *p;
}
C
fail=0
LINT_OUT=$dir/out-bad scripts/lint.sh "$dir/bad.c" >"$dir/bad.log" 2>&1
rc=$?
for want in clang-analyzer-core.NullDereference arrayIndexOutOfBounds \
	bugprone-implicit-widening-of-multiplication-result; do
	if ! grep -qF -- "[$want]" "$dir/bad.log"; then
		echo "FAIL: lint did not report $want" >&2
		fail=1
	else echo "ok   reported $want"; fi
done
[ $rc -ne 0 ] || { echo "FAIL: lint passed a file with findings" >&2; fail=1; }
if ! LINT_OUT=$dir/out-good scripts/lint.sh "$dir/good.c" >"$dir/good.log" 2>&1; then
	echo "FAIL: lint rejected the clean file" >&2
	cat "$dir/good.log" >&2
	fail=1
else echo "ok   clean file passes"; fi
[ $fail -eq 0 ] || cat "$dir/bad.log" >&2
[ $fail -ne 0 ] || rm -rf "$dir"
exit $fail
