/*
 * What system this is: uname, model and getconf answer as an HP-UX 11i v3
 * Integrity server does (values and sources in images/README.md), so a
 * script's `uname -r` = B.11.31 / `model` = ia64* branch, the one every real
 * target takes, runs here too. `uname -S` really calls sethostname(2), as the
 * real one does, so the attempt on the running kernel shows in the trace.
 * getconf names HP-UX adds are answered here; every other name goes to the
 * C library's getconf, kept at GETCONF_LIBC.
 */
#define _GNU_SOURCE
#include "standin.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The C library's getconf (images/runtime/assemble-booted puts it there). */
#define GETCONF_LIBC "/usr/lib/drdsafe/getconf"

static int uname_usage(void) {
  fprintf(stderr, "usage: uname [-amnrsvil] [-S nodename]\n");
  return 1;
}

int uname_main(int argc, char **argv) {
  /* Fields in the fixed order -a prints them (uname(1)). */
  enum { F_S = 1, F_N = 2, F_R = 4, F_V = 8, F_M = 16, F_I = 32, F_L = 64, F_ALL = 127 };
  int want = 0;
  const char *set_name = NULL;
  int c;
  opterr = 0;
  while ((c = getopt(argc, argv, "amnrsvilS:")) != -1) {
    switch (c) {
      case 'a': want |= F_ALL; break;
      case 's': want |= F_S; break;
      case 'n': want |= F_N; break;
      case 'r': want |= F_R; break;
      case 'v': want |= F_V; break;
      case 'm': want |= F_M; break;
      case 'i': want |= F_I; break;
      case 'l': want |= F_L; break;
      case 'S': set_name = optarg; break;
      default: return uname_usage();
    }
  }
  if (optind < argc) return uname_usage();
  if (set_name) {
    if (want) return uname_usage();
    /* What the real `uname -S` does: set the running system's node name. */
    if (sethostname(set_name, strlen(set_name)) < 0) {
      fprintf(stderr, "uname: %s\n", strerror(errno));
      return 1;
    }
    return 0;
  }
  if (!want) want = F_S;
  char node[256];
  node_name(node, sizeof node);
  const char *fields[] = {HPUX_SYSNAME, node, HPUX_RELEASE, HPUX_VERSION, HPUX_MACHINE, HPUX_ID_NUMBER, HPUX_LICENSE};
  int first = 1;
  for (int i = 0; i < 7; i++) {
    if (!(want & (1 << i))) continue;
    printf("%s%s", first ? "" : " ", fields[i]);
    first = 0;
  }
  putchar('\n');
  return 0;
}

int model_main(int argc, char **argv) {
  (void)argv;
  if (argc > 1) {
    fprintf(stderr, "usage: model\n");
    return 1;
  }
  puts(HPUX_MODEL);
  return 0;
}

/* HP-UX names (sysconf(2) and confstr(3C) of 11i v3) and what this Integrity server answers. */
struct hpux_conf {
  const char *name;
  const char *value;
};

static const struct hpux_conf HPUX_CONF[] = {
    {"KERNEL_BITS", "64"},
    {"HW_CPU_SUPP_BITS", "64"},
    {"HW_32_64_CAPABLE", "1"},
    {"MACHINE_MODEL", HPUX_MODEL},
    {"MACHINE_IDENT", HPUX_MACHINE_IDENT},
    {"MACHINE_SERIAL", HPUX_MACHINE_SERIAL},
    {"PARTITION_IDENT", HPUX_PARTITION_IDENT},
    {"CPU_VERSION", "768"}, /* CPU_IA64_ARCHREV_0 (0x300) */
    {"KERNEL_IS_BIGENDIAN", "1"},
};

static const char *hpux_conf_value(const char *name) {
  /* getconf takes the bare name; the _SC_ and _CS_ spellings name the same variable. */
  if (strncmp(name, "_SC_", 4) == 0 || strncmp(name, "_CS_", 4) == 0) name += 4;
  for (size_t i = 0; i < sizeof HPUX_CONF / sizeof HPUX_CONF[0]; i++)
    if (strcmp(HPUX_CONF[i].name, name) == 0) return HPUX_CONF[i].value;
  return NULL;
}

int getconf_main(int argc, char **argv) {
  /* getconf [-v spec] system_var | getconf [-v spec] path_var pathname */
  int i = 1;
  if (i + 1 < argc && strcmp(argv[i], "-v") == 0) i += 2;
  if (i < argc && argc - i == 1) {
    const char *v = hpux_conf_value(argv[i]);
    if (v) {
      puts(v);
      return 0;
    }
  }
  argv[0] = "getconf";
  execv(GETCONF_LIBC, argv);
  fprintf(stderr, "getconf: cannot run %s: %s\n", GETCONF_LIBC, strerror(errno));
  return 2;
}
