/*
 * Unit tests for framework/config.c and directives.c, directive by
 * directive: defaults, listen, workers, handlers, logs, sizes, times, and
 * the value parsers eider_parse_size/time/listen_addr. The syntax, the
 * table of refused configs, include and -g are in test_config_syntax.c.
 * Every test writes its config files into a fresh /tmp directory.
 */
#include "config_test.h"

/* ------------------------------------------------------------ defaults */

static void check_defaults(const struct eider_config *c, const char *dir)
{
    char want[PATH_MAX];

    CHECK_INT(c->nlistens, 1);
    if (c->nlistens == 1) {
        CHECK(listen_is(&c->listens[0], AF_INET, "127.0.0.1", 8080));
        CHECK_STR(c->listens[0].text, "127.0.0.1:8080");
        CHECK_INT(c->listens[0].reuseport, 0);
        CHECK_INT(c->listens[0].backlog, 511);
    }
    CHECK_INT(c->workers, online_cores());
    snprintf(want, sizeof(want), "%s/handlers", dir);
    CHECK_STR(c->handlers, want);
    CHECK_STR(c->access_log, "stdout");
    CHECK_STR(c->error_log, "stderr");
    CHECK_INT(c->error_level, EIDER_LOG_INFO);
    CHECK_INT(c->client_max_body_size, 1024 * 1024);
    CHECK_INT(c->client_max_header_size, 8 * 1024);
    CHECK_INT(c->client_header_timeout, 60);
    CHECK_INT(c->keepalive_timeout, 75);
    CHECK_INT(c->request_timeout, 30);
}

TEST(defaults_empty_file_with_g)
{
    struct eider_config *c = cfg_of("", "access_log stdout;");

    CHECK(c != NULL);
    if (c) {
        check_defaults(c, cur);
        CHECK_STR(c->file, in_cur("eider.conf"));
    }
    done(c);
}

TEST(defaults_comments_only_with_g)
{
    struct eider_config *c = cfg_of("# nothing here\n\n   # indented; with \"quotes\"\n",
                                    "access_log stdout;");

    CHECK(c != NULL);
    if (c)
        check_defaults(c, cur);
    done(c);
}

TEST(defaults_no_file)
{
    char cwd[PATH_MAX];
    struct eider_config *c;

    CHECK(getcwd(cwd, sizeof(cwd)) != NULL);
    err[0] = '\0';
    c = eider_config_load(NULL, NULL, err, sizeof(err));
    CHECK(c != NULL);
    if (c) {
        check_defaults(c, cwd);
        CHECK(c->file == NULL);
    }
    eider_config_free(c);
}

TEST(relative_config_path)
{
    /* A relative config name resolves against the cwd; handlers against
     * the config file's directory. */
    char cwd[PATH_MAX];
    struct eider_config *c;

    cur = unit_tmpdir();
    unit_write(cur, "etc/eider.conf", "handlers api;\n");
    CHECK(getcwd(cwd, sizeof(cwd)) != NULL);
    CHECK(chdir(cur) == 0);
    err[0] = '\0';
    c = eider_config_load("etc/eider.conf", NULL, err, sizeof(err));
    CHECK(chdir(cwd) == 0);
    CHECK(c != NULL);
    if (c) {
        CHECK_STR(c->file, in_cur("etc/eider.conf"));
        CHECK_STR(c->handlers, in_cur("etc/api"));
    }
    done(c);
}

TEST(default_handlers_next_to_config)
{
    /* Without "handlers", the default is DIR_OF_CONFIG/handlers. */
    struct eider_config *c;

    cur = unit_tmpdir();
    unit_write(cur, "sub/eider.conf", "workers 1;\n");
    err[0] = '\0';
    c = eider_config_load(in_cur("sub/eider.conf"), NULL, err, sizeof(err));
    CHECK(c != NULL);
    if (c)
        CHECK_STR(c->handlers, in_cur("sub/handlers"));
    done(c);
}

