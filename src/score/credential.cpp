#include "dskill/score/credential.hpp"

#include <algorithm>
#include <map>
#include <mutex>

#include <fmt/format.h>
#include <sodium.h>

#include "data_integrity.hpp"
#include "dskill/core/seal.hpp"
#include "dskill/error.hpp"
#include "dskill/io/file_text.hpp"
#include "dskill/io/json_limits.hpp"
#include "dskill/io/json_text.hpp"
#include "dskill/ld/ld.hpp"
#include "dskill/score/status_list.hpp"

DSKILL_BEGIN_NAMESPACE
namespace score {

using detail::json;
using detail::jcs;
using detail::sha256;
using detail::to_hex;

namespace {
void ensure_sodium() {
  if (sodium_init() < 0) throw error(errc::internal, "libsodium failed to initialise");
}

// The texts dskill itself writes into a credential, per language (names and titles come
// from the framework, in the same language).
struct texts {
  std::string_view overall, level_of, level_n, area_n, description, criteria;
};
const texts& texts_for(std::string_view language) {
  static const texts en{"Overall", "{}: proficiency level", "Level {}", "Area {}",
                        "Certified under rule '{}' of {}.",
                        "The proficiency levels estimated from the person's answers (item response theory) meet "
                        "rule '{}' of {}."};
  static const texts vi{"Tổng thể", "{}: mức thành thạo", "Bậc {}", "Miền {}",
                        "Chứng nhận theo quy tắc '{}' của {}.",
                        "Các mức thành thạo ước lượng từ bài làm (lý thuyết ứng đáp câu hỏi) đáp ứng quy tắc '{}' của {}."};
  return language == "vi" ? vi : en;
}

constexpr std::string_view ob_schema =
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json-ld/ob_v3p0_achievementcredential_schema.json";

const json& credential_context_urls() {
  static const json c = json::array(
      {"https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"});
  return c;
}

// Identifiers of the parts dskill defines (achievement, result descriptions, levels). With a
// public URL the achievement is published once (DIR/public/achievements/<rule>.json) and its
// parts are fragments of that URL; without one they are URNs under the framework. What points
// outside (alignments) uses the framework's own URL.
std::string urn_base(const level_scheme& L) { return fmt::format("urn:dskill:{}:{}", L.framework_id, L.framework_version); }
std::string framework_name(const level_scheme& L) {
  return L.framework_title.empty() ? fmt::format("{} {}", L.framework_id, L.framework_version) : L.framework_title;
}
std::string framework_ref(const level_scheme& L, std::string_view fragment) {
  if (L.framework_url.empty()) return fmt::format("{}:{}", urn_base(L), fragment);
  return fmt::format("{}#{}", L.framework_url, fragment);
}
std::string trimmed_url(std::string_view url) {
  while (!url.empty() && url.back() == '/') url.remove_suffix(1);
  return std::string(url);
}
std::string achievement_id(const credential_context& ctx, const level_scheme::rule& rule) {
  if (ctx.options.public_url.empty()) return fmt::format("{}:certification-{}", urn_base(*ctx.levels), rule.id);
  return fmt::format("{}/achievements/{}.json", trimmed_url(ctx.options.public_url), rule.id);
}
// A part of the achievement: "<achievement url>#<part>", or "<urn>:<part>".
std::string part_id(const credential_context& ctx, const level_scheme::rule& rule, std::string_view part) {
  if (ctx.options.public_url.empty()) return fmt::format("{}:{}", urn_base(*ctx.levels), part);
  return fmt::format("{}#{}", achievement_id(ctx, rule), part);
}

std::string rule_name(const level_scheme::rule& rule) { return rule.name.empty() ? rule.id : rule.name; }
// A level's name in the framework, or "Level n" in the run's language when it has none.
std::string level_name(const level_scheme& L, const texts& t, int number) {
  const auto lv = std::find_if(L.levels.begin(), L.levels.end(), [&](const auto& l) { return l.number == number; });
  return lv != L.levels.end() && !lv->name.empty() ? lv->name : fmt::format(fmt::runtime(t.level_n), number);
}

std::string issuer_of(const credential_context& ctx) {
  if (!ctx.options.issuer_id.empty()) return ctx.options.issuer_id;
  return ctx.options.key ? ctx.options.key->did_key() : "urn:dskill:issuer:" + ctx.bank_id;
}

// The achievement of a rule, the same for everyone certified by it. `full`: with its levels,
// result descriptions and alignments (embedded when nothing is published, or the published
// document); otherwise the short form a credential embeds when the full one is published.
json achievement_json(const credential_context& ctx, std::size_t rule_index, bool full) {
  const auto& L = *ctx.levels;
  const auto& t = texts_for(ctx.options.language);
  const auto& rule = L.rules.at(rule_index);
  const std::string fw_name = framework_name(L);
  json ach = {{"id", achievement_id(ctx, rule)},
              {"type", json::array({"Achievement"})},
              {"achievementType", "Certificate"},
              {"name", rule_name(rule)},
              {"inLanguage", ctx.options.language},
              {"description", fmt::format(fmt::runtime(t.description), rule.id, fw_name)},
              {"criteria", {{"narrative", fmt::format(fmt::runtime(t.criteria), rule.id, fw_name)}}}};
  if (!full) return ach;
  json levels = json::array();
  for (const auto& lv : L.levels)
    levels.push_back({{"id", part_id(ctx, rule, fmt::format("level-{}", lv.number))},
                      {"type", json::array({"RubricCriterionLevel"})},
                      {"name", level_name(L, t, lv.number)},
                      {"level", std::to_string(lv.number)}});
  // One description carries the levels; the areas' descriptions refer to the same levels.
  json descriptions = json::array();
  descriptions.push_back({{"id", part_id(ctx, rule, "overall")},
                          {"type", json::array({"ResultDescription"})},
                          {"name", fmt::format(fmt::runtime(t.level_of), t.overall)},
                          {"resultType", "PerformanceLevel"},
                          {"rubricCriterionLevel", levels}});
  json alignment = json::array();
  for (const auto& area : L.areas) {
    const std::string name = area.name.empty() ? fmt::format(fmt::runtime(t.area_n), area.id) : area.name;
    descriptions.push_back({{"id", part_id(ctx, rule, "area-" + area.id)},
                            {"type", json::array({"ResultDescription"})},
                            {"name", fmt::format(fmt::runtime(t.level_of), name)},
                            {"resultType", "PerformanceLevel"}});
    alignment.push_back({{"type", json::array({"Alignment"})},
                         {"targetName", name},
                         {"targetUrl", framework_ref(L, "area-" + area.id)},
                         {"targetCode", area.id},
                         {"targetFramework", fw_name}});
  }
  for (const auto& c : L.competences)
    alignment.push_back({{"type", json::array({"Alignment"})},
                         {"targetName", c.name.empty() ? c.id : c.name},
                         {"targetUrl", framework_ref(L, c.id)},
                         {"targetCode", c.id},
                         {"targetFramework", fw_name}});
  ach["alignment"] = alignment;
  ach["resultDescription"] = descriptions;
  return ach;
}

std::array<unsigned char, 32> hmac(const std::array<unsigned char, 32>& secret, std::string_view domain,
                                   std::string_view person_id) {
  ensure_sodium();
  std::array<unsigned char, 32> mac{};
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, secret.data(), secret.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(domain.data()), domain.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(person_id.data()), person_id.size());
  crypto_auth_hmacsha256_final(&st, mac.data());
  return mac;
}
std::string hmac_hex(const std::array<unsigned char, 32>& secret, std::string_view domain, std::string_view person_id,
                     std::size_t bytes) {
  const auto mac = hmac(secret, domain, person_id);
  return to_hex(std::span<const unsigned char>(mac.data(), bytes));
}
}  // namespace

