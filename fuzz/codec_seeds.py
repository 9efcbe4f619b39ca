#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later
"""Write valid seed inputs for the small codec targets into DIR:
  rxtx_desc  endpoint RX/TX descriptors (Hafnium's packed layout and
             variants: gaps, TX first, several ranges) per version
  msg2       MSG_SEND2 messages with 1.1 and 1.2 headers
  partinfo   SPMC partition info arrays per version and size
Input formats: see the comment at the top of each fuzz/fuzz_<target>.c.
Usage: codec_seeds.py rxtx_desc|msg2|partinfo DIR"""
import os
import struct
import sys


def composite(ranges):
    out = struct.pack('<IIQ', sum(p for _, p in ranges), len(ranges), 0)
    for base, pages in ranges:
        out += struct.pack('<QII', base, pages, 0)
    return out


def rxtx_desc(ep, rx, tx, gap=0, tx_first=False):
    first, second = (tx, rx) if tx_first else (rx, tx)
    a = composite(first)
    b_off = 16 + len(a) + gap
    offs = (b_off, 16) if tx_first else (16, b_off)
    return (struct.pack('<HHIII', ep, 0, offs[0], offs[1], 0) + a +
            bytes(gap) + composite(second))


def rxtx_seeds():
    seeds = []
    for vsel in (1, 2, 3):
        seeds.append(bytes([vsel]) + rxtx_desc(1, [(0x90000000, 1)],
                                                [(0x90001000, 1)]))
        seeds.append(bytes([vsel]) + rxtx_desc(
            3, [(0x90000000, 2), (0x90004000, 1)], [(0x90010000, 3)],
            gap=8, tx_first=True))
        seeds.append(bytes([vsel]) + rxtx_desc(
            2, [(0xa0000000 + 0x2000 * i, 1) for i in range(4)],
            [(0xa0100000, 4)], gap=24))
    seeds.append(bytes([0]) + rxtx_desc(1, [(0x90000000, 1)],
                                         [(0x90001000, 1)]))
    return seeds


def msg2(version_sel, sender, receiver, payload, gap=0, uuid=None):
    hdr = 20 if version_sel == 1 else 40
    out = struct.pack('<IIIII', 0, 0, hdr + gap, sender << 16 | receiver,
                      len(payload))
    if hdr == 40:
        out += struct.pack('<I', 0) + (uuid or bytes(range(16)))
    return bytes([version_sel]) + out + bytes(gap) + payload


def msg2_seeds():
    seeds = []
    for vsel in (1, 2, 3):
        seeds.append(msg2(vsel, 1, 0x8001, b'hello'))
        seeds.append(msg2(vsel, 0, 0x8002, bytes(range(64)), gap=12))
        seeds.append(msg2(vsel, 2, 1, b'\x00' * 7, uuid=bytes(16)))
    seeds.append(msg2(0, 1, 0x8001, b'x'))
    return seeds


def partinfo(vsel, parts, size_sel=0, count=None, size=None):
    dsize = size or (8 if vsel == 0 else 24)
    out = b''
    for pid, ctx, props, uuid in parts:
        d = struct.pack('<HHI', pid, ctx, props)
        if dsize >= 24:
            d += uuid
        out += d + bytes(dsize - len(d))
    n = len(parts) if count is None else count
    return bytes([vsel, n, size_sel]) + out


def partinfo_seeds():
    parts = [(0x8001, 1, 0x703, bytes(range(16))),
             (0x8002, 4, 0x13f, bytes(range(16, 32))),
             (0x8003, 1, 0x1, bytes(16))]
    seeds = []
    for vsel in (0, 1, 2, 3):
        seeds.append(partinfo(vsel, parts))
        seeds.append(partinfo(vsel, parts[:1]))
    seeds.append(partinfo(2, parts, size_sel=6, size=48))  # 1.3-sized
    seeds.append(partinfo(1, parts, count=5))              # a lying count
    return seeds


def main():
    which = sys.argv[1]
    outdir = sys.argv[2]
    seeds = {'rxtx_desc': rxtx_seeds, 'msg2': msg2_seeds,
             'partinfo': partinfo_seeds}[which]()
    os.makedirs(outdir, exist_ok=True)
    for i, s in enumerate(seeds):
        with open(os.path.join(outdir, 'seed%03d' % i), 'wb') as f:
            f.write(s)
    print('%d seeds in %s' % (len(seeds), outdir))


if __name__ == '__main__':
    main()
