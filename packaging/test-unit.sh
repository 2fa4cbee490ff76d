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
# MemoryDenyWriteExecute=: the unit leaves it off for the models' sake (GPU runtimes JIT), but tinyswap itself
# must tolerate it, so a drop-in can turn it on for CPU-only setups. The kernel's PR_SET_MDWE (Linux 6.3+) is the
# same rule systemd enforces (no writable+executable mapping, no exec added later) and survives exec.
mdwe="skipped (kernel < 6.3 or no gcc)"
if command -v gcc >/dev/null 2>&1 && [ -x dist/tinyswap ] && [ -x dist/FakeUpstream ]; then
  cat >"$root/mdwe.c" <<'C'
#include <stdio.h>
#include <sys/prctl.h>
#include <unistd.h>
int main(int argc, char **argv) {
    if (prctl(65 /* PR_SET_MDWE */, 1 /* PR_MDWE_REFUSE_EXEC_GAIN */, 0L, 0L, 0L) != 0) return 77;
    execv(argv[1], argv + 1);
    perror("execv");
    return 126;
}
C
  gcc -o "$root/mdwe" "$root/mdwe.c"
  if "$root/mdwe" /bin/true; then
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    model_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    printf 'models:\n  m:\n    cmd: %s --port %s --model m\n    proxy: http://127.0.0.1:%s\n' \
      "$PWD/dist/FakeUpstream" "$model_port" "$model_port" >"$root/mdwe.yaml"
    "$root/mdwe" "$PWD/dist/tinyswap" --config "$root/mdwe.yaml" --listen "127.0.0.1:$port" >"$root/mdwe.log" 2>&1 &
    pid=$!
    for _ in $(seq 100); do grep -q 'Listening on' "$root/mdwe.log" && break; sleep 0.1; done
    code=$(curl -s --max-time 30 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/v1/chat/completions" \
      -H 'Content-Type: application/json' -d '{"model":"m","messages":[{"role":"user","content":"hi"}]}' || true)
    kill -TERM $pid 2>/dev/null || true
    wait $pid && exit_code=0 || exit_code=$?
    if [ "$code" != 200 ] || [ $exit_code != 0 ]; then
      echo "unit check FAILED: under MemoryDenyWriteExecute a chat answered '$code' and tinyswap exited $exit_code:" >&2
      cat "$root/mdwe.log" >&2
      exit 1
    fi
    mdwe="tinyswap and an AOT model served a chat under it"
  fi
fi
echo "unit check passed: systemd-analyze verify clean, security exposure $exposure (limit $limit); MemoryDenyWriteExecute: $mdwe"
