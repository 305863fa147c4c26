/**
 * Ad-hoc code signing of thin 64-bit little-endian Mach-O executables, and a checker that recomputes the page
 * hashes of any signature (Apple's or ours).
 *
 * postject removes `LC_CODE_SIGNATURE` from the macOS Node.js binary, and Apple Silicon refuses to run unsigned code.
 * `codesign` exists only on macOS, so the packager writes the same kind of signature the Go linker writes for every
 * darwin binary: a SuperBlob with one CodeDirectory (version 0x20400, flags adhoc|linker-signed, SHA-256 over 4 KiB
 * pages up to the code limit, exec segment = `__TEXT`), appended at the end of `__LINKEDIT`.
 */
import { createHash } from 'node:crypto';

const MH_MAGIC_64 = 0xfeedfacf;
const MH_EXECUTE = 2;
const LC_SEGMENT_64 = 0x19;
const LC_CODE_SIGNATURE = 0x1d;
const CSMAGIC_EMBEDDED_SIGNATURE = 0xfade0cc0;
const CSMAGIC_CODEDIRECTORY = 0xfade0c02;
const CS_ADHOC = 0x2;
const CS_LINKER_SIGNED = 0x20000;
const CS_EXECSEG_MAIN_BINARY = 0x1;
const PAGE_SHIFT = 12;
const PAGE = 1 << PAGE_SHIFT;
const CD_HEADER = 88;
const SEG_ALIGN = 0x4000;

interface Segment {
  readonly name: string;
  readonly cmdOff: number;
  readonly fileoff: number;
  readonly filesize: number;
}

interface MachO {
  readonly filetype: number;
  readonly ncmds: number;
  readonly sizeofcmds: number;
  readonly segments: Segment[];
  readonly sig?: { cmdOff: number; dataoff: number; datasize: number };
  /** Smallest file offset of section or segment data after the header: the room load commands may grow into. */
  readonly firstData: number;
}

const align = (n: number, a: number) => Math.ceil(n / a) * a;

export function isMachO64(buf: Buffer): boolean {
  return buf.length >= 32 && buf.readUInt32LE(0) === MH_MAGIC_64;
}

function parse(buf: Buffer): MachO {
  if (!isMachO64(buf)) throw new Error('not a thin 64-bit little-endian Mach-O file (fat/universal binaries are not supported)');
  const ncmds = buf.readUInt32LE(16);
  const sizeofcmds = buf.readUInt32LE(20);
  const segments: Segment[] = [];
  let sig: MachO['sig'];
  let firstData = buf.length;
  let off = 32;
  for (let i = 0; i < ncmds; i++) {
    const cmd = buf.readUInt32LE(off);
    const size = buf.readUInt32LE(off + 4);
    if (cmd === LC_SEGMENT_64) {
      const name = buf.toString('latin1', off + 8, off + 24).replace(/\0.*$/s, '');
      const fileoff = Number(buf.readBigUInt64LE(off + 40));
      const filesize = Number(buf.readBigUInt64LE(off + 48));
      segments.push({ name, cmdOff: off, fileoff, filesize });
      if (filesize > 0 && fileoff > 0) firstData = Math.min(firstData, fileoff);
      const nsects = buf.readUInt32LE(off + 64);
      for (let s = 0; s < nsects; s++) {
        const so = off + 72 + s * 80;
        const offset = buf.readUInt32LE(so + 48);
        const type = buf.readUInt32LE(so + 64) & 0xff;
        const zerofill = type === 0x1 || type === 0xc || type === 0x12;
        if (offset > 0 && !zerofill) firstData = Math.min(firstData, offset);
      }
    } else if (cmd === LC_CODE_SIGNATURE) {
      sig = { cmdOff: off, dataoff: buf.readUInt32LE(off + 8), datasize: buf.readUInt32LE(off + 12) };
    }
    off += size;
  }
  return { filetype: buf.readUInt32LE(12), ncmds, sizeofcmds, segments, sig, firstData };
}

function linkedit(m: MachO): Segment {
  const le = m.segments.find((s) => s.name === '__LINKEDIT');
  if (!le) throw new Error('Mach-O file has no __LINKEDIT segment');
  for (const s of m.segments) {
    if (s !== le && s.filesize > 0 && s.fileoff + s.filesize > le.fileoff) {
      throw new Error(`__LINKEDIT is not the last segment (${s.name} ends after it); cannot sign`);
    }
  }
  return le;
}

function setLinkeditSize(buf: Buffer, le: Segment, end: number, roundVmsize = true): void {
  const filesize = end - le.fileoff;
  buf.writeBigUInt64LE(BigInt(filesize), le.cmdOff + 48);
  buf.writeBigUInt64LE(BigInt(roundVmsize ? align(filesize, SEG_ALIGN) : filesize), le.cmdOff + 32);
}

