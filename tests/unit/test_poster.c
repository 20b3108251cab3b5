/*
 * test_poster.c: posters and the `poster` / `posters` commands, checked the
 * way a phone would: every SVG is rasterised with rsvg-convert and every
 * PNG read back with zbarimg, and the decoded text must be exactly the
 * expected link and must resolve to the right form and point. Also: the
 * texts in both languages, escaping, wrapping, sizes, error exits.
 *
 * Fixtures: tests/fixtures/posters/ (two forms, one with a Kreyòl title and
 * one with a very long single-language title; three points, one with XML
 * special characters and one with a very long name). Runs from $BUZON_ROOT.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "cli/cli.h"
#include "base/i18n.h"
#include "imgcheck.h"
#include "model/poster.h"
#include "model/shortcode.h"

#define FIX  "tests/fixtures/posters"
#define BASE "http://buzon.test"

typedef struct fixture {
    char     *dir;       /* scratch directory */
    form_t  **forms;
    size_t    nforms;
    points_t  pts;
} fixture_t;

static int setup(void **state)
{
    const char *root = getenv("BUZON_ROOT");
    if (root && chdir(root) != 0) return -1;
    fixture_t *fx = calloc(1, sizeof *fx);
    diag_t d = { 0 };
    fx->nforms = form_load_all(FIX, &fx->forms, &d);
    if (fx->nforms != 2 || d.n || points_load(FIX, &fx->pts, &d) != 0 || fx->pts.npoints != 3) {
        for (size_t i = 0; i < d.n; i++) fprintf(stderr, "%s\n", d.lines[i]);
        return -1;
    }
    fx->dir = ic_tmpdir();
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture_t *fx = *state;
    ic_rmdir(fx->dir);
    free(fx->dir);
    form_free_all(fx->forms, fx->nforms);
    points_free(&fx->pts);
    free(fx);
    return 0;
}

static const form_t *form_a(const fixture_t *fx) { return fx->forms[0]; }   /* encuesta-a */
static const form_t *form_b(const fixture_t *fx) { return fx->forms[1]; }   /* encuesta-b */
static const point_t *point(const fixture_t *fx, const char *id)
{
    const point_t *p = points_find(&fx->pts, id);
    assert_non_null(p);
    return p;
}

static poster_opts_t opts(void)
{
    return (poster_opts_t){ .base_url = BASE, .size = POSTER_A4, .ec = QR_EC_M };
}

/* printf into a new string; caller frees. */
static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
    buf_t b;
    buf_init(&b);
    va_list ap;
    va_start(ap, f);
    buf_vprintf(&b, f, ap);
    va_end(ap);
    return buf_steal(&b);
}

/* Rasterise dir/name (an SVG) at width pixels and decode the result. */
static char *decode_svg_file(const char *dir, const char *name, int width)
{
    char *png = fmt("%s/%s-%d.png", dir, name, width);
    char *text = ic_run("rsvg-convert -w %d -o '%s' '%s/%s'", width, png, dir, name) == 0
                 ? ic_zbar(png) : NULL;
    free(png);
    return text;
}

static char *decode_svg(const char *dir, const char *name, const buf_t *svg, int width)
{
    free(ic_write(dir, name, svg->data, svg->len));
    return decode_svg_file(dir, name, width);
}

static char *decode_png(const char *dir, const char *name, const buf_t *png)
{
    char *path = ic_write(dir, name, png->data, png->len);
    char *text = ic_zbar(path);
    free(path);
    return text;
}

/* text must be exactly BASE/q/<code of (f, pt)> and that code must lead
 * back to f and pt; frees text. */
static void assert_lands(const fixture_t *fx, char *text, const form_t *f, const point_t *pt)
{
    assert_non_null(text);
    buf_t want;
    buf_init(&want);
    poster_link(&want, BASE, f, pt);
    assert_string_equal(text, want.data);
    const form_t *rf = NULL;
    const point_t *rp = NULL;
    assert_int_equal(shortcode_resolve(text + strlen(BASE "/q/"), fx->forms, fx->nforms,
                                       &fx->pts, &rf, &rp), 0);
    assert_ptr_equal(rf, f);
    assert_ptr_equal(rp, pt);
    buf_free(&want);
    free(text);
}

/* s appears in svg, XML-escaped. */
/* s must be on the poster as text a person reads: the SVG's text content
 * with every tag taken as a space and runs of spaces folded, so a line
 * the layout wrapped still counts. */
