import t from 'tap';
import { describeHpuxBinary, hpuxBinaryKind } from '../../harness/sd/hpux-binary.js';

/** An ELF header: class, data (1 LE, 2 BE), machine. */
function elf(data: 1 | 2, machine: number): Buffer {
  const b = Buffer.alloc(64);
  b.write('\x7fELF', 0, 'latin1');
  b[4] = 2;
  b[5] = data;
  b[6] = 1;
  if (data === 2) b.writeUInt16BE(machine, 18);
  else b.writeUInt16LE(machine, 18);
  return b;
}

t.test('HP-UX ELF executables by machine, in their byte order', async (t) => {
  t.equal(hpuxBinaryKind(elf(2, 50)), 'elf-ia64', 'Itanium, big-endian as HP-UX writes it');
  t.equal(hpuxBinaryKind(elf(1, 50)), 'elf-ia64');
  t.equal(hpuxBinaryKind(elf(2, 15)), 'elf-parisc');
  t.equal(hpuxBinaryKind(elf(1, 62)), undefined, 'x86-64 runs here');
  t.equal(hpuxBinaryKind(elf(2, 50).subarray(0, 10)), undefined, 'too short to tell');
});

t.test('PA-RISC SOM executables by system id and magic', async (t) => {
  const som = (id: number, magic: number) => Buffer.from([id >> 8, id & 0xff, magic >> 8, magic & 0xff, 0, 0]);
  t.equal(hpuxBinaryKind(som(0x210, 0x10b)), 'som', 'PA-RISC 1.1 demand-load');
  t.equal(hpuxBinaryKind(som(0x214, 0x107)), 'som', 'PA-RISC 2.0 executable');
  t.equal(hpuxBinaryKind(som(0x210, 0x999)), undefined);
  t.equal(hpuxBinaryKind(Buffer.from('#!/sbin/sh\nexit 0\n')), undefined, 'a script is no binary');
  t.match(describeHpuxBinary('som'), /PA-RISC \(SOM\)/);
});
