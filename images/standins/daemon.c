/*
 * The daemons of the booted system: syslogd, inetd, swagentd, comsec,
 * vxconfigd, tftpd, cron. Each blocks every signal and reads them from a
 * signalfd, so it records every signal it gets with the sender's pid, and
 * records every request it serves with the peer's pid. comsec also holds a
 * System V message queue: each message is a request, and its removal is
 * witnessed as it happens (a thread waits in msgrcv, which fails with EIDRM
 * the moment the queue goes).
 */
#define _GNU_SOURCE
#include "standin.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

enum kind { K_NONE, K_TCP, K_UDP, K_UNIX_STREAM_ABSTRACT, K_UNIX_DGRAM };

struct daemon_def {
  const char *name;
  enum kind kind;
  int port;          /* K_TCP, K_UDP */
  const char *path;  /* K_UNIX_* */
  key_t msg_key;     /* a System V message queue it holds; 0: none */
  const char *pidfile;
  const char *fg_flag; /* the option that keeps it in the foreground */
};

/*
 * Pid files at the names HP-UX uses where its manual gives one (syslogd(1M):
 * /var/run/syslog.pid); the others document none, and keep /var/run/NAME.pid
 * (images/README.md). The foreground options are the real ones where they
 * exist (swagentd -n, vxconfigd -f); every other option is accepted and
 * ignored, so an init script may pass the real daemon's options.
 */
static const struct daemon_def DAEMONS[] = {
    {"syslogd", K_UNIX_DGRAM, 0, SYSLOG_SOCKET, 0, "/var/run/syslog.pid", "-F"},
    {"inetd", K_TCP, INETD_PORT, NULL, 0, "/var/run/inetd.pid", "-F"},
    {"swagentd", K_TCP, SWAGENTD_PORT, NULL, 0, "/var/run/swagentd.pid", "-n"},
    {"comsec", K_NONE, 0, NULL, COMSEC_MSG_KEY, "/var/run/comsec.pid", "-f"},
    {"vxconfigd", K_UNIX_STREAM_ABSTRACT, 0, VXCONFIGD_SOCKET, 0, "/var/run/vxconfigd.pid", "-f"},
    {"tftpd", K_UDP, TFTPD_PORT, NULL, 0, "/var/run/tftpd.pid", "-f"},
    {"cron", K_NONE, 0, NULL, 0, "/var/run/cron.pid", "-f"},
};

const char *daemon_pidfile(const char *name) {
  for (size_t i = 0; i < sizeof DAEMONS / sizeof DAEMONS[0]; i++)
    if (strcmp(DAEMONS[i].name, name) == 0) return DAEMONS[i].pidfile;
  return NULL;
}

static const struct daemon_def *find_def(const char *name) {
  for (size_t i = 0; i < sizeof DAEMONS / sizeof DAEMONS[0]; i++)
    if (strcmp(DAEMONS[i].name, name) == 0) return &DAEMONS[i];
  return NULL;
}

int is_daemon_name(const char *name) { return find_def(name) != NULL; }

/*
 * A stand-in for a product's daemon whose program cannot run in the sandbox
 * (an HP-UX binary): run-session puts this program at the binary's path in
 * the booted tree and names the daemon's pid file in PRODUCT_DAEMONS/NAME.
 * It serves nothing; it records every signal like the others, and a second
 * copy started while the first runs (an init script and configure both
 * start it) exits 0, as a daemon that finds itself running does.
 */
#define PRODUCT_DAEMONS "/usr/lib/drdsafe/standin-daemons"

static struct daemon_def g_product;
static char g_product_pidfile[256];

int product_daemon_pidfile(const char *name, char *out, size_t cap) {
  char path[512];
  snprintf(path, sizeof path, PRODUCT_DAEMONS "/%s", name);
  char *text = read_whole(path, NULL);
  if (!text) return 0;
  size_t n = strcspn(text, "\n");
  text[n] = '\0';
  snprintf(out, cap, "%s", text);
  free(text);
  return out[0] == '/';
}

static int already_running(const char *name, const char *pidfile) {
  int pid = read_pidfile(pidfile);
  if (pid <= 0 || pid == getpid() || kill(pid, 0) != 0) return 0;
  char path[64], comm[64] = "";
  snprintf(path, sizeof path, "/proc/%d/comm", pid);
  FILE *f = fopen(path, "re");
  if (!f) return 0;
  if (fgets(comm, sizeof comm, f)) comm[strcspn(comm, "\n")] = '\0';
  fclose(f);
  return strncmp(comm, name, 15) == 0;
}

static int run_daemon(const struct daemon_def *def, int argc, char **argv);

