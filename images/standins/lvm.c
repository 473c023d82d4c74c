/*
 * LVM's display commands: vgdisplay, lvdisplay and lvlnboot -v. They read
 * only the image's /etc/lvmtab (text form here: a volume group, then its
 * disks) and /etc/fstab (its logical volumes and what they hold); the
 * numbers (extent size and counts) are this sandbox's, fixed.
 */
#define _GNU_SOURCE
#include "standin.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PE_MB 32
#define PV_PE 1279 /* a 40 GB disk */
#define LV_LE 32   /* each logical volume: 1024 MB */

struct vg {
  char name[128];
  char pvs[8][128];
  int npv;
  char lvs[16][128];
  char mounts[16][128];
  int nlv;
};

/* Every volume group of /etc/lvmtab with its disks, and its volumes from /etc/fstab. */
static int read_vgs(struct vg *vgs, int cap) {
  FILE *lt = fopen("/etc/lvmtab", "re");
  if (!lt) return -1;
  int n = 0;
  char line[256];
  while (fgets(line, sizeof line, lt)) {
    line[strcspn(line, "\n")] = '\0';
    if (line[0] == '#' || !line[0]) continue;
    if (strncmp(line, "/dev/vg", 7) == 0 || (strncmp(line, "/dev/", 5) == 0 && strncmp(line, "/dev/disk/", 10) && strncmp(line, "/dev/dsk/", 9))) {
      if (n == cap) break;
      memset(&vgs[n], 0, sizeof vgs[n]);
      snprintf(vgs[n++].name, sizeof vgs[0].name, "%s", line);
    } else if (n > 0 && vgs[n - 1].npv < 8) {
      snprintf(vgs[n - 1].pvs[vgs[n - 1].npv++], sizeof vgs[0].pvs[0], "%s", line);
    }
  }
  fclose(lt);
  FILE *ft = fopen("/etc/fstab", "re");
  while (ft && fgets(line, sizeof line, ft)) {
    char dev[128], dir[128];
    if (line[0] == '#' || sscanf(line, "%127s %127s", dev, dir) != 2) continue;
    for (int i = 0; i < n; i++) {
      size_t l = strlen(vgs[i].name);
      if (strncmp(dev, vgs[i].name, l) == 0 && dev[l] == '/' && vgs[i].nlv < 16) {
        snprintf(vgs[i].lvs[vgs[i].nlv], sizeof vgs[0].lvs[0], "%s", dev);
        snprintf(vgs[i].mounts[vgs[i].nlv++], sizeof vgs[0].mounts[0], "%s", dir);
      }
    }
  }
  if (ft) fclose(ft);
  return n;
}

static struct vg *find_vg(struct vg *vgs, int n, const char *name) {
  char full[160];
  snprintf(full, sizeof full, "%s%s", strncmp(name, "/dev/", 5) ? "/dev/" : "", name);
  for (int i = 0; i < n; i++)
    if (strcmp(vgs[i].name, full) == 0) return &vgs[i];
  return NULL;
}

static void show_vg(const struct vg *v, int verbose) {
  int alloc = v->nlv * LV_LE, total = v->npv * PV_PE;
  printf("--- Volume groups ---\n");
  printf("VG Name                     %s\n", v->name);
  printf("VG Write Access             read/write     \n");
  printf("VG Status                   available                 \n");
  printf("Max LV                      255    \n");
  printf("Cur LV                      %d      \n", v->nlv);
  printf("Open LV                     %d      \n", v->nlv);
  printf("Max PV                      16     \n");
  printf("Cur PV                      %d      \n", v->npv);
  printf("Act PV                      %d      \n", v->npv);
  printf("Max PE per PV               %d         \n", PV_PE);
  printf("VGDA                        %d   \n", 2 * v->npv);
  printf("PE Size (Mbytes)            %d      \n", PE_MB);
  printf("Total PE                    %d    \n", total);
  printf("Alloc PE                    %d    \n", alloc);
  printf("Free PE                     %d    \n", total - alloc);
  printf("Total PVG                   0        \n");
  printf("Total Spare PVs             0              \n");
  printf("Total Spare PVs in use      0                     \n");
  printf("VG Version                  1.0       \n");
  printf("VG Max Size                 %dg    \n", 16 * PV_PE * PE_MB / 1024);
  printf("VG Max Extents              %d    \n", 16 * PV_PE);
  if (!verbose) return;
  printf("\n");
  for (int i = 0; i < v->nlv; i++) {
    printf("   --- Logical volumes ---\n");
    printf("   LV Name                     %s\n", v->lvs[i]);
    printf("   LV Status                   available/syncd           \n");
    printf("   LV Size (Mbytes)            %d            \n", LV_LE * PE_MB);
    printf("   Current LE                  %d        \n", LV_LE);
    printf("   Allocated PE                %d          \n", LV_LE);
    printf("   Used PV                     1       \n\n");
  }
  for (int i = 0; i < v->npv; i++) {
    printf("   --- Physical volumes ---\n");
    printf("   PV Name                     %s\n", v->pvs[i]);
    printf("   PV Status                   available                \n");
    printf("   Total PE                    %d       \n", PV_PE);
    printf("   Free PE                     %d       \n", PV_PE - (i == 0 ? v->nlv * LV_LE : 0));
    printf("   Autoswitch                  On        \n");
    printf("   Proactive Polling           On               \n\n");
  }
}

