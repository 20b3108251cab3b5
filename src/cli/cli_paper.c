/*
 * cli_paper.c: `buzon paper` (issue 17 item 3), the printable questionnaire
 * for people who answer with a pen:
 *
 *   buzon paper <form> [--point ID] [--lang es|ht] [-o FILE.pdf|FILE.svg]
 *               [--format pdf|svg] [--base-url URL] [--forms DIR]
 *
 * The pages are laid out as SVG (view/paper.h) and, for a PDF, drawn on
 * one PDF surface (model/pdf.h). An SVG is one file per page: FILE.svg,
 * then FILE-2.svg, FILE-3.svg... The form and point are checked against
 * the forms folder as `buzon poster` checks them: an unknown one is named,
 * with the known ones, and the exit status is 1.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/url.h"
#include "cli/cli.h"
#include "cli/cli_help.h"
#include "model/catalog.h"
#include "model/pdf.h"
#include "model/poster.h"
#include "view/paper.h"

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), t = strlen(tail);
    return n >= t && !strcmp(s + n - t, tail);
}

static int write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    bool ok = f && fwrite(data, 1, len, f) == len;
    ok = f && fclose(f) == 0 && ok;
    if (!ok) fprintf(stderr, "buzon paper: %s: %s\n", path, strerror(errno));
    return ok ? 0 : -1;
}

static void list_ids(const catalog_t *w, bool points)
{
    size_t n = points ? w->points.npoints : w->nforms, shown = 0;
    for (size_t i = 0; i < n; i++)
        if (points || !w->forms[i]->staff)   /* issue 18: registers are not offered */
            fprintf(stderr, "%s%s", shown++ ? ", " : "", points ? w->points.points[i].id : w->forms[i]->id);
    fputs(shown ? ")\n" : "none)\n", stderr);
}

/* Write the pages as FILE.svg, FILE-2.svg, ...; returns 0 or -1. */
static int write_svgs(const char *out, const buf_t *pages, size_t n)
{
    size_t stem = strlen(out) - (ends_with(out, ".svg") ? 4 : 0);
    buf_t path;
    buf_init(&path);
    int rc = 0;
    for (size_t p = 0; p < n && !rc; p++) {
        buf_reset(&path);
        if (p == 0) buf_puts(&path, out);
        else buf_printf(&path, "%.*s-%zu.svg", (int)stem, out, p + 1);
        rc = write_file(path.data, pages[p].data, pages[p].len);
        if (!rc) fprintf(stderr, "buzon paper: wrote %s\n", path.data);
    }
    buf_free(&path);
    return rc;
}

int cli_paper(int argc, char **argv)
{
    const char *form = NULL, *point = NULL, *out = NULL, *forms_dir = "forms", *format = NULL;
    const char *base_url = "http://localhost:8080", *lang_code = "es";
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' && !form) {
            form = a;
            continue;
        }
        bool known = !strcmp(a, "-o") || !strcmp(a, "--forms") || !strcmp(a, "--base-url") ||
                     !strcmp(a, "--point") || !strcmp(a, "--lang") || !strcmp(a, "--format");
        if (!known) {
            fprintf(stderr, "buzon paper: unexpected argument '%s'\n", a);
            return cli_usage_error("paper");
        }
        if (i + 1 == argc) {
            fprintf(stderr, "buzon paper: %s needs a value\n", a);
            return cli_usage_error("paper");
        }
        const char *v = argv[++i];
        if (!strcmp(a, "-o")) out = v;
        else if (!strcmp(a, "--forms")) forms_dir = v;
        else if (!strcmp(a, "--base-url")) base_url = v;
        else if (!strcmp(a, "--point")) point = v;
        else if (!strcmp(a, "--lang")) lang_code = v;
        else format = v;
    }
    if (!form) return cli_usage_error("paper");
    int lang = i18n_parse(lang_code);
    if (lang != LANG_ES && lang != LANG_HT) {
        fprintf(stderr, "buzon paper: --lang '%s' is not one of: es ht\n", lang_code);
        return 2;
    }
    if (format && strcmp(format, "pdf") && strcmp(format, "svg")) {
        fprintf(stderr, "buzon paper: --format '%s' is not one of: pdf svg\n", format);
        return 2;
    }
    bool svg = format ? !strcmp(format, "svg") : out && ends_with(out, ".svg");
    if (!url_base_valid(base_url)) {
        fprintf(stderr, "buzon paper: --base-url must look like http://host[:port][/path], not '%s'\n", base_url);
        return 2;
    }
    if (url_is_loopback(base_url))
        fprintf(stderr, "buzon paper: warning: the QR code points to %s, which no phone can open;\n"
                        "       give the public address with --base-url https://buzon.example.gob.do\n",
                base_url);

    catalog_t w;
    if (catalog_open(forms_dir, &w, stderr) < 0) return 1;
    const form_t *f = catalog_form(&w, form, NULL);
    const point_t *pt = point ? points_find(&w.points, point) : NULL;
    if (!f) {
        fprintf(stderr, "buzon paper: unknown form '%s' in %s (forms: ", form, forms_dir);
        list_ids(&w, false);
    } else if (point && !pt) {
        fprintf(stderr, "buzon paper: unknown point '%s' in %s/points.csv (points: ", point, forms_dir);
        list_ids(&w, true);
    } else if (f->staff) {
        /* issue 18: a register is for staff: nothing the public could scan or fill in. */
        fprintf(stderr, "buzon paper: '%s' is a staff register (access = staff in its settings): "
                "it has no poster, paper sheet, short link or QR code\n", f->id);
        f = NULL;
    }
    if (!f || (point && !pt)) {
        catalog_free(&w);
        return 1;
    }

    buf_t link, name;
    buf_init(&link);
    buf_init(&name);
    poster_link(&link, base_url, f, pt);
    if (!out) {   /* cuestionario-<form>[-<point>]-<lang>.pdf */
        buf_printf(&name, "cuestionario-%s%s%s-%s.%s", f->id, pt ? "-" : "", pt ? pt->id : "",
                   i18n_code((lang_t)lang), svg ? "svg" : "pdf");
        out = name.data;
    }
    buf_t *pages = NULL;
    size_t n = paper_svg(&pages, f, pt, (lang_t)lang, link.data);
    int rc = 0;
    if (!n) {
        fprintf(stderr, "buzon paper: the link %s is too long for a QR code; use a shorter --base-url\n",
                link.data);
        rc = 1;
    } else if (svg) {
        rc = write_svgs(out, pages, n) != 0;
    } else {
        buf_t pdf;
        buf_init(&pdf);
        if (pdf_from_svgs(&pdf, pages, n) != 0) {
            fprintf(stderr, "buzon paper: could not draw the PDF\n");
            rc = 1;
        } else {
            rc = write_file(out, pdf.data, pdf.len) != 0;
            if (!rc) fprintf(stderr, "buzon paper: wrote %s (%zu page%s)\n", out, n, n == 1 ? "" : "s");
        }
        buf_free(&pdf);
    }
    if (!rc) {
        buf_t code;
        buf_init(&code);
        paper_code(&code, f, pt, (lang_t)lang);
        printf("%s\t%s\t%s\n", out, code.data, link.data);
        buf_free(&code);
    }
    for (size_t p = 0; p < n; p++) buf_free(&pages[p]);
    free(pages);
    buf_free(&link);
    buf_free(&name);
    catalog_free(&w);
    return rc;
}
