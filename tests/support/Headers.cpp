// The carrier of the precompiled header every test program shares (see
// tests/support/CMakeLists.txt): CMake builds a precompiled header for a
// target with at least one source, and this is that source.
