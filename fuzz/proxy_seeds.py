#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later
"""Write seed inputs for fuzz_proxy into DIR: hand-written call sequences
(negotiation, buffers, partition info, direct messages, share/lend/donate
whole and in fragments, reclaim, partition retrieve, teardown) for every
SPMC x proxy version and both policies, and one input per scenario file
under tests/ and demo/ (its calls, raw writes, misbehaviour knobs, faults,
saves and VM teardowns translated to fuzz_proxy operations).

The encoding mirrors fuzz/fuzz_proxy.c (op_* functions); keep them in step.
Usage: proxy_seeds.py DIR [REPO]"""
import glob
import os
import re
import struct
import sys

# Operation bytes (the fuzzer takes them modulo 8; OP_SAVE with bit 7 set is
# OP_NESTED).
OP_RAW, OP_TEMPLATE, OP_WRITE, OP_KNOB, OP_FAULT, OP_SPVM, OP_SAVE = 0, 1, 3, 4, 5, 6, 7
OP_NESTED = 0x87  # OP_SAVE with bit 7: a nested call, then a call
# Where the nested call runs: before the k-th next SMC, or at the k-th
# lock boundary where the call holds no lock / not STATE / anything.
NEST_SMC, NEST_LOCK_FREE, NEST_LOCK_NO_STATE, NEST_LOCK_ANY = range(4)
# Embedder operations a nested call can be instead.
(EMB_VM, EMB_ORPHANS, EMB_VM_RETRY, EMB_RETRIEVE, EMB_RELINQUISH,
 EMB_HOST_RESET) = range(6)
(T_VERSION, T_FEATURES, T_ID_GET, T_SPM_ID_GET, T_RXTX_MAP, T_RXTX_UNMAP,
 T_RX_RELEASE, T_PINFO, T_PINFO_REGS, T_DIRECT, T_DIRECT2, T_MEM,
 T_FRAG_TX, T_RECLAIM, T_RUN) = range(15)
VSEL = {'1.0': 0, '1.1': 1, '1.2': 2, '1.3': 3}  # versions[] in the fuzzer
CFG_VERSION = {'1.2': 0, '1.1': 1, '1.0': 2}       # pick_version()


def u8(v):
    return bytes([v & 0xff])


def u16(v):
    return struct.pack('<H', v & 0xffff)


def u32(v):
    return struct.pack('<I', v & 0xffffffff)


def u64(v):
    return struct.pack('<Q', v & 0xffffffffffffffff)


def config(spmc='1.2', proxy='1.2', strict=False, smccc11=False,
           granule=0, hyp_pages_sel=3, limits=0, lacks_regs=False,
           npi=False):
    c0 = CFG_VERSION[spmc] | CFG_VERSION[proxy] << 2
    c0 |= 0x10 if strict else 0
    c0 |= 0x20 if smccc11 else 0
    # lacks_regs: True (NOT_SUPPORTED) or 'unknown' (SMCCC's -1)
    c1 = granule | hyp_pages_sel << 2 | (0x20 if lacks_regs else 0)
    c1 |= 0x40 if lacks_regs == 'unknown' else 0
    c1 |= 0x10 if npi else 0
    return bytes([c0, c1, limits])


def tpl(ep, t, body=b''):
    return u8(OP_TEMPLATE) + u8(ep) + u8(t) + body


def mem(ep, kind, first_slot=0, nranges=2, frag=None, width64=False,
        recv2=False):
    """kind 0 share, 1 lend, 2 donate; ranges of one and two granules
    from data slot `first_slot` on (the fuzzer's slots are granules);
    frag: None whole, else the first fragment's 16-byte units minus one."""
    slots = [(first_slot + 3 * i, i % 2) for i in range(nranges)]
    b = u8(kind) + u8(nranges - 1) + u8(1)  # sender: the caller
    if kind != 2:
        b += u8(1 if recv2 else 0)
    b += u8(1)  # flags: none
    b += u8(0x42)  # tag
    for i in range(nranges):
        b += u8(slots[i][0]) + u8(slots[i][1])
    b += u8(0)  # no mutation
    b += u8(0) if frag is None else u8(1) + u8(frag)
    b += u8(1 if width64 else 0)
    b += u8(0)  # x8..x17 left zero
    return tpl(ep, T_MEM, b)


