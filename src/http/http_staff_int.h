/*
 * http_staff_int.h: what the staff handler files share beyond http_int.h
 * (private to http_staff.c, http_cases.c, http_export.c): the staff pages
 * and the services behind them (accounts, sessions, the audit log, cases).
 */
#ifndef BUZON_HTTP_STAFF_INT_H
#define BUZON_HTTP_STAFF_INT_H

#include "http/http_int.h"
#include "service/casework.h"
#include "service/staff.h"
#include "view/render_staff.h"

#endif
