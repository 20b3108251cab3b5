/*
 * render_staff.c: HTML of the staff area (see render_staff.h).
 *
 * The pages are for an office PC and a phone alike: the case list is a
 * list of cards rather than a wide table, forms stack their fields, and
 * the only tables (users, audit log) scroll sideways inside their box on
 * narrow screens. Links and forms carry the page language (lang=) the
 * same way the citizen pages do.
 */
#include "view/render_staff.h"
#include "view/render_notices.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "view/render.h"
#include "base/utf8.h"
#include "model/geo.h"

static const char *T(lang_t l, str_id_t id) { return i18n(l, id); }


/* <tag>text</tag> with the text from the strings table. */
static void tag(buf_t *o, const char *t, lang_t l, str_id_t id)
{
    buf_printf(o, "<%s>", t);
    render_text(o, l, id);
    buf_printf(o, "</%s>", t);
}

/* href="path?lang=xx" (or "&lang=" when path already has a query). */
static void href(buf_t *o, const char *path, lang_t l)
{
    buf_puts(o, " href=\"");
    buf_html(o, path);
    buf_printf(o, "%slang=%s\"", strchr(path, '?') ? "&amp;" : "?", i18n_code(l));
}

void render_alink(buf_t *o, const char *path, lang_t l, str_id_t text)
{
    buf_puts(o, "<a");
    href(o, path, l);
    buf_putc(o, '>');
    render_text(o, l, text);
    buf_puts(o, "</a>");
}

void render_csrf_field(buf_t *o, const staff_view_t *v)
{
    buf_puts(o, "<input type=hidden name=_csrf value=\"");
    buf_html(o, v->csrf);
    buf_puts(o, "\">");
}

