#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later
# Installs what the build and tests need (Debian, as root) or says exactly
# what is missing. Usage: scripts/deps.sh [--demo] [extra "command:package" ...]
# --demo: only what `make demo` needs (gcc and make).
set -u
if [ "${1:-}" = --demo ]; then
	shift
	need=("gcc:gcc" "make:make")
	full=false
else
	need=(
		"gcc:gcc" "make:make" "clang:clang"
		"aarch64-linux-gnu-gcc:gcc-aarch64-linux-gnu"
		"qemu-aarch64:qemu-user"
		"qemu-system-aarch64:qemu-system-arm"
		"valgrind:valgrind"
		"clang-tidy:clang-tidy" "cppcheck:cppcheck"
		"callgrind_annotate:valgrind"
	)
	full=true
fi
need+=("$@")
missing_pkgs=()
missing_cmds=()
for pair in "${need[@]}"; do
	cmd=${pair%%:*}
	pkg=${pair#*:}
	if ! command -v "$cmd" >/dev/null 2>&1; then
		missing_cmds+=("$cmd")
		missing_pkgs+=("$pkg")
	fi
done
# The aarch64 cross compiler needs the arm64 libc headers for tests.
if $full && command -v aarch64-linux-gnu-gcc >/dev/null 2>&1 &&
	[ ! -f /usr/aarch64-linux-gnu/include/stdio.h ]; then
	missing_cmds+=("aarch64 libc headers")
	missing_pkgs+=("libc6-dev-arm64-cross")
fi
# clang's sanitizer runtimes
if $full && command -v clang >/dev/null 2>&1 &&
	! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.asan-x86_64.a >/dev/null 2>&1 &&
	[ "$(uname -m)" = x86_64 ]; then
	missing_cmds+=("clang sanitizer runtime")
	missing_pkgs+=("libclang-rt-14-dev")
fi
[ ${#missing_pkgs[@]} -eq 0 ] && exit 0
pkgs=$(printf '%s\n' "${missing_pkgs[@]}" | sort -u | tr '\n' ' ')
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "deps: installing $pkgs" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null 2>&1
	# shellcheck disable=SC2086
	if ! apt-get install -y -qq $pkgs >/dev/null 2>&1; then
		echo "deps: apt-get install $pkgs failed" >&2
		exit 1
	fi
	exit 0
fi
echo "deps: missing: ${missing_cmds[*]}" >&2
echo "deps: install them with: sudo apt-get install $pkgs" >&2
exit 1
