#include "data_integrity.hpp"

#include <fmt/format.h>
#include <sodium.h>

#include "dskill/core/hash.hpp"
#include "dskill/error.hpp"
#include "dskill/ld/ld.hpp"

DSKILL_BEGIN_NAMESPACE
namespace score::detail {

std::string to_hex(std::span<const unsigned char> bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

digest sha256(std::string_view text) { return core::sha256(text); }

namespace {
// Rejects floating-point numbers so that nlohmann's dump is the RFC 8785 form (see header).
void check_integers_only(const json& j) {
  if (j.is_number_float()) throw parse_error("canonical JSON: non-integer numbers are not supported in credentials");
  if (j.is_structured())
    for (const auto& v : j) check_integers_only(v);
}

std::string rdfc_nquads(std::string_view jsonld_text) { return ld::canonical_nquads(jsonld_text); }
}  // namespace

// RFC 8785 for documents without floats: nlohmann's std::map objects are sorted by key bytes
// (the same order as UTF-16 code units for every key we write), dump() without indent has no
// whitespace, and escapes exactly ", \, \b \f \n \r \t and other controls as \u00xx.
std::string jcs(const json& j) {
  check_integers_only(j);
  return j.dump(-1, ' ', false, json::error_handler_t::strict);
}

std::optional<std::vector<unsigned char>> base58_decode(std::string_view text, std::size_t max_chars) {
  static constexpr std::string_view alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  // Decoding costs the square of the length: a bound keeps hostile input cheap.
  if (text.size() > max_chars) return std::nullopt;
  std::vector<unsigned char> bytes;  // base 256, least significant first
  std::size_t zeros = 0;
  while (zeros < text.size() && text[zeros] == '1') ++zeros;
  for (std::size_t i = zeros; i < text.size(); ++i) {
    const auto d = alphabet.find(text[i]);
    if (d == std::string_view::npos) return std::nullopt;
    int carry = static_cast<int>(d);
    for (auto& b : bytes) {
      carry += 58 * b;
      b = static_cast<unsigned char>(carry & 0xFF);
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.push_back(static_cast<unsigned char>(carry & 0xFF));
      carry >>= 8;
    }
  }
  std::vector<unsigned char> out(zeros + bytes.size(), 0);
  std::copy(bytes.rbegin(), bytes.rend(), out.begin() + static_cast<std::ptrdiff_t>(zeros));
  return out;
}

digest canonical_hash_of_jcs_text(proof_suite suite, std::string_view jcs_text) {
  return suite == proof_suite::eddsa_jcs_2022 ? sha256(jcs_text) : sha256(rdfc_nquads(jcs_text));
}

digest canonical_hash(proof_suite suite, const json& doc) { return canonical_hash_of_jcs_text(suite, jcs(doc)); }

json proof_skeleton(const signing_key& key, const proof_options& o) {
  std::string vm = o.verification_method;
  if (vm.empty()) vm = key.did_key() + "#" + key.multikey();
  return {{"type", "DataIntegrityProof"},
          {"cryptosuite", std::string(to_string(o.suite))},
          {"created", o.created},
          {"verificationMethod", vm},
          {"proofPurpose", "assertionMethod"}};
}

digest proof_config_hash(proof_suite suite, json skeleton, const json& context) {
  skeleton["@context"] = context;
  return canonical_hash(suite, skeleton);
}

std::string proof_value(const signing_key& key, const digest& config_hash, const digest& document_hash) {
  unsigned char data[64];
  std::copy(config_hash.begin(), config_hash.end(), data);
  std::copy(document_hash.begin(), document_hash.end(), data + 32);
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, data, sizeof data, key.secret_key.data());
  return "z" + base58btc(std::span<const unsigned char>(sig, sizeof sig));
}

namespace {
// The proof as written: the skeleton with its value, and for JCS the @context it was hashed with
// (vc-di-eddsa, Create Proof (eddsa-jcs-2022), step 2).
json written_proof(json skeleton, const json& context, std::string_view value) {
  skeleton["proofValue"] = value;
  if (parse_proof_suite(skeleton.value("cryptosuite", "")) == proof_suite::eddsa_jcs_2022) skeleton["@context"] = context;
  return skeleton;
}
}  // namespace

json finish_proof(const signing_key& key, json skeleton, const json& context, const digest& config_hash,
                  const digest& document_hash) {
  return written_proof(std::move(skeleton), context, proof_value(key, config_hash, document_hash));
}

std::pair<std::string, std::string> proof_text_around_value(json skeleton, const json& context) {
  static constexpr std::string_view marker = "@@dskill-proof-value@@";
  const std::string text = jcs(written_proof(std::move(skeleton), context, marker));
  const auto at = text.find(marker);
  return {text.substr(0, at), text.substr(at + marker.size())};
}

std::string check_proof(const json& unsecured_in, const json& proof, const std::array<unsigned char, 32>& public_key) {
  if (!proof.is_object()) return "a proof is not an object";
  if (proof.value("type", "") != "DataIntegrityProof") return "a proof is not a DataIntegrityProof";
  const auto suite = parse_proof_suite(proof.value("cryptosuite", ""));
  if (!suite) return fmt::format("unsupported cryptosuite '{}' (eddsa-rdfc-2022 or eddsa-jcs-2022)", proof.value("cryptosuite", ""));
  if (proof.value("proofPurpose", "") != "assertionMethod") return "proofPurpose is not assertionMethod";
  const std::string value = proof.value("proofValue", "");
  if (value.size() < 2 || value[0] != 'z') return "proofValue is not multibase base58btc";
  // 64 bytes are at most 88 base58 digits.
  const auto sig = base58_decode(std::string_view(value).substr(1), 100);
  if (!sig) return "proofValue is not base58btc";
  if (sig->size() != crypto_sign_BYTES) return "signature has the wrong length";
  json config = proof;
  config.erase("proofValue");
  json unsecured = unsecured_in;
  if (*suite == proof_suite::eddsa_jcs_2022) {
    // vc-di-eddsa 3.3.2 Verify Proof (eddsa-jcs-2022): the proof's @context must open the
    // document's, and is the one the document is hashed with.
    if (config.contains("@context")) {
      const json& pc = config["@context"];
      const json& dc = unsecured.contains("@context") ? unsecured["@context"] : json();
      const json pa = pc.is_array() ? pc : json::array({pc});
      const json da = dc.is_array() ? dc : json::array({dc});
      if (pa.size() > da.size() || !std::equal(pa.begin(), pa.end(), da.begin()))
        return "the proof's @context does not match the document's";
      unsecured["@context"] = pc;
    }
  } else {
    if (!unsecured.contains("@context")) return "the document has no @context";
    config["@context"] = unsecured["@context"];
  }
  digest a{}, b{};
  try {
    a = canonical_hash(*suite, config);
    b = canonical_hash(*suite, unsecured);
  } catch (const dskill::error& e) {
    return fmt::format("cannot canonicalise: {}", e.detail());
  }
  unsigned char data[64];
  std::copy(a.begin(), a.end(), data);
  std::copy(b.begin(), b.end(), data + 32);
  if (crypto_sign_verify_detached(sig->data(), data, sizeof data, public_key.data()) != 0) return "signature does not verify";
  return {};
}

}  // namespace score::detail
DSKILL_END_NAMESPACE
