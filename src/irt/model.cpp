// The model functions; the bodies are in dskill/irt/model-inl.hpp (shared with the header-only mode).
#include "dskill/irt/model-inl.hpp"
