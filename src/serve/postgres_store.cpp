// dskill::serve: the PostgreSQL store (ARCHITECTURE.md, Service store).
//
// libpq directly: a pool of connections (PQconnectdb with the URI), each preparing its
// statements once (PQprepare on first use, again after a reset) and running them with
// PQexecPrepared, snapshots as binary BYTEA parameters, every result in binary format. A
// transaction is BEGIN; SELECT ... FOR UPDATE (the session's row lock, the same in every
// process); the work; COMMIT. A connection found broken is reset (PQreset); the operation is
// reported as store_error and retried only where its outcome is known: a read, or BEGIN.
#include <libpq-fe.h>

#include <array>
#include <cstring>
#include <fmt/format.h>
#include <string>

#include "dskill/error.hpp"
#include "dskill/serve/store.hpp"
#include "store_pool.hpp"

DSKILL_BEGIN_NAMESPACE
namespace serve {
namespace {

constexpr int schema_version = 1;
// pg_advisory_xact_lock's key for migrate: "dskill" in ASCII.
constexpr const char* migrate_lock_sql = "SELECT pg_advisory_xact_lock(110386058783084)";

constexpr const char* schema_sql = R"sql(
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY,
  person TEXT NOT NULL,
  bank_fingerprint TEXT NOT NULL,
  language TEXT NOT NULL,
  created_ms BIGINT NOT NULL,
  deadline_ms BIGINT NOT NULL,
  offered_ms BIGINT NOT NULL,
  version BIGINT NOT NULL,
  state TEXT NOT NULL,
  snapshot BYTEA NOT NULL);
CREATE INDEX IF NOT EXISTS sessions_bank ON sessions (bank_fingerprint);
CREATE TABLE IF NOT EXISTS answers (
  session_id TEXT NOT NULL,
  request_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  item_id TEXT NOT NULL,
  category INTEGER NOT NULL,
  offered_ms BIGINT NOT NULL,
  answered_ms BIGINT NOT NULL,
  response_ms BIGINT NOT NULL,
  client_response_ms BIGINT NOT NULL,
  rapid BOOLEAN NOT NULL,
  timed_out BOOLEAN NOT NULL,
  reply TEXT NOT NULL,
  PRIMARY KEY (session_id, request_id));
CREATE UNIQUE INDEX IF NOT EXISTS answers_position ON answers (session_id, position);
CREATE TABLE IF NOT EXISTS exposure (
  bank_fingerprint TEXT NOT NULL,
  item_id TEXT NOT NULL,
  administered BIGINT NOT NULL,
  PRIMARY KEY (bank_fingerprint, item_id));
)sql";

enum stmt : int {
  s_insert_session,
  s_select_session,
  s_lock_session,
  s_update_session,
  s_reply_for,
  s_insert_answer,
  s_count_exposure,
  s_answers,
  s_exposure,
  s_session_count,
  s_answer_count,
  stmt_count
};

struct stmt_def {
  const char* name;
  const char* sql;
  int params;
};

