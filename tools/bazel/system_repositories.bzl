"""Repository rules that wire Debian's system packages into an offline Bazel 4.2.3 build.

The project's machines reach no network but Debian's archive, so nothing here downloads:
each rule adapts files that `tools/setup.sh` installed under /usr.
"""

_RULES_CC_DIR = "/usr/share/bazel/rules/cc"

# Files of Debian's rules_cc that call `use_cpp_toolchain()`, which Bazel 4.2.3's
# @bazel_tools does not define yet.
_RULES_CC_FILES_TO_ADAPT = [
    "cc/private/rules_impl/compiler_flag.bzl",
    "cc/private/rules_impl/cc_flags_supplier.bzl",
]

def _debian_rules_cc_impl(repository_ctx):
    source = repository_ctx.path(_RULES_CC_DIR)
    if not source.exists:
        fail("rules_cc: %s is missing; run tools/setup.sh (Debian package bazel-rules-cc)" % _RULES_CC_DIR)

    # A copy, not links: the adapted files must never be edited through a link into /usr.
    result = repository_ctx.execute(["cp", "-R", str(source) + "/.", "."])
    if result.return_code != 0:
        fail("rules_cc: copying %s failed: %s" % (source, result.stderr))
    for relative in _RULES_CC_FILES_TO_ADAPT:
        text = repository_ctx.read(relative)
        text = text.replace(', "use_cpp_toolchain")', ")")
        text = text.replace("use_cpp_toolchain()", '["@bazel_tools//tools/cpp:toolchain_type"]')
        repository_ctx.file(relative, text, executable = False)

debian_rules_cc = repository_rule(
    implementation = _debian_rules_cc_impl,
    doc = "Debian's rules_cc (bazel-rules-cc), adapted to load in Bazel 4.2.3.",
    local = True,
)

def _empty_coverage_tools_impl(repository_ctx):
    repository_ctx.file("WORKSPACE", 'workspace(name = "remote_coverage_tools")\n')
    repository_ctx.file("BUILD", """\
package(default_visibility = ["//visibility:public"])

# `bazel test` only needs these labels to exist; `bazel coverage` is not supported offline.
filegroup(name = "coverage_report_generator", srcs = [])

filegroup(name = "lcov_merger", srcs = [])
""")

empty_coverage_tools = repository_rule(
    implementation = _empty_coverage_tools_impl,
    doc = "Stands in for the remote_coverage_tools repository Bazel would download.",
)

def _multiarch_libdir(repository_ctx):
    result = repository_ctx.execute(["gcc", "-print-multiarch"])
    if result.return_code != 0 or not result.stdout.strip():
        fail("could not ask gcc for the multiarch triple: " + result.stderr)
    return "/usr/lib/" + result.stdout.strip()

def _system_cc_library_impl(repository_ctx):
    libdir = _multiarch_libdir(repository_ctx)
    for library in repository_ctx.attr.libraries:
        path = repository_ctx.path(libdir + "/" + library)
        if not path.exists:
            fail("%s: %s/%s is missing; run tools/setup.sh (Debian package %s)" %
                 (repository_ctx.name, libdir, library, repository_ctx.attr.debian_package))
        repository_ctx.symlink(path, "lib/" + library)
    repository_ctx.file("WORKSPACE", 'workspace(name = "%s")\n' % repository_ctx.name)
    repository_ctx.file("BUILD", repository_ctx.read(repository_ctx.attr.build_file))

system_cc_library = repository_rule(
    implementation = _system_cc_library_impl,
    doc = "Makes a Debian -dev package's libraries available under lib/, with a BUILD file " +
          "that names them as upstream does (headers come from /usr/include).",
    attrs = {
        "libraries": attr.string_list(mandatory = True),
        "build_file": attr.label(mandatory = True, allow_single_file = True),
        "debian_package": attr.string(mandatory = True),
    },
    local = True,
)

# Upstream Bazel targets whose name does not follow from the pkg-config module name by
# the rules in `_absl_targets_for_package`.
_ABSL_TARGET_OVERRIDES = {
    "absl/base:core_headers": "absl_core_headers",
    "absl/flags:flag": "absl_flags",
}

def _absl_module_link_flags(repository_ctx, module):
    result = repository_ctx.execute(["pkg-config", "--libs", module])
    if result.return_code != 0:
        fail("pkg-config --libs %s failed: %s" % (module, result.stderr))
    return result.stdout.strip().split(" ")

def _absl_targets_for_package(package, modules, include_dir):
    """Maps upstream target names in absl/<package> to pkg-config module names.

    Abseil's CMake build (which writes the .pc files) names a target `absl_<name>` where
    <name> is the Bazel target name, the package-qualified name (`flags_parse` for
    //absl/flags:parse) or the package itself (`strings` for //absl/strings).
    """
    targets = {}
    for module in modules:
        name = module[len("absl_"):]
        if name == package:
            targets[package] = module
        elif name.startswith(package + "_"):
            targets[name[len(package) + 1:]] = module
        elif include_dir.get_child(name + ".h").exists:
            targets[name] = module
    for label, module in _ABSL_TARGET_OVERRIDES.items():
        if label.startswith("absl/%s:" % package):
            targets[label.split(":")[1]] = module
    return targets

def _absl_system_library_impl(repository_ctx):
    libdir = _multiarch_libdir(repository_ctx)
    pkgconfig_dir = repository_ctx.path(libdir + "/pkgconfig")
    if not pkgconfig_dir.exists:
        fail("com_google_absl: %s is missing; run tools/setup.sh (Debian package libabsl-dev)" % pkgconfig_dir)
    modules = sorted([
        entry.basename[:-len(".pc")]
        for entry in pkgconfig_dir.readdir()
        if entry.basename.startswith("absl_") and entry.basename.endswith(".pc")
    ])
    if not modules:
        fail("com_google_absl: no absl_*.pc in %s; run tools/setup.sh (libabsl-dev)" % pkgconfig_dir)

    # Every module at the root under its pkg-config name, linked with exactly the flags
    # pkg-config gives (its own library and everything it requires).
    root = ['package(default_visibility = ["//visibility:public"])', ""]
    for module in modules:
        root.append("cc_library(name = %r, linkopts = %r)" %
                    (module, _absl_module_link_flags(repository_ctx, module)))
    repository_ctx.file("BUILD", "\n".join(root) + "\n")
    repository_ctx.file("WORKSPACE", 'workspace(name = "com_google_absl")\n')

    # Each upstream package as an alias to the root targets, so BUILD files read as in a
    # networked project: @com_google_absl//absl/strings, //absl/flags:parse, ...
    include_root = repository_ctx.path("/usr/include/absl")
    for entry in include_root.readdir():
        package = entry.basename
        targets = _absl_targets_for_package(package, modules, entry)
        lines = ['package(default_visibility = ["//visibility:public"])', ""]
        for name in sorted(targets):
            lines.append('alias(name = %r, actual = "//:%s")' % (name, targets[name]))
        repository_ctx.file("absl/%s/BUILD" % package, "\n".join(lines) + "\n")

absl_system_library = repository_rule(
    implementation = _absl_system_library_impl,
    doc = "Debian's Abseil (libabsl-dev) with upstream target names; link flags from pkg-config.",
    local = True,
)
