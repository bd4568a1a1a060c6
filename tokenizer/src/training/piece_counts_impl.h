// The representation behind tokforge::PieceCounts, for the training code.

#ifndef TOKFORGE_TRAINING_PIECE_COUNTS_IMPL_H_
#define TOKFORGE_TRAINING_PIECE_COUNTS_IMPL_H_

#include "tokforge/counts.h"
#include "training/piece_counter.h"

namespace tokforge {

// The piece map lives in `counter`. Its sequence, byte and piece tallies are
// not used: `stats` is the record of those.
struct PieceCounts::Impl {
  CountSettings settings;
  PieceCounter counter;
  CountStats stats;
};

class PieceCountsAccess {
 public:
  static PieceCounter& Counter(PieceCounts& counts) { return counts.impl_->counter; }
  static const PieceCounter& Counter(const PieceCounts& counts) { return counts.impl_->counter; }
};

}  // namespace tokforge

#endif  // TOKFORGE_TRAINING_PIECE_COUNTS_IMPL_H_
