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
int is_daemon_name(const char *name);

/* init.c */
int init_main(int argc, char **argv);

/* clients.c */
int vxdctl_main(int argc, char **argv);
int vxdg_main(int argc, char **argv);
int setup_tftp_main(int argc, char **argv);
int inetd_client_main(int argc, char **argv);
int swagentd_client_main(int argc, char **argv);
int init_client_main(int argc, char **argv);
int kctune_main(int argc, char **argv);
int lvlnboot_main(int argc, char **argv);
int swlist_main(int argc, char **argv);
int reboot_main(int argc, char **argv);
int shutdown_main(int argc, char **argv);

/* Endpoints (also in images/README.md). */
#define INETD_PORT 2323
#define SWAGENTD_PORT 2121
#define TFTPD_PORT 69
#define VXCONFIGD_SOCKET "vxconfigd" /* abstract: @vxconfigd */
#define SYSLOG_SOCKET "/dev/log"
/* comsec's System V message queue ("COMS"): run-phase lists it as comsec's endpoint msg:0x434f4d53. */
#define COMSEC_MSG_KEY 0x434f4d53

#endif
