/*
 * File-system commands: bdf (free space of every mounted file system, or of
 * the ones holding the named files) and mount. HP-UX keeps the mounted file
 * systems in /etc/mnttab; both read the image's. The sizes are the real
 * statvfs(2) of each mount point in the tree the command runs in. `mount`
 * with nothing to mount lists /etc/mnttab in HP-UX's forms; with something to
 * mount it calls mount(2) as the real one does (refused in the jail, where
 * the attempt on the running kernel shows in the trace).
 */
#define _GNU_SOURCE
#include "standin.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#define MNTTAB "/etc/mnttab"
#define FSTAB "/etc/fstab"

struct mnt {
  char special[256], dir[256], type[32], opts[256];
  long when;
};

/* The entries of mnttab(4) or fstab(4): special dir type options [dump pass [time]]. */
static int read_table(const char *path, struct mnt *m, int cap) {
  FILE *f = fopen(path, "re");
  if (!f) return -1;
  int n = 0;
  char line[1024];
  while (n < cap && fgets(line, sizeof line, f)) {
    if (line[0] == '#') continue;
    int dump, pass;
    long when = 0;
    struct mnt *e = &m[n];
    int k = sscanf(line, "%255s %255s %31s %255s %d %d %ld", e->special, e->dir, e->type, e->opts, &dump, &pass, &when);
    if (k < 3) continue;
    if (k < 4) snprintf(e->opts, sizeof e->opts, "defaults");
    e->when = when;
    n++;
  }
  fclose(f);
  return n;
}

/* The entry whose mount point holds path (the longest matching prefix). */
static const struct mnt *holder(const struct mnt *m, int n, const char *path) {
  const struct mnt *best = NULL;
  size_t best_len = 0;
  for (int i = 0; i < n; i++) {
    size_t l = strlen(m[i].dir);
    int under = strcmp(m[i].dir, "/") == 0 || (strncmp(path, m[i].dir, l) == 0 && (path[l] == '/' || path[l] == '\0'));
    if (under && (best == NULL || l > best_len)) best = &m[i], best_len = l;
  }
  return best;
}

static int bdf_line(const struct mnt *e, int inodes) {
  struct statvfs s;
  if (statvfs(e->dir, &s) < 0) {
    fprintf(stderr, "bdf: %s: %s\n", e->dir, strerror(errno));
    return 1;
  }
  unsigned long long frag = s.f_frsize ? s.f_frsize : s.f_bsize;
  unsigned long long kb = s.f_blocks * frag / 1024, freekb = s.f_bfree * frag / 1024, avail = s.f_bavail * frag / 1024;
  unsigned long long used = kb - freekb;
  unsigned pct = used + avail ? (unsigned)((used * 100 + used + avail - 1) / (used + avail)) : 0;
  if (strlen(e->special) > 18) printf("%s\n%18s", e->special, "");
  else printf("%-18s", e->special);
  printf(" %7llu %7llu %7llu %4u%%", kb, used, avail, pct);
  if (inodes) {
    unsigned long long iused = s.f_files - s.f_ffree;
    unsigned ip = s.f_files ? (unsigned)((iused * 100 + s.f_files - 1) / s.f_files) : 0;
    printf(" %6llu %6llu %4u%%", iused, (unsigned long long)s.f_ffree, ip);
  }
  printf(" %s\n", e->dir);
  return 0;
}

int bdf_main(int argc, char **argv) {
  int inodes = 0, local = 0, c;
  const char *type = NULL;
  opterr = 0;
  while ((c = getopt(argc, argv, "bilst:")) != -1) {
    if (c == 'i') inodes = 1;
    else if (c == 'l') local = 1;
    else if (c == 't') type = optarg;
    else if (c != 'b' && c != 's') {
      fprintf(stderr, "usage: bdf [-b] [-i] [-l] [-s] [-t type | [filesystem|file] ... ]\n");
      return 1;
    }
  }
  struct mnt m[64];
  int n = read_table(MNTTAB, m, 64);
  if (n < 0) {
    fprintf(stderr, "bdf: cannot open %s: %s\n", MNTTAB, strerror(errno));
    return 1;
  }
  printf("Filesystem          kbytes    used   avail %%used%s Mounted on\n", inodes ? "  iused  ifree %iuse" : "");
  int status = 0;
  if (optind >= argc) {
    for (int i = 0; i < n; i++) {
      if (type && strcmp(m[i].type, type) != 0) continue;
      if (local && strcmp(m[i].type, "nfs") == 0) continue;
      status |= bdf_line(&m[i], inodes);
    }
    return status;
  }
  for (int i = optind; i < argc; i++) {
    const struct mnt *e = NULL;
    for (int j = 0; j < n && !e; j++)
      if (strcmp(m[j].special, argv[i]) == 0) e = &m[j];
    if (!e) {
      char real[PATH_MAX];
      if (!realpath(argv[i], real)) {
        fprintf(stderr, "bdf: %s: %s\n", argv[i], strerror(errno));
        status = 1;
        continue;
      }
      e = holder(m, n, real);
    }
    if (!e) {
      fprintf(stderr, "bdf: %s: not in %s\n", argv[i], MNTTAB);
      status = 1;
      continue;
    }
    status |= bdf_line(e, inodes);
  }
  return status;
}

