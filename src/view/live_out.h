/*
 * live_out.h: the JSON a survey page's script gets back from
 * POST /e/<form>/vivo (http_live.c): what the server's expression engine
 * (model/expr.h, through answers_calculate) makes of the answers typed so
 * far, so the page can follow relevance, calculations, required
 * expressions and piped labels live without a second engine in
 * JavaScript. View layer: sees base/ and model/.
 *
 * Nothing in it can carry markup to the page: the piped fragments are
 * HTML-escaped text, made by the same code as the page's (render.h,
 * render_pipe_html); the values are raw and the script only ever puts
 * them into a field's value. Every '<', '>' and '&' in the document is
 * written as a \u escape besides, so not even a browser that sniffed the
 * JSON as HTML would find a tag in it.
 */
#ifndef BUZON_LIVE_OUT_H
#define BUZON_LIVE_OUT_H

#include "base/buf.h"
#include "base/i18n.h"
#include "model/answers.h"

/* Append to out, for form f shown in lang with the answers a (already
 * through answers_calculate):
 *   {"rel":{name:bool...},   every question and group: applies now
 *    "req":{name:bool...},   every question one answers: required now
 *    "calc":{name:"value"},  every calculate and calculation: its value
 *                            ("" when none)
 *    "pipe":{name:"html"},   every ${name} the page's labels, hints and
 *                            choices pipe: the span's escaped content
 *    "opts":{name:["c"...]}} every question with a choice_filter: the
 *                            names of its choices that fit now (issue 16)
 * Names are the form's question names. The caller owns out. */
void live_json(buf_t *out, const form_t *f, const answers_t *a, lang_t lang);

#endif
