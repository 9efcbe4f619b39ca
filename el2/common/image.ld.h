/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/*
 * Linker script body of an image that QEMU's generic loader puts in
 * non-secure RAM at its link address (the EL2 stub, the EL1 client).
 * Define IMAGE_BASE and IMAGE_SIZE before including. .bss is page
 * aligned, the stacks (BOARD_STACK_SIZE per CPU) are its end.
 */
ENTRY(_start)
MEMORY {
	RAM (rwx) : ORIGIN = IMAGE_BASE, LENGTH = IMAGE_SIZE
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
		. += BOARD_STACK_SIZE * BOARD_MAX_CPUS;
		__stack_top = .;
		__bss_end = .;
	} > RAM
	/DISCARD/ : { *(.comment) *(.note*) *(.eh_frame*) }
}
