/*
 * indicators.h: the plan's indicators, computed from the survey answers.
 *
 * Planners report each plan action's indicator ("Medición", "Resultado de
 * evaluación") to the MAP and in SISMAP Municipal. This module turns the
 * stored responses into those figures for any period, form, point and
 * service, with their uncertainty, broken down by every demographic
 * question, point, service, survey language, channel and month, without
 * ever showing a figure about a small group of people.
 *
 * Definitions are data (forms/indicators.csv, see forms/README.md); the
 * plan itself is data too (forms/plan.csv). This header is the model:
 * definitions, plan, breakdowns, filters, results and reports, the
 * statistics and the privacy rules, and the labels of groups. It reads no
 * store and knows no HTTP: the report is built by the service
 * (service/indicators.h: ind_report_build, which the API, the dashboard,
 * the downloads and `buzon indicators` all call) and written by the views
 * (view/ind_out.h: JSON, CSV, XLSX; view/render_dash.h: the pages).
 *
 * Methodology (the product design's, kept here where it is computed):
 *  - Rating items are 1..k (k = 5, from the item's choice list); any other
 *    value ("na", No aplica / No sé) is left out of every score.
 *  - index: item index = (mean - 1) / (k - 1) x 100 over valid answers; an
 *    index over several items is the equal-weight mean of the indices of
 *    the items that have valid answers in that cell. Its n is the number
 *    of respondents with at least one valid item. Its 95% interval is a
 *    t-interval over respondents: each respondent's mean of their valid
 *    items, s = their standard deviation, value +- t(0.975, n-1) s / sqrt(n)
 *    rescaled to 0-100 (centred on the value, clamped to [0, 100]).
 *  - top2: share of valid answers that are k-1 or k; Wilson 95% interval.
 *  - share: answers that are one of `choices` / answers not in `exclude`;
 *    Wilson 95% interval. Shares and top-2-box are given in percent.
 *  - mean: t-interval. median: distribution-free interval from the order
 *    statistics (ranks n/2 -+ 1.96 sqrt(n)/2). count: answers that are one
 *    of `choices`, n = answers to the question, no interval.
 *  - Every figure is from a self-selected (non-probability) sample.
 *  - Privacy: a cell of a breakdown with n < threshold shows neither value
 *    nor n (suppressed). Secondary suppression: while a breakdown hides
 *    exactly one cell, or its hidden cells add up to fewer than threshold
 *    answers, the smallest visible cell is hidden too, so no hidden figure
 *    can be recovered from the total and the visible cells. The overall
 *    figure is shown when its n >= threshold; when it is suppressed its n
 *    is hidden too (-1, null in JSON; issue 17), unless it is 0.
 *  - Differencing: a filter on point, service or dates (ind_filter_narrows)
 *    takes respondents out; if a figure without those filters (the whole
 *    population of its form) has 1..threshold-1 respondents more, the two
 *    figures would give those few away, so the filtered figure is hidden,
 *    its n too. Its breakdown cells are held to the same rule, cell by
 *    cell against the unfiltered cell with the same key, and secondary
 *    suppression also hides cells until what the hidden cells (and the
 *    unfiltered groups with no cell here) add up to cannot differ from
 *    the unfiltered figures by such a small group (ind_protect). `form`
 *    alone narrows nothing: each indicator belongs to one form.
 *    Issue 17: the rule holds against every ancestor of the query (the
 *    same query with any of its narrowing filters dropped,
 *    ind_filter_ancestors), not only the whole: point=A&channel=web is
 *    compared with point=A, channel=web and the whole form.
 *    What a planner should know: this guards only against differencing
 *    with nested queries. Two queries that are not nested can still be
 *    subtracted from each other: `to` = yesterday and `to` = today (both
 *    far from the whole history) give away who answered today; so do two
 *    overlapping periods. Publish
 *    fixed periods (whole months or quarters) and avoid releasing figures
 *    of ranges that differ by a few days or a few respondents. The per-form
 *    response counts ("responses") of the people's forms are a breakdown
 *    like any other since issue 17 (ind_form_count_t.suppressed); a
 *    register's, and the registro channel's, are never hidden.
 *  - Cells of a breakdown partition the total: besides the groups there is
 *    a "no response" cell (key IND_KEY_NONE: question unanswered or "nr";
 *    for points, answered from the general link).
 *  - Dates are days in America/Santo_Domingo (UTC-4 all year, no DST):
 *    responses store the UTC hour, and from/to select local days.
 *
 * Speed: the figures come from aggregates kept in the database
 * (store/store_ind.c, their shape in model/ind_accs.h)
 * by month and by day, folded in incrementally from the responses table the
 * first time they are needed after new responses arrive; a full dashboard
 * reads a few thousand aggregate rows whatever the number of responses.
 *
 * EXTENSION POINT (indicators that are not survey answers: the complaints
 * desk's response times and % within the service standard, actions 6/7).
 * Everything after the computation works on ind_result_t / ind_cell_t and
 * does not care where a figure came from: JSON, CSV, XLSX, the dashboard
 * and the plan page. Two ways in:
 *  - append results to a computed report (what service/cases_ind.c does,
 *    called by ind_report_build): give
 *    each an ind_def_t of your own (static is fine) with an existing kind
 *    for its unit, fill total and by[] for the breakdowns in rep->dims,
 *    keys as IND_KEY_NONE / "YYYY-MM" like the engine's (NULL for a
 *    breakdown that does not apply), call ind_protect() with the same
 *    figure computed without the narrowing filters when
 *    ind_filter_narrows(), and grow rep->r (its cells' keys are then
 *    freed by ind_report_free);
 *  - or, for a new kind of answer-based figure, add an ind_kind_t, its
 *    name in indicators_defs.c (and which items it accepts) and its
 *    statistic in stat_cell() (service/indicators.c); it then works from
 *    forms/indicators.csv with every breakdown and the aggregates.
 */
