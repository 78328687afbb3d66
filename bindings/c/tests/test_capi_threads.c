/* Concurrent sessions through the C API, compiled as C11 with POSIX threads: many sessions
 * over one bank and one specification (so one engine and one shared exposure tracker), run from
 * several threads at once, give exactly the items and estimates of the same sessions run one
 * after another. Built in CI under ThreadSanitizer too (scripts/test.sh), where it checks that
 * the shared engine is free of data races; the bundled specification's progressive-restricted
 * exposure control, which reads live counts, is run concurrently as well (its results depend on
 * the interleaving by design, so only completion is checked there). */
#include <dskill/c/dskill.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BANK_CORE DSKILL_SOURCE_DIR "/item_banks/digcomp-core.yaml"
#define SPEC_CORE DSKILL_SOURCE_DIR "/item_banks/specs/digcomp-cat.yaml"
#define MAX_LENGTH 64

/* Randomesque and Sympson-Hetter draw from each session's own seed: the outcome of a session
 * does not depend on what other sessions do at the same time. */
static const char spec_independent[] =
    "dskill: 1\n"
    "test: {id: threads}\n"
    "start: {rule: random_window, count: 1, window: [-1.0, 0.0]}\n"
    "selection: {rule: mfi}\n"
    "estimation: {method: eap, quadrature: \"-6:6:61\"}\n"
    "exposure: {randomesque: 3}\n"
    "stopping: {max_items: 20, se: 0.3}\n";

typedef struct {
  double theta, se;
  int length, reason;
  int64_t items[MAX_LENGTH];
} outcome;

typedef struct {
  const dsk_bank* bank;
  const dsk_test_spec* spec;
  size_t first, step, sessions;
  outcome* out;
  int failed;
} job;

static int failures = 0;

static unsigned long long mix(unsigned long long x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  return x ^ (x >> 33);
}

/* Session k answers as a person of a fixed ability would: right on item j with a probability
 * from a hash of (k, j), so the answers depend only on the session and the item. */
static int run_session(const dsk_bank* bank, const dsk_test_spec* spec, size_t k, outcome* o) {
  dsk_session* s = NULL;
  int64_t item = -1;
  memset(o, 0, sizeof *o);
  if (dsk_session_new(&s, bank, spec, 1000 + k) != DSK_OK) return 1;
  while (o->length < MAX_LENGTH) {
    int cats, answer;
    unsigned long long h;
    if (dsk_session_next_item(s, &item) != DSK_OK) break;
    if (item < 0) break;
    o->items[o->length++] = item;
    cats = dsk_bank_item_categories(bank, (size_t)item);
    h = mix((unsigned long long)k * 1000003ULL + (unsigned long long)item);
    answer = (int)(h % (unsigned long long)cats);
    if ((h >> 40) % 3 == 0) answer = cats - 1; /* a little better than chance */
    if (dsk_session_record_response(s, item, answer, NULL) != DSK_OK) break;
  }
  if (dsk_session_estimate(s, &o->theta, &o->se) != DSK_OK) o->theta = -99;
  o->reason = dsk_session_finish_reason(s);
  dsk_session_free(s);
  return item >= 0;
}

static void* worker(void* arg) {
  job* j = (job*)arg;
  size_t k;
  for (k = j->first; k < j->sessions; k += j->step)
    if (run_session(j->bank, j->spec, k, &j->out[k])) j->failed = 1;
  return NULL;
}

static void run_concurrently(const dsk_bank* bank, const dsk_test_spec* spec, size_t sessions, int threads,
                             outcome* out) {
  pthread_t tid[16];
  job jobs[16];
  int t;
  for (t = 0; t < threads; ++t) {
    jobs[t].bank = bank;
    jobs[t].spec = spec;
    jobs[t].first = (size_t)t;
    jobs[t].step = (size_t)threads;
    jobs[t].sessions = sessions;
    jobs[t].out = out;
    jobs[t].failed = 0;
    if (pthread_create(&tid[t], NULL, worker, &jobs[t]) != 0) {
      fprintf(stderr, "pthread_create failed\n");
      exit(2);
    }
  }
  for (t = 0; t < threads; ++t) {
    pthread_join(tid[t], NULL);
    if (jobs[t].failed) {
      ++failures;
      fprintf(stderr, "thread %d: a session call failed: %s\n", t, dsk_last_error_message());
    }
  }
}

int main(int argc, char** argv) {
  const size_t sessions = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 2000;
  const int threads = 4;
  dsk_bank* bank = NULL;
  dsk_test_spec *independent = NULL, *shared = NULL;
  outcome *seq = calloc(sessions, sizeof(outcome)), *par = calloc(sessions, sizeof(outcome));
  size_t k, differ = 0;
  if (!seq || !par) return 2;
  if (dsk_bank_load(&bank, BANK_CORE, NULL) != DSK_OK ||
      dsk_test_spec_parse(&independent, spec_independent, sizeof spec_independent - 1, "threads.yaml") != DSK_OK ||
      dsk_test_spec_load(&shared, SPEC_CORE) != DSK_OK) {
    fprintf(stderr, "setup: %s\n", dsk_last_error_message());
    return 2;
  }
  for (k = 0; k < sessions; ++k)
    if (run_session(bank, independent, k, &seq[k])) {
      fprintf(stderr, "sequential session %zu failed: %s\n", k, dsk_last_error_message());
      ++failures;
    }
  run_concurrently(bank, independent, sessions, threads, par);
  for (k = 0; k < sessions; ++k)
    if (memcmp(&seq[k], &par[k], sizeof(outcome)) != 0) {
      if (differ++ < 5) fprintf(stderr, "session %zu differs between the sequential and the concurrent run\n", k);
    }
  if (differ) {
    fprintf(stderr, "%zu of %zu sessions differ\n", differ, sessions);
    ++failures;
  }
  for (k = 0; k < sessions; ++k)
    if (seq[k].length < 1 || seq[k].reason == DSK_FINISH_NOT_FINISHED) {
      fprintf(stderr, "session %zu did not finish (length %d)\n", k, seq[k].length);
      ++failures;
      break;
    }
  /* Live exposure counts shared by every thread: must run clean, each session must finish. */
  memset(par, 0, sessions * sizeof(outcome));
  run_concurrently(bank, shared, sessions, threads, par);
  for (k = 0; k < sessions; ++k)
    if (par[k].length < 1 || par[k].reason == DSK_FINISH_NOT_FINISHED) {
      fprintf(stderr, "shared-exposure session %zu did not finish (length %d)\n", k, par[k].length);
      ++failures;
      break;
    }
  dsk_test_spec_free(independent);
  dsk_test_spec_free(shared);
  dsk_bank_free(bank);
  free(seq);
  free(par);
  printf("%zu sessions on %d threads: %s\n", sessions, threads, failures ? "FAILED" : "identical to the sequential run");
  return failures ? 1 : 0;
}
