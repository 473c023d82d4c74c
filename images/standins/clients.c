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
    if (strcmp(argv[i], "-c") == 0) return signal_pidfile("inetd", daemon_pidfile("inetd"), SIGHUP);
    if (strcmp(argv[i], "-k") == 0) return signal_pidfile("inetd", daemon_pidfile("inetd"), SIGTERM);
  }
  return 2;
}

int swagentd_client_main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "-k") == 0) return signal_pidfile("swagentd", daemon_pidfile("swagentd"), SIGTERM);
    if (strcmp(argv[i], "-r") == 0) return signal_pidfile("swagentd", daemon_pidfile("swagentd"), SIGHUP);
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
