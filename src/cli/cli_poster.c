/*
 * cli_poster.c: `buzon poster` (one poster) and `buzon posters` (every form
 * at every point, plus each form alone, into a folder) for the staff who
 * print them and share the links on WhatsApp.
 *
 *   buzon poster <form> [--point ID] [--format svg|png|qr-svg|qr-png]
 *                [--size a4|half] [--ec M|Q] [-o FILE] [--base-url URL]
 *                [--forms DIR]
 *   buzon posters -o DIR [--format ...] [--size ...] [--ec ...]
 *                 [--base-url URL] [--forms DIR]
 *
 * `poster` writes FILE (default cartel-<form>[-<point>][-qr|-media].<ext>,
 * as the web names them, poster_file_name; "-" for
 * stdout), says on stderr where (the current folder, without -o), and
 * prints the short link, which is what staff paste into WhatsApp.
 * `posters` writes DIR/<form>.<ext> and DIR/<form>/<point>.<ext>, both
 * .svg (to print) and .png (to share) unless --format names one, and
 * DIR/links.tsv (form, point, code, link, file, and with both formats
 * png) so every link is at hand, with a progress line on a terminal.
 *
 * Both load the whole forms folder as the server does (catalog.h) and
 * refuse to run, with the server's messages, on any problem it refuses,
 * among them two current (form, point) pairs sharing a short code (see
 * shortcode.h), since one of the posters would lead to the wrong survey.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/url.h"
#include "cli/cli.h"
#include "cli/cli_help.h"
#include "model/catalog.h"
#include "model/poster.h"
#include "model/qr.h"
#include "model/shortcode.h"

typedef enum format { FMT_SVG, FMT_PNG, FMT_QR_SVG, FMT_QR_PNG } format_t;

/* Option values, in the order of their enums. */
static const char *const format_names[] = { "svg", "png", "qr-svg", "qr-png", NULL };
static const char *const size_names[] = { "a4", "half", NULL };
static const char *const ec_names[] = { "M", "Q", NULL };

static const char *format_ext(format_t f)
{
    return f == FMT_SVG || f == FMT_QR_SVG ? "svg" : "png";
}

typedef struct opts {
    const char   *cmd;          /* "poster" / "posters", for messages */
    const char   *form;         /* poster: the form id */
    const char   *point;        /* poster: --point, or NULL */
    const char   *out;          /* -o */
    const char   *forms_dir;
    format_t      format;
    bool          both;         /* posters without --format: SVG and PNG */
    poster_opts_t po;
} opts_t;

/* The synopsis of o->cmd on stderr (cli_help.c); returns 2. */
static int usage(const opts_t *o)
{
    return cli_usage_error(o->cmd);
}

/* Index of v in names (NULL-terminated, case-insensitive), or -1 after
 * saying which values opt takes. */
static int choose(const opts_t *o, const char *opt, const char *v, const char *const *names)
{
    for (int k = 0; names[k]; k++)
        if (!strcasecmp(v, names[k])) return k;
    fprintf(stderr, "buzon %s: %s '%s' is not one of:", o->cmd, opt, v);
    for (int k = 0; names[k]; k++) fprintf(stderr, " %s", names[k]);
    fputc('\n', stderr);
    return -1;
}

/* Parse argv into *o. Returns 0, or the exit status of a usage error. */
static int parse(int argc, char **argv, opts_t *o)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' && o->form && !*o->form) {   /* poster's <form_id> */
            o->form = a;
            continue;
        }
        bool known = !strcmp(a, "-o") || !strcmp(a, "--forms") || !strcmp(a, "--base-url") ||
                     !strcmp(a, "--size") || !strcmp(a, "--ec") || !strcmp(a, "--format") ||
                     (!strcmp(a, "--point") && o->form);
        if (!known) {
            fprintf(stderr, "buzon %s: unexpected argument '%s'\n", o->cmd, a);
            return usage(o);
        }
        if (i + 1 == argc) {
            fprintf(stderr, "buzon %s: %s needs a value\n", o->cmd, a);
            return usage(o);
        }
        const char *v = argv[++i];
        int k = 0;
        if (!strcmp(a, "-o")) o->out = v;
        else if (!strcmp(a, "--forms")) o->forms_dir = v;
        else if (!strcmp(a, "--base-url")) o->po.base_url = v;
        else if (!strcmp(a, "--point")) o->point = v;
        else if (!strcmp(a, "--size") && (k = choose(o, a, v, size_names)) >= 0)
            o->po.size = (poster_size_t)k;
        else if (!strcmp(a, "--ec") && (k = choose(o, a, v, ec_names)) >= 0)
            o->po.ec = (qr_ec_t)k;
        else if (!strcmp(a, "--format") && (k = choose(o, a, v, format_names)) >= 0) {
            o->format = (format_t)k;
            o->both = false;
        }
        if (k < 0) return 2;
    }
    if (o->form ? !*o->form : !o->out) return usage(o);
    if (!url_base_valid(o->po.base_url)) {
        fprintf(stderr, "buzon %s: --base-url must look like http://host[:port][/path], not '%s'\n",
                o->cmd, o->po.base_url);
        return 2;
    }
    /* As the server and the posters page do: a poster for this machine
     * is no use on a wall. Written all the same (to look at, say). */
    if (url_is_loopback(o->po.base_url))
        fprintf(stderr, "buzon %s: warning: the QR codes point to %s, which no phone can open;\n"
                        "       give the public address with --base-url https://buzon.example.gob.do\n",
                o->cmd, o->po.base_url);
    return 0;
}

