/* Tests of the C API, compiled as C11: banks, frameworks, validation, estimation, batch
 * scoring, sessions and snapshots, and the error paths (bad files, NULL handles, wrong items,
 * corrupted snapshots, the last-error text). */
#include <dskill/c/dskill.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures = 0;
static int checks = 0;

#define CHECK(cond)                                                           \
  do {                                                                        \
    ++checks;                                                                 \
    if (!(cond)) {                                                            \
      ++failures;                                                             \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      fprintf(stderr, "  last error: %s\n", dsk_last_error_message());       \
    }                                                                         \
  } while (0)
#define CHECK_OK(call) CHECK((call) == DSK_OK)
#define CHECK_CONTAINS(text, part) CHECK((text) != NULL && strstr((text), (part)) != NULL)

#define BANK_EXAMPLE DSKILL_SOURCE_DIR "/tests/data/banks/example.yaml"
#define BANK_CORE DSKILL_SOURCE_DIR "/item_banks/digcomp-core.yaml"
#define FRAMEWORK_DIGCOMP DSKILL_SOURCE_DIR "/item_banks/frameworks/digcomp-2.2.yaml"

static void test_version(void) {
  CHECK(dsk_version_number() == DSK_VERSION_NUMBER);
  CHECK(strcmp(dsk_version_string(), "0.1.0") == 0 || dsk_version_string()[0] != '\0');
  CHECK(strcmp(dsk_status_name(DSK_OK), "ok") == 0);
  CHECK(strcmp(dsk_status_name(DSK_EBANK), "bank_error") == 0);
  CHECK(strcmp(dsk_status_name(DSK_ESERIALIZATION), "serialization_error") == 0);
  CHECK(strcmp(dsk_status_name(12345), "unknown") == 0);
}

static void test_null_handles(void) {
  dsk_bank* bank = (dsk_bank*)0x1;
  /* free functions accept NULL */
  dsk_bank_free(NULL);
  dsk_framework_free(NULL);
  dsk_test_spec_free(NULL);
  dsk_session_free(NULL);
  dsk_diagnostics_free(NULL);
  CHECK(dsk_bank_size(NULL) == 0);
  CHECK(dsk_bank_id(NULL) == NULL);
  CHECK(dsk_bank_item_id(NULL, 0) == NULL);
  CHECK(dsk_session_answered(NULL) == 0);
  CHECK(dsk_bank_load(NULL, BANK_EXAMPLE, NULL) == DSK_EINVALID);
  CHECK_CONTAINS(dsk_last_error_message(), "out is NULL");
  CHECK(dsk_bank_load(&bank, NULL, NULL) == DSK_EINVALID);
  CHECK(bank == NULL); /* out is reset before anything can fail */
  CHECK_CONTAINS(dsk_last_error_message(), "path is NULL");
  CHECK(dsk_last_error_code() == DSK_EINVALID);
  {
    double theta[1], se[1];
    int8_t r[1] = {1};
    CHECK(dsk_score_batch(NULL, r, 1, 1, 1, NULL, theta, se, NULL, NULL) == DSK_EINVALID);
    CHECK_CONTAINS(dsk_last_error_message(), "bank is NULL");
  }
  {
    int64_t item = 0;
    CHECK(dsk_session_next_item(NULL, &item) != DSK_OK);
  }
  dsk_clear_error();
  CHECK(dsk_last_error_code() == DSK_OK);
  CHECK(strcmp(dsk_last_error_message(), "") == 0);
}

static void test_bad_files(void) {
  dsk_bank* bank = NULL;
  dsk_framework* fw = NULL;
  int rc = dsk_bank_load(&bank, "/nonexistent/bank.yaml", NULL);
  CHECK(rc == DSK_EIO);
  CHECK(bank == NULL);
  CHECK_CONTAINS(dsk_last_error_message(), "[dskill.io_error.E007]");
  CHECK_CONTAINS(dsk_last_error_message(), "/nonexistent/bank.yaml");
  CHECK(dsk_framework_load(&fw, "/nonexistent/fw.yaml") == DSK_EIO);
  CHECK(fw == NULL);

  {
    /* not YAML at all: a parse error with the name given and a line */
    static const char text[] = "dskill: 1\nbank: [unclosed\n";
    rc = dsk_bank_parse(&bank, text, sizeof text - 1, "broken.yaml", NULL);
    CHECK(rc == DSK_EPARSE);
    CHECK_CONTAINS(dsk_last_error_message(), "broken.yaml:");
  }
  {
    /* well-formed but invalid: a bank error naming the item and its position */
    static const char text[] =
        "dskill: 1\n"
        "bank:\n"
        "  id: bad\n"
        "items:\n"
        "  - id: q1\n"
        "    model: 2pl\n"
        "    params: {a: -1.0, b: 0.0}\n";
    rc = dsk_bank_parse(&bank, text, sizeof text - 1, "bad.yaml", NULL);
    CHECK(rc == DSK_EBANK);
    CHECK(bank == NULL);
    CHECK_CONTAINS(dsk_last_error_message(), "[dskill.bank_error.E003] bad.yaml:");
    CHECK_CONTAINS(dsk_last_error_message(), "q1");
    CHECK(dsk_last_error_code() == DSK_EBANK);
  }
}