constexpr std::array<stmt_def, stmt_count> stmt_defs = {{
    {"dskill_insert_session",
     "INSERT INTO sessions (id, person, bank_fingerprint, language, created_ms, deadline_ms, offered_ms,"
     " version, state, snapshot) VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9) ON CONFLICT DO NOTHING",
     9},
    {"dskill_select_session",
     "SELECT id, person, bank_fingerprint, language, created_ms, deadline_ms, offered_ms, version, state,"
     " snapshot FROM sessions WHERE id = $1",
     1},
    {"dskill_lock_session",
     "SELECT id, person, bank_fingerprint, language, created_ms, deadline_ms, offered_ms, version, state,"
     " snapshot FROM sessions WHERE id = $1 FOR UPDATE",
     1},
    {"dskill_update_session",
     "UPDATE sessions SET person = $2, bank_fingerprint = $3, language = $4, created_ms = $5,"
     " deadline_ms = $6, offered_ms = $7, version = version + 1, state = $8, snapshot = $9"
     " WHERE id = $1 RETURNING version",
     9},
    {"dskill_reply_for", "SELECT reply FROM answers WHERE session_id = $1 AND request_id = $2", 2},
    {"dskill_insert_answer",
     "INSERT INTO answers (session_id, request_id, position, item_id, category, offered_ms, answered_ms,"
     " response_ms, client_response_ms, rapid, timed_out, reply)"
     " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING",
     12},
    {"dskill_count_exposure",
     "INSERT INTO exposure AS e (bank_fingerprint, item_id, administered) VALUES ($1, $2, 1)"
     " ON CONFLICT (bank_fingerprint, item_id) DO UPDATE SET administered = e.administered + 1",
     2},
    {"dskill_answers",
     "SELECT session_id, request_id, position, item_id, category, offered_ms, answered_ms, response_ms,"
     " client_response_ms, rapid, timed_out, reply FROM answers WHERE session_id = $1 ORDER BY position",
     1},
    {"dskill_exposure", "SELECT item_id, administered FROM exposure WHERE bank_fingerprint = $1 ORDER BY item_id", 1},
    {"dskill_session_count", "SELECT count(*) FROM sessions WHERE bank_fingerprint = $1", 1},
    {"dskill_answer_count", "SELECT count(*) FROM answers", 0},
}};

/// The URI with any password replaced by "***" (messages and logs never show it).
std::string redact(std::string uri) {
  if (const auto scheme = uri.find("://"); scheme != std::string::npos) {
    const auto start = scheme + 3;
    const auto end = uri.find_first_of("/?", start);
    const auto at = uri.rfind('@', end == std::string::npos ? uri.size() : end);
    if (at != std::string::npos && at >= start) {
      const auto colon = uri.find(':', start);
      if (colon != std::string::npos && colon < at) uri.replace(colon + 1, at - colon - 1, "***");
    }
  }
  for (std::size_t p = uri.find("password="); p != std::string::npos; p = uri.find("password=", p + 1)) {
    const auto value = p + 9;
    const auto end = uri.find('&', value);
    uri.replace(value, (end == std::string::npos ? uri.size() : end) - value, "***");
  }
  return uri;
}

