#!/usr/bin/env bash
# Publishes the Native AOT binaries: dist/tinyswap (the product) and dist/FakeUpstream (the test and
# demo upstream). RID=linux-arm64 ./build.sh cross-compiles into dist/linux-arm64/ (README: Cross builds).
# Checks its prerequisites first and installs them with apt-get when run as root, or names them.
set -euo pipefail
cd "$(dirname "$0")"

host_rid=linux-$(case "$(uname -m)" in x86_64) echo x64 ;; aarch64) echo arm64 ;; *) uname -m ;; esac)
RID="${RID:-$host_rid}"
if [ "$RID" = "$host_rid" ]; then OUT="${OUT:-dist}"; else OUT="${OUT:-dist/$RID}"; fi

fail() { echo "build.sh: $*" >&2; exit 2; }
need_apt=()

# --- prerequisites -------------------------------------------------------------------------------
command -v dotnet >/dev/null 2>&1 \
  || fail "missing the .NET SDK 10 or later (https://learn.microsoft.com/dotnet/core/install/linux-debian); install it and run ./build.sh again"
sdk_major=$(dotnet --list-sdks 2>/dev/null | sort -V | tail -1 | cut -d. -f1)
[ -n "$sdk_major" ] && [ "$sdk_major" -ge 10 ] \
  || fail "missing a .NET SDK that can target net10.0 (found: '$(dotnet --list-sdks 2>/dev/null | tr '\n' ' ')'); install SDK 10 or later"
# The AOT compiler emits an object file that the platform C toolchain links (gcc or clang, with binutils).
command -v clang >/dev/null 2>&1 || command -v gcc >/dev/null 2>&1 || need_apt+=(gcc)
# The ILCompiler ships its own libz.a, but keep the headers: older toolchains link the system zlib.
[ -f /usr/include/zlib.h ] || need_apt+=(zlib1g-dev)

cross_args=()
if [ "$RID" != "$host_rid" ]; then
  case "$RID" in
    linux-arm64) triple=aarch64-linux-gnu; deb_arch=arm64 ;;
    linux-x64) triple=x86_64-linux-gnu; deb_arch=amd64 ;;
    *) fail "RID=$RID is not supported (linux-x64 or linux-arm64)" ;;
  esac
  # Debian's cross gcc brings the target's C runtime (libc6-dev-<arch>-cross) as its sysroot.
  command -v "$triple-gcc" >/dev/null 2>&1 || need_apt+=("gcc-${triple//_/-}")
  command -v "$triple-objcopy" >/dev/null 2>&1 || need_apt+=("binutils-${triple//_/-}")
  [ -f "/usr/$triple/lib/crt1.o" ] || need_apt+=("libc6-dev-$deb_arch-cross")
  # The ILCompiler passes clang's --target=TRIPLE on cross builds; gcc refuses it, and the cross gcc
  # already targets TRIPLE, so a two-line wrapper drops that one argument.
  wrapper=$PWD/obj/cross/$triple-cc
  mkdir -p "$(dirname "$wrapper")"
  printf '#!/bin/sh\nfor a; do shift; case $a in --target=*) ;; *) set -- "$@" "$a" ;; esac; done\nexec %s-gcc "$@"\n' "$triple" >"$wrapper"
  chmod +x "$wrapper"
  cross_args=(-p:CppCompilerAndLinker="$wrapper" -p:ObjCopyName="$triple-objcopy")
fi

if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "build.sh: installing ${need_apt[*]} (needed by the Native AOT linker)" >&2
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}"; } >/dev/null \
      || fail "could not install ${need_apt[*]} with apt-get"
  else
    fail "missing prerequisites for $RID: sudo apt-get install ${need_apt[*]}"
  fi
fi

# --- publish -------------------------------------------------------------------------------------
mkdir -p "$OUT"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
publish() {
  local project=$1
  if ! dotnet publish "$project" -c Release -r "$RID" -o "$OUT" -nologo -clp:NoSummary "${cross_args[@]}" >"$log" 2>&1; then
    if grep -qE 'NU1102.*(Runtime|ILCompiler)' "$log"; then
      fail "a $RID build needs the target's runtime packs from NuGet, and the feed lacks them ($(grep -oE 'Unable to find package [^ ]+ with version \(= [^)]+\)' "$log" | head -1))"
    fi
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

for binary in tinyswap FakeUpstream; do
  size=$(stat -c %s "$OUT/$binary")
  # The highest GLIBC_ symbol version it imports is the oldest glibc it starts on (README: glibc floor).
  glibc=$(objdump -T "$OUT/$binary" 2>/dev/null | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1)
  echo "build.sh: $OUT/$binary for $RID: $size bytes ($(awk -v b="$size" 'BEGIN {printf "%.2f", b / 1048576}') MiB), needs glibc >= ${glibc:-?}"
done
