#include "dskill/score/credential.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <sodium.h>

#include "dskill/core/seal.hpp"
#include "dskill/error.hpp"
#include "dskill/io/file_text.hpp"
#include "dskill/io/json_limits.hpp"

DSKILL_BEGIN_NAMESPACE
namespace score {

using json = nlohmann::json;

namespace {
void ensure_sodium() {
  if (sodium_init() < 0) throw error(errc::internal, "libsodium failed to initialise");
}

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

std::array<unsigned char, 32> sha256(std::string_view text) {
  std::array<unsigned char, 32> h{};
  crypto_hash_sha256(h.data(), reinterpret_cast<const unsigned char*>(text.data()), text.size());
  return h;
}

// Rejects floating-point numbers so that nlohmann's dump is the RFC 8785 form (see header).
void check_integers_only(const json& j) {
  if (j.is_number_float()) throw parse_error("canonical JSON: non-integer numbers are not supported in credentials");
  if (j.is_structured())
    for (const auto& v : j) check_integers_only(v);
}

// RFC 8785 for documents without floats: nlohmann's std::map objects are sorted by key bytes
// (the same order as UTF-16 code units for every key we write), dump() without indent has no
// whitespace, and escapes exactly ", \, \b \f \n \r \t and other controls as \u00xx.
std::string jcs(const json& j) {
  check_integers_only(j);
  return j.dump(-1, ' ', false, json::error_handler_t::strict);
}

std::string proof_hash_data(const json& proof_config, const json& document) {
  const auto a = sha256(jcs(proof_config));
  const auto b = sha256(jcs(document));
  std::string data(reinterpret_cast<const char*>(a.data()), a.size());
  data.append(reinterpret_cast<const char*>(b.data()), b.size());
  return data;
}

std::string format_score(double x) {
  if (!std::isfinite(x)) return "NaN";
  return fmt::format("{:.4f}", x == 0.0 ? 0.0 : x);
}
}  // namespace

std::string base58btc(std::span<const unsigned char> bytes) {
  static constexpr char alphabet[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  std::size_t zeros = 0;
  while (zeros < bytes.size() && bytes[zeros] == 0) ++zeros;
  std::vector<unsigned char> digits;  // base 58, least significant first
  for (std::size_t i = zeros; i < bytes.size(); ++i) {
    int carry = bytes[i];
    for (auto& d : digits) {
      carry += 256 * d;
      d = static_cast<unsigned char>(carry % 58);
      carry /= 58;
    }
    while (carry > 0) {
      digits.push_back(static_cast<unsigned char>(carry % 58));
      carry /= 58;
    }
  }
  std::string out(zeros, '1');
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) out += alphabet[*it];
  return out;
}

signing_key signing_key::from_seed_hex(std::string_view hex) {
  core::secret_key seed;
  try {
    seed = core::secret_key::from_hex(hex);
  } catch (const invalid_argument&) {
    throw invalid_argument("signing key: expected a 32-byte Ed25519 seed as 64 hexadecimal characters");
  }
  signing_key key;
  crypto_sign_seed_keypair(key.public_key.data(), key.secret_key.data(), seed.bytes.data());
  sodium_memzero(seed.bytes.data(), seed.bytes.size());
  return key;
}

signing_key signing_key::from_file(const std::string& path) {
  std::string text;
  try {
    text = io::read_file_text(path);
  } catch (const io_error&) {
    throw io_error("cannot open signing key file", location{.file = path});
  }
  try {
    return from_seed_hex(text);
  } catch (const invalid_argument& e) {
    throw invalid_argument(e.detail(), location{.file = path});
  }
}

std::string signing_key::did_key() const {
  std::array<unsigned char, 34> mc{};
  mc[0] = 0xed;  // multicodec ed25519-pub (varint 0xed 0x01)
  mc[1] = 0x01;
  std::copy(public_key.begin(), public_key.end(), mc.begin() + 2);
  return "did:key:z" + base58btc(mc);
}

std::string person_salt(const std::array<unsigned char, 32>& secret, std::string_view person_id) {
  ensure_sodium();
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, secret.data(), secret.size());
  static constexpr std::string_view domain = "dskill-salt-v1|";
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(domain.data()), domain.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(person_id.data()), person_id.size());
  crypto_auth_hmacsha256_final(&st, mac);
  return to_hex(std::span<const unsigned char>(mac, 16));
}

