import { createHmac } from 'node:crypto';
import { readBody, sendBytes, sendJson } from '../http/respond';
import type { RouteContext, Router } from '../http/router';
import { hasToken } from './auth';
import { GraphErrorCode, type GraphErrorResponse, graphError, unknownObject } from './errors';
import type { WhatsAppState } from './state';

/**
 * Where Meta serves media bytes (`lookaside.fbsbx.com/whatsapp_business/attachments/?mid=…`);
 * the emulator keeps the path so code that inspects the URL sees the familiar shape.
 */
export const MEDIA_DOWNLOAD_PATH = '/whatsapp_business/attachments/';

/** What the Media API routes need. */
export interface MediaRoutesConfig {
  phoneNumberId: string;
  accessToken: string;
  appSecret: string;
  state: WhatsAppState;
  /** The emulator's own base URL, for the download URL in lookups. */
  baseUrl: () => string;
}

type Fail = (context: RouteContext, error: GraphErrorResponse) => void;

function downloadUrl(config: MediaRoutesConfig, id: string): string {
  const hash = createHmac('sha256', config.appSecret).update(id).digest('base64url').slice(0, 22);
  const url = new URL(MEDIA_DOWNLOAD_PATH, config.baseUrl());
  url.searchParams.set('mid', id);
  url.searchParams.set('ext', String(Math.floor(Date.now() / 1000)));
  url.searchParams.set('hash', hash);
  return url.toString();
}

/**
 * Adds the Media API to the Graph router: `GET /{media-id}` (lookup), the download URL it returns
 * (Bearer token required, like Meta's), `DELETE /{media-id}` and `POST /{phone-number-id}/media`
 * (multipart upload). Source: https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media
 *
 * @example
 * ```ts
 * registerMediaRoutes(router, config, (context, error) => sendJson(context.res, error.status, error.body));
 * ```
 */
export function registerMediaRoutes(router: Router, config: MediaRoutesConfig, fail: Fail): void {
  const authorized = (context: RouteContext) => {
    if (hasToken(context.req, context.url, config.accessToken)) return true;
    fail(context, graphError(GraphErrorCode.AccessTokenInvalid));
    return false;
  };

  router.route('GET', MEDIA_DOWNLOAD_PATH, (context) => {
    if (!authorized(context)) return;
    const media = config.state.media(context.url.searchParams.get('mid') ?? '');
    if (media === undefined) return sendJson(context.res, 404, { error: 'Media not found' });
    sendBytes(context.res, 200, media.mimeType, media.bytes);
  });

  router.route('GET', '/:mediaId', (context) => {
    if (!authorized(context)) return;
    const id = context.params.mediaId as string;
    const media = config.state.media(id);
    // `?phone_number_id=` restricts the lookup to media of that number, as on Graph.
    const scope = context.url.searchParams.get('phone_number_id');
    if (media === undefined || (scope !== null && scope !== config.phoneNumberId)) {
      return fail(context, unknownObject(id, 'GET'));
    }
    sendJson(context.res, 200, {
      messaging_product: 'whatsapp',
      url: downloadUrl(config, id),
      mime_type: media.mimeType,
      sha256: media.sha256,
      file_size: media.bytes.byteLength,
      id,
    });
  });

  router.route('DELETE', '/:mediaId', (context) => {
    if (!authorized(context)) return;
    const id = context.params.mediaId as string;
    if (!config.state.deleteMedia(id)) return fail(context, unknownObject(id, 'DELETE'));
    sendJson(context.res, 200, { success: true });
  });

  router.route('POST', '/:phoneNumberId/media', async (context) => {
    if (!authorized(context)) return;
    const id = context.params.phoneNumberId as string;
    if (id !== config.phoneNumberId) return fail(context, unknownObject(id, 'POST'));
    let form: FormData;
    try {
      // undici's multipart parser (Node's own fetch) saves the package a dependency.
      const body = await readBody(context.req);
      const headers = { 'content-type': context.req.headers['content-type'] ?? '' };
      form = await new Request('http://emulator.local/', {
        method: 'POST',
        headers,
        body,
      }).formData();
    } catch {
      return fail(
        context,
        graphError(GraphErrorCode.InvalidParameter, 'Expected a multipart/form-data body'),
      );
    }
    const file = form.get('file');
    if (form.get('messaging_product') !== 'whatsapp') {
      return fail(
        context,
        graphError(
          GraphErrorCode.RequiredParameterMissing,
          'Param messaging_product is required and must be "whatsapp"',
        ),
      );
    }
    if (!(file instanceof Blob) || file.size === 0) {
      return fail(
        context,
        graphError(GraphErrorCode.MediaUploadError, 'Param file must be a non-empty file upload'),
      );
    }
    const type = form.get('type');
    const stored = config.state.addMedia({
      bytes: new Uint8Array(await file.arrayBuffer()),
      mimeType:
        typeof type === 'string' && type !== '' ? type : file.type || 'application/octet-stream',
      ...(file instanceof File && file.name !== '' ? { filename: file.name } : {}),
    });
    sendJson(context.res, 200, { id: stored.id });
  });
}
