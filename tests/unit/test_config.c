/*
 * Unit tests for framework/config.c: eider_config_load (syntax, every
 * directive, defaults, include, -g text, error messages "FILE:LINE: ...")
 * and the value parsers eider_parse_size/time/listen_addr.
 * Every test writes its config files into a fresh /tmp directory.
 */
#include <arpa/inet.h>
#include <limits.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "unit.h"
#include "../../framework/config.h"   /* not ./config.h (autoconf) */
#include "../../framework/log.h"

static char err[2048];
static char *cur;             /* temp dir of the config being tested */

/* Writes TEXT as DIR/eider.conf and loads it with EXTRA (the -g text). */
static struct eider_config *load(const char *dir, const char *text, const char *extra)
{
    char path[PATH_MAX];

    unit_write(dir, "eider.conf", text);
    snprintf(path, sizeof(path), "%s/eider.conf", dir);
    err[0] = '\0';
    return eider_config_load(path, extra, err, sizeof(err));
}

/* Loads TEXT in a fresh dir (kept in CUR until done()); NULL on error. */
static struct eider_config *cfg_of(const char *text, const char *extra)
{
    struct eider_config *c;

    cur = unit_tmpdir();
    c = load(cur, text, extra);
    if (c == NULL)
        printf("  unexpected error for \"%s\": %s\n", text, err);
    return c;
}

static void done(struct eider_config *c)
{
    eider_config_free(c);
    unit_rmtree(cur);
    cur = NULL;
}

/* "CUR/REL" in a static buffer. */
static const char *in_cur(const char *rel)
{
    static char buf[PATH_MAX];
    snprintf(buf, sizeof(buf), "%s/%s", cur, rel);
    return buf;
}

/* Loads TEXT (after writing FILES, NULL-terminated name/content pairs)
 * in a fresh dir and expects an error "FILE:LINE: ..." holding NEEDLE.
 * FILE NULL means the config itself, "(...)" is taken literally, any
 * other name is relative to the temp dir. */
static int fails_at(const char *const *files, const char *text, const char *extra,
                    const char *file, int line, const char *needle)
{
    char *dir = unit_tmpdir();
    char prefix[PATH_MAX + 64];
    struct eider_config *c;
    int ok = 1;

    for (size_t i = 0; files && files[i]; i += 2)
        unit_write(dir, files[i], files[i + 1]);
    c = load(dir, text, extra);
    if (file == NULL)
        snprintf(prefix, sizeof(prefix), "%s/eider.conf:%d: ", dir, line);
    else if (file[0] == '(')
        snprintf(prefix, sizeof(prefix), "%s:%d: ", file, line);
    else
        snprintf(prefix, sizeof(prefix), "%s/%s:%d: ", dir, file, line);
    if (c != NULL) {
        printf("  \"%s\"%s%s: loaded, expected an error with \"%s\"\n", text,
               extra ? " -g " : "", extra ? extra : "", needle);
        ok = 0;
    } else if (strncmp(err, prefix, strlen(prefix)) != 0 || strstr(err, needle) == NULL) {
        printf("  \"%s\": error \"%s\", expected \"%s...%s...\"\n", text, err, prefix, needle);
        ok = 0;
    }
    eider_config_free(c);
    unit_rmtree(dir);
    return ok;
}

#define FAILS(text, line, needle) CHECK(fails_at(NULL, (text), NULL, NULL, (line), (needle)))
#define FILES(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* ------------------------------------------------------------ the table of refused configs */

/* A config (with FILES beside it and the -g text EXTRA) that must fail
 * with "FILE:LINE: ...NEEDLE..."; as for fails_at(). */
struct refused_row {
    const char *const *files;
    const char *text, *extra, *file;
    int line;
    const char *needle;
};

/* Rows that test one thing; each row reports as NAME/N. */
struct refused_group {
    const char *name;
    const struct refused_row *rows;   /* ends at a NULL text */
};

/* TEXT alone fails at its line LINE with NEEDLE. */
#define AT(text, line, needle) { NULL, (text), NULL, NULL, (line), (needle) }
#define END { NULL, NULL, NULL, NULL, 0, NULL }

