// Tests of internet::Reactor: timers, stop, descriptors, dispatch (unit).
#include <event2/event.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "internet/Reactor.h"
#include "internet/ReactorBase.h"
#include "internet/ReactorObserver.h"
#include "internet/error.h"

namespace {

using internet::ErrorKind;
using internet::Failure;
using internet::Reactor;

/// Two connected sockets; end 0 is watched, end 1 plays the peer.
struct SocketPair {
  SocketPair() { socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds); }
  ~SocketPair() {
    for (int fd : fds) {
      if (fd != -1) close(fd);
    }
  }
  void closePeer() {
    close(fds[1]);
    fds[1] = -1;
  }
  int fds[2] = {-1, -1};
};

/// A reader that reads what there is and reports end of stream as
/// ConnectionDone; `onRead` lets a test act from inside doRead().
class TestReader : public internet::IReadDescriptor {
 public:
  explicit TestReader(int fd) : fd_(fd) {}
  int fileno() const override { return fd_; }
  std::optional<Failure> doRead() override {
    ++reads;
    if (onRead) onRead();
    char buffer[256];
    const ssize_t n = read(fd_, buffer, sizeof buffer);
    if (n == 0) return Failure::connectionDone();
    if (n > 0) received.append(buffer, static_cast<std::size_t>(n));
    return std::nullopt;
  }
  void connectionLost(const Failure& reason) override {
    reasons.push_back(reason);
    if (onLost) onLost();
  }

  int reads = 0;
  std::string received;
  std::vector<Failure> reasons;
  std::function<void()> onRead;
  std::function<void()> onLost;

 private:
  int fd_;
};

/// A writer that reports `result` from doWrite().
class TestWriter : public internet::IWriteDescriptor {
 public:
  explicit TestWriter(int fd) : fd_(fd) {}
  int fileno() const override { return fd_; }
  std::optional<Failure> doWrite() override {
    ++writes;
    return result;
  }
  void connectionLost(const Failure& reason) override { reasons.push_back(reason); }

  int writes = 0;
  std::optional<Failure> result;
  std::vector<Failure> reasons;

 private:
  int fd_;
};

/// A reader that says when it dies.
class Mortal : public TestReader {
 public:
  Mortal(int fd, bool& destroyed) : TestReader(fd), destroyed_(destroyed) {}
  ~Mortal() override { destroyed_ = true; }

 private:
  bool& destroyed_;
};

bool contains(const std::vector<internet::IReadDescriptor*>& readers,
              internet::IReadDescriptor* reader) {
  return std::find(readers.begin(), readers.end(), reader) != readers.end();
}

TEST(Reactor, CallLaterRunsCallsInOrderOfTheirTime) {
  Reactor reactor;
  std::vector<int> order;
  reactor.callLater(0.03, [&] { order.push_back(3); });
  reactor.callLater(0.01, [&] { order.push_back(1); });
  reactor.callLater(0.02, [&] { order.push_back(2); });
  reactor.callLater(0.04, [&] { reactor.stop(); });
  reactor.run();
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
}

TEST(Reactor, CallWhenRunningRunsFirstInOrderAndCanStop) {
  Reactor reactor;
  std::vector<int> order;
  reactor.callLater(0, [&] { order.push_back(3); });
  reactor.callWhenRunning([&] { order.push_back(1); });
  reactor.callWhenRunning([&] {
    order.push_back(2);
    reactor.stop();
  });
  reactor.run();
  // 1 and 2 in order, and the stop() in 2 came before the loop's first turn:
  // the delayed call never ran.
  EXPECT_EQ(order, (std::vector<int>{1, 2}));
}

TEST(Reactor, CallWhenRunningCallsAtOnceWhenAlreadyRunning) {
  Reactor reactor;
  bool ranAtOnce = false;
  reactor.callWhenRunning([&] {
    reactor.callWhenRunning([&] { ranAtOnce = true; });
    EXPECT_TRUE(ranAtOnce);
    reactor.stop();
  });
  reactor.run();
  EXPECT_TRUE(ranAtOnce);
}

TEST(Reactor, StopWhenNotRunningIsAnError) {
  Reactor reactor;
  EXPECT_THROW(reactor.stop(), internet::error::ReactorNotRunning);
}

