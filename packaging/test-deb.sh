#!/usr/bin/env bash
# Tests the .deb of packaging/build-deb.sh: metadata and contents, lintian clean for every architecture built;
# then, as root, on this machine: install, /usr/bin/tinyswap --version, the user and its data directory, an
# upgrade keeping a changed config, remove keeping data, purge removing everything. The machine is left as
# found (package purged, a user we created deleted). Exit 77 with one line when the install part cannot run.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "deb check FAILED: $*" >&2; exit 1; }
need=()
command -v lintian >/dev/null 2>&1 || need+=(lintian)
command -v dpkg-deb >/dev/null 2>&1 || need+=(dpkg)
if [ ${#need[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || { echo "deb check skipped: missing ${need[*]}: sudo apt-get install ${need[*]}"; exit 77; }
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"; } >/dev/null 2>&1 \
    || fail "apt-get install ${need[*]} failed"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/tinyswap-debtest.XXXXXX")
installed_by_us=
user_by_us=
cleanup() {
  if [ -n "$installed_by_us" ]; then dpkg --purge tinyswap >/dev/null 2>&1 || true; fi
  if [ -n "$user_by_us" ] && getent passwd tinyswap >/dev/null; then
    userdel tinyswap 2>/dev/null || true
  fi
  if [ -n "$user_by_us" ] && getent group tinyswap >/dev/null; then groupdel tinyswap 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# Two versions of the same build, for the upgrade.
DEB_DIR=$work DEB_VERSION=0.0.1~test1 packaging/build-deb.sh >"$work/build1"
DEB_DIR=$work DEB_VERSION=0.0.1~test2 packaging/build-deb.sh >"$work/build2"
arches=$(ls "$work"/*~test1_*.deb | sed 's/.*_\([a-z0-9]*\)\.deb$/\1/' | paste -sd' ')
for arch in $arches; do
  deb="$work/tinyswap_0.0.1~test1_$arch.deb"
  info=$(dpkg-deb --info "$deb")
  for field in "Package: tinyswap" "Version: 0.0.1~test1" "Architecture: $arch" "Depends: libc6 (>= 2."; do
    grep -qF " $field" <<<"$info" || fail "$deb: control lacks '$field':"$'\n'"$info"
  done
  [ "$(dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles)" = /etc/tinyswap/config.yaml ] || fail "$deb: conffiles is not the config"
  contents=$(dpkg-deb --contents "$deb")
  for path in ./usr/bin/tinyswap ./etc/tinyswap/config.yaml ./lib/systemd/system/tinyswap.service \
              ./usr/share/doc/tinyswap/copyright ./usr/share/doc/tinyswap/changelog.gz ./usr/share/man/man1/tinyswap.1.gz; do
    grep -q " $path\$" <<<"$contents" || fail "$deb lacks $path:"$'\n'"$contents"
  done
  lint=$(lintian --fail-on error,warning "$deb" 2>&1) || fail "lintian on $deb:"$'\n'"$lint"
done
summary="$(echo $arches | wc -w) package(s) ($arches) with the expected metadata and contents, lintian clean"

host_arch=$(dpkg --print-architecture)
[ "$(id -u)" = 0 ] || { echo "deb check: $summary; install part skipped: needs root"; exit 77; }
[ -f "$work/tinyswap_0.0.1~test1_$host_arch.deb" ] || fail "no $host_arch package to install"
dpkg -s tinyswap >/dev/null 2>&1 && { echo "deb check: $summary; install part skipped: a tinyswap package is already installed here"; exit 77; }

# One install test at a time on this machine (dpkg has one database; parallel runs would purge each other).
exec 9>/run/lock/tinyswap-deb-test.lock
flock -w 300 9 || fail "another deb test holds /run/lock/tinyswap-deb-test.lock"
getent passwd tinyswap >/dev/null || user_by_us=1
installed_by_us=1
dpkg_quiet() { DEBIAN_FRONTEND=noninteractive dpkg --force-confdef --force-confold "$@" >"$work/dpkg.log" 2>&1 || fail "dpkg $*: $(cat "$work/dpkg.log")"; }

dpkg_quiet -i "$work/tinyswap_0.0.1~test1_$host_arch.deb"
version=$(/usr/bin/tinyswap --version) && [[ $version == "tinyswap "* ]] || fail "/usr/bin/tinyswap --version: $version"
getent passwd tinyswap | grep -q ':/var/lib/tinyswap:/usr/sbin/nologin$' || fail "user: $(getent passwd tinyswap)"
if getent group video >/dev/null; then id -nG tinyswap | grep -qw video || fail "tinyswap is not in video: $(id tinyswap)"; fi
[ "$(stat -c %U:%G:%a /var/lib/tinyswap)" = tinyswap:tinyswap:750 ] || fail "/var/lib/tinyswap is $(stat -c %U:%G:%a /var/lib/tinyswap)"
/usr/bin/tinyswap validate --config /etc/tinyswap/config.yaml >/dev/null || fail "the starter config does not validate"

echo "# changed by the deb test" >>/etc/tinyswap/config.yaml
dpkg_quiet -i "$work/tinyswap_0.0.1~test2_$host_arch.deb"
[ "$(dpkg-query -W -f '${Version}' tinyswap)" = 0.0.1~test2 ] || fail "the upgrade did not happen"
grep -q '^# changed by the deb test$' /etc/tinyswap/config.yaml || fail "the upgrade replaced the changed config"

mkdir -p /var/lib/tinyswap/models && echo data >/var/lib/tinyswap/models/kept
dpkg_quiet --remove tinyswap
[ -f /var/lib/tinyswap/models/kept ] || fail "remove deleted /var/lib/tinyswap (only purge may)"
[ -f /etc/tinyswap/config.yaml ] || fail "remove deleted the config (only purge may)"
[ ! -e /usr/bin/tinyswap ] || fail "remove left /usr/bin/tinyswap"

dpkg_quiet --purge tinyswap
installed_by_us=
for path in /var/lib/tinyswap /etc/tinyswap /usr/bin/tinyswap /lib/systemd/system/tinyswap.service; do
  [ ! -e $path ] || fail "purge left $path"
done
! dpkg -s tinyswap >/dev/null 2>&1 || fail "dpkg still knows tinyswap after purge"
echo "deb check passed: $summary; installed, --version from /usr/bin, user and /var/lib/tinyswap created, changed config kept on upgrade, data kept on remove, purge clean"
