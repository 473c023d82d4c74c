/*
 * ps in HP-UX 11i v3's form: the columns of `ps`, `ps -f`, `ps -l` and the
 * UNIX95 `-o` fields, the selections -e -a -d -p -u -t -g and, with UNIX95
 * set, -A -C -G -U -s -o. It reads /proc, which in the jail is the booted PID
 * namespace's, so like HP-UX's ps (a chroot does not hide processes) it lists
 * the booted system's processes too, and `ps -ef | grep daemon` pipelines
 * split into the same fields as there. Without UNIX95 the UNIX95-only options
 * are refused as HP-UX refuses them.
 */
#define _GNU_SOURCE
#include "standin.h"

#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_PROCS 4096
#define MAX_LIST 128
#define DEFAULT_CMD_WIDTH 128

struct proc {
  int pid, ppid, pgid, sid, tty_nr, nice, prio, threads;
  char state;
  uid_t uid, ruid;
  gid_t gid, rgid;
  unsigned long long utime, stime, start;
  unsigned long vsize;
  long rss;
  char comm[64];
  char args[1024];
};

struct list {
  int n;
  char *item[MAX_LIST];
};

static void split_list(struct list *l, const char *arg) {
  char *copy = strdup(arg);
  for (char *tok = strtok(copy, ", \t"); tok && l->n < MAX_LIST; tok = strtok(NULL, ", \t")) l->item[l->n++] = tok;
}

static int read_small(const char *path, char *buf, size_t cap) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  ssize_t n = read(fd, buf, cap - 1);
  close(fd);
  if (n < 0) return -1;
  buf[n] = '\0';
  return (int)n;
}

static int read_proc(int pid, struct proc *p) {
  char path[64], buf[4096];
  memset(p, 0, sizeof *p);
  p->pid = pid;
  snprintf(path, sizeof path, "/proc/%d/stat", pid);
  if (read_small(path, buf, sizeof buf) <= 0) return -1;
  char *open_paren = strchr(buf, '('), *close_paren = strrchr(buf, ')');
  if (!open_paren || !close_paren) return -1;
  size_t cl = (size_t)(close_paren - open_paren - 1);
  if (cl >= sizeof p->comm) cl = sizeof p->comm - 1;
  memcpy(p->comm, open_paren + 1, cl);
  p->comm[cl] = '\0';
  /* Fields after the command: state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt
   * utime stime cutime cstime priority nice num_threads itrealvalue starttime vsize rss */
  long long f[22];
  char state;
  if (sscanf(close_paren + 2, "%c %lld %lld %lld %lld %lld %lld %lld %lld %lld %lld %lld %lld %lld %lld %lld %lld %lld %lld %lld %lld",
             &state, &f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6], &f[7], &f[8], &f[9], &f[10], &f[11], &f[12], &f[13],
             &f[14], &f[15], &f[16], &f[17], &f[18], &f[19]) < 21)
    return -1;
  p->state = state;
  p->ppid = (int)f[0];
  p->pgid = (int)f[1];
  p->sid = (int)f[2];
  p->tty_nr = (int)f[3];
  p->utime = (unsigned long long)f[10];
  p->stime = (unsigned long long)f[11];
  p->prio = (int)f[14];
  p->nice = (int)f[15];
  p->threads = (int)f[16];
  p->start = (unsigned long long)f[18];
  p->vsize = (unsigned long)f[19];
  snprintf(path, sizeof path, "/proc/%d/status", pid);
  if (read_small(path, buf, sizeof buf) > 0) {
    char *u = strstr(buf, "\nUid:"), *g = strstr(buf, "\nGid:");
    unsigned a, b;
    if (u && sscanf(u + 5, "%u %u", &a, &b) == 2) p->ruid = a, p->uid = b;
    if (g && sscanf(g + 5, "%u %u", &a, &b) == 2) p->rgid = a, p->gid = b;
    char *r = strstr(buf, "\nVmRSS:");
    if (r) p->rss = atol(r + 7);
  }
  snprintf(path, sizeof path, "/proc/%d/cmdline", pid);
  int n = read_small(path, p->args, sizeof p->args);
  if (n > 0) {
    while (n > 0 && p->args[n - 1] == '\0') n--;
    for (int i = 0; i < n; i++)
      if (p->args[i] == '\0' || p->args[i] == '\n') p->args[i] = ' ';
    p->args[n] = '\0';
  } else {
    p->args[0] = '\0';
  }
  return 0;
}

