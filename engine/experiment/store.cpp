#include "experiment/store.hpp"

#include <sqlite3.h>

namespace pk {

namespace {

// A prepared statement that finalizes itself.
struct Stmt {
  sqlite3_stmt* s = nullptr;
  Stmt(sqlite3* db, const char* sql) { sqlite3_prepare_v2(db, sql, -1, &s, nullptr); }
  ~Stmt() { sqlite3_finalize(s); }
};

std::string exec_sql(sqlite3* db, const char* sql) {
  char* msg = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &msg) != SQLITE_OK) {
    std::string e = msg ? msg : "sqlite error";
    sqlite3_free(msg);
    return e;
  }
  return {};
}

// The one write path of the store: runs one INSERT statement for every row in
// a single transaction, so the rows are there all or none (a work unit too,
// whatever kills the sweep). `bind(stmt, row)` binds a row's values.
template <class Rows, class Bind>
std::string insert_all(sqlite3* db, const char* sql, const Rows& rows, Bind bind) {
  if (std::string e = exec_sql(db, "BEGIN IMMEDIATE"); !e.empty()) return e;
  {
    Stmt st(db, sql);
    if (!st.s) {
      const std::string e = sqlite3_errmsg(db);
      exec_sql(db, "ROLLBACK");
      return e;
    }
    for (const auto& row : rows) {
      bind(st.s, row);
      if (sqlite3_step(st.s) != SQLITE_DONE) {
        const std::string e = sqlite3_errmsg(db);
        exec_sql(db, "ROLLBACK");
        return e;
      }
      sqlite3_reset(st.s);
    }
  }
  return exec_sql(db, "COMMIT");
}

// The one read path: calls `read(stmt)` for each row `sql` returns, after
// `bind(stmt)` has bound its parameters.
template <class Bind, class Read>
void select_rows(sqlite3* db, const char* sql, Bind bind, Read read) {
  Stmt st(db, sql);
  if (!st.s) return;
  bind(st.s);
  while (sqlite3_step(st.s) == SQLITE_ROW) read(st.s);
}

const auto kNoParameters = [](sqlite3_stmt*) {};

std::string column_text(sqlite3_stmt* st, int column) {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(st, column));
  return text ? std::string(text, static_cast<size_t>(sqlite3_column_bytes(st, column)))
              : std::string();
}

}  // namespace

std::unique_ptr<ResultStore> ResultStore::open(const std::string& path, std::string& error,
                                               bool* damaged) {
  if (damaged) *damaged = false;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
      SQLITE_OK) {
    error = "cannot open " + path + ": " + (db ? sqlite3_errmsg(db) : "out of memory");
    sqlite3_close(db);
    return nullptr;
  }
  sqlite3_busy_timeout(db, 10000);
  std::unique_ptr<ResultStore> store(new ResultStore(db));
  for (const char* sql :
       {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL",
        "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS units(unit INTEGER PRIMARY KEY, point INTEGER NOT NULL, first "
        "INTEGER NOT NULL, "
        "count INTEGER NOT NULL, data TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS points(point INTEGER PRIMARY KEY, parameters TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS stats(point INTEGER, arm TEXT, metric TEXT, mean REAL, sd "
        "REAL, ci95_lo REAL, "
        "ci95_hi REAL, p50 REAL, p90 REAL, p95 REAL, p99 REAL, cvar95 REAL, PRIMARY KEY(point, "
        "arm, metric))"}) {
    if (std::string e = store->exec(sql); !e.empty()) {
      const int code = sqlite3_errcode(db);
      if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT) {
        if (damaged) *damaged = true;
        error = path + " is not a pkrisk results store (" + e +
                "): it is damaged or another kind of file; move it away or choose another --out";
      } else {
        error = path + ": " + e;
      }
      return nullptr;
    }
  }
  return store;
}

ResultStore::~ResultStore() {
  sqlite3_close(db_);
}

std::string ResultStore::exec(const std::string& sql) {
  return exec_sql(db_, sql.c_str());
}