TEST(default_listen_only_without_listen)
{
    struct eider_config *c = cfg_of("listen 127.0.0.1:9000;\n", NULL);

    CHECK(c != NULL);
    if (c) {
        CHECK_INT(c->nlistens, 1);
        if (c->nlistens >= 1)
            CHECK(listen_is(&c->listens[0], AF_INET, "127.0.0.1", 9000));
    }
    done(c);

    c = cfg_of("listen 127.0.0.1:9001;\nlisten [::1]:9002;\nlisten *:9003;\n", NULL);
    CHECK(c != NULL);
    if (c) {
        CHECK_INT(c->nlistens, 3);
        if (c->nlistens == 3) {
            CHECK(listen_is(&c->listens[0], AF_INET, "127.0.0.1", 9001));
            CHECK(listen_is(&c->listens[1], AF_INET6, "::1", 9002));
            CHECK(listen_is(&c->listens[2], AF_INET, "0.0.0.0", 9003));
        }
    }
    done(c);

    /* A listen in -g only also replaces the default. */
    c = cfg_of("workers 1;\n", "listen 127.0.0.1:9004;");
    CHECK(c != NULL);
    if (c) {
        CHECK_INT(c->nlistens, 1);
        if (c->nlistens >= 1)
            CHECK(listen_is(&c->listens[0], AF_INET, "127.0.0.1", 9004));
    }
    done(c);
}

TEST(defaults_are_not_duplicates)
{
    /* Setting each non-repeatable directive once is fine although the
     * defaults set it too. */
    struct eider_config *c = cfg_of(
        "workers 3;\nhandlers h;\nerror_log stderr warn;\naccess_log off;\n"
        "client_max_body_size 2m;\nclient_max_header_size 16k;\n"
        "client_header_timeout 10s;\nkeepalive_timeout 20s;\nrequest_timeout 40s;\n", NULL);

    CHECK(c != NULL);
    if (c) {
        CHECK_INT(c->workers, 3);
        CHECK_STR(c->handlers, in_cur("h"));
        CHECK_INT(c->error_level, EIDER_LOG_WARN);
        CHECK_STR(c->access_log, "off");
        CHECK_INT(c->client_max_body_size, 2 * 1024 * 1024);
        CHECK_INT(c->client_max_header_size, 16 * 1024);
        CHECK_INT(c->client_header_timeout, 10);
        CHECK_INT(c->keepalive_timeout, 20);
        CHECK_INT(c->request_timeout, 40);
        CHECK_INT(c->nlistens, 1);
    }
    done(c);
}

/* ------------------------------------------------------------ listen */

TEST(listen_good)
{
    struct eider_config *c = cfg_of(
        "listen 127.0.0.1:8080;\n"
        "listen *:80;\n"
        "listen 0.0.0.0:65535;\n"
        "listen [::1]:1;\n"
        "listen [::]:8080;\n"
        "listen 10.1.2.3:443 reuseport;\n"
        "listen 10.1.2.3:444 backlog=1024;\n"
        "listen [::1]:445 backlog=65535 reuseport;\n"
        "listen 10.1.2.3:446 backlog=1;\n", NULL);

    CHECK(c != NULL);
    if (c == NULL) {
        done(c);
        return;
    }
    CHECK_INT(c->nlistens, 9);
    if (c->nlistens == 9) {
        CHECK(listen_is(&c->listens[0], AF_INET, "127.0.0.1", 8080));
        CHECK(listen_is(&c->listens[1], AF_INET, "0.0.0.0", 80));
        CHECK(listen_is(&c->listens[2], AF_INET, "0.0.0.0", 65535));
        CHECK(listen_is(&c->listens[3], AF_INET6, "::1", 1));
        CHECK(listen_is(&c->listens[4], AF_INET6, "::", 8080));
        CHECK(listen_is(&c->listens[5], AF_INET, "10.1.2.3", 443));
        CHECK_STR(c->listens[1].text, "*:80");
        CHECK_STR(c->listens[4].text, "[::]:8080");
        CHECK_INT(c->listens[0].reuseport, 0);
        CHECK_INT(c->listens[0].backlog, 511);
        CHECK_INT(c->listens[5].reuseport, 1);
        CHECK_INT(c->listens[5].backlog, 511);
        CHECK_INT(c->listens[6].reuseport, 0);
        CHECK_INT(c->listens[6].backlog, 1024);
        CHECK_INT(c->listens[7].reuseport, 1);
        CHECK_INT(c->listens[7].backlog, 65535);
        CHECK_INT(c->listens[8].backlog, 1);
    }
    done(c);
}

