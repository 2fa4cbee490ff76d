# The rows of bench/run.sh: each measure_* adds one or two table rows with a footnote saying how the
# figure was taken, or a "not measured" row (which makes the run fail). Sourced by run.sh.

ROW_KEYS=()
ROW_TEXTS=()
ROW_NOTES=()
FAILED=0
KEY=0   # each measure_* sets it: the table lists rows by key (the issue's order), whatever order they were measured in

# row LABEL NOTE TINYSWAP REFERENCE RATIO GOAL
row() {
  ROW_KEYS+=("$KEY.${#ROW_KEYS[@]}")
  ROW_TEXTS+=("$1|$3 | $4 | $5 | $6")
  ROW_NOTES+=("$2")
}

# missing LABEL NOTE GOAL REASON [REFERENCE]
missing() {
  row "$1" "$2" "**not measured**: $4" "${5:-}" "" "$3"
  FAILED=$(( FAILED + 1 ))
}

print_table() {
  echo "| Measure | tinyswap | Reference | Ratio | Goal |"
  echo "|---|---|---|---|---|"
  local i n=0 notes=()
  for i in $(for i in "${!ROW_KEYS[@]}"; do echo "${ROW_KEYS[$i]} $i"; done | sort -t. -k1,1n -k2,2n | awk '{print $2}'); do
    n=$(( n + 1 ))
    echo "| ${ROW_TEXTS[$i]%%|*} [$n] | ${ROW_TEXTS[$i]#*|} |"
    notes+=("[$n] ${ROW_NOTES[$i]}  ")
  done
  echo
  printf '%s\n' "${notes[@]}"
}

write_nginx_conf() {
  local dir=$1 port=$2 upstream_port=$3
  mkdir -p "$dir/logs" "$dir/tmp"
  cat >"$dir/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $dir/nginx.pid;
error_log stderr warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    upstream fake {
        server 127.0.0.1:$upstream_port;
        keepalive 32;
    }
    server {
        listen 127.0.0.1:$port;
        client_max_body_size 0;
        location / {
            proxy_pass http://fake;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            # What an LLM proxy needs: events pass as they come, uploads stream.
            proxy_buffering off;
            proxy_request_buffering off;
        }
    }
}
CONF
}

# HAProxy as the second reference: one thread, idle upstream connections shared by every client (http-reuse
# always), nothing buffered (events pass as they come, uploads stream), no Nagle delay on small writes.
write_haproxy_conf() {
  local dir=$1 port=$2 upstream_port=$3
  mkdir -p "$dir"
  cat >"$dir/haproxy.cfg" <<CONF
global
    nbthread 1
    maxconn 4096
    pidfile $dir/haproxy.pid
defaults
    mode http
    timeout connect 5s
    timeout client 120s
    timeout server 120s
    option http-no-delay
frontend front
    bind 127.0.0.1:$port
    default_backend fake
backend fake
    http-reuse always
    server fake 127.0.0.1:$upstream_port
CONF
}

# The interface tinyswap serves (llama-swap's config format): model "bench" runs the fake upstream.
write_tinyswap_conf() {
  cat >"$1" <<YAML
startPort: $2
healthCheckTimeout: 60
models:
  bench:
    cmd: $FAKE --port \${PORT} --model bench --slot-dir $WORK
YAML
}

# Two models with a 500 ms load time, both in the default group: asking for one swaps the other out.
write_swap_conf() {
  cat >"$1" <<YAML
startPort: $2
healthCheckTimeout: 60
models:
  swap-a:
    cmd: $FAKE --port \${PORT} --model swap-a --startup-delay 500 --slot-dir $WORK
  swap-b:
    cmd: $FAKE --port \${PORT} --model swap-b --startup-delay 500 --slot-dir $WORK
YAML
}

# A client run that cannot hang the benchmark: killed after SECONDS (and SIGKILLed 5 s later).
bounded() { local seconds=$1; shift; timeout --kill-after=5 "$seconds" "$@"; }

measure_size() {
  KEY=10
  row "Binary size" "\`stat -c %s dist/tinyswap\` as ./build.sh publishes it (Native AOT, stripped)." \
    "$(mb "$(stat -c %s "$TS")")" "FakeUpstream $(mb "$(stat -c %s "$FAKE")")" "" "≤ 4 MB"
}

# The arm64 file (RID=linux-arm64 ./build.sh; make bench builds it) and the oldest glibc each file starts on:
# the highest GLIBC_ symbol version it imports (objdump -T). Size only: arm64 runs here under qemu, not timed.
glibc_floor() { objdump -T "$1" 2>/dev/null | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1; }
measure_arm64() {
  KEY=11
  local arm=$ROOT/dist/linux-arm64/tinyswap label="Binary size, arm64" note="\`stat -c %s dist/linux-arm64/tinyswap\` (cross-compiled, stripped); glibc floor: the highest GLIBC_ version in \`objdump -T\`, for both files (Raspberry Pi OS bookworm has 2.36, Ubuntu 22.04 / JetPack 6 2.35, Ubuntu 20.04 / JetPack 5 2.31)."
  if [ ! -f "$arm" ]; then
    missing "$label" "$note" "≤ 4 MB" "dist/linux-arm64/tinyswap is missing (RID=linux-arm64 ./build.sh)"; return
  fi
  row "$label" "$note" "$(mb "$(stat -c %s "$arm")"), glibc ≥ $(glibc_floor "$arm")" "x64 $(mb "$(stat -c %s "$TS")"), glibc ≥ $(glibc_floor "$TS")" "" "≤ 4 MB, glibc 2.31"
}

