#!/usr/bin/env node
// Lists harness/'s longest functions (declarations, methods, and arrow functions bound to a
// name), longest first: `node scripts/longest-functions.mjs [N]`. A function past a screen is
// a place to look for steps that want names of their own.
import ts from 'typescript';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const files = (dir) => readdirSync(dir).flatMap((e) => (statSync(join(dir, e)).isDirectory() ? files(join(dir, e)) : e.endsWith('.ts') ? [join(dir, e)] : []));
const rows = [];
for (const file of files('harness')) {
  const src = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const lines = (n) => src.getLineAndCharacterOfPosition(n.getEnd()).line - src.getLineAndCharacterOfPosition(n.getStart()).line + 1;
  const visit = (n) => {
    let name;
    if ((ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n)) && n.name && n.body) name = n.name.getText();
    else if (ts.isVariableDeclaration(n) && n.initializer && (ts.isArrowFunction(n.initializer) || ts.isFunctionExpression(n.initializer))) name = n.name.getText();
    if (name) rows.push({ name, file, lines: lines(n) });
    ts.forEachChild(n, visit);
  };
  visit(src);
}
rows.sort((a, b) => b.lines - a.lines);
for (const r of rows.slice(0, Number(process.argv[2] ?? 15))) console.log(`${String(r.lines).padStart(4)}  ${r.name}  ${r.file}`);
