// date-fns: pure functions over Dates (UTC inputs, formats without local time).
var fns = require('date-fns');
module.exports = function (req, res) {
    var a = new Date(Date.UTC(2020, 0, 31, 12)), b = new Date(Date.UTC(2020, 2, 1, 12));
    var out = {
        addMonths: fns.addMonths(a, 1).toISOString(), diffDays: fns.differenceInCalendarDays(b, a),
        isLeap: fns.isLeapYear(a), isValid: [fns.isValid(a), fns.isValid(new Date('x'))],
        parseISO: fns.parseISO('2021-06-15T10:20:30Z').toISOString(),
        formatISO: fns.formatISO(a, { representation: 'date' }).length,
        max: fns.max([a, b]).toISOString(), compare: [a, b].sort(fns.compareDesc).map(function (d) { return d.getTime(); }),
        interval: fns.eachDayOfInterval({ start: a, end: fns.addDays(a, 2) }).length,
        duration: fns.formatDuration({ years: 1, days: 3, minutes: 5 }),
        distance: fns.formatDistanceStrict(a, b), weekday: fns.getISODay(a)
    };
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(out));
};
