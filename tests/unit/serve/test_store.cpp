// The service's stores: one set of conformance checks run against SQLite and PostgreSQL (a
// throwaway cluster started by scripts/pg_throwaway.sh), plus what is particular to each.
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <mutex>
#include <thread>
#include <vector>

#include "dskill/error.hpp"
#include "dskill/serve/store.hpp"

namespace fs = std::filesystem;
using namespace dskill;
using namespace dskill::serve;

namespace {

/// A fresh directory under /tmp (short: a PostgreSQL socket lives in it), removed at the end.
struct scratch_dir {
  fs::path path;
  scratch_dir() {
    std::string pattern = "/tmp/dskill_store_XXXXXX";
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path = pattern;
  }
  scratch_dir(const scratch_dir&) = delete;
  scratch_dir& operator=(const scratch_dir&) = delete;
  ~scratch_dir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

/// Runs a shell command, returning its standard output and exit status.
std::pair<std::string, int> run(const std::string& command) {
  std::string out;
  FILE* p = ::popen(command.c_str(), "r");
  if (!p) return {"", -1};
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, p)) out += buffer;
  const int status = ::pclose(p);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return {out, WIFEXITED(status) ? WEXITSTATUS(status) : -1};
}

/// A throwaway PostgreSQL cluster, stopped (and its directory removed) when this ends, whatever
/// the checks did. The PostgreSQL binaries are required: CI installs them, a test does not skip.
struct pg_cluster {
  scratch_dir dir;
  std::string script = std::string(DSKILL_SOURCE_DIR) + "/scripts/pg_throwaway.sh";
  std::string uri;
  bool started = false;
  pg_cluster() {
    auto [out, status] = run(fmt::format("sh '{}' start '{}'", script, dir.path.string()));
    if (status != 0 || out.rfind("postgresql://", 0) != 0)
      FAIL("scripts/pg_throwaway.sh could not start a PostgreSQL cluster (exit " << status << "; are the "
           "postgresql server binaries installed? see its message above): " << out);
    uri = out.substr(out.rfind('\n') == std::string::npos ? 0 : out.rfind('\n') + 1);
    started = true;
  }
  pg_cluster(const pg_cluster&) = delete;
  pg_cluster& operator=(const pg_cluster&) = delete;
  ~pg_cluster() { run(fmt::format("sh '{}' stop '{}' >/dev/null 2>&1", script, dir.path.string())); }
};

session_row make_session(const std::string& id, const std::string& bank = "bank-A") {
  session_row row;
  row.id = id;
  row.person = "p-" + id;
  row.bank_fingerprint = bank;
  row.language = "vi";
  row.created_ms = 1764700000123;
  row.deadline_ms = 1764703600123;
  row.offered_ms = 0;
  row.state = "active";
  row.snapshot = {0x00, 0x01, 0x00, 0xff, 0x7f, 0x80, 0x00};  // zero bytes inside and at both ends
  return row;
}

answer_row make_answer(const std::string& session, const std::string& request, int position) {
  answer_row a;
  a.session_id = session;
  a.request_id = request;
  a.position = position;
  a.item_id = fmt::format("item-{}", position);
  a.category = position % 3;
  a.offered_ms = 1000 * position;
  a.answered_ms = 1000 * position + 700;
  a.response_ms = 700;
  a.client_response_ms = position % 2 ? 650 : -1;
  a.rapid = position % 2 == 1;
  a.timed_out = position == 3;
  a.reply = fmt::format(R"({{"position":{},"text":"câu trả lời"}})", position);
  return a;
}

std::int64_t counter_of(const std::vector<std::uint8_t>& snapshot) {
  std::int64_t v = 0;
  for (std::size_t i = 0; i < 8 && i < snapshot.size(); ++i) v |= std::int64_t{snapshot[i]} << (8 * i);
  return v;
}
std::vector<std::uint8_t> snapshot_of(std::int64_t v) {
  std::vector<std::uint8_t> s(8);
  for (std::size_t i = 0; i < 8; ++i) s[i] = static_cast<std::uint8_t>(v >> (8 * i));
  return s;
}

