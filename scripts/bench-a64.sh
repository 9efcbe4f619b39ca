#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later
# The register families of `make bench` again on AArch64, the architecture
# the proxy runs on: bench/bench.c cross-built (gcc -O2, static), run under
# qemu-aarch64 one instruction per translation block with every block
# logged, and the instructions executed inside measured()/measured_bare()
# counted by the symbol each belongs to, platform operations (plat_*, and
# the libc memcpy/memset they call, reached through unnamed IPLT stubs)
# left out as callgrind's numbers leave them out. Not a test: it prints.
set -eu
cd "$(dirname "$0")/.."
O=build/bench
mkdir -p $O
cc=${A64_CC:-aarch64-linux-gnu-gcc}
if ! command -v "$cc" >/dev/null || ! command -v qemu-aarch64 >/dev/null; then
	echo "  (AArch64 counts skipped: needs $cc and qemu-aarch64; make deps installs them)"
	exit 0
fi
$cc -std=c11 -O2 -static -Iinclude -I. -o $O/bench-a64 bench/bench.c src/*.c
$cc -std=c11 -O2 -static -Iinclude -I. -o $O/bench-mem-a64 bench/bench_mem.c src/*.c
N=${BENCH_A64_N:-200}
# count N BINARY ARGS...: instructions per measured call (inside
# measured*() until control is back in the bench's own code), plat_* out.
count() {
	local n=$1 log=$O/a64.log
	shift
	qemu-aarch64 -singlestep -d exec,nochain -D "$log" "$@" >/dev/null
	awk -v n="$n" '
		{ f = $NF }
		f ~ /^measured/ { inside = 1 }
		f == "main" || f == "send" || f == "reclaim" { inside = 0 }
		inside && f !~ /^(plat_|mem|__mem|\[)/ { c++ }
		END { printf "%.1f", c / n }' "$log"
	rm -f "$log"
}
measure() { count "$N" $O/bench-a64 "$1" "$N"; }
echo "ffaproxy bench on AArch64: instructions per call ($cc -O2, qemu-aarch64 -singlestep count, N=$N, platform operations excluded)"
bare=$(measure bare)
printf '  %-26s %8s\n' "bare forward" "$bare"
for f in direct_req_64 direct_req_64_v11 direct_req_32 direct_req2 id_get rx_release direct_req_64_v11_nosmc8 direct_req_32_nosmc8; do
	v=$(measure $f)
	printf '  %-26s %8s   %sx bare forward\n' "$f" "$v" \
		"$(awk -v a="$v" -v b="$bare" 'BEGIN { printf "%.2f", a / b }')"
done
echo
echo "  memory sharing (v1.2 caller, v1.2 SPMC), against copying the descriptor once with ffp_memcpy:"
for ranges in 1 256 4000; do
	M=$((ranges > 256 ? 5 : 50))
	share=$(count "$M" $O/bench-mem-a64 share 2 2 "$ranges" "$M")
	copy=$(count "$M" $O/bench-mem-a64 copy 2 "$ranges" "$M")
	printf '    share, %5s ranges: %10s per call, %6s per range, copy %8s, %5sx copy\n' "$ranges" "$share" \
		"$(awk -v a="$share" -v r="$ranges" 'BEGIN { printf "%.1f", a / r }')" "$copy" \
		"$(awk -v a="$share" -v b="$copy" 'BEGIN { printf "%.2f", a / b }')"
	floor=$(count "$M" $O/bench-mem-a64 floor "$ranges" "$M")
	printf '    floor, %5s ranges: %10s per call, %5sx copy (bench_mem.c measured_floor)\n' "$ranges" "$floor" \
		"$(awk -v a="$floor" -v b="$copy" 'BEGIN { printf "%.2f", a / b }')"
done
