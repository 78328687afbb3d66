// dskill::cat snapshots: a session through Boost.Serialization inside a versioned envelope.
//
// Envelope (integers little-endian):
//   magic "DSKSNAP\0" (8) | format version u32 | bank fingerprint (u32 length + bytes) |
//   spec hash (u32 length + bytes) | payload (u64 length + bytes) | SHA-256 of all before (32)
// The payload is a Boost binary archive (no header: the envelope carries the versioning) of the
// session record (record.hpp), whose collections are written with explicit, bounded counts so
// that a forged count can never make the reader allocate without limit. Format 2 appends the
// items' origins, the Sympson-Hetter hash and the exposure log to format 1's fields and drops
// format 1's responses (the history holds them). Everything is checked (magic, version,
// checksum, bank, spec hash, then every index and category against the bank) before a session
// is built.
#include <cstring>
#include <sstream>
#include <string>

#include <boost/archive/archive_exception.hpp>
#include <boost/archive/binary_iarchive.hpp>
#include <boost/archive/binary_oarchive.hpp>
#include <boost/serialization/binary_object.hpp>
#include <fmt/format.h>
#include <sodium.h>

#include "dskill/cat/session.hpp"
#include "dskill/core/hash.hpp"
#include "dskill/error.hpp"

DSKILL_BEGIN_NAMESPACE
namespace cat {

namespace {

constexpr char magic[8] = {'D', 'S', 'K', 'S', 'N', 'A', 'P', '\0'};
constexpr std::uint32_t max_collection = 1u << 20;  // far above any real test
constexpr std::uint32_t max_text = 1u << 22;

/// A record's payload in one format version: format 1 also held the responses (the history's
/// items and categories again), format 2 the origins, Sympson-Hetter hash and exposure log.
struct payload {
  session_record& r;
  std::uint32_t version;
  std::vector<estimate::response> responses;  // format 1 only