/** Where the code ends: the old signature's start, or the end of `__LINKEDIT` when there is none. */
function codeEnd(m: MachO, le: Segment): number {
  if (m.sig && m.sig.dataoff >= le.fileoff) return m.sig.dataoff;
  return le.fileoff + le.filesize;
}

/**
 * Drops any signature and appends `payload` inside `__LINKEDIT` (which grows to cover it), so the file stays a
 * well-formed Mach-O that {@link adhocSign} can sign with the payload under the page hashes.
 */
export function appendToLinkedit(input: Buffer, payload: Buffer): { buf: Buffer; offset: number } {
  const m = parse(input);
  const le = linkedit(m);
  const end = codeEnd(m, le);
  const offset = align(end, 16);
  const buf = Buffer.concat([input.subarray(0, end), Buffer.alloc(offset - end), payload]);
  setLinkeditSize(buf, le, buf.length);
  if (m.sig) {
    buf.writeUInt32LE(buf.length, m.sig.cmdOff + 8);
    buf.writeUInt32LE(0, m.sig.cmdOff + 12);
  }
  return { buf, offset };
}

export interface SignOptions {
  /**
   * Round `__LINKEDIT`'s vmsize up to 16 KiB as Apple's linker does (default). `false` keeps vmsize = filesize as
   * the Go linker does; then signing a Go-linked binary reproduces the Go linker's bytes exactly.
   */
  readonly roundVmsize?: boolean;
}

/** Returns an ad-hoc signed copy of a thin 64-bit Mach-O executable. */
export function adhocSign(input: Buffer, identifier: string, options: SignOptions = {}): Buffer {
  const m = parse(input);
  const le = linkedit(m);
  const end = codeEnd(m, le);
  const codeLimit = align(end, 16);
  const ident = Buffer.from(`${identifier}\0`, 'utf8');
  const nSlots = Math.ceil(codeLimit / PAGE);
  const cdLen = CD_HEADER + ident.length + nSlots * 32;
  const sigLen = 12 + 8 + cdLen;
  if (codeLimit > 0xffffffff) throw new Error('Mach-O file too large to sign (over 4 GiB)');

  const out = Buffer.alloc(codeLimit + sigLen);
  input.copy(out, 0, 0, end);
  let sigCmd = m.sig?.cmdOff;
  if (sigCmd === undefined) {
    sigCmd = 32 + m.sizeofcmds;
    if (sigCmd + 16 > m.firstData) {
      throw new Error(`no room for LC_CODE_SIGNATURE in the Mach-O header (${m.firstData - sigCmd} bytes free, 16 needed)`);
    }
    out.writeUInt32LE(LC_CODE_SIGNATURE, sigCmd);
    out.writeUInt32LE(16, sigCmd + 4);
    out.writeUInt32LE(m.ncmds + 1, 16);
    out.writeUInt32LE(m.sizeofcmds + 16, 20);
  }
  out.writeUInt32LE(codeLimit, sigCmd + 8);
  out.writeUInt32LE(sigLen, sigCmd + 12);
  setLinkeditSize(out, le, codeLimit + sigLen, options.roundVmsize ?? true);

  const text = m.segments.find((s) => s.name === '__TEXT');
  const sig = out.subarray(codeLimit);
  sig.writeUInt32BE(CSMAGIC_EMBEDDED_SIGNATURE, 0);
  sig.writeUInt32BE(sigLen, 4);
  sig.writeUInt32BE(1, 8);
  sig.writeUInt32BE(0, 12); // CSSLOT_CODEDIRECTORY
  sig.writeUInt32BE(20, 16);
  const cd = sig.subarray(20);
  cd.writeUInt32BE(CSMAGIC_CODEDIRECTORY, 0);
  cd.writeUInt32BE(cdLen, 4);
  cd.writeUInt32BE(0x20400, 8);
  cd.writeUInt32BE(CS_ADHOC | CS_LINKER_SIGNED, 12);
  cd.writeUInt32BE(CD_HEADER + ident.length, 16); // hashOffset
  cd.writeUInt32BE(CD_HEADER, 20); // identOffset
  cd.writeUInt32BE(0, 24); // nSpecialSlots
  cd.writeUInt32BE(nSlots, 28);
  cd.writeUInt32BE(codeLimit, 32);
  cd.writeUInt8(32, 36); // hashSize
  cd.writeUInt8(2, 37); // hashType SHA-256
  cd.writeUInt8(0, 38); // platform
  cd.writeUInt8(PAGE_SHIFT, 39);
  // spare2, scatterOffset, teamOffset, spare3, codeLimit64 stay 0
  cd.writeBigUInt64BE(BigInt(text?.fileoff ?? 0), 64);
  cd.writeBigUInt64BE(BigInt(text?.filesize ?? 0), 72);
  cd.writeBigUInt64BE(BigInt(m.filetype === MH_EXECUTE ? CS_EXECSEG_MAIN_BINARY : 0), 80);
  ident.copy(cd, CD_HEADER);
  const hashes = cd.subarray(CD_HEADER + ident.length);
  for (let i = 0; i < nSlots; i++) {
    const page = out.subarray(i * PAGE, Math.min((i + 1) * PAGE, codeLimit));
    createHash('sha256')
      .update(page)
      .digest()
      .copy(hashes, i * 32);
  }
  return out;
}

