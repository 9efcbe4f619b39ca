#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later
"""Mutation testing of the core's validation rules (make mutate; not a test).

Applies one source mutation at a time to a copy of the tree in a temporary
directory (the checkout is never modified), rebuilds with gcc and runs a fast
subset of the tests: every ffa-sim scenario as scripts/check.sh runs them
(tests/sim-errors included, and the two platform modes), then the unit tests
but for the long explorers (test_interleave*). A mutant is killed when any of
them fails, survived when all pass, build-failed when it does not compile.

  scripts/mutate.py list [FILES...]           the mutants, one a line
  scripts/mutate.py apply --only ID --to DIR  write mutant ID into the tree
                                              at DIR (e.g. to try a new test)
  scripts/mutate.py run [--sample N] [--seed S] [--ops OPS] [--only IDS]
                        [--out FILE] [--san] [FILES...]

--san builds with clang, ASan+UBSan and redzones (scripts/sanitizers.sh's
flags, -DFFP_REDZONES) instead of gcc: slower, but an overrun inside the
instance, or of a struct's array, is a kill, as in make check's ASan run.

Operators: neg (if (c) -> if (!(c))), skip (if (c) -> if (0) where the body
refuses or returns), rel (< <=, > >=, == !=), ret (delete a refusal's
return), err (an FF-A error status replaced by another), obo (a literal in
a comparison +-1), drop (an && / || operand removed).
"""
import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..'))
TARGETS = ['src/mem_codec.c', 'src/mem.c', 'src/mem_cons.h', 'src/msg.c',
           'src/rxtx.c', 'src/discovery.c', 'src/partinfo.c', 'src/version.c',
           'src/run.c', 'src/vmavail.c', 'src/dispatch.c', 'src/notif.c',
           'src/msg2_relay.c', 'src/proxy.c', 'src/txn.c', 'src/txn.h']
ERRORS = ['FFA_INVALID_PARAMETERS', 'FFA_DENIED', 'FFA_NOT_SUPPORTED',
          'FFA_NO_MEMORY', 'FFA_BUSY', 'FFA_ABORTED', 'FFA_RETRY']
ERR_SWAP = {'FFA_INVALID_PARAMETERS': 'FFA_DENIED'}
REL_SWAP = {'<': '<=', '<=': '<', '>': '>=', '>=': '>', '==': '!=', '!=': '=='}
SLOW = ('test_interleave', 'test_interleave_run')
# The build: gcc by default, --san the ASan+UBSan build of scripts/sanitizers.sh.
BUILD = 'build/gcc'
MAKE_VARS = ['CC=gcc']
SAN_FLAGS = '-fsanitize=address,undefined -fno-sanitize-recover=all'
SAN_VARS = ['CC=clang', 'CFLAGS=-O1 -g -fno-omit-frame-pointer %s '
            '-DFFP_REDZONES' % SAN_FLAGS, 'LDFLAGS=' + SAN_FLAGS]
SAN_ENV = {'ASAN_OPTIONS': 'detect_leaks=1:exitcode=86',
           'UBSAN_OPTIONS': 'print_stacktrace=1:halt_on_error=1:exitcode=86'}
# Unit tests by cost, cheapest first; the slow ones run last.
UNIT_LAST = ('test_transparency', 'test_dispatch_matrix', 'test_mem_faults')


def blank(text):
    """text with comments, string/char literals and preprocessor lines
    replaced by spaces (offsets kept)."""
    out = list(text)
    i, n = 0, len(text)
    bol = True
    while i < n:
        c = text[i]
        if bol and text[i:i + 200].lstrip(' \t').startswith('#'):
            # preprocessor line, with continuations
            while i < n and text[i] != '\n':
                if text[i] == '\\' and i + 1 < n and text[i + 1] == '\n':
                    out[i] = ' '
                    i += 2
                    continue
                out[i] = ' '
                i += 1
            continue
        if text.startswith('/*', i):
            j = text.find('*/', i + 2)
            j = n if j < 0 else j + 2
            for k in range(i, j):
                if out[k] != '\n':
                    out[k] = ' '
            i = j
            bol = False
            continue
        if text.startswith('//', i):
            while i < n and text[i] != '\n':
                out[i] = ' '
                i += 1
            continue
        if c in '"\'':
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == '\\' else 1
            for k in range(i + 1, min(j, n)):
                out[k] = ' '
            i = j + 1
            bol = False
            continue
        if c == '\n':
            bol = True
        elif c not in ' \t':
            bol = False
        i += 1
    return ''.join(out)


