// dskill::cat: replaying a recorded adaptive test item by item.
//
// A session's items follow from its seed, its answers and, under progressive-restricted
// exposure control, the live exposure counts it read (record.hpp). replay() runs the test again
// from the record: a new session with the recorded seed, the recorded answers, the items given
// from outside administered again, and each engine step reading the recorded exposure state
// instead of live counts. Every step's item (exactly), theta and SE (to a tolerance) are compared
// with the record, and so are the set-aside items, the pending item, the finish reason and the
// final RNG state.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "dskill/cat/engine.hpp"
#include "dskill/cat/record.hpp"

DSKILL_BEGIN_NAMESPACE
namespace cat {

/// One replayed step: an answered item of the record, or its pending item (answered = false).
struct replay_step {
  std::size_t number = 0;                     ///< position in the test, from 1
  item_origin origin = item_origin::engine;   ///< how the record says the item was given
  std::uint32_t recorded_item = 0;
  std::optional<std::uint32_t> item;          ///< what the replay gave (empty: its test had ended)
  bool answered = true;                       ///< false for the record's pending item
  int category = 0;                           ///< the recorded answer, given to the replay
  double recorded_theta = 0.0, recorded_se = 0.0;
  double theta = 0.0, se = 0.0;               ///< the replay's estimate after the answer
  bool matches = false;                       ///< same item, and (answered) the same theta and SE (within the tolerance)
};

struct replay_result {
  std::vector<replay_step> steps;  ///< up to and including the first step whose item differs
  finish_reason recorded_reason = finish_reason::not_finished;
  finish_reason reason = finish_reason::not_finished;  ///< the replay's, when it got that far
  /// Index into steps of the first difference; steps.size() when every step matched but the end
  /// did not (finish reason, set-aside items, RNG state); empty when everything matched.
  std::optional<std::size_t> first_difference;
  std::string difference;  ///< what differed first, in words (empty when everything matched)
  bool matches() const noexcept { return !first_difference; }
};

/// Replays `record` over `eng` (its bank, specification, Sympson-Hetter table and rules), which
/// may be the engine live sessions share: a replay neither reads nor moves its exposure counts.
/// Replays may run in any threads at once. Throws
/// invalid_argument when the record is for another bank, specification or Sympson-Hetter table,
/// or, under progressive-restricted control, lacks the exposure state of some step (a format-1
/// snapshot); a record that merely differs is reported in the result, never thrown.
///
/// Thetas and SEs match when within `tolerance` (relative above 1): another compiler or
/// optimisation level may round their last bits differently, which changes no item; 0 asks for
/// bit-for-bit equality.
replay_result replay(const std::shared_ptr<const engine>& eng, const session_record& record, double tolerance = 1e-9);

}  // namespace cat
DSKILL_END_NAMESPACE
