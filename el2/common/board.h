/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * The memory map and the private interfaces shared by the three images of
 * the QEMU target (EL3 firmware, EL2 stub, EL1 client). Also preprocessed
 * into the linker scripts, so only #defines here.
 *
 * QEMU `virt,secure=on,virtualization=on` (hw/arm/virt.c memmap):
 *   0x00000000  secure flash (64 MiB)     EL3 firmware text/rodata (-bios)
 *   0x09000000  PL011 UART (non-secure)   console of all three levels
 *   0x090b0000  secure PL061 GPIO         pin 0 = power off (gpio-pwr)
 *   0x0e000000  secure RAM (16 MiB)       EL3 data, bss (SPMC model), stack
 *   0x40000000  RAM (-m 64M)              non-secure, see below
 */
#ifndef EL2_BOARD_H
#define EL2_BOARD_H

#define BOARD_UART_BASE 0x09000000
#define BOARD_SECURE_GPIO_BASE 0x090b0000
#define BOARD_SECURE_FLASH_BASE 0x00000000
#define BOARD_SECURE_RAM_BASE 0x0e000000
#define BOARD_SECURE_RAM_SIZE 0x01000000

#define BOARD_RAM_BASE 0x40000000
#define BOARD_RAM_SIZE 0x04000000 /* QEMU -m 64M */

/* QEMU puts its device tree at the start of RAM for firmware (unused
 * here; up to 1 MiB). */
#define BOARD_DTB 0x40000000
/* EL2 stub: code, data, proxy instance, stage-2 tables, stacks. */
#define BOARD_EL2_BASE 0x40100000
#define BOARD_EL2_SIZE 0x00300000
/* EL1 client: the memory endpoint 1 owns; the only RAM in its stage-2,
 * mapped with 4 KiB pages. */
#define BOARD_EL1_BASE 0x40400000
#define BOARD_EL1_SIZE 0x00200000
/* The host's memory (endpoint 0, played by the EL2 stub): not in the
 * client's stage-2. */
#define BOARD_HOST_BASE 0x40600000
#define BOARD_HOST_SIZE 0x00020000
/* The rest of RAM is nobody's. */
#define BOARD_FREE_BASE 0x40620000
/* Boot parameters: one 64-bit word written by QEMU's generic loader
 * (-device loader,addr=...,data=...,data-len=8) before reset; read by
 * EL3 only, which hands them down in x0. The last page of RAM. */
#define BOARD_BOOTPARAM 0x43fff000

/* CPUs the images run on (QEMU -smp 2 in the SMP configuration): each
 * level has a stack of BOARD_STACK_SIZE per CPU, CPU n's ending
 * n * BOARD_STACK_SIZE below __stack_top (n = MPIDR_EL1.Aff0). */
#define BOARD_MAX_CPUS 2
#define BOARD_STACK_SIZE 0x4000

/*
 * Boot parameter word: bits [31:0] magic, [63:32] configuration.
 */
#define BP_MAGIC 0x46465042 /* "BPFF" in memory */
#define BP_SPMC_MINOR(w) (((w) >> 32) & 0xf)   /* SPMC FF-A 1.x */
#define BP_CLIENT_MINOR(w) (((w) >> 36) & 0xf) /* client asks 1.x */
#define BP_STRICT(w) (((w) >> 40) & 1)         /* proxy policy strict */
#define BP_PRELOCK(w) (((w) >> 41) & 1)        /* host locks 1.2 first */
#define BP_POWEROFF(w) (((w) >> 42) & 1)       /* pass: PSCI SYSTEM_OFF */
#define BP_RANGES(w) (((w) >> 43) & 1) /* page_transition_ranges offered */
/* The SPMC model lacks FFA_PARTITION_INFO_GET_REGS (spmc.lacks[], as
 * ffa-sim's `spmc lacks`): the call and FFA_FEATURES of it answer
 * FFA_ERROR(NOT_SUPPORTED), or with BP_REGS_UNKNOWN too SMCCC's unknown
 * function (x0 = -1, as firmware that does not route the id). */