TEST(Reactor, StopTwiceIsAnError) {
  Reactor reactor;
  bool threw = false;
  reactor.callWhenRunning([&] {
    reactor.stop();
    try {
      reactor.stop();
    } catch (const internet::error::ReactorNotRunning&) {
      threw = true;
    }
  });
  reactor.run();
  EXPECT_TRUE(threw);
}

TEST(Reactor, RunInsideRunIsAnError) {
  Reactor reactor;
  bool threw = false;
  reactor.callWhenRunning([&] {
    try {
      reactor.run();
    } catch (const internet::error::ReactorAlreadyRunning&) {
      threw = true;
    }
    reactor.stop();
  });
  reactor.run();
  EXPECT_TRUE(threw);
}

TEST(Reactor, StopInsideACallbackEndsRunAndLaterCallsDoNotRun) {
  Reactor reactor;
  bool late = false;
  reactor.callLater(0, [&] { reactor.stop(); });
  auto lateCall = reactor.callLater(30, [&] { late = true; });
  reactor.run();
  EXPECT_FALSE(late);
  EXPECT_TRUE(lateCall.active());
}

TEST(Reactor, CanRunAgainAfterStopping) {
  Reactor reactor;
  int runs = 0;
  for (int i = 0; i < 2; ++i) {
    reactor.callLater(0, [&] {
      ++runs;
      reactor.stop();
    });
    reactor.run();
  }
  EXPECT_EQ(runs, 2);
}

TEST(Reactor, DelaysThatDoNotFitAreRejected) {
  Reactor reactor;
  // A delay too long for a timer must not wrap round and fire at once.
  for (const double bad : {-1.0, 1e19, std::numeric_limits<double>::infinity(),
                           std::numeric_limits<double>::quiet_NaN()}) {
    EXPECT_THROW(reactor.callLater(bad, [] {}), std::invalid_argument) << bad;
  }
  EXPECT_NO_THROW(reactor.callLater(Reactor::kMaxDelay, [] {}).cancel());
}

/// Raises @p signal from inside the loop; a fallback stops the loop after
/// 30 s, so a signal that is ignored fails the test instead of hanging it.
/// @return true if the signal stopped the loop
bool signalStopsRun(int signal) {
  Reactor reactor;
  bool fellBack = false;
  reactor.callLater(0.01, [signal] { std::raise(signal); });
  reactor.callLater(30, [&] {
    fellBack = true;
    reactor.stop();
  });
  reactor.run();
  return !fellBack;
}

TEST(Reactor, SigintStopsRun) { EXPECT_TRUE(signalStopsRun(SIGINT)); }

TEST(Reactor, SigtermStopsRun) { EXPECT_TRUE(signalStopsRun(SIGTERM)); }

TEST(Reactor, ThrowingCallbackIsLoggedAndTheLoopGoesOn) {
  Reactor reactor;
  bool after = false;
  reactor.callLater(0, [] { throw std::runtime_error("boom"); });
  reactor.callLater(0.01, [&] {
    after = true;
    reactor.stop();
  });
  testing::internal::CaptureStderr();
  reactor.run();
  const std::string err = testing::internal::GetCapturedStderr();
  EXPECT_TRUE(after);
  EXPECT_NE(err.find("boom"), std::string::npos);
}

TEST(Reactor, AddReaderCallsDoReadWhenReadable) {
  Reactor reactor;
  SocketPair pair;
  TestReader reader(pair.fds[0]);
  reader.onRead = [&] { reactor.stop(); };
  reactor.addReader(&reader);
  ASSERT_EQ(write(pair.fds[1], "poem", 4), 4);
  reactor.run();
  EXPECT_EQ(reader.reads, 1);
  EXPECT_EQ(reader.received, "poem");
}