TEST(listen_bad_address)
{
    static const char *const bad[] = {
        "8080", "localhost:80", ":80", "*:", "1.2.3.4:", "1.2.3.4:0", "1.2.3.4:65536",
        "1.2.3.4:-1", "1.2.3.4:80x", "1.2.3.4:0x50", "256.1.1.1:80", "1.2.3:80",
        "[::1]:", "[::1]8080", "[::1]", "::1:80", "[::1:80", "[1.2.3.4]:80",
        "[::1]:0", "[::g]:80", "example.com:80", "1.2.3.4", "",
    };
    char text[256];

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        snprintf(text, sizeof(text), "listen \"%s\";\n", bad[i]);
        FAILS(text, 1, "\"listen\": expected an address like 127.0.0.1:8080");
    }
}

TEST(listen_bad_options)
{
    static const char *const bad[] = { "backlog", "reuseport=1", "foo", "REUSEPORT" };
    static const char *const bad_backlog[] = {
        "backlog=0", "backlog=65536", "backlog=", "backlog=x", "backlog=-1",
    };
    char text[256];

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        snprintf(text, sizeof(text), "listen 127.0.0.1:80 %s;\n", bad[i]);
        FAILS(text, 1, "\"listen\": unknown option (expected ssl, proxy_protocol, reuseport, backlog=N, "
                       "access_log=FILE, status_path=PATH)");
    }
    for (size_t i = 0; i < sizeof(bad_backlog) / sizeof(bad_backlog[0]); i++) {
        snprintf(text, sizeof(text), "listen 127.0.0.1:80 %s;\n", bad_backlog[i]);
        FAILS(text, 1, "\"listen\": backlog= expects a number from 1 to 65535");
    }
    FAILS("listen unix:/tmp/x.sock bogus;\n", 1, "\"listen\": unknown option (expected ssl, proxy_protocol, "
          "backlog=N, mode=0660, owner=USER, group=GROUP, access_log=FILE, status_path=PATH)");
}

TEST(listen_parse_addr_api)
{
    struct sockaddr_storage ss;
    socklen_t len = 0;
    struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

    CHECK_INT(eider_parse_listen_addr("192.168.1.2:8443", &ss, &len), 0);
    CHECK_INT(sin->sin_family, AF_INET);
    CHECK_INT(ntohs(sin->sin_port), 8443);
    CHECK_INT(ntohl(sin->sin_addr.s_addr), 0xC0A80102);
    CHECK_INT(len, sizeof(struct sockaddr_in));

    CHECK_INT(eider_parse_listen_addr("*:1", &ss, &len), 0);
    CHECK_INT(sin->sin_addr.s_addr, htonl(INADDR_ANY));

    CHECK_INT(eider_parse_listen_addr("[fe80::1]:65535", &ss, &len), 0);
    CHECK_INT(sin6->sin6_family, AF_INET6);
    CHECK_INT(ntohs(sin6->sin6_port), 65535);
    CHECK_INT(len, sizeof(struct sockaddr_in6));
    CHECK_INT(sin6->sin6_addr.s6_addr[0], 0xfe);
    CHECK_INT(sin6->sin6_addr.s6_addr[15], 1);

    CHECK_INT(eider_parse_listen_addr("[::ffff:1.2.3.4]:80", &ss, &len), 0);
    CHECK_INT(sin6->sin6_family, AF_INET6);

    CHECK_INT(eider_parse_listen_addr("1.2.3.4:65536", &ss, &len), -1);
    CHECK_INT(eider_parse_listen_addr("1.2.3.4:99999999999999999999", &ss, &len), -1);
    CHECK_INT(eider_parse_listen_addr("[0000:0000:0000:0000:0000:0000:0000:0000:0000]:80",
                                      &ss, &len), -1);
    /* A host longer than any address is refused, not copied. */
    CHECK_INT(eider_parse_listen_addr(
        "1111111111111111111111111111111111111111111111111111111111111111:80", &ss, &len), -1);
    CHECK_INT(eider_parse_listen_addr(
        "[1111111111111111111111111111111111111111111111111111111111111111]:80", &ss, &len), -1);
}

