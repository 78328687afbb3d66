// dskill::serve: the SQLite store (ARCHITECTURE.md, Service store).
//
// One connection per concurrent caller from a pool; every connection runs in WAL mode with
// synchronous=NORMAL (a commit is in the WAL file, hence in the OS, before COMMIT returns: it
// survives the process being killed), busy_timeout 10 s (other processes on the same file wait
// rather than fail), and keeps its statements prepared (SQLITE_PREPARE_PERSISTENT) for its whole
// life. Writers of one process queue on a mutex before BEGIN IMMEDIATE, so they never spin in
// SQLite's busy handler against each other; the busy handler only arbitrates between processes.
#include <sqlite3.h>

#include <array>
#include <fmt/format.h>
#include <mutex>
#include <string>

#include "dskill/error.hpp"
#include "dskill/serve/store.hpp"
#include "store_pool.hpp"

// RETURNING (update_session) and UPSERT (count_exposure, ON CONFLICT DO NOTHING) need 3.35.
static_assert(SQLITE_VERSION_NUMBER >= 3035000, "the SQLite store needs SQLite 3.35 or newer");

DSKILL_BEGIN_NAMESPACE
namespace serve {
namespace {

constexpr int schema_version = 1;

// The schema (also in ARCHITECTURE.md). Plain rowid tables: a session row carries a snapshot
// of a few kilobytes, which WITHOUT ROWID tables store badly.
constexpr const char* schema_sql = R"sql(
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY NOT NULL,
  person TEXT NOT NULL,
  bank_fingerprint TEXT NOT NULL,
  language TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  deadline_ms INTEGER NOT NULL,
  offered_ms INTEGER NOT NULL,
  version INTEGER NOT NULL,
  state TEXT NOT NULL,
  snapshot BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS sessions_bank ON sessions (bank_fingerprint);
CREATE TABLE IF NOT EXISTS answers (
  session_id TEXT NOT NULL,
  request_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  item_id TEXT NOT NULL,
  category INTEGER NOT NULL,
  offered_ms INTEGER NOT NULL,
  answered_ms INTEGER NOT NULL,
  response_ms INTEGER NOT NULL,
  client_response_ms INTEGER NOT NULL,
  rapid INTEGER NOT NULL,
  timed_out INTEGER NOT NULL,
  reply TEXT NOT NULL,
  PRIMARY KEY (session_id, request_id));
CREATE UNIQUE INDEX IF NOT EXISTS answers_position ON answers (session_id, position);
CREATE TABLE IF NOT EXISTS exposure (
  bank_fingerprint TEXT NOT NULL,
  item_id TEXT NOT NULL,
  administered INTEGER NOT NULL,
  PRIMARY KEY (bank_fingerprint, item_id));
)sql";

// Every statement a connection runs, prepared once per connection on first use.
enum stmt : int {
  s_begin_immediate,
  s_commit,
  s_rollback,
  s_insert_session,
  s_select_session,
  s_update_session,
  s_reply_for,
  s_insert_answer,
  s_answer_exists,
  s_count_exposure,
  s_answers,
  s_exposure,
  s_session_count,
  s_answer_count,
  s_schema_version,
  s_insert_schema_version,
  stmt_count
};

constexpr std::array<const char*, stmt_count> stmt_sql = {
    "BEGIN IMMEDIATE",
    "COMMIT",
    "ROLLBACK",
    "INSERT INTO sessions (id, person, bank_fingerprint, language, created_ms, deadline_ms, offered_ms,"
    " version, state, snapshot) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1, ?8, ?9) ON CONFLICT DO NOTHING",
    "SELECT id, person, bank_fingerprint, language, created_ms, deadline_ms, offered_ms, version, state,"
    " snapshot FROM sessions WHERE id = ?1",
    "UPDATE sessions SET person = ?2, bank_fingerprint = ?3, language = ?4, created_ms = ?5,"
    " deadline_ms = ?6, offered_ms = ?7, version = version + 1, state = ?8, snapshot = ?9"
    " WHERE id = ?1 RETURNING version",
    "SELECT reply FROM answers WHERE session_id = ?1 AND request_id = ?2",
    "INSERT INTO answers (session_id, request_id, position, item_id, category, offered_ms, answered_ms,"
    " response_ms, client_response_ms, rapid, timed_out, reply)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) ON CONFLICT DO NOTHING",
    "SELECT 1 FROM answers WHERE session_id = ?1 AND request_id = ?2",
    "INSERT INTO exposure (bank_fingerprint, item_id, administered) VALUES (?1, ?2, 1)"
    " ON CONFLICT (bank_fingerprint, item_id) DO UPDATE SET administered = administered + 1",
    "SELECT session_id, request_id, position, item_id, category, offered_ms, answered_ms, response_ms,"
    " client_response_ms, rapid, timed_out, reply FROM answers WHERE session_id = ?1 ORDER BY position",
    "SELECT item_id, administered FROM exposure WHERE bank_fingerprint = ?1 ORDER BY item_id",
    "SELECT count(*) FROM sessions WHERE bank_fingerprint = ?1",
    "SELECT count(*) FROM answers",
    "SELECT max(version) FROM schema_version",
    "INSERT INTO schema_version (version) VALUES (?1)",
};

/// One connection and its prepared statements.
class connection {
 public:
  connection(const std::string& path) : path_(path) {
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
      const std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
      sqlite3_close_v2(db_);
      db_ = nullptr;
      throw store_error(fmt::format("sqlite: {}: cannot open the database: {}", path_, message));
    }
    sqlite3_extended_result_codes(db_, 1);
    // Before the journal mode: switching to WAL takes a lock another process may hold.
    sqlite3_busy_timeout(db_, 10000);
    try {
      exec("PRAGMA journal_mode = WAL", "set the WAL journal mode", "wal");
      exec("PRAGMA synchronous = NORMAL", "set synchronous = NORMAL", nullptr);
      exec("PRAGMA foreign_keys = OFF", "turn foreign keys off", nullptr);
    } catch (...) {
      sqlite3_close_v2(db_);  // no destructor runs for a constructor that throws
      throw;
    }
  }
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;
  ~connection() {
    for (sqlite3_stmt* s : stmts_) sqlite3_finalize(s);
    sqlite3_close_v2(db_);
  }

