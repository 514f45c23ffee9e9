// Real device profiles as Chrome reports them (adapter info, features, limits, deviceMemory), used
// by the sizing tests and the bench table. Chrome hides adapter descriptions and caps deviceMemory
// at 8, so the profiles do too; `userGpuMemoryGB` is what a user would type into settings.
import type { GpuReport } from '../../src/lib/gpu/types';

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;

export interface DeviceProfile {
  name: string;
  report: GpuReport;
  userGpuMemoryGB?: number;
}

const limits = (binding: number, buffer = Math.max(binding, 256 * MIB), buffers = 10, workgroup = 32768) => ({
  maxBufferSize: buffer,
  maxStorageBufferBindingSize: binding,
  maxStorageBuffersPerShaderStage: buffers,
  maxComputeWorkgroupStorageSize: workgroup,
});

const report = (r: Partial<GpuReport> & Pick<GpuReport, 'vendor' | 'architecture' | 'limits'>): GpuReport => ({
  device: '',
  description: '',
  isFallbackAdapter: false,
  features: ['shader-f16'],
  deviceMemoryGB: 8,
  mobile: false,
  ...r,
});

export const PROFILES: DeviceProfile[] = [
  { name: 'Apple M1 8 GB', report: report({ vendor: 'apple', architecture: 'metal-3', limits: limits(4 * GIB - 4, 4 * GIB) }) },
  { name: 'Apple M3 Max (auto)', report: report({ vendor: 'apple', architecture: 'metal-3', limits: limits(4 * GIB - 4, 4 * GIB) }) },
  { name: 'Apple M3 Max 36 GB (user)', report: report({ vendor: 'apple', architecture: 'metal-3', limits: limits(4 * GIB - 4, 4 * GIB) }), userGpuMemoryGB: 36 },
  { name: 'NVIDIA RTX 3060 12 GB (user)', report: report({ vendor: 'nvidia', architecture: 'ampere', limits: limits(2 * GIB - 4, 2 * GIB) }), userGpuMemoryGB: 12 },
  { name: 'NVIDIA RTX 4090 (auto)', report: report({ vendor: 'nvidia', architecture: 'lovelace', limits: limits(2 * GIB - 4, 2 * GIB) }) },
  { name: 'NVIDIA RTX 4090 24 GB (user)', report: report({ vendor: 'nvidia', architecture: 'lovelace', limits: limits(2 * GIB - 4, 2 * GIB) }), userGpuMemoryGB: 24 },
  { name: 'Intel Iris Xe', report: report({ vendor: 'intel', architecture: 'gen-12lp', limits: limits(2 * GIB - 4, 2 * GIB) }) },
  { name: 'AMD Radeon 780M', report: report({ vendor: 'amd', architecture: 'rdna-3', limits: limits(2 * GIB - 4, 2 * GIB) }) },
  { name: 'Android Adreno 740 (128 MiB binding)', report: report({ vendor: 'qualcomm', architecture: 'adreno-7xx', mobile: true, limits: limits(128 * MIB, 256 * MIB) }) },
  { name: 'SwiftShader', report: report({ vendor: 'google', architecture: 'swiftshader', features: [], limits: limits(GIB, GIB) }) },
  { name: 'Intel HD 620 (no shader-f16)', report: report({ vendor: 'intel', architecture: 'gen-9', features: [], limits: limits(2 * GIB - 4, 2 * GIB) }) },
  { name: 'Old Mali (8 storage buffers)', report: report({ vendor: 'arm', architecture: 'valhall', mobile: true, limits: limits(128 * MIB, 256 * MIB, 8) }) },
];

export const profile = (name: string): DeviceProfile => {
  const p = PROFILES.find((x) => x.name === name);
  if (!p) throw new Error(`no profile ${name}`);
  return p;
};
