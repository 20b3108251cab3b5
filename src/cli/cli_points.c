/*
 * cli_points.c: `buzon points [--forms DIR]`, the list of service points
 * staff pick from when printing posters (`buzon poster <form> --point ID`).
 * One `id<TAB>name` line per point on stdout, in the order of points.csv,
 * so the output can be piped into cut, sort or a shell loop; the same
 * command doubles as a check of points.csv and services.csv, printing their
 * `file:row: message` diagnostics on stderr (catalog_load_points: only
 * those two files; `buzon forms check` checks the whole folder).
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_help.h"
#include "model/catalog.h"

/* The synopsis on stderr (cli_help.c); returns 2. */
static int usage(void)
{
    return cli_usage_error("points");
}

int cli_points(int argc, char **argv)
{
    const char *dir = "forms";
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--forms") && i + 1 < argc) dir = argv[++i];
        else return usage();
    }

    catalog_t cat;
    diag_t d = { 0 };
    if (catalog_load_points(dir, &cat, &d) != 0) {
        for (size_t i = 0; i < d.n; i++) fprintf(stderr, "%s\n", d.lines[i]);
        diag_free(&d);
        catalog_free(&cat);
        return 1;
    }
    const points_t *p = &cat.points;
    for (size_t i = 0; i < p->npoints; i++)
        printf("%s\t%s\n", p->points[i].id, p->points[i].name);
    catalog_free(&cat);
    /* A full disk or closed pipe must not look like success to a script. */
    if (fflush(stdout) != 0 || ferror(stdout)) {
        perror("buzon points: stdout");
        return 1;
    }
    return 0;
}