TEST(Reactor, StoppingTellsEveryDescriptorStillWatched) {
  Reactor reactor;
  SocketPair pair;
  TestReader reader(pair.fds[0]);
  TestWriter writer(pair.fds[1]);
  writer.result = std::nullopt;
  reader.onLost = [&] { reactor.stop(); };  // ignored: it is stopping already
  reactor.addReader(&reader);
  reactor.addWriter(&writer);
  reactor.callLater(0.01, [&] { reactor.stop(); });
  testing::internal::CaptureStderr();
  reactor.run();
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "");
  ASSERT_EQ(reader.reasons.size(), 1U);
  EXPECT_TRUE(reader.reasons[0].check(ErrorKind::ConnectionLost));
  ASSERT_EQ(writer.reasons.size(), 1U);
  EXPECT_TRUE(reactor.getReaders().empty());
  EXPECT_TRUE(reactor.getWriters().empty());
}

TEST(Reactor, GetReadersListsWhatIsWatched) {
  Reactor reactor;
  SocketPair a;
  SocketPair b;
  TestReader first(a.fds[0]);
  TestReader second(b.fds[0]);
  reactor.addReader(&first);
  reactor.addReader(&second);
  reactor.addReader(&first);  // twice is harmless
  auto readers = reactor.getReaders();
  EXPECT_EQ(readers.size(), 2U);
  EXPECT_TRUE(contains(readers, &first));
  EXPECT_TRUE(contains(readers, &second));

  reactor.removeReader(&first);
  reactor.removeReader(&first);  // and so is removing twice
  readers = reactor.getReaders();
  EXPECT_EQ(readers.size(), 1U);
  EXPECT_TRUE(contains(readers, &second));
  reactor.removeReader(&second);
  EXPECT_TRUE(reactor.getReaders().empty());
}

TEST(Reactor, AReturnedReasonRemovesTheReaderAndCallsConnectionLostOnce) {
  Reactor reactor;
  SocketPair pair;
  TestReader reader(pair.fds[0]);
  bool watchedDuringLost = true;
  reader.onLost = [&] {
    watchedDuringLost = contains(reactor.getReaders(), &reader);
    // Keep the loop turning a little: a second connectionLost would show up.
    reactor.callLater(0.02, [&] { reactor.stop(); });
  };
  reactor.addReader(&reader);
  pair.closePeer();
  reactor.run();
  ASSERT_EQ(reader.reasons.size(), 1U);
  EXPECT_TRUE(reader.reasons[0].check(ErrorKind::ConnectionDone));
  EXPECT_FALSE(watchedDuringLost);
  EXPECT_TRUE(reactor.getReaders().empty());
  EXPECT_EQ(reader.reads, 1);
}

TEST(Reactor, ARemovedReaderIsNotCalledLaterInTheSamePass) {
  Reactor reactor;
  SocketPair a;
  SocketPair b;
  TestReader first(a.fds[0]);
  TestReader second(b.fds[0]);
  // Both are readable before the loop starts, so both are due in its first
  // pass; whichever runs first removes the other.
  first.onRead = [&] {
    reactor.removeReader(&second);
    reactor.removeReader(&first);
    reactor.stop();
  };
  second.onRead = [&] {
    reactor.removeReader(&first);
    reactor.removeReader(&second);
    reactor.stop();
  };
  reactor.addReader(&first);
  reactor.addReader(&second);
  ASSERT_EQ(write(a.fds[1], "x", 1), 1);
  ASSERT_EQ(write(b.fds[1], "y", 1), 1);
  reactor.run();
  EXPECT_EQ(first.reads + second.reads, 1);
}

TEST(Reactor, AnExceptionInDoReadBecomesTheReason) {
  Reactor reactor;
  SocketPair pair;
  TestReader reader(pair.fds[0]);
  reader.onRead = [] { throw std::runtime_error("bad poem"); };
  reader.onLost = [&] { reactor.stop(); };
  reactor.addReader(&reader);
  ASSERT_EQ(write(pair.fds[1], "x", 1), 1);
  testing::internal::CaptureStderr();
  reactor.run();
  testing::internal::GetCapturedStderr();
  ASSERT_EQ(reader.reasons.size(), 1U);
  EXPECT_TRUE(reader.reasons[0].check(ErrorKind::Other));
  EXPECT_EQ(reader.reasons[0].getErrorMessage(), "bad poem");
}

