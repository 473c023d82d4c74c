/*
 * Accounts and crontabs. useradd, groupadd, userdel and groupdel edit the
 * /etc/passwd and /etc/group of the tree they run in (through /etc/ptmp and
 * /etc/gtmp, the lock files HP-UX uses, renamed over the database), and
 * useradd -m / userdel -r make or remove the home directory wherever it is
 * (a shared /home is the booted system's too). pwget and grget print entries
 * (pwget(1), grget(1)). crontab installs, lists or removes
 * /var/spool/cron/crontabs/USER and tells cron through /var/adm/cron/FIFO:
 * in the jail that FIFO is the clone's, which no cron reads, so the message
 * reaches no daemon, as under drd runcmd.
 */
#define _GNU_SOURCE
#include "standin.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define PASSWD "/etc/passwd"
#define GROUP "/etc/group"

/* The line of db (passwd or group) whose field `field` is key, copied to out; -1 if none. */
static int find_entry(const char *db, int field, const char *key, char *out, size_t cap) {
  FILE *f = fopen(db, "re");
  if (!f) return -1;
  char line[1024];
  int found = -1;
  while (found < 0 && fgets(line, sizeof line, f)) {
    char copy[1024];
    snprintf(copy, sizeof copy, "%s", line);
    copy[strcspn(copy, "\n")] = '\0';
    char *p = copy;
    for (int i = 0; i < field && p; i++) {
      p = strchr(p, ':');
      if (p) p++;
    }
    if (!p) continue;
    size_t l = strcspn(p, ":");
    if (strlen(key) == l && strncmp(p, key, l) == 0) {
      line[strcspn(line, "\n")] = '\0';
      snprintf(out, cap, "%s", line);
      found = 0;
    }
  }
  fclose(f);
  return found;
}

static long highest_id(const char *db, long floor) {
  FILE *f = fopen(db, "re");
  long hi = floor;
  char line[1024];
  while (f && fgets(line, sizeof line, f)) {
    char *p = strchr(line, ':');
    if (p) p = strchr(p + 1, ':');
    if (!p) continue;
    long id = strtol(p + 1, NULL, 10);
    if (id > hi && id < 60000) hi = id;
  }
  if (f) fclose(f);
  return hi;
}

/* Rewrites db through its lock file (HP-UX: /etc/ptmp for passwd, /etc/gtmp for group). */
static int rewrite_db(const char *db, const char *lock, const char *text, size_t len) {
  int fd = open(lock, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444);
  if (fd < 0) return errno == EEXIST ? -2 : -1;
  size_t off = 0;
  while (off < len) {
    ssize_t w = write(fd, text + off, len - off);
    if (w <= 0) {
      close(fd);
      unlink(lock);
      return -1;
    }
    off += (size_t)w;
  }
  close(fd);
  if (rename(lock, db) < 0) {
    unlink(lock);
    return -1;
  }
  return 0;
}

/* db without the line whose first field is name, plus `add` (a line, or NULL). */
static char *edited(const char *db, const char *name, const char *add, size_t *len) {
  size_t n;
  char *text = read_whole(db, &n);
  if (!text) return NULL;
  char *out = malloc(n + (add ? strlen(add) : 0) + 3);
  size_t o = 0;
  for (char *line = text; *line;) {
    size_t ll = strcspn(line, "\n");
    size_t nl = strcspn(line, ":");
    if (!(name && nl < ll && nl == strlen(name) && strncmp(line, name, nl) == 0)) {
      memcpy(out + o, line, ll);
      o += ll;
      out[o++] = '\n';
    }
    line += ll + (line[ll] ? 1 : 0);
  }
  if (add) o += (size_t)sprintf(out + o, "%s\n", add);
  free(text);
  *len = o;
  return out;
}

/* Adds user to the member lists of the comma-separated groups. */
static int add_to_groups(const char *user, const char *groups) {
  size_t n;
  char *text = read_whole(GROUP, &n);
  if (!text) return -1;
  char *out = malloc(n + 1024 + 1);
  size_t o = 0;
  for (char *line = text; *line;) {
    size_t ll = strcspn(line, "\n");
    size_t nl = strcspn(line, ":");
    int member = 0;
    char list[1024];
    snprintf(list, sizeof list, "%s", groups);
    for (char *s = NULL, *g = strtok_r(list, ",", &s); g; g = strtok_r(NULL, ",", &s))
      member |= nl == strlen(g) && strncmp(line, g, nl) == 0;
    memcpy(out + o, line, ll);
    o += ll;
    if (member) o += (size_t)sprintf(out + o, "%s%s", line[ll - 1] == ':' ? "" : ",", user);
    out[o++] = '\n';
    line += ll + (line[ll] ? 1 : 0);
  }
  int r = rewrite_db(GROUP, "/etc/gtmp", out, o);
  free(out);
  free(text);
  return r;
}

