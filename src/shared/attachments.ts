import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile, access } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import type { Attachment } from '../intake/record.js';
import type { AttachmentStore } from '../channels/types.js';
import { SpocError } from './errors.js';

/**
 * Content-addressed: the same file sent twice (a forwarded mail, a re-submitted form) is stored once,
 * and a ref never points at bytes that changed.
 */
export function createAttachmentStore(opts: { dir: string; maxBytes: number }): AttachmentStore {
  const root = resolve(opts.dir);
  const pathOf = (sha: string) => join(root, sha.slice(0, 2), sha);

  return {
    options: { dir: opts.dir, maxBytes: opts.maxBytes },
    async put(bytes, meta) {
      if (bytes.length > opts.maxBytes) {
        throw new SpocError('attachment_too_large', `attachment ${meta.name} is ${bytes.length} bytes; the limit is ${opts.maxBytes}`, 413);
      }
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const path = pathOf(sha256);
      const exists = await access(path).then(() => true, () => false);
      if (!exists) {
        await mkdir(join(root, sha256.slice(0, 2)), { recursive: true });
        // Write then rename so a crash never leaves a truncated file under a valid hash. The temporary name
        // is this call's own: two mails of one batch may store the same file at once, in one thread or
        // several, and a name per process or thread let one rename the other's file away (ENOENT).
        // Renaming over a file another writer just finished is harmless: the bytes are the same.
        const tmp = `${path}.${randomUUID()}.tmp`;
        await writeFile(tmp, bytes);
        await rename(tmp, path);
      }
      const attachment: Attachment = {
        name: meta.name.slice(0, 255) || 'attachment',
        contentType: meta.contentType || 'application/octet-stream',
        size: bytes.length,
        sha256,
        ref: `sha256:${sha256}`,
      };
      return attachment;
    },
    async read(attachment) {
      const m = /^sha256:([0-9a-f]{64})$/.exec(attachment.ref);
      if (!m?.[1]) throw new SpocError('attachment_external', 'attachment is not stored locally', 404);
      const path = pathOf(m[1]);
      if (!path.startsWith(root + sep)) throw new SpocError('attachment_ref_invalid', 'bad attachment reference', 400);
      return readFile(path);
    },
  };
}