  [[noreturn]] void fail(std::string_view what) const {
    throw store_error(fmt::format("sqlite: {}: {}: {}", path_, what, sqlite3_errmsg(db_)));
  }

  /// Runs SQL text once (set-up only: pragmas, the schema). When `expect` is given, the first
  /// column of the first row must equal it.
  void exec(const char* sql, std::string_view what, const char* expect) {
    sqlite3_stmt* s = nullptr;
    const char* tail = sql;
    while (tail && *tail) {
      if (sqlite3_prepare_v2(db_, tail, -1, &s, &tail) != SQLITE_OK) fail(what);
      if (!s) break;  // trailing white space
      int rc = sqlite3_step(s);
      if (expect && rc == SQLITE_ROW) {
        const auto* got = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
        if (!got || std::string_view(got) != expect) {
          const std::string value = got ? got : "";
          sqlite3_finalize(s);
          throw store_error(fmt::format("sqlite: {}: {}: the database answered '{}'", path_, what, value));
        }
      }
      while (rc == SQLITE_ROW) rc = sqlite3_step(s);
      if (rc != SQLITE_DONE) {
        const std::string message = sqlite3_errmsg(db_);
        sqlite3_finalize(s);
        throw store_error(fmt::format("sqlite: {}: {}: {}", path_, what, message));
      }
      sqlite3_finalize(s);
      s = nullptr;
    }
  }

