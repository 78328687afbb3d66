// dskill::bank: reading, checking and writing item banks in YAML (schema v1, item_banks/SCHEMA.md).
//
// Loading checks everything at once: schema version, unknown keys (with a "did you mean"),
// duplicate ids, parameters valid for each model, keys among the options, scoring entries per
// category, enemies that exist and are symmetric, languages present everywhere, and, when a
// framework is given, competence ids, levels and the framework id/version. load_bank throws the
// first error (with file:line:column and item id); validate_bank_* return every diagnostic.
#pragma once
#include <cstddef>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "dskill/bank/item_bank.hpp"
#include "dskill/core/diagnostic.hpp"

DSKILL_BEGIN_NAMESPACE
namespace framework {
class framework;
}
namespace bank {

/// Options of load_bank and validate_bank_*.
struct load_options {
  /// Checks competences, levels and the framework id/version against this framework, and fills
  /// bank_item::area from it. Only used during the call (the bank keeps no pointer to it).
  const framework::framework* framework = nullptr;
  /// Stop collecting after this many diagnostics (a note then says more were left out).
  std::size_t max_diagnostics = 100;
  /// Treat warnings as errors (load_bank then refuses a bank with warnings).
  bool warnings_as_errors = false;
};

/// Reads and checks a bank file. Throws io_error if it cannot be read, parse_error for YAML
/// that is not well-formed or not shaped like a bank, bank_error for an invalid bank; the
/// exception's message names the first problem and how many more there are.
std::shared_ptr<const item_bank> load_bank(const std::string& path, const load_options& options = {});

/// As load_bank, from YAML text; `name` stands for the file name in locations.
std::shared_ptr<const item_bank> load_bank_from_string(std::string_view yaml, const load_options& options = {},
                                                       std::string_view name = "<string>");

/// Checks a bank file and returns every problem found (up to options.max_diagnostics), errors
/// and warnings, in file order. Never throws for bad input (an unreadable file is a diagnostic).
std::vector<diagnostic> validate_bank_file(const std::string& path, const framework::framework* fw = nullptr);
std::vector<diagnostic> validate_bank_file(const std::string& path, const load_options& options);
/// As validate_bank_file, from YAML text.
std::vector<diagnostic> validate_bank_string(std::string_view yaml, const load_options& options = {},
                                             std::string_view name = "<string>");

/// validate_bank_file that also returns the bank when it has no errors (nullptr otherwise):
/// one read and one parse for `dskill validate`, which reports both.
struct bank_check {
  std::vector<diagnostic> diagnostics;
  std::shared_ptr<const item_bank> bank;
};
bank_check check_bank_file(const std::string& path, const load_options& options = {});

/// Writes the bank as schema v1: parameters in difficulty form (a, b, c, d; the nominal model in
/// intercept form) with the bank's D, and every item field the bank holds. Loading the output
/// gives the same fingerprint and the same content.
void save_bank(const item_bank& bank, std::ostream& out);
/// As save_bank to a file (written to a temporary beside it, then renamed). Throws io_error.
void save_bank(const item_bank& bank, const std::string& path);
/// The bank as schema v1 YAML text.
std::string to_yaml(const item_bank& bank);

}  // namespace bank
DSKILL_END_NAMESPACE
