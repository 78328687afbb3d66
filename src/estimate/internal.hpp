// The estimators' internals (detail::pattern_at, ...) for tests; not installed. They now live in
// dskill/estimate/estimate-inl.hpp with the templates.
#pragma once
#include "dskill/estimate/estimate-inl.hpp"
