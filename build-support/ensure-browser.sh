#!/usr/bin/env bash
# Makes sure headless Chromium and its WebDriver are installed, for the dashboard's browser tests
# (dynamo-cli's DashboardBrowserTest). Installs Debian's chromium and chromium-driver packages when
# they are missing and apt-get can be used (as root, or through sudo without a password);
# otherwise says what to install. Exit 0 when both are present afterwards, 1 when not.
set -uo pipefail

have_browser() {
  { command -v chromium || command -v chromium-browser || command -v google-chrome; } >/dev/null 2>&1 &&
    command -v chromedriver >/dev/null 2>&1
}

if have_browser; then
  exit 0
fi

as_root=()
if [[ "$(id -u)" -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root=(sudo -n)
  else
    as_root=(none)
  fi
fi

if command -v apt-get >/dev/null 2>&1 && [[ "${as_root[0]:-}" != none ]]; then
  echo "dynamo: installing headless Chromium for the dashboard's browser tests (apt-get install chromium chromium-driver) ..." >&2
  export DEBIAN_FRONTEND=noninteractive
  if ! "${as_root[@]}" apt-get install -y -q --no-install-recommends chromium chromium-driver >/dev/null 2>&1; then
    "${as_root[@]}" apt-get update -q >/dev/null 2>&1
    "${as_root[@]}" apt-get install -y -q --no-install-recommends chromium chromium-driver >/dev/null 2>&1
  fi
fi

if have_browser; then
  exit 0
fi
echo "dynamo: Chromium and chromedriver are missing, and could not be installed here; the dashboard's browser" >&2
echo "dynamo: tests will fail. Install them (Debian/Ubuntu: apt-get install chromium chromium-driver) and run again." >&2
exit 1
