/*
 * Client commands of the stand-ins. The ones that talk to a daemon do what
 * the real command does on HP-UX (a request over the daemon's socket, or a
 * signal to the pid in its pid file), so from the runcmd jail they reach the
 * booted system's daemons exactly as the DRD paper warns.
 */
#define _GNU_SOURCE
#include "standin.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

/* One request/reply over @vxconfigd. Returns 0 and fills reply, or -1. */
static int vx_request(const char *req, char *reply, size_t cap) {
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  struct sockaddr_un un;
  size_t len;
  unix_abstract_addr(&un, VXCONFIGD_SOCKET, &len);
  if (connect(fd, (struct sockaddr *)&un, (socklen_t)len) < 0) {
    close(fd);
    return -1;
  }
  char line[256];
  int n = snprintf(line, sizeof line, "%s\n", req);
  if (write(fd, line, (size_t)n) != n) {
    close(fd);
    return -1;
  }
  struct timeval tv = {.tv_sec = 2};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ssize_t r = read(fd, reply, cap - 1);
  close(fd);
  if (r < 0) return -1;
  reply[r] = '\0';
  return 0;
}

int vxdctl_main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "VxVM vxdctl ERROR V-5-1-1 Usage: vxdctl mode | enable | stop\n");
    return 1;
  }
  const char *cmd = argv[1];
  if (strcmp(cmd, "stop") && strcmp(cmd, "mode") && strcmp(cmd, "enable")) {
    fprintf(stderr, "VxVM vxdctl ERROR V-5-1-1 Unknown operation: %s\n", cmd);
    return 1;
  }
  char reply[256];
  if (vx_request(cmd, reply, sizeof reply) < 0) {
    if (strcmp(cmd, "mode") == 0) {
      printf("mode: not-running\n");
      return 0;
    }
    fprintf(stderr, "VxVM vxdctl ERROR V-5-1-2 IPC failure: Configuration daemon is not accessible\n");
    return 1;
  }
  if (strcmp(cmd, "mode") == 0) fputs(reply, stdout);
  return 0;
}

int vxdg_main(int argc, char **argv) {
  if (argc < 2 || strcmp(argv[1], "bootdg") != 0) {
    fprintf(stderr, "VxVM vxdg ERROR V-5-1-1 only 'vxdg bootdg' is available\n");
    return 1;
  }
  char reply[256];
  if (vx_request("bootdg", reply, sizeof reply) < 0) {
    fprintf(stderr, "VxVM vxdg ERROR V-5-1-2 IPC failure: Configuration daemon is not accessible\n");
    return 1;
  }
  fputs(reply, stdout);
  return 0;
}

int setup_tftp_main(int argc, char **argv) {
  const char *op = NULL, *dir = NULL;
  int c;
  while ((c = getopt(argc, argv, "a:d:")) != -1) {
    if (c == 'a') op = "add", dir = optarg;
    else if (c == 'd') op = "remove", dir = optarg;
    else op = NULL, dir = NULL, optind = argc;
  }
  if (!op) {
    fprintf(stderr, "usage: setup_tftp -a dirname | -d dirname\n");
    return 1;
  }
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) die("setup_tftp", "socket: %s", strerror(errno));
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(TFTPD_PORT)};
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  char msg[600];
  int n = snprintf(msg, sizeof msg, "%s %s\n", op, dir);
  if (sendto(fd, msg, (size_t)n, 0, (struct sockaddr *)&sa, sizeof sa) < 0)
    die("setup_tftp", "cannot reach tftpd: %s", strerror(errno));
  struct pollfd p = {.fd = fd, .events = POLLIN};
  char reply[128];
  if (poll(&p, 1, 2000) == 1 && recv(fd, reply, sizeof reply - 1, 0) > 0) {
    printf("setup_tftp: %s %s for tftp access\n", strcmp(op, "add") == 0 ? "added" : "removed", dir);
    return 0;
  }
  fprintf(stderr, "setup_tftp: no answer from tftpd\n");
  return 1;
}

static int signal_pidfile(const char *prog, const char *pidfile, int sig) {
  int pid = read_pidfile(pidfile);
  if (pid < 0) {
    fprintf(stderr, "%s: cannot read %s: not running?\n", prog, pidfile);
    return 1;
  }
  if (kill(pid, sig) < 0) {
    fprintf(stderr, "%s: kill %d: %s\n", prog, pid, strerror(errno));
    return 1;
  }
  return 0;
}

int inetd_client_main(int argc, char **argv) {
  /* inetd -c: reconfigure the running inetd; inetd -k: stop it. */
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "-c") == 0) return signal_pidfile("inetd", "/var/run/inetd.pid", SIGHUP);
    if (strcmp(argv[i], "-k") == 0) return signal_pidfile("inetd", "/var/run/inetd.pid", SIGTERM);
  }
  return 2;
}

