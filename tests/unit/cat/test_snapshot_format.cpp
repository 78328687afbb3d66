// cat: the snapshot format is pinned. tests/data/snapshots holds bytes written once by the
// format-1 code, tests/data/cat/catr30_restricted_v2.bin bytes written once by format 2; they
// must restore to the same session (items, answers, estimates, RNG state, pending item, and for
// format 2 the items' origins and the exposure log) and the format-2 session must write its
// bytes back, so that a change of the envelope, of the payload or of what the payload
// holds fails here instead of in a user's stored sessions. A deliberate change bumps
// snapshot_format_version, keeps reading the old bytes, and adds new files (write them with
// DSKILL_WRITE_SNAPSHOTS=DIR dskill_tests; format 1 can no longer be written).
#include <doctest/doctest.h>

#include <algorithm>
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
#include "test_cat_support.hpp"
#include "dskill/core/rng.hpp"
#include "test_support.hpp"

using namespace dskill;

namespace {


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

TEST_CASE("cat snapshot format 1: checked-in bytes restore, to the session today's code runs" *
          doctest::test_suite("cat")) {
  const fixture f;
  const auto path = dskill_test::data_path("snapshots/catr30_classify_v1.bin");
  if (std::getenv("DSKILL_WRITE_SNAPSHOTS")) {
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
  const auto bytes = dskill_test::read_bytes(path);

  // The envelope: magic, format version, the bank's fingerprint.
  REQUIRE(bytes.size() > 16);
  CHECK(std::memcmp(bytes.data(), "DSKSNAP\0", 8) == 0);
  CHECK(le32(bytes, 8) == 1);
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

  // Format 1 kept no origins and no exposure log: every item is the engine's, and this
  // specification has no progressive-restricted control, so the log is rightly empty.
  REQUIRE(r.origins().size() == std::size(pinned_answers));
  for (auto o : r.origins()) CHECK(o == cat::item_origin::engine);
  CHECK(r.exposure_state().steps() == 0);

  // Today's code, running the same session, holds the same state; the restored session writes
  // today's format, the same bytes as the live one.
  auto live = f.live();
  CHECK(r.same_state(live));
  CHECK(r.snapshot() == live.snapshot());
  CHECK(le32(live.snapshot(), 8) == cat::snapshot_format_version);

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

namespace {

void write_bytes(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  REQUIRE_MESSAGE(out.good(), "cannot write " << path);
}

// The format-2 session: the catR bank under progressive-restricted control and randomesque 2
// (tests/data/cat/restricted.yaml), after thirty earlier sessions have moved the live counts;
// seed 20261202, two engine items answered 1 and 0, item i9 administered from outside and
// answered 1, one more engine item answered 1, and the next engine item pending.
cat::session pinned_v2_session() {
  const auto bank = bank::load_bank(dskill_test::data_path("cat/catr30.yaml"));
  const auto eng = cat::engine::create(bank, cat::load_test_spec(dskill_test::data_path("cat/restricted.yaml")));
  for (std::uint64_t p = 0; p < 30; ++p) {
    cat::session s(eng, 1000 + p);
    cat::rng g(cat::derive_seed(5, p));
    const double truth = g.normal();
    while (const auto item = s.next_item().item) s.record_response(*item, dskill_test::simulated_answer(*bank, *item, truth, g));
  }
  cat::session s(eng, 20261202);
  for (int x : {1, 0}) s.record_response(*s.next_item().item, x);
  s.administer(std::string_view("i9"));
  s.record_response(std::string_view("i9"), 1);
  s.record_response(*s.next_item().item, 1);
  s.next_item();
  return s;
}

// What the format-2 bytes hold, printed once by the code that wrote them.
const char* const pinned_v2_items[] = {"i29", "i30", "i9", "i28"};
constexpr cat::item_origin pinned_v2_origins[] = {cat::item_origin::engine, cat::item_origin::engine, cat::item_origin::administered,
                                                  cat::item_origin::engine};
const char* const pinned_v2_pending = "i15";
// 11 items at the maximum rate when the test began; they fall below it once this session counts
// (31 sessions); i28 reaches it again before the pending item is chosen.
constexpr std::uint32_t pinned_v2_exposure_counts[] = {11, 11, 0, 1};

}  // namespace

TEST_CASE("cat snapshot format 2: checked-in bytes restore to the session today's code runs, and write back the same bytes" * doctest::test_suite("cat")) {
  const auto path = dskill_test::data_path("cat/catr30_restricted_v2.bin");
  if (const char* dir = std::getenv("DSKILL_WRITE_SNAPSHOTS")) {
    const auto s = pinned_v2_session();
    write_bytes(std::string(dir) + "/catr30_restricted_v2.bin", s.snapshot());
    const auto& bank = s.get_engine().bank();
    for (std::size_t k = 0; k < s.history().size(); ++k)
      MESSAGE(bank.id(s.history()[k].item) << " " << cat::to_string(s.origins()[k]));
    MESSAGE("pending " << bank.id(*s.pending()));
    for (auto c : s.exposure_state().counts()) MESSAGE("count " << c);
    for (auto c : s.exposure_state().changes()) MESSAGE("change " << bank.id(c));
  }
  const auto bytes = dskill_test::read_bytes(path);
  REQUIRE(bytes.size() > 16);
  CHECK(std::memcmp(bytes.data(), "DSKSNAP\0", 8) == 0);
  CHECK(le32(bytes, 8) == 2);
  CHECK(cat::snapshot_format_version == 2);

  const auto live = pinned_v2_session();
  const auto r = cat::session::restore(live.engine_ptr(), bytes);
  const auto& bank = live.get_engine().bank();
  REQUIRE(r.history().size() == std::size(pinned_v2_items));
  for (std::size_t k = 0; k < std::size(pinned_v2_items); ++k) {
    CAPTURE(k);
    CHECK(bank.id(r.history()[k].item) == pinned_v2_items[k]);
    CHECK(r.origins()[k] == pinned_v2_origins[k]);
  }
  REQUIRE(r.pending().has_value());
  CHECK(bank.id(*r.pending()) == pinned_v2_pending);
  CHECK(r.pending_origin() == cat::item_origin::engine);
  // One exposure step per engine step (three answered items and the pending one).
  REQUIRE(r.exposure_state().steps() == std::size(pinned_v2_exposure_counts));
  for (std::size_t k = 0; k < std::size(pinned_v2_exposure_counts); ++k) CHECK(r.exposure_state().counts()[k] == pinned_v2_exposure_counts[k]);
  // Today's code runs the same session (estimates to 1e-12: a Debug build rounds their last bits
  // differently) and writes these bytes from what they hold.
  REQUIRE(live.history().size() == r.history().size());
  for (std::size_t k = 0; k < r.history().size(); ++k) {
    CHECK(live.history()[k].item == r.history()[k].item);
    CHECK(live.history()[k].category == r.history()[k].category);
    CHECK(std::abs(live.history()[k].theta - r.history()[k].theta) < 1e-12);
    CHECK(std::abs(live.history()[k].se - r.history()[k].se) < 1e-12);
  }
  CHECK(live.origins().size() == r.origins().size());
  CHECK(std::equal(live.origins().begin(), live.origins().end(), r.origins().begin()));
  CHECK(live.pending() == r.pending());
  CHECK(live.exposure_state() == r.exposure_state());
  CHECK(live.random_state() == r.random_state());
  CHECK(cat::write_snapshot(cat::read_snapshot(bytes)) == bytes);
  // restore() computes the estimates again (it trusts only the answers), so the restored session
  // writes the bytes today's build writes for the live session: the checked-in ones in an
  // optimised build, the same but for the estimates' last bits in a Debug or sanitizer build.
  CHECK(r.snapshot() == live.snapshot());
}
