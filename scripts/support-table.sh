#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later
# scripts/support-table.sh [--update] BIN: check (or rewrite) README's table.
set -eu
update=0
[ "${1:-}" = --update ] && { update=1; shift; }
bin=${1:-build/gcc/support-table}
want=$("$bin")
have=$(sed -n '/<!-- support-table begin -->/,/<!-- support-table end -->/p' README.md | sed '1d;$d')
if [ "$want" = "$have" ]; then exit 0; fi
if [ $update = 1 ]; then
	python3 - "$want" <<'PY'
import sys, re
table = sys.argv[1]
s = open('README.md').read()
s = re.sub(r'(<!-- support-table begin -->\n).*?(<!-- support-table end -->)',
           lambda m: m.group(1) + table + '\n' + m.group(2), s, flags=re.S)
open('README.md', 'w').write(s)
PY
	exit 0
fi
echo "README.md support table differs from the dispatch table; run scripts/support-table.sh --update" >&2
diff <(echo "$have") <(echo "$want") >&2 || true
exit 1
