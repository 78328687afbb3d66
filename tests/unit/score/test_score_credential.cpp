// Open Badges 3.0 credentials: structure, no raw person id anywhere, Ed25519 proof verifies
// and fails when anything is changed.
#include <doctest/doctest.h>

#include <bit>
#include <set>

#include <nlohmann/json.hpp>

#include "dskill/error.hpp"
#include "dskill/io/file_text.hpp"
#include "dskill/io/gzip.hpp"
#include "dskill/score/batch.hpp"
#include "dskill/score/credential.hpp"
#include "dskill/score/status_list.hpp"
#include "test_score_support.hpp"
#include "test_support.hpp"

using namespace dskill;
using nlohmann::json;

namespace {
constexpr const char* seed_hex = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";  // RFC 8032 test 1

score::credential_context make_context(bool signed_) {
  score::credential_context ctx;
  ctx.levels = score_test::make_levels();
  ctx.bank_id = "test-bank";
  ctx.bank_fingerprint = "sha256:00";
  ctx.issued_at = "2026-11-29T00:00:00Z";
  ctx.options.issuer_name = "Test issuer";
  ctx.options.suite = score::proof_suite::eddsa_jcs_2022;
  if (signed_) ctx.options.key = score::signing_key::from_seed_hex(seed_hex);
  return ctx;
}

score::person_result certified_result() {
  score::person_result r;
  r.overall = {1.234567, 0.3, 5, estimate::status::ok};
  r.n_answered = 30;
  r.level = 4;
  r.areas.resize(3);
  for (auto& a : r.areas) {
    a.est = {1.1, 0.5, 5, estimate::status::ok};
    a.n_answered = 10;
    a.level = 4;
  }
  r.rule = 0;
  return r;
}
}  // namespace

TEST_CASE("score credential: Ed25519 key and did:key follow RFC 8032 and the did:key method" * doctest::test_suite("score")) {
  const auto key = score::signing_key::from_seed_hex(seed_hex);
  // RFC 8032 test 1 public key
  const std::array<unsigned char, 32> expected{0xd7, 0x5a, 0x98, 0x01, 0x82, 0xb1, 0x0a, 0xb7, 0xd5, 0x4b, 0xfe,
                                               0xd3, 0xc9, 0x64, 0x07, 0x3a, 0x0e, 0xe1, 0x72, 0xf3, 0xda, 0xa6,
                                               0x23, 0x25, 0xaf, 0x02, 0x1a, 0x68, 0xf7, 0x07, 0x51, 0x1a};
  CHECK(key.public_key == expected);
  CHECK(key.did_key().rfind("did:key:z6Mk", 0) == 0);
  const unsigned char hello[] = {0, 0, 1, 2};
  CHECK(score::base58btc(hello) == "115T");
  const std::string_view text = "Hello World!";  // the draft-msporny-base58 example
  CHECK(score::base58btc(std::span(reinterpret_cast<const unsigned char*>(text.data()), text.size())) == "2NEpo7TZRRrLZSi2U");
  CHECK(score::base58btc({}) == "");
  CHECK_THROWS_AS(score::signing_key::from_seed_hex("abc"), dskill::invalid_argument);
}

