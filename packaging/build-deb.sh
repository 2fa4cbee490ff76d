#!/usr/bin/env bash
# Builds dist/tinyswap_<version>_<arch>.deb for amd64 and/or arm64 from the binaries ./build.sh made
# (dist/tinyswap, dist/linux-arm64/tinyswap) with dpkg-deb alone: no debhelper, no source package.
#   packaging/build-deb.sh [amd64] [arm64]     (default: every architecture whose binary exists)
#   DEB_VERSION=1.2.3 packaging/build-deb.sh   (default: the csproj <Version>, plus +<commits>.g<hash> from git)
# Prints one line per package: its path, the binary's size and the glibc it needs.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "build-deb.sh: $*" >&2; exit 2; }
DEB_DIR=${DEB_DIR:-dist}   # where the .deb files go
command -v dpkg-deb >/dev/null 2>&1 || fail "dpkg-deb is missing (Debian/Ubuntu: apt-get install dpkg)"
command -v objdump >/dev/null 2>&1 || fail "objdump is missing (apt-get install binutils)"

version=${DEB_VERSION:-}
if [ -z "$version" ]; then
  version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' src/TinySwap/TinySwap.csproj | head -1)
  [ -n "$version" ] || fail "no <Version> in src/TinySwap/TinySwap.csproj"
  # A build between releases sorts after the release it follows and before the next one.
  if git rev-parse --git-dir >/dev/null 2>&1 && ! git describe --exact-match --tags >/dev/null 2>&1; then
    version="$version+$(git rev-list --count HEAD).g$(git rev-parse --short=7 HEAD)"
  fi
fi

binary_for() { case $1 in amd64) echo dist/tinyswap ;; arm64) echo dist/linux-arm64/tinyswap ;; *) return 1 ;; esac; }
elf_machine_for() { case $1 in amd64) echo 'Advanced Micro Devices X86-64' ;; arm64) echo AArch64 ;; esac; }

# The highest GLIBC_x.y symbol version the binary asks the loader for (the oldest glibc it runs on).
glibc_floor() { objdump -T "$1" | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1; }

arches=("$@")
if [ ${#arches[@]} -eq 0 ]; then
  for a in amd64 arm64; do [ -f "$(binary_for $a)" ] && arches+=("$a"); done
  [ ${#arches[@]} -gt 0 ] || fail "no binary to package: run ./build.sh (and RID=linux-arm64 ./build.sh) first"
fi

build_one() {
  local arch=$1 binary root floor size
  binary=$(binary_for "$arch") || fail "unknown architecture $arch (amd64 or arm64)"
  [ -f "$binary" ] || fail "$binary is missing: run $( [ "$arch" = arm64 ] && echo 'RID=linux-arm64 ')./build.sh first"
  readelf -h "$binary" | grep -q "Machine: *$(elf_machine_for "$arch")" || fail "$binary is not an $arch binary"
  floor=$(glibc_floor "$binary")

  root=$(mktemp -d "${TMPDIR:-/tmp}/tinyswap-deb.XXXXXX")
  chmod 0755 "$root"
  trap 'rm -rf "$root"' RETURN
  install -D -m 0755 "$binary" "$root/usr/bin/tinyswap"
  install -D -m 0644 packaging/config.yaml "$root/etc/tinyswap/config.yaml"
  # Debian 12 and Ubuntu 22.04 look for package units in /lib (usr-merged systems see the same files).
  install -D -m 0644 packaging/tinyswap.service "$root/lib/systemd/system/tinyswap.service"
  install -d -m 0755 "$root/usr/share/man/man1"
  gzip -9nc packaging/tinyswap.1 >"$root/usr/share/man/man1/tinyswap.1.gz"
  install -D -m 0644 packaging/debian/copyright "$root/usr/share/doc/tinyswap/copyright"
  gzip -9nc packaging/debian/changelog >"$root/usr/share/doc/tinyswap/changelog.gz"
  gzip -9nc README.md >"$root/usr/share/doc/tinyswap/README.md.gz"
  chmod 0644 "$root"/usr/share/doc/tinyswap/*.gz "$root"/usr/share/man/man1/tinyswap.1.gz
  install -d -m 0755 "$root/DEBIAN"
  for script in postinst prerm postrm; do install -m 0755 "packaging/debian/$script" "$root/DEBIAN/$script"; done
  echo /etc/tinyswap/config.yaml >"$root/DEBIAN/conffiles"
  (cd "$root" && find usr lib -type f -print0 | sort -z | xargs -0 md5sum) >"$root/DEBIAN/md5sums"

  # A loader failure ("version `GLIBC_2.34' not found") on an older system becomes apt refusing to install.
  sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@GLIBC@/$floor/" \
      -e "s/@SIZE@/$(du -sk --exclude=DEBIAN "$root" | cut -f1)/" packaging/debian/control >"$root/DEBIAN/control"

  mkdir -p "$DEB_DIR"
  local out="$DEB_DIR/tinyswap_${version}_${arch}.deb"
  dpkg-deb --root-owner-group -Zxz --build "$root" "$out" >/dev/null
  size=$(stat -c %s "$binary")
  echo "build-deb.sh: $out (tinyswap $size bytes, needs glibc >= $floor)"
}

for arch in "${arches[@]}"; do build_one "$arch"; done
