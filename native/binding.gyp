# HiMAC native kernels. Built by native/build.mjs, which picks the BLAS and passes
# --himac_blas_lib=<static OpenBLAS archive> on Linux (node-gyp turns unknown options into gyp variables).
{
  'variables': {
    'himac_blas_lib%': ''
  },
  'targets': [
    {
      'target_name': 'himac_blas',
      'sources': ['himac_blas.c'],
      'cflags': ['-O3', '-fno-math-errno', '-fno-trapping-math', '-fvisibility=hidden'],
      'conditions': [
        ['OS=="linux"', {
          # Static OpenBLAS, only the BLAS objects it needs (no libgfortran), all its symbols hidden.
          'libraries': ['<(himac_blas_lib)', '-Wl,--exclude-libs,ALL', '-lpthread', '-lm'],
          'ldflags': ['-s']
        }],
        ['OS=="mac"', {
          'defines': ['HIMAC_ACCELERATE', 'ACCELERATE_NEW_LAPACK'],
          'libraries': ['-framework Accelerate'],
          'xcode_settings': {
            'OTHER_CFLAGS': ['-O3', '-fno-math-errno', '-fno-trapping-math'],
            'GCC_SYMBOLS_PRIVATE_EXTERN': 'YES'
          }
        }],
        ['OS=="win"', {
          # Import library of the official OpenBLAS x64 build (see native/README.md); the DLL ships beside the .node.
          'libraries': ['<(himac_blas_lib)']
        }]
      ]
    }
  ]
}
