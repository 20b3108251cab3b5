/*
 * form_int.h: what the parts of the XLSForm loader share (form_load.c
 * reads the sheets, form_survey.c builds and checks the questions,
 * form_all.c loads a whole forms folder). Not part of the public API:
 * include form.h instead.
 */
#ifndef BUZON_FORM_INT_H
#define BUZON_FORM_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "base/csvread.h"
#include "base/xlsxread.h"
#include "model/form.h"

/* F_EXTERNAL: the external_choices sheet (external_choices.csv) of
 * select_one_external (issue 16), read like the choices sheet. */
enum { F_SURVEY, F_CHOICES, F_SETTINGS, F_EXTERNAL, F_COUNT };

/* column_t.lang for a translatable column without "::Language". */
#define COL_PLAIN (-2)

/* A header cell of a sheet. base is set (lower case, e.g. "label") only
 * for translatable columns; lang is then a language index, COL_PLAIN, or
 * -1 when its language could not be added (too many). */
typedef struct column {
    char *base;
    int   lang;
} column_t;

typedef struct sheet {
    char        *path;      /* dir/survey.csv, or book.xlsx:survey for a
                               workbook's sheet, as diagnostics print it */
    csv_table_t  t;
    bool         present;   /* read, parsed, and has a header row */
    column_t    *cols;      /* one per header cell */
    size_t       ncols;
} sheet_t;

/* A CSV of choices beside the form, named by a select_one_from_file or
 * select_multiple_from_file row (issue 16): its list is called key (the
 * file name, and the value and label columns when parameters name others). */
typedef struct file_list {
    char        *key, *file, *path;
    char        *value_col, *label_col;
    int          row;        /* the first survey row naming it */
    csv_table_t  t;
    bool         ok;         /* read, parsed, with its two columns */
} file_list_t;

/* One form_load() call. */
typedef struct loader {
    const char  *dir;
    diag_t *d;
    char        *book_path;       /* the workbook read, or NULL for CSV */
    xlsx_book_t *book;
    form_t      *f;
    sheet_t      s[F_COUNT];
    bool         has_plain;       /* a translatable column has no language */
    bool         too_many_langs;  /* already reported */
    bool         choices_broken;  /* choices.csv lacks its key columns */
    bool         choice_dups;     /* settings allow_choice_duplicates */
    char       **meta_names;      /* names of the metadata rows (owned) */
    size_t       nmeta;
    char       **shared;          /* names given in more than one group,
                                     stored by group path (owned) */
    size_t       nshared;
    bool         no_folder;       /* a workbook sent from the browser: no
                                     file can be beside it */
    file_list_t *files;           /* issue 16: CSVs of choices (owned) */
    size_t       nfiles;
} loader_t;

/* The rule names must follow, for messages. */
#define FORM_NAME_RULE "use only letters without accents, digits, '_', '-' or '.', starting with a letter or '_'"

/* True when s is a valid question, group or form name (an XML name, ASCII
 * only since it travels in URLs and HTML field names). */
bool form_is_name(const char *s);
/* The workbook a form path stands for: path itself when it names a .xlsx
 * file, else the one .xlsx of a folder without survey.csv; NULL for a CSV
 * folder (or a folder with no form). *many is set when the folder holds
 * more than one workbook (then NULL). Caller frees. */
char *form_workbook(const char *path, bool *many);
/* "dir/name", malloc'd. */
char *form_path(const char *dir, const char *name);
/* Copy of s without surrounding blanks; caller frees. */
char *form_trimdup(const char *s);
/* Trimmed copy of cell (r, col) of a sheet; "" when absent. Caller frees. */
char *form_cell(const loader_t *L, int sheet, size_t r, int col);
/* A sheet as messages name it: "choices.csv", or "the choices sheet" of
 * a workbook. Static storage. */
const char *form_sheet_word(const loader_t *L, int sheet);
/* Column of name (or else of alias, which may be NULL) in a sheet, or -1. */
int form_col(const loader_t *L, int sheet, const char *name, const char *alias);
/* Fill out with the translations of column base on row r of a sheet. */
void form_read_text(const loader_t *L, int sheet, size_t r, const char *base, text_t *out);
bool form_text_empty(const text_t *t);
/* Append "path:row: message" to the form's notes (see form_t.notes). */
void form_note(loader_t *L, const char *path, int row, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* 1 for yes/true/true()/1, 0 for no/false/false()/0/empty, -1 otherwise. */
int form_yes_no(const char *s);
/* Bind the instance('list') lookups of e (the `what` expression of q) to
 * the form's choice lists, and check that each path written without ${}
 * ("../x", "/data/g/x") names a question; problems are "file:row"
 * diagnostics in L->d (form_lookup.c). */
void form_check_lookups(loader_t *L, const question_t *q, expr_t *e, const char *what);
/* form_t.eval_order, and a cycle through a calculation as a `file:row`
 * error naming its questions (form_order.c). */
void form_eval_order(loader_t *L);
/* Repeats (issue 16, form_repeat.c): read row r's repeat_count into the
 * begin_repeat q; check the form's repeats once its questions are read
 * (balanced, nested one level at most, repeat_count's names) and set
 * form_t.has_repeats. Problems are "file:row" diagnostics in L->d. */
void form_repeat_read(loader_t *L, size_t r, question_t *q);
void form_repeat_check(loader_t *L);
/* Build L->f's questions from survey.csv and check them (form_survey.c). */
void form_load_survey(loader_t *L);
/* issue 16 (form_survey.c): read the CSV files the survey's
 * select_*_from_file rows name, from the form's folder, into L->files,
 * their bytes appended to src (they are part of the form's definition);
 * problems are file:row diagnostics. Then, once the settings and choices
 * are loaded, form_load_files makes each into a choice list of L->f. */
void form_read_files(loader_t *L, buf_t *src);
/* The folder a form's other files are in: L->dir, or the one of the
 * workbook L->dir names. Caller frees. */
char *form_folder(const loader_t *L);
void form_load_files(loader_t *L);
/* Read the pictures the choices name (choice_t.image) into L->f->media;
 * one that cannot be served is a note and leaves its choice without
 * (form_media.c). */
void form_load_media(loader_t *L);
/* issue 15 item 5: rename sheet's `bind:relevant`-style headers to the
 * columns buzon reads, and note the XLSForm columns of the survey that
 * buzon does not read (form_columns.c). Before sheet_columns(). */
void form_dealias_columns(loader_t *L, int sheet);
/* Note a form whose page could post more than FORM_MAX_POST_FIELDS
 * fields (form_columns.c). */
void form_note_post_fields(loader_t *L);

#endif
