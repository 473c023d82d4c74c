/*
 * Software Distributor commands: swlist reads the Installed Products
 * Database (IPD, /var/adm/sw/products: bundles in its INDEX, each product's
 * pfiles/INDEX, each fileset's INDEX and INFO) and prints it in SD's layout
 * for the levels bundle, product, fileset, file and patch, -a attributes,
 * -v, and software selections (exit 1 when one matches nothing). swconfig
 * asks the SD daemon, swagentd (tcp 2121, its rpc_binding_info), to
 * configure the selected software: from the jail that daemon is the booted
 * system's, so the request reaches it and shows in the witness log.
 */
#define _GNU_SOURCE
#include "standin.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define IPD "/var/adm/sw/products"
#define MAX_ATTRS 48
#define MAX_OBJS 256

struct sw_obj {
  char kind[16]; /* bundle, product, fileset, control_file, file */
  int nattr;
  char *key[MAX_ATTRS];
  char *val[MAX_ATTRS];
  /* Filled in by swlist: */
  struct sw_obj *product; /* a fileset's product */
  char full[256];         /* PRODUCT or PRODUCT.FILESET */
  char dir[512];          /* a fileset's directory in the IPD */
};

static const char *attr(const struct sw_obj *o, const char *key) {
  for (int i = 0; i < o->nattr; i++)
    if (strcmp(o->key[i], key) == 0) return o->val[i];
  return NULL;
}

static const char *attr_or(const struct sw_obj *o, const char *key, const char *dflt) {
  const char *v = attr(o, key);
  return v ? v : dflt;
}

static int is_object_keyword(const char *k) {
  static const char *const KW[] = {"distribution", "depot", "installed_software", "media", "vendor", "category",
                                   "bundle", "product", "subproduct", "fileset", "control_file", "file", NULL};
  for (int i = 0; KW[i]; i++)
    if (strcmp(KW[i], k) == 0) return 1;
  return 0;
}

/* The objects of an INDEX or INFO file (sd(4): `keyword value` lines; an object keyword starts an object). */
static int parse_index(const char *path, struct sw_obj *objs, int cap) {
  char *text = read_whole(path, NULL);
  if (!text) return -1;
  int n = 0;
  char *save = NULL;
  for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
    while (*line == ' ' || *line == '\t') line++;
    if (!*line || *line == '#') continue;
    char *key = line;
    size_t kl = strcspn(line, " \t");
    char *val = line + kl;
    if (*val) *val++ = '\0';
    while (*val == ' ' || *val == '\t') val++;
    if (is_object_keyword(key) && !*val) {
      if (n == cap) break;
      memset(&objs[n], 0, sizeof objs[n]);
      snprintf(objs[n++].kind, sizeof objs[0].kind, "%s", key);
      continue;
    }
    if (n == 0 || objs[n - 1].nattr == MAX_ATTRS) continue;
    if (*val == '"') {
      /* A quoted value may run over several lines. */
      val++;
      char *end = strrchr(val, '"');
      while (!end) {
        char *next = strtok_r(NULL, "\n", &save);
        if (!next) break;
        next[-1] = ' ';
        end = strrchr(next, '"');
      }
      if (end) *end = '\0';
    }
    size_t vl = strlen(val);
    while (vl && (val[vl - 1] == ' ' || val[vl - 1] == '\t')) val[--vl] = '\0';
    struct sw_obj *o = &objs[n - 1];
    o->key[o->nattr] = key;
    o->val[o->nattr++] = val;
  }
  return n;
}

static struct sw_obj g_bundles[MAX_OBJS], g_products[MAX_OBJS], g_filesets[MAX_OBJS];
static int g_nbundles, g_nproducts, g_nfilesets;

static int cmp_tag(const void *a, const void *b) {
  return strcmp(((const struct sw_obj *)a)->full, ((const struct sw_obj *)b)->full);
}

