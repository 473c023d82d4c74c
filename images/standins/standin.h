/*
 * HP-UX stand-ins for the drdsafe sandbox: one static multi-call program,
 * selected by the name it is run as (argv[0]).
 *
 * Daemons record every signal and request they receive as one JSON line on
 * fd 9 (the witness log) when fd 9 is open; see images/README.md.
 */
#ifndef DRDSAFE_STANDIN_H
#define DRDSAFE_STANDIN_H

#include <signal.h>
#include <stddef.h>
#include <sys/signalfd.h>
#include <sys/types.h>

#define WITNESS_FD 9

/* common.c */
void witness_open(const char *daemon);
/* Writes one line: {"t":..,"daemon":..,"pid":..,"event":EVENT<extra>}; extra starts with ',' or is "". */
void witness_event(const char *event, const char *extra_json);
void witness_signal(const struct signalfd_siginfo *si);
/* Appends ,"key":"escaped value" to buf (bounded). */
void json_add_str(char *buf, size_t cap, const char *key, const char *val, size_t len);
void json_add_int(char *buf, size_t cap, const char *key, long long val);
const char *signal_name(int sig);
int signal_number(const char *name);
int read_pidfile(const char *path);
int write_pidfile(const char *path);
/* Pid (in our PID namespace) of the process holding the local end addr:port of a
 * TCP or UDP socket ("tcp" / "udp"), from /proc/net and /proc/<pid>/fd; -1 if unknown. */
int inet_peer_pid(const char *proto, unsigned int addr_be, unsigned short port);
void die(const char *prog, const char *fmt, ...) __attribute__((noreturn, format(printf, 2, 3)));
const char *base_name(const char *path);
/* Block every signal that can be blocked; returns a signalfd for them. */
int block_all_signals(void);
int unix_abstract_addr(void *sa, const char *name, size_t *len);

/* daemon.c */
int daemon_main(const char *name, int argc, char **argv);
/* The environment variable that makes an unknown name such a daemon: its pid file. */
#define STANDIN_PIDFILE_ENV "DRDSAFE_STANDIN_PIDFILE"
int is_daemon_name(const char *name);
/* Where the daemon writes its pid (its HP-UX name where HP-UX documents one). */
const char *daemon_pidfile(const char *name);
/* A product's daemon stood in for (run-session names its pid file in /usr/lib/drdsafe/standin-daemons/NAME): 1 and the pid file, or 0. */
int product_daemon_pidfile(const char *name, char *out, size_t cap);
int product_daemon_main(const char *name, const char *pidfile, int argc, char **argv);

/* drd.c: /opt/drd/bin/drd runcmd */
int drd_main(int argc, char **argv);

/* init.c */
int init_main(int argc, char **argv);

/* clients.c */
int vxdctl_main(int argc, char **argv);
int vxdg_main(int argc, char **argv);
int setup_tftp_main(int argc, char **argv);
int inetd_client_main(int argc, char **argv);
int swagentd_client_main(int argc, char **argv);
int init_client_main(int argc, char **argv);
int kctune_main(int argc, char **argv);  /* kernel.c */
int lvlnboot_main(int argc, char **argv); /* lvm.c */
int swlist_main(int argc, char **argv);   /* sw.c */
int reboot_main(int argc, char **argv);
int shutdown_main(int argc, char **argv);

/* common.c: files and the account databases of the tree the command runs in. */
/* The whole file, NUL-terminated (len may be NULL); NULL with errno set. */
char *read_whole(const char *path, size_t *len);
/* Replaces path with data through a new file renamed over it (keeping path's mode and owner). */
int write_whole(const char *path, const char *data, size_t len, mode_t mode);
const char *user_name(unsigned uid, char *out, size_t cap);
const char *group_name(unsigned gid, char *out, size_t cap);
const char *node_name(char *out, size_t cap);

/* One entry point per command name (main.c dispatches on argv[0]). */
int uname_main(int argc, char **argv);     /* sysinfo.c */
int model_main(int argc, char **argv);
int getconf_main(int argc, char **argv);
int ps_main(int argc, char **argv);        /* ps.c */
int swconfig_main(int argc, char **argv);  /* sw.c */
int kmtune_main(int argc, char **argv);    /* kernel.c */
int mk_kernel_main(int argc, char **argv);
int setboot_main(int argc, char **argv);
int getprivgrp_main(int argc, char **argv);
int get_sysfile_main(int argc, char **argv);
int bdf_main(int argc, char **argv);       /* fs.c */
int mount_main(int argc, char **argv);
int vgdisplay_main(int argc, char **argv); /* lvm.c */
int lvdisplay_main(int argc, char **argv);
int ioscan_main(int argc, char **argv);    /* io.c */
int insf_main(int argc, char **argv);
int lanscan_main(int argc, char **argv);
int nwmgr_main(int argc, char **argv);
int netstat_main(int argc, char **argv);
int what_main(int argc, char **argv);      /* text.c */
int strings_main(int argc, char **argv);
int ch_rc_main(int argc, char **argv);     /* rc.c */
int useradd_main(int argc, char **argv);   /* accounts.c */
int groupadd_main(int argc, char **argv);
int userdel_main(int argc, char **argv);
int groupdel_main(int argc, char **argv);
int pwget_main(int argc, char **argv);
int crontab_main(int argc, char **argv);

/*
 * The system the trees stand for: an HP-UX 11i v3 Integrity server
 * (images/README.md gives each value's source).
 */
#define HPUX_SYSNAME "HP-UX"
#define HPUX_RELEASE "B.11.31"
#define HPUX_VERSION "U" /* the license level: U = 128-user, 256-user or unlimited */
#define HPUX_MACHINE "ia64"
#define HPUX_ID_NUMBER "2209614186"
#define HPUX_LICENSE "unlimited-user license"
#define HPUX_MODEL "ia64 hp server rx2660"
#define HPUX_MACHINE_IDENT "c6a0d2e4-7f2b-11e1-9d3c-001a4b8c2f10"
#define HPUX_MACHINE_SERIAL "USE0123ABC"
#define HPUX_PARTITION_IDENT "c6a0d2e4-7f2b-11e1-9d3c-001a4b8c2f10"

/* Endpoints (also in images/README.md). */
#define INETD_PORT 2323
#define SWAGENTD_PORT 2121
#define TFTPD_PORT 69
#define VXCONFIGD_SOCKET "vxconfigd" /* abstract: @vxconfigd */
#define SYSLOG_SOCKET "/dev/log"
/* comsec's System V message queue ("COMS"): run-phase lists it as comsec's endpoint msg:0x434f4d53. */
#define COMSEC_MSG_KEY 0x434f4d53

#endif