static const struct refused_group refused[] = {
    /* An empty file is refused, as nginx does (a truncated file, or the
     * wrong one), naming FILE:1; with -g directives it is a config. */
    { "empty_file_refused", (const struct refused_row[]){
        { NULL, "", NULL, "eider.conf", 1, "the file has no directives" },
        { NULL, "# nothing here\n\n   # indented; with \"quotes\"\n", NULL, "eider.conf", 1, "the file has no directives" },
        END } },
    { "listen_port_digits_only", (const struct refused_row[]){
        /* nginx refuses a sign or spaces in the port; strtol() lets them in. */
        AT("listen \"1.2.3.4:+80\";", 1, "expected an address"),
        AT("listen \"1.2.3.4: 80\";", 1, "expected an address"),
        AT("listen \"[::1]:+80\";", 1, "expected an address"),
        END } },
    { "listen_arg_count", (const struct refused_row[]){
        AT("listen;", 1, "\"listen\" takes 1 to 8 arguments, not 0"),
        AT("listen 1.2.3.4:80 reuseport backlog=1 reuseport backlog=2 reuseport backlog=3 ssl ssl;", 1, "\"listen\" takes 1 to 8 arguments, not 9"),
        END } },
    { "workers_bad", (const struct refused_row[]){
        AT("workers;", 1, "\"workers\" takes 1 argument, not 0"),
        AT("workers 1 2;", 1, "\"workers\" takes 1 argument, not 2"),
        END } },
    { "handlers_bad", (const struct refused_row[]){
        AT("handlers;", 1, "\"handlers\" takes 1 argument, not 0"),
        AT("handlers a b;", 1, "\"handlers\" takes 1 argument, not 2"),
        END } },
    { "error_log_bad", (const struct refused_row[]){
        AT("error_log stderr verbose;", 1, "\"error_log\": unknown level"),
        AT("error_log /tmp/x.log warning;", 1, "\"error_log\": unknown level"),
        AT("error_log;", 1, "\"error_log\" takes 1 to 2 arguments, not 0"),
        AT("error_log stderr info x;", 1, "\"error_log\" takes 1 to 2 arguments, not 3"),
        END } },
    { "access_log_bad", (const struct refused_row[]){
        AT("access_log;", 1, "\"access_log\" takes 1 argument, not 0"),
        AT("access_log /tmp/a.log combined;", 1, "\"access_log\" takes 1 argument, not 2"),
        END } },
    { "sizes_bad", (const struct refused_row[]){
        AT("client_max_header_size 255;", 1, "\"client_max_header_size\": must be at least 256 bytes"),
        AT("client_max_header_size 0;", 1, "must be at least 256 bytes"),
        AT("client_max_body_size;", 1, "\"client_max_body_size\" takes 1 argument, not 0"),
        AT("client_max_header_size 1k 2k;", 1, "\"client_max_header_size\" takes 1 argument, not 2"),
        END } },
    { "parse_size_overflow", (const struct refused_row[]){
        AT("client_max_body_size 17179869185g;", 1, "expected a size"),
        END } },
    { "parse_time_overflow", (const struct refused_row[]){
        AT("keepalive_timeout 106751991167301d;", 1, "expected a time"),
        END } },
    { "unknown_directive", (const struct refused_row[]){
        AT("workers 2;\n\n  server_name x;\n", 3, "unknown directive \"server_name\""),
        AT("Workers 2;", 1, "unknown directive \"Workers\""),
        AT("# c\n# c\n# c\nfoo;\n", 4, "unknown directive \"foo\""),
        END } },
    { "missing_semicolon_at_eof", (const struct refused_row[]){
        AT("access_log off;\n# c\nworkers 2\n", 3, "\"workers\" is not terminated by \";\""),
        AT("workers 2", 1, "\"workers\" is not terminated by \";\""),
        AT("workers 2;\nerror_log\n  stderr\n  warn\n\n", 2, "\"error_log\" is not terminated by \";\""),
        AT("workers", 1, "\"workers\" is not terminated by \";\""),
        END } },
    { "missing_semicolon_before_next", (const struct refused_row[]){
        AT("# c\nworkers 2\nlisten 127.0.0.1:1;\n", 2, "\"workers\" is not terminated by \";\""),
        AT("listen 127.0.0.1:1\n\n\naccess_log off;\n", 1, "\"listen\" is not terminated by \";\""),
        AT("workers 2;\naccess_log\n  off\nworkers 3;\n", 2, "\"access_log\" is not terminated by \";\""),
        /* Both on one line: it reads as extra arguments, at the right line. */
        AT("\nworkers 2 access_log off;\n", 2, "\"workers\" takes 1 argument, not 3"),
        END } },
    { "missing_semicolon_before_include", (const struct refused_row[]){
        /* "include" is a directive to the user too: same message as above. */
        AT("workers 2\ninclude other.conf;\n", 1, "\"workers\" is not terminated by \";\""),
        END } },
    { "syntax_errors", (const struct refused_row[]){
        AT("workers 2;\n;\n", 2, "unexpected \";\""),
        AT("workers 2;;", 1, "unexpected \";\""),
        AT("\nhttp {\n}\n", 2, "unexpected \"{\": eider.conf has no blocks"),
        AT("}", 1, "unexpected \"}\""),
        AT("access_log '/tmp/x;", 1, "unterminated ' quote"),
        AT("workers 1;\naccess_log \"/tmp/x;", 2, "unterminated \" quote"),
        END } },
    { "unterminated_quote_line", (const struct refused_row[]){
        /* The error names the line where the quote opens, not the end of
     * the file it ran to. */
        AT("workers 1;\naccess_log \"/tmp/x;\nlisten 127.0.0.1:1;\n\n", 2, "unterminated \" quote"),
        END } },
    { "quote_newlines_count", (const struct refused_row[]){
        /* A quoted string spanning lines still counts them. */
        AT("access_log \"/tmp/a\nb\nc\";\nbogus;\n", 4, "unknown directive \"bogus\""),
        AT("workers 2; # \"not a quote\n\nbogus;\n", 3, "unknown directive \"bogus\""),
        END } },
    { "long_words_and_many_args", (const struct refused_row[]){
        /* At most 15 arguments (then the directive's own count applies). */
        AT("listen a b c d e f g h i j k l m n o;", 1, "\"listen\" takes 1 to 8 arguments, not 15"),
        AT("listen a b c d e f g h i j k l m n o p;", 1, "too many arguments"),
        END } },
    { "error_line_after_setter_error", (const struct refused_row[]){
        AT("workers 1;\n\nlisten\n  127.0.0.1:80\n  bogus;\n", 3, "\"listen\": unknown option"),
        AT("\n\n\n\n\n\n\n\n\nworkers 0;\n", 10, "\"workers\": expected"),
        END } },
    { "include_arg_count", (const struct refused_row[]){
        AT("include;", 1, "\"include\" takes one file name or pattern"),
        AT("\ninclude a.conf b.conf;", 2, "\"include\" takes one file name or pattern"),
        END } },
    { "include_directory_is_an_error", (const struct refused_row[]){
        { FILES("sub/x.conf", "workers 1;\n"), "include sub;\n", NULL, NULL, 1, "Is a directory" },
        END } },
    { "include_error_names_included_file", (const struct refused_row[]){
        { FILES("conf.d/a.conf", "workers 2;\n\nbogus 1;\n"), "access_log off;\ninclude conf.d/a.conf;\n", NULL, "conf.d/a.conf", 3, "unknown directive \"bogus\"" },
        /* Missing ";" at the end of an included file is that file's error. */
        { FILES("a.conf", "\nworkers 2\n"), "include a.conf;\nworkers 3;\n", NULL, "a.conf", 2, "\"workers\" is not terminated by \";\"" },
        /* A directive cannot continue across the end of an included file. */
        { FILES("a.conf", "workers\n"), "include a.conf;\n", NULL, "a.conf", 1, "not terminated" },
        END } },
    { "include_keeps_parent_line_numbers", (const struct refused_row[]){
        { FILES("a.conf", "# one\n# two\n# three\n# four\nworkers 2;\n"), "include a.conf;\n\n\nbogus;\n", NULL, NULL, 4, "unknown directive" },
        END } },
    { "include_duplicate_across_files", (const struct refused_row[]){
        { FILES("a.conf", "workers 2;\n"), "include a.conf;\n\nworkers 3;\n", NULL, NULL, 3, "\"workers\" is duplicate" },
        { FILES("a.conf", "\n\nworkers 2;\n"), "workers 3;\ninclude a.conf;\n", NULL, "a.conf", 3, "\"workers\" is duplicate" },
        /* The same file included twice repeats its directives. */
        { FILES("a.conf", "workers 2;\n"), "include a.conf;\ninclude a.conf;\n", NULL, "a.conf", 1, "is duplicate" },
        END } },
    { "include_loop", (const struct refused_row[]){
        /* A file including itself, and two files including each other, stop
     * at the depth limit with an error. */
        { FILES("self.conf", "include self.conf;\n"), "include self.conf;\n", NULL, "self.conf", 1, "includes nested deeper than 8 (an include loop?)" },
        /* The config including itself. */
        AT("workers 1;\ninclude eider.conf;\n", 1, "is duplicate"),
        AT("include eider.conf;\n", 1, "nested deeper than 8"),
        END } },
    { "extra_after_file", (const struct refused_row[]){
        /* an empty -g adds nothing to an empty file */
        { NULL, "", "", "eider.conf", 1, "the file has no directives" },
        END } },
    { "extra_errors", (const struct refused_row[]){
        { NULL, "", "bogus;", "(command line -g)", 1, "unknown directive \"bogus\"" },
        { NULL, "", "workers 2", "(command line -g)", 1, "\"workers\" is not terminated by \";\"" },
        { NULL, "", "workers 2;\naccess_log off;\nfoo;", "(command line -g)", 3, "unknown directive \"foo\"" },
        /* -g cannot repeat what the file already set. */
        { NULL, "workers 2;\n", "workers 3;", "(command line -g)", 1, "\"workers\" is duplicate" },
        /* The file is read first: its error wins over one in -g. */
        { NULL, "bogus;\n", "also_bogus;", NULL, 1, "unknown directive \"bogus\"" },
        END } },
};