static int cmp_pid(const void *a, const void *b) {
  return ((const struct proc *)a)->pid - ((const struct proc *)b)->pid;
}

static void tty_name(int tty_nr, char *out, size_t cap) {
  unsigned major = ((unsigned)tty_nr >> 8) & 0xfff, minor = ((unsigned)tty_nr & 0xff) | (((unsigned)tty_nr >> 12) & 0xfff00);
  if (tty_nr == 0) snprintf(out, cap, "?");
  else if (major >= 136 && major <= 143) snprintf(out, cap, "pts/%u", (major - 136) * 256 + minor);
  else if (major == 4 && minor < 64) snprintf(out, cap, "tty%u", minor);
  else if (major == 5 && minor == 1) snprintf(out, cap, "console");
  else snprintf(out, cap, "?");
}

static long g_hz;
static time_t g_boot;

static void cpu_time(const struct proc *p, char *out, size_t cap) {
  unsigned long long s = (p->utime + p->stime) / (unsigned long long)g_hz;
  snprintf(out, cap, "%llu:%02llu", s / 60, s % 60);
}

static time_t started(const struct proc *p) { return g_boot + (time_t)(p->start / (unsigned long long)g_hz); }

static void start_time(const struct proc *p, char *out, size_t cap) {
  time_t t = started(p), now = time(NULL);
  struct tm a, b;
  localtime_r(&t, &a);
  localtime_r(&now, &b);
  /* Today's processes by the time, older ones by the date (ps(1) stime). */
  if (a.tm_year == b.tm_year && a.tm_yday == b.tm_yday) strftime(out, cap, "%H:%M:%S", &a);
  else strftime(out, cap, "%b %e", &a);
}

static void elapsed(const struct proc *p, char *out, size_t cap) {
  long s = (long)(time(NULL) - started(p));
  if (s < 0) s = 0;
  long d = s / 86400, h = s / 3600 % 24, m = s / 60 % 60;
  if (d) snprintf(out, cap, "%ld-%02ld:%02ld:%02ld", d, h, m, s % 60);
  else if (h) snprintf(out, cap, "%02ld:%02ld:%02ld", h, m, s % 60);
  else snprintf(out, cap, "%02ld:%02ld", m, s % 60);
}

static const char *command_args(const struct proc *p) {
  if (p->state == 'Z') return "<defunct>";
  return p->args[0] ? p->args : p->comm;
}

/* ---- selection ---- */

struct selection {
  int all, not_leaders_no_tty, not_leaders, any;
  struct list pids, uids, ruids, ttys, pgids, sids, cmds, gids;
};

static int in_numbers(const struct list *l, long v) {
  for (int i = 0; i < l->n; i++) {
    char *end;
    long x = strtol(l->item[i], &end, 10);
    if (*end == '\0' && x == v) return 1;
  }
  return 0;
}

/* A user (or group) list names an id by its name or its number. */
static int in_ids(const struct list *l, unsigned id, const char *(*name_of)(unsigned, char *, size_t)) {
  char name[64];
  name_of(id, name, sizeof name);
  for (int i = 0; i < l->n; i++)
    if (strcmp(l->item[i], name) == 0) return 1;
  return in_numbers(l, (long)id);
}

static int in_ttys(const struct list *l, int tty_nr) {
  char name[32];
  tty_name(tty_nr, name, sizeof name);
  for (int i = 0; i < l->n; i++) {
    const char *t = l->item[i];
    if (strncmp(t, "/dev/", 5) == 0) t += 5;
    if (strcmp(t, name) == 0 || (strcmp(t, "?") == 0 && tty_nr == 0)) return 1;
  }
  return 0;
}

static int selected(const struct selection *s, const struct proc *p, const struct proc *self) {
  if (!s->any) return p->tty_nr == self->tty_nr && p->uid == self->uid;
  if (s->all) return 1;
  if (s->not_leaders_no_tty && p->tty_nr != 0 && p->pid != p->sid) return 1;
  if (s->not_leaders && p->pid != p->sid) return 1;
  if (in_numbers(&s->pids, p->pid)) return 1;
  if (s->uids.n && in_ids(&s->uids, p->uid, user_name)) return 1;
  if (s->ruids.n && in_ids(&s->ruids, p->ruid, user_name)) return 1;
  if (s->gids.n && in_ids(&s->gids, p->rgid, group_name)) return 1;
  if (in_numbers(&s->pgids, p->pgid)) return 1;
  if (in_numbers(&s->sids, p->sid)) return 1;
  if (s->ttys.n && in_ttys(&s->ttys, p->tty_nr)) return 1;
  for (int i = 0; i < s->cmds.n; i++)
    if (strcmp(s->cmds.item[i], p->comm) == 0) return 1;
  return 0;
}

