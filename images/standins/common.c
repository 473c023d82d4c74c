/* Shared helpers: the witness log, signal names, pid files, peer lookup. */
#define _GNU_SOURCE
#include "standin.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static const char *g_daemon = "?";
static int g_witness = -1;

static const char *const SIGNAMES[] = {
    [SIGHUP] = "SIGHUP",   [SIGINT] = "SIGINT",       [SIGQUIT] = "SIGQUIT", [SIGILL] = "SIGILL",
    [SIGTRAP] = "SIGTRAP", [SIGABRT] = "SIGABRT",     [SIGBUS] = "SIGBUS",   [SIGFPE] = "SIGFPE",
    [SIGKILL] = "SIGKILL", [SIGUSR1] = "SIGUSR1",     [SIGSEGV] = "SIGSEGV", [SIGUSR2] = "SIGUSR2",
    [SIGPIPE] = "SIGPIPE", [SIGALRM] = "SIGALRM",     [SIGTERM] = "SIGTERM", [SIGSTKFLT] = "SIGSTKFLT",
    [SIGCHLD] = "SIGCHLD", [SIGCONT] = "SIGCONT",     [SIGSTOP] = "SIGSTOP", [SIGTSTP] = "SIGTSTP",
    [SIGTTIN] = "SIGTTIN", [SIGTTOU] = "SIGTTOU",     [SIGURG] = "SIGURG",   [SIGXCPU] = "SIGXCPU",
    [SIGXFSZ] = "SIGXFSZ", [SIGVTALRM] = "SIGVTALRM", [SIGPROF] = "SIGPROF", [SIGWINCH] = "SIGWINCH",
    [SIGIO] = "SIGIO",     [SIGPWR] = "SIGPWR",       [SIGSYS] = "SIGSYS",
};

const char *signal_name(int sig) {
  static char buf[16];
  if (sig > 0 && sig < (int)(sizeof SIGNAMES / sizeof SIGNAMES[0]) && SIGNAMES[sig]) return SIGNAMES[sig];
  if (sig >= SIGRTMIN && sig <= SIGRTMAX) {
    snprintf(buf, sizeof buf, "SIGRTMIN+%d", sig - SIGRTMIN);
    return buf;
  }
  snprintf(buf, sizeof buf, "SIG%d", sig);
  return buf;
}

int signal_number(const char *name) {
  if (!name || !*name) return -1;
  char *end;
  long n = strtol(name, &end, 10);
  if (*end == '\0') return n >= 0 && n < 65 ? (int)n : -1;
  const char *bare = strncmp(name, "SIG", 3) == 0 ? name + 3 : name;
  for (int i = 1; i < (int)(sizeof SIGNAMES / sizeof SIGNAMES[0]); i++)
    if (SIGNAMES[i] && strcmp(SIGNAMES[i] + 3, bare) == 0) return i;
  return -1;
}

const char *base_name(const char *path) {
  const char *s = strrchr(path, '/');
  return s ? s + 1 : path;
}

void die(const char *prog, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "%s: ", prog);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  exit(1);
}

void witness_open(const char *daemon) {
  g_daemon = daemon;
  g_witness = fcntl(WITNESS_FD, F_GETFD) == -1 ? -1 : WITNESS_FD;
}

void json_add_str(char *buf, size_t cap, const char *key, const char *val, size_t len) {
  size_t n = strlen(buf);
  if (n + strlen(key) + 8 >= cap) return;
  n += (size_t)snprintf(buf + n, cap - n, ",\"%s\":\"", key);
  for (size_t i = 0; i < len && n + 8 < cap; i++) {
    unsigned char c = (unsigned char)val[i];
    if (c == '"' || c == '\\') {
      buf[n++] = '\\';
      buf[n++] = (char)c;
    } else if (c == '\n') {
      buf[n++] = '\\';
      buf[n++] = 'n';
    } else if (c < 0x20 || c >= 0x7f) {
      /* Keep the line valid JSON whatever the bytes are. */
      n += (size_t)snprintf(buf + n, cap - n, "\\u%04x", c);
    } else {
      buf[n++] = (char)c;
    }
  }
  if (n + 2 < cap) buf[n++] = '"';
  buf[n] = '\0';
}

void json_add_int(char *buf, size_t cap, const char *key, long long val) {
  size_t n = strlen(buf);
  if (n < cap) snprintf(buf + n, cap - n, ",\"%s\":%lld", key, val);
}

