/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/* EL2 stub: loaded by QEMU's generic loader at its link address. */
#include "el2/common/board.h"

ENTRY(_start)
MEMORY {
	RAM (rwx) : ORIGIN = BOARD_EL2_BASE, LENGTH = BOARD_EL2_SIZE
}
SECTIONS {
	.text : {
		KEEP(*(.text.boot))
		*(.text .text.*)
	} > RAM
	.rodata : ALIGN(8) { *(.rodata .rodata.*) } > RAM
	.data : ALIGN(8) { *(.data .data.*) } > RAM
	.bss (NOLOAD) : ALIGN(16) {
		__bss_start = .;
		*(.bss .bss.* COMMON)
		. = ALIGN(16);
		. += 0x4000;
		__stack_top = .;
		__bss_end = .;
	} > RAM
	/DISCARD/ : { *(.comment) *(.note*) *(.eh_frame*) }
}
