/*
 * test_rich.c: the markdown subset and ${name} piping of a form's texts
 * (view/rich.h, model/pipe.h): escaping before anything else (no raw HTML
 * ever passes), links only to safe addresses, unbalanced markers left as
 * text, nesting and work bounded, and the piped value escaped in its span.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "model/pipe.h"
#include "view/rich.h"

/* Values for the pipe: "nombre" is answered (with markup in it), "vacio"
 * is not; any other name is no question. */
static bool pipe(void *arg, const char *name, buf_t *out)
{
    (void)arg;
    if (!strcmp(name, "nombre")) {
        buf_puts(out, "<b>Ana</b> & \"*x*\"");
        return true;
    }
    return !strcmp(name, "vacio");
}

static char *html(const char *src)
{
    buf_t b;
    buf_init(&b);
    rich_html(&b, src, pipe, NULL);
    buf_putc(&b, '\0');
    return buf_steal(&b);
}

static char *plain(const char *src)
{
    buf_t b;
    buf_init(&b);
    rich_plain(&b, src, pipe, NULL);
    buf_putc(&b, '\0');
    return buf_steal(&b);
}

#define EXPECT_HTML(src, want) do { char *got_ = html(src); assert_string_equal(got_, want); free(got_); } while (0)
#define EXPECT_PLAIN(src, want) do { char *got_ = plain(src); assert_string_equal(got_, want); free(got_); } while (0)

static void test_plain_text_as_buf_html(void **state)
{
    (void)state;
    static const char *const texts[] = { "¿Cómo le atendieron?", "a < b & c > \"d\" 'e'", "", "3 * 4",
                                         "tasa 5%", "año 2024 (aprox.)" };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        buf_t a;
        buf_init(&a);
        buf_html(&a, texts[i]);
        buf_putc(&a, '\0');
        char *got = html(texts[i]);
        assert_string_equal(got, a.data);
        free(got);
        buf_free(&a);
    }
}

static void test_emphasis_strong(void **state)
{
    (void)state;
    EXPECT_HTML("*a* _b_ **c** __d__", "<em>a</em> <em>b</em> <strong>c</strong> <strong>d</strong>");
    EXPECT_HTML("**muy *bien* hecho**", "<strong>muy <em>bien</em> hecho</strong>");
    EXPECT_HTML("*a **b** c*", "<em>a <strong>b</strong> c</em>");
    /* Unbalanced or not flanking: left as written. */
    EXPECT_HTML("*a", "*a");
    EXPECT_HTML("**a*", "<em>*a</em>");
    EXPECT_HTML("a * b * c", "a * b * c");
    EXPECT_HTML("__a", "__a");
    EXPECT_HTML("año_total y mes_x", "año_total y mes_x");
    EXPECT_HTML("snake_case_name", "snake_case_name");
    EXPECT_HTML("3 * 4 = 12 *", "3 * 4 = 12 *");
    EXPECT_HTML("\\*no\\*", "*no*");
    EXPECT_HTML("**", "**");
    EXPECT_HTML("*<script>*", "<em>&lt;script&gt;</em>");
}

static void test_nesting_limit(void **state)
{
    (void)state;
    /* RICH_MAX_DEPTH is 4: the fifth level stays as text. */
    EXPECT_HTML("**a _b *c [d __e__](http://x.do) c* b_ a**",
                "<strong>a <em>b <em>c <a href=\"http://x.do\" rel=noopener>d __e__</a> c</em> b</em> a</strong>");
    /* Thousands of markers: bounded work, and all of it escaped text. */
    size_t n = 20000;
    char *many = malloc(n + 1);
    for (size_t i = 0; i < n; i++) many[i] = "*_[<"[i % 4];
    many[n] = '\0';
    char *got = html(many);
    assert_null(strstr(got, "<["));
    for (const char *p = got; (p = strchr(p, '<')); p++)
        assert_true(!strncmp(p, "<em>", 4) || !strncmp(p, "</em>", 5) || !strncmp(p, "<strong>", 8) ||
                    !strncmp(p, "</strong>", 9));
    free(got);
    free(many);
}

