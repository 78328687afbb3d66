#include "person_set.hpp"

#include <sodium.h>

DSKILL_BEGIN_NAMESPACE
namespace score::detail {

static_assert(crypto_shorthash_KEYBYTES == 16, "person_set keeps a 16-byte SipHash key");

person_set::person_set() {
  randombytes_buf(key_, sizeof key_);  // the caller has run sodium_init()
  slots_.assign(1 << 16, slot{});
}

std::optional<std::uint64_t> person_set::insert(std::string_view id, std::uint64_t row) {
  std::uint64_t h = 0;
  crypto_shorthash(reinterpret_cast<unsigned char*>(&h), reinterpret_cast<const unsigned char*>(id.data()), id.size(), key_);
  if (h == 0) h = 1;  // 0 marks an empty slot
  if ((used_ + 1) * 2 > slots_.size()) grow();
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = h & mask;; i = (i + 1) & mask) {
    if (slots_[i].key == 0) {
      slots_[i] = {h, row};
      ++used_;
      return std::nullopt;
    }
    if (slots_[i].key == h) return slots_[i].row;
  }
}

void person_set::grow() {
  std::vector<slot> old(slots_.size() * 2);
  old.swap(slots_);
  const std::size_t mask = slots_.size() - 1;
  for (const auto& s : old) {
    if (s.key == 0) continue;
    std::size_t i = s.key & mask;
    while (slots_[i].key != 0) i = (i + 1) & mask;
    slots_[i] = s;
  }
}

}  // namespace score::detail
DSKILL_END_NAMESPACE
