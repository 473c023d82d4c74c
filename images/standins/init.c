/*
 * init: PID 1 of the booted system's PID namespace. Runs the /etc/inittab
 * entries (sysinit, bootwait, wait in order; once without waiting), reaps
 * every child (orphans included), and records every signal it is sent.
 * "init q" is the client form (clients.c): SIGHUP to pid 1.
 */
#define _GNU_SOURCE
#include "standin.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_ENTRIES 32

struct entry {
  char id[16];
  char action[16];
  char process[400];
};

static struct entry g_entries[MAX_ENTRIES];
static int g_count;

static int read_inittab(void) {
  FILE *f = fopen("/etc/inittab", "re");
  g_count = 0;
  if (!f) {
    /* No inittab: the start sequence alone. */
    snprintf(g_entries[0].id, sizeof g_entries[0].id, "sqnc");
    snprintf(g_entries[0].action, sizeof g_entries[0].action, "wait");
    snprintf(g_entries[0].process, sizeof g_entries[0].process, "/sbin/rc");
    g_count = 1;
    return 0;
  }
  char line[512];
  while (g_count < MAX_ENTRIES && fgets(line, sizeof line, f)) {
    if (line[0] == '#' || line[0] == '\n') continue;
    line[strcspn(line, "\n")] = '\0';
    /* id:rstate:action:process */
    char *id = line, *rstate = strchr(id, ':');
    if (!rstate) continue;
    *rstate++ = '\0';
    char *action = strchr(rstate, ':');
    if (!action) continue;
    *action++ = '\0';
    char *process = strchr(action, ':');
    if (!process) continue;
    *process++ = '\0';
    if (strcmp(action, "initdefault") == 0 || *process == '\0') continue;
    struct entry *e = &g_entries[g_count++];
    snprintf(e->id, sizeof e->id, "%s", id);
    snprintf(e->action, sizeof e->action, "%s", action);
    snprintf(e->process, sizeof e->process, "%s", process);
  }
  fclose(f);
  return g_count;
}

static pid_t run_entry(const struct entry *e) {
  pid_t p = fork();
  if (p == 0) {
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    setsid();
    execl("/sbin/sh", "sh", "-c", e->process, (char *)NULL);
    _exit(127);
  }
  return p;
}

static int is_sequential(const char *action) {
  return strcmp(action, "sysinit") == 0 || strcmp(action, "bootwait") == 0 || strcmp(action, "wait") == 0;
}

int init_main(int argc, char **argv) {
  (void)argc;
  (void)argv;
  int sfd = block_all_signals();
  if (sfd < 0) die("init", "signalfd: %s", strerror(errno));
  witness_open("init");
  if (chdir("/") < 0) die("init", "chdir /: %s", strerror(errno));
  witness_event("start", "");
  read_inittab();

  int next = 0;
  pid_t waiting = -1;
  int booted = 0;
  for (;;) {
    /* Start entries until one must be waited for. */
    while (waiting < 0 && next < g_count) {
      const struct entry *e = &g_entries[next++];
      pid_t p = run_entry(e);
      if (p > 0 && is_sequential(e->action)) waiting = p;
    }
    if (waiting < 0 && !booted) {
      booted = 1;
      witness_event("booted", "");
    }
    struct pollfd pfd = {.fd = sfd, .events = POLLIN};
    if (poll(&pfd, 1, -1) < 0) continue;
    struct signalfd_siginfo si;
    if (read(sfd, &si, sizeof si) != (ssize_t)sizeof si) continue;
    int sig = (int)si.ssi_signo;
    if (sig != SIGCHLD || si.ssi_code == SI_USER || si.ssi_code == SI_QUEUE || si.ssi_code == SI_TKILL)
      witness_signal(&si);
    if (sig == SIGCHLD) {
      int status;
      pid_t p;
      while ((p = waitpid(-1, &status, WNOHANG)) > 0) {
        char extra[256] = "";
        json_add_int(extra, sizeof extra, "childPid", p);
        if (WIFEXITED(status))
          json_add_int(extra, sizeof extra, "exitCode", WEXITSTATUS(status));
        else if (WIFSIGNALED(status))
          json_add_str(extra, sizeof extra, "signal", signal_name(WTERMSIG(status)),
                       strlen(signal_name(WTERMSIG(status))));
        witness_event("reap", extra);
        if (p == waiting) waiting = -1;
      }
    } else if (sig == SIGHUP) {
      /* init q: re-examine inittab. */
      char extra[64] = "";
      json_add_int(extra, sizeof extra, "entries", read_inittab());
      witness_event("reconfigure", extra);
      if (next > g_count) next = g_count;
    }
  }
}
