/* main_vntab.c — a build step, not an installed program: writes lib/vn.c's
 * character tables (vn_tables.inc) to the file named by its argument.
 * The Makefile links it with lib/vn.c compiled with -DVN_GENERATE. */
#include <stdio.h>

int vn_write_tables(FILE *f);

int main(int argc, char **argv)
{
    FILE *f;
    if (argc != 2) {
        fputs("usage: vntab OUTPUT\n", stderr);
        return 2;
    }
    if (!(f = fopen(argv[1], "w"))) {
        perror(argv[1]);
        return 1;
    }
    int bad = vn_write_tables(f);
    if (fclose(f))
        bad = 1;
    if (bad) {
        perror(argv[1]);
        remove(argv[1]);
        return 1;
    }
    return 0;
}
