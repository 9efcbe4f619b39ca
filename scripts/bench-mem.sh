#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later
# The memory-sharing part of `make bench`: instructions the proxy itself
# spends (callgrind, platform operations plat_* subtracted) per share, lend
# and reclaim, per constituent, same-version and translated, beside the
# cost of copying the descriptor once; SPMC calls per host call; a lend in
# fragments up to a million constituents; reclaim lookups among many live
# transactions. Not a test: it prints numbers.
set -eu
cd "$(dirname "$0")/.."
O=build/bench
mkdir -p $O
cc=${CC:-gcc}
$cc -std=c11 -O2 -g -Iinclude -I. -o $O/bench_mem bench/bench_mem.c src/*.c
N=${BENCH_N:-200}

# count FN ARGS...: instructions inside FN (inclusive) minus plat_*, total.
count() {
	local fn=$1 out=$O/cg.mem
	shift
	valgrind --tool=callgrind --callgrind-out-file=$out --toggle-collect="$fn" \
		$O/bench_mem "$@" >$O/bench_mem.out 2>/dev/null
	callgrind_annotate --auto=no --inclusive=yes --threshold=100 "$out" 2>/dev/null |
		awk '
		/PROGRAM TOTALS/ { gsub(",", "", $1); total = $1 }
		/^ *[0-9,]+ .*:plat_(smc|transition|transition_ranges|read|write|lock|unlock) / {
			gsub(",", "", $1); plat += $1 }
		END { printf "%d", total - plat }'
}

per() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }

echo "ffaproxy bench: memory sharing (callgrind instructions, platform operations excluded)"
printf '  %-34s %10s %10s %12s %8s %10s\n' "call" "ranges" "per call" "per range" "copy" "x copy"
for ranges in 1 16 256 4000; do
	for pair in "2 2" "0 2" "2 0"; do
		set -- $pair
		label="v1.$1 caller, v1.$2 SPMC"
		copy=$(count measured_copy copy "$1" "$ranges" "$N")
		for mode in share lend reclaim; do
			total=$(count measured "$mode" "$1" "$2" "$ranges" "$N")
			calls=$(sed -n 's/spmc calls per host call: //p' $O/bench_mem.out)
			pc=$(per "$total" "$N")
			if [ "$mode" = reclaim ]; then x="-"; cpy="-"; else
				cpy=$(per "$copy" "$N"); x=$(per "$pc" "$cpy"); fi
			printf '  %-34s %10s %10s %12s %8s %10s   spmc calls/host call %s\n' \
				"$mode ($label)" "$ranges" "$pc" "$(per "$total" $((N * ranges)))" \
				"$cpy" "$x" "$calls"
		done
	done
done
echo
echo "  the floor: the least work any proxy does for a share (bench_mem.c measured_floor: one"
echo "  case only, v1.2 both sides, one receiver, one fragment; every check, no generality):"
for ranges in 1 16 256 4000; do
	copy=$(count measured_copy copy 2 "$ranges" "$N")
	total=$(count measured_floor floor "$ranges" "$N")
	pc=$(per "$total" "$N")
	printf '    floor, %5s ranges: %10s per call, %6s per range, %5sx copy\n' "$ranges" "$pc" \
		"$(per "$total" $((N * ranges)))" "$(per "$pc" "$(per "$copy" "$N")")"
done
echo
echo "  platform without page_transition_ranges (one page_transition per range):"
for ranges in 256 4000; do
	copy=$(count measured_copy copy 2 "$ranges" "$N")
	total=$(BENCH_PER_RANGE=1 count measured share 2 2 "$ranges" "$N")
	pc=$(per "$total" "$N")
	printf '    share, %5s ranges: %10s per call, %6s per range, %5sx copy\n' "$ranges" "$pc" \
		"$(per "$total" $((N * ranges)))" "$(per "$pc" "$(per "$copy" "$N")")"
done
echo
echo "  lend in 64 KiB fragments (v1.0 caller over a v1.2 SPMC):"
for ranges in 10000 100000 1000000; do
	total=$(count measured frag 0 2 "$ranges")
	printf '    %8s ranges: %12s instructions, %6s per range; %s\n' "$ranges" "$total" \
		"$(per "$total" "$ranges")" "$(cat $O/bench_mem.out)"
done
echo
echo "  reclaim refused by the SPMC (lookup, one SMC, nothing changes):"
for live in 10 10000; do
	total=$(count measured lookup "$live" "$N")
	printf '    among %6s live transactions: %8s per call\n' "$live" "$(per "$total" "$N")"
done