void witness_event(const char *event, const char *extra_json) {
  if (g_witness < 0) return;
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  char line[4096];
  int n = snprintf(line, sizeof line - 2, "{\"t\":%lld.%06ld,\"daemon\":\"%s\",\"pid\":%d,\"event\":\"%s\"%s}",
                   (long long)ts.tv_sec, ts.tv_nsec / 1000, g_daemon, (int)getpid(), event, extra_json);
  if (n < 0) return;
  if (n > (int)sizeof line - 2) n = (int)sizeof line - 2;
  line[n++] = '\n';
  /* One write per line: O_APPEND keeps concurrent writers' lines whole. */
  ssize_t w;
  do w = write(g_witness, line, (size_t)n);
  while (w < 0 && errno == EINTR);
}

static const char *si_code_name(int sig, int code) {
  switch (code) {
    case SI_USER: return "user";
    case SI_QUEUE: return "queue";
    case SI_TKILL: return "tkill";
    case SI_KERNEL: return "kernel";
    case SI_TIMER: return "timer";
    case SI_MESGQ: return "mesgq";
    case SI_ASYNCIO: return "asyncio";
    case SI_SIGIO: return "sigio";
  }
  if (sig == SIGCHLD) return "child";
  return "other";
}

static void read_comm(int pid, char *out, size_t cap) {
  char path[64];
  out[0] = '\0';
  snprintf(path, sizeof path, "/proc/%d/comm", pid);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  ssize_t r = read(fd, out, cap - 1);
  close(fd);
  if (r <= 0) return;
  out[r] = '\0';
  char *nl = strchr(out, '\n');
  if (nl) *nl = '\0';
}

void witness_signal(const struct signalfd_siginfo *si) {
  char extra[1024] = "";
  int sig = (int)si->ssi_signo;
  int code = si->ssi_code;
  json_add_str(extra, sizeof extra, "signal", signal_name(sig), strlen(signal_name(sig)));
  json_add_int(extra, sizeof extra, "signo", sig);
  const char *cn = si_code_name(sig, code);
  json_add_str(extra, sizeof extra, "code", cn, strlen(cn));
  if (code == SI_USER || code == SI_QUEUE || code == SI_TKILL) {
    /* si_pid is 0 when the sender is outside our PID namespace. */
    json_add_int(extra, sizeof extra, "senderPid", (long long)si->ssi_pid);
    json_add_int(extra, sizeof extra, "senderUid", (long long)si->ssi_uid);
    char comm[64];
    if (si->ssi_pid > 0) {
      read_comm((int)si->ssi_pid, comm, sizeof comm);
      if (comm[0]) json_add_str(extra, sizeof extra, "senderComm", comm, strlen(comm));
    }
  }
  witness_event("signal", extra);
}

int read_pidfile(const char *path) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  char buf[32];
  ssize_t r = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (r <= 0) return -1;
  buf[r] = '\0';
  int pid = atoi(buf);
  return pid > 0 ? pid : -1;
}

int write_pidfile(const char *path) {
  char tmp[256], buf[32];
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return -1;
  int n = snprintf(buf, sizeof buf, "%d\n", (int)getpid());
  if (write(fd, buf, (size_t)n) != n) {
    close(fd);
    return -1;
  }
  close(fd);
  /* rename: readers never see a half-written pid file. */
  return rename(tmp, path);
}

static unsigned long socket_inode(const char *proto, unsigned int addr_be, unsigned short port) {
  char path[32];
  snprintf(path, sizeof path, "/proc/net/%s", proto);
  FILE *f = fopen(path, "re");
  if (!f) return 0;
  char line[512];
  unsigned long inode = 0;
  if (!fgets(line, sizeof line, f)) {
    fclose(f);
    return 0;
  }
  while (fgets(line, sizeof line, f)) {
    unsigned int laddr, lport, raddr, rport, st;
    unsigned long ino;
    /*  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode */
    if (sscanf(line, " %*d: %8X:%4X %8X:%4X %2X %*s %*s %*s %*s %*s %lu", &laddr, &lport, &raddr, &rport, &st,
               &ino) != 6)
      continue;
    /* /proc/net shows the address in host byte order of the u32 as stored (network order bytes). */
    /* A UDP client that never bound shows its local address as 0.0.0.0. */
    if ((laddr == addr_be || laddr == 0) && lport == port) {
      inode = ino;
      break;
    }
  }
  fclose(f);
  return inode;
}