std::string identity_hash(std::string_view person_id, std::string_view salt) {
  std::string text(person_id);
  text += salt;
  return "sha256$" + to_hex(sha256(text));
}

namespace {
constexpr std::string_view achievement_placeholder = "@@dskill-achievement@@";

std::string framework_urn(const level_scheme& L) {
  return fmt::format("urn:dskill:framework:{}:{}", L.framework_id, L.framework_version);
}
std::string framework_name(const level_scheme& L) {
  return L.framework_title.empty() ? fmt::format("{} {}", L.framework_id, L.framework_version) : L.framework_title;
}
std::string area_label(const level_scheme::area& a) { return a.name.empty() ? "Area " + a.id : a.name; }
std::string result_id(const std::string& fw, const std::string& key, std::string_view what) {
  return fmt::format("{}:result:{}-{}", fw, key, what);
}

// The achievement of a rule: the same for everyone certified by it, so its canonical text is
// computed once per run (prepare_credentials) and spliced into each credential.
std::string achievement_text(const credential_context& ctx, std::size_t rule_index) {
  const auto& L = *ctx.levels;
  const auto& rule = L.rules.at(rule_index);
  const std::string fw = framework_urn(L), fw_name = framework_name(L);
  const std::string rule_name = rule.name.empty() ? rule.id : rule.name;
  json levels_json = json::array();
  for (const auto& lv : L.levels)
    levels_json.push_back({{"id", fmt::format("{}:level:{}", fw, lv.number)},
                           {"type", json::array({"RubricCriterionLevel"})},
                           {"name", lv.name.empty() ? fmt::format("Level {}", lv.number) : lv.name},
                           {"level", std::to_string(lv.number)}});
  json descriptions = json::array();
  const std::string vmin = format_score(ctx.theta_min), vmax = format_score(ctx.theta_max);
  auto describe = [&](const std::string& key, const std::string& label) {
    descriptions.push_back({{"id", result_id(fw, key, "theta")},
                            {"type", json::array({"ResultDescription"})},
                            {"name", label + ": ability (theta, logit scale)"},
                            {"resultType", "ScaledScore"},
                            {"valueMin", vmin},
                            {"valueMax", vmax}});
    descriptions.push_back({{"id", result_id(fw, key, "level")},
                            {"type", json::array({"ResultDescription"})},
                            {"name", label + ": proficiency level"},
                            {"resultType", "PerformanceLevel"},
                            {"rubricCriterionLevel", levels_json}});
  };
  describe("overall", "Overall");
  for (const auto& area : L.areas) describe("area-" + area.id, area_label(area));
  json alignment = json::array();
  for (const auto& c : L.competences)
    alignment.push_back({{"type", json::array({"Alignment"})},
                         {"targetName", c.name.empty() ? c.id : c.name},
                         {"targetUrl", fmt::format("{}:competence:{}", fw, c.id)},
                         {"targetCode", c.id},
                         {"targetFramework", fw_name},
                         {"targetType", "ceasn:Competency"}});
  const json ach = {{"id", fmt::format("{}:certification:{}", fw, rule.id)},
                    {"type", json::array({"Achievement"})},
                    {"achievementType", "Certificate"},
                    {"name", rule_name},
                    {"description", fmt::format("Certified under rule '{}' of the {} competency framework, from an "
                                                "IRT-scored assessment (bank {}).", rule.id, fw_name, ctx.bank_fingerprint)},
                    {"criteria", {{"narrative", fmt::format("The certification rule '{}' of {} holds for the proficiency "
                                                            "levels estimated from the person's responses.", rule.id, fw_name)}}},
                    {"alignment", alignment},
                    {"resultDescription", descriptions}};
  return jcs(ach);
}
}  // namespace

void prepare_credentials(credential_context& ctx) {
  ctx.achievements.clear();
  if (!ctx.levels) return;
  for (std::size_t r = 0; r < ctx.levels->rules.size(); ++r) ctx.achievements.push_back(achievement_text(ctx, r));
}

