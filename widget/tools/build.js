#!/usr/bin/env node
/*
 * `npm run widget:build`: bundles widget/src (ES modules) into the single AMD `script.js` Kommo loads,
 * copies the archive files and writes dist/widget.zip with every file at the archive root
 * (kommo-api.md §9.1). Also checks what Kommo would reject late: manifest texts that are not i18n keys,
 * locales whose keys differ, logos missing.
 *
 *   node widget/tools/build.js [--out dist]
 */
'use strict';

const { build } = require('esbuild');
const AdmZip = require('adm-zip');
const { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, copyFileSync, existsSync } = require('node:fs');
const { join, resolve } = require('node:path');

const ROOT = resolve(__dirname, '..', '..');
const WIDGET = join(ROOT, 'widget');
const outIndex = process.argv.indexOf('--out');
const OUT = resolve(ROOT, outIndex > 0 ? process.argv[outIndex + 1] : 'dist');
const STAGE = join(OUT, 'widget');
const ZIP = join(OUT, 'widget.zip');

/** Modules Kommo's RequireJS provides; the bundle receives them as the AMD factory's parameters. */
const AMD_DEPENDENCIES = [
  { id: 'jquery', param: '__amd_jquery' },
  { id: 'lib/components/base/modal', param: '__amd_modal' },
];
const LOGOS = ['logo_main.png', 'logo_small.png', 'logo_medium.png', 'logo_min.png', 'logo.png', 'logo_dp.png'];
const LOCALES = ['en', 'es', 'pt'];
/** The Twilio Voice JS SDK, shipped in the archive and loaded on demand (the softphone). */
const VOICE_SDK = join(ROOT, 'node_modules', '@twilio', 'voice-sdk', 'dist', 'twilio.min.js');

const amdPlugin = {
  name: 'kommo-amd',
  setup(esbuild) {
    const ids = new RegExp(`^(${AMD_DEPENDENCIES.map((dep) => dep.id.replace(/[/]/g, '\\/')).join('|')})$`);
    esbuild.onResolve({ filter: ids }, (args) => ({ path: args.path, namespace: 'kommo-amd' }));
    esbuild.onLoad({ filter: /.*/, namespace: 'kommo-amd' }, (args) => ({
      contents: `module.exports = ${AMD_DEPENDENCIES.find((dep) => dep.id === args.path).param};`,
      loader: 'js',
    }));
  },
};

function flatKeys(value, prefix = '') {
  if (value === null || typeof value !== 'object') return [prefix];
  return Object.keys(value).flatMap((key) => flatKeys(value[key], prefix ? `${prefix}.${key}` : key));
}

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

function check() {
  const problems = [];
  const manifest = readJson(join(WIDGET, 'manifest.json'));
  const locales = Object.fromEntries(LOCALES.map((lang) => [lang, readJson(join(WIDGET, 'i18n', `${lang}.json`))]));
  const reference = new Set(flatKeys(locales.en));
  for (const lang of LOCALES.slice(1)) {
    const keys = new Set(flatKeys(locales[lang]));
    for (const key of reference) if (!keys.has(key)) problems.push(`i18n/${lang}.json lacks ${key}`);
    for (const key of keys) if (!reference.has(key)) problems.push(`i18n/${lang}.json has ${key}, en.json does not`);
  }
  const i18nKeys = [manifest.widget.name, manifest.widget.description, manifest.widget.short_description, manifest.advanced?.title]
    .concat(Object.values(manifest.settings ?? {}).map((field) => field.name))
    .filter(Boolean);
  for (const key of i18nKeys) if (!reference.has(key)) problems.push(`manifest text ${key} is not a key of i18n/en.json`);
  if (manifest.widget.interface_version !== 2) problems.push('manifest: interface_version must be 2');
  if (manifest.widget.init_once !== true) problems.push('manifest: init_once must be true (one softphone/live channel per page)');
  for (const logo of LOGOS) if (!existsSync(join(WIDGET, 'images', logo))) problems.push(`images/${logo} is missing`);
  if (!existsSync(VOICE_SDK)) problems.push('node_modules/@twilio/voice-sdk is missing: run npm ci');
  if (problems.length) {
    throw new Error(`widget: ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
  }
  return manifest;
}

async function bundle() {
  const result = await build({
    entryPoints: [join(WIDGET, 'src', 'index.js')],
    bundle: true,
    format: 'iife',
    globalName: '__kvoipBundle',
    target: 'es2018',
    platform: 'browser',
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
    plugins: [amdPlugin],
  });
  const body = result.outputFiles[0].text;
  const deps = AMD_DEPENDENCIES.map((dep) => `'${dep.id}'`).join(', ');
  const params = AMD_DEPENDENCIES.map((dep) => dep.param).join(', ');
  return [
    '/* VoIP Connector for Kommo: built from widget/src by widget/tools/build.js. Do not edit. */',
    `define([${deps}], function (${params}) {`,
    "'use strict';",
    body,
    'return __kvoipBundle.default;',
    '});',
    '',
  ].join('\n');
}

function copyDir(from, to, filter = () => true) {
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) if (filter(name)) copyFileSync(join(from, name), join(to, name));
}

async function main() {
  const started = Date.now();
  const manifest = check();
  const script = await bundle();
  rmSync(STAGE, { recursive: true, force: true });
  mkdirSync(STAGE, { recursive: true });
  writeFileSync(join(STAGE, 'script.js'), script);
  copyFileSync(join(WIDGET, 'manifest.json'), join(STAGE, 'manifest.json'));
  copyFileSync(join(WIDGET, 'style.css'), join(STAGE, 'style.css'));
  copyDir(join(WIDGET, 'i18n'), join(STAGE, 'i18n'), (name) => name.endsWith('.json'));
  copyDir(join(WIDGET, 'images'), join(STAGE, 'images'), (name) => name.endsWith('.png'));
  copyDir(join(WIDGET, 'templates'), join(STAGE, 'templates'), (name) => name.endsWith('.twig'));
  mkdirSync(join(STAGE, 'vendor'), { recursive: true });
  copyFileSync(VOICE_SDK, join(STAGE, 'vendor', 'twilio-voice.min.js'));

  const zip = new AdmZip();
  for (const entry of ['manifest.json', 'script.js', 'style.css']) zip.addLocalFile(join(STAGE, entry));
  for (const folder of ['i18n', 'images', 'templates', 'vendor']) zip.addLocalFolder(join(STAGE, folder), folder);
  rmSync(ZIP, { force: true });
  zip.writeZip(ZIP);
  const entries = new AdmZip(ZIP).getEntries().filter((entry) => !entry.isDirectory);
  process.stdout.write(
    `widget ${manifest.widget.version}: ${entries.length} files, script.js ${(Buffer.byteLength(script) / 1024).toFixed(0)} KB → ` +
      `${ZIP} (${Date.now() - started} ms)\n`,
  );
}

main().catch((error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
