/**
 * Whether a payload file is an HP-UX executable, which the sandbox (Linux on
 * x86-64) cannot run: an ELF file for Itanium or PA-RISC, or a PA-RISC SOM
 * file. Such a file is installed as it is in the inactive image, where an
 * exec of it fails (`Exec format error`); on the booted system a stand-in
 * takes its place when the system runs it as a daemon (docs/sd-formats.md
 * "Sessions in the sandbox").
 *
 * - ELF: `\x7fELF`, then `e_machine` at offset 18 in the file's byte order
 *   (EI_DATA, offset 5): EM_PARISC 15, EM_IA_64 50 (System V ABI, "ELF
 *   Header", https://refspecs.linuxfoundation.org/elf/gabi4+/ch4.eheader.html).
 * - SOM: big-endian `system_id` (0x20B, 0x210, 0x211, 0x214: PA-RISC 1.0,
 *   1.1, 1.2, 2.0) then `a_magic` (0x104 EXECLIBMAGIC, 0x106 RELOC_MAGIC,
 *   0x107 EXEC_MAGIC, 0x108 SHARE_MAGIC, 0x109 SHMEM_MAGIC, 0x10B
 *   DEMAND_MAGIC, 0x10D DL_MAGIC, 0x10E SHL_MAGIC) (HP's SOM header as
 *   OpenBSD ships it, `sys/arch/hppa/include/exec_som.h`; GNU binutils
 *   `include/som/aout.h`).
 */

export type HpuxBinaryKind = 'elf-ia64' | 'elf-parisc' | 'som';

const EM_PARISC = 15;
const EM_IA_64 = 50;
const SOM_SYSTEM_IDS = new Set([0x20b, 0x210, 0x211, 0x214]);
const SOM_MAGICS = new Set([0x104, 0x106, 0x107, 0x108, 0x109, 0x10b, 0x10d, 0x10e]);

/** The kind of HP-UX executable `head` (the file's first bytes, at least 20) starts, or undefined. */
export function hpuxBinaryKind(head: Buffer): HpuxBinaryKind | undefined {
  if (head.length >= 20 && head[0] === 0x7f && head.toString('latin1', 1, 4) === 'ELF') {
    const machine = head[5] === 2 ? head.readUInt16BE(18) : head.readUInt16LE(18);
    if (machine === EM_IA_64) return 'elf-ia64';
    if (machine === EM_PARISC) return 'elf-parisc';
    return undefined;
  }
  if (head.length >= 4 && SOM_SYSTEM_IDS.has(head.readUInt16BE(0)) && SOM_MAGICS.has(head.readUInt16BE(2))) return 'som';
  return undefined;
}

export function describeHpuxBinary(kind: HpuxBinaryKind): string {
  switch (kind) {
    case 'elf-ia64':
      return 'an HP-UX Itanium (ELF IA-64) executable';
    case 'elf-parisc':
      return 'an HP-UX PA-RISC (ELF) executable';
    case 'som':
      return 'an HP-UX PA-RISC (SOM) executable';
  }
}