/* Each row of refused[] is a case NAME/N. */
TEST(refused_table)
{
    char name[128];

    for (size_t g = 0; g < sizeof(refused) / sizeof(refused[0]); g++)
        for (int i = 0; refused[g].rows[i].text != NULL; i++) {
            const struct refused_row *w = &refused[g].rows[i];

            CHECKF(fails_at(w->files, w->text, w->extra, w->file, w->line, w->needle),
                   "row %d of %s: see above", i + 1, refused[g].name);
            snprintf(name, sizeof(name), "%s/%d", refused[g].name, i + 1);
            unit_report(name);
        }
}

static int listen_is(const struct eider_listen *l, int family, const char *host, int port)
{
    char buf[INET6_ADDRSTRLEN];
    int got_port;

    if (family == AF_INET) {
        const struct sockaddr_in *sin = (const struct sockaddr_in *)&l->addr;
        if (sin->sin_family != AF_INET || l->addrlen != sizeof(*sin))
            return 0;
        inet_ntop(AF_INET, &sin->sin_addr, buf, sizeof(buf));
        got_port = ntohs(sin->sin_port);
    } else {
        const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)&l->addr;
        if (sin6->sin6_family != AF_INET6 || l->addrlen != sizeof(*sin6))
            return 0;
        inet_ntop(AF_INET6, &sin6->sin6_addr, buf, sizeof(buf));
        got_port = ntohs(sin6->sin6_port);
    }
    if (strcmp(buf, host) != 0 || got_port != port) {
        printf("  listen is %s port %d, expected %s port %d\n", buf, got_port, host, port);
        return 0;
    }
    return 1;
}

