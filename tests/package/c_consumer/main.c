/* Loads a bank through libdskill_c.so and estimates one pattern: the whole C API surface a C
 * program needs is <dskill/c/dskill.h>. Usage: c_consumer BANK.yaml */
#include <math.h>
#include <stdio.h>

#include <dskill/c/dskill.h>

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: c_consumer BANK.yaml\n");
    return 2;
  }
  dsk_bank* bank = NULL;
  if (dsk_bank_load(&bank, argv[1], NULL) != DSK_OK) {
    fprintf(stderr, "c_consumer: %s\n", dsk_last_error_message());
    return 1;
  }
  const uint32_t items[3] = {0, 1, 2};
  const int32_t categories[3] = {1, 0, 1};
  double theta = NAN, se = NAN;
  int32_t status = -1;
  const int rc = dsk_estimate(bank, items, categories, 3, NULL, &theta, &se, &status);
  printf("dskill %s, bank of %zu items: theta %.4f, se %.4f\n", dsk_version_string(), dsk_bank_size(bank), theta, se);
  dsk_bank_free(bank);
  return rc == DSK_OK && isfinite(theta) && se > 0 ? 0 : 1;
}
