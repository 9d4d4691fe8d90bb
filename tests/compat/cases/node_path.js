// require('path'): the POSIX functions a handler uses to build file paths.
const path = require('path');

module.exports = function (req, res) {
    const out = {
        join: [path.join('/a/b', '../c', './d.txt'), path.join('a', '', 'b/'), path.join()],
        resolve: [path.resolve('/srv', 'www', '../data'), path.resolve('/x', '/y', 'z')],
        normalize: [path.normalize('/a//b/../c/.'), path.normalize('./x/../../y'), path.normalize('')],
        basename: [path.basename('/tmp/file.tar.gz'), path.basename('/tmp/file.tar.gz', '.gz'), path.basename('/tmp/dir/')],
        dirname: [path.dirname('/a/b/c'), path.dirname('file'), path.dirname('/')],
        extname: [path.extname('a.b.c'), path.extname('.bashrc'), path.extname('noext'), path.extname('x.')],
        relative: [path.relative('/data/a/b', '/data/c'), path.relative('/a', '/a')],
        parse: path.parse('/home/user/docs/report.final.pdf'),
        format: path.format({ dir: '/etc', name: 'hosts', ext: '.bak' }),
        isAbsolute: [path.isAbsolute('/x'), path.isAbsolute('x/y')],
        sep: path.sep, delimiter: path.delimiter, posix: path.posix.join('a', 'b'),
        same: path.posix === path || path.posix.join === path.join,
    };
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(out));
};
