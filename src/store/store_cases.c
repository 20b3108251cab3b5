/*
 * store_cases.c: cases in the store (store_cases.h): written with their response
 * inside store_submit's transaction, read for the inbox, the case page and
 * the public tracking page, and changed by staff with an audit entry per
 * effect in the same transaction.
 *
 * A case copies nothing from its response: the comment and the contact
 * details are read from the response's answers (`comentario`,
 * `contacto_nombre`, `contacto_telefono`) through the answers primary key,
 * and erasing the contact deletes those two answers.
 */
#include "store/store_cases.h"
#include "store/store_int.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/utf8.h"

/* Tries at a fresh code when one is already taken (about n / 2^44 per
 * case: never, in practice, but a UNIQUE violation must not lose an
 * answer). */
enum { CODE_TRIES = 4 };

/* The questions whose answers are contact details (cases_is_contact in
 * model/cases.c), as an SQL list. */
#define CASES_CONTACT_SQL "('contacto_nombre', 'contacto_telefono')"

/* Issue 16 (complaints with a photo and a place): what goes with the
 * contact details, on request or after the retention period. The answers
 * erased are the contact's, the place's (a question named `lugar`, as
 * forms/README.md asks) and those naming a photo stored with the response
 * (an image question's value is its file's name); the photos themselves go
 * with them. PERSONAL_ANSWER_SQL is a condition on a row of answers. */
#define PERSONAL_ANSWER_SQL "(question IN " CASES_CONTACT_SQL " OR question = 'lugar'" \
                            " OR value IN (SELECT name FROM media WHERE media.response_id = answers.response_id))"
/* A response (the SQL expression r) holds something to erase. */
#define HOLDS_PERSONAL_SQL(r) "(EXISTS(SELECT 1 FROM answers WHERE response_id = " r " AND " PERSONAL_ANSWER_SQL ")" \
                              " OR EXISTS(SELECT 1 FROM media WHERE response_id = " r "))"

/* ---- opening (inside store_submit) -------------------------------------- */

store_rc_t store_cases_insert(sqlite3 *db, int64_t response_id, const store_response_t *r)
{
    case_new_t *c = r->open_case;
    assert(c && c->kind);
    char due[11] = "";
    if (c->standard_days >= 0) bizdays_format(c->due, due);
    /* issue 17: the clock starts at entry, not at a paper's date. */
    int64_t opened = c->created_at ? c->created_at : r->submitted_hour;
    int rc = SQLITE_ERROR;
    for (int i = 0; i < CODE_TRIES; i++) {
        case_code_new(c->code);
        rc = store_exec_args(db, "INSERT INTO cases(code, response_id, form_id, service, point_id,"
                                 " kind, lang, created_at, standard_days, due_date, wants_answer)"
                                 " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                             "titttttiiti", c->code, response_id, r->form_id, c->service,
                             r->point_id, c->kind, r->lang, opened,
                             (int64_t)c->standard_days, c->standard_days >= 0 ? due : NULL,
                             (int64_t)c->wants_answer);
        if (rc != SQLITE_CONSTRAINT_UNIQUE) break;
    }
    if (rc != SQLITE_DONE) {
        c->code[0] = '\0';
        return STORE_ERR;
    }
    char obj[CASE_OBJECT_SIZE];
    case_object(c->code, obj);
    int ret = store_audit_add(db, opened, "ciudadano", "caso_abierto", obj, c->kind);
    return ret;
}

