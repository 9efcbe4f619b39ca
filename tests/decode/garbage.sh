#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later
# ffa-decode never crashes: random registers, random bytes and the golden
# descriptors with random bytes changed, and text that is not hex,
# through every command; each run
# must exit 0, 1 or 2 (a signal or a sanitizer report fails).
# Usage: tests/decode/garbage.sh [FFA_DECODE] [RUNS] [SEED]
set -u
cd "$(dirname "$0")/../.."
bin=${1:-build/gcc/ffa-decode}
runs=${2:-2000}
seed=${3:-$RANDOM}
[ -x "$bin" ] || { echo "garbage.sh: $bin not built" >&2; exit 2; }
exec python3 - "$bin" "$runs" "$seed" <<'PY'
import glob, random, subprocess, sys
bin, runs, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rnd = random.Random(seed)
seeds = [bytes.fromhex(open(f).read().replace('\n', ''))
         for f in sorted(glob.glob('tests/decode/*.hex'))]
vers = ['1.0', '1.1', '1.2', '1.3']
def desc():
    if rnd.random() < 0.6:
        b = bytearray(rnd.choice(seeds))
        for _ in range(rnd.randint(1, 6)):
            i = rnd.randrange(len(b))
            b[i] = rnd.choice([0, 0xff, 0x80, 0x10, 0x20, rnd.randrange(256)])
        if rnd.random() < 0.3:
            b = b[:rnd.randrange(len(b) + 1)] or b'\0'
        return bytes(b)
    return bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 400)))
def reg():
    return rnd.choice([0, 1, 0xffffffff, 0x8000, 1 << 63, rnd.getrandbits(64),
                       rnd.getrandbits(32), 0x84000060 + rnd.randrange(0x30),
                       0xc4000060 + rnd.randrange(0x30)])
bad = 0
for n in range(runs):
    cmd = rnd.choice(['regs', 'mem', 'mem', 'partinfo', 'rxtx-desc', 'msg2'])
    args = [bin, cmd]
    if rnd.random() < 0.8:
        args += ['--version', rnd.choice(vers)]
    if cmd == 'regs':
        x0 = rnd.choice([0x84000060, 0xc4000060, 0x84010060])
        x0 += rnd.randrange(0x30) if rnd.random() < 0.9 else rnd.getrandbits(16)
        if rnd.random() < 0.2:
            args += ['--reply-to', hex(0x84000060 + rnd.randrange(0x30))]
        elif rnd.random() < 0.1:  # a FEATURES answer, by what was asked
            what = rnd.choice(['SRI', 'NPI', 'ME', hex(rnd.getrandbits(32)),
                               hex(0x84000060 + rnd.randrange(0x30)),
                               hex(0xc4000060 + rnd.randrange(0x30))])
            args += ['--reply-to', 'FFA_FEATURES:' + what]
        args += [hex(x0)] + [hex(reg()) for _ in range(rnd.randrange(18))]
    else:
        if cmd == 'mem':
            args += rnd.choice([[], ['--retrieve-resp'], ['--type', 'lend'],
                                ['--type', 'donate'], ['--granule', '64K']])
        d = desc()
        if cmd == 'mem' and rnd.random() < 0.2:
            args += ['--total', str(len(d) + 16 * rnd.randrange(4))]
        r = rnd.random()
        if r < 0.1:  # text that is not hex, or a dump gone wrong
            args.append(''.join(rnd.choice('0123456789abcdefx:|* \n-#,zZ')
                                for _ in range(rnd.randint(0, 80))))
        elif r < 0.2:
            args += [d.hex()[i:i + rnd.randint(1, 9)]
                     for i in range(0, len(d.hex()), 9)]
        else:
            args.append(d.hex())
    p = subprocess.run(args, capture_output=True, text=True, errors='replace')
    if p.returncode not in (0, 1, 2) or 'Sanitizer' in p.stderr or 'runtime error' in p.stderr:
        bad += 1
        print('FAIL (exit %d, seed %d): %s' % (p.returncode, seed, ' '.join(args)[:400]), file=sys.stderr)
        print(p.stderr[-2000:], file=sys.stderr)
        if bad > 5:
            break
print('decode garbage: %d runs, %d failed (seed %d)' % (n + 1, bad, seed))
sys.exit(1 if bad else 0)
PY
