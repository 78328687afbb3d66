// Internal to dskill::score: the duplicate-person check of a batch run.
//
// Open addressing over 64-bit SipHash keys of the ids (a key per run, random: only equality
// matters), with the row that first used each id: 16 bytes per distinct person (32 just after
// the table doubles), whatever the ids' length. A 64-bit collision between two different ids
// (odds about n^2 / 2^65) would reject a person as a duplicate; the reject names both rows.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "dskill/config.hpp"

DSKILL_BEGIN_NAMESPACE
namespace score::detail {

class person_set {
 public:
  person_set();
  /// Inserts id at row; returns the earlier row if the id was there already.
  std::optional<std::uint64_t> insert(std::string_view id, std::uint64_t row);

 private:
  struct slot {
    std::uint64_t key = 0, row = 0;  // key 0 marks an empty slot
  };
  void grow();
  unsigned char key_[16];
  std::vector<slot> slots_;
  std::size_t used_ = 0;
};

}  // namespace score::detail
DSKILL_END_NAMESPACE
