#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later
# Runs the libFuzzer targets that `make fuzz-build` leaves in build/fuzz/bin.
#   scripts/fuzz.sh run SECONDS TARGET...  fuzz each target for SECONDS from
#       its seeds, fuzz/regressions/<target>/ and its corpus
#       (build/fuzz/corpus/<target>, kept between runs); crashes are saved
#       as fuzz/crashes/<target>-crash-*; exits 1 if any target crashed
#   scripts/fuzz.sh smoke TARGET...        replay fuzz/regressions/<target>/*
#       once each, then run a bounded number of inputs (fixed seed) from
#       the seeds; exits 1 on any crash (make check, tests/extra/fuzz-smoke.sh).
#       Inputs named open-* reproduce a bug not fixed yet: each must still
#       fail; once one passes, rename it (drop "open-") so it guards the fix.
#   scripts/fuzz.sh seeds TARGET DIR       write TARGET's seed inputs to DIR
set -u
cd "$(dirname "$0")/.."
bin=build/fuzz/bin

seeds() { # TARGET DIR
	rm -rf "$2"
	mkdir -p "$2"
	case $1 in
	mem_codec | retrieve_resp) python3 fuzz/mem_codec_seeds.py "$2" ;;
	rxtx_desc | msg2 | partinfo) python3 fuzz/codec_seeds.py "$1" "$2" ;;
	proxy) python3 fuzz/proxy_seeds.py "$2" . ;;
	*) echo "fuzz: no seed generator for $1" >&2; return 1 ;;
	esac >/dev/null
}

# Inputs a bounded smoke run executes per target (each runs in seconds).
smoke_runs() {
	case $1 in
	proxy) echo 3000 ;;
	*) echo 30000 ;;
	esac
}

# The reason a failed run gives (the fuzzer's own abort message or the
# sanitizer's summary).
reason() {
	grep -m1 -E '^fuzz_proxy: |^==[0-9]+==ERROR|^SUMMARY|runtime error' "$1"
}

mode=${1:-}
shift || true
status=0
case $mode in
run)
	secs=$1
	shift
	mkdir -p fuzz/crashes build/fuzz/logs
	for t in "$@"; do
		corpus=build/fuzz/corpus/$t
		mkdir -p "$corpus"
		seeds "$t" "build/fuzz/seeds/$t" || { status=1; continue; }
		dirs=("$corpus" "build/fuzz/seeds/$t")
		[ -d "fuzz/regressions/$t" ] && dirs+=("fuzz/regressions/$t")
		log=build/fuzz/logs/$t.log
		if "$bin/fuzz_$t" -max_total_time="$secs" -timeout=25 \
			-print_final_stats=1 -artifact_prefix="fuzz/crashes/$t-" \
			"${dirs[@]}" >"$log" 2>&1; then
			echo "ok   fuzz_$t: $(grep -m1 'stat::number_of_executed_units' "$log" | awk '{print $2}') inputs, corpus $(ls "$corpus" | wc -l)"
		else
			status=1
			echo "FAIL fuzz_$t: $(reason "$log")"
			grep -m1 "Test unit written to" "$log"
		fi
	done
	;;
smoke)
	for t in "$@"; do
		work=build/fuzz/smoke/$t
		rm -rf "$work"
		mkdir -p "$work/corpus"
		seeds "$t" "$work/seeds" || { status=1; continue; }
		regress=()
		open=()
		if [ -d "fuzz/regressions/$t" ]; then
			while IFS= read -r f; do
				case $(basename "$f") in
				open-*) open+=("$f") ;;
				*) regress+=("$f") ;;
				esac
			done < <(find "fuzz/regressions/$t" -type f ! -name '*.md' | sort)
		fi
		if [ ${#regress[@]} -gt 0 ] &&
			! "$bin/fuzz_$t" -timeout=25 "${regress[@]}" >"$work/regress.log" 2>&1; then
			status=1
			echo "FAIL fuzz_$t: a regression input fails: $(reason "$work/regress.log")"
			continue
		fi
		for f in "${open[@]}"; do
			if "$bin/fuzz_$t" -timeout=25 "$f" >"$work/open.log" 2>&1; then
				status=1
				echo "FAIL fuzz_$t: $f passes now: rename it without open- so it guards the fix"
			else
				echo "open fuzz_$t: $(basename "$f"): $(reason "$work/open.log")"
			fi
		done
		if "$bin/fuzz_$t" -seed=1 -runs="$(smoke_runs "$t")" -max_total_time=60 \
			-timeout=25 -artifact_prefix="$work/" "$work/corpus" \
			"$work/seeds" >"$work/fuzz.log" 2>&1; then
			echo "ok   fuzz_$t: ${#regress[@]} regression inputs, ${#open[@]} open, $(smoke_runs "$t") runs"
		else
			status=1
			echo "FAIL fuzz_$t: $(reason "$work/fuzz.log")"
			grep -m1 "Test unit written to" "$work/fuzz.log"
		fi
	done
	;;
seeds)
	seeds "$1" "$2"
	;;
*)
	echo "usage: scripts/fuzz.sh run SECONDS TARGET... | smoke TARGET... | seeds TARGET DIR" >&2
	exit 2
	;;
esac
exit $status
