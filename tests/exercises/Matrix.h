// Differential grading: for each exercise, a matrix of scenarios (server
// behaviours and --timeout values). Each scenario runs the official solution
// (the reference, built in this build's solutions/) and the candidate (the
// program under EXERCISE_PROGRAMS), each on servers of its own that follow the
// same scripts, and compares what each did, normalised: what timing alone
// decides (the size of each read, durations, ports, the order of events that
// happen at the same moment) is masked, nothing more. A difference fails with
// both transcripts side by side and the first line where they part.
#pragma once

#include <functional>
#include <string>

namespace grading {

/// @return the path of @p exercise's program to grade (throws if there is none).
using ProgramOf = std::function<std::string(const std::string& exercise)>;

/// Registers one googletest test per scenario, in the exercise's suite
/// (ExerciseNN) or, for a scenario the untouched starter already gets right,
/// in its guard suite (ExerciseNNGuard). Call before RUN_ALL_TESTS().
void registerMatrixTests(ProgramOf candidate);

}  // namespace grading
