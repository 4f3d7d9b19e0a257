// Tests of internet::DelayedCall: active, cancel and its errors, getTime (unit).
#include <gtest/gtest.h>

#include "internet/DelayedCall.h"
#include "internet/Reactor.h"
#include "internet/error.h"

namespace {

using internet::Reactor;

TEST(DelayedCall, IsActiveUntilItRuns) {
  Reactor reactor;
  auto call = reactor.callLater(0, [&] { reactor.stop(); });
  EXPECT_TRUE(call.active());
  reactor.run();
  EXPECT_FALSE(call.active());
}

TEST(DelayedCall, ACancelledCallNeverRuns) {
  Reactor reactor;
  bool ran = false;
  auto call = reactor.callLater(0.01, [&] { ran = true; });
  call.cancel();
  EXPECT_FALSE(call.active());
  reactor.callLater(0.03, [&] { reactor.stop(); });
  reactor.run();
  EXPECT_FALSE(ran);
}

TEST(DelayedCall, CancellingTwiceIsAnError) {
  Reactor reactor;
  auto call = reactor.callLater(1, [] {});
  call.cancel();
  EXPECT_THROW(call.cancel(), internet::error::AlreadyCancelled);
}

TEST(DelayedCall, CancellingACallThatRanIsAnError) {
  Reactor reactor;
  auto call = reactor.callLater(0, [&] { reactor.stop(); });
  reactor.run();
  EXPECT_THROW(call.cancel(), internet::error::AlreadyCalled);
}

TEST(DelayedCall, ACallCanCancelAnotherDueInTheSameTurn) {
  Reactor reactor;
  bool secondRan = false;
  auto second = reactor.callLater(0.02, [&] { secondRan = true; });
  reactor.callLater(0.01, [&] { second.cancel(); });
  reactor.callLater(0.05, [&] { reactor.stop(); });
  reactor.run();
  EXPECT_FALSE(secondRan);
}

TEST(DelayedCall, GetTimeIsWhenItWillRun) {
  Reactor reactor;
  const double before = Reactor::seconds();
  auto call = reactor.callLater(5, [] {});
  const double after = Reactor::seconds();
  EXPECT_GE(call.getTime(), before + 5);
  EXPECT_LE(call.getTime(), after + 5);
}

TEST(DelayedCall, AHandleMayOutliveItsReactor) {
  auto reactor = std::make_unique<Reactor>();
  auto call = reactor->callLater(10, [] {});
  reactor.reset();
  EXPECT_TRUE(call.active());
  call.cancel();
  EXPECT_FALSE(call.active());
}

}  // namespace
