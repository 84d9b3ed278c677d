#!/usr/bin/env bash
# Installs what the gatecast controller needs on a Debian 12 machine beside its code in /opt/gatecast
# (a clone of the repository: `npm ci && npm run build`): Debian's Chromium, which prints leaflets
# headless (`gatecast leaflet`, the console's leaflet button) and never fetches anything; the
# `gatecast` user; the data folder (0700) and the settings file (0600, from controller.env.example
# when there is none); and the systemd units (controller, nightly backup). Safe to run again.
#
#   sudo ./deploy/controller/install.sh
set -euo pipefail
[ "$(id -u)" -eq 0 ] || { echo "run as root" >&2; exit 1; }
here="$(cd "$(dirname "$0")" && pwd)"

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# chromium: leaflets (PDF); the fonts it embeds come from the repository's npm packages
apt-get install -y -qq --no-install-recommends chromium >/dev/null
command -v node >/dev/null 2>&1 || echo "note: install Node.js 20 (e.g. from NodeSource) before npm ci" >&2

id gatecast >/dev/null 2>&1 || useradd --system --home-dir /var/lib/gatecast --shell /usr/sbin/nologin gatecast
install -d -m 0700 -o gatecast -g gatecast /var/lib/gatecast
install -d -m 0755 /etc/gatecast
if [ ! -e /etc/gatecast/controller.env ]; then
  install -m 0600 -o gatecast -g gatecast "$here/controller.env.example" /etc/gatecast/controller.env
fi
for unit in gatecast.service gatecast-backup.service gatecast-backup.timer; do
  install -m 0644 "$here/$unit" "/etc/systemd/system/$unit"
done
systemctl daemon-reload
systemctl enable gatecast.service gatecast-backup.timer >/dev/null
echo "installed: edit /etc/gatecast/controller.env (PUBLIC_URL, SITE_URL), then systemctl restart gatecast"
