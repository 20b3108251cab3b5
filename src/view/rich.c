/*
 * rich.c: markdown subset and ${name} piping of a form's texts (rich.h).
 *
 * A small inline parser, not a markdown library: XLSForm allows only a
 * handful of constructs, and a form can come from anyone who uploads a
 * workbook, so the renderer escapes every byte it copies and makes only
 * its own tags. Each construct renders its content by recursion over the
 * bytes between its markers, so the tags it makes always nest properly.
 */
#include "view/rich.h"
#include "model/pipe.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct rctx {
    buf_t *o;
    bool plain;           /* rich_plain: no tags, no escaping */
    rich_pipe_fn pipe;
    void *arg;
    int searches;         /* closing-marker searches left (RICH_MAX_SEARCHES) */
} rctx_t;

/* Bytes [s, s+n) as text. */
static void put_text(rctx_t *c, const char *s, size_t n)
{
    if (c->plain) {
        buf_append(c->o, s, n);
        return;
    }
    const char *e = s + n;
    while (s < e) {
        size_t run = 0;
        while (s + run < e && !strchr("&<>\"'", s[run])) run++;
        buf_append(c->o, s, run);
        s += run;
        if (s == e) break;
        switch (*s) {
        case '&': buf_puts(c->o, "&amp;"); break;
        case '<': buf_puts(c->o, "&lt;"); break;
        case '>': buf_puts(c->o, "&gt;"); break;
        case '"': buf_puts(c->o, "&quot;"); break;
        default:  buf_puts(c->o, "&#39;"); break;
        }
        s++;
    }
}

static void put_tag(rctx_t *c, const char *tag)
{
    if (!c->plain) buf_puts(c->o, tag);
}

/* A word character for the '_' rules: ASCII letters and digits and any
 * byte of a multi-byte character (so "año_total" has no emphasis). */
static bool wordch(char ch)
{
    unsigned char u = (unsigned char)ch;
    return u >= 0x80 || (u >= '0' && u <= '9') || ((u | 0x20) >= 'a' && (u | 0x20) <= 'z');
}

static bool space(char ch) { return ch == ' ' || ch == '\t'; }

/* May the marker of k bytes at p (inside [s, e)) open emphasis? */
static bool opens(const char *s, const char *e, const char *p, size_t k)
{
    if (p + k >= e || space(p[k])) return false;
    if (*p == '_' && p > s && wordch(p[-1])) return false;
    return true;
}

/* The closing marker of k bytes (k == 1 or 2) of the marker at p, or NULL. */
static const char *closer(rctx_t *c, const char *e, const char *p, size_t k)
{
    if (c->searches <= 0) return NULL;
    c->searches--;
    char m = *p;
    for (const char *q = p + k + 1; q + k <= e; q++) {
        if (*q == '\\' && q + 1 < e) {
            q++;
            continue;
        }
        if (*q != m) continue;
        bool dbl = q + 1 < e && q[1] == m;
        if (k == 1 && dbl) {   /* a "**" inside "*...*" belongs to strong */
            q++;
            continue;
        }
        if (k == 2 && !dbl) continue;
        if (space(q[-1])) continue;
        if (m == '_' && q + k < e && wordch(q[k])) continue;
        return q;
    }
    return NULL;
}

static void inline_run(rctx_t *c, const char *s, const char *e, int depth, bool in_link);

/* A link "[text](url)" at p: its end (after ')'), or NULL. Sets the text
 * and address bounds. The address must be http(s), mailto or tel, without
 * spaces or control characters. */
static const char *link_at(rctx_t *c, const char *p, const char *e, const char **te, const char **us,
                           const char **ue)
{
    if (c->searches <= 0) return NULL;
    c->searches--;
    int nest = 0;
    const char *q = p + 1;
    for (; q < e; q++) {
        if (*q == '\\' && q + 1 < e) q++;
        else if (*q == '[') nest++;
        else if (*q == ']' && nest-- == 0) break;
    }
    if (q >= e || q + 1 >= e || q[1] != '(' || q == p + 1) return NULL;
    *te = q;
    *us = q + 2;
    const char *u = q + 2;
    while (u < e && *u != ')' && (unsigned char)*u > ' ' && *u != 0x7f) u++;
    if (u >= e || *u != ')') return NULL;
    *ue = u;
    size_t n = (size_t)(u - *us);
    static const char *const schemes[] = { "http://", "https://", "mailto:", "tel:" };
    for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++) {
        size_t sl = strlen(schemes[i]);
        if (n > sl && !strncasecmp(*us, schemes[i], sl)) return u + 1;
    }
    return NULL;
}

