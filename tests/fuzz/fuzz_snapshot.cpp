// Fuzz target: session snapshots. Whatever the bytes, restore() either gives a session whose
// state is consistent with the bank (and whose record replays), or throws serialization_error;
// it never crashes, leaks, or throws anything else.
//
// The first byte picks a mode: 0 restores the bytes as they are (envelope checks); 2 restores
// them as a sealed snapshot under a fixed key (which no input can forge); 1 puts the
// rest into a valid snapshot's payload and re-seals it with a correct checksum, so that the
// Boost.Serialization reader and the consistency checks behind the checksum are exercised too.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include <sodium.h>

#include "dskill/cat/replay.hpp"
#include "dskill/cat/session.hpp"
#include "dskill/error.hpp"

namespace {

using namespace dskill;

bank::bank_ptr make_bank() {
  std::vector<bank::bank_item> items;
  for (int i = 0; i < 12; ++i) {
    bank::bank_item it;
    it.id = "f" + std::to_string(i);
    irt::difficulty_form f;
    f.kind = i % 4 == 3 ? irt::model::gpcm : irt::model::two_pl;
    f.a = 1.0 + 0.1 * i;
    f.b = f.kind == irt::model::gpcm ? std::vector<double>{-1.0, 0.0, 1.0} : std::vector<double>{-1.5 + 0.25 * i};
    it.params = irt::to_intercept_form(f);
    items.push_back(std::move(it));
  }
  bank::bank_info info;
  info.id = "fuzz";
  return std::make_shared<const bank::item_bank>(info, std::move(items));
}

struct fixture {
  bank::bank_ptr bank = make_bank();
  std::vector<std::uint8_t> valid;
  std::size_t payload_at = 0, payload_len = 0;
  fixture() {
    cat::session s(bank, cat::test_spec{}, 7);
    for (int k = 0; k < 3; ++k) s.record_response(*s.next_item().item, k % 2);
    s.next_item();
    valid = s.snapshot();
    // Locate the payload: magic(8) version(4) fp(4+n) hash(4+m) len(8).
    std::size_t p = 12;
    auto u32 = [&](std::size_t at) {
      std::uint32_t v = 0;
      for (int i = 0; i < 4; ++i) v |= static_cast<std::uint32_t>(valid[at + static_cast<std::size_t>(i)]) << (8 * i);
      return v;
    };
    p += 4 + u32(p);
    p += 4 + u32(p);
    payload_len = u32(p);
    payload_at = p + 8;
  }
};

void reseal(std::vector<std::uint8_t>& bytes) {
  bytes.resize(bytes.size() - crypto_hash_sha256_BYTES);
  unsigned char sum[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(sum, bytes.data(), bytes.size());
  bytes.insert(bytes.end(), sum, sum + crypto_hash_sha256_BYTES);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const fixture fx;
  if (size == 0) return 0;
  std::vector<std::uint8_t> bytes;
  if (data[0] % 3 == 2) {
    // Sealed restore: nothing but a box sealed under the key opens, and nothing crashes trying.
    static const auto key = core::secret_key::from_hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    try {
      (void)cat::session::restore(fx.bank, std::span<const std::uint8_t>(data + 1, size - 1), key);
      std::abort();  // a forgery opened
    } catch (const dskill::serialization_error&) {
    }
    return 0;
  }
  if (data[0] % 3 == 0) {
    bytes.assign(data + 1, data + size);
  } else {
    // Replace the payload by the fuzz bytes (length field fixed up), then re-seal.
    bytes.assign(fx.valid.begin(), fx.valid.begin() + static_cast<std::ptrdiff_t>(fx.payload_at - 8));
    const std::uint64_t n = size - 1;
    for (int i = 0; i < 8; ++i) bytes.push_back(static_cast<std::uint8_t>(n >> (8 * i)));
    bytes.insert(bytes.end(), data + 1, data + size);
    bytes.resize(bytes.size() + crypto_hash_sha256_BYTES);
    reseal(bytes);
  }
  try {
    auto s = cat::session::restore(fx.bank, bytes);
    // A restored session must be usable.
    for (const auto& r : s.responses())
      if (r.item >= fx.bank->size()) std::abort();
    // Its record replays without crashing: a mismatch is a result, and a record that does not
    // fit the engine is refused with a dskill::error.
    try {
      (void)cat::replay(s.engine_ptr(), s.record());
    } catch (const dskill::error&) {
    }
    (void)s.next_item();
  } catch (const dskill::serialization_error&) {
  }
  return 0;
}
