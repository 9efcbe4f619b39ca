#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later
# ffa-decode's golden cases (tests/decode/cases): each output, with its
# exit status, must equal expected/NAME.out byte for byte.
# Usage: tests/decode/run.sh [FFA_DECODE] [--update]  (--update rewrites
# the expected files: check every change by hand before committing it)
set -u
cd "$(dirname "$0")/../.."
bin=build/gcc/ffa-decode
update=false
for a in "$@"; do
	case $a in
	--update) update=true ;;
	*) bin=$a ;;
	esac
done
[ -x "$bin" ] || { echo "run.sh: $bin not built" >&2; exit 2; }
dir=tests/decode
pass=0
fail=0
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
while IFS= read -r line; do
	case $line in '#'* | '') continue ;; esac
	name=${line%%:*}
	args=${line#*:}
	eval "\"\$bin\" $args" >"$tmp" 2>&1
	echo "exit $?" >>"$tmp"
	if $update; then
		cp "$tmp" "$dir/expected/$name.out"
	elif cmp -s "$tmp" "$dir/expected/$name.out"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $name" >&2
		diff -u "$dir/expected/$name.out" "$tmp" | head -n 20 >&2
	fi
done <"$dir/cases"
$update && exit 0
echo "decode: $pass passed, $fail failed"
[ $fail -eq 0 ]
