/*
 * registers.h: entries the system itself writes in the registers of the
 * Plan de Mejora (issue 18). A register is a staff form (settings access =
 * staff, model/form.h); staff fill them in on /registros
 * (http/http_registers.c), through the same submit service as citizens.
 * Here: every verified `buzon backup` is an entry of the action-2 register
 * (information digitalised or preserved), so the plan's evidence of
 * preserving the institution's information keeps itself.
 * Calls service/submit.h (validation and storing) and service/db.h.
 */
#ifndef BUZON_SERVICE_REGISTERS_H
#define BUZON_SERVICE_REGISTERS_H

#include <time.h>

#include "model/catalog.h"
#include "service/db.h"

/* The action-2 register's form id, and the answers a backup entry gives
 * (its questions: fecha, tipo, que, donde, donde_detalle). */
#define REGISTER_BACKUP_FORM "reg_digital"

/* Record the verified backup written to file (size bytes; an absolute
 * path is best) at now, entered by actor (the audit log's name, e.g.
 * "cli:ana"), as an entry of REGISTER_BACKUP_FORM with channel
 * "registro". STORE_OK; otherwise why (a static English string) says what
 * failed: no such register in cat, the entry not valid for its form (a
 * register edited without those questions), or the database. Never
 * prints. */
store_rc_t registers_record_backup(store_t *s, const catalog_t *cat, const char *actor, const char *file,
                                   long long size, time_t now, const char **why);

#endif
