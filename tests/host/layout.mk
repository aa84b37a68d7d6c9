# Page-table index and recursive-window arithmetic, and range lists.
HOST_TESTS += layout
layout_SRCS := mm/ranges.c
