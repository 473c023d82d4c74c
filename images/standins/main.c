/* Multi-call entry: the program acts as the command it is installed as (images/standins/names). */
#define _GNU_SOURCE
#include "standin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int has_arg(int argc, char **argv, const char *a, const char *b) {
  for (int i = 1; i < argc; i++)
    if (strcmp(argv[i], a) == 0 || (b && strcmp(argv[i], b) == 0)) return 1;
  return 0;
}

struct command {
  const char *name;
  int (*main)(int argc, char **argv);
};

/* Commands by name; the daemons and init are chosen before this table. */
static const struct command COMMANDS[] = {
    {"vxdctl", vxdctl_main},         {"vxdg", vxdg_main},           {"setup_tftp", setup_tftp_main},
    {"telinit", init_client_main},   {"kctune", kctune_main},       {"kmtune", kmtune_main},
    {"mk_kernel", mk_kernel_main},   {"get_sysfile", get_sysfile_main}, {"system_prep", get_sysfile_main},
    {"setboot", setboot_main},       {"getprivgrp", getprivgrp_main}, {"lvlnboot", lvlnboot_main},
    {"vgdisplay", vgdisplay_main},   {"lvdisplay", lvdisplay_main}, {"swlist", swlist_main},
    {"swconfig", swconfig_main},     {"reboot", reboot_main},       {"shutdown", shutdown_main},
    {"uname", uname_main},           {"model", model_main},         {"getconf", getconf_main},
    {"ps", ps_main},                 {"bdf", bdf_main},             {"mount", mount_main},
    {"ioscan", ioscan_main},         {"insf", insf_main},           {"mksf", insf_main},
    {"lanscan", lanscan_main},       {"nwmgr", nwmgr_main},         {"netstat", netstat_main},
    {"what", what_main},             {"strings", strings_main},     {"ch_rc", ch_rc_main},
    {"useradd", useradd_main},       {"groupadd", groupadd_main},   {"userdel", userdel_main},
    {"groupdel", groupdel_main},     {"pwget", pwget_main},         {"grget", pwget_main},
    {"crontab", crontab_main},       {"drd", drd_main},
};

int main(int argc, char **argv) {
  const char *name = base_name(argc > 0 ? argv[0] : "");
  if (strcmp(name, "init") == 0) {
    if (getpid() == 1) return init_main(argc, argv);
    return init_client_main(argc, argv);
  }
  if (strcmp(name, "inetd") == 0 && has_arg(argc, argv, "-c", "-k")) return inetd_client_main(argc, argv);
  if (strcmp(name, "swagentd") == 0 && has_arg(argc, argv, "-k", "-r")) return swagentd_client_main(argc, argv);
  if (is_daemon_name(name)) return daemon_main(name, argc, argv);
  for (size_t i = 0; i < sizeof COMMANDS / sizeof COMMANDS[0]; i++)
    if (strcmp(name, COMMANDS[i].name) == 0) return COMMANDS[i].main(argc, argv);
  char pidfile[256];
  if (product_daemon_pidfile(name, pidfile, sizeof pidfile)) return product_daemon_main(name, pidfile, argc, argv);
  /* Branch exploration links this program under a product daemon's name and says where its pid goes. */
  const char *env_pidfile = getenv(STANDIN_PIDFILE_ENV);
  if (env_pidfile != NULL && env_pidfile[0] == '/') return product_daemon_main(name, env_pidfile, argc, argv);
  fprintf(stderr, "hpux-standin: unknown command name '%s'\n", name);
  return 127;
}
