#!/usr/bin/env bash
# Kills what a test host started and could not clean up because it died (hang timeout, OOM kill, crash):
# every process whose environment carries TINYSWAP_TEST_HOST=PID:STARTTIME of a host that is no longer running
# (tests/TinySwap.Tests/Support/TestHostMark.cs sets it; the start time guards against pid reuse).
set -u
for environ in /proc/[0-9]*/environ; do
  pid=${environ#/proc/}; pid=${pid%/environ}
  mark=$(tr '\0' '\n' < "$environ" 2>/dev/null | sed -n 's/^TINYSWAP_TEST_HOST=//p' | head -n 1)
  [ -n "$mark" ] || continue
  host=${mark%%:*}
  stat=$(cat "/proc/$host/stat" 2>/dev/null) || stat=""
  # proc(5): field 22 is the start time; the fields after the last ')' begin at field 3.
  start=$(printf '%s' "${stat##*) }" | awk '{print $20}')
  if [ "$host:$start" != "$mark" ]; then
    kill -KILL "$pid" 2>/dev/null && echo "sweep-orphans: killed $pid ($(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | cut -c1-80)), left by test host $host"
  fi
done
exit 0
