#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later
# Static analysis of the core (src/, include/ffaproxy/): clang-tidy with the
# checked-in .clang-tidy and cppcheck (warning, style, performance,
# portability). Any finding fails, except those in the table below; each
# run is bounded by `timeout`. Usage: scripts/lint.sh [FILE.c ...]
set -u
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
limit=${LINT_TIMEOUT:-300}
# Output in a private directory (several runs may share the tree), kept
# only when there are findings.
mkdir -p build
out=${LINT_OUT:-$(mktemp -d build/lint.XXXXXX)}
mkdir -p "$out"

# Suppressions: FILE|CHECK|TEXT ON THE FLAGGED LINE|REASON. A finding is
# suppressed only if all three match, so the entry follows the line when
# code moves and a new finding of the same kind elsewhere still fails.
# Global ones (a whole check) are in .clang-tidy and in cppcheck_off below.
suppressions=(
	# Files being written by others at the time lint landed: their
	# findings, for the owners to fix (then drop the entry).
	"src/rxtx_desc.c|bugprone-implicit-widening-of-multiplication-result|FFA_MEM_COMPOSITE_SIZE +|i bounded by the checked constituent count"
)
# cppcheck ids off everywhere, with reasons:
#  variableScope: the project declares locals at the top of a function
#    (kernel style); narrowing their scope is taste, not a defect.
#  missingIncludeSystem: the core includes only the compiler's own headers;
#    cppcheck need not read them.
#  unmatchedSuppression: for the inline suppressions it does not know.
cppcheck_off=(variableScope missingIncludeSystem unmatchedSuppression)

for tool in clang-tidy cppcheck timeout; do
	command -v $tool >/dev/null 2>&1 ||
		{ echo "lint: $tool not found (scripts/deps.sh installs it)" >&2; exit 1; }
done
if [ $# -gt 0 ]; then files=("$@"); else
	mapfile -t files < <(find src -name '*.c' | sort)
fi
cflags="-std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wpointer-arith -Wvla -Wundef -Iinclude -I."

# Both tools' findings as "FILE:LINE:COL: warning: TEXT [CHECK]" lines.
# shellcheck disable=SC2086
printf '%s\n' "${files[@]}" |
	timeout "$limit" xargs -P "$jobs" -n 1 sh -c \
		'clang-tidy --quiet "$0" -- '"$cflags"' 2>/dev/null' >"$out/tidy.log"
tidy_rc=$?
supp=()
for id in "${cppcheck_off[@]}"; do supp+=("--suppress=$id"); done
timeout "$limit" cppcheck -q --std=c11 --enable=warning,style,performance,portability \
	--inline-suppr "${supp[@]}" -Iinclude -I. -j "$jobs" \
	--template='{file}:{line}:{column}: warning: {message} [{id}]' \
	"${files[@]}" >"$out/cppcheck.log" 2>&1
cppcheck_rc=$?
status=0
if [ $tidy_rc -ge 124 ] || [ $cppcheck_rc -ge 124 ]; then
	echo "lint: a tool timed out or crashed (clang-tidy $tidy_rc, cppcheck $cppcheck_rc)" >&2
	status=1
fi
# xargs returns 123 when some clang-tidy exited non-zero: a compile error
# (reported as "error:" lines below) or a finding; the lines decide.

used=()
findings=0
while IFS= read -r line; do
	[[ $line =~ ^([^:]+):([0-9]+):[0-9]+:\ (warning|error):\ .*\[([^]]+)\]$ ]] ||
		{ [[ $line =~ :\ (error|warning): ]] && { echo "$line"; findings=$((findings + 1)); }; continue; }
	file=${BASH_REMATCH[1]} ln=${BASH_REMATCH[2]} kind=${BASH_REMATCH[3]} check=${BASH_REMATCH[4]}
	file=${file#"$PWD/"}
	text=$(sed -n "${ln}p" "$file" 2>/dev/null)
	hit=
	if [ "$kind" = warning ]; then
		for i in "${!suppressions[@]}"; do
			IFS='|' read -r sf sc st _ <<<"${suppressions[$i]}"
			if [ "$sf" = "$file" ] && [ "$sc" = "$check" ] &&
				[[ $text == *"$st"* ]]; then
				hit=1 used[i]=1
				break
			fi
		done
	fi
	[ -n "$hit" ] && continue
	echo "$line"
	findings=$((findings + 1))
done < <(grep -hE ':[0-9]+:[0-9]+: (warning|error):|^(error|warning):' "$out/tidy.log" "$out/cppcheck.log" | sort -u)
for i in "${!suppressions[@]}"; do
	IFS='|' read -r sf sc _ <<<"${suppressions[$i]}"
	if [ -z "${used[i]:-}" ] && [ $# -eq 0 ]; then
		echo "lint: note: suppression no longer needed: $sf $sc" >&2
	fi
done
if [ $findings -ne 0 ]; then
	echo "lint: $findings finding(s) in the core (full output in $out/)" >&2
	status=1
fi
if [ $status -eq 0 ]; then
	echo "lint: clang-tidy and cppcheck clean on ${#files[@]} core files"
	[ -n "${LINT_OUT:-}" ] || rm -rf "$out"
fi
exit $status
