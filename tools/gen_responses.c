/*
 * gen_responses.c: fill a buzon database with realistic synthetic survey
 * responses, for benchmarks (make bench) and for looking at the dashboard
 * with more than a handful of answers.
 *
 *   gen_responses [--db PATH] [--forms DIR] [-n N] [--seed S]
 *                 [--from YYYY-MM] [--months M]
 *
 * Realistic means: answers that the real forms accept (every response goes
 * through answers_validate, so relevance drops what a citizen would never
 * have been asked), stored in time order with office-hour timestamps over
 * M months and fewer on weekends, most responses from a poster's point, Spanish and Kreyòl,
 * web and paper (channel "papel"), optional questions sometimes skipped, "No aplica"
 * sometimes, and ratings that differ by service, improve slowly month by
 * month and are lower for some groups (rural residents, Kreyòl speakers,
 * people with a disability on access items) so that breakdowns show
 * something. The same seed gives the same database.
 *
 * Speed: rows go in through the store's bulk writer (store/store_bulk.h:
 * plain prepared INSERTs in large transactions with synchronous=OFF; a
 * generator, not the service: if it crashes, run it again), after
 * store_open() has created or migrated the schema and recorded the form
 * versions exactly as the server does. This tool speaks no SQL itself.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/answers.h"
#include "base/bizdays.h"
#include "base/buf.h"
#include "model/catalog.h"
#include "store/store.h"
#include "store/store_bulk.h"

/* ---- random numbers (splitmix64: small, fast, reproducible) ---- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static double unif(void)
{
    return (double)(rnd() >> 11) / 9007199254740992.0;
}

static double gauss(void)
{
    double u = unif(), v = unif();
    return sqrt(-2 * log(u + 1e-300)) * cos(2 * M_PI * v);
}

/* ---- answer distributions ---- */

/* "a:50 b:30 c:20": pick a name with those weights. Returns a pointer into
 * a static copy (valid until the next call). */
static const char *pick(const char *spec)
{
    static char out[64];
    double total = 0;
    for (const char *p = spec; (p = strchr(p, ':')); p++) total += atof(p + 1);
    double x = unif() * total;
    const char *p = spec;
    while (*p) {
        while (*p == ' ') p++;
        const char *colon = strchr(p, ':');
        double w = atof(colon + 1);
        const char *end = strchr(colon, ' ');
        if (x < w || !end) {
            size_t n = (size_t)(colon - p);
            if (n >= sizeof out) n = sizeof out - 1;
            memcpy(out, p, n);
            out[n] = '\0';
            return out;
        }
        x -= w;
        p = end;
    }
    return "";
}

/* Choice weights of the standard forms' select questions (others: equal). */
static const struct { const char *q, *w; } weights[] = {
    { "sexo", "mujer:50 hombre:46 otro:1 nr:3" },
    { "edad", "menos_18:4 18_29:24 30_44:30 45_59:24 60_mas:15 nr:3" },
    { "zona", "urbana:60 rural:37 nr:3" },
    { "discapacidad_consent", "si:55 no:45" },
    { "discapacidad", "si:12 no:85 nr:3" },
    { "comentario_tipo", "ninguno:62 sugerencia:16 queja:14 elogio:8" },
    { "quiere_respuesta", "si:30 no:70" },
    { "contacto_consent", "no:1" },
    { "llegada", "a_pie:40 motocicleta:22 motoconcho:20 carro:8 guagua:7 otro:3" },
    { "espera", "menos_15:45 15_30:28 30_60:18 mas_60:9" },
    { "ayuda_idioma", "si:9 no:78 na:13" },
    { "ag_solicitud", "si:45 no:55" },
    { "ag_tipo", "solicitud_servicio:40 queja:20 reclamo:12 informacion:22 otro:6" },
    { "ag_canal", "presencial:55 telefono:15 whatsapp:20 carta:4 redes:4 otro:2" },
    { "ag_respondida", "si:58 no:27 en_proceso:15" },
    { "ag_demora", "mismo_dia:14 1_7:33 8_15:22 16_30:14 mas_30:9 no_sabe:8" },
};

