/*
 * http_indicators.c: the indicators over HTTP: the API
 * (/api/v1/indicators, and .csv / .xlsx of the same figures), the
 * dashboard (/indicadores) and the plan page (/indicadores/plan).
 *
 * Query filters, the same everywhere: from, to (YYYY-MM-DD, local days in
 * America/Santo_Domingo), form, point, service, and the channel (the API's
 * channel, the dashboard's canal: web, papel, entrevista, registro; issue
 * 17); an empty value is no
 * filter (what an untouched select of the dashboard's form sends). The
 * API also takes by (comma-separated breakdowns, or "none"; default all),
 * the CSV sep ("," or ";" / "semicolon": ';' with a decimal comma for
 * Spanish Excel), and lang for the labels of CSV and XLSX. A bad value
 * gets 400: JSON {"error": ..., "parameter": ...} from the API, the
 * dashboard with the message beside its form.
 *
 * Access, one rule for the figures whatever the format (the dashboard, the
 * plan page, the API's JSON, CSV and XLSX): staff with the roles
 * planificacion, lectura or admin (AUTH_ROLES_INDICATORS), or anyone when
 * the server runs with --public-indicators (figures_guard). Without a
 * session a page redirects to /login and the API answers 401; with another
 * role, 403.
 */
#include "http/http_int.h"
#include "view/render_staff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/bizdays.h"
#include "model/indicators.h"
#include "service/indicators.h"
#include "service/plan.h"
#include "model/pdf.h"
#include "view/plan_report.h"
#include "view/ind_out.h"
#include "view/render_dash.h"
#include "http/report_cache.h"

static ind_env_t env_of(const app_t *app, const req_t *r)
{
    return (ind_env_t){ .defs = &r->forms->cat.indicators, .forms = r->forms->cat.forms,
                        .nforms = r->forms->cat.nforms, .points = &r->forms->cat.points,
                        .threshold = app->min_cell };
}

/* The one report of every interface (service/indicators.h: the survey's
 * figures and the complaints desk's), as of now, shared through the
 * report cache (report_cache.h): *rep is read-only and given back with
 * report_cache_put(r->forms->reports, *rep). */
static int compute(const app_t *app, const req_t *r, const ind_env_t *env, const ind_filter_t *f, unsigned dims,
                   const ind_report_t **rep)
{
    return report_cache_get(r->forms->reports, app->store, env, &r->forms->cat.holidays, f, dims, rep);
}

/* A query argument, NULL when absent or empty. */
static const char *arg(struct MHD_Connection *c, const char *key)
{
    const char *v = http_arg(c, key);
    return v && *v ? v : NULL;
}

/* The filters of the query into f (model/indicators.h: the rule of the
 * API and the command line). Returns NULL, or the name of the first
 * parameter whose value is not acceptable; *why says what is expected. */
static const char *parse_filter(struct MHD_Connection *c, const catalog_t *cat, ind_filter_t *f,
                                const char *channel_key, const char **why)
{
    const char *bad = ind_filter_set(f, arg(c, "from"), arg(c, "to"), arg(c, "form"), arg(c, "point"),
                                     arg(c, "service"), why);
    if (!bad && ind_filter_set_channel(f, arg(c, channel_key), why)) bad = channel_key;
    return bad ? bad : ind_filter_check(cat, f, why);
}

static enum MHD_Result bad_request(struct MHD_Connection *c, req_t *r, const char *param, const char *why)
{
    char msg[160];
    snprintf(msg, sizeof msg, "invalid value for '%s': expected %s", param, why);
    return http_send_json(c, r, MHD_HTTP_BAD_REQUEST,
                          json_pack("{s:s,s:s}", "error", msg, "parameter", param));
}

static enum MHD_Result db_error(struct MHD_Connection *c, req_t *r)
{
    return http_send_json(c, r, MHD_HTTP_INTERNAL_SERVER_ERROR,
                          json_pack("{s:s}", "error", "database error"));
}

/* The one access rule of the figures (see the top of this file): true
 * when the request may see them; else *ret is the refusal. s is the
 * session, or zeroed when the figures are public. */