static void assert_has_text(const buf_t *svg, const char *s)
{
    buf_t esc, plain;
    buf_init(&esc);
    buf_init(&plain);
    buf_html(&esc, s);
    bool in_tag = false;
    for (const char *p = svg->data; *p; p++) {
        char ch = *p == '<' ? (in_tag = true, ' ') : *p == '>' ? (in_tag = false, ' ') : in_tag ? 0 : *p;
        if (ch == '\n') ch = ' ';
        if (!ch || (ch == ' ' && plain.len && plain.data[plain.len - 1] == ' ')) continue;
        buf_putc(&plain, ch);
    }
    if (!strstr(plain.data, esc.data)) fail_msg("poster lacks \"%s\"", esc.data);
    buf_free(&esc);
    buf_free(&plain);
}

/* ---- library -------------------------------------------------------------- */

static void test_svg_poster_decodes_to_point_link(void **state)
{
    fixture_t *fx = *state;
    poster_opts_t o = opts();
    buf_t svg;
    buf_init(&svg);
    int version = poster_svg(&svg, form_a(fx), point(fx, "mercado"), &o);
    assert_in_range(version, 1, QR_VERSION_WARN);
    assert_lands(fx, decode_svg(fx->dir, "a4.svg", &svg, 1080), form_a(fx), point(fx, "mercado"));
    buf_free(&svg);
}

static void test_svg_poster_rasterised_at_300px_decodes(void **state)
{
    fixture_t *fx = *state;
    poster_opts_t o = opts();
    buf_t svg;
    buf_init(&svg);
    assert_true(poster_svg(&svg, form_a(fx), point(fx, "mercado"), &o) > 0);
    assert_lands(fx, decode_svg(fx->dir, "small.svg", &svg, 300), form_a(fx), point(fx, "mercado"));
    buf_free(&svg);
}

static uint32_t png_width(const buf_t *png)
{
    const unsigned char *p = (const unsigned char *)png->data;
    assert_true(png->len > 24 && !memcmp(p + 1, "PNG", 3));
    return (uint32_t)p[16] << 24 | (uint32_t)p[17] << 16 | (uint32_t)p[18] << 8 | p[19];
}

static void test_png_poster_is_1080_wide_and_decodes(void **state)
{
    fixture_t *fx = *state;
    poster_opts_t o = opts();
    buf_t png;
    buf_init(&png);
    assert_true(poster_png(&png, form_a(fx), point(fx, "mercado"), &o) > 0);
    assert_int_equal(png_width(&png), POSTER_PNG_WIDTH);
    assert_lands(fx, decode_png(fx->dir, "a4.png", &png), form_a(fx), point(fx, "mercado"));
    buf_free(&png);
}

static void test_png_poster_at_low_resolution_decodes(void **state)
{
    fixture_t *fx = *state;
    poster_opts_t o = opts();
    o.png_width = 300;
    buf_t png;
    buf_init(&png);
    assert_true(poster_png(&png, form_b(fx), point(fx, "tesoreria"), &o) > 0);
    assert_int_equal(png_width(&png), 300);
    assert_lands(fx, decode_png(fx->dir, "low.png", &png), form_b(fx), point(fx, "tesoreria"));
    buf_free(&png);
}

static void test_half_page_poster_is_a5_and_decodes(void **state)
{
    fixture_t *fx = *state;
    poster_opts_t o = opts();
    o.size = POSTER_HALF;
    buf_t svg, png;
    buf_init(&svg);
    buf_init(&png);
    assert_true(poster_svg(&svg, form_a(fx), point(fx, "mercado"), &o) > 0);
    assert_non_null(strstr(svg.data, "width=\"148mm\" height=\"210mm\""));
    assert_lands(fx, decode_svg(fx->dir, "a5.svg", &svg, 400), form_a(fx), point(fx, "mercado"));
    assert_true(poster_png(&png, form_a(fx), point(fx, "mercado"), &o) > 0);
    assert_lands(fx, decode_png(fx->dir, "a5.png", &png), form_a(fx), point(fx, "mercado"));
    buf_free(&svg);
    buf_free(&png);
}

static void test_form_alone_poster_links_to_form(void **state)
{
    fixture_t *fx = *state;
    poster_opts_t o = opts();
    buf_t svg;
    buf_init(&svg);
    assert_true(poster_svg(&svg, form_a(fx), NULL, &o) > 0);
    assert_has_text(&svg, i18n(LANG_ES, S_POSTER_ALL_SERVICES));
    assert_has_text(&svg, i18n(LANG_HT, S_POSTER_ALL_SERVICES));
    assert_lands(fx, decode_svg(fx->dir, "alone.svg", &svg, 600), form_a(fx), NULL);
    buf_free(&svg);
}

