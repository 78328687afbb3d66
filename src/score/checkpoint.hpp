// Internal to dskill::score: the checkpoint of a batch run (`<out>.checkpoint.json`).
//
// A checkpoint is written atomically after the outputs have been flushed and synced; it holds
// the rows done, the byte sizes of the outputs at that moment, the running counts of the
// summary, and a fingerprint of the command (bank, framework, input file, options, output
// paths), so that only the same command resumes from it.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "dskill/score/batch.hpp"

DSKILL_BEGIN_NAMESPACE
namespace score::detail {

/// What a run needs to carry on where a checkpoint left it.
struct checkpoint {
  std::uint64_t rows_done = 0;
  std::uint64_t out_bytes = 0;
  std::optional<std::uint64_t> rejects_bytes;  ///< empty: rejects go to stderr
  std::optional<std::uint64_t> bundle_bytes;   ///< of the current shard; empty: no credential bundle
  std::uint64_t bundle_shard = 0;              ///< the shard being written
  std::string issued_at;
  /// Names the run's identity secret (identity_key_id), never the secret itself: a resumed run
  /// must be given (or derive) the same one.
  std::string identity_key_id;
};

/// "sha256:<hex>" over everything that must match for a run to resume another's checkpoint.
std::string command_fingerprint(const scorer& s, const batch_options& o, const std::string& rejects_path);

/// Reads the checkpoint at `path` and the counts it holds into `sum` (areas sized already).
/// Throws state_error when it is unreadable, damaged or belongs to another command.
checkpoint read_checkpoint(const std::string& path, const std::string& fingerprint, batch_summary& sum);

/// Writes the checkpoint atomically (the outputs must have been synced first).
void write_checkpoint(const std::string& path, const std::string& fingerprint, const checkpoint& c,
                      const batch_summary& sum);

}  // namespace score::detail
DSKILL_END_NAMESPACE