std::string trimmed(const char* message) {
  std::string s = message ? message : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

/// A PGresult that is cleared when it ends.
class result {
 public:
  explicit result(PGresult* r = nullptr) noexcept : r_(r) {}
  result(result&& o) noexcept : r_(std::exchange(o.r_, nullptr)) {}
  result& operator=(result&& o) noexcept {
    std::swap(r_, o.r_);
    return *this;
  }
  ~result() { PQclear(r_); }
  PGresult* get() const noexcept { return r_; }
  int rows() const noexcept { return PQntuples(r_); }
  // Binary format: text is its bytes, integers big-endian, booleans one byte.
  std::string text(int row, int col) const {
    return std::string(PQgetvalue(r_, row, col), static_cast<std::size_t>(PQgetlength(r_, row, col)));
  }
  std::vector<std::uint8_t> bytes(int row, int col) const {
    const auto* p = reinterpret_cast<const std::uint8_t*>(PQgetvalue(r_, row, col));
    return std::vector<std::uint8_t>(p, p + PQgetlength(r_, row, col));
  }
  std::int64_t integer(int row, int col) const {
    const auto* p = reinterpret_cast<const std::uint8_t*>(PQgetvalue(r_, row, col));
    const int n = PQgetlength(r_, row, col);
    std::uint64_t v = 0;
    for (int i = 0; i < n; ++i) v = (v << 8) | p[i];
    if (n > 0 && n < 8 && (p[0] & 0x80)) v |= ~std::uint64_t{0} << (8 * n);  // sign-extend int2/int4
    return static_cast<std::int64_t>(v);
  }
  bool boolean(int row, int col) const { return PQgetlength(r_, row, col) == 1 && PQgetvalue(r_, row, col)[0] != 0; }

 private:
  PGresult* r_;
};

/// Parameters of one statement: text values, or binary (BYTEA).
class params {
 public:
  params() = default;
  // values_ points into owned_: a moved copy would point into the old one.
  params(const params&) = delete;
  params& operator=(const params&) = delete;
  params& text(std::string_view v) {
    owned_[n_] = std::string(v);  // NUL-terminated copies: text parameters need the terminator
    values_[n_] = owned_[n_].c_str();
    lengths_[n_] = 0;
    formats_[n_] = 0;
    ++n_;
    return *this;
  }
  params& integer(std::int64_t v) { return text(std::to_string(v)); }
  params& boolean(bool v) { return text(v ? "t" : "f"); }
  params& binary(const std::vector<std::uint8_t>& v) {
    static const char empty = 0;  // a null pointer would be SQL NULL
    values_[n_] = v.empty() ? &empty : reinterpret_cast<const char*>(v.data());
    lengths_[n_] = static_cast<int>(v.size());
    formats_[n_] = 1;
    ++n_;
    return *this;
  }
  int size() const noexcept { return n_; }
  const char* const* values() const noexcept { return values_.data(); }
  const int* lengths() const noexcept { return lengths_.data(); }
  const int* formats() const noexcept { return formats_.data(); }

 private:
  static constexpr int max = 12;
  int n_ = 0;
  std::array<std::string, max> owned_;
  std::array<const char*, max> values_{};
  std::array<int, max> lengths_{};
  std::array<int, max> formats_{};
};

/// The connection broke (and was reset): a store_error, which the store's own callers may run
/// again where the outcome is known (a read, BEGIN).
class connection_lost : public store_error {
 public:
  explicit connection_lost(const std::string& message) : store_error(message) {}
};

class connection {
 public:
  connection(const std::string& uri, const std::string& shown) : shown_(shown) {
    conn_ = PQconnectdb(uri.c_str());
    if (!conn_) throw store_error(fmt::format("postgresql: {}: connect: out of memory", shown_));
    if (PQstatus(conn_) != CONNECTION_OK) {
      const std::string message = trimmed(PQerrorMessage(conn_));
      PQfinish(conn_);
      conn_ = nullptr;
      throw store_error(fmt::format("postgresql: {}: {}", shown_, message));
    }
    // Notices (CREATE TABLE IF NOT EXISTS on a table that exists, ...) are not errors: libpq
    // would print them on stderr.
    PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);
  }
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;
  ~connection() { PQfinish(conn_); }

  bool ok() const noexcept { return PQstatus(conn_) == CONNECTION_OK; }

  /// Reconnects a broken connection (its prepared statements are gone with the session).
  bool reset() {
    PQreset(conn_);
    prepared_.fill(false);
    return ok();
  }

  [[noreturn]] void fail(std::string_view what, const char* message) {
    if (!ok()) {
      const std::string m = trimmed(message ? message : PQerrorMessage(conn_));
      reset();
      throw connection_lost(
          fmt::format("postgresql: {}: {}: the connection was lost ({}); it was reset", shown_, what, m));
    }
    throw store_error(fmt::format("postgresql: {}: {}: {}", shown_, what, trimmed(message)));
  }

  /// Runs SQL text without parameters (set-up, BEGIN, COMMIT, ROLLBACK).
  result exec(const char* sql, std::string_view what) {
    result r(PQexec(conn_, sql));
    check(r, what);
    return r;
  }

  result run(stmt id, const params& p, std::string_view what) {
    const auto& def = stmt_defs[static_cast<std::size_t>(id)];
    if (!prepared_[static_cast<std::size_t>(id)]) {
      result r(PQprepare(conn_, def.name, def.sql, def.params, nullptr));
      check(r, what);
      prepared_[static_cast<std::size_t>(id)] = true;
    }
    result r(PQexecPrepared(conn_, def.name, p.size(), p.values(), p.lengths(), p.formats(), 1));
    check(r, what);
    return r;
  }

  /// PQTRANS_IDLE when no transaction is open.
  PGTransactionStatusType transaction_status() const noexcept { return PQtransactionStatus(conn_); }
  const std::string& shown() const noexcept { return shown_; }

 private:
  void check(const result& r, std::string_view what) {
    const auto status = r.get() ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return;
    fail(what, r.get() ? PQresultErrorMessage(r.get()) : PQerrorMessage(conn_));
  }

  std::string shown_;
  PGconn* conn_ = nullptr;
  std::array<bool, stmt_count> prepared_{};
};

