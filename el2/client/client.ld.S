/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/* EL1 client: its whole RAM is BOARD_EL1_BASE..+BOARD_EL1_SIZE; the image
 * sits at the start, the pages it shares and lends are in .bss (page
 * aligned) and the stack at the end of .bss. */
#include "el2/common/board.h"

ENTRY(_start)
MEMORY {
	RAM (rwx) : ORIGIN = BOARD_EL1_BASE, LENGTH = BOARD_EL1_SIZE
}
SECTIONS {
	.text : {
		KEEP(*(.text.boot))
		*(.text .text.*)
	} > RAM
	.rodata : ALIGN(8) { *(.rodata .rodata.*) } > RAM
	.data : ALIGN(8) { *(.data .data.*) } > RAM
	.bss (NOLOAD) : ALIGN(4096) {
		__bss_start = .;
		*(.bss .bss.* COMMON)
		. = ALIGN(16);
		. += 0x4000;
		__stack_top = .;
		__bss_end = .;
	} > RAM
	/DISCARD/ : { *(.comment) *(.note*) *(.eh_frame*) }
}
