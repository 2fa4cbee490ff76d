#!/usr/bin/env bash
# Publishes the Native AOT binaries: dist/tinyswap (the product) and dist/FakeUpstream (the test and demo upstream).
# RID=linux-arm64 ./build.sh cross-compiles (see README: Cross builds).
set -euo pipefail
cd "$(dirname "$0")"

RID="${RID:-linux-x64}"
OUT="${OUT:-dist}"

need_apt=()
missing() { echo "build.sh: missing prerequisite: $*" >&2; }

# --- prerequisites -------------------------------------------------------------------------------
if ! command -v dotnet >/dev/null 2>&1; then
  missing "the .NET SDK 9 or later (https://learn.microsoft.com/dotnet/core/install/linux-debian), then run ./build.sh again"
  exit 2
fi
sdk_major=$(dotnet --version 2>/dev/null | cut -d. -f1)
if [ -z "$sdk_major" ] || [ "$sdk_major" -lt 9 ]; then
  missing "a .NET SDK that can target net9.0 (found '$(dotnet --version 2>/dev/null)'; need 9.0 or later)"
  exit 2
fi
command -v clang >/dev/null 2>&1 || command -v gcc >/dev/null 2>&1 || need_apt+=(gcc)
[ -f /usr/include/zlib.h ] || need_apt+=(zlib1g-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "build.sh: installing ${need_apt[*]} (needed by the Native AOT linker)" >&2
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    missing "sudo apt-get install ${need_apt[*]}"
    exit 2
  fi
fi

# --- publish -------------------------------------------------------------------------------------
mkdir -p "$OUT"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
publish() {
  local project=$1
  if ! dotnet publish "$project" -c Release -r "$RID" -o "$OUT" -nologo -clp:NoSummary >"$log" 2>&1; then
    cat "$log" >&2
    echo "build.sh: publishing $project failed" >&2
    exit 1
  fi
  # Trim and AOT analysis warnings are errors for us even where the SDK only warns.
  if grep -E 'warning IL[23][0-9]{3}' "$log" >&2; then
    echo "build.sh: $project has trim/AOT warnings (above); fix them" >&2
    exit 1
  fi
}
publish src/TinySwap/TinySwap.csproj
publish tests/FakeUpstream/FakeUpstream.csproj
rm -f "$OUT"/*.dbg "$OUT"/*.pdb

size=$(stat -c %s "$OUT/tinyswap")
echo "build.sh: $OUT/tinyswap for $RID: $size bytes ($(( (size + 524288) / 1048576 )) MB)"