session_row read_session(const result& r) {
  session_row row;
  row.id = r.text(0, 0);
  row.person = r.text(0, 1);
  row.bank_fingerprint = r.text(0, 2);
  row.language = r.text(0, 3);
  row.created_ms = r.integer(0, 4);
  row.deadline_ms = r.integer(0, 5);
  row.offered_ms = r.integer(0, 6);
  row.version = r.integer(0, 7);
  row.state = r.text(0, 8);
  row.snapshot = r.bytes(0, 9);
  return row;
}

void session_params(params& p, std::string_view id, const session_row& row) {
  p.text(id)
      .text(row.person)
      .text(row.bank_fingerprint)
      .text(row.language)
      .integer(row.created_ms)
      .integer(row.deadline_ms)
      .integer(row.offered_ms)
      .text(row.state)
      .binary(row.snapshot);
}

// Set while a thread is inside transact (see transact).
thread_local const void* active_transaction_store = nullptr;

class postgres_transaction final : public transaction {
 public:
  postgres_transaction(connection& c, std::string_view id, std::optional<session_row> locked)
      : c_(c), id_(id), row_(std::move(locked)) {}

  std::optional<session_row> session() override { return row_; }

  std::optional<std::string> reply_for(std::string_view request_id) override {
    params p;
    p.text(id_).text(request_id);
    const result r = c_.run(s_reply_for, p, "read an answer's reply");
    if (r.rows() == 0) return std::nullopt;
    return r.text(0, 0);
  }

  void update_session(session_row& row) override {
    if (!row.id.empty() && row.id != id_)
      throw invalid_argument(fmt::format(
          "postgresql: update_session: the row is session '{}', the transaction's is '{}'", row.id, id_));
    params p;
    session_params(p, id_, row);
    const result r = c_.run(s_update_session, p, "update a session");
    if (r.rows() == 0)
      throw store_error(fmt::format("postgresql: {}: update a session: there is no session '{}'", c_.shown(), id_));
    row.id = id_;
    row.version = r.integer(0, 0);
    row_ = row;
  }

  void add_answer(const answer_row& a) override {
    if (!a.session_id.empty() && a.session_id != id_)
      throw invalid_argument(fmt::format(
          "postgresql: add_answer: the answer is for session '{}', the transaction's is '{}'", a.session_id, id_));
    params p;
    p.text(id_)
        .text(a.request_id)
        .integer(a.position)
        .text(a.item_id)
        .integer(a.category)
        .integer(a.offered_ms)
        .integer(a.answered_ms)
        .integer(a.response_ms)
        .integer(a.client_response_ms)
        .boolean(a.rapid)
        .boolean(a.timed_out)
        .text(a.reply);
    const result r = c_.run(s_insert_answer, p, "add an answer");
    if (std::strcmp(PQcmdTuples(r.get()), "1") == 0) return;
    // ON CONFLICT DO NOTHING kept the transaction usable (a unique violation would abort it);
    // say which key was taken.
    if (reply_for(a.request_id))
      throw store_error(fmt::format("postgresql: {}: add an answer: duplicate request id '{}' in session '{}'",
                                    c_.shown(), a.request_id, id_));
    throw store_error(fmt::format("postgresql: {}: add an answer: duplicate position {} in session '{}'", c_.shown(),
                                  a.position, id_));
  }