#ifndef BUZON_INDICATORS_H
#define BUZON_INDICATORS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "model/form.h"
#include "base/i18n.h"
#include "model/points.h"

/* Default minimum n of a published cell. */
#define IND_THRESHOLD_DEFAULT 10
/* The bounds of a threshold set by hand (`serve` and `indicators`
 * --min-cell): below 3 a cell could single out one or two people. */
#define IND_THRESHOLD_MIN 3
#define IND_THRESHOLD_MAX 10000

/* ---- definitions (forms/indicators.csv) ---------------------------------- */

typedef enum ind_kind {
    IND_INDEX, IND_TOP2, IND_SHARE, IND_MEAN, IND_MEDIAN, IND_COUNT,
    /* issue 18, the registers (forms with access = staff):
     *  sum: the total of the number questions in items (counts of people:
     *    attendees, staff evaluated); n is that total, so a cell of fewer
     *    people than the threshold is suppressed like any other.
     *  sumshare: 100 x the total of the items before " / " over the total
     *    of those after it (women among attendees: "asistentes_mujeres /
     *    asistentes_mujeres asistentes_hombres"); n is the base total; no
     *    interval (whole counts of people present, not a sample).
     *  entries: register entries whose select_one item is one of choices;
     *    n = entries answering it. Records of the institution's own
     *    activities, not of people: never suppressed, and allowed only on
     *    a staff form. */
    IND_SUM, IND_SUMSHARE, IND_ENTRIES,
    IND_KIND_COUNT
} ind_kind_t;

typedef struct ind_def {
    char   *id;
    int     action;            /* plan action number (1..10) */
    char   *form;              /* form id */
    ind_kind_t kind;
    char  **items;   size_t nitems;     /* question names */
    char  **choices; size_t nchoices;   /* share/count: the choices counted */
    char  **exclude; size_t nexclude;   /* share: left out of the base */
    size_t  nnum;                       /* sumshare: items[0..nnum) are the
                                           numerator, the rest the base */
    int     scale;             /* index/top2: k of the 1..k rating scale */
    bool    has_target;
    double  target;            /* in the indicator's unit */
    bool    headline;          /* the action's main figure (charted) */
    char   *label[LANG_COUNT];
} ind_def_t;

typedef struct ind_defs {
    ind_def_t *d;
    size_t     n;
} ind_defs_t;

/* Load and check the definitions at path against the loaded forms. Returns
 * 0 (out filled; free with ind_defs_free), 1 when the file does not exist
 * (out empty: no indicators), or -1 with every problem appended to d as
 * `file:row: message` (out empty). */
int ind_defs_load(const char *path, form_t *const *forms, size_t nforms,
                  ind_defs_t *out, diag_t *d);
void ind_defs_free(ind_defs_t *defs);

/* "index", "top2", "share", "mean", "median", "count", "sum", "sumshare",
 * "entries". */