store_rc_t store_cases_code_of(sqlite3 *db, const store_response_t *r)
{
    case_new_t *c = r->open_case;
    assert(c);
    c->code[0] = '\0';
    sqlite3_stmt *st = store_stmt(db, "SELECT c.code FROM cases c JOIN responses r"
                                      " ON r.id = c.response_id WHERE r.submission_id = ?1",
                                  "t", r->submission_id);
    if (!st) return STORE_ERR;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        snprintf(c->code, sizeof c->code, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : STORE_ERR;
}

/* ---- reading --------------------------------------------------------------- */

/* The columns of a case record, in the order row_to_rec reads them;
 * contact is either CONTACT_COLUMNS or "NULL, NULL" (lists never carry
 * contact details). */
#define CASE_SELECT(contact) \
    "SELECT c.id, c.code, c.status, c.form_id, c.kind, c.lang, c.service, c.point_id," \
    " (SELECT a.value FROM answers a WHERE a.response_id = c.response_id" \
    "  AND a.question = 'comentario')," \
    " c.created_at, coalesce(c.standard_days, -1), c.due_date," \
    " coalesce(c.first_answer_at, 0), coalesce(c.answered_at, 0), coalesce(c.closed_at, 0)," \
    " coalesce(c.contact_erased_at, 0), coalesce(c.assigned_to, 0), u.name, c.public_answer," \
    " c.wants_answer, " contact ", c.close_reason, c.duplicate_of," \
    " (SELECT CASE r.channel WHEN 'paper' THEN 'papel' ELSE r.channel END FROM responses r" \
    "  WHERE r.id = c.response_id)" \
    " FROM cases c LEFT JOIN users u ON u.id = c.assigned_to"
#define ANSWER_OF(q) \
    "(SELECT a.value FROM answers a WHERE a.response_id = c.response_id AND a.question = '" q "')"
#define CONTACT_COLUMNS ANSWER_OF("contacto_nombre") ", " ANSWER_OF("contacto_telefono")

static char *col_dup(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? xstrdup((const char *)t) : NULL;
}

static void row_to_rec(sqlite3_stmt *st, case_rec_t *c)
{
    memset(c, 0, sizeof *c);
    c->id = sqlite3_column_int64(st, 0);
    snprintf(c->code, sizeof c->code, "%s", (const char *)sqlite3_column_text(st, 1));
    int status = case_status_parse((const char *)sqlite3_column_text(st, 2));
    c->status = status < 0 ? CASE_NEW : (case_status_t)status;
    c->form_id = col_dup(st, 3);
    c->kind = col_dup(st, 4);
    c->lang = col_dup(st, 5);
    c->service = col_dup(st, 6);
    c->point_id = col_dup(st, 7);
    c->text = col_dup(st, 8);
    c->created_at = sqlite3_column_int64(st, 9);
    c->standard_days = sqlite3_column_int(st, 10);
    if (c->standard_days >= 0 && !bizdays_parse((const char *)sqlite3_column_text(st, 11), &c->due))
        c->standard_days = -1;
    c->first_answer_at = sqlite3_column_int64(st, 12);
    c->answered_at = sqlite3_column_int64(st, 13);
    c->closed_at = sqlite3_column_int64(st, 14);
    c->contact_erased_at = sqlite3_column_int64(st, 15);
    c->assigned_to = sqlite3_column_int64(st, 16);
    c->assigned_name = col_dup(st, 17);
    c->public_answer = col_dup(st, 18);
    c->wants_answer = sqlite3_column_int(st, 19);
    c->contact_name = col_dup(st, 20);
    c->contact_phone = col_dup(st, 21);
    int reason = case_reason_parse((const char *)sqlite3_column_text(st, 22));
    c->close_reason = reason < 0 ? CASE_REASON_NONE : (case_close_reason_t)reason;
    const unsigned char *dup = sqlite3_column_text(st, 23);
    snprintf(c->duplicate_of, sizeof c->duplicate_of, "%s", dup ? (const char *)dup : "");
    c->channel = col_dup(st, 24);
}

typedef struct get_args {
    const char *code;
    case_rec_t *out;
} get_args_t;

static int get_fn(sqlite3 *db, void *arg)
{
    get_args_t *a = arg;
    sqlite3_stmt *st = store_stmt(db, CASE_SELECT(CONTACT_COLUMNS) " WHERE c.code = ?1", "t", a->code);
    if (!st) return STORE_ERR;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) row_to_rec(st, a->out);
    else if (rc != SQLITE_DONE) fprintf(stderr, "store: case %s: %s\n", a->code, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOTFOUND : STORE_ERR;
}

store_rc_t store_case_get(store_t *s, const char *code, case_rec_t *out)
{
    assert(s && code && out);
    get_args_t a = { code, out };
    return store_read(s, get_fn, &a);
}

typedef struct list_args {
    const case_query_t *q;
    size_t limit;
    case_rec_t *v;
    size_t n, cap;
} list_args_t;

/* The inbox search (case_query_t.search): the code it may be (or ""),
 * and a LIKE pattern per word ("%word%", folded as buzon_fold folds the
 * text, its % _ and \ escaped), NULL after the last. */
typedef struct search {
    char  code[CASE_CODE_LEN + 1];
    char *word[CASE_SEARCH_WORDS];
} search_t;

static void search_parse(const char *typed, search_t *sr)
{
    memset(sr, 0, sizeof *sr);
    if (!typed) return;
    if (case_code_normalize(typed, sr->code) < 0) sr->code[0] = '\0';
    size_t n = strnlen(typed, CASE_SEARCH_MAX);
    n = utf8_floor(typed, n);   /* never a broken character at the cut */
    char *f = strndup(typed, n);
    n = utf8_fold(f, n);
    f[n] = '\0';
    size_t nw = 0;
    for (char *p = f; *p && nw < CASE_SEARCH_WORDS;) {
        p += strspn(p, " \t\r\n");
        size_t len = strcspn(p, " \t\r\n");
        if (!len) break;
        buf_t b;
        buf_init(&b);
        buf_putc(&b, '%');
        for (size_t i = 0; i < len; i++) {
            if (p[i] == '%' || p[i] == '_' || p[i] == '\\') buf_putc(&b, '\\');
            buf_putc(&b, p[i]);
        }
        buf_putc(&b, '%');
        sr->word[nw++] = b.data;
        p += len;
    }
    free(f);
}

static void search_free(search_t *sr)
{
    for (size_t i = 0; i < CASE_SEARCH_WORDS; i++) free(sr->word[i]);
}

/* The folded text the words are looked for in: the comment and the
 * public answer. */
#define SEARCH_TEXT "buzon_fold(coalesce(" ANSWER_OF("comentario") ", '') || char(10) ||" \
                    " coalesce(c.public_answer, ''))"
#define SEARCH_WORD(n) " AND (?" #n " IS NULL OR " SEARCH_TEXT " LIKE ?" #n " ESCAPE '\\')"

static int list_fn(sqlite3 *db, void *arg)
{
    list_args_t *a = arg;
    const case_query_t *q = a->q;
    const char *status = q->status >= 0 ? case_status_name((case_status_t)q->status) : NULL;
    search_t sr;
    search_parse(q->search, &sr);
    _Static_assert(CASE_SEARCH_WORDS == 6, "one SEARCH_WORD per word");
    sqlite3_stmt *st = store_stmt(
        db, CASE_SELECT("NULL, NULL")
        " WHERE (?1 IS NULL OR c.status = ?1) AND (?2 = 0 OR c.status != 'cerrado')"
        " AND (?3 IS NULL OR c.service = ?3) AND (?4 = 0 OR c.created_at >= ?4)"
        " AND (?5 = 0 OR c.created_at < ?5) AND (?7 IS NULL OR c.form_id = ?7)"
        " AND (?8 IS NULL OR c.point_id = ?8)"
        " AND (?18 IS NULL OR (SELECT CASE rc.channel WHEN 'paper' THEN 'papel' ELSE rc.channel END"
        "  FROM responses rc WHERE rc.id = c.response_id) = ?18)"
        " AND (?10 <= 0 OR (c.created_at <= ?9"
        "  AND (c.created_at < ?9 OR c.id < ?10)))"
        " AND ((?11 IS NULL AND ?12 IS NULL) OR c.code = ?11 OR (?12 IS NOT NULL"
        SEARCH_WORD(12) SEARCH_WORD(13) SEARCH_WORD(14) SEARCH_WORD(15) SEARCH_WORD(16)
        SEARCH_WORD(17) "))"
        " ORDER BY c.created_at DESC, c.id DESC LIMIT ?6",
        "titiiittiitttttttt", status, (int64_t)(q->status == CASE_OPEN), q->service, q->from, q->to,
        a->limit ? (int64_t)a->limit : (int64_t)-1, q->form, q->point, q->after_at, q->after_id,
        sr.code[0] ? sr.code : NULL, sr.word[0], sr.word[1], sr.word[2], sr.word[3], sr.word[4],
        sr.word[5], q->channel);
    if (!st) {
        search_free(&sr);
        return STORE_ERR;
    }
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (a->n == a->cap) {
            a->cap = a->cap ? 2 * a->cap : 64;
            a->v = xrealloc(a->v, a->cap * sizeof *a->v);
        }
        row_to_rec(st, &a->v[a->n++]);
    }
    if (rc != SQLITE_DONE) fprintf(stderr, "store: cases: %s\n", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    search_free(&sr);   /* bound as static text: kept until now */
    return rc == SQLITE_DONE ? STORE_OK : STORE_ERR;
}

store_rc_t store_case_list(store_t *s, const case_query_t *q, size_t limit,
                           case_rec_t **out, size_t *n)
{
    assert(s && q && out && n);
    list_args_t a = { .q = q, .limit = limit };
    store_rc_t rc = store_read(s, list_fn, &a);
    if (rc != STORE_OK) {
        case_recs_free(a.v, a.n);
        a.v = NULL;
        a.n = 0;
    }
    *out = a.v;
    *n = a.n;
    return rc;
}

typedef struct notes_args {
    int64_t case_id;
    case_note_t *v;
    size_t n;
} notes_args_t;

static int notes_fn(sqlite3 *db, void *arg)
{
    notes_args_t *a = arg;
    sqlite3_stmt *st = store_stmt(db, "SELECT at, actor, text FROM case_notes WHERE case_id = ?1"
                                      " ORDER BY id", "i", a->case_id);
    if (!st) return STORE_ERR;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        a->v = xrealloc(a->v, (a->n + 1) * sizeof *a->v);
        a->v[a->n++] = (case_note_t){ .at = sqlite3_column_int64(st, 0),
                                      .actor = xstrdup((const char *)sqlite3_column_text(st, 1)),
                                      .text = xstrdup((const char *)sqlite3_column_text(st, 2)) };
    }
    if (rc != SQLITE_DONE) fprintf(stderr, "store: case notes: %s\n", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? STORE_OK : STORE_ERR;
}

store_rc_t store_case_notes(store_t *s, int64_t case_id, case_note_t **out, size_t *n)
{
    assert(s && out && n);
    notes_args_t a = { case_id, NULL, 0 };
    store_rc_t rc = store_read(s, notes_fn, &a);
    if (rc != STORE_OK) {
        case_note_free(a.v, a.n);
        a.v = NULL;
        a.n = 0;
    }
    *out = a.v;
    *n = a.n;
    return rc;
}

typedef struct answers_args {
    int64_t case_id;
    case_answer_t *v;
    size_t n;
} answers_args_t;

static int answers_fn(sqlite3 *db, void *arg)
{
    answers_args_t *a = arg;
    sqlite3_stmt *st = store_stmt(db, "SELECT a.question, a.value FROM answers a"
                                      " JOIN cases c ON c.response_id = a.response_id"
                                      " WHERE c.id = ?1 ORDER BY a.question", "i", a->case_id);
    if (!st) return STORE_ERR;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        a->v = xrealloc(a->v, (a->n + 1) * sizeof *a->v);
        a->v[a->n++] = (case_answer_t){ .question = xstrdup((const char *)sqlite3_column_text(st, 0)),
                                        .value = xstrdup((const char *)sqlite3_column_text(st, 1)) };
    }
    if (rc != SQLITE_DONE) fprintf(stderr, "store: case answers: %s\n", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? STORE_OK : STORE_ERR;
}

store_rc_t store_case_answers(store_t *s, int64_t case_id, case_answer_t **out, size_t *n)
{
    assert(s && out && n);
    answers_args_t a = { case_id, NULL, 0 };
    store_rc_t rc = store_read(s, answers_fn, &a);
    if (rc != STORE_OK) {
        case_answer_free(a.v, a.n);
        a.v = NULL;
        a.n = 0;
    }
    *out = a.v;
    *n = a.n;
    return rc;
}

/* ---- changing ----------------------------------------------------------- */

typedef struct change_args {
    const char *code;
    const case_change_t *ch;
    const char *actor;
    int64_t now;
    case_status_t status;   /* the case's status before the change (change_fn) */
    bool check_only;        /* store_case_check: apply the rules, write nothing */
} change_args_t;

/* The name of an enabled user who may handle cases (caller frees), or
 * NULL with *err set on a database error. */
static char *handler_name(sqlite3 *db, int64_t id, bool *err)
{
    sqlite3_stmt *st = store_stmt(db, "SELECT name FROM users WHERE id = ?1 AND disabled = 0"
                                      " AND role IN ('admin', 'atencion')", "i", id);
    *err = !st;
    if (!st) return NULL;
    int rc = sqlite3_step(st);
    char *name = rc == SQLITE_ROW ? xstrdup((const char *)sqlite3_column_text(st, 0)) : NULL;
    *err = rc != SQLITE_ROW && rc != SQLITE_DONE;
    sqlite3_finalize(st);
    return name;
}

/* The effects of a change, each an UPDATE (or INSERT) and its audit entry,
 * in this order. Returns STORE_OK or STORE_ERR. */
static int apply(sqlite3 *db, const change_args_t *a, int64_t case_id, const char *assignee,
                 bool has_contact, bool answered, bool assigned)
{
    const case_change_t *ch = a->ch;
    char obj[CASE_OBJECT_SIZE];
    case_object(a->code, obj);
    bool ok = true;
#define AUDIT(action, detail) \
    (store_audit_add(db, a->now, a->actor, action, obj, detail) == STORE_OK)
    /* The status each effect leaves is the model's (case_next_status). */
    case_status_t st = a->status;
    if (assignee) {
        st = case_next_status(st, CASE_EFFECT_ASSIGN);
        ok = store_exec_args(db, "UPDATE cases SET assigned_to = ?2, status = ?3 WHERE id = ?1",
                             "iit", case_id, ch->assign_to, case_status_name(st)) == SQLITE_DONE &&
             AUDIT("caso_asignado", assignee);
    }
    /* The public answer goes into the audit detail as well: it is public,
     * and a later answer replaces it on the case. */
    if (ok && ch->public_answer && *ch->public_answer) {
        st = case_next_status(st, CASE_EFFECT_ANSWER);
        ok = store_exec_args(db, "UPDATE cases SET public_answer = ?3, answered_at = ?2,"
                                 " first_answer_at = coalesce(first_answer_at, ?2),"
                                 " status = ?4 WHERE id = ?1",
                             "iitt", case_id, a->now, ch->public_answer,
                             case_status_name(st)) == SQLITE_DONE &&
             AUDIT("caso_respondido", ch->public_answer);
    }
    /* Notes are internal and may say anything: the audit says one was added. */
    if (ok && ch->note && *ch->note)
        ok = store_exec_args(db, "INSERT INTO case_notes(case_id, at, actor, text)"
                                 " VALUES(?1, ?2, ?3, ?4)",
                             "iitt", case_id, a->now, a->actor, ch->note) == SQLITE_DONE &&
             AUDIT("nota_agregada", NULL);
    if (ok && ch->close) {
        st = case_next_status(st, CASE_EFFECT_CLOSE);
        const char *reason = ch->close_reason ? case_reason_name(ch->close_reason) : NULL;
        const char *original = ch->close_reason == CASE_REASON_DUPLICATE ? ch->duplicate_of : NULL;
        ok = store_exec_args(db, "UPDATE cases SET status = ?3, closed_at = ?2, close_reason = ?4,"
                                 " duplicate_of = ?5 WHERE id = ?1",
                             "iittt", case_id, a->now, case_status_name(st), reason, original) == SQLITE_DONE &&
             AUDIT("caso_cerrado", reason);
    }
    /* Reopening keeps the deadline and the first answer (model/cases.h). */
    if (ok && ch->reopen && st == CASE_CLOSED) {
        st = case_reopen_status(answered, assigned);
        ok = store_exec_args(db, "UPDATE cases SET status = ?2, closed_at = NULL, close_reason = NULL,"
                                 " duplicate_of = NULL WHERE id = ?1",
                             "it", case_id, case_status_name(st)) == SQLITE_DONE &&
             AUDIT("caso_reabierto", NULL);
    }
    /* The answers first: which of them name a photo is read from media. */
    if (ok && ch->erase_contact && has_contact)
        ok = store_exec_args(db, "DELETE FROM answers WHERE " PERSONAL_ANSWER_SQL
                                 " AND response_id = (SELECT response_id FROM cases WHERE id = ?1)",
                             "i", case_id) == SQLITE_DONE &&
             store_exec_args(db, "DELETE FROM media WHERE response_id = (SELECT response_id FROM cases WHERE id = ?1)",
                             "i", case_id) == SQLITE_DONE &&
             store_exec_args(db, "UPDATE cases SET contact_erased_at = ?2 WHERE id = ?1",
                             "ii", case_id, a->now) == SQLITE_DONE &&
             AUDIT("contacto_borrado", ch->erase_reason);
#undef AUDIT
    return ok ? STORE_OK : STORE_ERR;
}

static int change_fn(sqlite3 *db, void *arg)
{
    change_args_t *a = arg;
    const case_change_t *ch = a->ch;
    sqlite3_stmt *st = store_stmt(db, "SELECT id, status, " HOLDS_PERSONAL_SQL("cases.response_id")
                                      ", first_answer_at IS NOT NULL, kind,"
                                      " assigned_to IS NOT NULL FROM cases WHERE code = ?1",
                                  "t", a->code);
    if (!st) return STORE_ERR;
    int rc = sqlite3_step(st);
    int64_t case_id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    int status = rc == SQLITE_ROW ? case_status_parse((const char *)sqlite3_column_text(st, 1)) : -1;
    bool has_contact = rc == SQLITE_ROW && sqlite3_column_int(st, 2);
    bool answered = rc == SQLITE_ROW && sqlite3_column_int(st, 3);
    bool compliment = rc == SQLITE_ROW && cases_is_compliment((const char *)sqlite3_column_text(st, 4));
    bool assigned = rc == SQLITE_ROW && sqlite3_column_int(st, 5);
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE) return STORE_NOTFOUND;
    if (rc != SQLITE_ROW) return STORE_ERR;
    /* The schema's CHECK allows only the model's statuses. */
    a->status = status < 0 ? CASE_NEW : (case_status_t)status;
    switch (case_change_check(a->status, answered, compliment ? "elogio" : NULL, ch)) {
    case CASE_CHECK_OK: break;
    case CASE_CHECK_CLOSED: return STORE_CLOSED;
    default: return STORE_NEEDS_REASON;
    }
    /* A duplicate names another case that exists. */
    if (ch->close && ch->close_reason == CASE_REASON_DUPLICATE) {
        if (!strcmp(ch->duplicate_of, a->code)) return STORE_NEEDS_REASON;
        st = store_stmt(db, "SELECT 1 FROM cases WHERE code = ?1", "t", ch->duplicate_of);
        if (!st) return STORE_ERR;
        rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc == SQLITE_DONE) return STORE_NEEDS_REASON;
        if (rc != SQLITE_ROW) return STORE_ERR;
    }
    char *assignee = NULL;
    if (ch->assign_to > 0) {
        bool err;
        assignee = handler_name(db, ch->assign_to, &err);
        if (err) return STORE_ERR;
        if (!assignee) return STORE_NO_USER;
    }
    if (a->check_only) {
        free(assignee);
        return STORE_OK;
    }
    rc = apply(db, a, case_id, assignee, has_contact, answered || (ch->public_answer && *ch->public_answer),
               assigned || assignee);
    free(assignee);
    return rc;
}

