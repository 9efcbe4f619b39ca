#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later
# The register families of `make bench` again on AArch64, the architecture
# the proxy runs on: bench/bench.c cross-built (gcc -O2, static), run under
# qemu-aarch64 one instruction per translation block with every block
# logged, and the instructions executed inside measured()/measured_bare()
# counted by the symbol each belongs to, platform operations (plat_*)
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
N=${BENCH_A64_N:-200}
measure() { # family -> instructions per call, proxy only
	local log=$O/a64.$1.log
	qemu-aarch64 -singlestep -d exec,nochain -D "$log" $O/bench-a64 "$1" "$N" >/dev/null
	awk -v n="$N" '
		{ f = $NF }
		f == "measured" || f == "measured_bare" { inside = 1 }
		f == "main" { inside = 0 }
		inside && f !~ /^plat_/ { c++ }
		END { printf "%.1f", c / n }' "$log"
	rm -f "$log"
}
echo "ffaproxy bench on AArch64: instructions per call ($cc -O2, qemu-aarch64 -singlestep count, N=$N, platform operations excluded)"
bare=$(measure bare)
printf '  %-26s %8s\n' "bare forward" "$bare"
for f in direct_req_64 direct_req_64_v11 direct_req_32 direct_req2 id_get rx_release direct_req_64_v11_nosmc8 direct_req_32_nosmc8; do
	v=$(measure $f)
	printf '  %-26s %8s   %sx bare forward\n' "$f" "$v" \
		"$(awk -v a="$v" -v b="$bare" 'BEGIN { printf "%.2f", a / b }')"
done