int swagentd_client_main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "-k") == 0) return signal_pidfile("swagentd", "/var/run/swagentd.pid", SIGTERM);
    if (strcmp(argv[i], "-r") == 0) return signal_pidfile("swagentd", "/var/run/swagentd.pid", SIGHUP);
  }
  return 2;
}

int init_client_main(int argc, char **argv) {
  /* init q (or telinit q): tell init to re-examine inittab. */
  const char *a = argc > 1 ? argv[1] : "";
  if (strcmp(a, "q") == 0 || strcmp(a, "Q") == 0) {
    if (kill(1, SIGHUP) < 0) die("init", "kill 1: %s", strerror(errno));
    return 0;
  }
  if (strlen(a) == 1 && strchr("0123456sS", a[0])) {
    /* A run level change: SIGUSR1 to init carrying the level. */
    union sigval v = {.sival_int = a[0]};
    if (sigqueue(1, SIGUSR1, v) < 0) die("init", "sigqueue 1: %s", strerror(errno));
    return 0;
  }
  fprintf(stderr, "usage: init [0123456SsQq]\n");
  return 1;
}

/* ---- kctune: kernel tunables in /stand/system ---- */

#define SYSTEM_FILE "/stand/system"

static char *slurp(const char *path, size_t *len) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return NULL;
  struct stat st;
  if (fstat(fd, &st) < 0) {
    close(fd);
    return NULL;
  }
  char *buf = malloc((size_t)st.st_size + 1);
  ssize_t r = buf ? read(fd, buf, (size_t)st.st_size) : -1;
  close(fd);
  if (r < 0) {
    free(buf);
    return NULL;
  }
  buf[r] = '\0';
  *len = (size_t)r;
  return buf;
}

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

int kctune_main(int argc, char **argv) {
  size_t len;
  char *sys = slurp(SYSTEM_FILE, &len);
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
  /* Rewrite the file with each name=value replaced or appended. */
  size_t cap = len + 256 * (size_t)argc + 1;
  char *out = malloc(cap);
  if (!out) die("kctune", "out of memory");
  out[0] = '\0';
  size_t o = 0;
  for (char *p = sys; *p;) {
    size_t n = strcspn(p, "\n");
    int replaced = 0;
    for (int i = first; i < argc; i++) {
      char *eq = strchr(argv[i], '=');
      if (!eq) continue;
      size_t nl = (size_t)(eq - argv[i]);
      if (strncmp(p, "tunable ", 8) == 0 && strncmp(p + 8, argv[i], nl) == 0 && p[8 + nl] == ' ') {
        o += (size_t)snprintf(out + o, cap - o, "tunable %.*s %s\n", (int)nl, argv[i], eq + 1);
        argv[i][0] = '\0'; /* done */
        replaced = 1;
        break;
      }
    }
    if (!replaced) o += (size_t)snprintf(out + o, cap - o, "%.*s\n", (int)n, p);
    p += n;
    if (*p == '\n') p++;
  }
  for (int i = first; i < argc; i++) {
    char *eq = strchr(argv[i], '=');
    if (eq) o += (size_t)snprintf(out + o, cap - o, "tunable %.*s %s\n", (int)(eq - argv[i]), argv[i], eq + 1);
  }
  char tmp[64];
  snprintf(tmp, sizeof tmp, "%s.kctune", SYSTEM_FILE);
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0 || write(fd, out, o) != (ssize_t)o || close(fd) < 0 || rename(tmp, SYSTEM_FILE) < 0)
    die("kctune", "ERROR: cannot update %s: %s", SYSTEM_FILE, strerror(errno));
  printf("       * The requested changes have been saved, and will take effect at\n"
         "         next boot.\n");
  return 0;
}

/* ---- lvlnboot -v: boot information from /etc/lvmtab and /etc/fstab ---- */

int lvlnboot_main(int argc, char **argv) {
  int verbose = 0;
  for (int i = 1; i < argc; i++)
    if (strcmp(argv[i], "-v") == 0) verbose = 1;
  FILE *lt = fopen("/etc/lvmtab", "re");
  if (!lt) die("lvlnboot", "Couldn't open the file \"/etc/lvmtab\": %s", strerror(errno));
  char vg[128] = "", pv[128] = "", line[256];
  while (fgets(line, sizeof line, lt)) {
    line[strcspn(line, "\n")] = '\0';
    if (line[0] == '#' || !line[0]) continue;
    if (!vg[0]) snprintf(vg, sizeof vg, "%s", line);
    else if (!pv[0]) snprintf(pv, sizeof pv, "%s", line);
  }
  fclose(lt);
  if (!vg[0]) die("lvlnboot", "no volume group in /etc/lvmtab");
  printf("Boot Definitions for Volume Group %s:\n", vg);
  if (verbose) printf("Physical Volumes belonging in Root Volume Group:\n\t%s -- Boot Disk\n", pv);
  FILE *ft = fopen("/etc/fstab", "re");
  if (!ft) die("lvlnboot", "Couldn't open the file \"/etc/fstab\": %s", strerror(errno));
  size_t vl = strlen(vg);
  while (fgets(line, sizeof line, ft)) {
    char dev[128], dir[128], type[32];
    if (line[0] == '#' || sscanf(line, "%127s %127s %31s", dev, dir, type) != 3) continue;
    if (strncmp(dev, vg, vl) != 0 || dev[vl] != '/') continue;
    const char *what = strcmp(dir, "/") == 0 ? "Root" : strcmp(dir, "/stand") == 0 ? "Boot"
                       : strcmp(type, "swap") == 0                           ? "Swap"
                                                                              : NULL;
    if (what) printf("%s: %s\ton:\t%s\n", what, dev + vl + 1, pv);
  }
  fclose(ft);
  printf("\n");
  return 0;
}