TEST_CASE("score credential: an AchievementCredential with a hashed identity, results and alignments" * doctest::test_suite("score")) {
  const auto ctx = make_context(false);
  const std::string person = "079123456789";
  const auto cred = score::make_credential(ctx, person, certified_result());
  CHECK(cred.json.find(person) == std::string::npos);
  const auto j = json::parse(cred.json);
  CHECK(j["@context"][0] == "https://www.w3.org/ns/credentials/v2");
  CHECK(j["@context"][1] == "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json");
  CHECK(j["type"] == json::array({"VerifiableCredential", "AchievementCredential"}));
  CHECK(j["id"].get<std::string>().rfind("urn:uuid:", 0) == 0);
  CHECK(j["validFrom"] == "2026-11-29T00:00:00Z");
  CHECK(j["issuer"]["type"] == json::array({"Profile"}));
  const auto& subject = j["credentialSubject"];
  CHECK(subject["type"] == json::array({"AchievementSubject"}));
  const auto& id = subject["identifier"][0];
  CHECK(id["type"] == "IdentityObject");
  CHECK(id["hashed"] == true);
  // the salt stays with the issuer: a holder of the credential cannot test guessed ids
  CHECK_FALSE(id.contains("salt"));
  const std::string salt = score::person_salt(ctx.salt_secret, person);
  CHECK(salt.size() == 32);
  CHECK(id["identityHash"] == score::identity_hash(person, salt));
  CHECK(id["identityHash"].get<std::string>().rfind("sha256$", 0) == 0);
  CHECK(j["credentialSchema"][0]["type"] == "JsonSchema");  // VC 2.0 (VC JSON Schema), defined by its context
  CHECK_FALSE(j.contains("validUntil"));
  CHECK_FALSE(j.contains("credentialStatus"));
  // without a public URL the achievement is complete: levels, descriptions, alignments
  const auto& ach = subject["achievement"];
  CHECK(ach["type"] == json::array({"Achievement"}));
  CHECK(ach["inLanguage"] == "en");
  CHECK(ach["alignment"].size() == 3 + 3);  // 3 areas + 3 competences
  CHECK(ach["alignment"][0]["type"] == json::array({"Alignment"}));
  CHECK(ach["alignment"][3]["targetCode"] == "1.1");
  // overall (with the rubric of levels) + 3 areas, PerformanceLevel each
  CHECK(ach["resultDescription"].size() == 4);
  CHECK(ach["resultDescription"][0]["rubricCriterionLevel"].size() == score_test::make_levels()->levels.size());
  CHECK(subject["result"].size() == 4);
  // the run's plan gives the same credential as one built on the fly
  auto prepared = ctx;
  score::prepare_credentials(prepared);
  CHECK(prepared.plan != nullptr);
  CHECK(score::make_credential(prepared, person, certified_result()).json == cred.json);
  // an area without answers has no result, but keeps its description
  auto partial = certified_result();
  partial.areas[2].n_answered = 0;
  const auto pj = json::parse(score::make_credential(prepared, person, partial).json);
  CHECK(pj["credentialSubject"]["result"].size() == 3);
  CHECK(pj["credentialSubject"]["achievement"]["resultDescription"].size() == 4);
  std::set<std::string> described, levels;
  for (const auto& d : ach["resultDescription"]) {
    described.insert(d["id"].get<std::string>());
    CHECK(d["resultType"] == "PerformanceLevel");
  }
  for (const auto& l : ach["resultDescription"][0]["rubricCriterionLevel"]) levels.insert(l["id"].get<std::string>());
  for (const auto& r : subject["result"]) {
    CHECK(described.count(r["resultDescription"].get<std::string>()) == 1);
    CHECK(levels.count(r["achievedLevel"].get<std::string>()) == 1);
    CHECK(r["type"] == json::array({"Result"}));
  }
  CHECK(subject["result"][0]["achievedLevel"].get<std::string>().ends_with(":level-4"));
  CHECK_FALSE(j.contains("proof"));
  // stable: same secret and person give the same credential
  CHECK(score::make_credential(ctx, person, certified_result()).json == cred.json);
  // not certified: refused
  auto r = certified_result();
  r.rule.reset();
  CHECK_THROWS_AS(score::make_credential(ctx, person, r), dskill::state_error);
}