/* db rewritten without name's entry (NULL: none) and with `add` (NULL: none); -1 on failure. */
static int update_db(const char *db, const char *lock, const char *name, const char *add) {
  size_t len;
  char *text = edited(db, name, add, &len);
  int r = text ? rewrite_db(db, lock, text, len) : -1;
  free(text);
  return r < 0 ? -1 : 0;
}

/* A new entry's id: the one asked for (unique unless dup), or the next above 100.
 * 0, or useradd(1M)/groupadd(1M)'s exit value 4 with the message. */
static int pick_id(const char *prog, const char *db, long *id, int dup) {
  char line[1024], key[24];
  if (*id < 0) *id = highest_id(db, 100) + 1;
  snprintf(key, sizeof key, "%ld", *id);
  if (!dup && find_entry(db, 2, key, line, sizeof line) == 0) {
    fprintf(stderr, "%s: %s %ld is not unique\n", prog, strcmp(db, PASSWD) == 0 ? "uid" : "gid", *id);
    return 4;
  }
  return 0;
}

static int group_id(const char *g, long *gid) {
  char line[1024], *end;
  long n = strtol(g, &end, 10);
  if (*end == '\0') {
    char key[24];
    snprintf(key, sizeof key, "%ld", n);
    if (find_entry(GROUP, 2, key, line, sizeof line) < 0) return -1;
    *gid = n;
    return 0;
  }
  if (find_entry(GROUP, 0, g, line, sizeof line) < 0) return -1;
  char *p = strchr(line, ':');
  p = p ? strchr(p + 1, ':') : NULL;
  *gid = p ? strtol(p + 1, NULL, 10) : -1;
  return *gid < 0 ? -1 : 0;
}

int useradd_main(int argc, char **argv) {
  /* Exit values after useradd(1M): 2 usage, 3 bad argument, 4 uid in use, 6 no such group,
   * 9 login in use, 10 /etc/group not updated, 12 home not made, 13 /etc/passwd not updated. */
  long uid = -1, gid = 20;
  int dup = 0, mkhome = 0, c;
  const char *home = NULL, *shell = "/sbin/sh", *comment = "", *groups = NULL, *group = NULL;
  opterr = 0;
  while ((c = getopt(argc, argv, "u:og:G:d:s:c:mk:f:e:t:iDR:")) != -1) {
    switch (c) {
      case 'u': uid = strtol(optarg, NULL, 10); break;
      case 'o': dup = 1; break;
      case 'g': group = optarg; break;
      case 'G': groups = optarg; break;
      case 'd': home = optarg; break;
      case 's': shell = optarg; break;
      case 'c': comment = optarg; break;
      case 'm': mkhome = 1; break;
      case 'k': case 'f': case 'e': case 't': case 'i': case 'D': case 'R': break;
      default:
        fprintf(stderr, "usage: useradd [-u uid [-o]] [-g group] [-G group[,group...]] [-d dir]\n"
                        "\t[-s shell] [-c comment] [-m [-k skel_dir]] [-f inactive] [-e expire] login\n");
        return 2;
    }
  }
  if (optind != argc - 1) {
    fprintf(stderr, "useradd: a login name is required\n");
    return 2;
  }
  const char *login = argv[optind];
  if (!login[0] || strchr(login, ':') || strlen(login) > 32) {
    fprintf(stderr, "useradd: invalid login name \"%s\"\n", login);
    return 3;
  }
  char line[1024];
  if (find_entry(PASSWD, 0, login, line, sizeof line) == 0) {
    fprintf(stderr, "useradd: login %s is not unique\n", login);
    return 9;
  }
  if (group && group_id(group, &gid) < 0) {
    fprintf(stderr, "useradd: group %s does not exist\n", group);
    return 6;
  }
  int bad = pick_id("useradd", PASSWD, &uid, dup);
  if (bad) return bad;
  char dir[512];
  snprintf(dir, sizeof dir, "%s", home ? home : "");
  if (!home) snprintf(dir, sizeof dir, "/home/%s", login);
  char entry[1024];
  snprintf(entry, sizeof entry, "%s:*:%ld:%ld:%s:%s:%s", login, uid, gid, comment, dir, shell);
  if (update_db(PASSWD, "/etc/ptmp", NULL, entry) < 0) {
    fprintf(stderr, "useradd: cannot update %s: %s\n", PASSWD, strerror(errno));
    return 13;
  }
  if (groups && add_to_groups(login, groups) < 0) {
    fprintf(stderr, "useradd: cannot update %s\n", GROUP);
    return 10;
  }
  if (mkhome) {
    if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
      fprintf(stderr, "useradd: cannot create home directory %s: %s\n", dir, strerror(errno));
      return 12;
    }
    if (chown(dir, (uid_t)uid, (gid_t)gid) < 0) { /* as far as the jail may */ }
  }
  return 0;
}