/* Mean rating (1..5 scale) by service. */
static const struct { const char *service; double mean; } service_mean[] = {
    { "mercado", 3.4 }, { "matadero", 3.1 }, { "cementerio", 3.7 },
    { "recoleccion", 2.9 }, { "oficina", 3.8 },
};

static const char *weighted_choice(const question_t *q)
{
    for (size_t i = 0; i < sizeof weights / sizeof *weights; i++)
        if (!strcmp(weights[i].q, q->name)) return pick(weights[i].w);
    return q->list->choices[rnd() % q->list->nchoices].name;
}

static bool is_rating(const question_t *q)
{
    return q->type == Q_SELECT_ONE && form_choice(q, "1") && form_choice(q, "5");
}

static bool is_demographic(const char *name)
{
    static const char *const d[] = { "sexo", "edad", "zona", "discapacidad_consent", "discapacidad", "idioma" };
    for (size_t i = 0; i < sizeof d / sizeof *d; i++)
        if (!strcmp(name, d[i])) return true;
    return false;
}

/* ---- one response ---- */

typedef struct gen {
    catalog_t cat;           /* forms/, loaded as the server does */
    int64_t  *fv;            /* form version ids */
    int64_t   first_day;     /* unix day of the first day */
    int       days;
    store_bulk_t *bulk;
} gen_t;

static void set(answers_t *a, size_t i, const char *v)
{
    free(a->val[i]);
    a->val[i] = v ? xstrdup(v) : NULL;
}

static const char *answer_of(const answers_t *a, const char *name)
{
    for (size_t i = 0; i < a->form->nq; i++)
        if (!strcmp(a->form->q[i].name, name)) return a->val[i];
    return NULL;
}

/* Fill every question; validation then drops what does not apply. */
static void fill(answers_t *a, const char *service, const char *lang, int month)
{
    const form_t *f = a->form;
    /* Demographics first: they move the ratings. */
    for (size_t i = 0; i < f->nq; i++) {
        const question_t *q = &f->q[i];
        if (!is_demographic(q->name)) continue;
        if (unif() < 0.15) continue;
        const char *v = weighted_choice(q);
        if (!strcmp(q->name, "idioma") && !strcmp(lang, "ht")) v = pick("ht:70 ambos:25 es:3 nr:2");
        set(a, i, v);
    }
    const char *zona = answer_of(a, "zona"), *idioma = answer_of(a, "idioma"),
               *disc = answer_of(a, "discapacidad");
    double mean = 3.3;
    for (size_t k = 0; k < sizeof service_mean / sizeof *service_mean; k++)
        if (!strcmp(service, service_mean[k].service)) mean = service_mean[k].mean;
    mean += 0.02 * month;
    if (zona && !strcmp(zona, "rural")) mean -= 0.2;
    if (idioma && (!strcmp(idioma, "ht") || !strcmp(idioma, "ambos"))) mean -= 0.25;
    double latent = mean + 0.8 * gauss();
    for (size_t i = 0; i < f->nq; i++) {
        const question_t *q = &f->q[i];
        if (is_demographic(q->name) || !form_q_answerable(q)) continue;
        if (q->appearance & APP_POINT_SERVICE) {
            set(a, i, service);
        } else if (is_rating(q)) {
            bool access = !strncmp(q->name, "acc_disc", 8);
            if (!q->required && unif() < 0.03) continue;
            if (unif() < (access ? 0.2 : 0.04)) {
                set(a, i, form_choice(q, "na") ? "na" : NULL);
                continue;
            }
            double x = latent + 0.7 * gauss() + (access && disc && !strcmp(disc, "si") ? -0.4 : 0);
            char v[2] = { (char)('0' + (x < 1.5 ? 1 : x >= 4.5 ? 5 : (int)lround(x))), 0 };
            set(a, i, v);
        } else if (q->type == Q_SELECT_ONE) {
            if (!q->required && unif() < 0.05) continue;
            set(a, i, weighted_choice(q));
        } else if (q->type == Q_TEXT && !strcmp(q->name, "comentario")) {
            set(a, i, unif() < 0.5 ? "Que limpien más seguido." : "Mejor atención, por favor.");
        }
    }
}

