/*
 * diag.h: diagnostics for people who write buzon's configuration files
 * (forms, points, services, indicators, the plan, the carta, holidays):
 * every problem found, as one "file:row: message" line each, e.g.
 * "forms/satisfaccion/survey.csv:12: unknown question ${edad2} in relevant".
 *
 * Loaders append to a diag_t instead of stopping at the first problem, so
 * an author sees everything to fix in one run of `buzon forms check`.
 */
#ifndef BUZON_DIAG_H
#define BUZON_DIAG_H

#include <stddef.h>

typedef struct diag {
    char  **lines;
    size_t  n;
} diag_t;

/* Append the line "file:row: message" (message formatted from fmt) to d.
 * d must start zeroed ({0}); it owns the lines it collects. */
void diag_add(diag_t *d, const char *file, int row, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Free the lines and leave d empty (zeroed), ready for reuse. */
void diag_free(diag_t *d);

#endif
