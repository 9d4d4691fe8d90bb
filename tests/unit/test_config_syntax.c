/*
 * Unit tests for framework/config.c's reading of config text: the table of
 * refused configs (each with the FILE:LINE and message it must fail with),
 * comments, quoting, layout, duplicates, files, include and -g text.
 * Every test writes its config files into a fresh /tmp directory.
 */
#include "config_test.h"

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


UNIT_MAIN(refused_table, comments, quoted_strings, layout_free_form,
          duplicate_directive, long_words_and_many_args, short_error_buffer, config_file_missing,
          config_file_is_directory, include_relative, include_relative_to_including_file, include_absolute,
          include_glob_in_order, include_glob_no_match_is_fine, include_missing_file, include_loop_between_two_files,
          include_depth_limit, include_dir_with_glob_chars, extra_after_file, extra_paths_relative_to_config_dir,
          extra_without_file)
