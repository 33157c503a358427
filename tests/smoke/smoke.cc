#include <source_location>
#include "absl/strings/str_cat.h"
#include "absl/status/statusor.h"
#include "absl/container/flat_hash_map.h"
#include "gtest/gtest.h"
TEST(Smoke, Works) { absl::flat_hash_map<int,int> m; m[1]=2; absl::StatusOr<int> s = 3; EXPECT_EQ(absl::StrCat("a", m[1], *s), "a23"); }
