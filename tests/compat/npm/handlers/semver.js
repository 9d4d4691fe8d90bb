// semver: comparisons, ranges, sorting, coercion, increments.
var semver = require('semver');
module.exports = function (req, res) {
    var versions = ['1.2.3', '1.10.0', '1.2.10', '2.0.0-beta.1', '2.0.0', '0.9.9'];
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({
        sorted: versions.slice().sort(semver.compare), rsorted: semver.rsort(versions.slice()),
        satisfies: [semver.satisfies('1.5.0', '^1.2.0'), semver.satisfies('2.0.0-beta.1', '>=1'), semver.satisfies('1.2.3', '~1.2.0 || >3')],
        maxSatisfying: semver.maxSatisfying(versions, '1.x'), valid: [semver.valid('v1.2.3'), semver.valid('1.2')],
        coerce: String(semver.coerce('version 3.4 beta')), inc: [semver.inc('1.2.3', 'minor'), semver.inc('1.2.3', 'prerelease', 'rc')],
        diff: semver.diff('1.2.3', '2.0.0'), parsed: semver.parse('1.2.3-alpha.1+build').prerelease,
        gt: semver.gt('1.10.0', '1.9.9'), range: new semver.Range('>=1.2.3 <2.0.0').range
    }));
};