TEST(Reactor, AddWriterCallsDoWriteAndAReasonRemovesIt) {
  Reactor reactor;
  SocketPair pair;
  TestWriter writer(pair.fds[0]);
  writer.result = Failure(ErrorKind::ConnectionLost, "gone");
  reactor.addWriter(&writer);
  EXPECT_EQ(reactor.getWriters().size(), 1U);
  reactor.callLater(0.02, [&] { reactor.stop(); });
  reactor.run();
  EXPECT_EQ(writer.writes, 1);
  ASSERT_EQ(writer.reasons.size(), 1U);
  EXPECT_TRUE(writer.reasons[0].check(ErrorKind::ConnectionLost));
  EXPECT_TRUE(reactor.getWriters().empty());
}

/// Both directions at once, as a TCP connection will be.
class TestDuplex : public internet::IReadDescriptor, public internet::IWriteDescriptor {
 public:
  explicit TestDuplex(int fd) : fd_(fd) {}
  int fileno() const override { return fd_; }
  std::optional<Failure> doRead() override { return Failure::connectionDone(); }
  std::optional<Failure> doWrite() override { return std::nullopt; }
  void connectionLost(const Failure& /*reason*/) override { ++lost; }
  int lost = 0;

 private:
  int fd_;
};

TEST(Reactor, DisconnectingRemovesBothDirections) {
  Reactor reactor;
  SocketPair pair;
  TestDuplex duplex(pair.fds[0]);
  reactor.addReader(&duplex);
  reactor.addWriter(&duplex);
  pair.closePeer();
  reactor.callLater(0.02, [&] { reactor.stop(); });
  reactor.run();
  EXPECT_EQ(duplex.lost, 1);
  EXPECT_TRUE(reactor.getReaders().empty());
  EXPECT_TRUE(reactor.getWriters().empty());
}

TEST(Reactor, DestroyLaterWaitsForTheCurrentCallbackToReturn) {
  Reactor reactor;
  SocketPair pair;
  bool destroyed = false;
  auto owned = std::make_unique<Mortal>(pair.fds[0], destroyed);
  Mortal& reader = *owned;
  bool destroyedTooSoon = true;
  reader.onLost = [&] {
    reactor.destroyLater(std::move(owned));
    destroyedTooSoon = destroyed;  // still alive: we are inside its own callback
    reactor.callLater(0.01, [&] { reactor.stop(); });
  };
  reactor.addReader(&reader);
  pair.closePeer();
  reactor.run();
  EXPECT_FALSE(destroyedTooSoon);
  EXPECT_TRUE(destroyed);
}

TEST(Reactor, DescriptorsWaitingForDestructionDieWithTheReactor) {
  SocketPair pair;
  bool destroyed = false;
  {
    Reactor reactor;
    auto owned = std::make_unique<Mortal>(pair.fds[0], destroyed);
    reactor.addReader(owned.get());
    reactor.destroyLater(std::move(owned));  // and the loop never turns
    EXPECT_FALSE(destroyed);
  }
  EXPECT_TRUE(destroyed);
}

/// Writes down the events it hears, by name; the rest it ignores.
class RecordingObserver : public internet::ReactorObserver {
 public:
  void dispatching(const internet::IFileDescriptor& /*selectable*/,
                   bool reading) override {
    heard.push_back(reading ? "dispatching a reader" : "dispatching a writer");
  }
  void disconnecting(const internet::IFileDescriptor& /*selectable*/,
                     const Failure& /*why*/) override {
    heard.emplace_back("disconnecting");
  }
  void callDue(double /*delay*/, const internet::IFileDescriptor* /*doomed*/) override {
    heard.emplace_back("call due");
  }
  void dataReceived(const internet::IFileDescriptor& /*transport*/,
                    const internet::Protocol& /*protocol*/,
                    std::size_t /*bytes*/) override {}
  void connectionLost(const internet::IFileDescriptor& /*transport*/,
                      const internet::Protocol& /*protocol*/) override {}
  void sent(const internet::IFileDescriptor& /*transport*/, std::size_t /*bytes*/,
            std::size_t /*left*/) override {}
  void connected(const internet::IFileDescriptor& /*client*/) override {}
  void connectFailed(const internet::IFileDescriptor& /*client*/,
                     const Failure& /*reason*/) override {}
  void libeventSaid(std::string_view /*message*/, bool /*fromResolver*/) override {}
  void returned() override { heard.emplace_back("returned"); }

