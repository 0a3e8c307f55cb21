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
  const float *A = a.data, *B = b.data, *bv = bias.data;
  float *C = c.data;
  const int32_t *AI = ai.data, *BI = bi.data;
  for (int64_t i = 0; i < batch && mn; i++) {
    float *Ci = C + (size_t)i * mn;
    if (k == 0) {
      memset(Ci, 0, mn * sizeof(float));
      continue;
    }
    size_t ia = AI ? (size_t)AI[i] : (a_count == (size_t)batch ? (size_t)i : 0);
    size_t ib = BI ? (size_t)BI[i] : (b_count == (size_t)batch ? (size_t)i : 0);
    if (ia >= a_count || ib >= b_count) return throw_error(env, "matmul: batch index out of range");
    /* K in panels of K_PANEL, added into C in order: OpenBLAS splits a longer K differently with one
     * thread and with several (above its GEMM_Q, 448 on SkylakeX), which changes the float sums, so
     * the same seed gave other numbers at another thread count. One panel per call is split alike. */
    const float *Ai = A + ia * mk, *Bi = B + ib * kn;
    for (int64_t k0 = 0; k0 < k; k0 += K_PANEL) {
      const int64_t kc = k - k0 < K_PANEL ? k - k0 : K_PANEL;
      cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
                  (int)m, (int)n, (int)kc, 1.0f, ta ? Ai + k0 * m : Ai + k0, ta ? (int)m : (int)k,
                  tb ? Bi + k0 : Bi + k0 * n, tb ? (int)k : (int)n, k0 ? 1.0f : 0.0f, Ci, (int)n);
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

HIMAC_CLONES static void exp_loop(const float *x, float *y, size_t len) {
  for (size_t i = 0; i < len; i++) {
    const float v = x[i];
    const float e = v < -103.98f ? 0.0f : exp_poly(v);
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
HIMAC_CLONES static void gelu_loop(const float *x, float *y, size_t len) {
  for (size_t i = 0; i < len; i++) {
    const float v = x[i];
    const float t = tanh_poly(GELU_K * (v + GELU_C * v * v * v));
    y[i] = 0.5f * v * (1.0f + t);
  }
}

/* dx = dy * d/dx gelu(x) = dy (1/2 (1 + t) + x/2 (1 - t^2) k (1 + 3 c x^2)). */
HIMAC_CLONES static void gelu_grad_loop(const float *x, const float *dy, float *dx, size_t len) {
  for (size_t i = 0; i < len; i++) {
    const float v = x[i];
    const float t = tanh_poly(GELU_K * (v + GELU_C * v * v * v));
    const float du = GELU_K * (1.0f + 3.0f * GELU_C * v * v);
    dx[i] = dy[i] * (0.5f * (1.0f + t) + 0.5f * v * (1.0f - t * t) * du);
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

/* dX, dG, dB of the LayerNorm above from X, G and dY (mean and rstd recomputed per row). */
static void layer_norm_grad_rows(const float *x, const float *g, const float *dy, float *dx,
                                 float *dg, float *db, size_t rows, size_t d, float eps,
                                 double *acc /* 2 d scratch */) {
  memset(acc, 0, 2 * d * sizeof(double));
  for (size_t r = 0; r < rows; r++) {
    const float *xr = x + r * d;
    const float *dyr = dy + r * d;
    float *dxr = dx + r * d;
    float rstd;
    const float mean = row_stats(xr, d, eps, &rstd);
    double m1 = 0.0, m2 = 0.0; /* mean(dxhat), mean(dxhat * xhat) */
    for (size_t j = 0; j < d; j++) {
      const float xh = (xr[j] - mean) * rstd;
      const float dxh = dyr[j] * g[j];
      m1 += dxh;
      m2 += (double)dxh * xh;
      acc[j] += (double)dyr[j] * xh;
      acc[d + j] += dyr[j];
    }
    const float a1 = (float)(m1 / (double)d), a2 = (float)(m2 / (double)d);
    for (size_t j = 0; j < d; j++) {
      const float xh = (xr[j] - mean) * rstd;
      dxr[j] = rstd * (dyr[j] * g[j] - a1 - xh * a2);
    }
  }
  for (size_t j = 0; j < d; j++) {
    dg[j] = (float)acc[j];
    db[j] = (float)acc[d + j];
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
  layer_norm_rows(x.data, g.data, b.data, y.data, x.length / d, d, (float)eps);
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
  double *acc = malloc(2 * d * sizeof(double));
  if (!acc) return throw_error(env, "layerNormGrad: out of memory");
  layer_norm_grad_rows(x.data, g.data, dy.data, dx.data, dg.data, db.data, x.length / d, d,
                       (float)eps, acc);
  free(acc);
  return NULL;
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
    gelu_loop(x.data, y.data, x.length);
    return NULL;
  }
  if (!get_view(env, argv[2], napi_float32_array, &dy, 0) || dy.length != x.length)
    return throw_error(env, "gelu: DY must be a Float32Array as long as X");
  gelu_grad_loop(x.data, dy.data, y.data, x.length);
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
static int current_threads = 1;

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
  openblas_set_num_threads((int)t);
  current_threads = openblas_get_num_threads();
#endif
  return make_int(env, current_threads);
}

static napi_value js_get_threads(napi_env env, napi_callback_info info) {
  (void)info;
#ifndef HIMAC_ACCELERATE
  current_threads = openblas_get_num_threads();
#endif
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
      {"setThreads", NULL, js_set_threads, NULL, NULL, NULL, napi_enumerable, NULL},
      {"getThreads", NULL, js_get_threads, NULL, NULL, NULL, napi_enumerable, NULL},
      {"blasInfo", NULL, js_blas_info, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
