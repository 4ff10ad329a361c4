#!/usr/bin/env bash
# Re-takes the screenshots of docs/walkthrough.md: ClusterScope driven as a new user would
# (xdotool) in a virtual X server. Needs: xvfb, xdotool, imagemagick, a release build.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=docs/screenshots
Xvfb :97 -screen 0 1280x860x24 >/dev/null 2>&1 &
xvfb=$!
trap 'kill $app $xvfb 2>/dev/null || true' EXIT
export DISPLAY=:97 QT_QPA_PLATFORM=xcb
sleep 1
shot() { import -window root -crop 1280x800+0+0 "$out/$1"; }
build/release/app/gui/clusterscope /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz &
app=$!
sleep 10
shot 1-opened.png                                    # labels found beside the images
xdotool mousemove 200 374 click --repeat 3 1         # the k field
xdotool key ctrl+a type 10
xdotool key F5                                       # Run
sleep 9
shot 2-clusters.png
xdotool mousemove 1200 67 click 1; sleep 0.5         # Colour by...
xdotool key Down Return; sleep 1                     # ... True label
xdotool mousemove 640 470; sleep 0.3; xdotool mousemove 642 471; sleep 1
shot 3-hover-thumbnail.png
xdotool key ctrl+e; sleep 1.5                        # Export Figure
xdotool key ctrl+a type "/tmp/clusterscope-walkthrough-4x.png"
xdotool key Return; sleep 1
xdotool key Down Return; sleep 5                     # scale 4x
convert /tmp/clusterscope-walkthrough-4x.png -resize 1000x -colors 256 "$out/4-exported-4x-downscaled.png"
convert /tmp/clusterscope-walkthrough-4x.png -crop 1100x700+2450+100 "$out/4-exported-4x-detail.png"
identify /tmp/clusterscope-walkthrough-4x.png
