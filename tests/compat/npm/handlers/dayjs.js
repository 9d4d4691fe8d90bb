// dayjs with its utc and relativeTime-free plugins: parse, add, diff, format in UTC.
var dayjs = require('dayjs');
var utc = require('dayjs/plugin/utc');
var customParseFormat = require('dayjs/plugin/customParseFormat');
dayjs.extend(utc);
dayjs.extend(customParseFormat);
module.exports = function (req, res) {
    var d = dayjs.utc('2020-02-28T22:30:00Z');
    var out = {
        iso: d.toISOString(), plus: d.add(1, 'day').add(2, 'hour').format('YYYY-MM-DD HH:mm'),
        startOf: d.startOf('month').format(), endOf: d.endOf('year').toISOString(),
        diff: dayjs.utc('2021-01-01').diff(d, 'day'), leap: d.add(1, 'day').date(),
        custom: dayjs.utc('05/03/2021 14:07', 'DD/MM/YYYY HH:mm').toISOString(),
        valid: [dayjs('2020-13-45', 'YYYY-MM-DD', true).isValid(), d.isValid()],
        before: d.isBefore(dayjs.utc('2021-01-01')), unix: d.unix(), day: d.format('dddd MMM D')
    };
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(out));
};