/* ------------------------------------------------------------ workers */

TEST(workers_good)
{
    static const struct { const char *v; int want; } good[] = {
        { "1", 1 }, { "4", 4 }, { "1024", 1024 }, { "\"16\"", 16 },
    };
    char text[128];
    struct eider_config *c;

    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        snprintf(text, sizeof(text), "workers %s;", good[i].v);
        c = cfg_of(text, NULL);
        CHECK_INT(c ? c->workers : -1, good[i].want);
        done(c);
    }
    c = cfg_of("workers auto;", NULL);
    CHECK_INT(c ? c->workers : -1, online_cores());
    done(c);
}

TEST(workers_bad)
{
    static const char *const bad[] = {
        "0", "1025", "-1", "two", "2x", "\"\"", "1.5", "Auto", "99999999999999999999",
    };
    char text[128];

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        snprintf(text, sizeof(text), "workers %s;", bad[i]);
        FAILS(text, 1, "\"workers\": expected \"auto\" or a number from 1 to 1024");
    }
}

/* ------------------------------------------------------------ handlers */

TEST(handlers_paths)
{
    struct eider_config *c;

    c = cfg_of("handlers api;", NULL);
    CHECK_STR(c ? c->handlers : NULL, in_cur("api"));
    done(c);

    c = cfg_of("handlers sub/dir;", NULL);
    CHECK_STR(c ? c->handlers : NULL, in_cur("sub/dir"));
    done(c);

    c = cfg_of("handlers /srv/eider/handlers;", NULL);
    CHECK_STR(c ? c->handlers : NULL, "/srv/eider/handlers");
    done(c);

    c = cfg_of("handlers \"with space\";", NULL);
    CHECK_STR(c ? c->handlers : NULL, in_cur("with space"));
    done(c);

    /* The path is not required to exist at parse time. */
    c = cfg_of("handlers does/not/exist;", NULL);
    CHECK(c != NULL);
    done(c);
}

/* ------------------------------------------------------------ logs */

TEST(error_log_good)
{
    static const struct { const char *v; const char *log; int level; } good[] = {
        { "stderr", "stderr", EIDER_LOG_INFO },
        { "stderr debug", "stderr", EIDER_LOG_DEBUG },
        { "stderr info", "stderr", EIDER_LOG_INFO },
        { "stderr notice", "stderr", EIDER_LOG_NOTICE },
        { "stderr warn", "stderr", EIDER_LOG_WARN },
        { "stderr error", "stderr", EIDER_LOG_ERROR },
        { "stderr crit", "stderr", EIDER_LOG_CRIT },
        { "stdout", "stdout", EIDER_LOG_INFO },
        { "stdout notice", "stdout", EIDER_LOG_NOTICE },
        { "stderr ERROR", "stderr", EIDER_LOG_ERROR },
        { "/var/log/eider/error.log", "/var/log/eider/error.log", EIDER_LOG_INFO },
        { "/var/log/eider/error.log warn", "/var/log/eider/error.log", EIDER_LOG_WARN },
        { "logs/error.log debug", NULL, EIDER_LOG_DEBUG },
    };
    char text[256];
    struct eider_config *c;

    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        snprintf(text, sizeof(text), "error_log %s;", good[i].v);
        c = cfg_of(text, NULL);
        CHECK_STR(c ? c->error_log : NULL, good[i].log ? good[i].log : in_cur("logs/error.log"));
        CHECK_INT(c ? c->error_level : -1, good[i].level);
        done(c);
    }
}

