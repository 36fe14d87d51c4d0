/**
 * Frees the GPU-resident KV cache between steps of the raw greedy loop. With
 * preferredOutputLocation 'gpu-buffer' (as transformers.js sets on webgpu), each step's present.*
 * tensors live in GPU buffers that only dispose() frees; transformers.js' DynamicCache disposes the
 * previous step's tensors once the next step has consumed them, and this wrapper does the same,
 * so the loop in bench/runtime/greedy-loop.ts stays untouched. On wasm it holds nothing.
 */
import type { InferenceSession, Tensor } from 'onnxruntime-web/webgpu';
import type { OrtSession, OrtTensor } from '../runtime/greedy-loop';

export class GpuCacheReleasingSession implements OrtSession {
  private held: Tensor[] = [];

  constructor(readonly session: InferenceSession) {}

  async run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>> {
    const outputs = await this.session.run(feeds as InferenceSession.FeedsType);
    // The tensors held from the last step were this step's past_key_values: consumed now.
    this.releaseHeld();
    this.held = Object.values(outputs).filter((tensor) => tensor.location === 'gpu-buffer');
    return outputs;
  }

  releaseHeld(): void {
    for (const tensor of this.held) tensor.dispose();
    this.held = [];
  }
}
