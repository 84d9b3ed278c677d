#!/usr/bin/env bash
# Installs what the test suites need beyond npm packages: Debian's Chromium (end-to-end tests drive it
# through Playwright's executablePath; never a downloaded browser), Mosquitto (the external-broker
# tests), age (an operator decrypting an encrypted backup) and Python 3 (the kiosk's display hook,
# deploy/kiosk/gatecast-display-hook, is tested as it runs), poppler-utils (pdftotext, pdftoppm,
# pdffonts read the printed leaflets back), a small Chinese system font (fonts-wqy-microhei: the gate
# site uses the phone's own fonts, and the screenshots of it must show Chinese as a phone would) and
# xmllint (libxml2-utils: CAP 1.2 messages the controller writes are validated against OASIS's XSD).
# Does nothing when all are present.
set -euo pipefail

need=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need+=(chromium)
command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ] || need+=(mosquitto)
command -v age >/dev/null 2>&1 || need+=(age)
command -v python3 >/dev/null 2>&1 || need+=(python3)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
fc-list :lang=zh 2>/dev/null | grep -q . || need+=(fonts-wqy-microhei)
command -v xmllint >/dev/null 2>&1 || need+=(libxml2-utils)
[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "gatecast tests need Debian packages: ${need[*]}. Run as root, or: sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi

echo "Installing Debian packages for the tests: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null

# The tests start their own Mosquitto on free loopback ports; a system service on 1883 would only
# collide with `npm start`'s embedded broker.
if [[ " ${need[*]} " == *" mosquitto "* ]] && command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet mosquitto 2>/dev/null; then
  echo "Stopping and disabling the mosquitto system service that the package started (tests run their own)."
  systemctl disable --now mosquitto >/dev/null 2>&1 || true
fi