std::map<std::string, std::string> ResultStore::meta() const {
  std::map<std::string, std::string> out;
  select_rows(db_, "SELECT key, value FROM meta", kNoParameters,
              [&](sqlite3_stmt* st) { out[column_text(st, 0)] = column_text(st, 1); });
  return out;
}

std::string ResultStore::set_meta(const std::map<std::string, std::string>& kv) {
  return insert_all(db_, "INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)", kv,
                    [](sqlite3_stmt* st, const auto& row) {
                      sqlite3_bind_text(st, 1, row.first.c_str(), -1, SQLITE_TRANSIENT);
                      sqlite3_bind_text(st, 2, row.second.c_str(), -1, SQLITE_TRANSIENT);
                    });
}

std::string ResultStore::put_unit(int64_t unit, int64_t point, int64_t first, int64_t count,
                                  const std::string& data) {
  struct Unit {
    int64_t unit, point, first, count;
    const std::string& data;
  };
  const Unit row[] = {{unit, point, first, count, data}};
  return insert_all(
      db_, "INSERT OR REPLACE INTO units(unit, point, first, count, data) VALUES(?, ?, ?, ?, ?)",
      row, [](sqlite3_stmt* st, const Unit& u) {
        sqlite3_bind_int64(st, 1, u.unit);
        sqlite3_bind_int64(st, 2, u.point);
        sqlite3_bind_int64(st, 3, u.first);
        sqlite3_bind_int64(st, 4, u.count);
        sqlite3_bind_text(st, 5, u.data.c_str(), static_cast<int>(u.data.size()), SQLITE_TRANSIENT);
      });
}

std::string ResultStore::put_points(const std::vector<std::pair<int64_t, std::string>>& points) {
  return insert_all(db_, "INSERT OR REPLACE INTO points(point, parameters) VALUES(?, ?)", points,
                    [](sqlite3_stmt* st, const auto& row) {
                      sqlite3_bind_int64(st, 1, row.first);
                      sqlite3_bind_text(st, 2, row.second.c_str(), -1, SQLITE_TRANSIENT);
                    });
}

std::string ResultStore::put_stats(const std::vector<StatRow>& rows) {
  return insert_all(db_,
                    "INSERT OR REPLACE INTO stats(point, arm, metric, mean, sd, ci95_lo, ci95_hi, "
                    "p50, p90, p95, p99, cvar95) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    rows, [](sqlite3_stmt* st, const StatRow& r) {
                      sqlite3_bind_int64(st, 1, r.point);
                      sqlite3_bind_text(st, 2, r.arm.c_str(), -1, SQLITE_TRANSIENT);
                      sqlite3_bind_text(st, 3, r.metric.c_str(), -1, SQLITE_TRANSIENT);
                      const double v[] = {r.mean, r.sd,  r.lo,  r.hi,    r.p50,
                                          r.p90,  r.p95, r.p99, r.cvar95};
                      for (int i = 0; i < 9; ++i) sqlite3_bind_double(st, 4 + i, v[i]);
                    });
}

std::vector<int64_t> ResultStore::units() const {
  std::vector<int64_t> out;
  select_rows(db_, "SELECT unit FROM units ORDER BY unit", kNoParameters,
              [&](sqlite3_stmt* st) { out.push_back(sqlite3_column_int64(st, 0)); });
  return out;
}

std::string ResultStore::unit_data(int64_t unit) const {
  std::string out;
  select_rows(
      db_, "SELECT data FROM units WHERE unit = ?",
      [&](sqlite3_stmt* st) { sqlite3_bind_int64(st, 1, unit); },
      [&](sqlite3_stmt* st) { out = column_text(st, 0); });
  return out;
}

bool ResultStore::unit_matches(int64_t unit, int64_t point, int64_t first) const {
  bool match = false;
  select_rows(
      db_, "SELECT point, first FROM units WHERE unit = ?",
      [&](sqlite3_stmt* st) { sqlite3_bind_int64(st, 1, unit); },
      [&](sqlite3_stmt* st) {
        match = sqlite3_column_int64(st, 0) == point && sqlite3_column_int64(st, 1) == first;
      });
  return match;
}

}  // namespace pk