def match(s, i):
    """index of the bracket closing the one at s[i]."""
    o = s[i]
    cl = {'(': ')', '{': '}', '[': ']'}[o]
    d = 0
    for j in range(i, len(s)):
        if s[j] == o:
            d += 1
        elif s[j] == cl:
            d -= 1
            if d == 0:
                return j
    return -1


def split_top(s, a, b):
    """operands of s[a:b] split at top-level && or ||: (op, [(start, end)])
    or None when there is one operand or the operators are mixed."""
    parts, ops, d, start, i = [], set(), 0, a, a
    while i < b:
        c = s[i]
        if c in '([{':
            d += 1
        elif c in ')]}':
            d -= 1
        elif d == 0 and s[i:i + 2] in ('&&', '||'):
            ops.add(s[i:i + 2])
            parts.append((start, i))
            start = i + 2
            i += 2
            continue
        elif d == 0 and c == '?':
            return None
        i += 1
    parts.append((start, b))
    if len(parts) < 2 or len(ops) != 1:
        return None
    return ops.pop(), parts


def drop_mutants(s, a, b, add):
    """remove each operand of every &&/|| chain inside s[a:b]."""
    r = split_top(s, a, b)
    if r:
        op, parts = r
        for k, (x, y) in enumerate(parts):
            if k == 0:
                cut = (x, parts[1][0])  # operand and the operator after it
            else:
                cut = (parts[k - 1][1], y)  # the operator before and operand
            add('drop', cut[0], cut[1], '',
                'drop %s' % ' '.join(s[cut[0]:cut[1]].split()))
    i = a
    while i < b:
        if s[i] == '(':
            j = match(s, i)
            if j < 0 or j > b:
                break
            drop_mutants(s, i + 1, j, add)
            i = j + 1
        else:
            i += 1


def body_end(s, j):
    """end of the statement following position j (an if's body)."""
    k = j
    while k < len(s) and s[k] in ' \t\n':
        k += 1
    if k < len(s) and s[k] == '{':
        return match(s, k) + 1
    e = k
    d = 0
    while e < len(s):
        if s[e] in '([{':
            d += 1
        elif s[e] in ')]}':
            d -= 1
        elif s[e] == ';' and d == 0:
            return e + 1
        e += 1
    return e


def gen(path):
    text = open(os.path.join(ROOT, path)).read()
    s = blank(text)
    muts = []

    def add(op, a, b, rep, what):
        line = text.count('\n', 0, a) + 1
        muts.append({'file': path, 'line': line, 'op': op, 'a': a, 'b': b,
                     'rep': rep, 'what': what})

    # if conditions: neg, skip, drop
    for m in re.finditer(r'\bif\s*\(', s):
        o = m.end() - 1
        c = match(s, o)
        if c < 0:
            continue
        cond = text[o + 1:c]
        add('neg', o + 1, c, '!(' + cond + ')', 'negate if condition')
        body = s[c + 1:body_end(s, c + 1)]
        if re.search(r'\breturn\b|refuse|_error\b|goto\b', body):
            add('skip', o + 1, c, '0', 'skip check (if (0))')
        drop_mutants(s, o + 1, c, add)
    # return expressions of && / || chains
    for m in re.finditer(r'\breturn\b', s):
        e = body_end(s, m.end()) - 1
        drop_mutants(s, m.end(), e, add)
    # relational operators
    for m in re.finditer(r'(?<![<>=!\-])(<=|>=|==|!=|<|>)(?![<>=])', s):
        op = m.group(1)
        add('rel', m.start(), m.end(), REL_SWAP[op], '%s -> %s' % (op, REL_SWAP[op]))
        # off-by-one: a literal right after the operator
        lm = re.match(r'\s*(\d+)(?![\dxXuUlL.])', s[m.end():])
        if lm:
            a = m.end() + lm.start(1)
            v = int(lm.group(1))
            add('obo', a, a + len(lm.group(1)), str(v + 1), '%d -> %d' % (v, v + 1))
            if v > 0:
                add('obo', a, a + len(lm.group(1)), str(v - 1), '%d -> %d' % (v, v - 1))
    # refusals' returns
    for m in re.finditer(r'\breturn\s*(false|FFA_[A-Z_]+|-\s*\w+)?\s*;', s):
        if m.group(1) and m.group(1).startswith('FFA_') and m.group(1) not in ERRORS:
            continue
        if re.match(r'\s*\n\}', s[m.end():]):
            continue  # a function's last statement
        add('ret', m.start(), m.end(), ';', 'delete %s' % text[m.start():m.end()])
    # error statuses
    for m in re.finditer(r'\b(FFA_[A-Z_]+)\b', s):
        name = m.group(1)
        if name in ERRORS:
            rep = ERR_SWAP.get(name, 'FFA_INVALID_PARAMETERS')
            add('err', m.start(), m.end(), rep, '%s -> %s' % (name, rep))
    for i, mu in enumerate(muts):
        mu['id'] = '%s:%d' % (path, i)
    return text, muts


