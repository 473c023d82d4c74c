/* Multi-call entry: the program acts as the command it is installed as. */
#define _GNU_SOURCE
#include "standin.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int has_arg(int argc, char **argv, const char *a, const char *b) {
  for (int i = 1; i < argc; i++)
    if (strcmp(argv[i], a) == 0 || (b && strcmp(argv[i], b) == 0)) return 1;
  return 0;
}

int main(int argc, char **argv) {
  const char *name = base_name(argc > 0 ? argv[0] : "");
  if (strcmp(name, "init") == 0) {
    if (getpid() == 1) return init_main(argc, argv);
    return init_client_main(argc, argv);
  }
  if (strcmp(name, "telinit") == 0) return init_client_main(argc, argv);
  if (strcmp(name, "inetd") == 0 && has_arg(argc, argv, "-c", "-k")) return inetd_client_main(argc, argv);
  if (strcmp(name, "swagentd") == 0 && has_arg(argc, argv, "-k", "-r")) return swagentd_client_main(argc, argv);
  if (is_daemon_name(name)) return daemon_main(name, argc, argv);
  if (strcmp(name, "vxdctl") == 0) return vxdctl_main(argc, argv);
  if (strcmp(name, "vxdg") == 0) return vxdg_main(argc, argv);
  if (strcmp(name, "setup_tftp") == 0) return setup_tftp_main(argc, argv);
  if (strcmp(name, "kctune") == 0) return kctune_main(argc, argv);
  if (strcmp(name, "lvlnboot") == 0) return lvlnboot_main(argc, argv);
  if (strcmp(name, "swlist") == 0) return swlist_main(argc, argv);
  if (strcmp(name, "reboot") == 0) return reboot_main(argc, argv);
  if (strcmp(name, "shutdown") == 0) return shutdown_main(argc, argv);
  fprintf(stderr, "hpux-standin: unknown command name '%s'\n", name);
  return 127;
}
