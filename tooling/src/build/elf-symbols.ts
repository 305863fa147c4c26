/**
 * The official Linux Node.js binaries carry their static symbol table and some debug info (about 30 MiB of
 * `.symtab`, `.strtab` and `.debug_*`). No process ever maps those sections: they serve debuggers only. Zeroing them
 * in place keeps every offset and header valid and lets the launcher's compression squeeze them to nothing
 * (linux-x64, Node.js 26: 47.1 → 40.5 MiB gzipped). Symbols a running process uses (`.dynsym`) are allocated and
 * stay.
 */

const SHF_ALLOC = 0x2n;
const SHT_NOBITS = 8;

/** Zeroes the unallocated symbol and debug sections of a 64-bit little-endian ELF image; returns the bytes cleared. */
export function zeroDebugSections(elf: Buffer): number {
  if (elf.length < 64 || elf.readUInt32BE(0) !== 0x7f454c46 || elf[4] !== 2 || elf[5] !== 1) return 0;
  const shoff = Number(elf.readBigUInt64LE(0x28));
  const shentsize = elf.readUInt16LE(0x3a);
  const shnum = elf.readUInt16LE(0x3c);
  const shstrndx = elf.readUInt16LE(0x3e);
  if (shoff === 0 || shentsize < 64 || shoff + shnum * shentsize > elf.length || shstrndx >= shnum) return 0;
  const header = (i: number) => {
    const at = shoff + i * shentsize;
    return {
      name: elf.readUInt32LE(at),
      type: elf.readUInt32LE(at + 4),
      flags: elf.readBigUInt64LE(at + 8),
      offset: Number(elf.readBigUInt64LE(at + 24)),
      size: Number(elf.readBigUInt64LE(at + 32)),
    };
  };
  const names = header(shstrndx);
  const nameOf = (off: number) => {
    const start = names.offset + off;
    const end = elf.indexOf(0, start);
    return end < 0 ? '' : elf.toString('latin1', start, end);
  };
  let cleared = 0;
  for (let i = 0; i < shnum; i++) {
    if (i === shstrndx) continue;
    const s = header(i);
    if (s.type === SHT_NOBITS || (s.flags & SHF_ALLOC) !== 0n || s.offset + s.size > elf.length) continue;
    const name = nameOf(s.name);
    if (name === '.symtab' || name === '.strtab' || name.startsWith('.debug_')) {
      elf.fill(0, s.offset, s.offset + s.size);
      cleared += s.size;
    }
  }
  return cleared;
}