int groupadd_main(int argc, char **argv) {
  long gid = -1;
  int dup = 0, c;
  opterr = 0;
  while ((c = getopt(argc, argv, "g:o")) != -1) {
    if (c == 'g') gid = strtol(optarg, NULL, 10);
    else if (c == 'o') dup = 1;
    else {
      fprintf(stderr, "usage: groupadd [-g gid [-o]] group\n");
      return 2;
    }
  }
  if (optind != argc - 1) {
    fprintf(stderr, "usage: groupadd [-g gid [-o]] group\n");
    return 2;
  }
  const char *name = argv[optind];
  char line[1024];
  if (find_entry(GROUP, 0, name, line, sizeof line) == 0) {
    fprintf(stderr, "groupadd: %s is already in use\n", name);
    return 9;
  }
  int bad = pick_id("groupadd", GROUP, &gid, dup);
  if (bad) return bad;
  char entry[512];
  snprintf(entry, sizeof entry, "%s::%ld:", name, gid);
  if (update_db(GROUP, "/etc/gtmp", NULL, entry) < 0) {
    fprintf(stderr, "groupadd: cannot update %s: %s\n", GROUP, strerror(errno));
    return 10;
  }
  return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  (void)st, (void)flag, (void)ftw;
  return remove(path);
}

int userdel_main(int argc, char **argv) {
  int rmhome = 0, c;
  opterr = 0;
  while ((c = getopt(argc, argv, "rfF")) != -1) {
    if (c == 'r') rmhome = 1;
    else if (c != 'f' && c != 'F') {
      fprintf(stderr, "usage: userdel [-r] login\n");
      return 2;
    }
  }
  if (optind != argc - 1) {
    fprintf(stderr, "usage: userdel [-r] login\n");
    return 2;
  }
  const char *login = argv[optind];
  char line[1024];
  if (find_entry(PASSWD, 0, login, line, sizeof line) < 0) {
    fprintf(stderr, "userdel: login %s does not exist\n", login);
    return 6;
  }
  char home[512] = "";
  char *p = line;
  for (int i = 0; i < 5 && p; i++) {
    p = strchr(p, ':');
    if (p) p++;
  }
  if (p) snprintf(home, sizeof home, "%.*s", (int)strcspn(p, ":"), p);
  if (update_db(PASSWD, "/etc/ptmp", login, NULL) < 0) {
    fprintf(stderr, "userdel: cannot update %s: %s\n", PASSWD, strerror(errno));
    return 10;
  }
  if (rmhome && home[0] && strcmp(home, "/") != 0 && nftw(home, remove_entry, 16, FTW_DEPTH | FTW_PHYS) < 0) {
    fprintf(stderr, "userdel: cannot remove %s: %s\n", home, strerror(errno));
    return 12;
  }
  return 0;
}

int groupdel_main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: groupdel group\n");
    return 2;
  }
  char line[1024];
  if (find_entry(GROUP, 0, argv[1], line, sizeof line) < 0) {
    fprintf(stderr, "groupdel: group %s does not exist\n", argv[1]);
    return 6;
  }
  if (update_db(GROUP, "/etc/gtmp", argv[1], NULL) < 0) {
    fprintf(stderr, "groupdel: cannot update %s: %s\n", GROUP, strerror(errno));
    return 10;
  }
  return 0;
}

