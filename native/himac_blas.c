/*
 * HiMAC native kernels: a plain C Node-API addon that runs BLAS (OpenBLAS, or Accelerate on macOS)
 * and a few vectorised elementwise loops directly on Float32Arrays. The tfjs wasm backend hands us
 * views on its heap, so every call is zero-copy. Calls are synchronous and borrow the arrays only
 * for the duration of the call (no external buffers: safe under Electron's V8 memory cage).
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef HIMAC_ACCELERATE
#include <Accelerate/Accelerate.h>
#define HIMAC_BLAS_NAME "Accelerate"
#else
/* Declared here so the build needs only the library, not its headers. */
enum CBLAS_ORDER { CblasRowMajor = 101, CblasColMajor = 102 };
enum CBLAS_TRANSPOSE { CblasNoTrans = 111, CblasTrans = 112 };
void cblas_sgemm(enum CBLAS_ORDER, enum CBLAS_TRANSPOSE, enum CBLAS_TRANSPOSE, int, int, int, float,
                 const float *, int, const float *, int, float, float *, int);
void cblas_sgemv(enum CBLAS_ORDER, enum CBLAS_TRANSPOSE, int, int, float, const float *, int,
                 const float *, int, float, float *, int);
void openblas_set_num_threads(int);
int openblas_get_num_threads(void);
char *openblas_get_config(void);
char *openblas_get_corename(void);
#define HIMAC_BLAS_NAME "OpenBLAS"
#endif

/* Function multiversioning: an AVX2 clone of the elementwise loops where the toolchain allows it. */
#if defined(__x86_64__) && defined(__linux__) && defined(__GNUC__) && !defined(__clang__)
#define HIMAC_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define HIMAC_CLONES
#endif

#define CHECK(call)                                                                                \
  do {                                                                                             \
    if ((call) != napi_ok) return throw_error(env, "napi call failed: " #call);                    \
  } while (0)

static napi_value throw_error(napi_env env, const char *msg) {
  napi_throw_error(env, "HIMAC_NATIVE", msg);
  return NULL;
}

/* A Float32Array (or Int32Array) argument; null/undefined gives data == NULL. */
typedef struct {
  void *data;
  size_t length;
} view_t;

static int get_view(napi_env env, napi_value value, napi_typedarray_type want, view_t *out,
                    int optional) {
  napi_valuetype vt;
  out->data = NULL;
  out->length = 0;
  if (napi_typeof(env, value, &vt) != napi_ok) return 0;
  if (optional && (vt == napi_null || vt == napi_undefined)) return 1;
  bool is_ta = false;
  if (napi_is_typedarray(env, value, &is_ta) != napi_ok || !is_ta) return 0;
  napi_typedarray_type type;
  napi_value ab;
  size_t offset;
  if (napi_get_typedarray_info(env, value, &type, &out->length, &out->data, &ab, &offset) != napi_ok)
    return 0;
  return type == want;
}

/* Reads argv[0..n) as the required Float32Arrays outs[0..n). */
static int get_float32_views(napi_env env, const napi_value *argv, view_t *const *outs, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!get_view(env, argv[i], napi_float32_array, outs[i], 0)) return 0;
  return 1;
}

static int get_int(napi_env env, napi_value value, int64_t *out) {
  return napi_get_value_int64(env, value, out) == napi_ok;
}

static napi_value make_int(napi_env env, int64_t v) {
  napi_value out;
  napi_create_int64(env, v, &out);
  return out;
}

/* ---------------------------------------------------------------------------------------------- */
/* A small pool for the row-wise loops below (GELU, LayerNorm forward, the softmaxes): the work is
 * cut into contiguous ranges of independent units (elements or rows), one per thread, so every unit
 * is computed by the same code whatever the thread count and the numbers do not depend on it. The
 * thread count follows setThreads (the BLAS threads); small inputs stay on the calling thread. */
typedef void (*range_fn)(void *ctx, size_t begin, size_t end);
#define POOL_MAX 8
/* Below this many floats per part a loop is not worth handing over. */
#define POOL_MIN_FLOATS 65536
static int pool_threads = 1;
#ifndef _WIN32
#include <pthread.h>
static struct {
  pthread_t th[POOL_MAX];
  int workers;
  pthread_mutex_t mu;
  pthread_cond_t go, done;
  unsigned gen;
  int pending, parts;
  range_fn fn;
  void *ctx;
  size_t units;
} pool = {.mu = PTHREAD_MUTEX_INITIALIZER, .go = PTHREAD_COND_INITIALIZER,
          .done = PTHREAD_COND_INITIALIZER};

static void part_range(size_t units, int parts, int i, size_t *begin, size_t *end) {
  *begin = units * (size_t)i / (size_t)parts;
  *end = units * (size_t)(i + 1) / (size_t)parts;
}

static void *pool_worker(void *arg) {
  const int id = (int)(intptr_t)arg; /* 1 .. workers */
  unsigned seen = 0;
  pthread_mutex_lock(&pool.mu);
  for (;;) {
    while (pool.gen == seen) pthread_cond_wait(&pool.go, &pool.mu);
    seen = pool.gen;
    if (id >= pool.parts) continue;
    range_fn fn = pool.fn;
    void *ctx = pool.ctx;
    size_t b, e;
    part_range(pool.units, pool.parts, id, &b, &e);
    pthread_mutex_unlock(&pool.mu);
    fn(ctx, b, e);
    pthread_mutex_lock(&pool.mu);
    if (--pool.pending == 0) pthread_cond_signal(&pool.done);
  }
  return NULL;
}
#endif

/* fn(ctx, begin, end) over [0, units), split over up to pool_threads threads (floats: the work's
 * size, to keep small calls on this thread). Returns when every part is done. */
