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

  var SK = ts.SyntaxKind;

  // A scope: the names declared in it, and whether a var goes there.
  function Scope(parent, isFunction) {
    this.parent = parent;
    this.isFunction = isFunction;
    this.names = Object.create(null);
  }
  Scope.prototype.kindOf = function (name) {
    for (var s = this; s; s = s.parent) {
      if (name in s.names) return s.names[name];
    }
    return undefined;
  };

  function functionScope(s) {
    while (!s.isFunction) s = s.parent;
    return s;
  }

  // Declares every identifier of a binding name (maybe a pattern).
  function declare(name, scope, kind) {
    if (!name) return;
    if (name.kind === SK.Identifier) {
      scope.names[name.text] = kind;
    } else if (name.elements) {
      name.elements.forEach(function (e) { if (e.name) declare(e.name, scope, kind); });
    }
  }

  // Pass 1: the scope of every node that opens one, as node.eiderScope,
  // with what each declares (var hoisted to its function).
  function collect(node, scope) {
    var inner = scope;
    if (ts.isFunctionLike(node)) {
      inner = node.eiderScope = new Scope(scope, true);
      if (node.kind === SK.FunctionDeclaration) declare(node.name, scope, 'let');
      else if (node.name && node.name.kind === SK.Identifier) declare(node.name, inner, 'let');
      (node.parameters || []).forEach(function (p) { declare(p.name, inner, 'let'); });
      if (node.body && node.body.kind === SK.Block) node.body.eiderScope = inner;
    } else if ((node.kind === SK.Block && !node.eiderScope) || node.kind === SK.CaseBlock
               || node.kind === SK.ForStatement || node.kind === SK.ForInStatement
               || node.kind === SK.ForOfStatement || node.kind === SK.CatchClause) {
      inner = node.eiderScope = new Scope(scope, false);
      if (node.kind === SK.CatchClause && node.variableDeclaration) {
        declare(node.variableDeclaration.name, inner, 'let');
      }
    } else if (node.kind === SK.VariableDeclarationList) {
      var flags = node.flags, kind = flags & ts.NodeFlags.Const ? 'const'
        : flags & ts.NodeFlags.Let ? 'let' : 'var';
      node.declarations.forEach(function (d) {
        declare(d.name, kind === 'var' ? functionScope(scope) : scope, kind);
      });
    } else if (node.kind === SK.ClassDeclaration || node.kind === SK.EnumDeclaration) {
      declare(node.name, scope, 'let');
    } else if (node.kind === SK.ImportClause) {
      // Imported bindings cannot be assigned either.
      declare(node.name, scope, 'const');
      var nb = node.namedBindings;
      if (nb && nb.kind === SK.NamespaceImport) declare(nb.name, scope, 'const');
      if (nb && nb.elements) nb.elements.forEach(function (e) { declare(e.name, scope, 'const'); });
    }
    ts.forEachChild(node, function (child) { collect(child, inner); });
  }

  // Assigning a const throws a TypeError, as in V8: the identifier as an
  // assignment target becomes an accessor whose setter throws, which is
  // also valid inside destructuring, compound assignment and ++.
  function constGuard(context) {
    var f = context.factory, scope;

    function target(id) {
      return ts.setTextRange(f.createPropertyAccessExpression(f.createParenthesizedExpression(
        f.createObjectLiteralExpression([
          f.createGetAccessorDeclaration(undefined, undefined, 'v', [], undefined,
            f.createBlock([f.createReturnStatement(f.createIdentifier(id.text))])),
          f.createSetAccessorDeclaration(undefined, undefined, 'v',
            [f.createParameterDeclaration(undefined, undefined, undefined, '_')],
            f.createBlock([f.createThrowStatement(f.createNewExpression(f.createIdentifier('TypeError'),
              undefined, [f.createStringLiteral('Assignment to constant variable.')]))]))
        ])), 'v'), id);
    }

    function isConstTarget(id) {
      return id.kind === SK.Identifier && ts.isAssignmentTarget(id) && scope.kindOf(id.text) === 'const';
    }

    function visit(node) {
      var saved = scope, out;
      if (node.eiderScope) scope = node.eiderScope;
      if (node.kind === SK.ShorthandPropertyAssignment && isConstTarget(node.name)) {
        var t = target(node.name);
        if (node.objectAssignmentInitializer) {
          t = f.createBinaryExpression(t, SK.EqualsToken, ts.visitNode(node.objectAssignmentInitializer, visit));
        }
        out = f.createPropertyAssignment(node.name.text, t);
      } else if (isConstTarget(node)) {
        out = target(node);
      } else {
        out = ts.visitEachChild(node, visit, context);
      }
      scope = saved;
      return out;
    }

    return function (sf) {
      if (!/\bconst\b|\bimport\b/.test(sf.text)) return sf;
      scope = sf.eiderScope = new Scope(null, true);
      collect(sf, scope);
      return ts.visitEachChild(sf, visit, context);
    };
  }

  return function eiderLower(fileName, text) {
    var out = ts.transpileModule(text, {
      fileName: fileName,
      compilerOptions: options,
      reportDiagnostics: true,
      transformers: { before: [constGuard] }
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