#define BP_LACKS_REGS(w) (((w) >> 44) & 1)
#define BP_REGS_UNKNOWN(w) (((w) >> 45) & 1)
/* The SPMC model starts holding a normal-world RX/TX pair an earlier boot
 * stage left mapped (spmc_stale_pair, as ffa-sim's `spmc stale-pair`). */
#define BP_STALE_PAIR(w) (((w) >> 46) & 1)
/* Two CPUs (QEMU -smp 2): EL3 implements PSCI CPU_ON for MPIDR 1, the
 * stub offers it to the client, whose CPUs 0 and 1 (the VM's vCPUs 0 and
 * 1) then run a loop of FF-A calls concurrently (el2/client/steps_smp.c). */
#define BP_SMP(w) (((w) >> 47) & 1)

/* PSCI CPU_ON (DEN0022 5.1.4: x1 target MPIDR, x2 entry point, x3
 * context id, handed to the new CPU in x0) and the return codes used. */
#define PSCI_CPU_ON_32 0x84000003u
#define PSCI_CPU_ON_64 0xc4000003u
#define PSCI_E_SUCCESS 0
#define PSCI_E_NOT_SUPPORTED (-1)
#define PSCI_E_INVALID_PARAMETERS (-2)
#define PSCI_E_ALREADY_ON (-4)
#define PSCI_E_INVALID_ADDRESS (-9)

/* The endpoint id of the EL1 client (a VM; the host is id 0). */
#define EL1_ENDPOINT_ID 1

/*
 * Private HVCs of the EL2 stub (vendor-specific hypervisor service range,
 * SMCCC owner 6), for tests: they expose what the stub holds so that the
 * client can check that a refused call changed nothing in its stage-2.
 *   EL2_HVC_S2_DIGEST: x0 = FNV-1a hash over the client's stage-2 leaf
 *     descriptors and page-state array, x1 = mapped pages, x2..x6 =
 *     pages per state (owned, shared-proxy, shared, lent, donated).
 *   EL2_HVC_PAGE(x1 = pa): x0 = state (or -1 outside the client's RAM),
 *     x1 = 1 if mapped in the stage-2.
 *   EL2_HVC_FAULTS: x0 = stage-2 aborts the stub reported to EL1.
 *   EL2_HVC_HOST_SHARE: the host shares one of its pages with 0x8001
 *     through the proxy: x0 = 0 or an FF-A status, x1 = the handle (a
 *     handle that is foreign to the client).
 *   EL2_HVC_HOST_RECLAIM(x1 = handle): the host reclaims it: x0 as above.
 * The digest's hash also covers the host's page states.
 */
#define EL2_HVC_S2_DIGEST 0xc6000001
#define EL2_HVC_PAGE 0xc6000002
#define EL2_HVC_FAULTS 0xc6000003
#define EL2_HVC_HOST_SHARE 0xc6000004
#define EL2_HVC_HOST_RECLAIM 0xc6000005
/*
 * Also for tests (FFA_RUN and VM availability messages):
 *   EL2_HVC_SMCS: x0 = SMCs the proxy has made to EL3 so far.
 *   EL2_HVC_VM_ADD(x1 = id): ffp_endpoint_add of another VM id (neither
 *     the host nor the client): x0 = 0 or an FF-A status, x1 = 1 if the
 *     id is present afterwards.
 *   EL2_HVC_VM_REMOVE(x1 = id): ffp_endpoint_remove: x0 as above, x1 =
 *     its vm_destroyed_pending afterwards.
 *   EL2_HVC_VM_RETRY: ffp_vm_destroyed_retry: x0 = (VM, partition)
 *     pairs still pending.
 *   EL2_HVC_EL3_TEST(x1 = an EL3_SIP_* id, x2..x6): the stub makes that
 *     SMC to EL3 with x1..x5 = x2..x6 and returns x0..x3. EL3's test
 *     services are the stub's to call: the client's own SiP SMCs are
 *     refused at EL2.
 */
