// dskill: configuration macros shared by every public header.
#pragma once

/// DSKILL_API marks what the shared library exports. The library is built with hidden
/// visibility (CXX_VISIBILITY_PRESET hidden, VISIBILITY_INLINES_HIDDEN), so only what carries
/// it is in the .so's dynamic symbol table. It is put on the public namespace itself (below):
/// every class and free function a public header declares in dskill::v0 is exported, with no
/// per-declaration annotation to forget, while third-party code compiled into the library (fmt,
/// yaml-cpp, Boost, TBB instantiations) and anonymous namespaces stay hidden. DSKILL_HIDDEN
/// takes an internal declaration back out. A static build ignores both.
#if defined(DSKILL_HEADER_ONLY) || defined(DSKILL_STATIC_DEFINE)
#define DSKILL_API
#define DSKILL_HIDDEN
#elif defined(_WIN32)
#if defined(DSKILL_BUILDING_LIBRARY)
#define DSKILL_API __declspec(dllexport)
#else
#define DSKILL_API __declspec(dllimport)
#endif
#define DSKILL_HIDDEN
#elif defined(__GNUC__) || defined(__clang__)
#define DSKILL_API __attribute__((visibility("default")))
#define DSKILL_HIDDEN __attribute__((visibility("hidden")))
#else
#define DSKILL_API
#define DSKILL_HIDDEN
#endif

/// The attribute that exports a whole namespace (GCC and Clang accept visibility there; MSVC has
/// no namespace-level export, so a Windows DLL would need DSKILL_API per declaration).
#if !defined(_WIN32) && (defined(__GNUC__) || defined(__clang__)) && !defined(DSKILL_HEADER_ONLY) && \
    !defined(DSKILL_STATIC_DEFINE)
#define DSKILL_NAMESPACE_API __attribute__((visibility("default")))
#else
#define DSKILL_NAMESPACE_API
#endif

/// DSKILL_HEADER_ONLY (the dskill::header_only target) makes irt, estimate and the parts of core
/// they use header-only: the bodies that the compiled library keeps in src/ are then included
/// from their `-inl.hpp` headers, and DSKILL_FUNC (fmt's FMT_FUNC) makes them inline.
#ifdef DSKILL_HEADER_ONLY
#define DSKILL_FUNC inline
#else
#define DSKILL_FUNC
#endif

/// DSKILL_CPU_DISPATCH compiles a hot loop for AVX2+FMA (x86-64-v3) as well as the baseline, the
/// CPU choosing at load time (GCC function multi-versioning: an ifunc). Empty elsewhere, and under
/// ThreadSanitizer, whose instrumented ifunc resolver would run before its runtime is up (the
/// program crashes while libdskill_c.so is being relocated).
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__SANITIZE_THREAD__)
#define DSKILL_CPU_DISPATCH __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define DSKILL_CPU_DISPATCH
#endif

/// Every public symbol lives in `dskill::v0`; the inline namespace lets a future ABI break
/// (1.0) link side by side with this one.
#define DSKILL_BEGIN_NAMESPACE \
  namespace dskill {           \
  inline namespace v0 DSKILL_NAMESPACE_API {
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