/* ---- -o fields (UNIX95) ---- */

enum align { LEFT, RIGHT };

struct field_def {
  const char *name, *header;
  int width;
  enum align align;
};

static const struct field_def FIELDS[] = {
    {"ruser", "RUSER", 8, RIGHT}, {"user", "USER", 8, RIGHT},   {"rgroup", "RGROUP", 8, RIGHT},
    {"group", "GROUP", 8, RIGHT}, {"pid", "PID", 5, RIGHT},     {"ppid", "PPID", 5, RIGHT},
    {"pgid", "PGID", 5, RIGHT},   {"pcpu", "%CPU", 4, RIGHT},   {"vsz", "VSZ", 5, RIGHT},
    {"nice", "NI", 2, RIGHT},     {"etime", "ELAPSED", 11, RIGHT}, {"time", "TIME", 8, RIGHT},
    {"tty", "TT", 7, LEFT},       {"comm", "COMMAND", 14, LEFT}, {"args", "COMMAND", 0, LEFT},
    {"addr", "ADDR", 16, RIGHT},  {"cpu", "C", 2, RIGHT},       {"flags", "F", 3, RIGHT},
    {"pri", "PRI", 3, RIGHT},     {"sid", "SID", 5, RIGHT},     {"state", "S", 1, LEFT},
    {"stime", "STIME", 8, RIGHT}, {"sz", "SZ", 5, RIGHT},       {"uid", "UID", 5, RIGHT},
    {"gid", "GID", 5, RIGHT},     {"wchan", "WCHAN", 16, RIGHT}, {"ruid", "RUID", 5, RIGHT},
    {"rgid", "RGID", 5, RIGHT},   {"vsize", "VSZ", 5, RIGHT},
};

struct column {
  const struct field_def *def;
  char header[64];
};

static int parse_format(const char *arg, struct column *cols, int *n, int cap) {
  char *copy = strdup(arg);
  char *p = copy;
  while (*p && *n < cap) {
    while (*p == ',' || *p == ' ' || *p == '\t') p++;
    if (!*p) break;
    char *name = p;
    size_t len = strcspn(p, ",= \t");
    char *header = NULL;
    if (p[len] == '=') {
      /* name=header: the header runs to the end of the argument (ps(1)). */
      p[len] = '\0';
      header = p + len + 1;
      p = header + strlen(header);
    } else {
      char end = p[len];
      p[len] = '\0';
      p += len + (end ? 1 : 0);
    }
    const struct field_def *def = NULL;
    for (size_t i = 0; i < sizeof FIELDS / sizeof FIELDS[0]; i++)
      if (strcmp(FIELDS[i].name, name) == 0) def = &FIELDS[i];
    if (!def) {
      fprintf(stderr, "ps: unknown output format: -o %s\n", name);
      return -1;
    }
    cols[*n].def = def;
    snprintf(cols[*n].header, sizeof cols[*n].header, "%s", header ? header : def->header);
    (*n)++;
  }
  return 0;
}

