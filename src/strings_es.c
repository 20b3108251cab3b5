/*
 * strings_es.c: the interface in Spanish as spoken in the Dominican
 * Republic (es-DO), addressing the citizen as "usted". Indexed by
 * str_id_t (include/i18n.h); the test test_i18n checks it is complete.
 */
#include "i18n.h"

const char *const strings_es[S_COUNT] = {
    [S_LANG_NAME]          = "Español",
    [S_SITE_NAME]          = "Buzón ciudadano",
    [S_ORG_NAME]           = "Ayuntamiento Municipal de Bánica",
    [S_LANG_SWITCH_LABEL]  = "Idioma",

    [S_INDEX_TITLE]        = "Encuestas abiertas",
    [S_INDEX_INTRO]        = "Su opinión nos ayuda a mejorar los servicios municipales. Elija una encuesta: es anónima y toma alrededor de un minuto.",
    [S_INDEX_EMPTY]        = "No hay encuestas abiertas en este momento.",
    [S_INDEX_POINTS]       = "Por lugar de servicio",

    [S_POINT_LABEL]        = "Lugar",
    [S_REQUIRED]           = "obligatoria",
    [S_REQUIRED_NOTE]      = "Las preguntas marcadas con * son obligatorias. Todas las demás son opcionales.",
    [S_SUBMIT]             = "Enviar respuestas",
    [S_CHOOSE]             = "Elija una opción",
    [S_COND_PREFIX]        = "Responda solo si",
    [S_COND_ANSWERED]      = "respondió",
    [S_COND_NOT_ANSWERED]  = "no respondió",
    [S_COND_IN]            = "en",
    [S_COND_AND]           = "y",
    [S_COND_OR]            = "o",
    [S_COND_GENERIC]       = "Responda solo si aplica a su caso.",
    [S_HONEYPOT]           = "Deje este campo vacío",
    [S_DATE_HINT]          = "Formato: AAAA-MM-DD",

    [S_ERR_SUMMARY]        = "Revise estas respuestas:",
    [S_ERR_REQUIRED]       = "Esta pregunta es obligatoria.",
    [S_ERR_CONSTRAINT]     = "Esta respuesta no es válida.",
    [S_ERR_INTEGER]        = "Escriba un número entero, por ejemplo 12.",
    [S_ERR_DECIMAL]        = "Escriba un número, por ejemplo 12.5.",
    [S_ERR_DATE]           = "Escriba una fecha válida, por ejemplo 2025-03-15.",
    [S_ERR_CHOICE]         = "Elija una de las opciones de la lista.",
    [S_ERR_TOO_LONG]       = "La respuesta es demasiado larga.",

    [S_THANKS_TITLE]       = "¡Recibido!",
    [S_THANKS_BODY]        = "Gracias. Su respuesta quedó guardada y nos ayuda a mejorar.",
    [S_THANKS_ANOTHER]     = "Responder otra encuesta",
    [S_BACK_HOME]          = "Ir a la lista de encuestas",

    [S_E400_TITLE]         = "No pudimos leer su envío",
    [S_E400_BODY]          = "Los datos llegaron dañados o incompletos. Vuelva a la encuesta e inténtelo de nuevo.",
    [S_E404_TITLE]         = "Página no encontrada",
    [S_E404_BODY]          = "No encontramos esa página o encuesta. Puede elegir una de la lista.",
    [S_E405_TITLE]         = "Acción no permitida",
    [S_E405_BODY]          = "Esta dirección no acepta esa acción.",
    [S_E413_TITLE]         = "Envío demasiado grande",
    [S_E413_BODY]          = "Sus respuestas son más largas de lo permitido. Acorte los comentarios e inténtelo de nuevo.",
    [S_E500_TITLE]         = "Algo salió mal",
    [S_E500_BODY]          = "No pudimos guardar su respuesta por un problema nuestro. Inténtelo de nuevo en unos minutos.",
    [S_E503_TITLE]         = "Servicio ocupado",
    [S_E503_BODY]          = "Hay muchas personas respondiendo ahora. Inténtelo de nuevo en unos minutos.",

    [S_POSTER_HEADLINE]    = "¡Su opinión cuenta!",
    [S_POSTER_SCAN]        = "Escanee el código con la cámara de su teléfono",
    [S_POSTER_TYPE]        = "o escriba esta dirección:",
    [S_POSTER_ANON]        = "Es anónima y toma un minuto.",
    [S_POSTER_ALL_SERVICES] = "Todos los servicios",

    [S_POSTERS_TITLE]      = "Carteles con código QR",
    [S_POSTERS_INTRO]      = "Imprima un cartel para cada lugar de servicio y péguelo donde la gente espera. El mismo enlace corto sirve para compartir por WhatsApp.",
    [S_POSTERS_FORM_ALONE] = "Sin lugar (todos los servicios)",
    [S_POSTERS_LINK]       = "Enlace corto",
    [S_POSTERS_PRINT]      = "Imprimir (A4)",
    [S_POSTERS_HALF]       = "Media página",
    [S_POSTERS_WHATSAPP]   = "Imagen para WhatsApp",
    [S_POSTERS_QR]         = "Solo el código QR",
    /* limits */
    [S_E429_TITLE]         = "Demasiados envíos seguidos",
    [S_E429_BODY]          = "Recibimos muchas respuestas desde su conexión en muy poco tiempo. Espere un minuto e inténtelo de nuevo.",
};
