// Device profiles as browsers report them (adapter info, features, limits, deviceMemory), used by
// the sizing tests and the bench table. Chrome hides adapter descriptions and caps deviceMemory, so
// the profiles do too; `userGpuMemoryGB` is what a user would type into settings. SwiftShader was
// captured from this repository's test browser (Chromium 156, headless); the limits of the others
// are the tiers Chrome and Safari report for those adapters, with the reports they come from noted.
import type { GpuReport } from '../../src/lib/gpu/types';

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;

export interface DeviceProfile {
  name: string;
  report: GpuReport;
  userGpuMemoryGB?: number;
}

const limits = (binding: number, buffer: number, buffers = 10, workgroup = 32768) => ({
  maxBufferSize: buffer,
  maxStorageBufferBindingSize: binding,
  maxStorageBuffersPerShaderStage: buffers,
  maxComputeWorkgroupStorageSize: workgroup,
});

const report = (r: Partial<GpuReport> & Pick<GpuReport, 'vendor' | 'architecture' | 'limits'>): GpuReport => {
  const out: GpuReport = {
    device: '',
    description: '',
    isFallbackAdapter: false,
    features: ['shader-f16'],
    deviceMemoryGB: 8,
    mobile: false,
    ...r,
  };
  if (out.deviceMemoryGB === undefined) delete out.deviceMemoryGB;
  return out;
};

/** navigator.gpu.requestAdapter() in the test Chromium (SwiftShader), captured verbatim. */
const SWIFTSHADER_CAPTURED: GpuReport = {
  vendor: 'google',
  architecture: 'swiftshader',
  device: '',
  description: '',
  isFallbackAdapter: true,
  features: [
    'bgra8unorm-storage',
    'chromium-experimental-sampling-resource-table',
    'chromium-experimental-timestamp-query-inside-passes',
    'clip-distances',
    'core-features-and-limits',
    'depth-clip-control',
    'depth32float-stencil8',
    'float32-blendable',
    'float32-filterable',
    'indirect-first-instance',
    'rg11b10ufloat-renderable',
    'subgroup-size-control',
    'subgroups',
    'texture-component-swizzle',
    'texture-compression-astc',
    'texture-compression-astc-sliced-3d',
    'texture-compression-bc',
    'texture-compression-bc-sliced-3d',
    'texture-compression-etc2',
    'texture-compression-unaligned',
    'timestamp-query',
  ],
  limits: {
    maxBufferSize: 1073741824,
    maxStorageBufferBindingSize: 1073741824,
    maxStorageBuffersPerShaderStage: 10,
    maxComputeWorkgroupStorageSize: 32768,
  },
  deviceMemoryGB: 16,
  mobile: false,
};

export const PROFILES: DeviceProfile[] = [
  { name: 'Apple M1 8 GB', report: report({ vendor: 'apple', architecture: 'metal-3', limits: limits(4 * GIB - 4, 4 * GIB) }) },
  { name: 'Apple M3 Max (auto)', report: report({ vendor: 'apple', architecture: 'metal-3', limits: limits(4 * GIB - 4, 4 * GIB) }) },
  {
    name: 'Apple M3 Max 36 GB (user)',
    report: report({ vendor: 'apple', architecture: 'metal-3', limits: limits(4 * GIB - 4, 4 * GIB) }),
    userGpuMemoryGB: 36,
  },
  {
    name: 'NVIDIA RTX 3060 12 GB (user)',
    report: report({ vendor: 'nvidia', architecture: 'ampere', limits: limits(2 * GIB - 4, 2 * GIB) }),
    userGpuMemoryGB: 12,
  },
  // A 4 GB card: without the user's figure the budget assumes 8 GB.
  {
    name: 'NVIDIA GTX 1650 4 GB (auto)',
    report: report({ vendor: 'nvidia', architecture: 'turing', limits: limits(2 * GIB - 4, 2 * GIB) }),
  },
  {
    name: 'NVIDIA GTX 1650 4 GB (user)',
    report: report({ vendor: 'nvidia', architecture: 'turing', limits: limits(2 * GIB - 4, 2 * GIB) }),
    userGpuMemoryGB: 4,
  },
  { name: 'NVIDIA RTX 4090 (auto)', report: report({ vendor: 'nvidia', architecture: 'lovelace', limits: limits(2 * GIB - 4, 2 * GIB) }) },
  {
    name: 'NVIDIA RTX 4090 24 GB (user)',
    report: report({ vendor: 'nvidia', architecture: 'lovelace', limits: limits(2 * GIB - 4, 2 * GIB) }),
    userGpuMemoryGB: 24,
  },
  { name: 'Intel Iris Xe', report: report({ vendor: 'intel', architecture: 'gen-12lp', limits: limits(2 * GIB - 4, 2 * GIB) }) },
  { name: 'AMD Radeon 780M', report: report({ vendor: 'amd', architecture: 'rdna-3', limits: limits(2 * GIB - 4, 2 * GIB) }) },
  // Android Chrome reports the 128 MiB default binding (mlc-ai/web-stable-diffusion#35, apache/tvm#14640).
  {
    name: 'Android Adreno 740 (128 MiB binding)',
    report: report({ vendor: 'qualcomm', architecture: 'adreno-7xx', mobile: true, limits: limits(128 * MIB, 256 * MIB) }),
  },
  // 256 MiB buffers with a larger binding: why TVM falls back to 256 MiB maxBufferSize (apache/tvm#17150,
  // iOS Safari). Safari has no navigator.deviceMemory.
  {
    name: 'iPhone Safari (256 MiB buffers, 1 GiB binding)',
    report: report({ vendor: 'apple', architecture: '', mobile: true, deviceMemoryGB: undefined, limits: limits(GIB, 256 * MIB) }),
  },
  { name: 'SwiftShader', report: SWIFTSHADER_CAPTURED },
  {
    name: 'Intel HD 620 (no shader-f16)',
    report: report({ vendor: 'intel', architecture: 'gen-9', features: [], limits: limits(2 * GIB - 4, 2 * GIB) }),
  },
  {
    name: 'Old Mali (8 storage buffers)',
    report: report({ vendor: 'arm', architecture: 'valhall', mobile: true, limits: limits(128 * MIB, 256 * MIB, 8) }),
  },
];

export const profile = (name: string): DeviceProfile => {
  const p = PROFILES.find((x) => x.name === name);
  if (!p) throw new Error(`no profile ${name}`);
  return p;
};
