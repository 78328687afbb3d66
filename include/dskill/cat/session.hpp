// dskill::cat: one examinee's adaptive test.
//
// A session is small: the answered items, the provisional estimate after each answer, the items
// set aside by Sympson-Hetter, the pending item and a 32-byte RNG state, over a shared engine,
// and what it needs to be replayed (record.hpp): how each item was given and the exposure state
// each engine step read. snapshot() turns it into bytes and restore() gives back an identical
// session (the same next item, the random state included). Snapshots travel in a versioned
// envelope:
//
//   "DSKSNAP\0" | format version (u32) | bank fingerprint | spec hash | Boost.Serialization
//   payload (the session record and its specification) | SHA-256 of everything before
//
// Format 2 added the items' origins, the exposure log and the Sympson-Hetter hash; format-1
// snapshots are still read (every item taken as the engine's, the exposure state as unknown).
// A truncated, corrupted or foreign-bank snapshot is refused with serialization_error before
// anything is built. The checksum is unkeyed: it catches accidents, not a client who edits
// the bytes and computes it again, and the answers are readable. Unkeyed snapshots are for
// local use (files on the server, tests, replays); whatever leaves the server is sealed
// (snapshot(key)). Either way restore() trusts only the answers: every estimate and whether the
// test is over are computed again. A session is not thread-safe itself; different sessions are.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "dskill/cat/engine.hpp"
#include "dskill/cat/record.hpp"
#include "dskill/core/seal.hpp"

DSKILL_BEGIN_NAMESPACE
namespace cat {

struct replay_result;

/// The snapshot format version written (format 1 is still read).
inline constexpr std::uint32_t snapshot_format_version = 2;

class session {
 public:
  /// A new session over a shared engine; `seed` drives every random choice of this session.
  session(std::shared_ptr<const engine> eng, std::uint64_t seed);
  /// Convenience: a session with its own engine.
  session(bank::bank_ptr bank, test_spec spec, std::uint64_t seed);

  /// The item to give next, or the end of the test with its reason. Calling it again before
  /// the answer returns the same item.
  step_result next_item();
  /// Records the answer to the pending item. The same answer to an already answered item
  /// returns false and changes nothing; a different answer to it, or an answer to an item that
  /// was not offered, throws state_error; a category outside the item's range throws
  /// invalid_argument.
  bool record_response(std::uint32_t item, int category);
  /// As above, by item id.
  bool record_response(std::string_view item_id, int category);
  /// Offers an item chosen outside the engine (a proctor's choice, an anchor item): it becomes
  /// the pending item, as if next_item() had returned it, and is answered with
  /// record_response; snapshots keep it. The item must be in the bank (invalid_argument), not
  /// answered, the test not over, and no other item pending (state_error). An item the
  /// specification would not give now (status, an enemy of an answered item, set aside by
  /// Sympson-Hetter) is refused with state_error unless `override_constraints`. Blueprint
  /// maxima are not checked. Returns false when the item is already the pending one.
  bool administer(std::uint32_t item, bool override_constraints = false);
  /// As above, by item id.
  bool administer(std::string_view item_id, bool override_constraints = false);

  /// The estimate now. Profile banks: the first dimension's theta and the largest SE (the
  /// profile itself is profile_theta() and profile_covariance()).
  double theta() const noexcept { return theta_; }
  double se() const noexcept { return se_; }
  /// The estimate now as a vector, one value per bank dimension (one for a unidimensional bank),
  /// its covariance and per-dimension SEs. Held in place (fixed maximum size): no allocation.
  const estimate::profile_vector& profile_theta() const noexcept { return ptheta_; }
  const estimate::profile_matrix& profile_covariance() const noexcept { return pcov_; }
  estimate::profile_vector profile_se() const { return pcov_.diagonal().cwiseSqrt(); }
  /// Classification of each stopping dimension (engine::stopping_dimensions) against the cuts.
  std::vector<classification> classify_areas() const;
  estimate::status estimate_status() const noexcept { return status_; }
  std::span<const history_entry> history() const noexcept { return history_; }
  std::span<const estimate::response> responses() const noexcept { return responses_; }
  std::span<const std::uint32_t> set_aside() const noexcept { return set_aside_; }
  std::optional<std::uint32_t> pending() const noexcept { return pending_; }
  /// How each answered item was given (one per history entry), and the pending one.
  std::span<const item_origin> origins() const noexcept { return origins_; }
  item_origin pending_origin() const noexcept { return pending_origin_; }
  /// The progressive-restricted exposure state each engine step read.
  const exposure_log& exposure_state() const noexcept { return exposure_; }
  /// Progressive-restricted control reads the over-exposed items (bank indices, increasing)
  /// from `over_exposed` at every step from now on, instead of the engine's live counts: counts
  /// kept elsewhere (a store shared by servers), or frozen for a group of simulated examinees so
  /// that results do not depend on the thread count. The caller keeps the items alive while the
  /// session takes steps; the steps still record what they read. An empty span is an empty set.
  void read_exposure_from(std::span<const std::uint32_t> over_exposed) noexcept {
    external_exposure_ = over_exposed;
    has_external_exposure_ = true;
  }
  bool finished() const noexcept { return reason_ != finish_reason::not_finished; }
  finish_reason reason() const noexcept { return reason_; }
  /// Classification against the specification's cuts.
  classification classify() const;
  const engine& get_engine() const noexcept { return *engine_; }
  const std::shared_ptr<const engine>& engine_ptr() const noexcept { return engine_; }
  std::uint64_t seed() const noexcept { return seed_; }
  const rng& random_state() const noexcept { return rng_; }

