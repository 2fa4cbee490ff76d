#!/usr/bin/env bash
# The arm64 build under qemu (make test runs it through tests/TinySwap.Tests/Packaging): --version, validate,
# serve config.example.yaml with the arm64 FakeUpstream, one swap, one streamed chat, SIGTERM, nothing left.
# tinyswap starts models through itself (its exec shim), so nested execs of aarch64 files must work: that
# needs qemu-aarch64 registered with binfmt_misc, which this script does when root. Exit 77 with one line
# when it cannot run here; 1 on a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
ARM=$PWD/dist/linux-arm64

skip() { echo "arm64 smoke skipped: $*"; exit 77; }
fail() {
  echo "arm64 smoke FAILED: $*" >&2
  [ -f "${work:-/nonexistent}/log" ] && tail -40 "$work/log" >&2
  exit 1
}
for binary in tinyswap FakeUpstream; do
  [ -x "$ARM/$binary" ] || fail "$ARM/$binary is missing: run RID=linux-arm64 ./build.sh (make test does)"
done

# --- qemu and binfmt_misc ---------------------------------------------------------------------------
export QEMU_LD_PREFIX=/usr/aarch64-linux-gnu   # the arm64 loader and libc (libc6-arm64-cross, from build.sh)
need=()
command -v qemu-aarch64 >/dev/null 2>&1 || need+=(qemu-user)
[ -f /usr/lib/binfmt.d/qemu-aarch64.conf ] || need+=(qemu-user-binfmt)
[ -e "$QEMU_LD_PREFIX/lib/ld-linux-aarch64.so.1" ] || need+=(libc6-arm64-cross)
if [ ${#need[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || skip "missing ${need[*]}: sudo apt-get install ${need[*]}"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"; } >/dev/null 2>&1 \
    || fail "apt-get install ${need[*]} failed"
fi
binfmt=/proc/sys/fs/binfmt_misc
if [ ! -e $binfmt/qemu-aarch64 ]; then
  [ "$(id -u)" = 0 ] || skip "qemu-aarch64 is not registered with binfmt_misc and registering it needs root"
  mountpoint -q $binfmt || mount -t binfmt_misc binfmt_misc $binfmt 2>/dev/null \
    || skip "this kernel or container offers no binfmt_misc (mount failed)"
  [ -e $binfmt/qemu-aarch64 ] || cat /usr/lib/binfmt.d/qemu-aarch64.conf >$binfmt/register 2>/dev/null \
    || skip "binfmt_misc refused the qemu-aarch64 registration"
fi
[ "$(cat $binfmt/qemu-aarch64 | head -1)" = enabled ] || skip "qemu-aarch64 is registered but disabled in binfmt_misc"

# --- run ---------------------------------------------------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/tinyswap-arm64.XXXXXX")
marker=arm64-smoke-$$-$RANDOM
pid=
ours() { grep -lsa "TINYSWAP_SMOKE_MARKER=$marker" /proc/[0-9]*/environ 2>/dev/null | cut -d/ -f3 || true; }
cleanup() {
  for p in $(ours); do kill -9 "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
# Model ports from a random base, so runs side by side do not collide (the example says 5800).
base=$((20000 + RANDOM % 12000))   # below the ephemeral range (32768+), where parallel tests' client sockets live
sed -e "s|\./dist/FakeUpstream|$ARM/FakeUpstream|" -e "s|^startPort: 5800|startPort: $base|" \
    -e "s|/tmp/tinyswap-demo-slots|$work/slots|" config.example.yaml >"$work/config.yaml"

version=$("$ARM/tinyswap" --version) || fail "--version exited $?"
[[ $version == "tinyswap "* ]] || fail "--version printed '$version'"
"$ARM/tinyswap" validate --config "$work/config.yaml" >"$work/validate" || fail "validate: $(cat "$work/validate")"
file "$ARM/tinyswap" 2>/dev/null | grep -q aarch64 || readelf -h "$ARM/tinyswap" | grep -q AArch64 || fail "not an aarch64 binary"

TINYSWAP_SMOKE_MARKER=$marker "$ARM/tinyswap" --config "$work/config.yaml" --listen "127.0.0.1:$port" >"$work/log" 2>&1 &
pid=$!
for _ in $(seq 600); do
  grep -q 'Listening on' "$work/log" && break
  kill -0 $pid 2>/dev/null || fail "tinyswap exited while starting"
  sleep 0.1
done
grep -q 'Listening on' "$work/log" || fail "tinyswap did not listen within 60 s"

chat() { curl -sS --max-time 120 -o "$work/body" -w '%{http_code}' "http://127.0.0.1:$port/v1/chat/completions" \
  -H 'Content-Type: application/json' -d "{\"model\":\"$1\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]$2}"; }
[ "$(chat qwen-chat '')" = 200 ] || fail "chat with qwen-chat: $(cat "$work/body")"
[ "$(chat llama-chat '')" = 200 ] || fail "chat with llama-chat (a swap): $(cat "$work/body")"
running=$(curl -sS --max-time 30 "http://127.0.0.1:$port/running")
[[ $running == *llama-chat* && $running != *qwen-chat* ]] || fail "after the swap /running says: $running"
[ "$(chat llama-chat ',"stream":true')" = 200 ] || fail "streamed chat: $(cat "$work/body")"
[ "$(grep -c '^data: ' "$work/body")" -ge 2 ] && grep -q '^data: \[DONE\]' "$work/body" \
  || fail "the stream did not end with [DONE]: $(cat "$work/body")"

kill -TERM $pid
for _ in $(seq 600); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
kill -0 $pid 2>/dev/null && fail "tinyswap still runs 60 s after SIGTERM"
wait $pid && code=0 || code=$?
[ $code = 0 ] || fail "tinyswap exited $code after SIGTERM"
for _ in $(seq 100); do [ -z "$(ours)" ] && break; sleep 0.1; done
left=$(ours)
[ -z "$left" ] || fail "processes left after SIGTERM: $(for p in $left; do tr '\0' ' ' </proc/$p/cmdline; echo; done)"

echo "arm64 smoke passed under qemu: $version, $(stat -c %s "$ARM/tinyswap") bytes; --version, validate, swap, stream, SIGTERM, nothing left"
