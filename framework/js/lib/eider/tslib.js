// The helpers lowered code calls (framework/js/lower.js, noEmitHelpers):
// tslib's, which it defines on the global object when it loads, with
// eider's corrections on top. js_module.c loads this module, not tslib,
// the first time lowered code reads one of them, so that a correction
// cannot be overwritten by tslib loading later.
'use strict';

require('tslib');

// The template object a tagged template's tag gets: TypeScript's ES5
// output calls __makeTemplateObject(["a", "b"], ["a", "b"]) for it.
// tslib leaves both arrays mutable; ECMAScript freezes them (a tag may
// keep the strings array as a cache key, knowing nobody can change it).
function makeTemplateObject(cooked, raw) {
  Object.defineProperty(cooked, 'raw', { value: Object.freeze(raw) });
  return Object.freeze(cooked);
}

global.__makeTemplateObject = makeTemplateObject;

// A generator object, as Object.prototype.toString names it: tslib's is
// a plain object; V8's inherits Symbol.toStringTag "Generator".
var tslibGenerator = global.__generator, toStringTag = Symbol.toStringTag;

function generator(thisArg, body) {
    var g = tslibGenerator(thisArg, body);
    g[toStringTag] = 'Generator';
    return g;
}

global.__generator = generator;

// super.x read in a class method or getter (framework/js/lower.js,
// superReads): the property KEY as found from HOME (the parent's
// prototype, or the parent itself in a static member) up its prototype
// chain, a getter run with RECEIVER as this, as the language reads it.
// Duktape's Reflect.get has no receiver argument; __lookupGetter__ finds
// the getter, if the first KEY up the chain is one, without the object
// getOwnPropertyDescriptor would make per level.
var lookupGetter = Object.prototype.__lookupGetter__;

function superGet(home, key, receiver) {
    var getter = lookupGetter.call(home, key);
    return getter !== undefined ? getter.call(receiver) : home[key];
}

global.__eiderSuperGet = superGet;

// super.x = value in an object literal's method (framework/js/lower.js,
// objectLiterals): a setter found for KEY from HOME up runs with RECEIVER as
// this; otherwise the value lands on RECEIVER, as its own data property,
// not on HOME. Returns VALUE, the assignment's value.
var lookupSetter = Object.prototype.__lookupSetter__;

function superSet(home, key, value, receiver) {
    var setter = lookupSetter.call(home, key);
    if (setter !== undefined) setter.call(receiver, value);
    else if (Object.prototype.hasOwnProperty.call(receiver, key)) receiver[key] = value;
    else Object.defineProperty(receiver, key, { value: value, writable: true, enumerable: true, configurable: true });
    return value;
}

global.__eiderSuperSet = superSet;

// An object literal with `__proto__: PROTO` (framework/js/lower.js,
// objectLiterals), made without it: OBJECT gets PROTO as its prototype
// when PROTO is an object or null, and is returned.
function withProto(proto, object) {
    if (proto === null || typeof proto === 'object' || typeof proto === 'function') {
        Object.setPrototypeOf(object, proto);
    }
    return object;
}

global.__eiderWithProto = withProto;

// The arguments object ARGS made iterable, as the language makes every
// one (an own, non-enumerable [Symbol.iterator], Array.prototype.values),
// for a function that hands it on whole (framework/js/lower.js,
// iterableArguments).
var arrayValues = Array.prototype[Symbol.iterator], iteratorKey = { value: arrayValues, writable: true,
    configurable: true };

function iterableArguments(args) {
    Object.defineProperty(args, Symbol.iterator, iteratorKey);
}

global.__eiderIterableArguments = iterableArguments;

// The parent's part of constructing a class that extends a built-in such
// as Array or Date (framework/js/lower.js, constructBuiltin): PARENT
// called with new and ARGS (an array or an arguments object), its result
// given the prototype of SELF, the instance `this` was made as, so that
// it is an instance of the class with the built-in's own behaviour.
var bind = Function.prototype.bind;

function constructBuiltin(parent, args, self) {
    var made = new (bind.apply(parent, [null].concat(Array.prototype.slice.call(args))))();
    Object.setPrototypeOf(made, Object.getPrototypeOf(self));
    return made;
}

global.__eiderConstructBuiltin = constructBuiltin;

// The length of FN, a function with default parameters, is N: the
// parameters before the first default (framework/js/lower.js,
// functionsAfter). Returns FN.
function setLength(fn, n) {
    return Object.defineProperty(fn, 'length', { value: n });
}

global.__eiderLength = setLength;

// A read of the let, const or class NAME before its declaration, in the
// same function (framework/js/lower.js, constGuard): V8's ReferenceError.
function tdz(name) {
    throw new ReferenceError("Cannot access '" + name + "' before initialization");
}

global.__eiderTDZ = tdz;
