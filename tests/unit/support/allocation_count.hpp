// Counting heap allocations in a scope, for "allocates nothing" checks: the test binary replaces
// the global operator new (allocation_count.cpp), which counts while a thread's counter is on and
// is plain malloc otherwise. Sanitizer builds (and valgrind) keep their own allocator: there
// allocation_counting_enabled() is false and the count stays 0.
#pragma once

namespace dskill_test {

/// True when allocations are counted (not in sanitizer builds, nor under valgrind).
bool allocation_counting_enabled() noexcept;

/// Counts this thread's operator new calls from construction to count().
class allocation_counter {
 public:
  allocation_counter() noexcept;
  ~allocation_counter();
  allocation_counter(const allocation_counter&) = delete;
  allocation_counter& operator=(const allocation_counter&) = delete;
  long count() const noexcept;
};

}  // namespace dskill_test
