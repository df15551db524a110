import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodePackets, MAX_PACKET_LENGTH, PacketReader, packetText } from '../../src/git/pktLine.js';

test('packets are framed with their hex length, and flush/delim are 0000/0001', () => {
  assert.equal(encodePackets(['command=ls-refs\n', 'DELIM', 'symrefs\n', 'FLUSH']).toString(), '0014command=ls-refs\n0001000csymrefs\n0000');
});

test('the reader gives back what was encoded, and the special packets', () => {
  const reader = new PacketReader(Buffer.concat([encodePackets(['a b\n', 'DELIM', Buffer.from([1, 0, 255]), 'FLUSH']), Buffer.from('0002')]));
  const seen = [];
  while (!reader.done) {
    const packet = reader.next();
    seen.push(packet.kind === 'data' ? packet.payload.toString('hex') : packet.kind);
  }
  assert.deepEqual(seen, [Buffer.from('a b\n').toString('hex'), 'delim', '0100ff', 'flush', 'end']);
  assert.equal(packetText(Buffer.from('version 2\n')), 'version 2');
});

test('malformed framing is refused, never read past the buffer', () => {
  const cases: Array<[string, RegExp]> = [
    ['00zzabc', /bad pkt-line header/],
    ['0003', /bad pkt-line length 3/],
    ['0010short', /truncated/],
    [`${(MAX_PACKET_LENGTH + 1).toString(16)}x`, /bad pkt-line length/],
    ['00', /bad pkt-line header/],
  ];
  for (const [input, message] of cases) {
    assert.throws(() => new PacketReader(Buffer.from(input)).next(), message, input);
  }
  assert.throws(() => encodePackets(['x'.repeat(MAX_PACKET_LENGTH)]), RangeError);
});
