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
# The builder's descriptors here are the bytes tests/scenarios/smoke/
# desc-layouts.ffa checks the `desc` builder writes: every byte it
# expects must be the file's (those it does not name, zero).
if python3 - <<'PY'; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
import re, sys
want = {0x80000000: 'mem-v11-share.hex', 0x80001000: 'mem-v10-lend.hex',
        0x80002000: 'mem-v12-donate-total9.hex'}
got = {}
for line in open('tests/scenarios/smoke/desc-layouts.ffa'):
    m = re.match(r'expect mem (0x[0-9a-f]+) (.*)', line)
    if m:
        a = int(m.group(1), 16)
        base = a & ~0xfff
        for i, b in enumerate(bytes.fromhex(m.group(2).replace(' ', ''))):
            got.setdefault(base, {})[a - base + i] = b
ok = True
for base, f in want.items():
    data = bytes.fromhex(open('tests/decode/' + f).read().replace('\n', ''))
    for i, b in enumerate(data):
        if got[base].get(i, 0) != b:
            print('FAIL: tests/decode/%s byte %d is 0x%02x, desc-layouts.ffa '
                  'says 0x%02x' % (f, i, b, got[base].get(i, 0)), file=sys.stderr)
            ok = False
            break
    if max(got[base]) >= len(data):
        print('FAIL: tests/decode/%s shorter than desc-layouts.ffa' % f, file=sys.stderr)
        ok = False
sys.exit(0 if ok else 1)
PY
echo "decode: $pass passed, $fail failed"
[ $fail -eq 0 ]
