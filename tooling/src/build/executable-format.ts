/**
 * What a file is, from its headers: ELF, Mach-O (thin or fat, with or without a code signature), PE, or a `#!`
 * script, with the architectures it holds. The one header reader of the tooling: `doctor` reads plugin executables
 * with it, the packager reads native addons (from disk or from a package tarball's bytes).
 */
import { closeSync, openSync, readSync } from 'node:fs';

export interface MachOSlice {
  /** `arm64`, `x86_64` or the raw CPU type. */
  readonly arch: string;
  /** `LC_CODE_SIGNATURE` present. */
  readonly signed: boolean;
}

export type ExecutableFormat =
  | { readonly kind: 'elf'; readonly arch: string }
  | { readonly kind: 'macho'; readonly slices: readonly MachOSlice[] }
  | { readonly kind: 'pe'; readonly arch: string }
  | { readonly kind: 'script'; readonly interpreter: string }
  | { readonly kind: 'unknown' };

/** Reads up to `length` bytes at `position` (fewer at the end of the file). */
type ReadAt = (position: number, length: number) => Buffer;

const LC_CODE_SIGNATURE = 0x1d;
const CPU: Record<number, string> = { 0x01000007: 'x86_64', 0x0100000c: 'arm64', 7: 'i386', 12: 'arm' };
const ELF_MACHINE: Record<number, string> = { 0x3e: 'x64', 0xb7: 'arm64', 0x03: 'ia32', 0x28: 'arm' };
const PE_MACHINE: Record<number, string> = { 0x8664: 'x64', 0xaa64: 'arm64', 0x14c: 'ia32' };

/** Parses one thin Mach-O image at `offset`. */
function machOSlice(read: ReadAt, offset: number): MachOSlice | undefined {
  const head = read(offset, 32);
  if (head.length < 28) return undefined;
  const magic = head.readUInt32LE(0);
  const le = magic === 0xfeedfacf || magic === 0xfeedface;
  const be = magic === 0xcffaedfe || magic === 0xcefaedfe;
  if (!le && !be) return undefined;
  const is64 = magic === 0xfeedfacf || magic === 0xcffaedfe;
  const u32 = (b: Buffer, o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const cputype = u32(head, 4);
  const ncmds = u32(head, 16);
  const sizeofcmds = u32(head, 20);
  const cmds = read(offset + (is64 ? 32 : 28), Math.min(sizeofcmds, 1 << 20));
  let signed = false;
  for (let i = 0, p = 0; i < ncmds && p + 8 <= cmds.length; i++) {
    const cmd = u32(cmds, p);
    const size = u32(cmds, p + 4);
    if (cmd === LC_CODE_SIGNATURE) signed = true;
    if (size < 8) break;
    p += size;
  }
  return { arch: CPU[cputype] ?? `cpu ${cputype}`, signed };
}

function readFormat(read: ReadAt): ExecutableFormat {
  const head = read(0, 512);
  if (head.length >= 4 && head.readUInt32BE(0) === 0x7f454c46) {
    const little = head[5] === 1;
    const machine = head.length >= 20 ? (little ? head.readUInt16LE(18) : head.readUInt16BE(18)) : -1;
    return { kind: 'elf', arch: ELF_MACHINE[machine] ?? `machine ${machine}` };
  }
  if (head.length >= 8 && head.readUInt32BE(0) === 0xcafebabe) {
    // Fat (universal) binary: big-endian header, then one entry per architecture. (Java class files share the
    // magic but have a large "count"; real fat files hold a handful of slices.)
    const count = head.readUInt32BE(4);
    if (count > 0 && count < 20) {
      const slices: MachOSlice[] = [];
      for (let i = 0; i < count; i++) {
        const entry = read(8 + i * 20, 20);
        const slice = entry.length === 20 ? machOSlice(read, entry.readUInt32BE(8)) : undefined;
        if (slice) slices.push(slice);
      }
      return { kind: 'macho', slices };
    }
  }
  const thin = machOSlice(read, 0);
  if (thin) return { kind: 'macho', slices: [thin] };
  if (head.length >= 0x40 && head.toString('latin1', 0, 2) === 'MZ') {
    const pe = head.readUInt32LE(0x3c);
    const header = read(pe, 6);
    if (header.length === 6 && header.readUInt32BE(0) === 0x50450000) {
      const machine = header.readUInt16LE(4);
      return { kind: 'pe', arch: PE_MACHINE[machine] ?? `machine ${machine}` };
    }
  }
  if (head.length >= 2 && head.toString('latin1', 0, 2) === '#!') {
    const line = head.toString('utf8').split('\n')[0]!.slice(2).trim();
    return { kind: 'script', interpreter: line };
  }
  return { kind: 'unknown' };
}

/** The format of a file on disk; reads only its headers. */
export function executableFormat(path: string): ExecutableFormat {
  const fd = openSync(path, 'r');
  try {
    return readFormat((position, length) => {
      const buf = Buffer.alloc(length);
      return buf.subarray(0, readSync(fd, buf, 0, length, position));
    });
  } finally {
    closeSync(fd);
  }
}

/** The format of a binary held in memory. */
export function bufferFormat(buf: Buffer): ExecutableFormat {
  return readFormat((position, length) => buf.subarray(position, position + length));
}

/** The platform's name for an ELF machine or Mach-O CPU as Node spells `process.arch`. */
export function nodeArch(arch: string): string {
  return arch === 'x86_64' ? 'x64' : arch;
}

/** A native binary's format and the architectures it holds, as Node.js names them. */
export interface BinaryKind {
  readonly format: 'elf' | 'macho' | 'pe';
  readonly archs: readonly string[];
}

/** The format and architectures of a native binary, or undefined when the bytes are none of ELF, Mach-O and PE. */
export function binaryKind(buf: Buffer): BinaryKind | undefined {
  const f = bufferFormat(buf);
  switch (f.kind) {
    case 'elf':
    case 'pe':
      return { format: f.kind, archs: [f.arch] };
    case 'macho':
      return f.slices.length > 0 ? { format: 'macho', archs: f.slices.map((s) => nodeArch(s.arch)) } : undefined;
    default:
      return undefined;
  }
}

/** Whether a binary runs on a target (format and architecture; `x64` targets are named `amd64` in Go). */
export function binaryFits(kind: BinaryKind | undefined, target: { format: string; arch: string }): boolean {
  if (!kind || kind.format !== target.format) return false;
  return kind.archs.includes(target.arch === 'amd64' ? 'x64' : target.arch);
}

/** A short description, e.g. `ELF x64`, for messages. */
export function describeKind(kind: BinaryKind | undefined): string {
  return kind ? `${kind.format === 'macho' ? 'Mach-O' : kind.format.toUpperCase()} ${kind.archs.join('+')}` : 'not a native binary';
}