measure_version_exec() {
  KEY=25
  local label="Exec to exit, \`tinyswap --version\`" note="hyperfine -N (no shell), 5 warm-ups, 50 runs, median." csv=$WORK/hyperfine.csv
  if [ -z "$("$TS" --version 2>/dev/null)" ]; then
    missing "$label" "$note" "—" "\`tinyswap --version\` printed nothing"; return
  fi
  if ! bounded 120 hyperfine -N --warmup 5 --runs 50 --export-csv "$csv" "$TS --version" "$FAKE --help" >/dev/null 2>&1; then
    missing "$label" "$note" "—" "hyperfine failed"; return
  fi
  local ts fake
  ts=$(awk -F, 'NR == 2 {print int($4 * 1000000)}' "$csv")
  fake=$(awk -F, 'NR == 3 {print int($4 * 1000000)}' "$csv")
  row "$label" "$note" "$(ms "$ts")" "\`FakeUpstream --help\` $(ms "$fake")" "$(ratio "$ts" "$fake")" "—"
}

measure_start() {
  KEY=20
  local label="Start to listening, median of 30" goal="≤ 10 ms" port out nginx_out ts fake nginx
  local note="\`FakeUpstream start-time\`, a C# client mode: Stopwatch, Process.Start (fork/exec included), then a TCP connect to the port every 100 µs (usleep, so on 2 cores the prober leaves the CPU to the starting server) until one succeeds; 30 runs, each stopped with SIGTERM before the next. tinyswap reads and validates the bench config (one model) first. C# rather than bash + /dev/tcp: bash's \`sleep\` forks per attempt and its timestamps are coarse and jittery next to a 10 ms goal."
  port=$(free_port)
  out=$(bounded 120 "$FAKE" start-time --port "$port" --runs 30 -- "$FAKE" --port "$port" 2>&1) || { missing "$label" "$note" "$goal" "FakeUpstream: $out"; return; }
  fake=$(kv median_us <<<"$out")
  write_nginx_conf "$WORK/nginx-start" "$port" 9
  nginx_out=$(bounded 120 "$FAKE" start-time --port "$port" --runs 30 -- "$NGINX" -p "$WORK/nginx-start" -c "$WORK/nginx-start/nginx.conf" -e stderr 2>&1) \
    || { missing "$label" "$note" "$goal" "nginx: $nginx_out"; return; }
  nginx=$(kv median_us <<<"$nginx_out")
  local ref; ref="nginx $(ms "$nginx"); FakeUpstream $(ms "$fake")"
  out=$(bounded 120 "$FAKE" start-time --port "$port" --runs 30 -- "$TS" --config "$WORK/tinyswap.yaml" --listen "127.0.0.1:$port" 2>&1) \
    || { missing "$label" "$note" "$goal" "$(head -c 200 <<<"$out" | tr '\n' ' ')" "$ref"; return; }
  ts=$(kv median_us <<<"$out")
  row "$label" "$note" "$(ms "$ts")" "$ref" "$(ratio "$ts" "$nginx") nginx" "$goal"
}

measure_idle_rss() {
  KEY=30
  local label="RSS idle after start" note="VmRSS from /proc/PID/status 0.5 s after the port first accepted, before any request; nginx: its one worker, same moment of its life."
  [ -n "$TS_PID" ] || { missing "$label" "$note" "≤ 12 MB" "$TS_DOWN" "nginx worker $(kb_mb "$NGINX_IDLE_KB")"; return; }
  row "$label" "$note" "$(kb_mb "$TS_IDLE_KB")" "nginx worker $(kb_mb "$NGINX_IDLE_KB")" "$(ratio "$TS_IDLE_KB" "$NGINX_IDLE_KB")" "≤ 12 MB"
}

# streams_rss URL PID: sets STREAMS_KB, PID's VmRSS once 100 streams through URL are all open; false on failure
# (the client's output is in STREAMS_OUT).
streams_rss() {
  STREAMS_KB=
  STREAMS_OUT=$(bounded 60 "$FAKE" sse-client --url "$1" --streams 100 --events 20 --gap-ms 100 --rss-pid "$2" 2>&1) || return 1
  STREAMS_KB=$(kv rss_kb <<<"$STREAMS_OUT")
  [ -n "$STREAMS_KB" ]
}

