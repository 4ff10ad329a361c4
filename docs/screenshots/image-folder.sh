#!/usr/bin/env bash
# Re-takes docs/screenshots/13-image-folder.png: the real app on a folder of Fashion-MNIST PNGs
# in four class subfolders (scripts/fashion_image_folder.py), the pointer over a trouser, whose
# file, class and picture the inspector shows.
# Needs: xvfb, xdotool, imagemagick, python3-numpy, dataset-fashion-mnist, a release build.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
Xvfb :94 -screen 0 1280x860x24 >/dev/null 2>&1 &
xvfb=$!
trap 'kill $app $xvfb 2>/dev/null || true; rm -rf "$work"' EXIT
export DISPLAY=:94 QT_QPA_PLATFORM=xcb XDG_DATA_HOME=$work/xdg
/usr/bin/python3 scripts/fashion_image_folder.py "$work/fashion" 150 t-shirt trouser bag "ankle boot"
build/release/app/gui/clusterscope "$work/fashion" >/dev/null 2>&1 &
app=$!
sleep 8
window=$(xdotool search --name ClusterScope | head -1)
xdotool windowsize "$window" 1280 800 windowmove "$window" 0 0
sleep 1
# The trousers gather at the right of the data view's PCA.
for p in "880 445" "881 446" "878 470" "879 471"; do xdotool mousemove $p; sleep 0.4; done
import -window root -crop 1280x800+0+0 docs/screenshots/13-image-folder.png
