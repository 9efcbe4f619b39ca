#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later
# Every libFuzzer target (fuzz/fuzz.mk): replay fuzz/regressions/ and run a
# bounded number of inputs from the generated seeds; any crash fails.
set -eu
cd "$(dirname "$0")/../.."
make -s -j"$(nproc 2>/dev/null || echo 2)" fuzz-build >/dev/null
exec scripts/fuzz.sh smoke mem_codec retrieve_resp rxtx_desc msg2 partinfo proxy
