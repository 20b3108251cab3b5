/*
 * indicators_report.c: the values of a computed indicators report
 * (indicators.h): freeing results and reports, and the labels of their
 * groups and months in each language, from the forms, the points and the
 * strings tables. Pure model: base/ and model/ only; the service builds
 * reports (service/indicators.h), the views write them (view/).
 */
#include "model/indicators.h"

#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"

void ind_result_free(ind_result_t *r)
{
    free(r->total.key);
    for (int d = 0; d < IND_DIM_COUNT; d++) {
        for (size_t k = 0; k < r->nby[d]; k++) free(r->by[d][k].key);
        free(r->by[d]);
    }
}

void ind_report_free(ind_report_t *r)
{
    for (size_t i = 0; r->r && i < r->n; i++) ind_result_free(&r->r[i]);
    free(r->r);
    free(r->forms);
    for (size_t i = 0; i < r->nchannels; i++) free(r->channels[i].key);
    free(r->channels);
    memset(r, 0, sizeof *r);
}

/* ---- labels ------------------------------------------------------------------ */

void ind_month_label(buf_t *out, int ym, lang_t lang, bool short_form)
{
    const char *name = i18n(lang, (str_id_t)(S_IND_MONTH_1 + ym % 12));
    if (short_form) {
        /* Three letters, not three bytes: "fev", "okt". */
        buf_append(out, name, utf8_prefix(name, 3));
    } else {
        buf_puts(out, name);
    }
    buf_printf(out, " %d", ym / 12);
}

const char *ind_channel_label(const char *code, lang_t lang)
{
    static const str_id_t ids[IND_NCHANNELS] = { S_IND_CH_WEB, S_IND_CH_PAPEL, S_IND_CH_ENTREVISTA,
                                                 S_IND_CH_REGISTRO };
    const char *c = ind_channel_norm(code);
    for (int i = 0; i < IND_NCHANNELS; i++)
        if (!strcmp(c, ind_channels[i])) return i18n(lang, ids[i]);
    return code;
}

static const form_t *env_form(const ind_env_t *env, const char *id)
{
    for (size_t i = 0; i < env->nforms; i++)
        if (!strcmp(env->forms[i]->id, id)) return env->forms[i];
    return NULL;
}

const char *ind_group_label(const ind_env_t *env, const ind_def_t *def, ind_dim_t dim,
                            const char *key, lang_t lang, buf_t *scratch)
{
    bool none = !strcmp(key, IND_KEY_NONE);
    const points_t *pts = env->points;
    switch (dim) {
    case IND_DIM_LANG: {
        int l = i18n_table(key);
        return l >= 0 ? i18n((lang_t)l, S_LANG_NAME) : key;
    }
    case IND_DIM_CANAL:
        if (!strcmp(key, "web")) return i18n(lang, S_IND_CHANNEL_WEB);
        if (!strcmp(key, "paper") || !strcmp(key, "papel")) return i18n(lang, S_IND_CHANNEL_PAPER);
        if (!strcmp(key, "entrevista")) return i18n(lang, S_IND_CHANNEL_INTERVIEW);
        if (!strcmp(key, "registro")) return i18n(lang, S_IND_CHANNEL_REGISTER);
        return key;
    case IND_DIM_PUNTO: {
        if (none) return i18n(lang, S_IND_NONE_POINT);
        const point_t *p = pts ? points_find(pts, key) : NULL;
        if (!p) return key;
        return lang == LANG_HT && p->name_ht && *p->name_ht ? p->name_ht : p->name;
    }
    case IND_DIM_SERVICIO: {
        if (none) return i18n(lang, S_IND_NONE_SERVICE);
        const service_t *s = pts ? points_service(pts, key) : NULL;
        if (!s) return key;
        return lang == LANG_HT && s->label_ht && *s->label_ht ? s->label_ht : s->label_es;
    }
    case IND_DIM_MES:
        buf_reset(scratch);
        ind_month_label(scratch, ind_month_key_parse(key), lang, false);
        return scratch->data;
    default: {
        if (none) return i18n(lang, S_IND_NONE_ANSWER);
        const form_t *f = def ? env_form(env, def->form) : NULL;
        const question_t *q = f ? form_question(f, ind_answer_dims[dim]) : NULL;
        const choice_t *c = q ? form_choice(q, key) : NULL;
        if (!c) return key;
        int li = form_lang(f, i18n_code(lang));
        return form_text(f, &c->label, li >= 0 ? li : f->default_lang);
    }
    }
}
