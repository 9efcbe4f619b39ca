#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later
# Builds the core (src/) and the SPMC model (sim/spmc*.c) freestanding for
# aarch64 and fails if they need anything from libc:
#  - compiled -ffreestanding -mgeneral-regs-only -fno-builtin, and
#    -nostdinc with only the compiler's own headers (stddef.h, stdint.h,
#    stdbool.h, ...) on the path: a libc header such as <string.h> is not
#    found, so including one fails the compile;
#  - linked -nostdlib (a partial link that keeps every object): any symbol
#    still undefined, such as a call to strlen, fails the build. The only
#    libc-named functions defined are the four the compilers may emit
#    (src/freestanding/string.c).
# Usage: scripts/freestanding.sh [CC [EXTRA.c ...]]
#   EXTRA.c files are compiled as part of the core (tests/extra/
#   freestanding-rejects.sh uses this to prove the check can fail).
#   FREESTANDING_OUT selects the output directory (default build/freestanding).
# Leaves $out/core.o (the core alone, measured by `make size`) and
# $out/all.o (core and SPMC model).
set -eu
cc=${1:-aarch64-linux-gnu-gcc}
[ $# -gt 0 ] && shift
out=${FREESTANDING_OUT:-build/freestanding}
cross=${cc%gcc}
mkdir -p "$out"
inc=$($cc -print-file-name=include)
flags="-std=c11 -Wall -Wextra -Werror -O2 -ffreestanding -nostdlib -nostdinc
	-isystem $inc -mgeneral-regs-only -fno-builtin
	-fno-tree-loop-distribute-patterns -Iinclude -I."
objs=()
compile() { # SOURCE...: appends their objects to objs; exits on an error
	local f o
	for f in "$@"; do
		[ -f "$f" ] || { echo "freestanding: no such file: $f" >&2; exit 1; }
		o="$out/$(echo "$f" | tr / _).o"
		# shellcheck disable=SC2086
		$cc $flags -c "$f" -o "$o"
		objs+=("$o")
	done
}
compile src/*.c src/freestanding/*.c "$@"
core=("${objs[@]}")
objs=()
compile sim/spmc*.c
model=("${objs[@]}")
[ ${#core[@]} -gt 0 ] || { echo "freestanding: no core sources" >&2; exit 1; }
"${cross}ld" -r -o "$out/core.o" "${core[@]}"
"${cross}ld" -r -o "$out/all.o" "$out/core.o" "${model[@]}"
status=0
for o in core.o all.o; do
	undef=$("${cross}nm" -u "$out/$o" | awk '{print $2}')
	if [ -n "$undef" ]; then
		echo "freestanding: $o needs symbols it does not define (libc?):" >&2
		echo "$undef" >&2
		status=1
	fi
done
[ $status = 0 ] || exit 1
"${cross}size" "$out/core.o" "$out/all.o"