def frag_tx(ep, units):
    return tpl(ep, T_FRAG_TX, u8(units - 1) + u8(0))


def reclaim(ep, newest=0):
    return tpl(ep, T_RECLAIM, u8(newest) + u8(1))


def sp_retrieve(part=0, newest=0):
    return u8(OP_SPVM) + u8(1) + u8(part | newest << 2)


def sp_relinquish(part=0, newest=0):
    return u8(OP_SPVM) + u8(1) + u8(0x80 | part | newest << 2)


def vm_toggle(vm):
    return u8(OP_SPVM) + u8(0) + u8(vm - 1)


def host_reset():
    """ffp_host_reset (op_vm's byte with bit 7)."""
    return u8(OP_SPVM) + u8(0) + u8(0x80)


def sp_answer(part, kind, times=1, status=5):
    """How partition `part` answers its next VM availability messages:
    kind 0 ok, 1 status, 2 error, 3 interrupt, 4 wrong pair, 5 not
    framework, 6 garbled; status an index of fuzz_proxy.c's statuses
    (5 RETRY, 3 BUSY, 0 DENIED)."""
    return u8(OP_SPVM) + u8(1) + u8(0x20 | part) + u8(kind) + \
        u8(times - 1) + u8(status)


def sp_msg_send2(part, vm, size):
    """Partition `part` sends an indirect message of `size` bytes (1 to
    5000) to normal-world id `vm` (op_sp_notif: c % 5 == 2 with bit 6, a
    message, bit 7 clear, its header as the SPMC writes it; the vm and
    bits bytes, then the size less one as a 16-bit value)."""
    return u8(OP_SPVM) + u8(1) + u8(0x10 | part) + u8(0x43) + u8(vm) + \
        u8(0) + u16(size - 1)


def vm_destroyed_retry():
    return u8(OP_SPVM) + u8(1) + u8(0x60)


def vmavail_story():
    """VM availability: refused and garbled VM_CREATED (VM 1 already
    exists: toggled away first), VM_DESTROYED kept on RETRY, BUSY and
    interrupt, retried, the id reused while pending."""
    return (sp_answer(0, 1, 2, 5) + vm_toggle(1) + vm_toggle(1) +
            vm_destroyed_retry() + vm_toggle(1) + vm_destroyed_retry() +
            vm_toggle(1) + sp_answer(1, 1, 1, 0) + vm_toggle(1) +
            vm_toggle(1) + sp_answer(1, 6) + vm_toggle(1) + vm_toggle(1) +
            sp_answer(2, 3) + sp_answer(0, 2, 1, 3) + vm_toggle(2) +
            vm_toggle(2) + vm_toggle(2) + vm_destroyed_retry() +
            vm_toggle(2) + sp_answer(0, 4) + vm_toggle(1) +
            sp_answer(0, 5) + vm_toggle(1) + vm_toggle(1))


def session(ep, version):
    """Negotiate, map buffers, discover, message."""
    return (tpl(ep, T_VERSION, u8(VSEL[version])) +
            tpl(ep, T_RXTX_MAP, u8(0) + u8(0)) +
            tpl(ep, T_ID_GET) + tpl(ep, T_SPM_ID_GET) +
            tpl(ep, T_FEATURES, u8(0x13)) +          # FEATURES(MEM_SHARE)
            tpl(ep, T_PINFO, u8(3)) + tpl(ep, T_RX_RELEASE) +
            tpl(ep, T_PINFO, u8(4)) +                  # count only
            tpl(ep, T_PINFO_REGS, u8(3) + u8(1)) +
            tpl(ep, T_DIRECT, u8(0) + u32(1) * 5) +
            tpl(ep, T_DIRECT, u8(1) + u32(2) * 5 + u8(1)) +
            tpl(ep, T_DIRECT2, u8(0) + u64(3) * 14))


