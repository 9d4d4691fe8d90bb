// util.promisify of callback-style functions (success, error, several
// results via a custom symbol), util.callbackify, util.inherits and
// util.isDeepStrictEqual.
const util = require('util');

function later(value, fail, cb) {
    setTimeout(() => (fail ? cb(new Error('failed: ' + value)) : cb(null, value * 2)), 2);
}
function twoResults(cb) { cb(null, 'a', 'b'); }
twoResults[util.promisify.custom] = () => Promise.resolve(['a', 'b']);

function Animal(name) { this.name = name; }
Animal.prototype.speak = function () { return this.name + ' makes a sound'; };
function Dog(name) { Animal.call(this, name); }
util.inherits(Dog, Animal);

module.exports = async function (req, res) {
    const laterP = util.promisify(later);
    const doubled = await laterP(21, false);
    const err = await laterP(1, true).catch(e => e.message);
    const custom = await util.promisify(twoResults)();
    const cbResult = await new Promise(resolve =>
        util.callbackify(async x => x + 1)(41, (e, v) => resolve([e, v])));
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({
        doubled, err, custom, cbResult,
        dog: new Dog('rex').speak(), super: Dog.super_ === Animal, isAnimal: new Dog('a') instanceof Animal,
        deep: [util.isDeepStrictEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }),
               util.isDeepStrictEqual({ a: 1 }, { a: '1' }), util.isDeepStrictEqual([1, 2], [1, 2, 3])],
    }));
};