static int online_cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

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

/* ------------------------------------------------------------ syntax */

TEST(comments)
{
    struct eider_config *c = cfg_of(
        "# leading comment\n"
        "workers 3; # trailing comment\n"
        "access_log off;# no space before\n"
        "   # indented comment with ; and \"quote\n"
        "error_log # between arguments\n"
        "  stderr   # more\n"
        "  warn;\n"
        "# last line without newline", NULL);

    CHECK(c != NULL);
    if (c) {
        CHECK_INT(c->workers, 3);
        CHECK_STR(c->access_log, "off");
        CHECK_STR(c->error_log, "stderr");
        CHECK_INT(c->error_level, EIDER_LOG_WARN);
    }
    done(c);
}

TEST(quoted_strings)
{
    struct eider_config *c = cfg_of(
        "access_log \"/tmp/a;b#c d.log\";\n"
        "error_log '/tmp/e;#f.log' 'warn';\n"
        "handlers \"h \\\"q\\\" \\\\x\";\n", NULL);

    CHECK(c != NULL);
    if (c) {
        CHECK_STR(c->access_log, "/tmp/a;b#c d.log");
        CHECK_STR(c->error_log, "/tmp/e;#f.log");
        CHECK_INT(c->error_level, EIDER_LOG_WARN);
        CHECK_STR(c->handlers, in_cur("h \"q\" \\x"));
    }
    done(c);

    /* Quoted directive name, and the other quote inside a quote. */
    c = cfg_of("\"workers\" '2';\naccess_log \"/tmp/it's\";\n", NULL);
    CHECK(c != NULL);
    if (c) {
        CHECK_INT(c->workers, 2);
        CHECK_STR(c->access_log, "/tmp/it's");
    }
    done(c);
}

