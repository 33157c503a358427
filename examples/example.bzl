"""harness_example(): the targets every example folder has.

An example folder holds `<name>.h` (the scenario, a header library that
//tests/examples also reads to find the reported lines), `buggy.cc` and one `.cc` per
fixed variant. `buggy` fails by design with the harness's report, so it is `manual`
(`bazel test //...` leaves it out) and tagged `buggy` (left out of the TSan run);
every target carries its expected verdict as a `verdict=` tag, which
tools/compare_verdicts.sh reads.
"""

load("@rules_cc//cc:defs.bzl", "cc_library", "cc_test")

def harness_example(name, buggy_verdict, fixed_variants = ["fixed"], test_deps = []):
    """Declares the library `name`, the test `buggy` and one test per fixed variant.

    Args:
      name: the example, and its header `<name>.h`.
      buggy_verdict: what the harness reports for `buggy`: race, lock_order, misuse or
        deadlock.
      fixed_variants: names of the fixed tests, each built from `<variant>.cc`.
      test_deps: extra dependencies of the tests.
    """
    native.exports_files(
        [name + ".h"],
        visibility = ["//tests/examples:__pkg__"],
    )
    cc_library(
        name = name,
        hdrs = [name + ".h"],
        visibility = ["//tests/examples:__pkg__"],
        deps = ["//harness"],
    )
    deps = [
        ":" + name,
        "//harness:gtest_main",
        "@com_google_googletest//:gtest",
    ] + test_deps
    cc_test(
        name = "buggy",
        size = "small",
        srcs = ["buggy.cc"],
        tags = ["buggy", "manual", "verdict=" + buggy_verdict],
        # //tests/examples runs the buggy programs that end the process (deadlocks).
        visibility = ["//tests/examples:__pkg__"],
        deps = deps,
    )
    for variant in fixed_variants:
        cc_test(
            name = variant,
            size = "small",
            srcs = [variant + ".cc"],
            tags = ["verdict=clean"],
            deps = deps,
        )