/// `threads` threads each run `per_thread` transactions adding one to the counter in the
/// snapshot of one session (and one answer each): the count must come out exact.
void lost_update_check(std::vector<store*> stores, int threads, int per_thread, const std::string& id) {
  session_row row = make_session(id);
  row.snapshot = snapshot_of(0);
  stores[0]->create_session(row);
  std::atomic<int> failures{0};
  std::string first_failure;
  std::mutex failure_mutex;
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      store& s = *stores[static_cast<std::size_t>(t) % stores.size()];
      for (int i = 0; i < per_thread; ++i) {
        try {
          s.transact(id, [&](transaction& tx) {
            auto current = tx.session();
            if (!current) throw std::runtime_error("session vanished");
            const std::int64_t n = counter_of(current->snapshot) + 1;
            current->snapshot = snapshot_of(n);
            if (tx.reply_for(fmt::format("r{}-{}", t, i))) throw std::runtime_error("reply before the answer");
            tx.add_answer(make_answer(id, fmt::format("r{}-{}", t, i), static_cast<int>(n)));
            tx.update_session(*current);
            tx.count_exposure("bank-" + id, "item-x");
          });
        } catch (const std::exception& e) {
          if (failures++ == 0) {
            std::lock_guard lock(failure_mutex);
            first_failure = e.what();
          }
        }
      }
    });
  for (auto& th : pool) th.join();
  INFO("first failure: " << first_failure);
  CHECK(failures.load() == 0);
  const auto final_row = stores[0]->load_session(id);
  REQUIRE(final_row);
  CHECK(counter_of(final_row->snapshot) == threads * per_thread);
  CHECK(final_row->version == 1 + threads * per_thread);
  CHECK(stores[0]->answers(id).size() == static_cast<std::size_t>(threads * per_thread));
  const auto exposure = stores[0]->exposure("bank-" + id);
  REQUIRE(exposure.size() == 1);
  CHECK(exposure[0].administered == threads * per_thread);
}