std::string_view to_string(proof_suite s) noexcept {
  return s == proof_suite::eddsa_jcs_2022 ? "eddsa-jcs-2022" : "eddsa-rdfc-2022";
}
std::optional<proof_suite> parse_proof_suite(std::string_view name) noexcept {
  if (name == "eddsa-rdfc-2022") return proof_suite::eddsa_rdfc_2022;
  if (name == "eddsa-jcs-2022") return proof_suite::eddsa_jcs_2022;
  return std::nullopt;
}

std::string base58btc(std::span<const unsigned char> bytes) {
  static constexpr char alphabet[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  std::size_t zeros = 0;
  while (zeros < bytes.size() && bytes[zeros] == 0) ++zeros;
  // Digits of base 58^5 (fits 32 bits), least significant first: a fifth of the byte-digit
  // passes (every proofValue is one of these).
  constexpr std::uint64_t big = 58ull * 58 * 58 * 58 * 58;
  std::vector<std::uint32_t> limbs;
  limbs.reserve(bytes.size() / 3 + 1);
  for (std::size_t i = zeros; i < bytes.size(); ++i) {
    std::uint64_t carry = bytes[i];
    for (auto& l : limbs) {
      carry += std::uint64_t{l} << 8;
      l = static_cast<std::uint32_t>(carry % big);
      carry /= big;
    }
    while (carry > 0) {
      limbs.push_back(static_cast<std::uint32_t>(carry % big));
      carry /= big;
    }
  }
  std::string digits;  // base 58, least significant first
  digits.reserve(limbs.size() * 5);
  for (std::size_t k = 0; k < limbs.size(); ++k) {
    std::uint32_t l = limbs[k];
    for (int d = 0; d < 5 && (l > 0 || k + 1 < limbs.size()); ++d) {
      digits += alphabet[l % 58];
      l /= 58;
    }
  }
  std::string out(zeros, '1');
  out.append(digits.rbegin(), digits.rend());
  return out;
}

signing_key signing_key::from_seed_hex(std::string_view hex) {
  core::secret_key seed;
  try {
    seed = core::secret_key::from_hex(hex);
  } catch (const invalid_argument&) {
    throw invalid_argument("signing key: expected a 32-byte Ed25519 seed as 64 hexadecimal characters");
  }
  ensure_sodium();
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
    auto key = from_seed_hex(text);
    sodium_memzero(text.data(), text.size());
    return key;
  } catch (const invalid_argument& e) {
    throw invalid_argument(e.detail(), location{.file = path});
  }
}

