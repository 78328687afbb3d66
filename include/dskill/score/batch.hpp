// dskill::score: batch scoring of a response file, at national scale.
//
// run_batch streams a response file (io/response_reader.hpp) through a oneTBB pipeline:
//   read (serial, in order) -> parse (parallel) -> duplicate check (serial, in order)
//   -> score, format, credentials (parallel) -> write (serial, in order)
// so outputs come in input order and are byte-identical for any thread count. Every record
// ends up either scored (a line of the output) or rejected (a line of the rejects file, with
// row, line, person id and reason); the summary's counts reconcile:
//   rows_read = persons_scored + rows_rejected.
// Memory is bounded by the pipeline's chunks in flight, plus 16 bytes per distinct person (32
// just after the table doubles) for the duplicate check: a 64-bit SipHash of the id and the row
// that first used it. `check_duplicates = false` drops that too.
//
// Resume: with an output file, a checkpoint `<out>.checkpoint.json` is written atomically
// (temp file, fsync, rename) every `checkpoint_rows` rows or `checkpoint_seconds`, after
// flushing and fsyncing the outputs. It records the rows done, the byte sizes of the outputs,
// the running counts and a fingerprint of the command (bank, framework, input file, options,
// output paths). Restarted with the same command, a run truncates the outputs to those sizes,
// re-reads the rows done without scoring them (to rebuild the duplicate check) and carries on:
// no duplicates, no gaps. A finished run deletes its checkpoint.
#pragma once
#include <atomic>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dskill/io/response_reader.hpp"
#include "dskill/score/credential.hpp"
#include "dskill/score/scorer.hpp"

DSKILL_BEGIN_NAMESPACE
namespace score {

enum class output_format : std::uint8_t { csv, jsonl };

/// How person ids appear in the scores, the rejects and the log.
enum class person_id_mode {
  automatic,  ///< pseudonym when an identity secret is given or derived from a signing key, else clear
  pseudonym,  ///< "hmac-sha256:<hex>" keyed by the identity secret (person_pseudonym)
  clear,      ///< as read (a local run with no secret)
};

struct batch_options {
  std::string responses;                         ///< input path (plain or gzip)
  io::response_format format = io::response_format::wide;
  std::string out;                               ///< scores; empty = standard output (no resume)
  output_format out_format = output_format::csv;
  std::string rejects;                           ///< empty: "<out>.rejects.csv", or stderr without out
  std::string summary;                           ///< summary JSON path; empty = none
  /// Repeat the bank fingerprint and the dskill version on every score row: the last CSV
  /// columns `bank_fingerprint,dskill_version` (JSON Lines: the last two fields). Off by
  /// default: the summary states both once (`dskill_version`, `bank.fingerprint`), where on
  /// every row they were about 80 bytes, more than the scores of a run without a framework.
  bool provenance_columns = false;
  std::string credentials_dir;                   ///< empty = no credentials
  /// false: one file per credential (`<uuid>.json`); true: gzip JSON Lines shards
  /// `credentials-00000.jsonl.gz`, ..., one credential per line in input order, shard n holding
  /// the input rows n * credentials_shard_rows + 1 onwards (a national run: millions of small
  /// files are slow to create and move).
  bool credentials_bundle = false;
  std::uint64_t credentials_shard_rows = 100000;  ///< input rows per shard (bundle mode)
  credential_options credentials;
  std::string issued_at;                         ///< validFrom; empty = now (UTC)
  /// The identity secret (credential salts, ids and pseudonyms). Empty: derived from the
  /// signing key, else random for this run. Never written anywhere.
  std::optional<std::array<unsigned char, 32>> salt_secret;
  person_id_mode person_ids = person_id_mode::automatic;
  unsigned threads = 0;                          ///< 0 = all hardware threads
  std::size_t chunk_records = 1024;
  bool resume = true;
  std::uint64_t checkpoint_rows = 200000;
  double checkpoint_seconds = 10.0;
  int progress = -1;                             ///< -1: when stderr is a terminal; 0 off; 1 on
  /// Reject a person id seen before (at most 23 bytes per distinct person). Off: memory is flat
  /// whatever the file size, for files whose ids are unique by construction.
  bool check_duplicates = true;
  std::uint64_t crash_after_rows = 0;            ///< test hook: fail once this many rows are written
  /// Set to true (from a signal handler, say) to stop: the rows written so far are kept, a
  /// checkpoint is written when checkpointing, and run_batch throws state_error saying how to
  /// resume. Checked after each chunk of rows.
  const std::atomic<bool>* stop = nullptr;
  std::string command;                           ///< the command line, for the summary
};

struct batch_summary {
  std::uint64_t rows_read = 0;
  std::uint64_t persons_scored = 0;
  std::uint64_t rows_rejected = 0;
  /// Rejected rows by kind ("non_numeric_response", "duplicate_person", "ragged_row", ...).
  std::map<std::string, std::uint64_t> rejects_by_kind;
  std::uint64_t blank_lines = 0;
  std::uint64_t lines_read = 0;
  std::uint64_t certified = 0;
  std::uint64_t credentials_issued = 0;
  bool pseudonymised = false;   ///< person ids written as pseudonyms (batch_options::person_ids)
  std::string identity_key_id;  ///< names the identity secret (identity_key_id), never reveals it
  bool resumed = false;                          ///< the run went on from a checkpoint
  std::uint64_t resumed_from_row = 0;            ///< rows the checkpoint had done (0: a fresh run, or one stopped before its first row)
  std::vector<std::string> stream_problems;      ///< whole-file problems (a cut-off gzip stream)
  classification_stats overall;
  std::vector<classification_stats> areas;
  double seconds = 0.0;
  std::string summary_json;                      ///< what was written to the summary file
  /// Every row read was scored or rejected, and the whole file was read: a stream problem (a
  /// corrupt or cut-off gzip stream) means rows may be missing, so nothing reconciles then.
  bool reconciles() const noexcept { return stream_problems.empty() && rows_read == persons_scored + rows_rejected; }
};

/// Runs the batch. Throws io_error / parse_error for whole-file problems found before any
/// row (cannot open, empty file, wrong encoding, bad header) and state_error when a checkpoint
/// belongs to another command.
batch_summary run_batch(const scorer& s, const batch_options& opts);

/// The CSV header of the scores file for this scorer (and whether credentials are written, and
/// whether rows end with `bank_fingerprint,dskill_version`: batch_options::provenance_columns).
std::string csv_header(const scorer& s, bool with_credentials, bool provenance_columns = false);

}  // namespace score
DSKILL_END_NAMESPACE