credential make_credential(const credential_context& ctx, std::string_view person_id, const person_result& r) {
  if (!ctx.levels) throw state_error("credentials need a framework (level scheme)");
  if (!r.rule) throw state_error("credential requested for a person who is not certified");
  const auto& L = *ctx.levels;
  const auto& rule = L.rules.at(*r.rule);

  // Credential id: a version-8 UUID from the run secret and the person id (stable on resume).
  std::string id_seed = "dskill-credential-id|" + to_hex(ctx.salt_secret) + "|" + ctx.bank_fingerprint + "|";
  id_seed += person_id;
  auto h = sha256(id_seed);
  h[6] = static_cast<unsigned char>((h[6] & 0x0F) | 0x80);
  h[8] = static_cast<unsigned char>((h[8] & 0x3F) | 0x80);
  const std::string hx = to_hex(std::span<const unsigned char>(h.data(), 16));
  const std::string uuid = fmt::format("{}-{}-{}-{}-{}", hx.substr(0, 8), hx.substr(8, 4), hx.substr(12, 4), hx.substr(16, 4),
                                       hx.substr(20, 12));

  const std::string fw = framework_urn(L), fw_name = framework_name(L);
  json results = json::array();
  auto add_results = [&](const std::string& key, double theta, int level) {
    results.push_back({{"type", json::array({"Result"})}, {"resultDescription", result_id(fw, key, "theta")},
                       {"value", format_score(theta)}});
    if (level > 0)
      results.push_back({{"type", json::array({"Result"})}, {"resultDescription", result_id(fw, key, "level")},
                         {"achievedLevel", fmt::format("{}:level:{}", fw, level)}});
  };
  add_results("overall", r.overall.theta, r.level);
  for (std::size_t a = 0; a < L.areas.size() && a < r.areas.size(); ++a)
    if (r.areas[a].n_answered > 0) add_results("area-" + L.areas[a].id, r.areas[a].est.theta, r.areas[a].level);

  std::string issuer_id = ctx.options.issuer_id;
  if (issuer_id.empty()) issuer_id = ctx.options.key ? ctx.options.key->did_key() : "urn:dskill:issuer:" + ctx.bank_id;
  const std::string salt = person_salt(ctx.salt_secret, person_id);
  const std::string rule_name = rule.name.empty() ? rule.id : rule.name;

  const json doc = {
      {"@context", {"https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"}},
      {"id", "urn:uuid:" + uuid},
      {"type", {"VerifiableCredential", "AchievementCredential"}},
      {"issuer", {{"id", issuer_id}, {"type", json::array({"Profile"})}, {"name", ctx.options.issuer_name}}},
      {"validFrom", ctx.issued_at},
      {"name", fmt::format("{}: {}", fw_name, rule_name)},
      {"credentialSubject",
       {{"type", json::array({"AchievementSubject"})},
        {"identifier", json::array({json{{"type", "IdentityObject"},
                                         {"identityHash", identity_hash(person_id, salt)},
                                         {"identityType", ctx.options.identity_type},
                                         {"hashed", true},
                                         {"salt", salt}}})},
        {"achievement", achievement_placeholder},
        {"result", results}}}};
  // JCS composes: the canonical text of the document is that of its parts, so the rule's
  // canonical achievement is spliced in where the placeholder string stands.
  std::string text = jcs(doc);
  const std::string quoted = fmt::format("\"{}\"", achievement_placeholder);
  const auto at = text.find(quoted);
  if (at == std::string::npos) throw error(errc::internal, "credential: achievement placeholder lost");
  text.replace(at, quoted.size(),
               *r.rule < ctx.achievements.size() ? ctx.achievements[*r.rule] : achievement_text(ctx, *r.rule));

  if (ctx.options.key) {
    const auto& key = *ctx.options.key;
    const std::string did = key.did_key();
    json proof = {{"type", "DataIntegrityProof"},
                  {"cryptosuite", "eddsa-jcs-2022"},
                  {"created", ctx.issued_at},
                  {"verificationMethod", did + "#" + did.substr(8)},
                  {"proofPurpose", "assertionMethod"}};
    json config = proof;
    config["@context"] = doc["@context"];
    const auto a = sha256(jcs(config));
    const auto b = sha256(text);
    unsigned char data[64];
    std::copy(a.begin(), a.end(), data);
    std::copy(b.begin(), b.end(), data + 32);
    unsigned char sig[crypto_sign_BYTES];
    crypto_sign_detached(sig, nullptr, data, sizeof data, key.secret_key.data());
    proof["proofValue"] = "z" + base58btc(std::span<const unsigned char>(sig, sizeof sig));
    // the proof goes last (not in key order: the output need not be canonical, only the hashed text)
    text.pop_back();
    text += ",\"proof\":";
    text += jcs(proof);
    text += '}';
  }
  return {"urn:uuid:" + uuid, std::move(text)};
}

