// The replaced global operator new behind allocation_count.hpp (in its own translation unit, so
// no caller sees malloc and free inlined under new and delete).
#include "allocation_count.hpp"

#include <cstdlib>
#include <new>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define DSKILL_TEST_COUNT_ALLOCATIONS 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
#define DSKILL_TEST_COUNT_ALLOCATIONS 0
#endif
#endif
#ifndef DSKILL_TEST_COUNT_ALLOCATIONS
#define DSKILL_TEST_COUNT_ALLOCATIONS 1
#endif

namespace {
thread_local int depth = 0;
thread_local long allocations = 0;
}  // namespace

#if DSKILL_TEST_COUNT_ALLOCATIONS
// noinline: a call inlined here would count even where a tool (valgrind) redirects the real ones.
__attribute__((noinline)) void* operator new(std::size_t size) {
  if (depth > 0) ++allocations;
  if (void* p = std::malloc(size ? size : 1)) return p;
  throw std::bad_alloc();
}
__attribute__((noinline)) void operator delete(void* p) noexcept { std::free(p); }
__attribute__((noinline)) void operator delete(void* p, std::size_t) noexcept { std::free(p); }
#endif

namespace dskill_test {

bool allocation_counting_enabled() noexcept {
  // Compiled in, and seen at run time (valgrind, say, replaces operator new with its own).
  static const bool works = [] {
    if (!DSKILL_TEST_COUNT_ALLOCATIONS) return false;
    const allocation_counter counter;
    delete new volatile int(0);
    return counter.count() > 0;
  }();
  return works;
}

allocation_counter::allocation_counter() noexcept {
  if (depth++ == 0) allocations = 0;
}
allocation_counter::~allocation_counter() { --depth; }
long allocation_counter::count() const noexcept { return allocations; }

}  // namespace dskill_test
