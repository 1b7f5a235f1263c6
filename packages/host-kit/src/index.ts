/** @cutout/host-kit: what every host adapter shares on top of @cutout/protocol's client. */
export { CodedError, messageOf } from './coded-error.js';
export { runBatch, resultProblem, type BatchOptions, type BatchOutcome, type BatchStatus, type RequestTemplate } from './batch-runner.js';
export { isUnreadable, type BatchProgress, type HostPort, type Pixels, type Skip, type Unreadable, type WriteItem } from './host-port.js';
export { clip, describeSkip, summarise, MAX_NOTICE_CHARS } from './summary.js';