/* ---- swlist: products in the Installed Products Database ---- */

static void ipd_attr(const char *index, const char *key, char *out, size_t cap) {
  out[0] = '\0';
  FILE *f = fopen(index, "re");
  if (!f) return;
  char line[512];
  size_t kl = strlen(key);
  while (fgets(line, sizeof line, f)) {
    if (strncmp(line, key, kl) == 0 && isspace((unsigned char)line[kl])) {
      char *v = line + kl;
      while (isspace((unsigned char)*v)) v++;
      v[strcspn(v, "\n")] = '\0';
      if (*v == '"') {
        v++;
        v[strcspn(v, "\"")] = '\0';
      }
      snprintf(out, cap, "%s", v);
      break;
    }
  }
  fclose(f);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int swlist_main(int argc, char **argv) {
  (void)argc;
  (void)argv;
  const char *ipd = "/var/adm/sw/products";
  DIR *d = opendir(ipd);
  if (!d) die("swlist", "ERROR:   Cannot open the Installed Products Database \"%s\": %s", ipd, strerror(errno));
  char *names[256];
  int n = 0;
  struct dirent *de;
  while (n < 256 && (de = readdir(d)))
    if (de->d_name[0] != '.' && strcmp(de->d_name, "INDEX") != 0) names[n++] = strdup(de->d_name);
  closedir(d);
  qsort(names, (size_t)n, sizeof names[0], cmp_str);
  printf("# Initializing...\n# Contacting target \"localhost\"...\n#\n# Target:  localhost:/\n#\n\n");
  for (int i = 0; i < n; i++) {
    char index[512], rev[64], title[256];
    snprintf(index, sizeof index, "%s/%s/pfiles/INDEX", ipd, names[i]);
    ipd_attr(index, "revision", rev, sizeof rev);
    ipd_attr(index, "title", title, sizeof title);
    if (!rev[0] && !title[0]) continue;
    printf("  %-29s %-14s %s\n", names[i], rev, title);
    free(names[i]);
  }
  return 0;
}

/* ---- reboot and shutdown ---- */

int reboot_main(int argc, char **argv) {
  int halt = 0, nosync = 0, quick = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "-h") == 0) halt = 1;
    else if (strcmp(argv[i], "-n") == 0) nosync = 1;
    else if (strcmp(argv[i], "-q") == 0) quick = 1;
  }
  if (!nosync) sync();
  if (!quick) {
    /* Like the real reboot: terminate every process, then ask the kernel. */
    kill(-1, SIGTERM);
    usleep(200000);
  }
  if (reboot(halt ? RB_HALT_SYSTEM : RB_AUTOBOOT) < 0) {
    fprintf(stderr, "reboot: %s\n", strerror(errno));
    return 1;
  }
  return 0;
}

int shutdown_main(int argc, char **argv) {
  int halt = 0, yes = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "-h") == 0) halt = 1;
    else if (strcmp(argv[i], "-y") == 0) yes = 1;
  }
  printf("SHUTDOWN PROGRAM\n");
  if (!yes) {
    printf("Do you want to continue? (You must respond with 'y' or 'n'.): ");
    fflush(stdout);
    char ans[16] = "";
    if (!fgets(ans, sizeof ans, stdin) || (ans[0] != 'y' && ans[0] != 'Y')) {
      printf("\nshutdown: aborted\n");
      return 1;
    }
  }
  /* The stop sequence (K scripts), then reboot or halt. */
  fflush(NULL);
  pid_t p = fork();
  if (p == 0) {
    execl("/sbin/sh", "sh", "/sbin/rc", "0", (char *)NULL);
    _exit(127);
  }
  int st;
  if (p > 0) waitpid(p, &st, 0);
  fflush(NULL);
  execl("/usr/sbin/reboot", "reboot", halt ? "-h" : "-r", (char *)NULL);
  die("shutdown", "cannot run /usr/sbin/reboot: %s", strerror(errno));
}
