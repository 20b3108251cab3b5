/*
 * render_share.c: Open Graph tags, the draft attributes of a long survey
 * and the list page's "on this phone" section (render_share.h). Kept out
 * of render.c so the page head grows by one call; every byte added to a
 * survey page's head is paid on each 2G visit, so the tags are short
 * (unquoted attributes where HTML allows).
 */
#include "view/render_share.h"

#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "model/shortcode.h"
#include "view/render.h"


static char *share_base;     /* owned; set once at start */

static const char *T(lang_t l, str_id_t id) { return i18n(l, id); }

void render_share_base(const char *base_url)
{
    free(share_base);
    share_base = base_url ? xstrdup(base_url) : NULL;
}

void render_share_head(buf_t *o, lang_t lang, const char *title, const char *self)
{
    if (!share_base) return;
    buf_puts(o, "<meta property=og:title content=\"");
    buf_html(o, title);
    buf_puts(o, "\"><meta property=og:description content=\"");
    buf_html(o, T(lang, S_SHARE_DESC));
    buf_puts(o, "\"><meta property=og:image content=\"");
    buf_html(o, share_base);
    buf_puts(o, "/s/og.png\"><meta property=og:url content=\"");
    buf_html(o, share_base);
    size_t n = strlen(self);
    char *addr = xstrdup(self);
    if (n && (addr[n - 1] == '?' || addr[n - 1] == '&')) addr[n - 1] = '\0';
    buf_html(o, addr);
    free(addr);
    buf_puts(o, "\">");
}

void render_share_splice(buf_t *out, const char *html, size_t len, const form_t *f, const point_t *pt,
                         lang_t lang)
{
    static const char end[] = "</title>";
    const char *at = NULL;
    for (size_t i = 0; !at && i + sizeof end - 1 <= len; i++)
        if (!memcmp(html + i, end, sizeof end - 1)) at = html + i + sizeof end - 1;
    if (!at) {
        buf_append(out, html, len);
        return;
    }
    buf_t self;
    buf_init(&self);
    shortcode_target(&self, f, pt);
    buf_append(out, html, (size_t)(at - html));
    render_share_head(out, lang, form_text(f, &f->title, render_form_lang(f, lang)), self.data);
    buf_append(out, at, len - (size_t)(at - html));
    buf_free(&self);
}

bool render_long_form(const form_t *f)
{
    if (f->has_repeats) return true;
    size_t asked = 0;
    for (size_t i = 0; i < f->nq; i++) {
        switch (f->q[i].type) {
        case Q_NOTE: case Q_BEGIN_GROUP: case Q_END_GROUP: case Q_CALCULATE: case Q_HIDDEN:
            break;
        default:
            asked++;
        }
    }
    return asked > RENDER_LONG_FORM;
}

/* One data attribute holding a table text. */
static void attr(buf_t *o, const char *name, lang_t lang, str_id_t id)
{
    buf_printf(o, " %s=\"", name);
    buf_html(o, T(lang, id));
    buf_putc(o, '"');
}

void render_draft_attrs(buf_t *o, lang_t lang, const form_t *f)
{
    if (!render_long_form(f)) return;
    attr(o, "data-draft", lang, S_DRAFT_SAVE);
    attr(o, "data-draft-saved", lang, S_DRAFT_SAVED);
    attr(o, "data-draft-found", lang, S_DRAFT_FOUND);
    attr(o, "data-draft-go", lang, S_DRAFT_RESTORE);
    attr(o, "data-draft-drop", lang, S_DRAFT_DISCARD);
    /* A draft is kept with the version it was answered in (the hash of
     * the definition: a settings version is often left unchanged). */
    buf_printf(o, " data-v=%.12s", f->hash ? f->hash : "");
}

void render_mine(buf_t *o, lang_t lang)
{
    buf_puts(o, "<section id=mine hidden");
    attr(o, "data-draft", lang, S_MINE_DRAFT);
    attr(o, "data-pending", lang, S_MINE_PENDING);
    attr(o, "data-refused", lang, S_MINE_REFUSED);
    attr(o, "data-go", lang, S_DRAFT_RESTORE);
    attr(o, "data-drop", lang, S_DRAFT_DISCARD);
    buf_puts(o, "><h2>");
    buf_html(o, T(lang, S_MINE_TITLE));
    buf_puts(o, "</h2><ul></ul></section>");
}

void render_manifest(buf_t *o, lang_t lang)
{
    json_t *m = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:[{s:s,s:s,s:s},{s:s,s:s,s:s},{s:s,s:s,s:s}]}",
        "name", T(lang, S_SITE_NAME), "short_name", T(lang, S_APP_SHORT), "lang", i18n_code(lang),
        "start_url", "/", "scope", "/", "display", "standalone",
        /* the page header's blue (www/buzon.css) and the page's grey */
        "theme_color", "#0b4f8a", "background_color", "#f4f6f8",
        "icons",
        "src", "/s/icon-192.png", "sizes", "192x192", "type", "image/png",
        "src", "/s/icon-512.png", "sizes", "512x512", "type", "image/png",
        "src", "/s/icon.svg", "sizes", "any", "type", "image/svg+xml");
    char *s = m ? json_dumps(m, JSON_COMPACT) : NULL;
    json_decref(m);
    if (s) buf_puts(o, s);
    free(s);
}
