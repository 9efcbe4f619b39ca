/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/* EL3 firmware: executes in place from secure flash, data in secure RAM. */
#include "el2/common/board.h"

ENTRY(_start)
MEMORY {
	FLASH (rx) : ORIGIN = BOARD_SECURE_FLASH_BASE, LENGTH = 0x00400000
	SRAM (rw) : ORIGIN = BOARD_SECURE_RAM_BASE, LENGTH = BOARD_SECURE_RAM_SIZE
}
SECTIONS {
	.text : {
		KEEP(*(.text.boot))
		*(.text .text.*)
	} > FLASH
	.rodata : ALIGN(8) {
		*(.rodata .rodata.*)
		. = ALIGN(8);
	} > FLASH
	.data : ALIGN(8) {
		__data_start = .;
		*(.data .data.*)
		. = ALIGN(8);
		__data_end = .;
	} > SRAM AT > FLASH
	__data_load = LOADADDR(.data);
	.bss (NOLOAD) : ALIGN(16) {
		__bss_start = .;
		*(.bss .bss.* COMMON)
		. = ALIGN(16);
		__bss_end = .;
	} > SRAM
	. = ALIGN(16);
	. += BOARD_STACK_SIZE * BOARD_MAX_CPUS;
	__stack_top = .;
	/DISCARD/ : { *(.comment) *(.note*) *(.eh_frame*) }
}