# Taken twice: on the freshly started process (phase "fresh") and after the million-request run ("after"),
# which makes the row; the goal holds for the larger figure.
measure_stream_rss() {
  KEY=31
  local label="RSS with 100 open SSE streams" goal="≤ 40 MB" phase=$1
  local note="\`FakeUpstream sse-client --streams 100 --events 20 --gap-ms 100 --rss-pid PID\`: VmRSS read once every stream has its first event, so all 100 are open at once. Taken on the fresh process (before any other load) and again after the 1 M request run; nginx: its worker, fresh."
  if [ "$phase" = fresh ]; then
    NGINX_STREAMS_KB= TS_STREAMS_FRESH_KB= TS_STREAMS_FRESH_ERR=$TS_DOWN
    streams_rss "http://127.0.0.1:$NGINX_PORT/v1/chat/completions" "$NGINX_WORKER" && NGINX_STREAMS_KB=$STREAMS_KB
    NGINX_STREAMS_ERR=$STREAMS_OUT
    if [ -n "$TS_PID" ]; then
      streams_rss "http://127.0.0.1:$TS_PORT/v1/chat/completions" "$TS_PID" && TS_STREAMS_FRESH_KB=$STREAMS_KB
      TS_STREAMS_FRESH_ERR=$STREAMS_OUT
    fi
    return
  fi
  [ -n "$NGINX_STREAMS_KB" ] || { missing "$label" "$note" "$goal" "through nginx: $NGINX_STREAMS_ERR"; return; }
  local ref; ref="nginx worker $(kb_mb "$NGINX_STREAMS_KB")"
  [ -n "$TS_STREAMS_FRESH_KB" ] || { missing "$label" "$note" "$goal" "fresh: $TS_STREAMS_FRESH_ERR" "$ref"; return; }
  streams_rss "http://127.0.0.1:$TS_PORT/v1/chat/completions" "$TS_PID" || { missing "$label" "$note" "$goal" "after 1 M: $STREAMS_OUT" "$ref"; return; }
  local after=$STREAMS_KB high=$(( STREAMS_KB > TS_STREAMS_FRESH_KB ? STREAMS_KB : TS_STREAMS_FRESH_KB ))
  row "$label" "$note" "$(kb_mb "$TS_STREAMS_FRESH_KB") fresh, $(kb_mb "$after") after 1 M" "$ref" "$(ratio "$high" "$NGINX_STREAMS_KB")" "$goal"
}

# One wrk run per target per round, each round in a rotated order, so a change in the machine's load (other programs,
# a CPU that warms) hits every target alike instead of whichever ran last; medians of the rounds are reported.
BENCH_ROUNDS=${BENCH_ROUNDS:-3}

# rotated N I: the indexes 0..N-1 starting at I mod N.
rotated() { local n=$1 i; for (( i = 0; i < n; i++ )); do echo $(( ($2 + i) % n )); done; }

