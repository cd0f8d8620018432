/**
 * Writers of large synthetic checkpoints for the model-scan benchmark: a PyTorch zip (state dict
 * pickle in `archive/data.pkl`, stored 64-byte-aligned storages under `archive/data/<key>`) and a
 * safetensors file, both filled with pseudo-random tensor bytes so nothing compresses or is sparse.
 */
import { open } from 'node:fs/promises';
import { crc32 } from 'node:zlib';

const CHUNK = 16 * 1024 * 1024;

/** A deterministic pseudo-random block reused for tensor bytes. */
function noise(length: number): Buffer {
  const out = Buffer.alloc(length);
  let x = 0x9e3779b9;
  for (let i = 0; i < length; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out.writeUInt32LE(x >>> 0, i);
  }
  return out;
}

/** Pickle (protocol 2) of an OrderedDict of float32 tensors as torch.save writes it (exported for the VM row). */
export function stateDictPickle(tensors: readonly { name: string; key: string; numel: number }[]): Buffer {
  const parts: Buffer[] = [];
  const op = (...bytes: number[]) => parts.push(Buffer.from(bytes));
  const text = (s: string) => {
    const b = Buffer.from(s, 'utf8');
    const len = Buffer.alloc(4);
    len.writeUInt32LE(b.length);
    parts.push(Buffer.from([0x58]), len, b); // BINUNICODE
  };
  // Like pickle.py, each global is written once and memoised (BINPUT), later fetched with BINGET.
  const memo = new Map<string, number>();
  const global = (module: string, name: string) => {
    const key = `${module}\n${name}`;
    const slot = memo.get(key);
    if (slot !== undefined) return op(0x68, slot); // BINGET
    parts.push(Buffer.from(`c${key}\n`, 'latin1'));
    memo.set(key, memo.size);
    op(0x71, memo.size - 1); // BINPUT
  };
  const int = (n: number) => {
    const b = Buffer.alloc(5);
    b[0] = 0x4a; // BININT
    b.writeInt32LE(n, 1);
    parts.push(b);
  };
  op(0x80, 0x02);
  global('collections', 'OrderedDict');
  op(0x29, 0x52); // EMPTY_TUPLE REDUCE
  for (const [i, t] of tensors.entries()) {
    // pickle.py writes dict items in batches of 1000 (MARK ... SETITEMS).
    if (i % 1000 === 0) {
      if (i > 0) op(0x75); // SETITEMS
      op(0x28); // MARK
    }
    text(t.name);
    global('torch._utils', '_rebuild_tensor_v2');
    op(0x28); // MARK (args)
    op(0x28); // MARK (persistent id)
    text('storage');
    global('torch', 'FloatStorage');
    text(t.key);
    text('cpu');
    int(t.numel);
    op(0x74, 0x51); // TUPLE BINPERSID
    int(0);
    int(t.numel);
    op(0x85); // TUPLE1 (size)
    int(1);
    op(0x85); // TUPLE1 (stride)
    op(0x89); // NEWFALSE
    global('collections', 'OrderedDict');
    op(0x29, 0x52);
    op(0x74, 0x52); // TUPLE REDUCE
  }
  op(0x75, 0x2e); // SETITEMS STOP
  return Buffer.concat(parts);
}

interface ZipEntry {
  readonly name: string;
  readonly offset: number;
  readonly size: number;
  readonly crc: number;
}

/** Writes a stored (uncompressed) PyTorch zip of about `totalBytes` of tensors; returns its size. */
export async function writeTorchZip(path: string, totalBytes: number): Promise<number> {
  const tensorBytes = 256 * 1024 * 1024;
  const count = Math.max(1, Math.round(totalBytes / tensorBytes));
  const tensors = Array.from({ length: count }, (_, i) => ({
    name: `layers.${i}.weight`,
    key: String(i),
    numel: tensorBytes / 4,
  }));
  const block = noise(CHUNK);
  const file = await open(path, 'w');
  const entries: ZipEntry[] = [];
  let offset = 0;
  const write = async (bytes: Uint8Array) => {
    await file.write(bytes);
    offset += bytes.length;
  };
  const member = async (
    name: string,
    size: number,
    fill: (write: (b: Uint8Array) => Promise<void>) => Promise<number>,
  ) => {
    const nameBytes = Buffer.from(name, 'utf8');
    const headerEnd = offset + 30 + nameBytes.length + 4;
    const pad = (64 - (headerEnd % 64)) % 64;
    const extra = Buffer.alloc(4 + pad);
    extra.writeUInt16LE(0x4246, 0); // PyTorch's 'FB' padding extra field
    extra.writeUInt16LE(pad, 2);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(size, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(extra.length, 28);
    const start = offset;
    await write(local);
    await write(nameBytes);
    await write(extra);
    const crc = await fill(write);
    entries.push({ name, offset: start, size, crc });
    // Patch the CRC into the local header now that the data is written.
    const crcBytes = Buffer.alloc(4);
    crcBytes.writeUInt32LE(crc);
    await file.write(crcBytes, 0, 4, start + 14);
  };
  const small = async (name: string, bytes: Buffer) =>
    member(name, bytes.length, async (w) => {
      await w(bytes);
      return crc32(bytes);
    });
  await small('archive/data.pkl', stateDictPickle(tensors));
  await small('archive/byteorder', Buffer.from('little'));
  for (const t of tensors) {
    await member(`archive/data/${t.key}`, tensorBytes, async (w) => {
      let crc = 0;
      for (let done = 0; done < tensorBytes; done += CHUNK) {
        await w(block);
        crc = crc32(block, crc);
      }
      return crc;
    });
  }
  await small('archive/version', Buffer.from('3\n'));
  const cdStart = offset;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(e.crc, 16);
    central.writeUInt32LE(e.size, 20);
    central.writeUInt32LE(e.size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(e.offset, 42);
    await write(central);
    await write(name);
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(offset - cdStart, 12);
  end.writeUInt32LE(cdStart, 16);
  await write(end);
  await file.close();
  return offset;
}

/** Writes a safetensors file of about `totalBytes` of F32 tensors; returns its size. */
export async function writeSafetensors(path: string, totalBytes: number): Promise<number> {
  const tensorBytes = 256 * 1024 * 1024;
  const count = Math.max(1, Math.round(totalBytes / tensorBytes));
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  for (let i = 0; i < count; i++) {
    header[`layers.${i}.weight`] = {
      dtype: 'F32',
      shape: [tensorBytes / 4 / 1024, 1024],
      data_offsets: [i * tensorBytes, (i + 1) * tensorBytes],
    };
  }
  let json = Buffer.from(JSON.stringify(header), 'utf8');
  json = Buffer.concat([json, Buffer.alloc((8 - (json.length % 8)) % 8, 0x20)]);
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(json.length));
  const block = noise(CHUNK);
  const file = await open(path, 'w');
  await file.write(length);
  await file.write(json);
  for (let done = 0; done < count * tensorBytes; done += CHUNK) await file.write(block);
  await file.close();
  return 8 + json.length + count * tensorBytes;
}
