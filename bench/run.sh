#!/usr/bin/env bash
# make bench: measures tinyswap's promises against the fake upstream direct, nginx and HAProxy, in one run
# on this machine, and prints one markdown table (also written to bench/results.md with date, machine and
# versions, and, when every figure was taken, into README's Performance section between its bench markers,
# with the commit measured). Compares by ratios: the machine is shared and noisy. Exits 1 if any figure is
# missing.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TS=${TINYSWAP:-$ROOT/dist/tinyswap}   # TINYSWAP=path benches another build
FAKE=$ROOT/dist/FakeUpstream

# --- tools -------------------------------------------------------------------------------------------
need=()
for tool in wrk:wrk hyperfine:hyperfine nginx:nginx-light haproxy:haproxy curl:curl setsid:util-linux; do
  command -v "${tool%%:*}" >/dev/null 2>&1 || [ -x "/usr/sbin/${tool%%:*}" ] || need+=("${tool#*:}")
done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then echo "bench: missing tools; run: sudo apt-get install ${need[*]}" >&2; exit 2; fi
  echo "bench: installing ${need[*]}" >&2
  # Keep the packages' own nginx and HAProxy services from starting: we run our own, on loopback.
  policy=/usr/sbin/policy-rc.d; made_policy=
  if [ ! -e $policy ]; then printf '#!/bin/sh\nexit 101\n' >$policy && chmod +x $policy && made_policy=1; fi
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  status=$?
  [ -n "$made_policy" ] && rm -f $policy
  [ $status -eq 0 ] || { echo "bench: apt-get install ${need[*]} failed" >&2; exit 2; }
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
HAPROXY=$(command -v haproxy || echo /usr/sbin/haproxy)
for binary in "$TS" "$FAKE"; do
  [ -x "$binary" ] || { echo "bench: $binary is missing: run ./build.sh (make bench does)" >&2; exit 2; }
done

source bench/lib.sh
trap cleanup EXIT
trap 'exit 130' INT TERM
source bench/measures.sh

cat >"$WORK/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"model":"bench","messages":[{"role":"user","content":"hello"}],"max_tokens":8}'
wrk.headers["Content-Type"] = "application/json"
LUA
CHAT='{"model":"bench","messages":[{"role":"user","content":"hello"}]}'

# --- the servers: fake upstream direct, nginx in front of it, tinyswap in front of its own fake ------
# A port is free when picked but another program on this shared machine may take it first: each server
# gets three tries, on a fresh port each time.
for try in 1 2 3; do
  FAKE_PORT=$(free_port)
  start_bg fake "$FAKE" --port "$FAKE_PORT" --model bench --slot-dir "$WORK"
  FAKE_PID=$BG_PID
  wait_port "$FAKE_PORT" "$FAKE_PID" && break
  stop_bg "$FAKE_PID"; FAKE_PID=
done
[ -n "$FAKE_PID" ] || { echo "bench: the fake upstream did not start: $(tail -3 "$WORK/fake.log")" >&2; exit 1; }

for try in 1 2 3; do
  NGINX_PORT=$(free_port)
  write_nginx_conf "$WORK/nginx" "$NGINX_PORT" "$FAKE_PORT"
  start_bg nginx "$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e stderr
  NGINX_PID=$BG_PID
  wait_port "$NGINX_PORT" "$NGINX_PID" && break
  stop_bg "$NGINX_PID"; NGINX_PID=
done
[ -n "$NGINX_PID" ] || { echo "bench: nginx did not start: $(tail -3 "$WORK/nginx.log")" >&2; exit 1; }
sleep 0.5
NGINX_WORKER=$(pgrep -P "$NGINX_PID" | head -1)
NGINX_IDLE_KB=$(rss_kb "$NGINX_WORKER")

