#include "person_set.hpp"

#include <sodium.h>

DSKILL_BEGIN_NAMESPACE
namespace score::detail {

static_assert(crypto_shorthash_KEYBYTES == 16, "person_set keeps a 16-byte SipHash key");

namespace {

constexpr std::size_t initial_slots = 1024;

// Home slot from the key's low 32 bits (the shard comes from its top bits): multiply-shift, so
// any table size works, not only powers of two.
std::size_t home(std::uint64_t key, std::size_t size) {
  return static_cast<std::size_t>((static_cast<std::uint64_t>(static_cast<std::uint32_t>(key)) * size) >> 32);
}

}  // namespace

person_set::person_set() {
  randombytes_buf(key_, sizeof key_);  // the caller has run sodium_init()
  for (auto& s : shards_) s.slots.resize(initial_slots);
}

std::optional<std::uint64_t> person_set::insert(std::string_view id, std::uint64_t row) {
  std::uint64_t h = 0;
  crypto_shorthash(reinterpret_cast<unsigned char*>(&h), reinterpret_cast<const unsigned char*>(id.data()), id.size(), key_);
  if (h == 0) h = 1;  // 0 marks an empty slot
  auto& sh = shards_[h >> (64 - shard_bits)];
  if ((sh.used + 1) * 5 > sh.slots.size() * 4) grow(sh);  // load above 0.8
  const auto lo = static_cast<std::uint32_t>(h), hi = static_cast<std::uint32_t>(h >> 32);
  const std::size_t size = sh.slots.size();
  for (std::size_t i = home(h, size);; i = i + 1 == size ? 0 : i + 1) {
    auto& s = sh.slots[i];
    if (s.empty()) {
      s = {lo, hi, static_cast<std::uint32_t>(row > max_row ? max_row + 1 : row)};
      ++sh.used;
      return std::nullopt;
    }
    if (s.key() == h) return s.row;
  }
}

void person_set::place(std::vector<slot>& slots, const slot& s) {
  const std::size_t size = slots.size();
  std::size_t i = home(s.key(), size);
  while (!slots[i].empty()) i = i + 1 == size ? 0 : i + 1;
  slots[i] = s;
}

void person_set::grow(shard& sh) {
  std::vector<slot> old(sh.slots.size() + sh.slots.size() / 2);
  old.swap(sh.slots);
  for (const auto& s : old)
    if (!s.empty()) place(sh.slots, s);
}

std::size_t person_set::size() const noexcept {
  std::size_t n = 0;
  for (const auto& s : shards_) n += s.used;
  return n;
}

std::size_t person_set::bytes() const noexcept {
  std::size_t n = 0;
  for (const auto& s : shards_) n += s.slots.capacity() * sizeof(slot);
  return n;
}

}  // namespace score::detail
DSKILL_END_NAMESPACE
