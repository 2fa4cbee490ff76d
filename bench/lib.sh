# Helpers for bench/run.sh: ports, background processes (each in its own session, all cleaned up),
# /proc figures and wrk output parsing. Sourced, not run.

WORK=$(mktemp -d /tmp/tinyswap-bench.XXXXXX)
BG_PIDS=()

# A loopback port nothing listens on (random in 20000-59999; the kernel's ephemeral range starts above).
free_port() {
  local port
  while :; do
    port=$(( 20000 + RANDOM % 40000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
}

# start_bg NAME CMD... : runs CMD in a new session (setsid: its pid is its process-group id, so the
# whole group can be killed), output to $WORK/NAME.log; sets BG_PID.
start_bg() {
  local name=$1; shift
  setsid "$@" >"$WORK/$name.log" 2>&1 &
  BG_PID=$!
  BG_PIDS+=("$BG_PID")
}

# wait_port PORT PID [SECONDS]: true once PORT accepts a connection; false if PID died or time ran out.
wait_port() {
  local port=$1 pid=$2 deadline=$(( SECONDS + ${3:-20} ))
  while (( SECONDS < deadline )); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.02
  done
  return 1
}

# stop_bg PID: SIGTERM (graceful: tinyswap stops its models), SIGKILL to the group after 10 s.
stop_bg() {
  local pid=$1 deadline=$(( SECONDS + 10 ))
  kill -TERM "$pid" 2>/dev/null || return 0
  while kill -0 "$pid" 2>/dev/null && (( SECONDS < deadline )); do sleep 0.05; done
  kill -KILL -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# Every process we started, and any model server tinyswap started for us (their command lines name
# $WORK, which is unique to this run), then the work directory.
cleanup() {
  local pid proc
  for pid in "${BG_PIDS[@]}"; do stop_bg "$pid"; done
  for proc in /proc/[0-9]*; do
    if grep -qF "$WORK" "$proc/cmdline" 2>/dev/null; then kill -KILL "${proc#/proc/}" 2>/dev/null || true; fi
  done
  rm -rf "$WORK"
}

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

# CPU time (user+system) of PID in microseconds, from /proc/PID/stat fields 14 and 15.
cpu_us() {
  local ticks
  ticks=$(sed 's/.*) //' "/proc/$1/stat" | awk '{print $12 + $13}')
  echo $(( ticks * 1000000 / $(getconf CLK_TCK) ))
}

# Samples PID's RSS every 20 ms into FILE (max kept) until the sampler is killed.
sample_max_rss() {
  local pid=$1 file=$2 max=0 now
  while :; do
    now=$(rss_kb "$pid" 2>/dev/null) || break
    (( now > max )) && max=$now && echo "$max" >"$file"
    sleep 0.02
  done
}

# wrk's latency figure ("817.00us", "4.18ms", "1.02s") in microseconds.
to_us() {
  awk -v v="$1" 'BEGIN {
    n = v + 0
    if (v ~ /us$/) print int(n); else if (v ~ /ms$/) print int(n * 1000); else if (v ~ /s$/) print int(n * 1000000); else print -1 }'
}

# wrk_json URL SECONDS OUT: POSTs a small chat completion for model "bench" over 32 keep-alive
# connections; sets WRK_RPS, WRK_P50_US, WRK_P99_US, WRK_REQUESTS. False on errors or non-2xx answers.
wrk_json() {
  local url=$1 seconds=$2 out=$3
  wrk -t1 -c32 -d"${seconds}s" --latency -s "$WORK/post.lua" "$url" >"$out" 2>&1 || return 1
  if grep -qE 'Non-2xx|Socket errors' "$out"; then return 1; fi
  WRK_RPS=$(awk '/^Requests\/sec/ {printf "%d", $2}' "$out")
  WRK_P50_US=$(to_us "$(awk '$1 == "50%" {print $2}' "$out")")
  WRK_P99_US=$(to_us "$(awk '$1 == "99%" {print $2}' "$out")")
  WRK_REQUESTS=$(awk '/requests in/ {print $1}' "$out")
  [ -n "$WRK_RPS" ] && [ "$WRK_RPS" -gt 0 ]
}

# ratio A B: "1.23×"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "n/a"; else printf "%.2f×", a / b }'; }
mb() { awk -v b="$1" 'BEGIN { printf "%.2f MB", b / 1048576 }'; }
ms() { awk -v u="$1" 'BEGIN { printf "%.2f ms", u / 1000 }'; }
kb_mb() { awk -v k="$1" 'BEGIN { printf "%.1f MB", k / 1024 }'; }
median() { sort -n | awk '{a[NR] = $1} END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
kv() { tr ' ' '\n' | awk -F= -v k="$1" '$1 == k {print $2}'; }   # kv KEY < "a=1 b=2"

# write_readme_table README RESULTS: replaces what lies between README's "bench: start" and "bench: end"
# markers with this run's header and table, so README only ever shows a whole run of a named commit.
write_readme_table() {
  local readme=$1 results=$2
  grep -q '^<!-- bench: start -->$' "$readme" && grep -q '^<!-- bench: end -->$' "$readme" \
    || { echo "bench: $readme has no bench markers; the table is in $results only" >&2; return 1; }
  awk -v results="$results" '
    /^<!-- bench: start -->$/ { print; while ((getline line < results) > 0) if (line !~ /^# /) print line; skip = 1; next }
    /^<!-- bench: end -->$/ { skip = 0 }
    !skip' "$readme" >"$readme.new" && mv "$readme.new" "$readme"
  echo "bench: README.md Performance table updated" >&2
}
