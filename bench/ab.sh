#!/usr/bin/env bash
# bench/ab.sh: before/after comparison of proxy throughput, for performance work (not part of `make bench`).
#
#   bench/ab.sh [ROUNDS] [SECONDS]                      # dist/tinyswap against nginx and the upstream direct
#   A=old/tinyswap B=dist/tinyswap bench/ab.sh 5 5      # two builds, interleaved
#   A_ENV="DOTNET_GCgen0size=0x400000" bench/ab.sh      # one build, with and without an environment setting
#   MODE=sse A=old/tinyswap bench/ab.sh 5               # CPU per proxied SSE event instead (4 streams × SSE_EVENTS)
#
# Each round runs wrk (as in `make bench`) against every target in turn (reversed every other round), so machine noise
# hits them alike; it prints the median req/s, p99, the proxy's CPU time per request (user+system, from /proc: less
# sensitive to other load than req/s) and its RSS after the rounds.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
FAKE=$ROOT/dist/FakeUpstream
A=${A:-$ROOT/dist/tinyswap}
B=${B:-}
A_ENV=${A_ENV:-}
B_ENV=${B_ENV:-}
[ -z "$B" ] && [ -n "$B_ENV" ] && B=$A
[ -z "$B" ] && [ -n "$A_ENV" ] && { B=$A; B_ENV=${B_ENV:-}; }
MODE=${MODE:-json}
# `make bench` sends 25,000 per stream; 10× that makes the CPU time (counted in 10 ms ticks) exact to ~1%.
SSE_EVENTS=${SSE_EVENTS:-250000}
ROUNDS=${1:-5}
SECONDS_PER_RUN=${2:-5}

source bench/lib.sh
trap cleanup EXIT
trap 'exit 130' INT TERM
source bench/measures.sh

cat >"$WORK/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"model":"bench","messages":[{"role":"user","content":"hello"}],"max_tokens":8}'
wrk.headers["Content-Type"] = "application/json"
LUA

FAKE_PORT=$(free_port)
start_bg fake "$FAKE" --port "$FAKE_PORT" --model bench --slot-dir "$WORK"
wait_port "$FAKE_PORT" "$BG_PID" || { echo "ab: fake upstream did not start" >&2; exit 1; }
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
NGINX_PORT=$(free_port)
write_nginx_conf "$WORK/nginx" "$NGINX_PORT" "$FAKE_PORT"
start_bg nginx "$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e stderr
wait_port "$NGINX_PORT" "$BG_PID" || { echo "ab: nginx did not start" >&2; exit 1; }
sleep 0.3
NGINX_WORKER=$(pgrep -P "$BG_PID" | head -1)

# start_tinyswap NAME BINARY "ENV=1 ENV=2": sets TS_STARTED_PID, TS_STARTED_PORT
start_tinyswap() {
  local name=$1 binary=$2 env=$3 port
  port=$(free_port)
  # The model's server starts with an empty environment, so a setting under test reaches tinyswap only.
  cat >"$WORK/$name.yaml" <<YAML
startPort: $(free_port)
models:
  bench:
    cmd: /usr/bin/env -i $FAKE --port \${PORT} --model bench --slot-dir $WORK
YAML
  # shellcheck disable=SC2086
  start_bg "$name" env $env "$binary" --config "$WORK/$name.yaml" --listen "127.0.0.1:$port"
  wait_port "$port" "$BG_PID" 10 || { echo "ab: $name did not listen: $(tail -2 "$WORK/$name.log")" >&2; exit 1; }
  curl -sf -o /dev/null --max-time 30 -d '{"model":"bench"}' "http://127.0.0.1:$port/v1/chat/completions" \
    || { echo "ab: $name did not answer: $(tail -3 "$WORK/$name.log")" >&2; exit 1; }
  TS_STARTED_PID=$BG_PID TS_STARTED_PORT=$port
}

