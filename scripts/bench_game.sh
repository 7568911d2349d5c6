#!/usr/bin/env bash
# Start-up to the first interactive frame and peak memory of the game, side by side with a bare
# Bevy UI app built with the same features (examples/bare_ui.rs), and idle CPU on the home screen.
# Needs Xvfb, xdotool and Mesa's software Vulkan (scripts/install-system-packages.sh).
# Usage: scripts/bench_game.sh [runs] [profile]   (profile: release (default) or dev)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-5}"
PROFILE="${2:-release}"
DISPLAY_NUM=":95"
flag=(); dir=debug
if [ "$PROFILE" = release ]; then flag=(--release); dir=release; fi
cargo build "${flag[@]}" --bin care-trainer --example bare_ui
Xvfb "$DISPLAY_NUM" -screen 0 1366x768x24 -nolisten tcp >/dev/null 2>&1 &
XVFB=$!
trap 'kill $XVFB 2>/dev/null || true' EXIT
sleep 2
export DISPLAY="$DISPLAY_NUM"
tmp=$(mktemp -d)

measure() { # name command…
  local name=$1; shift
  for i in $(seq 1 "$RUNS"); do
    BENCH_EXIT=1 /usr/bin/time -f "%M" -o "$tmp/rss" "$@" >"$tmp/out" 2>/dev/null || true
    echo "$name $(grep -o 'FIRST_FRAME_MS [0-9]*' "$tmp/out" | cut -d' ' -f2) $(cat "$tmp/rss")"
  done
}
echo "name first_frame_ms peak_rss_kib"
measure bare "target/$dir/examples/bare_ui" | tee "$tmp/bare"
measure game "target/$dir/care-trainer" --db "$tmp/bench.db" | tee "$tmp/game"
awk '{ t[$1]+=$2; m[$1]+=$3; n[$1]++ } END {
  printf "mean start-up: bare %.0f ms, game %.0f ms (x%.2f)\n", t["bare"]/n["bare"], t["game"]/n["game"], (t["game"]/n["game"])/(t["bare"]/n["bare"]);
  printf "mean peak RSS: bare %.0f MiB, game %.0f MiB (x%.2f)\n", m["bare"]/n["bare"]/1024, m["game"]/n["game"]/1024, (m["game"]/n["game"])/(m["bare"]/n["bare"]) }' "$tmp/bare" "$tmp/game"

# Idle CPU on the home screen: sign in, wait, then count CPU ticks over 20 s.
"target/$dir/care-trainer" --db "$tmp/idle.db" >/dev/null 2>&1 &
GAME=$!
sleep 8
w=$(xdotool search --name "Care Trainer" | head -1)
xdotool windowfocus --sync "$w"; xdotool type "IDLE-1"; xdotool key Tab; xdotool type "Idle"; xdotool key Return
sleep 5
t0=$(awk '{print $14+$15}' /proc/$GAME/stat); sleep 20; t1=$(awk '{print $14+$15}' /proc/$GAME/stat)
kill $GAME
hz=$(getconf CLK_TCK)
awk -v a="$t0" -v b="$t1" -v hz="$hz" 'BEGIN { printf "idle CPU on the home screen: %.2f%% of one core\n", (b-a)/hz/20*100 }'
