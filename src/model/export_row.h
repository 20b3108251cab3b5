/*
 * export_row.h: one response as a row of the staff downloads (responses
 * CSV and XLSX): the response's own facts, EXPORT_FIXED_COLS of them (id,
 * form version, hour, point, language, channel, seconds taken), as text,
 * then its answers to the download's question columns. A plain value: the
 * store fills it (store/store_export.h), the export service hands it on
 * (service/export.h) and the handler writes it as a table row, so neither
 * the service's callers nor the view need a store header for it.
 */
#ifndef BUZON_EXPORT_ROW_H
#define BUZON_EXPORT_ROW_H

#define EXPORT_FIXED_COLS 7

/* What a column of a download holds, so a workbook can type its cells
 * (issue 13): the stored text is the same for all. */
typedef enum export_kind {
    EXPORT_TEXT,       /* text as it is, "00123" and "2024.1" included */
    EXPORT_NUMBER,     /* a number when the text is a plain number, else text */
    EXPORT_DATE,       /* "YYYY-MM-DD": a date, else text */
    EXPORT_DATE_HOUR,  /* "YYYY-MM-DD HH:MM": a date and time, else text */
    EXPORT_MEDIA,      /* issue 16: a stored photo's name; the download
                          writes its address (text) */
} export_kind_t;

/* One response: fixed[] in the order of the fixed columns (the export
 * service's export_fixed_col), "" when unknown, then vals[i] for question
 * column i (NULL when not answered). Valid during the callback that hands
 * it out only. */
typedef struct export_row {
    const char *fixed[EXPORT_FIXED_COLS];
    const char *const *vals;
} export_row_t;

#endif
