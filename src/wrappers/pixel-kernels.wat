;; SIMD kernels for the Atari preprocessing chain (MaxAndSkip, WarpFrame, FrameStack).
;;
;; Why WebAssembly: V8 runs a JavaScript loop over a typed array at about one element per
;; nanosecond and never vectorises it. These loops touch every byte of every frame, 16 bytes per
;; instruction here (128-bit SIMD): with them the Atari chain's own cost per agent step is 4.6×
;; (grey) to 5.7× (RGB) lower than with the same loops in JavaScript (`npm run bench -- --only
;; atari` shows both).
;;
;; Source of `pixel-kernels-wasm.ts` (the compiled bytes): after an edit, run
;; `npm run build:wasm`; a test checks that the two agree. Every function takes byte offsets into
;; the module's own memory; `pixel-kernels.ts` copies frames in and out and keeps 64 bytes of
;; slack after each region, since the loops read whole 16-byte vectors.

(module
  (memory (export "memory") 1)

  ;; out[i] = max(a[i], b[i]) for n bytes (NumPy's np.maximum on uint8 frames).
  (func (export "max_u8") (param $out i32) (param $a i32) (param $b i32) (param $n i32)
    (local $i i32)
    (block $done
      (loop $vectors
        (br_if $done (i32.gt_u (i32.add (local.get $i) (i32.const 16)) (local.get $n)))
        (v128.store (i32.add (local.get $out) (local.get $i))
          (i8x16.max_u
            (v128.load (i32.add (local.get $a) (local.get $i)))
            (v128.load (i32.add (local.get $b) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $vectors)))
    ;; the last n mod 16 bytes, one at a time
    (block $end
      (loop $bytes
        (br_if $end (i32.ge_u (local.get $i) (local.get $n)))
        (i32.store8 (i32.add (local.get $out) (local.get $i))
          (select
            (i32.load8_u (i32.add (local.get $a) (local.get $i)))
            (i32.load8_u (i32.add (local.get $b) (local.get $i)))
            (i32.ge_u
              (i32.load8_u (i32.add (local.get $a) (local.get $i)))
              (i32.load8_u (i32.add (local.get $b) (local.get $i))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $bytes))))

  ;; Four planes of n bytes (frames t-3, t-2, t-1, t) -> n pixels of 4 bytes, plane k in byte k:
  ;; the [H, W, 4] channels-last layout of a frame stack. Per 16 pixels: the bytes of p0 and p1
  ;; are paired (shuffle to 16-bit lanes), likewise p2 and p3, then the pairs are joined.
  (func (export "interleave4") (param $out i32) (param $p0 i32) (param $p1 i32) (param $p2 i32) (param $p3 i32) (param $n i32)
    (local $i i32) (local $o i32)
    (local $ab_lo v128) (local $ab_hi v128) (local $cd_lo v128) (local $cd_hi v128)
    (local $a v128) (local $b v128) (local $c v128) (local $d v128)
    (block $done
      (loop $vectors
        (br_if $done (i32.gt_u (i32.add (local.get $i) (i32.const 16)) (local.get $n)))
        (local.set $a (v128.load (i32.add (local.get $p0) (local.get $i))))
        (local.set $b (v128.load (i32.add (local.get $p1) (local.get $i))))
        (local.set $c (v128.load (i32.add (local.get $p2) (local.get $i))))
        (local.set $d (v128.load (i32.add (local.get $p3) (local.get $i))))
        (local.set $ab_lo (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $a) (local.get $b)))
        (local.set $ab_hi (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $a) (local.get $b)))
        (local.set $cd_lo (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $c) (local.get $d)))
        (local.set $cd_hi (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $c) (local.get $d)))
        (local.set $o (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2))))
        (v128.store offset=0 (local.get $o)
          (i8x16.shuffle 0 1 16 17 2 3 18 19 4 5 20 21 6 7 22 23 (local.get $ab_lo) (local.get $cd_lo)))
        (v128.store offset=16 (local.get $o)
          (i8x16.shuffle 8 9 24 25 10 11 26 27 12 13 28 29 14 15 30 31 (local.get $ab_lo) (local.get $cd_lo)))
        (v128.store offset=32 (local.get $o)
          (i8x16.shuffle 0 1 16 17 2 3 18 19 4 5 20 21 6 7 22 23 (local.get $ab_hi) (local.get $cd_hi)))
        (v128.store offset=48 (local.get $o)
          (i8x16.shuffle 8 9 24 25 10 11 26 27 12 13 28 29 14 15 30 31 (local.get $ab_hi) (local.get $cd_hi)))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $vectors)))
    (block $end
      (loop $pixels
        (br_if $end (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $o (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2))))
        (i32.store8 offset=0 (local.get $o) (i32.load8_u (i32.add (local.get $p0) (local.get $i))))
        (i32.store8 offset=1 (local.get $o) (i32.load8_u (i32.add (local.get $p1) (local.get $i))))
        (i32.store8 offset=2 (local.get $o) (i32.load8_u (i32.add (local.get $p2) (local.get $i))))
        (i32.store8 offset=3 (local.get $o) (i32.load8_u (i32.add (local.get $p3) (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $pixels))))

  ;; Compares `bands` consecutive bands of `band_bytes` bytes of two frames; flags[k] = 1 where
  ;; band k differs, else 0. Returns how many differ. (IncrementalAreaResize's change detection.)
  (func (export "changed_bands") (param $a i32) (param $b i32) (param $band_bytes i32) (param $bands i32) (param $flags i32) (result i32)
    (local $k i32) (local $start i32) (local $end i32) (local $i i32) (local $diff v128) (local $changed i32) (local $count i32)
    (block $bands_done
      (loop $each_band
        (br_if $bands_done (i32.ge_u (local.get $k) (local.get $bands)))
        (local.set $start (i32.mul (local.get $k) (local.get $band_bytes)))
        (local.set $end (i32.add (local.get $start) (local.get $band_bytes)))
        (local.set $i (local.get $start))
        (local.set $diff (v128.const i32x4 0 0 0 0))
        ;; OR together the XOR of every 16 bytes: nonzero anywhere means the band changed
        (block $vectors_done
          (loop $vectors
            (br_if $vectors_done (i32.gt_u (i32.add (local.get $i) (i32.const 16)) (local.get $end)))
            (local.set $diff (v128.or (local.get $diff)
              (v128.xor (v128.load (i32.add (local.get $a) (local.get $i)))
                        (v128.load (i32.add (local.get $b) (local.get $i))))))
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (br $vectors)))
        (local.set $changed (v128.any_true (local.get $diff)))
        (block $bytes_done
          (loop $bytes
            (br_if $bytes_done (i32.ge_u (local.get $i) (local.get $end)))
            (if (i32.ne (i32.load8_u (i32.add (local.get $a) (local.get $i)))
                        (i32.load8_u (i32.add (local.get $b) (local.get $i))))
              (then (local.set $changed (i32.const 1))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $bytes)))
        (i32.store8 (i32.add (local.get $flags) (local.get $k)) (local.get $changed))
        (local.set $count (i32.add (local.get $count) (local.get $changed)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $each_band)))
    (local.get $count))

  ;; RGB (3 bytes a pixel) -> gray, OpenCV's COLOR_RGB2GRAY: (9798 R + 19235 G + 3735 B + 2^14) >> 15.
  ;; Per 4 pixels (12 bytes): one 16-byte load, a swizzle of R,G into 16-bit pairs and one of B into
  ;; (B, 0) pairs (swizzle indices of 16 and above give 0), two dot products into 32-bit sums, the
  ;; rounding and a shift. Four such groups (16 pixels) are narrowed to 16 bytes and stored at once.
  ;; The four groups are written out rather than put in a helper function: V8 does not inline calls
  ;; between wasm functions, and a call per 4 pixels cost more than the arithmetic. Reads up to 4
  ;; bytes past the last pixel (the caller's slack).
  (func (export "rgb_to_gray") (param $out i32) (param $rgb i32) (param $pixels i32)
    (local $i i32) (local $src i32)
    (local $rg_mask v128) (local $b_mask v128) (local $rg_weights v128) (local $b_weights v128) (local $rounding v128)
    (local.set $rg_mask (v128.const i8x16 0 16 1 16 3 16 4 16 6 16 7 16 9 16 10 16))
    (local.set $b_mask (v128.const i8x16 2 16 16 16 5 16 16 16 8 16 16 16 11 16 16 16))
    (local.set $rg_weights (v128.const i16x8 9798 19235 9798 19235 9798 19235 9798 19235))
    (local.set $b_weights (v128.const i16x8 3735 0 3735 0 3735 0 3735 0))
    (local.set $rounding (v128.const i32x4 16384 16384 16384 16384))
    (block $done
      (loop $vectors
        (br_if $done (i32.gt_u (i32.add (local.get $i) (i32.const 16)) (local.get $pixels)))
        (local.set $src (i32.add (local.get $rgb) (i32.mul (local.get $i) (i32.const 3))))
        (v128.store (i32.add (local.get $out) (local.get $i))
          (i8x16.narrow_i16x8_u
            (i16x8.narrow_i32x4_u
              (i32x4.shr_u
              (i32x4.add
                (i32x4.add
                  (i32x4.dot_i16x8_s (i8x16.swizzle (v128.load offset=0 (local.get $src)) (local.get $rg_mask)) (local.get $rg_weights))
                  (i32x4.dot_i16x8_s (i8x16.swizzle (v128.load offset=0 (local.get $src)) (local.get $b_mask)) (local.get $b_weights)))
                (local.get $rounding))
              (i32.const 15))
              (i32x4.shr_u
              (i32x4.add
                (i32x4.add
                  (i32x4.dot_i16x8_s (i8x16.swizzle (v128.load offset=12 (local.get $src)) (local.get $rg_mask)) (local.get $rg_weights))
                  (i32x4.dot_i16x8_s (i8x16.swizzle (v128.load offset=12 (local.get $src)) (local.get $b_mask)) (local.get $b_weights)))
                (local.get $rounding))
              (i32.const 15)))
            (i16x8.narrow_i32x4_u
              (i32x4.shr_u
              (i32x4.add
                (i32x4.add
                  (i32x4.dot_i16x8_s (i8x16.swizzle (v128.load offset=24 (local.get $src)) (local.get $rg_mask)) (local.get $rg_weights))
                  (i32x4.dot_i16x8_s (i8x16.swizzle (v128.load offset=24 (local.get $src)) (local.get $b_mask)) (local.get $b_weights)))
                (local.get $rounding))
              (i32.const 15))
              (i32x4.shr_u
              (i32x4.add
                (i32x4.add
                  (i32x4.dot_i16x8_s (i8x16.swizzle (v128.load offset=36 (local.get $src)) (local.get $rg_mask)) (local.get $rg_weights))
                  (i32x4.dot_i16x8_s (i8x16.swizzle (v128.load offset=36 (local.get $src)) (local.get $b_mask)) (local.get $b_weights)))
                (local.get $rounding))
              (i32.const 15)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $vectors)))
    (block $end
      (loop $pixels
        (br_if $end (i32.ge_u (local.get $i) (local.get $pixels)))
        (local.set $src (i32.add (local.get $rgb) (i32.mul (local.get $i) (i32.const 3))))
        (i32.store8 (i32.add (local.get $out) (local.get $i))
          (i32.shr_u
            (i32.add
              (i32.add
                (i32.mul (i32.load8_u offset=0 (local.get $src)) (i32.const 9798))
                (i32.mul (i32.load8_u offset=1 (local.get $src)) (i32.const 19235)))
              (i32.add
                (i32.mul (i32.load8_u offset=2 (local.get $src)) (i32.const 3735))
                (i32.const 16384)))
            (i32.const 15)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $pixels))))
)