def memory_story(ep):
    return (mem(ep, 0) + reclaim(ep) +
            mem(ep, 0, 6, recv2=True, width64=True) + sp_retrieve() +
            reclaim(ep) + sp_relinquish() + reclaim(ep) +
            mem(ep, 1, 12, nranges=4, frag=5) + frag_tx(ep, 2) +
            frag_tx(ep, 8) + reclaim(ep) +
            mem(ep, 2, 24, nranges=2) + sp_retrieve() +
            tpl(ep, T_RXTX_UNMAP, u8(0)))


def nested(mode, k, inner, outer, then=None):
    """Arm `inner` (template or raw bytes from tpl()/raw(), or emb()) to
    run as another CPU at the k-th point `mode` names inside `outer` (a
    tpl() or raw() call); `then`, a tpl() call, right after `inner` on
    that CPU."""
    assert outer[0] in (OP_RAW, OP_TEMPLATE)
    b = u8(OP_NESTED) + u8(mode | (k - 1) << 2)
    if isinstance(inner, tuple):
        assert then is None
        b += u8(3) + u8(inner[0]) + u8(inner[1])
    else:
        b += (u8((0 if inner[0] == OP_RAW else 1) | (0xfc if then else 0)) +
              inner[1:])
    if then:
        assert then[0] == OP_TEMPLATE
        b += then[1:]
    return b + u8(1 if outer[0] == OP_RAW else 0) + outer[1:]


def emb(op, arg=0):
    """An embedder operation for nested(): EMB_VM toggles VM 1 + arg % 2;
    retrieve/relinquish: partition arg % 4, handle arg >> 2 (newest 0)."""
    return (op, arg)


def nested_stories():
    """Two CPUs: a call from one endpoint interrupted at each of its first
    SMCs and lock boundaries by another endpoint's call or an embedder
    operation."""
    seeds = []
    inners = [mem(1, 0, 3), mem(1, 1, 6, nranges=2, frag=2), reclaim(1),
              reclaim(0), tpl(0, T_RXTX_UNMAP, u8(0)),
              tpl(1, T_RXTX_UNMAP, u8(0)), tpl(0, T_PINFO, u8(3)),
              tpl(0, T_RX_RELEASE), tpl(1, T_VERSION, u8(VSEL['1.1'])),
              tpl(1, T_DIRECT, u8(0) + u32(7) * 5), frag_tx(0, 8),
              emb(EMB_VM, 0), emb(EMB_ORPHANS), emb(EMB_VM_RETRY),
              emb(EMB_RETRIEVE, 0), emb(EMB_RELINQUISH, 0),
              emb(EMB_HOST_RESET)]
    outers = [mem(0, 0, 9), mem(0, 1, 12, nranges=4, frag=5),
              frag_tx(0, 8), reclaim(0), tpl(0, T_RXTX_UNMAP, u8(0)),
              tpl(0, T_PINFO, u8(3)), tpl(1, T_RXTX_MAP, u8(0) + u8(0)),
              mem(0, 2, 20)]
    for spmc in ('1.1', '1.2'):
        for mode in range(4):
            body = session(0, '1.2') + session(1, '1.2') + mem(0, 0, 1)
            for i, outer in enumerate(outers):
                for j, inner in enumerate(inners):
                    if (i + j) % 3 == mode % 3:
                        body += nested(mode, 1 + (i + j) % 3, inner, outer)
                body += tpl(0, T_RXTX_MAP, u8(0) + u8(0))
            seeds.append(config(spmc, '1.2') + body[:60000])
    return seeds