def sh(cmd, cwd, timeout):
    try:
        r = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=timeout)
        return r.returncode, r.stdout.decode(errors='replace')
    except subprocess.TimeoutExpired:
        return 124, 'timeout'


class Tree:
    """a copy of the tree with a pristine build, restored between mutants."""

    def __init__(self, work):
        self.work = work
        self.base = os.path.join(work, 'base')
        self.tree = os.path.join(work, 'tree')
        # The checkout as it is, committed or not (tests being written),
        # never its build directory; copied again on every run, so that a
        # reused --work directory rebuilds only what changed.
        if subprocess.run(['git', 'rev-parse', '--git-dir'], cwd=ROOT,
                          stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL).returncode:
            sys.exit('%s is not a git checkout: nothing to copy' % ROOT)
        os.makedirs(self.base, exist_ok=True)
        subprocess.run('git ls-files -co --exclude-standard | '
                       'grep -v "^build/" | '
                       'tar -cf - -T - | tar -xf - -C "%s"' % self.base,
                       shell=True, cwd=ROOT, check=True)
        rc, out = self.make(self.base, 'all')
        if rc:
            sys.exit('pristine build failed:\n' + out[-3000:])
        if os.path.exists(self.tree):
            shutil.rmtree(self.tree)
        shutil.copytree(self.base, self.tree, symlinks=True)
        self.scen = sorted(
            os.path.relpath(os.path.join(d, f), self.tree)
            for d, _, fs in os.walk(os.path.join(self.tree, 'tests'))
            for f in fs if f.endswith('.ffa'))
        self.errs = [f for f in self.scen if f.startswith('tests/sim-errors/')]
        self.scen = [f for f in self.scen if not f.startswith('tests/sim-errors/')]
        ud = os.path.join(self.base, BUILD, 'tests')
        units = sorted(f for f in os.listdir(ud) if f.startswith('test_')
                       and f not in SLOW)
        self.units = [u for u in units if u not in UNIT_LAST] + \
            [u for u in UNIT_LAST if u in units]

    @staticmethod
    def make(d, *targets):
        # warnings off: a mutant that only trips -Werror is still a mutant
        return sh(['make', '-s', 'O=' + BUILD, 'WARN=-w'] + MAKE_VARS +
                  list(targets), d, 600)

    def restore(self, path):
        shutil.copy2(os.path.join(self.base, path), os.path.join(self.tree, path))
        b = os.path.join(self.tree, BUILD)
        shutil.rmtree(b)
        shutil.copytree(os.path.join(self.base, BUILD), b, symlinks=True)

    def tests(self):
        """None when every test passes, else what failed first."""
        sim = BUILD + '/ffa-sim'
        for f in self.scen:
            rc, _ = sh([sim, f], self.tree, 60)
            if rc:
                return f
        for f in self.errs:
            want = None
            for ln in open(os.path.join(self.tree, f)):
                if ln.startswith('# error: '):
                    want = ln[len('# error: '):].rstrip('\n')
                    break
            rc, out = sh([sim, f], self.tree, 60)
            if rc == 0 or rc == 124 or (want and want not in out):
                return f
        for mode in (['--per-range-transitions', '--no-smc-x0-x7'],
                     ['--spmc-check-constituents-last']):
            rc, _ = sh([sim] + mode + self.scen, self.tree, 120)
            if rc:
                return 'scenarios ' + ' '.join(mode)
        rc, out = self.make(self.tree, 'all')
        if rc:
            return 'unit build'
        for u in self.units:
            rc, out = sh([BUILD + '/tests/' + u], self.tree, 120)
            if rc or re.search(r': \d+ passed, [1-9]\d* failed', out):
                return u
        return None

    def mutant(self, text, mu):
        path = mu['file']
        new = text[:mu['a']] + mu['rep'] + text[mu['b']:]
        dst = os.path.join(self.tree, path)
        with open(dst, 'w') as f:
            f.write(new)
        t = time.time()
        try:
            rc, out = self.make(self.tree, BUILD + '/ffa-sim')
            if rc:
                return 'build-failed', out.strip().split('\n')[0][:120], time.time() - t
            by = self.tests()
            return ('killed' if by else 'survived'), by or '', time.time() - t
        finally:
            self.restore(path)