TEST_CASE("score credential: the eddsa-jcs-2022 proof verifies, and fails on any change" * doctest::test_suite("score")) {
  const auto ctx = make_context(true);
  const auto cred = score::make_credential(ctx, "P-1", certified_result());
  const auto& key = *ctx.options.key;
  CHECK(score::verify_credential(cred.json, key.public_key) == "");
  auto j = json::parse(cred.json);
  REQUIRE(j["proof"].is_array());  // the OB 3.0 schema wants an array
  const auto& proof = j["proof"][0];
  CHECK(proof["type"] == "DataIntegrityProof");
  CHECK(proof["cryptosuite"] == "eddsa-jcs-2022");
  // vc-di-eddsa, Create Proof (jcs) step 2: the proof carries the document's @context
  CHECK(proof["@context"] == j["@context"]);
  CHECK(proof["verificationMethod"] == key.did_key() + "#" + key.multikey());
  CHECK(j["issuer"]["id"] == key.did_key());
  // reordering keys or whitespace does not matter (JCS)
  CHECK(score::verify_credential(j.dump(2), key.public_key) == "");
  // a changed level does
  j["credentialSubject"]["result"][0]["achievedLevel"] = "urn:dskill:testfw:1:level-5";
  CHECK(score::verify_credential(j.dump(), key.public_key) == "signature does not verify");
  // a proof without its @context is what the issue found written: hashed differently, refused
  auto k = json::parse(cred.json);
  k["proof"][0].erase("@context");
  CHECK(score::verify_credential(k.dump(), key.public_key) == "signature does not verify");
  // another key does
  const auto other = score::signing_key::from_seed_hex(std::string(64, '1'));
  CHECK(score::verify_credential(cred.json, other.public_key) != "");
  CHECK(score::canonical_json("{\"b\": 1, \"a\": [true, null, \"x\\u0001\"]}") == "{\"a\":[true,null,\"x\\u0001\"],\"b\":1}");
}

TEST_CASE("score credential: a batch run writes one credential per certified person, never the raw id" * doctest::test_suite("score")) {
  const auto bank = score_test::make_bank(30);
  score_test::temp_dir tmp;
  const auto in = tmp.write("in.csv", score_test::simulate_wide(*bank, 400, 3));
  const score::scorer s(bank, {}, score_test::make_levels());
  score::batch_options o;
  o.responses = in;
  o.out = tmp.file("out.csv");
  o.progress = 0;
  o.credentials_dir = tmp.file("creds");
  o.credentials.key = score::signing_key::from_seed_hex(seed_hex);
  const auto sum = score::run_batch(s, o);
  REQUIRE(sum.certified > 0);
  CHECK(sum.credentials_issued == sum.certified);
  const auto out = score_test::lines_of(score_test::slurp(o.out));
  std::size_t files = 0;
  for (std::size_t i = 1; i < out.size(); ++i) {
    std::vector<std::string> f;
    std::stringstream ss(out[i]);
    for (std::string x; std::getline(ss, x, ',');) f.push_back(x);
    const std::string person = f[0];
    const std::string file = f[f.size() - 2];  // ...,certified,certified_by,credential,status
    if (f[f.size() - 4] != "true") {
      CHECK(file.empty());
      continue;
    }
    ++files;
    const auto text = score_test::slurp(o.credentials_dir + "/" + file);
    CHECK(text.find(person) == std::string::npos);
    CHECK(score::verify_credential(text, o.credentials.key->public_key) == "");
  }
  CHECK(files == sum.certified);
}

