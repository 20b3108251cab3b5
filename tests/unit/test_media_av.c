/*
 * test_media_av.c (issue 16, media): what an audio, video or file answer
 * becomes (model/media.h, media_av.c): its kind read from the bytes (never
 * the name), an MP3 without its ID3 tags, an MP4/3GP whose udta and meta
 * boxes (the ©xyz place, the model) are zeroed free boxes of the same size,
 * a PDF or DOCX kept, an image re-encoded, an EXE and anything unknown
 * refused, a file question's body::accept obeyed, broken boxes refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "model/media.h"
#include "testav.h"
#include "testjpeg.h"

static media_rc_t clean(int qtype, const char *accept, const buf_t *in, buf_t *out, const char **type,
                        const char **ext)
{
    *type = *ext = NULL;
    return media_file_clean(qtype, accept, in->data, in->len, out, type, ext);
}

static void test_sniff_kinds(void **state)
{
    (void)state;
    buf_t b;
    buf_init(&b);
    tav_mp3(&b, 3);
    assert_string_equal(media_av_type(media_av_sniff(b.data, b.len)), "audio/mpeg");
    b.len = 0;
    tav_mp4(&b, true, false, 16);
    assert_string_equal(media_av_type(media_av_sniff(b.data, b.len)), "video/mp4");
    b.len = 0;
    tav_pdf(&b);
    assert_string_equal(media_av_type(media_av_sniff(b.data, b.len)), "application/pdf");
    b.len = 0;
    tav_docx(&b);
    assert_string_equal(media_av_type(media_av_sniff(b.data, b.len)),
                        "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    b.len = 0;
    tav_exe(&b);
    assert_int_equal(media_av_sniff(b.data, b.len), 0);
    buf_free(&b);
    assert_string_equal(media_av_type(media_av_sniff("OggS\0\2", 6)), "audio/ogg");
    assert_string_equal(media_av_type(media_av_sniff("RIFF\x24\0\0\0WAVEfmt ", 16)), "audio/wav");
    assert_string_equal(media_av_type(media_av_sniff("#!AMR\n\x3c", 7)), "audio/amr");
    static const char webm_a[] = "\x1a\x45\xdf\xa3\x9f\x42\x82\x84webm\x42\x87\x81\x04 A_OPUS";
    static const char webm_v[] = "\x1a\x45\xdf\xa3\x9f\x42\x82\x84webm\x42\x87\x81\x04 V_VP8 A_OPUS";
    assert_string_equal(media_av_type(media_av_sniff(webm_a, sizeof webm_a - 1)), "audio/webm");
    assert_string_equal(media_av_type(media_av_sniff(webm_v, sizeof webm_v - 1)), "video/webm");
    assert_string_equal(media_av_type(media_av_sniff("nombre,edad\nAna,30\nLuis,41\n", 27)), "text/csv");
    assert_string_equal(media_av_type(media_av_sniff("Hola, buenas.\nTodo bien.\n", 25)), "text/plain");
    /* ELF, a zip that is no document, HTML-looking bytes with NUL, an
     * ID3 tag with nothing behind it. */
    assert_int_equal(media_av_sniff("\x7f" "ELF\2\1\1\0", 8), 0);
    assert_int_equal(media_av_sniff("PK\3\4junk", 8), 0);
    assert_int_equal(media_av_sniff("<html>\0", 7), 0);
    assert_int_equal(media_av_sniff("ID3\3\0\0\0\0\0\2ab", 12), 0);
}

static void test_mp3_id3_dropped(void **state)
{
    (void)state;
    buf_t in, out;
    buf_init(&in);
    buf_init(&out);
    tav_mp3(&in, 4);
    assert_true(tj_has(in.data, in.len, TAV_SECRET, strlen(TAV_SECRET)));
    const char *type, *ext;
    assert_int_equal(clean(Q_AUDIO, NULL, &in, &out, &type, &ext), MEDIA_OK);
    assert_string_equal(type, "audio/mpeg");
    assert_string_equal(ext, ".mp3");
    /* The frames alone: first byte a frame sync, no tag of either version. */
    assert_int_equal(out.len, 4 * 417);
    assert_int_equal((unsigned char)out.data[0], 0xFF);
    assert_false(tj_has(out.data, out.len, "ID3", 3));
    assert_false(tj_has(out.data, out.len, "TAG", 3));
    assert_false(tj_has(out.data, out.len, TAV_SECRET, strlen(TAV_SECRET)));
    assert_false(tj_has(out.data, out.len, TAV_MODEL, strlen(TAV_MODEL)));
    /* An MP3 is no video, and no file question's. */
    buf_t none;
    buf_init(&none);
    assert_int_equal(clean(Q_VIDEO, NULL, &in, &none, &type, &ext), MEDIA_NOT_IMAGE);
    assert_int_equal(clean(Q_FILE, NULL, &in, &none, &type, &ext), MEDIA_NOT_IMAGE);
    assert_int_equal(none.len, 0);
    buf_free(&in);
    buf_free(&out);
}