static void parallel_for(size_t units, size_t floats, range_fn fn, void *ctx) {
  int parts = pool_threads;
  const size_t by_size = floats / POOL_MIN_FLOATS;
  if ((size_t)parts > by_size) parts = by_size < 1 ? 1 : (int)by_size;
  if ((size_t)parts > units) parts = units < 1 ? 1 : (int)units;
#ifndef _WIN32
  pthread_mutex_lock(&pool.mu);
  while (pool.workers < parts - 1) {
    if (pthread_create(&pool.th[pool.workers], NULL, pool_worker,
                       (void *)(intptr_t)(pool.workers + 1)) != 0)
      break;
    pthread_detach(pool.th[pool.workers]);
    pool.workers++;
  }
  if (parts > pool.workers + 1) parts = pool.workers + 1;
  if (parts > 1) {
    pool.fn = fn;
    pool.ctx = ctx;
    pool.units = units;
    pool.parts = parts;
    pool.pending = parts - 1;
    pool.gen++;
    pthread_cond_broadcast(&pool.go);
  }
  pthread_mutex_unlock(&pool.mu);
  if (parts > 1) {
    size_t b, e;
    part_range(units, parts, 0, &b, &e);
    fn(ctx, b, e);
    pthread_mutex_lock(&pool.mu);
    while (pool.pending > 0) pthread_cond_wait(&pool.done, &pool.mu);
    pthread_mutex_unlock(&pool.mu);
    return;
  }
#else
  (void)parts;
#endif
  fn(ctx, 0, units);
}

/* K per sgemm call (see js_matmul): at most GEMM_Q on every OpenBLAS target. */
#define K_PANEL 256

/* Epilogue of the fused matmul over rows x n outputs: + bias (length n or 1), then relu (act 1). */
HIMAC_CLONES static void bias_act(float *c, size_t rows, size_t n, const float *bias, size_t blen,
                                  int act) {
  for (size_t r = 0; r < rows; r++) {
    float *row = c + r * n;
    if (bias && blen == n)
      for (size_t j = 0; j < n; j++) row[j] += bias[j];
    else if (bias)
      for (size_t j = 0; j < n; j++) row[j] += bias[0];
    if (act == 1)
      for (size_t j = 0; j < n; j++) row[j] = row[j] > 0.0f ? row[j] : 0.0f;
  }
}

/* A batch of fewer than POOL_MAX products is still batch-split when each has at most this many
 * multiply-adds (m n k); otherwise its products are split into blocks. */
#define SMALL_GEMM (1 << 21)
static int current_threads = 1;

struct mm_ctx {
  const float *a, *b;
  float *c;
  const int32_t *ai, *bi;
  size_t a_count, b_count, batch;
  int64_t m, n, k, ta, tb;
  /* When set, C starts as this bias (length n, or 1) and the first panel adds into it. */
  const float *bias;
  size_t blen;
};

/* Rows [r0, r1) x columns [c0, c1) of C[i] (indices checked by the caller). */
static void gemm_block(const struct mm_ctx *x, size_t i, int64_t r0, int64_t r1, int64_t c0,
                       int64_t c1) {
  const int64_t m = x->m, n = x->n, k = x->k;
  const size_t mk = (size_t)(m * k), kn = (size_t)(k * n), mn = (size_t)(m * n);
  float *Ci = x->c + i * mn + r0 * n + c0;
  if (k == 0) {
    for (int64_t r = r0; r < r1; r++) memset(Ci + (r - r0) * n, 0, (size_t)(c1 - c0) * sizeof(float));
    return;
  }
  const size_t ia = x->ai ? (size_t)x->ai[i] : (x->a_count == x->batch ? i : 0);
  const size_t ib = x->bi ? (size_t)x->bi[i] : (x->b_count == x->batch ? i : 0);
  const float *Ai = x->a + ia * mk, *Bi = x->b + ib * kn;
  if (x->bias)
    for (int64_t r = r0; r < r1; r++) {
      float *row = Ci + (r - r0) * n;
      if (x->blen == (size_t)n)
        memcpy(row, x->bias + c0, (size_t)(c1 - c0) * sizeof(float));
      else
        for (int64_t j = c0; j < c1; j++) row[j - c0] = x->bias[0];
    }
  /* K in panels of K_PANEL, added into C in order: OpenBLAS splits a longer K differently with one
   * thread and with several (above its GEMM_Q, 448 on SkylakeX), which changes the float sums, so
   * the same seed gave other numbers at another thread count. One panel per call is split alike,
   * and a block of rows or columns of C holds the same sums as the whole product. */
  for (int64_t k0 = 0; k0 < k; k0 += K_PANEL) {
    const int64_t kc = k - k0 < K_PANEL ? k - k0 : K_PANEL;
    const float *Ab = x->ta ? Ai + k0 * m + r0 : Ai + r0 * k + k0;
    const float *Bb = x->tb ? Bi + c0 * k + k0 : Bi + k0 * n + c0;
    cblas_sgemm(CblasRowMajor, x->ta ? CblasTrans : CblasNoTrans,
                x->tb ? CblasTrans : CblasNoTrans, (int)(r1 - r0), (int)(c1 - c0), (int)kc, 1.0f,
                Ab, x->ta ? (int)m : (int)k, Bb, x->tb ? (int)k : (int)n, k0 || x->bias ? 1.0f : 0.0f, Ci,
                (int)n);
  }
}

/* Whole products C[i], i in [i0, i1). */
static void mm_range(void *p, size_t i0, size_t i1) {
  const struct mm_ctx *x = p;
  for (size_t i = i0; i < i1; i++) gemm_block(x, i, 0, x->m, 0, x->n);
}

