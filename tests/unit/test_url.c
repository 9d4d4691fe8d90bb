#include "unit.h"
#include "url.h"

TEST(decode_percent)
{
    char out[64];
    CHECK(eider_url_decode("a%20b%2Fc", 9, out, 0) == 5);
    CHECK_STR(out, "a b/c");
}

TEST(decode_plus)
{
    char out[64];
    eider_url_decode("a+b", 3, out, 1);
    CHECK_STR(out, "a b");
    eider_url_decode("a+b", 3, out, 0);
    CHECK_STR(out, "a+b");
}

TEST(decode_malformed_kept)
{
    char out[64];
    eider_url_decode("%zz%4", 5, out, 0);
    CHECK_STR(out, "%zz%4");
}

UNIT_MAIN(decode_percent, decode_plus, decode_malformed_kept)