/* pwget [-n name | -u uid], grget [-n name | -g gid]: the entries, all of them without an option. */
int pwget_main(int argc, char **argv) {
  int group = strcmp(base_name(argv[0]), "grget") == 0;
  const char *db = group ? GROUP : PASSWD;
  const char *name = NULL, *id = NULL;
  int c;
  opterr = 0;
  while ((c = getopt(argc, argv, group ? "n:g:" : "n:u:")) != -1) {
    if (c == 'n') name = optarg;
    else if (c == 'u' || c == 'g') id = optarg;
    else {
      fprintf(stderr, "usage: %s [-n name | -%c %s]\n", group ? "grget" : "pwget", group ? 'g' : 'u', group ? "gid" : "uid");
      return 2;
    }
  }
  if (!name && !id) {
    char *text = read_whole(db, NULL);
    if (!text) return 1;
    fputs(text, stdout);
    return 0;
  }
  char line[1024];
  if (find_entry(db, name ? 0 : 2, name ? name : id, line, sizeof line) < 0) return 1;
  puts(line);
  return 0;
}

/* ---- crontab ---- */

#define CRONTABS "/var/spool/cron/crontabs"
#define CRON_FIFO "/var/adm/cron/FIFO"

/* Tells cron to re-read user's crontab, as crontab does, through cron's FIFO. */
static void notify_cron(const char *user) {
  int fd = open(CRON_FIFO, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd >= 0) {
    char msg[128];
    int n = snprintf(msg, sizeof msg, "crontab %s\n", user);
    ssize_t w = write(fd, msg, (size_t)n);
    close(fd);
    if (w == n) return;
  }
  fprintf(stderr, "cron may not be running - call your system administrator\n");
}

int crontab_main(int argc, char **argv) {
  char op = 0;
  int c;
  opterr = 0;
  while ((c = getopt(argc, argv, "elr")) != -1) {
    if (c == 'e' || c == 'l' || c == 'r') op = (char)c;
    else {
      fprintf(stderr, "usage:\tcrontab [file]\n\tcrontab -e [username]\n\tcrontab -l [username]\n\tcrontab -r [username]\n");
      return 2;
    }
  }
  char user[64];
  user_name(getuid(), user, sizeof user);
  const char *file = NULL;
  if (op && optind < argc) snprintf(user, sizeof user, "%s", argv[optind]);
  else if (!op && optind < argc) file = argv[optind];
  char path[256];
  snprintf(path, sizeof path, CRONTABS "/%s", user);
  if (op == 'l') {
    char *text = read_whole(path, NULL);
    if (!text) {
      fprintf(stderr, "crontab: can't open your crontab file.\n");
      return 1;
    }
    fputs(text, stdout);
    return 0;
  }
  if (op == 'r') {
    if (unlink(path) < 0) {
      fprintf(stderr, "crontab: can't remove your crontab file.\n");
      return 1;
    }
    notify_cron(user);
    return 0;
  }
  char tmp[] = "/tmp/crontabXXXXXX";
  if (op == 'e') {
    /* Edit a copy with $EDITOR (vi), then install it. */
    int fd = mkstemp(tmp);
    if (fd < 0) return 1;
    char *text = read_whole(path, NULL);
    if (text && write(fd, text, strlen(text)) < 0) { /* empty copy */ }
    close(fd);
    const char *editor = getenv("EDITOR") ? getenv("EDITOR") : "vi";
    pid_t p = fork();
    if (p == 0) {
      execlp("/sbin/sh", "sh", "-c", "exec $0 \"$1\"", editor, tmp, (char *)NULL);
      _exit(127);
    }
    int st = 0;
    waitpid(p, &st, 0);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
      fprintf(stderr, "crontab: The editor indicates an error; your crontab is unchanged.\n");
      unlink(tmp);
      return 1;
    }
    file = tmp;
  }
  size_t len;
  char *text = file ? read_whole(file, &len) : read_whole("/dev/stdin", &len);
  if (!text) {
    fprintf(stderr, "crontab: can't open %s\n", file ? file : "standard input");
    return 1;
  }
  mkdir("/var/spool/cron", 0755);
  mkdir(CRONTABS, 0755);
  if (write_whole(path, text, len, 0400) < 0) {
    fprintf(stderr, "crontab: can't create your crontab file in the crontab directory.\n");
    return 1;
  }
  notify_cron(user);
  return 0;
}