int product_daemon_main(const char *name, const char *pidfile, int argc, char **argv) {
  snprintf(g_product_pidfile, sizeof g_product_pidfile, "%s", pidfile);
  if (already_running(name, g_product_pidfile)) return 0;
  g_product = (struct daemon_def){name, K_NONE, 0, NULL, 0, g_product_pidfile, "-f"};
  return run_daemon(&g_product, argc, argv);
}

static const struct daemon_def *g_def;
static char g_pidfile[128];
static char g_endpoint[128];

static void endpoint_string(const struct daemon_def *d, char *out, size_t cap) {
  switch (d->kind) {
    case K_TCP: snprintf(out, cap, "tcp:127.0.0.1:%d", d->port); break;
    case K_UDP: snprintf(out, cap, "udp:127.0.0.1:%d", d->port); break;
    case K_UNIX_STREAM_ABSTRACT: snprintf(out, cap, "unix:@%s", d->path); break;
    case K_UNIX_DGRAM: snprintf(out, cap, "unix:%s", d->path); break;
    default: out[0] = '\0';
  }
}

static int open_endpoint(const struct daemon_def *d) {
  int fd = -1, one = 1;
  switch (d->kind) {
    case K_NONE: return -1;
    case K_TCP:
    case K_UDP: {
      fd = socket(AF_INET, (d->kind == K_TCP ? SOCK_STREAM : SOCK_DGRAM) | SOCK_CLOEXEC, 0);
      if (fd < 0) break;
      setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
      struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((unsigned short)d->port)};
      sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) goto fail;
      if (d->kind == K_TCP && listen(fd, 16) < 0) goto fail;
      return fd;
    }
    case K_UNIX_STREAM_ABSTRACT: {
      fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
      if (fd < 0) break;
      struct sockaddr_un un;
      size_t len;
      unix_abstract_addr(&un, d->path, &len);
      if (bind(fd, (struct sockaddr *)&un, (socklen_t)len) < 0) goto fail;
      if (listen(fd, 16) < 0) goto fail;
      return fd;
    }
    case K_UNIX_DGRAM: {
      fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
      if (fd < 0) break;
      struct sockaddr_un un = {.sun_family = AF_UNIX};
      snprintf(un.sun_path, sizeof un.sun_path, "%s", d->path);
      unlink(d->path); /* a stale node from an earlier run */
      if (bind(fd, (struct sockaddr *)&un, sizeof un) < 0) goto fail;
      chmod(d->path, 0666);
      setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof one);
      return fd;
    }
  }
  return -1;
fail: {
  int e = errno;
  close(fd);
  errno = e;
  return -1;
}
}

static int g_msqid = -1;
static char g_msg_endpoint[32];

/* Messages to the daemon's queue are requests; the queue removed under it is its own witness line. */
static void *serve_queue(void *arg) {
  (void)arg;
  struct {
    long mtype;
    char mtext[512];
  } m;
  for (;;) {
    ssize_t n = msgrcv(g_msqid, &m, sizeof m.mtext, 0, MSG_NOERROR);
    char extra[1024] = "";
    json_add_str(extra, sizeof extra, "endpoint", g_msg_endpoint, strlen(g_msg_endpoint));
    if (n >= 0) {
      struct msqid_ds ds;
      if (msgctl(g_msqid, IPC_STAT, &ds) == 0) json_add_int(extra, sizeof extra, "peerPid", (long long)ds.msg_lspid);
      json_add_str(extra, sizeof extra, "data", m.mtext, (size_t)n);
      witness_event("request", extra);
      continue;
    }
    if (errno == EINTR) continue;
    witness_event("ipc-removed", extra);
    return NULL;
  }
}

static void daemon_exit(const char *why, int code) {
  char extra[256] = "";
  json_add_str(extra, sizeof extra, "reason", why, strlen(why));
  witness_event("exit", extra);
  unlink(g_pidfile);
  _exit(code);
}

static size_t trim(char *buf, size_t n) {
  while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == '\0')) n--;
  buf[n] = '\0';
  return n;
}

static void log_request(int peer_pid, const char *peer_addr, long long peer_uid, const char *data, size_t len) {
  char extra[2048] = "";
  json_add_str(extra, sizeof extra, "endpoint", g_endpoint, strlen(g_endpoint));
  if (peer_pid >= 0) json_add_int(extra, sizeof extra, "peerPid", peer_pid);
  if (peer_uid >= 0) json_add_int(extra, sizeof extra, "peerUid", peer_uid);
  if (peer_addr) json_add_str(extra, sizeof extra, "peerAddr", peer_addr, strlen(peer_addr));
  json_add_str(extra, sizeof extra, "data", data, len > 512 ? 512 : len);
  witness_event("request", extra);
}

