/*
 * eider.conf: nginx-like syntax ("directive args;", "#" comments,
 * "include FILE;"), directives described by a table in config.c.
 */
#ifndef EIDER_CONFIG_H
#define EIDER_CONFIG_H

#include <stddef.h>
#include <sys/socket.h>

#include "proxy.h"

struct eider_listen {
    char *text;                   /* as written, for messages */
    struct sockaddr_storage addr;
    socklen_t addrlen;
    int reuseport;                /* one socket per worker (SO_REUSEPORT) */
    int ssl;                      /* TLS on this listener */
    int proxy_protocol;           /* connections start with a PROXY v1/v2 header */
    int backlog;
    /* unix: sockets: file mode and owner set by the master; -1: leave */
    int mode;
    long owner, group;
    char *access_log;             /* access_log=: "off", "stdout", "stderr" or a
                                   * path; NULL: the global access_log */
    char *status_path;            /* status_path=: a path, or "off"; NULL: the
                                   * global status_path */
    char *where;                  /* "FILE:LINE" of this listen; NULL: the default */
};

/* shared_dict NAME SIZE; (shdict.h) */
struct eider_shdict_conf {
    char *name;                   /* a JavaScript identifier */
    size_t size;                  /* bytes of shared memory */
};

struct eider_config {
    char *file;                   /* NULL for the embedded default */
    char *extra;                  /* the -g text, kept for reloads */
    char *dir;                    /* relative paths resolve against this */
    char *at;                     /* while parsing: "FILE:LINE" of the directive
                                   * being applied; NULL for a default */
    char **where;                 /* per row of the directive table: "FILE:LINE"
                                   * that last set it; NULL: its default */

    struct eider_listen *listens;
    size_t nlistens;
    int workers;                  /* resolved: "auto" becomes the core count */
    char *handlers;               /* absolute path */
    char *error_log;
    int error_level;
    char *access_log;             /* "off", "stdout", "stderr" or a path */
    size_t client_max_body_size;
    size_t client_max_header_size;
    int client_header_timeout;    /* seconds */
    int client_body_timeout;      /* seconds between body reads */
    int proxy_protocol_timeout;   /* seconds to send the PROXY header */
    int keepalive_requests;       /* per connection; 0: no limit */
    int worker_connections;       /* open connections per worker */
    int keepalive_timeout;
    int request_timeout;
    int worker_shutdown_timeout;
    int js_time_limit;            /* seconds one entry into JS may run */
    int daemon;
    int watch;                    /* reload on changes under handlers; errors in 500 bodies */
    char *pid_file;               /* NULL: none */
    char *user;                   /* NULL: unchanged, or nobody when root */
    char *group;                  /* NULL: the user's group */
    char **env;                   /* names passed to process.env */
    size_t nenv;
    char **fs_roots;              /* realpath'd dirs require('fs') may read */
    size_t nfs_roots;
    char *fetch_ca_file;          /* extra trusted CAs for fetch(), or NULL */
    char **resolvers;             /* resolver: nameservers (IP[:port]); none: resolv.conf's */
    size_t nresolvers;
    struct eider_cidrs trusted;   /* trusted_proxies */
    char *ssl_certificate;        /* PEM chain: certificate, then intermediates */
    char *ssl_certificate_key;
    char *ssl_ciphers;            /* OpenSSL cipher list for TLS 1.2 */
    char *status_path;            /* NULL: no status endpoint */
    struct eider_cidrs status_allow;
    int fetch_timeout;            /* seconds, default for fetch() */
    size_t fetch_max_response_size;
    size_t js_memory_limit;       /* bytes of JS heap per worker; 0: none */
    char *js_cache;               /* lowered files: a directory, "auto" or "off" */
    int worker_stuck_timeout;     /* seconds in one run of JS before the master kills; 0: off */
    int worker_max_requests;      /* recycle a worker after about this many; 0: off */
    size_t worker_max_rss;        /* recycle a worker whose RSS passes this; 0: off */
    struct eider_shdict_conf *shdicts;   /* shared_dict, in order */
    size_t nshdicts;
    char **pg_databases;          /* pg_database: name, conninfo, max ("" default) each */
    size_t npg_databases;         /* strings in pg_databases: 3 per database */
    int send_timeout;             /* seconds a client may take none of an answer */
    size_t worker_max_send_buffer; /* answer bytes a worker holds for slow clients; 0: off */
    char *redis_url;              /* createClient()'s default server, or NULL */
    int redis_timeout;            /* seconds a Redis command may wait for its reply; 0: none */
};

/* Builds a config from FILE (NULL = embedded default) followed by the
 * directives in EXTRA (the -g text, may be NULL). Returns a config the
 * caller frees with eider_config_free(), or NULL after writing
 * "FILE:LINE: problem" into err. */
struct eider_config *eider_config_load(const char *file, const char *extra,
                                       char *err, size_t errlen);
/* Frees CFG and everything it holds; NULL is fine. */
void eider_config_free(struct eider_config *cfg);

/* Where DIRECTIVE was set: "FILE:LINE", or NULL when it has its default
 * (or is unknown). The string belongs to CFG. */
const char *eider_config_where(const struct eider_config *cfg, const char *directive);

/* Prefixes the message in ERR with where it comes from, so every config
 * error names file:line: "WHERE: " if WHERE ("FILE:LINE") is not NULL;
 * else, DIRECTIVE having its default, the config file ("FILE: no
 * "DIRECTIVE" directive, so its default applies: "), or the embedded
 * default when there is no file. */
void eider_config_blame(const struct eider_config *cfg, const char *where, const char *directive,
                        char *err, size_t errlen);

/* Value parsers shared with the tests: return 0, or -1 if malformed. */
int eider_parse_size(const char *s, size_t *out);
int eider_parse_time(const char *s, int *seconds);
int eider_parse_listen_addr(const char *s, struct sockaddr_storage *ss, socklen_t *len);

#endif