/* Render one poster or bare code into out. Returns the QR version, or -1
 * after printing why. */
static int render(buf_t *out, const opts_t *o, const form_t *f, const point_t *pt)
{
    int version = o->format == FMT_SVG ? poster_svg(out, f, pt, &o->po)
                : o->format == FMT_PNG ? poster_png(out, f, pt, &o->po)
                : poster_qr(out, f, pt, &o->po, o->format == FMT_QR_PNG);
    if (version < 0)
        fprintf(stderr, "buzon %s: %s%s%s: %s\n", o->cmd, f->id, pt ? " at " : "",
                pt ? pt->id : "", errno == ERANGE ? "the link is too long for a QR code; "
                "use a shorter --base-url" : "could not render the image");
    return version;
}

static int write_file(const opts_t *o, const char *path, const buf_t *b)
{
    bool to_stdout = !strcmp(path, "-");
    FILE *f = to_stdout ? stdout : fopen(path, "wb");
    bool ok = f && fwrite(b->data, 1, b->len, f) == b->len;
    ok = (to_stdout ? fflush(f) == 0 : f && fclose(f) == 0) && ok;
    if (!ok) fprintf(stderr, "buzon %s: %s: %s\n", o->cmd, path, strerror(errno));
    return ok ? 0 : -1;
}

static void warn_version(const opts_t *o, int version)
{
    if (version <= QR_VERSION_WARN) return;
    fprintf(stderr, "buzon %s: warning: links under %s need a version-%d QR code "
            "(more than %d makes it hard to scan when printed small); use a shorter --base-url\n",
            o->cmd, o->po.base_url, version, QR_VERSION_WARN);
}

static void list_ids(const catalog_t *w, bool points)
{
    size_t n = points ? w->points.npoints : w->nforms, shown = 0;
    for (size_t i = 0; i < n; i++)
        if (points || !w->forms[i]->staff)   /* issue 18: registers are not offered */
            fprintf(stderr, "%s%s", shown++ ? ", " : "", points ? w->points.points[i].id : w->forms[i]->id);
    fputs(shown ? ")\n" : "none)\n", stderr);
}

static void opts_default(opts_t *o, const char *cmd)
{
    memset(o, 0, sizeof *o);
    o->cmd = cmd;
    o->forms_dir = "forms";
    o->po.base_url = "http://localhost:8080";
}

int cli_poster(int argc, char **argv)
{
    opts_t o;
    opts_default(&o, "poster");
    o.form = "";   /* "" = expected as the one positional argument */
    int rc = parse(argc, argv, &o);
    if (rc) return rc;

    catalog_t w;
    if (catalog_open(o.forms_dir, &w, stderr) < 0) return 1;
    const form_t *f = catalog_form(&w, o.form, NULL);
    const point_t *pt = o.point ? points_find(&w.points, o.point) : NULL;
    if (!f) {
        fprintf(stderr, "buzon poster: unknown form '%s' in %s (forms: ", o.form, o.forms_dir);
        list_ids(&w, false);
    } else if (o.point && !pt) {
        fprintf(stderr, "buzon poster: unknown point '%s' in %s/points.csv (points: ",
                o.point, o.forms_dir);
        list_ids(&w, true);
    } else if (f->staff) {
        /* issue 18: a register is for staff: nothing the public could scan or fill in. */
        fprintf(stderr, "buzon poster: '%s' is a staff register (access = staff in its settings): "
                "it has no poster, paper sheet, short link or QR code\n", f->id);
        f = NULL;
    }
    if (!f || (o.point && !pt)) {
        catalog_free(&w);
        return 1;
    }

    buf_t img, name;
    buf_init(&img);
    buf_init(&name);
    int version = render(&img, &o, f, pt);
    if (!o.out) {
        poster_file_name(&name, f, pt, o.format >= FMT_QR_SVG, o.po.size, o.format == FMT_PNG ||
                         o.format == FMT_QR_PNG);
        o.out = name.data;
    }
    rc = version < 0 || write_file(&o, o.out, &img) != 0;
    if (!rc && strcmp(o.out, "-")) {
        /* Say where it went: without -o, into the current folder. */
        char *cwd = name.data ? getcwd(NULL, 0) : NULL;
        if (name.data)
            fprintf(stderr, "buzon poster: wrote %s in the current folder, %s (-o FILE writes "
                            "elsewhere)\n", o.out, cwd ? cwd : ".");
        else
            fprintf(stderr, "buzon poster: wrote %s\n", o.out);
        free(cwd);
    }
    if (!rc) {
        warn_version(&o, version);
        buf_reset(&img);
        poster_link(&img, o.po.base_url, f, pt);
        /* With -o - the image is on stdout; the link goes to stderr. */
        fprintf(strcmp(o.out, "-") ? stdout : stderr, "%s\t%s\n", o.out, img.data);
    }
    buf_free(&img);
    buf_free(&name);
    catalog_free(&w);
    return rc;
}

