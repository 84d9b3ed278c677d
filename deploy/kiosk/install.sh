#!/usr/bin/env bash
# Installs a gatecast kiosk on a Debian / Raspberry Pi OS box: Debian's Chromium in kiosk mode under
# the cage Wayland compositor, as a systemd service that restarts on crash, with screen blanking off,
# and the display hook that sleeps and wakes the panel outside its on-hours (HDMI-CEC, else DPMS).
#
#   sudo ./install.sh --url https://gatecast.langson.example/kiosk/ [--nightly-reboot 03:30] [--insecure-origin]
#
# --insecure-origin: for a LAN without TLS, names the controller's origin in Chromium's
# --unsafely-treat-insecure-origin-as-secure so service worker, caches and WebCrypto still work.
set -euo pipefail

URL=""
REBOOT=""
INSECURE=0
while [ $# -gt 0 ]; do
  case "$1" in
    --url) URL="$2"; shift 2 ;;
    --nightly-reboot) REBOOT="$2"; shift 2 ;;
    --insecure-origin) INSECURE=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ -n "$URL" ] || { echo "usage: $0 --url https://controller/kiosk/ [--nightly-reboot HH:MM] [--insecure-origin]" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "run as root" >&2; exit 1; }

here="$(cd "$(dirname "$0")" && pwd)"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium cage fonts-noto-core fonts-noto-cjk dbus-user-session \
  python3 v4l-utils wlr-randr >/dev/null
# wlopm (wlr-output-power-management) where the release has it (Debian 13 and later)
apt-cache show wlopm >/dev/null 2>&1 && apt-get install -y -qq --no-install-recommends wlopm >/dev/null

# video: the CEC adapter (/dev/cec*) and the GPU
id kiosk >/dev/null 2>&1 || useradd --create-home --shell /usr/sbin/nologin --groups video,render,input kiosk

install -d /etc/gatecast /etc/chromium/policies/managed
origin="$(printf '%s' "$URL" | sed -E 's#^(https?://[^/]+).*#\1#')"
flags=""
[ "$INSECURE" -eq 1 ] && flags="--unsafely-treat-insecure-origin-as-secure=$origin"
cat > /etc/gatecast/kiosk.env <<ENV
# gatecast kiosk settings: edit, then systemctl restart gatecast-kiosk
GATECAST_KIOSK_URL=$URL
GATECAST_KIOSK_EXTRA_FLAGS=$flags
# display hook (on-hours: the panel sleeps when the kiosk goes dark): on | off
GATECAST_DISPLAY_HOOK=on
GATECAST_DISPLAY_HOOK_PORT=47800
# auto (CEC when the panel answers, else DPMS) | cec | dpms | none
GATECAST_DISPLAY_METHOD=auto
GATECAST_CEC_DEVICE=/dev/cec0
GATECAST_DPMS_OUTPUT=*
ENV
install -m 0644 "$here/chromium-policy.json" /etc/chromium/policies/managed/gatecast.json
install -m 0755 "$here/gatecast-kiosk" /usr/local/bin/gatecast-kiosk
install -m 0755 "$here/gatecast-display-hook" /usr/local/bin/gatecast-display-hook
install -m 0644 "$here/gatecast-kiosk.service" /etc/systemd/system/gatecast-kiosk.service

# never blank or power down the display
install -d /etc/systemd/logind.conf.d
printf '[Login]\nIdleAction=ignore\nHandleLidSwitch=ignore\n' > /etc/systemd/logind.conf.d/gatecast.conf
systemctl mask sleep.target suspend.target hibernate.target hybrid-sleep.target >/dev/null

if [ -n "$REBOOT" ]; then
  install -m 0644 "$here/gatecast-nightly-reboot.service" /etc/systemd/system/
  sed "s/@TIME@/$REBOOT/" "$here/gatecast-nightly-reboot.timer" > /etc/systemd/system/gatecast-nightly-reboot.timer
  systemctl enable gatecast-nightly-reboot.timer >/dev/null
fi

systemctl daemon-reload
systemctl enable --now gatecast-kiosk.service
echo "Kiosk installed. The screen shows a 6-character code: pair it from the console (Ghép nối màn hình)."
