#!/usr/bin/env bash
# Kills what a test host started and could not clean up because it died (hang timeout, OOM kill, crash):
# every process whose environment carries TINYSWAP_TEST_HOST=PID:STARTTIME of a host that is no longer running
# (tests/TinySwap.Tests/Support/TestHostMark.cs sets it; the start time guards against pid reuse).
set -u
# One grep over every environment (a process per /proc entry would take seconds on a loaded machine).
grep -a -z -H '^TINYSWAP_TEST_HOST=' /proc/[0-9]*/environ 2>/dev/null | tr '\0' '\n' |
while IFS= read -r hit; do
  [ -n "$hit" ] || continue
  pid=${hit#/proc/}; pid=${pid%%/*}
  mark=${hit#*:TINYSWAP_TEST_HOST=}
  host=${mark%%:*}
  stat=$(cat "/proc/$host/stat" 2>/dev/null) || stat=""
  # proc(5): field 22 is the start time; the fields after the last ')' begin at field 3.
  start=$(printf '%s' "${stat##*) }" | awk '{print $20}')
  if [ "$host:$start" != "$mark" ]; then
    kill -KILL "$pid" 2>/dev/null && echo "sweep-orphans: killed $pid, left by test host $host"
  fi
done
exit 0
