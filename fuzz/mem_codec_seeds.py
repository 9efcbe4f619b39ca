#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later
"""Write valid seed inputs for fuzz_mem_codec into DIR (default
build/fuzz/mem_codec_corpus): one descriptor per version x transaction
type, plus retrieve responses, whole and as a first fragment. Input
format: see the comment at the top of fuzz_mem_codec.c."""
import os
import struct
import sys


def descriptor(minor, attrs, perms, handle=0, flags=0, ranges=3, nrecv=2):
    emad = 32 if minor >= 2 else 16
    hdr = 32 if minor == 0 else 48
    comp = hdr + nrecv * emad
    out = bytearray()
    if minor == 0:
        out += struct.pack('<HBBIQQII', 1, attrs, 0, flags, handle, 0x55, 0, nrecv)
    else:
        out += struct.pack('<HHIQQIII12x', 1, attrs, flags, handle, 0x55,
                           emad, nrecv, hdr)
    for i in range(nrecv):
        out += struct.pack('<HBBI', 0x8001 + i, perms, 0, comp)
        if emad == 32:
            out += bytes([0x11 * (i + 1)] * 16)  # IMPDEF value
        out += bytes(8)  # reserved
    out += struct.pack('<IIQ', 4 * ranges, ranges, 0)
    for r in range(ranges):
        out += struct.pack('<QII', 0x80000000 + r * 0x100000, 4, 0)
    return bytes(out)


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else 'build/fuzz/mem_codec_corpus'
    os.makedirs(outdir, exist_ok=True)
    n = 0
    for minor in range(3):
        # (type selector, attributes, permissions, receivers, flags)
        cases = [(0, 0x2f, 2, 2, 0), (1, 0x00, 2, 1, 1), (2, 0x00, 0, 1, 1),
                 (1, 0x2f, 1, 2, 2)]
        for sel, attrs, perms, nrecv, flags in cases:
            d = descriptor(minor, attrs, perms, flags=flags, nrecv=nrecv)
            for frag in (0, (len(d) - 32) // 16):
                with open(os.path.join(outdir, 'seed%03d' % n), 'wb') as f:
                    f.write(bytes([minor, sel, frag]) + d)
                n += 1
        d = descriptor(minor, 0x6f if minor else 0x2f, 6, handle=7, flags=0x11)
        with open(os.path.join(outdir, 'seed%03d' % n), 'wb') as f:
            f.write(bytes([minor, 0x80, 0]) + d)
        n += 1
    print('%d seeds in %s' % (n, outdir))


if __name__ == '__main__':
    main()
