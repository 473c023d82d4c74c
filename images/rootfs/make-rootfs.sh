#!/bin/sh
# Make the base root file system of the drdsafe sandbox image with debootstrap.
#
#   make-rootfs.sh OUTDIR
#
# The Debian archive is the one this host's apt is configured with (deb822
# "URIs:" in /etc/apt/sources.list.d/*.sources, else the first "deb" line of
# /etc/apt/sources.list); DRDSAFE_MIRROR overrides it. Re-runnable: a finished
# OUTDIR (marked by OUTDIR/.drdsafe-rootfs-ok) is left alone unless
# DRDSAFE_REBUILD=1; an unfinished one is removed and made again.
#
# Import the result (the TypeScript side does the same through the API):
#   tar -C OUTDIR --exclude=./.drdsafe-rootfs-ok -c . | docker import - drdsafe-base:<tag>
set -eu

SUITE=${DRDSAFE_SUITE:-bookworm}
ARCH=${DRDSAFE_ARCH:-amd64}
# ksh93u+m is the ksh of bookworm ("ksh" is only its transitional name).
INCLUDE="ksh93u+m,strace,procps,util-linux,python3,grep,sed,mawk,findutils,coreutils"

die() { echo "make-rootfs: $*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: make-rootfs.sh OUTDIR"
OUT=$1
[ "$(id -u)" -eq 0 ] || die "must run as root (debootstrap needs it)"
command -v debootstrap >/dev/null 2>&1 || die "debootstrap is not installed (apt-get install debootstrap)"

. "$(dirname "$0")/debian-mirror.sh"
MIRROR=$(debian_mirror) || die "no Debian archive for '$SUITE' found in /etc/apt/sources.list.d/*.sources or /etc/apt/sources.list (set DRDSAFE_MIRROR)"

if [ -f "$OUT/.drdsafe-rootfs-ok" ] && [ "${DRDSAFE_REBUILD:-0}" != 1 ]; then
  echo "make-rootfs: $OUT is already complete (DRDSAFE_REBUILD=1 to make it again)" >&2
  exit 0
fi
if [ -e "$OUT" ]; then
  # Never delete something that is not ours.
  if [ -n "$(ls -A "$OUT" 2>/dev/null)" ] && [ ! -f "$OUT/.drdsafe-rootfs-partial" ] && [ ! -f "$OUT/.drdsafe-rootfs-ok" ]; then
    die "$OUT exists, is not empty and was not made by make-rootfs.sh; refusing to overwrite it"
  fi
  rm -rf "$OUT"
fi
mkdir -p "$OUT"
touch "$OUT/.drdsafe-rootfs-partial"

KEYRING=
[ -r /usr/share/keyrings/debian-archive-keyring.gpg ] && KEYRING=--keyring=/usr/share/keyrings/debian-archive-keyring.gpg

echo "make-rootfs: debootstrap $SUITE/$ARCH from $MIRROR into $OUT" >&2
if ! debootstrap --variant=minbase --arch="$ARCH" $KEYRING --include="$INCLUDE" \
     "$SUITE" "$OUT" "$MIRROR" >"$OUT.debootstrap.log" 2>&1; then
  tail -n 20 "$OUT.debootstrap.log" >&2
  [ -f "$OUT/debootstrap/debootstrap.log" ] && tail -n 20 "$OUT/debootstrap/debootstrap.log" >&2
  die "debootstrap failed (full log: $OUT.debootstrap.log)"
fi

# Smaller image: no package caches, lists, docs or man pages.
rm -rf "$OUT"/var/cache/apt/archives/*.deb "$OUT"/var/lib/apt/lists/* \
       "$OUT"/usr/share/doc/* "$OUT"/usr/share/man/* "$OUT"/usr/share/locale/* \
       "$OUT"/usr/share/info/*
for b in ksh93 strace nsenter unshare python3 ps; do
  [ -x "$OUT/usr/bin/$b" ] || [ -x "$OUT/bin/$b" ] || die "debootstrap finished but $b is missing in $OUT"
done
rm -f "$OUT/.drdsafe-rootfs-partial" "$OUT.debootstrap.log"
touch "$OUT/.drdsafe-rootfs-ok"
echo "make-rootfs: done: $(du -sh "$OUT" | cut -f1) in $OUT" >&2
echo "make-rootfs: import with: tar -C $OUT --exclude=./.drdsafe-rootfs-ok -c . | docker import - drdsafe-base:<tag>" >&2