def hand_written():
    seeds = nested_stories()
    for spmc in ('1.0', '1.1', '1.2'):
        for proxy in ('1.0', '1.1', '1.2'):
            for strict in (False, True):
                for caller in ('1.0', '1.1', '1.2'):
                    body = (session(0, caller) + memory_story(0) +
                            session(1, caller) + memory_story(1) +
                            vm_toggle(1) + vm_toggle(1) + session(1, '1.2'))
                    seeds.append(config(spmc, proxy, strict) + body)
    # Misbehaving SPMC, faults, granules, small limits.
    base = session(0, '1.2') + memory_story(0)
    for knob in (u8(0), u8(1) + u8(9), u8(2) + u64(0x1234), u8(3) + u8(0xf0)):
        seeds.append(config() + u8(OP_KNOB) + knob + base)
    # Preempted direct requests resumed by FFA_RUN (w1 of the last reply),
    # also by another caller, and with the SPMC's replies corrupted.
    for knob in (u8(5) + u8(0x24) + u8(1), u8(5) + u8(0x35) + u8(2)):
        for corrupt in (b'', u8(OP_KNOB) + u8(6) + u8(0x01),
                        u8(OP_KNOB) + u8(6) + u8(0x0e)):
            run = tpl(0, T_RUN, u8(0x21)) + tpl(1, T_RUN, u8(0x21))
            seeds.append(config() + session(0, '1.2') + session(1, '1.1') +
                         u8(OP_KNOB) + knob + corrupt +
                         tpl(0, T_DIRECT, u8(0) + u32(1) * 5) + run +
                         tpl(1, T_DIRECT, u8(1) + u32(2) * 5 + u8(1)) +
                         run + run + tpl(0, T_DIRECT2, u8(1) + u64(3) * 14) +
                         run + run)
    # The host giving partitions cycles (FFA_RUN of a vCPU in no
    # request): MSG_WAIT, then each scripted answer twice (the vCPU byte);
    # a VM's request preempted between the host's runs.
    for answer in range(6):
        cyc = tpl(0, T_RUN, u8(0x60)) + tpl(0, T_RUN, u8(0x20))
        seeds.append(config() + session(0, '1.2') + session(1, '1.2') +
                     cyc + u8(OP_KNOB) + u8(5) + u8(0x24) +
                     u8((answer + 1) << 2 | 0x20) + cyc +
                     tpl(1, T_DIRECT, u8(0) + u32(1) * 5) + cyc +
                     tpl(1, T_RUN, u8(0x21)) + cyc)
    # VM 1's request preempted; in its SMC-to-record window (another
    # CPU) the host's run for cycles ends it and VM 2's request is
    # preempted on the same vCPU: VM 1's record is late, VM 2's stays.
    for yld in (0, 0x18):  # parts[0], two requests; FFA_YIELD
        late = nested(NEST_LOCK_FREE, 1, tpl(0, T_RUN, u8(0x60)),
                      tpl(1, T_DIRECT, u8(0) + u32(1) * 5),
                      then=tpl(2, T_DIRECT, u8(0) + u32(2) * 5))
        seeds.append(config() + session(0, '1.2') + session(1, '1.2') +
                     session(2, '1.2') + u8(OP_KNOB) + u8(5) +
                     u8(0x06 | yld) + u8(0) + late +
                     tpl(1, T_RUN, u8(0x21)) + tpl(0, T_RUN, u8(0x21)) +
                     tpl(2, T_RUN, u8(0x21)))
    for op in range(4):
        for k in (1, 2, 3):
            seeds.append(config() + session(0, '1.1') + u8(OP_FAULT) +
                         u8(op) + u8(k - 1) + u8(0) + memory_story(0))
    for granule in (2, 3):
        seeds.append(config(granule=granule) + base)
    for limits in (0x15, 0x2a, 0x01):
        seeds.append(config(limits=limits, hyp_pages_sel=0) + base)
    seeds.append(config(smccc11=True) + base)
    # A 1.2 SPMC without PARTITION_INFO_GET_REGS: the emulation serves it.
    for strict in (False, True):
        for lacks in (True, 'unknown'):
            seeds.append(config(strict=strict, lacks_regs=lacks) + base +
                         session(1, '1.2'))
    for spmc in ('1.1', '1.2'):
        for strict in (False, True):
            seeds.append(config(spmc, '1.2', strict) + session(0, '1.2') +
                         session(1, '1.2') + memory_story(1) + sp_retrieve() +
                         vmavail_story() + session(1, '1.2'))
    return seeds