static int load_ipd(void) {
  int n = parse_index(IPD "/INDEX", g_bundles, MAX_OBJS);
  g_nbundles = 0;
  for (int i = 0; i < n; i++)
    if (strcmp(g_bundles[i].kind, "bundle") == 0) {
      g_bundles[g_nbundles] = g_bundles[i];
      snprintf(g_bundles[g_nbundles].full, sizeof g_bundles[0].full, "%s", attr_or(&g_bundles[i], "tag", "?"));
      g_nbundles++;
    }
  DIR *d = opendir(IPD);
  if (!d) return -1;
  struct dirent *de;
  while ((de = readdir(d)) && g_nproducts < MAX_OBJS) {
    char path[1024];
    snprintf(path, sizeof path, IPD "/%s/pfiles/INDEX", de->d_name);
    struct sw_obj tmp[4];
    if (de->d_name[0] == '.' || parse_index(path, tmp, 4) < 1) continue;
    struct sw_obj *p = &g_products[g_nproducts++];
    *p = tmp[0];
    snprintf(p->full, sizeof p->full, "%s", attr_or(p, "tag", de->d_name));
    char pdir[600];
    snprintf(pdir, sizeof pdir, IPD "/%s", de->d_name);
    DIR *fd = opendir(pdir);
    struct dirent *fe;
    while (fd && (fe = readdir(fd)) && g_nfilesets < MAX_OBJS) {
      if (fe->d_name[0] == '.' || strcmp(fe->d_name, "pfiles") == 0) continue;
      snprintf(path, sizeof path, "%s/%s/INDEX", pdir, fe->d_name);
      if (parse_index(path, tmp, 4) < 1) continue;
      struct sw_obj *f = &g_filesets[g_nfilesets++];
      *f = tmp[0];
      f->product = p;
      snprintf(f->full, sizeof f->full, "%s.%s", p->full, attr_or(f, "tag", fe->d_name));
      snprintf(f->dir, sizeof f->dir, "%s/%s", pdir, fe->d_name);
    }
    if (fd) closedir(fd);
  }
  closedir(d);
  qsort(g_bundles, (size_t)g_nbundles, sizeof g_bundles[0], cmp_tag);
  qsort(g_products, (size_t)g_nproducts, sizeof g_products[0], cmp_tag);
  qsort(g_filesets, (size_t)g_nfilesets, sizeof g_filesets[0], cmp_tag);
  /* Filesets keep pointing at their product after the sort. */
  for (int i = 0; i < g_nfilesets; i++) {
    char prod[256];
    snprintf(prod, sizeof prod, "%s", g_filesets[i].full);
    *strrchr(prod, '.') = '\0';
    for (int j = 0; j < g_nproducts; j++)
      if (strcmp(g_products[j].full, prod) == 0) g_filesets[i].product = &g_products[j];
  }
  return 0;
}

static int product_is_patch(const struct sw_obj *p) {
  const char *v = attr(p, "is_patch");
  if (v) return strcmp(v, "true") == 0;
  for (int i = 0; i < g_nfilesets; i++)
    if (g_filesets[i].product == p && strcmp(attr_or(&g_filesets[i], "is_patch", "false"), "true") == 0) return 1;
  return 0;
}

/* Whether a bundle's contents name the product (entries "PRODUCT[.FILESET][,r=...]"). */
static int bundle_holds(const struct sw_obj *b, const char *product) {
  for (int i = 0; i < b->nattr; i++) {
    if (strcmp(b->key[i], "contents") != 0) continue;
    char list[1024];
    snprintf(list, sizeof list, "%s", b->val[i]);
    for (char *s = NULL, *e = strtok_r(list, " \t", &s); e; e = strtok_r(NULL, " \t", &s)) {
      size_t l = strcspn(e, ".,");
      if (strlen(product) == l && strncmp(e, product, l) == 0) return 1;
    }
  }
  return 0;
}

static int in_some_bundle(const char *product) {
  for (int i = 0; i < g_nbundles; i++)
    if (bundle_holds(&g_bundles[i], product)) return 1;
  return 0;
}

/* ---- software selections: TAG[.FILESET][,r=REV][,a=ARCH][,v=VENDOR], with shell patterns ---- */

struct selection {
  char tag[128], fileset[128], rev[64];
  int matched;
};

