// The error model; the bodies are in dskill/error-inl.hpp (shared with the header-only mode).
#include "dskill/error-inl.hpp"
