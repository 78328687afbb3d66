// The service store's answer transaction, as the service runs it: lock/select the session,
// reply_for, add_answer, update_session, count_exposure, commit. SQLite on a file in /tmp;
// PostgreSQL when DSKILL_BENCH_POSTGRES holds a URI (scripts/pg_throwaway.sh start DIR prints
// one). Reported per transaction; the threaded runs share one store (distinct sessions).
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

#include "dskill/serve/store.hpp"

namespace {

using namespace dskill::serve;

std::unique_ptr<store>& shared_store(const std::string& kind) {
  static std::mutex m;
  static std::unique_ptr<store> sqlite, postgres;
  std::lock_guard lock(m);
  auto& s = kind == "sqlite" ? sqlite : postgres;
  if (!s) {
    if (kind == "sqlite") {
      const auto path = std::filesystem::temp_directory_path() / fmt::format("dskill_bench_store_{}.db", ::getpid());
      std::filesystem::remove(path);
      s = open_store("sqlite:" + path.string(), 8);
    } else {
      s = open_store(std::getenv("DSKILL_BENCH_POSTGRES"), 8);
    }
    s->migrate();
  }
  return s;
}

void answer_transactions(benchmark::State& state, const std::string& kind) {
  if (kind == "postgresql" && !std::getenv("DSKILL_BENCH_POSTGRES")) {
    state.SkipWithError("set DSKILL_BENCH_POSTGRES to a PostgreSQL URI");
    return;
  }
  store& s = *shared_store(kind);
  static std::atomic<int> sessions{0};
  const std::string id = fmt::format("bench-{}-{}", ::getpid(), sessions++);
  session_row row;
  row.id = id;
  row.person = "p";
  row.bank_fingerprint = "bench-bank";
  row.language = "en";
  row.snapshot.assign(2048, 0x5a);  // a sealed snapshot is a few kilobytes
  s.create_session(row);
  int position = 0;
  for (auto _ : state) {
    ++position;
    s.transact(id, [&](transaction& t) {
      auto current = t.session();
      const std::string request = fmt::format("req-{}", position);
      if (t.reply_for(request)) return;
      answer_row a;
      a.session_id = id;
      a.request_id = request;
      a.position = position;
      a.item_id = fmt::format("item-{}", position % 200);
      a.category = 1;
      a.reply = R"({"next":{"item":"item-17","text":"..."},"progress":{"answered":12}})";
      t.add_answer(a);
      current->offered_ms = position;
      t.update_session(*current);
      t.count_exposure("bench-bank", a.item_id);
    });
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_store_answer_sqlite(benchmark::State& state) { answer_transactions(state, "sqlite"); }
void BM_store_answer_postgresql(benchmark::State& state) { answer_transactions(state, "postgresql"); }

}  // namespace

BENCHMARK(BM_store_answer_sqlite)->Unit(benchmark::kMicrosecond)->UseRealTime()->Threads(1)->Threads(2)->Threads(4);
BENCHMARK(BM_store_answer_postgresql)->Unit(benchmark::kMicrosecond)->UseRealTime()->Threads(1)->Threads(4)->Threads(8);

BENCHMARK_MAIN();