measure_throughput() {
  KEY=40
  local seconds=4
  local note="wrk -t1 -c32 (keep-alive), POST /v1/chat/completions with a 79-byte JSON body, small JSON answer (284 bytes). Targets: the fake upstream direct, nginx (1 worker, keepalive 32 upstream, HTTP/1.1, no buffering) in front of it, HAProxy (nbthread 1, http-reuse always) in front of it, tinyswap in front of the fake it started itself (same binary, same flags). 2 s warm-up each, then $BENCH_ROUNDS rounds of $seconds s per target, the order rotated every round; medians of the rounds. On 2 cores wrk, the proxy and the upstream share the CPU, so the proxy's own cost shows in every figure."
  local lat_note="Same wrk runs as the throughput row (wrk --latency), medians of the rounds."
  local names=(direct nginx HAProxy tinyswap) ports=("$FAKE_PORT" "$NGINX_PORT" "${HAPROXY_PORT:-}" "$TS_PORT")
  local -A rps p50 p99
  local t r cpu=0 before why= warm=0
  TS_REQUESTS=0
  [ -n "$HAPROXY_PID" ] || why=$HAPROXY_DOWN
  [ -n "$TS_PID" ] || why=${why:-$TS_DOWN}
  for t in 0 1 2 3; do
    [ -z "$why" ] || break
    wrk_json "http://127.0.0.1:${ports[$t]}/v1/chat/completions" 2 "$WORK/wrk-warm.txt" \
      || why="wrk via ${names[$t]} failed: $(tail -2 "$WORK/wrk-warm.txt" | tr '\n' ' ')"
    [ "$t" != 3 ] || warm=${WRK_REQUESTS:-0}
  done
  for (( r = 0; r < BENCH_ROUNDS; r++ )); do
    [ -z "$why" ] || break
    for t in $(rotated 4 "$r"); do
      [ "$t" != 3 ] || before=$(cpu_us "$TS_PID")
      if ! wrk_json "http://127.0.0.1:${ports[$t]}/v1/chat/completions" "$seconds" "$WORK/wrk-${names[$t]}.txt"; then
        why="wrk via ${names[$t]} failed: $(tail -2 "$WORK/wrk-${names[$t]}.txt" | tr '\n' ' ')"
        break
      fi
      rps[$t]+="$WRK_RPS " p50[$t]+="$WRK_P50_US " p99[$t]+="$WRK_P99_US "
      if [ "$t" = 3 ]; then
        cpu=$(( cpu + $(cpu_us "$TS_PID") - before ))
        TS_REQUESTS=$(( TS_REQUESTS + WRK_REQUESTS ))
      fi
    done
  done
  if [ -n "$why" ]; then
    missing "Throughput, small JSON" "$note" "≥ 1.0× nginx and HAProxy" "$why"
    KEY=41; missing "Latency p50 / p99" "$lat_note" "p99 ≤ nginx" "no complete run"
    return
  fi
  local -A m50 m99 mrps
  for t in 0 1 2 3; do
    mrps[$t]=$(tr ' ' '\n' <<<"${rps[$t]}" | grep . | median | awk '{printf "%d", $1}')
    m50[$t]=$(tr ' ' '\n' <<<"${p50[$t]}" | grep . | median)
    m99[$t]=$(tr ' ' '\n' <<<"${p99[$t]}" | grep . | median)
  done
  # CPU per request over every timed tinyswap run (the requests of the warm-up are not in it).
  TS_CPU_PER_REQUEST=$(awk -v c="$cpu" -v n="$TS_REQUESTS" 'BEGIN {printf "%.0f", c / n}')
  TS_REQUESTS=$(( TS_REQUESTS + warm ))
  TS_RPS=${mrps[3]}
  local ref="direct ${mrps[0]} req/s; nginx ${mrps[1]} req/s; HAProxy ${mrps[2]} req/s (rounds: tinyswap ${rps[3]% }; nginx ${rps[1]% }; HAProxy ${rps[2]% })"
  local lat_ref="direct $(ms "${m50[0]}") / $(ms "${m99[0]}"); nginx $(ms "${m50[1]}") / $(ms "${m99[1]}"); HAProxy $(ms "${m50[2]}") / $(ms "${m99[2]}")"
  row "Throughput, small JSON" "$note" "${mrps[3]} req/s" "$ref" \
    "$(ratio "${mrps[3]}" "${mrps[1]}") nginx, $(ratio "${mrps[3]}" "${mrps[2]}") HAProxy, $(ratio "${mrps[3]}" "${mrps[0]}") direct" "≥ 1.0× nginx and HAProxy"
  KEY=41
  row "Latency p50 / p99" "$lat_note" "$(ms "${m50[3]}") / $(ms "${m99[3]}")" "$lat_ref" \
    "$(ratio "${m99[3]}" "${m99[1]}") nginx p99, $(ratio "${m99[3]}" "${m99[2]}") HAProxy p99" "p99 ≤ nginx"
  sleep 3
  TS_RSS_EARLY_KB=$(rss_kb "$TS_PID") TS_REQUESTS_EARLY=$TS_REQUESTS
}

measure_rss_after_million() {
  KEY=32
  local label="RSS after 1 M proxied requests" goal="back near idle"
  local note="wrk as in the throughput row, continued until tinyswap has proxied 1,000,000 requests (at most 150 s more), then 3 s without requests (tinyswap gives its heap back after 2 quiet seconds); VmRSS. Also taken the same way after the throughput row's requests: equal figures mean no growth per request. Ratio to the idle RSS."
  [ -n "$TS_PID" ] && [ -n "${TS_RPS:-}" ] || { missing "$label" "$note" "$goal" "${TS_PID:+no throughput run}${TS_PID:-$TS_DOWN}"; return; }
  local budget=150 seconds
  while (( TS_REQUESTS < 1000000 && budget > 0 )); do
    seconds=$(( (1000000 - TS_REQUESTS) / TS_RPS + 1 ))
    (( seconds > budget )) && seconds=$budget
    wrk_json "http://127.0.0.1:$TS_PORT/v1/chat/completions" "$seconds" "$WORK/wrk-million.txt" || { missing "$label" "$note" "$goal" "wrk failed after $TS_REQUESTS requests"; return; }
    TS_REQUESTS=$(( TS_REQUESTS + WRK_REQUESTS ))
    budget=$(( budget - seconds ))
  done
  (( TS_REQUESTS >= 1000000 )) || { missing "$label" "$note" "$goal" "only $TS_REQUESTS requests within the time budget"; return; }
  sleep 3
  local after; after=$(rss_kb "$TS_PID")
  row "$label" "$note" "$(kb_mb "$after") after $TS_REQUESTS" "idle $(kb_mb "$TS_IDLE_KB"); $(kb_mb "$TS_RSS_EARLY_KB") after $TS_REQUESTS_EARLY" \
    "$(ratio "$after" "$TS_IDLE_KB") idle" "$goal"
}

# added N: a delay difference with its sign (+12, −58: a proxy measured faster than direct, which is noise).
added() { if [ "$1" -lt 0 ]; then echo "−$(( -$1 ))"; else echo "+$1"; fi; }

# delay_ratio OURS THEIRS: the ratio of two added delays, none when either is not above zero.
delay_ratio() { if [ "$1" -le 0 ] || [ "$2" -le 0 ]; then echo "no ratio (an added delay ≤ 0)"; else ratio "$1" "$2"; fi; }

