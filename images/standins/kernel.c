/*
 * The kernel configuration commands: kctune, kmtune (11i v2's, obsolescent),
 * mk_kernel, get_sysfile and system_prep, setboot, getprivgrp. Tunables and
 * modules live in the image's /stand/system: under drd runcmd these commands
 * configure the image's next boot, which is what kctune does there (DRD-Safe
 * Concepts, drd runcmd kctune). setboot's boot paths belong to the machine's
 * firmware, which both images share; the stand-in keeps them in its root's
 * /stand/.setboot so a change at least shows as a write (images/README.md).
 */
#define _GNU_SOURCE
#include "standin.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SYSTEM_FILE "/stand/system"

/* ---- kctune: kernel tunables in /stand/system ---- */

static int tunable_value(const char *sys, const char *name, char *out, size_t cap) {
  const char *p = sys;
  size_t nl = strlen(name);
  while (p && *p) {
    if (strncmp(p, "tunable ", 8) == 0 && strncmp(p + 8, name, nl) == 0 && p[8 + nl] == ' ') {
      const char *v = p + 8 + nl + 1;
      size_t n = strcspn(v, "\n");
      if (n >= cap) n = cap - 1;
      memcpy(out, v, n);
      out[n] = '\0';
      return 0;
    }
    p = strchr(p, '\n');
    if (p) p++;
  }
  return -1;
}

/* Rewrites the system file sys (its text) with each "name=value" of assign replaced or appended. */
static int update_system_file(const char *sys, char **assign, int n) {
  size_t len = strlen(sys);
  size_t cap = len + 256 * (size_t)n + 2;
  char *out = malloc(cap);
  if (!out) return -1;
  char *done = calloc((size_t)n + 1, 1);
  size_t o = 0;
  for (const char *p = sys; *p;) {
    size_t ln = strcspn(p, "\n");
    int replaced = 0;
    for (int i = 0; i < n && !replaced; i++) {
      char *eq = strchr(assign[i], '=');
      if (!eq || done[i]) continue;
      size_t nl = (size_t)(eq - assign[i]);
      if (strncmp(p, "tunable ", 8) == 0 && strncmp(p + 8, assign[i], nl) == 0 && p[8 + nl] == ' ') {
        o += (size_t)snprintf(out + o, cap - o, "tunable %.*s %s\n", (int)nl, assign[i], eq + 1);
        done[i] = 1;
        replaced = 1;
      }
    }
    if (!replaced) o += (size_t)snprintf(out + o, cap - o, "%.*s\n", (int)ln, p);
    p += ln;
    if (*p == '\n') p++;
  }
  for (int i = 0; i < n; i++) {
    char *eq = strchr(assign[i], '=');
    if (eq && !done[i]) o += (size_t)snprintf(out + o, cap - o, "tunable %.*s %s\n", (int)(eq - assign[i]), assign[i], eq + 1);
  }
  int r = write_whole(SYSTEM_FILE, out, o, 0644);
  free(out);
  free(done);
  return r;
}