std::string signing_key::multikey() const {
  std::array<unsigned char, 34> mc{};
  mc[0] = 0xed;  // multicodec ed25519-pub (varint 0xed 0x01)
  mc[1] = 0x01;
  std::copy(public_key.begin(), public_key.end(), mc.begin() + 2);
  return "z" + base58btc(mc);
}

std::optional<std::array<unsigned char, 32>> signing_key::public_key_of(std::string_view multikey) {
  if (multikey.size() < 2 || multikey[0] != 'z') return std::nullopt;
  const auto bytes = detail::base58_decode(multikey.substr(1), 60);
  if (!bytes || bytes->size() != 34 || (*bytes)[0] != 0xed || (*bytes)[1] != 0x01) return std::nullopt;
  std::array<unsigned char, 32> pk{};
  std::copy(bytes->begin() + 2, bytes->end(), pk.begin());
  return pk;
}

std::string signing_key::did_key() const { return "did:key:" + multikey(); }

std::string person_salt(const std::array<unsigned char, 32>& secret, std::string_view person_id) {
  return hmac_hex(secret, "dskill-salt-v1|", person_id, 16);
}

std::string person_pseudonym(const std::array<unsigned char, 32>& secret, std::string_view person_id) {
  return "hmac-sha256:" + hmac_hex(secret, "dskill-person-v1|", person_id, 16);
}

std::string identity_hash(std::string_view person_id, std::string_view salt) {
  std::string text(person_id);
  text += salt;
  return "sha256$" + to_hex(sha256(text));
}

std::array<unsigned char, 32> identity_secret_from_key(const signing_key& key) {
  ensure_sodium();
  static constexpr std::string_view purpose = "dskill identity secret v1";
  std::array<unsigned char, 32> out{};
  // secret_key is seed || public key; the seed alone keys the hash.
  crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(purpose.data()), purpose.size(),
                     key.secret_key.data(), 32);
  return out;
}

std::string identity_key_id(const std::array<unsigned char, 32>& secret) {
  ensure_sodium();
  static constexpr std::string_view purpose = "dskill identity key id v1";
  std::array<unsigned char, 16> id{};  // BLAKE2b's shortest output
  crypto_generichash(id.data(), id.size(), reinterpret_cast<const unsigned char*>(purpose.data()), purpose.size(),
                     secret.data(), secret.size());
  return "blake2b:" + to_hex(std::span<const unsigned char>(id.data(), 8));
}

std::string published_achievement(const credential_context& ctx, std::size_t rule_index) {
  if (!ctx.levels) throw state_error("credentials need a framework (level scheme)");
  json ach = achievement_json(ctx, rule_index, true);
  ach["@context"] = credential_context_urls();
  return ach.dump(1);
}


