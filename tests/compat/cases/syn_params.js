// Default, rest and spread: defaults that use earlier parameters, rest
// after positional ones, spread of arrays, strings and Sets into calls and
// arrays, and function length.
function greet(name = 'world', greeting = `hello ${name}`) { return greeting; }
function sum(first, ...rest) { return first + rest.reduce((a, b) => a + b, 0); }
function count() { return arguments.length; }
const maxOf = (...nums) => Math.max(...nums);

module.exports = function (req, res) {
    const nums = [5, 1, 9];
    const out = {
        greet: [greet(), greet('ada'), greet(undefined, 'hi'), greet(null)],
        sum: [sum(1), sum(1, 2, 3), sum(...nums, 10)],
        max: maxOf(...nums, ...[20]),
        spreadArray: [0, ...nums, ...'ab', ...new Set([1, 1, 2])],
        count: count(...[1, 2], 3, ...[]),
        lengths: [greet.length, sum.length, maxOf.length],
        copy: (() => { const c = [...nums]; c.push(0); return [nums.length, c.length]; })(),
        newWithSpread: new Date(...[2020, 0, 2]).getDate(),
    };
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(out));
};
