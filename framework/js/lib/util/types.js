/*
 * require('util/types') (also util.types): type checks.  Those about what
 * Duktape does not have (Proxy detection, generators, async functions,
 * BigInt arrays, SharedArrayBuffer) return false.
 */
'use strict';

var toStr = Object.prototype.toString;

function tagOf(value) {
  return toStr.call(value).slice(8, -1);
}

function isObjectLike(v) {
  return v !== null && typeof v === 'object';
}

function isTypedArray(v) {
  return ArrayBuffer.isView(v) && !(v instanceof DataView);
}

function isBoxed(v, tag) {
  return isObjectLike(v) && tagOf(v) === tag && !(v instanceof Date) && !isTypedArray(v);
}

module.exports = {
  isDate: function isDate(v) { return isObjectLike(v) && tagOf(v) === 'Date'; },
  isRegExp: function isRegExp(v) { return isObjectLike(v) && tagOf(v) === 'RegExp'; },
  isPromise: function isPromise(v) { return v instanceof Promise; },
  isMap: function isMap(v) { return v instanceof Map; },
  isSet: function isSet(v) { return v instanceof Set; },
  isWeakMap: function isWeakMap(v) { return v instanceof WeakMap; },
  isWeakSet: function isWeakSet(v) { return v instanceof WeakSet; },
  isTypedArray: isTypedArray,
  isUint8Array: function isUint8Array(v) { return v instanceof Uint8Array; },
  isUint8ClampedArray: function (v) { return v instanceof Uint8ClampedArray; },
  isUint16Array: function (v) { return v instanceof Uint16Array; },
  isUint32Array: function (v) { return v instanceof Uint32Array; },
  isInt8Array: function (v) { return v instanceof Int8Array; },
  isInt16Array: function (v) { return v instanceof Int16Array; },
  isInt32Array: function (v) { return v instanceof Int32Array; },
  isFloat32Array: function (v) { return v instanceof Float32Array; },
  isFloat64Array: function (v) { return v instanceof Float64Array; },
  isBigInt64Array: function () { return false; },
  isBigUint64Array: function () { return false; },
  isArrayBuffer: function isArrayBuffer(v) { return v instanceof ArrayBuffer; },
  isAnyArrayBuffer: function isAnyArrayBuffer(v) { return v instanceof ArrayBuffer; },
  isSharedArrayBuffer: function () { return false; },
  isArrayBufferView: function isArrayBufferView(v) { return ArrayBuffer.isView(v); },
  isDataView: function isDataView(v) { return v instanceof DataView; },
  isNativeError: function isNativeError(v) { return isObjectLike(v) && tagOf(v) === 'Error'; },
  isNumberObject: function isNumberObject(v) { return isBoxed(v, 'Number'); },
  isStringObject: function isStringObject(v) { return isBoxed(v, 'String'); },
  isBooleanObject: function isBooleanObject(v) { return isBoxed(v, 'Boolean'); },
  isSymbolObject: function isSymbolObject(v) { return isBoxed(v, 'Symbol'); },
  isBigIntObject: function () { return false; },
  isBoxedPrimitive: function isBoxedPrimitive(v) {
    return isBoxed(v, 'Number') || isBoxed(v, 'String') || isBoxed(v, 'Boolean') || isBoxed(v, 'Symbol');
  },
  isArgumentsObject: function isArgumentsObject(v) { return isObjectLike(v) && tagOf(v) === 'Arguments'; },
  isGeneratorFunction: function () { return false; },
  isGeneratorObject: function () { return false; },
  isAsyncFunction: function () { return false; },
  isMapIterator: function (v) { return isObjectLike(v) && tagOf(v) === 'Map Iterator'; },
  isSetIterator: function (v) { return isObjectLike(v) && tagOf(v) === 'Set Iterator'; },
  isProxy: function () { return false; },
  isExternal: function () { return false; },
  isModuleNamespaceObject: function () { return false; },
  isWeakRef: function () { return false; },
  isKeyObject: function () { return false; },
  isCryptoKey: function () { return false; }
};