static void parse_selection(const char *arg, struct selection *s) {
  memset(s, 0, sizeof *s);
  char buf[512];
  snprintf(buf, sizeof buf, "%s", arg);
  char *comma = strchr(buf, ',');
  if (comma) {
    *comma = '\0';
    for (char *q = NULL, *v = strtok_r(comma + 1, ",", &q); v; v = strtok_r(NULL, ",", &q))
      if (strncmp(v, "r=", 2) == 0) snprintf(s->rev, sizeof s->rev, "%s", v + 2);
  }
  char *dot = strchr(buf, '.');
  if (dot) {
    *dot = '\0';
    snprintf(s->fileset, sizeof s->fileset, "%s", dot + 1);
  }
  snprintf(s->tag, sizeof s->tag, "%s", buf);
}

static int rev_ok(const struct selection *s, const struct sw_obj *o) {
  return !s->rev[0] || fnmatch(s->rev, attr_or(o, "revision", ""), 0) == 0;
}

/* ---- output ---- */

struct listing {
  const char *attrs[16];
  int nattrs, verbose;
};

static void print_line(const char *prefix, const struct sw_obj *o, const char *third, const struct listing *l) {
  if (l->verbose) {
    printf("\n# %s\n", o->full);
    for (int i = 0; i < o->nattr; i++) printf("%-20s %s\n", o->key[i], o->val[i]);
    return;
  }
  if (l->nattrs) {
    printf("%s%-29s", prefix, o->full);
    for (int i = 0; i < l->nattrs; i++) {
      const char *v = strcmp(l->attrs[i], "software_spec") == 0 ? o->full : attr_or(o, l->attrs[i], "");
      printf(" %s", v);
    }
    printf("\n");
    return;
  }
  printf("%s%-29s %-14s %s\n", prefix, o->full, attr_or(o, "revision", ""), third ? third : attr_or(o, "title", ""));
}

static void print_files(const struct sw_obj *f) {
  char path[600];
  snprintf(path, sizeof path, "%s/INFO", f->dir);
  struct sw_obj info[MAX_OBJS];
  int n = parse_index(path, info, MAX_OBJS);
  for (int i = 0; i < n; i++)
    if (strcmp(info[i].kind, "file") == 0) printf("  %s: %s\n", f->full, attr_or(&info[i], "path", "?"));
}

enum { L_BUNDLE = 1, L_PRODUCT = 2, L_SUBPRODUCT = 4, L_FILESET = 8, L_FILE = 16, L_PATCH = 32, L_ROOT = 64 };

static int level_bit(const char *name) {
  static const struct { const char *n; int b; } L[] = {
      {"bundle", L_BUNDLE}, {"product", L_PRODUCT}, {"subproduct", L_SUBPRODUCT}, {"fileset", L_FILESET},
      {"file", L_FILE},     {"patch", L_PATCH},     {"root", L_ROOT},           {"control_file", L_FILE},
  };
  for (size_t i = 0; i < sizeof L / sizeof L[0]; i++)
    if (strcmp(L[i].n, name) == 0) return L[i].b;
  return 0;
}

/* Is product p selected (no selections: all)? Marks the selections that match. */
static int product_selected(struct selection *sel, int nsel, const struct sw_obj *p) {
  if (nsel == 0) return 1;
  int hit = 0;
  for (int i = 0; i < nsel; i++) {
    int via_bundle = 0;
    for (int b = 0; b < g_nbundles; b++)
      if (fnmatch(sel[i].tag, g_bundles[b].full, 0) == 0 && bundle_holds(&g_bundles[b], p->full)) via_bundle = 1;
    if ((fnmatch(sel[i].tag, p->full, 0) == 0 && rev_ok(&sel[i], p)) || via_bundle) {
      sel[i].matched = 1;
      hit = 1;
    }
  }
  return hit;
}

static int fileset_selected(const struct selection *sel, int nsel, const struct sw_obj *f) {
  if (nsel == 0) return 1;
  const char *ftag = strrchr(f->full, '.') + 1;
  for (int i = 0; i < nsel; i++) {
    int via_bundle = 0;
    for (int b = 0; b < g_nbundles; b++)
      if (fnmatch(sel[i].tag, g_bundles[b].full, 0) == 0 && bundle_holds(&g_bundles[b], f->product->full)) via_bundle = 1;
    if (!via_bundle && fnmatch(sel[i].tag, f->product->full, 0) != 0) continue;
    if (sel[i].fileset[0] && fnmatch(sel[i].fileset, ftag, 0) != 0) continue;
    return 1;
  }
  return 0;
}

