/*
 * cli_indicators.c: `buzon indicators`, the figures without a browser: for
 * the MAP report, a cron job, or a server whose dashboard is not reachable.
 *
 *   buzon indicators [--db PATH] [--forms DIR] [--from YYYY-MM-DD]
 *                    [--to YYYY-MM-DD] [--form ID] [--point ID] [--service ID]
 *                    [--by LIST|none] [--format json|csv|csv-es|xlsx]
 *                    [--lang es|ht] [--min-cell N] [-o FILE]
 *
 * Same filters, figures (the complaints desk's included) and suppression
 * as the API: the report comes from the same service
 * (service/indicators.h: ind_report_build_db) and the same writers
 * (view/ind_out.h). csv-es is the CSV for Spanish Excel (';' and decimal
 * comma). Writes to FILE or stdout.
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
#include "model/indicators.h"
#include "service/indicators.h"
#include "view/ind_out.h"

/* The synopsis on stderr (cli_help.c); returns 2. */
static int usage(void)
{
    return cli_usage_error("indicators");
}

typedef struct opts {
    const char *db, *forms, *from, *to, *form, *point, *service, *by, *format, *out;
    const char *channel;   /* issue 17: web, papel, entrevista, registro */
    ind_filter_t f;
    lang_t lang;
    int min_cell;
} opts_t;

static int parse(int argc, char **argv, opts_t *o)
{
    for (int i = 1; i < argc; i++) {
        const char *opt = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (!val) return cli_missing_value("indicators", opt);
        i++;
        if (!strcmp(opt, "--db")) o->db = val;
        else if (!strcmp(opt, "--forms")) o->forms = val;
        else if (!strcmp(opt, "--from")) o->from = val;
        else if (!strcmp(opt, "--to")) o->to = val;
        else if (!strcmp(opt, "--form")) o->form = val;
        else if (!strcmp(opt, "--point")) o->point = val;
        else if (!strcmp(opt, "--service")) o->service = val;
        else if (!strcmp(opt, "--channel")) o->channel = val;
        else if (!strcmp(opt, "--by")) o->by = val;
        else if (!strcmp(opt, "--format")) o->format = val;
        else if (!strcmp(opt, "-o")) o->out = val;
        else if (!strcmp(opt, "--lang")) {
            int l = i18n_parse(val);
            if (l < 0) {
                fprintf(stderr, "buzon indicators: --lang must be es or ht\n");
                return 2;
            }
            o->lang = (lang_t)l;
        } else if (!strcmp(opt, "--min-cell")) {
            char *end;
            long n = strtol(val, &end, 10);
            if (*end || n < IND_THRESHOLD_MIN || n > IND_THRESHOLD_MAX) {
                fprintf(stderr, "buzon indicators: --min-cell must be a number from %d to %d\n",
                        IND_THRESHOLD_MIN, IND_THRESHOLD_MAX);
                return 2;
            }
            o->min_cell = (int)n;
        } else {
            fprintf(stderr, "buzon indicators: unknown option %s\n", opt);
            return usage();
        }
    }
    /* As the API takes them (model/indicators.h): an empty value is no filter. */
    const char *why, *bad = ind_filter_set(&o->f, o->from, o->to, o->form, o->point, o->service, &why);
    if (bad && !strcmp(bad, "from") && o->f.from_day != IND_DAY_MIN) {
        fprintf(stderr, "buzon indicators: --from is after --to\n");
        return 2;
    }
    if (bad) {
        fprintf(stderr, "buzon indicators: dates are YYYY-MM-DD\n");
        return 2;
    }
    if (ind_filter_set_channel(&o->f, o->channel, &why)) {
        fprintf(stderr, "buzon indicators: --channel must be %s\n", why);
        return 2;
    }
    static const char *const formats[] = { "json", "csv", "csv-es", "xlsx" };
    bool known = false;
    for (size_t i = 0; i < sizeof formats / sizeof *formats; i++) known |= !strcmp(o->format, formats[i]);
    if (!known) {
        fprintf(stderr, "buzon indicators: --format must be json, csv, csv-es or xlsx\n");
        return 2;
    }
    return 0;
}

/* The report in the chosen format into b; false on failure. */
static bool render(buf_t *b, const opts_t *o, const ind_env_t *env, const ind_report_t *rep)
{
    if (!strcmp(o->format, "json")) {
        json_t *j = ind_json(env, rep);
        char *s = json_dumps(j, JSON_INDENT(1) | JSON_REAL_PRECISION(15));
        json_decref(j);
        if (!s) return false;
        buf_puts(b, s);
        buf_putc(b, '\n');
        free(s);
        return true;
    }
    if (!strcmp(o->format, "xlsx")) return ind_xlsx(b, env, rep, o->lang) == 0;
    ind_csv_opts_t co = { o->lang, !strcmp(o->format, "csv-es") };
    ind_csv(b, env, rep, &co);
    return true;
}

static int write_out(const char *path, const buf_t *b)
{
    FILE *fp = path ? fopen(path, "wb") : stdout;
    if (!fp) {
        fprintf(stderr, "buzon indicators: %s: %s\n", path, strerror(errno));
        return 1;
    }
    bool ok = fwrite(b->data ? b->data : "", 1, b->len, fp) == b->len;
    ok = (path ? fclose(fp) : fflush(fp)) == 0 && ok;
    if (!ok) fprintf(stderr, "buzon indicators: cannot write %s\n", path ? path : "stdout");
    return ok ? 0 : 1;
}

int cli_indicators(int argc, char **argv)
{
    opts_t o = { .db = CLI_DEFAULT_DB, .forms = "forms", .format = "json" };
    int rc = parse(argc, argv, &o);
    if (rc) return rc;
    unsigned dims;
    if (!ind_dims_parse(o.by, &dims)) {
        fprintf(stderr, "buzon indicators: --by takes breakdown names separated by commas, or none\n");
        return 2;
    }
    if (!cli_db_exists("indicators", o.db)) return 1;   /* read only: never create one */
    catalog_t cat;
    bool bad = catalog_open(o.forms, &cat, stderr) < 0;
    const char *why;
    if (!bad && ind_filter_check(&cat, &o.f, &why)) {
        fprintf(stderr, "buzon indicators: unknown --form, --point or --service (see buzon points)\n");
        bad = true;
    }
    rc = 1;
    if (!bad) {
        ind_env_t env = { &cat.indicators, cat.forms, cat.nforms, &cat.points,
                          o.min_cell ? o.min_cell : IND_THRESHOLD_DEFAULT };
        ind_report_t rep;
        char err[600];
        if (ind_report_build_db(o.db, &env, &cat.holidays, &o.f, dims, (int64_t)time(NULL), &rep, err,
                                sizeof err) == 0) {
            buf_t b;
            buf_init(&b);
            rc = render(&b, &o, &env, &rep) ? write_out(o.out, &b) : 1;
            buf_free(&b);
            ind_report_free(&rep);
        } else {
            fprintf(stderr, "buzon indicators: %s\n", err);
        }
    }
    catalog_free(&cat);
    return rc;
}
