// Item bank loading: a generated 10,000-item bank (3PL, GRM and GPCM mixed, content in English
// and Vietnamese, enemies, tags, metadata: about 5 MB of YAML) read, checked against a framework
// and built; plus validation alone, saving, and lookup by id. Target: load + validate < 1 s.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include <fmt/format.h>

#include "dskill/bank/yaml.hpp"
#include "dskill/framework/framework.hpp"

namespace {

const char* framework_yaml = R"(dskill_framework: 1
framework: {id: bench, version: "1", languages: [en, vi]}
levels:
  - {level: 1, name: {en: One, vi: Một}}
  - {level: 2, name: {en: Two, vi: Hai}}
  - {level: 3, name: {en: Three, vi: Ba}}
  - {level: 4, name: {en: Four, vi: Bốn}}
areas:
  - id: "1"
    name: {en: Information, vi: Thông tin}
    competences:
      - {id: "1.1", name: {en: a, vi: a}}
      - {id: "1.2", name: {en: b, vi: b}}
  - id: "2"
    name: {en: Safety, vi: An toàn}
    competences:
      - {id: "2.1", name: {en: c, vi: c}}
      - {id: "2.2", name: {en: d, vi: d}}
cut_scores: {default: [-1, 0, 1]}
)";

std::string make_bank_yaml(std::size_t n, unsigned seed = 11) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> a(0.6, 2.2), c(0.1, 0.3);
  std::normal_distribution<double> b(0.0, 1.0);
  const char* comps[] = {"1.1", "1.2", "2.1", "2.2"};
  std::string out = "dskill: 1\nbank:\n  id: bench\n  title: {en: \"Benchmark bank\", vi: \"Ngân hàng đo hiệu năng\"}\n"
                    "  framework: {id: bench, version: \"1\"}\n  languages: [en, vi]\n  scale: {D: 1.0}\nitems:\n";
  out.reserve(n * 520);
  for (std::size_t i = 0; i < n; ++i) {
    const std::string id = fmt::format("it-{:05}", i);
    out += fmt::format("  - id: {}\n", id);
    const bool poly = i % 10 == 9;
    if (!poly) {
      out += fmt::format("    model: 3pl\n    params: {{a: {:.3f}, b: {:.3f}, c: {:.3f}}}\n", a(rng), b(rng), c(rng));
    } else {
      const double b1 = b(rng);
      out += fmt::format("    model: {}\n    params: {{a: {:.3f}, b: [{:.3f}, {:.3f}, {:.3f}]}}\n", i % 20 == 9 ? "grm" : "gpcm",
                         a(rng), b1 - 0.8, b1, b1 + 0.7);
    }
    out += fmt::format("    competences: [\"{}\"]\n    level: {}\n", comps[i % 4], 1 + i % 4);
    if (!poly) {
      out += fmt::format(
          "    content:\n      en:\n        stem: \"Question {} about passwords, scams and sharing files safely?\"\n"
          "        options: [\"First option\", \"Second option\", \"Third option\", \"Fourth option\"]\n"
          "      vi:\n        stem: \"Câu hỏi {} về mật khẩu, lừa đảo và chia sẻ tệp an toàn?\"\n"
          "        options: [\"Phương án một\", \"Phương án hai\", \"Phương án ba\", \"Phương án bốn\"]\n    key: {}\n",
          i, i, i % 4);
    } else {
      out += fmt::format("    content:\n      en: {{stem: \"Task {}\"}}\n      vi: {{stem: \"Nhiệm vụ {}\"}}\n", i, i);
      out += "    scoring:\n      en: [none, some, most, all]\n      vi: [không, một phần, phần lớn, tất cả]\n";
    }
    // Pairs of enemies (symmetric).
    out += fmt::format("    enemies: [it-{:05}]\n", i % 2 == 0 ? i + 1 : i - 1);
    out += "    exposure: {sh: 0.9}\n    tags: [bench, generated]\n    meta: {author: bench}\n";
  }
  return out;
}

struct fixture {
  std::string path;
  std::shared_ptr<const dskill::framework::framework> fw;
  std::size_t bytes = 0;
  fixture() {
    fw = dskill::framework::load_framework_from_string(framework_yaml, "bench-framework.yaml");
    const std::string text = make_bank_yaml(10000);
    bytes = text.size();
    path = (std::filesystem::temp_directory_path() / fmt::format("dskill-bench-bank-{}.yaml", ::getpid())).string();
    std::ofstream(path) << text;
  }
  ~fixture() { std::remove(path.c_str()); }
};

fixture& data() {
  static fixture f;
  return f;
}

void BM_load_bank_10k(benchmark::State& state) {
  auto& f = data();
  dskill::bank::load_options o;
  o.framework = f.fw.get();
  for (auto _ : state) {
    auto bank = dskill::bank::load_bank(f.path, o);
    benchmark::DoNotOptimize(bank);
  }
  state.counters["MB"] = static_cast<double>(f.bytes) / 1e6;
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * f.bytes));
}
BENCHMARK(BM_load_bank_10k)->Unit(benchmark::kMillisecond)->Iterations(5);

void BM_validate_bank_10k(benchmark::State& state) {
  auto& f = data();
  for (auto _ : state) {
    auto diags = dskill::bank::validate_bank_file(f.path, f.fw.get());
    if (!diags.empty()) state.SkipWithError(diags.front().to_string().c_str());
    benchmark::DoNotOptimize(diags);
  }
}
BENCHMARK(BM_validate_bank_10k)->Unit(benchmark::kMillisecond)->Iterations(5);

void BM_save_bank_10k(benchmark::State& state) {
  auto& f = data();
  auto bank = dskill::bank::load_bank(f.path);
  for (auto _ : state) {
    auto text = dskill::bank::to_yaml(*bank);
    benchmark::DoNotOptimize(text);
  }
}
BENCHMARK(BM_save_bank_10k)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_find_by_id_10k(benchmark::State& state) {
  auto& f = data();
  auto bank = dskill::bank::load_bank(f.path);
  std::size_t i = 0;
  std::vector<std::string> ids;
  for (const auto& it : bank->items()) ids.push_back(it.id);
  for (auto _ : state) {
    benchmark::DoNotOptimize(bank->find(ids[i]));
    i = (i + 7919) % ids.size();
  }
}
BENCHMARK(BM_find_by_id_10k);

}  // namespace

BENCHMARK_MAIN();
