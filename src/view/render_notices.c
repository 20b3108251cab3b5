/*
 * render_notices.c: staff notices on /usuarios and the home page (see
 * render_notices.h).
 */
#include "view/render_notices.h"

#include <string.h>

/* Is service id among the ','-separated list? */
static bool listed(const char *list, const char *id)
{
    size_t n = strlen(id);
    for (const char *p = list; p && *p;) {
        const char *e = strchr(p, ',');
        size_t k = e ? (size_t)(e - p) : strlen(p);
        if (k == n && !strncmp(p, id, n)) return true;
        p += k + (e != NULL);
    }
    return false;
}

void render_notice_prefs(buf_t *o, const staff_view_t *v, const notice_users_view_t *nv)
{
    if (!nv) return;
    lang_t l = v->lang;
    buf_printf(o, "<h2 id=avisos>%s</h2><p class=h>", i18n(l, S_NOTICE_TITLE));
    buf_html(o, i18n(l, S_NOTICE_INTRO));
    buf_puts(o, "</p>");
    for (size_t i = 0; i < nv->n; i++) {
        const notice_pref_t *p = &nv->prefs[i];
        if (p->disabled) continue;
        buf_printf(o, "<form method=post action=\"/usuarios?lang=%s#avisos\" class=\"sf ia\">", i18n_code(l));
        render_csrf_field(o, v);
        buf_puts(o, "<input type=hidden name=accion value=avisos><input type=hidden name=usuario value=\"");
        buf_html(o, p->name);
        buf_puts(o, "\"><fieldset><legend>");
        buf_html(o, p->name);
        buf_puts(o, " (");
        buf_html(o, auth_role_name(p->role));
        buf_puts(o, ")</legend><div class=q><label for=\"correo-");
        buf_html(o, p->name);
        buf_printf(o, "\">%s</label><input type=email id=\"correo-", i18n(l, S_NOTICE_EMAIL));
        buf_html(o, p->name);
        buf_printf(o, "\" name=correo maxlength=%d autocomplete=off value=\"", NOTICE_EMAIL_MAX);
        buf_html(o, p->email ? p->email : "");
        buf_printf(o, "\" placeholder=\"%s\"></div>", i18n(l, S_NOTICE_NO_EMAIL));
        /* session 23: the language its notices are written in */
        buf_puts(o, "<div class=q><label for=\"idioma-");
        buf_html(o, p->name);
        buf_printf(o, "\">%s</label><select id=\"idioma-", i18n(l, S_NOTICE_LANG));
        buf_html(o, p->name);
        buf_puts(o, "\" name=idioma>");
        for (int k = 0; k < LANG_COUNT; k++)
            buf_printf(o, "<option value=%s%s>%s</option>", i18n_code((lang_t)k), p->lang == (lang_t)k ? " selected" : "",
                       i18n((lang_t)k, S_LANG_NAME));
        buf_puts(o, "</select></div>");
        if (nv->points && nv->points->nservices) {
            buf_printf(o, "<fieldset class=q><legend>%s (%s)</legend>", i18n(l, S_NOTICE_SERVICES),
                       p->services ? p->services : i18n(l, S_NOTICE_ALL));
            for (size_t k = 0; k < nv->points->nservices; k++) {
                const service_t *s = &nv->points->services[k];
                buf_puts(o, "<label><input type=checkbox name=servicio value=\"");
                buf_html(o, s->id);
                buf_printf(o, "\"%s> ", listed(p->services, s->id) ? " checked" : "");
                buf_html(o, l == LANG_HT && s->label_ht && *s->label_ht ? s->label_ht : s->label_es);
                buf_puts(o, "</label> ");
            }
            buf_puts(o, "</fieldset>");
        }
        buf_printf(o, "<button type=submit>%s</button></fieldset></form>", i18n(l, S_NOTICE_SAVE));
    }
}

void render_notice_status(buf_t *o, const staff_view_t *v, const notice_status_view_t *ns)
{
    if (!ns || (!ns->pending && !ns->error)) return;
    lang_t l = v->lang;
    buf_printf(o, "<section class=avisos><h2>%s</h2><p>%s: <b id=avisos-pendientes>%lld</b></p>",
               i18n(l, S_NOTICE_TITLE), i18n(l, S_NOTICE_PENDING), (long long)ns->pending);
    if (ns->error) {
        buf_printf(o, "<div class=e role=alert><p>%s (", i18n(l, S_NOTICE_LAST_ERROR));
        render_datetime(o, ns->error_at);
        /* issue 18 follow-up: the cause and what to do in the reader's
         * language; libcurl's English text only as a small detail line. */
        const char *detail;
        notice_fail_t f = notice_fail_parse(ns->error, &detail);
        buf_printf(o, "):</p><p id=avisos-causa><b>%s</b> %s</p><p><small>%s: <code id=avisos-error>",
                   i18n(l, notice_fail_text(f)), i18n(l, notice_fail_todo(f)), i18n(l, S_NOTICE_FAIL_DETAIL));
        buf_html(o, detail);
        buf_puts(o, "</code></small></p></div>");
    }
    buf_puts(o, "</section>");
}