int kctune_main(int argc, char **argv) {
  size_t len;
  char *sys = read_whole(SYSTEM_FILE, &len);
  if (!sys) die("kctune", "ERROR: cannot read %s: %s", SYSTEM_FILE, strerror(errno));
  int first = 1;
  while (first < argc && argv[first][0] == '-') first++; /* -h -B -K -y: accepted, no effect */
  if (first >= argc) {
    printf("Tunable                             Value  Expression  Changes\n");
    for (char *p = sys; p && *p;) {
      char name[64], value[64];
      if (sscanf(p, "tunable %63s %63s", name, value) == 2) printf("%-35s %6s  %-10s  Immed\n", name, value, value);
      p = strchr(p, '\n');
      if (p) p++;
    }
    return 0;
  }
  int sets = 0;
  for (int i = first; i < argc; i++) sets += strchr(argv[i], '=') != NULL;
  if (sets == 0) {
    for (int i = first; i < argc; i++) {
      char value[64];
      if (tunable_value(sys, argv[i], value, sizeof value) < 0) {
        fprintf(stderr, "ERROR:   There is no tunable named '%s'.\n", argv[i]);
        return 1;
      }
      printf("%-35s %6s\n", argv[i], value);
    }
    return 0;
  }
  if (isatty(0)) {
    /* As drd runcmd kctune does (DRD runcmd notes). */
    printf("==> Update the automatic 'backup' configuration first? ");
    fflush(stdout);
    char ans[16] = "";
    if (fgets(ans, sizeof ans, stdin) && (ans[0] == 'y' || ans[0] == 'Y')) {
      if (getenv("SW_SESSION_IS_DRD") && strcmp(getenv("SW_SESSION_IS_DRD"), "1") == 0)
        printf("WARNING: The backup behavior 'yes' is not supported in alternate\n"
               "         root environments. The behavior 'once' will be used instead.\n");
    }
  }
  if (update_system_file(sys, argv + first, argc - first) < 0)
    die("kctune", "ERROR: cannot update %s: %s", SYSTEM_FILE, strerror(errno));
  printf("       * The requested changes have been saved, and will take effect at\n"
         "         next boot.\n");
  return 0;
}


/* ---- kmtune (11i v2, obsolescent): -q/-l query, -s/-r change /stand/system ---- */

int kmtune_main(int argc, char **argv) {
  const char *sysfile = SYSTEM_FILE;
  char *sets[64];
  int nsets = 0, list = 0, update = 0, nq = 0, c;
  char *queries[64];
  opterr = 0;
  while ((c = getopt(argc, argv, "dlq:s:r:S:uy")) != -1) {
    switch (c) {
      case 'l': list = 1; break;
      case 'q': if (nq < 64) queries[nq++] = optarg; break;
      case 's':
        if (nsets < 64) {
          /* name=value, or name+value (raise by value: kept as the new value here). */
          char *plus = strchr(optarg, '+');
          if (plus && !strchr(optarg, '=')) *plus = '=';
          sets[nsets++] = optarg;
        }
        break;
      case 'r':
        if (nsets < 64) {
          static char reset[64][96];
          snprintf(reset[nsets], sizeof reset[nsets], "%s=Default", optarg);
          sets[nsets] = reset[nsets];
          nsets++;
        }
        break;
      case 'S': sysfile = optarg; break;
      case 'u': update = 1; break;
      case 'd': case 'y': break;
      default:
        fprintf(stderr, "usage: kmtune [-l] [-q name]... [-S system_file]\n"
                        "       kmtune [-u] [-s name{=|+}value]... [-r name]... [-S system_file]\n");
        return 2;
    }
  }
  if (strcmp(sysfile, SYSTEM_FILE) != 0) {
    fprintf(stderr, "kmtune: only %s can be used here\n", SYSTEM_FILE);
    return 2;
  }
  size_t len;
  char *sys = read_whole(SYSTEM_FILE, &len);
  if (!sys) {
    fprintf(stderr, "kmtune: cannot read %s: %s\n", SYSTEM_FILE, strerror(errno));
    return 2;
  }
  if (nsets) {
    if (update_system_file(sys, sets, nsets) < 0) {
      fprintf(stderr, "kmtune: cannot update %s: %s\n", SYSTEM_FILE, strerror(errno));
      return 2;
    }
    /* 0: changed now (-u); 1: takes effect at next boot (kmtune(1M) RETURN VALUE). */
    return update ? 0 : 1;
  }
  printf("Parameter             Current Dyn Planned                    Module     Version\n");
  printf("===============================================================================\n");
  int status = 0;
  for (char *p = sys; p && *p;) {
    char name[64], value[64];
    if (sscanf(p, "tunable %63s %63s", name, value) == 2) {
      int want = nq == 0 || list;
      for (int i = 0; i < nq; i++) want |= strcmp(queries[i], name) == 0;
      if (want) printf("%-21s %7s  Y  %-27s\n", name, value, value);
    }
    p = strchr(p, '\n');
    if (p) p++;
  }
  for (int i = 0; i < nq; i++) {
    char value[64];
    if (tunable_value(sys, queries[i], value, sizeof value) < 0) {
      fprintf(stderr, "kmtune: Unknown parameter %s\n", queries[i]);
      status = 2;
    }
  }
  return status;
}

