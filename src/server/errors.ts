/**
 * The one error shape of the HTTP API: `{status, code, message}` (plus the
 * per-input `messages` when an ingestion failed), with codes from src/errors.ts.
 * Pages show the same three things as HTML.
 */
import type { FastifyError } from 'fastify';
import { formatMessage, type Code } from '../errors.js';
import type { Message } from '../types.js';

export interface ErrorBody {
  status: number;
  code: string;
  message: string;
  messages?: Message[];
}

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: Code | string, message: string, readonly messages?: Message[]) {
    super(message);
  }

  body(): ErrorBody {
    return { status: this.status, code: this.code, message: this.message, ...(this.messages ? { messages: this.messages } : {}) };
  }
}

/** An ingestion where nothing was stored: the first problem is the error, all of them come along. */
export function ingestionFailed(messages: Message[]): ApiError {
  const errors = messages.filter((m) => m.severity === 'error');
  const first = errors[0] ?? messages[0];
  const rest = errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? 's' : ''}, listed in messages)` : '';
  return new ApiError(422, first?.code ?? 'TRI_E101', first ? `${formatMessage(first)}${rest}` : 'nothing to ingest: send at least one file, some text or a URL', messages);
}

/** Fastify's own errors (validation, body limits, content types) in our shape. */
export function fromFastifyError(error: FastifyError & { validation?: Array<{ instancePath: string; message?: string; params?: Record<string, unknown> }>; validationContext?: string }): ApiError {
  if (error instanceof ApiError) return error;
  if (error.validation) {
    const first = error.validation[0]!;
    const contexts: Record<string, string> = { querystring: 'query parameter', params: 'path parameter', body: 'field', headers: 'header' };
    const where = contexts[error.validationContext ?? ''] ?? 'value';
    const name = first.instancePath.replace(/^\//, '').replace(/\//g, '.') || (first.params?.missingProperty as string | undefined) || (first.params?.additionalProperty as string | undefined) || '';
    const what = first.params?.additionalProperty ? `is not a known ${where}` : first.message ?? 'is invalid';
    return new ApiError(400, 'TRI_E101', `${where} ${name ? `"${name}" ` : ''}${what}`.replace(/\s+/g, ' ').trim());
  }
  const status = error.statusCode ?? 500;
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_FILES_LIMIT':
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return new ApiError(413, 'TRI_E104', `${error.message}; split the upload or ask for a larger --max-upload`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new ApiError(415, 'TRI_E105', `${error.message}; send files as multipart/form-data and text or URLs as JSON or a form`);
    default:
      if (status >= 400 && status < 500) return new ApiError(status, 'TRI_E101', error.message);
      return new ApiError(500, 'TRI_E107', 'the server failed to handle this request; this is a bug, please report it');
  }
}
