#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later
# make check: every build and every test; ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
pass=0
fail=0
failed=()
log=build/check-logs
mkdir -p "$log"
. scripts/sanitizers.sh

ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); failed+=("$1"); echo "FAIL: $1" >&2; }

# step NAME COMMAND...: a build or whole-program step counted as one test.
step() {
	local name=$1
	shift
	if "$@" >"$log/$name.log" 2>&1; then ok; echo "ok   $name"; else ko "$name"; tail -n 30 "$log/$name.log" >&2; fi
}

# units DIR: run every unit test binary, adding its "N passed, N failed".
units() {
	local dir=$1 runner=${2:-}
	for t in "$dir"/tests/test_*; do
		[ -x "$t" ] || continue
		local name out p f
		name=$(basename "$t")
		out=$($runner "$t" 2>&1)
		local rc=$?
		p=$(printf '%s\n' "$out" | sed -n 's/^.*: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' | tail -n 1)
		f=$(printf '%s\n' "$out" | sed -n 's/^.*: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' | tail -n 1)
		if [ -z "$p" ] || [ $rc -ne 0 ] && [ "${f:-0}" = 0 ]; then
			ko "$dir/$name (exit $rc, no summary)"
			printf '%s\n' "$out" | tail -n 20 >&2
			continue
		fi
		pass=$((pass + p))
		fail=$((fail + f))
		if [ "$f" != 0 ]; then
			failed+=("$dir/$name")
			printf '%s\n' "$out" | grep -E 'FAIL' | head -n 20 >&2
		fi
		echo "ok   $dir/$name: $p passed, $f failed"
	done
}

# scenarios SIM: every tests/**/*.ffa must replay cleanly; files under
# tests/sim-errors/ must be rejected with the text of their "# error:" line.
scenarios() {
	local sim=$1 runner=${2:-} n=0 bad=0
	# per run: several make checks may share this checkout
	local out="$log/scenario.$$.out"
	while IFS= read -r f; do
		n=$((n + 1))
		if $runner "$sim" "$f" >"$out" 2>&1; then ok; else
			ko "$f"; bad=$((bad + 1)); tail -n 15 "$out" >&2
		fi
	done < <(find tests -name '*.ffa' -not -path 'tests/sim-errors/*' | sort)
	while IFS= read -r f; do
		n=$((n + 1))
		want=$(sed -n 's/^# error: //p' "$f" | head -n 1)
		if $runner "$sim" "$f" >"$out" 2>&1; then
			ko "$f (accepted, should be rejected)"; bad=$((bad + 1))
		elif san_report "$out"; then
			ko "$f (sanitizer report)"; bad=$((bad + 1))
			tail -n 15 "$out" >&2
		elif [ -n "$want" ] && ! grep -qF -- "$want" "$out"; then
			ko "$f (error does not say: $want)"; bad=$((bad + 1))
			tail -n 5 "$out" >&2
		else ok; fi
	done < <(find tests/sim-errors -name '*.ffa' 2>/dev/null | sort)
	rm -f "$out"
	echo "ok   scenarios: $((n - bad)) of $n replayed as expected"
}

step build-gcc make -j"$jobs" O=build/gcc CC=gcc all
step build-clang make -j"$jobs" O=build/clang CC=clang all
# gcc's flow warnings differ by optimisation level: -O0 reported a use
# after free in sim/invariant.c that -O2 let through.
step build-gcc-O0 make -j"$jobs" O=build/gcc-O0 CC=gcc CFLAGS="-O0 -g" all
step freestanding-aarch64 make freestanding
step size scripts/size.sh aarch64-linux-gnu-gcc build/gcc/ffp-size
step lint scripts/lint.sh
units build/gcc
scenarios build/gcc/ffa-sim
# The same scenarios over a platform without the optional operations: pages
# taken one range at a time, direct requests sent from a private copy.
step scenarios-minimal-platform build/gcc/ffa-sim --per-range-transitions --no-smc-x0-x7 \
	$(find tests -name '*.ffa' -not -path 'tests/sim-errors/*' | sort)
# And over an SPMC model that checks constituents only at a transaction's
# last fragment (TF-A, Hafnium): aborting one must still leave nothing.
step scenarios-check-last build/gcc/ffa-sim --spmc-check-constituents-last \
	$(find tests -name '*.ffa' -not -path 'tests/sim-errors/*' | sort)
step demo build/gcc/ffa-sim demo/*.ffa # what make demo shows must hold
# ffa-decode: golden outputs (tests/decode/cases), exact
step decode tests/decode/run.sh build/gcc/ffa-decode
units build/clang
# The whole suite again under ASan+UBSan (scripts/sanitizers.sh: any report fails).
step build-asan make -j"$jobs" O=build/asan CC="$SAN_CC" CFLAGS="$SAN_CFLAGS" LDFLAGS="$SAN_LDFLAGS" all
units build/asan
scenarios build/asan/ffa-sim
# ffa-decode under the sanitizers: the goldens, then garbage never crashes it
step decode-asan tests/decode/run.sh build/asan/ffa-decode
step decode-garbage tests/decode/garbage.sh build/asan/ffa-decode 2000
# And cross-built for aarch64, run through qemu-aarch64 explicitly (no binfmt).
qemu="qemu-aarch64 -L /usr/aarch64-linux-gnu"
step build-aarch64 make -j"$jobs" O=build/aarch64 CC=aarch64-linux-gnu-gcc AR=aarch64-linux-gnu-ar all
units build/aarch64 "$qemu"
scenarios build/aarch64/ffa-sim "$qemu"
for extra in tests/extra/*.sh; do
	[ -f "$extra" ] || continue
	step "$(basename "$extra" .sh)" bash "$extra"
done

echo
if [ $fail -ne 0 ]; then
	echo "failed:"
	printf '  %s\n' "${failed[@]}"
fi
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