static void test_validation(void) {
  const char* path = "capi_broken_bank.yaml";
  FILE* f = fopen(path, "w");
  dsk_diagnostics* d = NULL;
  dsk_diagnostic one;
  size_t i, n;
  int saw_duplicate = 0;
  CHECK(f != NULL);
  if (!f) return;
  fputs("dskill: 1\n"
        "bank:\n"
        "  id: broken\n"
        "items:\n"
        "  - id: q1\n"
        "    model: 2pl\n"
        "    params: {a: 1.0, b: 0.0}\n"
        "  - id: q1\n"
        "    model: 2pl\n"
        "    params: {a: 0.0, b: 0.0}\n",
        f);
  fclose(f);
  CHECK_OK(dsk_validate_bank_file(&d, path, NULL));
  n = dsk_diagnostics_count(d);
  CHECK(n >= 2);
  CHECK(dsk_diagnostics_error_count(d) >= 2);
  for (i = 0; i < n; ++i) {
    CHECK_OK(dsk_diagnostics_get(d, i, &one));
    CHECK(one.code != NULL && one.code[0] != '\0');
    CHECK(one.message != NULL && one.text != NULL);
    if (strcmp(one.code, "duplicate-id") == 0) {
      saw_duplicate = 1;
      CHECK(one.line == 8);
      CHECK(one.severity == DSK_SEVERITY_ERROR);
      CHECK_CONTAINS(one.file, path);
      CHECK_CONTAINS(one.text, "capi_broken_bank.yaml:8:");
    }
  }
  CHECK(saw_duplicate);
  CHECK(dsk_diagnostics_get(d, n, &one) == DSK_EINVALID);
  dsk_diagnostics_free(d);

  /* the bundled bank is clean against its framework */
  {
    dsk_framework* fw = NULL;
    CHECK_OK(dsk_framework_load(&fw, FRAMEWORK_DIGCOMP));
    CHECK(dsk_framework_area_count(fw) == 5);
    CHECK(dsk_framework_competence_count(fw) == 21);
    CHECK_OK(dsk_validate_bank_file(&d, BANK_CORE, fw));
    CHECK(dsk_diagnostics_error_count(d) == 0);
    dsk_diagnostics_free(d);
    CHECK_OK(dsk_validate_framework_file(&d, FRAMEWORK_DIGCOMP));
    CHECK(dsk_diagnostics_error_count(d) == 0);
    dsk_diagnostics_free(d);
    dsk_framework_free(fw);
  }
  remove(path);
}