int inet_peer_pid(const char *proto, unsigned int addr_be, unsigned short port) {
  unsigned long inode = socket_inode(proto, addr_be, port);
  if (inode == 0) return -1;
  char want[64];
  snprintf(want, sizeof want, "socket:[%lu]", inode);
  DIR *proc = opendir("/proc");
  if (!proc) return -1;
  int found = -1;
  int self = (int)getpid();
  struct dirent *de;
  while (found < 0 && (de = readdir(proc))) {
    int pid = atoi(de->d_name);
    if (pid <= 0 || pid == self) continue;
    char fddir[64];
    snprintf(fddir, sizeof fddir, "/proc/%d/fd", pid);
    DIR *fds = opendir(fddir);
    if (!fds) continue;
    struct dirent *fe;
    while ((fe = readdir(fds))) {
      if (fe->d_name[0] == '.') continue;
      char link[320], target[64];
      snprintf(link, sizeof link, "%s/%s", fddir, fe->d_name);
      ssize_t r = readlink(link, target, sizeof target - 1);
      if (r <= 0) continue;
      target[r] = '\0';
      if (strcmp(target, want) == 0) {
        found = pid;
        break;
      }
    }
    closedir(fds);
  }
  closedir(proc);
  return found;
}

int block_all_signals(void) {
  sigset_t all;
  sigfillset(&all);
  sigprocmask(SIG_BLOCK, &all, NULL);
  return signalfd(-1, &all, SFD_CLOEXEC);
}

int unix_abstract_addr(void *sa, const char *name, size_t *len) {
  struct sockaddr_un *un = sa;
  memset(un, 0, sizeof *un);
  un->sun_family = AF_UNIX;
  size_t n = strlen(name);
  if (n + 1 > sizeof un->sun_path) return -1;
  memcpy(un->sun_path + 1, name, n);
  *len = offsetof(struct sockaddr_un, sun_path) + 1 + n;
  return 0;
}

char *read_whole(const char *path, size_t *len) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return NULL;
  size_t cap = 4096, n = 0;
  char *buf = malloc(cap + 1);
  for (;;) {
    if (!buf) break;
    if (n == cap) {
      char *bigger = realloc(buf, cap * 2 + 1);
      if (!bigger) {
        free(buf);
        buf = NULL;
        break;
      }
      buf = bigger;
      cap *= 2;
    }
    ssize_t r = read(fd, buf + n, cap - n);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) {
      free(buf);
      buf = NULL;
      break;
    }
    if (r == 0) break;
    n += (size_t)r;
  }
  close(fd);
  if (!buf) return NULL;
  buf[n] = '\0';
  if (len) *len = n;
  return buf;
}

int write_whole(const char *path, const char *data, size_t len, mode_t mode) {
  char tmp[4200];
  snprintf(tmp, sizeof tmp, "%s.%d.new", path, (int)getpid());
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return -1;
  size_t off = 0;
  while (off < len) {
    ssize_t w = write(fd, data + off, len - off);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      int e = errno;
      close(fd);
      unlink(tmp);
      errno = e;
      return -1;
    }
    off += (size_t)w;
  }
  struct stat st;
  /* An edited file keeps its mode and owner. */
  if (stat(path, &st) == 0) {
    fchmod(fd, st.st_mode & 07777);
    if (fchown(fd, st.st_uid, st.st_gid) < 0) { /* not ours to keep */ }
  }
  if (close(fd) < 0 || rename(tmp, path) < 0) {
    int e = errno;
    unlink(tmp);
    errno = e;
    return -1;
  }
  return 0;
}

/* Field `field` (0-based, ':'-separated) of the /etc/passwd or /etc/group line whose field `key_field` is key. */
static int colon_db_lookup(const char *db, int key_field, const char *key, int field, char *out, size_t cap) {
  FILE *f = fopen(db, "re");
  if (!f) return -1;
  char line[1024];
  int found = -1;
  while (found < 0 && fgets(line, sizeof line, f)) {
    line[strcspn(line, "\n")] = '\0';
    char *fields[8] = {0};
    int nf = 0;
    for (char *p = line; nf < 8;) {
      fields[nf++] = p;
      char *c = strchr(p, ':');
      if (!c) break;
      *c = '\0';
      p = c + 1;
    }
    if (key_field < nf && field < nf && strcmp(fields[key_field], key) == 0) {
      snprintf(out, cap, "%s", fields[field]);
      found = 0;
    }
  }
  fclose(f);
  return found;
}

const char *user_name(unsigned uid, char *out, size_t cap) {
  char key[24];
  snprintf(key, sizeof key, "%u", (unsigned)uid);
  if (colon_db_lookup("/etc/passwd", 2, key, 0, out, cap) < 0) snprintf(out, cap, "%u", (unsigned)uid);
  return out;
}

const char *group_name(unsigned gid, char *out, size_t cap) {
  char key[24];
  snprintf(key, sizeof key, "%u", (unsigned)gid);
  if (colon_db_lookup("/etc/group", 2, key, 0, out, cap) < 0) snprintf(out, cap, "%u", (unsigned)gid);
  return out;
}

const char *node_name(char *out, size_t cap) {
  if (gethostname(out, cap) < 0 || !out[0]) snprintf(out, cap, "%s", "unknown");
  out[cap - 1] = '\0';
  return out;
}