/* ---- mk_kernel [-o target] [-s system_file]: apply a system file (11i v2 and later:
 * a saved configuration, hpux_test by default; -o /stand/vmunix, the running one) ---- */

int mk_kernel_main(int argc, char **argv) {
  const char *target = "hpux_test", *sysfile = SYSTEM_FILE;
  int c;
  opterr = 0;
  while ((c = getopt(argc, argv, "o:s:v")) != -1) {
    if (c == 'o') target = optarg;
    else if (c == 's') sysfile = optarg;
    else if (c != 'v') {
      fprintf(stderr, "usage: mk_kernel [-o target] [-s system_file] [-v]\n");
      return 1;
    }
  }
  size_t len;
  char *sys = read_whole(sysfile, &len);
  if (!sys) {
    fprintf(stderr, "mk_kernel: Cannot open system file %s: %s\n", sysfile, strerror(errno));
    return 1;
  }
  if (strcmp(target, "/stand/vmunix") == 0) {
    /* The running configuration: what cannot change at once is held for next boot,
     * which in the image is its /stand/system. */
    if (strcmp(sysfile, SYSTEM_FILE) != 0 && write_whole(SYSTEM_FILE, sys, len, 0644) < 0) {
      fprintf(stderr, "mk_kernel: cannot update %s: %s\n", SYSTEM_FILE, strerror(errno));
      return 1;
    }
    printf("NOTE:    The configuration changes will take effect at next boot.\n");
    return 0;
  }
  /* A saved configuration: /stand/NAME/{system,vmunix}. */
  const char *name = strncmp(target, "/stand/", 7) == 0 ? target + 7 : target;
  char dir[512], path[600];
  snprintf(dir, sizeof dir, "/stand/%.*s", (int)strcspn(name, "/"), name);
  mkdir(dir, 0755);
  snprintf(path, sizeof path, "%s/system", dir);
  if (write_whole(path, sys, len, 0644) < 0) {
    fprintf(stderr, "mk_kernel: cannot create %s: %s\n", path, strerror(errno));
    return 1;
  }
  char body[512];
  int n = snprintf(body, sizeof body, "HP-UX kernel (sandbox stand-in) of the configuration in %s\n", path);
  snprintf(path, sizeof path, "%s/vmunix", dir);
  if (write_whole(path, body, (size_t)n, 0755) < 0) {
    fprintf(stderr, "mk_kernel: cannot create %s: %s\n", path, strerror(errno));
    return 1;
  }
  printf("NOTE:    The kernel configuration was saved as '%s'.\n", dir + 7);
  return 0;
}

/* ---- get_sysfile KERNEL, system_prep [-s FILE]: the system file of a kernel ---- */

int get_sysfile_main(int argc, char **argv) {
  int prep = strcmp(base_name(argv[0]), "system_prep") == 0;
  const char *to = NULL;
  for (int i = 1; i < argc; i++)
    if (prep && strcmp(argv[i], "-s") == 0 && i + 1 < argc) to = argv[++i];
  size_t len;
  char *sys = read_whole(SYSTEM_FILE, &len);
  if (!sys) {
    fprintf(stderr, "%s: cannot read %s: %s\n", base_name(argv[0]), SYSTEM_FILE, strerror(errno));
    return 1;
  }
  if (to) {
    if (write_whole(to, sys, len, 0644) < 0) {
      fprintf(stderr, "system_prep: cannot write %s: %s\n", to, strerror(errno));
      return 1;
    }
    return 0;
  }
  fwrite(sys, 1, len, stdout);
  return 0;
}

/* ---- setboot: the boot paths (firmware, kept in /stand/.setboot) ---- */

