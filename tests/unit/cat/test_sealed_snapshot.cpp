// cat + core: sealed snapshots. The attack of issue 13: a client holding a snapshot flips its
// wrong answers to right ones and recomputes the SHA-256 checksum; an unkeyed restore takes
// it. A snapshot sealed under the server's key cannot be read (the answers, the specification)
// nor changed (any byte), nor opened with another key, nor replaced by an unsealed one.
#include <doctest/doctest.h>

#include <sodium.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "dskill/cat/session.hpp"
#include "dskill/core/seal.hpp"
#include "dskill/error.hpp"
#include "test_cat_support.hpp"

using namespace dskill;

namespace {

bool contains(const std::vector<std::uint8_t>& hay, std::string_view needle) {
  return std::search(hay.begin(), hay.end(), needle.begin(), needle.end()) != hay.end();
}

cat::session answered_session(const bank::bank_ptr& bank) {
  cat::test_spec spec;
  spec.stopping.max_items = 12;
  cat::session s(bank, spec, 42);
  for (int k = 0; k < 8; ++k) {
    const auto next = s.next_item();
    REQUIRE(next.item);
    s.record_response(*next.item, k % 3 == 0 ? 1 : 0);  // mostly wrong
  }
  return s;
}

}  // namespace

TEST_CASE("core seal: a sealed box opens only with its key, for its purpose, unchanged" * doctest::test_suite("core")) {
  const auto key = core::secret_key::generate();
  const std::string text = "the answers: 1 0 0 1 0 0 1 0";
  const std::vector<std::uint8_t> plain(text.begin(), text.end());
  const auto box = core::seal(plain, key, "test");
  CHECK(core::is_sealed(box));
  CHECK_FALSE(contains(box, "answers"));  // encrypted, not only authenticated
  CHECK(core::open_sealed(box, key, "test") == plain);
  CHECK(core::seal(plain, key, "test") != box);  // a fresh nonce each time
  for (std::size_t i = 0; i < box.size(); ++i) {  // every single byte is covered
    auto changed = box;
    changed[i] ^= 0x01;
    CHECK_THROWS_AS(core::open_sealed(changed, key, "test"), serialization_error);
  }
  CHECK_THROWS_WITH(core::open_sealed(box, core::secret_key::generate(), "test"), doctest::Contains("another key"));
  CHECK_THROWS_AS(core::open_sealed(box, key, "other purpose"), serialization_error);
  CHECK_THROWS_WITH(core::open_sealed(plain, key, "test"), doctest::Contains("not a sealed box"));
  auto cut = box;
  cut.resize(cut.size() - 1);
  CHECK_THROWS_AS(core::open_sealed(cut, key, "test"), serialization_error);
  CHECK_THROWS_AS(core::open_sealed(std::vector<std::uint8_t>(box.begin(), box.begin() + 20), key, "test"), serialization_error);
  const auto hex = core::secret_key::from_hex("  000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n");
  CHECK(hex.bytes[0] == 0);
  CHECK(hex.bytes[31] == 0x1f);
  CHECK_THROWS_AS(core::secret_key::from_hex("0001"), invalid_argument);
}

TEST_CASE("cat sealed snapshot: answers changed by a client are refused, the unkeyed checksum is not enough" *
          doctest::test_suite("cat")) {
  REQUIRE(sodium_init() >= 0);
  const auto bank = dskill_test::random_bank(60, 5);
  const auto key = core::secret_key::generate();
  auto s = answered_session(bank);

  // The attack on an unsealed snapshot: rewrite the payload and recompute the SHA-256 at the end.
  // Restoring still works, which is why snapshots that leave the server must be sealed.
  auto plain = s.snapshot();
  auto forged = plain;
  forged.resize(forged.size() - crypto_hash_sha256_BYTES);
  unsigned char sum[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(sum, forged.data(), forged.size());
  forged.insert(forged.end(), sum, sum + sizeof sum);
  CHECK_NOTHROW((void)cat::session::restore(bank, forged));

  // Sealed: restores to the same session with the key, and only then.
  const auto sealed = s.snapshot(key);
  CHECK(core::is_sealed(sealed));
  CHECK_FALSE(contains(sealed, "DSKSNAP"));  // nothing of the envelope, the spec or the answers shows
  CHECK_FALSE(contains(sealed, "max_items"));
  auto back = cat::session::restore(bank, sealed, key);
  CHECK(back.same_state(s));
  const auto eng = s.engine_ptr();
  CHECK(cat::session::restore(eng, sealed, key).same_state(s));
  CHECK(back.next_item().item == s.next_item().item);

  // Every byte changed, another key, or the unsealed (even valid) snapshot: refused.
  for (std::size_t i = 0; i < sealed.size(); i += 7) {
    auto changed = sealed;
    changed[i] ^= 0x80;
    CHECK_THROWS_AS((void)cat::session::restore(bank, changed, key), serialization_error);
  }
  CHECK_THROWS_AS((void)cat::session::restore(bank, sealed, core::secret_key::generate()), serialization_error);
  CHECK_THROWS_WITH((void)cat::session::restore(bank, plain, key), doctest::Contains("not a sealed box"));
  CHECK_THROWS_AS((void)cat::session::restore(eng, forged, key), serialization_error);
}
