#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-or-later
# The threaded stress test (tests/unit/test_stress.c: 4 CPUs entering one
# proxy at once) built with ThreadSanitizer (clang -fsanitize=thread) and
# run for a fixed number of iterations per CPU (TSAN_STRESS_ITERS, default
# 4000). It fails on a test failure or on any data race TSan reports,
# except those listed in tests/extra/tsan-open.txt (races found and
# reported, not fixed yet; each line names the two functions of a race).
# A listed race that no longer shows is only mentioned: interleavings
# vary from run to run. First, a two-thread program with a deliberate race
# must be reported, so the step is known to be able to fail.
set -u
cd "$(dirname "$0")/../.."
out=build/tsan
mkdir -p "$out"
cc=${TSAN_CC:-clang}
flags="-std=c11 -g -O1 -fsanitize=thread -Wall -Wextra -Werror -Iinclude -I."
unset ASAN_OPTIONS UBSAN_OPTIONS # scripts/sanitizers.sh's are not for TSan
export TSAN_OPTIONS="halt_on_error=0:history_size=7:exitcode=66"

cat >"$out/race.c" <<'C'
#include <pthread.h>
static int shared;
static void *bump(void *arg) { (void)arg; shared++; return 0; }
int main(void)
{
	pthread_t t;
	pthread_create(&t, 0, bump, 0);
	shared++;
	pthread_join(t, 0);
	return 0;
}
C
$cc $flags "$out/race.c" -o "$out/race" -lpthread || exit 1
# (A run where the two threads happen not to overlap in TSan's view is
# rare but possible on a loaded machine: three tries.)
caught=no
for _ in 1 2 3; do
	if ! "$out/race" >"$out/race.log" 2>&1 && grep -q "data race" "$out/race.log"; then
		caught=yes
		break
	fi
done
if [ $caught = no ]; then
	echo "tsan: a deliberate race went unreported" >&2
	exit 1
fi

# shellcheck disable=SC2086
$cc $flags src/*.c sim/*.c tests/unit/test_stress.c -o "$out/test_stress" \
	-lpthread || exit 1
STRESS_ITERS=${TSAN_STRESS_ITERS:-4000} "$out/test_stress" >"$out/stress.log" 2>&1
rc=$?
grep -E "test_stress:" "$out/stress.log"
python3 - "$out/stress.log" tests/extra/tsan-open.txt "$rc" <<'PY'
import re
import sys

log, known_file, rc = sys.argv[1], sys.argv[2], int(sys.argv[3])
known = set()
for line in open(known_file):
    line = line.split('#', 1)[0].strip()
    if line:
        known.add(tuple(sorted(s.strip() for s in line.split('~'))))


def first_own_frame(stack):
    """The first frame in the project's own sources: 'function (file)'."""
    for func, path in stack:
        m = re.search(r'/((?:src|sim|tests)/[^:]+):\d+', path)
        if m:
            return '%s (%s)' % (func, m.group(1))
    return '?'


races = []
cur = None  # [stacks], each a list of (func, path)
for line in open(log):
    if 'WARNING: ThreadSanitizer' in line:
        cur = []
        races.append(cur)
    elif cur is not None and re.match(r'\s+(Previous )?(atomic )?(read|write) of size', line, re.I):
        cur.append([])
    elif cur is not None and cur and re.match(r'\s+#\d+ ', line):
        parts = line.split()
        cur[-1].append((parts[1], parts[2] if len(parts) > 2 else ''))
    elif line.startswith('SUMMARY: ThreadSanitizer'):
        cur = None

bad = 0
seen = set()
for stacks in races:
    key = tuple(sorted(first_own_frame(s) for s in stacks[:2]))
    if key in seen:
        continue
    seen.add(key)
    if key in known:
        print('open race (reported): %s' % ' ~ '.join(key))
    else:
        bad += 1
        print('FAIL data race: %s' % ' ~ '.join(key))
for key in sorted(known - seen):
    print('not seen this run: %s' % ' ~ '.join(key))
passed = re.search(r'^test_stress: \d+ passed, 0 failed$', open(log).read(), re.M)
if not passed:
    print('FAIL test_stress did not pass (exit %d)' % rc)
    bad += 1
elif rc != 0 and not races:
    print('FAIL test_stress exited %d without a race report' % rc)
    bad += 1
sys.exit(1 if bad else 0)
PY
status=$?
[ $status = 0 ] || tail -n 40 "$out/stress.log" >&2
exit $status
