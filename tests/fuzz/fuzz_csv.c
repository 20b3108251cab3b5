/*
 * fuzz_csv.c: libFuzzer harness for the CSV reader every XLSForm sheet goes
 * through (BOM, `,`/`;` detection, quotes, line breaks in cells).
 *
 * Oracle beyond the sanitizers: a parsed table has a header row, every
 * cell is valid UTF-8, line numbers never go backwards, and looking up a
 * header cell's name (without its surrounding blanks, as csv_col compares)
 * finds that column or an earlier one of the same name.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/csvread.h"
#include "base/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    csv_table_t t;
    char err[256];
    if (csv_parse_bytes((const char *)data, size, &t, err, sizeof err) != 0) {
        assert(err[0]);
        return 0;
    }
    assert(t.sep == ',' || t.sep == ';');
    int line = 0;
    for (size_t r = 0; r < t.nrows; r++) {
        assert(t.rows[r].line >= line);
        line = t.rows[r].line;
        for (size_t c = 0; c < t.rows[r].ncells; c++)
            assert(utf8_valid(t.rows[r].cells[c], strlen(t.rows[r].cells[c])));
    }
    if (t.nrows > 0)
        for (size_t c = 0; c < t.rows[0].ncells && c < 64; c++) {
            const char *s = t.rows[0].cells[c];
            size_t n = strlen(s);
            while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
            while (n && (*s == ' ' || *s == '\t')) { s++; n--; }
            if (!n) continue;
            char *name = strndup(s, n);
            int found = csv_col(&t, name);
            assert(found >= 0 && (size_t)found <= c);
            (void)csv_cell(&t, 0, found);
            free(name);
        }
    csv_table_free(&t);
    return 0;
}