static void field_value(const struct field_def *d, const struct proc *p, char *out, size_t cap) {
  const char *n = d->name;
  if (!strcmp(n, "ruser")) user_name(p->ruid, out, cap);
  else if (!strcmp(n, "user")) user_name(p->uid, out, cap);
  else if (!strcmp(n, "rgroup")) group_name(p->rgid, out, cap);
  else if (!strcmp(n, "group")) group_name(p->gid, out, cap);
  else if (!strcmp(n, "pid")) snprintf(out, cap, "%d", p->pid);
  else if (!strcmp(n, "ppid")) snprintf(out, cap, "%d", p->ppid);
  else if (!strcmp(n, "pgid")) snprintf(out, cap, "%d", p->pgid);
  else if (!strcmp(n, "sid")) snprintf(out, cap, "%d", p->sid);
  else if (!strcmp(n, "pcpu")) snprintf(out, cap, "%.2f", 0.0);
  else if (!strcmp(n, "vsz") || !strcmp(n, "vsize")) snprintf(out, cap, "%lu", p->vsize / 1024);
  else if (!strcmp(n, "sz")) snprintf(out, cap, "%ld", p->rss / 4);
  else if (!strcmp(n, "nice")) snprintf(out, cap, "%d", p->nice + 20);
  else if (!strcmp(n, "pri")) snprintf(out, cap, "%d", p->prio + 128);
  else if (!strcmp(n, "etime")) elapsed(p, out, cap);
  else if (!strcmp(n, "time")) {
    unsigned long long s = (p->utime + p->stime) / (unsigned long long)g_hz;
    snprintf(out, cap, "%02llu:%02llu:%02llu", s / 3600, s / 60 % 60, s % 60);
  } else if (!strcmp(n, "tty")) tty_name(p->tty_nr, out, cap);
  else if (!strcmp(n, "comm")) snprintf(out, cap, "%.14s", p->comm);
  else if (!strcmp(n, "args")) snprintf(out, cap, "%s", command_args(p));
  else if (!strcmp(n, "addr") || !strcmp(n, "wchan")) snprintf(out, cap, "%s", p->state == 'S' ? "e000000100a3c040" : "-");
  else if (!strcmp(n, "cpu")) snprintf(out, cap, "0");
  else if (!strcmp(n, "flags")) snprintf(out, cap, "1");
  else if (!strcmp(n, "state")) snprintf(out, cap, "%c", p->state == 'D' ? 'S' : p->state == 'T' || p->state == 't' ? 'T' : p->state == 'Z' ? 'Z' : p->state == 'R' ? 'R' : 'S');
  else if (!strcmp(n, "stime")) start_time(p, out, cap);
  else if (!strcmp(n, "uid")) snprintf(out, cap, "%u", (unsigned)p->uid);
  else if (!strcmp(n, "ruid")) snprintf(out, cap, "%u", (unsigned)p->ruid);
  else if (!strcmp(n, "gid")) snprintf(out, cap, "%u", (unsigned)p->gid);
  else if (!strcmp(n, "rgid")) snprintf(out, cap, "%u", (unsigned)p->rgid);
  else snprintf(out, cap, "-");
}

static void print_columns(const struct column *cols, int n, const struct proc *p) {
  char buf[1100];
  for (int i = 0; i < n; i++) {
    const struct field_def *d = cols[i].def;
    int w = (int)strlen(cols[i].header);
    if (d->width > w) w = d->width;
    if (p) field_value(d, p, buf, sizeof buf);
    const char *v = p ? buf : cols[i].header;
    const char *sep = i ? " " : "";
    if (i == n - 1 && d->align == LEFT) printf("%s%s", sep, v);
    else if (d->align == LEFT) printf("%s%-*s", sep, w, v);
    else printf("%s%*s", sep, w, v);
  }
  putchar('\n');
}

static int usage(void) {
  fprintf(stderr,
          "usage: ps [-adeflPx] [-g grplist] [-p proclist] [-R prmgrplist] [-t termlist]\n"
          "          [-u uidlist] [-Z psetidlist]\n"
          "      (with UNIX95) ps [-AacdeHfjlPx] [-C cmdlist] [-g grplist] [-G gidlist]\n"
          "          [-n namelist] [-o format] [-p proclist] [-R prmgrplist] [-s sidlist]\n"
          "          [-t termlist] [-u uidlist] [-U uidlist] [-Z psetidlist]\n");
  return 1;
}

