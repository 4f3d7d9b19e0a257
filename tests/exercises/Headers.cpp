// The carrier of the precompiled headers the exercise variants share (see
// exercise_program() in CMakeLists.txt): CMake builds a precompiled header
// for a target with at least one source, and this is that source.