/* One product split into row blocks (or column blocks, when it has few rows). The blocks depend on
 * the product's shape alone and each is one gemm_block call whichever thread runs it: OpenBLAS's
 * sums for an element can depend on the block's size (measured: 100 x 1414 x 64 cut at column 707
 * differs from the whole in 3 % of its outputs), so blocks sized by the thread count gave other
 * numbers at another thread count. */
struct tile_ctx {
  const struct mm_ctx *x;
  size_t i;
  int by_rows;
  size_t blocks;
};
static void tile_range(void *p, size_t u0, size_t u1) {
  const struct tile_ctx *t = p;
  const int64_t dim = t->by_rows ? t->x->m : t->x->n;
  for (size_t u = u0; u < u1; u++) {
    size_t b, e;
    part_range((size_t)dim, (int)t->blocks, (int)u, &b, &e);
    if (t->by_rows)
      gemm_block(t->x, t->i, (int64_t)b, (int64_t)e, 0, t->x->n);
    else
      gemm_block(t->x, t->i, 0, t->x->m, (int64_t)b, (int64_t)e);
  }
}

/* ---------------------------------------------------------------------------------------------- */
/* matmul(A, B, C, batch, M, N, K, transposeA, transposeB, aIndex, bIndex, bias, act)
 * C[i] = op(A[ai]) x op(B[bi]) (+ bias) (relu), i < batch. ai = aIndex[i] when given, else i when A
 * holds `batch` matrices, else 0 (broadcast); the same for B. bias has length N or 1. act: 0 linear,
 * 1 relu. */
static napi_value js_matmul(napi_env env, napi_callback_info info) {
  size_t argc = 13;
  napi_value argv[13];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 9) return throw_error(env, "matmul: expected at least 9 arguments");
  view_t a, b, c, ai, bi, bias;
  int64_t batch, m, n, k, ta, tb, act = 0;
  if (!get_float32_views(env, argv, (view_t *[]){&a, &b, &c}, 3))
    return throw_error(env, "matmul: A, B and C must be Float32Arrays");
  if (!get_int(env, argv[3], &batch) || !get_int(env, argv[4], &m) || !get_int(env, argv[5], &n) ||
      !get_int(env, argv[6], &k) || !get_int(env, argv[7], &ta) || !get_int(env, argv[8], &tb))
    return throw_error(env, "matmul: batch, M, N, K and the transpose flags must be numbers");
  /* Node-API fills missing trailing arguments with undefined, so the optional ones are safe to read. */
  if (!get_view(env, argv[9], napi_int32_array, &ai, 1) ||
      !get_view(env, argv[10], napi_int32_array, &bi, 1))
    return throw_error(env, "matmul: aIndex and bIndex must be Int32Arrays or null");
  if (!get_view(env, argv[11], napi_float32_array, &bias, 1))
    return throw_error(env, "matmul: bias must be a Float32Array or null");
  napi_valuetype act_type;
  CHECK(napi_typeof(env, argv[12], &act_type));
  if (act_type != napi_undefined && !get_int(env, argv[12], &act))
    return throw_error(env, "matmul: act must be a number");
  if (batch < 0 || m < 0 || n < 0 || k < 0 || m > INT32_MAX || n > INT32_MAX || k > INT32_MAX)
    return throw_error(env, "matmul: bad dimensions");
  const size_t mk = (size_t)(m * k), kn = (size_t)(k * n), mn = (size_t)(m * n);
  if (c.length != (size_t)batch * mn) return throw_error(env, "matmul: C has the wrong length");
  const size_t a_count = mk ? a.length / mk : 0, b_count = kn ? b.length / kn : 0;
  if (mk && a_count * mk != a.length) return throw_error(env, "matmul: A has the wrong length");
  if (kn && b_count * kn != b.length) return throw_error(env, "matmul: B has the wrong length");
  if (!ai.data && batch > 0 && a_count != (size_t)batch && a_count != 1)
    return throw_error(env, "matmul: A batch does not broadcast; pass aIndex");
  if (!bi.data && batch > 0 && b_count != (size_t)batch && b_count != 1)
    return throw_error(env, "matmul: B batch does not broadcast; pass bIndex");
  if (ai.data && ai.length != (size_t)batch) return throw_error(env, "matmul: aIndex length");
  if (bi.data && bi.length != (size_t)batch) return throw_error(env, "matmul: bIndex length");
  if (bias.data && bias.length != (size_t)n && bias.length != 1)
    return throw_error(env, "matmul: bias must have length N or 1");
  const int32_t *AI = ai.data, *BI = bi.data;
  for (int64_t i = 0; i < batch && mn && k; i++) {
    const size_t ia = AI ? (size_t)AI[i] : (a_count == (size_t)batch ? (size_t)i : 0);
    const size_t ib = BI ? (size_t)BI[i] : (b_count == (size_t)batch ? (size_t)i : 0);
    if (ia >= a_count || ib >= b_count) return throw_error(env, "matmul: batch index out of range");
  }
  const float *bv = bias.data;
  float *C = c.data;
  if (mn) {
    /* A bias with one K panel is written into C first and the product added to it: the same float
     * sum (bias + product, rounded once) as adding it afterwards, without another pass over C. */
    const int prefill = bv && k > 0 && k <= K_PANEL;
    struct mm_ctx ctx = {a.data, b.data, C, AI, BI, a_count, b_count, (size_t)batch, m, n, k, ta, tb,
                         prefill ? bv : NULL, bias.length};
    if (prefill) bv = NULL;
    /* BLAS runs single-threaded; the pool splits the work: a batch of products (attention's per
     * head) a batch range per thread, a single large product into row (or column) blocks. OpenBLAS's
     * own threads gained little on these shapes and spun on the second core between calls. */
    const size_t per = (size_t)m * (size_t)n * (size_t)k / 16;
    /* Whole products or blocks is decided by the shape (POOL_MAX, not the current thread count), so
     * that the sums do not depend on the thread count either. */
    if (batch > 1 && (batch >= POOL_MAX || (int64_t)m * n * k <= SMALL_GEMM)) {
      parallel_for((size_t)batch, (size_t)batch * per, mm_range, &ctx);
    } else {
      const int by_rows = m >= n;
      const size_t dim = (size_t)(by_rows ? m : n);
      /* As many blocks as the most threads the pool may use, when the work is large enough to be
       * split at all (parallel_for's size rule), else one. */
      size_t blocks = per / POOL_MIN_FLOATS;
      if (blocks > POOL_MAX) blocks = POOL_MAX;
      if (blocks > dim) blocks = dim;
      if (blocks < 2) blocks = 1;
      for (int64_t i = 0; i < batch; i++) {
        struct tile_ctx t = {&ctx, (size_t)i, by_rows, blocks};
        parallel_for(blocks, per, tile_range, &t);
      }
    }
  }
  if (bv || act == 1) bias_act(C, (size_t)batch * (size_t)m, (size_t)n, bv, bias.length, (int)act);
  return NULL;
}

