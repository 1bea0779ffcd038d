// Writes RawEvent records the way a non-Java producer would: the avsc library, the .avsc files
// of schemas/src/main/avro and nothing else from Sluice, Avro single-object encoding:
//   C3 01 | CRC-64-AVRO fingerprint of the writer schema's Parsing Canonical Form, little-endian
//   | Avro binary body.
// The Java test NonJavaProducerTest decodes what this writes with Sluice's real deserializer.
// Usage: node write-raw-events.js <output dir>    writes the fixtures
//        node write-raw-events.js --read <file>   decodes one record (e.g. written by Sluice)
// (see README.md)
'use strict';

const avro = require('avsc');
const fs = require('fs');
const path = require('path');

const AVRO_DIR = path.join(__dirname, '..', '..', 'main', 'avro');

/** RawEvent, with the named types it references parsed first into one registry. */
function rawEventType() {
  const registry = {};
  for (const file of ['ToolCall', 'ToolDefinition', 'ChatMessage']) {
    avro.Type.forSchema(readSchema(file), { registry });
  }
  return avro.Type.forSchema(readSchema('RawEvent'), { registry });
}

function readSchema(name) {
  return JSON.parse(fs.readFileSync(path.join(AVRO_DIR, name + '.avsc'), 'utf8'));
}

/** CRC-64-AVRO as the Avro specification defines it ("Schema Fingerprints"). */
const EMPTY = 0xc15d213aa4d7a795n;
const MASK = (1n << 64n) - 1n;
const TABLE = Array.from({ length: 256 }, (_, i) => {
  let fp = BigInt(i);
  for (let j = 0; j < 8; j++) {
    fp = (fp >> 1n) ^ (EMPTY & -(fp & 1n) & MASK);
  }
  return fp;
});

function crc64Avro(bytes) {
  let fp = EMPTY;
  for (const b of bytes) {
    fp = (fp >> 8n) ^ TABLE[Number((fp ^ BigInt(b)) & 0xffn)];
  }
  return fp;
}

/** avsc's schema() is the Parsing Canonical Form: names full, attributes stripped. */
function fingerprint(type) {
  return crc64Avro(Buffer.from(JSON.stringify(type.schema()), 'utf8'));
}

function singleObject(type, value) {
  const header = Buffer.alloc(10);
  header[0] = 0xc3;
  header[1] = 0x01;
  header.writeBigUInt64LE(fingerprint(type), 2);
  return Buffer.concat([header, type.toBuffer(value)]);
}

const T0 = Date.parse('2025-03-01T12:00:00Z');

/** The optional fields of RawEvent left unset: what a producer that omits them writes. */
function event(fields) {
  return {
    metadata: {},
    completion: null,
    chosen: null,
    rejected: null,
    response: null,
    rating: null,
    correction: null,
    comment: null,
    completion_tool_calls: [],
    tools: [],
    parallel_tool_calls: null,
    ...fields,
  };
}