const char *ind_kind_name(ind_kind_t k);
/* True for the kinds whose value is a percentage (top2, share). */
bool ind_kind_is_percent(ind_kind_t k);

/* ---- the plan (forms/plan.csv) -------------------------------------------- */

typedef struct ind_plan_action {
    int   number;
    char *criterion, *subcriterion;   /* CAF criterion "5", subcriterion "5.2" */
    int   start_ym, end_ym;           /* year * 12 + (month - 1) */
    char *action[LANG_COUNT], *objective[LANG_COUNT], *area[LANG_COUNT];
    char *indicator[LANG_COUNT], *responsible[LANG_COUNT], *note[LANG_COUNT];
    /* issue 18: optional columns `indicador_id` (the id in indicators.csv
     * of the action's headline figure; NULL: the action's first headline
     * indicator) and `meta` (the target in that figure's unit; else the
     * indicator's own target). line: the row, for messages. */
    char *indicator_id;
    bool  has_target;
    double target;
    int   line;
} ind_plan_action_t;

typedef struct ind_plan {
    ind_plan_action_t *a;
    size_t             n;
} ind_plan_t;

/* Load the plan. Same return convention as ind_defs_load. */
int ind_plan_load(const char *path, ind_plan_t *out, diag_t *d);
void ind_plan_free(ind_plan_t *plan);
/* The action with this number, or NULL. */
const ind_plan_action_t *ind_plan_find(const ind_plan_t *plan, int number);

/* Load <forms_dir>/indicators.csv and <forms_dir>/plan.csv (each may be
 * absent: then it is empty). 0, or -1 with the problems in d (both empty). */
int ind_load_files(const char *forms_dir, form_t *const *forms, size_t nforms, ind_defs_t *defs,
                   ind_plan_t *plan, diag_t *d);

/* ---- dates (America/Santo_Domingo, UTC-4, no DST) ----------------------- */

/* Day numbers are base/bizdays.h's (the one calendar): a stored UTC unix
 * hour's local day is bizdays_from_time(hour). */
/* Parse a filter date with bizdays_parse() into a day number. */
bool ind_parse_date(const char *s, int64_t *day);
/* Month number (year * 12 + month - 1) of a day number. */
int ind_day_to_ym(int64_t day);
/* Room for a month key with its NUL. */
#define IND_MONTH_KEY_SIZE 16
/* The key of month ym (year * 12 + month - 1) in the "mes" breakdown, the
 * API and the downloads: "YYYY-MM". */
void ind_month_key_format(int ym, char out[IND_MONTH_KEY_SIZE]);
/* The month number of a key "YYYY-MM" (ind_month_key_format's); a key of
 * another shape gives a meaningless number. */
int ind_month_key_parse(const char *key);
/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
int64_t ind_days_from_civil(int y, int m, int d);

/* ---- breakdowns ----------------------------------------------------------- */

typedef enum ind_dim {
    IND_DIM_SEXO, IND_DIM_EDAD, IND_DIM_ZONA, IND_DIM_DISCAPACIDAD, IND_DIM_IDIOMA,
    IND_DIM_LANG,       /* language the survey was answered in */
    IND_DIM_CANAL,      /* channel: web, papel, entrevista, registro */
    IND_DIM_PUNTO,      /* service point ("" = general link) */
    IND_DIM_SERVICIO,   /* the `servicio` answer */
    IND_DIM_MES,        /* local month, key "YYYY-MM" */
    IND_DIM_COUNT
} ind_dim_t;

#define IND_DIMS_ALL ((1u << IND_DIM_COUNT) - 1)
/* The group key of a breakdown's "no response" cell. */
#define IND_KEY_NONE "_ninguno"

/* Breakdown names as used in the API: "sexo", "edad", "zona",
 * "discapacidad", "idioma", "idioma_encuesta", "canal", "punto", "servicio",
 * "mes". */
const char *ind_dim_name(ind_dim_t d);
/* Parse a name; -1 if unknown. */
int ind_dim_parse(const char *name);
/* A list of breakdowns, as the API's by= and `buzon indicators --by` take
 * it: names separated by commas, or "none" (no breakdown); NULL or ""
 * means every breakdown (IND_DIMS_ALL). Sets *dims (1 << ind_dim_t) and
 * returns true, or returns false when a name is unknown or empty (as in
 * "sexo,,edad" or ",sexo"; one trailing comma is taken); *dims is then
 * unspecified. */