  template <class Archive>
  void serialize(Archive& ar, unsigned);
};

template <class Archive>
void text_field(Archive& ar, std::string& s) {
  std::uint32_t n = static_cast<std::uint32_t>(s.size());
  ar & n;
  if constexpr (Archive::is_loading::value) {
    if (n > max_text) throw serialization_error("snapshot payload: text field too long");
    s.resize(n);
  }
  if (n > 0) ar & boost::serialization::make_binary_object(s.data(), n);
}

template <class Archive, class T, class F>
void collection(Archive& ar, std::vector<T>& v, F&& element) {
  std::uint32_t n = static_cast<std::uint32_t>(v.size());
  ar & n;
  if constexpr (Archive::is_loading::value) {
    if (n > max_collection) throw serialization_error("snapshot payload: collection too large");
    v.resize(n);
  }
  for (auto& x : v) element(x);
}

// Flags and enums travel as bytes, not bool or enum: Boost reads a bool by copying a byte into
// it, and any byte other than 0 or 1 would be undefined behaviour before we could refuse it
// (found by fuzzing). Values are checked when a session is built.
template <class Archive>
void byte_field(Archive& ar, auto& value) {
  std::uint8_t b = static_cast<std::uint8_t>(value);
  ar & b;
  if constexpr (Archive::is_loading::value) value = static_cast<std::remove_reference_t<decltype(value)>>(b);
}

template <class Archive>
void payload::serialize(Archive& ar, unsigned) {
  text_field(ar, r.spec_yaml);
  ar & r.seed;
  for (auto& w : r.rng_state) ar & w;
  if (version == 1)
    collection(ar, responses, [&](estimate::response& x) {
      ar & x.item;
      ar & x.category;
    });
  collection(ar, r.history, [&](history_entry& h) {
    ar & h.item;
    ar & h.category;
    ar & h.theta;
    ar & h.se;
  });
  collection(ar, r.set_aside, [&](std::uint32_t& i) { ar & i; });
  std::uint8_t has_pending = r.pending.has_value() ? 1 : 0;
  std::uint32_t pending = r.pending.value_or(0);
  ar & has_pending;
  ar & pending;
  ar & r.theta;
  ar & r.se;
  byte_field(ar, r.status);
  byte_field(ar, r.reason);
  std::uint8_t started = r.started ? 1 : 0;
  ar & started;
  if constexpr (Archive::is_loading::value) {
    if (has_pending > 1 || started > 1) throw serialization_error("snapshot is inconsistent: a flag is neither 0 nor 1");
    if (has_pending) r.pending = pending;
    r.started = started != 0;
  }
  if (version == 1) return;
  collection(ar, r.origins, [&](item_origin& o) { byte_field(ar, o); });
  byte_field(ar, r.pending_origin);
  text_field(ar, r.sympson_hetter);
  std::uint32_t unrecorded = r.exposure.unrecorded();
  std::vector<std::uint32_t> counts(r.exposure.counts().begin(), r.exposure.counts().end());
  std::vector<std::uint32_t> changes(r.exposure.changes().begin(), r.exposure.changes().end());
  ar & unrecorded;
  collection(ar, counts, [&](std::uint32_t& c) { ar & c; });
  collection(ar, changes, [&](std::uint32_t& i) { ar & i; });
  if constexpr (Archive::is_loading::value) {
    try {
      // Items are checked against the bank later; here only that the parts fit together.
      r.exposure = exposure_log::from_parts(unrecorded, std::move(counts), std::move(changes), max_collection);
    } catch (const invalid_argument& e) {
      throw serialization_error(fmt::format("snapshot is inconsistent: {}", e.detail()));
    }
  }
}

// Explicit instantiations: the serialize template lives in this file only.
template void payload::serialize(boost::archive::binary_oarchive&, unsigned);
template void payload::serialize(boost::archive::binary_iarchive&, unsigned);

constexpr unsigned archive_flags = boost::archive::no_header | boost::archive::no_codecvt | boost::archive::no_tracking;

void put_u32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
void put_u64(std::vector<std::uint8_t>& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
void put_bytes(std::vector<std::uint8_t>& out, std::string_view s) { out.insert(out.end(), s.begin(), s.end()); }

struct cursor {
  std::span<const std::uint8_t> data;
  std::size_t pos = 0;
  std::uint64_t take_uint(int bytes) {
    if (data.size() - pos < static_cast<std::size_t>(bytes)) throw serialization_error("snapshot is truncated");
    std::uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v |= static_cast<std::uint64_t>(data[pos + static_cast<std::size_t>(i)]) << (8 * i);
    pos += static_cast<std::size_t>(bytes);
    return v;
  }
  std::string_view take(std::uint64_t n) {
    if (data.size() - pos < n) throw serialization_error("snapshot is truncated");
    std::string_view s(reinterpret_cast<const char*>(data.data() + pos), static_cast<std::size_t>(n));
    pos += static_cast<std::size_t>(n);
    return s;
  }
};

// spec_hash() of a specification is this hash of its canonical text.
std::string text_hash(const std::string& text) { return core::sha256_hex(text); }

test_spec parse_spec_of(const session_record& r) {
  try {
    return parse_test_spec(r.spec_yaml, "<snapshot>");
  } catch (const error& e) {
    throw serialization_error(fmt::format("snapshot's test specification is invalid: {}", e.detail()));
  }
}

// Engine steps a session with this record has asked for: one per item the engine chose (the
// pending one included) and one more if the test has ended (the step that ended it).
std::size_t engine_steps(const session_record& r) {
  std::size_t n = 0;
  for (auto o : r.origins) n += o == item_origin::engine;
  if (r.pending && r.pending_origin == item_origin::engine) ++n;
  if (r.reason != finish_reason::not_finished) ++n;
  return n;
}

}  // namespace

session_record read_snapshot(std::span<const std::uint8_t> bytes) {
  constexpr std::size_t digest = crypto_hash_sha256_BYTES;
  if (bytes.size() < sizeof(magic) + 4) throw serialization_error("snapshot is truncated (shorter than its header)");
  if (std::memcmp(bytes.data(), magic, sizeof(magic)) != 0) throw serialization_error("not a dskill session snapshot (bad magic)");
  cursor c{bytes, sizeof(magic)};
  const auto version = c.take_uint(4);
  if (version < 1 || version > snapshot_format_version)
    throw serialization_error(fmt::format("snapshot format version {} is not supported (this dskill reads 1 to {})", version,
                                          snapshot_format_version));
  if (bytes.size() < sizeof(magic) + 4 + digest) throw serialization_error("snapshot is truncated");
  unsigned char sum[digest];
  crypto_hash_sha256(sum, bytes.data(), bytes.size() - digest);
  if (std::memcmp(sum, bytes.data() + bytes.size() - digest, digest) != 0)
    throw serialization_error("snapshot checksum does not match: it is truncated or corrupted");
  const auto body = bytes.first(bytes.size() - digest);
  c.data = body;
  session_record r;
  const auto fp_len = c.take_uint(4);
  if (fp_len > 4096) throw serialization_error("snapshot header is corrupted (fingerprint length)");
  r.bank_fingerprint = std::string(c.take(fp_len));
  const auto sh_len = c.take_uint(4);
  if (sh_len > 4096) throw serialization_error("snapshot header is corrupted (spec hash length)");
  r.spec_hash = std::string(c.take(sh_len));
  const auto payload_len = c.take_uint(8);
  const auto bytes_of_payload = c.take(payload_len);
  if (c.pos != body.size()) throw serialization_error("snapshot has trailing bytes after its payload");
  payload p{r, static_cast<std::uint32_t>(version), {}};
  try {
    std::istringstream in(std::string(bytes_of_payload), std::ios::binary);
    boost::archive::binary_iarchive ar(in, archive_flags);
    ar >> p;
  } catch (const serialization_error&) {
    throw;
  } catch (const std::exception& e) {
    throw serialization_error(fmt::format("snapshot payload cannot be read: {}", e.what()));
  }
  if (text_hash(r.spec_yaml) != r.spec_hash) throw serialization_error("snapshot's test specification does not match its hash");
  if (version == 1) {
    // Format 1 kept the responses beside the history and nothing of how items were given or
    // what exposure state the steps read: every item counts as the engine's, and the exposure
    // steps (known once the specification is) as unrecorded.
    if (p.responses.size() != r.history.size()) throw serialization_error("snapshot is inconsistent: history and responses differ in length");
    for (std::size_t k = 0; k < r.history.size(); ++k)
      if (p.responses[k].item != r.history[k].item || p.responses[k].category != r.history[k].category)
        throw serialization_error("snapshot is inconsistent: history does not match the responses");
    r.origins.assign(r.history.size(), item_origin::engine);
    if (parse_spec_of(r).exposure.restricted_max > 0) r.exposure.skip_unrecorded(engine_steps(r));
  }
  return r;
}

std::vector<std::uint8_t> write_snapshot(const session_record& record) {
  std::ostringstream os(std::ios::binary);
  {
    boost::archive::binary_oarchive ar(os, archive_flags);
    payload p{const_cast<session_record&>(record), snapshot_format_version, {}};  // saving reads it only
    ar << p;
  }
  const std::string bytes_of_payload = os.str();
  std::vector<std::uint8_t> out(std::begin(magic), std::end(magic));
  out.reserve(bytes_of_payload.size() + 200);
  put_u32(out, snapshot_format_version);
  put_u32(out, static_cast<std::uint32_t>(record.bank_fingerprint.size()));
  put_bytes(out, record.bank_fingerprint);
  put_u32(out, static_cast<std::uint32_t>(record.spec_hash.size()));
  put_bytes(out, record.spec_hash);
  put_u64(out, bytes_of_payload.size());
  put_bytes(out, bytes_of_payload);
  unsigned char sum[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(sum, out.data(), out.size());
  out.insert(out.end(), std::begin(sum), std::end(sum));
  return out;
}

struct session::impl {
  static session build(std::shared_ptr<const engine> eng, session_record r) {
    const auto& bank = eng->bank();
    const std::size_t n = bank.size();
    auto bad = [](std::string_view what) { return serialization_error(fmt::format("snapshot is inconsistent: {}", what)); };
    if (r.origins.size() != r.history.size()) throw bad("history and origins differ in length");
    std::vector<std::uint8_t> seen(n, 0);
    for (std::size_t k = 0; k < r.history.size(); ++k) {
      const auto& h = r.history[k];
      if (h.item >= n) throw bad("an answered item is outside the bank");
      if (h.category < 0 || h.category >= bank.params(h.item).categories()) throw bad("a category is out of range");
      if (seen[h.item]) throw bad("an item is answered twice");
      seen[h.item] = 1;
      if (r.origins[k] > item_origin::administered_override) throw bad("unknown item origin");
    }
    for (auto i : r.set_aside)
      if (i >= n) throw bad("a set-aside item is outside the bank");
    if (r.pending && (*r.pending >= n || seen[*r.pending])) throw bad("the pending item is invalid");
    if (r.pending_origin > item_origin::administered_override) throw bad("unknown item origin");
    if (r.status > estimate::status::max_iterations) throw bad("unknown estimate status");
    if (r.reason > finish_reason::user_rule) throw bad("unknown finish reason");
    for (auto i : r.exposure.changes())
      if (i >= n) throw bad("an exposure-log item is outside the bank");
    // Progressive-restricted control logs every engine step, nothing else logs any.
    const std::size_t steps = eng->spec().exposure.restricted_max > 0 ? engine_steps(r) : 0;
    if (r.exposure.steps() != steps)
      throw bad(fmt::format("the exposure log has {} steps, the items given call for {}", r.exposure.steps(), steps));
    session s;
    s.engine_ = std::move(eng);
    s.responses_.reserve(r.history.size());
    for (const auto& h : r.history) s.responses_.push_back({h.item, h.category});
    s.history_ = std::move(r.history);
    s.origins_ = std::move(r.origins);
    s.set_aside_ = std::move(r.set_aside);
    s.pending_ = r.pending;
    s.pending_origin_ = r.pending ? r.pending_origin : item_origin::engine;
    s.started_ = r.started;
    // Nothing derived is taken from the bytes: the estimate after each answer, the estimate now
    // and whether the test is over are computed again from the answers (what a changed snapshot
    // could claim is then only answers, which a sealed one cannot change either).
    for (std::size_t k = 0; k < s.history_.size(); ++k) {
      const auto est = s.engine_->estimate(std::span<const estimate::response>(s.responses_).first(k + 1));
      s.history_[k].theta = est.theta;
      s.history_[k].se = est.se;
    }
    s.reestimate();
    s.reason_ = s.engine_->should_stop(s.state());
    // Running out of items is found by selection, not by the stopping rule: a finished test
    // that the rule does not stop is finished only for that reason (the next step would find
    // the same), never for another.
    if (s.reason_ == finish_reason::not_finished &&
        (r.reason == finish_reason::bank_exhausted || r.reason == finish_reason::information_exhausted))
      s.reason_ = r.reason;
    if (s.pending_ && s.reason_ != finish_reason::not_finished) throw bad("a finished session cannot have a pending item");
    s.seed_ = r.seed;
    s.rng_.set_state(r.rng_state);
    s.exposure_ = std::move(r.exposure);
    return s;
  }
};

std::vector<std::uint8_t> session::snapshot() const { return write_snapshot(record()); }

session session::from_record(std::shared_ptr<const engine> eng, const session_record& r) {
  if (!eng) throw invalid_argument("from_record needs an engine");
  if (r.bank_fingerprint != eng->bank().fingerprint())
    throw serialization_error(fmt::format("snapshot was taken over bank {}, not this bank ({})", r.bank_fingerprint, eng->bank().fingerprint()));
  if (r.spec_hash != eng->spec_hash() || r.spec_yaml != eng->spec_yaml())
    throw serialization_error("snapshot was taken under another test specification than this engine's");
  return impl::build(std::move(eng), r);
}

session session::restore(bank::bank_ptr bank, std::span<const std::uint8_t> bytes) {
  if (!bank) throw invalid_argument("restore needs a bank");
  auto r = read_snapshot(bytes);
  if (r.bank_fingerprint != bank->fingerprint())
    throw serialization_error(fmt::format("snapshot was taken over bank {}, not this bank ({})", r.bank_fingerprint, bank->fingerprint()));
  std::shared_ptr<const engine> eng;
  try {
    eng = engine::create(std::move(bank), parse_spec_of(r));
  } catch (const error& e) {
    throw serialization_error(fmt::format("snapshot's test specification does not fit the bank: {}", e.detail()));
  }
  return impl::build(std::move(eng), std::move(r));
}

session session::restore(std::shared_ptr<const engine> eng, std::span<const std::uint8_t> bytes) {
  if (!eng) throw invalid_argument("restore needs an engine");
  return from_record(std::move(eng), read_snapshot(bytes));
}

namespace {
constexpr std::string_view snapshot_purpose = "dskill session snapshot";
}  // namespace

std::vector<std::uint8_t> session::snapshot(const core::secret_key& key) const {
  return core::seal(snapshot(), key, snapshot_purpose);
}

std::vector<std::uint8_t> open_sealed_snapshot(std::span<const std::uint8_t> sealed, const core::secret_key& key) {
  return core::open_sealed(sealed, key, snapshot_purpose);
}

session session::restore(bank::bank_ptr bank, std::span<const std::uint8_t> sealed, const core::secret_key& key) {
  return restore(std::move(bank), open_sealed_snapshot(sealed, key));
}

session session::restore(std::shared_ptr<const engine> eng, std::span<const std::uint8_t> sealed,
                         const core::secret_key& key) {
  return restore(std::move(eng), open_sealed_snapshot(sealed, key));
}

}  // namespace cat
DSKILL_END_NAMESPACE