static bool figures_guard(struct MHD_Connection *c, req_t *r, app_t *app, staff_req_t *s,
                          enum MHD_Result *ret)
{
    if (app->public_indicators) {
        memset(s, 0, sizeof *s);
        return true;
    }
    return http_staff_guard(c, r, app, AUTH_ROLES_INDICATORS, s, ret);
}

/* The export formats share everything but the writer. */
typedef enum { OUT_JSON, OUT_CSV, OUT_XLSX } out_kind_t;

static enum MHD_Result api(struct MHD_Connection *c, req_t *r, app_t *app, out_kind_t kind)
{
    staff_req_t s;
    enum MHD_Result ret;
    if (!figures_guard(c, r, app, &s, &ret)) return ret;
    ind_filter_t f;
    const char *why, *bad = parse_filter(c, &r->forms->cat, &f, "channel", &why);
    if (bad) return bad_request(c, r, bad, why);
    unsigned dims;
    if (!ind_dims_parse(arg(c, "by"), &dims))
        return bad_request(c, r, "by", "breakdown names separated by commas, or none");
    const char *sep = arg(c, "sep");
    bool excel_es = sep && (!strcmp(sep, ";") || !strcmp(sep, "semicolon"));
    if (sep && !excel_es && strcmp(sep, ","))
        return bad_request(c, r, "sep", "',' or ';'");
    ind_env_t env = env_of(app, r);
    const ind_report_t *rep;
    if (compute(app, r, &env, &f, dims, &rep) != STORE_OK) return db_error(c, r);
    lang_t lang = http_lang(c, LANG_ES);
    buf_t b;
    buf_init(&b);
    /* Downloads are saved under a name that says what and when, so the
     * two CSV flavours and successive pulls do not overwrite each other:
     * indicadores-2026-11-24.csv, indicadores-2026-11-24-excel-es.csv. */
    char name[64], day[11];
    bizdays_format(bizdays_from_time((int64_t)time(NULL)), day);   /* the Dominican date */
    if (kind == OUT_JSON) {
        ret = http_send_json(c, r, MHD_HTTP_OK, ind_json(&env, rep));
    } else if (kind == OUT_CSV) {
        ind_csv_opts_t o = { lang, excel_es };
        ind_csv(&b, &env, rep, &o);
        snprintf(name, sizeof name, "indicadores-%s%s.csv", day, excel_es ? "-excel-es" : "");
        ret = http_send_file(c, r, MHD_HTTP_OK, &b, "text/csv; charset=utf-8", "no-store", name);
    } else if (ind_xlsx(&b, &env, rep, lang) == 0) {
        snprintf(name, sizeof name, "indicadores-%s.xlsx", day);
        ret = http_send_file(c, r, MHD_HTTP_OK, &b,
                             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "no-store",
                             name);
    } else {
        ret = http_send_json(c, r, MHD_HTTP_INTERNAL_SERVER_ERROR,
                             json_pack("{s:s}", "error", "cannot write the workbook"));
    }
    buf_free(&b);
    report_cache_put(r->forms->reports, rep);
    return ret;
}

enum MHD_Result h_api_indicators(struct MHD_Connection *c, req_t *r, app_t *app)
{
    return api(c, r, app, OUT_JSON);
}

enum MHD_Result h_api_indicators_csv(struct MHD_Connection *c, req_t *r, app_t *app)
{
    return api(c, r, app, OUT_CSV);
}

enum MHD_Result h_api_indicators_xlsx(struct MHD_Connection *c, req_t *r, app_t *app)
{
    return api(c, r, app, OUT_XLSX);
}

/* The staff menu for a page a staff session opened (s), else nothing;
 * *nav is initialised either way and its data is NULL when empty. */
static void staff_nav(struct MHD_Connection *c, const app_t *app, const staff_req_t *s,
                      const char *self, buf_t *nav)
{
    buf_init(nav);
    if (!s) return;
    staff_view_t v;
    http_staff_view(c, s, self, &v);
    render_staff_nav(nav, &v, app->public_indicators);
}