static void test_bank_and_scoring(void) {
  dsk_bank* bank = NULL;
  size_t index = 99, len = 0;
  char* yaml;
  dsk_score_options opts = DSK_SCORE_OPTIONS_INIT;
  /* 3 persons over the 4 items of example.yaml (q1 3pl, q2 2pl, p1 grm 0..3, p2 gpcm 0..3),
   * stored with a row stride of 6 (two padding cells per row that must be ignored). */
  int8_t resp[3 * 6] = {
      1, 0, 2, 3, 99, 99,   /* */
      -1, 1, -1, 0, 99, 99, /* */
      -1, -1, -1, -1, 99, 99,
  };
  double theta[3], se[3];
  int32_t status[3];
  int p;

  CHECK_OK(dsk_bank_load(&bank, BANK_EXAMPLE, NULL));
  CHECK(dsk_bank_size(bank) == 4);
  CHECK(strcmp(dsk_bank_id(bank), "example") == 0);
  CHECK(strncmp(dsk_bank_fingerprint(bank), "sha256:", 7) == 0);
  CHECK_OK(dsk_bank_find(bank, "p1", &index));
  CHECK(index == 2);
  CHECK(strcmp(dsk_bank_item_id(bank, 2), "p1") == 0);
  CHECK(dsk_bank_item_id(bank, 4) == NULL);
  CHECK(dsk_bank_item_categories(bank, 0) == 2);
  CHECK(dsk_bank_item_categories(bank, 2) == 4);
  CHECK(dsk_bank_find(bank, "nope", &index) == DSK_EINVALID);
  CHECK_CONTAINS(dsk_last_error_message(), "'nope'");

  /* YAML out, snprintf convention: size query, too small, exact */
  CHECK_OK(dsk_bank_to_yaml(bank, NULL, 0, &len));
  CHECK(len > 0);
  yaml = (char*)malloc(len + 1);
  CHECK(dsk_bank_to_yaml(bank, yaml, len, &len) == DSK_EINVALID); /* no room for the NUL */
  CHECK_OK(dsk_bank_to_yaml(bank, yaml, len + 1, &len));
  CHECK(strlen(yaml) == len);
  {
    dsk_bank* again = NULL;
    CHECK_OK(dsk_bank_parse(&again, yaml, len, "roundtrip.yaml", NULL));
    CHECK(strcmp(dsk_bank_fingerprint(again), dsk_bank_fingerprint(bank)) == 0);
    dsk_bank_free(again);
  }
  free(yaml);

  /* batch scoring equals one-by-one estimation */
  CHECK_OK(dsk_score_batch(bank, resp, 3, 4, 6, NULL, theta, se, status, &opts));
  for (p = 0; p < 3; ++p) {
    uint32_t items[4];
    int32_t cats[4];
    size_t n = 0, j;
    double t1, s1;
    int32_t st1;
    for (j = 0; j < 4; ++j)
      if (resp[p * 6 + j] >= 0) {
        items[n] = (uint32_t)j;
        cats[n] = resp[p * 6 + j];
        ++n;
      }
    CHECK_OK(dsk_estimate(bank, items, cats, n, &opts, &t1, &s1, &st1));
    /* the batch path uses the precomputed EAP table, the single path the kernels: same to 1e-9 */
    CHECK(fabs(t1 - theta[p]) < 1e-9);
    CHECK(fabs(s1 - se[p]) < 1e-9);
    CHECK(st1 == status[p]);
  }
  CHECK(status[0] == DSK_EST_OK);
  CHECK(status[2] == DSK_EST_NO_RESPONSES);
  CHECK(fabs(theta[2]) < 1e-9);     /* EAP of nothing: the prior mean */
  CHECK(fabs(se[2] - 1.0) < 1e-3);  /* and (nearly) its SD on the grid */
  CHECK(theta[0] > theta[1]);

  /* a column map: columns (p2, q2) of a 2-wide matrix */
  {
    uint32_t cols[2] = {3, 1};
    int8_t r2[2] = {0, 1};
    double t2, s2;
    uint32_t items[2] = {3, 1};
    int32_t cats[2] = {0, 1};
    double t3, s3;
    CHECK_OK(dsk_score_batch(bank, r2, 1, 2, 2, cols, &t2, &s2, NULL, NULL));
    CHECK_OK(dsk_estimate(bank, items, cats, 2, NULL, &t3, &s3, NULL));
    CHECK(fabs(t2 - t3) < 1e-9 && fabs(s2 - s3) < 1e-9);
    cols[0] = 4;
    CHECK(dsk_score_batch(bank, r2, 1, 2, 2, cols, &t2, &s2, NULL, NULL) == DSK_EINVALID);
    CHECK_CONTAINS(dsk_last_error_message(), "outside the bank");
  }

  /* ML: an all-correct pattern sits at the upper bound */
  opts.method = DSK_METHOD_ML;
  {
    int8_t r3[4] = {1, 1, 3, 3};
    double t, s;
    int32_t st;
    CHECK_OK(dsk_score_batch(bank, r3, 1, 4, 4, NULL, &t, &s, &st, &opts));
    CHECK(st == DSK_EST_AT_UPPER_BOUND);
    CHECK(t == 4.0);
  }

  /* a bad category fails the call, names row and item, and writes nothing */
  {
    int8_t bad[2 * 4] = {1, 0, 2, 3, 1, 0, 4, 3}; /* p1 has categories 0..3 */
    double t[2] = {-7, -7}, s[2] = {-7, -7};
    CHECK(dsk_score_batch(bank, bad, 2, 4, 4, NULL, t, s, NULL, &opts) == DSK_EINVALID);
    CHECK_CONTAINS(dsk_last_error_message(), "row 2");
    CHECK_CONTAINS(dsk_last_error_message(), "item 'p1'");
    CHECK(t[0] == -7 && t[1] == -7 && s[0] == -7);
    bad[6] = -2;
    CHECK(dsk_score_batch(bank, bad, 2, 4, 4, NULL, t, s, NULL, &opts) == DSK_EINVALID);
  }
  /* bad options */
  {
    double t, s;
    int8_t r[1] = {1};
    opts.version = 0;
    CHECK(dsk_score_batch(bank, r, 1, 1, 1, NULL, &t, &s, NULL, &opts) == DSK_EINVALID);
    CHECK_CONTAINS(dsk_last_error_message(), "version");
    opts.version = DSK_SCORE_OPTIONS_VERSION;
    opts.method = 42;
    CHECK(dsk_score_batch(bank, r, 1, 1, 1, NULL, &t, &s, NULL, &opts) == DSK_EINVALID);
    opts.method = DSK_METHOD_EAP;
    opts.prior_sd = -1.0;
    CHECK(dsk_score_batch(bank, r, 1, 1, 1, NULL, &t, &s, NULL, &opts) == DSK_EINVALID);
    {
      int8_t r4[4] = {1, 0, -1, -1};
      CHECK(dsk_score_batch(bank, r4, 1, 4, 0, NULL, &t, &s, NULL, NULL) == DSK_OK); /* one row: stride unused */
      CHECK(dsk_score_batch(bank, r4, 2, 4, 0, NULL, &t, &s, NULL, NULL) == DSK_EINVALID);
    }
    /* no column map and a matrix narrower than the bank: refused, naming both widths (it was
       scored as the bank's first items) */
    CHECK(dsk_score_batch(bank, r, 1, 1, 1, NULL, &t, &s, NULL, NULL) == DSK_EINVALID);
    CHECK_CONTAINS(dsk_last_error_message(), "1 columns");
    CHECK_CONTAINS(dsk_last_error_message(), "4 items");
  }
  /* the prior defaults to the bank's calibrated latent distribution (PCM, latent SD 1.7) */
  {
    static const char pcm[] =
        "dskill: 1\nbank:\n  id: pcm-latent\n  scale: {D: 1.0}\n"
        "  meta: {calibration: {latent: [{mean: 0, sd: 1.7, persons: 100}], rasch_latent_sd: 1.7}}\n"
        "items:\n  - {id: p1, model: pcm, params: {b: [-1.2, 0.3]}}\n"
        "  - {id: p2, model: pcm, params: {b: [-0.4, 0.5, 1.4]}}\n";
    dsk_bank* pb = NULL;
    int8_t x[2] = {2, 3};
    double t0, s0, t1, s1, t2, s2, t3, s3;
    dsk_score_options o = DSK_SCORE_OPTIONS_INIT;
    CHECK_OK(dsk_bank_parse(&pb, pcm, sizeof pcm - 1, "pcm.yaml", NULL));
    CHECK_OK(dsk_score_batch(pb, x, 1, 2, 2, NULL, &t0, &s0, NULL, NULL));
    CHECK_OK(dsk_score_batch(pb, x, 1, 2, 2, NULL, &t1, &s1, NULL, &o)); /* INIT: prior_sd 0 = the bank's */
    o.prior_sd = 1.7;
    CHECK_OK(dsk_score_batch(pb, x, 1, 2, 2, NULL, &t2, &s2, NULL, &o));
    o.prior_sd = 1.0; /* an explicit prior overrides */
    CHECK_OK(dsk_score_batch(pb, x, 1, 2, 2, NULL, &t3, &s3, NULL, &o));
    CHECK(t0 == t1 && s0 == s1 && t0 == t2 && s0 == s2);
    CHECK(t0 - t3 > 0.1);
    dsk_bank_free(pb);
  }
  /* the dsk_estimate error path: unknown item index */
  {
    uint32_t items[1] = {7};
    int32_t cats[1] = {1};
    double t;
    CHECK(dsk_estimate(bank, items, cats, 1, NULL, &t, NULL, NULL) == DSK_EINVALID);
    CHECK_CONTAINS(dsk_last_error_message(), "outside the bank");
  }
  /* a grid of two billion points is refused, not allocated (the CLI's limit holds here too) */
  {
    dsk_score_options huge = DSK_SCORE_OPTIONS_INIT;
    uint32_t items[1] = {0};
    int32_t cats[1] = {1};
    double t;
    huge.grid_points = 2000000000;
    CHECK(dsk_estimate(bank, items, cats, 1, &huge, &t, NULL, NULL) == DSK_EINVALID);
    CHECK_CONTAINS(dsk_last_error_message(), "1000000");
  }
  dsk_bank_free(bank);
}

