import { describe, expect, it } from 'vitest'
import { dawnFlags, describeAdapter } from '../../../core/train/webgpu'

describe('WebGPU adapter naming and Dawn flags', () => {
  it('names the adapter by its description, adding vendor and architecture when not in it', () => {
    expect(
      describeAdapter({ vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H200' })
    ).toBe('NVIDIA H200 (nvidia, hopper)')
    expect(
      describeAdapter({
        vendor: 'mesa',
        architecture: 'software',
        description: 'llvmpipe: Mesa 25.0.7',
        isFallbackAdapter: true
      })
    ).toBe('llvmpipe: Mesa 25.0.7 (mesa, software)')
    expect(describeAdapter({ device: 'swiftshader', isFallbackAdapter: true })).toBe(
      'swiftshader (software adapter)'
    )
    expect(describeAdapter(undefined)).toBe('unnamed adapter')
  })

  it('splits HIMAC_DAWN_FLAGS at each key=, keeping spaces inside a value', () => {
    expect(dawnFlags({ HIMAC_DAWN_FLAGS: 'backend=vulkan adapter=NVIDIA H200' })).toEqual([
      'backend=vulkan',
      'adapter=NVIDIA H200'
    ])
    expect(dawnFlags({})).toEqual([])
  })
})
