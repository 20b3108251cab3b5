/*
 * cli_user.c: `buzon user add|passwd|disable|enable|role|list`, how staff accounts are
 * made and kept. There is no default account and no default password: the
 * first admin is created here, on the server, by whoever runs it.
 *
 * A password comes from stdin when stdin is not a terminal (so scripts and
 * password managers can pipe it in, and it never appears in the process
 * list or the shell history); on a terminal a strong one is generated and
 * printed once, since typed passwords are the weak ones.
 *
 * Every change is in the audit log as done by "cli:<unix user>".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "model/auth.h"
#include "model/notice.h"
#include "base/bizdays.h"
#include "base/buf.h"
#include "cli/cli.h"
#include "cli/cli_help.h"
#include "cli/cli_db.h"
#include "service/notices.h"
#include "service/staff.h"

/* Help on stdout (status 0) or the synopsis on stderr, from cli_help.c;
 * returns status. */
static int usage(FILE *out, int status)
{
    (void)out;
    return status == 0 ? cli_help("user") : cli_usage_error("user");
}

/* The new password: from stdin (first line) when it is not a terminal,
 * else generated (*generated set). Returns a malloc'd string or NULL
 * after a message. */
static char *new_password(bool *generated)
{
    *generated = isatty(STDIN_FILENO);
    if (*generated) {
        char *pw = xmalloc(AUTH_GENERATED_LEN + 1);
        auth_generate_password(pw);
        return pw;
    }
    buf_t b;
    buf_init(&b);
    int c;
    while ((c = getchar()) != EOF && c != '\n') {
        if (b.len > AUTH_PASSWORD_MAX) break;
        buf_putc(&b, (char)c);
    }
    if (b.len && b.data[b.len - 1] == '\r') b.data[--b.len] = '\0';
    char *pw = b.data ? buf_steal(&b) : xstrdup("");
    if (!*pw) {
        fputs("buzon user: no password was given on stdin; pipe one in, e.g.\n"
              "  echo 'a-long-passphrase' | buzon user ...\n"
              "or run it on a terminal to have one generated and printed\n", stderr);
        auth_password_free(pw);
        return NULL;
    }
    auth_pw_problem_t p = auth_password_ok(pw);
    if (p != AUTH_PW_OK) {
        fprintf(stderr, "buzon user: the password on stdin %s (it must be %d to %d bytes)\n",
                p == AUTH_PW_TOO_SHORT ? "is too short" : p == AUTH_PW_TOO_LONG ? "is too long"
                                                        : "is not valid UTF-8",
                AUTH_PASSWORD_MIN, AUTH_PASSWORD_MAX);
        auth_password_free(pw);
        return NULL;
    }
    return pw;
}

/* Add name with role, or give name a new password (role < 0), with the
 * password pw of new_password() (freed here); prints the password when
 * generated and what was done. Returns the exit status. */
static int set_password(store_t *s, const char *name, int role, char *pw, bool generated,
                        const char *actor, int64_t now)
{
    staff_user_rc_t rc = role >= 0 ? staff_user_add(s, name, (role_t)role, pw, actor, now)
                                   : staff_user_passwd(s, name, pw, actor, now);
    if (rc == STAFF_USER_NOMEM)
        fputs("buzon user: not enough memory to hash the password\n", stderr);
    else if (generated)
        printf("password for %s (shown only now; give it to them in person): %s\n", name, pw);
    auth_password_free(pw);
    if (rc == STAFF_USER_OK && role >= 0) printf("created %s (%s)\n", name, auth_role_name((role_t)role));
    if (rc == STAFF_USER_OK && role < 0) printf("new password set for %s; their sessions were ended\n", name);
    if (rc == STAFF_USER_DUP) fprintf(stderr, "buzon user: %s already exists\n", name);
    if (rc == STAFF_USER_NOTFOUND) fprintf(stderr, "buzon user: no user named %s\n", name);
    return rc == STAFF_USER_OK ? 0 : 1;
}

/* One account as a line; dates in Dominican local time, as every date
 * buzon shows, whatever the server's time zone. */
static void print_user(const user_info_t *u)
{
    char created[11], last[32] = "never";
    bizdays_format(bizdays_from_time(u->created_at), created);
    if (u->last_login) {
        char day[11];
        bizdays_format(bizdays_from_time(u->last_login), day);
        int s = bizdays_day_seconds(u->last_login);
        snprintf(last, sizeof last, "%s %02d:%02d", day, s / 3600, s / 60 % 60);
    }
    /* session 23: the notices' language last, so the columns before keep their places */
    printf("%s\t%s\t%s\tcreated %s\tlast login %s\t%s\t%s\n", u->name, auth_role_name(u->role),
           u->disabled ? "disabled" : "enabled", created, last, u->email && *u->email ? u->email : "-",
           u->lang[0] ? u->lang : "es");
}

