// A libevent event owned by one object of the shim, freed with it.
#pragma once

#include <event2/event.h>

#include <memory>

namespace internet {

/// Frees a libevent event when its owner goes.
struct EventFree {
  /// Frees @p ev, taking it off its loop first if it is pending.
  void operator()(event* ev) const { event_free(ev); }
};

/// An event that is freed (and so removed from its loop) with its owner.
using UniqueEvent = std::unique_ptr<event, EventFree>;

}  // namespace internet