enum MHD_Result h_dashboard(struct MHD_Connection *c, req_t *r, app_t *app)
{
    staff_req_t s;   /* planificacion, lectura, admin; anyone with --public-indicators */
    enum MHD_Result ret;
    if (!figures_guard(c, r, app, &s, &ret)) return ret;
    lang_t lang = http_lang(c, LANG_ES);
    buf_t nav;
    staff_nav(c, app, app->public_indicators ? NULL : &s, "/indicadores?", &nav);
    ind_dash_view_t v = { .from = arg(c, "from"), .to = arg(c, "to"), .form = arg(c, "form"),
                          .point = arg(c, "point"), .service = arg(c, "service"), .by = IND_DIM_SEXO,
                          .channel = arg(c, "canal") };
    ind_filter_t f;
    const char *why;
    v.error_param = parse_filter(c, &r->forms->cat, &f, "canal", &why);
    const char *by = arg(c, "by");
    /* by=none: no breakdown (the select's "Ninguna"). */
    /* issue 17: any list the API takes (several, mes); the select shows
     * the first. */
    unsigned want = 0;
    if (!by || !*by) {
        v.by = IND_DIM_SEXO;
    } else if (!strcmp(by, "none")) {
        v.by = IND_DASH_BY_NONE;
        v.by_list = by;
    } else if (!ind_dims_parse(by, &want) || !want) {
        if (!v.error_param) v.error_param = "by";
    } else {
        v.by_dims = want;
        v.by_list = by;
        for (int d = IND_DIM_COUNT - 1; d >= 0; d--)
            if (want & 1u << d) v.by = (ind_dim_t)d;
    }
    ind_env_t env = env_of(app, r);
    const ind_report_t *rep = NULL;
    if (!v.error_param) {
        /* The cards chart services and months; action 4 the chosen one. */
        unsigned dims = 1u << IND_DIM_SERVICIO | 1u << IND_DIM_MES;
        if (v.by != IND_DASH_BY_NONE) dims |= 1u << v.by;
        dims |= v.by_dims;
        if (compute(app, r, &env, &f, dims, &rep) != STORE_OK) {
            buf_free(&nav);
            return http_send_error(c, r, app, MHD_HTTP_INTERNAL_SERVER_ERROR);
        }
    }
    buf_t b;
    buf_init(&b);
    v.nav = nav.data;
    render_dashboard(&b, &env, &r->forms->cat.plan, rep, &v, lang);
    buf_free(&nav);
    report_cache_put(r->forms->reports, rep);
    return http_send_html(c, r, v.error_param ? MHD_HTTP_BAD_REQUEST : MHD_HTTP_OK, &b);
}

enum MHD_Result h_plan(struct MHD_Connection *c, req_t *r, app_t *app)
{
    staff_req_t s;   /* as the dashboard */
    enum MHD_Result ret;
    if (!figures_guard(c, r, app, &s, &ret)) return ret;
    ind_env_t env = env_of(app, r);
    /* issue 18: a period (from, to) for the statuses, figures and report */
    ind_plan_view_t v = { .from = arg(c, "from"), .to = arg(c, "to") };
    ind_filter_t f;
    const char *why;
    v.error_param = ind_filter_set(&f, v.from, v.to, NULL, NULL, NULL, &why);
    const ind_report_t *rep = NULL;
    plan_row_t *rows = NULL;
    if (!v.error_param) {
        if (compute(app, r, &env, &f, 0, &rep) != STORE_OK)
            return http_send_error(c, r, app, MHD_HTTP_INTERNAL_SERVER_ERROR);
        if (plan_gather(app->store, &env, &r->forms->cat.holidays, &r->forms->cat.plan, &f, (int64_t)time(NULL),
                        &rows, &v.as_of) != STORE_OK) {
            report_cache_put(r->forms->reports, rep);
            return http_send_error(c, r, app, MHD_HTTP_INTERNAL_SERVER_ERROR);
        }
    }
    buf_t b, nav;
    buf_init(&b);
    staff_nav(c, app, app->public_indicators ? NULL : &s, "/indicadores/plan?", &nav);
    v.nav = nav.data;
    render_plan(&b, &env, &r->forms->cat.plan, rep, rows, &v, http_lang(c, LANG_ES));
    buf_free(&nav);
    plan_rows_free(rows, r->forms->cat.plan.n);
    report_cache_put(r->forms->reports, rep);
    return http_send_html(c, r, v.error_param ? MHD_HTTP_BAD_REQUEST : MHD_HTTP_OK, &b);
}