namespace detail {

// One credential shape: a rule and which results a person has (the overall level, the areas
// answered). Everyone of a shape has the same credential but for a few open values (its id, the
// identity hash, the status entry, each result's level), so the canonical JSON is kept as
// fragments between those values and the RDF as quads with placeholders, and a credential
// costs filling them in: no JSON-LD processing per person (the fill is checked against full
// processing in the tests).
struct credential_shape {
  std::vector<std::string> json_fragments;  ///< canonical JSON around the open values
  std::vector<std::size_t> json_slots;      ///< the value between fragment i and i + 1
  std::vector<ld::quad> quads;              ///< to_rdf of the shape (eddsa-rdfc-2022)
  struct rdf_slot {
    std::size_t quad;
    int term;  ///< 0 subject, 1 predicate, 2 object, 3 graph
    std::size_t value;
  };
  std::vector<rdf_slot> rdf_slots;
};

struct credential_plan {
  std::string issuer_id;
  digest config_hash{};  ///< of the proof configuration (the same for every credential of the run)
  std::pair<std::string, std::string> proof_text;  ///< the written proof around its proofValue
  mutable std::mutex mutex;
  mutable std::map<std::string, std::shared_ptr<const credential_shape>, std::less<>> shapes;
};

}  // namespace detail

namespace {

// The open values of a credential, in this order; then two per result (level IRI, level name).
enum open_value : std::size_t { v_id, v_identity_hash, v_status_id, v_status_index, v_status_list, v_results };
constexpr std::string_view open_prefix = "urn:x-dskill-open:";
std::string open_marker(std::size_t i) { return fmt::format("{}{}", open_prefix, i); }

// The results a person has: "overall" and "area-<id>" keys in credential order, and their levels.
std::vector<std::string> result_keys(const level_scheme& L, const person_result& r, std::vector<int>& levels) {
  std::vector<std::string> keys;
  // The levels certified: the point levels, or those at the certifying rule's min_probability.
  const bool at_probability = r.rule && *r.rule < L.rules.size() && L.rules[*r.rule].min_probability;
  const int overall = at_probability ? r.certified_level : r.level;
  if (overall > 0) {
    keys.push_back("overall");
    levels.push_back(overall);
  }
  for (std::size_t a = 0; a < L.areas.size() && a < r.areas.size(); ++a) {
    const int level = at_probability ? r.areas[a].certified_level : r.areas[a].level;
    if (r.areas[a].n_answered > 0 && level > 0) {
      keys.push_back("area-" + L.areas[a].id);
      levels.push_back(level);
    }
  }
  return keys;
}

std::shared_ptr<const detail::credential_shape> build_shape(const credential_context& ctx, const detail::credential_plan& plan,
                                                            std::size_t rule_index, const std::vector<std::string>& keys) {
  const auto& L = *ctx.levels;
  const auto& rule = L.rules.at(rule_index);
  json results = json::array();
  for (std::size_t k = 0; k < keys.size(); ++k)
    results.push_back({{"type", json::array({"Result"})},
                       {"resultDescription", part_id(ctx, rule, keys[k])},
                       {"achievedLevel", open_marker(v_results + 2 * k)},
                       // the level's name, for a person reading the credential without the published achievement
                       {"value", open_marker(v_results + 2 * k + 1)}});
  json doc = {{"@context", credential_context_urls()},
              {"id", open_marker(v_id)},
              {"type", {"VerifiableCredential", "AchievementCredential"}},
              {"issuer", {{"id", plan.issuer_id}, {"type", json::array({"Profile"})}, {"name", ctx.options.issuer_name}}},
              {"validFrom", ctx.issued_at},
              {"name", rule_name(rule)},
              {"credentialSchema", json::array({{{"id", ob_schema}, {"type", "JsonSchema"}}})},
              {"credentialSubject",
               {{"type", json::array({"AchievementSubject"})},
                {"identifier", json::array({json{{"type", "IdentityObject"},
                                                 {"identityHash", open_marker(v_identity_hash)},
                                                 {"identityType", ctx.options.identity_type},
                                                 {"hashed", true}}})},
                {"achievement", achievement_json(ctx, rule_index, ctx.options.public_url.empty())},
                {"result", results}}}};
  if (!ctx.options.valid_until.empty()) doc["validUntil"] = ctx.options.valid_until;
  if (!ctx.options.public_url.empty())
    doc["credentialStatus"] = {{"id", open_marker(v_status_id)},
                               {"type", "BitstringStatusListEntry"},
                               {"statusPurpose", ctx.options.status_purpose},
                               {"statusListIndex", open_marker(v_status_index)},
                               {"statusListCredential", open_marker(v_status_list)}};
  auto shape = std::make_shared<detail::credential_shape>();
  const std::string text = jcs(doc);
  const std::string quoted_prefix = "\"" + std::string(open_prefix);
  std::size_t from = 0;
  for (auto at = text.find(quoted_prefix); at != std::string::npos; at = text.find(quoted_prefix, from)) {
    const std::size_t start = at + 1, end = text.find('"', start);
    shape->json_fragments.push_back(text.substr(from, start - from));
    shape->json_slots.push_back(std::stoul(text.substr(start + open_prefix.size(), end - start - open_prefix.size())));
    from = end;
  }
  shape->json_fragments.push_back(text.substr(from));
  if (ctx.options.key && ctx.options.suite == proof_suite::eddsa_rdfc_2022) {
    shape->quads = ld::to_rdf(text);
    for (std::size_t q = 0; q < shape->quads.size(); ++q) {
      const ld::term* terms[] = {&shape->quads[q].subject, &shape->quads[q].predicate, &shape->quads[q].object,
                                 &shape->quads[q].graph};
      for (int t = 0; t < 4; ++t)
        if (terms[t]->value.starts_with(open_prefix))
          shape->rdf_slots.push_back({q, t, std::stoul(terms[t]->value.substr(open_prefix.size()))});
    }
  }
  return shape;
}

std::shared_ptr<const detail::credential_plan> make_plan(const credential_context& ctx) {
  auto plan = std::make_shared<detail::credential_plan>();
  plan->issuer_id = issuer_of(ctx);
  if (ctx.options.key) {
    const auto& key = *ctx.options.key;
    const auto& context = credential_context_urls();
    const proof_options po{.suite = ctx.options.suite, .created = ctx.issued_at,
                           .verification_method = plan->issuer_id + "#" + key.multikey()};
    const json skeleton = detail::proof_skeleton(key, po);
    plan->config_hash = detail::proof_config_hash(po.suite, skeleton, context);
    plan->proof_text = detail::proof_text_around_value(skeleton, context);
  }
  return plan;
}

const detail::credential_shape& shape_of(const credential_context& ctx, const detail::credential_plan& plan,
                                         std::size_t rule_index, const std::vector<std::string>& keys) {
  std::string id = std::to_string(rule_index);
  for (const auto& k : keys) (id += '|') += k;
  {
    const std::lock_guard lock(plan.mutex);
    if (const auto it = plan.shapes.find(id); it != plan.shapes.end()) return *it->second;
  }
  auto shape = build_shape(ctx, plan, rule_index, keys);  // outside the lock: JSON-LD processing
  const std::lock_guard lock(plan.mutex);
  return *plan.shapes.try_emplace(id, std::move(shape)).first->second;  // a racing twin is equal
}

}  // namespace

