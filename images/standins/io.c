/*
 * I/O and network commands: ioscan (the I/O tree of this sandbox's
 * Integrity server, legacy and agile views, -m dsf/lun), insf and mksf
 * (device special files: mknod(2) in the tree they run in, which the jail
 * may not do, so the attempt shows in the trace), lanscan and nwmgr (its
 * network interface), netstat (-i, -r: that interface; -a: the sockets in
 * /proc/net). The hardware is fixed; the device files the booted tree has for
 * it are made by images/runtime/assemble-booted with the same names.
 */
#define _GNU_SOURCE
#include "standin.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

struct iodev {
  const char *cls;
  int instance;
  const char *hw;      /* legacy hardware path */
  const char *driver;
  const char *type;
  const char *desc;
  const char *legacy;  /* legacy device file base name (dsk/rdsk), or NULL */
  int agile;           /* agile instance (disk N, 64000/0xfa00/0xN), or -1 */
};

static const struct iodev DEVS[] = {
    {"root", 0, "", "root", "BUS_NEXUS", "", NULL, -1},
    {"ioa", 0, "0/0", "sba", "BUS_NEXUS", "System Bus Adapter (4030)", NULL, -1},
    {"ba", 0, "0/0/0", "lba", "BUS_NEXUS", "Local PCI-X Bus Adapter (122e)", NULL, -1},
    {"lan", 0, "0/0/1/0", "iether", "INTERFACE", "HP AB352-60003 PCI/PCI-X 1000Base-T Dual-port Core", NULL, -1},
    {"ext_bus", 0, "0/0/2/0", "mpt", "INTERFACE", "SCSI Ultra320", NULL, -1},
    {"target", 0, "0/0/2/0.6", "tgt", "DEVICE", "", NULL, -1},
    {"disk", 0, "0/0/2/0.6.0", "sdisk", "DEVICE", "HP 146 GST3146707LC", "c0t6d0", 1},
    {"ext_bus", 1, "0/0/2/1", "mpt", "INTERFACE", "SCSI Ultra320", NULL, -1},
    {"target", 1, "0/0/2/1.2", "tgt", "DEVICE", "", NULL, -1},
    {"disk", 1, "0/0/2/1.2.0", "sdisk", "DEVICE", "HP 146 GST3146707LC", "c1t2d0", 2},
    {"processor", 0, "120", "processor", "PROCESSOR", "Processor", NULL, -1},
    {"processor", 1, "121", "processor", "PROCESSOR", "Processor", NULL, -1},
};
#define NDEVS (int)(sizeof DEVS / sizeof DEVS[0])

/* Major numbers of the sandbox's device files: Linux's local/experimental range, no driver behind them. */
#define DEV_MAJOR 60

static void print_header(void) {
  printf("%-9s%2s  %-18s %-9s%-12s%-13s%s\n", "Class", "I", "H/W Path", "Driver", "S/W State", "H/W Type", "Description");
  printf("===================================================================================\n");
}

static void agile_path(const struct iodev *d, char *out, size_t cap) {
  if (d->agile >= 0) snprintf(out, cap, "64000/0xfa00/0x%x", d->agile - 1);
  else snprintf(out, cap, "%s", d->hw);
}

static void device_files(const struct iodev *d, int agile, char *blk, char *chr, size_t cap) {
  blk[0] = chr[0] = '\0';
  if (!d->legacy) return;
  if (agile) {
    snprintf(blk, cap, "/dev/disk/disk%d", d->agile);
    snprintf(chr, cap, "/dev/rdisk/disk%d", d->agile);
  } else {
    snprintf(blk, cap, "/dev/dsk/%s", d->legacy);
    snprintf(chr, cap, "/dev/rdsk/%s", d->legacy);
  }
}

static int matches(const struct iodev *d, const char *cls, const char *drv, const char *hw, int inst, int agile) {
  if (cls && strcmp(d->cls, cls) != 0) return 0;
  if (drv && strcmp(agile && d->agile >= 0 ? "esdisk" : d->driver, drv) != 0) return 0;
  if (inst >= 0 && (agile && d->agile >= 0 ? d->agile : d->instance) != inst) return 0;
  if (hw) {
    char ap[64];
    agile_path(d, ap, sizeof ap);
    size_t l = strlen(hw);
    /* -H path: that node and the ones below it. */
    if (strncmp(agile ? ap : d->hw, hw, l) != 0) return 0;
  }
  return 1;
}

