/*
 * /opt/drd/bin/drd, as far as `drd runcmd` goes (the DRD path: "Dynamic
 * Root Disk: Quick Start & Best Practices" p6-7). drdsafe runs it inside
 * the jail, already chrooted on the inactive image with SW_SESSION_IS_DRD=1,
 * for the commands it does not emulate as SD sessions (`drdsafe runcmd
 * kctune`, `swlist`, `view`, and every command runcmd refuses), so the
 * trace shows runcmd's decision:
 *
 * - "A short list of commands is recognized by the drd runcmd operation to
 *   be DRD-Safe. An attempt to use DRD to run commands that are not
 *   DRD-Safe will terminate with an ERROR return code without executing
 *   the command" (drd-runcmd(1M) 2011-03): swinstall, swlist, swjob,
 *   swmodify, swremove, swverify, kctune, update-ux, view (DRD Quick Start
 *   p7, release 3.3 and later).
 * - "The DRD-Safe commands may be specified by their base names ... or
 *   their full paths, such as /usr/sbin/swinstall ... However, paths that
 *   are symlinks to the DRD-Safe commands are not supported"
 *   (http://docs.hp.com/en/5992-4098/ch04s01.html).
 * - "The option -x autoreboot is ignored when a swinstall or swremove
 *   command is executed by drd runcmd" (the seeds' runcmd notes); so is
 *   update-ux's (DRD Administrator's Guide p17). `-F` and `-x fix=true`
 *   (fix scripts) are not supported (drd-runcmd(1M) 11i v2 p213).
 *
 * The message wording is [inferred]: HP's text was not found.
 */
#define _GNU_SOURCE
#include "standin.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct {
  const char *name;
  const char *path;
} SAFE[] = {
    {"swinstall", "/usr/sbin/swinstall"}, {"swremove", "/usr/sbin/swremove"}, {"swlist", "/usr/sbin/swlist"},
    {"swmodify", "/usr/sbin/swmodify"},   {"swverify", "/usr/sbin/swverify"}, {"swjob", "/usr/sbin/swjob"},
    {"kctune", "/usr/sbin/kctune"},       {"update-ux", "/usr/sbin/update-ux"}, {"view", "/usr/bin/view"},
};

static int refuse(const char *why) {
  fprintf(stderr, "ERROR:   %s\n", why);
  fprintf(stderr, "ERROR:   drd runcmd did not run the command.\n");
  return 1;
}

static int usage(void) {
  fprintf(stderr, "usage: drd runcmd [-?] [-q]... [-v]... [-x option=value]... [-X option_file] cmd [args]\n");
  return 1;
}

int drd_main(int argc, char **argv) {
  if (argc < 2 || strcmp(argv[1], "runcmd") != 0) {
    fprintf(stderr, "ERROR:   this drd knows only the runcmd mode\n");
    return usage();
  }
  int i = 2;
  /* runcmd's own options come before the command. */
  for (; i < argc && argv[i][0] == '-'; i++) {
    if (strcmp(argv[i], "--") == 0) {
      i++;
      break;
    }
    if ((strcmp(argv[i], "-x") == 0 || strcmp(argv[i], "-X") == 0) && i + 1 < argc) {
      i++;
      continue;
    }
    if (strncmp(argv[i], "-x", 2) == 0 || strncmp(argv[i], "-X", 2) == 0 || strcmp(argv[i], "-q") == 0 ||
        strcmp(argv[i], "-v") == 0 || strcmp(argv[i], "-p") == 0)
      continue;
    return usage();
  }
  if (i >= argc) return usage();
  const char *cmd = argv[i];
  const char *base = base_name(cmd);
  const char *path = NULL;
  for (size_t k = 0; k < sizeof SAFE / sizeof SAFE[0]; k++)
    if (strcmp(SAFE[k].name, base) == 0) path = SAFE[k].path;
  char why[512];
  if (path == NULL) {
    snprintf(why, sizeof why, "The command \"%s\" is not DRD-safe. drd runcmd runs only swinstall, swremove, swlist, swmodify, swverify, swjob, kctune, update-ux and view.", cmd);
    return refuse(why);
  }
  if (strchr(cmd, '/') != NULL) {
    struct stat st;
    if (lstat(cmd, &st) == 0 && S_ISLNK(st.st_mode)) {
      snprintf(why, sizeof why, "The path \"%s\" is a symbolic link. Paths that are symlinks to DRD-safe commands are not supported; give \"%s\" or \"%s\".", cmd, base, path);
      return refuse(why);
    }
    if (strcmp(cmd, path) != 0) {
      snprintf(why, sizeof why, "The path \"%s\" is not the DRD-safe command \"%s\"; give \"%s\" or \"%s\".", cmd, path, base, path);
      return refuse(why);
    }
  }
  int reboots = strcmp(base, "swinstall") == 0 || strcmp(base, "swremove") == 0 || strcmp(base, "update-ux") == 0;
  char **args = calloc((size_t)argc + 1, sizeof *args);
  if (!args) return refuse("out of memory");
  int n = 0;
  args[n++] = (char *)path;
  for (int k = i + 1; k < argc; k++) {
    const char *opt = argv[k];
    const char *val = NULL;
    if (strcmp(opt, "-x") == 0 && k + 1 < argc) val = argv[k + 1];
    else if (strncmp(opt, "-x", 2) == 0 && opt[2] != '\0') val = opt + 2;
    if (val != NULL && reboots && strncmp(val, "autoreboot", 10) == 0) {
      fprintf(stderr, "NOTE:    The option \"-x %s\" is ignored: drd runcmd suppresses all reboots.\n", val);
      if (strcmp(opt, "-x") == 0) k++;
      continue;
    }
    if ((val != NULL && strncmp(val, "fix=true", 8) == 0) || (strcmp(base, "swverify") == 0 && strcmp(opt, "-F") == 0)) {
      snprintf(why, sizeof why, "The option \"%s%s%s\" runs fix scripts, which drd runcmd does not support.", opt, val != NULL && strcmp(opt, "-x") == 0 ? " " : "", val != NULL && strcmp(opt, "-x") == 0 ? val : "");
      free(args);
      return refuse(why);
    }
    args[n++] = (char *)opt;
  }
  args[n] = NULL;
  execv(path, args);
  snprintf(why, sizeof why, "Cannot run \"%s\": %s.", path, strerror(errno));
  free(args);
  return refuse(why);
}
