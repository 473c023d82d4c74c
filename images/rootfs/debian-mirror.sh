# The Debian archive to fetch from, for make-rootfs.sh and strace/build-strace.sh
# (sourced by both): DRDSAFE_MIRROR, else the one this host's apt is configured
# with for $SUITE (deb822 "URIs:" in /etc/apt/sources.list.d/*.sources, else
# the first "deb" line of /etc/apt/sources.list). Prints it; fails when none.

host_mirror() {
  # deb822 first: the URIs: of the first stanza whose Suites: holds $SUITE.
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -r "$f" ] || continue
    awk -v suite="$SUITE" '
      function flush() { if (uris != "" && hit && !done) { split(uris, u, " "); print u[1]; done = 1 } uris = ""; hit = 0 }
      /^[ \t]*#/ { next }
      /^[ \t]*$/ { flush(); next }
      tolower($1) == "uris:" { uris = ""; for (i = 2; i <= NF; i++) uris = uris " " $i }
      tolower($1) == "suites:" { for (i = 2; i <= NF; i++) if ($i == suite) hit = 1 }
      END { flush() }
    ' "$f"
  done | head -n 1 | grep . && return 0
  # One-line style.
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -r "$f" ] || continue
    awk -v suite="$SUITE" '
      $1 == "deb" { i = 2; if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; i++ } if ($(i+1) == suite) { print $i; exit } }
    ' "$f"
  done | head -n 1 | grep . && return 0
  return 1
}

debian_mirror() {
  if [ -n "${DRDSAFE_MIRROR:-}" ]; then
    echo "$DRDSAFE_MIRROR"
    return 0
  fi
  host_mirror
}
