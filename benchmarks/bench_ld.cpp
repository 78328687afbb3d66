// Linked data: the cost of eddsa-rdfc-2022's hashing input for one Open Badges 3.0 credential
// (tests/data/jsonld/ob_credential_4k.jsonld, ~3.4 KB with a proof, status and schema): JSON-LD
// to RDF, RDFC-1.0, and both. The contexts are processed once, on the first iteration.
#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "dskill/ld/ld.hpp"

namespace {

const std::string& credential(const char* name) {
  static std::string text[2];
  const int i = std::string(name) == "ob_credential_4k" ? 0 : 1;
  if (text[i].empty()) {
    std::ifstream in(std::string(DSKILL_BENCH_DATA_DIR) + "/jsonld/" + name + ".jsonld", std::ios::binary);
    if (!in) throw std::runtime_error(std::string("cannot open ") + name);
    std::ostringstream s;
    s << in.rdbuf();
    text[i] = s.str();
  }
  return text[i];
}

void bm_ld_to_rdf(benchmark::State& state) {
  const std::string& doc = credential("ob_credential_4k");
  for (auto _ : state) benchmark::DoNotOptimize(dskill::ld::to_rdf(doc));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * doc.size()));
}
BENCHMARK(bm_ld_to_rdf);

void bm_ld_canonicalize(benchmark::State& state) {
  const auto quads = dskill::ld::to_rdf(credential("ob_credential_4k"));
  for (auto _ : state) benchmark::DoNotOptimize(dskill::ld::canonicalize(quads));
  state.counters["quads"] = static_cast<double>(quads.size());
}
BENCHMARK(bm_ld_canonicalize);

void bm_ld_canonical_nquads(benchmark::State& state) {
  const std::string& doc = credential("ob_credential_4k");
  for (auto _ : state) benchmark::DoNotOptimize(dskill::ld::canonical_nquads(doc));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * doc.size()));
}
BENCHMARK(bm_ld_canonical_nquads);

// dskill's own 17 KB credential (every DigComp competence aligned).
void bm_ld_canonical_nquads_17k(benchmark::State& state) {
  const std::string& doc = credential("dskill_credential_17k");
  for (auto _ : state) benchmark::DoNotOptimize(dskill::ld::canonical_nquads(doc));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * doc.size()));
}
BENCHMARK(bm_ld_canonical_nquads_17k);

}  // namespace

BENCHMARK_MAIN();