TEST(access_log_good)
{
    static const struct { const char *v; const char *want; } good[] = {
        { "off", "off" }, { "stdout", "stdout" }, { "stderr", "stderr" },
        { "/var/log/eider/access.log", "/var/log/eider/access.log" },
        { "logs/access.log", NULL },
    };
    char text[256];
    struct eider_config *c;

    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        snprintf(text, sizeof(text), "access_log %s;", good[i].v);
        c = cfg_of(text, NULL);
        CHECK_STR(c ? c->access_log : NULL, good[i].want ? good[i].want : in_cur("logs/access.log"));
        done(c);
    }
}

/* ------------------------------------------------------------ sizes */

TEST(sizes_good)
{
    static const struct { const char *v; size_t want; } good[] = {
        { "0", 0 }, { "512", 512 }, { "8k", 8192 }, { "8K", 8192 }, { "1m", 1048576 },
        { "10M", 10485760 }, { "1g", 1073741824 }, { "2G", 2147483648u }, { "0k", 0 },
        { "007", 7 },
    };
    char text[128];
    struct eider_config *c;

    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        snprintf(text, sizeof(text), "client_max_body_size %s;", good[i].v);
        c = cfg_of(text, NULL);
        CHECK_INT(c ? (long long)c->client_max_body_size : -1, good[i].want);
        done(c);
    }
    c = cfg_of("client_max_header_size 256;", NULL);
    CHECK_INT(c ? (long long)c->client_max_header_size : -1, 256);
    done(c);
    c = cfg_of("client_max_header_size 64k;", NULL);
    CHECK_INT(c ? (long long)c->client_max_header_size : -1, 65536);
    done(c);
}

TEST(sizes_bad)
{
    static const char *const bad[] = {
        "1.5m", "1kb", "-1", "k", "\"\"", "1t", "\"1 m\"", "m1", "1mm", "+1", "\" 1\"",
        "99999999999999999999", "0x10",
    };
    static const char *const names[] = { "client_max_body_size", "client_max_header_size" };
    char text[128], want[128];

    for (size_t n = 0; n < 2; n++)
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
            snprintf(text, sizeof(text), "%s %s;", names[n], bad[i]);
            snprintf(want, sizeof(want), "\"%s\": expected a size like 512, 8k or 1m", names[n]);
            FAILS(text, 1, want);
        }
}

TEST(parse_size_api)
{
    size_t v = 7;

    CHECK_INT(eider_parse_size("123", &v), 0);
    CHECK_INT(v, 123);
    CHECK_INT(eider_parse_size("3k", &v), 0);
    CHECK_INT(v, 3072);
    CHECK_INT(eider_parse_size("3g", &v), 0);
    CHECK_INT(v, 3ULL << 30);
    v = 7;
    CHECK_INT(eider_parse_size("", &v), -1);
    CHECK_INT(eider_parse_size("k", &v), -1);
    CHECK_INT(eider_parse_size("1 k", &v), -1);
    CHECK_INT(v, 7);                                  /* untouched on error */
    /* Above SIZE_MAX / 2 is refused. */
    CHECK_INT(eider_parse_size("18446744073709551615", &v), -1);
    CHECK_INT(eider_parse_size("9223372036854775808", &v), -1);
}

TEST(parse_size_overflow)
{
    /* A multiplier that overflows must not wrap to a small size:
     * 17179869185g is 2^64 + 1 GiB, 18014398509481985k is 2^64 + 1 KiB. */
    size_t v = 7;

    CHECK_INT(eider_parse_size("17179869185g", &v), -1);
    CHECK_INT(eider_parse_size("17179869184g", &v), -1);
    CHECK_INT(eider_parse_size("18014398509481985k", &v), -1);
    CHECK_INT(eider_parse_size("300000000000000000m", &v), -1);
}

