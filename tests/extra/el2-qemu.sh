#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later
# The QEMU target (docs/el2.md): builds the EL3 firmware, the EL2 stub and
# the EL1 client, then boots qemu-system-aarch64 once per configuration.
# A run passes when QEMU exits 0 within its timeout and the UART printed a
# line "PASS". EL2_TRACE=1 shows each UART trace (make demo-el2);
# EL2_MEM=0 builds the client without its memory-sharing steps;
# EL2_CC="clang --target=aarch64-none-elf" EL2_OUT=build/el2-clang builds
# with clang and lld instead of aarch64-linux-gnu-gcc.
set -u
cd "$(dirname "$0")/../.."
out=${EL2_OUT:-build/el2}
# per run (several make checks may share this checkout); a passing run's
# logs end up in $out/logs, a failing run's stay where they are
logs=$out/logs.$$

need=()
command -v qemu-system-aarch64 >/dev/null 2>&1 || need+=(qemu-system-arm)
command -v aarch64-linux-gnu-gcc >/dev/null 2>&1 || need+=(gcc-aarch64-linux-gnu)
if [ ${#need[@]} -gt 0 ]; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "el2-qemu: installing ${need[*]}" >&2
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq >/dev/null 2>&1
		if ! apt-get install -y -qq "${need[@]}" >/dev/null 2>&1; then
			echo "el2-qemu: apt-get install ${need[*]} failed" >&2
			exit 1
		fi
	else
		echo "el2-qemu: missing qemu-system-aarch64 or aarch64-linux-gnu-gcc" >&2
		echo "el2-qemu: install them with: sudo apt-get install ${need[*]}" >&2
		exit 1
	fi
fi

make -s el2 EL2_MEM="${EL2_MEM:-1}" EL2_OUT="$out" \
	${EL2_CC:+EL2_CC="$EL2_CC"} >/dev/null || exit 1
mkdir -p "$logs"

# name  spmc-minor client-minor strict prelock poweroff ranges msg2 lacks stale smp  what it shows
# (ranges: the stub offers page_transition_ranges, one TLB flush per
# fragment, and smc_x0_x7, direct requests in the caller's registers;
# otherwise the proxy takes pages one range at a time and sends direct
# requests from a private copy. msg2: the client, served at 1.1+, sends
# 2 indirect messages and takes 4 from its bounce RX (3 delivered, 1
# with a forged sender dropped) through the bounce pair the stub gave
# it; the stub gives one over a 1.1+ SPMC unless strict without a
# prelocked host. lacks: the SPMC lacks PARTITION_INFO_GET_REGS, answering
# 1 NOT_SUPPORTED or 2 SMCCC's unknown function -1; 0 it has it. stale:
# the SPMC holds a normal-world pair an earlier boot stage left mapped,
# which the proxy unmaps once before mapping its own. smp: QEMU -smp 2;
# the client turns its CPU 1 on with PSCI CPU_ON and both CPUs, vCPUs 0
# and 1 of endpoint 1, run the SMP loop of el2/client/steps_smp.c at once)
configs=(
	"translate-client1.0      2 0 0 0 0 1 0 0 0 0 a 1.0 client over a 1.2 SPMC, translated"
	"translate-client1.2      2 2 0 0 0 0 1 0 0 0 a 1.2 client over a 1.2 SPMC"
	"strict-client1.2         2 2 1 0 0 1 0 0 0 0 the strict policy with a 1.2 client"
	"strict-refuses-1.0       2 0 1 1 0 0 1 0 0 0 strict: the host locked 1.2, a 1.0 VM is refused"
	"translate-serves-1.0     2 0 0 1 0 1 0 0 0 0 translate: same boot, the 1.0 VM is served"
	"strict-downgrade-1.0     2 0 1 0 0 0 0 0 0 0 strict: a 1.0 VM first moves the SPMC down to 1.0"
	"translate-client1.2-spmc1.1 1 2 0 0 0 1 1 0 0 0 a 1.2 client over a 1.1 SPMC"
	"translate-client1.2-spmc1.0 0 2 0 0 0 0 0 0 0 0 a 1.2 client over a 1.0 SPMC (UUIDs from config)"
	"translate-client1.1-poweroff 2 1 0 0 1 1 1 0 0 0 a 1.1 client, ending with PSCI SYSTEM_OFF at EL3"
	"translate-client1.2-lacks-regs 2 2 0 0 0 0 1 1 0 0 a 1.2 client over a 1.2 SPMC lacking PARTITION_INFO_GET_REGS (NOT_SUPPORTED)"
	"strict-client1.2-regs-unknown 2 2 1 0 0 1 0 2 0 0 strict, a 1.2 SPMC lacking PARTITION_INFO_GET_REGS (SMCCC -1)"
	"translate-client1.2-stale-pair 2 2 0 0 0 1 1 0 1 0 a 1.2 client over a 1.2 SPMC holding an earlier boot stage's pair"
	"translate-client1.2-smp  2 2 0 0 0 1 1 0 0 1 a 1.2 client on two CPUs at once (PSCI CPU_ON, -smp 2)"
	"translate-client1.1-smp  2 1 0 0 0 0 1 0 0 1 a 1.1 client on two CPUs at once: translated descriptors, pages per range"
)

fail=0
for c in "${configs[@]}"; do
	read -r name spmc client strict prelock poweroff ranges msg2 lacks stale smp what <<<"$c"
	word=$(printf '0x%03x%x%x46465042' \
		$((smp << 7 | stale << 6 | (lacks == 2) << 5 | (lacks != 0) << 4 | (ranges << 3) |
			(poweroff << 2) | (prelock << 1) | strict)) \
		"$client" "$spmc")
	log=$logs/$name.log
	# VM availability messages 0x8002 reports at EL3 (the client's boot
	# add, then eight from steps_vmavail): the proxy sends them over a
	# 1.1+ SPMC unless the stub opts out (strict, no prelocked host).
	fw=0
	if [ "$spmc" -ge 1 ] && { [ "$strict" = 0 ] || [ "$prelock" = 1 ]; }; then
		fw=9
	fi
	# The client served at 1.2 (asked for it, or strict with the host
	# prelocked at 1.2) calls PARTITION_INFO_GET_REGS three times (all,
	# all again, from index 2): forwarded to a 1.2 SPMC (1 SMC each),
	# emulated from the buffer form below it (the query and an
	# RX_RELEASE: 2 SMCs each); a 1.2 SPMC lacking it costs 3 at the
	# first call (forwarded, refused, learned, emulated), 2 after. Below
	# 1.2: refused, no SMC. The replies and SMCs the stub traced, in order.
	if [ "$client" = 2 ] || { [ "$strict" = 1 ] && [ "$prelock" = 1 ]; }; then
		if [ "$spmc" = 2 ] && [ "$lacks" = 0 ]; then
			n1=1 n2=1
		elif [ "$spmc" = 2 ]; then
			n1=3 n2=2
		else
			n1=2 n2=2
		fi
		regs_want="FFA_SUCCESS_64:$n1 FFA_SUCCESS_64:$n2 FFA_ERROR INVALID_PARAMETERS:$n2 "
	else
		regs_want="FFA_ERROR NOT_SUPPORTED:0 "
	fi
	[ -n "${EL2_TRACE:-}" ] && printf '\n==== %s: %s\n' "$name" "$what"
	# The whole machine: EL3 image in the secure flash, the EL2 and EL1
	# ELF images and the boot parameter word loaded into RAM.
	# -smp 2: MTTCG (one host thread per CPU, the default for aarch64
	# on an x86-64 host; asked for so that it never silently goes
	# round-robin on one thread).
	accel=()
	[ "$smp" = 1 ] && accel=(-accel tcg,thread=multi)
	cmd=(timeout 30 qemu-system-aarch64
		-M virt,secure=on,virtualization=on -cpu cortex-a57 -m 64M
		-smp $((smp + 1)) "${accel[@]}"
		-display none -monitor none -serial stdio -no-reboot
		-semihosting-config enable=on,target=native
		-bios "$out/el3.bin"
		-device loader,file="$out/el2.elf"
		-device loader,file="$out/el1.elf"
		-device loader,addr=0x43fff000,data="$word",data-len=8)
	if [ -n "${EL2_TRACE:-}" ]; then
		"${cmd[@]}" </dev/null 2>&1 | tr -d '\r' | tee "$log"
		rc=${PIPESTATUS[0]}
	else
		"${cmd[@]}" </dev/null 2>&1 | tr -d '\r' >"$log"
		rc=${PIPESTATUS[0]}
	fi
	why=
	if [ "$rc" != 0 ]; then
		why="exit $rc$([ "$rc" = 124 ] && echo ' (timeout)')"
	elif ! grep -qx PASS "$log"; then
		why="no PASS line"
	elif [ "$poweroff" = 1 ] && ! grep -q 'el3: PSCI SYSTEM_OFF' "$log"; then
		why="did not power off through PSCI"
	elif [ "$(grep -c 'SPMC held a normal-world RX/TX pair the proxy did not map' "$log")" != "$stale" ]; then
		why="the proxy did not replace the stale pair $stale time(s)"
	elif [ "$(grep -c '^el2: CPU 1 up' "$log")" != "$smp" ]; then
		why="CPU 1 did not come up $smp time(s)"
	elif [ "$(grep -c '^el1: ok   SMP: the loops overlapped' "$log")" != "$smp" ]; then
		why="the two CPUs' loops did not run at the same time $smp time(s)"
	elif [ "${EL2_MEM:-1}" != 0 ] && [ "$(grep -c '^el1: ok   SMP: CPU [01] touched 32 pages the other CPU then lent' "$log")" != $((smp * 2)) ]; then
		why="a CPU did not fault on a page the other CPU lent after it touched it ($((smp * 2)) lines)"
	elif [ "$(grep -c '^el1: ok   SMP: the SPMC received [0-9]* MSG_SEND2, [0-9]* NOTIFICATION_SET' "$log")" != "$smp" ]; then
		why="the CPUs' concurrent messages and notifications were not all counted at the SPMC $smp time(s)"
	elif ! grep -q "pages taken $([ "$ranges" = 1 ] && echo 'per fragment' || echo 'per range')" "$log"; then
		why="the stub did not take pages as configured"
	elif [ "$ranges" = 1 ] && ! grep -q 'MSG_SEND_DIRECT_REQ_32 -> FFA_MSG_SEND_DIRECT_RESP_32 \[1 SMC to EL3, x0..x7 only\]' "$log"; then
		why="a direct request did not go through smc_x0_x7"
	elif [ "$ranges" = 0 ] && grep -q 'x0..x7 only' "$log"; then
		why="smc_x0_x7 used though not offered"
	elif ! grep -q 'ep1 FFA_RUN -> FFA_MSG_SEND_DIRECT_RESP_32 \[1 SMC to EL3' "$log"; then
		why="no preempted request resumed with FFA_RUN"
	elif [ "$(grep -c '^el3: partition 0x8002 received VM_' "$log")" != "$fw" ]; then
		why="0x8002 did not report $fw VM availability messages at EL3"
	elif [ "$(grep -c 'ep1 FFA_MSG_SEND2 -> FFA_SUCCESS_32 \[1 SMC to EL3\]' "$log")" != $((msg2 * 2)) ]; then
		why="the client did not send $((msg2 * 2)) indirect messages"
	elif [ "$(grep -c 'ep1 FFA_NOTIFICATION_GET -> FFA_SUCCESS_32 \[2 SMCs to EL3\]' "$log")" != $((msg2 * 4)) ]; then
		why="the client did not take $((msg2 * 4)) indirect messages from its bounce RX"
	elif [ "$(grep -c 'FFA_NOTIFICATION_GET: message sender is not a partition (0x2) -> ABORTED' "$log")" != "$msg2" ]; then
		why="the message with a forged sender was not dropped $msg2 time(s)"
	elif regs_got=$(sed -n 's/^el2: ep1 FFA_PARTITION_INFO_GET_REGS_64 -> \(.*\) \[\([0-9]*\) SMCs\{0,1\} to EL3[^]]*\]$/\1:\2/p' "$log" | tr '\n' ' ')
		[ "$regs_got" != "$regs_want" ]; then
		why="PARTITION_INFO_GET_REGS answered (reply:SMCs) '$regs_got', not '$regs_want'"
	fi
	if [ -n "$why" ]; then
		fail=$((fail + 1))
		echo "el2-qemu: FAIL $name: $why (log: $log)" >&2
		[ -n "${EL2_TRACE:-}" ] || grep -E 'FAIL|FATAL|unexpected' "$log" | head -n 20 >&2
	else
		echo "el2-qemu: ok   $name ($(grep -c '^el1: ok' "$log") client checks): $what"
	fi
done
if [ "$fail" = 0 ]; then
	rm -rf "$out/logs"
	mv "$logs" "$out/logs" || rm -rf "$logs"
fi
[ "$fail" = 0 ]