  /// The statement `id`, reset and unbound when the returned guard ends.
  class statement {
   public:
    statement(connection& c, sqlite3_stmt* s) : c_(c), s_(s) {}
    statement(const statement&) = delete;
    statement& operator=(const statement&) = delete;
    ~statement() {
      sqlite3_reset(s_);
      sqlite3_clear_bindings(s_);
    }
    statement& text(int i, std::string_view v) {
      // SQLITE_STATIC: the text outlives the statement's use (the caller's arguments).
      check(sqlite3_bind_text(s_, i, v.empty() ? "" : v.data(), static_cast<int>(v.size()), SQLITE_STATIC));
      return *this;
    }
    statement& integer(int i, std::int64_t v) {
      check(sqlite3_bind_int64(s_, i, v));
      return *this;
    }
    statement& blob(int i, const std::vector<std::uint8_t>& v) {
      // A null pointer would bind NULL: an empty snapshot is an empty blob.
      static const std::uint8_t empty = 0;
      check(sqlite3_bind_blob(s_, i, v.empty() ? &empty : v.data(), static_cast<int>(v.size()), SQLITE_STATIC));
      return *this;
    }
    /// Steps once: true for a row, false when done.
    bool step(std::string_view what) {
      const int rc = sqlite3_step(s_);
      if (rc == SQLITE_ROW) return true;
      if (rc == SQLITE_DONE) return false;
      c_.fail(what);
    }
    std::string column_text(int i) const {
      const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s_, i));
      return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(s_, i))) : std::string();
    }
    std::vector<std::uint8_t> column_blob(int i) const {
      const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(s_, i));
      return p ? std::vector<std::uint8_t>(p, p + sqlite3_column_bytes(s_, i)) : std::vector<std::uint8_t>();
    }
    std::int64_t column_int(int i) const { return sqlite3_column_int64(s_, i); }
    bool column_is_null(int i) const { return sqlite3_column_type(s_, i) == SQLITE_NULL; }

   private:
    void check(int rc) {
      if (rc != SQLITE_OK) c_.fail("bind a parameter");
    }
    connection& c_;
    sqlite3_stmt* s_;
  };

  statement get(stmt id) {
    sqlite3_stmt*& s = stmts_[static_cast<std::size_t>(id)];
    if (!s && sqlite3_prepare_v3(db_, stmt_sql[static_cast<std::size_t>(id)], -1, SQLITE_PREPARE_PERSISTENT, &s,
                                 nullptr) != SQLITE_OK) {
      s = nullptr;
      fail("prepare a statement");
    }
    return statement(*this, s);
  }

  /// Runs a statement that returns no rows.
  void run(stmt id, std::string_view what) {
    auto s = get(id);
    while (s.step(what)) {
    }
  }

  int changes() const noexcept { return sqlite3_changes(db_); }
  bool in_transaction() const noexcept { return sqlite3_get_autocommit(db_) == 0; }

 private:
  std::string path_;
  sqlite3* db_ = nullptr;
  std::array<sqlite3_stmt*, stmt_count> stmts_{};
};

session_row read_session(const connection::statement& s) {
  session_row row;
  row.id = s.column_text(0);
  row.person = s.column_text(1);
  row.bank_fingerprint = s.column_text(2);
  row.language = s.column_text(3);
  row.created_ms = s.column_int(4);
  row.deadline_ms = s.column_int(5);
  row.offered_ms = s.column_int(6);
  row.version = s.column_int(7);
  row.state = s.column_text(8);
  row.snapshot = s.column_blob(9);
  return row;
}

void bind_session(connection::statement& s, const session_row& row) {
  s.text(1, row.id)
      .text(2, row.person)
      .text(3, row.bank_fingerprint)
      .text(4, row.language)
      .integer(5, row.created_ms)
      .integer(6, row.deadline_ms)
      .integer(7, row.offered_ms)
      .text(8, row.state)
      .blob(9, row.snapshot);
}

std::optional<session_row> select_session(connection& c, std::string_view id) {
  auto s = c.get(s_select_session);
  s.text(1, id);
  if (!s.step("read a session")) return std::nullopt;
  return read_session(s);
}

// Set while a thread is inside transact: a nested transact on the same store would wait for
// the writer mutex it holds itself.
thread_local const void* active_transaction_store = nullptr;

class sqlite_transaction final : public transaction {
 public:
  sqlite_transaction(connection& c, std::string_view id, const std::string& path) : c_(c), id_(id), path_(path) {}

  std::optional<session_row> session() override { return select_session(c_, id_); }

