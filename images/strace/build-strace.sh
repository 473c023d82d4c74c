#!/bin/sh
# Build the strace the sandbox traces with: Debian's strace 6.1 source (the
# orig tarball from the Debian archive, checked against its SHA-256) with
# cwd-cache.patch, linked statically like the stand-ins.
#
#   build-strace.sh OUTDIR      (writes OUTDIR/strace)
#
# The patch keeps what AT_FDCWD's decoration printed for each process and
# prints it again until a traced call that can change a cwd, or the path of a
# directory, has run (chdir, fchdir, chroot, rename*, rmdir, unlinkat with
# AT_REMOVEDIR, mount, umount2, move_mount, pivot_root, setns, unshare):
# the output is the same, one readlink of /proc/PID/cwd fewer per call. The
# sandbox traces those calls whatever the policy (traced-syscalls.ts).
#
# The result is kept in images/.build/strace/<hash of this script, the patch
# and the tarball> and reused. The image also keeps Debian's own strace as
# /usr/bin/strace, which the benchmark's bare variants run.
set -eu

VERSION=6.1
TARBALL=strace_$VERSION.orig.tar.xz
SHA256=2579e9cec37dbb786f6ea0bebd15f40dd561ef2bde2a2a2ecdce5963b01859fd
SUITE=${DRDSAFE_SUITE:-bookworm}

die() { echo "build-strace: $*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: build-strace.sh OUTDIR"
OUT=$1
HERE=$(cd "$(dirname "$0")" && pwd)
for tool in cc make xz patch sha256sum; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is not installed (scripts/setup.sh installs what the build needs)"
done

KEY=$(cat "$0" "$HERE/cwd-cache.patch" | sha256sum | cut -c1-16)
CACHE=$HERE/../.build/strace
BUILT=$CACHE/$KEY/strace
mkdir -p "$OUT"
if [ -x "$BUILT" ]; then
  cp "$BUILT" "$OUT/strace"
  exit 0
fi

mkdir -p "$CACHE"
# One build at a time (the image build and the tests' image may ask at once);
# whoever waited finds the binary made.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$CACHE/build.lock"
  flock 9
  if [ -x "$BUILT" ]; then
    cp "$BUILT" "$OUT/strace"
    exit 0
  fi
fi
if [ ! -f "$CACHE/$TARBALL" ] || ! echo "$SHA256  $CACHE/$TARBALL" | sha256sum -c --status; then
  . "$HERE/../rootfs/debian-mirror.sh"
  MIRROR=$(debian_mirror) || die "no Debian archive for '$SUITE' found in the host's apt sources (set DRDSAFE_MIRROR)"
  URL=${MIRROR%/}/pool/main/s/strace/$TARBALL
  echo "build-strace: fetching $URL" >&2
  if command -v curl >/dev/null 2>&1; then
    curl -fsSL --retry 3 -o "$CACHE/$TARBALL.$$.part" "$URL" || die "cannot fetch $URL"
  else
    python3 -c 'import sys, urllib.request; urllib.request.urlretrieve(sys.argv[1], sys.argv[2])' "$URL" "$CACHE/$TARBALL.$$.part" || die "cannot fetch $URL"
  fi
  if ! echo "$SHA256  $CACHE/$TARBALL.$$.part" | sha256sum -c --status; then
    rm -f "$CACHE/$TARBALL.$$.part"
    die "$URL does not have the expected SHA-256 ($SHA256)"
  fi
  mv "$CACHE/$TARBALL.$$.part" "$CACHE/$TARBALL"
fi

WORK=$(mktemp -d "$CACHE/build.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
tar -C "$WORK" -xJf "$CACHE/$TARBALL"
SRC=$WORK/strace-$VERSION
patch -s -d "$SRC" -p1 < "$HERE/cwd-cache.patch" || die "cwd-cache.patch does not apply to strace $VERSION"
mkdir "$WORK/build"
echo "build-strace: building strace $VERSION with cwd-cache.patch (about a minute)" >&2
# No multi-personality decoders (they need 32-bit compilers), no optional libraries.
if ! (cd "$WORK/build" && "$SRC/configure" -q --enable-mpers=no --disable-gcc-Werror \
        --without-libunwind --without-libiberty --without-libselinux LDFLAGS=-static >configure.log 2>&1 \
      && make -j"$(nproc)" -s >make.log 2>&1); then
  tail -n 30 "$WORK/build/configure.log" "$WORK/build/make.log" >&2 2>/dev/null || true
  die "strace did not build (log above)"
fi
strip "$WORK/build/src/strace" 2>/dev/null || true
"$WORK/build/src/strace" -V >/dev/null || die "the strace built does not run"
mkdir -p "$CACHE/$KEY"
cp "$WORK/build/src/strace" "$BUILT.$$.part" && mv "$BUILT.$$.part" "$BUILT"
cp "$BUILT" "$OUT/strace"
