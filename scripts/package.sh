#!/usr/bin/env bash
# Builds the .deb from the release build (build/release) with CPack and checks it: the desktop
# entry (desktop-file-validate), the AppStream metainfo (appstreamcli), Debian policy (lintian,
# no errors). With --install (CI's package lane, as root) it also installs the package, runs
# clusterscope-cli --version, the CLI on the demo and the app on the demo (a screenshot under
# Xvfb) and a figure from /usr/bin, and removes the package again.
# Usage: scripts/package.sh [--install]      the package: build/package/clusterscope_*.deb
set -euo pipefail
cd "$(dirname "$0")/.."
install=0
[[ "${1:-}" == --install ]] && install=1

bash scripts/build.sh >/dev/null
rm -rf build/package
cpack --config build/release/CPackConfig.cmake -B build/package >/dev/null
deb=$(ls build/package/clusterscope_*.deb)
echo "package: $deb ($(du -h "$deb" | cut -f1))"
dpkg-deb --field "$deb" Depends | tr ',' '\n' | sed 's/^ */  depends: /'

desktop-file-validate packaging/org.clusterscope.ClusterScope.desktop
appstreamcli validate --no-net --explain packaging/org.clusterscope.ClusterScope.metainfo.xml
# Errors fail; warnings are printed. The package is built by CPack, not dpkg-buildpackage, so
# it has no source package: lintian checks the binary package alone.
lintian --fail-on error --tag-display-limit 0 "$deb"
echo "package: checks passed"

((install)) || exit 0
if [[ $(id -u) -ne 0 ]]; then
  echo "package: --install needs root" >&2
  exit 1
fi
dpkg -i "$deb" >/dev/null
trap 'dpkg -r clusterscope >/dev/null' EXIT
/usr/bin/clusterscope-cli --version
env -u DISPLAY -u WAYLAND_DISPLAY /usr/bin/clusterscope --version # no display needed
demo=/usr/share/clusterscope/demo/digits.csv.gz
# The binaries fall back to the source tree's demo and guide: these must be the package's.
for f in "$demo" /usr/share/doc/clusterscope/user-guide.md \
  /usr/share/doc/clusterscope/screenshots/1-opened.png; do
  dpkg -S "$f" >/dev/null || { echo "package: $f is not in the package" >&2; exit 1; }
done
/usr/bin/clusterscope-cli run --data "$demo" --method kmeans --k 10 --seed 0 --history off --quiet \
  | grep -E "^ *(acc|nmi) ="
shot=$(mktemp --suffix=.png)
# plot runs in the helper the package keeps in /usr/libexec/clusterscope.
/usr/bin/clusterscope-cli plot --data "$demo" --out "$shot" >/dev/null
echo "package: clusterscope-cli plot drew the demo ($(du -h "$shot" | cut -f1))"
QT_QPA_PLATFORM=xcb CLUSTERSCOPE_HISTORY=off xvfb-run -a -s "-screen 0 1280x1024x24" \
  /usr/bin/clusterscope --demo --screenshot "$shot"
echo "package: the installed app opened the demo ($(du -h "$shot" | cut -f1) screenshot)"
rm -f "$shot"