const EVENTS = {
  'example-text': event({
    id: 'node-example-1',
    type: 'example',
    tenant: 'acme',
    track: 'support',
    timestamp: T0,
    prompt: 'Wie setze ich den Router zurück? 🚀 ルーター',
    completion: 'Halten Sie die Reset-Taste zehn Sekunden lang gedrückt — fertig. ✅',
  }),
  'example-chat-tools': event({
    id: 'node-example-2',
    type: 'example',
    tenant: 'acme',
    track: 'agents',
    timestamp: T0 + 1,
    metadata: { source: 'node-producer', 'région': 'Île-de-France', empty: '' },
    prompt: [
      { role: 'system', content: 'You are Acme\'s bot.', tool_calls: [], tool_call_id: null,
        weight: null },
      { role: 'user', content: 'Weather in Zürich?', tool_calls: [], tool_call_id: null,
        weight: null },
      { role: 'assistant', content: '',
        tool_calls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Zürich"}' }],
        tool_call_id: null, weight: 1 },
      { role: 'tool', content: '{"celsius":21}', tool_calls: [], tool_call_id: 'call_1',
        weight: null },
      { role: 'user', content: 'And tomorrow?', tool_calls: [], tool_call_id: null,
        weight: null },
    ],
    completion: '',
    completion_tool_calls: [
      { id: 'call_2', name: 'get_forecast', arguments: '{"city":"Zürich","days":1}' },
    ],
    tools: [
      { name: 'get_weather', description: 'Current weather in a city.',
        parameters: '{"type":"object","properties":{"city":{"type":"string"}}}', strict: true },
      { name: 'get_forecast', description: null, parameters: null, strict: null },
    ],
    parallel_tool_calls: false,
  }),
  'preference': event({
    id: 'node-preference-1',
    type: 'preference',
    tenant: 'acme',
    track: 'support',
    timestamp: T0 + 2,
    metadata: { ab: 'B' },
    prompt: 'Summarize: the meeting moved to 3pm.',
    chosen: 'The meeting is now at 3pm.',
    rejected: 'There was a meeting.',
  }),
  'feedback-down-with-correction': event({
    id: 'node-feedback-1',
    type: 'feedback',
    tenant: 'globex',
    track: 'billing',
    timestamp: T0 + 3,
    prompt: 'Why was I charged twice?',
    response: 'You were not charged twice.',
    rating: 'down',
    correction: 'The duplicate charge is a pending authorization; it drops in 3 days.',
    comment: 'Agent fixed it 👍',
    parallel_tool_calls: true,
  }),
  'feedback-rating-int': event({
    id: 'node-feedback-2',
    type: 'feedback',
    tenant: 'globex',
    track: 'billing',
    timestamp: T0 + 4,
    prompt: 'How do I export invoices?',
    response: 'Settings → Billing → Export.',
    rating: 4,
  }),
};

/** A RawEvent whose writer schema has a field Sluice does not know: an unknown fingerprint. */
function unknownWriter() {
  const registry = {};
  for (const file of ['ToolCall', 'ToolDefinition', 'ChatMessage']) {
    avro.Type.forSchema(readSchema(file), { registry });
  }
  const schema = readSchema('RawEvent');
  schema.fields.push({ name: 'unknown_to_sluice', type: 'string', default: '' });
  const type = avro.Type.forSchema(schema, { registry });
  return singleObject(type, { ...EVENTS['example-text'], unknown_to_sluice: 'x' });
}

/** schemas/standalone/RawEvent.avsc must parse alone to the same schema. */
function checkStandalone(type) {
  const file = path.join(__dirname, '..', '..', '..', 'standalone', 'RawEvent.avsc');
  const alone = avro.Type.forSchema(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (fingerprint(alone) !== fingerprint(type)) {
    throw new Error(file + ' does not have the fingerprint of RawEvent.avsc and its types');
  }
}

function main(outDir) {
  fs.mkdirSync(outDir, { recursive: true });
  const type = rawEventType();
  checkStandalone(type);
  for (const [name, value] of Object.entries(EVENTS)) {
    fs.writeFileSync(path.join(outDir, name + '.bin'), singleObject(type, value));
  }
  fs.writeFileSync(path.join(outDir, 'unknown-fingerprint.bin'), unknownWriter());
  fs.writeFileSync(
    path.join(outDir, 'RawEvent.fingerprint'),
    fingerprint(type).toString(16).padStart(16, '0') + '\n');
  console.log('RawEvent fingerprint', fingerprint(type).toString(16).padStart(16, '0'));
  console.log('wrote', Object.keys(EVENTS).length + 1, 'records to', outDir);
}

/** Decodes a single-object encoded RawEvent, refusing any other header. */
function read(file) {
  const type = rawEventType();
  const bytes = fs.readFileSync(file);
  if (bytes.length < 10 || bytes[0] !== 0xc3 || bytes[1] !== 0x01) {
    throw new Error(file + ': no single-object header (C3 01 + 8-byte fingerprint)');
  }
  const written = bytes.readBigUInt64LE(2);
  if (written !== fingerprint(type)) {
    throw new Error(file + ': written with fingerprint ' + written.toString(16) + ', not RawEvent');
  }
  const value = type.fromBuffer(bytes.subarray(10));
  console.log(JSON.stringify(value, null, 2));
}

if (process.argv.length === 4 && process.argv[2] === '--read') {
  read(process.argv[3]);
} else if (process.argv.length === 3) {
  main(process.argv[2]);
} else {
  console.error('usage: node write-raw-events.js <output dir> | --read <file>');
  process.exit(2);
}