/* ---------------------------------------------------------------------------------------------- */
/* sumLeading(X, Y): X viewed as [R, C] with C = Y.length; Y[j] = sum_r X[r, j] (one sgemv). */
static float *ones = NULL;
static size_t ones_len = 0;

static napi_value js_sum_leading(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  view_t x, y;
  if (argc < 2 || !get_float32_views(env, argv, (view_t *[]){&x, &y}, 2))
    return throw_error(env, "sumLeading: X and Y must be Float32Arrays");
  if (y.length == 0) return NULL;
  const size_t rows = x.length / y.length;
  if (rows * y.length != x.length) return throw_error(env, "sumLeading: X.length % Y.length != 0");
  if (rows > INT32_MAX || y.length > INT32_MAX) return throw_error(env, "sumLeading: too large");
  if (rows == 0) {
    memset(y.data, 0, y.length * sizeof(float));
    return NULL;
  }
  if (ones_len < rows) {
    float *grown = realloc(ones, rows * sizeof(float));
    if (!grown) return throw_error(env, "sumLeading: out of memory");
    ones = grown;
    for (size_t i = ones_len; i < rows; i++) ones[i] = 1.0f;
    ones_len = rows;
  }
  cblas_sgemv(CblasRowMajor, CblasTrans, (int)rows, (int)y.length, 1.0f, x.data, (int)y.length, ones,
              1, 0.0f, y.data, 1);
  return NULL;
}

/* ---------------------------------------------------------------------------------------------- */
/* Elementwise exp/tanh. A Cephes-style expf (degree-6 polynomial after range reduction, max error
 * about 2 ulp) written without branches so that it vectorises; tanh(x) = sign(x)(1 - 2/(e^{2|x|}+1)). */
static inline float exp_poly(float x) {
  const float hi = 89.0f, lo = -104.0f; /* outside: overflow to inf, underflow to 0 */
  float xc = x > hi ? hi : x;
  xc = xc < lo ? lo : xc;
  const float fx = xc * 1.44269504088896341f;
  const int32_t n = (int32_t)(fx + 256.5f) - 256; /* floor(fx + 0.5) for fx in (-256, 256) */
  const float nf = (float)n;
  float r = xc - nf * 0.693359375f;
  r = r - nf * -2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r * r + r + 1.0f;
  /* 2^n in two factors so that denormal results (n < -126) and overflow (n = 128) come out right */
  const int32_t n1 = n / 2, n2 = n - n1;
  const int32_t b1 = (n1 + 127) << 23, b2 = (n2 + 127) << 23;
  float s1, s2;
  memcpy(&s1, &b1, sizeof s1);
  memcpy(&s2, &b2, sizeof s2);
  return p * s1 * s2;
}

/* e^v, flushed to 0 below the smallest denormal's exponent. */
static inline float exp_or_zero(float v) { return v < -103.98f ? 0.0f : exp_poly(v); }

HIMAC_CLONES static void exp_loop(const float *x, float *y, size_t len) {
  for (size_t i = 0; i < len; i++) {
    const float v = x[i];
    const float e = exp_or_zero(v);
    y[i] = v != v ? v : e; /* NaN passes through */
  }
}

static inline float tanh_poly(float v) {
  const float ax = v < 0.0f ? -v : v;
  const float a2 = ax > 20.0f ? 20.0f : ax; /* tanh(20) == 1 in float */
  const float t = 1.0f - 2.0f / (exp_poly(2.0f * a2) + 1.0f);
  const float s = v < 0.0f ? -t : t;
  return v != v ? v : s;
}

HIMAC_CLONES static void tanh_loop(const float *x, float *y, size_t len) {
  for (size_t i = 0; i < len; i++) y[i] = tanh_poly(x[i]);
}

/* GELU, tanh form (the model's): y = x/2 (1 + tanh(k (x + c x^3))), k = sqrt(2/pi), c = 0.044715.
 * The tfjs ops for it and for its gradient are about 15 passes over [rows, 4 d]; these are one each. */
#define GELU_K 0.7978845608028654f
#define GELU_C 0.044715f
/* 1/2 (1 + tanh(u)) = sigmoid(2u) = 1 / (1 + e^{-2u}): one exp and one division, and no
 * cancellation near 1 + tanh(u) = 0 (for u < -44 the exp overflows to inf and the result to 0). */
static inline float half_one_plus_tanh(float u) { return 1.0f / (1.0f + exp_poly(-2.0f * u)); }