int cli_user(int argc, char **argv)
{
    if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) return usage(stdout, 0);
    if (argc < 2) return usage(stderr, 2);
    const char *cmd = argv[1], *name = NULL, *db_path = CLI_DEFAULT_DB;
    const char *email = NULL;   /* issue 18: where the account hears of cases */
    const char *lang = NULL;    /* session 23: the language it hears in (es when not given) */
    int role = -1;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--db") && i + 1 < argc) db_path = argv[++i];
        else if (!strcmp(argv[i], "--email") && i + 1 < argc) email = argv[++i];
        else if (!strcmp(argv[i], "--lang") && i + 1 < argc) lang = argv[++i];
        else if (!strcmp(argv[i], "--role") && i + 1 < argc) {
            role = auth_role_parse(argv[++i]);
            if (role < 0) {
                fprintf(stderr, "buzon user: unknown role '%s'\n", argv[i]);
                return usage(stderr, 2);
            }
        } else if (argv[i][0] != '-' && !name) name = argv[i];
        else return usage(stderr, 2);
    }
    bool list = !strcmp(cmd, "list");
    if (list ? name != NULL : !name) return usage(stderr, 2);
    if (!list && strcmp(cmd, "add") && strcmp(cmd, "passwd") && strcmp(cmd, "disable") &&
        strcmp(cmd, "enable") && strcmp(cmd, "role"))
        return usage(stderr, 2);
    bool wants_role = !strcmp(cmd, "add") || !strcmp(cmd, "role");
    if (wants_role != (role >= 0)) {
        if (role >= 0) fputs("buzon user: --role only goes with add and role\n", stderr);
        else fprintf(stderr, "buzon user: %s needs --role\n", cmd);
        return 2;
    }
    if (email && strcmp(cmd, "add")) {
        fputs("buzon user: --email only goes with add (change it on /usuarios)\n", stderr);
        return 2;
    }
    if (lang && strcmp(cmd, "add")) {
        fputs("buzon user: --lang only goes with add (change it on /usuarios)\n", stderr);
        return 2;
    }
    if (lang && !notices_lang_ok(lang)) {
        fprintf(stderr, "buzon user: '%s' is not a language for notices: give --lang es (Spanish) or "
                        "--lang ht (Haitian Kreyol)\n", lang);
        return 2;
    }
    if (email && !notice_email_ok(email)) {
        fprintf(stderr, "buzon user: '%s' is not a valid email address (name@banica.gob.do)\n", email);
        return 1;
    }
    if (name && !auth_valid_name(name)) {
        fprintf(stderr, "buzon user: '%s' is not a valid user name (1 to %d of a-z 0-9 . _ -, "
                        "starting with a letter or digit)\n", name, AUTH_NAME_MAX);
        return 1;
    }

    /* Only add may create the database (the first admin, before the
     * first serve); the others need it, so a mistyped --db is refused. */
    if (strcmp(cmd, "add") && !cli_db_exists("user", db_path)) return 1;
    /* The password before the database, so that none is created for
     * nothing when it is missing. */
    bool generated = false;
    char *pw = NULL;
    if ((!strcmp(cmd, "add") || !strcmp(cmd, "passwd")) && !(pw = new_password(&generated))) return 1;
    char actor[64];
    store_t *s = cli_db_open_as(db_path, actor, sizeof actor);
    if (!s) {
        if (pw) auth_password_free(pw);
        return 1;
    }
    int64_t now = (int64_t)time(NULL);
    int status = 0;
    if (list) {
        user_info_t *u;
        size_t n;
        if (staff_users(s, &u, &n) != STORE_OK) status = 1;
        for (size_t i = 0; i < n; i++) print_user(&u[i]);
        user_info_free(u, n);
    } else if (!strcmp(cmd, "disable") || !strcmp(cmd, "enable") || !strcmp(cmd, "role")) {
        staff_user_rc_t rc = !strcmp(cmd, "disable") ? staff_user_disable(s, name, actor, now)
                           : !strcmp(cmd, "enable") ? staff_user_enable(s, name, actor, now)
                           : staff_user_role(s, name, (role_t)role, actor, now);
        if (rc == STAFF_USER_OK && !strcmp(cmd, "disable"))
            printf("disabled %s and ended their sessions\n", name);
        else if (rc == STAFF_USER_OK && !strcmp(cmd, "enable"))
            printf("enabled %s again (same password as before)\n", name);
        else if (rc == STAFF_USER_OK)
            printf("%s is now %s\n", name, auth_role_name((role_t)role));
        else status = 1;
        if (rc == STAFF_USER_NOTFOUND) fprintf(stderr, "buzon user: no user named %s\n", name);
        if (rc == STAFF_USER_LAST_ADMIN)
            fprintf(stderr, "buzon user: %s is the last enabled admin; add or enable another admin "
                            "first (buzon user add NAME --role admin)\n", name);
    } else {
        status = set_password(s, name, !strcmp(cmd, "add") ? role : -1, pw, generated, actor, now);
        if (status == 0 && (email || lang)) {
            if (notices_set(s, name, email, NULL, lang, actor, now) != NOTICES_OK) status = 1;
            else if (email) printf("%s hears of cases at %s%s%s\n", name, email, lang ? ", in " : "",
                                   lang ? (strcmp(lang, "ht") ? "Spanish" : "Haitian Kreyol") : "");
        }
    }
    svc_db_close(s);
    if (fflush(stdout) != 0) status = 1;
    return status;
}
