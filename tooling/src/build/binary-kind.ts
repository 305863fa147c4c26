/** What a native binary was built for, read from its header: ELF, Mach-O (thin or universal) or PE. */

export interface BinaryKind {
  readonly format: 'elf' | 'macho' | 'pe';
  readonly archs: ReadonlyArray<'x64' | 'arm64' | 'other'>;
}

const MACHO_CPU: Record<number, 'x64' | 'arm64'> = { 0x01000007: 'x64', 0x0100000c: 'arm64' };

/** The format and architectures of a native binary, or undefined when the bytes are none of the three. */
export function binaryKind(buf: Buffer): BinaryKind | undefined {
  if (buf.length < 64) return undefined;
  if (buf.readUInt32BE(0) === 0x7f454c46) {
    const machine = buf.readUInt16LE(18);
    return { format: 'elf', archs: [machine === 0x3e ? 'x64' : machine === 0xb7 ? 'arm64' : 'other'] };
  }
  if (buf.readUInt32LE(0) === 0xfeedfacf) return { format: 'macho', archs: [MACHO_CPU[buf.readUInt32LE(4)] ?? 'other'] };
  if (buf.readUInt32BE(0) === 0xcafebabe) {
    const n = buf.readUInt32BE(4);
    const archs = Array.from({ length: Math.min(n, 8) }, (_, i) => MACHO_CPU[buf.readUInt32BE(8 + i * 20)] ?? 'other');
    return { format: 'macho', archs };
  }
  if (buf.readUInt16BE(0) === 0x4d5a) {
    const pe = buf.readUInt32LE(0x3c);
    if (pe + 6 > buf.length || buf.readUInt32BE(pe) !== 0x50450000) return undefined;
    const machine = buf.readUInt16LE(pe + 4);
    return { format: 'pe', archs: [machine === 0x8664 ? 'x64' : machine === 0xaa64 ? 'arm64' : 'other'] };
  }
  return undefined;
}

/** Whether a binary runs on a target (format and architecture; `x64` targets are named `amd64` in Go). */
export function binaryFits(kind: BinaryKind | undefined, target: { format: string; arch: string }): boolean {
  if (!kind || kind.format !== target.format) return false;
  const arch = target.arch === 'amd64' ? 'x64' : target.arch;
  return kind.archs.includes(arch as 'x64' | 'arm64');
}

/** A short description, e.g. `ELF x64`, for messages. */
export function describeKind(kind: BinaryKind | undefined): string {
  return kind ? `${kind.format === 'macho' ? 'Mach-O' : kind.format.toUpperCase()} ${kind.archs.join('+')}` : 'not a native binary';
}
