// dskill::cat: the record of one adaptive test, as plain data.
//
// A session keeps, besides its answers and estimates, what it needs to be replayed item by item
// (replay.hpp): how each item came to be given, and the exposure state that each engine step
// read from the tracker shared by all sessions. session::record() gives it, snapshots store it
// (read_snapshot / write_snapshot work on it directly), replay() reads it.
//
// What is live: of the built-in rules only progressive-restricted exposure control reads shared
// counts (the items whose exposure rate has reached exposure.restricted_max are left out).
// Blending, randomesque, content balancing and Sympson-Hetter's lottery draw from the session's
// own RNG, and Sympson-Hetter's k_i are fixed when the engine is built (the record keeps their
// hash). A user rule that reads engine::exposure() itself cannot be replayed.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dskill/cat/rng.hpp"
#include "dskill/cat/rules.hpp"
#include "dskill/core/seal.hpp"
#include "dskill/estimate/estimate.hpp"

DSKILL_BEGIN_NAMESPACE
namespace cat {

/// One answered item with the estimate after it.
struct history_entry {
  std::uint32_t item = 0;
  std::int32_t category = 0;
  double theta = 0.0;
  double se = 0.0;
  friend bool operator==(const history_entry&, const history_entry&) = default;
};

/// How an item came to be given.
enum class item_origin : std::uint8_t {
  engine,                 ///< chosen by the engine (session::next_item)
  administered,           ///< chosen outside the engine (session::administer)
  administered_override,  ///< chosen outside the engine past the constraints (administer(item, true))
};
std::string_view to_string(item_origin o) noexcept;

/// The progressive-restricted exposure state each engine step of a session read: the usable items
/// whose live exposure rate had reached exposure.restricted_max when the step began. An engine
/// step is each next_item() that asks the engine (one per item it chose, and the one that ended
/// the test). Each step is stored as the items that entered or left the set since the step
/// before (the first against the empty set): rates move slowly, so a step costs a few numbers.
/// Empty when the specification has no progressive-restricted control.
class exposure_log {
 public:
  exposure_log() = default;
  /// A log from its stored parts: `counts[k]` of `changes` belong to recorded step k, each step's
  /// items increasing and below `items`; `unrecorded` steps came before the log began (a session
  /// restored from a format-1 snapshot, which kept no exposure state). Throws invalid_argument
  /// when the parts do not fit together.
  static exposure_log from_parts(std::uint32_t unrecorded, std::vector<std::uint32_t> counts,
                                 std::vector<std::uint32_t> changes, std::size_t items);

  /// Engine steps, the unrecorded ones included.
  std::size_t steps() const noexcept { return unrecorded_ + counts_.size(); }
  /// Steps whose state is unknown (they come first).
  std::uint32_t unrecorded() const noexcept { return unrecorded_; }
  std::span<const std::uint32_t> counts() const noexcept { return counts_; }
  std::span<const std::uint32_t> changes() const noexcept { return changes_; }
  /// The items that entered or left the set at step `step` (unrecorded() <= step < steps()).
  std::span<const std::uint32_t> changes_at(std::size_t step) const;
  /// The set that step `step` read (unrecorded() <= step < steps()), increasing.
  std::vector<std::uint32_t> at(std::size_t step) const;
  /// The set of the last step (empty before any), increasing.
  std::span<const std::uint32_t> last() const noexcept { return last_; }

  /// Appends a step that read `over_exposed` (increasing).
  void append(std::span<const std::uint32_t> over_exposed);
  /// Appends `steps` steps whose state is unknown; only before any recorded step.
  void skip_unrecorded(std::size_t steps);

  friend bool operator==(const exposure_log& a, const exposure_log& b) noexcept {
    return a.unrecorded_ == b.unrecorded_ && a.counts_ == b.counts_ && a.changes_ == b.changes_;
  }

 private:
  std::uint32_t unrecorded_ = 0;
  std::vector<std::uint32_t> counts_, changes_;
  std::vector<std::uint32_t> ends_;  // ends_[k] = sum of counts_[0..k]
  std::vector<std::uint32_t> last_;
};

/// Toggles `changes` (increasing) in the increasing set `set`: what exposure_log stores per step.
void apply_exposure_changes(std::vector<std::uint32_t>& set, std::span<const std::uint32_t> changes);

/// Everything a session holds, as plain data: what a snapshot stores and what replay() reads.
/// Indices are bank indices.
struct session_record {
  std::string bank_fingerprint;  ///< the bank the test ran on
  std::string spec_hash;         ///< spec_hash() of the specification
  std::string spec_yaml;         ///< its canonical text (to_yaml)
  /// SHA-256 of the Sympson-Hetter k_i the engine used, when the specification has Sympson-Hetter
  /// control (empty otherwise, and in format-1 snapshots).
  std::string sympson_hetter;
  std::uint64_t seed = 0;
  rng::state_type rng_state{};           ///< the RNG now
  std::vector<history_entry> history;    ///< the answered items in order, the estimate after each
  std::vector<item_origin> origins;      ///< how each answered item was given (one per history entry)
  std::vector<std::uint32_t> set_aside;  ///< items Sympson-Hetter set aside, in order
  std::optional<std::uint32_t> pending;  ///< the item offered and not yet answered
  item_origin pending_origin = item_origin::engine;
  double theta = 0.0, se = 0.0;          ///< the estimate now
  estimate::status status = estimate::status::no_responses;
  finish_reason reason = finish_reason::not_finished;
  bool started = false;  ///< the session has counted itself in the exposure tracker
  exposure_log exposure;
};

/// A snapshot of a record (the envelope of session.hpp, format snapshot_format_version).
std::vector<std::uint8_t> write_snapshot(const session_record& record);
/// The record inside a snapshot: the envelope, checksum and payload are checked (format 1 and
/// 2 are read), not the bank (the record names its fingerprint; session::restore and replay()
/// check it). Throws serialization_error for a truncated, corrupted or unknown snapshot.
session_record read_snapshot(std::span<const std::uint8_t> bytes);
/// The plain snapshot inside one sealed under `key` (session::snapshot(key)); throws
/// serialization_error when it is not sealed, sealed with another key, or changed.
std::vector<std::uint8_t> open_sealed_snapshot(std::span<const std::uint8_t> sealed, const core::secret_key& key);

}  // namespace cat
DSKILL_END_NAMESPACE
