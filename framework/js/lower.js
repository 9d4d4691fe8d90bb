/*
 * The lowering driver: runs in the compiler's own Duktape heap (never a
 * worker's), after the prelude and Debian's typescript.js, all three
 * compiled together to bytecode at build time (framework/tools/jsbc.c).
 *
 * Contract with framework/lower_helper.c:
 *   eiderLower(fileName, text)
 *       fileName  the user's file; ".ts" is TypeScript (types stripped,
 *                 never checked), anything else JavaScript (ES2020 and
 *                 ES module syntax)
 *       returns   [code, map]: ES5 CommonJS and its source map (JSON)
 *       throws    a string "LINE:COL: message" (1-based) for the first
 *                 syntax error in the user's text
 *   eiderCompilerVersion: the TypeScript version, for the cache key.
 *
 * Helpers (__awaiter, __extends, ...) are not emitted into each file:
 * workers define them once, lazily, from tslib (noEmitHelpers).
 */
var eiderCompilerVersion = ts.version;

var eiderLower = (function () {
  'use strict';

  var options = {
    target: ts.ScriptTarget.ES5,
    module: ts.ModuleKind.CommonJS,
    downlevelIteration: true,      // for...of and spread over Map, Set, strings
    esModuleInterop: true,         // import x from 'cjs' gets module.exports
    noEmitHelpers: true,
    importHelpers: false,
    useDefineForClassFields: false,
    isolatedModules: true,
    sourceMap: true,
    inlineSources: false,
    removeComments: true,
    newLine: ts.NewLineKind.LineFeed
  };

  // "LINE:COL: message" of a diagnostic (TypeScript counts from 0).
  function describe(d) {
    var text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (!d.file || d.start === undefined) return '1:1: ' + text;
    var at = d.file.getLineAndCharacterOfPosition(d.start);
    return (at.line + 1) + ':' + (at.character + 1) + ': ' + text;
  }

  return function eiderLower(fileName, text) {
    var out = ts.transpileModule(text, {
      fileName: fileName,
      compilerOptions: options,
      reportDiagnostics: true
    });
    var errors = (out.diagnostics || []).filter(function (d) {
      return d.category === ts.DiagnosticCategory.Error;
    });
    if (errors.length > 0) throw describe(errors[0]);
    // The map's own comment would name a .map file that does not exist.
    var code = out.outputText.replace(/\n\/\/# sourceMappingURL=[^\n]*\n?$/, '\n');
    return [code, out.sourceMapText || ''];
  };
})();
