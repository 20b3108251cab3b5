/*
 * i18n.h: every text a citizen or staff member reads that does not come
 * from a form definition, in Spanish (es-DO) and Haitian Kreyòl, one table
 * per language (strings_es.c, strings_ht.c) indexed by str_id_t; and in
 * English and French (strings_en.c, strings_fr.c) for forms written in
 * those languages only.
 *
 * Spanish and Kreyòl are the citizens' languages: the language switch, ?lang=,
 * Accept-Language (French counts as Kreyòl), the staff pages, the indicator
 * labels. English and French are never offered or negotiated: a survey's
 * pages use them when the form itself is in English or French (form_ui.h).
 *
 * Add a string: a new enum value here, then its text in ALL FOUR tables; the
 * unit test test_i18n fails when any entry is missing. Texts are plain
 * (not HTML; the renderer escapes them) and are never printf formats.
 */
#ifndef BUZON_I18N_H
#define BUZON_I18N_H

typedef enum lang {
    LANG_ES = 0, LANG_HT = 1,
    LANG_COUNT,                 /* the citizens' languages end here (es, ht) */
    LANG_EN = LANG_COUNT,       /* then those only a form's own language selects */
    LANG_FR,
    LANG_TABLES                 /* how many strings tables */
} lang_t;

typedef enum str_id {
    S_LANG_NAME,            /* this language's own name: Español / Kreyòl */
    S_SITE_NAME,            /* Buzón ciudadano */
    S_ORG_NAME,             /* Ayuntamiento Municipal de Bánica */
    S_LANG_SWITCH_LABEL,    /* "Idioma" (label of the language switch) */
    /* index */
    S_INDEX_TITLE, S_INDEX_INTRO, S_INDEX_EMPTY, S_INDEX_POINTS,
    /* survey page */
    S_POINT_LABEL,          /* "Lugar" */
    S_REQUIRED,             /* "obligatoria" */
    S_REQUIRED_NOTE,        /* "Las preguntas marcadas con * son obligatorias." */
    S_SUBMIT,
    S_CHOOSE,               /* placeholder of a drop-down */
    S_COND_PREFIX,          /* "Responda solo si" */
    S_COND_ANSWERED,        /* "respondió" (… en «pregunta» respondió «opción») */
    S_COND_NOT_ANSWERED,    /* "no respondió" */
    S_COND_IN,              /* "en" */
    S_COND_AND, S_COND_OR,
    S_COND_GENERIC,         /* "Responda solo si aplica a su caso." */
    S_HONEYPOT,             /* label of the hidden anti-spam field */
    S_DATE_HINT,            /* "Formato: AAAA-MM-DD" */
    /* validation */
    S_ERR_SUMMARY,          /* "Revise estas respuestas:" */
    S_ERR_REQUIRED, S_ERR_CONSTRAINT, S_ERR_INTEGER, S_ERR_DECIMAL,
    S_ERR_DATE, S_ERR_CHOICE, S_ERR_TOO_LONG,
    /* thank-you page */
    S_THANKS_TITLE, S_THANKS_BODY, S_THANKS_ANOTHER, S_BACK_HOME,
    /* error pages */
    S_E400_TITLE, S_E400_BODY,
    S_E404_TITLE, S_E404_BODY,
    S_E405_TITLE, S_E405_BODY,
    S_E413_TITLE, S_E413_BODY,
    S_E500_TITLE, S_E500_BODY,
    S_E503_TITLE, S_E503_BODY,
    /* posters */
    S_POSTER_HEADLINE,      /* "¡Su opinión cuenta!" */
    S_POSTER_SCAN,          /* "Escanee el código con la cámara de su teléfono" */
    S_POSTER_TYPE,          /* "o escriba esta dirección:" */
    S_POSTER_ANON,          /* "Toma un minuto. Es anónima, salvo que usted pida respuesta." */
    S_POSTER_ALL_SERVICES,  /* point name when the poster has no point */
    /* posters page (/carteles) */
    S_POSTERS_TITLE,        /* "Carteles con código QR" */
    S_POSTERS_INTRO,
    S_POSTERS_FORM_ALONE,   /* row of a form without a point */
    S_POSTERS_LINK,         /* "Enlace corto" */
    S_POSTERS_PRINT,        /* "Imprimir (A4)" */
    S_POSTERS_HALF,         /* "Media página" */
    S_POSTERS_WHATSAPP,     /* "Imagen para WhatsApp" */
    S_POSTERS_QR,           /* "Solo el código QR" */
    S_POSTERS_LOCALHOST,
    /* limits: too many submissions from one address (429) */
    S_E429_TITLE, S_E429_BODY,
    /* accessibility (e2e) */
    S_ERR_TITLE,            /* "Error": page title prefix when answers need fixing */
    /* indicators: dashboard, plan page, CSV/XLSX labels (render_dash.c, indicators*.c) */
    S_IND_TITLE, S_IND_INTRO, S_IND_SAMPLE_TITLE, S_IND_SAMPLE_NOTE, S_IND_SAMPLE_KIND,
    S_IND_PRIVACY_TITLE, S_IND_PRIVACY_NOTE, S_IND_THRESHOLD, S_IND_TZ_NOTE, S_IND_TIMEZONE,
    S_IND_GENERATED, S_IND_FILTERS, S_IND_FROM, S_IND_TO, S_IND_FORM, S_IND_ALL, S_IND_POINT,
    S_IND_SERVICE, S_IND_BY, S_IND_APPLY, S_IND_ERR_FILTER, S_IND_DOWNLOAD, S_IND_DL_XLSX,
    S_IND_DL_CSV, S_IND_DL_CSV_ES, S_IND_DL_JSON, S_IND_PLAN_LINK, S_IND_PERIOD, S_IND_ALL_TIME,
    S_IND_RESPONSES, S_IND_CONTENTS, S_IND_ACTION, S_IND_INDICATOR, S_IND_VALUE, S_IND_CI_SHORT,
    S_IND_TARGET, S_IND_SUPPRESSED, S_IND_NO_DATA, S_IND_TREND, S_IND_COMPONENTS, S_IND_PERCENTAGES,
    S_IND_DISAGG_INTRO, S_IND_BACK, S_IND_METHOD_TITLE, S_IND_METHOD_BODY, S_IND_TOTAL_GROUP,
    S_IND_NONE_ANSWER, S_IND_NONE_POINT, S_IND_NONE_SERVICE, S_IND_CHANNEL_WEB, S_IND_CHANNEL_PAPER,
    S_IND_DIM_SEXO, S_IND_DIM_EDAD, S_IND_DIM_ZONA, S_IND_DIM_DISCAPACIDAD, S_IND_DIM_IDIOMA,
    S_IND_DIM_LANG, S_IND_DIM_CANAL, S_IND_DIM_MES, S_IND_KIND_INDEX, S_IND_KIND_TOP2,
    S_IND_KIND_SHARE, S_IND_KIND_MEAN, S_IND_KIND_MEDIAN, S_IND_KIND_COUNT, S_IND_YES,
    S_IND_NO, S_IND_MONTH_1, S_IND_MONTH_2, S_IND_MONTH_3, S_IND_MONTH_4, S_IND_MONTH_5,
    S_IND_MONTH_6, S_IND_MONTH_7, S_IND_MONTH_8, S_IND_MONTH_9, S_IND_MONTH_10, S_IND_MONTH_11,
    S_IND_MONTH_12, S_PLAN_TITLE, S_PLAN_INTRO, S_PLAN_CRITERION, S_PLAN_DATES, S_PLAN_RESPONSIBLE,
    S_PLAN_INDICATOR, S_PLAN_OBJECTIVE, S_PLAN_EVIDENCE, S_PLAN_NOTE, S_PLAN_AREA, S_PLAN_INCONSISTENT,
    S_PLAN_END_BEFORE_START, S_PLAN_RESPONSES_TO, S_PLAN_SEE_DASHBOARD, S_PLAN_DISAGG_EVIDENCE,
    /* staff area and cases (render_staff.c, render_cases.c, http_staff.c, http_cases.c) */
    S_STAFF_AREA, S_STAFF_MENU, S_NAV_HOME, S_NAV_CASES, S_NAV_POSTERS, S_NAV_INDICATORS,
    S_NAV_USERS, S_NAV_AUDIT, S_NAV_LOGOUT, S_LOGIN_TITLE, S_LOGIN_INTRO, S_LOGIN_USER,
    S_LOGIN_PASSWORD, S_LOGIN_SUBMIT, S_LOGIN_FAILED, S_LOGIN_THROTTLED, S_LOGIN_CROSS_SITE,
    S_FORBIDDEN_TITLE, S_FORBIDDEN_BODY, S_CSRF_BODY, S_PANEL_ROLE, S_PANEL_CASES, S_PANEL_POSTERS,
    S_PANEL_INDICATORS, S_PANEL_USERS, S_PANEL_AUDIT, S_EXPORT_TITLE, S_EXPORT_INTRO, S_ROLE_ADMIN,
    S_ROLE_PLANIFICACION, S_ROLE_ATENCION, S_ROLE_LECTURA, S_CASE, S_CASES_FOUND, S_INBOX_EMPTY,
    S_FILTER_OPEN, S_FILTER_ALL, S_FILTER_AGE, S_FILTER_OVERDUE, S_FILTER_APPLY, S_BUSINESS_DAYS,
    S_OVERDUE, S_UNASSIGNED, S_NO_COMMENT, S_NO_STANDARD, S_ST_NEW, S_ST_ASSIGNED, S_ST_ANSWERED,
    S_ST_CLOSED, S_KIND_QUEJA, S_KIND_SUGERENCIA, S_KIND_ELOGIO, S_CASE_STATUS, S_CASE_KIND,
    S_CASE_SERVICE, S_CASE_FORM, S_CASE_RECEIVED, S_CASE_DUE, S_CASE_FIRST_ANSWER, S_CASE_CLOSED_AT,
    S_CASE_AGE, S_CASE_ASSIGNED, S_CASE_COMMENT, S_CASE_ANSWER, S_CASE_ANSWERED_ON,
    S_CASE_NOT_ANSWERED, S_CASE_IS_CLOSED, S_CASE_ASSIGN_TO, S_CASE_ASSIGN, S_CASE_PUBLIC_ANSWER,
    S_CASE_PUBLIC_ANSWER_HINT, S_CASE_NOTE, S_CASE_NOTE_HINT, S_CASE_SAVE, S_CASE_CLOSE,
    S_CASE_SAVED, S_CASE_EMPTY_CHANGE, S_CASE_NO_SUCH_USER, S_CASE_CONTACT, S_CASE_WANTS_ANSWER,
    S_YES, S_NO, S_CASE_CONTACT_NAME, S_CASE_CONTACT_PHONE, S_CASE_NO_CONTACT,
    S_CASE_CONTACT_ERASED, S_CASE_ERASE, S_CASE_ERASE_HINT, S_CASE_NOTES, S_CASE_HISTORY,
    S_HOUR_ONLY,
    S_ACT_CASE_OPENED, S_ACT_CASE_ASSIGNED, S_ACT_CASE_ANSWERED, S_ACT_NOTE, S_ACT_CASE_CLOSED,
    S_ACT_CONTACT_ERASED, S_ACT_USER_CREATED, S_ACT_PASSWORD, S_ACT_USER_DISABLED, S_ACT_LOGIN,
    S_ACT_LOGOUT, S_DETAIL_ON_REQUEST, S_DETAIL_RETENTION, S_ACTOR_CITIZEN, S_ACTOR_SYSTEM, S_OBJ_USER, S_CASE_LANG,
    S_USERS_ROLE, S_USERS_STATE, S_USERS_LAST_LOGIN, S_USERS_ENABLED,
    S_USERS_DISABLED, S_USERS_NEVER, S_USERS_HOWTO, S_AUDIT_INTRO, S_AUDIT_EMPTY, S_AUDIT_WHEN,
    S_AUDIT_WHO, S_AUDIT_WHAT, S_AUDIT_ABOUT, S_AUDIT_DETAIL, S_AUDIT_OLDER, S_RECEIPT_TITLE,
    S_RECEIPT_KEEP, S_RECEIPT_PROMISE, S_TRACK_TITLE, S_TRACK_INTRO, S_TRACK_CODE,
    S_TRACK_CODE_HINT, S_TRACK_SUBMIT, S_TRACK_NOT_FOUND, S_TRACK_ST_RECEIVED,
    S_TRACK_ST_IN_PROGRESS, S_TRACK_PROMISED, S_TRACK_NO_ANSWER, S_TRACK_PRIVACY,
    /* indicators: a breakdown that does not apply to a figure */
    S_IND_NOT_APPLICABLE,
    /* complaints desk figures (cases_ind.c) */
    S_CASEIND_RESPUESTA_MEDIANA, S_CASEIND_RESPUESTA_P90, S_CASEIND_CIERRE_MEDIANA, S_CASEIND_CIERRE_P90, S_CASEIND_EN_PLAZO,
    S_CASEIND_VENCIDOS, S_CASEIND_PENDIENTES_0_5, S_CASEIND_PENDIENTES_6_10, S_CASEIND_PENDIENTES_11_20, S_CASEIND_PENDIENTES_21_MAS,
    S_USERS_CMD,            /* the account commands, a line each, after the program's name */
    /* issue 13: accounts */
    S_USERS_ADD_TITLE, S_USERS_ADD, S_USERS_ADD_HINT, S_USERS_ACTIONS, S_USERS_DISABLE, S_USERS_ENABLE,
    S_USERS_SET_ROLE, S_USERS_RESET, S_USERS_CREATED, S_USERS_PASSWORD_IS, S_USERS_RESET_DONE, S_USERS_DISABLED_DONE,
    S_USERS_ENABLED_DONE, S_USERS_ROLE_DONE, S_USERS_LAST_ADMIN, S_USERS_DUP, S_USERS_BAD_NAME, S_USERS_NO_SUCH,
    S_USERS_BAD_REQUEST, S_USERS_CLI, S_ACT_USER_ENABLED, S_ACT_ROLE,
    /* issue 13: citizens-e (phone numbers, the Línea 311 footer) */
    S_PHONE_INVALID, S_F311_ASK, S_F311_LINK, S_F311_CALL,
    /* issue 13: why the contact is erased, the inbox search */
    S_ERASE_WHY, S_ERASE_ASKED, S_ERASE_OTHER, S_ERASE_OTHER_TEXT, S_ERASE_WARN, S_ERASE_CONFIRM,
    S_ERASE_CANCEL, S_ERASE_NO_REASON, S_ERASE_TOO_LONG, S_FILTER_SEARCH, S_FILTER_SEARCH_HINT,
    S_SEARCH_ALL_STATUSES,
    /* issue 13: print-a11y */
    S_IND_FILTERS_NONE, S_IND_REPORT_DATE,
    /* issue 13: answers kept (text in a question that does not apply, the
     * rate limit's page shown again with the answers and the wait) */
    S_NA_LEAD, S_NA_FIX, S_NA_GENERIC,
    S_WAIT_BODY, S_WAIT_SECOND, S_WAIT_SECONDS, S_WAIT_AGAIN,
    /* issue 13: desk closing */
    S_CASE_REASON, S_CASE_REASON_HINT, S_CASE_REASON_NONE, S_CASE_REASON_DUP, S_CASE_REASON_SPAM,
    S_CASE_REASON_OUT_SHORT, S_CASE_CLOSE_REASON, S_CASE_NEEDS_REASON,
    S_CASE_NEEDS_REFERRAL, S_CASE_CONFIRM_CLOSE, S_CASE_CONFIRM_CLOSE_TEXT, S_CASE_CONFIRM_YES,
    S_CASE_CONFIRM_NO, S_CASE_REOPEN, S_CASE_REOPEN_HINT, S_ACT_CASE_REOPENED,
    S_CASE_COMPLIMENT_NO_DEADLINE, S_TRACK_COMPLIMENT, S_TRACK_CLOSED_DUP, S_TRACK_CLOSED_SPAM,
    S_TRACK_CLOSED_OUT, S_TRACK_CLOSED_NO_ANSWER, S_CASEIND_ELOGIOS, S_CASEIND_DUPLICADOS,
    S_CASEIND_SPAM, S_CASEIND_FUERA_COMPETENCIA, S_CASEIND_SIN_RESPUESTA,
    /* issue 13: a response with nothing answered */
    S_ERR_EMPTY,
    /* issue 14: database lost (a submission not stored: 503) */
    S_UNSAVED_TITLE, S_UNSAVED_BODY,
    /* issue 13: walk fixes */
    S_CASE_REASON_COMPLIMENT,   /* closing a compliment with no answer: why none is needed */
    S_CASE_DUP_OF,              /* the field for the code of the case a duplicate repeats */
    S_CASE_NEEDS_ORIGINAL,      /* closing as a duplicate without a valid original */
    S_CASE_ORIGINAL,            /* the label of that code on the case page */
    S_TRACK_DUP_OF,             /* the tracking page, before the link to the original */
    /* issue 14: heavy reports (http_heavy.c) */
    S_HEAVY_429_TITLE, S_HEAVY_429_BODY, S_HEAVY_BUSY_TITLE, S_HEAVY_BUSY_BODY,
    /* issue 15: upload from the browser (http_forms.c, render_forms.c) */
    S_NAV_FORMS,
    S_PANEL_FORMS,
    S_FORMS_INTRO,
    S_FORMS_COL_FORM,
    S_FORMS_COL_VERSION,
    S_FORMS_COL_SOURCE,
    S_FORMS_COL_RESPONSES,
    S_FORMS_FROM_FOLDER,
    S_FORMS_FROM_UPLOAD,
    S_FORMS_UPLOAD_TITLE,
    S_FORMS_UPLOAD_FIELD,
    S_FORMS_UPLOAD_BUTTON,
    S_FORMS_PROBLEMS_TITLE,
    S_FORMS_PROBLEMS_INTRO,
    S_FORMS_ERR_NOFILE,
    S_FORMS_ERR_NOT_XLSX,
    S_FORMS_ERR_TOO_BIG,
    S_FORMS_DRAFT_TITLE,
    S_FORMS_DRAFT_NEW,
    S_FORMS_DRAFT_VERSION,
    S_FORMS_DRAFT_INTRO,
    S_FORMS_DRAFT_KEEP,
    S_FORMS_DRAFT_QUESTIONS,
    S_FORMS_DRAFT_LANGS,
    S_FORMS_PUBLISH,
    S_FORMS_UPLOAD_OTHER,
    S_FORMS_DRAFT_GONE,
    S_FORMS_PUBLISHED,
    S_FORMS_WITHDRAW,
    S_FORMS_WITHDRAWN,
    S_FORMS_WITHDRAW_BROKEN,
    S_FORMS_HISTORY,
    S_FORMS_WITHDRAWN_MARK,
    S_FORMS_NOTES,
    S_FORMS_OPEN,
    S_ACT_FORM_PUBLISHED,
    S_ACT_FORM_WITHDRAWN,
    S_FORMS_BUSY,
    S_FORMS_DRAFT_NOT_YOURS,
    S_FORMS_UPLOADED_BY,
    /* issue 16: rest of the types */
    S_ERR_TIME, S_ERR_DATETIME, S_ERR_RANGE, S_ERR_RANK,
    S_TIME_HINT, S_DATETIME_HINT, S_MONTH_HINT, S_YEAR_HINT,
    S_ACK_OK, S_RANK_POS, S_RANGE_BETWEEN, S_RANGE_AND, S_RANGE_STEP,
    /* issue 16: places */
    S_ERR_GEOPOINT,
    S_ERR_GEO_RANGE,
    S_ERR_GEOTRACE,
    S_ERR_GEOSHAPE,
    S_GEO_LAT,
    S_GEO_LON,
    S_GEO_PLACE,
    S_GEO_PLACE_NONE,
    S_GEO_USE_MINE,
    S_GEO_ADD_MINE,
    S_GEO_LOCATING,
    S_GEO_ACCURACY,
    S_GEO_DENIED,
    S_GEO_NOFIX,
    S_GEO_LIST_HINT,
    S_GEO_MAP,
    /* issue 16: media */
    S_MEDIA_ERR_TYPE, S_MEDIA_ERR_BROKEN, S_MEDIA_TOO_BIG, S_MEDIA_HINT, S_MEDIA_VIEW,
    /* issue 16: lists from files (choice_filter, or_other) */
    S_CHOICES_REFRESH,
    S_CHOICE_OTHER,
    S_CHOICE_OTHER_SPECIFY,
    /* issue 16: media (audio, video, file) */
    S_MEDIA_AV_ERR_AUDIO, S_MEDIA_AV_ERR_VIDEO, S_MEDIA_AV_ERR_FILE, S_MEDIA_AV_ERR_BROKEN, S_MEDIA_AV_HINT_AUDIO, S_MEDIA_AV_HINT_VIDEO, S_MEDIA_AV_HINT_FILE, S_MEDIA_AV_TOO_BIG, S_MEDIA_AV_DOWNLOAD,
    /* issue 16: repeats */
    S_REPEAT_ADD,          /* the button that adds an instance of a repeat */
    S_REPEAT_REMOVE,       /* the button that removes one */
    S_REPEAT_FULL,         /* followed by " <n>.": no more instances */
    /* issue 15: forms as written in the wild */
    S_E413_FIELDS,
    /* issue 17: paper */
    S_PAPER_ONE, S_PAPER_MANY, S_PAPER_SKIP_IF, S_PAPER_SKIP_GO, S_PAPER_SKIP_END, S_PAPER_DATE, S_PAPER_POINT, S_PAPER_ONLINE, S_PAPER_PAGE, S_PAPER_OF, S_PAPER_RETURN, S_PAPER_CODE, S_PAPER_LINK,
    /* issue 17: offline */
    S_OFF_SAVED,           /* an answer kept on the phone until online */
    S_OFF_SENT,            /* a kept answer, now sent */
    S_OFF_CODE,            /* followed by " <code>": the case it opened */
    S_OFF_REFUSED,         /* the server refused a kept answer */
    /* issue 17: channels */
    S_IND_CHANNEL_INTERVIEW, S_IND_CHANNEL_REGISTER,   /* group labels of the "canal" breakdown */
    S_IND_CH_WEB, S_IND_CH_PAPEL, S_IND_CH_ENTREVISTA, S_IND_CH_REGISTRO,   /* short: filter, counts */
    S_IND_BY_CHANNEL,      /* followed by ": Web 812 · Papel 41" */
    S_IND_BY_CHANNEL_NOTE, /* what a hidden channel count means */
    S_IND_BY_NONE,         /* the breakdown select's "no breakdown" */
    /* issue 17: paper leftovers */
    S_PAPER_MORE_SHEET,    /* under the blocks of a repeat without a fixed count */
    /* issue 18: registers */
    S_NAV_REGISTERS,       /* the staff menu's link to /registros */
    S_REG_INTRO,           /* what the registers page is for */
    S_REG_EMPTY,           /* no staff form in the catalog */
    S_REG_SAVED,           /* an entry was stored */
    S_REG_NO_POSTER,       /* a staff form has no poster, paper, link or QR */
    S_ACT_REGISTER,        /* audit action "registro_anotado" */
    S_IND_KIND_SUM, S_IND_KIND_SUMSHARE, S_IND_KIND_ENTRIES,   /* indicator kinds of the registers */
    /* issue 18: plan report */
    S_PLAN_STATUS,         /* the status column/label */
    S_PLAN_ST_NOT_STARTED, /* no evidence yet */
    S_PLAN_ST_IN_PROGRESS, /* evidence, end not passed */
    S_PLAN_ST_ACHIEVED,    /* target reached */
    S_PLAN_ST_OVERDUE,     /* end passed, not achieved */
    S_PLAN_CURRENT,        /* the headline figure now */
    S_PLAN_NO_INDICATOR,   /* an action with no indicator */
    S_PLAN_NO_TARGET,      /* no target set */
    S_PLAN_STATUS_ON,      /* followed by a date */
    S_PLAN_REPORT,         /* heading of the report buttons */
    S_PLAN_REPORT_PDF,     /* button */
    S_PLAN_REPORT_XLSX,    /* button */
    S_REP_TITLE,           /* report cover title */
    S_REP_FOR,             /* cover: who it is for */
    S_REP_MADE,            /* cover: date made */
    S_REP_SUMMARY,         /* summary heading */
    S_REP_NO_DATA_PERIOD,  /* a period without data */
    S_REP_ENTRIES,         /* followed by form name */
    S_REP_METHOD_NOTE,     /* the report's method note */
    S_REP_PAGE,            /* page footer */
    S_REP_CHART,           /* chart heading */
    /* issue 18: deadlines that speak (staff notices) */
    S_NOTICE_NEW,
    S_NOTICE_DUE_SOON,
    S_NOTICE_OVERDUE,
    S_NOTICE_PLAN_END,
    S_NOTICE_SERVICE,
    S_NOTICE_DUE,
    S_NOTICE_OPEN,
    S_NOTICE_PLAN_ACTION,
    S_NOTICE_PLAN_UNIT,
    S_NOTICE_PLAN_ENDS,
    S_NOTICE_DIGEST,
    S_NOTICE_FOOTER,
    S_NOTICE_TITLE,
    S_NOTICE_INTRO,
    S_NOTICE_EMAIL,
    S_NOTICE_SERVICES,
    S_NOTICE_ALL,
    S_NOTICE_NO_EMAIL,
    S_NOTICE_SAVE,
    S_NOTICE_SAVED,
    S_NOTICE_BAD_EMAIL,
    S_NOTICE_PENDING,
    S_NOTICE_LAST_ERROR,
    /* issue 17: paper entry and interviews */
    S_ROLE_CAPTURA, S_NAV_ENTRY, S_PANEL_ENTRY, S_NAV_INTERVIEW, S_PANEL_INTERVIEW,
    S_ENTRY_TITLE, S_ENTRY_CODE_LABEL, S_ENTRY_CODE_HINT, S_ENTRY_OPEN, S_ENTRY_UNKNOWN, S_ENTRY_OLD, S_ENTRY_CURRENT, S_ENTRY_OLD_HELP, S_ENTRY_DATE, S_ENTRY_DATE_BAD,
    S_ENTRY_PAPER, S_ENTRY_STORED, S_ENTRY_WRITE_CODE, S_ENTRY_OTHER, S_INTERVIEW_TITLE, S_INTERVIEW_INTRO, S_INTERVIEW_START, S_INTERVIEW_STORED, S_INTERVIEW_CODE, S_INTERVIEW_NO_POINT,
    S_ENTRY_BATCH, S_ENTRY_BATCH_HINT, S_ENTRY_SHEET_BAD, S_ENTRY_HELD, S_ENTRY_SAME_CLERK,
    S_ENTRY_DIFF_TITLE, S_ENTRY_DIFF_INTRO, S_ENTRY_FIRST, S_ENTRY_SECOND, S_ENTRY_QUESTION, S_ENTRY_RESOLVE, S_ENTRY_EMPTY,
    /* issue 17: continue later and sharing */
    S_SHARE_DESC,          /* og:description of a survey page */
    S_APP_SHORT,           /* the web manifest's short_name */
    S_DRAFT_SAVE,          /* the button that keeps a long survey's draft */
    S_DRAFT_SAVED,         /* said once the draft is kept */
    S_DRAFT_FOUND,         /* a survey opened with a draft kept */
    S_DRAFT_RESTORE,       /* continue the kept draft */
    S_DRAFT_DISCARD,       /* throw the kept draft (or a refused answer) away */
    S_MINE_TITLE,          /* the list page's section of what this phone keeps */
    S_MINE_DRAFT,          /* a draft, not sent */
    S_MINE_PENDING,        /* an answer kept offline, waiting to be sent */
    S_MINE_REFUSED,        /* followed by the server's reason */
    /* issue 18: report entries */
    S_REP_LATEST_ENTRIES,  /* the report's list of a register's last entries */
    /* issue 18: audit labels */
    S_ACT_NOTICE_PREFS,    /* audit action "avisos_usuario" */
    S_ACT_NOTICE_SENT,     /* audit action "aviso_enviado" */
    S_ACT_NOTICE_FAILED,   /* audit action "aviso_fallido" */
    /* issue 17: paper sheet fixes */
    S_PAPER_WRITTEN,       /* the date line at the top of a paper sheet */
    S_PAPER_CASE_BOX,      /* the box staff write the tracking code in */
    S_PAPER_STUB,          /* the tear-off stub's heading */
    S_PAPER_FOLLOW,        /* followed by the /seguimiento address */
    S_PAPER_CUT,           /* beside the dashed cut line */
    /* issue 17: entry fixes */
    S_ENTRY_RECHECK,       /* the second clerk: the questions below differ; type them again */
    S_ENTRY_SUPERVISOR,    /* the third look did not settle it: held for a supervisor */
    S_ENTRY_RESOLVE_REFUSED, /* a supervisor's choice the form's rules refuse */
    S_ENTRY_DATE_EARLY,    /* the paper's date is before this form version existed */
    S_ENTRY_DISCARD,       /* an administrator's button: discard the held sheet */
    S_ENTRY_DISCARDED,     /* said after a held sheet is discarded */
    S_ENTRY_HELD_LIST,     /* the supervisor's list of held sheets whose entries differ */
    /* issue 18: register and notice fixes */
    S_MEDIA_ERR_ACCEPT,    /* a file question's file not of its body::accept kinds; the list follows */
    /* issue 18: plan status fixes */
    S_PLAN_WINDOW,         /* the period a row's figure and status come from, followed by months */
    S_PLAN_IN_WINDOW,      /* followed by ": N" (answers/entries dated in the action's window) */
    S_PLAN_LATE,           /* followed by ": N" (dated after the action's end) */
    S_PLAN_LEGEND_TITLE,   /* heading of the status rules */
    S_PLAN_LEGEND,         /* the status rules, in short */
    S_PLAN_RESPONSE_TO,    /* singular of S_PLAN_RESPONSES_TO: "1 respuesta a" */
    S_REP_ENTRY,           /* singular of S_REP_ENTRIES: "1 respuesta o registro en" */
    /* issue 17: entry follow-ups */
    S_ENTRY_SHEET_NO,      /* the sheet-number field's label: "Hoja n.º" (then the field) */
    S_ENTRY_OF_BATCH,      /* after the sheet number: "del lote" (then the batch's name) */
    S_ENTRY_CONFLICT_SHEET, /* a conflict's first words: "La hoja" (then its number) */
    S_ENTRY_CONFLICT,      /* ... already stored with other answers: check the sheet number */
    S_ACT_ENTERED,         /* audit action "respuesta_ingresada" */
    S_ACT_DOUBLE,          /* audit action "doble_entrada" */
    S_ACT_DOUBLE_RESOLVED, /* audit action "doble_entrada_resuelta" */
    S_ACT_DOUBLE_THIRD,    /* audit action "doble_entrada_tercera" */
    S_ACT_SHEET_DISCARDED, /* audit action "hoja_descartada" */
    S_ACT_HELD_PURGED,     /* audit action "hojas_retenidas_purgadas" */
    /* issue 18: notice and register follow-ups */
    S_NOTICE_FAIL_OTHER,
    S_NOTICE_FAIL_CONNECT,
    S_NOTICE_FAIL_REFUSED,
    S_NOTICE_FAIL_AUTH,
    S_NOTICE_FAIL_TLS,
    S_NOTICE_FAIL_HTTP,
    S_NOTICE_FAIL_TIMEOUT,
    S_NOTICE_DO_OTHER,
    S_NOTICE_DO_CONNECT,
    S_NOTICE_DO_REFUSED,
    S_NOTICE_DO_AUTH,
    S_NOTICE_DO_TLS,
    S_NOTICE_DO_HTTP,
    S_NOTICE_DO_TIMEOUT,
    S_NOTICE_FAIL_DETAIL,
    S_REG_ENTRIES_LINK,
    S_REG_ENTRIES_TITLE,
    S_REG_ENTRIES_NONE,
    S_REG_COL_DAY,
    S_REG_COL_WHAT,
    S_REG_COL_WHO,
    S_REG_COL_EVIDENCE,
    S_REG_EVIDENCE_OPEN,
    S_REG_CSV,
    S_REG_NEWER,
    S_REG_OLDER,
    S_REG_TOTAL,
    /* issue 17: interviews offline */
    S_IV_KEPT,
    S_IV_WAITING,
    S_IV_REFUSED,
    S_IV_RENEW,
    S_IV_NOCRYPTO,
    /* issue 18: notice language (session 23) */
    S_NOTICE_LANG,          /* "Idioma de los avisos" */
    S_NOTICE_BAD_LANG,      /* "... para" (the account's name follows) */
    /* issue 17: interviews offline, after a review */
    S_IV_GONE,
    S_IV_DROP_SURE,
    S_IV_SENT_N,
    S_IV_MISSING,
    S_IV_PREPARE,
    S_COUNT
} str_id_t;