measure_sse_delay() {
  KEY=50
  local label="SSE added delay per event, p50 / p99" goal="p99 ≤ 1 ms" direct nginx haproxy ts
  local note="The fake upstream emits 1,000 events 5 ms apart, each stamped with CLOCK_MONOTONIC just before its send; \`FakeUpstream sse-client\` subtracts the stamp on arrival (one clock for every process on the machine). Added delay = percentile through the proxy − the same percentile direct."
  local url=/v1/chat/completions
  direct=$(bounded 60 "$FAKE" sse-client --url "http://127.0.0.1:$FAKE_PORT$url" --events 1000 --gap-ms 5 2>&1) || { missing "$label" "$note" "$goal" "direct: $direct"; return; }
  nginx=$(bounded 60 "$FAKE" sse-client --url "http://127.0.0.1:$NGINX_PORT$url" --events 1000 --gap-ms 5 2>&1) || { missing "$label" "$note" "$goal" "nginx: $nginx"; return; }
  [ -n "$HAPROXY_PID" ] || { missing "$label" "$note" "$goal" "$HAPROXY_DOWN"; return; }
  haproxy=$(bounded 60 "$FAKE" sse-client --url "http://127.0.0.1:$HAPROXY_PORT$url" --events 1000 --gap-ms 5 2>&1) || { missing "$label" "$note" "$goal" "HAProxy: $haproxy"; return; }
  local d50 d99 n50 n99 h50 h99; d50=$(kv delay_us_p50 <<<"$direct"); d99=$(kv delay_us_p99 <<<"$direct")
  n50=$(kv delay_us_p50 <<<"$nginx"); n99=$(kv delay_us_p99 <<<"$nginx")
  h50=$(kv delay_us_p50 <<<"$haproxy"); h99=$(kv delay_us_p99 <<<"$haproxy")
  local ref="nginx $(added $(( n50 - d50 ))) / $(added $(( n99 - d99 ))) µs; HAProxy $(added $(( h50 - d50 ))) / $(added $(( h99 - d99 ))) µs; direct $d50 / $d99 µs"
  [ -n "$TS_PID" ] || { missing "$label" "$note" "$goal" "$TS_DOWN" "$ref"; return; }
  ts=$(bounded 60 "$FAKE" sse-client --url "http://127.0.0.1:$TS_PORT$url" --events 1000 --gap-ms 5 2>&1) || { missing "$label" "$note" "$goal" "$ts" "$ref"; return; }
  local t50 t99; t50=$(kv delay_us_p50 <<<"$ts"); t99=$(kv delay_us_p99 <<<"$ts")
  row "$label" "$note" "$(added $(( t50 - d50 ))) / $(added $(( t99 - d99 ))) µs" "$ref" \
    "$(delay_ratio $(( t99 - d99 )) $(( n99 - d99 ))) nginx p99, $(delay_ratio $(( t99 - d99 )) $(( h99 - d99 ))) HAProxy p99" "$goal"
}

# sse_cpu LABEL GOAL EVENTS GAP_MS HOW: CPU of each proxy per event over 4 concurrent streams of EVENTS events, GAP_MS
# apart (0: as fast as the fake can write), in BENCH_ROUNDS rotated rounds; one row, medians.
sse_cpu() {
  local label=$1 goal=$2 events=$3 gap=$4 how=$5
  local note="User+system CPU of the proxy process (/proc/PID/stat utime+stime) across 4 concurrent streams × $events events $how, divided by the $(( 4 * events )) events; nginx: its worker; HAProxy: its one process. $BENCH_ROUNDS rounds, the order rotated every round; medians."
  local names=(nginx HAProxy tinyswap) ports=("$NGINX_PORT" "${HAPROXY_PORT:-}" "$TS_PORT") pids=("$NGINX_WORKER" "${HAPROXY_PID:-}" "${TS_PID:-}")
  local -A cpu
  local t r before out why=
  [ -n "$HAPROXY_PID" ] || why=$HAPROXY_DOWN
  [ -n "$TS_PID" ] || why=${why:-$TS_DOWN}
  for (( r = 0; r < BENCH_ROUNDS; r++ )); do
    [ -z "$why" ] || break
    for t in $(rotated 3 "$r"); do
      before=$(cpu_us "${pids[$t]}")
      out=$(bounded 120 "$FAKE" sse-client --url "http://127.0.0.1:${ports[$t]}/v1/chat/completions" --streams 4 --events "$events" --gap-ms "$gap" 2>&1) \
        || { why="${names[$t]}: $out"; break; }
      cpu[$t]+="$(( $(cpu_us "${pids[$t]}") - before )) "
    done
  done
  [ -z "$why" ] || { missing "$label" "$note" "$goal" "$why"; return; }
  local -A per
  for t in 0 1 2; do
    per[$t]=$(tr ' ' '\n' <<<"${cpu[$t]}" | grep . | median | awk -v n=$(( 4 * events )) '{printf "%.2f", $1 / n}')
  done
  row "$label" "$note" "${per[2]} µs" "nginx ${per[0]} µs; HAProxy ${per[1]} µs" "$(ratio "${per[2]}" "${per[0]}") nginx, $(ratio "${per[2]}" "${per[1]}") HAProxy" "$goal"
}

