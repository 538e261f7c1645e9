// The one three.js loader we use, typed as far as we use it (three ships no types; @types/three
// would pull physics and XR packages into devDependencies for this one import).
declare module 'three/examples/jsm/loaders/PLYLoader.js' {
  interface PlyAttribute { readonly array: ArrayLike<number>; readonly count: number; readonly itemSize: number }
  interface PlyGeometry {
    readonly index: PlyAttribute | null;
    readonly attributes: { readonly position?: PlyAttribute };
  }
  export class PLYLoader {
    parse(data: ArrayBuffer | string): PlyGeometry;
  }
}