names=(direct nginx A); ports=("$FAKE_PORT" "$NGINX_PORT"); pids=("" "$NGINX_WORKER")
start_tinyswap A "$A" "$A_ENV"; ports+=("$TS_STARTED_PORT"); pids+=("$TS_STARTED_PID")
if [ -n "$B" ]; then
  start_tinyswap B "$B" "$B_ENV"; names+=(B); ports+=("$TS_STARTED_PORT"); pids+=("$TS_STARTED_PID")
fi
declare -A RPS P99 CPU
for i in "${!names[@]}"; do
  RPS[$i]=""; P99[$i]=""; CPU[$i]=""
  wrk_json "http://127.0.0.1:${ports[$i]}/v1/chat/completions" 2 "$WORK/warm.txt" || true
done
for round in $(seq 1 "$ROUNDS"); do
  # Every other round runs the targets in reverse, so neither build always runs right after the other. (On a loaded
  # machine even A=B showed B up to 25% above A: compare both ways round, A=x B=y and A=y B=x.)
  order=("${!names[@]}")
  (( round % 2 == 0 )) && order=($(printf '%s\n' "${order[@]}" | tac))
  for i in "${order[@]}"; do
    pid=${pids[$i]}; before=0
    [ -n "$pid" ] && before=$(cpu_us "$pid")
    if [ "$MODE" = sse ]; then
      # 4 streams with no gap between events, as `make bench` measures CPU per SSE event (no req/s or p99 here).
      [ -z "$pid" ] && continue
      if ! "$FAKE" sse-client --url "http://127.0.0.1:${ports[$i]}/v1/chat/completions" --streams 4 --events "$SSE_EVENTS" >"$WORK/sse.txt" 2>&1; then
        echo "ab: sse-client against ${names[$i]} failed: $(tail -3 "$WORK/sse.txt")" >&2; exit 1
      fi
      WRK_RPS=0 WRK_P99_US=0 WRK_REQUESTS=$(( 4 * SSE_EVENTS ))
    elif ! wrk_json "http://127.0.0.1:${ports[$i]}/v1/chat/completions" "$SECONDS_PER_RUN" "$WORK/wrk.txt"; then
      echo "ab: wrk against ${names[$i]} failed: $(tail -3 "$WORK/wrk.txt")" >&2; exit 1
    fi
    RPS[$i]+=" $WRK_RPS"; P99[$i]+=" $WRK_P99_US"
    [ -n "$pid" ] && CPU[$i]+=" $(awk -v c=$(( $(cpu_us "$pid") - before )) -v n="$WRK_REQUESTS" 'BEGIN {printf "%.2f", c / n}')"
  done
  echo "round $round: $(for i in "${!names[@]}"; do printf '%s %s  ' "${names[$i]}" "${RPS[$i]##* }"; done)" >&2
done

unit=req; [ "$MODE" = sse ] && unit=event
printf '%-7s %10s %10s %14s %10s  %s\n' target "req/s" "p99 µs" "CPU µs/$unit" "RSS" "(medians of $ROUNDS × ${SECONDS_PER_RUN} s; req/s per round)"
for i in "${!names[@]}"; do
  rps=$(tr ' ' '\n' <<<"${RPS[$i]}" | grep . | median)
  p99=$(tr ' ' '\n' <<<"${P99[$i]}" | grep . | median)
  cpu=-; rss=-
  if [ -n "${pids[$i]}" ]; then
    cpu=$(tr ' ' '\n' <<<"${CPU[$i]}" | grep . | median)
    rss=$(kb_mb "$(rss_kb "${pids[$i]}")")
  fi
  printf '%-7s %10s %10s %14s %10s  %s\n' "${names[$i]}" "$rps" "$p99" "$cpu" "$rss" "${RPS[$i]}"
done
[ -n "$B" ] && echo "A=$A ${A_ENV:+($A_ENV)}; B=$B ${B_ENV:+($B_ENV)}"