TEST(layout_free_form)
{
    /* Several directives on a line, one directive over several lines,
     * tabs and CRLF line ends. */
    struct eider_config *c = cfg_of(
        "workers 2; access_log off;\r\n"
        "listen\r\n\t127.0.0.1:81\r\n\treuseport\r\n;\r\n"
        "\tclient_max_body_size\t4k ;\r\n", NULL);

    CHECK(c != NULL);
    if (c) {
        CHECK_INT(c->workers, 2);
        CHECK_STR(c->access_log, "off");
        CHECK_INT(c->nlistens, 1);
        if (c->nlistens == 1) {
            CHECK(listen_is(&c->listens[0], AF_INET, "127.0.0.1", 81));
            CHECK_INT(c->listens[0].reuseport, 1);
        }
        CHECK_INT(c->client_max_body_size, 4096);
    }
    done(c);
}

TEST(duplicate_directive)
{
    static const char *const once[] = {
        "workers 2", "handlers h", "error_log stderr", "access_log off",
        "client_max_body_size 1k", "client_max_header_size 1k", "client_header_timeout 1s",
        "keepalive_timeout 1s", "request_timeout 1s",
    };
    char text[256], want[128];

    for (size_t i = 0; i < sizeof(once) / sizeof(once[0]); i++) {
        size_t n = strcspn(once[i], " ");
        snprintf(text, sizeof(text), "%s;\n# between\n%s;\n", once[i], once[i]);
        snprintf(want, sizeof(want), "\"%.*s\" is duplicate", (int)n, once[i]);
        FAILS(text, 3, want);
    }
    /* listen may repeat. */
    struct eider_config *c = cfg_of("listen 127.0.0.1:1;\nlisten 127.0.0.1:2;\n", NULL);
    CHECK_INT(c ? (long long)c->nlistens : -1, 2);
    done(c);
}