static void test_threads_identical(void) {
  dsk_bank* bank = NULL;
  const size_t persons = 20000, items = 30;
  int8_t* resp;
  uint32_t cols[30]; /* the bank's first 30 items */
  double *t1, *s1, *t2, *s2;
  size_t p, j, nitems;
  dsk_score_options opts = DSK_SCORE_OPTIONS_INIT;
  unsigned long long state = 12345;
  int m;
  CHECK_OK(dsk_bank_load(&bank, BANK_CORE, NULL));
  nitems = dsk_bank_size(bank);
  CHECK(nitems >= items);
  resp = (int8_t*)malloc(persons * items);
  for (j = 0; j < items; ++j) cols[j] = (uint32_t)j;
  t1 = (double*)malloc(persons * sizeof(double));
  s1 = (double*)malloc(persons * sizeof(double));
  t2 = (double*)malloc(persons * sizeof(double));
  s2 = (double*)malloc(persons * sizeof(double));
  for (p = 0; p < persons; ++p)
    for (j = 0; j < items; ++j) {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      resp[p * items + j] = (int8_t)((state >> 33) % 3) - 1; /* -1, 0, 1 */
      if (dsk_bank_item_categories(bank, j) != 2 && resp[p * items + j] < 0) resp[p * items + j] = 0;
    }
  for (m = DSK_METHOD_EAP; m <= DSK_METHOD_WLE; ++m) {
    opts.method = m;
    opts.threads = 1;
    CHECK_OK(dsk_score_batch(bank, resp, persons, items, items, cols, t1, s1, NULL, &opts));
    opts.threads = 3;
    CHECK_OK(dsk_score_batch(bank, resp, persons, items, items, cols, t2, s2, NULL, &opts));
    CHECK(memcmp(t1, t2, persons * sizeof(double)) == 0);
    CHECK(memcmp(s1, s2, persons * sizeof(double)) == 0);
  }
  free(resp);
  free(t1);
  free(s1);
  free(t2);
  free(s2);
  dsk_bank_free(bank);
}

