/* An adaptive test through the C API: load the bundled bank, run one session with simulated
 * answers, snapshot it half way and resume from the snapshot, then score a small batch.
 * Build: cc -std=c11 cat_session.c -ldskill_c -lm    Run: ./a.out item_banks/digcomp-core.yaml */
#include <dskill/c/dskill.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define TRY(call)                                                                        \
  do {                                                                                   \
    int rc_ = (call);                                                                    \
    if (rc_ != DSK_OK) {                                                                 \
      fprintf(stderr, "%s failed (%s): %s\n", #call, dsk_status_name(rc_), dsk_last_error_message()); \
      exit(1);                                                                           \
    }                                                                                    \
  } while (0)

int main(int argc, char** argv) {
  const char* path = argc > 1 ? argv[1] : "item_banks/digcomp-core.yaml";
  dsk_bank* bank = NULL;
  dsk_test_spec* spec = NULL;
  dsk_session* session = NULL;
  const double true_theta = 0.8;
  int64_t item;
  double theta, se;
  unsigned seed = 7;

  printf("dskill %s\n", dsk_version_string());
  TRY(dsk_bank_load(&bank, path, NULL));
  printf("bank %s: %zu items\n", dsk_bank_id(bank), dsk_bank_size(bank));

  TRY(dsk_test_spec_default(&spec));
  TRY(dsk_session_new(&session, bank, spec, 2024));
  for (;;) {
    TRY(dsk_session_next_item(session, &item));
    if (item < 0) break;
    /* A simulated examinee: each of the item's K-1 steps is passed with probability
     * 1 / (1 + exp(-true_theta)); the category is the number of steps passed. */
    {
      int k = dsk_bank_item_categories(bank, (size_t)item), category = 0, step;
      for (step = 1; step < k; ++step) {
        seed = seed * 1103515245u + 12345u;
        category += (double)((seed >> 16) & 0x7fff) / 32768.0 < 1.0 / (1.0 + exp(-true_theta));
      }
      TRY(dsk_session_record_response(session, item, category, NULL));
    }
    TRY(dsk_session_estimate(session, &theta, &se));
    printf("  %-10s theta %+.3f  se %.3f\n", dsk_bank_item_id(bank, (size_t)item), theta, se);

    if (dsk_session_answered(session) == 5) {
      /* Save the session as bytes (a server would store them) and carry on from a copy. */
      size_t len = 0;
      unsigned char* bytes;
      dsk_session* resumed = NULL;
      TRY(dsk_session_snapshot(session, NULL, 0, &len));
      bytes = malloc(len);
      TRY(dsk_session_snapshot(session, bytes, len, &len));
      TRY(dsk_session_restore(&resumed, bank, spec, bytes, len));
      free(bytes);
      dsk_session_free(session);
      session = resumed;
      printf("  (snapshot of %zu bytes restored)\n", len);
    }
  }
  TRY(dsk_session_estimate(session, &theta, &se));
  printf("finished after %zu items (reason %d): theta %.3f, se %.3f\n", dsk_session_answered(session),
         dsk_session_finish_reason(session), theta, se);

  {
    /* Batch scoring into caller-owned arrays: 2 persons x 3 items, -1 = not administered. */
    int8_t responses[2 * 3] = {1, 0, 1, -1, 1, 1};
    uint32_t columns[3] = {0, 1, 2}; /* the bank items of the columns (a full-width matrix needs none) */
    double thetas[2], ses[2];
    dsk_score_options opts = DSK_SCORE_OPTIONS_INIT;
    opts.method = DSK_METHOD_MAP;
    TRY(dsk_score_batch(bank, responses, 2, 3, 3, columns, thetas, ses, NULL, &opts));
    printf("batch: %.3f (%.3f), %.3f (%.3f)\n", thetas[0], ses[0], thetas[1], ses[1]);
  }

  dsk_session_free(session);
  dsk_test_spec_free(spec);
  dsk_bank_free(bank);
  return 0;
}
