/*
 * registers.c: the entries the system writes in the Plan de Mejora's
 * registers itself (registers.h): a verified backup in the action-2
 * register. The entry goes through submit_prepare like any other, so a
 * register whose questions changed refuses it rather than storing
 * answers its form no longer has.
 */
#include "service/registers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/bizdays.h"
#include "base/buf.h"
#include "base/urlenc.h"
#include "service/submit.h"

static void put(kvlist_t *l, const char *key, const char *val)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 8;
        l->items = xrealloc(l->items, l->cap * sizeof *l->items);
    }
    l->items[l->n++] = (kv_t){ xstrdup(key), xstrdup(val) };
}

store_rc_t registers_record_backup(store_t *s, const catalog_t *cat, const char *actor, const char *file,
                                   long long size, time_t now, const char **why)
{
    const form_t *f = catalog_form(cat, REGISTER_BACKUP_FORM, NULL);
    if (!f || !f->staff) {
        *why = "the forms folder has no register " REGISTER_BACKUP_FORM " (access = staff)";
        return STORE_NOTFOUND;
    }
    int64_t fv;
    if (svc_form_version(s, f->id, f->version, f->hash, f->source, &fv) != STORE_OK) {
        *why = "the database refused the register's form version";
        return STORE_ERR;
    }
    /* The answers a clerk would give: today (Dominican date), a verified
     * backup, on this server, at file. */
    char day[11];
    bizdays_format(bizdays_from_time((int64_t)now), day);
    buf_t what;
    buf_init(&what);
    buf_printf(&what, "Copia de seguridad verificada de la base de datos de buzon (%lld bytes)", size);
    kvlist_t post = { 0 };
    put(&post, "fecha", day);
    put(&post, "tipo", "copia_seguridad");
    put(&post, "que", what.data);
    put(&post, "donde", "servidor");
    put(&post, "donde_detalle", file);
    buf_free(&what);
    submit_in_t in = { .form = f, .form_version_id = fv, .lang = "es", .channel = "registro", .entered_by = actor };
    submit_prep_t sp;
    store_rc_t rc;
    if (submit_prepare(&post, &in, &cat->carta, &cat->holidays, now, &sp) != SUBMIT_READY) {
        answers_free(&sp.answers);
        *why = "the register " REGISTER_BACKUP_FORM " no longer takes a backup's answers "
               "(fecha, tipo = copia_seguridad, que, donde = servidor, donde_detalle)";
        rc = STORE_ERR;
    } else {
        rc = submission_store(s, sp.sub);
        if (rc != STORE_OK) *why = "the database did not store the entry";
        submission_free(sp.sub);
    }
    kvlist_free(&post);
    return rc;
}
