/*
 * The lowering driver: runs in the compiler's own Duktape heap (never a
 * worker's), after the prelude, Debian's typescript.js and its transformer
 * files (lower_scopes.js, lower_classes.js), all compiled together to
 * bytecode at build time (framework/tools/jsbc.c, Makefile.am).
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
 * Helpers (__extends, __values, ...) are not emitted into each file:
 * workers define them once, lazily, from tslib (noEmitHelpers); async
 * functions call eider's own __eiderAsync and __eiderAwait.
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
    // JavaScript classes as Node runs them: methods and fields defined
    // (not assigned: methods are not enumerable, and a static
    // [Symbol.hasInstance] does not hit the read-only inherited one).
    // TypeScript files keep tsc's default for ES5, where a field declared
    // without a value is only a type.
    useDefineForClassFields: true,
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

  var SK = ts.SyntaxKind;

  // async functions run as Duktape coroutines rather than TypeScript's
  // generator state machines (about half the instructions per call):
  //   async function f(a) { return g(await x); }
  // becomes
  //   function f(a) { return __eiderAsync(() => { return g(__eiderAwait(x)); }); }
  // where __eiderAsync runs the arrow in a Duktape.Thread and resumes it
  // each time an awaited value settles (framework/js/lib/eider/async.js).
  // The arrow keeps this and arguments. Async generators and functions
  // with `for await` are left to TypeScript.
  function asyncCoroutines(context) {
    var f = context.factory;

    function hasForAwait(body) {
      var found = false;
      (function walk(n) {
        if (found || (n !== body && ts.isFunctionLike(n))) return;
        if (n.kind === SK.ForOfStatement && n.awaitModifier) found = true;
        else ts.forEachChild(n, walk);
      })(body);
      return found;
    }

    function convertible(node) {
      return (node.kind === SK.FunctionDeclaration || node.kind === SK.FunctionExpression
              || node.kind === SK.ArrowFunction || node.kind === SK.MethodDeclaration)
        && node.body && !node.asteriskToken && node.modifiers
        && node.modifiers.some(function (m) { return m.kind === SK.AsyncKeyword; })
        && !hasForAwait(node.body);
    }

    // Inside a converted function: its own awaits become __eiderAwait(x).
    function visitBody(n) {
      if (n.kind === SK.AwaitExpression) {
        return ts.setTextRange(f.createCallExpression(f.createIdentifier('__eiderAwait'), undefined,
          [ts.visitNode(n.expression, visitBody)]), n);
      }
      if (ts.isFunctionLike(n)) return visit(n);
      return ts.visitEachChild(n, visitBody, context);
    }

    function visit(node) {
      if (!convertible(node)) return ts.visitEachChild(node, visit, context);
      var modifiers = node.modifiers.filter(function (m) { return m.kind !== SK.AsyncKeyword; });
      var inner = node.body.kind === SK.Block ? ts.visitEachChild(node.body, visitBody, context)
        : visitBody(node.body);
      var call = f.createCallExpression(f.createIdentifier('__eiderAsync'), undefined, [
        f.createArrowFunction(undefined, undefined, [], undefined,
          f.createToken(SK.EqualsGreaterThanToken), inner)]);
      var body = node.kind === SK.ArrowFunction && node.body.kind !== SK.Block ? call
        : ts.setTextRange(f.createBlock([f.createReturnStatement(call)], true), node.body);
      modifiers = modifiers.length ? modifiers : undefined;
      switch (node.kind) {
      case SK.FunctionDeclaration:
        return f.updateFunctionDeclaration(node, modifiers, node.asteriskToken, node.name,
          node.typeParameters, node.parameters, node.type, body);
      case SK.FunctionExpression:
        return f.updateFunctionExpression(node, modifiers, node.asteriskToken, node.name,
          node.typeParameters, node.parameters, node.type, body);
      case SK.ArrowFunction:
        return f.updateArrowFunction(node, modifiers, node.typeParameters, node.parameters, node.type,
          node.equalsGreaterThanToken, body);
      default:
        return f.updateMethodDeclaration(node, modifiers, node.asteriskToken, node.name,
          node.questionToken, node.typeParameters, node.parameters, node.type, body);
      }
    }

    return function (sf) {
      return /\basync\b/.test(sf.text) ? ts.visitEachChild(sf, visit, context) : sf;
    };
  }

  // Every regular expression literal becomes __eiderRegExp(body, flags):
  // a RegExp on PCRE2 (prelude_regexp.js), compiled once per heap for
  // each distinct pattern, whatever syntax Duktape's own engine would
  // refuse (named groups, lookbehind, the s, u, y and d flags, \p{...}).
  // Each is checked here (__eiderRegExpCheck, lower_helper.c), so that a
  // pattern PCRE2 cannot run fails the load at its file:line:column.
  function regExpLiterals(context) {
    var f = context.factory, sf;
    function visit(node) {
      if (node.kind === SK.RegularExpressionLiteral) {
        var text = node.text, end = text.lastIndexOf('/');
        var body = text.slice(1, end), flags = text.slice(end + 1);
        var why = typeof __eiderRegExpCheck === 'function' ? __eiderRegExpCheck(body, flags) : undefined;
        if (why !== undefined) {
          var at = sf.getLineAndCharacterOfPosition(node.getStart(sf));
          throw (at.line + 1) + ':' + (at.character + 1) + ': Invalid regular expression: ' + text + ': ' + why;
        }
        return ts.setTextRange(f.createCallExpression(f.createIdentifier('__eiderRegExp'), undefined,
          [f.createStringLiteral(body), f.createStringLiteral(flags)]), node);
      }
      return ts.visitEachChild(node, visit, context);
    }
    return function (file) {
      sf = file;
      return ts.visitEachChild(file, visit, context);
    };
  }

  var tsOptions = {};
  for (var k in options) tsOptions[k] = options[k];
  tsOptions.useDefineForClassFields = false;

  return function eiderLower(fileName, text) {
    var S = eiderLowerScopes, C = eiderLowerClasses;
    C.reset();
    var out = ts.transpileModule(text, {
      fileName: fileName,
      compilerOptions: /\.ts$/.test(fileName) ? tsOptions : options,
      reportDiagnostics: true,
      transformers: {
        before: [S.constGuard, asyncCoroutines, S.iterableArguments, S.arrowArguments, regExpLiterals,
                 C.objectLiterals, C.superReads, C.classRanges, S.parameterScope],
        after: [C.superGetAfter, C.functionsAfter]
      }
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