/* ------------------------------------------------------------ times */

TEST(times_good)
{
    static const struct { const char *v; int want; } good[] = {
        { "30s", 30 }, { "30", 30 }, { "1", 1 }, { "5m", 300 }, { "1h", 3600 },
        { "1d", 86400 }, { "1m30s", 90 }, { "1h1m1s", 3661 }, { "2d3h", 183600 },
        { "2147483647", INT_MAX }, { "2147483647s", INT_MAX },
    };
    static const char *const names[] = {
        "client_header_timeout", "keepalive_timeout", "request_timeout",
    };
    static const size_t offs[] = {
        offsetof(struct eider_config, client_header_timeout),
        offsetof(struct eider_config, keepalive_timeout),
        offsetof(struct eider_config, request_timeout),
    };
    char text[128];

    for (size_t n = 0; n < 3; n++)
        for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
            struct eider_config *c;
            snprintf(text, sizeof(text), "%s %s;", names[n], good[i].v);
            c = cfg_of(text, NULL);
            CHECK_INT(c ? *(int *)((char *)c + offs[n]) : -1, good[i].want);
            done(c);
        }
}

TEST(times_bad)
{
    static const char *const bad[] = {
        "0", "0s", "-1", "1x", "s", "\"\"", "1.5s", "\"30 s\"", "2147483648", "24856d",
        "1ms", "m", "1S", "+5", "\" 5\"", "1h-1m",
    };
    static const char *const names[] = {
        "client_header_timeout", "keepalive_timeout", "request_timeout",
    };
    char text[128], want[128];

    for (size_t n = 0; n < 3; n++) {
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
            snprintf(text, sizeof(text), "%s %s;", names[n], bad[i]);
            snprintf(want, sizeof(want), "\"%s\": expected a time like 30s, 5m or 1h", names[n]);
            FAILS(text, 1, want);
        }
        snprintf(text, sizeof(text), "%s 1s 2s;", names[n]);
        snprintf(want, sizeof(want), "\"%s\" takes 1 argument, not 2", names[n]);
        FAILS(text, 1, want);
    }
}

TEST(parse_time_api)
{
    int s = -7;

    CHECK_INT(eider_parse_time("90", &s), 0);
    CHECK_INT(s, 90);
    CHECK_INT(eider_parse_time("0", &s), 0);          /* the setter, not the parser, wants >= 1 */
    CHECK_INT(s, 0);
    CHECK_INT(eider_parse_time("1d1h1m1s", &s), 0);
    CHECK_INT(s, 86400 + 3600 + 61);
    s = -7;
    CHECK_INT(eider_parse_time("", &s), -1);
    CHECK_INT(eider_parse_time("1y", &s), -1);
    CHECK_INT(eider_parse_time("9223372036854775808", &s), -1);
    CHECK_INT(s, -7);
}

TEST(parse_time_overflow)
{
    /* A unit multiplier that overflows long long must be refused, not
     * wrap to a negative total that passes the INT_MAX check. */
    int s = -7;

    CHECK_INT(eider_parse_time("106751991167301d", &s), -1);
    CHECK_INT(eider_parse_time("1000000000000000d", &s), -1);
    CHECK_INT(eider_parse_time("9999999999999999h", &s), -1);
    CHECK_INT(eider_parse_time("300000000000000000m", &s), -1);
    CHECK_INT(s, -7);
}


UNIT_MAIN(defaults_empty_file_with_g, defaults_comments_only_with_g, defaults_no_file, relative_config_path,
          default_handlers_next_to_config, default_listen_only_without_listen, defaults_are_not_duplicates, listen_good,
          listen_bad_address, listen_bad_options, listen_parse_addr_api, workers_good,
          workers_bad, handlers_paths, error_log_good, access_log_good,
          sizes_good, sizes_bad, parse_size_api, parse_size_overflow,
          times_good, times_bad, parse_time_api, parse_time_overflow)
