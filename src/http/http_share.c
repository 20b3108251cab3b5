/*
 * http_share.c (issue 17 item 7): the two addresses browsers ask for on
 * their own, so pages can be shared and installed: /favicon.ico (the file
 * www/favicon.ico, as /s/ serves it: an old browser, or one without SVG
 * icons, asks for it whatever the page says; before this it got a 404)
 * and /manifest.webmanifest (in the page's language, from the strings
 * tables: render_manifest); and the Open Graph tags of a survey page,
 * given only to the programs that make link previews (WhatsApp, Facebook,
 * Telegram...: known by their User-Agent), so the page every phone loads
 * keeps its bytes (14 KB at most, test_http; the survey page is measured
 * against nginx in `make bench`).
 */
#include "http/http_int.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <microhttpd.h>

#include "view/render_share.h"

enum MHD_Result h_favicon(struct MHD_Connection *c, req_t *r, app_t *app)
{
    snprintf(r->route.arg, sizeof r->route.arg, "%s", "favicon.ico");
    return h_static(c, r, app);
}

enum MHD_Result h_manifest(struct MHD_Connection *c, req_t *r, app_t *app)
{
    (void)app;
    buf_t b;
    buf_init(&b);
    render_manifest(&b, http_lang(c, LANG_ES));
    /* the language comes from Accept-Language: one copy a day per browser.
     * ?lang= is in the address and no cookie is read (http_lang), so a
     * shared cache must key it on Accept-Language beside the encoding
     * (session 23: it was served with Vary: Accept-Encoding only). */
    r->vary = "Accept-Encoding, Accept-Language";
    return http_send_buf(c, r, MHD_HTTP_OK, &b, "application/manifest+json", "public, max-age=86400");
}

bool http_share_crawler(struct MHD_Connection *c)
{
    /* Link-preview fetchers; iMessage says facebookexternalhit too. */
    static const char *const bots[] = {
        "WhatsApp", "facebookexternalhit", "Facebot", "TelegramBot", "Twitterbot", "Slackbot",
        "Discordbot", "LinkedInBot", "SkypeUriPreview", "Viber", "redditbot", "Pinterest", "Embedly",
        "Googlebot", "bingbot", "Applebot",
    };
    const char *ua = http_header_in(c, "User-Agent");
    if (!ua) return false;
    /* One pass, a name compared only where its first letter is: a
     * strncasecmp of every name at every byte of a phone's User-Agent
     * (some 2,000 calls) cost more than the rest of the page view. */
    for (const char *p = ua; *p; p++) {
        int l = *p | 0x20;          /* ASCII lower case; bots[] are letters first */
        for (size_t i = 0; i < sizeof bots / sizeof bots[0]; i++)
            if ((bots[i][0] | 0x20) == l && !strncasecmp(p, bots[i], strlen(bots[i]))) return true;
    }
    return false;
}

void http_share_splice(buf_t *page, const form_t *f, const point_t *pt, lang_t lang)
{
    buf_t b;
    buf_init(&b);
    render_share_splice(&b, page->data, page->len, f, pt, lang);
    buf_free(page);
    *page = b;
}