static void test_poster_carries_texts_in_both_languages(void **state)
{
    fixture_t *fx = *state;
    poster_opts_t o = opts();
    buf_t svg, link;
    buf_init(&svg);
    buf_init(&link);
    assert_true(poster_svg(&svg, form_a(fx), point(fx, "mercado"), &o) > 0);
    static const str_id_t ids[] = { S_POSTER_HEADLINE, S_POSTER_SCAN, S_POSTER_TYPE, S_POSTER_ANON };
    assert_has_text(&svg, i18n(LANG_ES, S_ORG_NAME));
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        assert_has_text(&svg, i18n(LANG_ES, ids[i]));
        assert_has_text(&svg, i18n(LANG_HT, ids[i]));
    }
    assert_has_text(&svg, "Encuesta de satisfacción");
    assert_has_text(&svg, "Sondaj sou satisfaksyon ak sèvis yo");
    assert_has_text(&svg, "Mercado Municipal de Bánica");
    assert_has_text(&svg, "Mache Minisipal Bánica");
    /* The link for typing, without the scheme browsers add by themselves. */
    poster_link(&link, BASE, form_a(fx), point(fx, "mercado"));
    assert_has_text(&svg, link.data + strlen("http://"));
    assert_non_null(strstr(svg.data, "xml:lang=\"ht\""));
    assert_non_null(strstr(svg.data, "font-family=\"DejaVu Sans,"));
    buf_free(&svg);
    buf_free(&link);
}

static void test_poster_text_is_escaped(void **state)
{
    fixture_t *fx = *state;
    poster_opts_t o = opts();
    buf_t svg;
    buf_init(&svg);
    assert_true(poster_svg(&svg, form_a(fx), point(fx, "tesoreria"), &o) > 0);
    assert_non_null(strstr(svg.data, "Tesorería &lt;pagos&gt; &amp; &quot;arbitrios&quot;"));
    assert_null(strstr(svg.data, "<pagos>"));
    /* rsvg-convert refuses malformed XML, so decoding proves it is valid. */
    assert_lands(fx, decode_svg(fx->dir, "esc.svg", &svg, 600), form_a(fx), point(fx, "tesoreria"));
    buf_free(&svg);
}

static void test_long_names_wrap_into_two_lines(void **state)
{
    fixture_t *fx = *state;
    poster_opts_t o = opts();
    buf_t svg;
    buf_init(&svg);
    assert_true(poster_svg(&svg, form_b(fx), point(fx, "camion-1"), &o) > 0);
    /* Title and point name: two lines each, nothing lost. */
    assert_non_null(strstr(svg.data, ">Encuesta sobre la rapidez de respuesta del"));
    assert_non_null(strstr(svg.data, "ciudadanía</text>"));
    assert_non_null(strstr(svg.data, ">Camión de recolección de desechos número"));
    assert_non_null(strstr(svg.data, "casco urbano de Bánica</text>"));
    assert_null(strstr(svg.data, "quejas de la ciudadanía y")); /* no stray joins */
    assert_lands(fx, decode_svg(fx->dir, "long.svg", &svg, 600), form_b(fx), point(fx, "camion-1"));
    buf_free(&svg);
}

/* A poster in the sun for months: modules faded to mid-grey, a corner of
 * the code torn off (6 x 6 modules, about 4% of a version-2 symbol), and
 * printed small (300 px across the A4 page, about 4 px per module). */
static void test_faded_torn_small_poster_decodes(void **state)
{
    fixture_t *fx = *state;
    poster_opts_t o = opts();
    buf_t svg, damaged;
    buf_init(&svg);
    buf_init(&damaged);
    int version = poster_svg(&svg, form_a(fx), point(fx, "mercado"), &o);
    assert_true(version > 0);
    const char *path = strstr(svg.data, "<path fill=\"#000\"");
    assert_non_null(path);
    double x, y, module;
    const char *tr = strstr(path, "translate(");
    assert_int_equal(sscanf(tr, "translate(%lf %lf) scale(%lf)", &x, &y, &module), 3);
    int far = QR_QUIET + 17 + 4 * version;   /* bottom-right edge, in modules */
    buf_append(&damaged, svg.data, (size_t)(path - svg.data));
    buf_puts(&damaged, "<path fill=\"#999\"");
    const char *end = strstr(path, "</svg>");
    buf_append(&damaged, path + strlen("<path fill=\"#000\""),
               (size_t)(end - path) - strlen("<path fill=\"#000\""));
    buf_printf(&damaged, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#fff\"/></svg>\n",
               (int)(x + (far - 6) * module), (int)(y + (far - 6) * module),
               (int)(6 * module), (int)(6 * module));
    assert_lands(fx, decode_svg(fx->dir, "damaged.svg", &damaged, 300), form_a(fx), point(fx, "mercado"));
    buf_free(&svg);
    buf_free(&damaged);
}

