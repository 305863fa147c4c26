/**
 * What kind of file a plugin executable is, from its first bytes: ELF, Mach-O (thin or fat, with or without a code
 * signature), PE, or a `#!` script. Reads only the headers.
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
  | { readonly kind: 'pe' }
  | { readonly kind: 'script'; readonly interpreter: string }
  | { readonly kind: 'unknown' };

const LC_CODE_SIGNATURE = 0x1d;
const CPU: Record<number, string> = { 0x01000007: 'x86_64', 0x0100000c: 'arm64', 7: 'i386', 12: 'arm' };
const ELF_MACHINE: Record<number, string> = { 0x3e: 'x64', 0xb7: 'arm64', 0x03: 'ia32', 0x28: 'arm' };

function readAt(fd: number, position: number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  const n = readSync(fd, buf, 0, length, position);
  return buf.subarray(0, n);
}

/** Parses one thin Mach-O image at `offset`. */
function machOSlice(fd: number, offset: number): MachOSlice | undefined {
  const head = readAt(fd, offset, 32);
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
  const cmds = readAt(fd, offset + (is64 ? 32 : 28), Math.min(sizeofcmds, 1 << 20));
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

export function executableFormat(path: string): ExecutableFormat {
  const fd = openSync(path, 'r');
  try {
    const head = readAt(fd, 0, 512);
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
          const entry = readAt(fd, 8 + i * 20, 20);
          const slice = machOSlice(fd, entry.readUInt32BE(8));
          if (slice) slices.push(slice);
        }
        return { kind: 'macho', slices };
      }
    }
    const thin = machOSlice(fd, 0);
    if (thin) return { kind: 'macho', slices: [thin] };
    if (head.length >= 2 && head.toString('latin1', 0, 2) === 'MZ') return { kind: 'pe' };
    if (head.length >= 2 && head.toString('latin1', 0, 2) === '#!') {
      const line = head.toString('utf8').split('\n')[0]!.slice(2).trim();
      return { kind: 'script', interpreter: line };
    }
    return { kind: 'unknown' };
  } finally {
    closeSync(fd);
  }
}

/** The platform's name for an ELF machine or Mach-O CPU as Node spells `process.arch`. */
export function nodeArch(arch: string): string {
  return arch === 'x86_64' ? 'x64' : arch;
}