void render_day(buf_t *o, int32_t day)
{
    char iso[11];
    bizdays_format(day, iso);
    buf_printf(o, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
}

void render_datetime(buf_t *o, int64_t t)
{
    render_day(o, bizdays_from_time(t));
    int s = bizdays_day_seconds(t);
    buf_printf(o, " %02d:%02d", s / 3600, s / 60 % 60);
}

const char *render_kind(lang_t l, const char *kind)
{
    if (!kind) return "";
    if (!strcmp(kind, "queja")) return T(l, S_KIND_QUEJA);
    if (!strcmp(kind, "sugerencia")) return T(l, S_KIND_SUGERENCIA);
    if (!strcmp(kind, "elogio")) return T(l, S_KIND_ELOGIO);
    return kind;
}

const char *render_status(lang_t l, case_status_t st)
{
    static const str_id_t ids[CASE_STATUS_COUNT] = {
        [CASE_NEW] = S_ST_NEW, [CASE_ASSIGNED] = S_ST_ASSIGNED,
        [CASE_ANSWERED] = S_ST_ANSWERED, [CASE_CLOSED] = S_ST_CLOSED,
    };
    return T(l, ids[st]);
}

static const char *role_text(lang_t l, role_t r)
{
    static const str_id_t ids[ROLE_COUNT] = {
        [ROLE_ADMIN] = S_ROLE_ADMIN, [ROLE_PLANIFICACION] = S_ROLE_PLANIFICACION,
        [ROLE_ATENCION] = S_ROLE_ATENCION, [ROLE_LECTURA] = S_ROLE_LECTURA,
        [ROLE_CAPTURA] = S_ROLE_CAPTURA,
    };
    return T(l, ids[r]);
}

const char *render_actor(lang_t l, const char *actor)
{
    if (!strcmp(actor, "ciudadano")) return T(l, S_ACTOR_CITIZEN);
    if (!strcmp(actor, "sistema")) return T(l, S_ACTOR_SYSTEM);
    return actor;
}

str_id_t case_reason_text(int reason)
{
    switch (reason) {
    case CASE_REASON_DUPLICATE:    return S_CASE_REASON_DUP;
    case CASE_REASON_SPAM:         return S_CASE_REASON_SPAM;
    case CASE_REASON_OUT_OF_SCOPE: return S_CASE_REASON_OUT_SHORT;
    default:                       return 0;
    }
}

const char *render_detail(lang_t l, const char *action, const char *detail)
{
    if (!detail) return "";
    if (!strcmp(action, "caso_abierto")) return render_kind(l, detail);
    if (!strcmp(action, "contacto_borrado")) {
        if (!strcmp(detail, CASE_ERASE_ASKED)) return T(l, S_DETAIL_ON_REQUEST);
        /* Another reason: the clerk's own words. */
        if (!strncmp(detail, CASE_ERASE_OTHER, strlen(CASE_ERASE_OTHER)))
            return detail + strlen(CASE_ERASE_OTHER);
        if (!strcmp(detail, "plazo_vencido")) return T(l, S_DETAIL_RETENTION);
    }
    if (!strcmp(action, "caso_cerrado")) {
        str_id_t why = case_reason_text(case_reason_parse(detail));
        if (why) return T(l, why);
    }
    if (!strcmp(action, "usuario_creado") || !strcmp(action, "rol_cambiado")) {
        int r = auth_role_parse(detail);
        if (r >= 0) return role_text(l, (role_t)r);
    }
    return detail;
}

const char *render_action(lang_t l, const char *action)
{
    static const struct { const char *name; str_id_t id; } names[] = {
        { "caso_abierto", S_ACT_CASE_OPENED },       { "caso_asignado", S_ACT_CASE_ASSIGNED },
        { "caso_respondido", S_ACT_CASE_ANSWERED },  { "nota_agregada", S_ACT_NOTE },
        { "caso_cerrado", S_ACT_CASE_CLOSED },       { "contacto_borrado", S_ACT_CONTACT_ERASED },
        { "usuario_creado", S_ACT_USER_CREATED },    { "clave_cambiada", S_ACT_PASSWORD },
        { "usuario_desactivado", S_ACT_USER_DISABLED }, { "sesion_iniciada", S_ACT_LOGIN },
        { "sesion_cerrada", S_ACT_LOGOUT },          { "caso_reabierto", S_ACT_CASE_REOPENED },
        { "usuario_activado", S_ACT_USER_ENABLED }, { "rol_cambiado", S_ACT_ROLE },
        { "formulario_publicado", S_ACT_FORM_PUBLISHED }, { "formulario_retirado", S_ACT_FORM_WITHDRAWN },
        /* issue 18: registers and staff notices */
        { "registro_anotado", S_ACT_REGISTER },      { "avisos_usuario", S_ACT_NOTICE_PREFS },
        { "aviso_enviado", S_ACT_NOTICE_SENT },      { "aviso_fallido", S_ACT_NOTICE_FAILED },
        /* issue 17: paper entry and double entry */
        { "respuesta_ingresada", S_ACT_ENTERED },    { "doble_entrada", S_ACT_DOUBLE },
        { "doble_entrada_resuelta", S_ACT_DOUBLE_RESOLVED }, { "doble_entrada_tercera", S_ACT_DOUBLE_THIRD },
        { "hoja_descartada", S_ACT_SHEET_DISCARDED }, { "hojas_retenidas_purgadas", S_ACT_HELD_PURGED },
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(action, names[i].name)) return T(l, names[i].id);
    return action;
}


static bool may(const staff_t *who, unsigned roles) { return ROLE_BIT(who->role) & roles; }

/* ---- chrome ------------------------------------------------------------- */

void render_staff_begin(buf_t *o, const staff_view_t *v, bool public_indicators, const char *title)
{
    lang_t l = v->lang;
    buf_t head;
    buf_init(&head);
    buf_printf(&head, "%s · %s", title, T(l, S_STAFF_AREA));
    render_page_begin(o, l, head.data, v->self, false);
    buf_free(&head);
    render_staff_nav(o, v, public_indicators);
    buf_puts(o, "<h1 id=h-page>");
    buf_html(o, title);
    buf_puts(o, "</h1>");
}

void render_staff_nav(buf_t *o, const staff_view_t *v, bool public_indicators)
{
    lang_t l = v->lang;
    buf_puts(o, "<nav class=sn aria-label=\"");
    render_text(o, l, S_STAFF_MENU);
    buf_puts(o, "\">");
    render_alink(o, "/panel", l, S_NAV_HOME);
    if (may(v->who, AUTH_ROLES_CASES)) render_alink(o, "/casos", l, S_NAV_CASES);
    render_alink(o, "/carteles", l, S_NAV_POSTERS);
    if (may(v->who, AUTH_ROLES_INDICATORS) || public_indicators) render_alink(o, "/indicadores", l, S_NAV_INDICATORS);
    if (may(v->who, AUTH_ROLES_FORMS)) render_alink(o, "/formularios", l, S_NAV_FORMS);
    if (may(v->who, AUTH_ROLES_REGISTERS)) render_alink(o, "/registros", l, S_NAV_REGISTERS);   /* issue 18 */
    if (may(v->who, AUTH_ROLES_ENTRY)) render_alink(o, "/entrada", l, S_NAV_ENTRY);   /* issue 17 */
    if (may(v->who, AUTH_ROLES_ENTRY)) render_alink(o, "/entrevista", l, S_NAV_INTERVIEW);   /* issue 17 */
    if (may(v->who, AUTH_ROLES_ADMIN)) {
        render_alink(o, "/usuarios", l, S_NAV_USERS);
        render_alink(o, "/auditoria", l, S_NAV_AUDIT);
    }
    buf_printf(o, "<form method=post action=\"/logout?lang=%s\">", i18n_code(l));
    render_csrf_field(o, v);
    buf_puts(o, "<button type=submit>");
    render_text(o, l, S_NAV_LOGOUT);
    buf_puts(o, " (");
    buf_html(o, v->who->name);
    buf_puts(o, ")</button></form></nav>");
}

void render_staff_end(buf_t *o)
{
    render_page_end(o);
}

void render_staff_message(buf_t *o, const staff_view_t *v, bool public_indicators, str_id_t title,
                          str_id_t body)
{
    render_staff_begin(o, v, public_indicators, T(v->lang, title));
    tag(o, "p", v->lang, body);
    buf_puts(o, "<p>");
    render_alink(o, "/panel", v->lang, S_NAV_HOME);
    buf_puts(o, "</p>");
    render_staff_end(o);
}

/* ---- login and home ----------------------------------------------------- */

void render_login(buf_t *o, lang_t l, const char *user, const char *next, str_id_t error,
                  unsigned wait)
{
    buf_t self;
    buf_init(&self);
    buf_puts(&self, "/login?");
    if (next) {
        buf_puts(&self, "next=");
        buf_urlenc(&self, next);
        buf_putc(&self, '&');
    }
    render_page_begin(o, l, T(l, S_LOGIN_TITLE), self.data, false);
    tag(o, "h1", l, S_LOGIN_TITLE);
    tag(o, "p", l, S_LOGIN_INTRO);
    if (error) {
        buf_puts(o, "<p class=e role=alert>");
        render_text(o, l, error);
        /* The throttle's message ends with the wait Retry-After names. */
        if (error == S_LOGIN_THROTTLED) {
            buf_printf(o, " %u ", wait ? wait : 1);
            render_text(o, l, wait == 1 ? S_WAIT_SECOND : S_WAIT_SECONDS);
            buf_putc(o, '.');
        }
        buf_puts(o, "</p>");
    }
    buf_puts(o, "<form method=post class=sf action=\"");
    buf_html(o, self.data);
    buf_printf(o, "lang=%s\"><div class=q><label for=i-usuario>", i18n_code(l));
    render_text(o, l, S_LOGIN_USER);
    buf_puts(o, "</label><input id=i-usuario name=usuario type=text autocomplete=username "
                "autocapitalize=none spellcheck=false required");
    if (user) {
        buf_puts(o, " value=\"");
        buf_html(o, user);
        buf_putc(o, '"');
    }
    buf_puts(o, "></div><div class=q><label for=i-clave>");
    render_text(o, l, S_LOGIN_PASSWORD);
    buf_puts(o, "</label><input id=i-clave name=clave type=password autocomplete=current-password "
                "required></div><button type=submit>");
    render_text(o, l, S_LOGIN_SUBMIT);
    buf_puts(o, "</button></form>");
    render_page_end(o);
    buf_free(&self);
}

/* One entry of the home page: a link and what it is for. */
static void panel_item(buf_t *o, lang_t l, const char *path, str_id_t name, str_id_t desc)
{
    buf_puts(o, "<li><a");
    href(o, path, l);
    buf_puts(o, "><b>");
    render_text(o, l, name);
    buf_puts(o, "</b><span>");
    render_text(o, l, desc);
    buf_puts(o, "</span></a></li>");
}

void render_panel(buf_t *o, const staff_view_t *v, const catalog_t *cat, bool public_indicators,
                  const struct notice_status_view *ns)
{
    lang_t l = v->lang;
    render_staff_begin(o, v, public_indicators, T(l, S_STAFF_AREA));
    buf_puts(o, "<p>");
    render_text(o, l, S_PANEL_ROLE);
    buf_puts(o, ": <b>");
    buf_html(o, role_text(l, v->who->role));
    buf_puts(o, "</b></p>");
    render_notice_status(o, v, ns);   /* issue 18: a failing relay or webhook shows here */
    buf_puts(o, "<ul class=\"ls pn\">");
    if (may(v->who, AUTH_ROLES_CASES)) panel_item(o, l, "/casos", S_NAV_CASES, S_PANEL_CASES);
    panel_item(o, l, "/carteles", S_NAV_POSTERS, S_PANEL_POSTERS);
    if (may(v->who, AUTH_ROLES_INDICATORS) || public_indicators)
        panel_item(o, l, "/indicadores", S_NAV_INDICATORS, S_PANEL_INDICATORS);
    if (may(v->who, AUTH_ROLES_FORMS)) panel_item(o, l, "/formularios", S_NAV_FORMS, S_PANEL_FORMS);
    if (may(v->who, AUTH_ROLES_ENTRY)) {   /* issue 17 */
        panel_item(o, l, "/entrada", S_NAV_ENTRY, S_PANEL_ENTRY);
        panel_item(o, l, "/entrevista", S_NAV_INTERVIEW, S_PANEL_INTERVIEW);
    }
    if (may(v->who, AUTH_ROLES_ADMIN)) {
        panel_item(o, l, "/usuarios", S_NAV_USERS, S_PANEL_USERS);
        panel_item(o, l, "/auditoria", S_NAV_AUDIT, S_PANEL_AUDIT);
    }
    buf_puts(o, "</ul>");
    if (may(v->who, AUTH_ROLES_CASES)) {
        tag(o, "h2", l, S_EXPORT_TITLE);
        tag(o, "p", l, S_EXPORT_INTRO);
        buf_puts(o, "<ul class=ex>");
        for (size_t i = 0; i < cat->nforms; i++) {
            const form_t *f = cat->forms[i];
            buf_puts(o, "<li>");
            buf_html(o, form_text(f, &f->title, render_form_lang(f, l)));
            /* The plain CSV is the one Dominican Excel reads (decimal
             * point, ',' between cells); ';' for decimal-comma Excel. */
            static const struct { const char *file; str_id_t label; } dl[] = {
                { "responses.xlsx", S_IND_DL_XLSX }, { "responses.csv", S_IND_DL_CSV },
                { "responses.csv?sep=%3B", S_IND_DL_CSV_ES },
            };
            for (size_t k = 0; k < sizeof dl / sizeof dl[0]; k++) {
                buf_puts(o, " <a href=\"/api/v1/forms/");
                buf_urlenc(o, f->id);
                buf_printf(o, "/%s\" download>", dl[k].file);
                render_text(o, l, dl[k].label);
                buf_puts(o, "</a>");
            }
            buf_puts(o, "</li>");
        }
        buf_puts(o, "</ul>");
    }
    render_staff_end(o);
}

/* ---- the inbox ------------------------------------------------------------ */

static const char *service_label(const catalog_t *cat, lang_t l, const char *id)
{
    const service_t *s = id ? points_service(&cat->points, id) : NULL;
    if (!s) return id ? id : "—";
    return l == LANG_HT && s->label_ht && *s->label_ht ? s->label_ht : s->label_es;
}

static void option(buf_t *o, const char *value, const char *text, bool selected)
{
    buf_puts(o, "<option value");
    buf_attr(o, value);
    buf_puts(o, selected ? " selected>" : ">");
    buf_html(o, text);
    buf_puts(o, "</option>");
}

/* "0-5", "6-10", "11-20", "21+" business days, for bucket b. */
static void bucket_text(buf_t *o, int b)
{
    int lo = b ? case_backlog_upper[b - 1] + 1 : 0;
    if (b < CASE_BACKLOG_BUCKETS - 1) buf_printf(o, "%d–%d", lo, case_backlog_upper[b]);
    else buf_printf(o, "%d+", lo);
}

static void inbox_filters(buf_t *o, const staff_view_t *v, const catalog_t *cat, const inbox_filter_t *f)
{
    lang_t l = v->lang;
    buf_printf(o, "<form method=get action=/casos class=fl><input type=hidden name=lang value=%s>",
               i18n_code(l));
    buf_puts(o, "<div class=\"q sr\"><label for=i-buscar>");
    render_text(o, l, S_FILTER_SEARCH);
    buf_puts(o, "</label><p class=h id=h-buscar>");
    render_text(o, l, S_FILTER_SEARCH_HINT);
    buf_printf(o, "</p><input type=search id=i-buscar name=buscar maxlength=%d"
                  " aria-describedby=h-buscar value", CASE_SEARCH_MAX);
    buf_attr(o, f->search ? f->search : "");
    buf_puts(o, "></div>");
    buf_puts(o, "<div class=q><label for=i-estado>");
    render_text(o, l, S_CASE_STATUS);
    buf_puts(o, "</label><select id=i-estado name=estado>");
    option(o, "abiertos", T(l, S_FILTER_OPEN), f->status == CASE_OPEN);
    for (int s = 0; s < CASE_STATUS_COUNT; s++)
        option(o, case_status_name((case_status_t)s), render_status(l, (case_status_t)s), f->status == s);
    option(o, "todos", T(l, S_FILTER_ALL), f->status == CASE_ANY_STATUS);
    buf_puts(o, "</select></div><div class=q><label for=i-servicio>");
    render_text(o, l, S_CASE_SERVICE);
    buf_puts(o, "</label><select id=i-servicio name=servicio>");
    option(o, "", T(l, S_FILTER_ALL), !f->service);
    for (size_t i = 0; i < cat->points.nservices; i++) {
        const char *id = cat->points.services[i].id;
        option(o, id, service_label(cat, l, id), f->service && !strcmp(f->service, id));
    }
    buf_puts(o, "</select></div><div class=q><label for=i-antiguedad>");
    render_text(o, l, S_FILTER_AGE);
    buf_puts(o, "</label><select id=i-antiguedad name=antiguedad>");
    option(o, "", T(l, S_FILTER_ALL), f->age < 0);
    for (int b = 0; b < CASE_BACKLOG_BUCKETS; b++) {
        buf_t t, val;
        buf_init(&t);
        buf_init(&val);
        bucket_text(&t, b);
        buf_putc(&t, ' ');
        buf_puts(&t, T(l, S_BUSINESS_DAYS));
        buf_printf(&val, "%d", b);
        option(o, val.data, t.data, f->age == b);
        buf_free(&t);
        buf_free(&val);
    }
    buf_puts(o, "</select></div><div class=q><label class=ck><input type=checkbox name=vencidos value=1");
    buf_puts(o, f->overdue ? " checked>" : ">");
    render_text(o, l, S_FILTER_OVERDUE);
    buf_puts(o, "</label></div><button type=submit>");
    render_text(o, l, S_FILTER_APPLY);
    buf_puts(o, "</button></form>");
}

/* Status badge, and the overdue one when it applies. */
static void badges(buf_t *o, lang_t l, const case_rec_t *c, int64_t now)
{
    buf_printf(o, " <span class=\"st st-%s\">", case_status_name(c->status));
    buf_html(o, render_status(l, c->status));
    buf_puts(o, "</span>");
    if (cases_overdue(c, now)) {
        buf_puts(o, " <span class=\"st od\">");
        render_text(o, l, S_OVERDUE);
        buf_puts(o, "</span>");
    }
}

/* The first words of a comment, cut at a character boundary. */
static void excerpt(buf_t *o, const char *text, size_t max)
{
    size_t n = strlen(text);
    if (n <= max) {
        buf_html(o, text);
        return;
    }
    max = utf8_floor(text, max);
    char *cut = strndup(text, max);
    buf_html(o, cut);
    buf_puts(o, "…");
    free(cut);
}

static void case_path(buf_t *b, const char *code)
{
    buf_puts(b, "/casos/");
    buf_puts(b, code);   /* codes are [2-9A-Z] */
}

/* The original of a duplicate, as a link to its case page. */
static void original_link(buf_t *o, const char *code)
{
    char pretty[CASE_CODE_LEN + 3];
    case_code_pretty(code, pretty);
    buf_puts(o, "<a href=\"");
    case_path(o, code);
    buf_printf(o, "\">%s</a>", pretty);
}

void render_inbox(buf_t *o, const staff_view_t *v, const catalog_t *cat, bool public_indicators,
                  const inbox_filter_t *f,
                  const case_rec_t *cases, size_t n, int64_t now)
{
    lang_t l = v->lang;
    render_staff_begin(o, v, public_indicators, T(l, S_NAV_CASES));
    inbox_filters(o, v, cat, f);
    buf_puts(o, "<p class=h>");
    render_text(o, l, S_CASES_FOUND);
    buf_printf(o, ": %zu</p>", n);
    if (!n) tag(o, "p", l, S_INBOX_EMPTY);
    else buf_puts(o, "<ul class=cl>");
    /* A code or words not found among the cases of one status (open, by
     * default): offer the same search among all of them. */
    if (!n && f->search && f->search[strspn(f->search, " ")] && f->status != CASE_ANY_STATUS) {
        buf_t q;
        buf_init(&q);
        buf_puts(&q, "/casos?estado=todos&buscar=");
        buf_urlenc(&q, f->search);
        buf_puts(o, "<p>");
        render_alink(o, q.data, l, S_SEARCH_ALL_STATUSES);
        buf_puts(o, "</p>");
        buf_free(&q);
    }
    for (size_t i = 0; i < n; i++) {
        const case_rec_t *c = &cases[i];
        char pretty[CASE_CODE_LEN + 3];
        case_code_pretty(c->code, pretty);
        buf_t path;
        buf_init(&path);
        case_path(&path, c->code);
        buf_puts(o, "<li><a class=cc");
        href(o, path.data, l);
        buf_printf(o, ">%s</a>", pretty);
        buf_free(&path);
        badges(o, l, c, now);
        buf_puts(o, "<p class=cm>");
        buf_html(o, render_kind(l, c->kind));
        buf_puts(o, " · ");
        buf_html(o, service_label(cat, l, c->service));
        buf_puts(o, " · ");
        render_day(o, bizdays_from_time(c->created_at));
        if (c->status != CASE_CLOSED) {
            buf_printf(o, " · %d ", cases_age(c, &cat->holidays, now));
            render_text(o, l, S_BUSINESS_DAYS);
        }
        if (c->standard_days >= 0) {
            buf_puts(o, " · ");
            render_text(o, l, S_CASE_DUE);
            buf_putc(o, ' ');
            render_day(o, c->due);
        }
        buf_puts(o, " · ");
        if (c->assigned_name) buf_html(o, c->assigned_name);
        else render_text(o, l, S_UNASSIGNED);
        buf_puts(o, "</p><p>");
        if (c->text) excerpt(o, c->text, 160);
        else render_text(o, l, S_NO_COMMENT);
        buf_puts(o, "</p></li>");
    }
    if (n) buf_puts(o, "</ul>");
    render_staff_end(o);
}

/* ---- one case --------------------------------------------------------------- */


static void case_facts(buf_t *o, lang_t l, const catalog_t *cat, const case_rec_t *c, int64_t now)
{
    buf_puts(o, "<dl class=kv>");
    render_dt(o, l, S_CASE_KIND);
    buf_html(o, render_kind(l, c->kind));
    buf_puts(o, "</dd>");
    render_dt(o, l, S_CASE_SERVICE);
    buf_html(o, service_label(cat, l, c->service));
    buf_puts(o, "</dd>");
    const point_t *pt = c->point_id ? points_find(&cat->points, c->point_id) : NULL;
    if (pt) {
        render_dt(o, l, S_POINT_LABEL);
        buf_html(o, l == LANG_HT && pt->name_ht && *pt->name_ht ? pt->name_ht : pt->name);
        buf_puts(o, "</dd>");
    }
    const form_t *f = catalog_form(cat, c->form_id, NULL);
    render_dt(o, l, S_CASE_FORM);
    buf_html(o, f ? form_text(f, &f->title, render_form_lang(f, l)) : c->form_id);
    buf_puts(o, "</dd>");
    /* issue 17: on paper or in an interview, not typed by the person */
    if (c->channel) {
        render_dt(o, l, S_IND_DIM_CANAL);
        buf_html(o, ind_channel_label(c->channel, l));
        buf_puts(o, "</dd>");
    }
    /* The language the person wrote in, which the answer should be in too:
     * the tracking page shows the answer as written. */
    int cl = c->lang ? i18n_table(c->lang) : -1;   /* "en", "fr": a form in English or French */
    if (cl >= 0) {
        render_dt(o, l, S_CASE_LANG);
        buf_html(o, T((lang_t)cl, S_LANG_NAME));
        buf_puts(o, "</dd>");
    }
    render_dt(o, l, S_CASE_RECEIVED);
    render_day(o, bizdays_from_time(c->created_at));
    buf_puts(o, "</dd>");
    render_dt(o, l, S_CASE_DUE);
    if (c->standard_days >= 0) {
        render_day(o, c->due);
        buf_printf(o, " (%d ", c->standard_days);
        render_text(o, l, S_BUSINESS_DAYS);
        buf_putc(o, ')');
    } else {
        render_text(o, l, cases_is_compliment(c->kind) ? S_CASE_COMPLIMENT_NO_DEADLINE : S_NO_STANDARD);
    }
    buf_puts(o, "</dd>");
    if (c->first_answer_at) {
        render_dt(o, l, S_CASE_FIRST_ANSWER);
        render_datetime(o, c->first_answer_at);
        buf_printf(o, " (%d ", bizdays_between(&cat->holidays, bizdays_from_time(c->created_at),
                                                bizdays_from_time(c->first_answer_at)));
        render_text(o, l, S_BUSINESS_DAYS);
        buf_puts(o, ")</dd>");
    }
    if (c->closed_at) {
        render_dt(o, l, S_CASE_CLOSED_AT);
        render_datetime(o, c->closed_at);
        buf_puts(o, "</dd>");
        if (c->close_reason) {
            render_dt(o, l, S_CASE_CLOSE_REASON);
            render_text(o, l, case_reason_text(c->close_reason));
            buf_puts(o, "</dd>");
        }
        if (c->duplicate_of[0]) {
            render_dt(o, l, S_CASE_ORIGINAL);
            original_link(o, c->duplicate_of);
            buf_puts(o, "</dd>");
        }
    } else {
        render_dt(o, l, S_CASE_AGE);
        buf_printf(o, "%d ", cases_age(c, &cat->holidays, now));
        render_text(o, l, S_BUSINESS_DAYS);
        buf_puts(o, "</dd>");
    }
    render_dt(o, l, S_CASE_ASSIGNED);
    if (c->assigned_name) buf_html(o, c->assigned_name);
    else render_text(o, l, S_UNASSIGNED);
    buf_puts(o, "</dd></dl>");
}

/* The two ways out of a confirmation step: yes (a dangerous submit button)
 * and no (back to the case page c, nothing done). */
static void confirm_buttons(buf_t *o, lang_t l, const case_rec_t *c, str_id_t yes, str_id_t no)
{
    buf_puts(o, "<div class=bt><button type=submit class=dg>");
    render_text(o, l, yes);
    buf_puts(o, "</button> <a");
    buf_t path;
    buf_init(&path);
    case_path(&path, c->code);
    href(o, path.data, l);
    buf_free(&path);
    buf_putc(o, '>');
    render_text(o, l, no);
    buf_puts(o, "</a></div>");
}

/* The second step of erasing the contact: why (the citizen asked, or
 * another reason in a few words), what it does, then erase or cancel. */
static void erase_form(buf_t *o, const staff_view_t *v, const case_rec_t *c, const case_page_t *p)
{
    lang_t l = v->lang;
    bool other = p->erase_other && *p->erase_other;
    buf_puts(o, "<form method=post id=borrar class=sf>");
    render_csrf_field(o, v);
    buf_puts(o, "<input type=hidden name=accion value=borrar_contacto>"
                "<fieldset class=q><legend>");
    render_text(o, l, S_ERASE_WHY);
    buf_puts(o, "</legend><div class=o><label><input type=radio name=motivo value=a_pedido required");
    buf_puts(o, p->erase_asked ? " checked>" : ">");
    render_text(o, l, S_ERASE_ASKED);
    buf_puts(o, "</label><label><input type=radio name=motivo value=otro");
    buf_puts(o, other && !p->erase_asked ? " checked>" : ">");
    render_text(o, l, S_ERASE_OTHER);
    buf_printf(o, "</label></div><label for=i-motivo_texto class=h>");
    render_text(o, l, S_ERASE_OTHER_TEXT);
    buf_printf(o, "</label><input type=text id=i-motivo_texto name=motivo_texto maxlength=%d value",
               CASE_ERASE_TEXT_MAX);
    buf_attr(o, other ? p->erase_other : "");
    buf_puts(o, "></fieldset><p>");
    render_text(o, l, S_ERASE_WARN);
    buf_puts(o, "</p>");
    confirm_buttons(o, l, c, S_ERASE_CONFIRM, S_ERASE_CANCEL);
    buf_puts(o, "</form>");
}

/* The contact block: details (only atencion and admin ever reach this
 * page), or why there are none, and the erase button. Erasing takes two
 * steps, without JavaScript: the button asks for the page again with
 * borrar=1 (p->erase_step), which shows the form that says why and
 * erases. */
/* The places of the case's response (issue 16): each geopoint answer as
 * "Label: lat, lon (± acc m)" with its OpenStreetMap link; nothing when
 * the response has none. No map is drawn: no tile server is needed. */
static void case_places(buf_t *o, lang_t l, const catalog_t *cat, const case_rec_t *c, const case_page_t *p)
{
    const form_t *f = c->form_id ? catalog_form(cat, c->form_id, NULL) : NULL;
    if (!f) return;
    int li = form_lang(f, i18n_code(l));
    if (li < 0) li = f->default_lang;
    bool any = false;
    for (size_t i = 0; i < p->nanswers; i++) {
        const question_t *q = form_question(f, p->answers[i].question);
        buf_t text, url;
        buf_init(&text);
        buf_init(&url);
        if (q && q->type == Q_GEOPOINT && geo_point_text(&text, p->answers[i].value) &&
            geo_osm_url(&url, p->answers[i].value)) {
            if (!any) buf_puts(o, "<ul class=pl>");
            any = true;
            buf_puts(o, "<li>");
            buf_html(o, form_text(f, &q->label, li));
            buf_puts(o, ": ");
            buf_html(o, text.data);
            buf_puts(o, " \xC2\xB7 <a href=\"");
            buf_html(o, url.data);
            buf_puts(o, "\" rel=\"noopener noreferrer\">");
            buf_html(o, T(l, S_GEO_MAP));
            buf_puts(o, "</a></li>");
        }
        buf_free(&text);
        buf_free(&url);
    }
    if (any) buf_puts(o, "</ul>");
}

static void case_contact(buf_t *o, const staff_view_t *v, const case_rec_t *c, const case_page_t *p, bool media_or_place)
{
    lang_t l = v->lang;
    tag(o, "h2", l, S_CASE_CONTACT);
    buf_puts(o, "<p>");
    render_text(o, l, S_CASE_WANTS_ANSWER);
    buf_puts(o, ": <b>");
    render_text(o, l, c->wants_answer ? S_YES : S_NO);
    buf_puts(o, "</b></p>");
    /* A photo or a place is erased with the contact, and on request even
     * without one (issue 16: a complaint may carry them alone). */
    bool contact = c->contact_name || c->contact_phone;
    if (contact || media_or_place) {
        if (contact) buf_puts(o, "<dl class=kv>");
        if (c->contact_name) {
            render_dt(o, l, S_CASE_CONTACT_NAME);
            buf_html(o, c->contact_name);
            buf_puts(o, "</dd>");
        }
        if (c->contact_phone) {
            render_dt(o, l, S_CASE_CONTACT_PHONE);
            buf_html(o, c->contact_phone);
            buf_puts(o, "</dd>");
        }
        if (contact) buf_puts(o, "</dl>");
        if (p->erase_step) {
            erase_form(o, v, c, p);
        } else {
            buf_puts(o, "<form method=get action=\"#borrar\" class=sf><input type=hidden name=borrar value=1>");
            buf_printf(o, "<input type=hidden name=lang value=%s><p class=h>", i18n_code(l));
            render_text(o, l, S_CASE_ERASE_HINT);
            buf_puts(o, "</p><button type=submit class=dg>");
            render_text(o, l, S_CASE_ERASE);
            buf_puts(o, "</button></form>");
        }
    } else if (c->contact_erased_at) {
        buf_puts(o, "<p>");
        render_text(o, l, S_CASE_CONTACT_ERASED);
        buf_putc(o, ' ');
        render_datetime(o, c->contact_erased_at);
        buf_puts(o, "</p>");
    } else {
        tag(o, "p", l, S_CASE_NO_CONTACT);
    }
}

static void textarea(buf_t *o, lang_t l, const char *name, str_id_t label, str_id_t hint,
                     const char *value)
{
    buf_printf(o, "<div class=q><label for=i-%s>", name);
    render_text(o, l, label);
    buf_printf(o, "</label><p class=h id=h-%s>", name);
    render_text(o, l, hint);
    buf_printf(o, "</p><textarea id=i-%s name=%s rows=4 maxlength=%d aria-describedby=h-%s>",
               name, name, ANSWER_MAX_TEXT, name);
    buf_html(o, value);
    buf_puts(o, "</textarea></div>");
}

/* The reason to close without a public answer (a select; none chosen
 * means the case has, or gets now, a public answer), and for a duplicate
 * the code of the original (original: as given before, or NULL). */
static void reason_select(buf_t *o, lang_t l, int chosen, const char *original)
{
    buf_puts(o, "<div class=q><label for=i-motivo>");
    render_text(o, l, S_CASE_REASON);
    buf_puts(o, "</label><p class=h id=h-motivo>");
    render_text(o, l, S_CASE_REASON_HINT);
    buf_puts(o, "</p><select id=i-motivo name=motivo aria-describedby=h-motivo>");
    option(o, "", T(l, S_CASE_REASON_NONE), chosen == CASE_REASON_NONE);
    for (int r = CASE_REASON_NONE + 1; r < CASE_REASON_COUNT; r++)
        option(o, case_reason_name((case_close_reason_t)r), T(l, case_reason_text(r)), chosen == r);
    buf_puts(o, "</select></div><div class=q><label for=i-original>");
    render_text(o, l, S_CASE_DUP_OF);
    buf_printf(o, "</label><input id=i-original name=original maxlength=%d autocomplete=off"
                  " autocapitalize=characters spellcheck=false value=\"", 2 * CASE_CODE_LEN);
    buf_html(o, original ? original : "");
    buf_puts(o, "\"></div>");
}


static void hidden(buf_t *o, const char *name, const char *value)
{
    if (!value) return;
    buf_printf(o, "<input type=hidden name=%s value=\"", name);
    buf_html(o, value);
    buf_puts(o, "\">");
}

/* The second step of closing, a form of its own so that it works without
 * JavaScript: what will be saved, and a button that really closes. */
static void confirm_close(buf_t *o, const staff_view_t *v, const case_rec_t *c, const case_change_t *ch)
{
    lang_t l = v->lang;
    buf_puts(o, "<section class=cf aria-labelledby=cf-t role=alert><h2 id=cf-t>");
    render_text(o, l, S_CASE_CONFIRM_CLOSE);
    buf_puts(o, "</h2><p>");
    render_text(o, l, S_CASE_CONFIRM_CLOSE_TEXT);
    buf_puts(o, "</p><dl class=kv>");
    render_dt(o, l, S_CASE_CLOSE_REASON);
    /* A compliment closed with no answer has none and needs none. */
    bool answer = c->first_answer_at || (ch->public_answer && *ch->public_answer);
    render_text(o, l, ch->close_reason ? case_reason_text(ch->close_reason)
                      : !answer && cases_is_compliment(c->kind) ? S_CASE_REASON_COMPLIMENT : S_CASE_REASON_NONE);
    buf_puts(o, "</dd>");
    if (ch->close_reason == CASE_REASON_DUPLICATE && ch->duplicate_of) {
        render_dt(o, l, S_CASE_ORIGINAL);
        original_link(o, ch->duplicate_of);
        buf_puts(o, "</dd>");
    }
    if (ch->public_answer) {
        render_dt(o, l, S_CASE_PUBLIC_ANSWER);
        buf_puts(o, "<blockquote class=tx>");
        buf_html(o, ch->public_answer);
        buf_puts(o, "</blockquote></dd>");
    }
    if (ch->note) {
        render_dt(o, l, S_CASE_NOTE);
        buf_html(o, ch->note);
        buf_puts(o, "</dd>");
    }
    buf_puts(o, "</dl><form method=post class=sf>");
    render_csrf_field(o, v);
    buf_puts(o, "<input type=hidden name=accion value=cerrar><input type=hidden name=confirmado value=1>");
    hidden(o, "respuesta", ch->public_answer);
    hidden(o, "nota", ch->note);
    if (ch->close_reason) hidden(o, "motivo", case_reason_name(ch->close_reason));
    if (ch->close_reason == CASE_REASON_DUPLICATE) hidden(o, "original", ch->duplicate_of);
    confirm_buttons(o, l, c, S_CASE_CONFIRM_YES, S_CASE_CONFIRM_NO);
    buf_puts(o, "</form></section>");
}

static void case_forms(buf_t *o, const staff_view_t *v, const case_rec_t *c, const case_page_t *p)
{
    lang_t l = v->lang;
    if (c->status != CASE_CLOSED && p->nhandlers) {
        buf_puts(o, "<form method=post class=\"sf ia\">");
        render_csrf_field(o, v);
        buf_puts(o, "<input type=hidden name=accion value=asignar><div class=q><label for=i-asignado>");
        render_text(o, l, S_CASE_ASSIGN_TO);
        buf_puts(o, "</label><select id=i-asignado name=asignado>");
        for (size_t i = 0; i < p->nhandlers; i++) {
            char id[24];
            snprintf(id, sizeof id, "%lld", (long long)p->handlers[i].id);
            option(o, id, p->handlers[i].name,
                   c->assigned_to ? c->assigned_to == p->handlers[i].id : v->who->id == p->handlers[i].id);
        }
        buf_puts(o, "</select></div><button type=submit>");
        render_text(o, l, S_CASE_ASSIGN);
        buf_puts(o, "</button></form>");
    }
    const case_change_t *ch = p->pending;
    buf_puts(o, "<form method=post class=sf>");
    render_csrf_field(o, v);
    if (c->status != CASE_CLOSED)
        textarea(o, l, "respuesta", S_CASE_PUBLIC_ANSWER, S_CASE_PUBLIC_ANSWER_HINT,
                 ch ? ch->public_answer : NULL);
    textarea(o, l, "nota", S_CASE_NOTE, S_CASE_NOTE_HINT, ch ? ch->note : NULL);
    if (c->status != CASE_CLOSED)
        reason_select(o, l, ch ? (int)ch->close_reason : CASE_REASON_NONE, ch ? ch->duplicate_of : NULL);
    buf_puts(o, "<div class=bt><button type=submit name=accion value=guardar>");
    render_text(o, l, S_CASE_SAVE);
    buf_puts(o, "</button>");
    if (c->status != CASE_CLOSED) {
        buf_puts(o, "<button type=submit name=accion value=cerrar class=sc>");
        render_text(o, l, S_CASE_CLOSE);
        buf_puts(o, "</button>");
    }
    buf_puts(o, "</div></form>");
    if (c->status == CASE_CLOSED) {
        buf_puts(o, "<form method=post class=sf>");
        render_csrf_field(o, v);
        buf_puts(o, "<input type=hidden name=accion value=reabrir><p class=h>");
        render_text(o, l, S_CASE_REOPEN_HINT);
        buf_puts(o, "</p><button type=submit>");
        render_text(o, l, S_CASE_REOPEN);
        buf_puts(o, "</button></form>");
    }
}

/* When an audit event happened. A citizen's case opening keeps only the
 * hour of the answer (store.h): show the hour it fell in, marked with *,
 * rather than a made-up HH:00, and tell the caller to explain the mark. */
static void event_time(buf_t *o, const char *action, int64_t at, bool *hour_only)
{
    if (strcmp(action, "caso_abierto")) {
        render_datetime(o, at);
        return;
    }
    int h = bizdays_hour(at);
    render_day(o, bizdays_from_time(at));
    buf_printf(o, " %02d:00–%02d:00*", h, h + 1);
    *hour_only = true;
}

static void hour_only_note(buf_t *o, lang_t l, bool hour_only)
{
    if (!hour_only) return;
    buf_puts(o, "<p class=h>* ");
    render_text(o, l, S_HOUR_ONLY);
    buf_puts(o, "</p>");
}

void render_case(buf_t *o, const staff_view_t *v, const catalog_t *cat, bool public_indicators,
                 const case_rec_t *c,
                 const case_page_t *p, int64_t now)
{
    lang_t l = v->lang;
    char pretty[CASE_CODE_LEN + 3];
    case_code_pretty(c->code, pretty);
    buf_t title;
    buf_init(&title);
    buf_printf(&title, "%s %s", T(l, S_CASE), pretty);
    render_staff_begin(o, v, public_indicators, title.data);
    buf_free(&title);
    buf_puts(o, "<p>");
    badges(o, l, c, now);
    buf_puts(o, "</p>");
    if (p->message) {
        buf_printf(o, "<p class=%s role=%s>", p->error ? "e" : "ok", p->error ? "alert" : "status");
        render_text(o, l, p->message);
        buf_puts(o, "</p>");
    }
    if (p->confirm_close && p->pending) confirm_close(o, v, c, p->pending);
    case_facts(o, l, cat, c, now);
    tag(o, "h2", l, S_CASE_COMMENT);
    buf_puts(o, "<blockquote class=tx>");
    if (c->text) buf_html(o, c->text);
    else render_text(o, l, S_NO_COMMENT);
    /* issue 16: the photos, each a link to the whole file (http_media.c). */
    for (size_t i = 0; i < p->nphotos; i++) {
        buf_t u;
        buf_init(&u);
        buf_puts(&u, "/api/v1/forms/");
        buf_urlenc(&u, c->form_id);
        buf_puts(&u, "/media/");
        buf_urlenc(&u, p->photos[i]);
        /* issue 16: a recording or a film plays on the page, any other
         * file is a download; the name's ending is the sniffed kind's. */
        const char *dot = strrchr(p->photos[i], '.'), *player = NULL;
        dot = dot ? dot : "";
        if (!strcmp(dot, ".mp3") || !strcmp(dot, ".aac") || !strcmp(dot, ".ogg") || !strcmp(dot, ".m4a") ||
            !strcmp(dot, ".weba") || !strcmp(dot, ".wav") || !strcmp(dot, ".amr"))
            player = "audio";
        else if (!strcmp(dot, ".mp4") || !strcmp(dot, ".mov") || !strcmp(dot, ".3gp") || !strcmp(dot, ".webm"))
            player = "video";
        if (player || strcmp(dot, ".jpg")) {
            buf_puts(o, "<span class=foto>");
            if (player) {
                buf_printf(o, "<%s controls preload=metadata src=\"", player);
                buf_html(o, u.data);
                buf_printf(o, "\"></%s><br>", player);
            }
            buf_puts(o, "<a href=\"");
            buf_html(o, u.data);
            buf_puts(o, "\" download>");
            render_text(o, l, S_MEDIA_AV_DOWNLOAD);
            buf_puts(o, " (");
            buf_html(o, dot + (*dot == '.'));
            buf_puts(o, ")</a></span>");
            buf_free(&u);
            continue;
        }
        buf_puts(o, "<span class=foto><a href=\"");
        buf_html(o, u.data);
        buf_puts(o, "\"><img src=\"");
        buf_html(o, u.data);
        buf_puts(o, "\" alt=\"");
        render_text(o, l, S_MEDIA_VIEW);
        buf_puts(o, "\" loading=lazy></a></span>");
        buf_free(&u);
    }
    buf_puts(o, "</blockquote>");
    case_places(o, l, cat, c, p);
    bool place = false;
    const form_t *cf = c->form_id ? catalog_form(cat, c->form_id, NULL) : NULL;
    for (size_t i = 0; cf && i < p->nanswers && !place; i++) {
        const question_t *q = form_question(cf, p->answers[i].question);
        place = q && q->type == Q_GEOPOINT;
    }
    case_contact(o, v, c, p, place || p->nphotos > 0);
    tag(o, "h2", l, S_CASE_ANSWER);
    if (c->public_answer) {
        buf_puts(o, "<blockquote class=tx>");
        buf_html(o, c->public_answer);
        buf_puts(o, "</blockquote><p class=h>");
        render_text(o, l, S_CASE_ANSWERED_ON);
        buf_putc(o, ' ');
        render_datetime(o, c->answered_at);
        buf_puts(o, "</p>");
    } else {
        tag(o, "p", l, c->status == CASE_CLOSED ? S_TRACK_CLOSED_NO_ANSWER : S_CASE_NOT_ANSWERED);
    }
    if (c->status == CASE_CLOSED) tag(o, "p", l, S_CASE_IS_CLOSED);
    case_forms(o, v, c, p);
    if (p->nnotes) {
        tag(o, "h2", l, S_CASE_NOTES);
        buf_puts(o, "<ul class=nt>");
        for (size_t i = 0; i < p->nnotes; i++) {
            buf_puts(o, "<li><p class=h>");
            render_datetime(o, p->notes[i].at);
            buf_puts(o, " · ");
            buf_html(o, p->notes[i].actor);
            buf_puts(o, "</p><p>");
            buf_html(o, p->notes[i].text);
            buf_puts(o, "</p></li>");
        }
        buf_puts(o, "</ul>");
    }
    tag(o, "h2", l, S_CASE_HISTORY);
    bool hour_only = false;
    buf_puts(o, "<ul class=nt>");
    for (size_t i = 0; i < p->nhistory; i++) {
        const audit_view_t *e = &p->history[i];
        buf_puts(o, "<li><p class=h>");
        event_time(o, e->action, e->at, &hour_only);
        buf_puts(o, " · ");
        buf_html(o, render_actor(l, e->actor));
        buf_puts(o, "</p><p>");
        buf_html(o, render_action(l, e->action));
        /* Details of case events are short (a name, a kind) except the
         * public answer, shown above already. */
        if (*e->detail && strcmp(e->action, "caso_respondido")) {
            buf_puts(o, ": ");
            buf_html(o, render_detail(l, e->action, e->detail));
        }
        buf_puts(o, "</p></li>");
    }
    buf_puts(o, "</ul>");
    hour_only_note(o, l, hour_only);
    render_staff_end(o);
}

/* ---- users and audit log ------------------------------------------------------ */

/* A staff table up to its <tbody>: one column header per text, in a
 * region keyboard users can scroll, named by the page's heading. */
static void table_open_as(buf_t *o, lang_t l, const str_id_t *cols, size_t n, const char *cls)
{
    buf_printf(o, "<div class=tw tabindex=0 role=region aria-labelledby=h-page><table class=%s><thead><tr>", cls);
    for (size_t k = 0; k < n; k++) {
        buf_puts(o, "<th scope=col>");
        render_text(o, l, cols[k]);
        buf_puts(o, "</th>");
    }
    buf_puts(o, "</tr></thead><tbody>");
}

static void table_open(buf_t *o, lang_t l, const str_id_t *cols, size_t n)
{
    table_open_as(o, l, cols, n, "t");
}

/* A cell of the accounts table, labelled for the narrow screen where each
 * account is a card of stacked rows (buzon.css, .tu). */
static void user_td(buf_t *o, lang_t l, str_id_t label)
{
    buf_puts(o, "<td data-l=\"");
    buf_html(o, T(l, label));
    buf_puts(o, "\">");
}

/* <form> opening of one account change: posts to the users page. */
static void user_form(buf_t *o, const staff_view_t *v, const char *cls, const char *action,
                      const char *name)
{
    buf_printf(o, "<form method=post action=\"/usuarios?lang=%s\"%s%s>", i18n_code(v->lang),
               cls ? " class=" : "", cls ? cls : "");
    render_csrf_field(o, v);
    buf_printf(o, "<input type=hidden name=accion value=%s>", action);
    if (name) {
        buf_puts(o, "<input type=hidden name=usuario value=\"");
        buf_html(o, name);
        buf_puts(o, "\">");
    }
}

/* The roles as a <select name=rol>; label: its label, read by screen
 * readers but not shown (the table's column says it), or NULL when a
 * visible <label for=id> names it. */
static void role_select(buf_t *o, lang_t l, const char *id, const char *label, int selected)
{
    if (label) {
        buf_puts(o, "<label class=vh for=\"");
        buf_html(o, id);
        buf_puts(o, "\">");
        buf_html(o, label);
        buf_puts(o, "</label>");
    }
    buf_puts(o, "<select id=\"");
    buf_html(o, id);
    buf_puts(o, "\" name=rol>");
    for (int r = 0; r < ROLE_COUNT; r++) option(o, auth_role_name((role_t)r), role_text(l, (role_t)r), r == selected);
    buf_puts(o, "</select>");
}

static void button(buf_t *o, lang_t l, const char *cls, str_id_t text)
{
    buf_printf(o, "<button type=submit%s%s>", cls ? " class=" : "", cls ? cls : "");
    render_text(o, l, text);
    buf_puts(o, "</button>");
}

/* The forms of one account's row. */
static void user_actions(buf_t *o, const staff_view_t *v, const user_view_t *u)
{
    lang_t l = v->lang;
    buf_puts(o, "<div class=bt>");
    user_form(o, v, NULL, u->disabled ? "activar" : "desactivar", u->name);
    button(o, l, u->disabled ? NULL : "dg", u->disabled ? S_USERS_ENABLE : S_USERS_DISABLE);
    buf_puts(o, "</form>");
    user_form(o, v, NULL, "clave", u->name);
    button(o, l, NULL, S_USERS_RESET);
    buf_puts(o, "</form>");
    user_form(o, v, "ia", "rol", u->name);
    buf_t id, label;
    buf_init(&id);
    buf_init(&label);
    buf_printf(&id, "rol-%s", u->name);
    buf_printf(&label, "%s: %s", T(l, S_USERS_ROLE), u->name);
    role_select(o, l, id.data, label.data, u->role);
    buf_free(&id);
    buf_free(&label);
    button(o, l, NULL, S_USERS_SET_ROLE);
    buf_puts(o, "</form></div>");
}

void render_users(buf_t *o, const staff_view_t *v, bool public_indicators, const user_view_t *u,
                  size_t n, const users_page_t *p, const char *program, const struct notice_users_view *nv)
{
    lang_t l = v->lang;
    render_staff_begin(o, v, public_indicators, T(l, S_NAV_USERS));
    if (p && p->message) {
        buf_printf(o, "<div class=%s role=%s><p>", p->error ? "e" : "ok", p->error ? "alert" : "status");
        render_text(o, l, p->message);
        if (p->name) {
            buf_puts(o, " <b>");
            buf_html(o, p->name);
            buf_puts(o, "</b>");
        }
        buf_puts(o, "</p>");
        if (p->password) {
            buf_puts(o, "<p>");
            render_text(o, l, S_USERS_PASSWORD_IS);
            buf_puts(o, " <code class=pw>");
            buf_html(o, p->password);
            buf_puts(o, "</code></p>");
        }
        buf_puts(o, "</div>");
    }
    static const str_id_t cols[] = { S_LOGIN_USER, S_USERS_ROLE, S_USERS_STATE, S_USERS_LAST_LOGIN,
                                     S_USERS_ACTIONS };
    table_open_as(o, l, cols, sizeof cols / sizeof cols[0], "\"t tu\"");
    for (size_t i = 0; i < n; i++) {
        buf_puts(o, "<tr><th scope=row>");
        buf_html(o, u[i].name);
        buf_puts(o, "</th>");
        user_td(o, l, S_USERS_ROLE);
        buf_html(o, role_text(l, u[i].role));
        buf_puts(o, "</td>");
        user_td(o, l, S_USERS_STATE);
        render_text(o, l, u[i].disabled ? S_USERS_DISABLED : S_USERS_ENABLED);
        buf_puts(o, "</td>");
        user_td(o, l, S_USERS_LAST_LOGIN);
        if (u[i].last_login) render_datetime(o, u[i].last_login);
        else render_text(o, l, S_USERS_NEVER);
        buf_puts(o, "</td><td>");
        user_actions(o, v, &u[i]);
        buf_puts(o, "</td></tr>");
    }
    buf_puts(o, "</tbody></table></div>");
    tag(o, "h2", l, S_USERS_ADD_TITLE);
    user_form(o, v, "\"sf ia\"", "crear", NULL);
    buf_puts(o, "<div class=q><label for=i-usuario>");
    render_text(o, l, S_LOGIN_USER);
    buf_printf(o, "</label><p class=h id=h-usuario>");
    render_text(o, l, S_USERS_ADD_HINT);
    buf_printf(o, "</p><input id=i-usuario name=usuario required maxlength=%d autocomplete=off"
                  " autocapitalize=none spellcheck=false pattern=\"[a-z0-9][a-z0-9._\\-]*\""
                  " aria-describedby=h-usuario></div><div class=q><label for=i-rol>", AUTH_NAME_MAX);
    render_text(o, l, S_USERS_ROLE);
    buf_puts(o, "</label>");
    role_select(o, l, "i-rol", NULL, ROLE_LECTURA);
    buf_puts(o, "</div>");
    button(o, l, NULL, S_USERS_ADD);
    buf_puts(o, "</form>");
    render_notice_prefs(o, v, nv);   /* issue 18: email and services per account */
    buf_puts(o, "<p class=h>");
    render_text(o, l, S_USERS_CLI);
    buf_puts(o, "</p><pre>");
    /* S_USERS_CMD: one command a line, each after the program's name. */
    for (const char *line = T(l, S_USERS_CMD); *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        char *cmd = strndup(line, len);
        buf_html(o, program);
        buf_puts(o, " ");
        buf_html(o, cmd ? cmd : "");
        free(cmd);
        if (end) buf_puts(o, "\n");
        line += len + (end != NULL);
    }
    buf_puts(o, "</pre>");
    render_staff_end(o);
}

void render_audit(buf_t *o, const staff_view_t *v, bool public_indicators, const audit_view_t *e,
                  size_t n, bool more)
{
    lang_t l = v->lang;
    render_staff_begin(o, v, public_indicators, T(l, S_NAV_AUDIT));
    tag(o, "p", l, S_AUDIT_INTRO);
    if (!n) tag(o, "p", l, S_AUDIT_EMPTY);
    static const str_id_t cols[] = { S_AUDIT_WHEN, S_AUDIT_WHO, S_AUDIT_WHAT, S_AUDIT_ABOUT,
                                     S_AUDIT_DETAIL };
    table_open(o, l, cols, sizeof cols / sizeof cols[0]);
    bool hour_only = false;
    for (size_t i = 0; i < n; i++) {
        buf_puts(o, "<tr><td>");
        event_time(o, e[i].action, e[i].at, &hour_only);
        buf_puts(o, "</td><td>");
        buf_html(o, render_actor(l, e[i].actor));
        buf_puts(o, "</td><td>");
        buf_html(o, render_action(l, e[i].action));
        buf_puts(o, "</td><td>");
        const char *code = case_object_code(e[i].object);
        if (code) {
            buf_t path;
            buf_init(&path);
            case_path(&path, code);
            char pretty[CASE_CODE_LEN + 3];
            case_code_pretty(code, pretty);
            buf_puts(o, "<a");
            href(o, path.data, l);
            buf_putc(o, '>');
            render_text(o, l, S_CASE);
            buf_putc(o, ' ');
            buf_html(o, strlen(code) == CASE_CODE_LEN ? pretty : code);
            buf_puts(o, "</a>");
            buf_free(&path);
        } else if (!strncmp(e[i].object, "usuario:", 8)) {
            render_text(o, l, S_OBJ_USER);
            buf_putc(o, ' ');
            buf_html(o, e[i].object + 8);
        } else {
            buf_html(o, e[i].object);
        }
        buf_puts(o, "</td><td>");
        excerpt(o, render_detail(l, e[i].action, e[i].detail), 120);
        buf_puts(o, "</td></tr>");
    }
    buf_puts(o, "</tbody></table></div>");
    hour_only_note(o, l, hour_only);
    if (more && n) {
        buf_t path;
        buf_init(&path);
        buf_printf(&path, "/auditoria?antes=%lld", (long long)e[n - 1].id);
        buf_puts(o, "<p>");
        render_alink(o, path.data, l, S_AUDIT_OLDER);
        buf_puts(o, "</p>");
        buf_free(&path);
    }
    render_staff_end(o);
}