HIMAC_CLONES static void gelu_loop(const float *x, float *y, size_t len) {
  for (size_t i = 0; i < len; i++) {
    const float v = x[i];
    y[i] = v * half_one_plus_tanh(GELU_K * (v + GELU_C * v * v * v));
  }
}

/* dx = dy * d/dx gelu(x) = dy (s + x s (1 - s) 2 k (1 + 3 c x^2)), s = 1/2 (1 + t), since
 * 1/2 (1 - t^2) = 2 s (1 - s). */
HIMAC_CLONES static void gelu_grad_loop(const float *x, const float *dy, float *dx, size_t len) {
  for (size_t i = 0; i < len; i++) {
    const float v = x[i];
    const float s = half_one_plus_tanh(GELU_K * (v + GELU_C * v * v * v));
    const float du = GELU_K * (1.0f + 3.0f * GELU_C * v * v);
    dx[i] = dy[i] * (s + 2.0f * v * s * (1.0f - s) * du);
  }
}

/* LayerNorm over the last axis of X [rows, d]: Y = (X - mean) / sqrt(var + eps) * G + B (biased
 * variance, as tf.moments). The tfjs ops for it and its autodiff gradient are ~30 passes per call. */
/* A row's mean, and 1 / sqrt(biased variance + eps) into *rstd (sums in double). */
static inline float row_stats(const float *xr, size_t d, float eps, float *rstd) {
  double s = 0.0;
  for (size_t j = 0; j < d; j++) s += xr[j];
  const float mean = (float)(s / (double)d);
  double q = 0.0;
  for (size_t j = 0; j < d; j++) {
    const float c = xr[j] - mean;
    q += (double)c * c;
  }
  *rstd = 1.0f / sqrtf((float)(q / (double)d) + eps);
  return mean;
}

static void layer_norm_rows(const float *x, const float *g, const float *b, float *y, size_t rows,
                            size_t d, float eps) {
  for (size_t r = 0; r < rows; r++) {
    const float *xr = x + r * d;
    float *yr = y + r * d;
    float rstd;
    const float mean = row_stats(xr, d, eps, &rstd);
    for (size_t j = 0; j < d; j++) yr[j] = (xr[j] - mean) * rstd * g[j] + b[j];
  }
}

struct ln_ctx {
  const float *x, *g, *b;
  float *y;
  size_t d;
  float eps;
};
static void ln_range(void *p, size_t r0, size_t r1) {
  const struct ln_ctx *c = p;
  layer_norm_rows(c->x + r0 * c->d, c->g, c->b, c->y + r0 * c->d, r1 - r0, c->d, c->eps);
}

/* dX, dG, dB of the LayerNorm above from X, G and dY (mean and rstd recomputed per row). */
struct ln_grad_ctx {
  const float *x, *g, *dy;
  float *dx;
  float *stats; /* mean and rstd per row */
  double *acc;  /* dg, db sums: 2 d */
  size_t rows, d;
  float eps;
};

/* Rows [r0, r1): their mean and rstd, and dX. */
static void ln_grad_rows(void *p, size_t r0, size_t r1) {
  const struct ln_grad_ctx *c = p;
  const size_t d = c->d;
  for (size_t r = r0; r < r1; r++) {
    const float *xr = c->x + r * d, *dyr = c->dy + r * d;
    float *dxr = c->dx + r * d;
    float rstd;
    const float mean = row_stats(xr, d, c->eps, &rstd);
    c->stats[2 * r] = mean;
    c->stats[2 * r + 1] = rstd;
    double m1 = 0.0, m2 = 0.0; /* mean(dxhat), mean(dxhat * xhat) */
    for (size_t j = 0; j < d; j++) {
      const float xh = (xr[j] - mean) * rstd;
      const float dxh = dyr[j] * c->g[j];
      m1 += dxh;
      m2 += (double)dxh * xh;
    }
    const float a1 = (float)(m1 / (double)d), a2 = (float)(m2 / (double)d);
    for (size_t j = 0; j < d; j++) {
      const float xh = (xr[j] - mean) * rstd;
      dxr[j] = rstd * (dyr[j] * c->g[j] - a1 - xh * a2);
    }
  }
}

/* Columns [j0, j1) of dG and dB, summed over every row in row order (so a column's sum does not
 * depend on how the columns are split). */
static void ln_grad_cols(void *p, size_t j0, size_t j1) {
  const struct ln_grad_ctx *c = p;
  const size_t d = c->d;
  double *sg = c->acc, *sb = c->acc + d;
  for (size_t j = j0; j < j1; j++) sg[j] = sb[j] = 0.0;
  for (size_t r = 0; r < c->rows; r++) {
    const float *xr = c->x + r * d, *dyr = c->dy + r * d;
    const float mean = c->stats[2 * r], rstd = c->stats[2 * r + 1];
    for (size_t j = j0; j < j1; j++) {
      const float xh = (xr[j] - mean) * rstd;
      sg[j] += (double)dyr[j] * xh;
      sb[j] += dyr[j];
    }
  }
}

/* layerNorm(X, G, B, Y, eps) or, with dY, layerNormGrad(X, G, DY, DX, DG, DB, eps). */
static napi_value js_layer_norm(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  view_t x, g, b, y;
  double eps;
  if (argc < 5 || !get_float32_views(env, argv, (view_t *[]){&x, &g, &b, &y}, 4) ||
      napi_get_value_double(env, argv[4], &eps) != napi_ok)
    return throw_error(env, "layerNorm: expected (X, G, B, Y: Float32Array, eps: number)");
  const size_t d = g.length;
  if (d == 0 || b.length != d || x.length % d != 0 || y.length != x.length)
    return throw_error(env, "layerNorm: G and B must be as long as the rows of X, Y as long as X");
  struct ln_ctx c = {x.data, g.data, b.data, y.data, d, (float)eps};
  parallel_for(x.length / d, x.length, ln_range, &c);
  return NULL;
}

