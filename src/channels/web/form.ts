import type { FastifyRequest } from 'fastify';
import { SpocError } from '../../shared/errors.js';

export interface UploadedFile {
  name: string;
  contentType: string;
  bytes: Buffer;
}

export interface FormLimits {
  maxFiles: number;
  maxFileBytes: number;
}

/** Form fields are short; a description is the longest at 20,000 characters (up to 4 bytes each). */
const MAX_FIELD_BYTES = 80_000;
const MAX_FIELDS = 20;

/**
 * Reads a multipart form into memory within the limits (the parts are bounded by count and size, so
 * memory is too), or passes a JSON body through. Files are only stored once the fields validated.
 */
export async function readForm(req: FastifyRequest, limits: FormLimits): Promise<{ fields: Record<string, unknown>; files: UploadedFile[] }> {
  if (!req.isMultipart()) {
    const body = req.body;
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      throw new SpocError('invalid_request', 'send the form as multipart/form-data or a JSON object', 400);
    }
    return { fields: body as Record<string, unknown>, files: [] };
  }
  const fields: Record<string, unknown> = {};
  const files: UploadedFile[] = [];
  const parts = req.parts({
    limits: { files: limits.maxFiles, fileSize: limits.maxFileBytes, fields: MAX_FIELDS, fieldSize: MAX_FIELD_BYTES },
  });
  for await (const part of parts) {
    if (part.type === 'field') {
      if (part.valueTruncated) throw new SpocError('field_too_large', `field ${part.fieldname} is too long`, 413);
      fields[part.fieldname] = part.value;
      continue;
    }
    // toBuffer throws RequestFileTooLargeError (413) when the file passes maxFileBytes.
    const bytes = await part.toBuffer();
    // A file input left empty still sends a part with no name and no bytes.
    if (!part.filename && bytes.length === 0) continue;
    files.push({ name: part.filename || 'attachment', contentType: part.mimetype || 'application/octet-stream', bytes });
  }
  return { fields, files };
}
