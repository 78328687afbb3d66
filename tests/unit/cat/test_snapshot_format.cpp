// cat: the snapshot format is pinned. tests/data/snapshots holds bytes written once by the
// format-1 code; they must restore to the same session (items, answers, estimates, RNG state,
// pending item) and a fresh snapshot of that session must equal them byte for byte, so that a
// change of the envelope, of the payload or of what the payload holds fails here instead of in
// a user's stored sessions. A deliberate change bumps snapshot_format_version, keeps reading the
// old bytes, and adds new files (write them with DSKILL_WRITE_SNAPSHOTS=DIR dskill_tests).
#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "dskill/bank/yaml.hpp"
#include "dskill/cat/session.hpp"
#include "dskill/cat/spec.hpp"
#include "dskill/core/rng.hpp"
#include "test_support.hpp"

using namespace dskill;

namespace {

std::vector<std::uint8_t> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot open " << path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The pinned session: tests' catR bank, the classification test of the CLI tests (EAP, MFI with
// randomesque 2, so the RNG decides between candidates), seed 20261201, answers 1 0 1 1, and
// the fifth item chosen but not answered.
constexpr std::uint64_t pinned_seed = 20261201;
constexpr int pinned_answers[] = {1, 0, 1, 1};

struct fixture {
  bank::bank_ptr bank = bank::load_bank(dskill_test::data_path("cat/catr30.yaml"));
  std::shared_ptr<const cat::engine> eng =
      cat::engine::create(bank, cat::load_test_spec(dskill_test::data_path("cat/classify.yaml")));

  cat::session live() const {
    cat::session s(eng, pinned_seed);
    for (int x : pinned_answers) s.record_response(*s.next_item().item, x);
    s.next_item();
    return s;
  }
};

std::uint32_t le32(const std::vector<std::uint8_t>& b, std::size_t at) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) v |= static_cast<std::uint32_t>(b[at + i]) << (8 * i);
  return v;
}

// What the bytes hold, printed once from the format-1 code.
const char* const pinned_items[] = {"i12", "i26", "i20", "i6"};
constexpr double pinned_thetas[] = {0.2945731378304266, -0.21424543508449687, 0.085771357195836978, 0.24980766794011122};
constexpr double pinned_ses[] = {0.9122148331674218, 0.77865995626638895, 0.65795102138805472, 0.62583557540122459};
constexpr const char* pinned_pending = "i3";
constexpr std::array<std::uint64_t, 4> pinned_rng_state = {0xc9810059184804d1ull, 0x879a7179f301c190ull, 0x8bea37d5c89074f9ull,
                                                            0xa9697b0c0bf1bc94ull};
// The continuation after answering the pending item 0 and then 1, 0: the next items.
const char* const pinned_continuation[] = {"i3", "i28", "i2"};

}  // namespace

TEST_CASE("cat snapshot format 1: checked-in bytes restore, and today's code writes the same bytes" *
          doctest::test_suite("cat")) {
  const fixture f;
  const auto path = dskill_test::data_path("snapshots/catr30_classify_v1.bin");
  if (const char* dir = std::getenv("DSKILL_WRITE_SNAPSHOTS")) {
    const auto fresh = f.live().snapshot();
    std::ofstream out(std::string(dir) + "/catr30_classify_v1.bin", std::ios::binary);
    out.write(reinterpret_cast<const char*>(fresh.data()), static_cast<std::streamsize>(fresh.size()));
    const auto s = f.live();
    for (const auto& h : s.history()) MESSAGE(f.bank->id(h.item) << " " << h.category << " " << std::hexfloat << h.theta << " " << h.se);
    MESSAGE("pending " << f.bank->id(*s.pending()));
    for (auto w : s.random_state().state()) MESSAGE(std::hex << "0x" << w);
    auto c = s;
    for (int x : {0, 1, 0}) {
      const auto st = c.next_item();
      if (!st.item) break;
      MESSAGE("next " << f.bank->id(*st.item));
      c.record_response(*st.item, x);
    }
  }
  const auto bytes = read_bytes(path);

  // The envelope: magic, format version, the bank's fingerprint.
  REQUIRE(bytes.size() > 16);
  CHECK(std::memcmp(bytes.data(), "DSKSNAP\0", 8) == 0);
  CHECK(le32(bytes, 8) == 1);
  CHECK(cat::snapshot_format_version == 1);
  const std::uint32_t fp_len = le32(bytes, 12);
  REQUIRE(bytes.size() > 16 + fp_len);
  CHECK(std::string(bytes.begin() + 16, bytes.begin() + 16 + fp_len) == f.bank->fingerprint());

  // The restored state, field by field against the literals.
  const auto r = cat::session::restore(f.eng, bytes);
  CHECK(r.seed() == pinned_seed);
  REQUIRE(r.history().size() == std::size(pinned_answers));
  REQUIRE(r.responses().size() == std::size(pinned_answers));
  for (std::size_t k = 0; k < std::size(pinned_answers); ++k) {
    CAPTURE(k);
    CHECK(f.bank->id(r.history()[k].item) == pinned_items[k]);
    CHECK(r.history()[k].category == pinned_answers[k]);
    CHECK(r.responses()[k].item == r.history()[k].item);
    CHECK(r.responses()[k].category == pinned_answers[k]);
    CHECK(std::abs(r.history()[k].theta - pinned_thetas[k]) < 1e-12);
    CHECK(std::abs(r.history()[k].se - pinned_ses[k]) < 1e-12);
  }
  CHECK(std::abs(r.theta() - pinned_thetas[std::size(pinned_answers) - 1]) < 1e-12);
  CHECK(std::abs(r.se() - pinned_ses[std::size(pinned_answers) - 1]) < 1e-12);
  REQUIRE(r.pending().has_value());
  CHECK(f.bank->id(*r.pending()) == pinned_pending);
  CHECK(r.random_state().state() == pinned_rng_state);
  CHECK_FALSE(r.finished());

  // Today's code, running the same session, holds the same state and writes the same bytes.
  auto live = f.live();
  CHECK(r.same_state(live));
  CHECK(live.snapshot() == bytes);

  // The restored session continues as the live one does (the RNG included), and as it did.
  auto restored = cat::session::restore(f.bank, bytes);
  std::size_t k = 0;
  for (int x : {0, 1, 0}) {
    const auto a = restored.next_item(), b = live.next_item();
    REQUIRE(a.item == b.item);
    if (!a.item) break;
    REQUIRE(k < std::size(pinned_continuation));
    CHECK(f.bank->id(*a.item) == pinned_continuation[k++]);
    restored.record_response(*a.item, x);
    live.record_response(*b.item, x);
    CHECK(restored.theta() == live.theta());
  }
  CHECK(k == std::size(pinned_continuation));
}