  std::vector<std::string> heard;
};

TEST(ReactorBase, TellsTheObserverItWasBuiltWith) {
  RecordingObserver observer;  // outlives the reactor, as it must
  internet::ReactorBase reactor(&observer);
  EXPECT_EQ(reactor.observer(), &observer);
  SocketPair pair;
  TestReader reader(pair.fds[0]);
  reactor.addReader(&reader);
  reader.onLost = [&] { reactor.stop(); };
  reactor.callLater(0, [&] { pair.closePeer(); });
  reactor.run();
  EXPECT_EQ(observer.heard,
            (std::vector<std::string>{"call due", "returned", "dispatching a reader",
                                      "disconnecting", "returned"}));
}

TEST(ReactorBase, WithoutAnObserverNobodyHearsAnything) {
  internet::ReactorBase reactor;
  EXPECT_EQ(reactor.observer(), nullptr);
}

// libevent allocates through these (event_set_mem_functions): plain malloc,
// except while a test starves it. Installed once, for the whole program.
std::atomic<bool> gLibeventStarved{false};

void* starvableMalloc(std::size_t size) {
  return gLibeventStarved ? nullptr : std::malloc(size);
}
void* starvableRealloc(void* old, std::size_t size) {
  return gLibeventStarved ? nullptr : std::realloc(old, size);
}

/// While it lives, every allocation libevent makes fails.
class StarvedLibevent {
 public:
  StarvedLibevent() {
    static const bool installed = [] {
      event_set_mem_functions(&starvableMalloc, &starvableRealloc, &std::free);
      return true;
    }();
    (void)installed;
    gLibeventStarved = true;
  }
  ~StarvedLibevent() { gLibeventStarved = false; }
  StarvedLibevent(const StarvedLibevent&) = delete;
  StarvedLibevent& operator=(const StarvedLibevent&) = delete;
};

TEST(ReactorOutOfMemory, CallLaterThrowsWhatItCannotAllocateAndSaysSoOnce) {
  Reactor reactor;
  testing::internal::CaptureStderr();
  {
    StarvedLibevent starved;
    EXPECT_THROW(reactor.callLater(1, [] {}), internet::error::OutOfResources);
  }
  EXPECT_EQ(testing::internal::GetCapturedStderr(),
            "ReactorBase: libevent cannot allocate a timer (out of memory)\n");
}

TEST(ReactorOutOfMemory, AReaderThatCannotBeWatchedIsLostWithAReason) {
  Reactor reactor;
  SocketPair pair;
  TestReader reader(pair.fds[0]);
  reader.onLost = [&] { reactor.stop(); };
  testing::internal::CaptureStderr();
  {
    StarvedLibevent starved;
    reactor.addReader(&reader);  // no crash, no exception: the loop tells it
  }
  const std::string said = testing::internal::GetCapturedStderr();
  EXPECT_NE(said.find("cannot allocate an event"), std::string::npos) << said;
  auto giveUp = reactor.callLater(60, [&] { reactor.stop(); });
  reactor.run();
  ASSERT_EQ(reader.reasons.size(), 1U);
  EXPECT_TRUE(reader.reasons[0].check(ErrorKind::ConnectionLost));
  EXPECT_NE(reader.reasons[0].getErrorMessage().find("out of memory"), std::string::npos);
  EXPECT_TRUE(reactor.getReaders().empty());
  if (giveUp.active()) giveUp.cancel();
}

TEST(ReactorOutOfMemory, AReaderRemovedBeforeTheLoopTurnsHearsNothing) {
  Reactor reactor;
  SocketPair pair;
  TestReader reader(pair.fds[0]);
  testing::internal::CaptureStderr();
  {
    StarvedLibevent starved;
    reactor.addReader(&reader);
  }
  testing::internal::GetCapturedStderr();
  reactor.removeReader(&reader);
  reactor.callLater(0, [&] { reactor.stop(); });
  reactor.run();
  EXPECT_TRUE(reader.reasons.empty());
}

}  // namespace