  std::optional<std::string> reply_for(std::string_view request_id) override {
    auto s = c_.get(s_reply_for);
    s.text(1, id_).text(2, request_id);
    if (!s.step("read an answer's reply")) return std::nullopt;
    return s.column_text(0);
  }

  void update_session(session_row& row) override {
    if (!row.id.empty() && row.id != id_)
      throw invalid_argument(fmt::format("sqlite: update_session: the row is session '{}', the transaction's is '{}'",
                                         row.id, id_));
    auto s = c_.get(s_update_session);
    bind_session(s, row);
    s.text(1, id_);
    if (!s.step("update a session"))
      throw store_error(fmt::format("sqlite: {}: update a session: there is no session '{}'", path_, id_));
    row.id = id_;
    row.version = s.column_int(0);
    while (s.step("update a session")) {
    }
  }

  void add_answer(const answer_row& a) override {
    if (!a.session_id.empty() && a.session_id != id_)
      throw invalid_argument(fmt::format("sqlite: add_answer: the answer is for session '{}', the transaction's is '{}'",
                                         a.session_id, id_));
    {
      auto s = c_.get(s_insert_answer);
      s.text(1, id_)
          .text(2, a.request_id)
          .integer(3, a.position)
          .text(4, a.item_id)
          .integer(5, a.category)
          .integer(6, a.offered_ms)
          .integer(7, a.answered_ms)
          .integer(8, a.response_ms)
          .integer(9, a.client_response_ms)
          .integer(10, a.rapid ? 1 : 0)
          .integer(11, a.timed_out ? 1 : 0)
          .text(12, a.reply);
      while (s.step("add an answer")) {
      }
    }
    if (c_.changes() == 1) return;
    // ON CONFLICT DO NOTHING left the transaction usable; say which key was taken.
    bool same_request = false;
    {
      auto s = c_.get(s_answer_exists);
      s.text(1, id_).text(2, a.request_id);
      same_request = s.step("add an answer");
    }
    if (same_request)
      throw store_error(fmt::format("sqlite: {}: add an answer: duplicate request id '{}' in session '{}'", path_,
                                    a.request_id, id_));
    throw store_error(fmt::format("sqlite: {}: add an answer: duplicate position {} in session '{}'", path_,
                                  a.position, id_));
  }

  void count_exposure(std::string_view bank_fingerprint, std::string_view item_id) override {
    auto s = c_.get(s_count_exposure);
    s.text(1, bank_fingerprint).text(2, item_id);
    while (s.step("count an exposure")) {
    }
  }

 private:
  connection& c_;
  std::string_view id_;
  const std::string& path_;
};

class sqlite_store final : public store {
 public:
  sqlite_store(const std::string& path, int connections)
      : path_(path), pool_(connections, [path] { return std::make_unique<connection>(path); }) {
    // The first connection now, so that a bad path is reported by open_store.
    pool_.adopt(std::make_unique<connection>(path));
  }

  std::string_view kind() const noexcept override { return "sqlite"; }

  void migrate() override {
    std::lock_guard writer(writer_);
    auto c = pool_.acquire();
    // BEGIN IMMEDIATE takes the file's write lock: a second process migrating waits here
    // (busy_timeout), then finds the tables made.
    c->run(s_begin_immediate, "begin the migration");
    try {
      c->exec(schema_sql, "create the tables", nullptr);
      std::int64_t found = 0;
      bool any = false;
      {
        auto s = c->get(s_schema_version);
        if (s.step("read the schema version") && !s.column_is_null(0)) {
          any = true;
          found = s.column_int(0);
        }
      }
      if (any && found > schema_version)
        throw store_error(fmt::format("sqlite: {}: migrate: the schema is version {}, newer than this dskill's ({})",
                                      path_, found, schema_version));
      if (!any) {
        auto s = c->get(s_insert_schema_version);
        s.integer(1, schema_version);
        while (s.step("record the schema version")) {
        }
      }
      c->run(s_commit, "commit the migration");
    } catch (...) {
      rollback(*c);
      throw;
    }
  }

