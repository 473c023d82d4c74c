/*
 * ch_rc: list, add, change or remove parameters of the rc configuration
 * files (ch_rc(1M)): the named files, or /etc/TIMEZONE and every file of
 * /etc/rc.config.d, all under -R root. It only pattern-matches `NAME=value`
 * lines (a trailing comment is part of the value, X[0] is a plain name) and
 * edits the files of the tree it runs in, which is what makes it DRD-safe.
 * Exit values: 0 ok, 1 usage, 2 a file cannot be read, 3 cannot be written,
 * 4 out of memory, 5 -a of a new parameter with no file named.
 */
#define _GNU_SOURCE
#include "standin.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_FILES 256
#define MAX_PARAMS 64

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* If line assigns name, the start of its value; else NULL. */
static const char *assigns(const char *line, const char *name) {
  while (*line == ' ' || *line == '\t') line++;
  if (strncmp(line, "export ", 7) == 0) line += 7;
  size_t l = strlen(name);
  if (strncmp(line, name, l) != 0 || line[l] != '=') return NULL;
  return line + l + 1;
}

static void print_value(const char *v, size_t len) {
  /* The value as the shell would read it: one pair of surrounding quotes dropped. */
  if (len >= 2 && (v[0] == '"' || v[0] == '\'') && v[len - 1] == v[0]) v++, len -= 2;
  printf("%.*s\n", (int)len, v);
}

static int usage(void) {
  fprintf(stderr, "usage: ch_rc -a|-r|-l [-v] [-A] [-R root] [-p {parameter|parameter=value}...] [file...]\n");
  return 1;
}

int ch_rc_main(int argc, char **argv) {
  char mode = 0;
  int verbose = 0, every = 0, c;
  const char *root = "";
  char *params[MAX_PARAMS];
  int nparams = 0;
  opterr = 0;
  while ((c = getopt(argc, argv, "arlvAR:p:")) != -1) {
    switch (c) {
      case 'a': case 'r': case 'l':
        if (mode && mode != c) return usage();
        mode = (char)c;
        break;
      case 'v': verbose = 1; break;
      case 'A': every = 1; break;
      case 'R': root = optarg; break;
      case 'p':
        /* -p takes one or more parameters: its argument and the words after it that are
         * no option and no path (a file argument names a path). */
        if (nparams < MAX_PARAMS) params[nparams++] = optarg;
        while (optind < argc && nparams < MAX_PARAMS && argv[optind][0] != '-' &&
               (strchr(argv[optind], '=') || (!strchr(argv[optind], '/') && argv[optind][0] != '.')))
          params[nparams++] = argv[optind++];
        break;
      default: return usage();
    }
  }
  if (!mode || (mode != 'l' && nparams == 0)) return usage();
  char *files[MAX_FILES];
  int nfiles = 0, named = optind < argc;
  for (int i = optind; i < argc && nfiles < MAX_FILES; i++) {
    if (asprintf(&files[nfiles], "%s%s", root, argv[i]) < 0) return 4;
    nfiles++;
  }
  if (!named) {
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/etc/rc.config.d", root);
    DIR *d = opendir(dir);
    if (asprintf(&files[nfiles], "%s/etc/TIMEZONE", root) < 0) return 4;
    nfiles++;
    int first = nfiles;
    struct dirent *de;
    while (d && (de = readdir(d)) && nfiles < MAX_FILES) {
      if (de->d_name[0] == '.') continue;
      char *p;
      if (asprintf(&p, "%s/%s", dir, de->d_name) < 0) return 4;
      struct stat st;
      if (stat(p, &st) == 0 && S_ISREG(st.st_mode)) files[nfiles++] = p;
      else free(p);
    }
    if (d) closedir(d);
    qsort(files + first, (size_t)(nfiles - first), sizeof files[0], cmp_str);
  }

  int found[MAX_PARAMS] = {0}, status = 0;
  for (int f = 0; f < nfiles; f++) {
    size_t len;
    char *text = read_whole(files[f], &len);
    if (!text) {
      if (named || f > 0) {
        fprintf(stderr, "ch_rc: cannot read %s: %s\n", files[f], strerror(errno));
        status = 2;
      }
      continue;
    }
    size_t cap = len + 1024 * (size_t)nparams + 1;
    char *out = malloc(cap);
    if (!out) return 4;
    size_t o = 0;
    int changed = 0;
    for (char *line = text; *line;) {
      size_t ll = strcspn(line, "\n");
      char saved = line[ll];
      line[ll] = '\0';
      int keep = 1;
      if (mode == 'l' && nparams == 0 && line[0] != '#') {
        const char *eq = strchr(line, '=');
        if (eq) print_value(eq + 1, strlen(eq + 1));
      }
      for (int p = 0; p < nparams; p++) {
        char name[256];
        snprintf(name, sizeof name, "%.*s", (int)strcspn(params[p], "="), params[p]);
        const char *v = assigns(line, name);
        if (!v) continue;
        if (mode == 'l') {
          print_value(v, strlen(v));
        } else if (mode == 'r') {
          if (verbose) printf("ch_rc: removing \"%s\" from %s\n", line, files[f]);
          keep = 0;
          changed = 1;
        } else if (!found[p] || every) {
          const char *eq = strchr(params[p], '=');
          o += (size_t)snprintf(out + o, cap - o, "%s=%s\n", name, eq ? eq + 1 : "");
          if (verbose) printf("ch_rc: %s: %s=%s\n", files[f], name, eq ? eq + 1 : "");
          keep = 0;
          changed = 1;
        }
        found[p] = 1;
        break;
      }
      if (keep) o += (size_t)snprintf(out + o, cap - o, "%s%s", line, saved ? "\n" : "");
      line[ll] = saved;
      line += ll + (saved ? 1 : 0);
    }
    if (mode == 'a' && named && f == nfiles - 1) {
      for (int p = 0; p < nparams; p++) {
        if (found[p]) continue;
        const char *eq = strchr(params[p], '=');
        char name[256];
        snprintf(name, sizeof name, "%.*s", (int)strcspn(params[p], "="), params[p]);
        if (nfiles == 1) {
          if (o && out[o - 1] != '\n') out[o++] = '\n';
          o += (size_t)snprintf(out + o, cap - o, "%s=%s\n", name, eq ? eq + 1 : "");
          changed = 1;
          found[p] = 1;
        }
      }
    }
    if (changed && write_whole(files[f], out, o, 0444) < 0) {
      fprintf(stderr, "ch_rc: cannot write %s: %s\n", files[f], strerror(errno));
      status = 3;
    }
    free(out);
    free(text);
  }
  if (mode == 'a') {
    for (int p = 0; p < nparams; p++) {
      if (found[p]) continue;
      if (!named) {
        fprintf(stderr, "ch_rc: a file must be given to add the new parameter \"%s\"\n", params[p]);
        return 5;
      }
      /* Several files named: the new parameter goes into the first. */
      const char *eq = strchr(params[p], '=');
      char name[256];
      snprintf(name, sizeof name, "%.*s", (int)strcspn(params[p], "="), params[p]);
      FILE *fp = fopen(files[0], "ae");
      if (!fp) {
        fprintf(stderr, "ch_rc: cannot write %s: %s\n", files[0], strerror(errno));
        return 3;
      }
      fprintf(fp, "%s=%s\n", name, eq ? eq + 1 : "");
      fclose(fp);
    }
  }
  return status;
}