/* The reply to a request, and whether the daemon stops after sending it. */
static const char *reply_for(const char *req, int *stop) {
  *stop = 0;
  if (strcmp(g_def->name, "vxconfigd") == 0) {
    if (strcmp(req, "stop") == 0) {
      *stop = 1;
      return "ok stopping\n";
    }
    if (strcmp(req, "mode") == 0) return "mode: enabled\n";
    if (strcmp(req, "bootdg") == 0) return "vg00\n";
    if (strcmp(req, "enable") == 0) return "ok\n";
    return "error unknown request\n";
  }
  if (strcmp(g_def->name, "tftpd") == 0) return "ok\n";
  return "ok\n";
}

static ssize_t read_request(int fd, char *buf, size_t cap) {
  struct timeval tv = {.tv_sec = 0, .tv_usec = 500000};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  size_t n = 0;
  while (n + 1 < cap) {
    ssize_t r = read(fd, buf + n, cap - 1 - n);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    n += (size_t)r;
    if (memchr(buf, '\n', n)) break;
  }
  buf[n] = '\0';
  return (ssize_t)n;
}

static void serve_stream(int lfd) {
  int c = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
  if (c < 0) return;
  int peer_pid = -1;
  long long peer_uid = -1;
  char addr[64] = "";
  if (g_def->kind == K_UNIX_STREAM_ABSTRACT) {
    struct ucred cr;
    socklen_t l = sizeof cr;
    /* The kernel gives the peer's pid as seen from our PID namespace. */
    if (getsockopt(c, SOL_SOCKET, SO_PEERCRED, &cr, &l) == 0) {
      peer_pid = cr.pid;
      peer_uid = cr.uid;
    }
  } else {
    struct sockaddr_in sa;
    socklen_t l = sizeof sa;
    if (getpeername(c, (struct sockaddr *)&sa, &l) == 0) {
      snprintf(addr, sizeof addr, "%s:%d", inet_ntoa(sa.sin_addr), ntohs(sa.sin_port));
      peer_pid = inet_peer_pid("tcp", sa.sin_addr.s_addr, ntohs(sa.sin_port));
    }
  }
  char buf[1024];
  ssize_t n = read_request(c, buf, sizeof buf);
  size_t len = trim(buf, n > 0 ? (size_t)n : 0);
  log_request(peer_pid, addr[0] ? addr : NULL, peer_uid, buf, len);
  int stop;
  const char *rep = reply_for(buf, &stop);
  ssize_t w = write(c, rep, strlen(rep));
  (void)w;
  close(c);
  if (stop) daemon_exit("stop request", 0);
}

static void serve_udp(int fd) {
  char buf[1024];
  struct sockaddr_in sa;
  socklen_t l = sizeof sa;
  ssize_t n = recvfrom(fd, buf, sizeof buf - 1, MSG_DONTWAIT, (struct sockaddr *)&sa, &l);
  if (n < 0) return;
  size_t len = trim(buf, (size_t)n);
  char addr[64];
  snprintf(addr, sizeof addr, "%s:%d", inet_ntoa(sa.sin_addr), ntohs(sa.sin_port));
  int peer_pid = inet_peer_pid("udp", sa.sin_addr.s_addr, ntohs(sa.sin_port));
  log_request(peer_pid, addr, -1, buf, len);
  int stop;
  const char *rep = reply_for(buf, &stop);
  sendto(fd, rep, strlen(rep), MSG_DONTWAIT, (struct sockaddr *)&sa, l);
}

static void serve_syslog(int fd) {
  char buf[2048];
  char cbuf[CMSG_SPACE(sizeof(struct ucred))];
  struct iovec iov = {.iov_base = buf, .iov_len = sizeof buf - 1};
  struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf};
  ssize_t n = recvmsg(fd, &msg, MSG_DONTWAIT);
  if (n < 0) return;
  size_t len = trim(buf, (size_t)n);
  int peer_pid = -1;
  long long peer_uid = -1;
  for (struct cmsghdr *cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm)) {
    if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_CREDENTIALS) {
      struct ucred cr;
      memcpy(&cr, CMSG_DATA(cm), sizeof cr);
      peer_pid = cr.pid;
      peer_uid = cr.uid;
    }
  }
  log_request(peer_pid, NULL, peer_uid, buf, len);
  /* Like syslogd: the message lands in the booted system's log. */
  int lf = open("/var/adm/syslog/syslog.log", O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (lf >= 0) {
    char line[2200];
    int m = snprintf(line, sizeof line, "%.*s\n", (int)len, buf);
    ssize_t w = write(lf, line, (size_t)(m < (int)sizeof line ? m : (int)sizeof line - 1));
    (void)w;
    close(lf);
  }
}

