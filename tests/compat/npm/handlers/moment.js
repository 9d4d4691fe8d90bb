// moment in UTC mode: parse, manipulate, format, durations, validity.
var moment = require('moment');
module.exports = function (req, res) {
    var m = moment.utc('2019-12-31T23:00:00Z');
    var out = {
        format: m.format('dddd, MMMM Do YYYY, HH:mm:ss'), add: m.clone().add(2, 'hours').toISOString(),
        startOf: m.clone().startOf('week').format('YYYY-MM-DD'), diff: moment.utc('2020-03-01').diff(m, 'days'),
        duration: moment.duration(90061, 'seconds').humanize(), durParts: moment.duration('P1DT2H').asHours(),
        strict: moment.utc('31/02/2020', 'DD/MM/YYYY', true).isValid(), parsed: moment.utc('15.06.2021 10:20', 'DD.MM.YYYY HH:mm').toISOString(),
        from: m.from(moment.utc('2020-01-03T23:00:00Z')), unix: m.unix(), isLeap: moment.utc('2020-01-01').isLeapYear(),
        version: moment.version
    };
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(out));
};