/// The conformance checks: what every store must do, the same for each.
void conformance(store& s) {
  INFO("store: " << s.kind());
  s.migrate();
  s.migrate();  // idempotent

  // create and load, the snapshot's bytes exactly (zero bytes included)
  session_row a = make_session("0123456789abcdef0123456789abcdef");
  a.version = 42;  // ignored: a new session is version 1
  s.create_session(a);
  CHECK(a.version == 1);
  auto loaded = s.load_session(a.id);
  REQUIRE(loaded);
  CHECK(loaded->id == a.id);
  CHECK(loaded->person == a.person);
  CHECK(loaded->bank_fingerprint == a.bank_fingerprint);
  CHECK(loaded->language == a.language);
  CHECK(loaded->created_ms == a.created_ms);
  CHECK(loaded->deadline_ms == a.deadline_ms);
  CHECK(loaded->offered_ms == 0);
  CHECK(loaded->version == 1);
  CHECK(loaded->state == "active");
  CHECK(loaded->snapshot == a.snapshot);
  CHECK_FALSE(s.load_session("no-such-session"));

  // an empty snapshot is an empty snapshot (not NULL, not refused)
  session_row empty = make_session("empty-snapshot");
  empty.snapshot.clear();
  s.create_session(empty);
  REQUIRE(s.load_session("empty-snapshot"));
  CHECK(s.load_session("empty-snapshot")->snapshot.empty());

  // a duplicate id is refused, and the first row is untouched
  session_row dup = make_session(a.id);
  dup.person = "someone else";
  try {
    s.create_session(dup);
    FAIL("a duplicate session id was accepted");
  } catch (const store_error& e) {
    const std::string m = e.what();
    CHECK(m.find(std::string(s.kind())) != std::string::npos);
    CHECK(m.find("duplicate session id") != std::string::npos);
  }
  CHECK(s.load_session(a.id)->person == a.person);

  // a committed transaction: update (version + 1), answer, exposure
  s.transact(a.id, [&](transaction& t) {
    auto row = t.session();
    REQUIRE(row);
    CHECK(row->version == 1);
    CHECK_FALSE(t.reply_for("req-1"));
    row->offered_ms = 5000;
    row->state = "finished";
    row->snapshot = {0, 0, 0};
    t.update_session(*row);
    CHECK(row->version == 2);
    CHECK(t.session()->version == 2);  // the transaction sees its own update
    t.add_answer(make_answer(a.id, "req-1", 1));
    CHECK(t.reply_for("req-1") == make_answer(a.id, "req-1", 1).reply);
    t.count_exposure("bank-A", "item-1");
  });
  loaded = s.load_session(a.id);
  CHECK(loaded->version == 2);
  CHECK(loaded->offered_ms == 5000);
  CHECK(loaded->state == "finished");
  CHECK(loaded->snapshot == std::vector<std::uint8_t>{0, 0, 0});

  // a transaction that throws changes nothing, and the exception reaches the caller
  struct marker {};
  CHECK_THROWS_AS(s.transact(a.id,
                             [&](transaction& t) {
                               auto row = t.session();
                               row->state = "expired";
                               t.update_session(*row);
                               t.add_answer(make_answer(a.id, "req-rolled-back", 2));
                               t.count_exposure("bank-A", "item-1");
                               t.count_exposure("bank-A", "item-rolled-back");
                               throw marker{};
                             }),
                  marker);
  loaded = s.load_session(a.id);
  CHECK(loaded->version == 2);
  CHECK(loaded->state == "finished");
  CHECK(s.answers(a.id).size() == 1);

  // reply_for finds an answer only once it is committed, from any later transaction
  s.transact(a.id, [&](transaction& t) {
    CHECK(t.reply_for("req-1") == make_answer(a.id, "req-1", 1).reply);
    CHECK_FALSE(t.reply_for("req-rolled-back"));
  });

  // duplicates: the same request id, or the same position, are refused and say which
  s.transact(a.id, [&](transaction& t) {
    try {
      t.add_answer(make_answer(a.id, "req-1", 7));
      FAIL("a duplicate request id was accepted");
    } catch (const store_error& e) {
      const std::string m = e.what();
      CHECK(m.find(std::string(s.kind())) != std::string::npos);
      CHECK(m.find("duplicate request id 'req-1'") != std::string::npos);
    }
    try {
      t.add_answer(make_answer(a.id, "req-other", 1));
      FAIL("a duplicate position was accepted");
    } catch (const store_error& e) {
      CHECK(std::string(e.what()).find("duplicate position 1") != std::string::npos);
    }
    // ... and the transaction is still usable after either
    t.add_answer(make_answer(a.id, "req-3", 3));
    t.add_answer(make_answer(a.id, "req-2", 2));
    t.count_exposure("bank-A", "item-2");
    t.count_exposure("bank-A", "item-3");
  });

  // answers in position order, every field back as stored
  const auto answers = s.answers(a.id);
  REQUIRE(answers.size() == 3);
  for (int i = 0; i < 3; ++i) {
    const auto want = make_answer(a.id, fmt::format("req-{}", i + 1), i + 1);
    const auto& got = answers[static_cast<std::size_t>(i)];
    CHECK(got.session_id == want.session_id);
    CHECK(got.request_id == want.request_id);
    CHECK(got.position == want.position);
    CHECK(got.item_id == want.item_id);
    CHECK(got.category == want.category);
    CHECK(got.offered_ms == want.offered_ms);
    CHECK(got.answered_ms == want.answered_ms);
    CHECK(got.response_ms == want.response_ms);
    CHECK(got.client_response_ms == want.client_response_ms);
    CHECK(got.rapid == want.rapid);
    CHECK(got.timed_out == want.timed_out);
    CHECK(got.reply == want.reply);
  }
  CHECK(s.answers("no-such-session").empty());

  // exposure counts per bank, session counts, answer count
  s.transact(a.id, [&](transaction& t) { t.count_exposure("bank-A", "item-1"); });
  {
    session_row b1 = make_session("other-bank", "bank-B");
    s.create_session(b1);
    session_row b = make_session("other-bank-2", "bank-B");
    s.create_session(b);
    s.transact(b.id, [&](transaction& t) { t.count_exposure("bank-B", "item-1"); });
  }
  const auto exposure_a = s.exposure("bank-A");
  REQUIRE(exposure_a.size() == 3);
  CHECK(exposure_a[0].item_id == "item-1");
  CHECK(exposure_a[0].administered == 2);
  CHECK(exposure_a[1].item_id == "item-2");
  CHECK(exposure_a[1].administered == 1);
  CHECK(exposure_a[2].item_id == "item-3");
  CHECK(exposure_a[2].administered == 1);
  REQUIRE(s.exposure("bank-B").size() == 1);
  CHECK(s.exposure("bank-B")[0].administered == 1);
  CHECK(s.exposure("bank-none").empty());
  CHECK(s.session_count("bank-A") == 2);
  CHECK(s.session_count("bank-B") == 2);
  CHECK(s.session_count("bank-none") == 0);
  CHECK(s.answer_count() == 3);

  // a transaction on a session that does not exist sees none, and cannot update it
  s.transact("no-such-session", [&](transaction& t) { CHECK_FALSE(t.session()); });
  CHECK_THROWS_AS(s.transact("no-such-session",
                             [&](transaction& t) {
                               session_row r = make_session("no-such-session");
                               t.update_session(r);
                             }),
                  store_error);
  CHECK_FALSE(s.load_session("no-such-session"));

  // a transact inside a transact of the same store would wait for itself: refused
  CHECK_THROWS_AS(s.transact(a.id, [&](transaction&) { s.transact(a.id, [](transaction&) {}); }), state_error);
  s.transact(a.id, [](transaction& t) { CHECK(t.session()); });

  // lost updates: 4 threads x 200 transactions on one session
  lost_update_check({&s}, 4, 200, "counter-session");
}

}  // namespace

