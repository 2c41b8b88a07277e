/*
 * sample_card.h
 *		A realistic SMART Health Card payload for the benchmark and the fuzz
 *		seed generator: a minified JWS payload carrying a FHIR Bundle with a
 *		Patient and three COVID-19 Immunizations (SHC-NOTES section 4), about
 *		1.4 kB, shaped like the cards issuers publish.  Built here, not
 *		copied from anywhere.
 */
#ifndef SHC_SAMPLE_CARD_H
#define SHC_SAMPLE_CARD_H

#include <stdio.h>

static const char *const sample_vaccines[3][3] = {
	/* CVX code, date, lot */
	{"207", "2021-01-01", "0000001"},
	{"207", "2021-01-29", "0000007"},
	{"229", "2022-09-22", "FK9287"},
};

/*
 * Write the payload of card number `variant` (names and dates vary a
 * little with it) into buf; returns its length, or -1 if buf is too small.
 */
static inline int
sample_card_payload(char *buf, size_t bufsz, int variant)
{
	static const char *const given[] = {"John", "Maria", "Wei", "Amina"};
	int			n,
				i;
	size_t		len;

	n = snprintf(buf, bufsz,
				 "{\"iss\":\"https://spec.smarthealth.cards/examples/issuer\","
				 "\"nbf\":%d.%03d,"
				 "\"vc\":{\"type\":[\"https://smarthealth.cards#health-card\","
				 "\"https://smarthealth.cards#immunization\","
				 "\"https://smarthealth.cards#covid19\"],"
				 "\"credentialSubject\":{\"fhirVersion\":\"4.0.1\","
				 "\"fhirBundle\":{\"resourceType\":\"Bundle\",\"type\":\"collection\","
				 "\"entry\":[{\"fullUrl\":\"resource:0\",\"resource\":{"
				 "\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Anyperson\","
				 "\"given\":[\"%s\",\"B.\"]}],\"birthDate\":\"19%02d-01-20\"}}",
				 1687450764 + variant, variant % 1000, given[variant & 3],
				 50 + variant % 50);
	if (n < 0 || (size_t) n >= bufsz)
		return -1;
	len = (size_t) n;
	for (i = 0; i < 3; i++)
	{
		n = snprintf(buf + len, bufsz - len,
					 ",{\"fullUrl\":\"resource:%d\",\"resource\":{"
					 "\"resourceType\":\"Immunization\",\"status\":\"completed\","
					 "\"vaccineCode\":{\"coding\":[{\"system\":"
					 "\"http://hl7.org/fhir/sid/cvx\",\"code\":\"%s\"}]},"
					 "\"patient\":{\"reference\":\"resource:0\"},"
					 "\"occurrenceDateTime\":\"%s\","
					 "\"performer\":[{\"actor\":{\"display\":"
					 "\"ABC General Hospital\"}}],\"lotNumber\":\"%s\"}}",
					 i + 1, sample_vaccines[i][0], sample_vaccines[i][1],
					 sample_vaccines[i][2]);
		if (n < 0 || (size_t) n >= bufsz - len)
			return -1;
		len += (size_t) n;
	}
	n = snprintf(buf + len, bufsz - len, "]}}}}");
	if (n < 0 || (size_t) n >= bufsz - len)
		return -1;
	return (int) (len + (size_t) n);
}

#endif
