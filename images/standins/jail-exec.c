/*
 * jail-exec [--status-fd N] [--stderr-fd N] ROOT PROGRAM [ARG...]
 *
 * The runcmd jail's last step before the control script: chroot onto ROOT,
 * chdir to its "/", drop every capability a package script has no business
 * with (mount, ptrace, chroot, raw I/O, modules, reboot, clock, open by
 * handle, ...) from the bounding, permitted, effective, inheritable and
 * ambient sets, then exec PROGRAM. The script stays root, so what it
 * attempts (a kill of a booted daemon, a mount, a chroot escape) still
 * reaches the kernel and the trace; only the attempts that would let it
 * leave the sandbox itself, or change the host's kernel, fail with EPERM.
 * It lives outside both trees (/opt/drdsafe/bin), so the jail cannot see it.
 *
 * Under the tracer it starts as the tracer's user (see tracer-exec.c) with
 * the capabilities it passed on, and becomes root first. The script keeps
 * neither CAP_KILL nor CAP_SETUID/CAP_SETGID: it can still signal every root
 * process (the booted daemons, init, its own children), as a sender of the
 * same uid, but not the tracer, which is another user it cannot become.
 *
 * --status-fd N: fork first. The child becomes the jail as above; this
 * process (the keeper) stays the tracer's user, out of the script's reach
 * for the same reason, waits for it and writes how it ended to fd N
 * ("exit CODE" or "signal NUMBER"), then exits the same way. Under strace the
 * script is not run-phase's child, and strace ends only when every process it
 * traces has, leftovers included: the keeper tells run-phase when, and how,
 * the script itself ended.
 *
 * --stderr-fd N: make fd N the standard error (of the keeper and the jail)
 * and close N. Under strace, the script's stderr is then a file of its own
 * while strace's stays another: what strace says about its tracing is never
 * mixed with, or forged by, what the script writes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* What a root control script keeps: file ownership and permissions, binding low ports. */
static const int KEEP[] = {
    CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_FOWNER, CAP_FSETID,
    CAP_NET_BIND_SERVICE, CAP_NET_RAW, CAP_AUDIT_WRITE, CAP_SETFCAP,
};
#define LAST_CAP 63

static int kept(int cap) {
    for (size_t i = 0; i < sizeof KEEP / sizeof KEEP[0]; i++)
        if (KEEP[i] == cap) return 1;
    return 0;
}

static int fail(const char *what, const char *arg) {
    fprintf(stderr, "jail-exec: %s%s%s: %s\n", what, arg ? " " : "", arg ? arg : "", strerror(errno));
    return 127;
}

/* Waits for the jail's process and reports its end on `fd`; returns as it ended. */
static int keep(pid_t child, int fd) {
    /* The keeper needs no privilege of its own. */
    struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct none[2];
    memset(none, 0, sizeof none);
    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
    syscall(SYS_capset, &header, none);

    int status;
    pid_t got;
    do got = waitpid(child, &status, 0); while (got < 0 && errno == EINTR);
    if (got != child) return fail("wait for the jail", NULL);
    char line[32];
    int n = WIFEXITED(status) ? snprintf(line, sizeof line, "exit %d\n", WEXITSTATUS(status))
                              : snprintf(line, sizeof line, "signal %d\n", WTERMSIG(status));
    if (write(fd, line, (size_t)n) != n) return fail("report the jail's end", NULL);
    close(fd);
    if (WIFSIGNALED(status)) {
        signal(WTERMSIG(status), SIG_DFL);
        kill(getpid(), WTERMSIG(status));
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* An fd number given on the command line: open, and above the standard three. */
static int fd_option(const char *option, const char *value) {
    char *end = NULL;
    long fd = strtol(value, &end, 10);
    if (*value == '\0' || *end != '\0' || fd < 3 || fd > 1024 || fcntl((int)fd, F_GETFD) < 0) {
        fprintf(stderr, "jail-exec: %s needs an open file descriptor above 2, got %s\n", option, value);
        return -1;
    }
    return (int)fd;
}

int main(int argc, char **argv) {
    int status_fd = -1;
    int stderr_fd = -1;
    while (argc >= 3 && (strcmp(argv[1], "--status-fd") == 0 || strcmp(argv[1], "--stderr-fd") == 0)) {
        int fd = fd_option(argv[1], argv[2]);
        if (fd < 0) return 2;
        if (strcmp(argv[1], "--status-fd") == 0) status_fd = fd;
        else stderr_fd = fd;
        argv += 2;
        argc -= 2;
    }
    if (argc < 3) {
        fprintf(stderr, "usage: jail-exec [--status-fd N] [--stderr-fd N] ROOT PROGRAM [ARG...]\n");
        return 2;
    }
    if (stderr_fd >= 0) {
        if (dup2(stderr_fd, 2) < 0) return fail("dup2 --stderr-fd", NULL);
        close(stderr_fd);
    }
    if (status_fd >= 0) {
        pid_t child = fork();
        if (child < 0) return fail("fork", NULL);
        if (child > 0) return keep(child, status_fd);
        close(status_fd);
    }
    if (getuid() != 0 || geteuid() != 0) {
        /* Started by the tracer's user: root again, with the capabilities it passed on. */
        if (setgroups(0, NULL) != 0) return fail("clear supplementary groups", NULL);
        if (setresgid(0, 0, 0) != 0) return fail("set group id", NULL);
        if (setresuid(0, 0, 0) != 0) return fail("set user id", NULL);
    }
    /*
     * A process group of its own, as a control script has one of the runcmd
     * environment's: `kill -TERM 0` then reaches the script and what it
     * started, not the tracer and the keeper, which share the session (a
     * session leader, e.g. started without the tracer by setsid, already leads
     * its group and may not make another).
     */
    if (getsid(0) != getpid() && setpgid(0, 0) != 0) return fail("setpgid", NULL);
    if (chroot(argv[1]) != 0) return fail("chroot", argv[1]);
    if (chdir("/") != 0) return fail("chdir", "/");

    uint64_t keep_mask = 0;
    for (int cap = 0; cap <= LAST_CAP; cap++) {
        if (kept(cap)) {
            keep_mask |= (uint64_t)1 << cap;
            continue;
        }
        /* EINVAL: a capability this kernel does not know; nothing to drop. */
        if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno != EINVAL) return fail("drop capability", NULL);
    }
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL) return fail("clear ambient capabilities", NULL);

    struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct data[2];
    if (syscall(SYS_capget, &header, data) != 0) return fail("capget", NULL);
    for (int i = 0; i < 2; i++) {
        uint32_t mask = (uint32_t)(keep_mask >> (32 * i));
        data[i].effective &= mask;
        data[i].permitted &= mask;
        data[i].inheritable = 0;
    }
    if (syscall(SYS_capset, &header, data) != 0) return fail("capset", NULL);
    /*
     * No new privileges: the script may chown a copy of a program to the
     * tracer's uid and set its setuid bit (it keeps CAP_CHOWN and CAP_FSETID);
     * exec'ing that must not make it the tracer's user. strace's --seccomp-bpf
     * sets this too; --trace-all does not, and without this line a script
     * traced that way could kill strace.
     */
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return fail("set no_new_privs", NULL);

    execv(argv[2], argv + 2);
    return fail("exec", argv[2]);
}
