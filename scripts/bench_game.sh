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

run_once() { # name command…  → prints "name first_frame_ms peak_rss_kib"
  local name=$1; shift
  CARE_TRAINER_DEV=exit BENCH_EXIT=1 /usr/bin/time -f "%M" -o "$tmp/rss" "$@" >"$tmp/out" 2>/dev/null || true
  echo "$name $(grep -o 'FIRST_FRAME_MS [0-9]*' "$tmp/out" | cut -d' ' -f2) $(tail -1 "$tmp/rss")"
}
bare=("target/$dir/examples/bare_ui")
game=("target/$dir/care-trainer" --db "$tmp/bench.db")
# One uncounted run of each (cold file cache, the database created), then the two alternate, so
# that a slow minute on a shared machine hits both.
run_once bare "${bare[@]}" >/dev/null
run_once game "${game[@]}" >/dev/null
echo "name first_frame_ms peak_rss_kib"
for i in $(seq 1 "$RUNS"); do
  run_once bare "${bare[@]}"
  run_once game "${game[@]}"
done | tee "$tmp/runs"
# Median and mean per app, and the ratios (the median is the figure: a shared VM has outliers).
sort -k1,1 -k2,2n "$tmp/runs" | awk '
  { t[$1, ++n[$1]] = $2; ts[$1] += $2; m[$1] += $3 }
  END {
    for (a in n) { k = n[a]; med[a] = (k % 2) ? t[a, (k + 1) / 2] : (t[a, k / 2] + t[a, k / 2 + 1]) / 2 }
    printf "median start-up: bare %.0f ms, game %.0f ms (x%.2f)\n", med["bare"], med["game"], med["game"] / med["bare"]
    printf "mean start-up: bare %.0f ms, game %.0f ms (x%.2f)\n", ts["bare"] / n["bare"], ts["game"] / n["game"], (ts["game"] / n["game"]) / (ts["bare"] / n["bare"])
    printf "mean peak RSS: bare %.0f MiB, game %.0f MiB (x%.2f)\n", m["bare"] / n["bare"] / 1024, m["game"] / n["game"] / 1024, (m["game"] / n["game"]) / (m["bare"] / n["bare"])
  }'

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
