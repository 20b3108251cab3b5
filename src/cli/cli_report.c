/*
 * cli_report.c (issue 18 item 3): `buzon report`, the evaluation report of
 * the Plan de Mejora for the MAP, without a browser:
 *
 *   buzon report [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--lang es|ht]
 *                [--db PATH] [--forms DIR] -o FILE.pdf|FILE.xlsx
 *
 * The figures, statuses and layout are the plan page's button's
 * (/indicadores/plan/informe.pdf): the rows come from service/plan.h, the
 * pages from view/plan_report.h, joined into a PDF by model/pdf.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/cli_db.h"
#include "cli/cli_help.h"
#include "model/catalog.h"
#include "model/pdf.h"
#include "service/plan.h"
#include "view/plan_report.h"

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), t = strlen(tail);
    return n >= t && !strcmp(s + n - t, tail);
}

static int write_file(const char *path, const buf_t *b)
{
    FILE *f = fopen(path, "wb");
    bool ok = f && fwrite(b->data ? b->data : "", 1, b->len, f) == b->len;
    int e = errno;
    ok = f && fclose(f) == 0 && ok;
    if (!ok) fprintf(stderr, "buzon report: cannot write %s: %s\n", path, strerror(f ? errno : e));
    return ok ? 0 : 1;
}

int cli_report(int argc, char **argv)
{
    const char *db = CLI_DEFAULT_DB, *forms = "forms", *from = NULL, *to = NULL, *out = NULL, *lang_code = "es";
    for (int i = 1; i < argc; i++) {
        const char *opt = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (!val) return cli_missing_value("report", opt);
        i++;
        if (!strcmp(opt, "--db")) db = val;
        else if (!strcmp(opt, "--forms")) forms = val;
        else if (!strcmp(opt, "--from")) from = val;
        else if (!strcmp(opt, "--to")) to = val;
        else if (!strcmp(opt, "--lang")) lang_code = val;
        else if (!strcmp(opt, "-o")) out = val;
        else {
            fprintf(stderr, "buzon report: unknown option %s\n", opt);
            return cli_usage_error("report");
        }
    }
    if (!out) {
        fprintf(stderr, "buzon report: -o FILE.pdf or -o FILE.xlsx is required\n");
        return cli_usage_error("report");
    }
    bool xlsx = ends_with(out, ".xlsx");
    if (!xlsx && !ends_with(out, ".pdf")) {
        fprintf(stderr, "buzon report: -o must name a .pdf or .xlsx file, not '%s'\n", out);
        return 2;
    }
    int lang = i18n_parse(lang_code);
    if (lang != LANG_ES && lang != LANG_HT) {
        fprintf(stderr, "buzon report: --lang '%s' is not one of: es ht\n", lang_code);
        return 2;
    }
    ind_filter_t f;
    const char *why, *bad = ind_filter_set(&f, from, to, NULL, NULL, NULL, &why);
    if (bad && !strcmp(bad, "from") && f.from_day != IND_DAY_MIN) {
        fprintf(stderr, "buzon report: --from is after --to\n");
        return 2;
    }
    if (bad) {
        fprintf(stderr, "buzon report: --%s must be a date YYYY-MM-DD, not '%s'\n", bad,
                !strcmp(bad, "from") ? from : to);
        return 2;
    }
    if (!cli_db_exists("report", db)) return 1;   /* read only: never create one */
    catalog_t cat;
    if (catalog_open(forms, &cat, stderr) < 0) return 1;
    ind_env_t env = { &cat.indicators, cat.forms, cat.nforms, &cat.points, IND_THRESHOLD_DEFAULT };
    ind_report_t rep;
    plan_row_t *rows = NULL;
    int64_t now = (int64_t)time(NULL), as_of;
    char err[600];
    int rc = 1;
    if (plan_gather_db(db, &env, &cat.holidays, &cat.plan, &f, now, &rep, &rows, &as_of, err, sizeof err) != 0) {
        fprintf(stderr, "buzon report: %s\n", err);
        catalog_free(&cat);
        return 1;
    }
    plan_register_t *regs = NULL;   /* issue 18: the registers' latest entries */
    size_t nregs = 0;
    if (plan_registers_gather_db(db, &env, &f, (lang_t)lang, PLAN_REPORT_ENTRIES, &regs, &nregs, err,
                                 sizeof err) != 0) {
        fprintf(stderr, "buzon report: %s\n", err);
        plan_rows_free(rows, cat.plan.n);
        ind_report_free(&rep);
        catalog_free(&cat);
        return 1;
    }
    plan_report_in_t in = { &env, &cat.plan, &rep, rows, from && *from ? from : NULL, to && *to ? to : NULL,
                            as_of, bizdays_from_time(now), (lang_t)lang, regs, nregs };
    buf_t b;
    buf_init(&b);
    size_t npages = 0;
    if (xlsx) {
        rc = plan_report_xlsx(&b, &in) == 0 ? write_file(out, &b) : 1;
    } else {
        buf_t *pages = NULL;
        npages = plan_report_svg(&pages, &in);
        if (pdf_from_svgs(&b, pages, npages) != 0) fprintf(stderr, "buzon report: could not draw the PDF\n");
        else rc = write_file(out, &b);
        for (size_t p = 0; p < npages; p++) buf_free(&pages[p]);
        free(pages);
    }
    if (!rc) {
        if (xlsx) fprintf(stderr, "buzon report: wrote %s\n", out);
        else fprintf(stderr, "buzon report: wrote %s (%zu pages)\n", out, npages);
        if (plan_report_empty(&rep)) fprintf(stderr, "buzon report: the period has no data\n");
    }
    buf_free(&b);
    plan_rows_free(rows, cat.plan.n);
    plan_registers_free(regs, nregs);
    ind_report_free(&rep);
    catalog_free(&cat);
    return rc;
}
