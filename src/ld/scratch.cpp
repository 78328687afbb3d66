// Per-thread bump memory for the temporaries of one call (see detail.hpp, scratch_scope).
#include <cstdint>
#include <memory>
#include <vector>

#include "detail.hpp"
#include "dskill/error.hpp"

DSKILL_BEGIN_NAMESPACE
namespace ld::detail {

namespace {

struct block {
  std::unique_ptr<std::byte[]> memory;
  std::size_t size = 0;
};

struct pool {
  std::vector<block> blocks;
  std::size_t current = 0;  // the block in use; blocks after it are free for reuse
  std::byte* next = nullptr;
  std::size_t left = 0;
  int depth = 0;  // scratch_scopes open on this thread
};

constexpr std::size_t block_size = 64 * 1024;
constexpr std::size_t kept_bytes = 1024 * 1024;  // what a thread keeps between calls

thread_local pool tls_pool;

}  // namespace

scratch_scope::scratch_scope() { ++tls_pool.depth; }

scratch_scope::~scratch_scope() {
  pool& p = tls_pool;
  if (--p.depth != 0) return;
  // Everything allocated since the outermost scope opened is dead: start again from the first
  // block, and give back what a large document made the pool grow past kept_bytes.
  std::size_t total = 0, keep = 0;
  while (keep < p.blocks.size() && total + p.blocks[keep].size <= kept_bytes) total += p.blocks[keep++].size;
  p.blocks.resize(keep);
  p.current = 0;
  p.next = p.blocks.empty() ? nullptr : p.blocks[0].memory.get();
  p.left = p.blocks.empty() ? 0 : p.blocks[0].size;
}

void* scratch_allocate(std::size_t bytes, std::size_t align) {
  pool& p = tls_pool;
  if (p.depth == 0) throw error(errc::internal, "ld: scratch memory used outside a scratch_scope");
  std::size_t pad = static_cast<std::size_t>(-reinterpret_cast<std::uintptr_t>(p.next)) & (align - 1);
  if (p.next == nullptr || pad + bytes > p.left) {
    // The next kept block if it is large enough, else a new one (new[] aligns for any type).
    if (p.next != nullptr) ++p.current;
    if (p.current >= p.blocks.size() || p.blocks[p.current].size < bytes) {
      const std::size_t size = std::max(bytes, block_size);
      p.blocks.insert(p.blocks.begin() + static_cast<std::ptrdiff_t>(std::min(p.current, p.blocks.size())),
                      block{std::make_unique_for_overwrite<std::byte[]>(size), size});
      p.current = std::min(p.current, p.blocks.size() - 1);
    }
    p.next = p.blocks[p.current].memory.get();
    p.left = p.blocks[p.current].size;
    pad = 0;
  }
  std::byte* out = p.next + pad;
  p.next = out + bytes;
  p.left -= pad + bytes;
  return out;
}

}  // namespace ld::detail
DSKILL_END_NAMESPACE