  void count_exposure(std::string_view bank_fingerprint, std::string_view item_id) override {
    params p;
    p.text(bank_fingerprint).text(item_id);
    c_.run(s_count_exposure, p, "count an exposure");
  }

 private:
  connection& c_;
  std::string_view id_;
  std::optional<session_row> row_;
};

class postgres_store final : public store {
 public:
  postgres_store(const std::string& uri, int connections)
      : shown_(redact(uri)), pool_(connections, [uri, shown = shown_] { return std::make_unique<connection>(uri, shown); }) {
    pool_.adopt(std::make_unique<connection>(uri, shown_));
  }

  std::string_view kind() const noexcept override { return "postgresql"; }

  void migrate() override {
    with_connection([&](connection& c) {
      c.exec("BEGIN", "begin the migration");
      try {
        // Two processes migrating at once: the second waits here, then finds the tables made
        // (CREATE ... IF NOT EXISTS alone races on the catalog's unique index).
        c.exec(migrate_lock_sql, "lock the migration");
        c.exec(schema_sql, "create the tables");
        const result r = c.exec("SELECT max(version) FROM schema_version", "read the schema version");
        const bool any = r.rows() == 1 && !PQgetisnull(r.get(), 0, 0);
        const long found = any ? std::strtol(PQgetvalue(r.get(), 0, 0), nullptr, 10) : 0;
        if (found > schema_version)
          throw store_error(fmt::format("postgresql: {}: migrate: the schema is version {}, newer than this dskill's ({})",
                                        shown_, found, schema_version));
        if (!any)
          c.exec(fmt::format("INSERT INTO schema_version (version) VALUES ({})", schema_version).c_str(),
                 "record the schema version");
        c.exec("COMMIT", "commit the migration");
      } catch (...) {
        rollback(c);
        throw;
      }
    }, false);
  }

  void create_session(session_row& row) override {
    with_connection([&](connection& c) {
      params p;
      session_params(p, row.id, row);
      const result r = c.run(s_insert_session, p, "create a session");
      if (std::strcmp(PQcmdTuples(r.get()), "1") != 0)
        throw store_error(fmt::format("postgresql: {}: create a session: duplicate session id '{}'", shown_, row.id));
    }, false);
    row.version = 1;
  }

  std::optional<session_row> load_session(std::string_view id) override {
    std::optional<session_row> out;
    with_connection([&](connection& c) {
      params p;
      p.text(id);
      const result r = c.run(s_select_session, p, "read a session");
      if (r.rows() == 1) out = read_session(r);
    }, true);
    return out;
  }

  void transact(std::string_view session_id, const std::function<void(transaction&)>& work) override {
    // A nested transact would wait on a row lock its own thread holds, or take a second
    // connection for one request.
    if (active_transaction_store == this)
      throw state_error("postgresql: transact was called inside a transaction of the same store");
    auto c = acquire();
    // BEGIN is the one step retried on a connection found broken: nothing has happened yet.
    try {
      c->exec("BEGIN", "begin a transaction");
    } catch (const connection_lost&) {
      if (!c->ok()) throw;
      c->exec("BEGIN", "begin a transaction");
    }
    active_transaction_store = this;
    try {
      params p;
      p.text(session_id);
      const result r = c->run(s_lock_session, p, "lock a session");
      std::optional<session_row> row;
      if (r.rows() == 1) row = read_session(r);
      postgres_transaction t(*c, session_id, std::move(row));
      work(t);
    } catch (...) {
      active_transaction_store = nullptr;
      rollback(*c);  // nothing to do on a connection that was lost (and reset)
      throw;
    }
    active_transaction_store = nullptr;
    try {
      c->exec("COMMIT", "commit a transaction");
    } catch (const connection_lost& lost) {
      // Whether the server committed is unknown: say so, never retry.
      throw store_error(std::string(lost.detail()) + "; whether the transaction was committed is unknown");
    } catch (...) {
      rollback(*c);
      throw;
    }
  }

