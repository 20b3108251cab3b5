/*
 * strings_ht.c: the interface in Haitian Kreyòl (standard orthography of
 * 1979, as taught in Haiti), for Bánica's Kreyòl-speaking residents.
 * Indexed by str_id_t (include/i18n.h); test_i18n checks it is complete
 * and that no entry is left identical to the Spanish one by mistake.
 */
#include "i18n.h"

const char *const strings_ht[S_COUNT] = {
    [S_LANG_NAME]          = "Kreyòl",
    [S_SITE_NAME]          = "Bwat lèt sitwayen",
    [S_ORG_NAME]           = "Meri Minisipal Bánica",
    [S_LANG_SWITCH_LABEL]  = "Lang",

    [S_INDEX_TITLE]        = "Sondaj ki ouvè",
    [S_INDEX_INTRO]        = "Opinyon ou ede nou amelyore sèvis minisipal yo. Chwazi yon sondaj: li anonim epi li pran anviwon yon minit.",
    [S_INDEX_EMPTY]        = "Pa gen sondaj ki ouvè kounye a.",
    [S_INDEX_POINTS]       = "Dapre kote sèvis la ye",

    [S_POINT_LABEL]        = "Kote",
    [S_REQUIRED]           = "obligatwa",
    [S_REQUIRED_NOTE]      = "Kesyon ki gen * yo obligatwa. Tout lòt yo se si ou vle.",
    [S_SUBMIT]             = "Voye repons yo",
    [S_CHOOSE]             = "Chwazi youn",
    [S_COND_PREFIX]        = "Reponn sèlman si",
    [S_COND_ANSWERED]      = "ou te reponn",
    [S_COND_NOT_ANSWERED]  = "ou pa t reponn",
    [S_COND_IN]            = "nan",
    [S_COND_AND]           = "epi",
    [S_COND_OR]            = "oswa",
    [S_COND_GENERIC]       = "Reponn sèlman si sa konsène ou.",
    [S_HONEYPOT]           = "Kite espas sa a vid",
    [S_DATE_HINT]          = "Fòma: AAAA-MM-JJ",

    [S_ERR_SUMMARY]        = "Tanpri verifye repons sa yo:",
    [S_ERR_REQUIRED]       = "Ou dwe reponn kesyon sa a.",
    [S_ERR_CONSTRAINT]     = "Repons sa a pa valab.",
    [S_ERR_INTEGER]        = "Ekri yon nonb antye, pa egzanp 12.",
    [S_ERR_DECIMAL]        = "Ekri yon nonb, pa egzanp 12.5.",
    [S_ERR_DATE]           = "Ekri yon dat ki valab, pa egzanp 2025-03-15.",
    [S_ERR_CHOICE]         = "Chwazi youn nan opsyon ki nan lis la.",
    [S_ERR_TOO_LONG]       = "Repons lan twò long.",

    [S_THANKS_TITLE]       = "Nou resevwa l!",
    [S_THANKS_BODY]        = "Mèsi. Nou anrejistre repons ou, epi l ap ede nou amelyore.",
    [S_THANKS_ANOTHER]     = "Reponn yon lòt sondaj",
    [S_BACK_HOME]          = "Ale nan lis sondaj yo",

    [S_E400_TITLE]         = "Nou pa t ka li sa ou voye a",
    [S_E400_BODY]          = "Done yo rive domaje oswa yo pa konplè. Retounen nan sondaj la epi eseye ankò.",
    [S_E404_TITLE]         = "Nou pa jwenn paj la",
    [S_E404_BODY]          = "Nou pa jwenn paj oswa sondaj sa a. Ou ka chwazi youn nan lis la.",
    [S_E405_TITLE]         = "Aksyon sa a pa pèmèt",
    [S_E405_BODY]          = "Adrès sa a pa aksepte aksyon sa a.",
    [S_E413_TITLE]         = "Sa ou voye a twò gwo",
    [S_E413_BODY]          = "Repons ou yo pi long pase sa ki pèmèt. Fè kòmantè yo pi kout epi eseye ankò.",
    [S_E500_TITLE]         = "Gen yon bagay ki pa mache",
    [S_E500_BODY]          = "Nou pa t ka anrejistre repons ou akoz yon pwoblèm bò kote pa nou. Eseye ankò nan kèk minit.",
    [S_E503_TITLE]         = "Sèvis la okipe",
    [S_E503_BODY]          = "Gen anpil moun k ap reponn kounye a. Eseye ankò nan kèk minit.",

    [S_POSTER_HEADLINE]    = "Opinyon ou konte!",
    [S_POSTER_SCAN]        = "Eskane kòd la ak kamera telefòn ou",
    [S_POSTER_TYPE]        = "oswa ekri adrès sa a:",
    [S_POSTER_ANON]        = "Li anonim epi li pran yon minit.",
    [S_POSTER_ALL_SERVICES] = "Tout sèvis yo",

    [S_POSTERS_TITLE]      = "Afich ak kòd QR",
    [S_POSTERS_INTRO]      = "Enprime yon afich pou chak kote sèvis epi kole l kote moun ap tann. Menm lyen kout la sèvi pou pataje sou WhatsApp.",
    [S_POSTERS_FORM_ALONE] = "San kote (tout sèvis yo)",
    [S_POSTERS_LINK]       = "Lyen kout",
    [S_POSTERS_PRINT]      = "Enprime (A4)",
    [S_POSTERS_HALF]       = "Mwatye paj",
    [S_POSTERS_WHATSAPP]   = "Imaj pou WhatsApp",
    [S_POSTERS_QR]         = "Sèlman kòd QR la",
    /* limits */
    [S_E429_TITLE]         = "Twòp repons youn dèyè lòt",
    [S_E429_BODY]          = "Nou resevwa anpil repons ki soti nan koneksyon ou an nan yon ti tan. Tann yon minit epi eseye ankò.",
};
