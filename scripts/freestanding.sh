#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later
# Builds the core (src/) and the SPMC model (sim/spmc*.c) freestanding for
# aarch64 and links them with -nostdlib: any libc symbol they need is an
# undefined reference and fails the build.
set -eu
cc=${1:-aarch64-linux-gnu-gcc}
out=build/freestanding
mkdir -p "$out"
flags="-std=c11 -Wall -Wextra -Werror -O2 -ffreestanding -nostdlib -mgeneral-regs-only -fno-builtin -Iinclude -I."
objs=()
for f in src/*.c src/freestanding/*.c sim/spmc*.c; do
	[ -f "$f" ] || continue
	o="$out/$(echo "$f" | tr / _).o"
	$cc $flags -fno-tree-loop-distribute-patterns -c "$f" -o "$o"
	objs+=("$o")
done
# A partial link keeps every object; then list what is still undefined.
${cc%gcc}ld -r -o "$out/core.o" "${objs[@]}"
undef=$(${cc%gcc}nm -u "$out/core.o" | awk '{print $2}')
if [ -n "$undef" ]; then
	echo "freestanding: the core needs symbols it does not define:" >&2
	echo "$undef" >&2
	exit 1
fi
${cc%gcc}size "$out/core.o"