static void test_sessions(void) {
  dsk_bank* bank = NULL;
  dsk_bank* other = NULL;
  dsk_test_spec* spec = NULL;
  dsk_session* s = NULL;
  dsk_session* r = NULL;
  unsigned char* snap = NULL;
  size_t len = 0, len2 = 0;
  int64_t item = -2, item_restored = -2, first = -1;
  int counted = -1, steps = 0, rc;
  double theta = 0, se = 0, theta_r = 0, se_r = 0;

  rc = dsk_test_spec_default(&spec);
  CHECK_OK(rc);
  CHECK_OK(dsk_bank_load(&bank, BANK_CORE, NULL));
  CHECK_OK(dsk_session_new(&s, bank, spec, 42));
  CHECK(dsk_session_new(&r, NULL, spec, 42) == DSK_EINVALID);
  CHECK(r == NULL);

  /* answer six items: correct when the index is even */
  for (steps = 0; steps < 6; ++steps) {
    CHECK_OK(dsk_session_next_item(s, &item));
    CHECK(item >= 0);
    if (item < 0) break;
    if (steps == 0) first = item;
    CHECK_OK(dsk_session_record_response(s, item, (int)(item % 2 == 0), &counted));
    CHECK(counted == 1);
  }
  CHECK(dsk_session_answered(s) == 6);
  /* the same answer again does not count twice; a different one is refused */
  CHECK_OK(dsk_session_record_response(s, first, (int)(first % 2 == 0), &counted));
  CHECK(counted == 0);
  CHECK(dsk_session_record_response(s, first, (int)(first % 2 != 0), &counted) == DSK_ESTATE);
  CHECK_CONTAINS(dsk_last_error_message(), "[dskill.state_error.E008]");
  CHECK(dsk_session_answered(s) == 6);
  /* an item that was not offered */
  CHECK_OK(dsk_session_next_item(s, &item));
  {
    int64_t wrong = (item + 1) % (int64_t)dsk_bank_size(bank);
    CHECK(dsk_session_record_response(s, wrong, 0, NULL) == DSK_ESTATE);
    CHECK_CONTAINS(dsk_last_error_message(), "was not offered");
    CHECK(dsk_session_record_response(s, -5, 0, NULL) == DSK_EINVALID);
    CHECK(dsk_session_record_response(s, item, 9, NULL) == DSK_EINVALID);
    CHECK(dsk_session_record_response_id(s, "no-such-item", 0, NULL) == DSK_EINVALID);
  }
  CHECK_OK(dsk_session_estimate(s, &theta, &se));
  CHECK(se > 0 && se < 1);

  /* snapshot: size query, too small, then the bytes */
  CHECK_OK(dsk_session_snapshot(s, NULL, 0, &len));
  CHECK(len > 16);
  snap = (unsigned char*)malloc(len);
  CHECK(dsk_session_snapshot(s, snap, len - 1, &len2) == DSK_EINVALID);
  CHECK(len2 == len);
  CHECK_OK(dsk_session_snapshot(s, snap, len, &len2));

  /* restore gives the same state and the same next item (with and without the spec) */
  CHECK_OK(dsk_session_restore(&r, bank, spec, snap, len));
  CHECK_OK(dsk_session_estimate(r, &theta_r, &se_r));
  CHECK(theta_r == theta && se_r == se);
  CHECK(dsk_session_answered(r) == 6);
  CHECK_OK(dsk_session_next_item(r, &item_restored));
  CHECK(item_restored == item);
  dsk_session_free(r);
  r = NULL;
  CHECK_OK(dsk_session_restore(&r, bank, NULL, snap, len));
  CHECK_OK(dsk_session_next_item(r, &item_restored));
  CHECK(item_restored == item);
  dsk_session_free(r);
  r = NULL;

  /* a corrupted snapshot is refused, nothing is created */
  snap[len / 2] ^= 0x5a;
  r = (dsk_session*)0x1;
  CHECK(dsk_session_restore(&r, bank, NULL, snap, len) == DSK_ESERIALIZATION);
  CHECK(r == NULL);
  CHECK_CONTAINS(dsk_last_error_message(), "[dskill.serialization_error.E006]");
  snap[len / 2] ^= 0x5a;
  /* truncated */
  CHECK(dsk_session_restore(&r, bank, NULL, snap, len - 3) == DSK_ESERIALIZATION);
  CHECK(dsk_session_restore(&r, bank, NULL, snap, 0) == DSK_ESERIALIZATION);
  CHECK(dsk_session_restore(&r, bank, NULL, NULL, 0) == DSK_ESERIALIZATION);
  /* another bank */
  CHECK_OK(dsk_bank_load(&other, BANK_EXAMPLE, NULL));
  CHECK(dsk_session_restore(&r, other, NULL, snap, len) == DSK_ESERIALIZATION);
  CHECK_CONTAINS(dsk_last_error_message(), "bank");
  CHECK(r == NULL);

  /* sealed under a server key: restores with that key only; the unsealed bytes are refused */
  {
    unsigned char key[32], other_key[32];
    unsigned char* sealed;
    size_t slen = 0, k;
    for (k = 0; k < 32; ++k) {
      key[k] = (unsigned char)(k * 7 + 1);
      other_key[k] = (unsigned char)(k * 7 + 2);
    }
    CHECK_OK(dsk_session_snapshot_sealed(s, key, NULL, 0, &slen));
    CHECK(slen > len);
    sealed = (unsigned char*)malloc(slen);
    CHECK_OK(dsk_session_snapshot_sealed(s, key, sealed, slen, &slen));
    CHECK_OK(dsk_session_restore_sealed(&r, bank, spec, key, sealed, slen));
    CHECK_OK(dsk_session_next_item(r, &item_restored));
    CHECK(item_restored == item);
    dsk_session_free(r);
    r = NULL;
    CHECK(dsk_session_restore_sealed(&r, bank, NULL, other_key, sealed, slen) == DSK_ESERIALIZATION);
    CHECK_CONTAINS(dsk_last_error_message(), "another key");
    CHECK(dsk_session_restore_sealed(&r, bank, NULL, key, snap, len) == DSK_ESERIALIZATION);
    CHECK_CONTAINS(dsk_last_error_message(), "not a sealed box");
    sealed[slen - 5] ^= 0x01;
    CHECK(dsk_session_restore_sealed(&r, bank, NULL, key, sealed, slen) == DSK_ESERIALIZATION);
    CHECK(r == NULL);
    CHECK(dsk_session_restore_sealed(&r, bank, NULL, NULL, sealed, slen) == DSK_EINVALID);
    free(sealed);
  }

  /* run the test to its end */
  for (;;) {
    CHECK_OK(dsk_session_next_item(s, &item));
    if (item < 0) break;
    CHECK_OK(dsk_session_record_response_id(s, dsk_bank_item_id(bank, (size_t)item), 1, NULL));
  }
  CHECK(dsk_session_finish_reason(s) != DSK_FINISH_NOT_FINISHED);

  free(snap);
  dsk_session_free(s);
  dsk_bank_free(other);
  dsk_bank_free(bank);
  dsk_test_spec_free(spec);

  /* a specification with a syntax error */
  {
    static const char text[] = "dskill: 1\nstopping: {max_items: [\n";
    CHECK(dsk_test_spec_parse(&spec, text, sizeof text - 1, "spec.yaml") == DSK_EPARSE);
    CHECK(spec == NULL);
    CHECK_CONTAINS(dsk_last_error_message(), "spec.yaml");
    CHECK(dsk_test_spec_load(&spec, "/nonexistent/spec.yaml") == DSK_EIO);
  }
}