/* One line's inline content [s, e). */
static void inline_run(rctx_t *c, const char *s, const char *e, int depth, bool in_link)
{
    const char *lit = s, *p = s;
    /* Where a search for a closing "*", "**", "_", "__" failed: a later
     * opener of the same kind at or after it would fail too. */
    const char *failed[4] = { e, e, e, e };
    while (p < e) {
        char ch = *p;
        if (ch == '\\' && p + 1 < e && strchr("\\*_[]()#$", p[1])) {
            put_text(c, lit, (size_t)(p - lit));
            put_text(c, p + 1, 1);
            p += 2;
            lit = p;
            continue;
        }
        if (ch == '$' && c->pipe) {
            const char *name;
            size_t n, len = pipe_ref(p, &name, &n);
            if (len && p + len <= e) {
                char tmp[PIPE_NAME_MAX + 1];
                memcpy(tmp, name, n);
                tmp[n] = '\0';
                buf_t v;
                buf_init(&v);
                if (c->pipe(c->arg, tmp, &v)) {
                    put_text(c, lit, (size_t)(p - lit));
                    if (!c->plain) {
                        buf_puts(c->o, "<span data-pipe");
                        buf_attr(c->o, tmp);
                        buf_putc(c->o, '>');
                    }
                    put_text(c, v.data ? v.data : "", v.len);
                    put_tag(c, "</span>");
                    p += len;
                    lit = p;
                    buf_free(&v);
                    continue;
                }
                buf_free(&v);
            }
        }
        if ((ch == '*' || ch == '_') && depth < RICH_MAX_DEPTH) {
            size_t k = p + 1 < e && p[1] == ch ? 2 : 1;
            bool matched = false;
            for (; k >= 1 && !matched; k--) {
                int kind = (ch == '_') * 2 + (int)(k - 1);
                if (p >= failed[kind] || !opens(s, e, p, k)) continue;
                const char *q = closer(c, e, p, k);
                if (!q) {
                    failed[kind] = p;
                    continue;
                }
                put_text(c, lit, (size_t)(p - lit));
                put_tag(c, k == 2 ? "<strong>" : "<em>");
                inline_run(c, p + k, q, depth + 1, in_link);
                put_tag(c, k == 2 ? "</strong>" : "</em>");
                p = q + k;
                lit = p;
                matched = true;
            }
            if (matched) continue;
        }
        if (ch == '[' && !in_link && depth < RICH_MAX_DEPTH) {
            const char *te, *us, *ue;
            const char *end = link_at(c, p, e, &te, &us, &ue);
            if (end) {
                put_text(c, lit, (size_t)(p - lit));
                if (!c->plain) {
                    buf_puts(c->o, "<a href=\"");
                    rctx_t raw = *c;   /* the address: escaped, never parsed */
                    put_text(&raw, us, (size_t)(ue - us));
                    buf_puts(c->o, "\" rel=noopener>");
                }
                inline_run(c, p + 1, te, depth + 1, true);
                put_tag(c, "</a>");
                p = end;
                lit = p;
                continue;
            }
        }
        p++;
    }
    put_text(c, lit, (size_t)(p - lit));
}

static void render(rctx_t *c, const char *text)
{
    const char *s = text;
    for (bool first = true;; first = false) {
        size_t n = strcspn(s, "\r\n");
        if (!first) {
            if (c->plain) buf_putc(c->o, ' ');
            else buf_puts(c->o, "<br>");
        }
        size_t h = 0;
        while (h < n && h < 7 && s[h] == '#') h++;
        if (h >= 1 && h <= 6 && h < n && space(s[h])) {
            const char *b = s + h;
            while (b < s + n && space(*b)) b++;
            put_tag(c, "<strong>");
            inline_run(c, b, s + n, 1, false);
            put_tag(c, "</strong>");
        } else {
            inline_run(c, s, s + n, 0, false);
        }
        s += n;
        if (!*s) break;
        s += s[0] == '\r' && s[1] == '\n' ? 2 : 1;
    }
}

void rich_html(buf_t *o, const char *text, rich_pipe_fn pipe, void *arg)
{
    if (!text) return;
    if (!strpbrk(text, "*_[#\\$\r\n")) {
        buf_html(o, text);
        return;
    }
    rctx_t c = { .o = o, .pipe = pipe, .arg = arg, .searches = RICH_MAX_SEARCHES };
    render(&c, text);
}

void rich_plain(buf_t *o, const char *text, rich_pipe_fn pipe, void *arg)
{
    if (!text) return;
    if (!strpbrk(text, "*_[#\\$\r\n")) {
        buf_puts(o, text);
        return;
    }
    rctx_t c = { .o = o, .plain = true, .pipe = pipe, .arg = arg, .searches = RICH_MAX_SEARCHES };
    render(&c, text);
}
