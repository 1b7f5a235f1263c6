/**
 * Failures → what the user reads and how loudly: CanvaError codes (NE L51), the core's codes and
 * the app's own. Critical when the user must act, warn when they can go on (Canva's alert guidelines).
 */
import { CanvaError } from '@canva/error';
import type { MessageDescriptor } from 'react-intl';
import { strings } from '../i18n/strings.js';

type Tone = 'critical' | 'warn';

export interface Failure {
  readonly tone: Tone;
  readonly message: MessageDescriptor;
  readonly values?: Readonly<Record<string, string | number>>;
}

const CANVA: Readonly<Record<string, MessageDescriptor>> = {
  rate_limited: strings.rate_limited,
  quota_exceeded: strings.quota_exceeded,
  user_offline: strings.user_offline,
  permission_denied: strings.permission_denied,
  missing_permission: strings.permission_denied,
  not_allowed: strings.not_allowed,
  timeout: strings.timeout,
};

const errorCode = (e: unknown): string | undefined => {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

function isCanvaError(e: unknown): e is InstanceType<typeof CanvaError> {
  return e instanceof CanvaError;
}

export function describeFailure(e: unknown): Failure {
  const detail = e instanceof Error ? e.message : String(e);
  const code = errorCode(e);
  if (isCanvaError(e)) {
    const known = CANVA[e.code];
    const tone: Tone = e.code === 'rate_limited' || e.code === 'user_offline' || e.code === 'timeout' ? 'warn' : 'critical';
    return known ? { tone, message: known } : { tone, message: strings.canvaOther, values: { code: e.code } };
  }
  switch (code) {
    case 'model_fetch_failed':
      return { tone: 'critical', message: strings.modelFetch, values: { detail } };
    case 'model_integrity':
      return { tone: 'critical', message: strings.modelIntegrity };
    case 'image_too_large':
      return { tone: 'critical', message: strings.tooLarge };
    case 'output_too_large':
      return { tone: 'critical', message: strings.outputTooLarge };
    default:
      return { tone: 'critical', message: strings.generic, values: { detail } };
  }
}
