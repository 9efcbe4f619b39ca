#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later
# make bench: instructions the proxy itself spends per call, from callgrind
# (platform operations plat_* excluded), beside a bare register forward
# measured in the same run. Not a test: it prints numbers.
set -eu
cd "$(dirname "$0")/.."
O=build/bench
mkdir -p $O
cc=${CC:-gcc}
$cc -std=c11 -O2 -g -Iinclude -I. -o $O/bench bench/bench.c src/*.c
N=${BENCH_N:-2000}
# Instructions per call, proxy only: everything callgrind collected inside
# measured()/measured_bare() minus the inclusive cost of the platform
# operations (plat_*). Only the per-function summary lines are read
# (--auto=no: no annotated source lines that merely mention plat_*).
measure() { # family -> instructions per call
	local out=$O/cg.$1
	valgrind --tool=callgrind --callgrind-out-file=$out \
		--toggle-collect=measured --toggle-collect=measured_bare \
		$O/bench "$1" "$N" >/dev/null 2>&1
	callgrind_annotate --inclusive=yes --auto=no --threshold=100 "$out" 2>/dev/null |
		awk -v n="$N" '
		/PROGRAM TOTALS/ { gsub(",", "", $1); total = $1 }
		/^ *[0-9,]+ .*:plat_[a-z0-9_]+ \[/ { gsub(",", "", $1); plat += $1 }
		END { printf "%.1f", (total - plat) / n }'
}
echo "ffaproxy bench: instructions per call (callgrind, N=$N calls each, platform operations excluded)"
bare=$(measure bare)
printf '  %-22s %8s\n' "bare forward" "$bare"
for f in direct_req_64 direct_req_64_v11 direct_req_32 direct_req2 id_get rx_release direct_req_64_v11_nosmc8 direct_req_32_nosmc8 features partition_info; do
	v=$(measure $f)
	ratio=$(awk -v a="$v" -v b="$bare" 'BEGIN { printf "%.2f", a / b }')
	printf '  %-22s %8s   %sx bare forward\n' "$f" "$v" "$ratio"
done
echo
$O/bench sizes
