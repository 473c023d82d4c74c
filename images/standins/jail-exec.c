/*
 * jail-exec ROOT PROGRAM [ARG...]
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
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/capability.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* What a root control script keeps: file ownership and permissions, signals, set*id, binding low ports. */
static const int KEEP[] = {
    CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_FOWNER, CAP_FSETID, CAP_KILL, CAP_SETGID,
    CAP_SETUID, CAP_NET_BIND_SERVICE, CAP_NET_RAW, CAP_AUDIT_WRITE, CAP_SETFCAP,
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

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: jail-exec ROOT PROGRAM [ARG...]\n");
        return 2;
    }
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

    execv(argv[2], argv + 2);
    return fail("exec", argv[2]);
}