TEST_CASE("store sqlite: conformance") {
  scratch_dir dir;
  auto s = open_store("sqlite:" + (dir.path / "store.db").string(), 4);
  CHECK(s->kind() == "sqlite");
  conformance(*s);
}

TEST_CASE("store sqlite: two store objects on one file (like two processes) share sessions and locks") {
  scratch_dir dir;
  const std::string address = "sqlite:" + (dir.path / "shared.db").string();
  auto one = open_store(address, 2);
  auto two = open_store(address, 2);
  // both migrate at once, as two processes starting together do
  std::thread m1([&] { one->migrate(); });
  std::thread m2([&] { two->migrate(); });
  m1.join();
  m2.join();
  session_row row = make_session("seen-by-both");
  one->create_session(row);
  REQUIRE(two->load_session("seen-by-both"));
  CHECK(two->load_session("seen-by-both")->snapshot == row.snapshot);
  // their writers do not share the in-process mutex: only SQLite's file lock and busy_timeout
  lost_update_check({one.get(), two.get()}, 4, 200, "counter-two-stores");
  CHECK(one->answer_count() == 800);
  CHECK(two->answer_count() == 800);
}

TEST_CASE("store sqlite: a committed transaction is in the file when the store is reopened") {
  scratch_dir dir;
  const std::string address = "sqlite:" + (dir.path / "reopen.db").string();
  {
    auto s = open_store(address, 1);
    s->migrate();
    session_row row = make_session("kept");
    s->create_session(row);
    s->transact("kept", [](transaction& t) { t.add_answer(make_answer("kept", "r1", 1)); });
  }
  auto s = open_store(address, 1);
  s->migrate();
  CHECK(s->answers("kept").size() == 1);
  CHECK(fs::exists(dir.path / "reopen.db"));
}

TEST_CASE("store sqlite: every acknowledged transaction survives kill -9 of the writer") {
  scratch_dir dir;
  const std::string address = "sqlite:" + (dir.path / "killed.db").string();
  open_store(address, 1)->migrate();
  int acks[2];
  REQUIRE(::pipe(acks) == 0);
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    // The writer: commits answers one by one and acknowledges each after COMMIT returned.
    ::close(acks[0]);
    try {
      auto s = open_store(address, 1);
      session_row row = make_session("killed");
      s->create_session(row);
      for (int position = 1;; ++position) {
        s->transact("killed", [&](transaction& t) {
          t.add_answer(make_answer("killed", fmt::format("r{}", position), position));
        });
        if (::write(acks[1], &position, sizeof position) != sizeof position) ::_exit(2);
      }
    } catch (...) {
      ::_exit(3);
    }
  }
  ::close(acks[1]);
  int acknowledged = 0, got = 0;
  while (acknowledged < 300 && ::read(acks[0], &got, sizeof got) == sizeof got) acknowledged = got;
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  while (::read(acks[0], &got, sizeof got) == sizeof got) acknowledged = got;  // sent before the kill
  ::close(acks[0]);
  CHECK(WIFSIGNALED(status));
  REQUIRE(acknowledged >= 300);
  auto s = open_store(address, 1);
  s->migrate();
  const auto answers = s->answers("killed");
  CHECK(answers.size() >= static_cast<std::size_t>(acknowledged));
  for (std::size_t i = 0; i < answers.size(); ++i) CHECK(answers[i].position == static_cast<int>(i) + 1);
}