int vgdisplay_main(int argc, char **argv) {
  int verbose = 0, c;
  opterr = 0;
  while ((c = getopt(argc, argv, "vF")) != -1) {
    if (c == 'v') verbose = 1;
    else if (c != 'F') {
      fprintf(stderr, "Usage: vgdisplay [-v] [-F] [VolumeGroupName ...]\n");
      return 1;
    }
  }
  struct vg vgs[8];
  int n = read_vgs(vgs, 8);
  if (n < 0) {
    fprintf(stderr, "vgdisplay: Couldn't open the file \"/etc/lvmtab\": %s\n", strerror(errno));
    return 1;
  }
  int status = 0;
  if (optind >= argc)
    for (int i = 0; i < n; i++) show_vg(&vgs[i], verbose);
  for (int i = optind; i < argc; i++) {
    struct vg *v = find_vg(vgs, n, argv[i]);
    if (!v) {
      fprintf(stderr, "vgdisplay: Volume group not activated.\nvgdisplay: Cannot display volume group \"%s\".\n", argv[i]);
      status = 1;
      continue;
    }
    show_vg(v, verbose);
  }
  return status;
}

int lvdisplay_main(int argc, char **argv) {
  int verbose = 0, c;
  opterr = 0;
  while ((c = getopt(argc, argv, "vkF")) != -1) {
    if (c == 'v') verbose = 1;
    else if (c != 'k' && c != 'F') {
      fprintf(stderr, "Usage: lvdisplay [-k] [-v] [-F] LogicalVolumePath ...\n");
      return 1;
    }
  }
  if (optind >= argc) {
    fprintf(stderr, "Usage: lvdisplay [-k] [-v] [-F] LogicalVolumePath ...\n");
    return 1;
  }
  struct vg vgs[8];
  int n = read_vgs(vgs, 8), status = 0;
  for (int a = optind; a < argc; a++) {
    const struct vg *v = NULL;
    int idx = -1;
    for (int i = 0; i < n && idx < 0; i++)
      for (int j = 0; j < vgs[i].nlv; j++)
        if (strcmp(vgs[i].lvs[j], argv[a]) == 0) v = &vgs[i], idx = j;
    if (!v) {
      fprintf(stderr, "lvdisplay: Couldn't query logical volume \"%s\":\nThe specified path does not correspond to physical volume attached to\nthis volume group\n", argv[a]);
      status = 1;
      continue;
    }
    printf("--- Logical volumes ---\n");
    printf("LV Name                     %s\n", v->lvs[idx]);
    printf("VG Name                     %s\n", v->name);
    printf("LV Permission               read/write                \n");
    printf("LV Status                   available/syncd           \n");
    printf("Mirror copies               0            \n");
    printf("Consistency Recovery        MWC                 \n");
    printf("Schedule                    parallel     \n");
    printf("LV Size (Mbytes)            %d            \n", LV_LE * PE_MB);
    printf("Current LE                  %d        \n", LV_LE);
    printf("Allocated PE                %d          \n", LV_LE);
    printf("Stripes                     0       \n");
    printf("Stripe Size (Kbytes)        0                   \n");
    printf("Bad block                   on           \n");
    printf("Allocation                  strict                    \n");
    printf("IO Timeout (Seconds)        default             \n");
    if (verbose) {
      printf("\n   --- Distribution of logical volume ---\n");
      printf("   PV Name                 LE on PV  PE on PV  \n");
      printf("   %-23s %-9d %-9d \n", v->pvs[0], LV_LE, LV_LE);
      printf("\n   --- Logical extents ---\n");
      printf("   LE    PV1                     PE1   Status 1 \n");
      for (int le = 0; le < LV_LE; le++) printf("   %05d %-23s %05d current  \n", le, v->pvs[0], idx * LV_LE + le);
    }
    printf("\n");
  }
  return status;
}

/* ---- lvlnboot -v: boot information from /etc/lvmtab and /etc/fstab ---- */

int lvlnboot_main(int argc, char **argv) {
  int verbose = 0;
  for (int i = 1; i < argc; i++)
    if (strcmp(argv[i], "-v") == 0) verbose = 1;
  FILE *lt = fopen("/etc/lvmtab", "re");
  if (!lt) die("lvlnboot", "Couldn't open the file \"/etc/lvmtab\": %s", strerror(errno));
  char vg[128] = "", pv[128] = "", line[256];
  while (fgets(line, sizeof line, lt)) {
    line[strcspn(line, "\n")] = '\0';
    if (line[0] == '#' || !line[0]) continue;
    if (!vg[0]) snprintf(vg, sizeof vg, "%s", line);
    else if (!pv[0]) snprintf(pv, sizeof pv, "%s", line);
  }
  fclose(lt);
  if (!vg[0]) die("lvlnboot", "no volume group in /etc/lvmtab");
  printf("Boot Definitions for Volume Group %s:\n", vg);
  if (verbose) printf("Physical Volumes belonging in Root Volume Group:\n\t%s -- Boot Disk\n", pv);
  FILE *ft = fopen("/etc/fstab", "re");
  if (!ft) die("lvlnboot", "Couldn't open the file \"/etc/fstab\": %s", strerror(errno));
  size_t vl = strlen(vg);
  while (fgets(line, sizeof line, ft)) {
    char dev[128], dir[128], type[32];
    if (line[0] == '#' || sscanf(line, "%127s %127s %31s", dev, dir, type) != 3) continue;
    if (strncmp(dev, vg, vl) != 0 || dev[vl] != '/') continue;
    const char *what = strcmp(dir, "/") == 0 ? "Root" : strcmp(dir, "/stand") == 0 ? "Boot"
                       : strcmp(type, "swap") == 0                           ? "Swap"
                                                                              : NULL;
    if (what) printf("%s: %s\ton:\t%s\n", what, dev + vl + 1, pv);
  }
  fclose(ft);
  printf("\n");
  return 0;
}

