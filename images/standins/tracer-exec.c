/*
 * tracer-exec UID PROGRAM [ARG...]
 *
 * Starts the tracer (strace) as user UID with every capability it was given,
 * kept as ambient capabilities so that they survive the exec of PROGRAM and
 * pass on to what PROGRAM starts; in a mount namespace of its own whose /proc
 * is that of the PID namespace it runs in.
 *
 * Why: strace runs inside the booted system's PID namespace, so that the pids
 * it prints are the ones the jail uses (no --decode-pids translation, which
 * costs a scan of /proc for every new process). There the control script
 * could signal it; it cannot once the tracer is another user and the jail
 * holds neither CAP_KILL nor a way to become that user (jail-exec drops
 * CAP_KILL, CAP_SETUID and CAP_SETGID): the kernel refuses a signal from a
 * sender of another uid without CAP_KILL. The traced command starts as UID
 * too and jail-exec makes it root again with the capabilities it inherited.
 *
 * strace reads /proc/<pid>/fd and /proc/<pid>/cwd for its -y decorations:
 * with the container's /proc, the pids of the booted namespace name other
 * processes and strace would translate each one by scanning /proc. Hence
 * the /proc of its own namespace. The traced command inherits that mount
 * namespace; the jail chroots onto the inactive tree, whose /proc is the
 * masked one run-phase mounted, so it never sees this /proc.
 *
 * TZ=UTC when TZ is unset: strace stamps every line (-ttt) through
 * localtime(), and glibc's localtime() without TZ stats /etc/localtime on
 * every call: a system call per trace line, a fifth of the tracing cost of a
 * file-heavy script. -ttt stamps are seconds since the epoch, so the zone
 * changes nothing in the trace; run-phase passes strace `-E TZ`, which keeps
 * the variable out of the traced command's environment.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define LAST_CAP 63

static int fail(const char *what) {
    fprintf(stderr, "tracer-exec: %s: %s\n", what, strerror(errno));
    return 127;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: tracer-exec UID PROGRAM [ARG...]\n");
        return 2;
    }
    char *end = NULL;
    long uid = strtol(argv[1], &end, 10);
    if (*argv[1] == '\0' || *end != '\0' || uid <= 0 || uid > 0x7fffffff) {
        fprintf(stderr, "tracer-exec: UID must be a positive number, got %s\n", argv[1]);
        return 2;
    }

    if (unshare(CLONE_NEWNS) != 0) return fail("new mount namespace");
    if (mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) return fail("make mounts private");
    if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0) return fail("mount /proc");

    /* Keep the permitted set across the change of uid; the effective set is cleared by it and raised again below. */
    if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0) return fail("keep capabilities");
    if (setgroups(0, NULL) != 0) return fail("clear supplementary groups");
    if (setresgid((gid_t)uid, (gid_t)uid, (gid_t)uid) != 0) return fail("set group id");
    if (setresuid((uid_t)uid, (uid_t)uid, (uid_t)uid) != 0) return fail("set user id");

    struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct data[2];
    if (syscall(SYS_capget, &header, data) != 0) return fail("capget");
    for (int i = 0; i < 2; i++) {
        data[i].effective = data[i].permitted;
        data[i].inheritable = data[i].permitted;
    }
    if (syscall(SYS_capset, &header, data) != 0) return fail("capset");
    for (int cap = 0; cap <= LAST_CAP; cap++) {
        if (!(data[cap / 32].permitted & (UINT32_C(1) << (cap % 32)))) continue;
        if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) != 0) return fail("raise ambient capability");
    }

    if (getenv("TZ") == NULL && setenv("TZ", "UTC", 0) != 0) return fail("set TZ");
    execvp(argv[2], argv + 2);
    return fail(argv[2]);
}