static void test_links(void **state)
{
    (void)state;
    EXPECT_HTML("[sitio](https://banica.gob.do/a?b=1&c=2)",
                "<a href=\"https://banica.gob.do/a?b=1&amp;c=2\" rel=noopener>sitio</a>");
    EXPECT_HTML("[llame](tel:+18095550000) o [escriba](mailto:a@b.do)",
                "<a href=\"tel:+18095550000\" rel=noopener>llame</a> o "
                "<a href=\"mailto:a@b.do\" rel=noopener>escriba</a>");
    EXPECT_HTML("[**aquí**](http://x.do)", "<a href=\"http://x.do\" rel=noopener><strong>aquí</strong></a>");
    /* Unsafe or malformed addresses: text, escaped. */
    EXPECT_HTML("[x](javascript:alert(1))", "[x](javascript:alert(1))");
    EXPECT_HTML("[x](JaVaScRiPt:alert(1))", "[x](JaVaScRiPt:alert(1))");
    EXPECT_HTML("[x](data:text/html,<script>)", "[x](data:text/html,&lt;script&gt;)");
    EXPECT_HTML("[x](http://a.do\" onclick=\"y)", "[x](http://a.do&quot; onclick=&quot;y)");
    EXPECT_HTML("[x](http://)", "[x](http://)");
    EXPECT_HTML("[x] (http://a.do)", "[x] (http://a.do)");
    EXPECT_HTML("[x](http://a.do", "[x](http://a.do");
    EXPECT_HTML("[a [b](http://b.do)](http://a.do)",
                "<a href=\"http://a.do\" rel=noopener>a [b](http://b.do)</a>");
    /* The address is never parsed as markdown. */
    EXPECT_HTML("[x](http://a.do/*b*)", "<a href=\"http://a.do/*b*\" rel=noopener>x</a>");
    EXPECT_PLAIN("ver [sitio](https://a.do)", "ver sitio");
}

static void test_headings_breaks(void **state)
{
    (void)state;
    EXPECT_HTML("# Datos\nSu *nombre*", "<strong>Datos</strong><br>Su <em>nombre</em>");
    EXPECT_HTML("### Título", "<strong>Título</strong>");
    EXPECT_HTML("#1 de la lista", "#1 de la lista");
    EXPECT_HTML("####### siete", "####### siete");
    EXPECT_HTML("a\r\nb\nc", "a<br>b<br>c");
    EXPECT_PLAIN("# Datos\nSu *nombre*", "Datos Su nombre");
}

static void test_raw_html_never_passes(void **state)
{
    (void)state;
    static const char *const payloads[] = {
        "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "*<b>x</b>*",
        "[<img src=x>](http://a.do)", "# <h1>x</h1>", "${<script>}", "\"><svg onload=alert(1)>",
        "[x](http://a.do)<iframe>", "__<a href='javascript:x'>y</a>__",
    };
    for (size_t i = 0; i < sizeof payloads / sizeof payloads[0]; i++) {
        char *got = html(payloads[i]);
        assert_null(strstr(got, "<script"));
        assert_null(strstr(got, "<img"));
        assert_null(strstr(got, "<svg"));
        assert_null(strstr(got, "<iframe"));
        assert_null(strstr(got, "<h1"));
        assert_null(strstr(got, "<b>"));
        assert_null(strstr(got, "href='"));
        free(got);
    }
}

static void test_piping(void **state)
{
    (void)state;
    EXPECT_HTML("Hola ${nombre}.",
                "Hola <span data-pipe=nombre>&lt;b&gt;Ana&lt;/b&gt; &amp; &quot;*x*&quot;</span>.");
    EXPECT_HTML("**${vacio}**", "<strong><span data-pipe=vacio></span></strong>");
    EXPECT_HTML("${otro} y ${ nombre} y $nombre", "${otro} y ${ nombre} y $nombre");
    EXPECT_HTML("\\${nombre}", "${nombre}");
    EXPECT_PLAIN("Hola ${nombre}", "Hola <b>Ana</b> & \"*x*\"");
    /* Without a pipe function references stay as written. */
    buf_t b;
    buf_init(&b);
    rich_html(&b, "a ${nombre}", NULL, NULL);
    buf_putc(&b, '\0');
    assert_string_equal(b.data, "a ${nombre}");
    buf_free(&b);
}

static void collect(void *arg, const char *name)
{
    buf_t *b = arg;
    buf_puts(b, name);
    buf_putc(b, '|');
}

static void test_pipe_refs(void **state)
{
    (void)state;
    buf_t b;
    buf_init(&b);
    pipe_refs("${a} ${b.c} ${} ${d e} ${f${g}} $h ${i", collect, &b);
    buf_putc(&b, '\0');
    assert_string_equal(b.data, "a|b.c|g|");
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_text_as_buf_html),
        cmocka_unit_test(test_emphasis_strong),
        cmocka_unit_test(test_nesting_limit),
        cmocka_unit_test(test_links),
        cmocka_unit_test(test_headings_breaks),
        cmocka_unit_test(test_raw_html_never_passes),
        cmocka_unit_test(test_piping),
        cmocka_unit_test(test_pipe_refs),
    };
    return cmocka_run_group_tests_name("rich", tests, NULL, NULL);
}