measure_sse_cpu() {
  KEY=80
  sse_cpu "CPU per proxied SSE event" "≤ 0.7× nginx" 50000 0 "with no gap"
}

# At full speed each read carries many events, and how many swings from run to run for every proxy. Paced like a
# model's tokens, every event is its own read and send: the per-event cost a Raspberry Pi pays.
measure_sse_cpu_paced() {
  KEY=81
  sse_cpu "CPU per proxied SSE event, 1 ms apart" "—" 5000 1 "1 ms apart (each event its own read and send, as a model's tokens come)"
}

# upload URL PID: POSTs the 64 MiB file; sets UPLOAD_MBS and UPLOAD_GROWTH_KB (max RSS sampled during it − before).
upload() {
  local url=$1 pid=$2 before result sampler
  before=$(rss_kb "$pid"); echo "$before" >"$WORK/rss-max"
  sample_max_rss "$pid" "$WORK/rss-max" & sampler=$!
  result=$(curl -s --max-time 120 -H 'Content-Type: application/octet-stream' --data-binary "@$WORK/upload.bin" \
    -w ' %{http_code} %{time_total}' "$url")
  kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null
  [[ "$result" == *'"bytes":67108864'*' 200 '* ]] || return 1
  UPLOAD_MBS=$(awk -v t="${result##* }" 'BEGIN {printf "%d", 64 / t}')
  UPLOAD_GROWTH_KB=$(( $(cat "$WORK/rss-max") - before ))
}

measure_upload() {
  KEY=70
  local label="Upload 64 MiB" goal="≥ 0.9× nginx" note="curl --data-binary of 64 MiB of random bytes to the fake's /upload (which counts and hashes it): direct, through nginx, through tinyswap's /upstream/bench/upload, on the fresh processes (before the throughput runs). 5 rounds, the order rotated every round; medians. MiB/s."
  local growth_note="Highest VmRSS sampled every 20 ms during an upload above − VmRSS before it, the largest of the 5 rounds (goal from issue 3: under 8 MB)."
  local names=(direct nginx tinyswap) urls=("http://127.0.0.1:$FAKE_PORT/upload" "http://127.0.0.1:$NGINX_PORT/upload" "http://127.0.0.1:$TS_PORT/upstream/bench/upload")
  local pids=("$FAKE_PID" "$NGINX_WORKER" "$TS_PID") rates=("" "" "") growth=(0 0 0) round k i
  head -c 67108864 /dev/urandom >"$WORK/upload.bin"
  # One upload per target (~0.1 s) swung the ratio from 0.8× to 1.3× between runs: five, in a rotating order, medians.
  for round in 0 1 2 3 4; do
    for k in 0 1 2; do
      i=$(( (k + round) % 3 ))
      [ "$i" = 2 ] && [ -z "$TS_PID" ] && continue
      if ! upload "${urls[$i]}" "${pids[$i]}"; then
        [ "$i" = 2 ] || { missing "$label, throughput" "$note" "$goal" "upload ${names[$i]/nginx/through nginx} failed"; return; }
        missing "$label, throughput" "$note" "$goal" "upload through tinyswap failed"
        KEY=71; missing "$label, RSS growth" "$growth_note" "< 8 MB (streamed)" "upload through tinyswap failed"
        return
      fi
      rates[$i]+="$UPLOAD_MBS "
      (( UPLOAD_GROWTH_KB > growth[i] )) && growth[$i]=$UPLOAD_GROWTH_KB
    done
  done
  local direct nginx ts
  direct=$(printf '%s\n' ${rates[0]} | median); nginx=$(printf '%s\n' ${rates[1]} | median)
  local ref="direct $direct MiB/s; nginx $nginx MiB/s (rounds: direct ${rates[0]% }; nginx ${rates[1]% })"
  if [ -z "$TS_PID" ]; then
    missing "$label, throughput" "$note" "$goal" "$TS_DOWN" "$ref"
    KEY=71; missing "$label, RSS growth" "$growth_note" "< 8 MB (streamed)" "no tinyswap run" "nginx worker $(kb_mb "${growth[1]}")"
    return
  fi
  ts=$(printf '%s\n' ${rates[2]} | median)
  row "$label, throughput" "$note" "$ts MiB/s (rounds: ${rates[2]% })" "$ref" "$(ratio "$ts" "$nginx") nginx" "$goal"
  KEY=71
  row "$label, RSS growth" "$growth_note" "$(kb_mb "${growth[2]}")" "nginx worker $(kb_mb "${growth[1]}")" "" "< 8 MB (streamed)"
}

