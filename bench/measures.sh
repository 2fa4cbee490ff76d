# The rows of bench/run.sh: each measure_* adds one or two table rows with a footnote saying how the
# figure was taken, or a "not measured" row (which makes the run fail). Sourced by run.sh.

ROWS=()
NOTES=()
FAILED=0

# row LABEL NOTE TINYSWAP REFERENCE RATIO GOAL
row() {
  NOTES+=("$2")
  ROWS+=("$1 [${#NOTES[@]}] | $3 | $4 | $5 | $6")
}

# missing LABEL NOTE GOAL REASON [REFERENCE]
missing() {
  row "$1" "$2" "**not measured**: $4" "${5:-}" "" "$3"
  FAILED=$(( FAILED + 1 ))
}

print_table() {
  echo "| Measure | tinyswap | Reference | Ratio | Goal |"
  echo "|---|---|---|---|---|"
  local line i
  for line in "${ROWS[@]}"; do echo "| $line |"; done
  echo
  for i in "${!NOTES[@]}"; do echo "[$(( i + 1 ))] ${NOTES[$i]}  "; done
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

measure_size() {
  row "Binary size" "\`stat -c %s dist/tinyswap\` as ./build.sh publishes it (Native AOT, stripped)." \
    "$(mb "$(stat -c %s "$TS")")" "FakeUpstream $(mb "$(stat -c %s "$FAKE")")" "" "≤ 4 MB"
}

measure_version_exec() {
  local label="Exec to exit, \`tinyswap --version\`" note="hyperfine -N (no shell), 5 warm-ups, 50 runs, median." csv=$WORK/hyperfine.csv
  if [ -z "$("$TS" --version 2>/dev/null)" ]; then
    missing "$label" "$note" "≤ 10 ms" "\`tinyswap --version\` printed nothing"; return
  fi
  if ! hyperfine -N --warmup 5 --runs 50 --export-csv "$csv" "$TS --version" "$FAKE --help" >/dev/null 2>&1; then
    missing "$label" "$note" "≤ 10 ms" "hyperfine failed"; return
  fi
  local ts fake
  ts=$(awk -F, 'NR == 2 {print int($4 * 1000000)}' "$csv")
  fake=$(awk -F, 'NR == 3 {print int($4 * 1000000)}' "$csv")
  row "$label" "$note" "$(ms "$ts")" "\`FakeUpstream --help\` $(ms "$fake")" "$(ratio "$ts" "$fake")" "≤ 10 ms"
}

measure_start() {
  local label="Start to listening, median of 30" goal="≤ 10 ms" port out nginx_out ts fake nginx
  local note="\`FakeUpstream start-time\`, a C# client mode: Stopwatch, Process.Start (fork/exec included), then a TCP connect to the port every 100 µs (usleep, so on 2 cores the prober leaves the CPU to the starting server) until one succeeds; 30 runs, each stopped with SIGTERM before the next. C# rather than bash + /dev/tcp: bash's \`sleep\` forks per attempt and its timestamps are coarse and jittery next to a 10 ms goal."
  port=$(free_port)
  out=$("$FAKE" start-time --port "$port" --runs 30 -- "$FAKE" --port "$port" 2>&1) || { missing "$label" "$note" "$goal" "FakeUpstream: $out"; return; }
  fake=$(kv median_us <<<"$out")
  write_nginx_conf "$WORK/nginx-start" "$port" 9
  nginx_out=$("$FAKE" start-time --port "$port" --runs 30 -- "$NGINX" -p "$WORK/nginx-start" -c "$WORK/nginx-start/nginx.conf" -e stderr 2>&1) \
    || { missing "$label" "$note" "$goal" "nginx: $nginx_out"; return; }
  nginx=$(kv median_us <<<"$nginx_out")
  local ref; ref="nginx $(ms "$nginx"); FakeUpstream $(ms "$fake")"
  out=$("$FAKE" start-time --port "$port" --runs 30 -- "$TS" --config "$WORK/tinyswap.yaml" --listen "127.0.0.1:$port" 2>&1) \
    || { missing "$label" "$note" "$goal" "$(head -c 200 <<<"$out" | tr '\n' ' ')" "$ref"; return; }
  ts=$(kv median_us <<<"$out")
  row "$label" "$note" "$(ms "$ts")" "$ref" "$(ratio "$ts" "$nginx") nginx" "$goal"
}

measure_idle_rss() {
  local label="RSS idle after start" note="VmRSS from /proc/PID/status 0.5 s after the port first accepted, before any request; nginx: its one worker, same moment of its life."
  [ -n "$TS_PID" ] || { missing "$label" "$note" "≤ 12 MB" "$TS_DOWN" "nginx worker $(kb_mb "$NGINX_IDLE_KB")"; return; }
  row "$label" "$note" "$(kb_mb "$TS_IDLE_KB")" "nginx worker $(kb_mb "$NGINX_IDLE_KB")" "$(ratio "$TS_IDLE_KB" "$NGINX_IDLE_KB")" "≤ 12 MB"
}

measure_throughput() {
  local note="wrk -t1 -c32 (keep-alive), POST /v1/chat/completions with a 79-byte JSON body, small JSON answer; 2 s warm-up then 10 s, each target in turn: the fake upstream direct, nginx (1 worker, keepalive 32 upstream, HTTP/1.1), tinyswap."
  local d_rps d50 d99 n_rps n50 n99
  wrk_json "http://127.0.0.1:$FAKE_PORT/v1/chat/completions" 2 "$WORK/wrk-warm.txt"
  wrk_json "http://127.0.0.1:$FAKE_PORT/v1/chat/completions" 10 "$WORK/wrk-direct.txt" || { missing "Throughput" "$note" "≥ 1.0× nginx" "wrk direct failed"; return; }
  d_rps=$WRK_RPS d50=$WRK_P50_US d99=$WRK_P99_US
  wrk_json "http://127.0.0.1:$NGINX_PORT/v1/chat/completions" 2 "$WORK/wrk-warm.txt"
  wrk_json "http://127.0.0.1:$NGINX_PORT/v1/chat/completions" 10 "$WORK/wrk-nginx.txt" || { missing "Throughput" "$note" "≥ 1.0× nginx" "wrk via nginx failed"; return; }
  n_rps=$WRK_RPS n50=$WRK_P50_US n99=$WRK_P99_US
  local ref="direct $d_rps req/s; nginx $n_rps req/s" lat_ref="direct $(ms "$d50") / $(ms "$d99"); nginx $(ms "$n50") / $(ms "$n99")"
  TS_REQUESTS=0
  if [ -z "$TS_PID" ] || ! wrk_json "http://127.0.0.1:$TS_PORT/v1/chat/completions" 2 "$WORK/wrk-warm.txt"; then
    missing "Throughput, small JSON" "$note" "≥ 1.0× nginx" "${TS_PID:+wrk through tinyswap failed}${TS_PID:-$TS_DOWN}" "$ref"
    missing "Latency p50 / p99" "Same wrk runs as the throughput row." "—" "no tinyswap run" "$lat_ref"
    return
  fi
  TS_REQUESTS=$WRK_REQUESTS
  wrk_json "http://127.0.0.1:$TS_PORT/v1/chat/completions" 10 "$WORK/wrk-tinyswap.txt" || { missing "Throughput" "$note" "≥ 1.0× nginx" "wrk through tinyswap failed"; return; }
  TS_REQUESTS=$(( TS_REQUESTS + WRK_REQUESTS ))
  TS_RPS=$WRK_RPS
  row "Throughput, small JSON" "$note" "$WRK_RPS req/s" "$ref" "$(ratio "$WRK_RPS" "$n_rps") nginx, $(ratio "$WRK_RPS" "$d_rps") direct" "≥ 1.0× nginx"
  row "Latency p50 / p99" "Same wrk runs as the throughput row (wrk --latency)." "$(ms "$WRK_P50_US") / $(ms "$WRK_P99_US")" "$lat_ref" "$(ratio "$WRK_P99_US" "$n99") nginx p99" "—"
}

measure_rss_after_million() {
  local label="RSS after 1 M proxied requests" note="wrk as in the throughput row, continued until tinyswap has proxied 1,000,000 requests (at most 150 s more), then 1 s idle; VmRSS. Ratio to its idle RSS."
  [ -n "$TS_PID" ] && [ -n "${TS_RPS:-}" ] || { missing "$label" "$note" "back near idle" "${TS_PID:+no throughput run}${TS_PID:-$TS_DOWN}"; return; }
  local budget=150 seconds
  while (( TS_REQUESTS < 1000000 && budget > 0 )); do
    seconds=$(( (1000000 - TS_REQUESTS) / TS_RPS + 1 ))
    (( seconds > budget )) && seconds=$budget
    wrk_json "http://127.0.0.1:$TS_PORT/v1/chat/completions" "$seconds" "$WORK/wrk-million.txt" || { missing "$label" "$note" "near idle" "wrk failed after $TS_REQUESTS requests"; return; }
    TS_REQUESTS=$(( TS_REQUESTS + WRK_REQUESTS ))
    budget=$(( budget - seconds ))
  done
  (( TS_REQUESTS >= 1000000 )) || { missing "$label" "$note" "near idle" "only $TS_REQUESTS requests within the time budget"; return; }
  sleep 1
  local after; after=$(rss_kb "$TS_PID")
  row "$label" "$note" "$(kb_mb "$after") after $TS_REQUESTS" "idle $(kb_mb "$TS_IDLE_KB")" "$(ratio "$after" "$TS_IDLE_KB") idle" "back near idle"
}

measure_stream_rss() {
  local label="RSS with 100 open SSE streams" goal="≤ 40 MB" out nginx_out
  local note="\`FakeUpstream sse-client --streams 100 --events 20 --gap-ms 100 --rss-pid PID\`: VmRSS read once every stream has its first event, so all 100 are open at once."
  nginx_out=$("$FAKE" sse-client --url "http://127.0.0.1:$NGINX_PORT/v1/chat/completions" --streams 100 --events 20 --gap-ms 100 --rss-pid "$NGINX_WORKER" 2>&1) \
    || { missing "$label" "$note" "$goal" "through nginx: $nginx_out"; return; }
  [ -n "$TS_PID" ] || { missing "$label" "$note" "$goal" "$TS_DOWN" "nginx worker $(kb_mb "$(kv rss_kb <<<"$nginx_out")")"; return; }
  out=$("$FAKE" sse-client --url "http://127.0.0.1:$TS_PORT/v1/chat/completions" --streams 100 --events 20 --gap-ms 100 --rss-pid "$TS_PID" 2>&1) \
    || { missing "$label" "$note" "$goal" "$out"; return; }
  local ts nginx; ts=$(kv rss_kb <<<"$out"); nginx=$(kv rss_kb <<<"$nginx_out")
  row "$label" "$note" "$(kb_mb "$ts")" "nginx worker $(kb_mb "$nginx")" "$(ratio "$ts" "$nginx")" "$goal"
}

measure_sse_delay() {
  local label="SSE added delay per event, p50 / p99" goal="p99 ≤ 1 ms" direct nginx ts
  local note="The fake upstream emits 1,000 events 5 ms apart, each stamped with CLOCK_MONOTONIC just before its send; \`FakeUpstream sse-client\` subtracts the stamp on arrival (one clock for every process on the machine). Added delay = percentile through the proxy − the same percentile direct."
  direct=$("$FAKE" sse-client --url "http://127.0.0.1:$FAKE_PORT/v1/chat/completions" --events 1000 --gap-ms 5 2>&1) || { missing "$label" "$note" "$goal" "direct: $direct"; return; }
  nginx=$("$FAKE" sse-client --url "http://127.0.0.1:$NGINX_PORT/v1/chat/completions" --events 1000 --gap-ms 5 2>&1) || { missing "$label" "$note" "$goal" "nginx: $nginx"; return; }
  local d50 d99 n50 n99; d50=$(kv delay_us_p50 <<<"$direct"); d99=$(kv delay_us_p99 <<<"$direct")
  n50=$(kv delay_us_p50 <<<"$nginx"); n99=$(kv delay_us_p99 <<<"$nginx")
  local ref="nginx +$(( n50 - d50 )) / +$(( n99 - d99 )) µs; direct $d50 / $d99 µs"
  [ -n "$TS_PID" ] || { missing "$label" "$note" "$goal" "$TS_DOWN" "$ref"; return; }
  ts=$("$FAKE" sse-client --url "http://127.0.0.1:$TS_PORT/v1/chat/completions" --events 1000 --gap-ms 5 2>&1) || { missing "$label" "$note" "$goal" "$ts"; return; }
  local t50 t99; t50=$(kv delay_us_p50 <<<"$ts"); t99=$(kv delay_us_p99 <<<"$ts")
  row "$label" "$note" "+$(( t50 - d50 )) / +$(( t99 - d99 )) µs" "$ref" "$(ratio $(( t99 - d99 )) $(( n99 - d99 ))) nginx p99" "$goal"
}

measure_sse_cpu() {
  local label="CPU per proxied SSE event" before out nginx_us ts_us
  local note="User+system CPU of the proxy process (/proc/PID/stat utime+stime) across 4 concurrent streams × 25,000 events with no gap, divided by the 100,000 events; nginx: its worker."
  before=$(cpu_us "$NGINX_WORKER")
  out=$("$FAKE" sse-client --url "http://127.0.0.1:$NGINX_PORT/v1/chat/completions" --streams 4 --events 25000 2>&1) || { missing "$label" "$note" "—" "nginx: $out"; return; }
  nginx_us=$(( $(cpu_us "$NGINX_WORKER") - before ))
  local ref; ref="nginx $(awk -v u="$nginx_us" 'BEGIN {printf "%.2f µs", u / 100000}')"
  [ -n "$TS_PID" ] || { missing "$label" "$note" "as low as nginx" "$TS_DOWN" "$ref"; return; }
  before=$(cpu_us "$TS_PID")
  out=$("$FAKE" sse-client --url "http://127.0.0.1:$TS_PORT/v1/chat/completions" --streams 4 --events 25000 2>&1) || { missing "$label" "$note" "—" "$out"; return; }
  ts_us=$(( $(cpu_us "$TS_PID") - before ))
  row "$label" "$note" "$(awk -v u="$ts_us" 'BEGIN {printf "%.2f µs", u / 100000}')" "$ref" "$(ratio "$ts_us" "$nginx_us") nginx" "as low as nginx"
}

# upload URL PID OUTVAR: POSTs the 64 MiB file; sets UPLOAD_MBS and UPLOAD_GROWTH_KB (max RSS − before).
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
  local label="Upload 64 MiB" note="curl --data-binary of 64 MiB of random bytes to the fake's /upload (which counts and hashes it): direct, through nginx, through tinyswap's /upstream/bench/upload. RSS growth = highest VmRSS sampled every 20 ms during the upload − VmRSS before."
  head -c 67108864 /dev/urandom >"$WORK/upload.bin"
  upload "http://127.0.0.1:$FAKE_PORT/upload" "$FAKE_PID" || { missing "$label" "$note" "—" "direct upload failed"; return; }
  local direct=$UPLOAD_MBS
  upload "http://127.0.0.1:$NGINX_PORT/upload" "$NGINX_WORKER" || { missing "$label" "$note" "—" "upload through nginx failed"; return; }
  local nginx=$UPLOAD_MBS nginx_growth=$UPLOAD_GROWTH_KB
  if [ -z "$TS_PID" ] || ! upload "http://127.0.0.1:$TS_PORT/upstream/bench/upload" "$TS_PID"; then
    missing "$label, throughput" "$note" "—" "${TS_PID:+upload through tinyswap failed}${TS_PID:-$TS_DOWN}" "direct $direct MB/s; nginx $nginx MB/s"
    missing "$label, RSS growth" "Same uploads as the row above." "flat (streamed)" "no tinyswap run" "nginx worker $(kb_mb "$nginx_growth")"
    return
  fi
  row "$label, throughput" "$note" "$UPLOAD_MBS MB/s" "direct $direct MB/s; nginx $nginx MB/s" "$(ratio "$UPLOAD_MBS" "$nginx") nginx" "—"
  row "$label, RSS growth" "Same uploads as the row above." "$(kb_mb "$UPLOAD_GROWTH_KB")" "nginx worker $(kb_mb "$nginx_growth")" "" "flat (streamed)"
}

measure_swap() {
  local label="Swap overhead, median of 20" goal="≤ 30 ms" port pid i model line samples=()
  local note="A second tinyswap serves two models in the default group, each the fake upstream with --startup-delay 500 (its /health answers 503 for 500 ms). Requests alternate between them, so each one stops the other model and starts its own; curl's time to first byte − 500 ms, median of 20 after one cold start."
  [ -x "$TS" ] && [ -n "$TS_PID" ] || { missing "$label" "$note" "$goal" "$TS_DOWN"; return; }
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