TEST(long_words_and_many_args)
{
    char *text = malloc(6000);
    size_t n;

    n = (size_t)snprintf(text, 6000, "handlers ");
    memset(text + n, 'a', 5000);
    snprintf(text + n + 5000, 6000 - n - 5000, ";\n");
    FAILS(text, 1, "word is too long");

    n = (size_t)snprintf(text, 6000, "handlers \"");
    memset(text + n, 'a', 5000);
    snprintf(text + n + 5000, 6000 - n - 5000, "\";\n");
    FAILS(text, 1, "quoted string is too long");
    free(text);

    /* A word of 4095 bytes is fine, 4096 is too long. */
    struct eider_config *c;
    text = malloc(4200);
    n = (size_t)snprintf(text, 4200, "handlers /");
    memset(text + n, 'b', 4094);
    snprintf(text + n + 4094, 4200 - n - 4094, ";\n");
    c = cfg_of(text, NULL);
    CHECK(c != NULL && strlen(c->handlers) == 4095);
    done(c);
    n = (size_t)snprintf(text, 4200, "handlers /");
    memset(text + n, 'b', 4095);
    snprintf(text + n + 4095, 4200 - n - 4095, ";\n");
    FAILS(text, 1, "word is too long");
    free(text);
}

TEST(short_error_buffer)
{
    /* The message is cut to the buffer, never written past it. */
    char *dir = unit_tmpdir();
    char path[PATH_MAX], small[12];
    struct eider_config *c;

    unit_write(dir, "eider.conf", "bogus directive here;\n");
    snprintf(path, sizeof(path), "%s/eider.conf", dir);
    memset(small, 'x', sizeof(small));
    c = eider_config_load(path, NULL, small, sizeof(small));
    CHECK(c == NULL);
    CHECK(memchr(small, '\0', sizeof(small)) != NULL);
    eider_config_free(c);
    unit_rmtree(dir);
}

/* ------------------------------------------------------------ files */

TEST(config_file_missing)
{
    char *dir = unit_tmpdir();
    char path[PATH_MAX];
    struct eider_config *c;

    snprintf(path, sizeof(path), "%s/nope.conf", dir);
    err[0] = '\0';
    c = eider_config_load(path, NULL, err, sizeof(err));
    CHECK(c == NULL);
    CHECK_CONTAINS(err, "cannot read");
    CHECK_CONTAINS(err, path);
    CHECK_CONTAINS(err, "No such file");
    CHECK(strncmp(err, "(command line)", 14) != 0);
    eider_config_free(c);
    unit_rmtree(dir);
}

TEST(config_file_is_directory)
{
    /* A directory is neither a config file nor an include: the error
     * says so (read_file must not size a directory with ftell, which
     * gives LONG_MAX and a malloc of 2^63 bytes: "Cannot allocate
     * memory", and a valgrind error). */
    char *dir = unit_tmpdir();
    struct eider_config *c;

    unit_mkdirs(dir, "sub", 0);
    err[0] = '\0';
    c = eider_config_load(dir, NULL, err, sizeof(err));
    CHECK(c == NULL);
    CHECK_CONTAINS(err, "cannot read");
    CHECK_CONTAINS(err, "Is a directory");
    eider_config_free(c);
    unit_rmtree(dir);
}

/* ------------------------------------------------------------ include */

TEST(include_relative)
{
    struct eider_config *c;

    cur = unit_tmpdir();
    unit_write(cur, "conf.d/a.conf", "workers 3;\nhandlers h;\n");
    c = load(cur, "include conf.d/a.conf;\naccess_log off;\n", NULL);
    CHECK(c != NULL);
    if (c) {
        CHECK_INT(c->workers, 3);
        CHECK_STR(c->access_log, "off");
        /* A path in an included file resolves against that file's dir. */
        CHECK_STR(c->handlers, in_cur("conf.d/h"));
    } else {
        printf("  %s\n", err);
    }
    done(c);
}

TEST(include_relative_to_including_file)
{
    /* conf.d/a.conf says "include b.conf": that is conf.d/b.conf, not the
     * b.conf next to eider.conf (which would fail). */
    struct eider_config *c;

    cur = unit_tmpdir();
    unit_write(cur, "conf.d/a.conf", "include b.conf;\n");
    unit_write(cur, "conf.d/b.conf", "workers 5;\n");
    unit_write(cur, "b.conf", "bogus;\n");
    c = load(cur, "include conf.d/a.conf;\n", NULL);
    CHECK(c != NULL);
    CHECK_INT(c ? c->workers : -1, 5);
    if (c == NULL)
        printf("  %s\n", err);
    done(c);
}