#define EL2_HVC_SMCS 0xc6000006
#define EL2_HVC_VM_ADD 0xc6000007
#define EL2_HVC_VM_REMOVE 0xc6000008
#define EL2_HVC_EL3_TEST 0xc6000009
#define EL2_HVC_VM_RETRY 0xc600000a
/*
 * For the SMP loop (BP_SMP):
 *   EL2_HVC_TRACE(x1): 0 stops the stub's per-call trace, its refusal
 *     log lines and its abort lines (each still counted), 1 resumes them.
 *   EL2_HVC_TXNS: x0 = memory transactions the proxy holds.
 * EL2_HVC_SMCS answers this CPU's SMCs (the calls this CPU's own
 * ffp_handle made), with x1 = the proxy's refusals logged on this CPU
 * and x2 = the proxy's locks it found held (by another CPU) when taking
 * them.
 */
#define EL2_HVC_TRACE 0xc600000b
#define EL2_HVC_TXNS 0xc600000c

/*
 * Test services of the EL3 firmware (SiP range, SMCCC owner 2), which
 * script and read its SPMC model:
 *   EL3_SIP_PREEMPT(x1 = partition, x2 = n, x3 = yield, x4 = again,
 *     x5 = vCPU): spmc_preempt; x0 = 0 or -1.
 *   EL3_SIP_FW_ANSWER(x1 = partition, x2 = enum spmc_fw_answer,
 *     x3 = status, x4 = count): spmc_fw_answer_set; x0 = 0 or -1.
 *   EL3_SIP_FW_LOG(x1 = partition, x2 = index): x0 = the VM availability
 *     messages the partition received (-1: unknown partition), and entry
 *     `index`: x1 = message type, x2 = VM id, x3 = result (sign-extended).
 *   EL3_SIP_NOTIF(x1 = partition, x2 = EL3_NOTIF_*, x3 = VM id, x4 =
 *     bitmap): the partition's side of notifications: binds `bitmap` to
 *     the VM as sender, or sets `bitmap` for the VM, x0 = 0 or an FF-A
 *     status (sign-extended); or takes what VMs set for it, x0 = status,
 *     x1 = the bitmap.
 *   EL3_SIP_MSG2(x1 = partition, x2 = EL3_MSG2_*, x3 = VM id, x4 =
 *     size, x5 = forged sender): the partition's side of indirect
 *     messages: it sends the VM a message of `size` payload bytes, its
 *     header naming x5 as sender if nonzero (spmc_sp_msg_send2_ex: x0 =
 *     0 or an FF-A status, sign-extended); or reports its mailbox: x0 = messages
 *     received, x1 = full [0], header size [15:8], sender [31:16],
 *     payload size [63:32], x2 = FNV-1a 32 of the payload [31:0] and
 *     UUID bytes 0..3 as a little-endian word [63:32]; or takes the
 *     message, freeing its mailbox (x0 = 0). x0 = -1: unknown partition.
 */
#define EL3_SIP_PREEMPT 0xc2000001
#define EL3_SIP_FW_ANSWER 0xc2000002
#define EL3_SIP_FW_LOG 0xc2000003
#define EL3_SIP_NOTIF 0xc2000004
#define EL3_SIP_MSG2 0xc2000005
/* EL3_SIP_STATS(x1 = function number, x0 & 0xff of an FF-A id): x0 =
 * memory transactions the SPMC model holds, x1 = calls of that number
 * it received (spmc.calls[]), x2 = calls it received in all. */
#define EL3_SIP_STATS 0xc2000006
/* EL3_SIP_TRACE(x1): 0 stops EL3's lines for the test services above
 * (the SMP loop calls them thousands of times), nonzero resumes them; x0
 * = 0. The stub relays its own EL2_HVC_TRACE here. */
#define EL3_SIP_TRACE 0xc2000007
#define EL3_SIP_FIRST EL3_SIP_PREEMPT
#define EL3_SIP_LAST EL3_SIP_TRACE
#define EL3_NOTIF_BIND 0u
#define EL3_NOTIF_SET 1u
#define EL3_NOTIF_GET 2u
#define EL3_MSG2_SEND 0u
#define EL3_MSG2_MAILBOX 1u
#define EL3_MSG2_RELEASE 2u

#endif /* EL2_BOARD_H */