TEST_CASE("score credential: a bundle of gzip shards survives an interruption unchanged" * doctest::test_suite("score")) {
  const auto bank = score_test::make_bank(30);
  score_test::temp_dir tmp;
  const auto in = tmp.write("in.csv", score_test::simulate_wide(*bank, 3000, 13));
  const score::scorer s(bank, {}, score_test::make_levels());
  auto options = [&](const std::string& name) {
    score::batch_options o;
    o.responses = in;
    o.out = tmp.file(name + ".csv");
    o.progress = 0;
    o.chunk_records = 50;
    o.checkpoint_rows = 400;
    o.credentials_dir = tmp.file(name);
    o.credentials_bundle = true;
    o.credentials_shard_rows = 1000;
    o.salt_secret = std::array<unsigned char, 32>{1, 2, 3};
    o.issued_at = "2026-11-29T00:00:00Z";
    o.credentials.key = score::signing_key::from_seed_hex(seed_hex);
    return o;
  };
  const auto ref = options("ref");
  const auto full = score::run_batch(s, ref);
  auto o = options("cut");
  o.crash_after_rows = 1900;
  CHECK_THROWS(score::run_batch(s, o));
  o.crash_after_rows = 0;
  const auto resumed = score::run_batch(s, o);
  CHECK(resumed.resumed_from_row > 0);
  std::string b;
  for (const char* shard : {"/credentials-00000.jsonl.gz", "/credentials-00001.jsonl.gz", "/credentials-00002.jsonl.gz"}) {
    const auto x = score_test::slurp(ref.credentials_dir + shard), y = score_test::slurp(o.credentials_dir + shard);
    CHECK(x.size() > 0);
    const bool same = x == y;  // the same bytes (not CHECK(x == y): doctest would print them all)
    CHECK_MESSAGE(same, shard);
    b += io::gunzip(y, std::size_t{1} << 30);
  }
  CHECK_FALSE(io::file_exists(o.credentials_dir + "/credentials-00003.jsonl.gz"));
  const auto lines = score_test::lines_of(b);
  CHECK(lines.size() == full.certified);
  CHECK(score::verify_credential(lines.front(), o.credentials.key->public_key) == "");
  CHECK(score::verify_credential(lines.back(), o.credentials.key->public_key) == "");
}

