// cat: the corruption sweep of issue 13. Every single-byte change (all 255 other values of
// every byte) and every truncation of a stored snapshot is refused: the checked-in format-1
// and format-2 snapshots (unkeyed: the SHA-256 of the envelope catches accidents), and the
// same sessions sealed under a key (the AEAD tag catches anything). The counts are printed.
// And nothing derived is trusted: a snapshot that claims another estimate or an end of test
// restores to what its answers give.
#include <doctest/doctest.h>

#include <sodium.h>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "dskill/bank/yaml.hpp"
#include "dskill/cat/record.hpp"
#include "dskill/cat/session.hpp"
#include "dskill/cat/spec.hpp"
#include "dskill/core/seal.hpp"
#include "dskill/error.hpp"
#include "test_cat_support.hpp"
#include "test_support.hpp"

using namespace dskill;

namespace {

struct sweep_counts {
  std::size_t changes = 0, changes_refused = 0, truncations = 0, truncations_refused = 0;
};

template <class Restore>
sweep_counts sweep(const std::vector<std::uint8_t>& bytes, Restore restore) {
  sweep_counts n;
  auto refused = [&](const std::vector<std::uint8_t>& b) {
    try {
      (void)restore(b);
      return false;
    } catch (const serialization_error&) {
      return true;
    }
  };
  auto changed = bytes;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    for (int v = 0; v < 256; ++v) {
      if (v == bytes[i]) continue;
      changed[i] = static_cast<std::uint8_t>(v);
      ++n.changes;
      if (refused(changed)) ++n.changes_refused;
    }
    changed[i] = bytes[i];
  }
  for (std::size_t len = 0; len < bytes.size(); ++len) {
    ++n.truncations;
    if (refused(std::vector<std::uint8_t>(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(len)))) ++n.truncations_refused;
  }
  return n;
}

}  // namespace

TEST_CASE("cat snapshot sweep: every byte change and every truncation of a stored snapshot is refused" *
          doctest::test_suite("cat")) {
  REQUIRE(sodium_init() >= 0);
  const auto bank = bank::load_bank(dskill_test::data_path("cat/catr30.yaml"));
  const auto key = core::secret_key::from_hex(std::string(64, 'a'));
  for (const char* file : {"snapshots/catr30_classify_v1.bin", "cat/catr30_restricted_v2.bin"}) {
    const auto stored = dskill_test::read_bytes(dskill_test::data_path(file));
    REQUIRE_NOTHROW((void)cat::session::restore(bank, stored));
    const auto plain = sweep(stored, [&](const std::vector<std::uint8_t>& b) { return cat::session::restore(bank, b); });
    MESSAGE(std::string(file) << " (unkeyed, " << stored.size() << " bytes): " << plain.changes_refused << " of " << plain.changes
                 << " byte changes and " << plain.truncations_refused << " of " << plain.truncations << " truncations refused");
    CHECK(plain.changes_refused == plain.changes);
    CHECK(plain.truncations_refused == plain.truncations);
    CHECK(plain.changes == stored.size() * 255);

    const auto sealed = cat::session::restore(bank, stored).snapshot(key);
    const auto boxed = sweep(sealed, [&](const std::vector<std::uint8_t>& b) { return cat::session::restore(bank, b, key); });
    MESSAGE(std::string(file) << " (sealed, " << sealed.size() << " bytes): " << boxed.changes_refused << " of " << boxed.changes
                 << " byte changes and " << boxed.truncations_refused << " of " << boxed.truncations << " truncations refused");
    CHECK(boxed.changes_refused == boxed.changes);
    CHECK(boxed.truncations_refused == boxed.truncations);
  }
}

TEST_CASE("cat snapshot: restore recomputes the estimates and the end of the test from the answers" *
          doctest::test_suite("cat")) {
  const auto bank = dskill_test::random_bank(60, 5);
  cat::test_spec spec;
  spec.stopping.max_items = 12;
  cat::session live(bank, spec, 7);
  for (int k = 0; k < 5; ++k) live.record_response(*live.next_item().item, k % 2);
  live.next_item();  // an item pending
  // A record that claims a far better estimate after every answer, and the end of the test:
  // written with a valid checksum, as a client could.
  auto rec = live.record();
  rec.theta = 3.5;
  rec.se = 0.05;
  for (auto& h : rec.history) h.theta = 3.5;
  auto finished = rec;
  finished.pending.reset();
  finished.reason = cat::finish_reason::se_reached;
  const auto back = cat::session::restore(bank, cat::write_snapshot(rec));
  CHECK(back.same_state(live));
  CHECK(back.theta() == live.theta());
  CHECK(back.se() == live.se());
  for (std::size_t k = 0; k < back.history().size(); ++k) CHECK(back.history()[k].theta == live.history()[k].theta);
  // the claimed end of the test is not believed: the stopping rule does not stop at 5 of 12
  const auto unfinished = cat::session::restore(bank, cat::write_snapshot(finished));
  CHECK_FALSE(unfinished.finished());
  CHECK(unfinished.theta() == live.theta());
}
