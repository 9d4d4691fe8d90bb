#include "unit.h"
#include "router.h"

TEST(placeholder)
{
    CHECK(1);
}

UNIT_MAIN(placeholder)
