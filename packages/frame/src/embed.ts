/**
 * The browser bundle for hosts that run the frame in their own document (Canva; the embed test
 * page): the frame's mount plus the protocol's in-process pair and host client, so such a host
 * needs one script. Built by scripts/build.mjs into packages/frame/dist/embed/embed.js.
 */
export { mountFrame, type MountOptions, type MountedFrame } from './mount.js';
export { createDirectPair, createFrameClient, isFrameError, FrameError } from '@cutout/protocol';
