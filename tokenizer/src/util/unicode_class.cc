#include "util/unicode_class.h"

#include <unicode/uchar.h>

#include <vector>

namespace tokforge {

const CharClass* CharClassTable() {
  // A function-local static is built once, thread-safely, on first use. The
  // flat table (1.1 MB) makes a class lookup one load on the hot path.
  static const std::vector<CharClass>* const table = [] {
    auto* classes = new std::vector<CharClass>(0x110001, CharClass::kOther);
    for (UChar32 cp = 0; cp <= 0x10FFFF; ++cp) {
      if (u_isUWhiteSpace(cp)) {
        (*classes)[cp] = CharClass::kWhitespace;
        continue;
      }
      const uint32_t mask = U_MASK(u_charType(cp));
      if (mask & U_GC_L_MASK) {
        (*classes)[cp] = CharClass::kLetter;
      } else if (mask & U_GC_N_MASK) {
        (*classes)[cp] = CharClass::kNumber;
      }
    }
    return classes;
  }();
  return table->data();
}

}  // namespace tokforge