/* An item chosen outside the engine: pending like the engine's own, checked, kept by snapshots. */
static void test_administer(void) {
  dsk_bank* bank = NULL;
  dsk_test_spec* spec = NULL;
  dsk_session* s = NULL;
  dsk_session* r = NULL;
  unsigned char* snap = NULL;
  size_t len = 0;
  int64_t item = -1, item_r = -1;
  int fresh = -1;
  double theta = 0, theta_r = 1;

  CHECK_OK(dsk_bank_load(&bank, BANK_CORE, NULL));
  CHECK_OK(dsk_test_spec_default(&spec));
  CHECK_OK(dsk_session_new(&s, bank, spec, 5));
  CHECK_OK(dsk_session_administer_id(s, "dc-1.2-003", 0, &fresh));
  CHECK(fresh == 1);
  CHECK_OK(dsk_session_administer_id(s, "dc-1.2-003", 0, &fresh));
  CHECK(fresh == 0);
  CHECK_OK(dsk_session_next_item(s, &item));
  CHECK(item == 10); /* dc-1.2-003 */
  CHECK(dsk_session_administer(s, 11, 0, NULL) == DSK_ESTATE); /* another item is pending */
  CHECK_OK(dsk_session_record_response(s, item, 1, NULL));
  CHECK(dsk_session_administer(s, 10, 0, NULL) == DSK_ESTATE);        /* answered */
  CHECK(dsk_session_administer_id(s, "dc-1.2-005", 0, NULL) == DSK_ESTATE); /* its enemy */
  CHECK_CONTAINS(dsk_last_error_message(), "enemy");
  CHECK(dsk_session_administer(s, -1, 0, NULL) == DSK_EINVALID);
  CHECK(dsk_session_administer(s, 100000, 0, NULL) == DSK_EINVALID);
  CHECK(dsk_session_administer_id(s, "no-such-item", 0, NULL) == DSK_EINVALID);
  CHECK(dsk_session_administer(NULL, 1, 0, NULL) != DSK_OK);
  CHECK_OK(dsk_session_administer_id(s, "dc-1.2-005", 1, &fresh)); /* overridden */
  CHECK(fresh == 1);
  CHECK_OK(dsk_session_snapshot(s, NULL, 0, &len));
  snap = (unsigned char*)malloc(len);
  CHECK(snap != NULL);
  if (snap) {
    CHECK_OK(dsk_session_snapshot(s, snap, len, &len));
    CHECK_OK(dsk_session_restore(&r, bank, spec, snap, len));
    CHECK_OK(dsk_session_next_item(r, &item_r));
    CHECK(item_r == 12); /* dc-1.2-005 stays pending after restore */
    CHECK_OK(dsk_session_record_response(s, 12, 0, NULL));
    CHECK_OK(dsk_session_record_response(r, 12, 0, NULL));
    CHECK_OK(dsk_session_estimate(s, &theta, NULL));
    CHECK_OK(dsk_session_estimate(r, &theta_r, NULL));
    CHECK(theta == theta_r);
    CHECK(dsk_session_answered(r) == 2);
  }
  free(snap);
  dsk_session_free(r);
  dsk_session_free(s);
  dsk_test_spec_free(spec);
  dsk_bank_free(bank);
}