TEST(include_absolute)
{
    struct eider_config *c;
    char text[PATH_MAX + 32];

    cur = unit_tmpdir();
    unit_write(cur, "elsewhere/x.conf", "workers 6;\n");
    snprintf(text, sizeof(text), "include %s/elsewhere/x.conf;\n", cur);
    c = load(cur, text, NULL);
    CHECK_INT(c ? c->workers : -1, 6);
    done(c);
}

TEST(include_glob_in_order)
{
    struct eider_config *c;

    cur = unit_tmpdir();
    unit_write(cur, "conf.d/20-b.conf", "listen 127.0.0.1:2;\n");
    unit_write(cur, "conf.d/10-a.conf", "listen 127.0.0.1:1;\n");
    unit_write(cur, "conf.d/30-c.conf", "listen 127.0.0.1:3;\n");
    unit_write(cur, "conf.d/readme.txt", "not a config;\n");
    c = load(cur, "include conf.d/*.conf;\nlisten 127.0.0.1:4;\n", NULL);
    CHECK(c != NULL);
    if (c) {
        CHECK_INT(c->nlistens, 4);
        for (size_t i = 0; i < c->nlistens && i < 4; i++)
            CHECK(listen_is(&c->listens[i], AF_INET, "127.0.0.1", (int)i + 1));
    } else {
        printf("  %s\n", err);
    }
    done(c);
}

TEST(include_glob_no_match_is_fine)
{
    struct eider_config *c;

    cur = unit_tmpdir();
    c = load(cur, "include conf.d/*.conf;\ninclude none-?.conf;\nworkers 2;\n", NULL);
    CHECK_INT(c ? c->workers : -1, 2);
    if (c == NULL)
        printf("  %s\n", err);
    done(c);
}

TEST(include_missing_file)
{
    char *dir = unit_tmpdir();
    char want[PATH_MAX + 64];
    struct eider_config *c;

    c = load(dir, "workers 2;\n\ninclude missing.conf;\n", NULL);
    CHECK(c == NULL);
    snprintf(want, sizeof(want), "%s/eider.conf:3: include \"%s/missing.conf\": No such file or directory",
             dir, dir);
    CHECK_STR(err, want);
    eider_config_free(c);
    unit_rmtree(dir);
}

TEST(include_loop_between_two_files)
{
    /* Two files including each other stop at the depth limit too. */
    char *dir = unit_tmpdir();
    struct eider_config *c;

    unit_write(dir, "a.conf", "include b.conf;\n");
    unit_write(dir, "b.conf", "\ninclude a.conf;\n");
    c = load(dir, "include a.conf;\n", NULL);
    CHECK(c == NULL);
    CHECK_CONTAINS(err, "nested deeper than 8");
    eider_config_free(c);
    unit_rmtree(dir);
}

/* A chain eider.conf -> i1.conf -> ... -> iN.conf, iN sets workers 7. */
static struct eider_config *chain(int n)
{
    char name[32], text[64];

    cur = unit_tmpdir();
    for (int i = 1; i <= n; i++) {
        snprintf(name, sizeof(name), "i%d.conf", i);
        if (i < n)
            snprintf(text, sizeof(text), "include i%d.conf;\n", i + 1);
        else
            snprintf(text, sizeof(text), "workers 7;\n");
        unit_write(cur, name, text);
    }
    return load(cur, "include i1.conf;\n", NULL);
}

TEST(include_depth_limit)
{
    struct eider_config *c = chain(8);         /* 8 levels of include: fine */

    CHECK_INT(c ? c->workers : -1, 7);
    if (c == NULL)
        printf("  %s\n", err);
    done(c);

    c = chain(9);                              /* 9: one too deep */
    CHECK(c == NULL);
    CHECK_CONTAINS(err, "i8.conf:1: includes nested deeper than 8");
    done(c);
}

