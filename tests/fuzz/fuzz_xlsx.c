/*
 * fuzz_xlsx.c: libFuzzer harness for the workbook reader (xlsxread.c): the
 * bytes of an .xlsx file, opened from memory, every sheet read.
 *
 * Oracle beyond the sanitizers: a failure always says why (err set); a
 * sheet read has rows in increasing Excel row order within the caps,
 * every cell is valid UTF-8 and no row is wider than Excel allows.
 */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "base/utf8.h"
#include "base/xlsxread.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[256] = "";
    xlsx_book_t *b = xlsx_open_bytes(data, size, err, sizeof err);
    if (!b) {
        assert(err[0]);
        return 0;
    }
    for (size_t i = 0; i < xlsx_nsheets(b); i++) {
        assert(xlsx_sheet_name(b, i));
        csv_table_t t;
        err[0] = '\0';
        if (xlsx_sheet_read(b, i, &t, err, sizeof err) != 0) {
            assert(err[0] && t.nrows == 0);
            continue;
        }
        int line = 0;
        for (size_t r = 0; r < t.nrows; r++) {
            assert(t.rows[r].line > line && t.rows[r].line <= XLSX_MAX_ROWS);
            line = t.rows[r].line;
            assert(t.rows[r].ncells <= XLSX_MAX_COLS);
            for (size_t c = 0; c < t.rows[r].ncells; c++)
                assert(utf8_valid(t.rows[r].cells[c], strlen(t.rows[r].cells[c])));
        }
        csv_table_free(&t);
    }
    xlsx_close(b);
    return 0;
}
