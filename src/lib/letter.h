/* letter.h - the detectors of dossier_letter_scan, one line or block each, for the unit tests. */
#ifndef DOSSIER_LETTER_H
#define DOSSIER_LETTER_H

#include <stddef.h>

/* A date line: "[Place, ][the ]16[th] [of ]October 2020", "October 16, 2020", "2020-10-16"
   or "16.10.2020", with an optional "Date:" in front and a period after. 1 and date
   (YYYY-MM-DD) filled, *place set to a malloc'd place or NULL; 0 if the line is no date
   line (also for a day that the month does not have). */
int letter_date_line(const char *line, char date[11], char **place);

/* "12 https://..." or "[12] text": the footnote number and where its text starts; 0 if
   the line does not start like a footnote (1 to 3 digits, then a space). */
int letter_footnote_start(const char *line, int *number, const char **rest);

/* The URL at the start of s up to white space, without trailing punctuation that
   closes a sentence; its length, or 0 if s starts with no http(s) URL. */
size_t letter_url_len(const char *s);

/* A person's name: 2 to 6 words that start with a capital (particles such as "van" or
   "de" aside), letters, hyphens, apostrophes and dots only. */
int letter_is_name(const char *s, size_t len);

/* Shared by the scanner: trims white space (also no-break spaces) at both ends, moving
   the text to p; the rule above footnotes (a long run of spaces, underscores or dashes);
   a case-blind prefix. */
char *letter_trim(char *p);
int letter_is_separator(const char *raw);
int letter_starts_ci(const char *s, const char *prefix);

#endif
