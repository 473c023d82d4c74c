#!/usr/bin/env bash
# Installs and starts what drdsafe needs on a Debian 12 machine, as root:
# Docker engine (Debian's docker.io), strace, ksh, debootstrap (the sandbox
# image is built from Debian's archive, no container registry), a C compiler
# for the HP-UX stand-ins, Debian's chromium (the HTML report's browser
# tests drive it; nothing is downloaded at test time), and the npm
# dependencies. Safe to run again: it only
# does what is missing. Needs no standard input.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup: %s\n' "$*" >&2; }
die() { printf 'setup: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (it installs Debian packages and starts dockerd)"

need_node_major=20
if ! command -v node >/dev/null 2>&1; then
  die "Node.js ${need_node_major}.4 or newer is required and was not found; install it, then run this again"
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge "$need_node_major" ] || die "Node.js ${need_node_major}+ is required, found $(node --version)"

# python3: the unit tests of the container's supervisor (test/runtime/) run on the host.
packages=(docker.io strace ksh debootstrap gcc libc6-dev make patch xz-utils curl ca-certificates chromium python3)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! docker info >/dev/null 2>&1; then
  say "starting the Docker engine"
  if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
    systemctl start docker || true
  fi
  if ! docker info >/dev/null 2>&1; then
    mkdir -p /var/log
    nohup dockerd >/var/log/dockerd.log 2>&1 </dev/null &
  fi
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 1
  done
  docker info >/dev/null 2>&1 || die "dockerd did not come up; see /var/log/dockerd.log"
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm dependencies"
  npm ci --no-audit --no-fund --loglevel=error
  # tap generates its test class for the plugins package.json's "tap" section
  # keeps; built now, the first npm test already runs without the loaders of
  # the ones it leaves out (tap would otherwise rebuild only after that run).
  say "building tap's test class for the project's plugins"
  npx tap build >/dev/null
fi
[ -x /usr/bin/chromium ] || die "chromium was not installed at /usr/bin/chromium (apt-get install chromium)"
say "ready: $(docker version --format 'Docker engine {{.Server.Version}}'), $(strace -V | head -1), node $(node --version), $(/usr/bin/chromium --version 2>/dev/null | head -1)"