namespace {

std::string verify_parsed(std::string_view json_text, const std::array<unsigned char, 32>& public_key) {
  if (const auto at = io::json_too_deep_at(json_text))
    return fmt::format("not a credential: JSON nested deeper than {} levels at byte {}", io::max_json_depth, at);
  json doc;
  try {
    doc = json::parse(json_text);
  } catch (const json::parse_error& e) {
    return fmt::format("not JSON: {}", e.what());
  }
  if (!doc.is_object() || !doc.contains("proof") || !doc["proof"].is_object()) return "no proof";
  json proof = doc["proof"];
  doc.erase("proof");
  if (proof.value("type", "") != "DataIntegrityProof" || proof.value("cryptosuite", "") != "eddsa-jcs-2022")
    return "not an eddsa-jcs-2022 DataIntegrityProof";
  const std::string value = proof.value("proofValue", "");
  if (value.size() < 2 || value[0] != 'z') return "proofValue is not multibase base58btc";
  // 64 bytes are at most 88 base58 digits; a longer value is not a signature (and decoding it
  // costs the square of its length).
  if (value.size() > 1 + 100) return "signature has the wrong length";
  // decode base58btc
  static constexpr std::string_view alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  std::vector<unsigned char> bytes;  // base 256, least significant first
  std::size_t zeros = 0;
  for (std::size_t i = 1; i < value.size() && value[i] == '1'; ++i) ++zeros;
  for (std::size_t i = 1 + zeros; i < value.size(); ++i) {
    const auto d = alphabet.find(value[i]);
    if (d == std::string_view::npos) return "proofValue has a character outside base58";
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
  std::vector<unsigned char> sig(zeros, 0);
  sig.insert(sig.end(), bytes.rbegin(), bytes.rend());
  if (sig.size() != crypto_sign_BYTES) return "signature has the wrong length";
  signing_key pk;
  pk.public_key = public_key;
  const std::string did = pk.did_key();
  if (proof.value("verificationMethod", "") != did + "#" + did.substr(8)) return "verificationMethod is not this key";
  proof.erase("proofValue");
  proof["@context"] = doc["@context"];
  std::string data;
  try {
    data = proof_hash_data(proof, doc);
  } catch (const std::exception& e) {
    return e.what();
  }
  if (crypto_sign_verify_detached(sig.data(), reinterpret_cast<const unsigned char*>(data.data()), data.size(),
                                  public_key.data()) != 0)
    return "signature does not verify";
  return {};
}

}  // namespace

std::string verify_credential(std::string_view json_text, const std::array<unsigned char, 32>& public_key) {
  ensure_sodium();
  try {
    return verify_parsed(json_text, public_key);
  } catch (const json::exception& e) {  // a member of the wrong type, say "type": 1
    return fmt::format("malformed credential: {}", e.what());
  }
}

std::string canonical_json(std::string_view json_text) {
  if (const auto at = io::json_too_deep_at(json_text))
    throw parse_error(fmt::format("canonical JSON: nested deeper than {} levels at byte {}", io::max_json_depth, at));
  try {
    return jcs(json::parse(json_text));
  } catch (const json::exception& e) {
    throw parse_error(fmt::format("canonical JSON: {}", e.what()));
  }
}

}  // namespace score
DSKILL_END_NAMESPACE
