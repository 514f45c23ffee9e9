// Reads the GPU the worker will run models on: adapter info, features, the limits WebLLM depends
// on, device memory and whether this is a phone. Runs in the engine worker (the same context that
// later creates WebLLM's device), so the report describes the adapter WebLLM will get.

import type { GpuReport } from '../../lib/gpu/types';

interface NavigatorExtras {
  deviceMemory?: number;
  userAgentData?: { mobile?: boolean };
}

export async function probeGpu(): Promise<GpuReport | null> {
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) return null;
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' }).catch(() => null);
  if (!adapter) return null;
  const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  const legacyFallback = (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter;
  const nav = navigator as Navigator & NavigatorExtras;
  const report: GpuReport = {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    device: info.device ?? '',
    description: info.description ?? '',
    isFallbackAdapter: Boolean(info.isFallbackAdapter ?? legacyFallback),
    features: [...adapter.features].sort(),
    limits: {
      maxBufferSize: adapter.limits.maxBufferSize,
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      maxStorageBuffersPerShaderStage: adapter.limits.maxStorageBuffersPerShaderStage,
      maxComputeWorkgroupStorageSize: adapter.limits.maxComputeWorkgroupStorageSize,
    },
    mobile: nav.userAgentData?.mobile ?? /Android|iPhone|iPad|Mobile/i.test(navigator.userAgent),
  };
  if (typeof nav.deviceMemory === 'number') report.deviceMemoryGB = nav.deviceMemory;
  return report;
}
