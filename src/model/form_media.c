/*
 * form_media.c: choice images (issue 16, item 4): the `media::image` (or
 * `image`) column of the choices sheet names a picture beside the form.
 * The loader reads each one into memory when the form loads (form_t.media),
 * so serving it never touches the file system with a name a visitor gave
 * and a form published from the browser behaves like one from the folder
 * (it has no folder: its images are notes). What is kept is checked by its
 * bytes, not its name: PNG, JPEG, GIF or WebP, at most FORM_MEDIA_MAX
 * bytes each and FORM_MEDIA_TOTAL a form. A picture that is missing, too
 * big or not one of these is a note in `forms check`, and the choice shows
 * its label alone: never a broken image on a citizen's phone.
 */
#include "model/form_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The type the bytes say, or NULL when they are none we serve. */
static const char *sniff(const unsigned char *d, size_t n)
{
    if (n >= 8 && !memcmp(d, "\x89PNG\r\n\x1a\n", 8)) return "image/png";
    if (n >= 3 && d[0] == 0xff && d[1] == 0xd8 && d[2] == 0xff) return "image/jpeg";
    if (n >= 6 && (!memcmp(d, "GIF87a", 6) || !memcmp(d, "GIF89a", 6))) return "image/gif";
    if (n >= 12 && !memcmp(d, "RIFF", 4) && !memcmp(d + 8, "WEBP", 4)) return "image/webp";
    return NULL;
}

/* Read name into f->media, or say why not (a note at row line of the
 * choices sheet). True when the form now holds it. */
static bool read_one(loader_t *L, const char *name, int line, size_t *total)
{
    form_t *f = L->f;
    const char *spath = L->s[F_CHOICES].path;
    if (form_media(f, name)) return true;
    if (L->no_folder) {
        form_note(L, spath, line, "image \"%s\": a workbook sent from the browser brings no picture; "
                  "the label alone is shown", name);
        return false;
    }
    if (!*name || strchr(name, '/') || strchr(name, '\\') || name[0] == '.') {
        form_note(L, spath, line, "image \"%s\" is not a file name in the form's folder; the label alone "
                  "is shown", name);
        return false;
    }
    char *dir = form_folder(L);
    char *path = form_path(dir, name);
    free(dir);
    FILE *fp = fopen(path, "rb");
    free(path);
    if (!fp) {
        form_note(L, spath, line, "image \"%s\" is not beside the form (%s); the label alone is shown", name,
                  strerror(errno));
        return false;
    }
    unsigned char *data = xmalloc(FORM_MEDIA_MAX + 1);
    size_t n = fread(data, 1, FORM_MEDIA_MAX + 1, fp);
    fclose(fp);
    const char *type = sniff(data, n);
    const char *why = n > FORM_MEDIA_MAX ? "is over 1 MB"
                    : *total + n > FORM_MEDIA_TOTAL ? "would take the form's pictures over 10 MB"
                    : !type ? "is not a PNG, JPEG, GIF or WebP picture" : NULL;
    if (why) {
        form_note(L, spath, line, "image \"%s\" %s; the label alone is shown", name, why);
        free(data);
        return false;
    }
    f->media = xrealloc(f->media, (f->nmedia + 1) * sizeof *f->media);
    /* Kept at its own size, not the 1 MB it was read into. */
    f->media[f->nmedia++] = (form_media_t){ .name = xstrdup(name), .type = type,
                                            .data = xrealloc(data, n ? n : 1), .len = n };
    *total += n;
    return true;
}

void form_load_media(loader_t *L)
{
    form_t *f = L->f;
    size_t total = 0;
    for (size_t i = 0; i < f->nlists; i++)
        for (size_t k = 0; k < f->lists[i].nchoices; k++) {
            choice_t *c = &f->lists[i].choices[k];
            if (c->image && !read_one(L, c->image, c->image_row, &total)) {
                free(c->image);
                c->image = NULL;
            }
        }
}

const form_media_t *form_media(const form_t *f, const char *name)
{
    for (size_t i = 0; i < f->nmedia; i++)
        if (!strcmp(f->media[i].name, name)) return &f->media[i];
    return NULL;
}
