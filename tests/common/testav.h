/*
 * testav.h (issue 16, media): recordings, films and documents as phones and
 * offices make them, built in the test so that the checks know what is in
 * them: an MP3 behind an ID3v2 tag (and an ID3v1 tag) holding TAV_SECRET,
 * an MP4/3GP holding a ©xyz place and the phone's model in udta and meta
 * boxes, a PDF, a DOCX (a zip with [Content_Types].xml), an EXE.
 */
#ifndef BUZON_TESTAV_H
#define BUZON_TESTAV_H

#include <stdbool.h>

#include "base/buf.h"

/* What the tags and boxes hold; never in what buzon stores. */
#define TAV_SECRET "+18.8123-071.7012/"
#define TAV_MODEL  "BuzonTestPhone AV"

/* Append an MP3: an ID3v2.3 tag (TIT2 and TXXX with TAV_SECRET), frames
 * of silence (MPEG-1 layer III, 128 kbit/s), and an ID3v1 tag. */
void tav_mp3(buf_t *out, size_t frames);
/* Append an MP4 (brand "isom", or "3gp4" when three_gp) with an ftyp, a
 * moov holding an mvhd, a trak whose mdia has a hdlr "vide" (video) or
 * "soun", a udta with a ©xyz box (TAV_SECRET) and a meta with the model
 * (TAV_MODEL), and an mdat of pad bytes. */
void tav_mp4(buf_t *out, bool video, bool three_gp, size_t pad);
/* Append a one-page PDF. */
void tav_pdf(buf_t *out);
/* Append a DOCX: a zip with [Content_Types].xml and word/document.xml. */
void tav_docx(buf_t *out);
/* Append a Windows executable's first bytes ("MZ", a PE header). */
void tav_exe(buf_t *out);

#endif
