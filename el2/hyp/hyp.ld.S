/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later */
/* EL2 stub: loaded by QEMU's generic loader at its link address. */
#include "el2/common/board.h"
#define IMAGE_BASE BOARD_EL2_BASE
#define IMAGE_SIZE BOARD_EL2_SIZE
#include "el2/common/image.ld.h"