TEST_CASE("score credential: verification checks the issuer's key, the dates and the status lists" * doctest::test_suite("score")) {
  auto ctx = make_context(true);
  ctx.options.public_url = "https://certs.example.org/run-1/";
  ctx.options.valid_until = "2030-01-01T00:00:00Z";
  score::prepare_credentials(ctx);
  const auto cred = score::make_credential(ctx, "P-7", certified_result(), 300000);
  const auto j = json::parse(cred.json);
  // with a public URL: the short achievement, its parts under the published one, one status entry
  const auto& ach = j["credentialSubject"]["achievement"];
  CHECK(ach["id"] == "https://certs.example.org/run-1/achievements/" + ctx.levels->rules[0].id + ".json");
  CHECK_FALSE(ach.contains("resultDescription"));
  CHECK(j["credentialSubject"]["result"][0]["achievedLevel"].get<std::string>().starts_with(ach["id"].get<std::string>() + "#level-"));
  const auto& entry = j["credentialStatus"];
  REQUIRE(entry.is_object());  // the OB 3.0 schema allows one
  // row 300000 lies in the third list of 131072 entries
  CHECK(entry["statusListCredential"] == "https://certs.example.org/run-1/status/revocation/2.json");
  CHECK(entry["statusListIndex"] == std::to_string(300000 - 2 * score::status_list_bits));
  CHECK(entry["statusPurpose"] == "revocation");
  const auto published = json::parse(score::published_achievement(ctx, 0));
  CHECK(published["id"] == ach["id"]);
  CHECK(published["resultDescription"].size() == 4);

  score::verify_options o;
  o.now = "2027-06-01T00:00:00Z";
  auto r = score::verify_credential(cred.json, o);
  CHECK(r.valid());
  CHECK(r.warnings.size() == 1);  // the status list was not given
  o.require_status = true;
  CHECK(score::verify_credential(cred.json, o).error.find("not checked") != std::string::npos);
  o.require_status = false;
  o.now = "2026-11-28T23:59:59Z";
  CHECK(score::verify_credential(cred.json, o).error.find("not yet valid") == 0);
  o.now = "2030-01-01T00:00:01Z";
  CHECK(score::verify_credential(cred.json, o).error.find("expired") == 0);
  o.now = "2027-06-01T07:00:00+07:00";
  CHECK(score::verify_credential(cred.json, o).valid());
  o.now = "2027-06-01";
  CHECK(score::verify_credential(cred.json, o).error.find("not a date-time") != std::string::npos);
  o.now = "2027-06-01T00:00:00Z";
  o.issuer = "did:key:z6MkSomeoneElse";
  CHECK(score::verify_credential(cred.json, o).error.find("issued by") == 0);
  o.issuer.clear();

  // the status list: set this credential's bit, and the verdict follows
  auto list = score::make_status_list(entry["statusListCredential"], "revocation");
  const std::uint64_t index = std::stoull(entry["statusListIndex"].get<std::string>());
  o.status_lists = {score::status_list_credential(list, ctx.options, ctx.issued_at)};
  r = score::verify_credential(cred.json, o);
  CHECK(r.valid());
  CHECK(r.warnings.empty());
  list.set(index + 1, true);  // a neighbour's
  o.status_lists = {score::status_list_credential(list, ctx.options, ctx.issued_at)};
  CHECK(score::verify_credential(cred.json, o).valid());
  list.set(index, true);
  CHECK(list.get(index));
  CHECK_FALSE(list.get(index - 1));
  o.status_lists = {score::status_list_credential(list, ctx.options, ctx.issued_at)};
  CHECK(score::verify_credential(cred.json, o).error.find("revoked") == 0);
  // a list of the wrong purpose, or signed by someone else, does not count
  auto other = score::make_status_list(entry["statusListCredential"], "suspension");
  o.status_lists = {score::status_list_credential(other, ctx.options, ctx.issued_at)};
  CHECK(score::verify_credential(cred.json, o).error.find("is for suspension") != std::string::npos);
  auto forger = ctx.options;
  forger.key = score::signing_key::from_seed_hex(std::string(64, '2'));
  list.set(index, false);
  o.status_lists = {score::status_list_credential(list, forger, ctx.issued_at)};
  CHECK(score::verify_credential(cred.json, o).error.find("does not verify") != std::string::npos);
  // a suspension entry when asked for
  auto sctx = ctx;
  sctx.options.status_purpose = "suspension";
  const auto sj = json::parse(score::make_credential(sctx, "P-7", certified_result(), 5).json);
  CHECK(sj["credentialStatus"]["statusListCredential"] == "https://certs.example.org/run-1/status/suspension/0.json");
  // the bits survive encoding (bit 0 is the first byte's most significant bit)
  list.set(index + 1, false);
  list.set(index, true);
  const auto bits = score::decode_status_bits(score::encode_status_bits(list.bits));
  CHECK(bits == list.bits);
  CHECK(list.bits[index / 8] == static_cast<std::uint8_t>(1u << (7 - index % 8)));
  CHECK_THROWS_AS(score::decode_status_bits("not-multibase"), dskill::parse_error);
  CHECK_THROWS_AS(score::decode_status_bits("uAAAA"), dskill::parse_error);
}

TEST_CASE("score credential: a did:web issuer, its DID document and key rotation" * doctest::test_suite("score")) {
  auto ctx = make_context(true);
  ctx.options.issuer_id = "did:web:certs.example.org";
  const auto old_key = score::signing_key::from_seed_hex(std::string(64, '3'));
  const auto cred = score::make_credential(ctx, "P-8", certified_result());
  const auto j = json::parse(cred.json);
  CHECK(j["issuer"]["id"] == "did:web:certs.example.org");
  CHECK(j["proof"][0]["verificationMethod"] == "did:web:certs.example.org#" + ctx.options.key->multikey());
  score::verify_options o;
  CHECK(score::verify_credential(cred.json, o).error.find("no DID document") == 0);
  const std::array<std::array<unsigned char, 32>, 2> both{ctx.options.key->public_key, old_key.public_key};
  o.did_documents = {score::did_web_document("did:web:certs.example.org", both)};
  CHECK(score::verify_credential(cred.json, o).valid());
  // a credential by the retired key verifies while the document lists it, not once it is dropped
  auto old_ctx = ctx;
  old_ctx.options.key = old_key;
  const auto old_cred = score::make_credential(old_ctx, "P-9", certified_result());
  CHECK(score::verify_credential(old_cred.json, o).valid());
  o.did_documents = {score::did_web_document("did:web:certs.example.org", std::span(both).first(1))};
  CHECK(score::verify_credential(old_cred.json, o).error.find("does not list") != std::string::npos);
  CHECK(score::verify_credential(cred.json, o).valid());
  CHECK(score::signing_key::public_key_of(old_key.multikey()) == old_key.public_key);
  CHECK_FALSE(score::signing_key::public_key_of("z6MkNotAKey").has_value());
}