TEST_CASE("store sqlite: bad paths and nested transactions are errors, not crashes") {
  scratch_dir dir;
  try {
    open_store("sqlite:" + (dir.path / "missing" / "dir" / "x.db").string());
    FAIL("a database in a missing directory was opened");
  } catch (const store_error& e) {
    const std::string m = e.what();
    CHECK(m.find("sqlite: ") != std::string::npos);
    CHECK(m.find("x.db") != std::string::npos);
    CHECK(m.find("unable to open") != std::string::npos);
  }
  CHECK_THROWS_AS(open_store("sqlite:"), invalid_argument);
  CHECK_THROWS_AS(open_store("sqlite::memory:"), invalid_argument);
  CHECK_THROWS_AS(open_store("sqlite:" + (dir.path / "x.db").string(), 0), invalid_argument);
  // a file that is not a database
  {
    FILE* f = std::fopen((dir.path / "text.db").c_str(), "w");
    REQUIRE(f);
    std::fputs("this is not an SQLite database, just some text that is long enough to be a header....\n", f);
    std::fclose(f);
  }
  try {
    auto s = open_store("sqlite:" + (dir.path / "text.db").string());
    s->migrate();
    FAIL("a text file was used as a database");
  } catch (const store_error& e) {
    CHECK(std::string(e.what()).find("sqlite: ") != std::string::npos);
    CHECK(std::string(e.what()).find("text.db") != std::string::npos);
  }
  auto s = open_store("sqlite:" + (dir.path / "ok.db").string());
  s->migrate();
  session_row row = make_session("nested");
  s->create_session(row);
  CHECK_THROWS_AS(s->transact("nested", [&](transaction&) { s->transact("nested", [](transaction&) {}); }),
                  state_error);
  s->transact("nested", [](transaction& t) { CHECK(t.session()); });  // the store still works
}

TEST_CASE("store: an address of another kind is refused, naming the kinds accepted") {
  for (const std::string& address : std::vector<std::string>{"", "mysql://localhost/db", "sqlite", "postgresql:/x", "http://x", "/tmp/x.db",
                                    std::string("sqlite:/tmp/\0x", 13)}) {
    INFO("address: " << address);
    try {
      open_store(address);
      FAIL("accepted");
    } catch (const invalid_argument& e) {
      const std::string m = e.what();
      if (address.find('\0') == std::string::npos) {
        CHECK(m.find("sqlite:PATH") != std::string::npos);
        CHECK(m.find("postgresql://") != std::string::npos);
        CHECK(m.find("postgres://") != std::string::npos);
      }
    }
  }
  // a password in an address is never repeated in a message
  try {
    open_store("mysql://user:secret@host/db");
  } catch (const invalid_argument& e) {
    CHECK(std::string(e.what()).find("secret") == std::string::npos);
  }
  // a URI libpq cannot use is an error naming the store, never a crash
  try {
    open_store("postgresql://host:notaport/db");
    FAIL("accepted");
  } catch (const error& e) {
    CHECK(std::string(e.what()).find("postgresql: ") != std::string::npos);
    CHECK(std::string(e.what()).find("notaport") != std::string::npos);
  }
  CHECK_THROWS_AS(open_store("postgresql://[::1/db"), invalid_argument);
}

TEST_CASE("store postgresql: conformance, concurrent migrations and connection failures (throwaway cluster)") {
  pg_cluster cluster;
  auto s = open_store(cluster.uri, 4);
  CHECK(s->kind() == "postgresql");
  // two "processes" migrating a fresh database at once
  {
    auto other = open_store(cluster.uri, 1);
    std::thread m1([&] { s->migrate(); });
    std::thread m2([&] { other->migrate(); });
    m1.join();
    m2.join();
  }
  conformance(*s);

  // two store objects (two processes) on one database: the row lock is the database's
  {
    auto other = open_store("postgres://" + cluster.uri.substr(13), 2);
    lost_update_check({s.get(), other.get()}, 4, 100, "counter-two-stores");
  }

  // the server drops every other connection: reads and new transactions reconnect (BEGIN is
  // retried), nothing is lost
  {
    // psql does it from outside, as an administrator would (the store has no such statement)
    const auto [out, status] = run(fmt::format(
        "PATH=\"$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1):$PATH\" psql -X -q -t '{}' -c \"SELECT count(pg_terminate_backend(pid)) FROM "
        "pg_stat_activity WHERE pid <> pg_backend_pid() AND backend_type = 'client backend'\" 2>&1",
        cluster.uri));
    INFO("psql: " << out);
    REQUIRE(status == 0);
    CHECK(std::atoi(out.c_str()) >= 1);
    CHECK(s->load_session("counter-session"));
    s->transact("counter-session", [](transaction& t) { CHECK(t.session()); });
    CHECK(s->answer_count() > 0);
  }

  // errors name the store and what failed; the password never appears
  try {
    open_store("postgresql://dskill:hunter2@/postgres?host=" + cluster.dir.path.string() + "&port=1", 1);
    FAIL("connected to a port where no server listens");
  } catch (const store_error& e) {
    const std::string m = e.what();
    CHECK(m.rfind("[dskill.io_error", 0) == 0);
    CHECK(m.find("postgresql: ") != std::string::npos);
    CHECK(m.find("hunter2") == std::string::npos);
    CHECK(m.find("failed") != std::string::npos);
  }
}