store_rc_t store_case_change(store_t *s, const char *code, const case_change_t *ch,
                             const char *actor, int64_t now)
{
    assert(s && code && ch && actor);
    change_args_t a = { code, ch, actor, now, CASE_NEW, false };
    return store_write_txn(s, change_fn, &a);
}

store_rc_t store_case_check(store_t *s, const char *code, const case_change_t *ch)
{
    assert(s && code && ch);
    change_args_t a = { code, ch, "", 0, CASE_NEW, true };
    return store_read(s, change_fn, &a);
}

typedef struct expire_args {
    int64_t cutoff, now;
    int n;
} expire_args_t;

static int expire_fn(sqlite3 *db, void *arg)
{
    expire_args_t *a = arg;
    /* Audit, mark, then erase: the first two select the same cases (those
     * still holding contact, place or photo answers, or photos), the last
     * remove those answers, then the photos. */
#define EXPIRED " FROM cases WHERE closed_at IS NOT NULL AND closed_at <= ?1" \
                " AND " HOLDS_PERSONAL_SQL("cases.response_id")
    if (store_exec_args(db, "INSERT INTO audit(at, actor, action, object, detail)"
                            " SELECT ?2, 'sistema', 'contacto_borrado', '" CASE_OBJECT_PREFIX "' || code,"
                            " 'plazo_vencido'" EXPIRED,
                        "ii", a->cutoff, a->now) != SQLITE_DONE ||
        store_exec_args(db, "UPDATE cases SET contact_erased_at = ?2 WHERE id IN (SELECT id" EXPIRED ")",
                        "ii", a->cutoff, a->now) != SQLITE_DONE)
        return STORE_ERR;
    a->n = sqlite3_changes(db);
    if (store_exec_args(db, "DELETE FROM answers WHERE " PERSONAL_ANSWER_SQL
                            " AND response_id IN (SELECT response_id FROM cases WHERE closed_at <= ?1)",
                        "i", a->cutoff) != SQLITE_DONE ||
        store_exec_args(db, "DELETE FROM media WHERE response_id IN (SELECT response_id FROM cases WHERE closed_at <= ?1)",
                        "i", a->cutoff) != SQLITE_DONE)
        return STORE_ERR;
#undef EXPIRED
    return STORE_OK;
}

int store_cases_erase_expired(store_t *s, int64_t cutoff, int64_t now)
{
    assert(s);
    expire_args_t a = { cutoff, now, 0 };
    return store_write_txn(s, expire_fn, &a) == STORE_OK ? a.n : -1;
}

typedef struct holds_args {
    const char *code;
    bool *out;
} holds_args_t;

static int holds_fn(sqlite3 *db, void *arg)
{
    holds_args_t *a = arg;
    sqlite3_stmt *st = store_stmt(db, "SELECT " HOLDS_PERSONAL_SQL("cases.response_id")
                                      " FROM cases WHERE code = ?1", "t", a->code);
    if (!st) return STORE_ERR;
    int rc = sqlite3_step(st);
    *a->out = rc == SQLITE_ROW && sqlite3_column_int(st, 0);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) fprintf(stderr, "store: case %s: %s\n", a->code, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOTFOUND : STORE_ERR;
}

store_rc_t store_case_holds_personal(store_t *s, const char *code, bool *out)
{
    assert(s && code && out);
    *out = false;
    holds_args_t a = { code, out };
    return (store_rc_t)store_read(s, holds_fn, &a);
}
