// Plain ES5: answering later, from a timer and from a Promise chain.
module.exports = function (req, res) {
    var steps = [];
    steps.push('sync');
    Promise.resolve(1).then(function (v) {
        steps.push('then ' + v);
        return new Promise(function (resolve) { setTimeout(function () { resolve(2); }, 20); });
    }).then(function (v) {
        steps.push('timer ' + v);
        setTimeout(function () {
            steps.push('done');
            res.setHeader('Content-Type', 'application/json');
            res.end(JSON.stringify(steps));
        }, 5);
    });
    steps.push('returned');
};
