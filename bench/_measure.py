"""Run one command and print its wall time, CPU time and peak RSS as JSON (stdlib only, kept tiny).

The bench runs every build through this launcher because Linux counts the memory a child had before
exec() in its peak RSS: forked straight from the bench process (Playwright and all loaded), every build
would report at least the bench's own size. This process is small, so the build's own peak shows.
Usage: python _measure.py LOG COMMAND...
"""

import json
import os
import subprocess
import sys
import time

log, command = sys.argv[1], sys.argv[2:]
with open(log, "w", encoding="utf-8") as out:
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
print(json.dumps({"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime,
                  "peak_rss_kib": usage.ru_maxrss, "returncode": os.waitstatus_to_exitcode(status)}))