# ---- Scenario files

def function_ids(repo):
    """Spec names -> function ids, from include/ffaproxy/ffa.h."""
    text = open(os.path.join(repo, 'include/ffaproxy/ffa.h')).read()
    fns = {m.group(1): int(m.group(2), 16) for m in re.finditer(
        r'#define FFA_FN_(\w+) 0x([0-9A-Fa-f]+)u', text)}
    ids = {'SMCCC_VERSION': 0x80000000, 'SMCCC_ARCH_FEATURES': 0x80000001}
    only64 = {'PARTITION_INFO_GET_REGS', 'MSG_SEND_DIRECT_REQ2',
              'MSG_SEND_DIRECT_RESP2'}
    for name, fn in fns.items():
        ids['FFA_%s_32' % name] = 0x84000000 | fn
        ids['FFA_%s_64' % name] = 0xC4000000 | fn
        ids['FFA_' + name] = (0xC4000000 if name in only64 else 0x84000000) | fn
    return ids


STATUS = {'NOT_SUPPORTED': -1, 'INVALID_PARAMETERS': -2, 'NO_MEMORY': -3,
          'BUSY': -4, 'INTERRUPTED': -5, 'DENIED': -6, 'RETRY': -7,
          'ABORTED': -8, 'NO_DATA': -9, 'NOT_READY': -10}


def number(tok, ids):
    if tok in ids:
        return ids[tok]
    if tok in STATUS:
        return STATUS[tok] & 0xffffffff
    m = re.fullmatch(r'(\d+)\.(\d+)', tok)
    if m:
        return int(m.group(1)) << 16 | int(m.group(2))
    if re.fullmatch(r'-\d+', tok):
        return int(tok) & 0xffffffff
    return int(tok, 0)


