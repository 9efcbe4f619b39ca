#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later
# make size: the freestanding aarch64 core's sections (built and checked by
# scripts/freestanding.sh) and the instance memory of one proxy per
# representative configuration (tools/ffp-size.c).
# Usage: scripts/size.sh [AARCH64_CC] [FFP_SIZE_BIN]
set -eu
cd "$(dirname "$0")/.."
cc=${1:-aarch64-linux-gnu-gcc}
tool=${2:-build/gcc/ffp-size}
mkdir -p build
out=$(mktemp -d build/size.XXXXXX) # private: several runs may share the tree
trap 'rm -rf "$out"' EXIT
FREESTANDING_OUT=$out scripts/freestanding.sh "$cc" >/dev/null
echo "freestanding core for aarch64 (core.o, -O2, without the SPMC model), bytes:"
"${cc%gcc}size" -A "$out/core.o" | awk '
	$1 ~ /^\.text/ { text += $2 }
	$1 ~ /^\.rodata/ { ro += $2 }
	$1 ~ /^\.data/ { data += $2; if ($1 ~ /rel\.ro/) relro += $2 }
	$1 ~ /^\.bss/ { bss += $2 }
	END {
		printf "  .text %d  .rodata %d  .data %d  .bss %d\n", text, ro, data, bss
		if (relro)
			printf "  (.data includes %d of .data.rel.ro: constant tables of pointers, read-only once relocated)\n", relro
	}'
echo
echo "instance memory per configuration (ffp_instance_size), bytes:"
"$tool"