HAPROXY_PID=
HAPROXY_DOWN="HAProxy did not start"
for try in 1 2 3; do
  HAPROXY_PORT=$(free_port)
  write_haproxy_conf "$WORK/haproxy" "$HAPROXY_PORT" "$FAKE_PORT"
  start_bg haproxy "$HAPROXY" -db -f "$WORK/haproxy/haproxy.cfg"
  if wait_port "$HAPROXY_PORT" "$BG_PID"; then
    HAPROXY_PID=$BG_PID
    break
  fi
  HAPROXY_DOWN="HAProxy did not listen on 127.0.0.1:$HAPROXY_PORT: $(tail -2 "$WORK/haproxy.log" | tr '\n' ' ')"
  stop_bg "$BG_PID"
done

TS_PID=
TS_DOWN="tinyswap did not serve"
for try in 1 2 3; do
  TS_PORT=$(free_port)
  write_tinyswap_conf "$WORK/tinyswap.yaml" "$(free_port)"
  start_bg tinyswap "$TS" --config "$WORK/tinyswap.yaml" --listen "127.0.0.1:$TS_PORT"
  if wait_port "$TS_PORT" "$BG_PID" 10; then
    TS_PID=$BG_PID
    break
  fi
  TS_DOWN="tinyswap did not listen on 127.0.0.1:$TS_PORT (last log line: $(tail -1 "$WORK/tinyswap.log" 2>/dev/null | grep . || echo none))"
  stop_bg "$BG_PID"
done
if [ -n "$TS_PID" ]; then
  sleep 0.5
  TS_IDLE_KB=$(rss_kb "$TS_PID")
  if ! curl -sf -o /dev/null --max-time 30 -d "$CHAT" "http://127.0.0.1:$TS_PORT/v1/chat/completions"; then
    TS_DOWN="tinyswap listened but did not answer a chat completion for model bench"; TS_PID=
  fi
fi

# --- rows, measured in this order (the table lists them in the issue's order) -------------------------
# BENCH_ONLY="metrics_scrape events_throughput" runs only those measure_* (a quick look at a few rows, alone
# on the machine): the table is printed, bench/results.md and README are left as they are.
measure() {
  [ -z "${BENCH_ONLY:-}" ] || [[ " $BENCH_ONLY " == *" $1 "* ]] || return 0
  "measure_$@"
}
# Memory first, on the fresh processes: RSS with 100 streams, then the upload's RSS growth, before any
# load has grown a heap; the stream figure is taken again after the million requests. The /metrics scrape and
# the event streams come after the million requests, so their rows do not shift the memory rows.
measure size
measure arm64
measure version_exec
measure start
measure idle_rss
measure stream_rss fresh
measure upload
measure throughput
measure rss_after_million
measure stream_rss after
measure events_throughput
measure metrics_scrape
measure sse_delay
measure sse_cpu
measure sse_cpu_paced
measure swap
measure matrix

# --- report ------------------------------------------------------------------------------------------
{
  echo "# tinyswap benchmarks"
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores, $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo), Linux $(uname -r)."
  echo "Versions: $("$TS" --version 2>/dev/null | head -1 | grep . || echo 'tinyswap (no --version)') (commit $(git rev-parse --short HEAD 2>/dev/null || echo none)$(git diff --quiet HEAD -- src 2>/dev/null || echo ', with uncommitted changes')),"
  echo "$(dotnet --version 2>/dev/null | sed 's/^/.NET SDK /'), $(wrk -v 2>&1 | head -1 | awk '{print $1, $2}'), $("$NGINX" -v 2>&1 | sed 's/.*: //'), $("$HAPROXY" -v 2>&1 | head -1 | awk '{print $1, $3}'),"
  echo "$(hyperfine --version), $(curl --version | head -1 | awk '{print $1, $2}')."
  echo
  print_table
} | tee "$WORK/results.md"

if [ -n "${BENCH_ONLY:-}" ]; then
  echo "bench: BENCH_ONLY=$BENCH_ONLY: bench/results.md and README left as they were" >&2
  exit $(( FAILED > 0 ))
fi
cp "$WORK/results.md" bench/results.md

if [ "$FAILED" -ne 0 ]; then
  echo "bench: $FAILED figure(s) could not be measured (see the table); README left as it was" >&2
  exit 1
fi
write_readme_table README.md bench/results.md