/* The whole file in a malloc'ed, NUL-terminated buffer (NULL when it cannot be read). */
static char* slurp(const char* path, size_t* len) {
  FILE* f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  const long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char* text = (char*)malloc((size_t)n + 1);
  if (text && fread(text, 1, (size_t)n, f) != (size_t)n) {
    free(text);
    text = NULL;
  }
  fclose(f);
  if (text) text[n] = '\0';
  *len = (size_t)n;
  return text;
}

static void test_verify_credential(void) {
  size_t len = 0, list_len = 0, need = 0;
  char* cred = slurp(DSKILL_SOURCE_DIR "/tests/data/credentials/digcomp_jcs.json", &len);
  char* list = slurp(DSKILL_SOURCE_DIR "/tests/data/credentials/digcomp_jcs_status.json", &list_len);
  CHECK(cred != NULL && list != NULL);
  if (!cred || !list) return;
  int valid = -1;
  char reason[256];
  dsk_verify_options o = DSK_VERIFY_OPTIONS_INIT;
  const char* lists[] = {list};
  o.status_lists = lists;
  o.n_status_lists = 1;
  o.require_status = 1;
  o.now = "2027-01-01T00:00:00Z";
  CHECK_OK(dsk_verify_credential(cred, len, &o, &valid, reason, sizeof reason, &need));
  CHECK(valid == 1);
  CHECK(strcmp(reason, "") == 0 && need == 1);
  /* before validFrom, after validUntil, without the status list, another issuer */
  o.now = "2026-11-30T00:00:00Z";
  CHECK_OK(dsk_verify_credential(cred, len, &o, &valid, reason, sizeof reason, &need));
  CHECK(valid == 0);
  CHECK_CONTAINS(reason, "not yet valid");
  o.now = "2037-01-01T00:00:00Z";
  CHECK_OK(dsk_verify_credential(cred, len, &o, &valid, reason, sizeof reason, &need));
  CHECK_CONTAINS(reason, "expired");
  o.now = "2027-01-01T00:00:00Z";
  o.n_status_lists = 0;
  CHECK_OK(dsk_verify_credential(cred, len, &o, &valid, reason, sizeof reason, &need));
  CHECK(valid == 0);
  CHECK_CONTAINS(reason, "status not checked");
  o.require_status = 0;
  CHECK_OK(dsk_verify_credential(cred, len, &o, &valid, NULL, 0, &need));
  CHECK(valid == 1);
  o.issuer = "did:key:z6MkSomeoneElse";
  CHECK_OK(dsk_verify_credential(cred, len, &o, &valid, reason, sizeof reason, &need));
  CHECK(valid == 0);
  CHECK_CONTAINS(reason, "issued by");
  o.issuer = NULL;
  /* one changed character: the level name the person is shown */
  char* at = strstr(cred, "\"value\":\"");
  CHECK(at != NULL);
  if (at) at[9] = at[9] == 'X' ? 'Y' : 'X';
  CHECK_OK(dsk_verify_credential(cred, len, &o, &valid, reason, sizeof reason, &need));
  CHECK(valid == 0);
  CHECK_CONTAINS(reason, "signature does not verify");
  /* not JSON, a small buffer, a bad options version */
  CHECK_OK(dsk_verify_credential("{", 1, NULL, &valid, reason, sizeof reason, &need));
  CHECK(valid == 0);
  CHECK(dsk_verify_credential("{", 1, NULL, &valid, reason, 2, &need) == DSK_EINVALID);
  o.version = 99;
  CHECK(dsk_verify_credential(cred, len, &o, &valid, NULL, 0, &need) == DSK_EINVALID);
  CHECK(dsk_verify_credential(cred, len, NULL, NULL, NULL, 0, &need) == DSK_EINVALID);
  free(cred);
  free(list);
}