static void test_ec_q_poster_decodes(void **state)
{
    fixture_t *fx = *state;
    poster_opts_t o = opts();
    buf_t svg;
    buf_init(&svg);
    int m = poster_svg(&svg, form_a(fx), point(fx, "mercado"), &o);
    buf_reset(&svg);
    o.ec = QR_EC_Q;
    int q = poster_svg(&svg, form_a(fx), point(fx, "mercado"), &o);
    assert_true(q > m);   /* Q costs space: this link needs a bigger symbol */
    assert_lands(fx, decode_svg(fx->dir, "q.svg", &svg, 600), form_a(fx), point(fx, "mercado"));
    buf_free(&svg);
}

static void test_long_base_url_reports_larger_version(void **state)
{
    fixture_t *fx = *state;
    poster_opts_t o = opts();
    o.base_url = "https://encuestas.ayuntamiento-municipal-de-banica.gob.do/buzon";
    buf_t svg, want;
    buf_init(&svg);
    buf_init(&want);
    assert_true(poster_svg(&svg, form_a(fx), point(fx, "mercado"), &o) > QR_VERSION_WARN);
    char *text = decode_svg(fx->dir, "long-url.svg", &svg, 1080);
    assert_non_null(text);
    poster_link(&want, o.base_url, form_a(fx), point(fx, "mercado"));
    assert_string_equal(text, want.data);
    free(text);
    buf_free(&svg);
    buf_free(&want);
}

static void test_link_too_long_for_qr_fails(void **state)
{
    fixture_t *fx = *state;
    char url[4000] = "http://";
    memset(url + 7, 'x', sizeof url - 8);
    url[sizeof url - 1] = '\0';
    poster_opts_t o = opts();
    o.base_url = url;
    buf_t svg;
    buf_init(&svg);
    errno = 0;
    assert_int_equal(poster_svg(&svg, form_a(fx), NULL, &o), -1);
    assert_int_equal(errno, ERANGE);
    assert_int_equal(svg.len, 0);
    buf_free(&svg);
}

/* ---- command line --------------------------------------------------------- */

/* Run cli_poster / cli_posters with a NULL-terminated argument list. */
static int run_cli(int (*cmd)(int, char **), ...)
{
    char *argv[32];
    int argc = 0;
    va_list ap;
    va_start(ap, cmd);
    for (char *a; (a = va_arg(ap, char *)) && argc < 31;) argv[argc++] = a;
    va_end(ap);
    argv[argc] = NULL;
    return cmd(argc, argv);
}

static void test_cli_poster_writes_svg_that_decodes(void **state)
{
    fixture_t *fx = *state;
    char *out = fmt("%s/cli.svg", fx->dir);
    assert_int_equal(run_cli(cli_poster, "poster", "encuesta-b", "--point", "mercado", "-o", out,
                             "--forms", FIX, "--base-url", BASE, NULL), 0);
    assert_lands(fx, decode_svg_file(fx->dir, "cli.svg", 800), form_b(fx), point(fx, "mercado"));
    free(out);
}

static void test_cli_poster_png_and_bare_qr_formats_decode(void **state)
{
    fixture_t *fx = *state;
    static const char *const fmts[] = { "png", "qr-png", "qr-svg" };
    for (size_t i = 0; i < 3; i++) {
        char *name = fmt("cli-%s.%s", fmts[i], i == 2 ? "svg" : "png");
        char *out = fmt("%s/%s", fx->dir, name);
        assert_int_equal(run_cli(cli_poster, "poster", "encuesta-a", "--point", "camion-1",
                                 "--format", fmts[i], "-o", out, "--forms", FIX,
                                 "--base-url", BASE "/", NULL), 0);
        char *text = i == 2 ? decode_svg_file(fx->dir, name, 200) : ic_zbar(out);
        assert_lands(fx, text, form_a(fx), point(fx, "camion-1"));
        free(name);
        free(out);
    }
}

