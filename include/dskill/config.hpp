// dskill: configuration macros shared by every public header.
#pragma once

/// Every public symbol lives in `dskill::v0`; the inline namespace lets a future ABI break
/// (1.0) link side by side with this one.
#define DSKILL_BEGIN_NAMESPACE \
  namespace dskill {           \
  inline namespace v0 {
#define DSKILL_END_NAMESPACE \
  }                          \
  }

#if defined(__GNUC__) || defined(__clang__)
#define DSKILL_ALWAYS_INLINE inline __attribute__((always_inline))
#define DSKILL_RESTRICT __restrict__
#else
#define DSKILL_ALWAYS_INLINE inline
#define DSKILL_RESTRICT
#endif
