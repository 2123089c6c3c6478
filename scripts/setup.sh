#!/usr/bin/env bash
# `npm run setup` (also the first step of `npm run book` via scripts/course.sh and of `npm test`):
# installs everything rl-workbook needs, and only what is missing, so running it again is cheap.
#   1. Debian/Ubuntu packages: cairo, pango, jpeg, gif and rsvg headers, so `canvas` can build from
#      source where its prebuilt binary cannot be downloaded; Jupyter (notebook, nbconvert, nbclient)
#      unless a Python with Jupyter is already there (e.g. `pip install jupyterlab`); with --browser,
#      Chromium for the tests that open the exported pages.
#   2. npm packages (`npm ci`) when node_modules is missing or older than package-lock.json.
#   3. The library build (dist/) and the tslab kernel registration.
set -euo pipefail
cd "$(dirname "$0")/.."

with_browser=0
for arg in "$@"; do
  case "$arg" in
    --browser) with_browser=1 ;;
    *) echo "setup: unknown option $arg (expected --browser)" >&2; exit 2 ;;
  esac
done

say() { echo "setup: $*"; }

# ---- 1. system packages -------------------------------------------------------------------------
missing=()
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
if command -v dpkg-query >/dev/null 2>&1; then
  for pkg in libcairo2-dev libpango1.0-dev libjpeg-dev libgif-dev librsvg2-dev pkg-config; do
    installed "$pkg" || missing+=("$pkg")
  done
  if ! node scripts/jupyter-python.js jupyter_client nbclient nbconvert nbformat >/dev/null 2>&1; then
    missing+=(jupyter-notebook jupyter-nbconvert python3-nbclient python3-ipykernel)
  fi
  if [ "$with_browser" = 1 ] && ! command -v chromium >/dev/null 2>&1 && [ -z "${CHROMIUM_PATH:-}" ]; then
    missing+=(chromium)
  fi
  if [ "${#missing[@]}" -gt 0 ]; then
    say "installing Debian packages: ${missing[*]}"
    sudo=""
    if [ "$(id -u)" != 0 ]; then
      if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
        echo "setup: need root to install ${missing[*]}; run as root or install them yourself" >&2; exit 1
      fi
    fi
    export DEBIAN_FRONTEND=noninteractive
    # Refresh the package lists only when an install from the current lists fails.
    $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 \
      || { $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"; }
  else
    say "system packages present"
  fi
else
  say "not a Debian/Ubuntu system: make sure Jupyter (pip install jupyterlab) is installed;"
  say "canvas uses its prebuilt binary where one can be downloaded, else needs cairo/pango headers."
fi

# ---- 2. npm packages ----------------------------------------------------------------------------
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund
else
  say "npm packages up to date"
  node scripts/link-self.js
fi

# ---- 3. build and kernel ------------------------------------------------------------------------
say "building the library (tsc)"
npx tsc -p tsconfig.json
node scripts/kernel.js
