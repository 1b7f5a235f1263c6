/** @cutout/tools-models: what tests and scripts import (bin/prepare-models.ts is the command). */
export * from './half-float.js';
export * from './model-data.js';
export * from './model-measure.js';
export * from './model-variants.js';
export * from './onnx-fp32.js';
export * from './onnx-graph.js';
export * from './onnx-int4.js';
export * from './onnx-int8.js';
export * from './onnx-mixed.js';
