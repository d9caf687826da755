#!/usr/bin/env node
// Renders Adaptive Card JSON files to HTML with the official `adaptivecards` library under jsdom, its text
// processed as markdown by markdown-it in CommonMark mode (what Teams does with TextBlock text: a single "\n" is a
// soft break, shown as a space), and reports the lines a person would see: block elements and <br> start a
// line, any other whitespace collapses to one space.
//
// Usage: node render-lines.js <card.json>...
// Prints one JSON line: {"cards":[{"file","lines":[...],"html"}]}; exits 2 on a set-up error.
'use strict';

const fs = require('fs');
const path = require('path');

let JSDOM;
try {
  ({ JSDOM } = require('jsdom'));
} catch (e) {
  console.log(JSON.stringify({ setupError: `jsdom missing: run "npm ci" in ${__dirname} (${e.message})` }));
  process.exit(2);
}

const dom = new JSDOM('<!DOCTYPE html><html><body><div id="host"></div></body></html>', { pretendToBeVisual: true });
for (const name of Object.getOwnPropertyNames(dom.window)) {
  if (name in globalThis) continue;
  try {
    const value = dom.window[name];
    Object.defineProperty(globalThis, name, { value: typeof value === 'function' && !/^[A-Z]/.test(name) ? value.bind(dom.window) : value, configurable: true, writable: true });
  } catch {
    // A few jsdom getters throw outside a document context; the renderer does not need them.
  }
}
if (!Object.getOwnPropertyDescriptor(dom.window.HTMLElement.prototype, 'innerText')) {
  Object.defineProperty(dom.window.HTMLElement.prototype, 'innerText', {
    get() { return this.textContent; },
    set(v) { this.textContent = v; },
    configurable: true,
  });
}

const out = console.log.bind(console);
console.log = (...args) => console.error(...args);

let AC;
let markdownit;
try {
  AC = require('adaptivecards/dist/adaptivecards.js');
} catch (e) {
  out(JSON.stringify({ setupError: `adaptivecards missing: run "npm ci" in ${__dirname} (${e.message})` }));
  process.exit(2);
}
// markdown-it as the local web chat loads it (installed by the Host's build from its own package-lock).
const webchat = path.resolve(__dirname, '../../../src/NetOpsBot.Host/webchat/node_modules/markdown-it');
try {
  markdownit = require(webchat);
} catch (e) {
  out(JSON.stringify({ setupError: `markdown-it missing: build src/NetOpsBot.Host (it runs npm ci in src/NetOpsBot.Host/webchat) (${e.message})` }));
  process.exit(2);
}

const md = markdownit({ html: false, linkify: false, breaks: false });
AC.AdaptiveCard.onProcessMarkdown = (text, result) => {
  result.outputHtml = md.render(text);
  result.didProcess = true;
};

const BLOCK = new Set(['P', 'DIV', 'LI', 'UL', 'OL', 'TABLE', 'TR', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'BLOCKQUOTE', 'BUTTON']);

function visibleLines(root) {
  const lines = [];
  let current = '';
  const flush = () => {
    const t = current.replace(/\s+/g, ' ').trim();
    if (t) lines.push(t);
    current = '';
  };
  (function walk(node) {
    if (node.nodeType === 3) {
      current += node.nodeValue;
      return;
    }
    if (node.nodeType !== 1) return;
    if (node.tagName === 'BR') {
      flush();
      return;
    }
    if (node.tagName === 'PRE') {
      flush();
      for (const l of node.textContent.split('\n')) {
        current = l;
        flush();
      }
      return;
    }
    const block = BLOCK.has(node.tagName);
    if (block) flush();
    for (const c of node.childNodes) walk(c);
    if (block) flush();
  })(root);
  flush();
  return lines;
}

const cards = process.argv.slice(2).map((file) => {
  const card = new AC.AdaptiveCard();
  card.parse(JSON.parse(fs.readFileSync(file, 'utf8')), new AC.SerializationContext(AC.Versions.v1_5));
  const element = card.render();
  document.getElementById('host').replaceChildren(element);
  return { file: path.resolve(file), lines: visibleLines(element), html: element.outerHTML };
});
out(JSON.stringify({ cards }));
