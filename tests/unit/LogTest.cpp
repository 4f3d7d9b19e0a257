// Tests of internet::logError(), how the shim reports its own errors (unit).
#include <gtest/gtest.h>

#include <string>

#include "internet/log.h"

namespace {

TEST(LogError, WritesThePartsAsOneLineWithNoPrefix) {
  testing::internal::CaptureStderr();
  internet::logError({"Unhandled error in ", "a delayed call", ": ", "boom"});
  internet::logError({"tcp.Port 10000: accepting again"});
  EXPECT_EQ(testing::internal::GetCapturedStderr(),
            "Unhandled error in a delayed call: boom\n"
            "tcp.Port 10000: accepting again\n");
}

}  // namespace