static int ioscan_map(const char *what, char **args, int nargs) {
  if (strcmp(what, "dsf") == 0) {
    printf("Persistent DSF           Legacy DSF(s)\n========================================\n");
    for (int i = 0; i < NDEVS; i++) {
      if (!DEVS[i].legacy) continue;
      char pb[64], pc[64], lb[64], lc[64];
      device_files(&DEVS[i], 1, pb, pc, sizeof pb);
      device_files(&DEVS[i], 0, lb, lc, sizeof lb);
      int want = nargs == 0;
      for (int a = 0; a < nargs; a++) want |= !strcmp(args[a], pb) || !strcmp(args[a], pc) || !strcmp(args[a], lb) || !strcmp(args[a], lc);
      if (!want) continue;
      printf("%-24s %s\n", pc, lc);
    }
    return 0;
  }
  if (strcmp(what, "lun") == 0 || strcmp(what, "hwpath") == 0) {
    printf("Class     I  Lun H/W Path  Driver  S/W State   H/W Type     Health  Description\n");
    printf("======================================================================\n");
    for (int i = 0; i < NDEVS; i++) {
      const struct iodev *d = &DEVS[i];
      if (d->agile < 0) continue;
      char ap[64], b[64], c[64];
      agile_path(d, ap, sizeof ap);
      device_files(d, 1, b, c, sizeof b);
      printf("%-9s%2d  %-18s %-8s%-12s%-13s%-8s%s\n", d->cls, d->agile, ap, "esdisk", "CLAIMED", "DEVICE", "online", d->desc);
      printf("                      %s.0x0.0x0\n", d->hw);
      printf("                      %s   %s\n", b, c);
    }
    return 0;
  }
  fprintf(stderr, "ioscan: Invalid argument to -m: %s\n", what);
  return 1;
}

int ioscan_main(int argc, char **argv) {
  int full = 0, files = 0, agile = 0, inst = -1, c, bind = 0;
  const char *cls = NULL, *drv = NULL, *hw = NULL, *map = NULL;
  opterr = 0;
  while ((c = getopt(argc, argv, "fnNkuesUFC:d:H:I:m:M:")) != -1) {
    switch (c) {
      case 'f': full = 1; break;
      case 'n': files = 1; break;
      case 'N': agile = 1; break;
      case 'C': cls = optarg; break;
      case 'd': drv = optarg; break;
      case 'H': hw = optarg; break;
      case 'I': inst = atoi(optarg); break;
      case 'm': map = optarg; break;
      case 'M': drv = optarg, bind = 1; break;
      case 'k': case 'u': case 'e': case 's': case 'U': case 'F': break;
      default:
        fprintf(stderr, "usage: ioscan [-k|-u] [-e] [-f[-n]|-F[-n]] [-N] [-C class] [-d driver] [-I instance] [-H hw_path] [devfile]\n"
                        "       ioscan -m {dsf|lun|hwpath} [devfile]\n"
                        "       ioscan -M driver -H hw_path [-I instance]\n");
        return 1;
    }
  }
  if (map) return ioscan_map(map, argv + optind, argc - optind);
  if (bind) {
    /* Forcing a driver onto a hardware path binds it in the running kernel and in
     * /etc/ioconfig; here the binding is written to the image's /etc/ioconfig. */
    if (!hw) {
      fprintf(stderr, "ioscan: -M requires -H hw_path\n");
      return 1;
    }
    FILE *f = fopen("/etc/ioconfig", "ae");
    if (!f) {
      fprintf(stderr, "ioscan: cannot update /etc/ioconfig: %s\n", strerror(errno));
      return 1;
    }
    fprintf(f, "bind %s %s\n", drv, hw);
    fclose(f);
    return 0;
  }
  if (optind < argc) {
    /* A device file names its device. */
    struct stat st;
    if (stat(argv[optind], &st) < 0) {
      fprintf(stderr, "ioscan: %s: %s\n", argv[optind], strerror(errno));
      return 1;
    }
    for (int i = 0; i < NDEVS; i++) {
      char b[64], ch[64];
      device_files(&DEVS[i], agile || strstr(argv[optind], "/disk/") || strstr(argv[optind], "/rdisk/"), b, ch, sizeof b);
      if (DEVS[i].legacy && (!strcmp(argv[optind], b) || !strcmp(argv[optind], ch))) hw = DEVS[i].hw, cls = DEVS[i].cls;
    }
  }
  if (full) print_header();
  else printf("H/W Path         Class                       Description\n=========================================================\n");
  for (int i = 0; i < NDEVS; i++) {
    const struct iodev *d = &DEVS[i];
    if (agile && (!strcmp(d->cls, "ext_bus") || !strcmp(d->cls, "target"))) continue;
    if (!matches(d, cls, drv, hw, inst, agile)) continue;
    char ap[64];
    agile_path(d, ap, sizeof ap);
    const char *path = agile ? ap : d->hw;
    const char *driver = agile && d->agile >= 0 ? "esdisk" : d->driver;
    int instance = agile && d->agile >= 0 ? d->agile : d->instance;
    if (full) printf("%-9s%2d  %-18s %-9s%-12s%-13s%s\n", d->cls, instance, path, driver, "CLAIMED", d->type, d->desc);
    else printf("%-16s %-27s %s\n", path, d->cls, d->desc);
    if (files) {
      char b[64], ch[64];
      device_files(d, agile, b, ch, sizeof b);
      if (b[0]) printf("%25s%s   %s\n", "", b, ch);
      if (!strcmp(d->cls, "lan")) printf("%25s/dev/lan%d\n", "", d->instance);
    }
  }
  return 0;
}