static napi_value js_layer_norm_grad(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value argv[7];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  view_t x, g, dy, dx, dg, db;
  double eps;
  if (argc < 7 || !get_float32_views(env, argv, (view_t *[]){&x, &g, &dy, &dx, &dg, &db}, 6) ||
      napi_get_value_double(env, argv[6], &eps) != napi_ok)
    return throw_error(env, "layerNormGrad: expected (X, G, DY, DX, DG, DB: Float32Array, eps)");
  const size_t d = g.length;
  if (d == 0 || x.length % d != 0 || dy.length != x.length || dx.length != x.length ||
      dg.length != d || db.length != d)
    return throw_error(env, "layerNormGrad: DY and DX must be as long as X; G, DG and DB as its rows");
  const size_t rows = x.length / d;
  double *acc = malloc(2 * d * sizeof(double));
  float *stats = malloc(2 * (rows ? rows : 1) * sizeof(float));
  if (!acc || !stats) {
    free(acc);
    free(stats);
    return throw_error(env, "layerNormGrad: out of memory");
  }
  struct ln_grad_ctx c = {x.data, g.data, dy.data, dx.data, stats, acc, rows, d, (float)eps};
  parallel_for(rows, x.length, ln_grad_rows, &c);
  parallel_for(d, x.length, ln_grad_cols, &c);
  float *dgv = dg.data, *dbv = db.data;
  for (size_t j = 0; j < d; j++) {
    dgv[j] = (float)acc[j];
    dbv[j] = (float)acc[d + j];
  }
  free(stats);
  free(acc);
  return NULL;
}

/* Attention softmax: Y = softmax(X * scale + M) over rows of K. X and Y hold G blocks of S rows
 * ([B, H, S, K] with G = B H); M holds 1 block ([S, K], shared) or mb blocks ([B, 1, S, K]), block g
 * of X using mask block g / (G / mb). The tfjs ops are a scale, a mask add, a softmax (several
 * passes inside) and, for the gradient, four more passes over [B, H, S, K]; these are one pass each.
 * Sums and maxima run in 8 fixed partial lanes, so they vectorise and do not depend on threads. */
#define LANES 8
/* max_j v[j], in LANES partial maxima combined in order. */
static inline float row_max(const float *v, size_t k) {
  float mx[LANES];
  for (int l = 0; l < LANES; l++) mx[l] = v[0];
  size_t j = 0;
  for (; j + LANES <= k; j += LANES)
    for (int l = 0; l < LANES; l++) mx[l] = v[j + l] > mx[l] ? v[j + l] : mx[l];
  for (; j < k; j++) mx[0] = v[j] > mx[0] ? v[j] : mx[0];
  float top = mx[0];
  for (int l = 1; l < LANES; l++) top = mx[l] > top ? mx[l] : top;
  return top;
}

/* sum_j a[j] (b == NULL) or sum_j a[j] b[j], in LANES partial sums combined in order. */
static inline float row_sum(const float *a, const float *b, size_t k) {
  float acc[LANES] = {0};
  size_t j = 0;
  for (; j + LANES <= k; j += LANES)
    for (int l = 0; l < LANES; l++) acc[l] += b ? a[j + l] * b[j + l] : a[j + l];
  for (; j < k; j++) acc[0] += b ? a[j] * b[j] : a[j];
  float s = 0.0f;
  for (int l = 0; l < LANES; l++) s += acc[l];
  return s;
}

/* sum_j e^(src[j] - top), in LANES partial sums combined in order; dst[j] receives e^(src[j] - top)
 * (keep_exp) or src[j] - top. dst may be src. */
static inline float exp_sum_shifted(const float *src, float top, float *dst, size_t k, int keep_exp) {
  float sum[LANES] = {0};
  size_t j = 0;
  for (; j + LANES <= k; j += LANES)
    for (int l = 0; l < LANES; l++) {
      const float d = src[j + l] - top;
      const float e = exp_or_zero(d);
      dst[j + l] = keep_exp ? e : d;
      sum[l] += e;
    }
  for (; j < k; j++) {
    const float d = src[j] - top;
    const float e = exp_or_zero(d);
    dst[j] = keep_exp ? e : d;
    sum[0] += e;
  }
  float total = 0.0f;
  for (int l = 0; l < LANES; l++) total += sum[l];
  return total;
}

HIMAC_CLONES static void attn_softmax_rows(const float *x, const float *m, float *y, size_t rows,
                                           size_t k, float scale) {
  for (size_t r = 0; r < rows; r++) {
    const float *xr = x + r * k, *mr = m + r * k;
    float *yr = y + r * k;
    for (size_t j = 0; j < k; j++) yr[j] = xr[j] * scale + mr[j];
    const float total = exp_sum_shifted(yr, row_max(yr, k), yr, k, 1);
    const float inv = 1.0f / total;
    for (size_t j = 0; j < k; j++) yr[j] *= inv;
  }
}

/* dX = scale * Y * (dY - sum_j dY_j Y_j) per row of K. */
HIMAC_CLONES static void attn_softmax_grad_rows(const float *y, const float *dy, float *dx,
                                                size_t rows, size_t k, float scale) {
  for (size_t r = 0; r < rows; r++) {
    const float *yr = y + r * k, *dyr = dy + r * k;
    float *dxr = dx + r * k;
    const float s = row_sum(dyr, yr, k);
    for (size_t j = 0; j < k; j++) dxr[j] = scale * yr[j] * (dyr[j] - s);
  }
}

