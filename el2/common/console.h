/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/* PL011 console and exit paths shared by the three images. */
#ifndef EL2_CONSOLE_H
#define EL2_CONSOLE_H

#include <stdarg.h>
#include <stdint.h>

/* Each call below prints under a per-image lock; con_lock/con_unlock
 * (nesting) keep several calls together. */
void con_lock(void);
void con_unlock(void);
void con_putc(char c);
void con_puts(const char *s);
/* printf subset: %s %c %d %u %x %p, 'l'/'ll' sizes, '0' and width. */
void con_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void con_vprintf(const char *fmt, va_list ap);

/* Semihosting SYS_EXIT with ADP_Stopped_ApplicationExit and `status`
 * (QEMU's exit code; needs -semihosting). Does not return. */
void semihost_exit(uint32_t status) __attribute__((noreturn));

#endif /* EL2_CONSOLE_H */
