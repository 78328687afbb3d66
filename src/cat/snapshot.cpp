// dskill::cat snapshots: a session through Boost.Serialization inside a versioned envelope.
//
// Envelope (integers little-endian):
//   magic "DSKSNAP\0" (8) | format version u32 | bank fingerprint (u32 length + bytes) |
//   spec hash (u32 length + bytes) | payload (u64 length + bytes) | SHA-256 of all before (32)
// The payload is a Boost binary archive (no header: the envelope carries the versioning) of the
// session record below, whose collections are written with explicit, bounded counts so that a
// forged count can never make the reader allocate without limit. Everything is checked (magic,
// version, checksum, bank, spec hash, then every index and category against the bank) before a
// session is built.
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

/// What a snapshot payload holds.
struct session_record {
  std::string spec_yaml;
  std::uint64_t seed = 0;
  rng::state_type rng_state{};
  std::vector<estimate::response> responses;
  std::vector<history_entry> history;
  std::vector<std::uint32_t> set_aside;
  // Flags are bytes, not bool: Boost reads a bool by copying a byte into it, and any byte other
  // than 0 or 1 would be undefined behaviour before we could refuse it (found by fuzzing).
  std::uint8_t has_pending = 0;
  std::uint32_t pending = 0;
  double theta = 0, se = 0;
  std::uint8_t status = 0, reason = 0;
  std::uint8_t started = 0;

  template <class Archive>
  void serialize(Archive& ar, unsigned version);
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

template <class Archive>
void session_record::serialize(Archive& ar, unsigned /*version*/) {
  text_field(ar, spec_yaml);
  ar & seed;
  for (auto& w : rng_state) ar & w;
  collection(ar, responses, [&](estimate::response& r) {
    ar & r.item;
    ar & r.category;
  });
  collection(ar, history, [&](history_entry& h) {
    ar & h.item;
    ar & h.category;
    ar & h.theta;
    ar & h.se;
  });
  collection(ar, set_aside, [&](std::uint32_t& i) { ar & i; });
  ar & has_pending;
  ar & pending;
  ar & theta;
  ar & se;
  ar & status;
  ar & reason;
  ar & started;
}

// Explicit instantiations: the serialize template lives in this file only.
template void session_record::serialize(boost::archive::binary_oarchive&, unsigned);
template void session_record::serialize(boost::archive::binary_iarchive&, unsigned);

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

struct opened {
  std::string fingerprint, spec_hash;
  session_record record;
};

// spec_hash() of a specification is this hash of its canonical text.
std::string text_hash(const std::string& text) { return core::sha256_hex(text); }

opened open_envelope(std::span<const std::uint8_t> bytes) {
  constexpr std::size_t digest = crypto_hash_sha256_BYTES;
  if (bytes.size() < sizeof(magic) + 4) throw serialization_error("snapshot is truncated (shorter than its header)");
  if (std::memcmp(bytes.data(), magic, sizeof(magic)) != 0) throw serialization_error("not a dskill session snapshot (bad magic)");
  cursor c{bytes, sizeof(magic)};
  const auto version = c.take_uint(4);
  if (version != snapshot_format_version)
    throw serialization_error(fmt::format("snapshot format version {} is not supported (this dskill reads {})", version,
                                          snapshot_format_version));
  if (bytes.size() < sizeof(magic) + 4 + digest) throw serialization_error("snapshot is truncated");
  unsigned char sum[digest];
  crypto_hash_sha256(sum, bytes.data(), bytes.size() - digest);
  if (std::memcmp(sum, bytes.data() + bytes.size() - digest, digest) != 0)
    throw serialization_error("snapshot checksum does not match: it is truncated or corrupted");
  const auto body = bytes.first(bytes.size() - digest);
  c.data = body;
  opened o;
  const auto fp_len = c.take_uint(4);
  if (fp_len > 4096) throw serialization_error("snapshot header is corrupted (fingerprint length)");
  o.fingerprint = std::string(c.take(fp_len));
  const auto sh_len = c.take_uint(4);
  if (sh_len > 4096) throw serialization_error("snapshot header is corrupted (spec hash length)");
  o.spec_hash = std::string(c.take(sh_len));
  const auto payload_len = c.take_uint(8);
  const auto payload = c.take(payload_len);
  if (c.pos != body.size()) throw serialization_error("snapshot has trailing bytes after its payload");
  try {
    std::istringstream in(std::string(payload), std::ios::binary);
    boost::archive::binary_iarchive ar(in, archive_flags);
    ar >> o.record;
  } catch (const serialization_error&) {
    throw;
  } catch (const std::exception& e) {
    throw serialization_error(fmt::format("snapshot payload cannot be read: {}", e.what()));
  }
  if (text_hash(o.record.spec_yaml) != o.spec_hash) throw serialization_error("snapshot's test specification does not match its hash");
  return o;
}

test_spec parse_spec_of(const opened& o) {
  try {
    return parse_test_spec(o.record.spec_yaml, "<snapshot>");
  } catch (const error& e) {
    throw serialization_error(fmt::format("snapshot's test specification is invalid: {}", e.detail()));
  }
}

}  // namespace