/* ---- insf, mksf: device special files in the tree they run in ---- */

static int make_node(const char *path, int block, int minor_no, int verbose, const char *prog) {
  struct stat st;
  if (stat(path, &st) == 0) return 0; /* there already: insf leaves it */
  char dir[256];
  snprintf(dir, sizeof dir, "%s", path);
  char *slash = strrchr(dir, '/');
  if (slash) {
    *slash = '\0';
    mkdir(dir, 0755);
  }
  if (mknod(path, (block ? S_IFBLK : S_IFCHR) | 0640, makedev(DEV_MAJOR, (unsigned)minor_no)) < 0) {
    fprintf(stderr, "%s: Cannot create %s: %s\n", prog, path, strerror(errno));
    return 1;
  }
  if (verbose) printf("\tmaking %s %s\n", path, block ? "b" : "c");
  return 0;
}

static int install_files(const struct iodev *d, int verbose, const char *prog) {
  int status = 0;
  for (int agile = 0; agile < 2; agile++) {
    char b[64], c[64];
    device_files(d, agile, b, c, sizeof b);
    if (!b[0]) continue;
    int minor_no = (agile ? 0x100 : 0) + (d->agile > 0 ? d->agile : d->instance);
    status |= make_node(b, 1, minor_no, verbose, prog);
    status |= make_node(c, 0, minor_no, verbose, prog);
  }
  return status;
}

int insf_main(int argc, char **argv) {
  const char *prog = base_name(argv[0]);
  int all = 0, verbose = 0, inst = -1, c;
  const char *cls = NULL, *drv = NULL, *hw = NULL, *path = NULL;
  opterr = 0;
  while ((c = getopt(argc, argv, "eqvLNC:d:H:I:n:r")) != -1) {
    switch (c) {
      case 'e': all = 1; break;
      case 'v': verbose = 1; break;
      case 'C': cls = optarg; break;
      case 'd': drv = optarg; break;
      case 'H': hw = optarg; break;
      case 'I': inst = atoi(optarg); break;
      case 'n': path = optarg; break;
      case 'q': case 'L': case 'N': case 'r': break;
      default:
        fprintf(stderr, "usage: %s [-C class | -d driver] [-H hw_path] [-I instance] [-e] [-q|-v]\n", prog);
        return 1;
    }
  }
  if (strcmp(prog, "mksf") == 0 && optind < argc) path = argv[optind];
  int status = 0;
  for (int i = 0; i < NDEVS; i++) {
    const struct iodev *d = &DEVS[i];
    if (!d->legacy || !matches(d, cls, drv, hw, inst, 0)) continue;
    if (path) {
      /* mksf: the one file named. */
      status |= make_node(path, strstr(path, "/rdsk/") == NULL && strstr(path, "/rdisk/") == NULL, d->instance, verbose, prog);
      return status;
    }
    if (verbose || all) printf("insf: Installing special files for %s instance %d address %s\n", d->driver, d->instance, d->hw);
    status |= install_files(d, verbose, prog);
  }
  return status ? 1 : 0;
}

/* ---- lanscan, nwmgr, netstat: one interface, lan0 ---- */

#define LAN_MAC "0x001A4B8C2F10"
#define LAN_IP "192.168.10.21"

int lanscan_main(int argc, char **argv) {
  int c, verbose = 0, names = 0, ids = 0;
  opterr = 0;
  while ((c = getopt(argc, argv, "aiImnpqv")) != -1) {
    if (c == 'v') verbose = 1;
    else if (c == 'i') names = 1;
    else if (c == 'n' || c == 'p') ids = 1;
  }
  if (names) {
    printf("lan0  snap0\n");
    return 0;
  }
  if (ids) {
    printf("1\n");
    return 0;
  }
  printf("Hardware Station        Crd Hdw   Net-Interface  NM  MAC       HP-DLPI DLPI\n");
  printf("Path     Address        In# State NamePPA        ID  Type      Support Mjr#\n");
  printf("0/0/1/0  %s 0   UP    lan0 snap0     1   ETHER     Yes     119\n", LAN_MAC);
  if (verbose) printf("\nExtended Station                                   LLC Encapsulation\nAddress                                            Methods\n%s                                     IEEE HPEXTIEEE SNAP ETHER NOVELL\n\nDriver Specific Information\niether\n", LAN_MAC);
  (void)argv;
  return 0;
}

