# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later
# Sourced by scripts/check.sh and tests/extra/sanitizers-catch.sh: the
# ASan+UBSan build (clang) and the runtime options under which any report
# is fatal (UBSan does not recover; ASan and LeakSanitizer exit non-zero).
SAN_CC=${SAN_CC:-clang}
SAN_FLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all"
# FFP_REDZONES: the core poisons a gap after each array it carves from
# the instance memory (src/internal.h), so an overrun into the next is seen.
SAN_CFLAGS="-O1 -g -fno-omit-frame-pointer $SAN_FLAGS -DFFP_REDZONES"
SAN_LDFLAGS="$SAN_FLAGS"
export ASAN_OPTIONS="detect_leaks=1:detect_stack_use_after_return=1:strict_string_checks=1:check_initialization_order=1:exitcode=86"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:exitcode=86"
# True if a log holds a sanitizer report (for runs expected to fail anyway).
san_report() { grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:|SUMMARY: UndefinedBehaviorSanitizer' "$1"; }
