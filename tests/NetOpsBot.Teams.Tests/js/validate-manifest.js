// Validates a Teams app manifest against the official JSON schema its $schema names, offline: the schema comes
// from the copy bundled in @microsoft/app-manifest (the Microsoft 365 Agents Toolkit's own package), and the check is
// the toolkit's own (AppManifestUtils.validateAgainstSchema: ajv draft-04, formats uri/email/regex, all errors).
//
// usage: node validate-manifest.js manifest.json
// prints one JSON line: { schema, schemaFile, errors: [...] }  (errors empty = valid)
'use strict';

const fs = require('fs');
const path = require('path');
const { AppManifestUtils } = require('@microsoft/app-manifest');

const SCHEMA_URL = /^https:\/\/developer\.microsoft\.com\/(?:en-us\/)?json-schemas\/teams\/(v[0-9.]+|vDevPreview)\/MicrosoftTeams\.schema\.json$/;

async function main() {
  const manifest = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  const match = SCHEMA_URL.exec(manifest.$schema || '');
  if (!match) {
    throw new Error(`$schema is not an official Teams manifest schema URL: ${manifest.$schema}`);
  }

  const schemaFile = path.join(
    path.dirname(require.resolve('@microsoft/app-manifest/package.json')),
    'build', 'json-schemas', 'teams', match[1], 'MicrosoftTeams.schema.json');
  if (!fs.existsSync(schemaFile)) {
    throw new Error(`no bundled schema for ${match[1]} (${schemaFile})`);
  }

  // The same clean-up the toolkit applies to the downloaded schema (an invalid "\a" escape in some versions).
  const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8').replace(/\\a/g, '\\x07'));
  const errors = await AppManifestUtils.validateAgainstSchema(manifest, schema);
  if (manifest.manifestVersion !== match[1].replace(/^v/, '')) {
    errors.push(`manifestVersion ${manifest.manifestVersion} does not match the $schema version ${match[1]}`);
  }

  process.stdout.write(JSON.stringify({ schema: manifest.$schema, schemaFile: path.relative(__dirname, schemaFile), errors }) + '\n');
}

main().catch((err) => {
  process.stdout.write(JSON.stringify({ setupError: String((err && err.stack) || err) }) + '\n');
  process.exitCode = 1;
});