TEST_CASE("score credential: credentials issued earlier (checked in) still verify, and fail when changed" * doctest::test_suite("score")) {
  for (const auto& [cred, list] : {std::pair{"digcomp_jcs.json", "digcomp_jcs_status.json"},
                                   std::pair{"digcomp_rdfc_vi.json", "digcomp_rdfc_status.json"}}) {
    auto text = score_test::slurp(dskill_test::data_path(std::string("credentials/") + cred));
    score::verify_options o;
    o.status_lists = {score_test::slurp(dskill_test::data_path(std::string("credentials/") + list))};
    o.require_status = true;
    o.now = "2027-01-01T00:00:00Z";
    const auto r = score::verify_credential(text, o);
    CHECK_MESSAGE(r.valid(), cred << ": " << r.error);
    CHECK(r.cryptosuite == (std::string(cred).find("jcs") != std::string::npos ? "eddsa-jcs-2022" : "eddsa-rdfc-2022"));
    const auto at = text.find("\"hashed\":true");
    REQUIRE(at != std::string::npos);
    text.replace(at, 13, "\"hashed\":false");
    CHECK(score::verify_credential(text, o).error == "signature does not verify");
  }
}

TEST_CASE("score credential: filling a shape's open values equals full JSON-LD processing, for every shape" * doctest::test_suite("score")) {
  // Level names that need escaping in JSON and in N-Quads, and every pattern of answered areas:
  // each credential must verify, which runs the full JSON-LD to RDF path on its text.
  auto levels = std::make_shared<score::level_scheme>(*score_test::make_levels());
  levels->levels[2].name = "Trung c\u1ea5p \"3\" \\ tab\t";
  levels->levels[3].name.clear();  // falls back to "Level 4" ("B\u1eadc 4" in Vietnamese)
  for (const auto suite : {score::proof_suite::eddsa_rdfc_2022, score::proof_suite::eddsa_jcs_2022}) {
    for (const std::string url : {"", "https://certs.example.org/r"}) {
      auto ctx = make_context(true);
      ctx.levels = levels;
      ctx.options.suite = suite;
      ctx.options.public_url = url;
      ctx.options.language = url.empty() ? "en" : "vi";
      score::prepare_credentials(ctx);
      int verified = 0;
      for (unsigned mask = 0; mask < 8; ++mask) {
        for (int level : {3, 4}) {
          auto r = certified_result();
          r.level = level;
          for (std::size_t a = 0; a < 3; ++a) {
            r.areas[a].n_answered = (mask >> a) & 1 ? 10 : 0;
            r.areas[a].level = level;
          }
          const auto cred = score::make_credential(ctx, "P-" + std::to_string(mask), r, mask * 1000);
          const auto why = score::verify_credential(cred.json, ctx.options.key->public_key);
          CHECK_MESSAGE(why.empty(), to_string(suite) << " mask " << mask << ": " << why);
          verified += why.empty();
          const auto j = json::parse(cred.json);
          CHECK(j["credentialSubject"]["result"].size() == 1 + static_cast<std::size_t>(std::popcount(mask)));
          if (level == 3) CHECK(j["credentialSubject"]["result"][0]["value"] == levels->levels[2].name);
          else CHECK(j["credentialSubject"]["result"][0]["value"] == (url.empty() ? "Level 4" : "B\u1eadc 4"));
        }
      }
      CHECK(verified == 16);
    }
  }
}
