/**
 * An ONNX file as onnxruntime-node sees it: its graph inputs and outputs (element types, shapes
 * with symbolic dims as strings; initializers are not inputs) and one raw test run. Registration
 * reads the graph through the runtime that will run it, so what it checks is what runs, and the
 * CLI needs no protobuf reader of its own.
 */
import * as ort from 'onnxruntime-node';
import { CoreError } from '@cutout/core';

export interface TensorInfo {
  readonly name: string;
  /** 'float32', 'float16', 'uint8', …; 'non-tensor' for sequences and maps. */
  readonly type: string;
  /** Numbers, or strings for symbolic dims ('' when unnamed); empty when the graph does not say. */
  readonly shape: readonly (number | string)[];
}

export interface RawOutput {
  readonly data: Float32Array;
  readonly dims: readonly number[];
}

export interface OnnxProbe {
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
  /** One run with a float32 input; rejects with onnxruntime's own message (the caller adds context). */
  run(inputName: string, input: Float32Array, dims: readonly number[], outputName: string): Promise<RawOutput>;
  dispose(): Promise<void>;
}

function info(m: ort.InferenceSession.ValueMetadata): TensorInfo {
  return m.isTensor ? { name: m.name, type: m.type, shape: [...m.shape] } : { name: m.name, type: 'non-tensor', shape: [] };
}

/** Loads the bytes in onnxruntime-node (CPU); `model_mismatch` naming `where` when it is not a model onnxruntime can load. */
export async function probeOnnx(bytes: Uint8Array, where: string): Promise<OnnxProbe> {
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'all' });
  } catch (e) {
    throw new CoreError('model_mismatch', `${where} is not an ONNX model onnxruntime can load (${(e as Error).message.trim()}).`, { cause: e });
  }
  return {
    inputs: session.inputMetadata.map(info),
    outputs: session.outputMetadata.map(info),
    async run(inputName, input, dims, outputName) {
      const tensor = new ort.Tensor('float32', input, [...dims]);
      try {
        const out = (await session.run({ [inputName]: tensor }, [outputName]))[outputName];
        if (!out || out.type !== 'float32') throw new Error(`output "${outputName}" is ${out?.type ?? 'missing'}, not float32`);
        const result = { data: out.data as Float32Array, dims: [...out.dims] };
        out.dispose();
        return result;
      } finally {
        tensor.dispose();
      }
    },
    dispose: () => session.release(),
  };
}
