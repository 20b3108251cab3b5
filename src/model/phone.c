/*
 * phone.c: see phone.h.
 */
#include "model/phone.h"

#include <stddef.h>
#include <string.h>

bool phone_question(const char *name)
{
    static const char suffix[] = "_telefono";
    size_t n = name ? strlen(name) : 0;
    return n >= sizeof suffix - 1 && !strcmp(name + n - (sizeof suffix - 1), suffix);
}

static bool dominican_area(const char *d)
{
    return !strncmp(d, "809", 3) || !strncmp(d, "829", 3) || !strncmp(d, "849", 3);
}

bool phone_normalize(const char *s, char out[PHONE_E164_MAX])
{
    out[0] = '\0';
    if (!s) return false;
    /* The digits, after an optional leading "+"; separators dropped. */
    char d[32];
    size_t n = 0;
    bool plus = false, any = false;
    for (const char *p = s; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            if (n == sizeof d - 1) return false;
            d[n++] = *p;
            any = true;
        } else if (*p == '+' && !any && !plus) {
            plus = true;
        } else if (*p != ' ' && *p != '-' && *p != '.' && *p != '(' && *p != ')') {
            return false;
        }
    }
    d[n] = '\0';
    const char *q = d;
    /* "00" is the international prefix dialled from either country. */
    if (!plus && n > 2 && q[0] == '0' && q[1] == '0') { q += 2; n -= 2; plus = true; }

    /* Haiti: 509 and 8 digits. */
    if (n == 11 && !strncmp(q, "509", 3)) {
        memcpy(out, "+", 1);
        memcpy(out + 1, q, 12);
        return true;
    }
    /* The Dominican Republic: [1] 809|829|849 NXX XXXX. */
    if (n == 11 && q[0] == '1') { q++; n--; }
    else if (plus) return false;   /* another country code */
    if (n == 10 && dominican_area(q)) {
        memcpy(out, "+1", 2);
        memcpy(out + 2, q, 11);
        return true;
    }
    return false;
}
