# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later
#
# The QEMU target (issue 5): EL3 firmware with the SPMC model, the EL2
# stub embedding ffaproxy, and the EL1 client; see docs/el2.md.
#
#   make el2        build build/el2/{el3.bin,el2.elf,el1.elf}
#   make demo-el2   run every configuration with the UART trace on screen
#
# EL2_MEM=0 leaves the client's memory-sharing steps out.

EL2_CC ?= aarch64-linux-gnu-gcc
EL2_OBJCOPY ?= $(if $(findstring clang,$(EL2_CC)),llvm-objcopy,$(EL2_CC:%gcc=%objcopy))
EL2_OUT ?= build/el2
EL2_MEM ?= 1

# clang + lld also work: make el2 EL2_CC="clang --target=aarch64-none-elf"
EL2_CLANG := $(findstring clang,$(EL2_CC))
EL2_CFLAGS := -std=c11 $(WARN) -O2 -g -ffreestanding -fno-builtin -nostdlib \
	-mgeneral-regs-only -mstrict-align -mno-outline-atomics -fno-pic \
	-fno-pie -fno-stack-protector \
	$(if $(EL2_CLANG),,-fno-tree-loop-distribute-patterns) \
	-Iinclude -I. -DEL2_MEM=$(EL2_MEM)
EL2_LDFLAGS := -nostdlib -static -Wl,--build-id=none \
	$(if $(EL2_CLANG),-fuse-ld=lld,-no-pie -Wl,--no-warn-rwx-segments)
EL2_LDLIBS := $(if $(EL2_CLANG),,-lgcc)

EL2_COMMON := el2/common/console.c el2/common/smc.S src/freestanding/string.c
EL2_EL3_SRC := el2/el3/start.S el2/el3/main.c sim/spmc.c sim/spmc_mem.c \
	sim/spmc_notif.c \
	$(EL2_COMMON)
EL2_HYP_SRC := el2/hyp/start.S $(sort $(wildcard el2/hyp/*.c)) $(CORE_SRC) \
	el2/common/memdesc.c $(EL2_COMMON)
EL2_EL1_SRC := el2/client/start.S $(sort $(wildcard el2/client/*.c)) \
	el2/common/memdesc.c src/names.c $(EL2_COMMON)

el2_objs = $(patsubst %,$(EL2_OUT)/obj/%.o,$(basename $(1)))
EL2_EL3_OBJ := $(call el2_objs,$(EL2_EL3_SRC))
EL2_HYP_OBJ := $(call el2_objs,$(EL2_HYP_SRC))
EL2_EL1_OBJ := $(call el2_objs,$(EL2_EL1_SRC))
EL2_IMAGES := $(EL2_OUT)/el3.bin $(EL2_OUT)/el2.elf $(EL2_OUT)/el1.elf

.PHONY: el2 demo-el2
el2: $(EL2_IMAGES)

# EL2_MEM is a compile-time switch of the client: rebuild when it changes.
$(EL2_OUT)/mem-$(EL2_MEM).stamp:
	@mkdir -p $(dir $@)
	@rm -f $(EL2_OUT)/mem-*.stamp
	@touch $@

$(EL2_OUT)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(EL2_CC) $(EL2_CFLAGS) -MMD -MP -c $< -o $@

$(EL2_OUT)/obj/%.o: %.S
	@mkdir -p $(dir $@)
	$(EL2_CC) $(EL2_CFLAGS) -MMD -MP -c $< -o $@

$(EL2_OUT)/obj/el2/client/main.o: $(EL2_OUT)/mem-$(EL2_MEM).stamp

$(EL2_OUT)/%.ld: el2/%.ld.S el2/common/board.h el2/common/image.ld.h
	@mkdir -p $(dir $@)
	$(EL2_CC) -E -P -x c -I. $< -o $@

$(EL2_OUT)/el3.elf: $(EL2_EL3_OBJ) $(EL2_OUT)/el3/el3.ld
	$(EL2_CC) $(EL2_LDFLAGS) -T $(EL2_OUT)/el3/el3.ld -o $@ $(EL2_EL3_OBJ) $(EL2_LDLIBS)

$(EL2_OUT)/el3.bin: $(EL2_OUT)/el3.elf
	$(EL2_OBJCOPY) -O binary $< $@

$(EL2_OUT)/el2.elf: $(EL2_HYP_OBJ) $(EL2_OUT)/hyp/hyp.ld
	$(EL2_CC) $(EL2_LDFLAGS) -T $(EL2_OUT)/hyp/hyp.ld -o $@ $(EL2_HYP_OBJ) $(EL2_LDLIBS)

$(EL2_OUT)/el1.elf: $(EL2_EL1_OBJ) $(EL2_OUT)/client/client.ld
	$(EL2_CC) $(EL2_LDFLAGS) -T $(EL2_OUT)/client/client.ld -o $@ $(EL2_EL1_OBJ) $(EL2_LDLIBS)

demo-el2: deps
	@EL2_TRACE=1 bash tests/extra/el2-qemu.sh

-include $(patsubst %.o,%.d,$(EL2_EL3_OBJ) $(EL2_HYP_OBJ) $(EL2_EL1_OBJ))