TEST(include_dir_with_glob_chars)
{
    /* A literal include next to a config whose directory name holds
     * glob characters ("conf[1]") must still find the file. */
    struct eider_config *c;
    char path[PATH_MAX];

    cur = unit_tmpdir();
    unit_write(cur, "conf[1]/eider.conf", "include extra.conf;\n");
    unit_write(cur, "conf[1]/extra.conf", "workers 4;\n");
    snprintf(path, sizeof(path), "%s/conf[1]/eider.conf", cur);
    err[0] = '\0';
    c = eider_config_load(path, NULL, err, sizeof(err));
    CHECK(c != NULL);
    if (c == NULL)
        printf("  %s\n", err);
    CHECK_INT(c ? c->workers : -1, 4);
    done(c);
}

/* ------------------------------------------------------------ -g */

TEST(extra_after_file)
{
    struct eider_config *c = cfg_of("listen 127.0.0.1:1;\naccess_log off;\n",
                                    "workers 2; listen 127.0.0.1:2;");

    CHECK(c != NULL);
    if (c) {
        CHECK_INT(c->workers, 2);
        CHECK_STR(c->access_log, "off");
        CHECK_INT(c->nlistens, 2);
        if (c->nlistens == 2) {
            CHECK(listen_is(&c->listens[0], AF_INET, "127.0.0.1", 1));   /* file first */
            CHECK(listen_is(&c->listens[1], AF_INET, "127.0.0.1", 2));
        }
    }
    done(c);
}

TEST(extra_paths_relative_to_config_dir)
{
    struct eider_config *c;

    cur = unit_tmpdir();
    unit_write(cur, "etc/eider.conf", "");
    err[0] = '\0';
    c = eider_config_load(in_cur("etc/eider.conf"), "handlers api; include more.conf;",
                          err, sizeof(err));
    CHECK(c == NULL);   /* more.conf does not exist yet */
    eider_config_free(c);
    unit_write(cur, "etc/more.conf", "workers 9;\n");
    c = eider_config_load(in_cur("etc/eider.conf"), "handlers api; include more.conf;",
                          err, sizeof(err));
    CHECK(c != NULL);
    if (c) {
        CHECK_STR(c->handlers, in_cur("etc/api"));
        CHECK_INT(c->workers, 9);
    } else {
        printf("  %s\n", err);
    }
    done(c);
}

TEST(extra_without_file)
{
    char cwd[PATH_MAX];
    struct eider_config *c;

    CHECK(getcwd(cwd, sizeof(cwd)) != NULL);
    c = eider_config_load(NULL, "workers 1; listen 127.0.0.1:9000; handlers h;", err, sizeof(err));
    CHECK(c != NULL);
    if (c) {
        char want[PATH_MAX + 8];
        CHECK_INT(c->workers, 1);
        CHECK_INT(c->nlistens, 1);
        snprintf(want, sizeof(want), "%s/h", cwd);
        CHECK_STR(c->handlers, want);
    }
    eider_config_free(c);

    c = eider_config_load(NULL, "workers 0;", err, sizeof(err));
    CHECK(c == NULL);
    CHECK_CONTAINS(err, "(command line -g):1: \"workers\": expected");
    eider_config_free(c);
}

UNIT_MAIN(refused_table, defaults_empty_file_with_g, defaults_comments_only_with_g,
          defaults_no_file, relative_config_path, default_handlers_next_to_config,
          default_listen_only_without_listen, defaults_are_not_duplicates, listen_good,
          listen_bad_address, listen_bad_options, listen_parse_addr_api, workers_good,
          workers_bad, handlers_paths, error_log_good, access_log_good, sizes_good, sizes_bad,
          parse_size_api, parse_size_overflow, times_good, times_bad, parse_time_api,
          parse_time_overflow, comments, quoted_strings, layout_free_form, duplicate_directive,
          long_words_and_many_args, short_error_buffer, config_file_missing,
          config_file_is_directory, include_relative, include_relative_to_including_file,
          include_absolute, include_glob_in_order, include_glob_no_match_is_fine,
          include_missing_file, include_loop_between_two_files, include_depth_limit,
          include_dir_with_glob_chars, extra_after_file, extra_paths_relative_to_config_dir,
          extra_without_file)
