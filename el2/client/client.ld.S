/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/* EL1 client: its whole RAM is BOARD_EL1_BASE..+BOARD_EL1_SIZE; the image
 * sits at the start; the pages it shares and lends are in its page
 * aligned .bss. */
#include "el2/common/board.h"
#define IMAGE_BASE BOARD_EL1_BASE
#define IMAGE_SIZE BOARD_EL1_SIZE
#include "el2/common/image.ld.h"
