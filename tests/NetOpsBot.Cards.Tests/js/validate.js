#!/usr/bin/env node
// Validates Adaptive Card JSON files with the official `adaptivecards` library, the same renderer the
// local web chat uses and the closest public oracle for what Teams accepts.
//
// Usage: node validate.js <card.json>...   (one node start for many cards keeps the C# tests fast)
// Prints one JSON line: {"ok":bool,"cards":[{"file","ok","issues":[...]}]} and exits 1 when any card
// has an issue, 2 on a usage or set-up error.
'use strict';

const fs = require('fs');
const path = require('path');

let JSDOM;
let AC;
try {
  ({ JSDOM } = require('jsdom'));
} catch (e) {
  console.log(JSON.stringify({ ok: false, setupError: `jsdom missing: run "npm ci" in ${__dirname} (${e.message})` }));
  process.exit(2);
}

// The renderer touches window/document/HTMLElement while rendering; give it a jsdom DOM before loading it.
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

// jsdom has no layout, hence no innerText; the renderer writes text through it, so map it to textContent.
if (!Object.getOwnPropertyDescriptor(dom.window.HTMLElement.prototype, 'innerText')) {
  Object.defineProperty(dom.window.HTMLElement.prototype, 'innerText', {
    get() { return this.textContent; },
    set(v) { this.textContent = v; },
    configurable: true,
  });
}

// The library logs through console.log; keep stdout for the one JSON result line.
const out = console.log.bind(console);
console.log = (...args) => console.error(...args);

try {
  // The package's ESM entry (lib/) does not resolve under Node; its UMD bundle does.
  AC = require('adaptivecards/dist/adaptivecards.js');
} catch (e) {
  console.log(JSON.stringify({ ok: false, setupError: `adaptivecards missing: run "npm ci" in ${__dirname} (${e.message})` }));
  process.exit(2);
}

// Teams renders schema 1.5: validating against 1.5 makes the library report anything newer as unsupported.
const TARGET = AC.Versions.v1_5;

// Properties the library drops on a round trip although they are fine to send.
const IGNORED_KEYS = new Set(['$schema']);

function eventName(e) {
  return AC.ValidationEvent[e] ?? String(e);
}

// parse() silently ignores misspelled or misplaced properties; comparing input and toJSON() output finds
// them. A key present in the input and absent from the round trip was not understood by the library.
function droppedKeys(input, output, where, issues) {
  if (Array.isArray(input)) {
    if (!Array.isArray(output)) {
      issues.push(`${where}: array not understood`);
      return;
    }
    input.forEach((item, i) => droppedKeys(item, output[i], `${where}[${i}]`, issues));
    return;
  }
  if (input && typeof input === 'object') {
    if (!output || typeof output !== 'object') {
      issues.push(`${where}: object not understood`);
      return;
    }
    for (const key of Object.keys(input)) {
      if (IGNORED_KEYS.has(key)) continue;
      if (!(key in output)) {
        issues.push(`${where}.${key}: property dropped by the library (unknown, misplaced or invalid value ${JSON.stringify(input[key]).slice(0, 80)})`);
        continue;
      }
      droppedKeys(input[key], output[key], `${where}.${key}`, issues);
    }
  }
}

function validate(file) {
  const issues = [];
  let json;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    return { file, ok: false, issues: [`not JSON: ${e.message}`] };
  }
  if (json.type !== 'AdaptiveCard') issues.push(`type is ${JSON.stringify(json.type)}, expected "AdaptiveCard"`);
  if (json.version !== '1.5') issues.push(`version is ${JSON.stringify(json.version)}, expected "1.5"`);

  const card = new AC.AdaptiveCard();
  const context = new AC.SerializationContext(TARGET);
  try {
    card.parse(json, context);
  } catch (e) {
    return { file, ok: false, issues: [...issues, `parse threw: ${e.message}`] };
  }
  for (let i = 0; i < context.eventCount; i++) {
    const ev = context.getEventAt(i);
    issues.push(`parse ${eventName(ev.event)}: ${ev.message}`);
  }

  const results = card.validateProperties();
  for (const issue of results.validationEvents) {
    issues.push(`validate ${eventName(issue.event)}: ${issue.message}`);
  }

  let roundTrip;
  try {
    roundTrip = card.toJSON(new AC.SerializationContext(TARGET));
    droppedKeys(json, roundTrip, '$', issues);
  } catch (e) {
    issues.push(`toJSON threw: ${e.message}`);
  }

  try {
    const element = card.render();
    if (!element) {
      issues.push('render returned nothing');
    } else {
      document.getElementById('host').replaceChildren(element);
      if (!element.textContent || element.textContent.length === 0) issues.push('rendered card has no text');
    }
  } catch (e) {
    issues.push(`render threw: ${e.message}`);
  }

  return { file, ok: issues.length === 0, issues };
}

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node validate.js <card.json>...');
  process.exit(2);
}
const cards = files.map((f) => validate(path.resolve(f)));
const ok = cards.every((c) => c.ok);
out(JSON.stringify({ ok, cards }));
process.exit(ok ? 0 : 1);