int nwmgr_main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "-s") || !strcmp(a, "--set") || !strcmp(a, "-a") || !strcmp(a, "--add") || !strcmp(a, "-d") ||
        !strcmp(a, "--delete") || !strcmp(a, "-r") || !strcmp(a, "--reset") || !strcmp(a, "--cra")) {
      /* Changing a running interface is the running kernel's business; the jail may not. */
      fprintf(stderr, "nwmgr: Operation not permitted: the interface belongs to the running system\n");
      return 1;
    }
  }
  printf("\nName/          Interface Station          Sub-   Interface      Related\n");
  printf("ClassInstance  State     Address          system Type           Interface\n");
  printf("============== ========= ================ ====== ============== =========\n");
  printf("lan0           UP        %s   iether 1000Base-T     --\n\n", LAN_MAC);
  return 0;
}

static void netstat_sockets(void) {
  printf("Active Internet connections (including servers)\n");
  printf("Proto Recv-Q Send-Q  Local Address          Foreign Address        (state)\n");
  const char *files[] = {"/proc/net/tcp", "/proc/net/udp"};
  for (int k = 0; k < 2; k++) {
    FILE *f = fopen(files[k], "re");
    char line[512];
    if (!f) continue;
    if (!fgets(line, sizeof line, f)) {
      fclose(f);
      continue;
    }
    while (fgets(line, sizeof line, f)) {
      unsigned la, lp, ra, rp, st;
      if (sscanf(line, "%*d: %x:%x %x:%x %x", &la, &lp, &ra, &rp, &st) != 5) continue;
      char l[64], r[64];
      snprintf(l, sizeof l, "%u.%u.%u.%u.%u", la & 255, la >> 8 & 255, la >> 16 & 255, la >> 24, lp);
      snprintf(r, sizeof r, ra || rp ? "%u.%u.%u.%u.%u" : "*.*", ra & 255, ra >> 8 & 255, ra >> 16 & 255, ra >> 24, rp);
      if (la == 0) snprintf(l, sizeof l, "*.%u", lp);
      const char *state = k == 1 ? "" : st == 10 ? "LISTEN" : st == 1 ? "ESTABLISHED" : st == 6 ? "TIME_WAIT" : "CLOSE_WAIT";
      printf("%-5s %6d %6d  %-22s %-22s %s\n", k ? "udp" : "tcp", 0, 0, l, r, state);
    }
    fclose(f);
  }
  printf("Active UNIX domain sockets\n");
  printf("Address          Type   Recv-Q Send-Q            Inode             Conn             Refs          Nextref Addr\n");
  FILE *u = fopen("/proc/net/unix", "re");
  char line[512];
  if (u && fgets(line, sizeof line, u))
    while (fgets(line, sizeof line, u)) {
      char path[256] = "";
      unsigned long inode;
      unsigned type;
      if (sscanf(line, "%*s %*s %*s %*s %x %*s %lu %255s", &type, &inode, path) < 2) continue;
      printf("%-16lx %-6s %6d %6d %16lx %16x %16x %16x %s\n", inode, type == 2 ? "dgram" : "stream", 0, 0, inode, 0, 0, 0, path);
    }
  if (u) fclose(u);
}

int netstat_main(int argc, char **argv) {
  int iface = 0, route = 0, c;
  opterr = 0;
  while ((c = getopt(argc, argv, "aAfginrsvI:mp:")) != -1) {
    if (c == 'i') iface = 1;
    else if (c == 'r') route = 1;
  }
  if (iface) {
    printf("Name      Mtu  Network         Address         Ipkts              Ierrs Opkts              Oerrs Coll\n");
    printf("lan0      1500 192.168.10.0    %-15s 1843222            0     1120455            0     0   \n", LAN_IP);
    printf("lo0      32808 127.0.0.0       127.0.0.1       2266               0     2266               0     0   \n");
    return 0;
  }
  if (route) {
    printf("Routing tables\n");
    printf("Destination           Gateway            Flags   Refs Interface  Pmtu\n");
    printf("127.0.0.1             127.0.0.1          UH        0  lo0       32808\n");
    printf("%-21s %-18s UH        0  lan0      32808\n", LAN_IP, LAN_IP);
    printf("192.168.10.0          %-18s U         2  lan0       1500\n", LAN_IP);
    printf("127.0.0.0             127.0.0.1          U         0  lo0       32808\n");
    printf("default               192.168.10.1       UG        0  lan0       1500\n");
    return 0;
  }
  (void)argv;
  netstat_sockets();
  return 0;
}