/* A profile bank: the estimate as a vector with its covariance, and the levels per area. */
static void test_profile_sessions(void) {
  static const char yaml[] = "dskill: 1\n"
                             "selection: {rule: dp_optimal}\n"
                             "estimation: {method: map}\n"
                             "stopping: {max_items: 3, classification: {method: ci, cuts: [0]}}\n";
  dsk_bank* bank = NULL;
  dsk_test_spec* spec = NULL;
  dsk_session* s = NULL;
  int64_t item = -2;
  double theta[2] = {0, 0}, cov[4] = {0, 0, 0, 0}, se[2] = {0, 0};
  uint32_t dims[2] = {9, 9};
  int32_t levels[2] = {9, 9}, decided[2] = {9, 9};
  CHECK_OK(dsk_bank_load(&bank, DSKILL_SOURCE_DIR "/tests/data/banks/profile.yaml", NULL));
  CHECK_OK(dsk_test_spec_parse(&spec, yaml, sizeof yaml - 1, "profile-spec"));
  CHECK_OK(dsk_session_new(&s, bank, spec, 1));
  CHECK(dsk_session_dimensions(s) == 2);
  CHECK(dsk_session_dimensions(NULL) == 0);
  /* Before any answer: the bank's latent prior (mean 0.1, -0.2; correlation 0.6). */
  CHECK_OK(dsk_session_profile(s, 2, theta, cov, se));
  CHECK(fabs(theta[0] - 0.1) < 1e-12 && fabs(theta[1] + 0.2) < 1e-12);
  CHECK(fabs(cov[1] - 0.6) < 1e-12 && fabs(cov[2] - 0.6) < 1e-12 && fabs(se[0] - 1.0) < 1e-12);
  CHECK(dsk_session_profile(s, 3, theta, NULL, NULL) == DSK_EINVALID);
  while (dsk_session_next_item(s, &item) == DSK_OK && item >= 0) CHECK_OK(dsk_session_record_response(s, item, 1, NULL));
  CHECK(dsk_session_answered(s) == 3);
  CHECK_OK(dsk_session_profile(s, 2, theta, cov, se));
  CHECK(fabs(theta[0] - 0.1) > 1e-6 && fabs(theta[1] + 0.2) > 1e-6); /* moved off the prior mean */
  CHECK(se[0] < 1.0 && se[1] < 1.0 && fabs(cov[1] - cov[2]) < 1e-12);
  CHECK(dsk_session_area_count(s) == 2);
  CHECK_OK(dsk_session_area_levels(s, 2, dims, levels, decided));
  CHECK(dims[0] == 0 && dims[1] == 1);
  CHECK(decided[0] == 0 || decided[0] == 1);
  CHECK(decided[0] ? levels[0] >= 0 : levels[0] == -1);
  CHECK(dsk_session_area_levels(s, 1, dims, levels, decided) == DSK_EINVALID);
  dsk_session_free(s);
  dsk_test_spec_free(spec);
  dsk_bank_free(bank);
}

int main(void) {
  test_version();
  test_null_handles();
  test_bad_files();
  test_validation();
  test_bank_and_scoring();
  test_threads_identical();
  test_sessions();
  test_profile_sessions();
  test_administer();
  test_verify_credential();
  if (failures) {
    fprintf(stderr, "%d of %d checks failed\n", failures, checks);
    return 1;
  }
  printf("all %d checks passed\n", checks);
  return 0;
}