#define SETBOOT_FILE "/stand/.setboot"

struct bootvars {
  char primary[128], haa[128], alternate[128], autoboot[8];
};

static void bootvars_read(struct bootvars *b) {
  snprintf(b->primary, sizeof b->primary, "0/0/0/2/0.6.0");
  snprintf(b->alternate, sizeof b->alternate, "0/0/0/2/1.2.0");
  b->haa[0] = '\0';
  snprintf(b->autoboot, sizeof b->autoboot, "on");
  char *s = read_whole(SETBOOT_FILE, NULL);
  for (char *line = s ? strtok(s, "\n") : NULL; line; line = strtok(NULL, "\n")) {
    char *eq = strchr(line, '=');
    if (!eq) continue;
    *eq++ = '\0';
    if (!strcmp(line, "primary")) snprintf(b->primary, sizeof b->primary, "%s", eq);
    else if (!strcmp(line, "haalternate")) snprintf(b->haa, sizeof b->haa, "%s", eq);
    else if (!strcmp(line, "alternate")) snprintf(b->alternate, sizeof b->alternate, "%s", eq);
    else if (!strcmp(line, "autoboot")) snprintf(b->autoboot, sizeof b->autoboot, "%s", eq);
  }
  free(s);
}

int setboot_main(int argc, char **argv) {
  struct bootvars b;
  bootvars_read(&b);
  int change = 0, c;
  opterr = 0;
  while ((c = getopt(argc, argv, "p:h:a:b:s:v")) != -1) {
    switch (c) {
      case 'p': snprintf(b.primary, sizeof b.primary, "%s", optarg), change = 1; break;
      case 'h': snprintf(b.haa, sizeof b.haa, "%s", optarg), change = 1; break;
      case 'a': snprintf(b.alternate, sizeof b.alternate, "%s", optarg), change = 1; break;
      case 'b':
        if (strcmp(optarg, "on") && strcmp(optarg, "off")) {
          fprintf(stderr, "setboot: Invalid argument to -b: %s\n", optarg);
          return 1;
        }
        snprintf(b.autoboot, sizeof b.autoboot, "%s", optarg), change = 1;
        break;
      case 's': change = 1; break; /* autosearch: HP 9000 only */
      case 'v': break;
      default:
        fprintf(stderr, "usage: setboot [-p primary-path] [-h HA-alternate-path] [-a alternate-path] [-b on|off] [-v]\n");
        return 1;
    }
  }
  if (change) {
    if (geteuid() != 0) {
      fprintf(stderr, "setboot: Must be superuser to change boot variables\n");
      return 1;
    }
    char buf[600];
    int n = snprintf(buf, sizeof buf, "primary=%s\nhaalternate=%s\nalternate=%s\nautoboot=%s\n", b.primary, b.haa, b.alternate, b.autoboot);
    if (write_whole(SETBOOT_FILE, buf, (size_t)n, 0644) < 0) {
      fprintf(stderr, "setboot: cannot set the boot variables: %s\n", strerror(errno));
      return 1;
    }
    return 0;
  }
  printf("Primary bootpath : %s\n", b.primary);
  printf("HA Alternate bootpath : %s\n", b.haa);
  printf("Alternate bootpath : %s\n\n", b.alternate);
  printf("Autoboot is %s (%s)\n", strcmp(b.autoboot, "on") == 0 ? "ON" : "OFF", strcmp(b.autoboot, "on") == 0 ? "enabled" : "disabled");
  return 0;
}

/* ---- getprivgrp: the privilege groups (the kernel's default: CHOWN for everyone) ---- */

int getprivgrp_main(int argc, char **argv) {
  int global_only = argc > 1 && strcmp(argv[1], "-g") == 0;
  printf("global privileges: CHOWN\n");
  if (global_only) return 0;
  for (int i = 1; i < argc; i++) {
    if (argv[i][0] == '-') continue;
    printf("%s:\n", argv[i]);
  }
  return 0;
}