void prepare_credentials(credential_context& ctx) {
  ctx.plan.reset();
  if (ctx.levels) ctx.plan = make_plan(ctx);
}

credential make_credential(const credential_context& ctx, std::string_view person_id, const person_result& r,
                           std::uint64_t status_index) {
  if (!ctx.levels) throw state_error("credentials need a framework (level scheme)");
  if (!r.rule) throw state_error("credential requested for a person who is not certified");
  const auto& L = *ctx.levels;
  const auto& rule = L.rules.at(*r.rule);
  const auto plan_holder = ctx.plan ? ctx.plan : make_plan(ctx);
  const auto& plan = *plan_holder;

  // The open values. The id: a version-8 UUID (RFC 9562) keyed by the identity secret (stable
  // on resume).
  std::string id_seed = ctx.bank_fingerprint + "|";
  id_seed += person_id;
  auto h = hmac(ctx.salt_secret, "dskill-credential-id-v2|", id_seed);
  h[6] = static_cast<unsigned char>((h[6] & 0x0F) | 0x80);
  h[8] = static_cast<unsigned char>((h[8] & 0x3F) | 0x80);
  const std::string hx = to_hex(std::span<const unsigned char>(h.data(), 16));
  std::vector<int> levels;
  const auto keys = result_keys(L, r, levels);
  std::vector<std::string> values(v_results + 2 * keys.size());
  values[v_id] = fmt::format("urn:uuid:{}-{}-{}-{}-{}", hx.substr(0, 8), hx.substr(8, 4), hx.substr(12, 4), hx.substr(16, 4),
                             hx.substr(20, 12));
  values[v_identity_hash] = identity_hash(person_id, person_salt(ctx.salt_secret, person_id));
  if (!ctx.options.public_url.empty()) {
    const auto pos = status_position_of(ctx.options.public_url, ctx.options.status_purpose, status_index);
    values[v_status_id] = fmt::format("{}#{}", pos.list_id, pos.index);
    values[v_status_index] = std::to_string(pos.index);
    values[v_status_list] = pos.list_id;
  }
  const auto& t = texts_for(ctx.options.language);
  for (std::size_t k = 0; k < keys.size(); ++k) {
    values[v_results + 2 * k] = part_id(ctx, rule, fmt::format("level-{}", levels[k]));
    values[v_results + 2 * k + 1] = level_name(L, t, levels[k]);
  }

  const auto& shape = shape_of(ctx, plan, *r.rule, keys);
  std::string text;
  text.reserve(4096);
  for (std::size_t i = 0; i < shape.json_slots.size(); ++i) {
    text += shape.json_fragments[i];
    io::append_json_escaped(text, values[shape.json_slots[i]]);
  }
  text += shape.json_fragments.back();

  if (ctx.options.key) {
    detail::digest doc_hash{};
    if (ctx.options.suite == proof_suite::eddsa_rdfc_2022) {
      thread_local std::vector<ld::quad> quads;  // copy-assigned: its strings keep their buffers
      quads = shape.quads;
      for (const auto& s : shape.rdf_slots) {
        auto& q = quads[s.quad];
        ld::term* terms[] = {&q.subject, &q.predicate, &q.object, &q.graph};
        terms[s.term]->value = values[s.value];
      }
      doc_hash = sha256(ld::canonicalize(quads).nquads);
    } else {
      doc_hash = sha256(text);
    }
    // the proof goes last (the output need not be canonical, only the hashed text)
    text.pop_back();
    text += ",\"proof\":[";
    text += plan.proof_text.first;
    text += detail::proof_value(*ctx.options.key, plan.config_hash, doc_hash);
    text += plan.proof_text.second;
    text += "]}";
  }
  return {std::move(values[v_id]), std::move(text)};
}