def scenario(path, ids):
    cfg = {'spmc': '1.2', 'proxy': '1.2', 'strict': False, 'lacks': False,
           'npi': False}
    ops = b''
    slots = {}
    for raw in open(path):
        line = raw.split('#', 1)[0].split()
        if not line:
            continue
        try:
            if line[:2] == ['spmc', 'version'] and line[2] in CFG_VERSION:
                cfg['spmc'] = line[2]
            elif line[:2] == ['proxy', 'version'] and line[2] in CFG_VERSION:
                cfg['proxy'] = line[2]
            elif line[:2] == ['proxy', 'policy']:
                cfg['strict'] = line[2] == 'strict'
            elif line[:3] == ['spmc', 'lacks', 'FFA_PARTITION_INFO_GET_REGS']:
                cfg['lacks'] = ('unknown' if 'call=unknown' in line[3:]
                                else True)
            elif line[:3] == ['platform', 'notification-pending', 'on']:
                cfg['npi'] = True
            elif line[0] == 'call':
                args = line[1:]
                ep = 0
                if args and args[0].startswith('ep='):
                    ep = int(args[0][3:], 0)
                    args = args[1:]
                if ep > 2:
                    ep = 3
                func = number(args[0], ids)
                body, mask = b'', 0
                for i, a in enumerate(args[1:18]):
                    if a.startswith('$'):
                        if a[1:] not in slots:
                            raise ValueError(a)
                        body += u8(6) + u8(slots[a[1:]])
                    else:
                        body += u8(2) + u64(number(a, ids))
                    mask |= 1 << i
                ops += u8(OP_RAW) + u8(ep) + u8(0xff) + u32(func) + u32(mask) + body
            elif line[0] == 'write':
                args = line[1:]
                if args[0].startswith('ep='):
                    args = args[1:]
                data = bytes.fromhex(''.join(args[1:]))[:255]
                ops += u8(OP_WRITE) + u8(0x80) + u64(number(args[0], ids))
                ops += u8(len(data)) + data
            elif line[:2] == ['spmc', 'misbehave']:
                what = line[2]
                if what == 'none':
                    ops += u8(OP_KNOB) + u8(4)
                elif what == 'garbage-regs':
                    ops += u8(OP_KNOB) + u8(0)
                elif what == 'info-count':
                    ops += u8(OP_KNOB) + u8(1) + u8(number(line[3], ids))
                elif what == 'bogus-handle':
                    ops += u8(OP_KNOB) + u8(2) + u64(number(line[3], ids))
                elif what == 'frag-rx-offset':
                    ops += u8(OP_KNOB) + u8(3) + u8(number(line[3], ids))
            elif line[0] == 'fault':
                which = ['smc', 'transition', 'read', 'write'].index(line[1])
                k = max(1, min(8, number(line[2], ids)))
                ops += u8(OP_FAULT) + u8(which) + u8(k - 1) + u8(0)
            elif line[0] == 'save':
                name, reg = line[1], line[2]
                slot = slots.setdefault(name, len(slots) % 8)
                n = int(reg[1:])
                ops += u8(OP_SAVE) + u8(slot) + u8(n | (0x80 if reg[0] == 'w' else 0))
            elif line[:2] == ['destroy', 'vm'] and number(line[2], ids) in (1, 2):
                ops += vm_toggle(number(line[2], ids))
            elif line[:2] == ['reset', 'host']:
                ops += host_reset()
            elif line[0] == 'sp' and line[2] == 'msg-send2':
                part = {0x8001: 0, 0x8002: 1, 0x8003: 2}.get(number(line[1], ids), 0)
                size = 16
                for a in line[4:]:
                    if a.startswith('size='):
                        size = min(255, number(a[5:], ids))
                ops += sp_msg_send2(part, number(line[3], ids) % 3, size)
            elif line[0] == 'sp' and line[2] in ('retrieve', 'relinquish'):
                part = {0x8001: 0, 0x8002: 1, 0x8003: 2}.get(number(line[1], ids), 0)
                ops += (sp_retrieve(part) if line[2] == 'retrieve'
                        else sp_relinquish(part))
        except (ValueError, IndexError, KeyError):
            continue  # a line the fuzzer cannot express
    if not ops:
        return None
    return config(cfg['spmc'], cfg['proxy'], cfg['strict'],
                  lacks_regs=cfg['lacks'], npi=cfg['npi']) + ops


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else 'build/fuzz/seeds/proxy'
    repo = sys.argv[2] if len(sys.argv) > 2 else '.'
    os.makedirs(outdir, exist_ok=True)
    n = 0
    for s in hand_written():
        with open(os.path.join(outdir, 'seed%03d' % n), 'wb') as f:
            f.write(s)
        n += 1
    ids = function_ids(repo)
    files = sorted(glob.glob(os.path.join(repo, 'tests/**/*.ffa'), recursive=True) +
                   glob.glob(os.path.join(repo, 'demo/*.ffa')))
    for path in files:
        if '/sim-errors/' in path:
            continue
        s = scenario(path, ids)
        if s:
            name = os.path.relpath(path, repo).replace('/', '_')
            with open(os.path.join(outdir, name), 'wb') as f:
                f.write(s)
            n += 1
    print('%d seeds in %s' % (n, outdir))


if __name__ == '__main__':
    main()