/* issue 18: the report for the MAP of the plan page's period and language
 * (view/plan_report.h), as `buzon report` writes it; same guard as the
 * page. A refused period is a 400 page. */
static enum MHD_Result plan_report(struct MHD_Connection *c, req_t *r, app_t *app, bool xlsx)
{
    staff_req_t s;
    enum MHD_Result ret;
    if (!figures_guard(c, r, app, &s, &ret)) return ret;
    const char *from = arg(c, "from"), *to = arg(c, "to"), *why;
    ind_filter_t f;
    if (ind_filter_set(&f, from, to, NULL, NULL, NULL, &why))
        return http_send_error(c, r, app, MHD_HTTP_BAD_REQUEST);
    ind_env_t env = env_of(app, r);
    const ind_report_t *rep;
    if (compute(app, r, &env, &f, 0, &rep) != STORE_OK)
        return http_send_error(c, r, app, MHD_HTTP_INTERNAL_SERVER_ERROR);
    int64_t now = (int64_t)time(NULL), as_of;
    plan_row_t *rows;
    if (plan_gather(app->store, &env, &r->forms->cat.holidays, &r->forms->cat.plan, &f, now, &rows, &as_of)
        != STORE_OK) {
        report_cache_put(r->forms->reports, rep);
        return http_send_error(c, r, app, MHD_HTTP_INTERNAL_SERVER_ERROR);
    }
    lang_t lang = http_lang(c, LANG_ES);
    plan_register_t *regs = NULL;   /* issue 18: the registers' latest entries */
    size_t nregs = 0;
    if (plan_registers_gather(app->store, &env, &f, lang, PLAN_REPORT_ENTRIES, &regs, &nregs) != STORE_OK) {
        plan_rows_free(rows, r->forms->cat.plan.n);
        report_cache_put(r->forms->reports, rep);
        return http_send_error(c, r, app, MHD_HTTP_INTERNAL_SERVER_ERROR);
    }
    plan_report_in_t in = { &env, &r->forms->cat.plan, rep, rows, from, to, as_of, bizdays_from_time(now),
                            lang, regs, nregs };
    buf_t b;
    buf_init(&b);
    int rc;
    if (xlsx) {
        rc = plan_report_xlsx(&b, &in);
    } else {
        buf_t *pages = NULL;
        size_t n = plan_report_svg(&pages, &in);
        rc = pdf_from_svgs(&b, pages, n);
        for (size_t p = 0; p < n; p++) buf_free(&pages[p]);
        free(pages);
    }
    plan_rows_free(rows, r->forms->cat.plan.n);
    plan_registers_free(regs, nregs);
    report_cache_put(r->forms->reports, rep);
    if (rc) {
        buf_free(&b);
        return http_send_error(c, r, app, MHD_HTTP_INTERNAL_SERVER_ERROR);
    }
    char name[64], day[11];
    bizdays_format(bizdays_from_time(now), day);   /* the Dominican date */
    snprintf(name, sizeof name, "informe-plan-de-mejora-%s.%s", day, xlsx ? "xlsx" : "pdf");
    ret = http_send_file(c, r, MHD_HTTP_OK, &b,
                         xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                              : "application/pdf",
                         "no-store", name);
    buf_free(&b);
    return ret;
}

enum MHD_Result h_plan_pdf(struct MHD_Connection *c, req_t *r, app_t *app)
{
    return plan_report(c, r, app, false);
}

enum MHD_Result h_plan_xlsx(struct MHD_Connection *c, req_t *r, app_t *app)
{
    return plan_report(c, r, app, true);
}
