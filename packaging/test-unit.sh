#!/usr/bin/env bash
# Checks packaging/tinyswap.service offline: `systemd-analyze verify` clean and `systemd-analyze security`
# exposure <= 2.5 ("OK"). Installs the systemd package when root and missing; exit 77 with one line if it cannot.
set -euo pipefail
cd "$(dirname "$0")/.."
unit=packaging/tinyswap.service
limit=2.5

if ! command -v systemd-analyze >/dev/null 2>&1; then
  [ "$(id -u)" = 0 ] || { echo "unit check skipped: systemd-analyze missing: sudo apt-get install systemd"; exit 77; }
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq systemd; } >/dev/null 2>&1 \
    || { echo "unit check FAILED: apt-get install systemd failed" >&2; exit 1; }
fi

# verify resolves ExecStart= and the units ours orders against: a throwaway root holding those, so the
# check needs neither an installed package nor a running systemd.
root=$(mktemp -d "${TMPDIR:-/tmp}/tinyswap-unit.XXXXXX")
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/usr/bin" "$root/bin" "$root/usr/lib/systemd"
cp -a /usr/lib/systemd/system "$root/usr/lib/systemd/"
printf '#!/bin/sh\n' >"$root/usr/bin/tinyswap"
chmod +x "$root/usr/bin/tinyswap"
cp "$root/usr/bin/tinyswap" "$root/bin/kill"   # only its existence is checked
cp $unit "$root/usr/lib/systemd/system/tinyswap.service"
if ! out=$(systemd-analyze verify --man=no --root="$root" tinyswap.service 2>&1) || [ -n "$out" ]; then
  echo "unit check FAILED: systemd-analyze verify:" >&2
  echo "$out" >&2
  exit 1
fi

report=$(systemd-analyze security --offline=true --no-pager $unit 2>&1) || true
exposure=$(echo "$report" | sed -n 's/.*Overall exposure level for tinyswap.service: \([0-9.]*\).*/\1/p')
[ -n "$exposure" ] || { echo "unit check FAILED: no exposure level in:" >&2; echo "$report" >&2; exit 1; }
if awk -v e="$exposure" -v l="$limit" 'BEGIN { exit !(e > l) }'; then
  echo "unit check FAILED: exposure $exposure > $limit; what counts:" >&2
  echo "$report" | grep '✗' >&2
  exit 1
fi
# The rules that bite at run time, not at start: the unit's SystemCallFilter= (expanded by systemd-analyze, so
# the list is exactly systemd's) and MemoryDenyWriteExecute=, which the unit leaves off for the models' sake (GPU
# runtimes compile code at run time) but which tinyswap must tolerate, so a CPU-only drop-in can turn it on.
# packaging/sandbox.c applies both (libseccomp; PR_SET_MDWE) and execs tinyswap; a chat with a swap must work.
expand() {
  systemd-analyze syscall-filter --no-pager "$1" | sed -n '/^@/!{/^ *[a-z_@]/p}' | sed 's/^ *//' | while read -r name; do
    case $name in @*) expand "$name" ;; \#*) ;; *) echo "$name" ;; esac
  done | sort -u
}
if [ ! -f /usr/include/seccomp.h ] && [ "$(id -u)" = 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libseccomp-dev >/dev/null 2>&1 || true
fi
sandbox="skipped: needs gcc and libseccomp-dev (sudo apt-get install gcc libseccomp-dev)"
if command -v gcc >/dev/null 2>&1 && [ -f /usr/include/seccomp.h ]; then
  [ -x dist/tinyswap ] && [ -x dist/FakeUpstream ] || { echo "unit check FAILED: dist/tinyswap is missing: run ./build.sh first" >&2; exit 1; }
  allow=$(sed -n 's/^SystemCallFilter=\([^~].*\)/\1/p' $unit)
  deny=$(sed -n 's/^SystemCallFilter=~\(.*\)/\1/p' $unit)
  comm -23 <(for g in $allow; do expand "$g"; done | sort -u) <(for g in $deny; do expand "$g"; done | sort -u) >"$root/allowed"
  gcc -o "$root/sandbox" packaging/sandbox.c -lseccomp
  free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
  port=$(free_port)
  { printf 'models:\n'
    for m in a b; do
      mp=$(free_port)
      printf '  %s:\n    cmd: %s --port %s --model %s\n    proxy: http://127.0.0.1:%s\n' "$m" "$PWD/dist/FakeUpstream" "$mp" "$m" "$mp"
    done; } >"$root/sandbox.yaml"
  "$root/sandbox" "$root/allowed" "$PWD/dist/tinyswap" --config "$root/sandbox.yaml" --listen "127.0.0.1:$port" >"$root/sandbox.log" 2>&1 &
  pid=$!
  for _ in $(seq 100); do grep -q 'Listening on' "$root/sandbox.log" && break; sleep 0.1; done
  chat() { curl -s --max-time 30 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/v1/chat/completions" \
    -H 'Content-Type: application/json' -d "{\"model\":\"$1\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}" || true; }
  codes="$(chat a) $(chat b)"
  kill -TERM $pid 2>/dev/null || true
  wait $pid && exit_code=0 || exit_code=$?
  if [ "$codes" != "200 200" ] || [ $exit_code != 0 ]; then
    echo "unit check FAILED: under the unit's system call filter two chats (a swap) answered '$codes' and tinyswap exited $exit_code:" >&2
    cat "$root/sandbox.log" >&2
    exit 1
  fi
  sandbox="tinyswap served a swap under the system call filter ($(wc -l <"$root/allowed") calls)"
  grep -qx 'mdwe=on' "$root/sandbox.log" && sandbox="$sandbox and MemoryDenyWriteExecute" \
    || sandbox="$sandbox; MemoryDenyWriteExecute not checked (kernel < 6.3)"
fi
echo "unit check passed: systemd-analyze verify clean, security exposure $exposure (limit $limit); $sandbox"