struct session::impl {
  static session build(std::shared_ptr<const engine> eng, const opened& o) {
    const auto& bank = eng->bank();
    const auto& r = o.record;
    const std::size_t n = bank.size();
    auto bad = [](std::string_view what) { return serialization_error(fmt::format("snapshot is inconsistent: {}", what)); };
    if (r.history.size() != r.responses.size()) throw bad("history and responses differ in length");
    std::vector<std::uint8_t> seen(n, 0);
    for (std::size_t k = 0; k < r.responses.size(); ++k) {
      const auto& x = r.responses[k];
      if (x.item >= n) throw bad("an answered item is outside the bank");
      if (x.category < 0 || x.category >= bank.params(x.item).categories()) throw bad("a category is out of range");
      if (seen[x.item]) throw bad("an item is answered twice");
      seen[x.item] = 1;
      const auto& h = r.history[k];
      if (h.item != x.item || h.category != x.category) throw bad("history does not match the responses");
    }
    for (auto i : r.set_aside)
      if (i >= n) throw bad("a set-aside item is outside the bank");
    if (r.has_pending > 1 || r.started > 1) throw bad("a flag is neither 0 nor 1");
    if (r.has_pending && (r.pending >= n || seen[r.pending])) throw bad("the pending item is invalid");
    if (r.status > static_cast<std::uint8_t>(estimate::status::max_iterations)) throw bad("unknown estimate status");
    if (r.reason > static_cast<std::uint8_t>(finish_reason::user_rule)) throw bad("unknown finish reason");
    if (r.has_pending && r.reason != 0) throw bad("a finished session cannot have a pending item");
    session s;
    s.engine_ = std::move(eng);
    s.responses_ = r.responses;
    s.history_ = r.history;
    s.set_aside_ = r.set_aside;
    if (r.has_pending) s.pending_ = r.pending;
    s.theta_ = r.theta;
    s.se_ = r.se;
    s.status_ = static_cast<estimate::status>(r.status);
    s.reason_ = static_cast<finish_reason>(r.reason);
    s.started_ = r.started != 0;
    s.seed_ = r.seed;
    s.rng_.set_state(r.rng_state);
    return s;
  }
};

std::vector<std::uint8_t> session::snapshot() const {
  session_record r;
  r.spec_yaml = engine_->spec_yaml();
  r.seed = seed_;
  r.rng_state = rng_.state();
  r.responses = responses_;
  r.history = history_;
  r.set_aside = set_aside_;
  r.has_pending = pending_.has_value() ? 1 : 0;
  r.pending = pending_.value_or(0);
  r.theta = theta_;
  r.se = se_;
  r.status = static_cast<std::uint8_t>(status_);
  r.reason = static_cast<std::uint8_t>(reason_);
  r.started = started_ ? 1 : 0;
  std::ostringstream os(std::ios::binary);
  {
    boost::archive::binary_oarchive ar(os, archive_flags);
    ar << r;
  }
  const std::string payload = os.str();
  std::vector<std::uint8_t> out(std::begin(magic), std::end(magic));
  out.reserve(payload.size() + 200);
  put_u32(out, snapshot_format_version);
  const auto& fp = engine_->bank().fingerprint();
  put_u32(out, static_cast<std::uint32_t>(fp.size()));
  put_bytes(out, fp);
  const auto& sh = engine_->spec_hash();
  put_u32(out, static_cast<std::uint32_t>(sh.size()));
  put_bytes(out, sh);
  put_u64(out, payload.size());
  put_bytes(out, payload);
  unsigned char sum[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(sum, out.data(), out.size());
  out.insert(out.end(), std::begin(sum), std::end(sum));
  return out;
}

session session::restore(bank::bank_ptr bank, std::span<const std::uint8_t> bytes) {
  if (!bank) throw invalid_argument("restore needs a bank");
  auto o = open_envelope(bytes);
  if (o.fingerprint != bank->fingerprint())
    throw serialization_error(fmt::format("snapshot was taken over bank {}, not this bank ({})", o.fingerprint, bank->fingerprint()));
  std::shared_ptr<const engine> eng;
  try {
    eng = engine::create(std::move(bank), parse_spec_of(o));
  } catch (const error& e) {
    throw serialization_error(fmt::format("snapshot's test specification does not fit the bank: {}", e.detail()));
  }
  return impl::build(std::move(eng), o);
}

session session::restore(std::shared_ptr<const engine> eng, std::span<const std::uint8_t> bytes) {
  if (!eng) throw invalid_argument("restore needs an engine");
  auto o = open_envelope(bytes);
  if (o.fingerprint != eng->bank().fingerprint())
    throw serialization_error(fmt::format("snapshot was taken over bank {}, not this bank ({})", o.fingerprint, eng->bank().fingerprint()));
  if (o.spec_hash != eng->spec_hash() || o.record.spec_yaml != eng->spec_yaml())
    throw serialization_error("snapshot was taken under another test specification than this engine's");
  return impl::build(std::move(eng), o);
}

}  // namespace cat
DSKILL_END_NAMESPACE