static int swlist_usage(void) {
  fprintf(stderr, "Usage: swlist [-d|-r] [-i] [-R] [-v] [-a attribute] [-C session_file]\n"
                  "\t[-f software_file] [-l level] [-s source] [-S session_file]\n"
                  "\t[-t target_file] [-x option=value] [-X option_file]\n"
                  "\t[software_selections] [@ target_selections]\n");
  return 1;
}

int swlist_main(int argc, char **argv) {
  int levels = 0, c;
  struct listing l = {0};
  struct selection sel[64];
  int nsel = 0;
  opterr = 0;
  while ((c = getopt(argc, argv, "+dria:C:f:l:Rs:S:t:vx:X:")) != -1) {
    switch (c) {
      case 'a': if (l.nattrs < 16) l.attrs[l.nattrs++] = optarg; break;
      case 'l':
        if (!level_bit(optarg)) {
          fprintf(stderr, "ERROR:   \"%s\" is not a valid level.\n", optarg);
          return 1;
        }
        levels |= level_bit(optarg);
        break;
      case 'R': levels |= L_BUNDLE | L_PRODUCT | L_SUBPRODUCT | L_FILESET; break;
      case 'v': l.verbose = 1; break;
      case 'd':
      case 's':
        fprintf(stderr, "ERROR:   No depots are registered or available on this host.\n");
        return 1;
      case 'r': case 'i': case 'x': case 'X': case 'C': case 'S': break;
      case 'f':
      case 't': {
        /* Selections (or targets) from a file: one a line. */
        char *text = read_whole(optarg, NULL);
        if (!text) {
          fprintf(stderr, "ERROR:   Cannot open file \"%s\": %s\n", optarg, strerror(errno));
          return 1;
        }
        if (c == 'f')
          for (char *q = NULL, *t = strtok_r(text, " \t\n", &q); t && nsel < 64; t = strtok_r(NULL, " \t\n", &q))
            if (t[0] != '#') parse_selection(t, &sel[nsel++]);
        break;
      }
      default: return swlist_usage();
    }
  }
  char host[256];
  node_name(host, sizeof host);
  for (int i = optind; i < argc; i++) {
    if (strcmp(argv[i], "@") == 0) {
      /* Targets: this host's root only (drd runcmd supports no other). */
      for (int j = i + 1; j < argc; j++) {
        const char *t = argv[j];
        const char *colon = strchr(t, ':');
        const char *path = colon ? colon + 1 : t;
        if (strcmp(path, "/") != 0 && strcmp(t, host) != 0 && strcmp(t, "localhost") != 0) {
          fprintf(stderr, "ERROR:   Could not contact target \"%s\".\n", t);
          return 1;
        }
      }
      break;
    }
    if (nsel < 64) parse_selection(argv[i], &sel[nsel++]);
  }
  if (load_ipd() < 0) {
    fprintf(stderr, "ERROR:   Cannot open the Installed Products Database \"%s\": %s\n", IPD, strerror(errno));
    return 1;
  }
  printf("# Initializing...\n# Contacting target \"%s\"...\n#\n# Target:  %s:/\n#\n\n", host, host);

  if (!levels && !nsel) {
    /* The default listing: bundles, then products in no bundle. */
    if (g_nbundles) {
      printf("#\n# Bundle(s):\n#\n\n");
      for (int i = 0; i < g_nbundles; i++) print_line("  ", &g_bundles[i], NULL, &l);
    }
    int loose = 0;
    for (int i = 0; i < g_nproducts; i++) loose += !in_some_bundle(g_products[i].full);
    if (loose) {
      printf("\n#\n# Product(s) not contained in a Bundle:\n#\n\n");
      for (int i = 0; i < g_nproducts; i++)
        if (!in_some_bundle(g_products[i].full)) print_line("  ", &g_products[i], NULL, &l);
    }
    return 0;
  }
  if (!levels) levels = L_FILESET; /* a selection alone lists it down to its filesets */

  if (levels & L_ROOT) printf("  /\n");
  if (levels & L_BUNDLE) {
    for (int i = 0; i < g_nbundles; i++) {
      int hit = nsel == 0;
      for (int s = 0; s < nsel; s++)
        if (fnmatch(sel[s].tag, g_bundles[i].full, 0) == 0 && rev_ok(&sel[s], &g_bundles[i])) hit = sel[s].matched = 1;
      if (hit) print_line("  ", &g_bundles[i], NULL, &l);
    }
  }
  for (int i = 0; i < g_nproducts; i++) {
    struct sw_obj *p = &g_products[i];
    int patch = product_is_patch(p);
    if ((levels & ~(L_BUNDLE | L_ROOT)) == L_PATCH && !patch) continue;
    if (!product_selected(sel, nsel, p)) continue;
    int below = levels & (L_FILESET | L_FILE | L_PATCH);
    if (levels & (L_PRODUCT | L_SUBPRODUCT)) print_line("  ", p, NULL, &l);
    if (!below) continue;
    if (!(levels & L_PRODUCT)) print_line("# ", p, NULL, &l);
    for (int j = 0; j < g_nfilesets; j++) {
      struct sw_obj *f = &g_filesets[j];
      if (f->product != p || !fileset_selected(sel, nsel, f)) continue;
      if ((levels & L_PATCH) && !(levels & L_FILESET)) {
        if (strcmp(attr_or(f, "is_patch", "false"), "true") == 0) print_line("  ", f, attr_or(f, "patch_state", "applied"), &l);
        continue;
      }
      print_line("  ", f, NULL, &l);
      if (levels & L_FILE) print_files(f);
    }
  }
  int status = 0;
  fflush(stdout); /* the listing, then the errors */
  for (int s = 0; s < nsel; s++)
    if (!sel[s].matched) {
      fprintf(stderr, "ERROR:   Software \"%s%s%s\" was not found on host \"%s:/\".\n", sel[s].tag, sel[s].fileset[0] ? "." : "",
              sel[s].fileset, host);
      status = 1;
    }
  return status;
}