bool ind_dims_parse(const char *s, unsigned *dims);
/* Its heading in lang ("Sexo", "Sèks"...). */
const char *ind_dim_title(ind_dim_t d, lang_t lang);
/* The demographic questions every response is broken down by, in
 * ind_dim_t order (IND_DIM_SEXO .. IND_DIM_IDIOMA). */
extern const char *const ind_answer_dims[IND_DIM_IDIOMA + 1];

/* ---- filters, results, reports ---------------------------------------------- */

/* Open ends of a day range. */
#define IND_DAY_MIN INT64_MIN
#define IND_DAY_MAX INT64_MAX

typedef struct ind_filter {
    int64_t     from_day, to_day;      /* inclusive local days */
    const char *form, *point, *service;   /* NULL: all */
    const char *channel;                  /* NULL: all; else one of ind_channels */
} ind_filter_t;

/* An unfiltered filter. */
ind_filter_t ind_filter_all(void);

/* The filters as the API's query and `buzon indicators` give them, each
 * NULL or "" for no filter (what an untouched select of the dashboard's
 * form sends): from and to as YYYY-MM-DD local days, the ids of a form, a
 * point and a service. Sets *f (its strings borrowed from the arguments)
 * and returns NULL, or returns the name of the first unacceptable
 * parameter ("from" or "to": not a date, or from after to) with *why
 * saying what it expects, in the API's English ("a date YYYY-MM-DD").
 * The ids are checked against the forms folder by ind_filter_check. */
const char *ind_filter_set(ind_filter_t *f, const char *from, const char *to, const char *form,
                           const char *point, const char *service, const char **why);
/* The channels an answer comes by (issue 17), the codes of responses.channel,
 * of the "canal" breakdown and of the channel filter, in display order. */
#define IND_NCHANNELS 4
extern const char *const ind_channels[IND_NCHANNELS];
/* The code of a stored channel: "paper" (what older generators wrote) is
 * "papel"; any other code is itself. Never NULL for a non-NULL code. */
const char *ind_channel_norm(const char *code);
/* Set f's channel filter from the query's value (NULL or "": no filter;
 * borrowed). Returns NULL, or "channel" when the value is not one of
 * ind_channels, with *why saying what is expected in the API's English. */
const char *ind_filter_set_channel(ind_filter_t *f, const char *channel, const char **why);
struct catalog;
/* NULL when f's form, point and service (if set) exist in cat (model/
 * catalog.h); else the name of the first that does not ("form", "point",
 * "service") with *why saying what it expects ("the id of a form"). */
const char *ind_filter_check(const struct catalog *cat, const ind_filter_t *f, const char **why);

/* The model context of a report: the definitions, the threshold and, to
 * order and label groups, the forms and points. What the computation
 * (service/indicators.h, with the store) and the writers (view/) read.
 * Borrowed, not owned. */
typedef struct ind_env {
    const ind_defs_t    *defs;
    form_t *const       *forms;
    size_t               nforms;
    const points_t      *points;
    int                  threshold;   /* >= 1 */
} ind_env_t;

typedef struct ind_cell {
    char   *key;          /* group key ("" for a total) */
    double  value;        /* NAN when suppressed or without data */
    double  lo, hi;       /* 95% interval, NAN when none */
    int64_t n;            /* -1 when suppressed in a breakdown */
    bool    suppressed;
} ind_cell_t;

typedef struct ind_result {
    const ind_def_t *def;
    ind_cell_t       total;
    /* Cells of each breakdown asked (none: no group has data). NULL when
     * the breakdown does not apply to the figure (the case figures have
     * no demographic breakdowns): outputs leave it out or say so. */
    ind_cell_t      *by[IND_DIM_COUNT];
    size_t           nby[IND_DIM_COUNT];
} ind_result_t;

/* Responses per form in the period (whatever the breakdowns). responses
 * is the true count, for decisions (has the form any?); a writer shows
 * it, and its months, only when !suppressed (issue 17: a form of people
 * is a cell of the breakdown of all people's answers by form, hidden
 * like the channels; a register's entries are never hidden). */
typedef struct ind_form_count {
    const char *form;
    int64_t     responses;
    int         first_ym, last_ym;   /* months with responses; -1 if none */
    bool        suppressed;          /* issue 17 */
} ind_form_count_t;

