#include "unit.h"
#include "config.h"

TEST(placeholder)
{
    CHECK(1);
}

UNIT_MAIN(placeholder)