struct attn_ctx {
  const float *x, *m;
  float *y;
  const float *dy;
  size_t s, k, per;
  float scale;
};
/* Blocks [g0, g1) of the forward pass. */
static void attn_range(void *p, size_t g0, size_t g1) {
  const struct attn_ctx *c = p;
  const size_t block = c->s * c->k;
  for (size_t g = g0; g < g1; g++)
    attn_softmax_rows(c->x + g * block, c->m + (g / c->per) * block, c->y + g * block, c->s, c->k,
                      c->scale);
}
/* Rows [r0, r1) of the gradient: x holds Y, y receives dX. */
static void attn_grad_range(void *p, size_t r0, size_t r1) {
  const struct attn_ctx *c = p;
  attn_softmax_grad_rows(c->x + r0 * c->k, c->dy + r0 * c->k, c->y + r0 * c->k, r1 - r0, c->k,
                         c->scale);
}

/* attnSoftmax(X, M, Y, S, K, scale) or, with the gradient, attnSoftmaxGrad(Y, DY, DX, K, scale). */
static napi_value js_attn_softmax(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  view_t x, m, y;
  int64_t s, k;
  double scale;
  if (argc < 6 || !get_float32_views(env, argv, (view_t *[]){&x, &m, &y}, 3) ||
      !get_int(env, argv[3], &s) || !get_int(env, argv[4], &k) ||
      napi_get_value_double(env, argv[5], &scale) != napi_ok)
    return throw_error(env, "attnSoftmax: expected (X, M, Y: Float32Array, S, K, scale: number)");
  if (s <= 0 || k <= 0) return throw_error(env, "attnSoftmax: S and K must be positive");
  const size_t block = (size_t)s * (size_t)k;
  if (y.length != x.length || x.length % block != 0 || m.length == 0 || m.length % block != 0)
    return throw_error(env, "attnSoftmax: X and Y must be G blocks of S x K, M whole blocks");
  const size_t groups = x.length / block, mblocks = m.length / block;
  if (groups % mblocks != 0)
    return throw_error(env, "attnSoftmax: the mask blocks must divide the blocks of X");
  const size_t per = groups / mblocks;
  struct attn_ctx c = {x.data, m.data, y.data, NULL, (size_t)s, (size_t)k, per, (float)scale};
  parallel_for(groups, x.length, attn_range, &c);
  return NULL;
}

static napi_value js_attn_softmax_grad(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  view_t y, dy, dx;
  int64_t k;
  double scale;
  if (argc < 5 || !get_float32_views(env, argv, (view_t *[]){&y, &dy, &dx}, 3) ||
      !get_int(env, argv[3], &k) || napi_get_value_double(env, argv[4], &scale) != napi_ok)
    return throw_error(env, "attnSoftmaxGrad: expected (Y, DY, DX: Float32Array, K, scale: number)");
  if (k <= 0 || y.length % (size_t)k != 0 || dy.length != y.length || dx.length != y.length)
    return throw_error(env, "attnSoftmaxGrad: Y, DY and DX must be equally long rows of K");
  struct attn_ctx c = {y.data, NULL, dx.data, dy.data, 1, (size_t)k, 1, (float)scale};
  parallel_for(y.length / (size_t)k, y.length, attn_grad_range, &c);
  return NULL;
}

/* Log-softmax over rows of K: Y = X - max - log(sum exp(X - max)); its gradient from Y and dY:
 * dX = dY - exp(Y) sum_j dY_j. The tfjs op is six kernels forward and four backward. */
HIMAC_CLONES static void log_softmax_rows(const float *x, float *y, size_t rows, size_t k) {
  for (size_t r = 0; r < rows; r++) {
    const float *xr = x + r * k;
    float *yr = y + r * k;
    const float total = exp_sum_shifted(xr, row_max(xr, k), yr, k, 0);
    const float lse = logf(total);
    for (size_t j = 0; j < k; j++) yr[j] -= lse;
  }
}

HIMAC_CLONES static void log_softmax_grad_rows(const float *y, const float *dy, float *dx,
                                               size_t rows, size_t k) {
  for (size_t r = 0; r < rows; r++) {
    const float *yr = y + r * k, *dyr = dy + r * k;
    float *dxr = dx + r * k;
    const float s = row_sum(dyr, NULL, k);
    for (size_t j = 0; j < k; j++) {
      const float v = yr[j];
      dxr[j] = dyr[j] - exp_or_zero(v) * s;
    }
  }
}

/* Rows of k for the loops below: a (and b) in, out written. */
struct rows_ctx {
  const float *a, *b;
  float *out;
  size_t k;
};
static void log_softmax_range(void *p, size_t r0, size_t r1) {
  const struct rows_ctx *c = p;
  log_softmax_rows(c->a + r0 * c->k, c->out + r0 * c->k, r1 - r0, c->k);
}
static void log_softmax_grad_range(void *p, size_t r0, size_t r1) {
  const struct rows_ctx *c = p;
  log_softmax_grad_rows(c->a + r0 * c->k, c->b + r0 * c->k, c->out + r0 * c->k, r1 - r0, c->k);
}

