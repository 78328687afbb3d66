// Internal to dskill::score: the duplicate-person check of a batch run.
//
// Open addressing over 64-bit SipHash keys of the ids (a key per run, random: only equality
// matters), with the row that first used each id, in 12-byte slots: at most 12 / 0.55 ≈ 22
// bytes per distinct person whatever the ids' length (tables grow 1.5x at load 0.8, so the load
// stays in [0.53, 0.8]). The table is split into 64 shards by the key's top bits, so a growth
// step copies one shard (1/64 of the set), not the whole set: no doubling peak. A 64-bit
// collision between two different ids (odds about n^2 / 2^65) would reject a person as a
// duplicate; the reject names both rows.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "dskill/config.hpp"

DSKILL_BEGIN_NAMESPACE
namespace score::detail {

class person_set {
 public:
  /// Rows past this are remembered as "some row past it" (a 32-bit field keeps slots small).
  static constexpr std::uint64_t max_row = 0xFFFFFFFEu;

  person_set();
  /// Inserts id at row; returns the earlier row if the id was there already (max_row + 1 for an
  /// earlier row past max_row).
  std::optional<std::uint64_t> insert(std::string_view id, std::uint64_t row);
  /// Distinct ids held.
  std::size_t size() const noexcept;
  /// Bytes of the tables.
  std::size_t bytes() const noexcept;

 private:
  struct slot {  // 4-byte aligned: 12 bytes, not 16
    std::uint32_t key_lo = 0, key_hi = 0;  // key 0 marks an empty slot
    std::uint32_t row = 0;
    bool empty() const noexcept { return key_lo == 0 && key_hi == 0; }
    std::uint64_t key() const noexcept { return (std::uint64_t{key_hi} << 32) | key_lo; }
  };
  static_assert(sizeof(slot) == 12);
  struct shard {
    std::vector<slot> slots;
    std::size_t used = 0;
  };
  static constexpr int shard_bits = 6;
  static void grow(shard& s);
  static void place(std::vector<slot>& slots, const slot& s);
  unsigned char key_[16];
  std::array<shard, std::size_t{1} << shard_bits> shards_;
};

}  // namespace score::detail
DSKILL_END_NAMESPACE