measure_swap() {
  KEY=60
  local label="Swap overhead, median of 20" goal="≤ 30 ms" port pid i model line samples=()
  local note="A second tinyswap serves two models in the default group, each the fake upstream with --startup-delay 500 (its /health answers 503 until 500 ms after the fake itself started). Requests alternate between them, so each one stops the other model and starts its own; curl's time to first byte − 500 ms, median of 20 after one cold start. Includes stopping the other model, spawning, the fake's own start-up before its 500 ms clock starts (~5 ms) and the health-probe lag."
  [ -n "$TS_PID" ] || { missing "$label" "$note" "$goal" "$TS_DOWN"; return; }
  port=$(free_port)
  write_swap_conf "$WORK/swap.yaml" "$(free_port)"
  start_bg tinyswap-swap "$TS" --config "$WORK/swap.yaml" --listen "127.0.0.1:$port"
  pid=$BG_PID
  wait_port "$port" "$pid" 10 || { missing "$label" "$note" "$goal" "the swap tinyswap did not listen"; return; }
  for i in $(seq 0 20); do
    model=swap-a; (( i % 2 )) && model=swap-b
    line=$(curl -s -o /dev/null --max-time 60 -w '%{http_code} %{time_starttransfer}' \
      -d "{\"model\":\"$model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}" "http://127.0.0.1:$port/v1/chat/completions")
    [ "${line%% *}" = 200 ] || { missing "$label" "$note" "$goal" "request $i for $model answered '$line'"; stop_bg "$pid"; return; }
    (( i > 0 )) && samples+=("$(awk -v t="${line#* }" 'BEGIN {printf "%d", t * 1000000 - 500000}')")
  done
  stop_bg "$pid"
  local median_us; median_us=$(printf '%s\n' "${samples[@]}" | median)
  row "$label" "$note" "$(ms "$median_us")" "the model's own load: 500 ms" "" "$goal"
}

measure_matrix() {
  KEY=61
  local label="Matrix solve, 10 groups × 10 alternatives" goal="microseconds" line cpu wall bytes
  local note="bench/MatrixBench (the solver's own sources, JIT-compiled): one matrix set \`target & (m0-0 | … | m0-9) & … & (m9-0 | … | m9-9)\`, 10^10 combinations if expanded, 112 nodes compiled. Each solve requests \`target\` while the running set rotates among four (up to 11 models; one holds two alternatives of a group, so there is a choice to make). Median of 7 rounds of 20,000 solves, after 20,000 to warm up: the process's CPU time per solve, and in parentheses the Stopwatch time, which on a loaded machine also counts time other programs held the core; bytes allocated per solve from the GC's counter."
  line=$(dotnet run -c Release --project bench/MatrixBench 2>"$WORK/matrix.log" | tail -1)
  case $line in
    cpu_us=*) ;;
    *) missing "$label" "$note" "$goal" "bench/MatrixBench failed: $(tail -1 "$WORK/matrix.log")"; return ;;
  esac
  cpu=$(sed -E 's/.*cpu_us=([0-9.]+).*/\1/' <<<"$line")
  wall=$(sed -E 's/.*wall_us=([0-9.]+).*/\1/' <<<"$line")
  bytes=$(sed -E 's/.*bytes_per_solve=([0-9]+).*/\1/' <<<"$line")
  row "$label" "$note" "$cpu µs CPU per solve ($wall µs wall), $bytes B allocated" "10^10 combinations to expand" "" "$goal"
}

# metrics_scrape: what one Prometheus scrape of /metrics costs tinyswap. wrk -c1 GETs /metrics back to back.
measure_metrics_scrape() {
  KEY=90
  local label="Cost of one \`/metrics\` scrape" goal="≤ 500 µs CPU, RSS growth ≤ 1 MB" before_cpu before_rss n cpu growth bytes verdict ref
  local note="wrk -t1 -c1 GETs /metrics on one keep-alive connection: 1 s to warm up, then 5 s; the process's CPU (/proc/PID/stat utime+stime) over those scrapes divided by their number, and VmRSS after them − VmRSS before (a scrape should allocate nothing beyond its output buffer, so RSS should not grow). The bench config has one model, running: its process RSS and CPU are read from /proc on every scrape. Reference: the CPU of one proxied small JSON request from the throughput row, and Prometheus' default 15 s interval. Goal: half a millisecond here is a few milliseconds on a Raspberry Pi every 15 s; RSS must not grow with scrapes."
  [ -n "$TS_PID" ] || { missing "$label" "$note" "$goal" "$TS_DOWN"; return; }
  local url="http://127.0.0.1:$TS_PORT/metrics"
  bytes=$(curl -s --max-time 10 "$url" | wc -c)
  [ "$bytes" -gt 0 ] || { missing "$label" "$note" "$goal" "GET /metrics answered nothing"; return; }
  wrk -t1 -c1 -d1s "$url" >"$WORK/wrk-metrics-warm.txt" 2>&1 || { missing "$label" "$note" "$goal" "wrk /metrics failed"; return; }
  before_rss=$(rss_kb "$TS_PID"); before_cpu=$(cpu_us "$TS_PID")
  wrk -t1 -c1 -d5s "$url" >"$WORK/wrk-metrics.txt" 2>&1 || { missing "$label" "$note" "$goal" "wrk /metrics failed"; return; }
  cpu=$(( $(cpu_us "$TS_PID") - before_cpu )); growth=$(( $(rss_kb "$TS_PID") - before_rss ))
  n=$(awk '/requests in/ {print $1}' "$WORK/wrk-metrics.txt")
  if grep -qE 'Non-2xx|Socket errors' "$WORK/wrk-metrics.txt" || [ -z "$n" ] || [ "$n" -eq 0 ]; then
    missing "$label" "$note" "$goal" "wrk /metrics: $(tail -2 "$WORK/wrk-metrics.txt" | tr '\n' ' ')"; return
  fi
  local per_scrape; per_scrape=$(awk -v c="$cpu" -v n="$n" 'BEGIN {printf "%.1f", c / n}')
  verdict=$(awk -v p="$per_scrape" -v g="$growth" 'BEGIN {print (p <= 500 && g <= 1024) ? "met" : "not met"}')
  ref="a proxied small JSON request: ${TS_CPU_PER_REQUEST:-(not run)} µs CPU"
  row "$label" "$note" "$per_scrape µs CPU, RSS $(awk -v k="$growth" 'BEGIN {printf "%+.1f MB", k / 1024}') over $n scrapes of $bytes bytes" "$ref" \
    "$(awk -v p="$per_scrape" 'BEGIN {printf "%.4f%%", p / 15e6 * 100}') of a core at a 15 s interval; $verdict" "$goal"
}

