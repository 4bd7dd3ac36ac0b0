type Column = Int32Array | Float64Array | Uint8Array;

/** A copy of typed array `a` with room for `size` entries (its entries first, the rest zero). */
export function grownTo<A extends Column>(a: A, size: number): A {
  const b = new (a.constructor as new (length: number) => A)(size);
  b.set(a);
  return b;
}