extern const char *const strings_es[S_COUNT];
extern const char *const strings_ht[S_COUNT];
extern const char *const strings_en[S_COUNT];
extern const char *const strings_fr[S_COUNT];

/* The text of id in lang; never NULL for a complete table. */
const char *i18n(lang_t lang, str_id_t id);
/* "es" / "ht" / "en" / "fr"; the HTML lang attribute value. */
const char *i18n_code(lang_t lang);
/* Parse "es"/"ht" (case-insensitive, region ignored: "es-DO"); -1 if unknown.
 * Only the citizens' languages (< LANG_COUNT): "en" and "fr" give -1. */
int i18n_parse(const char *code);
/* The strings table for a form's language: its code ("en", "fr-CA", "es",
 * "ht"; region ignored) or, for a header that names no code
 * (`label::English`), its name in English or in itself ("English",
 * "French", "Français", "Spanish", "Español", "Kreyòl", "Haitian"…);
 * case-insensitive. -1 when buzon has no table for it. */
int i18n_table(const char *code_or_name);
/* Choose the visitor's language: ?lang= if valid, else the best match in
 * an Accept-Language header (q-values honoured; French, "fr" and "fr-*",
 * counts as Kreyòl: many Haitian phones are set to French), else fallback.
 * Any argument may be NULL. */
lang_t i18n_negotiate(const char *query_lang, const char *accept_language, lang_t fallback);

#endif