def main():
    global BUILD, MAKE_VARS
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('cmd', choices=['list', 'run', 'apply'])
    ap.add_argument('--to', default='', help='apply: the tree to write to')
    ap.add_argument('files', nargs='*')
    ap.add_argument('--sample', type=int, default=0, help='run N random mutants')
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--ops', default='neg,skip,rel,ret,err,obo,drop')
    ap.add_argument('--shard', default='', help='K/N: run every Nth mutant from the K-th')
    ap.add_argument('--only', default='', help='comma-separated mutant ids')
    ap.add_argument('--out', default='', help='also append results here')
    ap.add_argument('--work', default='', help='work directory (default: a new one in /tmp)')
    ap.add_argument('--san', action='store_true',
                    help='build with ASan+UBSan and redzones (clang)')
    # files may follow the options (run --sample 60 src/notif.c)
    a = ap.parse_intermixed_args()
    if a.san:
        BUILD, MAKE_VARS = 'build/asan', SAN_VARS
        os.environ.update(SAN_ENV)
    files = a.files or TARGETS
    ops = set(a.ops.split(','))
    texts, muts = {}, []
    for f in files:
        texts[f], m = gen(f)
        muts += [x for x in m if x['op'] in ops]
    if a.only:
        want = a.only.split(',')
        muts = [m for m in muts if m['id'] in want]
    if a.cmd == 'apply':
        if len(muts) != 1 or not a.to:
            sys.exit('apply: one mutant (--only ID) and --to DIR')
        m = muts[0]
        text = texts[m['file']]
        with open(os.path.join(a.to, m['file']), 'w') as f:
            f.write(text[:m['a']] + m['rep'] + text[m['b']:])
        print('%s\t%s:%d\t%s\t%s' % (m['id'], m['file'], m['line'], m['op'], m['what']))
        return
    if a.cmd == 'list':
        for m in muts:
            print('%s\t%s:%d\t%s\t%s' % (m['id'], m['file'], m['line'], m['op'], m['what']))
        print('%d mutants' % len(muts), file=sys.stderr)
        return
    if a.sample and a.sample < len(muts):
        muts = random.Random(a.seed).sample(muts, a.sample)
    if a.shard:
        k, n = map(int, a.shard.split('/'))
        muts = muts[k::n]
    work = a.work or tempfile.mkdtemp(prefix='ffp-mutate.')
    os.makedirs(work, exist_ok=True)
    print('work directory %s; %d mutants' % (work, len(muts)), flush=True)
    tree = Tree(work)
    # Every test must pass on the unmutated tree, or a kill means nothing.
    by = tree.tests()
    if by:
        sys.exit('the unmutated tree fails %s: nothing to measure' % by)
    print('baseline: every test passes', flush=True)
    count = {'killed': 0, 'survived': 0, 'build-failed': 0}
    outf = open(a.out, 'a') if a.out else None
    for i, mu in enumerate(muts):
        res, by, dt = tree.mutant(texts[mu['file']], mu)
        count[res] += 1
        ln = '%-12s %s\t%s:%d\t%s\t%s\t%.1fs\t%s' % (
            res, mu['id'], mu['file'], mu['line'], mu['op'], mu['what'], dt, by)
        print(ln, flush=True)
        if outf:
            outf.write(ln + '\n')
            outf.flush()
    print('%d mutants: %d killed, %d survived, %d build-failed' % (
        len(muts), count['killed'], count['survived'], count['build-failed']))


if __name__ == '__main__':
    main()
