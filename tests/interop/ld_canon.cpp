// Prints dskill::ld::canonical_nquads of each JSON-LD file given, in the format of
// canonize.mjs ("# <file>" then the N-Quads, or "# <file> ERROR <message>"), so that
// tests/interop/ld_agreement.cmake can compare the two byte for byte.
#include <cstdio>
#include <exception>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "dskill/ld/ld.hpp"

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::ifstream in(argv[i], std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    try {
      const std::string nquads = dskill::ld::canonical_nquads(text.str());
      std::cout << "# " << argv[i] << "\n" << nquads;
    } catch (const std::exception& e) {
      std::string what = e.what();
      if (const auto nl = what.find('\n'); nl != std::string::npos) what.resize(nl);
      std::cout << "# " << argv[i] << " ERROR " << what << "\n";
    }
  }
  return 0;
}
