/*
 * api_out.h: the JSON documents of the API (/api/v1/...) other than the
 * indicators' (ind_out.h), built from model values. View layer: sees
 * base/ and model/; the caller (http/http_api.c) reads the store through
 * a service and hands the values in.
 */
#ifndef BUZON_API_OUT_H
#define BUZON_API_OUT_H

#include <jansson.h>
#include <stdint.h>

#include "model/catalog.h"

/* /api/v1/forms: {"forms":[{id, title (default language), version,
 * titles (per language code), hash, responses}, ...]} in catalog order.
 * counts[i] is the number of responses of cat->forms[i] (every version);
 * issue 17: hidden (null) as the cells of a breakdown of all the listed
 * forms' answers are (ind_suppress with threshold), as the dashboard
 * hides its counts. Returns a new reference the caller owns. */
json_t *api_forms_json(const catalog_t *cat, const int64_t *counts, int threshold);

#endif
