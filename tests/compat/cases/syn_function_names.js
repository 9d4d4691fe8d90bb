// Methods as the language makes them: an object literal's and a class's
// methods have their names and cannot be constructed; a function
// expression declared at the top level takes the variable's name; arrows
// and methods named with a reserved word (an API object's delete, new,
// default; let and static, reserved in strict code) or get/set load and
// run.
'use strict';
const api = {
    delete: (id) => `deleted ${id}`,
    default: () => 'default',
    new: () => 'new',
    get: (k) => `get ${k}`,
    set: (k, v) => `set ${k}=${v}`,
    from: () => 'from',
    list() { return 'list'; },
    *ids() { yield 1; yield 2; },
    async load() { return 'loaded'; },
    return() { return 'return'; },
    let() { return 'let'; },
    static: () => 'static',
    old: function () { return 'old'; },
};
class Store {
    find() { return 'find'; }
    delete() { return 'store delete'; }
    static create() { return new Store(); }
    *keys() { yield 'k'; }
}
const handlerFn = function () { return 'fn'; };
const recursive = function (n) { return n <= 0 ? 0 : n + recursive(n - 1); };

function constructs(F) {
    try { new F(); return 'constructed'; } catch (e) { return e.constructor.name; }
}

module.exports = async function (req, res) {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({
        calls: [api.delete(7), api.default(), api.new(), api.get('a'), api.set('a', 1), api.from(), api.list(),
            [...api.ids()], await api.load(), api.return(), api.let(), api.static(), api.old(), new Store().find(), Store.create().delete(),
            [...new Store().keys()], handlerFn(), recursive(3)],
        names: [api.from.name, api.list.name, api.ids.name,
            api.load.name, Store.prototype.find.name, Store.create.name, Store.prototype.keys.name, handlerFn.name],
        construct: [constructs(api.list), constructs(Store.prototype.find), constructs(api.from), constructs(api.old)],
        prototype: ['prototype' in api.list, 'prototype' in Store.prototype.find, 'prototype' in api.old],
    }));
};
