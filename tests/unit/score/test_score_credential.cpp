// Open Badges 3.0 credentials: structure, no raw person id anywhere, Ed25519 proof verifies
// and fails when anything is changed.
#include <doctest/doctest.h>

#include <set>

#include <nlohmann/json.hpp>

#include "dskill/error.hpp"
#include "dskill/score/batch.hpp"
#include "dskill/score/credential.hpp"
#include "test_score_support.hpp"

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
  const std::string salt = id["salt"];
  CHECK(salt.size() == 32);
  CHECK(id["identityHash"] == score::identity_hash(person, salt));
  CHECK(id["identityHash"].get<std::string>().rfind("sha256$", 0) == 0);
  const auto& ach = subject["achievement"];
  CHECK(ach["type"] == json::array({"Achievement"}));
  CHECK(ach["alignment"].size() == 3);
  CHECK(ach["alignment"][0]["type"] == json::array({"Alignment"}));
  CHECK(ach["alignment"][0]["targetCode"] == "1.1");
  // overall + 3 areas, each with a ScaledScore and a PerformanceLevel description and result
  CHECK(ach["resultDescription"].size() == 8);
  CHECK(subject["result"].size() == 8);
  // the cached achievement gives the same credential as one built on the fly
  auto prepared = ctx;
  score::prepare_credentials(prepared);
  CHECK(prepared.achievements.size() == 2);
  CHECK(score::make_credential(prepared, person, certified_result()).json == cred.json);
  // an area without answers has no result, but keeps its description
  auto partial = certified_result();
  partial.areas[2].n_answered = 0;
  const auto pj = json::parse(score::make_credential(prepared, person, partial).json);
  CHECK(pj["credentialSubject"]["result"].size() == 6);
  CHECK(pj["credentialSubject"]["achievement"]["resultDescription"].size() == 8);
  std::set<std::string> described;
  for (const auto& d : ach["resultDescription"]) {
    described.insert(d["id"].get<std::string>());
    const std::string type = d["resultType"];
    CHECK((type == "ScaledScore" || type == "PerformanceLevel"));
  }
  for (const auto& r : subject["result"]) {
    CHECK(described.count(r["resultDescription"].get<std::string>()) == 1);
    CHECK(r["type"] == json::array({"Result"}));
  }
  CHECK(subject["result"][0]["value"] == "1.2346");
  CHECK(subject["result"][1]["achievedLevel"].get<std::string>().ends_with(":level:4"));
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
  CHECK(j["proof"]["type"] == "DataIntegrityProof");
  CHECK(j["proof"]["cryptosuite"] == "eddsa-jcs-2022");
  CHECK(j["issuer"]["id"] == key.did_key());
  // reordering keys or whitespace does not matter (JCS)
  CHECK(score::verify_credential(j.dump(2), key.public_key) == "");
  // a changed score does
  j["credentialSubject"]["result"][0]["value"] = "3.0000";
  CHECK(score::verify_credential(j.dump(), key.public_key) == "signature does not verify");
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
    const std::string file = f[f.size() - 4];
    if (f[f.size() - 6] != "true") {
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

TEST_CASE("score credential: a bundle of credentials survives an interruption unchanged" * doctest::test_suite("score")) {
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
  const auto a = score_test::slurp(ref.credentials_dir + "/credentials.jsonl");
  const auto b = score_test::slurp(o.credentials_dir + "/credentials.jsonl");
  CHECK(a.size() > 0);
  const bool same = a == b;  // (not CHECK(a == b): doctest would print megabytes on failure)
  CHECK(same);
  const auto lines = score_test::lines_of(b);
  CHECK(lines.size() == full.certified);
  CHECK(score::verify_credential(lines.front(), o.credentials.key->public_key) == "");
  CHECK(score::verify_credential(lines.back(), o.credentials.key->public_key) == "");
}