/* ---- swconfig: ask swagentd to configure (-u: unconfigure) the selected software ---- */

int swconfig_main(int argc, char **argv) {
  char req[2048] = "swconfig";
  size_t o = strlen(req);
  for (int i = 1; i < argc && o + 2 < sizeof req; i++) o += (size_t)snprintf(req + o, sizeof req - o, " %s", argv[i]);
  if (argc < 2) {
    fprintf(stderr, "ERROR:   No software has been selected.\n");
    return 1;
  }
  char host[256], stamp[64];
  node_name(host, sizeof host);
  time_t now = time(NULL);
  struct tm tm;
  localtime_r(&now, &tm);
  strftime(stamp, sizeof stamp, "%a %b %e %H:%M:%S %Z %Y", &tm);
  printf("\n=======  %s  BEGIN swconfig SESSION (non-interactive)\n\n", stamp);
  printf("       * Session started for user \"root@%s\".\n\n", host);
  printf("       * Beginning Selection\n");
  fflush(stdout);
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(SWAGENTD_PORT)};
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
    printf("ERROR:   Could not contact the SD daemon \"swagentd\" on \"%s\": %s\n", host, strerror(errno));
    printf("\n=======  %s  END swconfig SESSION (non-interactive)\n\n", stamp);
    return 1;
  }
  req[o++] = '\n';
  ssize_t w = write(fd, req, o);
  (void)w;
  struct timeval tv = {.tv_sec = 5};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  char reply[256];
  ssize_t r = read(fd, reply, sizeof reply - 1);
  close(fd);
  if (r <= 0) {
    printf("ERROR:   The SD daemon on \"%s\" did not answer.\n", host);
    return 1;
  }
  printf("       * Target connection succeeded for \"%s:/\".\n", host);
  printf("       * Selection succeeded.\n\n");
  printf("       * Beginning Analysis and Execution\n");
  printf("       * Analysis and Execution succeeded.\n\n");
  printf("NOTE:    More information may be found in the agent logfile using the\n"
         "         command \"swjob -a log %s-0001 @ %s:/\".\n",
         host, host);
  printf("\n=======  %s  END swconfig SESSION (non-interactive)\n\n", stamp);
  return 0;
}
