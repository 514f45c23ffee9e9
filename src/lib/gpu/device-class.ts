// Which kind of GPU a WebGPU adapter is, how much memory a model may use on it, and the buffer
// limits WebLLM will request. WebGPU does not reveal GPU memory, so without the user's own figure the
// budget is an estimate per device class; where that estimate may be too high it carries the low
// guess beside it, so a choice that depends on the guess can say so. Unified-memory devices (Apple,
// integrated, phones) give models the same share of a typed figure as of an estimated one.

import type { DeviceClass, GpuReport, MemoryBudget } from './types';
import { GIB, MIB, gb } from '../units';

/** Browsers round and cap navigator.deviceMemory (older Chrome at 8 GiB); assume 8 when it says nothing. */
const DEFAULT_RAM_GB = 8;
/** Without the user's figure a discrete GPU is assumed to have 8 GiB (the most common size)... */
const ASSUMED_DISCRETE_VRAM_GB = 8;
/** ...and may have as little as 4 GiB (entry-level and older cards are still common). */
const LOW_DISCRETE_VRAM_GB = 4;
/** Least RAM a device that hides navigator.deviceMemory is taken to have, for the low guess. */
const LOW_RAM_GB = 4;
/** Share of the limit a model may use and still leave the browser comfortable. */
const COMFORTABLE_SHARE = 0.8;

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

/** Dedicated video memory: 10% is left for the browser's own GPU use, 75% is comfortable. */
function dedicated(totalGB: number): { limitBytes: number; comfortableBytes: number } {
  return { limitBytes: totalGB * GIB * 0.9, comfortableBytes: totalGB * GIB * 0.75 };
}

/** The share of unified (system) memory a model may use on each class, from `ramGB` of RAM. */
function unifiedLimit(deviceClass: Exclude<DeviceClass, 'discrete'>, ramGB: number, capped: boolean): number {
  switch (deviceClass) {
    case 'apple':
      // macOS lets the GPU use about two thirds of unified memory.
      return ramGB * GIB * 0.65;
    case 'integrated':
      return (capped ? Math.min(ramGB * 0.45, 6) : ramGB * 0.45) * GIB;
    case 'mobile':
      return (capped ? Math.min(ramGB * 0.35, 4) : ramGB * 0.35) * GIB;
    case 'software':
      return (capped ? Math.min(ramGB * 0.25, 2) : ramGB * 0.25) * GIB;
  }
}

const UNIFIED_WORDS: Record<Exclude<DeviceClass, 'discrete'>, string> = {
  apple: 'the GPU may use about 65% of unified memory',
  integrated: 'an integrated GPU gets a share of it',
  mobile: 'a phone keeps most of it for the system',
  software: 'a software adapter computes on the CPU, so only small models are practical',
};

export function memoryBudget(r: GpuReport, userGpuMemoryGB?: number): MemoryBudget {
  const deviceClass = classifyDevice(r);
  if (userGpuMemoryGB !== undefined && userGpuMemoryGB > 0) {
    // A software adapter is told how much of system RAM it may use: the figure is taken as given.
    if (deviceClass === 'discrete' || deviceClass === 'software') {
      const d = dedicated(userGpuMemoryGB);
      return {
        deviceClass,
        ...d,
        source: 'user',
        basis: `you set GPU memory to ${userGpuMemoryGB} GB; models may use up to ${gb(d.limitBytes)}`,
      };
    }
    // On unified memory the figure is the system's memory, of which the GPU gets the same share as estimated.
    const limit = unifiedLimit(deviceClass, userGpuMemoryGB, false);
    return {
      deviceClass,
      limitBytes: limit,
      comfortableBytes: limit * COMFORTABLE_SHARE,
      source: 'user',
      basis: `you set memory to ${userGpuMemoryGB} GB, shared with the system: ${UNIFIED_WORDS[deviceClass]}, so models may use up to ${gb(limit)}`,
    };
  }
  if (deviceClass === 'discrete') {
    const d = dedicated(ASSUMED_DISCRETE_VRAM_GB);
    const low = dedicated(LOW_DISCRETE_VRAM_GB);
    return {
      deviceClass,
      limitBytes: d.limitBytes,
      comfortableBytes: d.limitBytes * COMFORTABLE_SHARE,
      source: 'estimate',
      basis: `WebGPU does not reveal GPU memory; assumed ${ASSUMED_DISCRETE_VRAM_GB} GB of video memory (a guess). Set your GPU's memory for an exact fit`,
      lowGuess: {
        limitBytes: low.limitBytes,
        comfortableBytes: low.limitBytes * COMFORTABLE_SHARE,
        assumed: `${ASSUMED_DISCRETE_VRAM_GB} GB of video memory`,
      },
    };
  }
  const ram = r.deviceMemoryGB ?? DEFAULT_RAM_GB;
  const ramWords =
    r.deviceMemoryGB === undefined
      ? `the browser does not report memory; assumed ${DEFAULT_RAM_GB} GB (a guess)`
      : `the browser reports ${ram} GB of memory${ram >= 8 ? ' (browsers cap this figure)' : ''}`;
  const limit = unifiedLimit(deviceClass, ram, true);
  const budget: MemoryBudget = {
    deviceClass,
    limitBytes: limit,
    comfortableBytes: limit * COMFORTABLE_SHARE,
    source: 'estimate',
    basis: `${ramWords}; ${UNIFIED_WORDS[deviceClass]}`,
  };
  // A reported figure is a floor (browsers round down and cap it); only a missing one can be too high.
  if (r.deviceMemoryGB === undefined) {
    const low = unifiedLimit(deviceClass, LOW_RAM_GB, true);
    budget.lowGuess = { limitBytes: low, comfortableBytes: low * COMFORTABLE_SHARE, assumed: `${DEFAULT_RAM_GB} GB of memory` };
  }
  return budget;
}

/** WebLLM asks the device for 1 GiB of a limit and falls back to its minimum; 0 when neither is offered. */
function webllmLimit(max: number, minimum: number): number {
  if (max >= GIB) return GIB;
  return max >= minimum ? minimum : 0;
}

/** The storage-buffer binding size WebLLM will get: 1 GiB, else 128 MiB. */
export function effectiveBindingBytes(r: GpuReport): number {
  return webllmLimit(r.limits.maxStorageBufferBindingSize, 128 * MIB);
}

/** The buffer size WebLLM will get: 1 GiB, else 256 MiB. */
export function effectiveBufferBytes(r: GpuReport): number {
  return webllmLimit(r.limits.maxBufferSize, 256 * MIB);
}

/**
 * The largest buffer WebLLM can create and bind whole: every weight tensor and the logits rows
 * must fit both limits. 0 when the device cannot meet WebLLM's minimums.
 */
export function maxBindableBytes(r: GpuReport): number {
  return Math.min(effectiveBindingBytes(r), effectiveBufferBytes(r));
}

export function hasShaderF16(r: GpuReport): boolean {
  return r.features.includes('shader-f16');
}