int ps_main(int argc, char **argv) {
  int unix95 = getenv("UNIX95") != NULL;
  int full = 0, lng = 0, extended = 0, explicit_list = 0;
  struct selection sel = {0};
  struct column cols[32];
  int ncols = 0;
  const char *opts = unix95 ? "AacdefHjlPxzC:g:G:n:o:p:R:s:t:u:U:Z:" : "adeflPxzg:p:R:t:u:Z:";
  int c;
  opterr = 0;
  while ((c = getopt(argc, argv, opts)) != -1) {
    switch (c) {
      case 'A':
      case 'e': sel.all = sel.any = 1; break;
      case 'a': sel.not_leaders_no_tty = sel.any = 1; break;
      case 'd': sel.not_leaders = sel.any = 1; break;
      case 'f': full = 1; break;
      case 'l': lng = 1; break;
      case 'x': extended = 1; break;
      case 'c': case 'H': case 'j': case 'P': case 'z': break;
      case 'n': case 'R': case 'Z': break;
      case 'C': split_list(&sel.cmds, optarg), sel.any = explicit_list = 1; break;
      case 'g': split_list(&sel.pgids, optarg), sel.any = explicit_list = 1; break;
      case 'G': split_list(&sel.gids, optarg), sel.any = explicit_list = 1; break;
      case 'p': split_list(&sel.pids, optarg), sel.any = explicit_list = 1; break;
      case 's': split_list(&sel.sids, optarg), sel.any = explicit_list = 1; break;
      case 't': split_list(&sel.ttys, optarg), sel.any = explicit_list = 1; break;
      case 'u': split_list(&sel.uids, optarg), sel.any = explicit_list = 1; break;
      case 'U': split_list(&sel.ruids, optarg), sel.any = explicit_list = 1; break;
      case 'o':
        if (parse_format(optarg, cols, &ncols, 32) < 0) return 1;
        break;
      case '?':
        if (optopt && strchr("ACGHjcno:sU", optopt) && !unix95)
          fprintf(stderr, "ps: illegal option -- %c\n", optopt);
        else if (optopt && strchr(opts, optopt))
          fprintf(stderr, "ps: option requires an argument -- %c\n", optopt);
        else
          fprintf(stderr, "ps: illegal option -- %c\n", optopt);
        return usage();
      default: return usage();
    }
  }
  if (optind < argc) return usage();
  g_hz = sysconf(_SC_CLK_TCK);
  if (g_hz <= 0) g_hz = 100;
  char stat[4096];
  char *bt = read_small("/proc/stat", stat, sizeof stat) > 0 ? strstr(stat, "btime ") : NULL;
  g_boot = bt ? (time_t)atoll(bt + 6) : 0;

  static struct proc procs[MAX_PROCS];
  int n = 0;
  struct proc self;
  if (read_proc(getpid(), &self) < 0) memset(&self, 0, sizeof self), self.uid = geteuid();
  DIR *d = opendir("/proc");
  if (!d) {
    fprintf(stderr, "ps: cannot read the process table: /proc is not mounted\n");
    return 1;
  }
  struct dirent *de;
  while ((de = readdir(d)) && n < MAX_PROCS) {
    if (!isdigit((unsigned char)de->d_name[0])) continue;
    if (read_proc(atoi(de->d_name), &procs[n]) == 0 && selected(&sel, &procs[n], &self)) n++;
  }
  closedir(d);
  qsort(procs, (size_t)n, sizeof procs[0], cmp_pid);

  int width = extended ? 1020 : DEFAULT_CMD_WIDTH;
  if (ncols) {
    int headers = 0;
    for (int i = 0; i < ncols; i++) headers |= cols[i].header[0] != '\0';
    if (headers) print_columns(cols, ncols, NULL);
    for (int i = 0; i < n; i++) print_columns(cols, ncols, &procs[i]);
    return explicit_list && n == 0 ? 1 : 0;
  }
  if (lng) printf("  F S      UID   PID  PPID  C PRI NI             ADDR   SZ            WCHAN ");
  else if (full) printf("     UID   PID  PPID  C ");
  else printf("   PID ");
  if (full) printf("   STIME ");
  printf("TTY       TIME %s\n", lng && !full ? "COMD" : "COMMAND");
  for (int i = 0; i < n; i++) {
    const struct proc *p = &procs[i];
    char user[64], tty[32], tm[32], st[32];
    if (full) user_name(p->uid, user, sizeof user);
    else snprintf(user, sizeof user, "%u", (unsigned)p->uid);
    tty_name(p->tty_nr, tty, sizeof tty);
    cpu_time(p, tm, sizeof tm);
    start_time(p, st, sizeof st);
    if (lng) {
      char s[4];
      struct field_def state = {"state", "S", 1, LEFT};
      field_value(&state, p, s, sizeof s);
      printf("%3d %s %8s %5d %5d %2d %3d %2d %16s %4ld %16s ", 1, s, user, p->pid, p->ppid, 0, p->prio + 128, p->nice + 20,
             p->state == 'Z' ? "-" : "e000000100a3c040", p->rss / 4, p->state == 'S' ? "e000000100a3c040" : "-");
    } else if (full) {
      printf("%8s %5d %5d %2d ", user, p->pid, p->ppid, 0);
    } else {
      printf(" %5d ", p->pid);
    }
    if (full) printf("%8s ", st);
    printf("%-8s %5s %.*s\n", tty, tm, width, full ? command_args(p) : (p->state == 'Z' ? "<defunct>" : p->comm));
  }
  return explicit_list && n == 0 ? 1 : 0;
}