static void reconfigure(void) {
  char extra[256] = "";
  if (strcmp(g_def->name, "inetd") == 0) {
    /* inetd re-reads /etc/inetd.conf: count its services. */
    FILE *f = fopen("/etc/inetd.conf", "re");
    int services = 0;
    char line[512];
    while (f && fgets(line, sizeof line, f))
      if (line[0] != '#' && line[0] != '\n') services++;
    if (f) fclose(f);
    json_add_int(extra, sizeof extra, "services", services);
  }
  witness_event("reconfigure", extra);
}

int daemon_main(const char *name, int argc, char **argv) { return run_daemon(find_def(name), argc, argv); }

static int run_daemon(const struct daemon_def *def, int argc, char **argv) {
  const char *name = def->name;
  g_def = def;
  int foreground = 0;
  for (int i = 1; i < argc; i++)
    if (strcmp(argv[i], g_def->fg_flag) == 0) foreground = 1;
  snprintf(g_pidfile, sizeof g_pidfile, "%s", g_def->pidfile);
  endpoint_string(g_def, g_endpoint, sizeof g_endpoint);

  /* Blocked before anything else: no signal may hit a default action. */
  int sfd = block_all_signals();
  if (sfd < 0) die(name, "signalfd: %s", strerror(errno));
  int lfd = -1;
  if (g_def->kind != K_NONE) {
    lfd = open_endpoint(g_def);
    if (lfd < 0) die(name, "cannot serve %s: %s", g_endpoint, strerror(errno));
  }

  int ready[2] = {-1, -1};
  if (!foreground) {
    if (pipe2(ready, O_CLOEXEC) < 0) die(name, "pipe: %s", strerror(errno));
    pid_t p = fork();
    if (p < 0) die(name, "fork: %s", strerror(errno));
    if (p > 0) {
      close(ready[1]);
      char c = 0;
      ssize_t r;
      do r = read(ready[0], &c, 1);
      while (r < 0 && errno == EINTR);
      _exit(r == 1 && c == 'r' ? 0 : 1);
    }
    close(ready[0]);
    setsid();
    int devnull = open("/dev/null", O_RDWR);
    if (devnull >= 0) {
      dup2(devnull, 0);
      dup2(devnull, 1);
      dup2(devnull, 2);
      if (devnull > 2) close(devnull);
    }
  }
  if (chdir("/") < 0) die(name, "chdir /: %s", strerror(errno));
  if (g_def->msg_key != 0) {
    /* Made before the pid file: run-phase finds it in /proc/sysvipc/msg once the daemon is up. */
    g_msqid = msgget(g_def->msg_key, IPC_CREAT | 0600);
    if (g_msqid < 0) die(name, "msgget: %s", strerror(errno));
    snprintf(g_msg_endpoint, sizeof g_msg_endpoint, "msg:0x%08x", (unsigned)g_def->msg_key);
  }
  witness_open(name);
  if (g_msqid >= 0) {
    pthread_t t;
    if (pthread_create(&t, NULL, serve_queue, NULL) != 0) die(name, "cannot serve its message queue");
  }
  if (fcntl(WITNESS_FD, F_GETFD) != -1) fcntl(WITNESS_FD, F_SETFD, FD_CLOEXEC);
  if (write_pidfile(g_pidfile) < 0) die(name, "cannot write %s: %s", g_pidfile, strerror(errno));
  char extra[512] = "";
  json_add_int(extra, sizeof extra, "ppid", getppid());
  if (g_endpoint[0]) json_add_str(extra, sizeof extra, "endpoint", g_endpoint, strlen(g_endpoint));
  witness_event("start", extra);
  if (!foreground) {
    ssize_t w = write(ready[1], "r", 1);
    (void)w;
    close(ready[1]);
  }

  struct pollfd pfd[2] = {{.fd = sfd, .events = POLLIN}, {.fd = lfd, .events = POLLIN}};
  int nfds = lfd >= 0 ? 2 : 1;
  for (;;) {
    int r = poll(pfd, (nfds_t)nfds, -1);
    if (r < 0) {
      if (errno == EINTR) continue;
      daemon_exit("poll failed", 1);
    }
    if (pfd[0].revents & POLLIN) {
      struct signalfd_siginfo si;
      if (read(sfd, &si, sizeof si) == (ssize_t)sizeof si) {
        witness_signal(&si);
        switch (si.ssi_signo) {
          case SIGTERM:
          case SIGINT:
          case SIGQUIT: daemon_exit(signal_name((int)si.ssi_signo), 0); break;
          case SIGHUP: reconfigure(); break;
          default: break;
        }
      }
    }
    if (nfds > 1 && (pfd[1].revents & POLLIN)) {
      switch (g_def->kind) {
        case K_TCP:
        case K_UNIX_STREAM_ABSTRACT: serve_stream(lfd); break;
        case K_UDP: serve_udp(lfd); break;
        case K_UNIX_DGRAM: serve_syslog(lfd); break;
        default: break;
      }
    }
  }
}
