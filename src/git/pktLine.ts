// pkt-line, git's wire framing (gitprotocol-common(5)): four hex digits of
// length (header included), then the payload; 0000 flush, 0001 delimiter,
// 0002 response end. The parser takes hostile input: every length is checked
// against what is left, and nothing is read past the buffer.

export type Packet =
  | { readonly kind: 'data'; readonly payload: Buffer }
  | { readonly kind: 'flush' }
  | { readonly kind: 'delim' }
  | { readonly kind: 'end' };

export type PacketSpec = string | Buffer | 'FLUSH' | 'DELIM';

/** The largest packet git sends or accepts (LARGE_PACKET_MAX). */
export const MAX_PACKET_LENGTH = 65520;

export function encodePackets(packets: readonly PacketSpec[]): Buffer {
  const parts: Buffer[] = [];
  for (const packet of packets) {
    if (packet === 'FLUSH') parts.push(Buffer.from('0000'));
    else if (packet === 'DELIM') parts.push(Buffer.from('0001'));
    else {
      const payload = typeof packet === 'string' ? Buffer.from(packet) : packet;
      const length = payload.length + 4;
      if (length > MAX_PACKET_LENGTH) throw new RangeError(`pkt-line payload of ${payload.length} bytes is too long`);
      parts.push(Buffer.from(length.toString(16).padStart(4, '0')), payload);
    }
  }
  return Buffer.concat(parts);
}

export class PacketReader {
  readonly #buffer: Buffer;
  #offset = 0;

  constructor(buffer: Buffer) {
    this.#buffer = buffer;
  }

  get done(): boolean {
    return this.#offset >= this.#buffer.length;
  }

  /** The next packet; throws on malformed or truncated framing. */
  next(): Packet {
    const header = this.#buffer.subarray(this.#offset, this.#offset + 4).toString('latin1');
    if (!/^[0-9a-f]{4}$/.test(header)) throw new Error(`bad pkt-line header ${JSON.stringify(header)} at byte ${this.#offset}`);
    const length = Number.parseInt(header, 16);
    if (length === 0 || length === 1 || length === 2) {
      this.#offset += 4;
      return { kind: length === 0 ? 'flush' : length === 1 ? 'delim' : 'end' };
    }
    if (length < 4 || length > MAX_PACKET_LENGTH) throw new Error(`bad pkt-line length ${length} at byte ${this.#offset}`);
    if (this.#offset + length > this.#buffer.length) throw new Error(`truncated pkt-line at byte ${this.#offset}`);
    const payload = this.#buffer.subarray(this.#offset + 4, this.#offset + length);
    this.#offset += length;
    return { kind: 'data', payload };
  }
}

/** A data packet's text without its trailing newline. */
export function packetText(payload: Buffer): string {
  const text = payload.toString('utf8');
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}
