// Every dskill::errc maps to the C status -code, with its name, and the C API reports the C++
// message unchanged.
#include <cstdio>
#include <cstring>
#include <string>

#include "dskill/c/dskill.h"
#include "dskill/error.hpp"

int main() {
  using dskill::errc;
  struct pair {
    errc code;
    int status;
  };
  const pair table[] = {
      {errc::ok, DSK_OK},
      {errc::invalid_argument, DSK_EINVALID},
      {errc::parse_error, DSK_EPARSE},
      {errc::bank_error, DSK_EBANK},
      {errc::framework_error, DSK_EFRAMEWORK},
      {errc::no_items_available, DSK_ENOITEMS},
      {errc::serialization_error, DSK_ESERIALIZATION},
      {errc::io_error, DSK_EIO},
      {errc::state_error, DSK_ESTATE},
      {errc::not_supported, DSK_ENOTSUP},
      {errc::internal, DSK_EINTERNAL},
  };
  int failures = 0;
  for (const auto& p : table) {
    if (-static_cast<int>(p.code) != p.status) {
      std::fprintf(stderr, "errc %d != -status %d\n", static_cast<int>(p.code), p.status);
      ++failures;
    }
    if (std::string(dsk_status_name(p.status)) != dskill::to_string(p.code)) {
      std::fprintf(stderr, "name of %d: %s vs %s\n", p.status, dsk_status_name(p.status),
                   std::string(dskill::to_string(p.code)).c_str());
      ++failures;
    }
  }
  // The message of a failing call is the C++ error's what(), location included.
  dsk_bank* bank = nullptr;
  const char text[] = "dskill: 1\nbank:\n  id: x\nitems:\n  - id: q\n    model: 9pl\n    params: {a: 1, b: 0}\n";
  const int rc = dsk_bank_parse(&bank, text, sizeof text - 1, "x.yaml", nullptr);
  if (rc >= 0 || std::strncmp(dsk_last_error_message(), "[dskill.", 8) != 0 ||
      std::strstr(dsk_last_error_message(), "x.yaml:6:") == nullptr) {
    std::fprintf(stderr, "unexpected: %d %s\n", rc, dsk_last_error_message());
    ++failures;
  }
  std::printf("%s\n", failures ? "FAILED" : "errc round trip ok");
  return failures ? 1 : 0;
}
