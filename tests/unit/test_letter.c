/* test_letter.c - the detectors behind dossier init: date lines, footnotes, names, and a
   whole small letter. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dossier.h"
#include "letter.h"

static void date_with_place(const char *line, const char *want_date, const char *want_place)
{
	char date[11] = "";
	char *place = NULL;
	assert_int_equal(letter_date_line(line, date, &place), 1);
	assert_string_equal(date, want_date);
	if (want_place == NULL)
		assert_null(place);
	else
		assert_string_equal(place, want_place);
	free(place);
}

static void not_a_date(const char *line)
{
	char date[11] = "";
	char *place = NULL;
	assert_int_equal(letter_date_line(line, date, &place), 0);
	assert_null(place);
}

static void date_lines(void **state)
{
	(void)state;
	date_with_place("Brussels, 16 October 2020", "2020-10-16", "Brussels");
	date_with_place("16 October 2020", "2020-10-16", NULL);
	date_with_place("Strasbourg, the 3rd of March 2021.", "2021-03-03", "Strasbourg");
	date_with_place("October 16, 2020", "2020-10-16", NULL);
	date_with_place("New York, Oct. 1, 1999", "1999-10-01", "New York");
	date_with_place("Date: 2024-02-29", "2024-02-29", NULL);
	date_with_place("Geneva, 05.11.2019", "2019-11-05", "Geneva");
	date_with_place("1 May 2022", "2022-05-01", NULL);
}

static void lines_that_are_no_dates(void **state)
{
	(void)state;
	not_a_date("");
	not_a_date("in February 2020 a delegation visited");
	not_a_date("2023-02-29");                 /* not a leap year */
	not_a_date("31 April 2020");
	not_a_date("Brussels, 16 Octobre 2020");  /* not an English month */
	not_a_date("010000, Nur-Sultan - Kazakhstan");
	not_a_date("Article 405, part 2, of the Criminal Code");
	not_a_date("Since May 2020, 9 activists");
}

static void footnote_starts(void **state)
{
	int n = 0;
	const char *rest = NULL;
	(void)state;
	assert_int_equal(letter_footnote_start("11 https://x.org/a", &n, &rest), 1);
	assert_int_equal(n, 11);
	assert_string_equal(rest, "https://x.org/a");
	assert_int_equal(letter_footnote_start("[3] See the report", &n, &rest), 1);
	assert_int_equal(n, 3);
	assert_string_equal(rest, "See the report");
	assert_int_equal(letter_footnote_start("4. text", &n, &rest), 1);
	assert_int_equal(n, 4);
	assert_int_equal(letter_footnote_start("177,000 subscribers", &n, &rest), 0);
	assert_int_equal(letter_footnote_start("010000, Nur-Sultan", &n, &rest), 0);
	assert_int_equal(letter_footnote_start("2020 was", &n, &rest), 0);
	assert_int_equal(letter_footnote_start("0 https://x.org", &n, &rest), 0);
	assert_int_equal(letter_footnote_start("5", &n, &rest), 0);
}

static void url_lengths(void **state)
{
	(void)state;
	assert_int_equal(letter_url_len("https://a.org/x?s=20  "), strlen("https://a.org/x?s=20"));
	assert_int_equal(letter_url_len("https://a.org/x)."), strlen("https://a.org/x"));
	assert_int_equal(letter_url_len("http://a.org"), strlen("http://a.org"));
	assert_int_equal(letter_url_len("ftp://a.org"), 0);
	assert_int_equal(letter_url_len("see https://a.org"), 0);
}

static void names(void **state)
{
	(void)state;
	const char *yes[] = { "Helmut Scholz", "Niklas Nienaß", "Rasa Juknevičienė", "Ivan Sinčić",
		"Ville Niinistö", "Ursula von der Leyen", "Jean-Luc O'Neill", "H.E. Kassym-Jomart Tokayev", NULL };
	const char *no[] = { "Helmut", "Annex list of individual cases", "Yours sincerely",
		"GREENS/ALE", "Room 12 Main", "the President", "", NULL };
	for (size_t i = 0; yes[i]; i++)
		assert_true(letter_is_name(yes[i], strlen(yes[i])));
	for (size_t i = 0; no[i]; i++)
		assert_false(letter_is_name(no[i], strlen(no[i])));
}

