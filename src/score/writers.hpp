// Internal to dskill::score: what a batch run writes. Each writer formats into a buffer of
// its caller (the pipeline's parallel stage formats a chunk; the serial stage writes it), so
// the order of the outputs is the input's whatever the thread count.
//  - record_writer: one scored person as a CSV row (header: csv_header) or a JSON Lines object;
//  - rejects: one rejected record as a CSV row, or a line on stderr without a rejects file;
//  - credential_writer: a certified person's credential, as its own file or a bundle line;
//  - summary_json: the run's summary.
#pragma once
#include <string>
#include <string_view>

#include "dskill/io/response_reader.hpp"
#include "dskill/score/batch.hpp"

DSKILL_BEGIN_NAMESPACE
namespace score::detail {

class record_writer {
 public:
  /// `provenance_columns`: end every row with the bank fingerprint and the dskill version.
  record_writer(const scorer& s, output_format format, bool with_credentials, bool provenance_columns);
  /// Appends one scored record; `credential` is its credential's name or id (empty: none).
  void append(const io::session_record& rec, const person_result& r, std::string_view credential, std::string& out) const;

 private:
  void append_csv(const io::session_record& rec, const person_result& r, std::string_view credential, std::string& out) const;
  void append_jsonl(const io::session_record& rec, const person_result& r, std::string_view credential,
                    std::string& out) const;
  const scorer& scorer_;
  const level_scheme* levels_;
  bool profiled_, certified_levels_;  // profile columns; certified_level columns (min_probability rules)
  output_format format_;
  bool with_credentials_, provenance_columns_;
  std::string_view fingerprint_, version_;
};

/// The header of a rejects file.
inline constexpr std::string_view rejects_header = "row,line,person_id,reason\n";
/// Appends a rejects-file row: row,line,person_id,reason.
void append_reject(const io::session_record& rec, std::string& out);
/// Prints a reject to stderr (no rejects file): "dskill: FILE:LINE: row N: person 'P': reason".
void print_reject(const std::string& file, const io::session_record& rec);

/// Issues credentials to certified persons: one file `<uuid>.json` each in the folder, or one
/// line each of a gzip shard `credentials-<n>.jsonl.gz` (bundle mode: the pipeline compresses
/// each chunk's lines as gzip members and appends them in input order).
class credential_writer {
 public:
  /// Creates the folder. `ctx` must be prepared (prepare_credentials).
  credential_writer(const credential_context& ctx, std::string dir, bool bundle);
  /// Makes the credential of a certified person; returns what the scores file names it by (the
  /// file name, or in bundle mode the credential id, its JSON line appended to *bundle_out).
  std::string issue(std::string_view person_id, const person_result& r, std::uint64_t status_index,
                    std::string* bundle_out) const;
  bool bundle() const noexcept { return bundle_; }
  /// The path of bundle shard n.
  std::string shard_path(std::uint64_t n) const;
  /// The bundle shards in the folder (by number).
  std::vector<std::string> shard_paths() const;

 private:
  const credential_context& ctx_;
  std::string dir_;
  bool bundle_;
};

/// Counts a scored person into the summary (classification, certification).
void tally(batch_summary& sum, const level_scheme* levels, const person_result& r, bool credential_issued);

/// The summary document (what run_batch writes to opts.summary).
std::string summary_json(const scorer& s, const batch_options& o, const batch_summary& sum, const std::string& rejects_path,
                         unsigned threads);

}  // namespace score::detail
DSKILL_END_NAMESPACE