/* mkdir that accepts an existing folder. */
static int make_dir(const opts_t *o, const char *path)
{
    if (mkdir(path, 0777) == 0 || errno == EEXIST) return 0;
    fprintf(stderr, "buzon %s: %s: %s\n", o->cmd, path, strerror(errno));
    return -1;
}

/* Write every poster under o->out and its row in tsv. Returns 0, or -1
 * after printing why (at the first failure: the next would fail alike). */
static int write_all(const opts_t *o, const catalog_t *w, buf_t *tsv, int *max_version)
{
    size_t total = catalog_public_count(w) * (w->points.npoints + 1), done = 0;
    bool tty = isatty(STDERR_FILENO);
    buf_t path, img;
    buf_init(&path);
    buf_init(&img);
    int rc = make_dir(o, o->out);
    for (size_t i = 0; i < w->nforms && rc == 0; i++) {
        const form_t *f = w->forms[i];
        if (f->staff) continue;   /* issue 18: a register has no poster */
        buf_reset(&path);
        buf_printf(&path, "%s/%s", o->out, f->id);
        if (w->points.npoints) rc = make_dir(o, path.data);
        for (size_t p = 0; p <= w->points.npoints && rc == 0; p++) {
            const point_t *pt = p ? &w->points.points[p - 1] : NULL;
            char code[SHORTCODE_LEN + 1];
            shortcode_make(f->id, pt ? pt->id : NULL, code);
            buf_printf(tsv, "%s\t%s\t%s\t", f->id, pt ? pt->id : "", code);
            poster_link(tsv, o->po.base_url, f, pt);
            /* The SVG (or --format's file), then with both the PNG. */
            for (int k = 0; k < (o->both ? 2 : 1) && rc == 0; k++) {
                opts_t one = *o;
                if (k) one.format = FMT_PNG;
                buf_reset(&path);
                buf_printf(&path, "%s/%s%s%s.%s", o->out, f->id, pt ? "/" : "", pt ? pt->id : "",
                           format_ext(one.format));
                buf_reset(&img);
                int version = render(&img, &one, f, pt);
                rc = version < 0 ? -1 : write_file(o, path.data, &img);
                if (version > *max_version) *max_version = version;
                buf_printf(tsv, "\t%s", path.data + strlen(o->out) + 1);
            }
            buf_putc(tsv, '\n');
            if (rc) break;
            done++;
            if (tty) fprintf(stderr, "\rposters: %zu/%zu %s%s%s\033[K", done, total, f->id,
                             pt ? "/" : "", pt ? pt->id : "");
        }
    }
    if (tty && done) fputs("\n", stderr);
    buf_free(&path);
    buf_free(&img);
    return rc;
}

int cli_posters(int argc, char **argv)
{
    opts_t o;
    opts_default(&o, "posters");
    o.both = true;   /* until --format names one */
    int rc = parse(argc, argv, &o);
    if (rc) return rc;

    catalog_t w;
    if (catalog_open(o.forms_dir, &w, stderr) < 0) return 1;
    buf_t tsv;
    buf_init(&tsv);
    buf_puts(&tsv, o.both ? "form\tpoint\tcode\tlink\tfile\tpng\n" : "form\tpoint\tcode\tlink\tfile\n");
    int max_version = 0;
    rc = write_all(&o, &w, &tsv, &max_version) != 0;
    if (!rc) {
        buf_t path;
        buf_init(&path);
        buf_printf(&path, "%s/links.tsv", o.out);
        rc = write_file(&o, path.data, &tsv) != 0;
        if (!rc) printf("posters: wrote %zu posters%s to %s (links in %s)\n",
                        catalog_public_count(&w) * (w.points.npoints + 1),
                        o.both ? ", each as SVG to print and PNG to share" : "", o.out, path.data);
        warn_version(&o, max_version);
        buf_free(&path);
    }
    buf_free(&tsv);
    catalog_free(&w);
    return rc;
}