  std::vector<answer_row> answers(std::string_view session_id) override {
    std::vector<answer_row> out;
    with_connection([&](connection& c) {
      params p;
      p.text(session_id);
      const result r = c.run(s_answers, p, "read a session's answers");
      out.clear();
      out.reserve(static_cast<std::size_t>(r.rows()));
      for (int i = 0; i < r.rows(); ++i) {
        answer_row a;
        a.session_id = r.text(i, 0);
        a.request_id = r.text(i, 1);
        a.position = static_cast<int>(r.integer(i, 2));
        a.item_id = r.text(i, 3);
        a.category = static_cast<int>(r.integer(i, 4));
        a.offered_ms = r.integer(i, 5);
        a.answered_ms = r.integer(i, 6);
        a.response_ms = r.integer(i, 7);
        a.client_response_ms = r.integer(i, 8);
        a.rapid = r.boolean(i, 9);
        a.timed_out = r.boolean(i, 10);
        a.reply = r.text(i, 11);
        out.push_back(std::move(a));
      }
    }, true);
    return out;
  }

  std::vector<exposure_count> exposure(std::string_view bank_fingerprint) override {
    std::vector<exposure_count> out;
    with_connection([&](connection& c) {
      params p;
      p.text(bank_fingerprint);
      const result r = c.run(s_exposure, p, "read the exposure counts");
      out.clear();
      for (int i = 0; i < r.rows(); ++i) out.push_back({r.text(i, 0), r.integer(i, 1)});
    }, true);
    return out;
  }

  std::int64_t session_count(std::string_view bank_fingerprint) override {
    std::int64_t n = 0;
    with_connection([&](connection& c) {
      params p;
      p.text(bank_fingerprint);
      n = c.run(s_session_count, p, "count sessions").integer(0, 0);
    }, true);
    return n;
  }

  std::int64_t answer_count() override {
    std::int64_t n = 0;
    with_connection([&](connection& c) {
      const params none;
      n = c.run(s_answer_count, none, "count answers").integer(0, 0);
    }, true);
    return n;
  }

 private:
  using lease = detail::connection_pool<connection>::lease;

  /// A pooled connection, reset first when the server dropped it while it was idle.
  lease acquire() {
    auto c = pool_.acquire();
    if (!c->ok() && !c->reset()) {
      const std::string message = fmt::format("postgresql: {}: reconnect: the connection could not be reset", shown_);
      c.discard();
      throw store_error(message);
    }
    return c;
  }

  /// Runs `f` on a connection outside any explicit transaction; a read (`retry`) is run again
  /// once on a connection that was lost and reset, anything else is reported.
  template <class F>
  void with_connection(F&& f, bool retry) {
    auto c = acquire();
    try {
      f(*c);
    } catch (const connection_lost&) {
      if (!retry || !c->ok()) throw;
      f(*c);
    }
  }

  static void rollback(connection& c) noexcept {
    if (!c.ok() || c.transaction_status() == PQTRANS_IDLE) return;
    try {
      c.exec("ROLLBACK", "roll back");
    } catch (...) {
      // The original error is the one reported.
    }
  }

  std::string shown_;
  detail::connection_pool<connection> pool_;
};

}  // namespace

std::unique_ptr<store> open_postgres_store(const std::string& uri, int connections) {
  if (uri.find('\0') != std::string::npos) throw invalid_argument("postgresql: the URI contains a NUL character");
  if (connections < 1)
    throw invalid_argument(fmt::format("postgresql: connections must be at least 1 (got {})", connections));
  // libpq parses the URI itself; check it first, so that a malformed one is an invalid
  // argument with libpq's reason rather than a failed connection.
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(uri.c_str(), &error);
  if (!options) {
    const std::string message = trimmed(error ? error : "out of memory");
    PQfreemem(error);
    throw invalid_argument(fmt::format("postgresql: {}: not a valid connection URI: {}", redact(uri), message));
  }
  PQconninfoFree(options);
  return std::make_unique<postgres_store>(uri, connections);
}

}  // namespace serve
DSKILL_END_NAMESPACE
