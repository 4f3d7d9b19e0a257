// callLater() on its own, for the Part 4 page: four calls handed to one
// reactor, one of them cancelled before it is due. No sockets: nothing but
// timers wakes the loop. Run while the site is built (docs/record-outputs.py),
// and quoted by docs/part4.md.
#include <chrono>
#include <iomanip>
#include <iostream>
#include <string>

#include "internet/DelayedCall.h"
#include "internet/Reactor.h"

int main() {
  const auto start = std::chrono::steady_clock::now();
  // Prints WHAT after the time since the start, to a tenth of a second.
  auto say = [start](const std::string& what) {
    const std::chrono::duration<double> since = std::chrono::steady_clock::now() - start;
    std::cout << std::fixed << std::setprecision(1) << since.count() << " s: " << what
              << std::endl;
  };

  //! [callLater]
  internet::Reactor reactor;
  // A deadline, kept so that it can be cancelled: the work is done before it.
  internet::DelayedCall deadline = reactor.callLater(0.5, [&] { say("deadline!"); });
  auto state = [&] { return std::string(deadline.active() ? "active" : "not active"); };

  reactor.callLater(0.2, [&] {
    say("work done, the deadline is " + state());
    deadline.cancel();
    say("cancelled, the deadline is " + state());
  });
  reactor.callLater(0.1, [&] { say("made third, due first"); });
  reactor.callLater(0.3, [&] {
    say("stop()");
    reactor.stop();
  });

  say("run()");
  reactor.run();  // returns once stop() has been called
  say("run() has returned");
  //! [callLater]
  return 0;
}