# events_throughput: the small JSON throughput with 10 /api/events streams open, against the same without.
measure_events_throughput() {
  KEY=42
  local label="Throughput with 10 open \`/api/events\` streams" goal="drop ≤ 5%" round with=() without=() cpu_with=() cpu_without=() pids pid before
  local note="wrk as in the throughput row, 5 s per run, alternating five times between no listener and 10 \`curl -N /api/events\` clients reading all they are sent, all 10 still connected at the end of each run (each proxied request makes a \`request\` event and an access-log line; a stream sends up to 500 of the first and 1000 of the second a second one by one, then counts the rest and sends the counts once a second); median of each, after a 2 s warm-up. The curl clients share the 2 cores too, so the figure includes their reading. Beside it, tinyswap's own CPU per request (/proc/PID/stat over each run), which a busy machine disturbs less than the request rate."
  [ -n "$TS_PID" ] || { missing "$label" "$note" "$goal" "$TS_DOWN"; return; }
  local url="http://127.0.0.1:$TS_PORT/v1/chat/completions"
  wrk_json "$url" 2 "$WORK/wrk-warm.txt" || { missing "$label" "$note" "$goal" "wrk through tinyswap failed"; return; }
  for round in 1 2 3 4 5; do
    before=$(cpu_us "$TS_PID")
    wrk_json "$url" 5 "$WORK/wrk-events-without.txt" || { missing "$label" "$note" "$goal" "wrk without listeners failed"; return; }
    without+=("$WRK_RPS"); cpu_without+=("$(( ($(cpu_us "$TS_PID") - before) * 100 / WRK_REQUESTS ))")
    pids=()
    for _ in $(seq 10); do
      curl -sN --max-time 60 "http://127.0.0.1:$TS_PORT/api/events" >/dev/null 2>&1 &
      pids+=("$!")
    done
    # Every stream open (its first event is the models' status) before the run starts.
    sleep 0.5
    local ok=1 alive=0
    before=$(cpu_us "$TS_PID")
    wrk_json "$url" 5 "$WORK/wrk-events-with.txt" || ok=
    # A listener tinyswap dropped for falling behind has exited: the run then measured fewer than 10 (until the queue
    # was raised, every one of them went within the first 100 ms and the row measured none).
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=$(( alive + 1 )); done
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
    [ -n "$ok" ] || { missing "$label" "$note" "$goal" "wrk with listeners failed: $(tail -2 "$WORK/wrk-events-with.txt" | tr '\n' ' ')"; return; }
    [ "$alive" = 10 ] || { missing "$label" "$note" "$goal" "$(( 10 - alive )) of the 10 streams were dropped during round $round (fell behind)"; return; }
    with+=("$WRK_RPS"); cpu_with+=("$(( ($(cpu_us "$TS_PID") - before) * 100 / WRK_REQUESTS ))")
  done
  local w wo cw cwo; w=$(printf '%s\n' "${with[@]}" | median); wo=$(printf '%s\n' "${without[@]}" | median)
  # CPU per request in hundredths of a µs (bash integers), shown in µs.
  cw=$(printf '%s\n' "${cpu_with[@]}" | median | awk '{printf "%.1f", $1 / 100}'); cwo=$(printf '%s\n' "${cpu_without[@]}" | median | awk '{printf "%.1f", $1 / 100}')
  local drop; drop=$(awk -v w="$w" -v wo="$wo" 'BEGIN {printf "%.1f", (1 - w / wo) * 100}')
  row "$label" "$note" "$w req/s (runs: ${with[*]}); $cw µs CPU per request" "without streams $wo req/s (runs: ${without[*]}); $cwo µs CPU per request" \
    "$(ratio "$w" "$wo"), drop $drop%; $(awk -v d="$drop" 'BEGIN {print d <= 5 ? "met" : "not met"}')" "$goal"
}
