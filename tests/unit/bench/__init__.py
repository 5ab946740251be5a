"""Tests of the benchmarks' own measuring parts."""
