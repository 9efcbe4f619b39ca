# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later
#
# make demo     build and replay the demo scenarios (decoded trace on screen)
# make check    build everything and run every test
# make bench    instruction counts per call family (valgrind/callgrind)
# make size     freestanding core .text/.data/.bss and instance sizes
# make coverage line coverage of the core by the tests (gcov; not a test)
# make mutate   mutation testing of the core's checks (scripts/mutate.py; not
#               a test): MUTATE_ARGS="--sample 100" for a sample
#
# O selects the build directory, so several toolchains can coexist:
#   make O=build/clang CC=clang all

CC ?= gcc
ifeq ($(origin CC),default)
CC := gcc
endif
O ?= build/gcc

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wpointer-arith -Wvla -Wundef
CFLAGS ?= -O2 -g
ALL_CFLAGS := -std=c11 $(WARN) $(CFLAGS) -Iinclude -I. $(EXTRA_CFLAGS)
LDFLAGS ?=
LDLIBS ?=

CORE_SRC := $(sort $(wildcard src/*.c))
SIM_SRC := $(sort $(wildcard sim/*.c))
FFASIM_SRC := $(sort $(wildcard tools/ffa-sim/*.c))
# ffa-decode shares ffa-sim's trace decoder (trace.c) rather than copy it
FFADECODE_SRC := $(sort $(wildcard tools/ffa-decode/*.c)) tools/ffa-sim/trace.c
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
TESTLIB_SRC := $(sort $(filter-out tests/unit/test_%.c,$(wildcard tests/unit/*.c)))

CORE_OBJ := $(CORE_SRC:%.c=$(O)/%.o)
SIM_OBJ := $(SIM_SRC:%.c=$(O)/%.o)
FFASIM_OBJ := $(FFASIM_SRC:%.c=$(O)/%.o)
FFADECODE_OBJ := $(FFADECODE_SRC:%.c=$(O)/%.o)
TESTLIB_OBJ := $(TESTLIB_SRC:%.c=$(O)/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(O)/tests/%)

LIBCORE := $(O)/libffaproxy.a
LIBSIM := $(O)/libffasim.a
FFASIM := $(O)/ffa-sim
FFADECODE := $(O)/ffa-decode
SUPPORT_TABLE := $(O)/support-table
SIZE_TOOL := $(O)/ffp-size

.PHONY: all demo check bench deps clean freestanding size coverage mutate
all: $(LIBCORE) $(LIBSIM) $(FFASIM) $(FFADECODE) $(SUPPORT_TABLE) $(SIZE_TOOL) $(UNIT_BIN)

$(O)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(LIBCORE): $(CORE_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(LIBSIM): $(SIM_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(FFASIM): $(FFASIM_OBJ) $(LIBSIM) $(LIBCORE)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(FFASIM_OBJ) $(LIBSIM) $(LIBCORE) $(LDLIBS)

$(FFADECODE): $(FFADECODE_OBJ) $(LIBCORE)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(FFADECODE_OBJ) $(LIBCORE) $(LDLIBS)

$(SUPPORT_TABLE): $(O)/tools/support-table.o $(LIBCORE)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(SIZE_TOOL): $(O)/tools/ffp-size.o $(LIBCORE)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(O)/tests/%: $(O)/tests/unit/%.o $(TESTLIB_OBJ) $(LIBSIM) $(LIBCORE)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(TESTLIB_OBJ) $(LIBSIM) $(LIBCORE) $(LDLIBS) -lpthread

# The core (and the SPMC model, which will run at EL3) built freestanding
# for aarch64; the link fails if they need anything from libc.
AARCH64_CC ?= aarch64-linux-gnu-gcc
freestanding:
	@scripts/freestanding.sh "$(AARCH64_CC)"

deps:
	@scripts/deps.sh

demo:
	@scripts/deps.sh --demo
	@$(MAKE) --no-print-directory all >/dev/null
	@$(FFASIM) demo/*.ffa

check: deps
	@scripts/check.sh

bench: deps
	@scripts/bench.sh
	@scripts/bench-mem.sh
	@scripts/bench-a64.sh

coverage: deps
	@scripts/coverage.sh

mutate:
	@python3 scripts/mutate.py run $(MUTATE_ARGS)

size: deps
	@$(MAKE) --no-print-directory $(SIZE_TOOL) >/dev/null
	@scripts/size.sh "$(AARCH64_CC)" $(SIZE_TOOL)

clean:
	rm -rf build

include el2/el2.mk
include fuzz/fuzz.mk

-include $(O)/tools/ffp-size.d $(O)/tools/support-table.d $(CORE_OBJ:.o=.d) $(SIM_OBJ:.o=.d) $(FFASIM_OBJ:.o=.d) $(FFADECODE_OBJ:.o=.d) $(TESTLIB_OBJ:.o=.d) $(UNIT_SRC:tests/unit/%.c=$(O)/tests/unit/%.d)