/* logSoftmax(X, Y, K) or, with the gradient, logSoftmax(Y, DY, DX, K). */
static napi_value js_log_softmax(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  view_t a, b, c;
  int64_t k;
  if (argc == 3 && get_float32_views(env, argv, (view_t *[]){&a, &b}, 2) &&
      get_int(env, argv[2], &k)) {
    if (k <= 0 || a.length % (size_t)k != 0 || b.length != a.length)
      return throw_error(env, "logSoftmax: X and Y must be equally long rows of K");
    struct rows_ctx c = {a.data, NULL, b.data, (size_t)k};
    parallel_for(a.length / (size_t)k, a.length, log_softmax_range, &c);
    return NULL;
  }
  if (argc == 4 && get_float32_views(env, argv, (view_t *[]){&a, &b, &c}, 3) &&
      get_int(env, argv[3], &k)) {
    if (k <= 0 || a.length % (size_t)k != 0 || b.length != a.length || c.length != a.length)
      return throw_error(env, "logSoftmax: Y, DY and DX must be equally long rows of K");
    struct rows_ctx g = {a.data, b.data, c.data, (size_t)k};
    parallel_for(a.length / (size_t)k, a.length, log_softmax_grad_range, &g);
    return NULL;
  }
  return throw_error(env, "logSoftmax: expected (X, Y, K) or (Y, DY, DX, K)");
}

static void gelu_range(void *p, size_t i0, size_t i1) {
  const struct rows_ctx *c = p;
  gelu_loop(c->a + i0, c->out + i0, i1 - i0);
}
static void gelu_grad_range(void *p, size_t i0, size_t i1) {
  const struct rows_ctx *c = p;
  gelu_grad_loop(c->a + i0, c->b + i0, c->out + i0, i1 - i0);
}

/* gelu(X, Y) sets Y = gelu(X); gelu(X, Y, DY) sets Y = DY * gelu'(X). Arrays may alias. */
static napi_value js_gelu(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  view_t x, y, dy;
  if (argc < 2 || !get_float32_views(env, argv, (view_t *[]){&x, &y}, 2))
    return throw_error(env, "gelu: expected (Float32Array, Float32Array[, Float32Array])");
  if (x.length != y.length) return throw_error(env, "gelu: X and Y lengths differ");
  napi_valuetype t3 = napi_undefined;
  if (argc >= 3) CHECK(napi_typeof(env, argv[2], &t3));
  if (t3 == napi_undefined || t3 == napi_null) {
    struct rows_ctx c = {x.data, NULL, y.data, 1};
    parallel_for(x.length, x.length, gelu_range, &c);
    return NULL;
  }
  if (!get_view(env, argv[2], napi_float32_array, &dy, 0) || dy.length != x.length)
    return throw_error(env, "gelu: DY must be a Float32Array as long as X");
  struct rows_ctx c = {x.data, dy.data, y.data, 1};
  parallel_for(x.length, x.length, gelu_grad_range, &c);
  return NULL;
}

/* unary(op, X, Y): op 0 = tanh, 1 = exp. X and Y may alias. */
static napi_value js_unary(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  int64_t op;
  view_t x, y;
  if (argc < 3 || !get_int(env, argv[0], &op) ||
      !get_float32_views(env, argv + 1, (view_t *[]){&x, &y}, 2))
    return throw_error(env, "unary: expected (op, Float32Array, Float32Array)");
  if (x.length != y.length) return throw_error(env, "unary: X and Y lengths differ");
  if (op == 0)
    tanh_loop(x.data, y.data, x.length);
  else if (op == 1)
    exp_loop(x.data, y.data, x.length);
  else
    return throw_error(env, "unary: unknown op");
  return NULL;
}

/* ---------------------------------------------------------------------------------------------- */

static napi_value js_set_threads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  int64_t t;
  if (argc < 1 || !get_int(env, argv[0], &t) || t < 1 || t > 1024)
    return throw_error(env, "setThreads: expected an integer in [1, 1024]");
#ifdef HIMAC_ACCELERATE
  current_threads = (int)t; /* Accelerate manages its own threads */
#else
  openblas_set_num_threads(1); /* the pool below threads the products (see js_matmul) */
#endif
  current_threads = t < POOL_MAX ? (int)t : POOL_MAX;
  pool_threads = current_threads;
  return make_int(env, current_threads);
}

static napi_value js_get_threads(napi_env env, napi_callback_info info) {
  (void)info;
  return make_int(env, current_threads);
}

static napi_value js_blas_info(napi_env env, napi_callback_info info) {
  (void)info;
  char buf[512];
#ifdef HIMAC_ACCELERATE
  snprintf(buf, sizeof buf, "%s", HIMAC_BLAS_NAME);
#else
  snprintf(buf, sizeof buf, "%s (core %s)", openblas_get_config(), openblas_get_corename());
#endif
  napi_value out;
  napi_create_string_utf8(env, buf, NAPI_AUTO_LENGTH, &out);
  return out;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"matmul", NULL, js_matmul, NULL, NULL, NULL, napi_enumerable, NULL},
      {"sumLeading", NULL, js_sum_leading, NULL, NULL, NULL, napi_enumerable, NULL},
      {"unary", NULL, js_unary, NULL, NULL, NULL, napi_enumerable, NULL},
      {"gelu", NULL, js_gelu, NULL, NULL, NULL, napi_enumerable, NULL},
      {"layerNorm", NULL, js_layer_norm, NULL, NULL, NULL, napi_enumerable, NULL},
      {"layerNormGrad", NULL, js_layer_norm_grad, NULL, NULL, NULL, napi_enumerable, NULL},
      {"attnSoftmax", NULL, js_attn_softmax, NULL, NULL, NULL, napi_enumerable, NULL},
      {"logSoftmax", NULL, js_log_softmax, NULL, NULL, NULL, napi_enumerable, NULL},
      {"attnSoftmaxGrad", NULL, js_attn_softmax_grad, NULL, NULL, NULL, napi_enumerable, NULL},
      {"setThreads", NULL, js_set_threads, NULL, NULL, NULL, napi_enumerable, NULL},
      {"getThreads", NULL, js_get_threads, NULL, NULL, NULL, napi_enumerable, NULL},
      {"blasInfo", NULL, js_blas_info, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
