#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later
# Every libFuzzer target (fuzz/fuzz.mk): replay fuzz/regressions/ and run a
# bounded number of inputs from the generated seeds; any crash fails.
set -eu
cd "$(dirname "$0")/../.."
make -s -j"$(nproc 2>/dev/null || echo 2)" fuzz-build >/dev/null
# The scenario translation into fuzz_proxy operations must still say
# what the scenario does: msg2/regs-hold.ffa's partition message is sent
# (op_sp_notif's format) and found by the VM's PARTITION_INFO_GET_REGS in
# the proxy's RX (BUSY, then the reclaim), so seeds reach the hold slot.
seeds=$(mktemp -d)
python3 fuzz/proxy_seeds.py "$seeds" . >/dev/null
trace=$(FUZZ_PROXY_TRACE=1 build/fuzz/bin/fuzz_proxy \
	"$seeds/tests_scenarios_msg2_regs-hold.ffa" 2>&1)
rm -rf "$seeds"
if ! grep -q 'notif op 0x43 vm 0 .*: 0$' <<<"$trace" ||
	! grep -q 'smc 84000068 .*-> 84000060 0 fffffffc' <<<"$trace"; then
	echo "fuzz-smoke: the translated msg2/regs-hold.ffa seed sends no" \
		"partition message the proxy finds" >&2
	exit 1
fi
exec scripts/fuzz.sh smoke mem_codec retrieve_resp rxtx_desc msg2 partinfo proxy
