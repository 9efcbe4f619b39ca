# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later
#
# libFuzzer targets (clang -fsanitize=fuzzer,address,undefined), included
# from the Makefile. See fuzz/README.md.
#
#   make fuzz             build every target and run each for FUZZ_TIME
#                         seconds (default 180) from generated seeds;
#                         crashes are saved under fuzz/crashes/
#   make fuzz-build       only build them (build/fuzz/bin/fuzz_*)
#   make fuzz FUZZ_TARGETS="proxy msg2" FUZZ_TIME=60
#
# tests/extra/fuzz-smoke.sh (run by make check) replays
# fuzz/regressions/<target>/* and runs each target for a bounded number
# of inputs.

FUZZ_CC ?= clang
FUZZ_TIME ?= 180
FUZZ_O := build/fuzz
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined
# A smaller SPMC range pool: the model zeroes it at every world setup.
# FFP_REDZONES: poisoned gaps between the instance's arrays (src/internal.h).
FUZZ_CFLAGS := -std=c11 -g -O1 $(WARN) $(FUZZ_SAN) -DSPMC_RANGE_POOL=1024 -DFFP_REDZONES -Iinclude -I.
FUZZ_ALL := mem_codec retrieve_resp rxtx_desc msg2 partinfo proxy
FUZZ_TARGETS ?= $(FUZZ_ALL)
FUZZ_BINS := $(FUZZ_ALL:%=$(FUZZ_O)/bin/fuzz_%)
FUZZ_LIB_OBJ := $(CORE_SRC:%.c=$(FUZZ_O)/obj/%.o) $(SIM_SRC:%.c=$(FUZZ_O)/obj/%.o)
FUZZ_LIB := $(FUZZ_O)/libfuzzlib.a

.PHONY: fuzz fuzz-build
fuzz-build: $(FUZZ_BINS)

fuzz: fuzz-build
	@scripts/fuzz.sh run $(FUZZ_TIME) $(FUZZ_TARGETS)

# The core and the SPMC model, instrumented for coverage and sanitizers;
# the checker, memory and platform glue for sanitizers only (coverage of
# their page walks would only slow the fuzzer down and mislead it).
FUZZ_COV := -fsanitize=fuzzer-no-link
FUZZ_NOCOV := $(patsubst %,$(FUZZ_O)/obj/sim/%.o,invariant simmem simplat)
$(FUZZ_NOCOV): FUZZ_COV :=
$(FUZZ_O)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_COV) -MMD -MP -c $< -o $@

$(FUZZ_LIB): $(FUZZ_LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

# The retrieve-response target is the memory codec target built to feed
# only ffa_mem_parse_retrieve_resp.
$(FUZZ_O)/bin/fuzz_retrieve_resp: fuzz/fuzz_mem_codec.c $(FUZZ_LIB)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -DFUZZ_RETRIEVE_RESP $< $(FUZZ_LIB) -o $@

$(FUZZ_O)/bin/fuzz_%: fuzz/fuzz_%.c $(FUZZ_LIB)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $< $(FUZZ_LIB) -o $@

-include $(FUZZ_LIB_OBJ:.o=.d)