static void test_mp4_xyz_freed(void **state)
{
    (void)state;
    buf_t in, out;
    buf_init(&in);
    buf_init(&out);
    tav_mp4(&in, true, false, 64);
    assert_true(tj_has(in.data, in.len, "\xa9xyz", 4));
    assert_true(tj_has(in.data, in.len, TAV_SECRET, strlen(TAV_SECRET)));
    const char *type, *ext;
    assert_int_equal(clean(Q_VIDEO, NULL, &in, &out, &type, &ext), MEDIA_OK);
    assert_string_equal(type, "video/mp4");
    assert_string_equal(ext, ".mp4");
    /* Same size, same boxes where they were: offsets (mdat's) hold. */
    assert_int_equal(out.len, in.len);
    assert_false(tj_has(out.data, out.len, "udta", 4));
    assert_false(tj_has(out.data, out.len, "meta", 4));
    assert_false(tj_has(out.data, out.len, "\xa9xyz", 4));
    assert_false(tj_has(out.data, out.len, TAV_SECRET, strlen(TAV_SECRET)));
    assert_false(tj_has(out.data, out.len, TAV_MODEL, strlen(TAV_MODEL)));
    assert_true(tj_has(out.data, out.len, "free", 4));
    assert_true(tj_has(out.data, out.len, "mdat", 4));
    assert_true(tj_has(out.data, out.len, "vide", 4));
    size_t diff = 0;
    for (size_t i = 0; i < in.len; i++) diff += in.data[i] != out.data[i];
    assert_true(diff > 0 && diff < 120);
    /* A film is no recording; a 3GP of sound alone is. */
    buf_t none;
    buf_init(&none);
    assert_int_equal(clean(Q_AUDIO, NULL, &in, &none, &type, &ext), MEDIA_NOT_IMAGE);
    assert_int_equal(none.len, 0);
    in.len = 0;
    tav_mp4(&in, false, true, 8);
    assert_int_equal(clean(Q_AUDIO, NULL, &in, &none, &type, &ext), MEDIA_OK);
    assert_string_equal(type, "audio/mp4");
    assert_false(tj_has(none.data, none.len, TAV_SECRET, strlen(TAV_SECRET)));
    buf_free(&none);
    /* A box longer than the file: broken, nothing kept. */
    in.len = 0;
    tav_mp4(&in, true, false, 8);
    in.data[24] = 0x7f;   /* moov's size (after a 24-byte ftyp), high byte */
    buf_t b2;
    buf_init(&b2);
    assert_int_equal(clean(Q_VIDEO, NULL, &in, &b2, &type, &ext), MEDIA_BROKEN);
    assert_int_equal(b2.len, 0);
    buf_free(&b2);
    buf_free(&in);
    buf_free(&out);
}

static void test_files(void **state)
{
    (void)state;
    buf_t in, out;
    buf_init(&in);
    buf_init(&out);
    const char *type, *ext;
    tav_pdf(&in);
    assert_int_equal(clean(Q_FILE, NULL, &in, &out, &type, &ext), MEDIA_OK);
    assert_string_equal(type, "application/pdf");
    assert_string_equal(ext, ".pdf");
    assert_int_equal(out.len, in.len);
    assert_memory_equal(out.data, in.data, in.len);
    /* body::accept: a PDF where only .docx is taken is refused; by type,
     * by extension and by family it is taken. */
    out.len = 0;
    assert_int_equal(clean(Q_FILE, ".docx", &in, &out, &type, &ext), MEDIA_NOT_IMAGE);
    assert_int_equal(clean(Q_FILE, ".docx, application/pdf", &in, &out, &type, &ext), MEDIA_OK);
    assert_int_equal(clean(Q_FILE, ".PDF", &in, &out, &type, &ext), MEDIA_OK);
    assert_int_equal(clean(Q_FILE, "application/*", &in, &out, &type, &ext), MEDIA_OK);
    assert_int_equal(clean(Q_FILE, "image/*", &in, &out, &type, &ext), MEDIA_NOT_IMAGE);
    /* An EXE, whatever it is called: refused; in every question. */
    in.len = 0;
    tav_exe(&in);
    out.len = 0;
    assert_int_equal(clean(Q_FILE, NULL, &in, &out, &type, &ext), MEDIA_NOT_IMAGE);
    assert_int_equal(clean(Q_AUDIO, NULL, &in, &out, &type, &ext), MEDIA_NOT_IMAGE);
    assert_int_equal(clean(Q_VIDEO, NULL, &in, &out, &type, &ext), MEDIA_NOT_IMAGE);
    assert_int_equal(out.len, 0);
    /* A photo in a file question: re-encoded, its EXIF gone. */
    in.len = 0;
    tj_jpeg(&in, 64, 48, 1, true);
    assert_int_equal(clean(Q_FILE, ".jpg,.pdf", &in, &out, &type, &ext), MEDIA_OK);
    assert_string_equal(type, "image/jpeg");
    assert_false(tj_has(out.data, out.len, TJ_MODEL, strlen(TJ_MODEL)));
    assert_false(tj_has(out.data, out.len, "Exif", 4));
    buf_free(&in);
    buf_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sniff_kinds),
        cmocka_unit_test(test_mp3_id3_dropped),
        cmocka_unit_test(test_mp4_xyz_freed),
        cmocka_unit_test(test_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