/* One file name per variant, the same on the web and from buzon poster. */
static void test_file_names_tell_variants_apart(void **state)
{
    fixture_t *fx = *state;
    static const struct { bool point, qr; poster_size_t size; bool png; const char *want; } cases[] = {
        { true, false, POSTER_A4, false, "cartel-encuesta-b-mercado.svg" },
        { true, false, POSTER_HALF, false, "cartel-encuesta-b-mercado-media.svg" },
        { true, false, POSTER_A4, true, "cartel-encuesta-b-mercado.png" },
        { true, true, POSTER_HALF, true, "cartel-encuesta-b-mercado-qr.png" },
        { false, true, POSTER_A4, false, "cartel-encuesta-b-qr.svg" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        buf_t b;
        buf_init(&b);
        poster_file_name(&b, form_b(fx), cases[i].point ? point(fx, "mercado") : NULL, cases[i].qr,
                         cases[i].size, cases[i].png);
        assert_string_equal(b.data, cases[i].want);
        buf_free(&b);
    }
}

/* What a command run in-process writes to stderr (into a file of dir). */
static char *stderr_of(const char *dir, int *rc, int (*cmd)(int, char **), char **argv, int argc)
{
    char *path = fmt("%s/stderr.txt", dir);
    fflush(stderr);
    int saved = dup(2), fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(saved >= 0 && fd >= 0);
    dup2(fd, 2);
    close(fd);
    *rc = cmd(argc, argv);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    char *text = calloc(1, 4096);
    assert_non_null(text);
    size_t n = fread(text, 1, 4095, fp);
    text[n] = '\0';
    fclose(fp);
    free(path);
    return text;
}

/* A poster for http://localhost is written, with a warning that no phone
 * can open it (as the server and the posters page warn). */
static void test_cli_poster_warns_about_a_localhost_address(void **state)
{
    fixture_t *fx = *state;
    char *out = fmt("%s/local.svg", fx->dir);
    char *local[] = { "poster", "encuesta-b", "--point", "mercado", "-o", out, "--forms", FIX, NULL };
    char *public[] = { "poster", "encuesta-b", "--point", "mercado", "-o", out, "--forms", FIX,
                       "--base-url", BASE, NULL };
    int rc;
    char *err = stderr_of(fx->dir, &rc, cli_poster, local, 8);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(err, "no phone can open"));
    free(err);
    err = stderr_of(fx->dir, &rc, cli_poster, public, 10);
    assert_int_equal(rc, 0);
    assert_null(strstr(err, "no phone can open"));
    free(err);
    free(out);
}

static void test_cli_unknown_form_or_point_exits_1(void **state)
{
    fixture_t *fx = *state;
    char *out = fmt("%s/none.svg", fx->dir);
    assert_int_equal(run_cli(cli_poster, "poster", "no-such-form", "-o", out, "--forms", FIX, NULL), 1);
    assert_int_equal(run_cli(cli_poster, "poster", "encuesta-a", "--point", "no-such-point",
                             "-o", out, "--forms", FIX, NULL), 1);
    assert_int_equal(access(out, F_OK), -1);   /* nothing written */
    free(out);
}

static void test_cli_bad_options_exit_2(void **state)
{
    (void)state;
    assert_int_equal(run_cli(cli_poster, "poster", NULL), 2);
    assert_int_equal(run_cli(cli_poster, "poster", "encuesta-a", "--format", "gif", NULL), 2);
    assert_int_equal(run_cli(cli_poster, "poster", "encuesta-a", "--size", "a3", NULL), 2);
    assert_int_equal(run_cli(cli_poster, "poster", "encuesta-a", "--ec", "H", NULL), 2);
    assert_int_equal(run_cli(cli_poster, "poster", "encuesta-a", "--base-url", "buzon.test", NULL), 2);
    assert_int_equal(run_cli(cli_poster, "poster", "encuesta-a", "encuesta-b", NULL), 2);
    assert_int_equal(run_cli(cli_posters, "posters", NULL), 2);
    assert_int_equal(run_cli(cli_posters, "posters", "-o", "x", "--point", "mercado", NULL), 2);
}

/* Run `posters` in format fmt into dir/sub, then check links.tsv has one
 * row per form x (points + none) and that every file decodes to its row's
 * link. */