std::string add_proof(std::string_view document, const signing_key& key, const proof_options& o) {
  if (const auto at = io::json_too_deep_at(document))
    throw parse_error(fmt::format("add_proof: JSON nested deeper than {} levels at byte {}", io::max_json_depth, at));
  json doc;
  try {
    doc = json::parse(document);
  } catch (const json::parse_error& e) {
    throw parse_error(fmt::format("add_proof: not JSON: {}", e.what()));
  }
  if (!doc.is_object() || !doc.contains("@context")) throw parse_error("add_proof: not a JSON-LD object with an @context");
  json existing = json::array();
  if (doc.contains("proof")) {
    existing = doc["proof"].is_array() ? doc["proof"] : json::array({doc["proof"]});
    doc.erase("proof");
  }
  const json& context = doc["@context"];
  const json skeleton = detail::proof_skeleton(key, o);
  const auto proof =
      detail::finish_proof(key, skeleton, context, detail::proof_config_hash(o.suite, skeleton, context),
                           detail::canonical_hash(o.suite, doc));
  existing.push_back(proof);
  doc["proof"] = existing;
  return jcs(doc);
}

std::string did_web_document(std::string_view did, std::span<const std::array<unsigned char, 32>> public_keys) {
  if (!did.starts_with("did:web:")) throw invalid_argument(fmt::format("'{}' is not a did:web DID", did));
  json methods = json::array(), assertion = json::array();
  for (const auto& pk : public_keys) {
    signing_key k;
    k.public_key = pk;
    const std::string id = fmt::format("{}#{}", did, k.multikey());
    methods.push_back({{"id", id}, {"type", "Multikey"}, {"controller", did}, {"publicKeyMultibase", k.multikey()}});
    assertion.push_back(id);
  }
  const json doc = {{"@context", json::array({"https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"})},
                    {"id", did},
                    {"verificationMethod", methods},
                    {"assertionMethod", assertion}};
  return doc.dump(2);
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
