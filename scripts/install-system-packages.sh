#!/usr/bin/env bash
# Installs the Debian packages Care Trainer needs at run and test time (no -dev packages are
# needed to build: Bevy is built with trimmed features). Run as root (or with sudo).
#   Xvfb + Mesa's software Vulkan: run the game with no GPU and no display (tests, CI).
#   xdotool + imagemagick: the end-to-end test clicks, types and takes screenshots.
#   openbox: a window manager, so the game's default reactive mode is tested as on a desktop.
#   chromium + chromium-driver: render the HTML report and drive the web dashboard in tests.
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends \
  xvfb xauth mesa-vulkan-drivers libvulkan1 \
  libx11-6 libx11-xcb1 libxcursor1 libxi6 libxrandr2 libxkbcommon-x11-0 \
  xdotool imagemagick openbox \
  chromium chromium-driver