  void create_session(session_row& row) override {
    std::lock_guard writer(writer_);
    auto c = pool_.acquire();
    {
      auto s = c->get(s_insert_session);
      bind_session(s, row);
      while (s.step("create a session")) {
      }
    }
    if (c->changes() != 1)
      throw store_error(fmt::format("sqlite: {}: create a session: duplicate session id '{}'", path_, row.id));
    row.version = 1;
  }

  std::optional<session_row> load_session(std::string_view id) override {
    auto c = pool_.acquire();
    return select_session(*c, id);
  }

  void transact(std::string_view session_id, const std::function<void(transaction&)>& work) override {
    if (active_transaction_store == this)
      throw state_error("sqlite: transact was called inside a transaction of the same store");
    std::lock_guard writer(writer_);
    auto c = pool_.acquire();
    c->run(s_begin_immediate, "begin a transaction");
    active_transaction_store = this;
    try {
      sqlite_transaction t(*c, session_id, path_);
      work(t);
      c->run(s_commit, "commit a transaction");
    } catch (...) {
      active_transaction_store = nullptr;
      rollback(*c);
      throw;
    }
    active_transaction_store = nullptr;
  }

  std::vector<answer_row> answers(std::string_view session_id) override {
    auto c = pool_.acquire();
    auto s = c->get(s_answers);
    s.text(1, session_id);
    std::vector<answer_row> out;
    while (s.step("read a session's answers")) {
      answer_row a;
      a.session_id = s.column_text(0);
      a.request_id = s.column_text(1);
      a.position = static_cast<int>(s.column_int(2));
      a.item_id = s.column_text(3);
      a.category = static_cast<int>(s.column_int(4));
      a.offered_ms = s.column_int(5);
      a.answered_ms = s.column_int(6);
      a.response_ms = s.column_int(7);
      a.client_response_ms = s.column_int(8);
      a.rapid = s.column_int(9) != 0;
      a.timed_out = s.column_int(10) != 0;
      a.reply = s.column_text(11);
      out.push_back(std::move(a));
    }
    return out;
  }

  std::vector<exposure_count> exposure(std::string_view bank_fingerprint) override {
    auto c = pool_.acquire();
    auto s = c->get(s_exposure);
    s.text(1, bank_fingerprint);
    std::vector<exposure_count> out;
    while (s.step("read the exposure counts")) out.push_back({s.column_text(0), s.column_int(1)});
    return out;
  }

  std::int64_t session_count(std::string_view bank_fingerprint) override {
    auto c = pool_.acquire();
    auto s = c->get(s_session_count);
    s.text(1, bank_fingerprint);
    return s.step("count sessions") ? s.column_int(0) : 0;
  }

  std::int64_t answer_count() override {
    auto c = pool_.acquire();
    auto s = c->get(s_answer_count);
    return s.step("count answers") ? s.column_int(0) : 0;
  }

 private:
  static void rollback(connection& c) noexcept {
    // A failed COMMIT or statement may have ended the transaction already (SQLITE_FULL, ...).
    if (!c.in_transaction()) return;
    try {
      c.run(s_rollback, "roll back");
    } catch (...) {
      // The original error is the one to report; a connection that cannot roll back keeps its
      // transaction open until it is closed, which rolls it back.
    }
  }

  std::string path_;
  std::mutex writer_;
  detail::connection_pool<connection> pool_;
};

}  // namespace

std::unique_ptr<store> open_sqlite_store(const std::string& path, int connections) {
  if (path.empty()) throw invalid_argument("sqlite: the store address 'sqlite:PATH' needs a path");
  if (path.find('\0') != std::string::npos) throw invalid_argument("sqlite: the path contains a NUL character");
  if (path == ":memory:" || path.starts_with("file:"))
    throw invalid_argument(fmt::format(
        "sqlite: '{}' is not a file path (every pooled connection must open the same file)", path));
  if (connections < 1)
    throw invalid_argument(fmt::format("sqlite: {}: connections must be at least 1 (got {})", path, connections));
  return std::make_unique<sqlite_store>(path, connections);
}

}  // namespace serve
DSKILL_END_NAMESPACE
