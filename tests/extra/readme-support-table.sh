#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later
# The README's support table is the dispatch table's.
exec scripts/support-table.sh build/gcc/support-table
