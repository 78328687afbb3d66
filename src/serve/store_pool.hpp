// dskill::serve: the connection pool both stores share (private to src/serve).
//
// A mutex and a free list: acquire() takes a free connection, opens a new one while fewer than
// `capacity` are open, and waits when all are busy. A lease gives its connection back when it
// ends; discard() drops a connection that can no longer be used (the next caller opens another).
#pragma once
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "dskill/config.hpp"

DSKILL_BEGIN_NAMESPACE
namespace serve::detail {

template <class Connection>
class connection_pool {
 public:
  using factory = std::function<std::unique_ptr<Connection>()>;

  connection_pool(int capacity, factory make) : capacity_(capacity < 1 ? 1 : capacity), make_(std::move(make)) {}
  connection_pool(const connection_pool&) = delete;
  connection_pool& operator=(const connection_pool&) = delete;

  class lease {
   public:
    lease(connection_pool* pool, std::unique_ptr<Connection> c) : pool_(pool), c_(std::move(c)) {}
    lease(lease&& other) noexcept : pool_(std::exchange(other.pool_, nullptr)), c_(std::move(other.c_)) {}
    lease& operator=(lease&&) = delete;
    ~lease() {
      if (pool_) pool_->give_back(std::move(c_));
    }
    Connection& operator*() const noexcept { return *c_; }
    Connection* operator->() const noexcept { return c_.get(); }
    /// Closes the connection instead of returning it to the pool.
    void discard() {
      if (pool_) std::exchange(pool_, nullptr)->forget(std::move(c_));
    }

   private:
    connection_pool* pool_;
    std::unique_ptr<Connection> c_;
  };

  lease acquire() {
    std::unique_lock lock(mutex_);
    available_.wait(lock, [&] { return !free_.empty() || open_ < capacity_; });
    if (!free_.empty()) {
      auto c = std::move(free_.back());
      free_.pop_back();
      return lease(this, std::move(c));
    }
    ++open_;
    lock.unlock();
    try {
      return lease(this, make_());
    } catch (...) {
      lock.lock();
      --open_;
      available_.notify_one();
      throw;
    }
  }

  /// Puts an opened connection in the free list (the first one, opened by the constructor of a
  /// store to report a bad address at once).
  void adopt(std::unique_ptr<Connection> c) {
    std::lock_guard lock(mutex_);
    ++open_;
    free_.push_back(std::move(c));
    available_.notify_one();
  }

 private:
  void give_back(std::unique_ptr<Connection> c) {
    std::lock_guard lock(mutex_);
    free_.push_back(std::move(c));
    available_.notify_one();
  }
  void forget(std::unique_ptr<Connection> c) {
    c.reset();
    std::lock_guard lock(mutex_);
    --open_;
    available_.notify_one();
  }

  const int capacity_;
  factory make_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> free_;
  int open_ = 0;
};

}  // namespace serve::detail
DSKILL_END_NAMESPACE