static void mount_time(long when, char *out, size_t cap) {
  time_t t = when ? (time_t)when : time(NULL);
  struct tm tm;
  localtime_r(&t, &tm);
  strftime(out, cap, "%a %b %e %H:%M:%S %Y", &tm);
}

static unsigned long mount_flags(const char *opts, char *data, size_t cap) {
  unsigned long flags = 0;
  data[0] = '\0';
  char copy[256];
  snprintf(copy, sizeof copy, "%s", opts ? opts : "");
  for (char *s = NULL, *o = strtok_r(copy, ",", &s); o; o = strtok_r(NULL, ",", &s)) {
    if (!strcmp(o, "ro")) flags |= MS_RDONLY;
    else if (!strcmp(o, "nosuid")) flags |= MS_NOSUID;
    else if (!strcmp(o, "rw") || !strcmp(o, "defaults")) continue;
    else {
      size_t l = strlen(data);
      snprintf(data + l, cap - l, "%s%s", l ? "," : "", o);
    }
  }
  return flags;
}

/* mount(2) as the real command makes it; the result as HP-UX's mount reports it. */
static int do_mount(const char *special, const char *dir, const char *type, const char *opts) {
  char data[256];
  unsigned long flags = mount_flags(opts, data, sizeof data);
  if (mount(special, dir, type ? type : "vxfs", flags, data[0] ? data : NULL) < 0) {
    fprintf(stderr, "%s: %s: %s\n", "mount", special, strerror(errno));
    return 1;
  }
  /* A mount that worked is recorded in mnttab, as HP-UX's mount does. */
  FILE *f = fopen(MNTTAB, "ae");
  if (f) {
    fprintf(f, "%s %s %s %s 0 0 %ld\n", special, dir, type ? type : "vxfs", opts && *opts ? opts : "defaults", (long)time(NULL));
    fclose(f);
  }
  return 0;
}

int mount_main(int argc, char **argv) {
  int all = 0, verbose = 0, fstab_form = 0, local = 0, c;
  const char *type = NULL, *opts = NULL;
  opterr = 0;
  while ((c = getopt(argc, argv, "aF:lo:pqrv")) != -1) {
    switch (c) {
      case 'a': all = 1; break;
      case 'F': type = optarg; break;
      case 'l': local = 1; break;
      case 'o': opts = optarg; break;
      case 'p': fstab_form = 1; break;
      case 'v': verbose = 1; break;
      case 'q': case 'r': break;
      default:
        fprintf(stderr, "usage: mount [-l] [-p|-v]\n"
                        "       mount -a [-F FStype] [-eQ]\n"
                        "       mount [-F FStype] [-eQrV] [-o specific_options] {special|directory}\n"
                        "       mount [-F FStype] [-eQrV] [-o specific_options] special directory\n");
        return 2;
    }
  }
  int nargs = argc - optind;
  if (!all && nargs == 0) {
    struct mnt m[64];
    int n = read_table(MNTTAB, m, 64);
    if (n < 0) {
      fprintf(stderr, "mount: cannot open %s: %s\n", MNTTAB, strerror(errno));
      return 1;
    }
    for (int i = 0; i < n; i++) {
      if (local && strcmp(m[i].type, "nfs") == 0) continue;
      char when[64];
      mount_time(m[i].when, when, sizeof when);
      if (fstab_form) printf("%s %s %s %s 0 %d\n", m[i].special, m[i].dir, m[i].type, m[i].opts, strcmp(m[i].dir, "/") ? 2 : 1);
      else if (verbose) printf("%s on %s type %s %s on %s\n", m[i].special, m[i].dir, m[i].type, m[i].opts, when);
      else printf("%s on %s %s on %s\n", m[i].dir, m[i].special, m[i].opts, when);
    }
    return 0;
  }
  struct mnt f[64];
  int n = read_table(FSTAB, f, 64);
  if (all) {
    /* Everything in fstab not yet in mnttab. */
    struct mnt m[64];
    int nm = read_table(MNTTAB, m, 64), status = 0;
    for (int i = 0; i < n; i++) {
      if (type && strcmp(f[i].type, type) != 0) continue;
      if (!strcmp(f[i].type, "swap") || !strcmp(f[i].type, "swapfs")) continue;
      int mounted = 0;
      for (int j = 0; j < nm; j++) mounted |= strcmp(m[j].dir, f[i].dir) == 0;
      if (!mounted) status |= do_mount(f[i].special, f[i].dir, f[i].type, f[i].opts);
    }
    return status;
  }
  if (nargs == 1) {
    for (int i = 0; i < n; i++)
      if (strcmp(f[i].special, argv[optind]) == 0 || strcmp(f[i].dir, argv[optind]) == 0)
        return do_mount(f[i].special, f[i].dir, type ? type : f[i].type, opts ? opts : f[i].opts);
    fprintf(stderr, "mount: %s not found in %s\n", argv[optind], FSTAB);
    return 1;
  }
  return do_mount(argv[optind], argv[optind + 1], type, opts);
}