typedef struct ind_report {
    ind_result_t     *r;
    size_t            n;
    ind_form_count_t *forms;
    size_t            nforms;
    /* Responses per channel (issue 17) over the forms of the report, in
     * ind_channels order, only channels with responses; key = the code,
     * n = the count, suppressed like the cells of a breakdown (n -1 then)
     * and, under a narrowing filter, held to the differencing rule; the
     * people's channels only: `registro` counts a register's entries, the
     * institution's acts, and is never hidden (issue 17). */
    ind_cell_t       *channels;
    size_t            nchannels;
    ind_filter_t      filter;     /* as given (strings borrowed) */
    unsigned          dims;       /* breakdowns computed (1 << ind_dim_t) */
    int               threshold;
    int64_t           generated_at;   /* unix time */
} ind_report_t;

/* Free a report's results and counts (its filter's strings are
 * borrowed); r is zeroed. (indicators_report.c) */
void ind_report_free(ind_report_t *r);
/* Free one result's cell keys and breakdown arrays (not its def). */
void ind_result_free(ind_result_t *r);

/* Apply primary and secondary suppression to the cells of one breakdown
 * (see the top of this file). */
void ind_suppress(ind_cell_t *cells, size_t n, int threshold);

/* True when f takes respondents out of a form's population: a point, a
 * service, a channel or a date bound. */
bool ind_filter_narrows(const ind_filter_t *f);

/* Apply every privacy rule of the top of this file to r, whose total and
 * breakdown cells (those in dims) still carry their values and n: the
 * total's threshold, suppression of each breakdown and, when whole is not
 * NULL, the differencing rule against whole, the same figure computed
 * without the narrowing filters (its cells unsuppressed; not changed). */
void ind_protect(ind_result_t *r, const ind_result_t *whole, unsigned dims, int threshold);

/* issue 17: the most ancestors a filter has (ind_filter_ancestors): the
 * proper subsets of its five narrowing filters. */
#define IND_MAX_ANCESTORS 31
/* The ancestors of f into out: f with one or more of its narrowing
 * filters (point, service, channel, from, to) dropped, the whole form
 * (all dropped) first; their strings are f's. Returns how many (0 when f
 * does not narrow). */
size_t ind_filter_ancestors(const ind_filter_t *f, ind_filter_t out[IND_MAX_ANCESTORS]);
/* ind_protect against every ancestor in anc[0..nanc) (each the same
 * figure computed with the filters of one ind_filter_ancestors entry;
 * not changed): a figure or cell is hidden when it differs from any of
 * them by 1..threshold-1 respondents, and secondary suppression goes on
 * until no ancestor's hidden cells differ by such a group, so two nested
 * queries (point=A&channel=web against point=A) never single anyone out.
 * ind_protect(r, w, ...) is ind_protect_nested(r, &w, 1, ...). */
void ind_protect_nested(ind_result_t *r, const ind_result_t *const *anc, size_t nanc, unsigned dims,
                        int threshold);

/* ---- statistics (exposed for tests and for new kinds) -------------------- */

/* Two-sided 95% Student t quantile t(0.975, df), df >= 1. */
double ind_t975(int64_t df);
/* Wilson 95% interval of x successes in n trials, as proportions. */
void ind_wilson(double x, double n, double *lo, double *hi);
/* Mean and t-interval half-width from n, sum and sum of squares; the
 * half-width is NAN when n < 2. */
void ind_mean_ci(double n, double sum, double sumsq, double *mean, double *half);

/* ---- labels (indicators_report.c) -------------------------------------------- */

/* Label of a group of a breakdown in lang ("Mujer", "Mercado municipal",
 * "septiembre 2024", "Sin respuesta"...). The returned text lives in the
 * forms, points or strings tables, or in *scratch (reset first). */
const char *ind_group_label(const ind_env_t *env, const ind_def_t *def, ind_dim_t dim,
                            const char *key, lang_t lang, buf_t *scratch);
/* The short name of a channel code in lang ("Web", "Papel", "Entrevista",
 * "Registro"; "paper" is papel), for the filter and the counts line; an
 * unknown code is itself. Static text. */
const char *ind_channel_label(const char *code, lang_t lang);
/* Month name of a month number (year * 12 + month - 1) in lang, with its
 * year ("septiembre 2024"); short: the first three letters ("sep 2024"). */
void ind_month_label(buf_t *out, int ym, lang_t lang, bool short_form);

#endif