static bool insert(gen_t *g, size_t fi, const answers_t *a, const point_t *pt, const char *lang,
                   const char *channel, int64_t hour, uint64_t serial)
{
    char sid[40];
    snprintf(sid, sizeof sid, "gen-%016llx-%08llx", (unsigned long long)rnd(), (unsigned long long)serial);
    store_answer_t ans[a->form->nq ? a->form->nq : 1];
    size_t nans = 0;
    for (size_t i = 0; i < a->form->nq; i++)
        if (a->val[i]) ans[nans++] = (store_answer_t){ a->form->q[i].name, a->val[i] };
    store_response_t r = {
        .submission_id = sid, .form_version_id = g->fv[fi], .form_id = g->cat.forms[fi]->id,
        .point_id = pt ? pt->id : NULL, .lang = lang, .channel = channel, .submitted_hour = hour,
        .duration_s = 30 + (int)(rnd() % 240), .answers = ans, .nanswers = nans,
    };
    return store_bulk_add(g->bulk, &r) == STORE_OK;
}

/* One response on a local day and hour, stored unless the form refused
 * it (*stored says which); false on a database error. */
static bool one(gen_t *g, uint64_t serial, int64_t day, int local_hour, bool *stored)
{
    /* Form: satisfaction is the main survey. */
    double u = unif();
    const char *fid = u < 0.6 ? "satisfaccion" : u < 0.85 ? "accesibilidad" : "agilidad";
    size_t fi = 0;
    for (size_t i = 0; i < g->cat.nforms; i++)
        if (!strcmp(g->cat.forms[i]->id, fid)) fi = i;
    /* Mostly from a poster; markets and offices see the most people. */
    const point_t *pt = NULL;
    char service[32];   /* pick()'s result is overwritten by the next pick() */
    if (unif() < 0.75 && g->cat.points.npoints) {
        pt = &g->cat.points.points[rnd() % g->cat.points.npoints];
        snprintf(service, sizeof service, "%s", pt->service->id);
    } else {
        snprintf(service, sizeof service, "%s",
                 pick("mercado:30 matadero:8 cementerio:10 recoleccion:22 oficina:30"));
    }
    const char *lang = unif() < 0.82 ? "es" : "ht";
    const char *channel = unif() < 0.88 ? "web" : "papel";
    int64_t hour = bizdays_to_time((int32_t)day) + local_hour * 3600;
    int month = (int)((day - g->first_day) / 30);

    answers_t a;
    answers_init(&a, g->cat.forms[fi]);
    fill(&a, service, lang, month);
    bool ok = true;
    *stored = answers_validate(&a) == 0;
    if (!*stored) {
        /* A citizen types only where the page asks: the generator's text
         * in a question that does not apply (the form now refuses it,
         * AERR_NOT_APPLICABLE) is taken back, as a person would. */
        bool took_back = false;
        for (size_t i = 0; i < a.form->nq; i++)
            if (a.err[i] == AERR_NOT_APPLICABLE) {
                set(&a, i, NULL);
                took_back = true;
            }
        if (took_back) *stored = answers_validate(&a) == 0;
    }

    if (*stored) ok = insert(g, fi, &a, pt, lang, channel, hour, serial);
    answers_free(&a);
    return ok;
}

static int usage(void)
{
    fputs("usage: gen_responses [--db PATH] [--forms DIR] [-n N] [--seed S] [--from YYYY-MM] [--months M]\n",
          stderr);
    return 2;
}

