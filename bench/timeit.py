#!/usr/bin/env python3
"""bench/timeit.py — run one command, record its wall time and peak memory.

usage: timeit.py LOG SYSTEM STEP REP [--stdin FILE] [--stdout FILE]
                 [--deadline EPOCH] -- CMD...

Appends one JSON line to LOG:
  {"system":..,"step":..,"rep":..,"seconds":wall,"user":..,"sys":..,
   "maxrss_kb":..,"rc":..,"cmd":"..."}
Wall time is time.perf_counter around fork/exec/wait; user, sys and the
peak resident set size come from the child's rusage (os.wait4), the same
figures /usr/bin/time -v prints (for a command that spawns children, the
largest one waited for).  The command's stderr passes through; its stdout
goes to --stdout (default: this process's stderr, so it never mixes with
the caller's output).  With --deadline (seconds since the epoch), the
command is sent SIGTERM (SIGKILL 10 s later) when that time comes; the
record then says "timed_out": true, and the exit status is 124.
Exits with the command's status.
"""
import json
import os
import shlex
import signal
import sys
import time


def main():
    a = sys.argv[1:]
    if '--' not in a or len(a) < 5:
        sys.exit(__doc__)
    i = a.index('--')
    head, cmd = a[:i], a[i + 1:]
    log, system, step, rep = head[:4]
    opts = dict(zip(head[4::2], head[5::2]))
    stdin = open(opts['--stdin'], 'rb') if '--stdin' in opts else None
    stdout = open(opts['--stdout'], 'wb') if '--stdout' in opts else None
    t0 = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            if stdin:
                os.dup2(stdin.fileno(), 0)
            os.dup2(stdout.fileno() if stdout else 2, 1)
            os.execvp(cmd[0], cmd)
        except OSError as e:
            print('timeit: %s: %s' % (cmd[0], e), file=sys.stderr)
        os._exit(127)
    timed_out = []
    if '--deadline' in opts:
        def expire(signum, frame):
            try:
                os.kill(pid, signal.SIGTERM if not timed_out
                        else signal.SIGKILL)
            except ProcessLookupError:
                pass
            timed_out.append(1)
            signal.alarm(10)
        signal.signal(signal.SIGALRM, expire)
        left = float(opts['--deadline']) - time.time()
        if left <= 0:
            expire(0, None)
        else:
            signal.alarm(max(1, int(left + 0.999)))
    _, status, ru = os.wait4(pid, 0)   # retried after the handler (PEP 475)
    signal.alarm(0)
    wall = time.perf_counter() - t0
    rc = 124 if timed_out else os.waitstatus_to_exitcode(status)
    rec = {'system': system, 'step': step, 'rep': int(rep),
           'seconds': round(wall, 4), 'user': round(ru.ru_utime, 3),
           'sys': round(ru.ru_stime, 3), 'maxrss_kb': ru.ru_maxrss,
           'rc': rc, 'cmd': ' '.join(shlex.quote(c) for c in cmd)}
    if timed_out:
        rec['timed_out'] = True
    with open(log, 'a') as f:
        f.write(json.dumps(rec, ensure_ascii=False) + '\n')
    sys.exit(rc if rc >= 0 else 128 - rc)


if __name__ == '__main__':
    main()