export interface CodeDirectoryCheck {
  readonly identifier: string;
  readonly version: number;
  readonly flags: number;
  readonly hashType: number;
  readonly pageSize: number;
  readonly codeLimit: number;
  readonly codeSlots: number;
  readonly mismatches: number;
  readonly execSegBase?: number;
  readonly execSegLimit?: number;
  readonly execSegFlags?: number;
}

export interface SignatureCheck {
  readonly signed: boolean;
  /** Structural problems (signature outside `__LINKEDIT`, bytes after it, …). */
  readonly problems: string[];
  readonly codeDirectories: CodeDirectoryCheck[];
}

const HASHES: Record<number, [string, number]> = { 1: ['sha1', 20], 2: ['sha256', 32], 3: ['sha256', 20], 4: ['sha384', 48] };

/** Recomputes every code page hash of every CodeDirectory in a Mach-O file's embedded signature. */
export function checkSignature(buf: Buffer): SignatureCheck {
  const m = parse(buf);
  const problems: string[] = [];
  if (!m.sig) return { signed: false, problems: ['no LC_CODE_SIGNATURE'], codeDirectories: [] };
  const le = linkedit(m);
  const leEnd = le.fileoff + le.filesize;
  const { dataoff, datasize } = m.sig;
  if (dataoff < le.fileoff || dataoff + datasize > leEnd) problems.push('signature lies outside __LINKEDIT');
  if (leEnd !== buf.length) problems.push(`__LINKEDIT ends at ${leEnd} but the file has ${buf.length} bytes`);
  const vmsize = Number(buf.readBigUInt64LE(le.cmdOff + 32));
  if (vmsize < le.filesize) problems.push('__LINKEDIT vmsize is smaller than its filesize');
  const sb = buf.subarray(dataoff, dataoff + datasize);
  if (sb.readUInt32BE(0) !== CSMAGIC_EMBEDDED_SIGNATURE) {
    problems.push('signature is not an embedded-signature SuperBlob');
    return { signed: true, problems, codeDirectories: [] };
  }
  const cds: CodeDirectoryCheck[] = [];
  const count = sb.readUInt32BE(8);
  for (let i = 0; i < count; i++) {
    const off = sb.readUInt32BE(16 + i * 8);
    const blob = sb.subarray(off);
    if (blob.readUInt32BE(0) !== CSMAGIC_CODEDIRECTORY) continue;
    const version = blob.readUInt32BE(8);
    const hashOffset = blob.readUInt32BE(16);
    const identOffset = blob.readUInt32BE(20);
    const nCodeSlots = blob.readUInt32BE(28);
    let codeLimit = blob.readUInt32BE(32);
    const hashSize = blob.readUInt8(36);
    const hashType = blob.readUInt8(37);
    const pageShift = blob.readUInt8(39);
    if (version >= 0x20300) {
      const cl64 = Number(blob.readBigUInt64BE(56));
      if (cl64) codeLimit = cl64;
    }
    const identifier = blob.toString('utf8', identOffset, blob.indexOf(0, identOffset));
    const algo = HASHES[hashType];
    if (!algo) {
      problems.push(`unknown hash type ${hashType}`);
      continue;
    }
    const page = pageShift ? 1 << pageShift : codeLimit;
    let mismatches = 0;
    for (let s = 0; s < nCodeSlots; s++) {
      const data = buf.subarray(s * page, Math.min((s + 1) * page, codeLimit));
      const want = blob.subarray(hashOffset + s * hashSize, hashOffset + (s + 1) * hashSize);
      const got = createHash(algo[0]).update(data).digest().subarray(0, hashSize);
      if (!got.equals(want)) mismatches++;
    }
    if (nCodeSlots !== Math.ceil(codeLimit / page)) problems.push(`CodeDirectory has ${nCodeSlots} slots for a code limit of ${codeLimit}`);
    const exec =
      version >= 0x20400
        ? { execSegBase: Number(blob.readBigUInt64BE(64)), execSegLimit: Number(blob.readBigUInt64BE(72)), execSegFlags: Number(blob.readBigUInt64BE(80)) }
        : {};
    cds.push({ identifier, version, flags: blob.readUInt32BE(12), hashType, pageSize: page, codeLimit, codeSlots: nCodeSlots, mismatches, ...exec });
  }
  if (cds.length === 0) problems.push('no CodeDirectory in the signature');
  return { signed: true, problems, codeDirectories: cds };
}