static const char small_letter[] =
	"Open letter on press freedom\n"
	"\n"
	"Dr. Jane Roe\n"
	"Minister of Justice\n"
	"\n"
	"Vienna, 2 June 2023\n"
	"\n"
	"Dear Minister,\n"
	"\n"
	"We write about the case1 and the report.2\n"
	"                              \n"
	"1 https://example.org/case-\n"
	"\n"
	"one\n"
	"2 The report is attached.\n"
	"\n"
	"Kind regards,\n"
	"\n"
	"Anna Berg\n"
	"University of Graz\n"
	"Tom Klein, EPP\n"
	"\n"
	"Cc: Mr Max Muster, Secretary General\n";

static void whole_letter(void **state)
{
	struct dossier_letter *l = NULL;
	struct dossier_error err;
	(void)state;
	assert_int_equal(dossier_letter_scan("t", small_letter, strlen(small_letter), &l, &err), DOSSIER_OK);
	assert_string_equal(l->title, "Open letter on press freedom");
	assert_true(l->open_letter);
	assert_string_equal(l->date, "2023-06-02");
	assert_string_equal(l->place, "Vienna");
	assert_int_equal(l->nto, 1);
	assert_string_equal(l->to[0].name, "Dr. Jane Roe");
	assert_int_equal(l->nfootnotes, 2);
	assert_string_equal(l->footnotes[0].url, "https://example.org/case-one");
	assert_null(l->footnotes[1].url);
	assert_string_equal(l->footnotes[1].text, "The report is attached.");
	assert_int_equal(l->nfrom, 2);
	assert_string_equal(l->from[0].name, "Anna Berg");
	assert_string_equal(l->from[0].detail, "University of Graz");
	assert_string_equal(l->from[1].name, "Tom Klein");
	assert_string_equal(l->from[1].detail, "EPP");
	assert_int_equal(l->ncc, 1);
	assert_string_equal(l->cc[0].name, "Mr Max Muster");
	assert_string_equal(l->cc[0].detail, "Secretary General");
	char *json = NULL;
	assert_int_equal(dossier_letter_spec(l, "press letter", "press.txt", &json, &err), DOSSIER_OK);
	assert_non_null(strstr(json, "\"name\":  \"press-letter\""));
	assert_non_null(strstr(json, "\"affiliation\":  \"University of Graz\""));
	assert_non_null(strstr(json, "\"group\":  \"EPP\""));
	assert_non_null(strstr(json, "Footnote 2 carries no URL: The report is attached."));
	free(json);
	dossier_letter_free(l);
}

static void bad_text(void **state)
{
	struct dossier_letter *l = NULL;
	struct dossier_error err;
	(void)state;
	assert_int_equal(dossier_letter_scan("e.txt", " \n\n\t", 4, &l, &err), DOSSIER_DATAERR);
	assert_null(l);
	assert_string_equal(err.message, "e.txt: empty: no letter text to scan");
	assert_int_equal(dossier_letter_scan("b", "ab\0cd", 5, &l, &err), DOSSIER_DATAERR);
	assert_non_null(strstr(err.message, "a NUL byte at offset 2"));
	assert_int_equal(dossier_letter_scan("l", "caf\xe9\n", 5, &l, &err), DOSSIER_DATAERR);
	assert_non_null(strstr(err.message, "not UTF-8 text (byte 3)"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(date_lines),
		cmocka_unit_test(lines_that_are_no_dates),
		cmocka_unit_test(footnote_starts),
		cmocka_unit_test(url_lengths),
		cmocka_unit_test(names),
		cmocka_unit_test(whole_letter),
		cmocka_unit_test(bad_text),
	};
	dossier_init();
	return cmocka_run_group_tests_name("letter", tests, NULL, NULL);
}
