// Credentials: what each certified person costs in a night run (make_credential with an
// eddsa-rdfc-2022 or eddsa-jcs-2022 proof, a plan prepared once per run), its parts (the
// Ed25519 signature alone, the RDFC-1.0 of one credential's quads), and verification.
// The night run as a whole is benchmarks/night_run.sh.
#include <benchmark/benchmark.h>

#include <memory>

#include <fmt/format.h>
#include <sodium.h>

#include "dskill/framework/framework.hpp"
#include "dskill/ld/ld.hpp"
#include "dskill/score/credential.hpp"
#include "dskill/score/framework_levels.hpp"

namespace {

using namespace dskill;

score::credential_context make_context(score::proof_suite suite) {
  static const auto fw = framework::load_framework(DSKILL_BENCH_DATA_DIR "/../../item_banks/frameworks/digcomp-2.2.yaml");
  score::credential_context ctx;
  ctx.levels = score::from_framework(fw, "vi");
  ctx.bank_id = "digcomp-core";
  ctx.bank_fingerprint = "sha256:bench";
  ctx.issued_at = "2026-12-01T00:00:00Z";
  ctx.salt_secret = {1, 2, 3};
  ctx.options.key = score::signing_key::from_seed_hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
  ctx.options.suite = suite;
  ctx.options.language = "vi";
  ctx.options.public_url = "https://certs.example.vn/2026-12";
  ctx.options.valid_until = "2031-12-01T00:00:00Z";
  score::prepare_credentials(ctx);
  return ctx;
}

score::person_result certified(const score::level_scheme& L) {
  score::person_result r;
  r.level = 3;
  r.rule = 0;
  r.areas.resize(L.areas.size());
  for (std::size_t a = 0; a < r.areas.size(); ++a) {
    r.areas[a].n_answered = 5;
    r.areas[a].level = 3 + static_cast<int>(a % 3);
  }
  return r;
}

void BM_make_credential(benchmark::State& state, score::proof_suite suite) {
  const auto ctx = make_context(suite);
  const auto r = certified(*ctx.levels);
  std::uint64_t n = 0;
  std::size_t bytes = 0;
  for (auto _ : state) {
    auto c = score::make_credential(ctx, fmt::format("0791{:08}", n), r, n);
    bytes = c.json.size();
    benchmark::DoNotOptimize(c);
    ++n;
  }
  state.counters["bytes"] = static_cast<double>(bytes);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_CAPTURE(BM_make_credential, rdfc, score::proof_suite::eddsa_rdfc_2022);
BENCHMARK_CAPTURE(BM_make_credential, jcs, score::proof_suite::eddsa_jcs_2022);

// The floor of the signed path: one Ed25519 signature of the 64-byte hash data.
void BM_ed25519_sign(benchmark::State& state) {
  if (sodium_init() < 0) state.SkipWithError("libsodium");
  const auto key = score::signing_key::from_seed_hex(std::string(64, '7'));
  unsigned char data[64] = {1}, sig[crypto_sign_BYTES];
  for (auto _ : state) {
    crypto_sign_detached(sig, nullptr, data, sizeof data, key.secret_key.data());
    benchmark::DoNotOptimize(sig);
    data[0] = sig[0];
  }
}
BENCHMARK(BM_ed25519_sign);

void BM_canonicalize_credential_quads(benchmark::State& state) {
  auto ctx = make_context(score::proof_suite::eddsa_rdfc_2022);
  const auto cred = score::make_credential(ctx, "079100000001", certified(*ctx.levels), 1);
  auto text = cred.json;
  text.resize(text.find(",\"proof\":"));
  text += '}';
  const auto quads = ld::to_rdf(text);
  for (auto _ : state) benchmark::DoNotOptimize(ld::canonicalize(quads));
  state.counters["quads"] = static_cast<double>(quads.size());
}
BENCHMARK(BM_canonicalize_credential_quads);

void BM_verify_credential(benchmark::State& state, score::proof_suite suite) {
  const auto ctx = make_context(suite);
  const auto cred = score::make_credential(ctx, "079100000001", certified(*ctx.levels), 1);
  score::verify_options o;
  o.now = "2027-01-01T00:00:00Z";
  for (auto _ : state) {
    auto r = score::verify_credential(cred.json, o);
    if (!r.valid()) state.SkipWithError(r.error.c_str());
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK_CAPTURE(BM_verify_credential, rdfc, score::proof_suite::eddsa_rdfc_2022);
BENCHMARK_CAPTURE(BM_verify_credential, jcs, score::proof_suite::eddsa_jcs_2022);

}  // namespace

BENCHMARK_MAIN();
