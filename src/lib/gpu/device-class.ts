// Which kind of GPU a WebGPU adapter is, and how much memory a model may use on it. WebGPU does
// not reveal GPU memory, so without the user's own figure the budget is a conservative estimate per
// device class, with headroom left for the browser and the rest of the system.

import type { DeviceClass, GpuReport, MemoryBudget } from './types';

const GIB = 1024 ** 3;
/** Browsers round and cap navigator.deviceMemory (older Chrome at 8 GiB); assume 8 when it says nothing. */
const DEFAULT_RAM_GB = 8;
/** Without the user's figure a discrete GPU is assumed to have 8 GiB (the most common size). */
const ASSUMED_DISCRETE_VRAM_GB = 8;

const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|basic render|warp/i;
const MOBILE = /adreno|mali|powervr|immortalis|xclipse|qualcomm|^arm$/i;
const INTEGRATED = /(intel(?!.*arc))|iris|uhd|radeon\(tm\) graphics|radeon graphics|\b(6[0-9]0m|7[0-9]0m|8[0-9]0m)\b|vega \d+ graphics/i;

export function classifyDevice(r: GpuReport): DeviceClass {
  const text = `${r.vendor} ${r.architecture} ${r.device} ${r.description}`;
  if (r.isFallbackAdapter || SOFTWARE.test(text)) return 'software';
  if (r.mobile || MOBILE.test(r.vendor) || MOBILE.test(r.architecture) || MOBILE.test(r.description)) return 'mobile';
  if (/apple/i.test(r.vendor) || /^(metal|apple)/i.test(r.architecture)) return 'apple';
  if (/nvidia/i.test(r.vendor)) return 'discrete';
  if (/intel/i.test(r.vendor)) return /arc|alchemist|battlemage|xe-hpg/i.test(text) ? 'discrete' : 'integrated';
  if (INTEGRATED.test(text)) return 'integrated';
  // Chrome hides the adapter description, and AMD's integrated and discrete GPUs share
  // architectures: without an "RX"/"Pro" name, assume integrated (the safer, smaller budget).
  if (/amd|ati/i.test(r.vendor)) return /\b(rx|pro|instinct)\b/i.test(r.description) ? 'discrete' : 'integrated';
  return 'integrated';
}

const CLASS_WORDS: Record<DeviceClass, string> = {
  discrete: 'a discrete GPU',
  apple: 'an Apple GPU with unified memory',
  integrated: 'an integrated GPU that shares system memory',
  mobile: 'a mobile GPU',
  software: 'a software (CPU) adapter, which runs models very slowly',
};

export function describeClass(c: DeviceClass): string {
  return CLASS_WORDS[c];
}

const gb = (bytes: number) => `${(bytes / GIB).toFixed(1)} GB`;

export function memoryBudget(r: GpuReport, userGpuMemoryGB?: number): MemoryBudget {
  const deviceClass = classifyDevice(r);
  if (userGpuMemoryGB !== undefined && userGpuMemoryGB > 0) {
    const total = userGpuMemoryGB * GIB;
    // Leave 10% for the browser's own GPU use; 75% is comfortable.
    return {
      deviceClass,
      limitBytes: total * 0.9,
      comfortableBytes: total * 0.75,
      source: 'user',
      basis: `you set GPU memory to ${userGpuMemoryGB} GB; models may use up to ${gb(total * 0.9)}`,
    };
  }
  const ram = r.deviceMemoryGB ?? DEFAULT_RAM_GB;
  const ramWords = r.deviceMemoryGB === undefined ? 'the browser does not report memory; assumed 8 GB' : `the browser reports ${ram} GB of memory${ram >= 8 ? ' (browsers cap this figure)' : ''}`;
  let limit: number;
  let basis: string;
  switch (deviceClass) {
    case 'discrete':
      limit = ASSUMED_DISCRETE_VRAM_GB * GIB * 0.9;
      basis = `WebGPU does not reveal GPU memory; assumed ${ASSUMED_DISCRETE_VRAM_GB} GB of video memory. Set your GPU's memory for an exact fit`;
      break;
    case 'apple':
      // macOS lets the GPU use about two thirds of unified memory.
      limit = ram * GIB * 0.65;
      basis = `${ramWords}; the GPU may use about 65% of unified memory`;
      break;
    case 'integrated':
      limit = Math.min(ram * 0.45, 6) * GIB;
      basis = `${ramWords}; an integrated GPU gets a share of it`;
      break;
    case 'mobile':
      limit = Math.min(ram * 0.35, 4) * GIB;
      basis = `${ramWords}; a phone keeps most of it for the system`;
      break;
    case 'software':
      limit = Math.min(ram * 0.25, 2) * GIB;
      basis = `${ramWords}; a software adapter computes on the CPU, so only small models are practical`;
      break;
  }
  return { deviceClass, limitBytes: limit, comfortableBytes: limit * 0.8, source: 'estimate', basis };
}

/** The storage-buffer binding size WebLLM will get: it asks for 1 GiB and falls back to 128 MiB. */
export function effectiveBindingBytes(r: GpuReport): number {
  const max = r.limits.maxStorageBufferBindingSize;
  if (max >= 2 ** 30) return 2 ** 30;
  return max >= 2 ** 27 ? 2 ** 27 : 0;
}

export function hasShaderF16(r: GpuReport): boolean {
  return r.features.includes('shader-f16');
}
