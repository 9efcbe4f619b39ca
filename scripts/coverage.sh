#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later
# make coverage: line coverage of the core (src/*.c and the inline code of
# its headers) by the unit tests and every scenario. A report, not a test:
# it is not part of make check.
#
#   build/coverage          the build (gcc -O0 -g --coverage)
#   build/coverage/gcov     the .gcov files (gcov -l: one per unit and file)
#   build/coverage/summary.txt    the per-file table printed below
#   build/coverage/uncovered.txt  the core's unexecuted lines ("line: source")
#   build/coverage/html     an HTML report, when lcov/genhtml are installed
#
# The exit status is 1 when the build fails or a test or scenario did not
# end as make check expects (the report is still written), 0 otherwise.
set -u
cd "$(dirname "$0")/.."
O=build/coverage
jobs=$(nproc 2>/dev/null || echo 2)
log=$O/logs

make -j"$jobs" --no-print-directory O=$O CC=gcc CFLAGS="-O0 -g --coverage" \
	LDFLAGS=--coverage all >/dev/null || { echo "coverage: build failed" >&2; exit 1; }

# counts from an earlier run would add up
find $O -name '*.gcda' -delete
rm -rf $O/gcov $O/html "$log"
mkdir -p $O/gcov "$log"
bad=0

# Every unit test binary.
nunit=0
for t in $O/tests/test_*; do
	[ -x "$t" ] || continue
	nunit=$((nunit + 1))
	if ! "$t" >"$log/$(basename "$t").log" 2>&1; then
		echo "coverage: $t failed (see $log/$(basename "$t").log)" >&2
		bad=$((bad + 1))
	fi
done

# Every scenario, each in its own run; tests/sim-errors/ must be rejected.
nscen=0
while IFS= read -r f; do
	nscen=$((nscen + 1))
	if $O/ffa-sim "$f" >"$log/scenario.out" 2>&1; then
		case $f in tests/sim-errors/*)
			echo "coverage: $f accepted, should be rejected" >&2
			bad=$((bad + 1)) ;;
		esac
	else
		case $f in tests/sim-errors/*) ;; *)
			echo "coverage: $f failed" >&2
			tail -n 5 "$log/scenario.out" >&2
			bad=$((bad + 1)) ;;
		esac
	fi
done < <(find tests -name '*.ffa' | sort)
rm -f "$log/scenario.out"

# gcov finds the sources from the repository root (the objects were built
# there with relative paths); -l names each header's file after the unit
# that included it, so a header's lines from every unit are all kept.
gcov -l -o $O/src src/*.c >"$log/gcov.log" 2>&1 ||
	{ echo "coverage: gcov failed (see $log/gcov.log)" >&2; exit 1; }
mv ./*.gcov $O/gcov/

# A line is executable when any unit has code for it, executed when any
# unit ran it (a header's inline code is merged over the units).
awk -v summary=$O/summary.txt -v uncovered=$O/uncovered.txt '
FNR == 1 { src = "" }
{
	c = $0; sub(/:.*/, "", c); gsub(/[ *]/, "", c)
	rest = substr($0, index($0, ":") + 1)
	n = rest; sub(/:.*/, "", n); n += 0
	text = substr(rest, index(rest, ":") + 1)
	if (n == 0) {
		if (text ~ /^Source:/) src = substr(text, 8)
		next
	}
	if (src !~ /^(src|include\/ffaproxy)\//) next
	if (c == "-") next
	key = src SUBSEP n
	if (!(key in exe)) { exe[key] = 1; line[key] = text; files[src] = 1 }
	if (c !~ /^(#####|=====)$/) hit[key] = 1
}
END {
	nf = 0
	for (f in files) list[++nf] = f
	for (i = 2; i <= nf; i++)	# insertion sort: .c files first, then headers
		for (j = i; j > 1 && order(list[j]) < order(list[j - 1]); j--) {
			t = list[j]; list[j] = list[j - 1]; list[j - 1] = t
		}
	for (k in exe) {
		split(k, p, SUBSEP)
		tot[p[1]]++
		if (k in hit) run[p[1]]++
		else miss[p[1], p[2]] = 1
	}
	printf "%-28s %7s %7s %7s\n", "file", "lines", "run", "cover" > summary
	T = 0; R = 0
	for (i = 1; i <= nf; i++) {
		f = list[i]
		printf "%-28s %7d %7d %6.1f%%\n", f, tot[f], run[f], 100 * run[f] / tot[f] > summary
		T += tot[f]; R += run[f]
	}
	printf "%-28s %7d %7d %6.1f%%\n", "total", T, R, T ? 100 * R / T : 0 > summary
	printf "" > uncovered
	for (i = 1; i <= nf; i++) {
		f = list[i]
		if (run[f] == tot[f]) continue
		printf "== %s\n", f > uncovered
		for (n = 1; n <= 100000; n++)
			if ((f, n) in miss) printf "%d:%s\n", n, line[f SUBSEP n] > uncovered
	}
}
function order(f) { return (f ~ /\.c$/ ? "0" : "1") f }
' $O/gcov/*.gcov

echo "coverage of the core: $nunit unit test binaries, $nscen scenarios"
echo
cat $O/summary.txt
echo
echo "unexecuted lines of the core ($O/uncovered.txt):"
cat $O/uncovered.txt

if command -v lcov >/dev/null && command -v genhtml >/dev/null; then
	if lcov --quiet --capture --directory $O/src --base-directory . \
		--output-file $O/core.info >"$log/lcov.log" 2>&1 &&
		lcov --quiet --extract $O/core.info "$PWD/src/*" "$PWD/include/*" \
			--output-file $O/core.info >>"$log/lcov.log" 2>&1 &&
		genhtml --quiet --output-directory $O/html $O/core.info \
			>>"$log/lcov.log" 2>&1; then
		echo "HTML report: $O/html/index.html"
	else
		echo "lcov/genhtml failed (see $log/lcov.log); no HTML report"
	fi
else
	echo "no HTML report: lcov/genhtml are not installed (Debian: apt-get install lcov)"
fi

if [ $bad -ne 0 ]; then
	echo "coverage: $bad tests or scenarios did not end as expected" >&2
	exit 1
fi
