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
