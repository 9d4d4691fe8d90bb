// ES module imports of Node core modules: a default import, a named import
// from a node: specifier, and a renamed one.
import path from 'path';
import { join, basename as base } from 'node:path';
import { format } from 'util';

export function GET(req, res) {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({
        joined: join('/srv', 'app', '..', 'data', 'file.txt'),
        base: base('/a/b/c.tar.gz', '.gz'),
        ext: path.extname('index.html'),
        same: path.join === join,
        formatted: format('%s=%d', 'n', 42),
    }));
}
