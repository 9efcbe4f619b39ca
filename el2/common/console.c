/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/* PL011 transmit (no init needed on QEMU) and semihosting exit. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "el2/common/board.h"
#include "el2/common/console.h"

#define UART_DR 0x00
#define UART_FR 0x18
#define UART_FR_TXFF (1u << 5)

static inline void mmio_write32(uintptr_t a, uint32_t v)
{
	*(volatile uint32_t *)a = v;
}

static inline uint32_t mmio_read32(uintptr_t a)
{
	return *(volatile uint32_t *)a;
}

/* One CPU at a time writes to the UART from this image, whole calls at a
 * time; the owner may nest (check() prints in three calls). The three
 * images each have their own, so lines of different levels may still
 * mix: the SMP loop keeps the other levels quiet instead. */
static uint64_t con_owner; /* 0 or MPIDR_EL1 + 1 */
static uint32_t con_depth;

void con_lock(void)
{
	uint64_t me, free_ = 0;

	__asm__ volatile("mrs %0, mpidr_el1" : "=r"(me));
	me++;
	if (__atomic_load_n(&con_owner, __ATOMIC_RELAXED) == me) {
		con_depth++;
		return;
	}
	while (!__atomic_compare_exchange_n(&con_owner, &free_, me, false,
					    __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		free_ = 0;
	con_depth = 1;
}

void con_unlock(void)
{
	if (!--con_depth)
		__atomic_store_n(&con_owner, 0, __ATOMIC_RELEASE);
}

static void putc_raw(char c)
{
	if (c == '\n')
		putc_raw('\r');
	while (mmio_read32(BOARD_UART_BASE + UART_FR) & UART_FR_TXFF)
		;
	mmio_write32(BOARD_UART_BASE + UART_DR, (uint8_t)c);
}

void con_putc(char c)
{
	con_lock();
	putc_raw(c);
	con_unlock();
}

void con_puts(const char *s)
{
	con_lock();
	while (*s)
		putc_raw(*s++);
	con_unlock();
}

static void put_num(uint64_t v, unsigned base, int width, bool zero, bool neg)
{
	char buf[24];
	int n = 0;

	do {
		unsigned d = (unsigned)(v % base);

		buf[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
		v /= base;
	} while (v);
	if (neg)
		width--;
	if (neg && zero)
		con_putc('-');
	for (; width > n; width--)
		con_putc(zero ? '0' : ' ');
	if (neg && !zero)
		con_putc('-');
	while (n)
		con_putc(buf[--n]);
}

void con_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	con_vprintf(fmt, ap);
	va_end(ap);
}

void con_vprintf(const char *fmt, va_list ap)
{
	con_lock();
	for (; *fmt; fmt++) {
		int width = 0, longs = 0;
		bool zero = false;

		if (*fmt != '%') {
			con_putc(*fmt);
			continue;
		}
		fmt++;
		if (*fmt == '0') {
			zero = true;
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l') {
			longs++;
			fmt++;
		}
		switch (*fmt) {
		case 's': {
			const char *s = va_arg(ap, const char *);
			int len = 0;

			while (s[len])
				len++;
			for (; width > len; width--)
				con_putc(' ');
			con_puts(s);
			break;
		}
		case 'c':
			con_putc((char)va_arg(ap, int));
			break;
		case 'd': {
			int64_t v = longs ? va_arg(ap, int64_t) : va_arg(ap, int);

			put_num(v < 0 ? 0 - (uint64_t)v : (uint64_t)v, 10, width,
				zero, v < 0);
			break;
		}
		case 'u':
			put_num(longs ? va_arg(ap, uint64_t) : va_arg(ap, unsigned),
				10, width, zero, false);
			break;
		case 'x':
			put_num(longs ? va_arg(ap, uint64_t) : va_arg(ap, unsigned),
				16, width, zero, false);
			break;
		case 'p':
			con_puts("0x");
			put_num((uintptr_t)va_arg(ap, void *), 16, width, zero,
				false);
			break;
		case '%':
			con_putc('%');
			break;
		default:
			con_putc('%');
			if (*fmt)
				con_putc(*fmt);
			else
				fmt--;
			break;
		}
	}
	con_unlock();
}

/* Arm semihosting (DUI0471, "SYS_EXIT (0x18)"): on AArch64 x1 points to
 * { reason, subcode }; ADP_Stopped_ApplicationExit (0x20026) makes QEMU
 * exit with `subcode` as its status. */
void semihost_exit(uint32_t status)
{
	static volatile uint64_t block[2];

	block[0] = 0x20026;
	block[1] = status;
	for (;;) {
		register uint64_t x0 __asm__("x0") = 0x18;
		register uint64_t x1 __asm__("x1") = (uintptr_t)block;

		__asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
	}
}
