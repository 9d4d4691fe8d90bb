// process members packages read: version(s), argv, cwd(), hrtime(),
// memoryUsage(), uptime(), platform, env, nextTick; checked by type and
// shape, since the values differ between any two processes.
module.exports = function (req, res) {
    const t = process.hrtime();
    const d = process.hrtime(t);
    const mem = process.memoryUsage();
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({
        version: /^v\d+\.\d+\.\d+/.test(process.version), versions: typeof process.versions,
        argv: Array.isArray(process.argv), cwd: typeof process.cwd(), platform: process.platform,
        hrtime: [Array.isArray(t), t.length, d[0] >= 0 && d[1] >= 0],
        memory: [typeof mem.rss, typeof mem.heapUsed], uptime: process.uptime() >= 0,
        env: typeof process.env, pid: Number.isInteger(process.pid), nextTick: typeof process.nextTick,
        globalThis: globalThis === global && typeof globalThis.setTimeout,
    }));
};