static void check_posters(fixture_t *fx, const char *sub, const char *ext)
{
    char *out = fmt("%s/%s", fx->dir, sub), *tsv = fmt("%s/links.tsv", out);
    assert_int_equal(run_cli(cli_posters, "posters", "-o", out, "--format", ext,
                             "--forms", FIX, "--base-url", BASE, NULL), 0);
    FILE *f = fopen(tsv, "r");
    assert_non_null(f);
    char *line = NULL;
    size_t cap = 0, rows = 0;
    assert_true(getline(&line, &cap, f) > 0);
    assert_string_equal(line, "form\tpoint\tcode\tlink\tfile\n");
    while (getline(&line, &cap, f) > 0) {
        char *rest = line;
        line[strcspn(line, "\n")] = '\0';
        char *form = strsep(&rest, "\t"), *pt = strsep(&rest, "\t");
        char *code = strsep(&rest, "\t"), *link = strsep(&rest, "\t");
        char *file = strsep(&rest, "\t");
        assert_non_null(file);
        assert_null(rest);
        char expect[SHORTCODE_LEN + 1];
        shortcode_make(form, *pt ? pt : NULL, expect);
        assert_string_equal(code, expect);
        char *path = fmt("%s/%s", out, file);
        char *text = !strcmp(ext, "svg") ? decode_svg_file(out, file, 500) : ic_zbar(path);
        assert_non_null(text);
        assert_string_equal(text, link);
        free(text);
        free(path);
        rows++;
    }
    free(line);
    fclose(f);
    assert_int_equal(rows, fx->nforms * (fx->pts.npoints + 1));
    char *one = fmt("%s/encuesta-a/camion-1.%s", out, ext), *alone = fmt("%s/encuesta-b.%s", out, ext);
    assert_int_equal(access(one, F_OK), 0);
    assert_int_equal(access(alone, F_OK), 0);
    free(one);
    free(alone);
    free(tsv);
    free(out);
}

static void test_cli_posters_svg_every_one_decodes(void **state)
{
    check_posters(*state, "all-svg", "svg");
}

static void test_cli_posters_png_every_one_decodes(void **state)
{
    check_posters(*state, "all-png", "png");
}

/* A forms folder whose two form ids share a short code (see
 * test_shortcode.c): both commands must refuse with exit 1. */
static void test_cli_refuses_code_collision(void **state)
{
    fixture_t *fx = *state;
    static const char *const ids[] = { "f16527", "f23729" };
    char *dir = fmt("%s/clash", fx->dir);
    assert_int_equal(mkdir(dir, 0777), 0);
    assert_int_equal(ic_run("cp " FIX "/points.csv " FIX "/services.csv '%s'", dir), 0);
    for (size_t i = 0; i < 2; i++)
        assert_int_equal(ic_run("mkdir '%s/%s' && cp " FIX "/encuesta-b/*.csv '%s/%s' && "
                                "sed -i 's/encuesta-b/%s/' '%s/%s/settings.csv'",
                                dir, ids[i], dir, ids[i], ids[i], dir, ids[i]), 0);
    char *out = fmt("%s/out", fx->dir), *one = fmt("%s/one.svg", fx->dir);
    assert_int_equal(run_cli(cli_posters, "posters", "-o", out, "--forms", dir, NULL), 1);
    assert_int_equal(access(out, F_OK), -1);
    assert_int_equal(run_cli(cli_poster, "poster", "f16527", "-o", one, "--forms", dir, NULL), 1);
    assert_int_equal(access(one, F_OK), -1);
    free(dir);
    free(out);
    free(one);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_svg_poster_decodes_to_point_link),
        T(test_svg_poster_rasterised_at_300px_decodes),
        T(test_png_poster_is_1080_wide_and_decodes),
        T(test_png_poster_at_low_resolution_decodes),
        T(test_half_page_poster_is_a5_and_decodes),
        T(test_form_alone_poster_links_to_form),
        T(test_poster_carries_texts_in_both_languages),
        T(test_poster_text_is_escaped),
        T(test_long_names_wrap_into_two_lines),
        T(test_faded_torn_small_poster_decodes),
        T(test_ec_q_poster_decodes),
        T(test_long_base_url_reports_larger_version),
        T(test_link_too_long_for_qr_fails),
        T(test_cli_poster_writes_svg_that_decodes),
        T(test_cli_poster_png_and_bare_qr_formats_decode),
        T(test_file_names_tell_variants_apart),
        T(test_cli_poster_warns_about_a_localhost_address),
        T(test_cli_unknown_form_or_point_exits_1),
        T(test_cli_bad_options_exit_2),
        T(test_cli_posters_svg_every_one_decodes),
        T(test_cli_posters_png_every_one_decodes),
        T(test_cli_refuses_code_collision),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