int main(int argc, char **argv)
{
    const char *db = "var/buzon.db", *forms_dir = "forms", *from = "2024-09";
    long n = 1000000, months = 12;
    rng_state = 20240901;
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v) return usage();
        i++;
        if (!strcmp(o, "--db")) db = v;
        else if (!strcmp(o, "--forms")) forms_dir = v;
        else if (!strcmp(o, "-n")) n = atol(v);
        else if (!strcmp(o, "--seed")) rng_state = strtoull(v, NULL, 10);
        else if (!strcmp(o, "--from")) from = v;
        else if (!strcmp(o, "--months")) months = atol(v);
        else return usage();
    }
    int y, m;
    if (n < 0 || months < 1 || sscanf(from, "%d-%d", &y, &m) != 2 || m < 1 || m > 12) return usage();

    gen_t g = { 0 };
    if (catalog_open(forms_dir, &g.cat, stderr) < 0) {
        fprintf(stderr, "gen_responses: cannot load the forms in %s\n", forms_dir);
        return 1;
    }
    /* The schema and the form versions, exactly as the server does it. */
    char err[512];
    store_t *s = store_open(db, err, sizeof err);
    if (!s) {
        fprintf(stderr, "gen_responses: %s\n", err);
        return 1;
    }
    g.fv = xcalloc(g.cat.nforms, sizeof *g.fv);
    for (size_t i = 0; i < g.cat.nforms; i++)
        if (store_form_version(s, g.cat.forms[i]->id, g.cat.forms[i]->version, g.cat.forms[i]->hash,
                               g.cat.forms[i]->source, &g.fv[i]) != STORE_OK)
            return 1;
    store_close(s);

    /* Day numbers of the first of the month and of the month after the span. */
    g.first_day = bizdays_from_civil(y, m, 1);
    int end = (m - 1) + (int)months;
    g.days = (int)(bizdays_from_civil(y + end / 12, end % 12 + 1, 1) - g.first_day);

    g.bulk = store_bulk_begin(db, err, sizeof err);
    if (!g.bulk) {
        fprintf(stderr, "gen_responses: %s\n", err);
        return 1;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    /* Responses arrive in time order, as they do in the field: the i-th
     * falls at the (i + 1/2)/n point of the period, weighted towards
     * weekdays (1970-01-01 was a Thursday) and spread over office hours
     * (7:00 to 17:00). */
    double *cum = xcalloc((size_t)g.days, sizeof *cum);
    for (int d = 0; d < g.days; d++) {
        int wd = (int)((g.first_day + d + 4) % 7);   /* 0 Monday .. 6 Sunday */
        cum[d] = (d ? cum[d - 1] : 0) + (wd < 5 ? 1 : wd == 5 ? 0.3 : 0.1);
    }
    /* Refusals would mean the generator no longer matches the forms: a
     * few are tolerated, a pattern is an error. */
    long refused = 0, i = 0;
    bool ok = true;
    while (ok && i < n) {
        double at = ((double)i + 0.5) / (double)n * cum[g.days - 1];
        int d = 0;
        while (cum[d] <= at) d++;
        double before = d ? cum[d - 1] : 0;
        int local_hour = 7 + (int)(10 * (at - before) / (cum[d] - before));
        bool stored;
        ok = one(&g, (uint64_t)(i + refused), g.first_day + d, local_hour, &stored);
        if (!stored && ++refused > n / 100 + 10) {
            fprintf(stderr, "gen_responses: the forms refuse most generated answers\n");
            ok = false;
        }
        if (!ok || !stored) continue;
        if (++i % 200000 == 0) fprintf(stderr, "gen_responses: %ld responses\n", i);
    }
    ok = store_bulk_end(g.bulk, ok) == STORE_OK && ok;
    free(cum);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    if (ok) fprintf(stderr, "gen_responses: %ld responses in %s (%.1f s)\n", n, db, secs);
    free(g.fv);
    catalog_free(&g.cat);
    return ok ? 0 : 1;
}
