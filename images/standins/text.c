/*
 * Text-finding commands that read files only: what (SCCS "@(#)" identification
 * strings, as patch and product scripts use to tell a file's revision) and
 * strings (printable runs of a file; this one reads every file whole, as
 * HP-UX's does with -a).
 */
#define _GNU_SOURCE
#include "standin.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int what_main(int argc, char **argv) {
  int first_only = 0, c, found_any = 0;
  opterr = 0;
  while ((c = getopt(argc, argv, "s")) != -1) {
    if (c == 's') first_only = 1;
    else {
      fprintf(stderr, "usage: what [-s] file ...\n");
      return 2;
    }
  }
  for (int i = optind; i < argc; i++) {
    size_t len;
    char *buf = read_whole(argv[i], &len);
    if (!buf) {
      fprintf(stderr, "what: %s: %s\n", argv[i], strerror(errno));
      continue;
    }
    printf("%s:\n", argv[i]);
    for (size_t p = 0; p + 4 <= len; p++) {
      if (memcmp(buf + p, "@(#)", 4) != 0) continue;
      size_t s = p + 4, e = s;
      /* The string ends at ", >, newline, backslash or NUL (what(1)). */
      while (e < len && !strchr("\">\n\\", buf[e]) && buf[e] != '\0') e++;
      printf("\t%.*s\n", (int)(e - s), buf + s);
      found_any = 1;
      p = e;
      if (first_only) break;
    }
    free(buf);
  }
  return found_any ? 0 : 1;
}

int strings_main(int argc, char **argv) {
  size_t min = 4;
  char radix = 0;
  for (int i = 1; i < argc; i++) {
    /* The old form -N sets the length too. */
    if (argv[i][0] == '-' && isdigit((unsigned char)argv[i][1])) {
      min = (size_t)atoi(argv[i] + 1);
      memmove(&argv[i], &argv[i + 1], (size_t)(argc - i) * sizeof argv[0]);
      argc--, i--;
    }
  }
  int c;
  opterr = 0;
  while ((c = getopt(argc, argv, "aon:t:")) != -1) {
    switch (c) {
      case 'a': break;
      case 'o': radix = 'd'; break;
      case 'n': min = (size_t)atoi(optarg); break;
      case 't': radix = optarg[0]; break;
      default:
        fprintf(stderr, "usage: strings [-a] [-o] [-t format] [-n number] [file ...]\n");
        return 1;
    }
  }
  if (min < 1) min = 1;
  int status = 0;
  int nfiles = argc - optind;
  for (int i = nfiles ? optind : -1; nfiles ? i < argc : i == -1; i++) {
    size_t len;
    char *buf = i < 0 || strcmp(argv[i], "-") == 0 ? read_whole("/dev/stdin", &len) : read_whole(argv[i], &len);
    if (!buf) {
      fprintf(stderr, "strings: %s: %s\n", i < 0 ? "stdin" : argv[i], strerror(errno));
      status = 1;
      if (i < 0) break;
      continue;
    }
    size_t run = 0;
    for (size_t p = 0; p <= len; p++) {
      unsigned char ch = p < len ? (unsigned char)buf[p] : 0;
      if (p < len && (isprint(ch) || ch == '\t')) {
        run++;
        continue;
      }
      if (run >= min) {
        size_t s = p - run;
        if (radix == 'd') printf("%7zu ", s);
        else if (radix == 'o') printf("%7zo ", s);
        else if (radix == 'x') printf("%7zx ", s);
        printf("%.*s\n", (int)run, buf + s);
      }
      run = 0;
    }
    free(buf);
    if (i < 0) break;
  }
  return status;
}
