// Error-code choices reviewed in docs (code-review §2.6): WebGPU failures are 'gpu_lost' only when the
// device was lost (the engine falls back to WASM on both codes), and the CLI reports a bug as 'internal'.
import { describe, expect, it } from 'vitest';
import { CoreError } from '@cutout/core';
import { isDeviceLost } from '@cutout/core-web';
import { cliErrorCode } from '../packages/cli/src/error-code.js';

describe('isDeviceLost', () => {
  it('recognises device-lost messages, also as a cause', () => {
    for (const m of ['Device is lost', 'GPUDevice was lost: destroyed', 'WebGPU device lost (reason: unknown)', 'DeviceLost'])
      expect(isDeviceLost(new Error(m)), m).toBe(true);
    expect(isDeviceLost(new Error('run failed', { cause: new Error('the device was lost') }))).toBe(true);
  });
  it('leaves kernel and memory errors to inference_failed', () => {
    for (const m of ['Failed to allocate buffer: out of memory', 'Non-zero status code returned while running Conv node', 'lost connection'])
      expect(isDeviceLost(new Error(m)), m).toBe(false);
    expect(isDeviceLost('device lost')).toBe(false);
  });
});

describe('cliErrorCode', () => {
  it('keeps core codes, maps file-system errors to io_error and anything else to internal', () => {
    expect(cliErrorCode(new CoreError('unsupported_image', 'x'))).toBe('unsupported_image');
    expect(cliErrorCode(Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES', syscall: 'open' }))).toBe('io_error');
    expect(cliErrorCode(new TypeError('x is not a function'))).toBe('internal');
    expect(cliErrorCode('thrown string')).toBe('internal');
  });
});