  /// The session as plain data (what snapshots store and replay reads).
  session_record record() const;
  /// The session as bytes (see the envelope above): write_snapshot(record()). UNKEYED: readable,
  /// and changeable by whoever recomputes the checksum; for local use only (see snapshot(key)).
  std::vector<std::uint8_t> snapshot() const;
  /// A session from a snapshot, with a new engine built from the specification inside it; the
  /// estimates and the end of the test are recomputed from the answers, never read.
  /// Throws serialization_error for a truncated, corrupted or foreign-bank snapshot.
  static session restore(bank::bank_ptr bank, std::span<const std::uint8_t> bytes);
  /// A session from a snapshot over an existing engine (sharing its exposure tracker). The
  /// snapshot's bank fingerprint and specification hash must match the engine's.
  static session restore(std::shared_ptr<const engine> eng, std::span<const std::uint8_t> bytes);
  /// A session from a record over an existing engine, with the checks of restore (bank, spec
  /// hash, every index and category, the exposure log against the items given); throws
  /// serialization_error when the record does not fit.
  static session from_record(std::shared_ptr<const engine> eng, const session_record& record);

  /// The snapshot sealed under a server secret (core/seal.hpp): a client holding it can neither
  /// read the answers nor change anything. Use these whenever a snapshot leaves the server.
  std::vector<std::uint8_t> snapshot(const core::secret_key& key) const;
  /// restore() of a sealed snapshot. Only sealed bytes are accepted: an unsealed or changed
  /// snapshot, or one sealed with another key, throws serialization_error.
  static session restore(bank::bank_ptr bank, std::span<const std::uint8_t> sealed, const core::secret_key& key);
  static session restore(std::shared_ptr<const engine> eng, std::span<const std::uint8_t> sealed,
                         const core::secret_key& key);

  /// Field-by-field equality (engine identity aside): for tests of snapshot round trips.
  bool same_state(const session& other) const noexcept;

  struct impl;  ///< implementation detail (src/cat)

 private:
  friend struct impl;
  friend replay_result replay(const std::shared_ptr<const engine>& eng, const session_record& record, double tolerance);
  session() = default;
  selection_state state() const noexcept;
  void reestimate();
  void count_administered(std::uint32_t item);

  std::shared_ptr<const engine> engine_;
  std::vector<estimate::response> responses_;
  std::vector<history_entry> history_;
  std::vector<std::uint32_t> set_aside_;
  std::vector<item_origin> origins_;
  std::optional<std::uint32_t> pending_;
  item_origin pending_origin_ = item_origin::engine;
  double theta_ = 0.0;
  double se_ = 0.0;
  estimate::profile_vector ptheta_;  // the estimate as a vector (size 1 for unidimensional banks)
  estimate::profile_matrix pcov_;
  estimate::status status_ = estimate::status::no_responses;
  finish_reason reason_ = finish_reason::not_finished;
  bool started_ = false;
  std::uint64_t seed_ = 0;
  rng rng_;
  exposure_log exposure_;
  const exposure_log* replaying_ = nullptr;  // replay(): the steps read this log, not the tracker
  std::span<const std::uint32_t> external_exposure_;  // read_exposure_from()
  bool has_external_exposure_ = false;
};

}  // namespace cat
DSKILL_END_NAMESPACE
